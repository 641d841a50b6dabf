//! ADDRESS: a street address (number, street name, street type, optional direction, unit, city,
//! state and ZIP), a PO box, "City, ST 12345", or a ZIP code near an address word.

use super::pattern::Pattern;
use super::span::{char_before, has_context, Candidate};
use super::PhiKind;

const STATES: &str = "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR";

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
        let suffix = r"(?i-u:street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|circle|cir|parkway|pkwy|highway|hwy|terrace|ter|trail|trl|square|sq|loop|plaza|plz|alley|crescent|cres|pike|run|path|walk|expressway|expy|freeway|fwy)";
        let dir = r"(?i-u:[NSEW]\.?|north|south|east|west|N\.?[EW]\.?|S\.?[EW]\.?)";
        let word = r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9'.-]*";
        let unit = r"(?:,?[ ]*(?i-u:apt|apartment|unit|suite|ste|bldg|building|fl|floor|rm|room|#)\.?[ ]*#?[ ]*[A-Za-z0-9-]{1,6})";
        let city = r"(?:[A-Z][A-Za-z]+(?:[ ][A-Z][A-Za-z]+){0,2})";
        let zip = r"[0-9]{5}(?:-[0-9]{4})?";
        let state = format!(r"(?:{STATES})");
        let tail = format!(
            r"(?:,?[ ]+{city},?[ ]+{state}(?:[ ]+{zip})?|,?[ ]+{state}[ ]+{zip}|,?[ ]+{zip}|,[ ]*{city})?"
        );
        // The street core; unit, city, state and ZIP are matched after it by a second, anchored
        // pattern, so that large part is compiled once rather than once per street form (it
        // keeps Redactor::new within its start-up budget).
        let street = format!(
            r"(?-u:\b)[0-9]{{1,6}}[A-Za-z]?[ ]+(?:{dir}[ ]+)?(?P<name>(?:{word}[ ]+){{0,3}}?{word})[ ]+{suffix}(?-u:\b)\.?(?:[ ]+{dir}(?-u:\b))?|(?-u:\b)[0-9]{{1,6}}[ ]+Broadway(?-u:\b)|(?-u:\b)(?i:calle|avenida|av\.|carrera|cra\.?)[ ]+(?:{word}[ ]+){{0,2}}?#?[ ]*[0-9]{{1,5}}(?:-[0-9]{{1,4}})?"
        );
        let rest = format!(r"^{unit}?{tail}");
        Self {
            street: Pattern::new(&street),
            rest: Pattern::new(&rest),
            po_box: Pattern::new(r"(?i:p\.?[ ]?o\.?[ ]*box)[ ]+[0-9]{1,6}"),
            city_zip: Pattern::new(&format!(r"{city},[ ]*{state}[ ]+{zip}(?-u:\b)")),
            zip: Pattern::new(r"(?-u:\b)[0-9]{5}(?:-[0-9]{4})?(?-u:\b)"),
        }
    }

    pub fn find(&self, text: &str, out: &mut Vec<Candidate>) {
        for c in self.street.captures_iter(text) {
            let Some(m) = c.get(0) else { continue };
            if let Some(name) = c.name("name") {
                let bad = name.as_str().split(' ').any(|w| {
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
