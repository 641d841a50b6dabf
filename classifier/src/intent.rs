//! The contract's 28 intents. The names are a published interface (fixtures, metrics and other
//! tools read them), so they are spelled exactly as `TRIAGE-CONTRACT.md` spells them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! intents {
    ($($variant:ident => $name:literal),+ $(,)?) => {
        /// What the patient wants, one of the contract's 28 intents.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Intent { $($variant),+ }

        impl Intent {
            /// Every intent, in the contract's order; the intent model's label index is this order.
            pub const ALL: &'static [Intent] = &[$(Intent::$variant),+];

            /// The contract's name.
            pub const fn as_str(self) -> &'static str {
                match self { $(Intent::$variant => $name),+ }
            }
        }

        impl FromStr for Intent {
            type Err = UnknownIntent;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s { $($name => Ok(Intent::$variant),)+ _ => Err(UnknownIntent(s.to_owned())) }
            }
        }
    };
}

intents! {
    AppointmentBook => "appointment_book",
    AppointmentReschedule => "appointment_reschedule",
    AppointmentCancel => "appointment_cancel",
    AppointmentConfirm => "appointment_confirm",
    AppointmentStatus => "appointment_status",
    RunningLate => "running_late",
    Waitlist => "waitlist",
    TreatmentInfo => "treatment_info",
    PreCare => "pre_care",
    Aftercare => "aftercare",
    SideEffect => "side_effect",
    Emergency => "emergency",
    ResultsPhoto => "results_photo",
    Pricing => "pricing",
    Promotions => "promotions",
    Billing => "billing",
    Membership => "membership",
    Products => "products",
    HoursLocation => "hours_location",
    Feedback => "feedback",
    Complaint => "complaint",
    HumanHandoff => "human_handoff",
    Greeting => "greeting",
    WrongNumber => "wrong_number",
    OptOut => "opt_out",
    OptIn => "opt_in",
    Help => "help",
    Other => "other",
}

impl Intent {
    /// Position in [`Intent::ALL`], the model's output index.
    pub fn index(self) -> usize {
        Intent::ALL.iter().position(|i| *i == self).unwrap_or(0)
    }
}

impl fmt::Display for Intent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A label that is not one of the contract's intents.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown intent {0:?}: use one of the 28 names in TRIAGE-CONTRACT.md (e.g. appointment_book)"
)]
pub struct UnknownIntent(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_eight_intents_round_trip_through_their_names() {
        assert_eq!(Intent::ALL.len(), 28);
        for (i, intent) in Intent::ALL.iter().enumerate() {
            assert_eq!(intent.as_str().parse::<Intent>(), Ok(*intent));
            assert_eq!(intent.index(), i);
            let json = serde_json::to_string(intent).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", intent.as_str()));
        }
        assert!("appointment".parse::<Intent>().is_err());
    }
}
