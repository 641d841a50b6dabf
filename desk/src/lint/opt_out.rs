//! Whether a body tells the patient how to opt out (CTIA: the first message to a number and every
//! marketing message must).
//!
//! Recognised: an opt-out keyword written in capitals as a whole word, and either
//! - an instruction verb just before it ("Reply STOP", "Text the word STOP", "Responde STOP",
//!   "envía STOP"), for keywords that say what they do (STOP, STOPALL, UNSUBSCRIBE, OPTOUT), or
//! - its purpose just after ("STOP to end", "END to opt out", "STOP para darte de baja"), which is
//!   the only form accepted for CANCEL, END, QUIT and REVOKE: "Reply CANCEL to cancel your
//!   appointment" does opt the patient out, but does not tell them so.
//!
//! The keyword must be one the inbound side honours (`classifier::compliance`), so a message can
//! never promise a keyword that does nothing: Spanish "BAJA" is not honoured there, so "envía
//! BAJA" is not an opt-out instruction until it is ("Responde STOP para cancelar" is). Lower case
//! "stop" never counts: "stop by anytime" is an invitation.

use super::words::words;
use classifier::compliance::{carrier_keyword, KeywordKind};

/// Keywords whose meaning is opt-out even with only "Reply" before them.
const SELF_EXPLANATORY: &[&str] = &["STOP", "STOPALL", "UNSUBSCRIBE", "OPTOUT"];

/// Words that tell the patient to send something (lower case; accents in both spellings since
/// phones and staff drop them).
const VERBS: &[&str] = &[
    "reply",
    "respond",
    "text",
    "txt",
    "send",
    "msg",
    "message",
    "type",
    "responde",
    "responda",
    "responder",
    "contesta",
    "conteste",
    "contestar",
    "envía",
    "envia",
    "envíe",
    "envie",
    "enviar",
    "escribe",
    "escriba",
    "escribir",
    "manda",
    "mande",
    "mandar",
    "textea",
];

/// Words allowed between the verb and the keyword ("Reply with the word STOP").
const FILLERS: &[&str] = &[
    "with", "the", "word", "back", "us", "keyword", "just", "simply", "con", "la", "palabra", "el",
    "nos", "solo", "sólo",
];

/// Purposes after any opt-out keyword, as lower-case word sequences.
const PURPOSES: &[&[&str]] = &[
    &["to", "opt", "out"],
    &["to", "optout"],
    &["to", "unsubscribe"],
    &["to", "unsub"],
    &["to", "end"],
    &["to", "stop"],
    &["to", "quit"],
    &["to", "be", "removed"],
    &["para", "darte", "de", "baja"],
    &["para", "darse", "de", "baja"],
    &["para", "darle", "de", "baja"],
    &["para", "dar", "de", "baja"],
    &["para", "no", "recibir"],
    &["para", "dejar", "de", "recibir"],
    &["para", "salir"],
    &["para", "terminar"],
    &["para", "anular"],
];

/// Purposes accepted after a self-explanatory keyword only ("STOP to cancel" is clear; "CANCEL to
/// cancel" is not).
const SELF_EXPLANATORY_PURPOSES: &[&[&str]] = &[&["to", "cancel"], &["para", "cancelar"]];

/// How many words back the verb may be ("Reply with the word STOP").
const LOOKBACK: usize = 4;

/// Whether `body` contains an opt-out instruction the carrier and our inbound side both honour.
pub(super) fn has_instruction(body: &str) -> bool {
    let words = words(body);
    words.iter().enumerate().any(|(i, (_, word))| {
        if !is_opt_out_keyword(word) {
            return false;
        }
        let after = &words[i + 1..];
        let explains = SELF_EXPLANATORY.contains(word);
        followed_by(after, PURPOSES)
            || (explains
                && (followed_by(after, SELF_EXPLANATORY_PURPOSES) || after_verb(&words[..i])))
    })
}

fn is_opt_out_keyword(word: &str) -> bool {
    word.chars().all(|c| c.is_ascii_uppercase())
        && carrier_keyword(word).is_some_and(|k| k.kind == KeywordKind::OptOut)
}

fn followed_by(after: &[(usize, &str)], phrases: &[&[&str]]) -> bool {
    phrases.iter().any(|phrase| {
        phrase.len() <= after.len()
            && phrase
                .iter()
                .zip(after)
                .all(|(want, (_, got))| got.to_lowercase() == *want)
    })
}

fn after_verb(before: &[(usize, &str)]) -> bool {
    for (_, word) in before.iter().rev().take(LOOKBACK) {
        let word = word.to_lowercase();
        if VERBS.contains(&word.as_str()) {
            return true;
        }
        if !FILLERS.contains(&word.as_str()) {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognised_instructions() {
        for body in [
            "Reply STOP to opt out",
            "Text STOP to unsubscribe",
            "STOP to end",
            "Msg&data rates may apply. Reply HELP for help, STOP to cancel.",
            "Reply 'STOP' to opt-out.",
            "Reply with the word STOP.",
            "REPLY STOP TO OPT OUT",
            "Responde STOP para cancelar",
            "envía STOP si no deseas más mensajes",
            "Envia STOP",
            "STOP para darte de baja",
            "Reply END to opt out",
            "QUIT to stop receiving texts",
            "Text UNSUBSCRIBE anytime",
            "Reply STOPALL to stop all messages",
            "Hi!\nReply STOP to opt out",
        ] {
            assert!(has_instruction(body), "{body}");
        }
    }

    #[test]
    fn not_instructions() {
        for body in [
            "",
            "stop by anytime",
            "Stop by anytime",
            "STOP BY ANYTIME",
            "Reply stop to opt out",
            "Reply Stop to opt out",
            "Reply CANCEL to cancel your appointment",
            "Reply END",
            "TEXT US TO STOP BY",
            "Don't STOP now",
            "Reply STOPPING to opt out",
            "Reply HELP for help",
            // Not honoured by the inbound side (classifier::compliance), so not an instruction.
            "Envía BAJA para darte de baja",
            "Reply NO to opt out",
            "Call us to STOP",
            "Reply to this text and we will STOP",
        ] {
            assert!(!has_instruction(body), "{body}");
        }
    }
}
