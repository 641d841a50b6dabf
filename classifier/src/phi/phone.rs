//! PHONE: US numbers in their usual spellings, E.164 / international numbers, and other digit
//! groups that a context word says are a phone number ("my cell is 09-7625400").

use super::pattern::{compiled, Pattern};
use super::span::{digits, has_context, standalone, Candidate};
use super::PhiKind;

/// Words that say a nearby digit group is a phone number.
const CONTEXT: &[&str] = &[
    // The other languages patients write in.
    "sdt",
    "sđt",
    "số",
    "so dt",
    "dien thoai",
    "điện thoại",
    "numéro",
    "portable",
    "téléphone",
    "telephone",
    "telefone",
    "zap",
    "nimewo",
    "telefòn",
    "номер",
    "телефон",
    "رقم",
    "رقمي",
    "번호",
    "전화",
    "phone",
    "cell",
    "mobile",
    "number",
    "num",
    "tel",
    "call",
    "text",
    "txt",
    "reach",
    "contact",
    "whatsapp",
    "fax",
    "celular",
    "cel",
    "telefono",
    "teléfono",
    "numero",
    "número",
    "llamar",
    "llamame",
    "llámame",
    "landline",
    "work",
    "home",
];

pub struct PhoneRecognizer {
    us: Pattern,
    intl: Pattern,
    loose: Pattern,
    local: Pattern,
}

impl PhoneRecognizer {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self {
            // (415) 555-0132, 415.555.0132, 4155550132, +1 415 555 0132, 1-800-555-0199
            us: Pattern::load(&compiled::PHONE_US),
            intl: Pattern::load(&compiled::PHONE_INTL),
            loose: Pattern::load(&compiled::PHONE_LOOSE),
            local: Pattern::load(&compiled::PHONE_LOCAL),
        }
    }

    pub fn find(&self, text: &str, out: &mut Vec<Candidate>) {
        let start_len = out.len();
        for m in self.us.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            if !standalone(text, s, e) || text[..s].ends_with(['+', '-', '/', '.', '$']) {
                continue;
            }
            let d = digits(m.as_str());
            let ten = if d.len() == 11 { &d[1..] } else { &d[..] };
            let formatted = m.as_str().bytes().any(|b| !b.is_ascii_digit());
            // A bare run of ten digits is only a phone if its area code can exist (2-9); with
            // separators the writer has told us it is a phone (fixtures use 555-123-4567).
            if ten.len() != 10 || (!formatted && ten[0] < 2) {
                continue;
            }
            let score = if formatted { 0.75 } else { 0.55 };
            out.push(Candidate::new(PhiKind::Phone, s, e, "phone_us", score));
        }
        for m in self.intl.find_iter(text) {
            let (s, mut e) = (m.start(), m.end());
            // A trailing ")" or separator belongs to the sentence, not the number.
            while e > s && !text.as_bytes()[e - 1].is_ascii_digit() {
                e -= 1;
            }
            // The pattern may run into a following number ("+44 20 7123 4567 14 de marzo"): also
            // offer the number without its trailing groups, slightly less sure, and let overlap
            // resolution pick.
            let mut score = 0.8;
            loop {
                let n = digits(&text[s..e]).len();
                if (8..=15).contains(&n) && standalone(text, s, e) {
                    out.push(Candidate::new(PhiKind::Phone, s, e, "phone_e164", score));
                }
                match text[s..e].rfind([' ', '.', '-']) {
                    Some(cut) if n > 8 => {
                        e = s + cut;
                        score -= 0.01;
                    }
                    _ => break,
                }
            }
        }
        for m in self.local.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            if standalone(text, s, e)
                && !text[..s].ends_with(['-', '.', '/', '$', '#'])
                && !text[e..].starts_with(['-', '.', '/'])
            {
                out.push(Candidate::new(PhiKind::Phone, s, e, "phone_local", 0.45));
            }
        }
        for m in self.loose.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            if !standalone(text, s, e) || out[start_len..].iter().any(|c| c.overlaps(s, e)) {
                continue;
            }
            let n = digits(m.as_str()).len();
            if national_mobile(m.as_str()) {
                out.push(Candidate::new(PhiKind::Phone, s, e, "phone_national", 0.6));
            } else if (7..=13).contains(&n) && has_context(text, s, e, 40, 0, CONTEXT) {
                out.push(Candidate::new(PhiKind::Phone, s, e, "phone_context", 0.5));
            }
        }
    }
}

/// Numbers whose shape alone says phone in the countries our patients text from: a French
/// number in pairs ("06 55 55 01 34") and a Philippine mobile ("09175550123", "0917 555 0123").
fn national_mobile(m: &str) -> bool {
    let d = digits(m);
    let pairs = m.split(' ').collect::<Vec<_>>();
    let french = d.len() == 10
        && d.starts_with(b"0")
        && pairs.len() == 5
        && pairs.iter().all(|p| p.len() == 2);
    let philippine = d.len() == 11 && d.starts_with(b"09");
    french || philippine
}
