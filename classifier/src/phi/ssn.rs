//! SSN: US social security numbers, ###-##-#### (also with dots, spaces or no separator),
//! validated by the SSA's allocation rules: area not 000, 666 or 900-999, group not 00, serial
//! not 0000, and not the few numbers published as examples (078-05-1120, 123-45-6789) unless a
//! patient calls one their social security number.

use super::pattern::{compiled, Pattern};
use super::span::{digits, has_context, standalone, Candidate};
use super::PhiKind;

const CONTEXT: &[&str] = &["ssn", "social", "security", "ss#", "seguro social", "ssa"];

pub struct SsnRecognizer {
    re: Pattern,
}

/// Whether nine digits could be an issued SSN.
pub fn ssn_valid(d: &[u8]) -> bool {
    ssn_allocatable(d) && !published_example(d)
}

/// The SSA's allocation rules: area not 000, 666 or 900-999, group not 00, serial not 0000,
/// and not nine times the same digit.
fn ssn_allocatable(d: &[u8]) -> bool {
    if d.len() != 9 {
        return false;
    }
    let area = u32::from(d[0]) * 100 + u32::from(d[1]) * 10 + u32::from(d[2]);
    let group = d[3] * 10 + d[4];
    let serial = d[5..].iter().fold(0u32, |a, &x| a * 10 + u32::from(x));
    let all_same = d.iter().all(|&x| x == d[0]);
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0 && !all_same
}

/// The numbers published as examples, which are never anyone's SSN on their own.
fn published_example(d: &[u8]) -> bool {
    d == [0, 7, 8, 0, 5, 1, 1, 2, 0] || d == [1, 2, 3, 4, 5, 6, 7, 8, 9]
}

/// The separators after the area and after the group of a match of `###-##-####` (each may be
/// absent), read from its text: digits and separators are disjoint, so position 3 holds either
/// the first separator or the group's first digit, and so on.
fn separators(m: &str) -> (Option<u8>, Option<u8>) {
    let b = m.as_bytes();
    let sep = |i: usize| b.get(i).copied().filter(|c| !c.is_ascii_digit());
    let first = sep(3);
    let second = sep(5 + usize::from(first.is_some()));
    (first, second)
}

impl SsnRecognizer {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self {
            re: Pattern::load(&compiled::SSN),
        }
    }

    pub fn find(&self, text: &str, out: &mut Vec<Candidate>) {
        for m in self.re.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            if !standalone(text, s, e) {
                continue;
            }
            let (a, b) = separators(m.as_str());
            // "078-05-1123" and "078-051121" are SSNs; "693-09.4444" mixes separators.
            if !(a == b || a.is_none() || b.is_none()) {
                continue;
            }
            let d = digits(m.as_str());
            let context = has_context(text, s, e, 40, 10, CONTEXT);
            // A published example the patient calls their social security number ("my social
            // security 123-45-6789") is redacted all the same: it is what they typed as theirs.
            if !ssn_allocatable(&d) || (published_example(&d) && !context) {
                continue;
            }
            let score = match (context, a.is_some() && a == b) {
                (true, _) => 0.95,
                (false, true) => 0.8,
                // Nine bare digits or one separator: weak, so an ID or ZIP+4 reading with context
                // wins, but still redacted when nothing else claims it.
                (false, false) => 0.4,
            };
            out.push(Candidate::new(PhiKind::Ssn, s, e, "ssn", score));
        }
    }
}
