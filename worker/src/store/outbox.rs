//! The outbox (`migrations/0008_outbox.sql`): every outgoing message, written before any
//! attempt, its body sealed like message bodies. The state machine is `desk::outbox`; this module
//! only reads and writes its rows.

use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use super::{db_err, int, opt_text, text};
use crate::crypto::{Keyring, Sealed};
use crate::error::ApiError;
use desk::outbox::{Purpose, Row, State};
use desk::pending::{parse_stored, stored};

/// What rendered a row: the facts version and the template (none for HELP or the safe reply).
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    pub facts_version: Option<i64>,
    pub template_id: Option<String>,
    pub template_version: Option<i64>,
}

/// The row with its body, as the sender needs it.
#[derive(Debug, Clone)]
pub struct Item {
    pub row: Row,
    pub body: String,
    pub in_reply_to: Option<String>,
}

fn aad(id: &str) -> String {
    format!("{id}/outbox")
}

/// The row, written once: a second insert under the same derived id is ignored.
#[allow(clippy::too_many_arguments)]
pub fn insert(
    db: &D1Database,
    keys: &Keyring,
    at: &str,
    conversation_id: &str,
    in_reply_to: Option<&str>,
    row: &Row,
    body: &str,
    from: &Provenance,
) -> Result<D1PreparedStatement, ApiError> {
    let sealed = keys
        .seal(body.as_bytes(), aad(&row.id).as_bytes())
        .map_err(|e| {
            worker::console_error!("seal failed code={e:?}");
            ApiError::Internal
        })?;
    db.prepare(
        "INSERT INTO outbox (id, conversation_id, in_reply_to, purpose, state, attempts, next_at, \
         sender, key_id, body_ct, facts_version, template_id, template_version, created_at, \
         updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, 0, ?7, ?8, ?9, ?10, ?11, ?12, ?12) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&[
        text(&row.id),
        text(conversation_id),
        opt_text(in_reply_to),
        text(row.purpose.as_str()),
        text(row.state.as_str()),
        text(&stored(row.next_at)),
        text(&sealed.key_id),
        text(&sealed.blob),
        from.facts_version.map_or(JsValue::NULL, int),
        opt_text(from.template_id.as_deref()),
        from.template_version.map_or(JsValue::NULL, int),
        text(at),
    ])
    .map_err(db_err("outbox_bind"))
}

/// The row's moving parts, written after each step. Guarded by the state it was read in, so a
/// late writer (a callback racing the alarm) cannot overwrite a newer state: it changes nothing.
pub fn update(
    db: &D1Database,
    at: &str,
    before: State,
    row: &Row,
) -> Result<D1PreparedStatement, ApiError> {
    db.prepare(
        "UPDATE outbox SET state = ?2, attempts = ?3, next_at = ?4, attempt_started_at = ?5, \
         twilio_sid = ?6, error_code = ?7, sender = ?8, unreachable_retried = ?9, updated_at = ?10 \
         WHERE id = ?1 AND state = ?11",
    )
    .bind(&[
        text(&row.id),
        text(row.state.as_str()),
        int(i64::from(row.attempts)),
        text(&stored(row.next_at)),
        opt_text(row.attempt_started_at.map(stored).as_deref()),
        opt_text(row.twilio_sid.as_deref()),
        row.error_code.map_or(JsValue::NULL, |c| int(i64::from(c))),
        int(i64::from(row.sender)),
        int(i64::from(row.unreachable_retried)),
        text(at),
        text(before.as_str()),
    ])
    .map_err(db_err("outbox_bind"))
}

#[derive(Deserialize)]
struct RowData {
    id: String,
    purpose: String,
    state: String,
    attempts: f64,
    next_at: String,
    attempt_started_at: Option<String>,
    twilio_sid: Option<String>,
    error_code: Option<f64>,
    sender: f64,
    unreachable_retried: f64,
    key_id: String,
    body_ct: String,
    in_reply_to: Option<String>,
}

const COLUMNS: &str = "id, purpose, state, attempts, next_at, attempt_started_at, twilio_sid, \
     error_code, sender, unreachable_retried, key_id, body_ct, in_reply_to";

fn item(keys: &Keyring, r: RowData) -> Result<Item, ApiError> {
    let time = |s: &str| parse_stored(s).map_err(|_| ApiError::Internal);
    let body = keys
        .open_text(
            &Sealed {
                key_id: r.key_id,
                blob: r.body_ct,
            },
            aad(&r.id).as_bytes(),
        )
        .map_err(|_| ApiError::Internal)?;
    Ok(Item {
        row: Row {
            purpose: Purpose::parse(&r.purpose).ok_or(ApiError::Internal)?,
            state: State::parse(&r.state).ok_or(ApiError::Internal)?,
            attempts: r.attempts as u32,
            next_at: time(&r.next_at)?,
            attempt_started_at: r.attempt_started_at.as_deref().map(time).transpose()?,
            twilio_sid: r.twilio_sid,
            error_code: r.error_code.map(|c| c as u32),
            sender: r.sender as u8,
            unreachable_retried: r.unreachable_retried != 0.0,
            id: r.id,
        },
        body,
        in_reply_to: r.in_reply_to,
    })
}

/// The conversation's rows that still need a step, oldest first.
pub async fn unsettled(
    db: &D1Database,
    keys: &Keyring,
    conversation_id: &str,
) -> Result<Vec<Item>, ApiError> {
    let rows: Vec<RowData> = db
        .prepare(format!(
            "SELECT {COLUMNS} FROM outbox WHERE conversation_id = ?1 \
             AND state IN ('queued', 'sending', 'reconcile') ORDER BY created_at, id"
        ))
        .bind(&[text(conversation_id)])
        .map_err(db_err("outbox_bind"))?
        .all()
        .await
        .map_err(db_err("outbox_read"))?
        .results()
        .map_err(db_err("outbox_decode"))?;
    rows.into_iter().map(|r| item(keys, r)).collect()
}

/// One row by id, if it belongs to this conversation.
pub async fn get(
    db: &D1Database,
    keys: &Keyring,
    conversation_id: &str,
    id: &str,
) -> Result<Option<Item>, ApiError> {
    let row: Option<RowData> = db
        .prepare(format!(
            "SELECT {COLUMNS} FROM outbox WHERE id = ?1 AND conversation_id = ?2"
        ))
        .bind(&[text(id), text(conversation_id)])
        .map_err(db_err("outbox_bind"))?
        .first(None)
        .await
        .map_err(db_err("outbox_read"))?;
    row.map(|r| item(keys, r)).transpose()
}

/// Which of these Twilio SIDs other outbox rows already hold (a lookup must not adopt them).
pub async fn taken_sids(
    db: &D1Database,
    row_id: &str,
    sids: &[String],
) -> Result<Vec<String>, ApiError> {
    #[derive(Deserialize)]
    struct Sid {
        twilio_sid: String,
    }
    if sids.is_empty() {
        return Ok(Vec::new());
    }
    // json_each binds the list as one parameter, whatever its length.
    let list = serde_json::to_string(sids).map_err(|_| ApiError::Internal)?;
    let rows: Vec<Sid> = db
        .prepare(
            "SELECT twilio_sid FROM outbox WHERE id != ?1 AND twilio_sid IN \
             (SELECT value FROM json_each(?2))",
        )
        .bind(&[text(row_id), text(&list)])
        .map_err(db_err("outbox_bind"))?
        .all()
        .await
        .map_err(db_err("outbox_read"))?
        .results()
        .map_err(db_err("outbox_decode"))?;
    Ok(rows.into_iter().map(|r| r.twilio_sid).collect())
}

/// Twilio took the reply: the queue row says the patient was answered, and an automatic reply
/// needs no person.
pub fn answered(
    db: &D1Database,
    message_id: &str,
    purpose: Purpose,
) -> Result<D1PreparedStatement, ApiError> {
    let done = purpose == Purpose::AutoReply;
    db.prepare(
        "UPDATE staff_queue SET patient_replied = 1, \
         state = CASE WHEN ?2 = 1 AND state = 'open' THEN 'done' ELSE state END \
         WHERE message_id = ?1",
    )
    .bind(&[text(message_id), int(i64::from(done))])
    .map_err(db_err("queue_bind"))
}

/// A person must look at the message after all: the queue row reopens with the reason.
pub fn needs_person(
    db: &D1Database,
    message_id: &str,
    reason: &str,
) -> Result<D1PreparedStatement, ApiError> {
    db.prepare(
        "UPDATE staff_queue SET state = 'open', reason = ?2, patient_replied = 0, \
         priority = MIN(priority, 1) WHERE message_id = ?1",
    )
    .bind(&[text(message_id), text(reason)])
    .map_err(db_err("queue_bind"))
}

/// The number cannot receive SMS: nothing more goes to it until a person clears the row.
pub fn mark_undeliverable(
    db: &D1Database,
    at: &str,
    conversation_id: &str,
    code: u32,
) -> Result<D1PreparedStatement, ApiError> {
    db.prepare(
        "INSERT INTO undeliverable (conversation_id, error_code, created_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (conversation_id) DO UPDATE SET error_code = excluded.error_code",
    )
    .bind(&[text(conversation_id), int(i64::from(code)), text(at)])
    .map_err(db_err("undeliverable_bind"))
}

/// Whether the conversation's number was marked undeliverable.
pub async fn is_undeliverable(db: &D1Database, conversation_id: &str) -> Result<bool, ApiError> {
    super::row_exists(
        db,
        "SELECT 1 AS found FROM undeliverable WHERE conversation_id = ?1",
        conversation_id,
        ("undeliverable_bind", "undeliverable_read"),
    )
    .await
}
