//! Which identifiers in a message ask for something to be done with them.
//!
//! A phone number, email, address, card, SSN or ID in a message is usually there to be recorded
//! or looked up ("my new number is...", "gift card 5521 ...", "confirmation # ..."), which a
//! template cannot do, so such a message goes to a person. A phone number that signs the
//! message off after the sender's name ("how much for laser? - Jen 555 201 3344") is not: it is
//! the number the message came from, written out of habit. Names, dates and links are never
//! something to act on by themselves.

use super::{Finding, PhiKind};

/// Whether any of `findings` (found in `text`) is an identifier someone must act on.
pub fn any_to_act_on(text: &str, findings: &[Finding]) -> bool {
    findings.iter().any(|f| match f.kind {
        PhiKind::Name | PhiKind::Date | PhiKind::Url => false,
        PhiKind::Phone => !signs_off(text, findings, f),
        PhiKind::Address => !whereabouts(text, f),
        _ => true,
    })
}

/// Words that put an address on file or send something to it: where they are, the address is
/// to be recorded whatever comes before it.
const RECORD_CUES: &[&str] = &[
    "address",
    "moved",
    "move",
    "mail",
    "ship",
    "send",
    "deliver",
    "update",
    "file",
    "new",
    "home",
    "house",
    "live",
    "bring",
    "pick me up",
    "direccion",
    "mude",
    "mudamos",
    "envi",
    "mand",
    "correo",
    "casa",
    "vivo",
    "endereco",
    "adresse",
    "demenag",
    "nouvelle",
    "envoy",
    "maison",
    "relocat",
    "actualic",
    "domicilio",
    "cambi",
    "residen",
];

/// What puts an address as where the patient is or wants to be near: "I'm at", "closer to",
/// "cerca de". After "at" or "on" alone, "I'm on" or "coming from", the address is as often a
/// home.
const PLACE_MARKERS: &[&str] = &[
    "i'm at",
    "im at",
    "i am at",
    "parked at",
    "parked on",
    "near",
    "nearer to",
    "closer to",
    "close to",
    "closest to",
    "next to",
    "across from",
    "estoy en",
    "estoy por",
    "cerca de",
    "cerca del",
    "perto de",
    "perto da",
    "perto do",
    "estou na",
    "estou no",
    "estou em",
    "pres de",
    "près de",
    "je suis a",
    "je suis à",
    "je suis au",
];

/// An address is where the patient is, not one to record, when a place marker comes right
/// before it and nothing in the message asks to record or send anything: "I'm at 41 Elm St,
/// which entrance?", "do you have a location closer to 2200 Mission St?". The answer is the
/// clinic's own address and directions, which a template gives.
fn whereabouts(text: &str, address: &Finding) -> bool {
    // Accents folded: "mándenme" sends something.
    let folded = crate::text::fold(text);
    if RECORD_CUES.iter().any(|c| folded.contains(c)) {
        return false;
    }
    let before = text.get(..address.start).unwrap_or("");
    let before = before
        .trim_end_matches([' ', ',', ':'])
        .to_lowercase()
        .replace('’', "'");
    PLACE_MARKERS.iter().any(|m| {
        before.ends_with(m)
            && before[..before.len() - m.len()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// A phone number is a sign-off when nothing but punctuation, spaces or emoji follows it, the
/// sender's name comes right before it (only punctuation or spaces between), and a sign-off
/// marker comes before the name: a dash, a new line, "this is", "it's", "soy", "thanks". A name
/// and number anywhere else may be someone else's ("Wrong number. Try Maria Lopez 555 201 3344").
fn signs_off(text: &str, findings: &[Finding], phone: &Finding) -> bool {
    let after = text.get(phone.end..).unwrap_or("");
    if after.chars().any(char::is_alphanumeric) {
        return false;
    }
    let before = text.get(..phone.start).unwrap_or("");
    let name_end = before
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .len();
    findings.iter().any(|n| {
        n.kind == PhiKind::Name
            && n.end == name_end
            && n.start < phone.start
            && text.get(..n.start).is_some_and(marked_as_sender)
    })
}

/// Whether the text before a name ends with what introduces the sender.
fn marked_as_sender(before: &str) -> bool {
    if before.trim_end_matches(' ').ends_with('\n') {
        return true;
    }
    let trimmed = before.trim_end_matches([' ', ',', ':', '(']);
    if trimmed.ends_with(['-', '–', '—', '~']) {
        return true;
    }
    let lower = trimmed.to_lowercase();
    [
        "this is",
        "it's",
        "its",
        "it is",
        "soy",
        "habla",
        "thanks",
        "thank you",
        "gracias",
        "regards",
    ]
    .iter()
    .any(|m| {
        lower.ends_with(m)
            && lower[..lower.len() - m.len()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(text: &str, kind: PhiKind, part: &str) -> Finding {
        let Some(start) = text.find(part) else {
            panic!("{part:?} is not in {text:?}");
        };
        Finding {
            kind,
            start,
            end: start + part.len(),
            recognizer: "test",
            score: 1.0,
            placeholder: String::new(),
        }
    }

    #[test]
    fn a_phone_after_the_senders_name_at_the_end_is_a_sign_off() {
        for (text, name, phone) in [
            (
                "how much for laser? - Jen 555 201 3344",
                "Jen",
                "555 201 3344",
            ),
            (
                "cuanto sale el peeling? soy Ana, 555-201-3344 🙏",
                "Ana",
                "555-201-3344",
            ),
            (
                "does it hurt?? -Mia (555) 201-3344.",
                "Mia",
                "(555) 201-3344",
            ),
        ] {
            let findings = [
                finding(text, PhiKind::Name, name),
                finding(text, PhiKind::Phone, phone),
            ];
            assert!(!any_to_act_on(text, &findings), "{text}");
        }
    }

    #[test]
    fn an_address_the_patient_is_at_or_near_is_not_to_act_on() {
        for (text, address) in [
            (
                "I'm at 41 Elm Street now, is the garage entrance on this block?",
                "41 Elm Street",
            ),
            (
                "do you have a location closer to 2200 Mission St? the drive is rough",
                "2200 Mission St",
            ),
            ("estoy en 300 Main St, por donde entro?", "300 Main St"),
        ] {
            let findings = [finding(text, PhiKind::Address, address)];
            assert!(!any_to_act_on(text, &findings), "{text}");
        }
        for (text, address) in [
            (
                "I live at 41 Elm Street, is that close to you?",
                "41 Elm Street",
            ),
            ("I moved, I'm at 41 Elm Street now", "41 Elm Street"),
            (
                "can you mail the receipt to 2200 Mission St",
                "2200 Mission St",
            ),
            (
                "my new address is near 12 Oak Ave: 14 Oak Ave",
                "14 Oak Ave",
            ),
            (
                "coming from 41 Elm Street, which entrance?",
                "41 Elm Street",
            ),
            ("I'm at 41 Elm Street, that is my home now", "41 Elm Street"),
            (
                "We just relocated, I'm at 41 Elm Street now, what are your hours?",
                "41 Elm Street",
            ),
            (
                "I'm on 41 Elm St now, which location is closest?",
                "41 Elm St",
            ),
            ("estoy en 300 Main St, mándenme el recibo", "300 Main St"),
            ("41 Elm Street", "41 Elm Street"),
        ] {
            let findings = [finding(text, PhiKind::Address, address)];
            assert!(any_to_act_on(text, &findings), "{text}");
        }
    }

    #[test]
    fn a_phone_to_use_or_record_is_to_act_on() {
        for (text, name, phone) in [
            ("call me at 555 201 3344", None, "555 201 3344"),
            (
                "Wrong number. Try Maria 555 201 3344",
                Some("Maria"),
                "555 201 3344",
            ),
            (
                "my friend wants in too, Ana 555 201 3344",
                Some("Ana"),
                "555 201 3344",
            ),
            ("my new number is 555 201 3344", None, "555 201 3344"),
            (
                "Jen 555 201 3344 can you call me",
                Some("Jen"),
                "555 201 3344",
            ),
            (
                "text Jen instead at 555 201 3344",
                Some("Jen"),
                "555 201 3344",
            ),
        ] {
            let mut findings = vec![finding(text, PhiKind::Phone, phone)];
            if let Some(name) = name {
                findings.push(finding(text, PhiKind::Name, name));
            }
            assert!(any_to_act_on(text, &findings), "{text}");
        }
    }

    #[test]
    fn other_identifiers_are_to_act_on_and_names_dates_links_are_not() {
        let text = "gift card GC-1234 from Jen on 3/4 see x.co";
        assert!(any_to_act_on(
            text,
            &[finding(text, PhiKind::Id, "GC-1234")]
        ));
        let only = [
            finding(text, PhiKind::Name, "Jen"),
            finding(text, PhiKind::Date, "3/4"),
            finding(text, PhiKind::Url, "x.co"),
        ];
        assert!(!any_to_act_on(text, &only));
    }
}
