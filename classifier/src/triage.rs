//! The one entry point: build once, then triage each conversation.

use crate::conversation::Conversation;
use crate::phi::Redactor;
use crate::urgency::EmergencyMatcher;
use crate::verdict::{Action, IntentPrediction, Reason, Scored, Urgency, UrgencySource, Verdict};
use crate::{compliance, Intent};

/// Why a [`Triage`] could not be built from its artifacts.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("the intent model artifacts are invalid ({0}); rebuild them with `make train`")]
    Model(String),
    #[error("the policy configuration is invalid: {0}")]
    Policy(String),
}

/// Why a conversation could not be triaged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TriageError {
    #[error("the conversation has no turns: give at least the patient's message")]
    Empty,
    #[error(
        "the last turn is the clinic's: triage reads the patient's message, which must come last"
    )]
    LastTurnNotPatient,
}

/// The triage pipeline, built once from the artifacts bundled with the crate.
pub struct Triage {
    redactor: Redactor,
    matcher: EmergencyMatcher,
}

impl Triage {
    /// Builds every recognizer, automaton and model bundled with the crate.
    pub fn bundled() -> Result<Self, BuildError> {
        Ok(Self {
            redactor: Redactor::new(),
            matcher: EmergencyMatcher::new(),
        })
    }

    /// Triages the conversation's last turn, which must be the patient's.
    pub fn triage(&self, conversation: &Conversation) -> Result<Verdict, TriageError> {
        let text = match conversation.turns.last() {
            None => return Err(TriageError::Empty),
            Some(_) => conversation
                .last_patient_text()
                .ok_or(TriageError::LastTurnNotPatient)?,
        };
        let texts: Vec<&str> = conversation.turns.iter().map(|t| t.text.as_str()).collect();
        let mut redacted = self.redactor.redact_conversation(&texts);
        let last = redacted.pop().unwrap_or_else(|| self.redactor.redact(text));
        let context = &texts[..texts.len() - 1];
        let assessment = self.matcher.assess(text, context);
        let keyword = compliance::carrier_keyword(text);
        let urgent = assessment.is_urgent();
        let (action, reasons) = if urgent {
            (
                Action::Urgent,
                vec![Reason {
                    code: "urgent",
                    detail: "emergency language matched".into(),
                }],
            )
        } else if keyword.is_some() {
            (
                Action::Compliance,
                vec![Reason {
                    code: "carrier_keyword",
                    detail: String::new(),
                }],
            )
        } else {
            (
                Action::Escalate,
                vec![Reason {
                    code: "no_model",
                    detail: String::new(),
                }],
            )
        };
        Ok(Verdict {
            redacted_text: last.text,
            phi: last.findings,
            compliance: keyword,
            urgency: Urgency {
                urgent,
                source: urgent.then_some(UrgencySource::Phrase),
                matches: assessment.matches,
                set_aside: assessment.set_aside,
                model_probability: 0.0,
            },
            intent: IntentPrediction {
                label: Intent::Other,
                confidence: 0.0,
                top3: vec![Scored {
                    intent: Intent::Other,
                    probability: 0.0,
                }],
            },
            action,
            reasons,
        })
    }
}
