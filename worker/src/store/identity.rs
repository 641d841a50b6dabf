//! Conversations by keyed identity (`crate::identity`): the row's id, its blind index and its
//! sealed numbers, and the rows stored before numbers were sealed (`identity_backlog`).

use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement};

use super::{db_err, text};
use crate::crypto::Keyring;
use crate::error::ApiError;
use crate::identity::{ConversationKey, IdentityKey, Numbers};

/// The conversation row (created once), with its numbers sealed.
pub fn upsert(
    db: &D1Database,
    keys: &Keyring,
    at: &str,
    conversation_id: &str,
    key: &ConversationKey,
    channel: &str,
    numbers: &Numbers,
) -> Result<D1PreparedStatement, ApiError> {
    let sealed = seal_numbers(keys, conversation_id, numbers)?;
    db.prepare(
        // The number columns hold the row's own id (migration 0005): the numbers are sealed.
        "INSERT INTO conversations (id, channel, patient_number, clinic_number, party_index, \
         key_id, numbers_ct, created_at) VALUES (?1, ?2, ?1, ?1, ?3, ?4, ?5, ?6) \
         ON CONFLICT DO NOTHING",
    )
    .bind(&[
        text(conversation_id),
        text(channel),
        text(&key.index),
        text(&sealed.key_id),
        text(&sealed.blob),
        text(at),
    ])
    .map_err(db_err("conversation_bind"))
}

fn seal_numbers(
    keys: &Keyring,
    conversation_id: &str,
    numbers: &Numbers,
) -> Result<crate::crypto::Sealed, ApiError> {
    let json = serde_json::to_vec(numbers).map_err(|_| ApiError::Internal)?;
    keys.seal(&json, format!("{conversation_id}/numbers").as_bytes())
        .map_err(|e| {
            worker::console_error!("seal failed code={e:?}");
            ApiError::Internal
        })
}

#[derive(Deserialize)]
struct NumbersRow {
    channel: String,
    key_id: Option<String>,
    numbers_ct: Option<String>,
}

/// The conversation's channel and numbers, unsealed: only the sender reads them, to address a
/// message. `None` for a row whose numbers are not sealed yet (the backlog seals them first).
pub async fn numbers(
    db: &D1Database,
    keys: &Keyring,
    conversation_id: &str,
) -> Result<Option<(String, Numbers)>, ApiError> {
    let row: Option<NumbersRow> = db
        .prepare("SELECT channel, key_id, numbers_ct FROM conversations WHERE id = ?1")
        .bind(&[text(conversation_id)])
        .map_err(db_err("conversation_bind"))?
        .first(None)
        .await
        .map_err(db_err("conversation_read"))?;
    let Some(NumbersRow {
        channel,
        key_id: Some(key_id),
        numbers_ct: Some(blob),
    }) = row
    else {
        return Ok(None);
    };
    let json = keys
        .open(
            &crate::crypto::Sealed { key_id, blob },
            format!("{conversation_id}/numbers").as_bytes(),
        )
        .map_err(|_| ApiError::Internal)?;
    let numbers: Numbers = serde_json::from_slice(&json).map_err(|_| ApiError::Internal)?;
    Ok(Some((channel, numbers)))
}

#[derive(Deserialize)]
struct IdRow {
    id: String,
}

#[derive(Deserialize)]
struct BacklogRow {
    conversation_id: String,
    channel: String,
    clinic_number: String,
    patient_number: String,
}

/// The row id of this conversation: the keyed id for a new one; for one stored before ids were
/// keyed, its old id (found by the blind index, or in the backlog, which is then sealed).
pub async fn resolve(
    db: &D1Database,
    keys: &Keyring,
    key: &ConversationKey,
    channel: &str,
    numbers: &Numbers,
) -> Result<String, ApiError> {
    let found: Option<IdRow> = db
        .prepare("SELECT id FROM conversations WHERE party_index = ?1")
        .bind(&[text(&key.index)])
        .map_err(db_err("conversation_bind"))?
        .first(None)
        .await
        .map_err(db_err("conversation_read"))?;
    if let Some(row) = found {
        return Ok(row.id);
    }
    let legacy: Option<IdRow> = db
        .prepare(
            "SELECT conversation_id AS id FROM identity_backlog \
             WHERE channel = ?1 AND clinic_number = ?2 AND patient_number = ?3",
        )
        .bind(&[text(channel), text(&numbers.clinic), text(&numbers.patient)])
        .map_err(db_err("backlog_bind"))?
        .first(None)
        .await
        .map_err(db_err("backlog_read"))?;
    match legacy {
        Some(row) => {
            db.batch(seal_statements(db, keys, &row.id, key, numbers)?)
                .await
                .map_err(db_err("backlog_seal"))?;
            Ok(row.id)
        }
        None => Ok(key.id.clone()),
    }
}

/// Seals a backlog row into its conversation and deletes it, in one batch.
fn seal_statements(
    db: &D1Database,
    keys: &Keyring,
    conversation_id: &str,
    key: &ConversationKey,
    numbers: &Numbers,
) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let sealed = seal_numbers(keys, conversation_id, numbers)?;
    Ok(vec![
        db.prepare(
            "UPDATE conversations SET party_index = ?2, key_id = ?3, numbers_ct = ?4 WHERE id = ?1",
        )
        .bind(&[
            text(conversation_id),
            text(&key.index),
            text(&sealed.key_id),
            text(&sealed.blob),
        ])
        .map_err(db_err("backlog_bind"))?,
        db.prepare("DELETE FROM identity_backlog WHERE conversation_id = ?1")
            .bind(&[text(conversation_id)])
            .map_err(db_err("backlog_bind"))?,
    ])
}

/// Seals up to `limit` backlog rows; returns how many were sealed (fewer than `limit`: the
/// backlog is empty).
pub async fn seal_backlog(
    db: &D1Database,
    keys: &Keyring,
    identity: &IdentityKey,
    limit: usize,
) -> Result<usize, ApiError> {
    let rows: Vec<BacklogRow> = db
        .prepare(format!(
            "SELECT conversation_id, channel, clinic_number, patient_number FROM identity_backlog \
             LIMIT {limit}"
        ))
        .all()
        .await
        .map_err(db_err("backlog_read"))?
        .results()
        .map_err(db_err("backlog_decode"))?;
    let mut batch = Vec::new();
    for r in &rows {
        let key = identity.conversation(&r.channel, &r.clinic_number, &r.patient_number);
        let numbers = Numbers {
            clinic: r.clinic_number.clone(),
            patient: r.patient_number.clone(),
        };
        batch.extend(seal_statements(
            db,
            keys,
            &r.conversation_id,
            &key,
            &numbers,
        )?);
    }
    if !batch.is_empty() {
        db.batch(batch).await.map_err(db_err("backlog_seal"))?;
    }
    Ok(rows.len())
}

/// Whether this isolate found the backlog empty: after that it never looks again.
static BACKLOG_EMPTY: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Seals the backlog left by migration 0005, a bounded amount per call, until this isolate
/// finds it empty. Failures are logged, never fatal: a conversation's own backlog row is also
/// sealed when it is resolved.
pub async fn seal_backlog_once(db: &D1Database, keys: &crate::config::Keys) {
    use std::sync::atomic::Ordering;
    const PER_CALL: usize = 50;
    if BACKLOG_EMPTY.load(Ordering::Relaxed) {
        return;
    }
    match seal_backlog(db, &keys.body, &keys.identity, PER_CALL).await {
        Ok(n) if n < PER_CALL => {
            BACKLOG_EMPTY.store(true, Ordering::Relaxed);
            if n > 0 {
                worker::console_log!("identity backlog sealed rows={n} left=0");
            }
        }
        Ok(n) => worker::console_log!("identity backlog sealed rows={n} left=some"),
        Err(e) => worker::console_error!("identity backlog not sealed code={}", e.code()),
    }
}
