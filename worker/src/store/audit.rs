//! The audit log: one row for every read or change of patient data, written in the same batch
//! as the change (or right after the read), naming ids only.

use worker::{D1Database, D1PreparedStatement};

use super::{opt_text, text};
use crate::error::ApiError;
use desk::audit::AuditEntry;

/// The INSERTs for a plan's entries, to add to its batch.
pub fn statements(
    db: &D1Database,
    at: &str,
    entries: &[AuditEntry],
) -> Result<Vec<D1PreparedStatement>, ApiError> {
    entries
        .iter()
        .map(|e| {
            db.prepare(
                "INSERT INTO audit_log (at, actor, action, entity, entity_id, conversation_id) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .bind(&[
                text(at),
                text(e.actor.as_str()),
                text(e.action.as_str()),
                text(e.entity.as_str()),
                text(&e.entity_id),
                opt_text(e.conversation_id.as_deref()),
            ])
            .map_err(super::db_err("audit_bind"))
        })
        .collect()
}
