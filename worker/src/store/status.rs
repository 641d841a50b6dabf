//! Status callbacks: every callback is an event; the current status per SID moves only forward
//! (`twilio::status::rank`), enforced in SQL so concurrent callbacks cannot race it backwards.

use worker::D1Database;

use super::{audit, db_err, int, opt_text, text};
use crate::error::ApiError;
use crate::twilio::form::StatusCallback;
use crate::twilio::status::rank;

/// Records one callback. Unknown SIDs are kept (`known_message = 0`) for reconciliation.
pub async fn record(db: &D1Database, at: &str, cb: &StatusCallback) -> Result<(), ApiError> {
    let event = db
        .prepare(
            "INSERT INTO status_events (twilio_sid, status, error_code, known_message, received_at) \
             VALUES (?1, ?2, ?3, EXISTS (SELECT 1 FROM messages WHERE twilio_sid = ?1), ?4)",
        )
        .bind(&[
            text(&cb.message_sid),
            text(&cb.status),
            opt_text(cb.error_code.as_deref()),
            text(at),
        ])
        .map_err(db_err("status_event_bind"))?;
    let mut batch = vec![event];
    if let Some(r) = rank(&cb.status) {
        batch.push(
            db.prepare(
                "INSERT INTO message_status (twilio_sid, status, status_rank, updated_at) \
                 VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (twilio_sid) DO UPDATE SET status = excluded.status, \
                 status_rank = excluded.status_rank, updated_at = excluded.updated_at \
                 WHERE excluded.status_rank > message_status.status_rank",
            )
            .bind(&[
                text(&cb.message_sid),
                text(&cb.status),
                int(r.into()),
                text(at),
            ])
            .map_err(db_err("status_bind"))?,
        );
    }
    batch.extend(audit::statements(
        db,
        at,
        &[desk::audit::AuditEntry::status_callback(&cb.message_sid)],
    )?);
    db.batch(batch).await.map_err(db_err("status_batch"))?;
    Ok(())
}
