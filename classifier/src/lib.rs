//! The triage core of the medical-spa SMS pipeline.
//!
//! Pure and target-agnostic: no I/O, no clock, no unseeded randomness, so the same message gets
//! the same verdict natively (evals, training) and in the wasm32 Worker. Built once from the
//! artifacts bundled with it, then [`Triage::triage`] per message.

mod automaton;
pub mod compliance;
pub mod conversation;
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
pub use conversation::{Attachment, Conversation, Role, Turn, CONTEXT_TURNS};
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

/// The intent model's version: a SHA-256 prefix of its three artifacts (`build.rs`).
pub const MODEL_VERSION: &str = env!("CLASSIFIER_MODEL_VERSION");

/// One fingerprint of everything that decides a verdict: the model, the policy, the lexicons and
/// name lists, and this crate's code (`build.rs`). Two verdicts with the same fingerprint were
/// decided by the same rules; store it with each verdict.
pub const FINGERPRINT: &str = env!("CLASSIFIER_FINGERPRINT");
