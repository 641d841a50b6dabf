//! The Worker's side of triage: the classifier is built once per isolate and run on each
//! non-keyword inbound message after it is stored. Everything here is pure (the classifier does
//! the work; this module turns its verdict into what the store keeps and the queue orders), so it
//! is tested natively; the clock is passed in because `js_sys::Date` exists only in the runtime.
//!
//! The outcome is a [`TriageRecord`] whether triage worked or not: a build or input failure is
//! recorded with its code and escalated to staff, so a message is never left unread because the
//! model could not run.

use std::sync::OnceLock;

use classifier::{
    Action, Attachment, BuildError, Conversation, Triage, TriageError, Turn, Verdict,
};

use serde::{Deserialize, Serialize};

/// Earlier turns loaded for the classifier: as many as it reads, so no more are read from D1
/// and decrypted for nothing.
pub use classifier::CONTEXT_TURNS;

/// The bundled model's version, as the core computes it.
pub use classifier::MODEL_VERSION;

/// Why a message could not be triaged; the code is stored on its triage row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TriageFailure {
    /// `Triage::bundled()` refused the bundled model artifacts: every message escalates.
    #[error("triage_model_invalid")]
    ModelInvalid,
    /// `Triage::bundled()` refused the bundled policy: every message escalates.
    #[error("triage_policy_invalid")]
    PolicyInvalid,
    #[error("triage_empty_conversation")]
    EmptyConversation,
    #[error("triage_last_turn_not_patient")]
    LastTurnNotPatient,
}

impl TriageFailure {
    pub fn code(&self) -> &'static str {
        match self {
            TriageFailure::ModelInvalid => "triage_model_invalid",
            TriageFailure::PolicyInvalid => "triage_policy_invalid",
            TriageFailure::EmptyConversation => "triage_empty_conversation",
            TriageFailure::LastTurnNotPatient => "triage_last_turn_not_patient",
        }
    }
}

impl From<BuildError> for TriageFailure {
    fn from(e: BuildError) -> Self {
        match e {
            BuildError::Model(_) => TriageFailure::ModelInvalid,
            BuildError::Policy(_) => TriageFailure::PolicyInvalid,
        }
    }
}

impl From<TriageError> for TriageFailure {
    fn from(e: TriageError) -> Self {
        match e {
            TriageError::Empty => TriageFailure::EmptyConversation,
            TriageError::LastTurnNotPatient => TriageFailure::LastTurnNotPatient,
        }
    }
}

/// The classifier as built for this isolate, with what the build cost.
pub struct Engine {
    triage: Result<Triage, TriageFailure>,
    /// The bundled policy's version, for the audit trail (`None` if the build failed).
    policy_version: Option<u32>,
    /// Wall time of `Triage::bundled()` by the clock given to [`engine`], in milliseconds.
    pub build_ms: f64,
}

impl Engine {
    /// The build failure's code, or "ok".
    pub fn code(&self) -> &'static str {
        self.triage.as_ref().err().map_or("ok", TriageFailure::code)
    }
}

static ENGINE: OnceLock<Engine> = OnceLock::new();

/// The isolate's classifier, built on first use. Building compiles every regex and automaton
/// and loads the model (tens of milliseconds), so it happens once per isolate, never per request.
/// The second value says whether this call built it (so the caller logs the build time once).
/// A failed build is kept too: the bundled artifacts cannot get better by trying again.
pub fn engine(now_ms: fn() -> f64) -> (&'static Engine, bool) {
    let mut built = false;
    let e = ENGINE.get_or_init(|| {
        built = true;
        let t0 = now_ms();
        let triage = Triage::bundled().map_err(TriageFailure::from);
        let build_ms = now_ms() - t0;
        Engine {
            policy_version: triage.as_ref().ok().and_then(|_| policy_version()),
            triage,
            build_ms,
        }
    });
    (e, built)
}

/// The version field of the bundled policy file (`classifier/config/policy.json`).
fn policy_version() -> Option<u32> {
    #[derive(Deserialize)]
    struct VersionOnly {
        version: u32,
    }
    serde_json::from_str::<VersionOnly>(classifier::policy::BUNDLED)
        .ok()
        .map(|v| v.version)
}

/// Where a message goes in the staff queue: lower is sooner. Urgent first; an automatic reply
/// is not sent yet (templates are later work), so it still waits for a person, last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    Urgent = 0,
    Escalate = 1,
    Draft = 2,
    AutoReply = 3,
}

impl Priority {
    pub fn of(action: Action) -> Priority {
        match action {
            Action::Urgent => Priority::Urgent,
            // Compliance never reaches triage (keywords are handled before it); if the policy
            // ever says so anyway, a person looks.
            Action::Escalate | Action::Compliance => Priority::Escalate,
            Action::Draft => Priority::Draft,
            Action::AutoReply => Priority::AutoReply,
        }
    }

    pub fn rank(self) -> i64 {
        self as i64
    }
}

/// An urgency match without offsets: the sign, how it was found, the lexicon's canonical
/// pattern name (never text of the message).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchCode {
    pub sign: classifier::Sign,
    pub source: classifier::urgency::MatchSource,
    pub pattern: String,
}

/// A PHI finding without the text: what kind, where, which recognizer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhiCode {
    pub kind: classifier::PhiKind,
    pub start: usize,
    pub end: usize,
    pub recognizer: &'static str,
}

/// What one message's triage leaves in the store: the triage row and the queue row.
#[derive(Debug, Clone, PartialEq)]
pub struct TriageRecord {
    /// `None` when triage ran; the failure's code otherwise.
    pub failure: Option<TriageFailure>,
    /// The message with identifiers replaced by placeholders (stored encrypted: see the store).
    pub redacted_text: Option<String>,
    pub phi: Vec<PhiCode>,
    pub intent: Option<&'static str>,
    pub confidence: Option<f32>,
    /// The message's language as the core identified it (BCP-47 tag; "und" when undetermined):
    /// which language an automatic reply is written in.
    pub language: Option<&'static str>,
    /// `[{"intent": .., "probability": ..}]`, most probable first.
    pub top3_json: String,
    pub urgent: bool,
    pub urgency_source: Option<&'static str>,
    pub matches: Vec<MatchCode>,
    pub model_emergency_p: Option<f32>,
    pub action: Action,
    /// `[{"code": .., "detail": ..}]`; details hold numbers and lexicon cues, not message text.
    pub reasons_json: String,
    pub policy_version: Option<u32>,
    pub model_version: &'static str,
    /// Everything that decided the verdict ([`classifier::FINGERPRINT`]).
    pub fingerprint: &'static str,
    /// Time spent in `Triage::triage` by the runtime's clock (coarse in Workers: see README).
    pub triage_ms: f64,
}

impl TriageRecord {
    pub fn priority(&self) -> Priority {
        Priority::of(self.action)
    }

    /// The reasons as codes only (`[{"code": ..}]`): what may be stored in plaintext. A reason's
    /// detail can quote a sensitive cue word (a pregnancy, a minor), so it goes in
    /// [`Self::details_json`], which is stored sealed.
    pub fn reason_codes_json(&self) -> String {
        let codes: Vec<serde_json::Value> =
            serde_json::from_str::<Vec<serde_json::Value>>(&self.reasons_json)
                .unwrap_or_default()
                .iter()
                .map(|r| serde_json::json!({ "code": r.get("code").cloned().unwrap_or_default() }))
                .collect();
        serde_json::Value::from(codes).to_string()
    }

    /// The urgency matches as codes only (`[{"sign": .., "source": ..}]`): a phrase's canonical
    /// text ("want to die") is a cue word, stored sealed with the details.
    pub fn match_codes_json(&self) -> String {
        let codes: Vec<serde_json::Value> = self
            .matches
            .iter()
            .map(|m| serde_json::json!({ "sign": m.sign, "source": m.source }))
            .collect();
        serde_json::Value::from(codes).to_string()
    }

    /// Everything that explains the verdict in words: reasons with their details and the
    /// matched patterns. Stored sealed.
    pub fn details_json(&self) -> String {
        let reasons: serde_json::Value =
            serde_json::from_str(&self.reasons_json).unwrap_or_default();
        serde_json::json!({ "reasons": reasons, "matches": self.matches }).to_string()
    }

    /// The failure record: nothing read, a person decides.
    fn failed(failure: TriageFailure, policy_version: Option<u32>) -> TriageRecord {
        TriageRecord {
            failure: Some(failure),
            redacted_text: None,
            phi: Vec::new(),
            intent: None,
            confidence: None,
            language: None,
            top3_json: "[]".into(),
            urgent: false,
            urgency_source: None,
            matches: Vec::new(),
            model_emergency_p: None,
            action: Action::Escalate,
            reasons_json: serde_json::json!([{ "code": failure.code(), "detail": "" }]).to_string(),
            policy_version,
            model_version: MODEL_VERSION,
            fingerprint: classifier::FINGERPRINT,
            triage_ms: 0.0,
        }
    }

    fn from_verdict(v: Verdict, policy_version: Option<u32>, triage_ms: f64) -> TriageRecord {
        let top3: Vec<_> = v
            .intent
            .top3
            .iter()
            .map(|s| serde_json::json!({ "intent": s.intent.as_str(), "probability": s.probability }))
            .collect();
        let reasons: Vec<_> = v
            .reasons
            .iter()
            .map(|r| serde_json::json!({ "code": r.code, "detail": r.detail }))
            .collect();
        TriageRecord {
            failure: None,
            phi: v
                .phi
                .iter()
                .map(|f| PhiCode {
                    kind: f.kind,
                    start: f.start,
                    end: f.end,
                    recognizer: f.recognizer,
                })
                .collect(),
            redacted_text: Some(v.redacted_text),
            intent: Some(v.intent.label.as_str()),
            confidence: Some(v.intent.confidence),
            language: Some(v.language.language.tag()),
            top3_json: serde_json::Value::from(top3).to_string(),
            urgent: v.urgency.urgent,
            urgency_source: v.urgency.source.map(|s| match s {
                classifier::UrgencySource::Phrase => "phrase",
                classifier::UrgencySource::Rule => "rule",
                classifier::UrgencySource::Model => "model",
            }),
            matches: v
                .urgency
                .matches
                .into_iter()
                .map(|m| MatchCode {
                    sign: m.sign,
                    source: m.source,
                    pattern: m.pattern,
                })
                .collect(),
            model_emergency_p: Some(v.urgency.model_probability),
            action: v.action,
            reasons_json: serde_json::Value::from(reasons).to_string(),
            policy_version,
            model_version: MODEL_VERSION,
            fingerprint: classifier::FINGERPRINT,
            triage_ms,
        }
    }
}

/// The turn the classifier reads for an inbound message: its body, and the kind of each
/// attachment by its content type. The classifier never sees the media; knowing a photo came
/// keeps a template from answering "here it is" or an empty body.
pub fn inbound_turn<'a>(body: &str, content_types: impl IntoIterator<Item = &'a str>) -> Turn {
    Turn::patient(body).with_attachments(
        content_types
            .into_iter()
            .map(Attachment::from_content_type)
            .collect(),
    )
}

/// Triages the patient's `message` after the `history` turns (oldest first) with the isolate's
/// classifier, knowing whether the number is opted out. Never fails: a failure becomes an
/// escalated record with its code.
pub fn run(
    engine: &Engine,
    history: Vec<Turn>,
    message: Turn,
    opted_out: bool,
    now_ms: fn() -> f64,
) -> TriageRecord {
    let triage = match &engine.triage {
        Ok(t) => t,
        Err(f) => return TriageRecord::failed(*f, engine.policy_version),
    };
    let mut turns = history;
    turns.push(message);
    let conversation = Conversation::new(turns).with_consent(opted_out);
    let t0 = now_ms();
    let verdict = triage.triage(&conversation);
    let ms = now_ms() - t0;
    match verdict {
        Ok(v) => TriageRecord::from_verdict(v, engine.policy_version, ms),
        Err(e) => TriageRecord::failed(e.into(), engine.policy_version),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> f64 {
        use std::time::{SystemTime, UNIX_EPOCH};
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    }

    fn triage(history: Vec<Turn>, text: &str) -> TriageRecord {
        let (e, _) = engine(clock);
        run(e, history, Turn::patient(text), false, clock)
    }

    #[test]
    fn yes_to_a_reminder_is_a_reply_unless_the_number_is_opted_out() {
        let (e, _) = engine(clock);
        let reminder = || {
            vec![Turn::clinic(
                "Botox tomorrow at 2pm. Reply YES to confirm. Reply STOP to opt out.",
            )]
        };
        let opted_in = run(e, reminder(), Turn::patient("Yes"), false, clock);
        assert_ne!(opted_in.action, Action::Compliance);
        assert_eq!(opted_in.intent, Some("appointment_confirm"));
        let opted_out = run(e, reminder(), Turn::patient("Yes"), true, clock);
        assert_eq!(opted_out.action, Action::Compliance);
    }

    #[test]
    fn the_engine_builds_once_and_knows_its_versions() {
        let (a, _) = engine(clock);
        let (b, built) = engine(clock);
        assert!(std::ptr::eq(a, b) && !built);
        assert!(a.triage.is_ok(), "the bundled classifier must build");
        assert!(a.policy_version.is_some());
        for version in [MODEL_VERSION, classifier::FINGERPRINT] {
            assert!(
                version.starts_with("sha256:") && version.len() == 19,
                "{version}"
            );
        }
        assert_ne!(MODEL_VERSION, classifier::FINGERPRINT);
    }

    #[test]
    fn attachments_are_typed_and_never_auto_replied() {
        let photo = ["image/jpeg"];
        assert!(inbound_turn("hi", []).attachments.is_empty());
        assert_eq!(
            inbound_turn("here you go", ["AUDIO/amr", "text/vcard"]).attachments,
            vec![Attachment::VoiceMemo, Attachment::File]
        );
        // The body is the patient's words alone: no marker is written into it.
        assert_eq!(inbound_turn("here you go", photo).text, "here you go");
        // "thanks!" alone is a greeting a template answers; with a photo, a person looks.
        assert_eq!(triage(Vec::new(), "thanks!").action, Action::AutoReply);
        let (e, _) = engine(clock);
        for body in ["thanks!", "", "here it is"] {
            let r = run(e, Vec::new(), inbound_turn(body, photo), false, clock);
            assert_eq!(r.failure, None);
            assert_ne!(r.action, Action::AutoReply, "{body:?} with a photo");
        }
    }

    #[test]
    fn an_emergency_is_urgent_first_in_the_queue() {
        let r = triage(
            Vec::new(),
            "my lip is turning white and it really hurts since the filler this morning",
        );
        assert_eq!(r.failure, None);
        assert!(r.urgent);
        assert_eq!(r.action, Action::Urgent);
        assert_eq!(r.priority(), Priority::Urgent);
        assert!(r.urgency_source.is_some() && !r.matches.is_empty());
        assert_eq!(r.intent, Some("emergency"));
        // What is stored in plaintext names signs and codes, never a pattern's words; the
        // words are in the sealed details.
        let codes = r.match_codes_json();
        assert!(
            codes.contains("vascular_occlusion") && !codes.contains("pattern"),
            "{codes}"
        );
        assert!(!r.reason_codes_json().contains("detail"));
        assert!(r.details_json().contains("pattern"));
    }

    #[test]
    fn a_self_harm_phrase_is_stored_as_a_code() {
        let r = triage(Vec::new(), "honestly i want to die, cancel everything");
        assert!(r.urgent);
        for stored in [r.match_codes_json(), r.reason_codes_json()] {
            assert!(!stored.contains("die"), "{stored}");
        }
    }

    #[test]
    fn a_routine_question_is_redacted_and_not_urgent() {
        let r = triage(
            Vec::new(),
            "Can I work out after botox? - Jen Alvarez (415) 555-0134",
        );
        assert!(!r.urgent);
        assert_ne!(r.action, Action::Urgent);
        let text = r.redacted_text.unwrap_or_default();
        assert!(!text.contains("555") && !text.contains("Alvarez"), "{text}");
        assert!(r.phi.iter().any(|p| p.kind == classifier::PhiKind::Phone));
        assert!(r.top3_json.starts_with("[{\"intent\""));
    }

    #[test]
    fn context_turns_are_passed_oldest_first() {
        // A bare "C" answers the clinic's reminder; it must not fail or be read as urgent.
        let r = triage(
            vec![Turn::clinic(
                "Reminder: your appointment is tomorrow at 3pm. Reply C to confirm.",
            )],
            "C",
        );
        assert_eq!(r.failure, None);
        assert!(!r.urgent);
    }

    #[test]
    fn failures_escalate_with_their_code() {
        let r = TriageRecord::failed(TriageFailure::ModelInvalid, None);
        assert_eq!(r.action, Action::Escalate);
        assert_eq!(r.priority(), Priority::Escalate);
        assert!(r.reasons_json.contains("triage_model_invalid"));
        assert_eq!(
            r.reason_codes_json(),
            r#"[{"code":"triage_model_invalid"}]"#
        );
        assert_eq!(
            TriageFailure::from(TriageError::LastTurnNotPatient).code(),
            "triage_last_turn_not_patient"
        );
    }

    #[test]
    fn priorities_put_urgent_first() {
        let mut p = [
            Priority::of(Action::Draft),
            Priority::of(Action::AutoReply),
            Priority::of(Action::Urgent),
            Priority::of(Action::Escalate),
        ];
        p.sort();
        assert_eq!(
            p.map(Priority::rank),
            [0, 1, 2, 3],
            "urgent > escalate > draft > auto_reply"
        );
    }
}
