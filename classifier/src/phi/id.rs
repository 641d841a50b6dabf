//! ID: member, medical record (MRN), insurance policy, licence, account, gift-card and
//! confirmation numbers, and national identity and passport numbers after their cue (CPF
//! "392.481.706-55", RG, CNPJ, CURP, RFC, DNI, NIE, passport). A bare number is not an ID
//! ("order 12345", "20 units"): the value must follow one of the context words, with only
//! filler ("number", "#", ":", "is") between.

use super::pattern::{compiled, Bounds, Pattern};
use super::span::{ceil_boundary, Candidate};
use super::PhiKind;

pub struct IdRecognizer {
    re: Pattern,
    lead: Bounds,
    value: Bounds,
    coded: Pattern,
}

impl IdRecognizer {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self {
            re: Pattern::load(&compiled::ID_CONTEXT),
            lead: Bounds::forward(&compiled::ID_LEAD),
            value: Bounds::reverse(&compiled::ID_VALUE),
            coded: Pattern::load(&compiled::ID_CODED),
        }
    }

    pub fn find(&self, text: &str, out: &mut Vec<Candidate>) {
        let mut at = 0;
        while let Some(m) = self.re.find_at(text, at) {
            let (s, e) = (m.start(), m.end());
            // The value is the match's tail after the context word and filler: of the places
            // where the lead may end and a value ending at the match's end may start, the last
            // (the regex's greedy filler reads as much as it can).
            let ends = self.lead.ends_from(text, s, e);
            let starts = self.value.starts_to(text, s, e);
            // A rejected match may hide a real one inside it: look again from its next char.
            at = ceil_boundary(text, s + 1);
            let split = starts.into_iter().find(|j| ends.contains(j));
            let Some((vs, v)) = split.and_then(|vs| Some((vs, text.get(vs..e)?))) else {
                continue;
            };
            let n_digits = v.bytes().filter(u8::is_ascii_digit).count();
            // Four digits, or a coded value with letters and a dash ("REF-AROM22").
            let coded = v.contains('-') && n_digits >= 2 && v.len() >= 6;
            if !(n_digits >= 4 || coded) || v.len() < 4 {
                continue;
            }
            out.push(Candidate::new(PhiKind::Id, vs, e, "id_context", 0.85));
            at = e.max(at);
        }
        find_grouped_numbers(text, out);
        for m in self.coded.find_iter(text) {
            out.push(Candidate::new(
                PhiKind::Id,
                m.start(),
                m.end(),
                "id_coded",
                0.7,
            ));
        }
    }
}

/// Words that say a message is about a card, account or membership number somewhere in it.
const NUMBER_TOPICS: &[&str] = &[
    "gift card",
    "giftcard",
    "card",
    "member",
    "membership",
    "account",
    "acct",
    "voucher",
    "certificate",
    "policy",
    "tarjeta",
    "cuenta",
    "membresia",
    "vale",
];

/// A long number in three or more dash- or space-separated groups ("7788-1203-5561-09") in a
/// message about a card, account or membership, far from its cue word ("I lost the gift card
/// but I have a pic of the number: ..."). Phone numbers and payment cards are found by their
/// own recognizers, which score higher where they match.
fn find_grouped_numbers(text: &str, out: &mut Vec<Candidate>) {
    let lower = text.to_ascii_lowercase();
    if !NUMBER_TOPICS.iter().any(|t| lower.contains(t)) {
        return;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let start = i;
        let (mut groups, mut digits, mut end) = (0usize, 0usize, i);
        while i < bytes.len() {
            let g = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i == g {
                break;
            }
            groups += 1;
            digits += i - g;
            end = i;
            if i + 1 < bytes.len()
                && matches!(bytes[i], b'-' | b' ')
                && bytes[i + 1].is_ascii_digit()
            {
                i += 1;
            } else {
                break;
            }
        }
        let glued = bytes.get(end).is_some_and(u8::is_ascii_alphanumeric);
        if groups >= 3 && digits >= 10 && !glued {
            out.push(Candidate::new(PhiKind::Id, start, end, "id_grouped", 0.4));
        }
        i = end.max(start + 1);
    }
}

#[cfg(test)]
mod tests {
    use crate::phi::{spans_of, PhiKind};

    fn ids(text: &str) -> Vec<&str> {
        spans_of(PhiKind::Id, text)
    }

    #[test]
    fn national_ids_after_their_cues() {
        for (text, want) in [
            ("CPF 392.481.706-55", "392.481.706-55"),
            ("meu CPF é 392.481.706-55, obrigada", "392.481.706-55"),
            ("RG: 12.345.678-9", "12.345.678-9"),
            ("RG 12.345.678-X", "12.345.678-X"),
            ("CNPJ 12.345.678/0001-95", "12.345.678/0001-95"),
            ("mi CURP es GOMC850101HDFRRL09", "GOMC850101HDFRRL09"),
            ("RFC GOMC850101AB1", "GOMC850101AB1"),
            ("DNI 12345678Z", "12345678Z"),
            ("NIE X1234567L", "X1234567L"),
            ("my passport number is A12345678", "A12345678"),
            ("pasaporte G12345678", "G12345678"),
            ("passaporte nº FZ123456", "FZ123456"),
            ("numéro de passeport 12AB34567", "12AB34567"),
        ] {
            assert_eq!(ids(text), [want], "{text:?}");
        }
    }

    #[test]
    fn dotted_values_need_thousands_groups_and_a_cue() {
        for text in [
            "refund 45.00 please",
            "account 1.2.3",
            "392.481.706-55",
            "my passport expired",
            "the DNI office",
            "CPF pending",
            "order 12.5 units",
        ] {
            assert!(ids(text).is_empty(), "{text:?}: {:?}", ids(text));
        }
    }
}
