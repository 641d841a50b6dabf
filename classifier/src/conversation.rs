//! The conversation shape the whole pipeline shares: the contract's fixture turns.
//!
//! The last turn is the patient's message under triage; earlier turns are context, because a bare
//! "C" or "2" only means something after the clinic's reminder or offered slots.

use serde::{Deserialize, Serialize};

/// Who wrote a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Patient,
    Clinic,
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    pub role: Role,
    pub text: String,
}

impl Turn {
    pub fn patient(text: impl Into<String>) -> Self {
        Self {
            role: Role::Patient,
            text: text.into(),
        }
    }
    pub fn clinic(text: impl Into<String>) -> Self {
        Self {
            role: Role::Clinic,
            text: text.into(),
        }
    }
}

/// The turns of one conversation, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    pub turns: Vec<Turn>,
}

impl Conversation {
    pub fn new(turns: Vec<Turn>) -> Self {
        Self { turns }
    }

    /// A conversation of one patient message and no context.
    pub fn single(text: impl Into<String>) -> Self {
        Self {
            turns: vec![Turn::patient(text)],
        }
    }

    /// The message under triage: the last turn, when a patient wrote it.
    pub fn last_patient_text(&self) -> Option<&str> {
        match self.turns.last() {
            Some(t) if t.role == Role::Patient => Some(t.text.as_str()),
            _ => None,
        }
    }

    /// The most recent clinic turn before the message under triage, which decides what a short
    /// reply such as "C", "yes" or "2" answers.
    pub fn last_clinic_text(&self) -> Option<&str> {
        let n = self.turns.len();
        self.turns[..n.saturating_sub(1)]
            .iter()
            .rev()
            .find(|t| t.role == Role::Clinic)
            .map(|t| t.text.as_str())
    }
}
