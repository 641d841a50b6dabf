//! What a failed message is told. Every message names its rule (a stable code the UI and the
//! audit trail can key on), where (byte offsets into the body), and what to do. Nothing from the
//! body is quoted unless it comes from a fixed list (a shortener host, a drug name, a redaction
//! token), so a patient's number, email or name can never end up in a log or an error response.

use super::drugs::DrugClass;
use super::encoding::{Encoding, GSM7_SINGLE, UCS2_SINGLE};
use super::placeholders::Placeholder;
use serde::Serialize;
use std::fmt;
use std::ops::Range;

/// Why a message needs opt-out language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OptOutRequired {
    /// CTIA: the first message to a number says how to stop.
    FirstMessage,
    /// CTIA and TCPA practice: every marketing message does.
    Marketing,
}

impl fmt::Display for OptOutRequired {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OptOutRequired::FirstMessage => "the first message to a number",
            OptOutRequired::Marketing => "a marketing message",
        })
    }
}

/// One rule a message breaks. `at` is a byte range into the body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Violation {
    #[error("rule empty_body: the message has no text; write it before saving or sending")]
    EmptyBody,

    #[error(
        "rule control_character: a control or invisible formatting character at bytes {}..{}; \
         remove it (only line breaks are allowed)",
        .at.start, .at.end
    )]
    ControlCharacter { at: Range<usize> },

    #[error(
        "rule too_many_segments: {segments} segments ({encoding}, {units} units) over the \
         clinic's {max}; shorten the message{hint}",
        hint = ucs2_hint(*.encoding, *.first_non_gsm)
    )]
    TooManySegments {
        segments: usize,
        max: u8,
        encoding: Encoding,
        units: usize,
        first_non_gsm: Option<usize>,
    },

    #[error(
        "rule missing_opt_out: {because} must say how to opt out; add \"Reply STOP to opt out\" \
         (Spanish: \"Responde STOP para cancelar\")"
    )]
    MissingOptOut { because: OptOutRequired },

    #[error(
        "rule url_shortener: the public link shortener \"{host}\" at bytes {}..{} gets messages \
         filtered by carriers; link to the clinic's own domain instead",
        .at.start, .at.end
    )]
    UrlShortener {
        at: Range<usize>,
        host: &'static str,
    },

    #[error(
        "rule marketing_phone_number: a phone number at bytes {}..{} is not one of the clinic's \
         numbers; marketing may only show the clinic's own numbers",
        .at.start, .at.end
    )]
    MarketingPhoneNumber { at: Range<usize> },

    #[error(
        "rule marketing_email: an email address at bytes {}..{}; marketing must not carry email \
         addresses, link to the clinic's site instead",
        .at.start, .at.end
    )]
    MarketingEmail { at: Range<usize> },

    #[error(
        "rule marketing_past_date: a full date in the past at bytes {}..{} looks like a date of \
         birth; remove it (an offer's end date is today or later)",
        .at.start, .at.end
    )]
    MarketingPastDate { at: Range<usize> },

    #[error(
        "rule marketing_digit_run: {digits} digits in a row at bytes {}..{} look like an account, \
         card or confirmation number; remove it (write amounts with separators, e.g. 1,500)",
        .at.start, .at.end
    )]
    MarketingDigitRun { at: Range<usize>, digits: usize },

    #[error(
        "rule prescription_drug: \"{drug}\" at bytes {}..{} is a {class}, which carriers block in \
         marketing; {instead}",
        .at.start, .at.end, instead = .class.instead()
    )]
    PrescriptionDrug {
        at: Range<usize>,
        drug: &'static str,
        class: DrugClass,
    },

    #[error(
        "rule unrendered_placeholder: {placeholder} at bytes {}..{}; fill it in or remove it \
         (unrendered or redacted text must never reach a patient)",
        .at.start, .at.end
    )]
    UnrenderedPlaceholder {
        at: Range<usize>,
        placeholder: Placeholder,
    },
}

fn ucs2_hint(encoding: Encoding, first_non_gsm: Option<usize>) -> String {
    match (encoding, first_non_gsm) {
        (Encoding::Ucs2, Some(at)) => format!(
            ", or replace the character at byte {at}, which forces UCS-2 ({UCS2_SINGLE} \
             characters per segment instead of {GSM7_SINGLE})"
        ),
        _ => String::new(),
    }
}

impl Violation {
    /// The rule's stable code (also the `rule` tag of the serialized form).
    pub fn rule(&self) -> &'static str {
        match self {
            Violation::EmptyBody => "empty_body",
            Violation::ControlCharacter { .. } => "control_character",
            Violation::TooManySegments { .. } => "too_many_segments",
            Violation::MissingOptOut { .. } => "missing_opt_out",
            Violation::UrlShortener { .. } => "url_shortener",
            Violation::MarketingPhoneNumber { .. } => "marketing_phone_number",
            Violation::MarketingEmail { .. } => "marketing_email",
            Violation::MarketingPastDate { .. } => "marketing_past_date",
            Violation::MarketingDigitRun { .. } => "marketing_digit_run",
            Violation::PrescriptionDrug { .. } => "prescription_drug",
            Violation::UnrenderedPlaceholder { .. } => "unrendered_placeholder",
        }
    }

    /// The offending text's byte range, for rules about a part of the body.
    pub fn at(&self) -> Option<Range<usize>> {
        match self {
            Violation::EmptyBody
            | Violation::TooManySegments { .. }
            | Violation::MissingOptOut { .. } => None,
            Violation::ControlCharacter { at }
            | Violation::UrlShortener { at, .. }
            | Violation::MarketingPhoneNumber { at }
            | Violation::MarketingEmail { at }
            | Violation::MarketingPastDate { at }
            | Violation::MarketingDigitRun { at, .. }
            | Violation::PrescriptionDrug { at, .. }
            | Violation::UnrenderedPlaceholder { at, .. } => Some(at.clone()),
        }
    }
}
