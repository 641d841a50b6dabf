//! Training data: the fixtures, redacted exactly as the Worker redacts them, with the test
//! split kept out by content.

use crate::error::TrainError;
use classifier::model::features::placeholders_to_words;
use classifier::{Intent, Redactor, Role};
use dataset::{content_hash, FixtureSet, Located};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

/// One conversation as the model sees it.
#[derive(Debug, Clone)]
pub struct Example {
    /// The redacted patient message with placeholders as words.
    pub patient: String,
    /// The redacted clinic turn before it, if any.
    pub clinic: Option<String>,
    pub label: usize,
    /// 1 when an automatic reply would be acceptable (the fixture's `expect.auto_ok`).
    pub auto_ok: f32,
}

/// A split read from disk with the digest of its bytes, for the model card.
pub struct Split {
    pub fixtures: Vec<Located>,
    pub sha256: String,
}

pub fn load(path: &Path) -> Result<Split, TrainError> {
    let text = std::fs::read_to_string(path).map_err(|source| TrainError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let mut set = FixtureSet::new();
    set.add_source(&path.display().to_string(), &text);
    if let Some(first) = set.errors.first() {
        return Err(TrainError::Fixtures {
            count: set.errors.len(),
            first: first.to_string(),
        });
    }
    Ok(Split {
        fixtures: set.fixtures,
        sha256: hex::encode(Sha256::digest(text.as_bytes())),
    })
}

/// Refuses training data that shares a conversation (by content, whatever its id) with the test
/// split: a model scored on what it trained on proves nothing.
pub fn refuse_overlap(train: &Split, train_name: &str, test: &Split) -> Result<(), TrainError> {
    let test_hashes: HashMap<String, &str> = test
        .fixtures
        .iter()
        .map(|l| (content_hash(&l.fixture), l.fixture.id.as_str()))
        .collect();
    let overlapping: Vec<String> = train
        .fixtures
        .iter()
        .filter_map(|l| {
            test_hashes
                .get(&content_hash(&l.fixture))
                .map(|t| format!("{} = test {}", l.fixture.id, t))
        })
        .collect();
    if overlapping.is_empty() {
        Ok(())
    } else {
        Err(TrainError::Overlap {
            split: train_name.to_owned(),
            count: overlapping.len(),
            ids: overlapping.into_iter().take(10).collect(),
        })
    }
}

/// Redacts each conversation as a whole (stable placeholders) and keeps the patient's message and
/// the clinic's turn before it.
pub fn examples(split: &Split, redactor: &Redactor) -> Vec<Example> {
    split
        .fixtures
        .iter()
        .map(|loc| {
            let f = &loc.fixture;
            let texts: Vec<&str> = f.turns.iter().map(|t| t.text.as_str()).collect();
            let redacted = redactor.redact_conversation(&texts);
            let n = f.turns.len();
            let patient = redacted.last().map(|r| r.text.as_str()).unwrap_or("");
            let clinic = (0..n.saturating_sub(1))
                .rev()
                .find(|&i| f.turns[i].role == Role::Clinic)
                .and_then(|i| redacted.get(i))
                .map(|r| placeholders_to_words(&r.text));
            Example {
                patient: placeholders_to_words(patient),
                clinic,
                label: f.expect.intent.index(),
                auto_ok: if f.expect.auto_ok { 1.0 } else { 0.0 },
            }
        })
        .collect()
}

/// Out-of-scope utterances from CLINC150 (CC BY 3.0), labelled `other`: patients text clinics
/// about anything, and a few hundred varied strangers' questions keep the model from forcing
/// them into a clinic intent. Only the dataset's own "oos" train and validation rows are used.
pub fn clinc_out_of_scope(path: &Path, limit: usize) -> Result<Vec<Example>, TrainError> {
    let text = std::fs::read_to_string(path).map_err(|source| TrainError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| TrainError::Clinc(format!("{}: {e}", path.display())))?;
    let mut out = Vec::new();
    for key in ["oos_train", "oos_val"] {
        let rows = value
            .get(key)
            .and_then(|v| v.as_array())
            .ok_or_else(|| TrainError::Clinc(format!("{} has no {key} array", path.display())))?;
        for row in rows {
            if let Some(utterance) = row.get(0).and_then(|u| u.as_str()) {
                out.push(Example {
                    patient: utterance.to_owned(),
                    clinic: None,
                    label: Intent::Other.index(),
                    auto_ok: 0.0,
                });
            }
        }
    }
    out.truncate(limit);
    Ok(out)
}
