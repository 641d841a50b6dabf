//! Signed webhooks whose content was refused (`migrations/0007_rejected_webhooks.sql`).

use worker::D1Database;

use super::{db_err, opt_text, text};
use crate::error::ApiError;

pub async fn record(
    db: &D1Database,
    at: &str,
    route: &str,
    code: &str,
    message_sid: Option<&str>,
) -> Result<(), ApiError> {
    db.prepare(
        "INSERT INTO rejected_webhooks (route, code, message_sid, received_at) \
         VALUES (?1, ?2, ?3, ?4)",
    )
    .bind(&[text(route), text(code), opt_text(message_sid), text(at)])
    .map_err(db_err("rejected_bind"))?
    .run()
    .await
    .map_err(db_err("rejected_write"))?;
    Ok(())
}
