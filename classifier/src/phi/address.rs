//! ADDRESS: a street address (number, street name, street type, optional direction, unit, city,
//! state and ZIP), a PO box, "City, ST 12345", or a ZIP code near an address word.

use super::pattern::{compiled, Pattern};
use super::span::{char_before, has_context, Candidate};
use super::PhiKind;

/// Words that say a lone five-digit number is a ZIP code.
const ZIP_CONTEXT: &[&str] = &[
    "zip",
    "zipcode",
    "zip code",
    "postal",
    "address",
    "addr",
    "live",
    "lives",
    "living",
    "located",
    "moved",
    "move",
    "area",
    "código postal",
    "codigo postal",
    "cp",
    "dirección",
    "direccion",
    "vivo",
    "in",
    "near",
    "closer",
    "around",
    "from",
    "to",
];

/// Words that cannot be part of a street name, so "at 3 with Dr. Lee" or "bring 2 of my
/// friends Way" are not addresses.
const NOT_STREET: &[&str] = &[
    "with", "at", "and", "or", "to", "for", "my", "me", "pm", "am", "is", "are", "was", "of",
    "the", "units", "unit", "syringes", "syringe", "ml", "weeks", "days", "hours", "mins",
    "minutes", "i", "you", "we", "a", "an", "in", "on", "by", "from", "it", "if", "so", "but",
    "not",
];

pub struct AddressRecognizer {
    street: Pattern,
    rest: Pattern,
    po_box: Pattern,
    city_zip: Pattern,
    zip: Pattern,
}

impl AddressRecognizer {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self {
            street: Pattern::load(&compiled::ADDRESS_STREET),
            rest: Pattern::load(&compiled::ADDRESS_REST),
            po_box: Pattern::load(&compiled::ADDRESS_PO_BOX),
            city_zip: Pattern::load(&compiled::ADDRESS_CITY_ZIP),
            zip: Pattern::load(&compiled::ADDRESS_ZIP),
        }
    }

    pub fn find(&self, text: &str, out: &mut Vec<Candidate>) {
        for m in self.street.find_iter(text) {
            // The first form ("12 Oak Hill Rd") has a street name; its words are every word
            // after the number, since no direction or street type is a NOT_STREET word.
            if m.pattern() == 0 {
                let bad = m.as_str().split(' ').skip(1).any(|w| {
                    let w = w.trim_end_matches('.').to_ascii_lowercase();
                    NOT_STREET.contains(&w.as_str())
                });
                if bad {
                    continue;
                }
            }
            let mut e = m.end();
            if let Some(r) = self.rest.find(&text[e..]) {
                e += r.end();
            }
            while e > m.start() && matches!(text.as_bytes()[e - 1], b',' | b' ') {
                e -= 1;
            }
            out.push(Candidate::new(
                PhiKind::Address,
                m.start(),
                e,
                "address_street",
                0.8,
            ));
        }
        for m in self.po_box.find_iter(text) {
            out.push(Candidate::new(
                PhiKind::Address,
                m.start(),
                m.end(),
                "address_po_box",
                0.8,
            ));
        }
        for m in self.city_zip.find_iter(text) {
            if char_before(text, m.start()).is_some_and(char::is_alphanumeric) {
                continue;
            }
            out.push(Candidate::new(
                PhiKind::Address,
                m.start(),
                m.end(),
                "address_city_zip",
                0.75,
            ));
        }
        for m in self.zip.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            if text[..s].ends_with(['$', '#', '-', '/', '.']) || text[e..].starts_with(['-', '/']) {
                continue;
            }
            if has_context(text, s, e, 40, 0, ZIP_CONTEXT) {
                out.push(Candidate::new(PhiKind::Address, s, e, "address_zip", 0.7));
            }
        }
    }
}
