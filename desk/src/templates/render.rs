//! Rendering: a template filled only from the clinic's facts and the message's slots, or a
//! reason why not.
//!
//! Nothing is guessed. If the set has no template for the question, the facts lack a value the
//! template needs (including its Spanish text), or the message does not name exactly one thing
//! the clinic offers where one is needed, the result is [`Unrendered`]: staff answer, and its
//! [`Unrendered::code`] is stored with their draft so the clinic can see what to add.

use chrono::NaiveDate;
use classifier::Intent;

use super::body::Piece;
use super::format;
use super::resolve;
use super::set::TemplateSet;
use super::topic::{self, Topic};
use crate::clinic::{ClinicFacts, Lang, Slots};

/// What one automatic reply is rendered from.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub intent: Intent,
    pub lang: Lang,
    /// The redacted message; only its words are read, to choose the topic.
    pub text: &'a str,
    pub facts: &'a ClinicFacts,
    pub slots: &'a Slots,
    /// The clinic's local date, for which promotions are current.
    pub today: NaiveDate,
}

/// A reply ready for the outbound checks, with what produced it (stored with the reply).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub body: String,
    pub template_id: String,
    pub template_version: u32,
    pub lang: Lang,
}

/// Why no reply was rendered. Each says what is missing and what the clinic can do; none quotes
/// the patient's message (ids and field paths come from the clinic's own facts).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unrendered {
    #[error(
        "no template answers {intent} / {topic} in {}: add one to the template set to answer \
         these automatically",
        .lang.as_str()
    )]
    NoTemplate {
        intent: Intent,
        topic: Topic,
        lang: Lang,
    },
    #[error(
        "the message asks about several {intent} topics ({}) and a template answers one: \
         staff answer it",
        join_topics(.topics)
    )]
    AmbiguousTopic { intent: Intent, topics: Vec<Topic> },
    #[error(
        "the message names no service the clinic offers: staff answer it; if patients call a \
         service something else, add that word to the service's synonyms"
    )]
    NoService,
    #[error(
        "the message names {count} services and a template answers about one: staff answer it"
    )]
    AmbiguousService { count: usize },
    #[error(
        "the message names no product the clinic sells: staff answer it; if patients call a \
         product something else, add that word to the product's synonyms"
    )]
    NoProduct,
    #[error(
        "the message names {count} products and a template answers about one: staff answer it"
    )]
    AmbiguousProduct { count: usize },
    #[error(
        "the message's slot {slot} names nothing in the clinic's facts (were the facts changed \
         since it was matched?): staff answer it"
    )]
    UnresolvedSlot { slot: String },
    #[error(
        "the clinic's facts have no {field}: write it in the facts to answer these \
         automatically"
    )]
    MissingFact { field: String },
    #[error(
        "the clinic's facts have no promotion running today: add current offers to the facts, \
         or staff answer"
    )]
    NoCurrentPromotion,
    #[error(
        "template {template_id} would send a reply with {{{{ or }}}} left in it (a fact's text \
         contains braces): remove the braces from the facts"
    )]
    PlaceholderLeft { template_id: String },
}

impl Unrendered {
    /// A stable code, stored with the staff draft and counted in metrics.
    pub fn code(&self) -> &'static str {
        match self {
            Unrendered::NoTemplate { .. } => "no_template",
            Unrendered::AmbiguousTopic { .. } => "ambiguous_topic",
            Unrendered::NoService => "no_service",
            Unrendered::AmbiguousService { .. } => "ambiguous_service",
            Unrendered::NoProduct => "no_product",
            Unrendered::AmbiguousProduct { .. } => "ambiguous_product",
            Unrendered::UnresolvedSlot { .. } => "unresolved_slot",
            Unrendered::MissingFact { .. } => "missing_fact",
            Unrendered::NoCurrentPromotion => "no_current_promotion",
            Unrendered::PlaceholderLeft { .. } => "placeholder_left",
        }
    }
}

fn join_topics(topics: &[Topic]) -> String {
    topics
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Renders the reply to `req` from `set`, or says why it cannot.
pub fn render(set: &TemplateSet, req: &Request) -> Result<Rendered, Unrendered> {
    let topic = topic::choose(req.intent, req.text).map_err(|a| Unrendered::AmbiguousTopic {
        intent: a.intent,
        topics: a.topics,
    })?;
    let template = set
        .find(req.intent, topic, req.lang)
        .ok_or(Unrendered::NoTemplate {
            intent: req.intent,
            topic,
            lang: req.lang,
        })?;
    render_template(set, template, req)
}

/// Renders one given template of `set` for `req`, whatever topic the request's text reads as:
/// what checking a whole set (every template against the clinic's facts) needs.
pub fn render_template(
    set: &TemplateSet,
    template: &super::set::Template,
    req: &Request,
) -> Result<Rendered, Unrendered> {
    let mut body = String::new();
    let mut value_ended_sentence = false;
    for piece in template.pieces() {
        match piece {
            Piece::Text(text) => {
                // "{{aftercare}}." after text that already ends "... 24 hours." keeps one period.
                let text = match text.strip_prefix('.') {
                    Some(rest) if value_ended_sentence => rest,
                    _ => text.as_str(),
                };
                body.push_str(text);
                value_ended_sentence = false;
            }
            Piece::Slot(placeholder) => {
                let value = resolve::value(*placeholder, req)?;
                value_ended_sentence = format::ends_sentence(&value);
                body.push_str(&value);
            }
        }
    }
    if body.contains("{{") || body.contains("}}") {
        return Err(Unrendered::PlaceholderLeft {
            template_id: template.id.clone(),
        });
    }
    Ok(Rendered {
        body,
        template_id: template.id.clone(),
        template_version: set.version(),
        lang: req.lang,
    })
}
