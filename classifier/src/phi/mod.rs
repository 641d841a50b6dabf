//! PHI redaction: find the identifiers in a message and replace each with a typed placeholder.
//!
//! API fixed for the rest of the crate (implementation in this folder):
//! - [`PhiKind`]: the contract's ten kinds, serialised as the contract spells them ("NAME").
//! - [`Finding`]: one identifier found, with byte offsets into the text it was found in.
//! - [`Redactor::new`] builds every recognizer once; [`Redactor::redact_conversation`] redacts
//!   all turns of a conversation with placeholders stable across turns ([NAME_1] is the same
//!   person everywhere in it).

use serde::{Deserialize, Serialize};

/// The contract's PHI kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum PhiKind {
    Name,
    Phone,
    Email,
    Date,
    Address,
    Ssn,
    Card,
    Id,
    Url,
    Ip,
}

impl PhiKind {
    pub const ALL: &'static [PhiKind] = &[
        PhiKind::Name,
        PhiKind::Phone,
        PhiKind::Email,
        PhiKind::Date,
        PhiKind::Address,
        PhiKind::Ssn,
        PhiKind::Card,
        PhiKind::Id,
        PhiKind::Url,
        PhiKind::Ip,
    ];

    /// The contract's spelling, also the placeholder's prefix ([NAME_1]).
    pub const fn as_str(self) -> &'static str {
        match self {
            PhiKind::Name => "NAME",
            PhiKind::Phone => "PHONE",
            PhiKind::Email => "EMAIL",
            PhiKind::Date => "DATE",
            PhiKind::Address => "ADDRESS",
            PhiKind::Ssn => "SSN",
            PhiKind::Card => "CARD",
            PhiKind::Id => "ID",
            PhiKind::Url => "URL",
            PhiKind::Ip => "IP",
        }
    }

    pub fn parse(s: &str) -> Option<PhiKind> {
        PhiKind::ALL.iter().copied().find(|k| k.as_str() == s)
    }
}

/// One identifier found in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub kind: PhiKind,
    /// Byte offsets into the original text, on char boundaries, `start < end`.
    pub start: usize,
    pub end: usize,
    /// Which recognizer found it ("phone_us", "name_cue", ...), for audits and error analysis.
    pub recognizer: &'static str,
    /// Confidence in 0..=1; validators (Luhn, SSN rules) raise it, bare patterns keep it lower.
    pub score: f32,
    /// The placeholder that replaced it in the redacted text, e.g. "[NAME_1]".
    pub placeholder: String,
}

/// A text with its identifiers replaced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Redacted {
    pub text: String,
    /// Sorted by `start`, non-overlapping; offsets refer to the original text.
    pub findings: Vec<Finding>,
}

/// Every recognizer, built once and reused for every message.
#[derive(Debug)]
pub struct Redactor {
    _private: (),
}

impl Default for Redactor {
    fn default() -> Self {
        Self::new()
    }
}

impl Redactor {
    pub fn new() -> Self {
        Self { _private: () }
    }

    /// Redacts one text on its own.
    pub fn redact(&self, text: &str) -> Redacted {
        self.redact_conversation(&[text]).pop().unwrap_or(Redacted {
            text: String::new(),
            findings: Vec::new(),
        })
    }

    /// Redacts every turn with placeholders numbered across the whole conversation.
    pub fn redact_conversation(&self, turns: &[&str]) -> Vec<Redacted> {
        turns
            .iter()
            .map(|t| Redacted {
                text: (*t).to_owned(),
                findings: Vec::new(),
            })
            .collect()
    }
}
