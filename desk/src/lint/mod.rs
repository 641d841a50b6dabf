//! The outbound content linter: every SMS the clinic sends (automatic replies, HELP, the urgent
//! safe reply, staff-approved drafts, reminders, marketing) passes here before it can be saved as
//! a template or sent. A message that fails cannot be sent; each violation says which rule, where
//! and what to do, so staff can fix the text themselves.
//!
//! The rules protect the clinic's number as much as its patients: carriers filter or block
//! numbers whose traffic looks like spam (public shorteners, prescription drug promotion, no
//! opt-out language), and a leaked redaction token or identifier in a campaign is a privacy
//! incident multiplied by the audience.
//!
//! All rules run on every message and every violation is returned, so one round of edits fixes
//! them all. Pure: the clinic's date comes in through [`Context`].

mod characters;
mod drugs;
mod encoding;
mod identifiers;
mod opt_out;
mod placeholders;
mod shorteners;
mod violation;
mod words;

pub use drugs::DrugClass;
pub use encoding::{
    gsm7_septets, segments, Encoding, SegmentCount, GSM7_PART, GSM7_SINGLE, UCS2_PART, UCS2_SINGLE,
};
pub use identifiers::LONG_DIGIT_RUN;
pub use placeholders::Placeholder;
pub use violation::{OptOutRequired, Violation};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a message is, which decides the rules that apply to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An answer to the patient's own message (automatic, HELP, urgent, staff draft).
    Reply,
    /// A promotion sent to many patients: opt-out language, no identifiers, no Rx drugs.
    Marketing,
    /// An appointment reminder: may carry the date, time and the clinic's number.
    Reminder,
}

/// What the linter needs to know besides the text.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub kind: Kind,
    /// No message has been sent to this number before (CTIA: it must say how to opt out).
    pub first_to_number: bool,
    /// The clinic's cap on segments per message; more fails.
    pub max_segments: u8,
    /// The clinic's own numbers, any format; the only numbers marketing may show.
    pub clinic_numbers: &'a [&'a str],
    /// The clinic's local date: marketing may name today or later (an offer's end), never a past
    /// full date (which looks like a date of birth).
    pub today: NaiveDate,
}

/// What a message that passed costs to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Report {
    pub encoding: Encoding,
    pub segments: usize,
    /// Septets (GSM-7) or UTF-16 code units (UCS-2).
    pub units: usize,
    /// Byte offset of the character that forces UCS-2, if any.
    pub first_non_gsm: Option<usize>,
}

impl From<SegmentCount> for Report {
    fn from(c: SegmentCount) -> Report {
        Report {
            encoding: c.encoding,
            segments: c.segments,
            units: c.units,
            first_non_gsm: c.first_non_gsm,
        }
    }
}

/// Lints `body` for sending in `ctx`. Every violation is returned, message-wide ones first
/// (segments, opt-out), then the rest in body order. An empty body reports only that.
pub fn check(body: &str, ctx: &Context) -> Result<Report, Vec<Violation>> {
    if body.trim().is_empty() {
        return Err(vec![Violation::EmptyBody]);
    }
    let count = segments(body);
    let marketing = ctx.kind == Kind::Marketing;

    let mut whole = Vec::new();
    if count.segments > usize::from(ctx.max_segments) {
        whole.push(Violation::TooManySegments {
            segments: count.segments,
            max: ctx.max_segments,
            encoding: count.encoding,
            units: count.units,
            first_non_gsm: count.first_non_gsm,
        });
    }
    let because = if marketing {
        Some(OptOutRequired::Marketing)
    } else if ctx.first_to_number {
        Some(OptOutRequired::FirstMessage)
    } else {
        None
    };
    if let Some(because) = because {
        if !opt_out::has_instruction(body) {
            whole.push(Violation::MissingOptOut { because });
        }
    }

    let mut parts: Vec<Violation> = Vec::new();
    parts.extend(
        characters::forbidden(body)
            .into_iter()
            .map(|at| Violation::ControlCharacter { at }),
    );
    parts.extend(
        shorteners::find(body)
            .into_iter()
            .map(|(at, host)| Violation::UrlShortener { at, host }),
    );
    parts.extend(
        placeholders::find(body)
            .into_iter()
            .map(|(at, placeholder)| Violation::UnrenderedPlaceholder { at, placeholder }),
    );
    if marketing {
        parts.extend(
            identifiers::find(body, ctx.today, ctx.clinic_numbers)
                .into_iter()
                .map(|(at, found)| match found {
                    identifiers::Found::Email => Violation::MarketingEmail { at },
                    identifiers::Found::Phone => Violation::MarketingPhoneNumber { at },
                    identifiers::Found::PastDate => Violation::MarketingPastDate { at },
                    identifiers::Found::DigitRun(digits) => {
                        Violation::MarketingDigitRun { at, digits }
                    }
                }),
        );
        parts.extend(
            drugs::find(body)
                .into_iter()
                .map(|d| Violation::PrescriptionDrug {
                    at: d.at,
                    drug: d.name,
                    class: d.class,
                }),
        );
    }
    parts.sort_by_key(|v| v.at().map_or(0, |at| at.start));

    whole.extend(parts);
    if whole.is_empty() {
        Ok(count.into())
    } else {
        Err(whole)
    }
}

#[cfg(test)]
mod tests;
