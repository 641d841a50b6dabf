//! The consent ledger: append-only; the current state is the latest entry (no second copy to
//! drift out of sync).

use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement};

use super::{db_err, text};
use crate::consent::{ConsentChange, ConsentState};
use crate::error::ApiError;
use crate::twilio::form::InboundSms;

#[derive(Deserialize)]
struct Row {
    state: String,
}

/// The consent that stands for this patient with this clinic number on this channel.
pub async fn current(db: &D1Database, msg: &InboundSms) -> Result<ConsentState, ApiError> {
    let row: Option<Row> = db
        .prepare(
            "SELECT state FROM consent_events \
             WHERE channel = ?1 AND clinic_number = ?2 AND patient_number = ?3 \
             ORDER BY id DESC LIMIT 1",
        )
        .bind(&[
            text(msg.from.channel.as_str()),
            text(&msg.to.e164),
            text(&msg.from.e164),
        ])
        .map_err(db_err("consent_bind"))?
        .first(None)
        .await
        .map_err(db_err("consent_read"))?;
    Ok(row
        .and_then(|r| ConsentState::parse(&r.state))
        .unwrap_or_default())
}

/// The ledger entry for a change caused by message `message_id`.
pub fn record(
    db: &D1Database,
    at: &str,
    msg: &InboundSms,
    change: &ConsentChange,
) -> Result<D1PreparedStatement, ApiError> {
    db.prepare(
        "INSERT INTO consent_events \
         (channel, clinic_number, patient_number, state, keyword, source, message_id, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .bind(&[
        text(msg.from.channel.as_str()),
        text(&msg.to.e164),
        text(&msg.from.e164),
        text(change.new_state.as_str()),
        text(&change.keyword),
        text(change.source.as_str()),
        text(&msg.message_sid),
        text(at),
    ])
    .map_err(db_err("consent_bind"))
}

/// Whether message `message_id` changed consent (a YES is a keyword only if it did, so a replay
/// tells a keyword YES from a plain one by this).
pub async fn caused_by(db: &D1Database, message_id: &str) -> Result<bool, ApiError> {
    let row: Option<serde_json::Value> = db
        .prepare("SELECT 1 AS found FROM consent_events WHERE message_id = ?1 LIMIT 1")
        .bind(&[text(message_id)])
        .map_err(db_err("consent_bind"))?
        .first(None)
        .await
        .map_err(db_err("consent_read"))?;
    Ok(row.is_some())
}
