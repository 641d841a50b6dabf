//! Reply templates: when triage decides a message can be answered automatically, the answer is
//! a template filled only from the clinic's facts and the message's slots.
//!
//! A template is chosen by intent, topic ([`topic`]: hours, address or parking within
//! `hours_location`, ...) and language; its `{{placeholders}}` come from a fixed vocabulary
//! ([`placeholder`]), each allowed only where the request can fill it. A set is checked as a
//! whole when parsed ([`set`]) and versioned by the store, and [`render`] returns either the
//! reply with the template id and version that produced it, or [`Unrendered`] with a stable
//! code: then staff answer, never a guessed price or hour.
//!
//! `templates/default.json` is the set a clinic starts from, in English and Spanish.

mod body;
pub mod format;
pub mod placeholder;
mod render;
mod resolve;
pub mod set;
pub mod topic;

#[cfg(test)]
mod render_tests;
#[cfg(test)]
mod test_facts;

pub use body::BodyError;
pub use placeholder::Placeholder;
pub use render::{render, render_template, Rendered, Request, Unrendered};
pub use set::{SetError, Template, TemplateSet, NEVER_AUTOMATIC};
pub use topic::Topic;

/// The default template set (`desk/templates/default.json`), bundled so a new clinic answers
/// from day one; it is stored as version 1 of the clinic's set, then edited as new versions.
pub const DEFAULT_SET: &str = include_str!("../../templates/default.json");
