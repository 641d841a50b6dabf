//! The one door every outbound message goes through. A message becomes `Cleared` only here, and
//! only `Cleared` messages can be rendered as TwiML (`twilio::twiml::response`) or handed to a
//! REST send, so an opted-out number can get nothing from this system, whatever path produced
//! the text.

use crate::consent::ConsentState;

/// What produced an outbound message (kept in the audit trail).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProducedBy {
    /// The clinic's configured HELP answer.
    HelpText,
    /// The clinic's configured safe answer to a message triage found urgent (`URGENT_REPLY`).
    UrgentSafeReply,
}

impl ProducedBy {
    pub fn as_str(&self) -> &'static str {
        match self {
            ProducedBy::HelpText => "help_text",
            ProducedBy::UrgentSafeReply => "urgent_safe_reply",
        }
    }

    pub fn parse(s: &str) -> Option<ProducedBy> {
        match s {
            "help_text" => Some(ProducedBy::HelpText),
            "urgent_safe_reply" => Some(ProducedBy::UrgentSafeReply),
            _ => None,
        }
    }
}

/// A message someone wants to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outbound {
    pub body: String,
    pub produced_by: ProducedBy,
}

/// A message the consent gate let through. The private field means no other module can make one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleared(Outbound);

impl Cleared {
    pub fn body(&self) -> &str {
        &self.0.body
    }

    pub fn produced_by(&self) -> ProducedBy {
        self.0.produced_by
    }
}

/// Why a message was not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suppressed {
    OptedOut,
}

/// The gate: only a number whose consent currently stands gets anything.
pub fn clear(consent: ConsentState, message: Outbound) -> Result<Cleared, Suppressed> {
    match consent {
        ConsentState::OptedIn => Ok(Cleared(message)),
        ConsentState::OptedOut => Err(Suppressed::OptedOut),
    }
}

/// Clears a batch, dropping (and counting) what the gate refuses.
pub fn clear_all(consent: ConsentState, messages: Vec<Outbound>) -> (Vec<Cleared>, usize) {
    let total = messages.len();
    let cleared: Vec<Cleared> = messages
        .into_iter()
        .filter_map(|m| clear(consent, m).ok())
        .collect();
    let suppressed = total - cleared.len();
    (cleared, suppressed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help() -> Outbound {
        Outbound {
            body: "Glow Clinic: call +1 415 555 0100. Reply STOP to opt out.".into(),
            produced_by: ProducedBy::HelpText,
        }
    }

    #[test]
    fn opted_out_numbers_get_nothing() {
        assert_eq!(
            clear(ConsentState::OptedOut, help()),
            Err(Suppressed::OptedOut)
        );
        let (cleared, suppressed) = clear_all(ConsentState::OptedOut, vec![help(), help()]);
        assert!(cleared.is_empty());
        assert_eq!(suppressed, 2);
    }

    #[test]
    fn the_urgent_safe_reply_goes_through_the_same_gate() {
        let safe = Outbound {
            body: "If this is an emergency, call 911.".into(),
            produced_by: ProducedBy::UrgentSafeReply,
        };
        assert_eq!(
            clear(ConsentState::OptedOut, safe.clone()),
            Err(Suppressed::OptedOut)
        );
        let (cleared, _) = clear_all(ConsentState::OptedIn, vec![safe]);
        assert_eq!(cleared[0].produced_by(), ProducedBy::UrgentSafeReply);
        for p in [ProducedBy::HelpText, ProducedBy::UrgentSafeReply] {
            assert_eq!(ProducedBy::parse(p.as_str()), Some(p));
        }
    }
}
