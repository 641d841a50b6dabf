//! Messages: the audit trail of every inbound and outbound message. Bodies (and media
//! references) are stored only as AES-256-GCM ciphertext with their key id (`crypto`).

use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement};

use super::{db_err, int, opt_text, text};
use crate::crypto::{Keyring, Sealed};
use crate::error::ApiError;
use crate::outbound::{Outbound, ProducedBy};
use crate::twilio::form::{InboundSms, MediaRef};
use desk::inbound::StoredReply;

/// Whether a message with this Twilio SID is already stored (a retry or duplicate delivery).
pub async fn exists(db: &D1Database, twilio_sid: &str) -> Result<bool, ApiError> {
    super::row_exists(
        db,
        "SELECT 1 AS found FROM messages WHERE twilio_sid = ?1",
        twilio_sid,
        ("message_bind", "message_read"),
    )
    .await
}

/// The inbound message row and its initial status.
pub fn insert_inbound(
    db: &D1Database,
    keys: &Keyring,
    at: &str,
    conversation_id: &str,
    msg: &InboundSms,
) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let id = msg.message_sid.as_str();
    let body = seal(keys, msg.body.as_bytes(), id)?;
    let media = if msg.media.is_empty() {
        None
    } else {
        let json = serde_json::to_vec(&msg.media).map_err(|_| ApiError::Internal)?;
        Some(seal(keys, &json, &format!("{id}/media"))?)
    };
    let insert = db
        .prepare(
            "INSERT INTO messages (id, conversation_id, direction, twilio_sid, account_sid, \
             messaging_service_sid, in_reply_to, produced_by, key_id, body_ct, media_key_id, \
             media_ct, num_media, num_segments, created_at) \
             VALUES (?1, ?2, 'inbound', ?1, ?3, ?4, NULL, 'patient', ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )
        .bind(&[
            text(id),
            text(conversation_id),
            opt_text(msg.account_sid.as_deref()),
            opt_text(msg.messaging_service_sid.as_deref()),
            text(&body.key_id),
            text(&body.blob),
            opt_text(media.as_ref().map(|m| m.key_id.as_str())),
            opt_text(media.as_ref().map(|m| m.blob.as_str())),
            int(msg.media.len() as i64),
            msg.num_segments
                .map_or(worker::wasm_bindgen::JsValue::NULL, |n| int(n.into())),
            text(at),
        ])
        .map_err(db_err("message_bind"))?;
    let status = db
        .prepare(
            "INSERT INTO message_status (twilio_sid, status, status_rank, updated_at) \
             VALUES (?1, 'received', ?2, ?3) ON CONFLICT (twilio_sid) DO NOTHING",
        )
        .bind(&[
            text(id),
            int(crate::twilio::status::rank("received").unwrap_or(0).into()),
            text(at),
        ])
        .map_err(db_err("status_bind"))?;
    Ok(vec![insert, status])
}

/// The row of a reply to an inbound message (sent in TwiML, so it has no Twilio SID of its
/// own yet), under the id the plan gave it. Only cleared messages are stored as sent.
pub fn insert_reply(
    db: &D1Database,
    keys: &Keyring,
    at: &str,
    conversation_id: &str,
    inbound_id: &str,
    stored: &StoredReply,
) -> Result<D1PreparedStatement, ApiError> {
    let sealed = seal(keys, stored.reply.body().as_bytes(), &stored.id)?;
    db.prepare(
        "INSERT INTO messages (id, conversation_id, direction, twilio_sid, account_sid, \
         messaging_service_sid, in_reply_to, produced_by, key_id, body_ct, media_key_id, \
         media_ct, num_media, num_segments, created_at) \
         VALUES (?1, ?2, 'outbound', NULL, NULL, NULL, ?3, ?4, ?5, ?6, NULL, NULL, 0, NULL, ?7)",
    )
    .bind(&[
        text(&stored.id),
        text(conversation_id),
        text(inbound_id),
        text(stored.reply.produced_by().as_str()),
        text(&sealed.key_id),
        text(&sealed.blob),
        text(at),
    ])
    .map_err(db_err("reply_bind"))
}

#[derive(Deserialize)]
struct InboundRow {
    key_id: String,
    body_ct: String,
    media_key_id: Option<String>,
    media_ct: Option<String>,
}

/// A stored inbound message as the classifier reads it (body and attachment kinds), decrypted:
/// what the alarm triages when the webhook could not. `None` if no such message is stored.
pub async fn inbound_turn(
    db: &D1Database,
    keys: &Keyring,
    message_id: &str,
) -> Result<Option<classifier::Turn>, ApiError> {
    let row: Option<InboundRow> = db
        .prepare(
            "SELECT key_id, body_ct, media_key_id, media_ct FROM messages \
             WHERE id = ?1 AND direction = 'inbound'",
        )
        .bind(&[text(message_id)])
        .map_err(db_err("message_bind"))?
        .first(None)
        .await
        .map_err(db_err("message_read"))?;
    let Some(row) = row else {
        return Ok(None);
    };
    let body = keys
        .open_text(
            &Sealed {
                key_id: row.key_id,
                blob: row.body_ct,
            },
            message_id.as_bytes(),
        )
        .map_err(|_| ApiError::Internal)?;
    let media: Vec<MediaRef> = match (row.media_key_id, row.media_ct) {
        (Some(key_id), Some(blob)) => {
            let json = keys
                .open(
                    &Sealed { key_id, blob },
                    format!("{message_id}/media").as_bytes(),
                )
                .map_err(|_| ApiError::Internal)?;
            serde_json::from_slice(&json).map_err(|_| ApiError::Internal)?
        }
        _ => Vec::new(),
    };
    Ok(Some(crate::triage::inbound_turn(
        &body,
        media.iter().map(|m| m.content_type.as_str()),
    )))
}

#[derive(Deserialize)]
struct ReplyRow {
    id: String,
    produced_by: String,
    key_id: String,
    body_ct: String,
}

/// The replies stored for an inbound message, decrypted, with their row ids (for the audit log).
pub async fn replies(
    db: &D1Database,
    keys: &Keyring,
    inbound_id: &str,
) -> Result<Vec<(String, Outbound)>, ApiError> {
    let rows: Vec<ReplyRow> = db
        .prepare(
            "SELECT id, produced_by, key_id, body_ct FROM messages \
             WHERE in_reply_to = ?1 AND direction = 'outbound' ORDER BY id",
        )
        .bind(&[text(inbound_id)])
        .map_err(db_err("reply_bind"))?
        .all()
        .await
        .map_err(db_err("reply_read"))?
        .results()
        .map_err(db_err("reply_decode"))?;
    rows.into_iter()
        .map(|r| {
            let body = keys
                .open_text(
                    &Sealed {
                        key_id: r.key_id,
                        blob: r.body_ct,
                    },
                    r.id.as_bytes(),
                )
                .map_err(|_| ApiError::Internal)?;
            let produced_by = ProducedBy::parse(&r.produced_by).ok_or(ApiError::Internal)?;
            Ok((r.id, Outbound { body, produced_by }))
        })
        .collect()
}

fn seal(keys: &Keyring, plain: &[u8], aad: &str) -> Result<Sealed, ApiError> {
    keys.seal(plain, aad.as_bytes()).map_err(|e| {
        worker::console_error!("seal failed code={e:?}");
        ApiError::Internal
    })
}
