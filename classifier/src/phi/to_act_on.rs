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
        _ => true,
    })
}

/// A phone number is a sign-off when nothing but punctuation, spaces or emoji follows it and
/// the sender's name comes right before it (only punctuation or spaces between).
fn signs_off(text: &str, findings: &[Finding], phone: &Finding) -> bool {
    let after = text.get(phone.end..).unwrap_or("");
    if after.chars().any(char::is_alphanumeric) {
        return false;
    }
    let before = text.get(..phone.start).unwrap_or("");
    let name_end = before
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .len();
    findings
        .iter()
        .any(|n| n.kind == PhiKind::Name && n.end == name_end && n.start < phone.start)
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
    fn a_phone_to_use_or_record_is_to_act_on() {
        for (text, name, phone) in [
            ("call me at 555 201 3344", None, "555 201 3344"),
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
