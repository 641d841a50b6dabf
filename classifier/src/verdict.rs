//! What triage says about one message: everything the Worker stores and acts on, and everything
//! the eval suite scores.

use crate::compliance::Keyword;
use crate::intent::Intent;
use crate::language::LanguageGuess;
use crate::phi::Finding;
use crate::urgency::{SetAside, UrgencyMatch};
use serde::Serialize;

/// What the pipeline does with the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Reply from a versioned template with no person in the loop.
    AutoReply,
    /// An LLM drafts a reply from the redacted text; staff approve, edit or reject it.
    Draft,
    /// Staff handle it themselves.
    Escalate,
    /// A clinician must see it now; the patient gets the safe emergency reply at once.
    Urgent,
    /// A carrier keyword (STOP/START/HELP): consent is updated and the compliance reply sent.
    Compliance,
}

impl Action {
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::AutoReply => "auto_reply",
            Action::Draft => "draft",
            Action::Escalate => "escalate",
            Action::Urgent => "urgent",
            Action::Compliance => "compliance",
        }
    }

    /// Whether the patient gets a reply no person has read. Compliance replies count: they are
    /// automatic, even though their wording is fixed by the carriers.
    pub const fn is_automatic(self) -> bool {
        matches!(self, Action::AutoReply | Action::Compliance)
    }
}

/// Which net caught an emergency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UrgencySource {
    Phrase,
    Rule,
    Model,
}

/// The urgency reading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Urgency {
    pub urgent: bool,
    /// The first net that caught it, if any.
    pub source: Option<UrgencySource>,
    pub matches: Vec<UrgencyMatch>,
    pub set_aside: Vec<(UrgencyMatch, SetAside)>,
    /// The intent model's probability of `emergency`, the second net behind the phrases.
    pub model_probability: f32,
}

/// An intent with its probability.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Scored {
    pub intent: Intent,
    pub probability: f32,
}

/// The intent reading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntentPrediction {
    pub label: Intent,
    pub confidence: f32,
    /// The three most probable intents, most probable first.
    pub top3: Vec<Scored>,
    /// The model's probability that a template reply, unread by staff, would be acceptable
    /// (0 without a model). Kept for the audit trail and for tuning the policy's threshold.
    pub auto_ok: f32,
}

/// Why the policy chose its action; codes are stable for dashboards, details are for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub code: &'static str,
    pub detail: String,
}

/// The triage of one patient message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// The message under triage with every identifier replaced by a typed placeholder: the only
    /// form of the text that leaves the triage core for staff screens, logs or an LLM.
    pub redacted_text: String,
    /// Offsets refer to the original message.
    pub phi: Vec<Finding>,
    /// The carrier keyword the whole message is, if any.
    pub compliance: Option<Keyword>,
    pub urgency: Urgency,
    pub intent: IntentPrediction,
    /// The language the message is written in, as the identifier reads it.
    pub language: LanguageGuess,
    pub action: Action,
    pub reasons: Vec<Reason>,
}
