//! The Worker's side of triage: the classifier is built once per isolate and run on each
//! non-keyword inbound message after it is stored. Everything here is pure (the classifier does
//! the work; this module turns its verdict into what the store keeps and the queue orders), so it
//! is tested natively; the clock is passed in because `js_sys::Date` exists only in the runtime.
//!
//! The outcome is a [`TriageRecord`] whether triage worked or not: a build or input failure is
//! recorded with its code and escalated to staff, so a message is never left unread because the
//! model could not run.

use std::sync::OnceLock;

use classifier::{Action, BuildError, Conversation, Triage, TriageError, Turn, Verdict};

use crate::twilio::form::MediaRef;
use serde::{Deserialize, Serialize};

/// Earlier turns handed to the classifier as context (oldest first, then the message). Its
/// emergency matcher reads at most six, and the intent model only the clinic's last message, so
/// more would be read from D1 and decrypted for nothing.
pub const CONTEXT_TURNS: usize = 6;

/// The bundled model's version: a SHA-256 prefix of its three artifacts, computed by `build.rs`
/// (the classifier exposes no version of its own for the model).
pub const MODEL_VERSION: &str = env!("MEDSPA_MODEL_VERSION");

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
    /// Time spent in `Triage::triage` by the runtime's clock (coarse in Workers: see README).
    pub triage_ms: f64,
}

impl TriageRecord {
    pub fn priority(&self) -> Priority {
        Priority::of(self.action)
    }

    /// The failure record: nothing read, a person decides.
    fn failed(failure: TriageFailure, policy_version: Option<u32>) -> TriageRecord {
        TriageRecord {
            failure: Some(failure),
            redacted_text: None,
            phi: Vec::new(),
            intent: None,
            confidence: None,
            top3_json: "[]".into(),
            urgent: false,
            urgency_source: None,
            matches: Vec::new(),
            model_emergency_p: None,
            action: Action::Escalate,
            reasons_json: serde_json::json!([{ "code": failure.code(), "detail": "" }]).to_string(),
            policy_version,
            model_version: MODEL_VERSION,
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
            triage_ms,
        }
    }
}

/// Triages the patient's `text` after the `history` turns (oldest first) with the isolate's
/// classifier. Never fails: a failure becomes an escalated record with its code.
/// The text the classifier reads for an inbound message: its body, then one marker per
/// attachment ("[attachment: photo]"). The classifier never sees the media, so without a marker
/// a photo with "here it is" or an empty body could be answered by a template; with one, the
/// policy's attachment guard sends it to a person. Only the media's top-level type is read, and
/// mapped to a fixed word, so nothing the sender controls is added to the text.
pub fn text_with_attachments(body: &str, media: &[MediaRef]) -> String {
    if media.is_empty() {
        return body.to_owned();
    }
    let mut text = body.trim_end().to_owned();
    for m in media {
        let kind = match m.content_type.split('/').next().map(str::trim) {
            Some(t) if t.eq_ignore_ascii_case("image") => "photo",
            Some(t) if t.eq_ignore_ascii_case("audio") => "voice memo",
            Some(t) if t.eq_ignore_ascii_case("video") => "video",
            _ => "file",
        };
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str("[attachment: ");
        text.push_str(kind);
        text.push(']');
    }
    text
}

pub fn run(engine: &Engine, history: Vec<Turn>, text: &str, now_ms: fn() -> f64) -> TriageRecord {
    let triage = match &engine.triage {
        Ok(t) => t,
        Err(f) => return TriageRecord::failed(*f, engine.policy_version),
    };
    let mut turns = history;
    turns.push(Turn::patient(text));
    let conversation = Conversation::new(turns);
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
        run(e, history, text, clock)
    }

    #[test]
    fn the_engine_builds_once_and_knows_its_versions() {
        let (a, _) = engine(clock);
        let (b, built) = engine(clock);
        assert!(std::ptr::eq(a, b) && !built);
        assert!(a.triage.is_ok(), "the bundled classifier must build");
        assert!(a.policy_version.is_some());
        assert!(MODEL_VERSION.starts_with("sha256:") && MODEL_VERSION.len() == 19);
    }

    fn media(content_type: &str) -> MediaRef {
        MediaRef {
            url: "https://api.twilio.com/media/ME0".into(),
            content_type: content_type.into(),
        }
    }

    #[test]
    fn attachments_are_named_by_type_and_never_auto_replied() {
        let photo = [media("image/jpeg")];
        assert_eq!(text_with_attachments("", &[]), "");
        assert_eq!(text_with_attachments("hi ", &[]), "hi ");
        assert_eq!(text_with_attachments("", &photo), "[attachment: photo]");
        assert_eq!(
            text_with_attachments("here you go ", &[media("AUDIO/amr"), media("text/vcard")]),
            "here you go [attachment: voice memo] [attachment: file]"
        );
        assert_eq!(
            text_with_attachments("x", &[media("video/mp4; codecs=x]"), media("")]),
            "x [attachment: video] [attachment: file]"
        );
        // "thanks!" alone is a greeting a template answers; with a photo, a person looks.
        assert_eq!(triage(Vec::new(), "thanks!").action, Action::AutoReply);
        for body in ["thanks!", "", "here it is"] {
            let r = triage(Vec::new(), &text_with_attachments(body, &photo));
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
