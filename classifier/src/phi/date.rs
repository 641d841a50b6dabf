//! DATE: calendar dates, numeric ("03/14/1988", "3-14-88", "1988-03-14", "21.5.2021", "3/14",
//! "5/2021", ISO 8601 timestamps, dotted year-first or day-first dates with a plausible year:
//! "1987.09.23", Korean "1987. 9. 23.", "23.09.1987") and written in English or Spanish
//! ("March 14, 1988", "Mar 14th", "14th of March", "5-May-2021", "May 2021", "14 de marzo de
//! 1990", "marzo 14").
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

/// A dotted date ("1987.09.23", "23.09.1987", "1987. 9. 23.") is written like a version number
/// or a price, so it needs a year that can be one: four digits in 1900-2099, or two after a
/// day and a month of two digits each ("23.09.87"), which versions and prices are not.
/// `numbers` are the numbers as written, `year` the index of the year among them.
fn plausible_dotted(text: &str, numbers: &[u32], year: usize) -> bool {
    let Some(written) = text.split('.').map(str::trim).nth(year) else {
        return false;
    };
    match written.len() {
        4 => numbers.get(year).is_some_and(|y| (1900..=2099).contains(y)),
        2 => text.len() == 8,
        _ => false,
    }
}

/// "23.09.1987г.", "1987г.": Russian abbreviates "year" to a "г" glued to the number.
fn russian_year_mark(text: &str, at: usize) -> bool {
    text[at..].starts_with('г')
        && !char_at(text, at + 'г'.len_utf8()).is_some_and(char::is_alphabetic)
}

/// Words that announce a birth date, folded: a run of eight digits after one of them is a date
/// written without separators ("dob 07141988", "DOB: 19880714", "fecha de nac 14071988").
const DOB_CUES: &[&str] = &[
    "dob",
    "d.o.b",
    "birth",
    "birthday",
    "birthdate",
    "bday",
    "b-day",
    "born",
    "nacimiento",
    "nac",
    "f.nac",
    "fnac",
    "cumpleanos",
    "cumple",
    "fdn",
    // Portuguese, French, Haitian Creole, Tagalog, Vietnamese, Russian, Arabic.
    "nascimento",
    "nasc",
    "naissance",
    "nesans",
    "fet",
    "kapanganakan",
    "kaarawan",
    "sinh",
    "рождения",
    "рождение",
    "др",
    "ميلاد",
    "الميلاد",
    "ميلادي",
    // Korean, Chinese, Japanese.
    "생년월일",
    "생일",
    "生日",
    "出生日期",
    "誕生日",
    "生年月日",
];

/// How far before the digits (in bytes) a cue may stand: "dob is 07141988", "birthday:
/// 07141988", "date of birth - 07141988".
const DOB_REACH: usize = 24;

/// Whether eight digits read as a plausible birth date in one of the orders people write
/// them: month-day-year, day-month-year or year-month-day.
fn plausible_eight(d: &str) -> bool {
    let n = |r: std::ops::Range<usize>| d.get(r).map_or(0, num);
    let year_ok = |y: u32| (1900..=2030).contains(&y);
    (year_ok(n(4..8)) && (valid_md(n(0..2), n(2..4)) || valid_md(n(2..4), n(0..2))))
        || (year_ok(n(0..4)) && valid_md(n(4..6), n(6..8)))
}

/// A date written with Arabic-Indic digits ("٢٢/٠٣/١٩٨٩"): day, month and year.
fn find_arabic_digit_dates(text: &str, out: &mut Vec<Candidate>) {
    let digit = crate::text::arabic_indic_digit;
    // (value, digits) of each group of the run being read, the run's start and end.
    let mut groups: Vec<(u32, usize)> = Vec::new();
    let (mut start, mut end) = (None::<usize>, 0usize);
    let (mut value, mut len) = (0u32, 0usize);
    let mut finish = |groups: &mut Vec<(u32, usize)>, start: Option<usize>, end: usize| {
        if let Some(s) = start {
            let ok = groups.len() == 3
                && groups[2].1 >= 2
                && (valid_md(groups[1].0, groups[0].0) || valid_md(groups[0].0, groups[1].0));
            if ok {
                out.push(Candidate::new(
                    PhiKind::Date,
                    s,
                    end,
                    "date_arabic_digits",
                    0.85,
                ));
            }
        }
        groups.clear();
    };
    for (i, c) in text.char_indices() {
        if let Some(d) = digit(c) {
            start.get_or_insert(i);
            value = value * 10 + d;
            len += 1;
            end = i + c.len_utf8();
            continue;
        }
        if len > 0 {
            groups.push((value, len));
        }
        value = 0;
        len = 0;
        if !(matches!(c, '/' | '-' | '.') && start.is_some()) {
            finish(&mut groups, start.take(), end);
        }
    }
    if len > 0 {
        groups.push((value, len));
    }
    finish(&mut groups, start, end);
}

/// Russian month names in the genitive, as written after the day ("12 марта").
const MONTHS_RU: &[&str] = &[
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// "12 марта", "3 мая 1990": a day, then a Russian month name (and a year). Written in Latin
/// letters ("10 aprelya") they are in the written-date pattern (`patterns.rs`).
fn find_russian_dates(text: &str, out: &mut Vec<Candidate>) {
    let lower = crate::text::lowercase_same_offsets(text);
    for month in MONTHS_RU {
        for (at, _) in lower.match_indices(month) {
            let end = at + month.len();
            if char_at(text, end).is_some_and(char::is_alphabetic) {
                continue;
            }
            let before = text[..at].trim_end_matches(' ');
            let digits = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            if digits == 0 || digits > 2 || before.len() == at {
                continue;
            }
            let start = before.len() - digits;
            if !(1..=31).contains(&num(&text[start..before.len()])) {
                continue;
            }
            let mut e = end;
            let rest = &text[end..];
            let year = rest.trim_start_matches(' ');
            if year.len() >= 4 && year.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
                e = end + (rest.len() - year.len()) + 4;
            }
            out.push(Candidate::new(
                PhiKind::Date,
                start,
                e,
                "date_written_ru",
                0.85,
            ));
        }
    }
}

/// Dates written with the year, month and day characters of Chinese, Japanese and Korean:
/// "1987年11月3号", "11月3日", "1991년 7월 14일".
fn find_cjk_dates(text: &str, out: &mut Vec<Candidate>) {
    let bytes = text.as_bytes();
    let number_at = |i: usize| -> (usize, u32) {
        let mut j = i;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
        (j, text[i..j].parse().unwrap_or(0))
    };
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let start = i;
        let (mut j, first) = number_at(i);
        let rest = &text[j..];
        // Optional year.
        let mut month = first;
        if let Some(r) = ["年", "년 ", "년"].iter().find(|m| rest.starts_with(*m)) {
            j += r.len();
            let (k, m) = number_at(j);
            if k == j {
                i = j;
                continue;
            }
            j = k;
            month = m;
        }
        let rest = &text[j..];
        let Some(m) = ["月", "월 ", "월"].iter().find(|m| rest.starts_with(*m)) else {
            i = j.max(i + 1);
            continue;
        };
        j += m.len();
        let (k, day) = number_at(j);
        let rest = &text[k..];
        let Some(d) = ["日", "号", "號", "일"]
            .iter()
            .find(|d| rest.starts_with(*d))
        else {
            i = j;
            continue;
        };
        if k > j && valid_md(month, day) {
            out.push(Candidate::new(
                PhiKind::Date,
                start,
                k + d.len(),
                "date_cjk",
                0.85,
            ));
        }
        i = k + d.len();
    }
}

/// Eight-digit birth dates after a birth-date cue.
fn find_dob_digits(text: &str, out: &mut Vec<Candidate>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let glued = char_before(text, start).is_some_and(char::is_alphanumeric)
            || char_at(text, i).is_some_and(char::is_alphanumeric);
        if i - start != 8 || glued || !plausible_eight(&text[start..i]) {
            continue;
        }
        let from = ceil_boundary(text, start.saturating_sub(DOB_REACH));
        let before = crate::text::fold(&text[from..start]);
        let cued = before
            .split(|ch: char| !(ch.is_alphanumeric() || ch == '.' || ch == '-'))
            .any(|w| DOB_CUES.contains(&w.trim_end_matches(['.', '-'])));
        if cued {
            out.push(Candidate::new(
                PhiKind::Date,
                start,
                i,
                "date_dob_digits",
                0.85,
            ));
        }
    }
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
            // Chinese, Japanese and Korean attach words to a number without a space
            // ("1987.09.23입니다", "3/14です"): a date followed by one is not glued.
            let glued_after = (char_at(text, e).is_some_and(|ch| {
                (ch.is_alphanumeric() && !crate::text::written_without_spaces(ch)) || ch == '/'
            }) && !russian_year_mark(text, e))
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
            let dotted = m.as_str().contains('.') && m.pattern() != ISO;
            let ok = match m.pattern() {
                // y-m-d or y/m/d (a time after an ISO date adds numbers, read no further)
                ISO | YMD => {
                    valid_md(at(1), at(2)) && (!dotted || plausible_dotted(m.as_str(), &n, 0))
                }
                DMY => {
                    (valid_md(at(0), at(1)) || valid_md(at(1), at(0)))
                        && (!dotted || plausible_dotted(m.as_str(), &n, 2))
                }
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
                                | "to"
                                | "del"
                                | "al"
                                | "ngay"
                                | "le"
                        );
                    // Day first where the first number cannot be a month ("14/6", "30/04").
                    let day_first = mo > 12 && valid_md(d, mo);
                    (valid_md(mo, d) || day_first)
                        && !out_of_ten
                        && !NOT_AFTER_SLASH.contains(&next.as_str())
                }
            };
            if ok {
                let score = if m.pattern() == MONTH_DAY { 0.6 } else { 0.85 };
                out.push(Candidate::new(PhiKind::Date, s, e, "date_numeric", score));
            }
        }
        find_dob_digits(text, out);
        if !text.is_ascii() {
            find_arabic_digit_dates(text, out);
            find_cjk_dates(text, out);
            find_russian_dates(text, out);
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

#[cfg(test)]
mod tests {
    use crate::phi::{spans_of, PhiKind};

    fn dates(text: &str) -> Vec<&str> {
        spans_of(PhiKind::Date, text)
    }

    #[test]
    fn dotted_dates_year_first_or_day_first() {
        for (text, want) in [
            ("born 1987.09.23", "1987.09.23"),
            ("1987.9.23 생", "1987.9.23"),
            ("дата рождения 23.09.1987", "23.09.1987"),
            ("родилась 23.09.1987г.", "23.09.1987"),
            ("생년월일 1987. 9. 23.", "1987. 9. 23."),
            ("1987. 9. 23 입니다", "1987. 9. 23"),
            ("생년월일은 1987.09.23입니다", "1987.09.23"),
            ("né le 23.09.87", "23.09.87"),
        ] {
            assert_eq!(dates(text), [want], "{text:?}");
        }
    }

    #[test]
    fn versions_prices_and_impossible_dates_are_not_dotted_dates() {
        for text in [
            "version 1.2.30",
            "app v1.2.3 crashed",
            "it was $1.500.00",
            "paid 1.500.000 pesos",
            "3000.01.01",
            "1987.13.23",
            "1987.09.32",
            "23.09.3087",
            "1.2.3.4 is the server",
            "192.168.1.1",
            "1987. 9. 33.",
        ] {
            assert!(dates(text).is_empty(), "{text:?}: {:?}", dates(text));
        }
    }
}
