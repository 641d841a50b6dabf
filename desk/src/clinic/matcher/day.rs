//! The day a message asks about, as a date in the clinic's time zone: a weekday (the next one
//! on or after today), a relative day ("tomorrow", "mañana", "this weekend") or a written date
//! ("12/24", "dec 24", "24 de diciembre"), the first one the message names.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::compare::{closeness, Closeness};
use crate::clinic::facts::Lang;
use crate::clinic::words::Token;

/// Weekday words, folded. `true` marks abbreviations that are also ordinary words ("sat",
/// "sun", "wed", "mon" in "c'mon"): they count only where a day is expected.
const WEEKDAYS: &[(&str, Weekday, bool)] = &[
    ("monday", Weekday::Mon, false),
    ("tuesday", Weekday::Tue, false),
    ("wednesday", Weekday::Wed, false),
    ("thursday", Weekday::Thu, false),
    ("friday", Weekday::Fri, false),
    ("saturday", Weekday::Sat, false),
    ("sunday", Weekday::Sun, false),
    ("lunes", Weekday::Mon, false),
    ("martes", Weekday::Tue, false),
    ("miercoles", Weekday::Wed, false),
    ("jueves", Weekday::Thu, false),
    ("viernes", Weekday::Fri, false),
    ("sabado", Weekday::Sat, false),
    ("domingo", Weekday::Sun, false),
    ("tue", Weekday::Tue, false),
    ("tues", Weekday::Tue, false),
    ("weds", Weekday::Wed, false),
    ("thu", Weekday::Thu, false),
    ("thur", Weekday::Thu, false),
    ("thurs", Weekday::Thu, false),
    ("fri", Weekday::Fri, false),
    ("lun", Weekday::Mon, false),
    ("mie", Weekday::Wed, false),
    ("jue", Weekday::Thu, false),
    ("vie", Weekday::Fri, false),
    ("sab", Weekday::Sat, false),
    ("dom", Weekday::Sun, false),
    ("mon", Weekday::Mon, true),
    ("wed", Weekday::Wed, true),
    ("sat", Weekday::Sat, true),
    ("sun", Weekday::Sun, true),
];

/// Words before an ambiguous abbreviation that make it a day ("open sat", "this sun").
const DAY_BEFORE: &[&str] = &[
    "on",
    "this",
    "next",
    "open",
    "opened",
    "openings",
    "opening",
    "availability",
    "avail",
    "until",
    "til",
    "till",
    "thru",
    "through",
    "every",
    "or",
    "and",
    "by",
    "for",
    "el",
    "este",
    "y",
    "o",
];

/// Words after an ambiguous abbreviation that make it a day ("sat morning", "sun hours").
const DAY_AFTER: &[&str] = &[
    "at",
    "or",
    "and",
    "morning",
    "afternoon",
    "evening",
    "night",
    "am",
    "pm",
    "hours",
    "hrs",
    "open",
    "appointment",
    "appt",
    "y",
    "o",
    "a",
    "en",
    "por",
];

const TODAY: &[&str] = &["today", "tonight", "tonite", "hoy"];
const TOMORROW: &[&str] = &[
    "tomorrow",
    "tmrw",
    "tmr",
    "tmrow",
    "tomm",
    "2morrow",
    "tommorow",
    "tommorrow",
    "tomorow",
];
const WEEKEND: &[&str] = &["weekend", "weekends", "finde"];

/// Month words, folded. Ambiguous ones ("may", "mar", "ago") are read only next to a day
/// number, and "ago" only as "2 de ago" ("2 weeks ago" is not August).
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("enero", 1),
    ("ene", 1),
    ("february", 2),
    ("feb", 2),
    ("febrero", 2),
    ("march", 3),
    ("mar", 3),
    ("marzo", 3),
    ("april", 4),
    ("apr", 4),
    ("abril", 4),
    ("abr", 4),
    ("may", 5),
    ("mayo", 5),
    ("june", 6),
    ("jun", 6),
    ("junio", 6),
    ("july", 7),
    ("jul", 7),
    ("julio", 7),
    ("august", 8),
    ("aug", 8),
    ("agosto", 8),
    ("ago", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("septiembre", 9),
    ("setiembre", 9),
    ("october", 10),
    ("oct", 10),
    ("octubre", 10),
    ("november", 11),
    ("nov", 11),
    ("noviembre", 11),
    ("december", 12),
    ("dec", 12),
    ("diciembre", 12),
    ("dic", 12),
];

/// Words after "n/n" that make it a quantity or a score ("1/2 syringe", "10/10 would
/// recommend"), as the redactor reads them.
const NOT_AFTER_SLASH: &[&str] = &[
    "syringe", "syringes", "ml", "cc", "vial", "vials", "off", "units", "unit", "stars", "star",
    "would", "price", "of", "cup", "tsp", "mg", "jeringa", "jeringas",
];

/// The first day `tokens` name, resolved against `today` (the clinic-local date).
pub(crate) fn find(
    text: &str,
    tokens: &[Token],
    lang: Lang,
    today: NaiveDate,
) -> Option<NaiveDate> {
    (0..tokens.len()).find_map(|i| day_at(text, tokens, i, lang, today))
}

fn day_at(
    text: &str,
    tokens: &[Token],
    i: usize,
    lang: Lang,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let word = tokens[i].text.as_str();
    let prev = i.checked_sub(1).map(|p| tokens[p].text.as_str());
    let next = tokens.get(i + 1).map(|t| t.text.as_str());
    if word.starts_with(|c: char| c.is_ascii_digit()) {
        if let Some(date) = written_date(text, tokens, i, lang, today) {
            return Some(date);
        }
    }
    if let Some(date) = month_first(tokens, i, today) {
        return Some(date);
    }
    if TODAY.contains(&word) {
        return Some(today);
    }
    if TOMORROW.contains(&word) || is_like(word, "tomorrow") {
        return Some(today + Duration::days(1));
    }
    if word == "manana" {
        return match prev {
            Some("pasado") => Some(today + Duration::days(2)),
            Some("esta") => Some(today),
            // "por la mañana", "en la mañana", "las mañanas": the morning, not tomorrow.
            Some("la" | "las") => None,
            _ => Some(today + Duration::days(1)),
        };
    }
    if word == "after" && prev == Some("day") && next.is_some_and(|n| TOMORROW.contains(&n)) {
        return Some(today + Duration::days(2));
    }
    if WEEKEND.contains(&word)
        || (word == "fin"
            && next == Some("de")
            && tokens.get(i + 2).is_some_and(|t| t.text == "semana"))
    {
        return Some(weekend(today));
    }
    weekday(tokens, i).map(|day| next_weekday(today, day))
}

fn is_like(word: &str, known: &str) -> bool {
    matches!(
        closeness(word, known),
        Some(Closeness::Inflected | Closeness::Typo(_))
    )
}

fn weekday(tokens: &[Token], i: usize) -> Option<Weekday> {
    let word = tokens[i].text.as_str();
    let (_, day, ambiguous) = WEEKDAYS.iter().find(|(name, _, ambiguous)| {
        if *ambiguous || name.len() < 5 {
            // Exact only: "thu" + "s" is "thus".
            word == *name
        } else {
            closeness(word, name).is_some()
        }
    })?;
    if *ambiguous && !expects_day(tokens, i) {
        return None;
    }
    Some(*day)
}

/// Whether an abbreviation that is also a word stands where a day would ("open sat?",
/// "sun 10am", or the whole message) rather than in a sentence ("I sat in traffic", "too much
/// sun", "c'mon").
fn expects_day(tokens: &[Token], i: usize) -> bool {
    let prev = i.checked_sub(1).map(|p| tokens[p].text.as_str());
    let next = tokens.get(i + 1).map(|t| t.text.as_str());
    prev.is_some_and(|p| DAY_BEFORE.contains(&p))
        || next
            .is_some_and(|n| DAY_AFTER.contains(&n) || n.starts_with(|c: char| c.is_ascii_digit()))
        || tokens.len() == 1
}

/// "This weekend" is Saturday's hours, or today when today is already Sunday.
fn weekend(today: NaiveDate) -> NaiveDate {
    if today.weekday() == Weekday::Sun {
        today
    } else {
        next_weekday(today, Weekday::Sat)
    }
}

fn next_weekday(today: NaiveDate, day: Weekday) -> NaiveDate {
    let ahead = (7 + day.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
    today + Duration::days(i64::from(ahead))
}

/// A day-of-month number, with an ordinal ending ("24th", "1st", "1ro", "1er").
fn day_number(word: &str) -> Option<u32> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let (n, rest) = word.split_at(digits);
    if !(1..=2).contains(&n.len()) || !["", "st", "nd", "rd", "th", "ro", "er", "o"].contains(&rest)
    {
        return None;
    }
    n.parse().ok().filter(|d| (1..=31).contains(d))
}

fn month(word: &str) -> Option<u32> {
    MONTHS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|(_, m)| *m)
}

/// A four-digit year after a written date ("dec 24 2026", "24 de diciembre de 2026").
fn year_after(tokens: &[Token], mut i: usize) -> Option<i32> {
    if tokens
        .get(i)
        .is_some_and(|t| t.text == "de" || t.text == "del")
    {
        i += 1;
    }
    let t = tokens.get(i)?;
    (t.text.len() == 4 && t.text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| t.text.parse().ok())
        .flatten()
}

/// "dec 24", "december 24th", "diciembre 24".
fn month_first(tokens: &[Token], i: usize, today: NaiveDate) -> Option<NaiveDate> {
    let m = month(&tokens[i].text)?;
    if tokens[i].text == "ago" {
        return None;
    }
    let d = day_number(&tokens.get(i + 1)?.text)?;
    resolve(today, year_after(tokens, i + 2), m, d)
}

/// A date starting with a number: "12/24", "12/24/2026", "2026-12-24", "24 dec",
/// "24th of december", "24 de diciembre".
fn written_date(
    text: &str,
    tokens: &[Token],
    i: usize,
    lang: Lang,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let first = &tokens[i];
    let between = |a: &Token, b: &Token| &text[a.end..b.start];
    if let Some(second) = tokens.get(i + 1) {
        if first.text.len() == 4 && between(first, second) == "-" {
            return iso(text, tokens, i);
        }
        if between(first, second) == "/" {
            return numeric(text, tokens, i, lang, today);
        }
    }
    let d = day_number(&first.text)?;
    let mut j = i + 1;
    let mut joined = false;
    if tokens
        .get(j)
        .is_some_and(|t| t.text == "de" || t.text == "of")
    {
        j += 1;
        joined = true;
    }
    let month_token = tokens.get(j)?;
    let m = month(&month_token.text)?;
    if month_token.text == "ago" && !joined {
        return None;
    }
    resolve(today, year_after(tokens, j + 1), m, d)
}

/// "2026-12-24": year first, so unambiguous in any language.
fn iso(text: &str, tokens: &[Token], i: usize) -> Option<NaiveDate> {
    let (y, m, d) = (tokens.get(i)?, tokens.get(i + 1)?, tokens.get(i + 2)?);
    if &text[m.end..d.start] != "-" {
        return None;
    }
    NaiveDate::from_ymd_opt(
        y.text.parse().ok()?,
        m.text.parse().ok()?,
        d.text.parse().ok()?,
    )
}

/// "12/24" or "12/24/26": month first in English and day first in Spanish, unless only the
/// other order is a date ("24/12" in English is the 24th of December).
fn numeric(
    text: &str,
    tokens: &[Token],
    i: usize,
    lang: Lang,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let (a, b) = (&tokens[i], tokens.get(i + 1)?);
    let short = |t: &Token| t.text.len() <= 2 && t.text.bytes().all(|c| c.is_ascii_digit());
    if !short(a) || !short(b) {
        return None;
    }
    let (x, y): (u32, u32) = (a.text.parse().ok()?, b.text.parse().ok()?);
    let mut year = None;
    let mut after = i + 2;
    if let Some(c) = tokens.get(i + 2) {
        if &text[b.end..c.start] == "/" {
            let digits = c.text.bytes().all(|d| d.is_ascii_digit());
            year = match (digits, c.text.len()) {
                (true, 2) => c.text.parse::<i32>().ok().map(|y| 2000 + y),
                (true, 4) => c.text.parse().ok(),
                _ => return None,
            };
            after = i + 3;
        }
    }
    if year.is_none() && (x, y) == (24, 7) {
        return None; // "open 24/7"
    }
    if tokens
        .get(after)
        .is_some_and(|t| NOT_AFTER_SLASH.contains(&t.text.as_str()))
    {
        return None;
    }
    let month_first = match lang {
        Lang::En => x <= 12 || y > 12,
        Lang::Es => y > 12 && x <= 12,
    };
    let (m, d) = if month_first { (x, y) } else { (y, x) };
    if !(1..=12).contains(&m) {
        return None;
    }
    resolve(today, year, m, d)
}

/// The date with that month and day: in `year` when written, else the next one on or after
/// today (February 29 waits for the next leap year).
fn resolve(today: NaiveDate, year: Option<i32>, month: u32, day: u32) -> Option<NaiveDate> {
    if let Some(y) = year {
        return NaiveDate::from_ymd_opt(y, month, day);
    }
    (today.year()..=today.year() + 8)
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .find(|d| *d >= today)
}
