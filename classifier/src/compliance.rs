//! Carrier compliance keywords: the words Twilio and the carriers act on by themselves.
//!
//! Twilio matches a keyword only when it is the whole body ("Stop" opts out, "stop texting me
//! about the sale" does not), ignoring case. We also ignore spacing and punctuation ("Stop.",
//! "S T O P", "opt-out") because a patient who typed those meant the keyword, and honouring an
//! opt-out too eagerly costs a resend while ignoring one breaks the law.

use serde::{Deserialize, Serialize};

/// What a keyword asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeywordKind {
    OptOut,
    OptIn,
    Help,
}

/// A matched carrier keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keyword {
    pub kind: KeywordKind,
    /// The canonical keyword, upper case, as Twilio lists it.
    pub word: &'static str,
}

impl Keyword {
    /// `YES` opts a number back in only while it is opted out; otherwise it is an ordinary reply
    /// (usually a confirmation), and the caller decides with the consent state it holds.
    pub fn opts_in_only_when_opted_out(&self) -> bool {
        self.word == "YES"
    }
}

const KEYWORDS: &[(&str, KeywordKind)] = &[
    ("STOP", KeywordKind::OptOut),
    ("STOPALL", KeywordKind::OptOut),
    ("UNSUBSCRIBE", KeywordKind::OptOut),
    ("CANCEL", KeywordKind::OptOut),
    ("END", KeywordKind::OptOut),
    ("QUIT", KeywordKind::OptOut),
    ("REVOKE", KeywordKind::OptOut),
    ("OPTOUT", KeywordKind::OptOut),
    ("START", KeywordKind::OptIn),
    ("YES", KeywordKind::OptIn),
    ("UNSTOP", KeywordKind::OptIn),
    ("HELP", KeywordKind::Help),
    ("INFO", KeywordKind::Help),
];

/// The longest keyword; longer bodies are rejected before any allocation.
const MAX_FOLDED_LEN: usize = 11;

/// The carrier keyword a whole message body is, if any.
pub fn carrier_keyword(body: &str) -> Option<Keyword> {
    // Bodies that are mostly letters longer than any keyword cannot match: stop early so the
    // per-message cost stays flat for long texts.
    let mut folded = String::with_capacity(MAX_FOLDED_LEN);
    for c in body.chars() {
        if c.is_alphanumeric() {
            if folded.len() >= MAX_FOLDED_LEN {
                return None;
            }
            folded.extend(c.to_uppercase());
        } else if !(c.is_whitespace() || c.is_ascii_punctuation() || is_ignorable_symbol(c)) {
            // An emoji or other symbol makes it a sentence, not a keyword ("stop 😂").
            return None;
        }
    }
    KEYWORDS
        .iter()
        .find(|(word, _)| *word == folded)
        .map(|(word, kind)| Keyword { kind: *kind, word })
}

/// Typographic punctuation that phones substitute for ASCII (curly quotes, dashes, ellipsis).
fn is_ignorable_symbol(c: char) -> bool {
    matches!(
        c,
        '\u{2018}'
            | '\u{2019}'
            | '\u{201C}'
            | '\u{201D}'
            | '\u{2013}'
            | '\u{2014}'
            | '\u{2026}'
            | '¡'
            | '¿'
    )
}

/// Twilio's `OptOutType` parameter (sent with Advanced Opt-Out), which is authoritative when
/// present because the Messaging Service may have custom keywords we do not know.
pub fn opt_out_type(value: &str) -> Option<KeywordKind> {
    match value.trim().to_ascii_uppercase().as_str() {
        "STOP" => Some(KeywordKind::OptOut),
        "START" => Some(KeywordKind::OptIn),
        "HELP" => Some(KeywordKind::Help),
        _ => None,
    }
}

/// The carrier keyword of `text`, decided once for the Worker's consent ledger and the triage:
/// `YES` opts a number in only while it is opted out, and is otherwise an ordinary reply (usually
/// a confirmation). `opted_out` is the consent state the caller holds; without one (fixtures,
/// evals), the clinic's last message stands in for it: `YES` after an opt-out confirmation.
pub fn keyword_in_context(
    text: &str,
    opted_out: Option<bool>,
    last_clinic_text: Option<&str>,
) -> Option<Keyword> {
    carrier_keyword(text).filter(|k| {
        !k.opts_in_only_when_opted_out()
            || opted_out.unwrap_or_else(|| last_clinic_text.is_some_and(confirms_opt_out))
    })
}

/// Whether a clinic message is the opt-out confirmation after which a bare `YES` opts back in.
/// Not the footer every reminder carries ("Reply STOP to opt out"): only words that say the
/// number is now unsubscribed, or how to come back.
pub fn confirms_opt_out(clinic_text: &str) -> bool {
    const CUES: &[&str] = &[
        "unsubscribed",
        "opted out",
        "opted-out",
        "no longer receive",
        "no more messages",
        "reply start",
        "text start",
        "responde start",
        "responda start",
        "dado de baja",
        "no recibira",
        "no recibiras",
        "no mas mensajes",
        "resubscribe",
    ];
    let folded = crate::text::fold(clinic_text);
    CUES.iter().any(|c| folded.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_match_the_whole_body_ignoring_case_spacing_and_punctuation() {
        let cases: &[(&str, Option<(KeywordKind, &str)>)] = &[
            ("STOP", Some((KeywordKind::OptOut, "STOP"))),
            ("sToP", Some((KeywordKind::OptOut, "STOP"))),
            ("  stop.  ", Some((KeywordKind::OptOut, "STOP"))),
            ("Stop!!", Some((KeywordKind::OptOut, "STOP"))),
            ("stop all", Some((KeywordKind::OptOut, "STOPALL"))),
            ("Opt-out", Some((KeywordKind::OptOut, "OPTOUT"))),
            ("opt out", Some((KeywordKind::OptOut, "OPTOUT"))),
            ("Unsubscribe", Some((KeywordKind::OptOut, "UNSUBSCRIBE"))),
            ("cancel", Some((KeywordKind::OptOut, "CANCEL"))),
            ("END", Some((KeywordKind::OptOut, "END"))),
            ("quit", Some((KeywordKind::OptOut, "QUIT"))),
            ("revoke", Some((KeywordKind::OptOut, "REVOKE"))),
            ("START", Some((KeywordKind::OptIn, "START"))),
            ("un-stop", Some((KeywordKind::OptIn, "UNSTOP"))),
            ("Yes", Some((KeywordKind::OptIn, "YES"))),
            ("help", Some((KeywordKind::Help, "HELP"))),
            ("INFO?", Some((KeywordKind::Help, "INFO"))),
            ("\u{201C}Stop\u{201D}", Some((KeywordKind::OptOut, "STOP"))),
            ("cancel my appt", None),
            ("stop texting me about the sale", None),
            ("please stop", None),
            ("stop 😂", None),
            ("stopp", None),
            ("", None),
            ("yes I'll be there", None),
            ("helpppp", None),
            ("information", None),
        ];
        for (body, want) in cases {
            let got = carrier_keyword(body).map(|k| (k.kind, k.word));
            assert_eq!(got, *want, "body {body:?}");
        }
    }

    #[test]
    fn yes_is_conditional_and_start_is_not() {
        assert!(carrier_keyword("yes").is_some_and(|k| k.opts_in_only_when_opted_out()));
        assert!(carrier_keyword("start").is_some_and(|k| !k.opts_in_only_when_opted_out()));
    }

    #[test]
    fn only_an_opt_out_confirmation_makes_yes_an_opt_in() {
        assert!(confirms_opt_out("You have been unsubscribed and will receive no more messages. Reply START to resubscribe."));
        assert!(confirms_opt_out(
            "Se ha dado de baja. Responda START para volver."
        ));
        assert!(!confirms_opt_out(
            "Reminder: Botox tomorrow at 2pm. Reply C to confirm."
        ));
        assert!(!confirms_opt_out(
            "Reminder: Botox tomorrow at 2pm. Reply YES to confirm. Reply STOP to opt out."
        ));
    }

    #[test]
    fn yes_is_decided_by_the_consent_state_when_the_caller_holds_one() {
        let reminder = "Botox tomorrow at 2pm. Reply YES to confirm. Reply STOP to opt out.";
        let confirmation = "You have been unsubscribed. Reply START to resubscribe.";
        let kind = |text: &str, opted_out: Option<bool>, clinic: Option<&str>| {
            keyword_in_context(text, opted_out, clinic).map(|k| k.kind)
        };
        // The state wins over the clinic's words, either way.
        assert_eq!(kind("Yes", Some(false), Some(confirmation)), None);
        assert_eq!(
            kind("Yes", Some(true), Some(reminder)),
            Some(KeywordKind::OptIn)
        );
        // Without a state, the clinic's last message stands in for it.
        assert_eq!(kind("Yes", None, Some(reminder)), None);
        assert_eq!(
            kind("yes", None, Some(confirmation)),
            Some(KeywordKind::OptIn)
        );
        assert_eq!(kind("yes", None, None), None);
        // The other keywords do not depend on the state.
        assert_eq!(kind("STOP", Some(true), None), Some(KeywordKind::OptOut));
        assert_eq!(kind("start", Some(false), None), Some(KeywordKind::OptIn));
        assert_eq!(kind("HELP", None, None), Some(KeywordKind::Help));
    }

    #[test]
    fn opt_out_type_is_read_case_insensitively() {
        assert_eq!(opt_out_type("STOP"), Some(KeywordKind::OptOut));
        assert_eq!(opt_out_type("start"), Some(KeywordKind::OptIn));
        assert_eq!(opt_out_type(" Help "), Some(KeywordKind::Help));
        assert_eq!(opt_out_type("other"), None);
    }
}
