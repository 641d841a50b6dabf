//! DATE: calendar dates, numeric ("03/14/1988", "3-14-88", "1988-03-14", "21.5.2021", "3/14",
//! "5/2021", ISO 8601 timestamps) and written in English or Spanish ("March 14, 1988", "Mar 14th",
//! "14th of March", "5-May-2021", "May 2021", "14 de marzo de 1990", "marzo 14").
//!
//! Not dates: a month or weekday alone ("in May", "Friday"), relative days and clock times
//! ("tomorrow at 3", "10:30", "3pm"), fractions and ratings ("1/2 syringe", "10/10").

use super::pattern::Pattern;
use super::span::{ceil_boundary, char_at, char_before, Candidate};
use super::PhiKind;

const MONTH_EN: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const MONTH_ES: &str = r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|sep?tiembre|octubre|noviembre|diciembre)";

/// Words after "n/n" that make it a quantity or a score, not a date.
const NOT_AFTER_SLASH: &[&str] = &[
    "syringe", "syringes", "ml", "cc", "vial", "vials", "off", "units", "unit", "stars", "star",
    "would", "price", "of", "cup", "tsp", "mg",
];

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
        let iso = r"(?P<iso>[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?)";
        let ymd = r"(?P<ymd>[0-9]{4}/[0-9]{1,2}/[0-9]{1,2})";
        let full = r"(?P<a>[0-9]{1,2})(?:/(?P<b1>[0-9]{1,2})/|-(?P<b2>[0-9]{1,2})-|\.(?P<b3>[0-9]{1,2})\.)(?P<y>[0-9]{4}|[0-9]{2})";
        let my = r"(?P<mm>[0-9]{1,2})/(?P<yyyy>(?:19|20)[0-9]{2})";
        let md = r"(?P<m>[0-9]{1,2})/(?P<d>[0-9]{1,2})";
        let ord = r"(?:st|nd|rd|th)?";
        let year = r"(?:,?[ ]*(?:[0-9]{4}|'[0-9]{2})|-[0-9]{2,4})";
        let written = format!(
            r"(?i)(?:{MONTH_EN}\.?[ -]?[0-9]{{1,2}}{ord}(?-u:\b){year}?|(?:(?:the|el)[ ]+)?[0-9]{{1,2}}{ord}(?:[ -]|[ ]+of[ ]+){MONTH_EN}(?-u:\b)\.?{year}?|{MONTH_EN}\.?(?:[ -]|,[ ]?)(?:19|20)[0-9]{{2}}|[0-9]{{1,2}}[ ]+de[ ]+{MONTH_ES}(?:[ ]+(?:de|del)[ ]+[0-9]{{4}})?|{MONTH_ES}[ ]+[0-9]{{1,2}}(?:,?[ ]+(?:de|del)?[ ]*[0-9]{{4}})?|(?:the|el)[ ]+[0-9]{{1,2}}(?:st|nd|rd|th))(?-u:\b)"
        );
        Self {
            numeric: Pattern::new(&format!("{iso}|{ymd}|{full}|{my}|{md}")),
            written: Pattern::new(&written),
        }
    }

    pub fn find(&self, text: &str, out: &mut Vec<Candidate>) {
        for c in self.numeric.captures_iter(text) {
            let Some(m) = c.get(0) else { continue };
            let (s, e) = (m.start(), m.end());
            let glued_before = char_before(text, s)
                .is_some_and(|ch| ch.is_alphanumeric() || matches!(ch, '/' | '.' | '$' | '-'));
            let glued_after = char_at(text, e).is_some_and(|ch| ch.is_alphanumeric() || ch == '/')
                || (text[e..].starts_with('.')
                    && char_at(text, e + 1).is_some_and(|ch| ch.is_ascii_digit()));
            if glued_before || glued_after {
                continue;
            }
            let ok = if let Some(iso) = c.name("iso").or(c.name("ymd")) {
                let p: Vec<&str> = iso.as_str().splitn(3, ['-', '/']).collect();
                p.len() == 3
                    && valid_md(
                        num(p[1]),
                        num(p[2]
                            .get(..2)
                            .unwrap_or(p[2])
                            .trim_end_matches(|x: char| !x.is_ascii_digit())),
                    )
            } else if let Some(a) = c.name("a") {
                let b = c
                    .name("b1")
                    .or(c.name("b2"))
                    .or(c.name("b3"))
                    .map_or(0, |x| num(x.as_str()));
                let a = num(a.as_str());
                valid_md(a, b) || valid_md(b, a)
            } else if let Some(mm) = c.name("mm") {
                (1..=12).contains(&num(mm.as_str()))
            } else {
                let (mo, d) = (
                    c.name("m").map_or(0, |x| num(x.as_str())),
                    c.name("d").map_or(0, |x| num(x.as_str())),
                );
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
            };
            if ok {
                let score = if c.name("m").is_some() { 0.6 } else { 0.85 };
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
