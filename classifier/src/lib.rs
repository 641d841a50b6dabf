//! The triage core of the medical-spa SMS pipeline.
//!
//! Pure and target-agnostic: no I/O, no clock, no unseeded randomness, so the same message gets
//! the same verdict natively (evals, training) and in the wasm32 Worker. Built once from the
//! artifacts bundled with it, then [`Triage::triage`] per message.

pub mod compliance;
pub mod conversation;
pub mod fixture;
mod fnv;
pub mod intent;
pub mod language;
#[cfg(feature = "model")]
pub mod model;
pub mod phi;
pub mod policy;
#[cfg(test)]
mod test_corpus;
pub mod text;
pub mod urgency;

pub use compliance::{carrier_keyword, Keyword, KeywordKind};
pub use conversation::{Conversation, Role, Turn};
pub use intent::Intent;
pub use language::{Identifier, Language, LanguageGuess};
pub use phi::{Finding, PhiKind, Redacted, Redactor};
pub use urgency::{EmergencyMatcher, Sign, UrgencyAssessment};
pub mod triage;
pub mod verdict;

#[cfg(feature = "model")]
pub use triage::Artifacts;
pub use triage::{BuildError, Triage, TriageError};
pub use verdict::{Action, IntentPrediction, Reason, Scored, Urgency, UrgencySource, Verdict};
