//! The one entry point: build once, then triage each conversation.

use crate::compliance::{self, Keyword, KeywordKind};
use crate::conversation::{Conversation, CONTEXT_TURNS};
use crate::intent::Intent;
use crate::language::Identifier;
use crate::phi::Redactor;
use crate::policy::{Evidence, PartReading, Policy, PolicyError};
use crate::urgency::{EmergencyMatcher, SetAside};
use crate::verdict::{Action, IntentPrediction, Reason, Scored, Urgency, UrgencySource, Verdict};

/// Why a [`Triage`] could not be built from its artifacts.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[cfg(feature = "model")]
    #[error("the intent model artifacts are invalid: {0}")]
    Model(#[from] crate::model::ModelError),
    #[error(transparent)]
    Policy(#[from] PolicyError),
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

/// The model artifacts bundled into the crate (and so into the Worker).
#[cfg(feature = "model")]
mod bundled {
    pub const WEIGHTS: &[u8] = include_bytes!("../../models/intent/model.safetensors");
    pub const TOKENIZER: &[u8] = include_bytes!("../../models/intent/tokenizer.json");
    pub const CONFIG: &[u8] = include_bytes!("../../models/intent/config.json");
}

/// The contents of the files a [`Triage`] is built from: the model's `model.safetensors`,
/// `tokenizer.json` and `config.json`, and the decision policy's `policy.json`.
#[cfg(feature = "model")]
#[derive(Debug, Clone, Copy)]
pub struct Artifacts<'a> {
    pub weights: &'a [u8],
    pub tokenizer_json: &'a [u8],
    pub config_json: &'a [u8],
    pub policy_json: &'a str,
}

/// The triage pipeline, built once from the artifacts bundled with the crate.
pub struct Triage {
    redactor: Redactor,
    matcher: EmergencyMatcher,
    identifier: Identifier,
    policy: Policy,
    #[cfg(feature = "model")]
    model: crate::model::IntentModel,
}

impl std::fmt::Debug for Triage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Triage")
            .field("policy_version", &self.policy.version)
            .finish_non_exhaustive()
    }
}

impl Triage {
    /// Builds every recognizer, automaton and model bundled with the crate.
    pub fn bundled() -> Result<Self, BuildError> {
        #[cfg(feature = "model")]
        return Self::from_artifacts(&Self::bundled_artifacts());
        #[cfg(not(feature = "model"))]
        return Ok(Self {
            redactor: Redactor::new(),
            matcher: EmergencyMatcher::new(),
            identifier: Identifier::new(),
            policy: Policy::bundled()?,
        });
    }

    /// Builds the pipeline around a candidate model and policy instead of the bundled ones, so
    /// a model can be scored before it ships (`evals run --model DIR --policy FILE`). The bytes
    /// are the artifacts' file contents; every one is validated as the bundled ones are.
    #[cfg(feature = "model")]
    pub fn from_artifacts(artifacts: &Artifacts<'_>) -> Result<Self, BuildError> {
        Ok(Self {
            redactor: Redactor::new(),
            matcher: EmergencyMatcher::new(),
            identifier: Identifier::new(),
            policy: Policy::from_json(artifacts.policy_json)?,
            model: crate::model::IntentModel::from_artifacts(
                artifacts.weights,
                artifacts.tokenizer_json,
                artifacts.config_json,
            )?,
        })
    }

    /// The bundled artifacts' bytes, for tools that start from them and replace one.
    #[cfg(feature = "model")]
    pub fn bundled_artifacts() -> Artifacts<'static> {
        Artifacts {
            weights: bundled::WEIGHTS,
            tokenizer_json: bundled::TOKENIZER,
            config_json: bundled::CONFIG,
            policy_json: crate::policy::BUNDLED,
        }
    }

    /// Triages the conversation's last turn, which must be the patient's.
    pub fn triage(&self, conversation: &Conversation) -> Result<Verdict, TriageError> {
        if conversation.turns.is_empty() {
            return Err(TriageError::Empty);
        }
        if conversation.turns.len() > CONTEXT_TURNS + 1 {
            // Every reader below sees the same window, whatever the caller loaded.
            return self.triage(&Conversation {
                turns: conversation.window().to_vec(),
                opted_out: conversation.opted_out,
            });
        }
        let text = conversation
            .last_patient_text()
            .ok_or(TriageError::LastTurnNotPatient)?;
        let texts: Vec<&str> = conversation.turns.iter().map(|t| t.text.as_str()).collect();
        let context = &texts[..texts.len() - 1];

        // Redact first: nothing below may need the raw text except the local rule matchers.
        let mut redacted = self.redactor.redact_conversation(&texts);
        let last = redacted.pop().unwrap_or_else(|| self.redactor.redact(text));
        let clinic_index = conversation.turns[..texts.len() - 1]
            .iter()
            .rposition(|t| t.role == crate::Role::Clinic);
        let redacted_clinic = clinic_index
            .and_then(|i| redacted.get(i))
            .map(|r| r.text.as_str());

        let keyword = compliance::keyword_in_context(
            text,
            conversation.opted_out,
            conversation.last_clinic_text(),
        );
        let assessment = self.matcher.assess(text, context);

        // On the redacted text: a patient's or provider's name says nothing of the language
        // the message is written in ("Confirmed. Nguyễn Thị Hằng").
        let language = self.conversation_language(&last.text, &redacted);
        let reading = self.read(&last.text, redacted_clinic);
        let probabilities = reading.as_ref().map(|(p, _)| p.as_slice());
        let ranked = rank(probabilities);

        let (action, reasons, model_urgent) = match keyword {
            Some(k) => (
                Action::Compliance,
                vec![Reason {
                    code: "carrier_keyword",
                    detail: format!("the whole message is {}", k.word),
                }],
                false,
            ),
            None => {
                // The guards read the redacted text: a name is no cue ("soy Dolores" is not
                // "dolor"), and what they match is never a patient's identifier.
                let folded = crate::text::fold(&last.text);
                let negated_symptoms = assessment
                    .set_aside
                    .iter()
                    .any(|(_, why)| *why == SetAside::Negated);
                let reads_blind = || self.reads_blind(&last.text);
                // Asked by more than one guard: the cue pass runs once.
                let named = std::cell::OnceCell::new();
                let concepts = || named.get_or_init(|| self.concepts(&last.text)).clone();
                let slipped = || self.concepts_through_slips(&last.text);
                let parts = || self.read_parts(&last.text);
                let evidence = Evidence {
                    folded: &folded,
                    clinic: conversation.last_clinic_text(),
                    probabilities,
                    auto_ok: reading.as_ref().map(|(_, a)| *a),
                    phrase_urgent: assessment.is_urgent(),
                    negated_symptoms,
                    reads_blind: &reads_blind,
                    concepts: &concepts,
                    concepts_through_slips: &slipped,
                    language,
                    medical_cue: assessment.medical_cue,
                    identifiers: crate::phi::any_to_act_on(text, &last.findings),
                    parts: &parts,
                    attachments: conversation.last_attachments(),
                };
                let d = self.policy.decide(&evidence, &ranked);
                (d.action, d.reasons, d.model_urgent || d.language_urgent)
            }
        };

        let urgent = action == Action::Urgent;
        // Urgent for its language alone (a symptom word the model cannot read), the message
        // keeps the model's intent: it is not known to be an emergency.
        let emergency_read = urgent && !reasons.iter().any(|r| r.code == "language_medical");
        let mut intent = intent_prediction(keyword, emergency_read, &ranked);
        intent.auto_ok = reading.as_ref().map_or(0.0, |(_, a)| *a);
        let model_probability = probabilities.map_or(0.0, |p| {
            p.get(Intent::Emergency.index()).copied().unwrap_or(0.0)
        });
        let source = if !urgent {
            None
        } else if model_urgent {
            Some(UrgencySource::Model)
        } else if assessment
            .matches
            .iter()
            .any(|m| m.source == crate::urgency::MatchSource::Phrase)
        {
            Some(UrgencySource::Phrase)
        } else {
            Some(UrgencySource::Rule)
        };
        Ok(Verdict {
            redacted_text: last.text,
            phi: last.findings,
            compliance: keyword,
            urgency: Urgency {
                urgent,
                source,
                matches: assessment.matches,
                set_aside: assessment.set_aside,
                model_probability,
            },
            intent,
            language,
            action,
            reasons,
        })
    }

    /// The model's intent probabilities (in the contract's order) and its `auto_ok` probability.
    #[cfg(feature = "model")]
    fn read(
        &self,
        redacted_patient: &str,
        redacted_clinic: Option<&str>,
    ) -> Option<(Vec<f32>, f32)> {
        let reading = self
            .model
            .read(&self.model.features(redacted_patient, redacted_clinic));
        // Reorder into the contract's order, whatever order the model's labels are stored in.
        let mut ordered = vec![0.0; Intent::ALL.len()];
        for (label, p) in self.model.labels().iter().zip(reading.intents) {
            ordered[label.index()] = p;
        }
        Some((ordered, reading.auto_ok))
    }

    /// The language of the patient's message; a message with little evidence of its own
    /// ("Confirmado 👍", "ok") takes the language of the conversation's recent turns when one of
    /// them is clearly in a language the model was not trained on: a patient answering a
    /// Portuguese reminder, or writing on after a Vietnamese message, writes in that language.
    fn conversation_language(
        &self,
        redacted_patient: &str,
        earlier: &[crate::phi::Redacted],
    ) -> crate::language::LanguageGuess {
        const CLEAR: f32 = 0.75;
        let own = self.identifier.identify(redacted_patient);
        let min = self.policy.unsupported_language_confidence;
        if own.is_unsupported(min) || own.confidence >= CLEAR {
            return own;
        }
        earlier
            .iter()
            .rev()
            .take(3)
            .map(|t| self.identifier.identify(&t.text))
            .find(|g| g.is_unsupported(min.max(0.6)))
            .map_or(own, |g| crate::language::LanguageGuess {
                language: g.language,
                confidence: min,
            })
    }

    /// The model's reading of each request of a message that joins several, read alone (the
    /// redacted text split where the policy's guards find a join).
    #[cfg(feature = "model")]
    fn read_parts(&self, redacted_patient: &str) -> Vec<PartReading> {
        let folded = crate::text::fold(redacted_patient);
        self.policy
            .request_parts(&folded)
            .into_iter()
            .filter_map(|range| {
                let part = folded.get(range)?;
                let (probabilities, auto_ok) = self.read(part, None)?;
                let top = rank(Some(&probabilities)).first().copied()?;
                Some(PartReading {
                    intent: top.intent,
                    probability: top.probability,
                    auto_ok,
                    asks: crate::policy::guards::asks_something(part),
                    says_who: crate::policy::guards::says_who_only(part, || {
                        self.model.concepts(part)
                    }),
                    follows_on: crate::policy::guards::follows_on(part),
                    stops_to_visit: crate::policy::guards::stops_only_to_visit(part),
                })
            })
            .collect()
    }

    #[cfg(not(feature = "model"))]
    fn read_parts(&self, _redacted_patient: &str) -> Vec<PartReading> {
        Vec::new()
    }

    #[cfg(feature = "model")]
    fn reads_blind(&self, redacted_patient: &str) -> bool {
        self.model.reads_blind(redacted_patient)
    }

    #[cfg(feature = "model")]
    fn concepts(&self, redacted_patient: &str) -> Option<Vec<&'static str>> {
        Some(self.model.concepts(redacted_patient))
    }

    #[cfg(feature = "model")]
    fn concepts_through_slips(&self, redacted_patient: &str) -> Option<Vec<&'static str>> {
        Some(self.model.concepts_through_slips(redacted_patient))
    }

    /// Without a model there are no cue lists (and no automatic reply to keep).
    #[cfg(not(feature = "model"))]
    fn concepts(&self, _redacted_patient: &str) -> Option<Vec<&'static str>> {
        None
    }

    #[cfg(not(feature = "model"))]
    fn concepts_through_slips(&self, _redacted_patient: &str) -> Option<Vec<&'static str>> {
        None
    }

    /// Without a model every message reaches a person anyway.
    #[cfg(not(feature = "model"))]
    fn reads_blind(&self, _redacted_patient: &str) -> bool {
        false
    }

    #[cfg(not(feature = "model"))]
    fn read(
        &self,
        _redacted_patient: &str,
        _redacted_clinic: Option<&str>,
    ) -> Option<(Vec<f32>, f32)> {
        None
    }
}

/// Intents by probability, most probable first.
fn rank(probabilities: Option<&[f32]>) -> Vec<Scored> {
    let Some(probabilities) = probabilities else {
        return Vec::new();
    };
    let mut ranked: Vec<Scored> = Intent::ALL
        .iter()
        .zip(probabilities)
        .map(|(intent, p)| Scored {
            intent: *intent,
            probability: *p,
        })
        .collect();
    ranked.sort_by(|a, b| b.probability.total_cmp(&a.probability));
    ranked
}

/// The reported intent: a carrier keyword's intent is certain; an urgent message is an
/// emergency whatever the model's first choice; otherwise the model's reading.
fn intent_prediction(
    keyword: Option<Keyword>,
    urgent: bool,
    ranked: &[Scored],
) -> IntentPrediction {
    let top3: Vec<Scored> = ranked.iter().take(3).copied().collect();
    let forced = keyword
        .map(|k| match k.kind {
            KeywordKind::OptOut => Intent::OptOut,
            KeywordKind::OptIn => Intent::OptIn,
            KeywordKind::Help => Intent::Help,
        })
        .or(urgent.then_some(Intent::Emergency));
    match (forced, ranked.first()) {
        (Some(label), _) => {
            let confidence = if keyword.is_some() {
                1.0
            } else {
                ranked
                    .iter()
                    .find(|s| s.intent == label)
                    .map_or(0.0, |s| s.probability)
            };
            IntentPrediction {
                label,
                confidence,
                top3,
                auto_ok: 0.0,
            }
        }
        (None, Some(top)) => IntentPrediction {
            label: top.intent,
            confidence: top.probability,
            top3,
            auto_ok: 0.0,
        },
        (None, None) => IntentPrediction {
            label: Intent::Other,
            confidence: 0.0,
            top3,
            auto_ok: 0.0,
        },
    }
}
