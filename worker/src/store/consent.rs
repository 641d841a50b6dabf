//! The consent ledger: append-only; the current state is the latest entry (no second copy to
//! drift out of sync). Keyed by conversation, which is what the channel, the clinic number and
//! the patient number make together: no number is stored here.

use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement};

use super::{db_err, text};
use crate::consent::{ConsentChange, ConsentState};
use crate::error::ApiError;

#[derive(Deserialize)]
struct Row {
    state: String,
}

/// The consent that stands in this conversation.
pub async fn current(db: &D1Database, conversation_id: &str) -> Result<ConsentState, ApiError> {
    let row: Option<Row> = db
        .prepare(
            "SELECT state FROM consent_events WHERE conversation_id = ?1 \
             ORDER BY id DESC LIMIT 1",
        )
        .bind(&[text(conversation_id)])
        .map_err(db_err("consent_bind"))?
        .first(None)
        .await
        .map_err(db_err("consent_read"))?;
    match row {
        None => Ok(ConsentState::default()),
        // An unreadable state is an error, never "opted in": that would text an opted-out number.
        Some(r) => ConsentState::parse(&r.state).ok_or_else(|| {
            worker::console_error!("consent row unreadable conv={conversation_id}");
            ApiError::Internal
        }),
    }
}

/// The consent that gates a send to a patient: opted out if the patient's latest word to any of
/// these conversations (the clinic's numbers the reply may come from) was STOP. Consent is kept
/// per clinic number, as carriers do; a clinic honours a STOP to any of its numbers.
pub async fn across(
    db: &D1Database,
    conversation_ids: &[String],
) -> Result<ConsentState, ApiError> {
    #[derive(serde::Deserialize)]
    struct State {
        state: String,
    }
    let list = serde_json::to_string(conversation_ids).map_err(|_| ApiError::Internal)?;
    let rows: Vec<State> = db
        .prepare(
            "SELECT e.state FROM consent_events e WHERE e.conversation_id IN \
             (SELECT value FROM json_each(?1)) AND e.id = \
             (SELECT MAX(id) FROM consent_events WHERE conversation_id = e.conversation_id)",
        )
        .bind(&[text(&list)])
        .map_err(db_err("consent_bind"))?
        .all()
        .await
        .map_err(db_err("consent_read"))?
        .results()
        .map_err(db_err("consent_decode"))?;
    let mut out = ConsentState::OptedIn;
    for r in rows {
        match ConsentState::parse(&r.state) {
            Some(ConsentState::OptedOut) => out = ConsentState::OptedOut,
            Some(ConsentState::OptedIn) => {}
            None => {
                worker::console_error!("consent row unreadable");
                return Err(ApiError::Internal);
            }
        }
    }
    Ok(out)
}

/// The ledger entry for a change caused by message `message_id`.
pub fn record(
    db: &D1Database,
    at: &str,
    conversation_id: &str,
    message_id: &str,
    change: &ConsentChange,
) -> Result<D1PreparedStatement, ApiError> {
    db.prepare(
        "INSERT INTO consent_events \
         (conversation_id, state, keyword, source, message_id, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .bind(&[
        text(conversation_id),
        text(change.new_state.as_str()),
        text(&change.keyword),
        text(change.source.as_str()),
        text(message_id),
        text(at),
    ])
    .map_err(db_err("consent_bind"))
}
