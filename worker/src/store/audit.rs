//! The audit log: one row for every read or change of patient data, written in the same batch
//! as the change (or right after the read), naming ids only.

use worker::{D1Database, D1PreparedStatement};

use super::{opt_text, text};
use crate::error::ApiError;

/// What happened to which row, by whom.
pub struct AuditEntry<'a> {
    pub actor: &'a str,
    /// `create` or `read`.
    pub action: &'a str,
    /// Table name.
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub conversation_id: Option<&'a str>,
}

/// The INSERT for one entry, to add to a batch.
pub fn statement(
    db: &D1Database,
    at: &str,
    e: &AuditEntry<'_>,
) -> Result<D1PreparedStatement, ApiError> {
    db.prepare(
        "INSERT INTO audit_log (at, actor, action, entity, entity_id, conversation_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .bind(&[
        text(at),
        text(e.actor),
        text(e.action),
        text(e.entity),
        text(e.entity_id),
        opt_text(e.conversation_id),
    ])
    .map_err(super::db_err("audit_bind"))
}
