//! CARD: payment card numbers, 13-19 digits written solid or in groups of spaces or dashes,
//! accepted when the Luhn checksum holds (what every issuer's numbers satisfy).

use super::pattern::{compiled, Pattern};
use super::span::{digits, has_context, standalone, Candidate};
use super::PhiKind;

const CONTEXT: &[&str] = &[
    "card",
    "credit",
    "debit",
    "visa",
    "mastercard",
    "amex",
    "discover",
    "cc",
    "tarjeta",
];

pub struct CardRecognizer {
    re: Pattern,
}

/// The Luhn (mod 10) checksum over the digits, rightmost digit first.
pub fn luhn_valid(d: &[u8]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            let x = u32::from(x);
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 {
                    y - 9
                } else {
                    y
                }
            } else {
                x
            }
        })
        .sum();
    sum % 10 == 0
}

impl CardRecognizer {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self {
            // Solid, 4-4-4-x groups, or Amex's 4-6-5: consistent groupings, so three cards in a row
            // ("4012... 4012-... 4012 ...") are three candidates, not one 48-digit run.
            re: Pattern::load(&compiled::CARD),
        }
    }

    pub fn find(&self, text: &str, out: &mut Vec<Candidate>) {
        for m in self.re.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            if !standalone(text, s, e) {
                continue;
            }
            let d = digits(m.as_str());
            // Issuers' first digits: 2-6 (Mastercard, Amex, Visa, Discover...), or 1 for the
            // 15-digit UATP cards; a 13-digit run starting with 1 is a timestamp, not a card.
            let iin_ok = matches!(d[0], 2..=6) || (d[0] == 1 && d.len() == 15);
            if !iin_ok || d.iter().all(|&x| x == d[0]) {
                continue;
            }
            if luhn_valid(&d) {
                out.push(Candidate::new(PhiKind::Card, s, e, "card_luhn", 0.9));
            } else if (15..=16).contains(&d.len()) && has_context(text, s, e, 40, 0, CONTEXT) {
                // A mistyped card number is still a card number: Presidio drops it, we redact it
                // (a leak costs more than a redacted typo).
                out.push(Candidate::new(PhiKind::Card, s, e, "card_context", 0.45));
            }
        }
    }
}
