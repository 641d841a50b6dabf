//! Identifiers in marketing. A marketing text goes to many patients from one template, so any
//! personal identifier in it is either a leak (a patient's number, email or date of birth pasted
//! into a campaign) or one patient's data about to be broadcast. Replies and reminders are
//! written for one patient and may carry their appointment date and the clinic's number, so only
//! marketing is checked.
//!
//! Allowed in marketing: the clinic's own numbers, prices and percentages, times, and dates that
//! are today or later (an offer's end date). Not allowed: other phone numbers, email addresses,
//! full dates in the past (a date of birth looks like one), and runs of six or more digits
//! (account, card and confirmation numbers).

use super::words::{char_at, char_before, words};
use chrono::{Datelike, NaiveDate};
use std::ops::Range;

/// Digits in a row from which a number is an identifier rather than a price or a count.
pub const LONG_DIGIT_RUN: usize = 6;

/// What an identifier looks like; each becomes its own rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Found {
    Email,
    Phone,
    PastDate,
    DigitRun(usize),
}

/// Every identifier in a marketing `body`, in body order. `today` is the clinic's local date;
/// `clinic_numbers` are the clinic's own phone numbers in any format.
pub(super) fn find(
    body: &str,
    today: NaiveDate,
    clinic_numbers: &[&str],
) -> Vec<(Range<usize>, Found)> {
    let clinic: Vec<String> = clinic_numbers.iter().map(|n| digits_of(n)).collect();
    // Spans already explained (an email, a date, a phone number, allowed or not) are not counted
    // again as digit runs.
    let mut claimed: Vec<Range<usize>> = Vec::new();
    let mut out = Vec::new();
    for at in emails(body) {
        claimed.push(at.clone());
        out.push((at, Found::Email));
    }
    for (at, past) in dates(body, today) {
        if overlaps(&claimed, &at) {
            continue;
        }
        claimed.push(at.clone());
        if past {
            out.push((at, Found::PastDate));
        }
    }
    for at in phones(body) {
        if overlaps(&claimed, &at) {
            continue;
        }
        claimed.push(at.clone());
        if !is_clinic_number(&digits_of(&body[at.clone()]), &clinic) {
            out.push((at, Found::Phone));
        }
    }
    for at in digit_runs(body) {
        let n = at.len();
        if n < LONG_DIGIT_RUN || overlaps(&claimed, &at) {
            continue;
        }
        if !is_clinic_number(&body[at.clone()], &clinic) {
            out.push((at, Found::DigitRun(n)));
        }
    }
    out.sort_by_key(|(at, _)| at.start);
    out
}

fn overlaps(claimed: &[Range<usize>], at: &Range<usize>) -> bool {
    claimed.iter().any(|c| c.start < at.end && at.start < c.end)
}

fn digits_of(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// The same number with or without the country code ("+1 (555) 123-4567" is "555-123-4567"), or
/// the clinic's local seven digits.
fn is_clinic_number(found: &str, clinic: &[String]) -> bool {
    const MIN: usize = 7;
    const MAX_COUNTRY_CODE: usize = 3;
    !found.is_empty()
        && clinic.iter().any(|c| {
            found == c
                || (found.len() >= MIN && c.ends_with(found))
                || (c.len() >= MIN
                    && found.len() <= c.len() + MAX_COUNTRY_CODE
                    && found.ends_with(c.as_str()))
        })
}

fn digit_runs(body: &str) -> Vec<Range<usize>> {
    let bytes = body.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            out.push(start..i);
        } else {
            i += 1;
        }
    }
    out
}

fn is_email_local(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn is_host(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

/// `local@domain.tld`, the top-level domain being two or more letters.
fn emails(body: &str) -> Vec<Range<usize>> {
    let bytes = body.as_bytes();
    let mut out: Vec<Range<usize>> = Vec::new();
    for (at, _) in body.match_indices('@') {
        if out.last().is_some_and(|r| at < r.end) {
            continue;
        }
        let local = bytes[..at]
            .iter()
            .rev()
            .take_while(|b| is_email_local(**b))
            .count();
        let host = bytes[at + 1..].iter().take_while(|b| is_host(**b)).count();
        let domain = body[at + 1..at + 1 + host].trim_end_matches(['.', '-']);
        let tld_ok = domain.rsplit_once('.').is_some_and(|(name, tld)| {
            !name.is_empty() && tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic())
        });
        if local > 0 && tld_ok {
            out.push(at - local..at + 1 + domain.len());
        }
    }
    out
}

/// Phone-shaped numbers: "+" then 8 to 15 digits in any grouping, or the North American shapes
/// 3-3-4, 3-4 and 3-7 (with an optional leading 1) separated by spaces, dots, dashes or
/// parentheses. A bare run of digits is left to the digit-run rule; a number after a currency
/// sign is a price. Numbers that follow a phone number ("555 222 3333 2 times") are not part of it.
fn phones(body: &str) -> Vec<Range<usize>> {
    let bytes = body.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let starts = b.is_ascii_digit()
            || ((b == b'+' || b == b'(') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit));
        let boundary = !char_before(body, i)
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '$' | '€' | '£' | '¥'));
        if !(starts && boundary) {
            i += 1;
            continue;
        }
        let groups = number_groups(bytes, i);
        let plus = b == b'+';
        let phone_end = (1..=groups.len()).rev().find_map(|k| {
            let lens: Vec<usize> = groups[..k].iter().map(|g| g.len()).collect();
            let end = groups[k - 1].end;
            let fits = if plus {
                (8..=15).contains(&lens.iter().sum::<usize>())
            } else {
                let shape = match lens.split_first() {
                    Some((1, rest)) if bytes[groups[0].start] == b'1' => rest,
                    _ => &lens[..],
                };
                matches!(shape, [3, 3, 4] | [3, 4] | [3, 7])
            };
            (fits && !char_at(body, end).is_some_and(char::is_alphanumeric)).then_some(end)
        });
        let span_end = groups.last().map_or(i + 1, |g| g.end);
        match phone_end {
            Some(end) => {
                out.push(i..end);
                i = end;
            }
            None => i = span_end.max(i + 1),
        }
    }
    out
}

/// From `start`, the digit groups joined by short separators (" ", "-", ".", "(", ")", ") "), and
/// a "+" only at the very start.
fn number_groups(bytes: &[u8], start: usize) -> Vec<Range<usize>> {
    let mut groups = Vec::new();
    let mut i = start;
    while i < bytes.len() {
        let sep = bytes[i..]
            .iter()
            .take(3)
            .take_while(|b| matches!(b, b' ' | b'-' | b'.' | b'(' | b')' | b'+'))
            .count();
        if i != start && bytes[i..i + sep].contains(&b'+') {
            break;
        }
        let digits = bytes[i + sep..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 {
            break;
        }
        groups.push(i + sep..i + sep + digits);
        i += sep + digits;
    }
    groups
}

/// Full dates (day, month and year) and whether every reading of them is before `today`.
fn dates(body: &str, today: NaiveDate) -> Vec<(Range<usize>, bool)> {
    let mut out = numeric_dates(body, today);
    out.extend(written_dates(body, today));
    out.sort_by_key(|(r, _)| r.start);
    out
}

/// A two-digit year is the latest year not after this one's century turn: "25" is 2025 in 2025,
/// "87" is 1987.
fn full_year(digits: &str, today: NaiveDate) -> Option<i32> {
    let y: i32 = digits.parse().ok()?;
    match digits.len() {
        4 => Some(y),
        2 => {
            let this = today.year();
            let century = this - this % 100;
            Some(if century + y <= this + 10 {
                century + y
            } else {
                century - 100 + y
            })
        }
        _ => None,
    }
}

/// Whether the date is a date, and whether all its valid readings are in the past. `None` when
/// no reading is a real date.
fn judge(readings: &[(i32, u32, u32)], today: NaiveDate) -> Option<bool> {
    let valid: Vec<NaiveDate> = readings
        .iter()
        .filter_map(|(y, m, d)| NaiveDate::from_ymd_opt(*y, *m, *d))
        .collect();
    if valid.is_empty() {
        None
    } else {
        Some(valid.iter().all(|d| *d < today))
    }
}

/// `4/12/1987`, `04-12-87`, `12.04.1987` (month or day first), `1987-04-12`.
fn numeric_dates(body: &str, today: NaiveDate) -> Vec<(Range<usize>, bool)> {
    let bytes = body.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || char_before(body, i).is_some_and(char::is_alphanumeric) {
            i += 1;
            continue;
        }
        // Digit groups joined by one separator, all the same.
        let mut parts: Vec<&str> = Vec::new();
        let mut sep = None;
        let mut j = i;
        loop {
            let n = bytes[j..].iter().take_while(|b| b.is_ascii_digit()).count();
            parts.push(&body[j..j + n]);
            j += n;
            match bytes.get(j) {
                Some(s @ (b'/' | b'-' | b'.'))
                    if sep.is_none_or(|x| x == *s)
                        && bytes.get(j + 1).is_some_and(u8::is_ascii_digit) =>
                {
                    sep = Some(*s);
                    j += 1;
                }
                _ => break,
            }
        }
        let end = j;
        if parts.len() == 3 && !char_at(body, end).is_some_and(char::is_alphanumeric) {
            let num = |s: &str| s.parse::<u32>().ok();
            let readings: Vec<(i32, u32, u32)> =
                match (parts[0].len(), parts[1].len(), parts[2].len()) {
                    (1 | 2, 1 | 2, 2 | 4) => {
                        let (a, b, y) = (num(parts[0]), num(parts[1]), full_year(parts[2], today));
                        match (a, b, y) {
                            (Some(a), Some(b), Some(y)) => vec![(y, a, b), (y, b, a)],
                            _ => vec![],
                        }
                    }
                    (4, 1 | 2, 1 | 2) => {
                        match (parts[0].parse::<i32>().ok(), num(parts[1]), num(parts[2])) {
                            (Some(y), Some(m), Some(d)) => vec![(y, m, d)],
                            _ => vec![],
                        }
                    }
                    _ => vec![],
                };
            if let Some(past) = judge(&readings, today) {
                out.push((i..end, past));
            }
        }
        i = end.max(i + 1);
    }
    out
}

/// Month names in English and Spanish, with their usual abbreviations.
fn month(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    let m = match w.as_str() {
        "jan" | "january" | "ene" | "enero" => 1,
        "feb" | "february" | "febrero" => 2,
        "mar" | "march" | "marzo" => 3,
        "apr" | "april" | "abr" | "abril" => 4,
        "may" | "mayo" => 5,
        "jun" | "june" | "junio" => 6,
        "jul" | "july" | "julio" => 7,
        "aug" | "august" | "ago" | "agosto" => 8,
        "sep" | "sept" | "september" | "septiembre" | "setiembre" => 9,
        "oct" | "october" | "octubre" => 10,
        "nov" | "november" | "noviembre" => 11,
        "dec" | "december" | "dic" | "diciembre" => 12,
        _ => return None,
    };
    Some(m)
}

/// "5", "5th", "1st", "22nd", "3rd".
fn day(word: &str) -> Option<u32> {
    let n = word.bytes().take_while(u8::is_ascii_digit).count();
    let suffix = word[n..].to_ascii_lowercase();
    if !(1..=2).contains(&n) || !matches!(suffix.as_str(), "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    word[..n].parse().ok()
}

fn year(word: &str) -> Option<i32> {
    (word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()))
        .then(|| word.parse().ok())
        .flatten()
}

/// "April 12, 1987", "Apr. 12th 1987", "12 April 1987", "12 de abril de 1987".
fn written_dates(body: &str, today: NaiveDate) -> Vec<(Range<usize>, bool)> {
    let all = words(body);
    // Only "de"/"del" may sit between the parts, and only spaces, commas and dots between words.
    let ws: Vec<(usize, &str)> = all
        .into_iter()
        .filter(|(_, w)| !matches!(w.to_lowercase().as_str(), "de" | "del"))
        .collect();
    let joined = |a: &(usize, &str), b: &(usize, &str)| {
        let gap = &body[a.0 + a.1.len()..b.0];
        gap.chars().all(|c| matches!(c, ' ' | ',' | '.'))
            || gap
                .split_whitespace()
                .all(|w| matches!(w.to_lowercase().as_str(), "de" | "del" | "," | "."))
    };
    let mut out = Vec::new();
    for t in ws.windows(3) {
        let (a, b, c) = (&t[0], &t[1], &t[2]);
        if !(joined(a, b) && joined(b, c)) {
            continue;
        }
        let found = match (month(a.1), day(b.1), day(a.1), month(b.1), year(c.1)) {
            (Some(m), Some(d), _, _, Some(y)) => Some((y, m, d)),
            (_, _, Some(d), Some(m), Some(y)) => Some((y, m, d)),
            _ => None,
        };
        if let Some(reading) = found {
            if let Some(past) = judge(&[reading], today) {
                out.push((a.0..c.0 + c.1.len(), past));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLINIC: &[&str] = &["+15551234567", "(555) 765-4321"];

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, 15).unwrap()
    }

    fn found(body: &str) -> Vec<(&str, Found)> {
        find(body, today(), CLINIC)
            .into_iter()
            .map(|(at, f)| (&body[at], f))
            .collect()
    }

    #[test]
    fn identifiers_found() {
        use Found::*;
        let cases: &[(&str, &[(&str, Found)])] = &[
            (
                "Email anna.b+1@example.com now",
                &[("anna.b+1@example.com", Email)],
            ),
            ("Call 555-222-3333 today", &[("555-222-3333", Phone)]),
            ("Call (555) 222-3333", &[("(555) 222-3333", Phone)]),
            ("Call +1 555 222 3333", &[("+1 555 222 3333", Phone)]),
            ("Call 1-555-222-3333", &[("1-555-222-3333", Phone)]),
            ("Call 555.222.3333", &[("555.222.3333", Phone)]),
            ("Call 222-3333", &[("222-3333", Phone)]),
            ("Call +44 20 7946 0958", &[("+44 20 7946 0958", Phone)]),
            ("Born 04/12/1987", &[("04/12/1987", PastDate)]),
            ("Born 4-12-87", &[("4-12-87", PastDate)]),
            ("Born 1987-04-12", &[("1987-04-12", PastDate)]),
            ("Born April 12, 1987", &[("April 12, 1987", PastDate)]),
            ("Born 12th Apr 1987", &[("12th Apr 1987", PastDate)]),
            (
                "Nació el 12 de abril de 1987",
                &[("12 de abril de 1987", PastDate)],
            ),
            ("Ref 123456", &[("123456", DigitRun(6))]),
            (
                "Card 4111111111111111",
                &[("4111111111111111", DigitRun(16))],
            ),
            ("Call 5552223333", &[("5552223333", DigitRun(10))]),
            ("Text 555 222 3333 2 times", &[("555 222 3333", Phone)]),
            (
                "Call 9999915551234567",
                &[("9999915551234567", DigitRun(16))],
            ),
            ("Code 19870412", &[("19870412", DigitRun(8))]),
        ];
        for (body, want) in cases {
            assert_eq!(found(body), *want, "{body}");
        }
    }

    #[test]
    fn allowed_in_marketing() {
        for body in [
            "Call us at (555) 123-4567",
            "Call +1 555 123 4567",
            "Call 555-123-4567 or 555.765.4321",
            "Call 15551234567",
            "Call 5551234567",
            "Call 123-4567",
            "Offer ends 12/31/2025",
            "Offer ends 6/15/2025",
            "Offer ends Dec 31, 2025",
            "Oferta hasta el 31 de diciembre de 2025",
            "Offer ends 12/31",
            "Save $150 on 3 areas, 20% off",
            "Save $100-1500",
            "Open 9-5, 10:30am to 7pm",
            "Save $1,500 today",
            "Since 2019",
            "2024-2025 season",
            "Buy 2 get 1 free",
            "12345",
            "May 2025 specials",
            "Room 13/45/1990",
        ] {
            assert!(found(body).is_empty(), "{body}: {:?}", found(body));
        }
    }

    #[test]
    fn two_digit_years() {
        assert_eq!(full_year("25", today()), Some(2025));
        assert_eq!(full_year("35", today()), Some(2035));
        assert_eq!(full_year("36", today()), Some(1936));
        assert_eq!(full_year("87", today()), Some(1987));
        // "12/31/25" is this year's offer, not a birth date.
        assert!(found("Ends 12/31/25").is_empty());
        // Ambiguous day/month: past only when every reading is past.
        assert!(found("Ends 07/03/2025").is_empty());
        assert_eq!(
            found("Ended 03/04/2025"),
            vec![("03/04/2025", Found::PastDate)]
        );
    }
}
