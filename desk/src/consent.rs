//! Consent decisions: what an inbound message does to a number's consent. Pure; the ledger that
//! records each change lives in `store::consent`, and enforcement lives in `outbound`.
//!
//! Keywords come from `classifier::compliance` (Twilio's defaults, whole-body match). When
//! Twilio sends `OptOutType` (Advanced Opt-Out) it wins, because the Messaging Service may have
//! custom keywords we do not know and Twilio has already acted on them.

use classifier::compliance::{keyword_in_context, opt_out_type, KeywordKind};
use serde::{Deserialize, Serialize};

/// A number's consent. A number we have never heard from is opted in: it texted the clinic first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ConsentState {
    #[default]
    OptedIn,
    OptedOut,
}

impl ConsentState {
    pub fn as_str(&self) -> &'static str {
        match self {
            ConsentState::OptedIn => "opted_in",
            ConsentState::OptedOut => "opted_out",
        }
    }

    pub fn parse(s: &str) -> Option<ConsentState> {
        match s {
            "opted_in" => Some(ConsentState::OptedIn),
            "opted_out" => Some(ConsentState::OptedOut),
            _ => None,
        }
    }
}

/// Where the keyword was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeywordSource {
    Body,
    OptOutType,
    /// Twilio refused a send because the patient opted out at the carrier or Messaging
    /// Service (21610): recorded so nothing else is attempted.
    SendError,
}

impl KeywordSource {
    pub fn as_str(&self) -> &'static str {
        match self {
            KeywordSource::Body => "body",
            KeywordSource::OptOutType => "opt_out_type",
            KeywordSource::SendError => "send_error",
        }
    }
}

/// A consent change to record in the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentChange {
    pub new_state: ConsentState,
    /// The canonical keyword (`STOP`, `START`, ...).
    pub keyword: String,
    pub source: KeywordSource,
}

/// What one inbound message means for consent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decision {
    /// A ledger entry, when the message opted out or in.
    pub change: Option<ConsentChange>,
    /// The patient asked for help (answered only if the gate allows).
    pub help: bool,
}

impl Decision {
    /// Whether the message is a carrier keyword (opt-out, opt-in or help). Keyword messages are
    /// answered by the consent rules alone and never triaged: "STOP" is not a question for staff.
    pub fn is_keyword(&self) -> bool {
        self.change.is_some() || self.help
    }

    /// The consent that holds after this message.
    pub fn state_after(&self, before: ConsentState) -> ConsentState {
        self.change.as_ref().map_or(before, |c| c.new_state)
    }
}

/// Decides from the current state, the body, and Twilio's `OptOutType` if it was sent.
pub fn decide(current: ConsentState, body: &str, opt_out_type_param: Option<&str>) -> Decision {
    let (kind, word, source) =
        match opt_out_type_param.and_then(|v| opt_out_type(v).map(|k| (k, v))) {
            Some((kind, v)) => (
                kind,
                v.trim().to_ascii_uppercase(),
                KeywordSource::OptOutType,
            ),
            // The core decides what a keyword means in this state, as it does in triage.
            None => match keyword_in_context(body, Some(current == ConsentState::OptedOut), None) {
                Some(k) => (k.kind, k.word.to_string(), KeywordSource::Body),
                None => return Decision::default(),
            },
        };
    let change = |new_state| ConsentChange {
        new_state,
        keyword: word.clone(),
        source,
    };
    match kind {
        KeywordKind::OptOut => Decision {
            change: Some(change(ConsentState::OptedOut)),
            help: false,
        },
        KeywordKind::OptIn => Decision {
            change: Some(change(ConsentState::OptedIn)),
            help: false,
        },
        KeywordKind::Help => Decision {
            change: None,
            help: true,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::ConsentState::{OptedIn, OptedOut};
    use super::*;

    #[test]
    fn stop_start_help() {
        let d = decide(OptedIn, "Stop.", None);
        assert_eq!(d.state_after(OptedIn), OptedOut);
        assert_eq!(d.change.unwrap().keyword, "STOP");
        assert_eq!(
            decide(OptedOut, "start", None).state_after(OptedOut),
            OptedIn
        );
        assert_eq!(
            decide(OptedOut, "UNSTOP", None).state_after(OptedOut),
            OptedIn
        );
        let h = decide(OptedIn, "help", None);
        assert!(h.help && h.change.is_none());
        assert_eq!(
            decide(OptedIn, "stop texting me", None),
            Decision::default()
        );
    }

    #[test]
    fn yes_opts_in_only_while_opted_out() {
        assert_eq!(decide(OptedIn, "yes", None), Decision::default());
        let d = decide(OptedOut, "Yes!", None);
        assert_eq!(d.state_after(OptedOut), OptedIn);
        assert_eq!(d.change.unwrap().keyword, "YES");
    }

    #[test]
    fn opt_out_type_wins_over_the_body() {
        // A custom keyword Twilio knows and we do not.
        let d = decide(OptedIn, "arret", Some("STOP"));
        let c = d.change.unwrap();
        assert_eq!(
            (c.new_state, c.source),
            (OptedOut, KeywordSource::OptOutType)
        );
        let d = decide(OptedOut, "whatever", Some("start"));
        assert_eq!(d.state_after(OptedOut), OptedIn);
        assert!(decide(OptedIn, "aide", Some("HELP")).help);
        // An unknown OptOutType falls back to the body.
        assert_eq!(
            decide(OptedIn, "stop", Some("weird")).state_after(OptedIn),
            OptedOut
        );
    }
}
