//! DATE: calendar dates, numeric ("03/14/1988", "3-14-88", "1988-03-14", "21.5.2021", "3/14",
//! "5/2021", ISO 8601 timestamps) and written in English or Spanish ("March 14, 1988", "Mar 14th",
//! "14th of March", "5-May-2021", "May 2021", "14 de marzo de 1990", "marzo 14").
//!
//! Not dates: a month or weekday alone ("in May", "Friday"), relative days and clock times
//! ("tomorrow at 3", "10:30", "3pm"), fractions and ratings ("1/2 syringe", "10/10").

use super::pattern::{compiled, Pattern};
use super::span::{ceil_boundary, char_at, char_before, Candidate};
use super::PhiKind;

/// Words after "n/n" that make it a quantity or a score, not a date.
const NOT_AFTER_SLASH: &[&str] = &[
    "syringe", "syringes", "ml", "cc", "vial", "vials", "off", "units", "unit", "stars", "star",
    "would", "price", "of", "cup", "tsp", "mg",
];

/// The forms of `DATE_NUMERIC`, in its order (`patterns::date`).
const ISO: usize = 0;
const YMD: usize = 1;
const DMY: usize = 2;
const MONTH_YEAR: usize = 3;
const MONTH_DAY: usize = 4;

pub struct DateRecognizer {
    numeric: Pattern,
    written: Pattern,
}

fn valid_md(m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && (1..=31).contains(&d)
}

fn num(s: &str) -> u32 {
    s.parse().unwrap_or(0)
}

impl DateRecognizer {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self {
            numeric: Pattern::load(&compiled::DATE_NUMERIC),
            written: Pattern::load(&compiled::DATE_WRITTEN),
        }
    }

    pub fn find(&self, text: &str, out: &mut Vec<Candidate>) {
        for m in self.numeric.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            let glued_before = char_before(text, s)
                .is_some_and(|ch| ch.is_alphanumeric() || matches!(ch, '/' | '.' | '$' | '-'));
            let glued_after = char_at(text, e).is_some_and(|ch| ch.is_alphanumeric() || ch == '/')
                || (text[e..].starts_with('.')
                    && char_at(text, e + 1).is_some_and(|ch| ch.is_ascii_digit()));
            if glued_before || glued_after {
                continue;
            }
            // The numbers, in the order written; the form (`patterns::date`'s order) says which
            // is the month.
            let n: Vec<u32> = m
                .as_str()
                .split(|ch: char| !ch.is_ascii_digit())
                .filter(|p| !p.is_empty())
                .map(num)
                .collect();
            let at = |i: usize| n.get(i).copied().unwrap_or(0);
            let ok = match m.pattern() {
                // y-m-d or y/m/d (a time after an ISO date adds numbers, read no further)
                ISO | YMD => valid_md(at(1), at(2)),
                DMY => valid_md(at(0), at(1)) || valid_md(at(1), at(0)),
                MONTH_YEAR => (1..=12).contains(&at(0)),
                _ => {
                    let (mo, d) = (at(0), at(1));
                    let next = text[e..]
                        .trim_start()
                        .split(|ch: char| !ch.is_alphanumeric())
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase();
                    // "9/10", "pain is 2/10": a score out of ten, unless a date word leads it in.
                    let prev_word = text[..s]
                        .trim_end()
                        .rsplit(|ch: char| !ch.is_alphanumeric())
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase();
                    let out_of_ten = d == 10
                        && mo <= 10
                        && !matches!(
                            prev_word.as_str(),
                            "on" | "for"
                                | "by"
                                | "until"
                                | "til"
                                | "from"
                                | "dob"
                                | "born"
                                | "el"
                                | "date"
                        );
                    valid_md(mo, d) && !out_of_ten && !NOT_AFTER_SLASH.contains(&next.as_str())
                }
            };
            if ok {
                let score = if m.pattern() == MONTH_DAY { 0.6 } else { 0.85 };
                out.push(Candidate::new(PhiKind::Date, s, e, "date_numeric", score));
            }
        }
        let mut at = 0;
        while let Some(m) = self.written.find_at(text, at) {
            let (s, e) = (m.start(), m.end());
            // A rejected match ("b4 may" read as "4 may") may hide a real one: retry inside it.
            at = ceil_boundary(text, s + 1);
            if char_before(text, s).is_some_and(|ch| ch.is_alphanumeric() || ch == '/') {
                continue;
            }
            // "in march. 3 months now": a full month name ends its sentence.
            let word = m.as_str().split(['.', ' ', '-']).next().unwrap_or("");
            if word.len() > 4 && m.as_str()[word.len()..].starts_with(". ") {
                continue;
            }
            // The day must exist: "May 45" is not a date.
            let day_ok = m
                .as_str()
                .split(|ch: char| !ch.is_ascii_digit())
                .find(|t| !t.is_empty())
                .is_none_or(|t| t.len() > 2 || (1..=31).contains(&num(t)));
            if day_ok {
                out.push(Candidate::new(PhiKind::Date, s, e, "date_written", 0.85));
                at = e;
            }
        }
    }
}
