//! The clinic's facts: the one document every template answers from. A clinic edits it as JSON
//! (`clinics/example.json` is the committed example `make dev` loads); [`super::validate`] turns
//! the text into these types or into errors that name the field and say what is wrong.
//!
//! Prices are whole cents and times are minutes after midnight by the time the document is
//! validated, so a template can never render a price or an hour that was not written here.
//! Free text a patient reads is [`Localized`]: a template answers in the patient's language only
//! when the clinic wrote that language's text, and otherwise a person answers (never a guess).

use serde::{Deserialize, Serialize};

/// Languages a template can answer in. The facts' free text is written per language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }
}

/// Text a patient reads, per language. English is required; Spanish where the clinic wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    pub en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub es: Option<String>,
}

impl Localized {
    /// The text in `lang`, if the clinic wrote it.
    pub fn get(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::En => Some(self.en.as_str()),
            Lang::Es => self.es.as_deref(),
        }
        .filter(|s| !s.trim().is_empty())
    }
}

/// Words patients use for a service, product or location, per language. Matching is accent-,
/// case- and typo-tolerant (`super::matcher`), so list the words, not their misspellings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Synonyms {
    #[serde(default)]
    pub en: Vec<String>,
    #[serde(default)]
    pub es: Vec<String>,
}

/// The validated document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicFacts {
    pub clinic: Clinic,
    pub locations: Vec<Location>,
    pub services: Vec<Service>,
    pub policies: Policies,
    pub memberships: Vec<Membership>,
    pub financing: Option<Localized>,
    /// How patients can pay ("Visa, Mastercard, Amex, HSA/FSA cards, Cherry financing").
    pub payment_methods: Localized,
    pub products: Vec<Product>,
    pub promotions: Vec<Promotion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clinic {
    pub name: String,
    /// IANA time zone name ("America/Los_Angeles"), checked against the tz database.
    pub time_zone: String,
    pub sending: Sending,
}

/// How the clinic's messages leave: Twilio sender numbers (E.164) or a Messaging Service, the
/// longest message it allows, and the window for messages that do not answer a patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sending {
    /// The clinic's sending numbers, primary first; later ones are backups.
    pub numbers: Vec<String>,
    pub messaging_service_sid: Option<String>,
    /// At most this many SMS segments per message (default 3).
    pub max_segments: u8,
    /// Minutes after local midnight: reminders and follow-ups wait for `[start, end)`.
    pub window_start: u16,
    pub window_end: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// Stable id ("downtown"), used by templates and replies.
    pub id: String,
    pub name: String,
    pub address: String,
    pub phone: String,
    pub parking: Option<Localized>,
    pub synonyms: Synonyms,
    pub hours: WeekHours,
    pub holidays: Vec<Holiday>,
}

/// Opening spans per weekday, Monday first. An empty day is closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekHours(pub [Vec<Span>; 7]);

/// Open from `open` to `close`, minutes after local midnight (`open < close`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub open: u16,
    pub close: u16,
}

/// A date with other hours than its weekday's: closed when `hours` is empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub date: chrono::NaiveDate,
    pub name: String,
    pub hours: Vec<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub id: String,
    pub name: Localized,
    pub synonyms: Synonyms,
    pub duration_minutes: u16,
    pub price: Price,
    pub description: Option<Localized>,
    pub pre_care: Option<Localized>,
    pub aftercare: Option<Localized>,
}

/// A price as the clinic states it, in whole cents. `Consultation` has no number: the template
/// says a consultation sets the price, never a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Price {
    Fixed { cents: u64 },
    From { cents: u64 },
    Range { from_cents: u64, to_cents: u64 },
    PerUnit { cents: u64, unit: PriceUnit },
    Consultation,
}

/// What a per-unit price is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PriceUnit {
    Unit,
    Syringe,
    Area,
    Session,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policies {
    pub cancellation: Localized,
    pub late_arrival: Localized,
    pub deposits: Option<Localized>,
    pub minors: Localized,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub id: String,
    pub name: Localized,
    pub monthly_cents: u64,
    /// What it includes and its terms (cancellation, freezing, sharing), as patients read it.
    pub terms: Localized,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub id: String,
    pub name: String,
    pub synonyms: Synonyms,
    pub cents: Option<u64>,
    pub in_stock: bool,
}

/// A current offer; prescription drugs are never promoted (the linter refuses them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promotion {
    pub id: String,
    pub text: Localized,
    /// Last day of the offer, in the clinic's time zone.
    pub until: Option<chrono::NaiveDate>,
}
