//! Pending work (`desk::pending`): written in the message's batch, deleted in the verdict's.

use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement};

use super::{db_err, int, opt_text, text};
use crate::error::ApiError;
use desk::pending::{parse_stored, stored, PendingWork, WorkKind};

/// The row of a new item, for the message's batch.
pub fn insert(db: &D1Database, at: &str, w: &PendingWork) -> Result<D1PreparedStatement, ApiError> {
    db.prepare(
        "INSERT INTO pending_work (message_id, conversation_id, kind, due_at, attempts, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .bind(&[
        text(&w.message_sid),
        text(&w.conversation_id),
        text(w.kind.as_str()),
        text(&stored(w.due_at)),
        int(i64::from(w.attempts)),
        text(at),
    ])
    .map_err(db_err("pending_bind"))
}

/// Deletes a finished item, for the verdict's batch.
pub fn finish(db: &D1Database, message_id: &str) -> Result<D1PreparedStatement, ApiError> {
    db.prepare("DELETE FROM pending_work WHERE message_id = ?1")
        .bind(&[text(message_id)])
        .map_err(db_err("pending_bind"))
}

/// Whether the message still has work pending.
pub async fn exists(db: &D1Database, message_id: &str) -> Result<bool, ApiError> {
    super::row_exists(
        db,
        "SELECT 1 AS found FROM pending_work WHERE message_id = ?1",
        message_id,
        ("pending_bind", "pending_read"),
    )
    .await
}

#[derive(Deserialize)]
struct Row {
    message_id: String,
    conversation_id: String,
    kind: String,
    due_at: String,
    attempts: f64,
}

/// The conversation's pending items, earliest first. A row that does not parse is an error:
/// skipping it would leave its message unfinished with no one told.
pub async fn for_conversation(
    db: &D1Database,
    conversation_id: &str,
) -> Result<Vec<PendingWork>, ApiError> {
    let rows: Vec<Row> = db
        .prepare(
            "SELECT message_id, conversation_id, kind, due_at, attempts FROM pending_work \
             WHERE conversation_id = ?1 ORDER BY due_at, message_id",
        )
        .bind(&[text(conversation_id)])
        .map_err(db_err("pending_bind"))?
        .all()
        .await
        .map_err(db_err("pending_read"))?
        .results()
        .map_err(db_err("pending_decode"))?;
    rows.into_iter()
        .map(|r| {
            let (Some(kind), Ok(due_at)) = (WorkKind::parse(&r.kind), parse_stored(&r.due_at))
            else {
                worker::console_error!("pending row unreadable sid={}", r.message_id);
                return Err(ApiError::Internal);
            };
            Ok(PendingWork {
                message_sid: r.message_id,
                conversation_id: r.conversation_id,
                kind,
                due_at,
                attempts: r.attempts.max(0.0) as u32,
            })
        })
        .collect()
}

/// Records a failed attempt: the next due time, the count and the failure's code.
pub async fn reschedule(
    db: &D1Database,
    w: &PendingWork,
    error_code: &str,
) -> Result<(), ApiError> {
    db.prepare(
        "UPDATE pending_work SET due_at = ?2, attempts = ?3, last_error = ?4 WHERE message_id = ?1",
    )
    .bind(&[
        text(&w.message_sid),
        text(&stored(w.due_at)),
        int(i64::from(w.attempts)),
        opt_text(Some(error_code)),
    ])
    .map_err(db_err("pending_bind"))?
    .run()
    .await
    .map_err(db_err("pending_write"))?;
    Ok(())
}
