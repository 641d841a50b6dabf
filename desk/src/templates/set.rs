//! A versioned template set: parsed and checked as a whole, so a set that is stored can render
//! every template it holds.
//!
//! The document is JSON:
//!
//! ```json
//! {
//!   "comment": "optional, for whoever edits it",
//!   "templates": [
//!     { "id": "hours.en", "intent": "hours_location", "topic": "hours", "lang": "en",
//!       "body": "Hi! Our hours: {{hours}}. - {{clinic}}" }
//!   ]
//! }
//! ```
//!
//! The version is not in the document: the store assigns it when a set is saved (a change is a
//! new version), and every reply records the template id and the version it came from, so what
//! a patient was sent can be traced to the exact text that produced it.

use std::collections::HashMap;

use classifier::Intent;
use serde::Deserialize;

use super::body::{self, BodyError, Piece};
use super::placeholder::Placeholder;
use super::topic::{topics_for, Topic};
use crate::clinic::Lang;

/// Intents that always reach a person (the classifier's policy refuses to auto-reply to them),
/// so a template for one is refused too: it could only ever be sent by mistake.
pub const NEVER_AUTOMATIC: [Intent; 5] = [
    Intent::Emergency,
    Intent::SideEffect,
    Intent::Complaint,
    Intent::HumanHandoff,
    Intent::OptOut,
];

/// The longest template id: ids are stored with every reply.
const MAX_ID_LEN: usize = 64;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    #[serde(default)]
    #[allow(dead_code)]
    comment: String,
    templates: Vec<RawTemplate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplate {
    id: String,
    intent: String,
    topic: String,
    lang: String,
    body: String,
}

/// One checked template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub id: String,
    pub intent: Intent,
    pub topic: Topic,
    pub lang: Lang,
    /// The body as written.
    pub body: String,
    pieces: Vec<Piece>,
}

impl Template {
    pub(super) fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    /// The placeholders the body uses, in order.
    pub fn placeholders(&self) -> impl Iterator<Item = Placeholder> + '_ {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Slot(s) => Some(*s),
            Piece::Text(_) => None,
        })
    }
}

/// A parsed set: at most one template per (intent, topic, language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSet {
    version: u32,
    templates: Vec<Template>,
}

/// Why a template set was refused. Templates are named by their position in `templates`
/// (from 0) and their id; nothing here quotes a body beyond the offending placeholder's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetError {
    #[error("the template set is not JSON of the set's shape ({0}): it is an object with \"templates\", a list of {{id, intent, topic, lang, body}}")]
    Json(String),
    #[error("the template set has no templates: add at least one")]
    Empty,
    #[error("template #{index}: the id must be 1-{MAX_ID_LEN} characters of a-z, 0-9, '.', '_' or '-' (it is stored with every reply)")]
    BadId { index: usize },
    #[error("template #{index} ({id:?}): the id is already used by template #{first}; give each template its own id")]
    DuplicateId {
        index: usize,
        id: String,
        first: usize,
    },
    #[error("template #{index} ({id:?}): {intent:?} is not an intent; use one of the contract's names, e.g. hours_location, pricing, aftercare")]
    UnknownIntent {
        index: usize,
        id: String,
        intent: String,
    },
    #[error("template #{index} ({id:?}): {intent} always reaches a person (as do emergency, side_effect, complaint, human_handoff and opt_out), so it cannot have a template; remove it")]
    NeverAutomatic {
        index: usize,
        id: String,
        intent: Intent,
    },
    #[error(
        "template #{index} ({id:?}): {topic:?} is not a topic of {intent}; use one of: {allowed}"
    )]
    UnknownTopic {
        index: usize,
        id: String,
        intent: Intent,
        topic: String,
        allowed: String,
    },
    #[error(
        "template #{index} ({id:?}): language {lang:?} is not supported; use \"en\" or \"es\""
    )]
    UnknownLang {
        index: usize,
        id: String,
        lang: String,
    },
    #[error("template #{index} ({id:?}): the body is empty; write the reply")]
    EmptyBody { index: usize, id: String },
    #[error("template #{index} ({id:?}): {source}")]
    Body {
        index: usize,
        id: String,
        #[source]
        source: BodyError,
    },
    #[error("template #{index} ({id:?}): {placeholder} cannot be filled in a {topic} reply; use one of: {allowed}")]
    NotForTopic {
        index: usize,
        id: String,
        placeholder: Placeholder,
        topic: Topic,
        allowed: String,
    },
    #[error("template #{index} ({id:?}): template {other:?} already answers {intent} / {topic} in {}; keep one of them", .lang.as_str())]
    Duplicate {
        index: usize,
        id: String,
        other: String,
        intent: Intent,
        topic: Topic,
        lang: Lang,
    },
}

impl TemplateSet {
    /// Parses and checks a set; `version` is the one the store assigned it.
    pub fn parse(json: &str, version: u32) -> Result<TemplateSet, SetError> {
        let document: Document =
            serde_json::from_str(json).map_err(|e| SetError::Json(e.to_string()))?;
        if document.templates.is_empty() {
            return Err(SetError::Empty);
        }
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut keys: HashMap<(Intent, Topic, Lang), usize> = HashMap::new();
        let mut templates: Vec<Template> = Vec::with_capacity(document.templates.len());
        for (index, raw) in document.templates.into_iter().enumerate() {
            let template = check(index, raw)?;
            if let Some(&first) = ids.get(&template.id) {
                return Err(SetError::DuplicateId {
                    index,
                    id: template.id,
                    first,
                });
            }
            let key = (template.intent, template.topic, template.lang);
            if let Some(&other) = keys.get(&key) {
                return Err(SetError::Duplicate {
                    index,
                    other: templates[other].id.clone(),
                    id: template.id,
                    intent: key.0,
                    topic: key.1,
                    lang: key.2,
                });
            }
            ids.insert(template.id.clone(), index);
            keys.insert(key, index);
            templates.push(template);
        }
        Ok(TemplateSet { version, templates })
    }

    pub fn version(&self) -> u32 {
        self.version
    }

    pub fn templates(&self) -> &[Template] {
        &self.templates
    }

    /// The template answering `topic` of `intent` in `lang`, if the set has one.
    pub fn find(&self, intent: Intent, topic: Topic, lang: Lang) -> Option<&Template> {
        self.templates
            .iter()
            .find(|t| t.intent == intent && t.topic == topic && t.lang == lang)
    }

    /// Every (intent, topic, language) among `intents` the set has no template for: what an
    /// editor must add before those intents can be answered automatically.
    pub fn gaps(&self, intents: &[Intent]) -> Vec<(Intent, Topic, Lang)> {
        intents
            .iter()
            .flat_map(|i| topics_for(*i).iter().map(move |t| (*i, *t)))
            .flat_map(|(i, t)| Lang::ALL.into_iter().map(move |l| (i, t, l)))
            .filter(|(i, t, l)| self.find(*i, *t, *l).is_none())
            .collect()
    }
}

fn check(index: usize, raw: RawTemplate) -> Result<Template, SetError> {
    let RawTemplate {
        id,
        intent,
        topic,
        lang,
        body,
    } = raw;
    let id_ok = !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        });
    if !id_ok {
        return Err(SetError::BadId { index });
    }
    let Ok(intent) = intent.parse::<Intent>() else {
        return Err(SetError::UnknownIntent { index, id, intent });
    };
    if NEVER_AUTOMATIC.contains(&intent) {
        return Err(SetError::NeverAutomatic { index, id, intent });
    }
    let allowed = topics_for(intent);
    let Some(topic) = Topic::parse(&topic).filter(|t| allowed.contains(t)) else {
        return Err(SetError::UnknownTopic {
            index,
            id,
            intent,
            topic,
            allowed: allowed
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        });
    };
    let Some(lang) = Lang::parse(&lang) else {
        return Err(SetError::UnknownLang { index, id, lang });
    };
    if body.trim().is_empty() {
        return Err(SetError::EmptyBody { index, id });
    }
    let pieces = match body::parse(&body) {
        Ok(pieces) => pieces,
        Err(source) => return Err(SetError::Body { index, id, source }),
    };
    let template = Template {
        id,
        intent,
        topic,
        lang,
        body,
        pieces,
    };
    let misplaced = template.placeholders().find(|p| !p.valid_in(topic));
    if let Some(placeholder) = misplaced {
        return Err(SetError::NotForTopic {
            index,
            id: template.id,
            placeholder,
            topic,
            allowed: Placeholder::list_for(topic),
        });
    }
    Ok(template)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(intent: &str, topic: &str, lang: &str, body: &str) -> String {
        serde_json::json!({ "templates": [
            { "id": "t.1", "intent": intent, "topic": topic, "lang": lang, "body": body }
        ]})
        .to_string()
    }

    fn err(json: &str) -> SetError {
        TemplateSet::parse(json, 1).unwrap_err()
    }

    #[test]
    fn a_good_set_parses_with_its_version_and_finds_templates() {
        let json = r#"{ "comment": "test", "templates": [
            { "id": "hours.en", "intent": "hours_location", "topic": "hours", "lang": "en",
              "body": "{{clinic}}: {{hours}}" },
            { "id": "hours.es", "intent": "hours_location", "topic": "hours", "lang": "es",
              "body": "{{clinic}}: {{hours}}" }
        ]}"#;
        let set = TemplateSet::parse(json, 7).unwrap();
        assert_eq!(set.version(), 7);
        assert_eq!(set.templates().len(), 2);
        let t = set
            .find(Intent::HoursLocation, Topic::Hours, Lang::Es)
            .unwrap();
        assert_eq!(t.id, "hours.es");
        assert_eq!(
            t.placeholders().collect::<Vec<_>>(),
            vec![Placeholder::Clinic, Placeholder::Hours]
        );
        assert!(set
            .find(Intent::HoursLocation, Topic::Address, Lang::En)
            .is_none());
        assert_eq!(
            set.gaps(&[Intent::HoursLocation, Intent::Greeting]),
            vec![
                (Intent::HoursLocation, Topic::Address, Lang::En),
                (Intent::HoursLocation, Topic::Address, Lang::Es),
                (Intent::HoursLocation, Topic::Parking, Lang::En),
                (Intent::HoursLocation, Topic::Parking, Lang::Es),
                (Intent::Greeting, Topic::Welcome, Lang::En),
                (Intent::Greeting, Topic::Welcome, Lang::Es),
            ]
        );
    }

    #[test]
    fn a_topic_is_not_an_intent() {
        let e = err(&one("hours", "hours", "en", "{{hours}}"));
        assert!(
            matches!(&e, SetError::UnknownIntent { index: 0, intent, .. } if intent == "hours")
        );
        let message = e.to_string();
        assert!(message.contains("template #0 (\"t.1\")"), "{message}");
        assert!(message.contains("hours_location"), "{message}");
    }

    #[test]
    fn intents_that_always_reach_a_person_cannot_have_templates() {
        for intent in NEVER_AUTOMATIC {
            let e = err(&one(intent.as_str(), "general", "en", "Hi - {{clinic}}"));
            assert_eq!(
                e,
                SetError::NeverAutomatic {
                    index: 0,
                    id: "t.1".into(),
                    intent
                }
            );
            assert!(e.to_string().contains("always reaches a person"));
        }
        // Intents the policy drafts may have one, for staff to start from.
        assert!(TemplateSet::parse(
            &one("appointment_book", "general", "en", "Hi - {{clinic}}"),
            1
        )
        .is_ok());
    }

    #[test]
    fn the_topic_must_belong_to_the_intent() {
        let e = err(&one("pricing", "hours", "en", "{{clinic}}"));
        match &e {
            SetError::UnknownTopic {
                intent,
                topic,
                allowed,
                ..
            } => {
                assert_eq!(*intent, Intent::Pricing);
                assert_eq!(topic, "hours");
                assert_eq!(allowed, "price");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            err(&one("pricing", "Price", "en", "x")),
            SetError::UnknownTopic { .. }
        ));
        assert!(e.to_string().contains("use one of: price"));
    }

    #[test]
    fn languages_other_than_en_and_es_are_refused() {
        assert!(matches!(
            err(&one("greeting", "welcome", "fr", "Bonjour")),
            SetError::UnknownLang { lang, .. } if lang == "fr"
        ));
        assert!(matches!(
            err(&one("greeting", "welcome", "EN", "Hi")),
            SetError::UnknownLang { .. }
        ));
    }

    #[test]
    fn placeholders_must_be_known_and_fit_the_topic() {
        match err(&one("greeting", "welcome", "en", "Hi {{first_name}}")) {
            SetError::Body {
                source: BodyError::Unknown { name, offset, .. },
                ..
            } => {
                assert_eq!(name, "first_name");
                assert_eq!(offset, 3);
            }
            other => panic!("{other:?}"),
        }
        let e = err(&one(
            "greeting",
            "welcome",
            "en",
            "Hi! {{price}} - {{clinic}}",
        ));
        assert_eq!(
            e,
            SetError::NotForTopic {
                index: 0,
                id: "t.1".into(),
                placeholder: Placeholder::Price,
                topic: Topic::Welcome,
                allowed: "{{clinic}}, {{phone}}".into(),
            }
        );
        assert!(e
            .to_string()
            .contains("{{price}} cannot be filled in a welcome reply"));
        // The same placeholder is fine where the request resolves it.
        assert!(TemplateSet::parse(
            &one("pricing", "price", "en", "{{service}} is {{price}}"),
            1
        )
        .is_ok());
    }

    #[test]
    fn unbalanced_braces_name_the_template_and_offset() {
        let e = err(&one("greeting", "welcome", "en", "Hi! - {{clinic}"));
        assert_eq!(
            e,
            SetError::Body {
                index: 0,
                id: "t.1".into(),
                source: BodyError::Unbalanced { offset: 6 }
            }
        );
        let message = e.to_string();
        assert!(message.contains("template #0 (\"t.1\")"), "{message}");
        assert!(message.contains("character 6"), "{message}");
    }

    #[test]
    fn duplicates_are_refused() {
        let json = r#"{ "templates": [
            { "id": "a", "intent": "greeting", "topic": "welcome", "lang": "en", "body": "Hi" },
            { "id": "b", "intent": "greeting", "topic": "welcome", "lang": "es", "body": "Hola" },
            { "id": "c", "intent": "greeting", "topic": "welcome", "lang": "en", "body": "Hey" }
        ]}"#;
        let e = err(json);
        assert_eq!(
            e,
            SetError::Duplicate {
                index: 2,
                id: "c".into(),
                other: "a".into(),
                intent: Intent::Greeting,
                topic: Topic::Welcome,
                lang: Lang::En
            }
        );
        assert!(e.to_string().contains("greeting / welcome in en"));
        let json = r#"{ "templates": [
            { "id": "a", "intent": "greeting", "topic": "welcome", "lang": "en", "body": "Hi" },
            { "id": "a", "intent": "greeting", "topic": "welcome", "lang": "es", "body": "Hola" }
        ]}"#;
        assert_eq!(
            err(json),
            SetError::DuplicateId {
                index: 1,
                id: "a".into(),
                first: 0
            }
        );
    }

    #[test]
    fn ids_bodies_and_the_document_shape_are_checked() {
        assert_eq!(err(r#"{"templates": []}"#), SetError::Empty);
        assert!(matches!(err("not json"), SetError::Json(_)));
        assert!(
            matches!(err(r#"{"templates": [], "version": 3}"#), SetError::Json(m) if m.contains("version"))
        );
        assert!(matches!(
            err(r#"{"templates": [{"id": "a", "intent": "greeting", "topic": "welcome", "lang": "en"}]}"#),
            SetError::Json(m) if m.contains("body")
        ));
        assert!(matches!(
            err(r#"{"templates": [{"id": "a", "intent": "greeting", "topic": "welcome", "lang": "en", "body": "Hi", "extra": 1}]}"#),
            SetError::Json(m) if m.contains("extra")
        ));
        for bad in ["", "Hours EN", "hours/en", &"x".repeat(65)] {
            let json = serde_json::json!({ "templates": [
                { "id": bad, "intent": "greeting", "topic": "welcome", "lang": "en", "body": "Hi" }
            ]})
            .to_string();
            assert_eq!(err(&json), SetError::BadId { index: 0 }, "{bad:?}");
        }
        assert_eq!(
            err(&one("greeting", "welcome", "en", "  \n ")),
            SetError::EmptyBody {
                index: 0,
                id: "t.1".into()
            }
        );
    }

    #[test]
    fn the_first_bad_template_is_reported_by_position() {
        let json = r#"{ "templates": [
            { "id": "a", "intent": "greeting", "topic": "welcome", "lang": "en", "body": "Hi" },
            { "id": "b", "intent": "greeting", "topic": "welcome", "lang": "es", "body": "{{nombre}}" }
        ]}"#;
        assert!(matches!(err(json), SetError::Body { index: 1, ref id, .. } if id == "b"));
    }
}
