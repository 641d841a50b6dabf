//! Emergency matching: does this message need a clinician now?
//!
//! API fixed for the rest of the crate (implementation in this folder):
//! [`EmergencyMatcher::new`] builds the phrase automata once; [`EmergencyMatcher::assess`] reads a
//! patient message (with the conversation's earlier turns as context) and says which clinical
//! signs it matched and which candidate matches it set aside (negated, hypothetical).

use serde::{Deserialize, Serialize};

/// The clinical sign a match points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sign {
    VascularOcclusion,
    VisionChange,
    Anaphylaxis,
    BreathingTrouble,
    ChestPain,
    Fainting,
    Infection,
    SelfHarm,
}

/// How a match was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchSource {
    /// A phrase of the aho-corasick sets.
    Phrase,
    /// A rule combining evidence (e.g. a colour word near a filler word).
    Rule,
}

/// One piece of evidence of an emergency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UrgencyMatch {
    pub sign: Sign,
    pub source: MatchSource,
    /// The canonical phrase or rule name that matched, for the audit trail.
    pub pattern: String,
    /// Byte offsets into the assessed text.
    pub start: usize,
    pub end: usize,
}

/// Why a candidate match was not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SetAside {
    Negated,
    Figurative,
}

/// The matcher's reading of one message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UrgencyAssessment {
    pub matches: Vec<UrgencyMatch>,
    pub set_aside: Vec<(UrgencyMatch, SetAside)>,
}

impl UrgencyAssessment {
    pub fn is_urgent(&self) -> bool {
        !self.matches.is_empty()
    }
}

/// The emergency phrase sets and rules, built once.
#[derive(Debug, Default)]
pub struct EmergencyMatcher {
    _private: (),
}

impl EmergencyMatcher {
    pub fn new() -> Self {
        Self { _private: () }
    }

    /// Assesses the patient's `text`; `context` holds the earlier turns, oldest first.
    pub fn assess(&self, _text: &str, _context: &[&str]) -> UrgencyAssessment {
        UrgencyAssessment::default()
    }
}
