//! What can be wrong with a clinic document. Every problem names the field by its path and says
//! what to do; none repeats the clinic's free text (a synonym or key is quoted at most
//! [`QUOTE_MAX`] characters), so an error can be logged or shown anywhere.

use std::fmt;

/// Longest piece of the document an error quotes; longer text is cut with "...".
pub const QUOTE_MAX: usize = 40;

/// All the problems found in one document, in document order. The caller fixes them in one
/// pass instead of one per attempt.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FactsErrors(pub Vec<FactsError>);

impl FactsErrors {
    pub fn iter(&self) -> std::slice::Iter<'_, FactsError> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problem at `path`, if there is one (tests and tools point at a field).
    pub fn at(&self, path: &str) -> Option<&Problem> {
        self.0.iter().find(|e| e.path == path).map(|e| &e.problem)
    }
}

impl fmt::Display for FactsErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, error) in self.0.iter().enumerate() {
            if n > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

/// One problem and where: `path` is like `services[2].price` or
/// `locations[0].hours.saturday[1]`; `document` when the text is not a JSON object at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {problem}")]
pub struct FactsError {
    pub path: String,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("not valid JSON ({kind}) at line {line}, column {column}; fix the syntax there (a missing comma, quote or bracket is the usual cause)")]
    Syntax {
        kind: &'static str,
        line: usize,
        column: usize,
    },
    #[error("is missing; add it ({expected})")]
    Missing { expected: &'static str },
    #[error("is not a field here; remove it or correct its spelling{}", did_you_mean(.suggestion))]
    UnknownField { suggestion: Option<&'static str> },
    #[error("is {found}, but it must be {expected}")]
    WrongType {
        expected: &'static str,
        found: &'static str,
    },
    #[error("is empty; write the text, or leave the field out where it is optional")]
    Empty,
    #[error("is not an amount of dollars; write it like \"650\", \"12.50\" or \"$1,250\"")]
    NotAnAmount,
    #[error("is negative; prices are zero or more")]
    NegativeAmount,
    #[error("has more than two decimals; write cents at most, like \"12.50\"")]
    TooManyDecimals,
    #[error("is too large to be a price; check for extra digits")]
    AmountTooLarge,
    #[error("is not a price; write one of {{\"fixed\": \"199\"}}, {{\"from\": \"150\"}}, {{\"from\": \"500\", \"to\": \"800\"}}, {{\"amount\": \"14\", \"per\": \"unit\"}} or \"consultation\"")]
    PriceForm,
    #[error("is not more than `from`; a range goes from the lower price to the higher (for one price use {{\"fixed\": ...}})")]
    RangeNotIncreasing,
    #[error("is not a unit; use one of \"unit\", \"syringe\", \"area\", \"session\"")]
    UnknownUnit,
    #[error("is not a 24-hour time; write it like \"09:00\" or \"18:30\"")]
    Time,
    #[error("uses am/pm; write 24-hour times, like \"09:00-18:00\" for 9 AM to 6 PM")]
    AmPm,
    #[error("is not an opening span; write it like \"09:00-18:00\"")]
    Span,
    #[error("does not close after it opens; write the opening time first (a span cannot cross midnight: split it at \"24:00\")")]
    SpanBackwards,
    #[error("starts before the previous span ends; list a day's spans in order, without overlaps")]
    SpanOverlap,
    #[error("is not a date; write it as year-month-day, like \"2026-12-25\"")]
    Date,
    #[error("repeats {first}; each must be unique, so change or remove one of them")]
    Duplicate { first: String },
    #[error(
        "is not an IANA time zone; use a name like \"America/Los_Angeles\" or \"America/New_York\""
    )]
    TimeZone,
    #[error("is not an E.164 number; write + then the country code and number, digits only, like \"+14155550190\"")]
    E164,
    #[error("is not a phone number; use 7 to 15 digits with optional + ( ) - . and spaces, like \"(415) 555-0190\"")]
    Phone,
    #[error("is not a Messaging Service SID; it is MG followed by 32 hexadecimal characters, as shown in the Twilio console")]
    MessagingServiceSid,
    #[error(
        "has no sending number and no messaging service; add `numbers` or `messaging_service_sid`"
    )]
    NoSender,
    #[error("must be a whole number from {min} to {max}")]
    OutOfRange { min: u64, max: u64 },
    #[error("is not a valid id; use lowercase letters, digits, _ and - only, like \"lip_filler\"")]
    Id,
    #[error("\"{term}\" also names `{other_id}` ({other_path}); a word can name only one, so remove it from one of them")]
    SharedTerm {
        term: String,
        other_id: String,
        other_path: String,
    },
    #[error("is empty; list at least one")]
    EmptyList,
}

fn did_you_mean(suggestion: &Option<&'static str>) -> String {
    match suggestion {
        Some(s) => format!(" (did you mean `{s}`?)"),
        None => String::new(),
    }
}

/// `text` cut to [`QUOTE_MAX`] characters, with control characters replaced, for quoting a
/// piece of the document in an error.
pub(crate) fn quote(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(QUOTE_MAX)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if text.chars().count() > QUOTE_MAX {
        out.push_str("...");
    }
    out
}
