//! Whether an `auto_reply` verdict becomes a message, and which: the one place that joins the
//! triage's decision, the clinic's facts, the templates and the content linter. A reply is sent
//! only when a template renders completely from the facts and passes the linter; anything else
//! (no facts loaded, no template for the language, a missing fact, an unknown or ambiguous
//! service, a linter refusal) goes to a person with the reason's code. Never a guessed answer.

use chrono::{DateTime, NaiveDate, Utc};
use classifier::Intent;

use crate::audit::{Actor, AuditEntry, Entity, Trail};
use crate::clinic::facts::ClinicFacts;
use crate::clinic::matcher::Index;
use crate::clinic::Lang;
use crate::lint;
use crate::outbox::{Purpose, Row, Window};
use crate::templates::{self, TemplateSet};
use crate::triage::{Priority, TriageRecord};
use classifier::Action;

/// The clinic as the Worker loaded it: facts and templates at their versions, with the
/// matcher's index built once per version rather than per message.
pub struct Clinic {
    pub facts: ClinicFacts,
    pub facts_version: u32,
    pub templates: TemplateSet,
    pub tz: chrono_tz::Tz,
    index: Index,
}

/// Why a clinic document could not be used together with its templates.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClinicError {
    #[error("clinic.time_zone is not a time zone of the tz database; use a name like America/Los_Angeles")]
    TimeZone,
}

impl Clinic {
    pub fn new(
        facts: ClinicFacts,
        facts_version: u32,
        templates: TemplateSet,
    ) -> Result<Clinic, ClinicError> {
        let tz = facts
            .clinic
            .time_zone
            .parse::<chrono_tz::Tz>()
            .map_err(|_| ClinicError::TimeZone)?;
        Ok(Clinic {
            index: Index::new(&facts),
            facts,
            facts_version,
            templates,
            tz,
        })
    }

    /// The clinic's local date at `now`.
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.tz).date_naive()
    }

    /// The content linter's verdict on `body` as a reply of this clinic: its segment cap, and its
    /// own numbers (sending numbers and locations' phones) allowed.
    pub fn lint_reply(
        &self,
        body: &str,
        today: NaiveDate,
    ) -> Result<lint::Report, Vec<lint::Violation>> {
        let numbers: Vec<&str> = self
            .facts
            .clinic
            .sending
            .numbers
            .iter()
            .map(String::as_str)
            .chain(self.facts.locations.iter().map(|l| l.phone.as_str()))
            .collect();
        let ctx = lint::Context {
            kind: lint::Kind::Reply,
            // The patient texted first: a reply answers them, it does not start a conversation.
            first_to_number: false,
            max_segments: self.facts.clinic.sending.max_segments,
            clinic_numbers: &numbers,
            today,
        };
        lint::check(body, &ctx)
    }

    /// The window for messages the clinic starts (reminders, follow-ups).
    pub fn window(&self) -> Window {
        Window {
            tz: self.tz,
            start: self.facts.clinic.sending.window_start,
            end: self.facts.clinic.sending.window_end,
        }
    }
}

/// What becomes of an `auto_reply` verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Send this, recording what rendered it.
    Reply {
        body: String,
        template_id: String,
        template_version: u32,
        facts_version: u32,
    },
    /// A person answers; `reason` is a stable code stored on the queue row.
    Person { reason: String },
}

impl Answer {
    fn person(reason: &str) -> Answer {
        Answer::Person {
            reason: reason.to_owned(),
        }
    }
}

/// The language a reply is written in, from the core's tag. A message with no language evidence
/// ("hours?", "C") is answered in English, the clinic's first language; a language no template
/// is written in goes to a person.
pub fn reply_language(tag: Option<&str>) -> Option<Lang> {
    match tag {
        Some("es") => Some(Lang::Es),
        Some("en") | Some("und") | None => Some(Lang::En),
        Some(_) => None,
    }
}

/// The answer to a message triage decided to answer automatically. `redacted` is the message
/// with identifiers replaced (the only text that leaves the core); `intent` and `language` are
/// the triage record's.
pub fn answer(
    clinic: Option<&Clinic>,
    intent: Option<&str>,
    language: Option<&str>,
    redacted: &str,
    now: DateTime<Utc>,
) -> Answer {
    let Some(clinic) = clinic else {
        return Answer::person("no_clinic_facts");
    };
    let Some(intent) = intent.and_then(|i| i.parse::<Intent>().ok()) else {
        return Answer::person("no_intent");
    };
    let Some(lang) = reply_language(language) else {
        return Answer::person("language_without_template");
    };
    let today = clinic.today(now);
    let slots = clinic.index.find(redacted, lang, today);
    let request = templates::Request {
        intent,
        lang,
        text: redacted,
        facts: &clinic.facts,
        slots: &slots,
        today,
    };
    let rendered = match templates::render(&clinic.templates, &request) {
        Ok(r) => r,
        Err(u) => return Answer::person(u.code()),
    };
    if let Err(violations) = clinic.lint_reply(&rendered.body, today) {
        let rule = violations.first().map_or("unknown", |v| v.rule());
        return Answer::Person {
            reason: format!("lint_{rule}"),
        };
    }
    Answer::Reply {
        body: rendered.body,
        template_id: rendered.template_id,
        template_version: rendered.template_version,
        facts_version: clinic.facts_version,
    }
}

/// A reply the outbox will send, with what rendered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReply {
    pub row: Row,
    pub body: String,
    pub template_id: String,
    pub template_version: u32,
    pub facts_version: u32,
}

/// What the verdict batch writes about answering: the outbox row (if a template answered), and
/// the staff queue's view of the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyPlan {
    pub reply: Option<NewReply>,
    /// The action staff see: `draft` when policy would have answered but no template could.
    pub queue_action: Action,
    /// Why a person answers what policy would have answered automatically.
    pub reason: Option<String>,
    pub audit: Vec<AuditEntry>,
}

impl ReplyPlan {
    pub fn priority(&self) -> Priority {
        Priority::of(self.queue_action)
    }
}

/// The answering part of a verdict. `answer` is [`answer`]'s result for an `auto_reply` verdict
/// (`None` for any other action, which this leaves as it is).
pub fn plan(
    sid: &str,
    conversation_id: &str,
    actor: Actor,
    record: &TriageRecord,
    answer: Option<Answer>,
    now: DateTime<Utc>,
) -> ReplyPlan {
    let unchanged = ReplyPlan {
        reply: None,
        queue_action: record.action,
        reason: None,
        audit: Vec::new(),
    };
    if record.action != Action::AutoReply || record.failure.is_some() {
        return unchanged;
    }
    match answer {
        None => ReplyPlan {
            queue_action: Action::Draft,
            reason: Some("no_answer".into()),
            ..unchanged
        },
        Some(Answer::Person { reason }) => ReplyPlan {
            queue_action: Action::Draft,
            reason: Some(reason),
            ..unchanged
        },
        Some(Answer::Reply {
            body,
            template_id,
            template_version,
            facts_version,
        }) => {
            let row = Row::new(sid, Purpose::AutoReply, now);
            let mut trail = Trail::new(actor, conversation_id);
            trail.created(Entity::Outbox, &row.id);
            ReplyPlan {
                audit: trail.into_entries(),
                reply: Some(NewReply {
                    row,
                    body,
                    template_id,
                    template_version,
                    facts_version,
                }),
                ..unchanged
            }
        }
    }
}

/// Every template of the clinic's set rendered against its facts, for each service, product and
/// location it names, and each result put through the linter. Returns `(template id, violated
/// rule)` pairs. A template that does not render for a slot (a missing Spanish text) is not a
/// failure here: at send time it becomes a draft. See [`blocks_saving`] for which rules refuse
/// a document.
pub fn lint_templates(clinic: &Clinic, today: NaiveDate) -> Vec<(String, &'static str)> {
    let facts = &clinic.facts;
    let mut slot_sets = vec![crate::clinic::Slots::default()];
    for s in &facts.services {
        slot_sets.push(crate::clinic::Slots {
            services: vec![s.id.clone()],
            ..Default::default()
        });
    }
    for p in &facts.products {
        slot_sets.push(crate::clinic::Slots {
            products: vec![p.id.clone()],
            ..Default::default()
        });
    }
    for l in &facts.locations {
        slot_sets.push(crate::clinic::Slots {
            location: Some(l.id.clone()),
            ..Default::default()
        });
    }
    let mut failures = Vec::new();
    for t in clinic.templates.templates() {
        for slots in &slot_sets {
            let request = templates::Request {
                intent: t.intent,
                lang: t.lang,
                text: "",
                facts,
                slots,
                today,
            };
            let Ok(r) = templates::render_template(&clinic.templates, t, &request) else {
                continue;
            };
            if let Err(v) = clinic.lint_reply(&r.body, today) {
                for rule in v.iter().map(|v| v.rule()) {
                    if !failures.contains(&(t.id.clone(), rule)) {
                        failures.push((t.id.clone(), rule));
                    }
                }
            }
        }
    }
    failures
}

/// Whether a linter rule found by [`lint_templates`] refuses the document. Every content rule
/// does; the segment cap does not, because whether a reply fits depends on the slot (the whole
/// week's hours for every location, a long aftercare text in Spanish, where one accent makes a
/// segment 67 characters): such a reply goes to a person at send time (`lint_too_many_segments`)
/// and the operator is warned when saving.
pub fn blocks_saving(rule: &str) -> bool {
    rule != "too_many_segments"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clinic() -> Clinic {
        let facts = crate::clinic::validate::parse(include_str!("../../clinics/example.json"))
            .expect("the example clinic validates");
        let set = TemplateSet::parse(templates::DEFAULT_SET, 1).expect("the default set parses");
        Clinic::new(facts, 7, set).expect("a real time zone")
    }

    /// Wednesday 2 December 2026, 10:00 in Los Angeles.
    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-02T18:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn reply(a: &Answer) -> &str {
        match a {
            Answer::Reply { body, .. } => body,
            Answer::Person { reason } => panic!("expected a reply, went to a person: {reason}"),
        }
    }

    #[test]
    fn hours_on_a_named_day_come_from_the_facts() {
        let c = clinic();
        let a = answer(
            Some(&c),
            Some("hours_location"),
            Some("en"),
            "what time do you open saturday?",
            now(),
        );
        let body = reply(&a);
        assert!(body.contains(&c.facts.clinic.name), "{body}");
        assert!(
            body.to_lowercase().contains("sat"),
            "Saturday's hours, not the week's: {body}"
        );
        let Answer::Reply {
            facts_version,
            template_version,
            ..
        } = a
        else {
            unreachable!()
        };
        assert_eq!((facts_version, template_version), (7, 1));
    }

    #[test]
    fn a_price_in_english_and_in_spanish() {
        let c = clinic();
        let en = answer(
            Some(&c),
            Some("pricing"),
            Some("en"),
            "how much is lip filler",
            now(),
        );
        assert!(reply(&en).contains('$'), "{}", reply(&en));
        let es = answer(
            Some(&c),
            Some("pricing"),
            Some("es"),
            "cuanto cuesta el relleno de labios",
            now(),
        );
        let body = reply(&es);
        assert!(body.contains('$'), "{body}");
        assert_ne!(
            reply(&en),
            body,
            "the Spanish question gets the Spanish answer"
        );
    }

    #[test]
    fn what_cannot_be_rendered_goes_to_a_person_with_a_reason() {
        let c = clinic();
        let unknown = answer(
            Some(&c),
            Some("pricing"),
            Some("en"),
            "how much is a tummy tuck",
            now(),
        );
        assert!(matches!(unknown, Answer::Person { .. }), "{unknown:?}");
        assert_eq!(
            answer(None, Some("pricing"), Some("en"), "how much", now()),
            Answer::person("no_clinic_facts")
        );
        assert_eq!(
            answer(Some(&c), Some("pricing"), Some("vi"), "bao nhieu", now()),
            Answer::person("language_without_template")
        );
        assert_eq!(
            answer(Some(&c), Some("not_an_intent"), Some("en"), "x", now()),
            Answer::person("no_intent")
        );
    }

    #[test]
    fn the_default_templates_pass_the_linter_with_the_example_clinic() {
        let c = clinic();
        let failures = lint_templates(&c, c.today(now()));
        let blocking: Vec<_> = failures.iter().filter(|(_, r)| blocks_saving(r)).collect();
        assert!(blocking.is_empty(), "{blocking:?}");
        // A clinic that allows one segment gets warned about nearly every template.
        let mut tight = clinic();
        tight.facts.clinic.sending.max_segments = 1;
        let warned = lint_templates(&tight, tight.today(now()));
        assert!(warned.len() > 10);
        assert!(warned.iter().all(|(_, r)| *r == "too_many_segments"));
    }

    #[test]
    fn a_template_promising_a_shortened_link_is_refused() {
        let mut c = clinic();
        let doc = templates::DEFAULT_SET.replace(
            "See you soon! - {{clinic}}",
            "Map: bit.ly/glow - {{clinic}}",
        );
        c.templates = TemplateSet::parse(&doc, 2).expect("still a valid set");
        let failures = lint_templates(&c, c.today(now()));
        assert!(
            failures
                .iter()
                .any(|(_, r)| *r == "url_shortener" && blocks_saving(r)),
            "{failures:?}"
        );
    }

    #[test]
    fn languages_map_to_templates() {
        assert_eq!(reply_language(Some("es")), Some(Lang::Es));
        assert_eq!(reply_language(Some("und")), Some(Lang::En));
        assert_eq!(reply_language(Some("fr")), None);
    }

    #[test]
    fn the_example_clinic_has_senders_and_a_window() {
        let c = clinic();
        assert!(!c.facts.clinic.sending.numbers.is_empty());
        assert!(c.window().start < c.window().end);
        assert_eq!(
            c.today(now()),
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
        );
    }
}
