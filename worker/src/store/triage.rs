//! Triage verdicts and the staff queue (`migrations/0002_triage.sql`), and the conversation
//! history triage reads as context.

use classifier::Turn;
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use super::{db_err, int, opt_text, text};
use crate::crypto::{Keyring, Sealed};
use crate::error::ApiError;
use crate::triage::TriageRecord;

/// Whether this message already has its verdict (a replay must not triage again).
pub async fn exists(db: &D1Database, message_id: &str) -> Result<bool, ApiError> {
    super::row_exists(
        db,
        "SELECT 1 AS found FROM triage WHERE message_id = ?1",
        message_id,
        ("triage_bind", "triage_read"),
    )
    .await
}

#[derive(Deserialize)]
struct TurnRow {
    id: String,
    direction: String,
    key_id: String,
    body_ct: String,
}

/// Up to `limit` messages of the conversation stored before `message_id`, oldest first, as
/// turns, with their row ids (each is a read of patient data, for the audit log). A row that
/// no longer decrypts (its key left the ring) is skipped: context helps triage, it is not needed.
pub async fn history(
    db: &D1Database,
    keys: &Keyring,
    conversation_id: &str,
    message_id: &str,
    limit: usize,
) -> Result<Vec<(String, Turn)>, ApiError> {
    // rowid is insertion order; a replay that recovers an interrupted triage must not read
    // messages that arrived after this one.
    // The limit is our constant, not input: written into the SQL so D1 cannot bind it as REAL.
    let rows: Vec<TurnRow> = db
        .prepare(format!(
            "SELECT id, direction, key_id, body_ct FROM messages \
             WHERE conversation_id = ?1 \
             AND rowid < (SELECT rowid FROM messages WHERE id = ?2) \
             ORDER BY rowid DESC LIMIT {limit}"
        ))
        .bind(&[text(conversation_id), text(message_id)])
        .map_err(db_err("history_bind"))?
        .all()
        .await
        .map_err(db_err("history_read"))?
        .results()
        .map_err(db_err("history_decode"))?;
    Ok(decode_turns(keys, rows))
}

/// Rows, newest first, as turns oldest first. A row that no longer decrypts (its key left the
/// ring) is skipped: context helps triage, it is not needed.
fn decode_turns(keys: &Keyring, rows: Vec<TurnRow>) -> Vec<(String, Turn)> {
    let mut turns = Vec::with_capacity(rows.len());
    for r in rows.into_iter().rev() {
        let plain = keys
            .open_text(
                &Sealed {
                    key_id: r.key_id,
                    blob: r.body_ct,
                },
                r.id.as_bytes(),
            )
            .ok();
        let Some(body) = plain else {
            worker::console_error!("history row skipped id={} code=undecryptable", r.id);
            continue;
        };
        let turn = if r.direction == "inbound" {
            Turn::patient(body)
        } else {
            Turn::clinic(body)
        };
        turns.push((r.id, turn));
    }
    turns
}

/// What a new message's handling needs to know, read in one round trip (a batch of reads):
/// whether the MessageSid is already stored, the conversation's consent, and its last `limit`
/// messages (the context triage reads, fetched now since the message is not stored yet).
pub struct Facts {
    pub stored: bool,
    pub consent: crate::consent::ConsentState,
    pub history: Vec<(String, Turn)>,
    /// The clinic's latest (facts, templates) versions (`crate::clinic`).
    pub clinic_versions: Option<(i64, i64)>,
}

pub async fn facts(
    db: &D1Database,
    keys: &Keyring,
    conversation_id: &str,
    message_sid: &str,
    limit: usize,
) -> Result<Facts, ApiError> {
    #[derive(Deserialize)]
    struct Found {
        #[allow(dead_code)]
        found: f64,
    }
    #[derive(Deserialize)]
    struct State {
        state: String,
    }
    let statements = vec![
        db.prepare("SELECT 1 AS found FROM messages WHERE twilio_sid = ?1")
            .bind(&[text(message_sid)])
            .map_err(db_err("facts_bind"))?,
        db.prepare(
            "SELECT state FROM consent_events WHERE conversation_id = ?1 ORDER BY id DESC LIMIT 1",
        )
        .bind(&[text(conversation_id)])
        .map_err(db_err("facts_bind"))?,
        // The limit is our constant, not input: written into the SQL so D1 cannot bind it as REAL.
        db.prepare(format!(
            "SELECT id, direction, key_id, body_ct FROM messages WHERE conversation_id = ?1 \
             ORDER BY rowid DESC LIMIT {limit}"
        ))
        .bind(&[text(conversation_id)])
        .map_err(db_err("facts_bind"))?,
        crate::clinic::versions_statement(db)?,
    ];
    let results = db.batch(statements).await.map_err(db_err("facts_read"))?;
    let [stored, consent, history, clinic] = results.as_slice() else {
        worker::console_error!("facts read returned {} results", results.len());
        return Err(ApiError::Internal);
    };
    let stored = !stored
        .results::<Found>()
        .map_err(db_err("facts_decode"))?
        .is_empty();
    let consent = match consent
        .results::<State>()
        .map_err(db_err("facts_decode"))?
        .first()
    {
        None => crate::consent::ConsentState::default(),
        Some(s) => crate::consent::ConsentState::parse(&s.state).ok_or_else(|| {
            worker::console_error!("consent row unreadable conv={conversation_id}");
            ApiError::Internal
        })?,
    };
    let rows: Vec<TurnRow> = history.results().map_err(db_err("facts_decode"))?;
    Ok(Facts {
        stored,
        consent,
        history: decode_turns(keys, rows),
        clinic_versions: crate::clinic::read_versions(clinic)?,
    })
}

fn real(x: Option<f64>) -> JsValue {
    x.map_or(JsValue::NULL, JsValue::from_f64)
}

/// The triage row. The redacted text and the details (reasons in words, matched patterns) are
/// sealed under the active key; the plaintext columns hold codes only.
pub fn insert(
    db: &D1Database,
    keys: &Keyring,
    at: &str,
    conversation_id: &str,
    message_id: &str,
    r: &TriageRecord,
) -> Result<D1PreparedStatement, ApiError> {
    let seal = |plain: &str, what: &str| {
        keys.seal(plain.as_bytes(), format!("{message_id}/{what}").as_bytes())
            .map_err(|e| {
                worker::console_error!("seal failed code={e:?}");
                ApiError::Internal
            })
    };
    let sealed = r
        .redacted_text
        .as_deref()
        .map(|t| seal(t, "redacted"))
        .transpose()?;
    let details = seal(&r.details_json(), "details")?;
    db.prepare(
        "INSERT INTO triage (message_id, conversation_id, error_code, key_id, redacted_ct, phi, \
         intent, confidence, top3, urgent, urgency_source, urgency_matches, model_emergency_p, \
         action, reasons, model_version, policy_version, triage_ms, created_at, fingerprint, \
         details_key_id, details_ct) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, \
         ?19, ?20, ?21, ?22)",
    )
    .bind(&[
        text(message_id),
        text(conversation_id),
        opt_text(r.failure.map(|f| f.code())),
        opt_text(sealed.as_ref().map(|s| s.key_id.as_str())),
        opt_text(sealed.as_ref().map(|s| s.blob.as_str())),
        text(&json(&r.phi)),
        opt_text(r.intent),
        real(r.confidence.map(f64::from)),
        text(&r.top3_json),
        int(i64::from(r.urgent)),
        opt_text(r.urgency_source),
        text(&r.match_codes_json()),
        real(r.model_emergency_p.map(f64::from)),
        text(r.action.as_str()),
        text(&r.reason_codes_json()),
        text(r.model_version),
        r.policy_version
            .map_or(JsValue::NULL, |v| int(i64::from(v))),
        real(Some(r.triage_ms)),
        text(at),
        text(r.fingerprint),
        text(&details.key_id),
        text(&details.blob),
    ])
    .map_err(db_err("triage_bind"))
}

/// The staff queue row: urgent first (`Priority`).
pub fn enqueue(
    db: &D1Database,
    at: &str,
    conversation_id: &str,
    message_id: &str,
    queue: &desk::autoreply::ReplyPlan,
    patient_replied: bool,
) -> Result<D1PreparedStatement, ApiError> {
    db.prepare(
        "INSERT INTO staff_queue (message_id, conversation_id, priority, action, patient_replied, \
         reason, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .bind(&[
        text(message_id),
        text(conversation_id),
        int(queue.priority().rank()),
        text(queue.queue_action.as_str()),
        int(i64::from(patient_replied)),
        super::opt_text(queue.reason.as_deref()),
        text(at),
    ])
    .map_err(db_err("queue_bind"))
}

/// JSON of the record's code lists. They serialise infallibly (plain structs of strings and
/// numbers); an impossible failure stores an empty list rather than losing the row.
fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}
