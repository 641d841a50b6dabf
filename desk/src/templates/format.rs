//! How facts read in a text message, per language: money, prices, clock times, opening hours,
//! dates, durations and phone numbers.
//!
//! Every function here is total over the validated facts' types and never invents a value: a
//! price is the clinic's cents, an hour is the clinic's minutes. Formats follow what a patient
//! in the US expects ("$1,250", "9:00 AM"); Spanish uses the 24-hour clock, as Spanish speakers
//! write it, and keeps the dollar sign and US digit grouping (the clinic charges in dollars).

use chrono::{Datelike, NaiveDate};

use crate::clinic::facts::{Price, PriceUnit, Span};
use crate::clinic::Lang;

/// Dollars with US digit grouping; cents only when there are any ("$650", "$12.50", "$0.05").
pub fn money(cents: u64) -> String {
    let dollars = cents / 100;
    let rest = cents % 100;
    let digits = dollars.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 4);
    grouped.push('$');
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if rest != 0 {
        grouped.push_str(&format!(".{rest:02}"));
    }
    grouped
}

/// A service's price as the clinic states it. A consultation price is never a number: the
/// patient is told a consultation sets it, so no figure can be quoted that the clinic did not
/// commit to.
pub fn price(price: &Price, lang: Lang) -> String {
    match (price, lang) {
        (Price::Fixed { cents }, _) => money(*cents),
        (Price::From { cents }, Lang::En) => format!("from {}", money(*cents)),
        (Price::From { cents }, Lang::Es) => format!("desde {}", money(*cents)),
        (
            Price::Range {
                from_cents,
                to_cents,
            },
            _,
        ) => format!("{}-{}", money(*from_cents), money(*to_cents)),
        (Price::PerUnit { cents, unit }, _) => {
            format!("{} {}", money(*cents), per_unit(*unit, lang))
        }
        (Price::Consultation, Lang::En) => "priced at a consultation".to_owned(),
        (Price::Consultation, Lang::Es) => "se cotiza en consulta".to_owned(),
    }
}

fn per_unit(unit: PriceUnit, lang: Lang) -> &'static str {
    match (unit, lang) {
        (PriceUnit::Unit, Lang::En) => "per unit",
        (PriceUnit::Syringe, Lang::En) => "per syringe",
        (PriceUnit::Area, Lang::En) => "per area",
        (PriceUnit::Session, Lang::En) => "per session",
        (PriceUnit::Unit, Lang::Es) => "por unidad",
        (PriceUnit::Syringe, Lang::Es) => "por jeringa",
        (PriceUnit::Area, Lang::Es) => "por área",
        (PriceUnit::Session, Lang::Es) => "por sesión",
    }
}

/// A monthly fee ("$99/month", "$99 al mes").
pub fn monthly(cents: u64, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{}/month", money(cents)),
        Lang::Es => format!("{} al mes", money(cents)),
    }
}

/// A clock time from minutes after midnight. 1440 is the end of the day: "12:00 AM" / "24:00",
/// so a span that closes at midnight reads as closing then, not at the start of the day.
pub fn time(minutes: u16, lang: Lang) -> String {
    let minute = minutes % 60;
    match lang {
        Lang::En => {
            let hour = (minutes / 60) % 24;
            let half = if hour < 12 { "AM" } else { "PM" };
            let h12 = if hour % 12 == 0 { 12 } else { hour % 12 };
            format!("{h12}:{minute:02} {half}")
        }
        Lang::Es => format!("{}:{minute:02}", minutes / 60),
    }
}

/// One opening span ("9:00 AM-7:00 PM", "9:00-19:00").
pub fn span(span: &Span, lang: Lang) -> String {
    format!("{}-{}", time(span.open, lang), time(span.close, lang))
}

/// A day's opening: its spans joined, or closed.
pub fn day_hours(spans: &[Span], lang: Lang) -> String {
    if spans.is_empty() {
        return closed(lang).to_owned();
    }
    let joiner = match lang {
        Lang::En => " & ",
        Lang::Es => " y ",
    };
    spans
        .iter()
        .map(|s| span(s, lang))
        .collect::<Vec<_>>()
        .join(joiner)
}

pub fn closed(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "closed",
        Lang::Es => "cerrado",
    }
}

/// Marks a day whose hours come from a holiday entry, so "closed" on a weekday is not read as a
/// mistake.
pub fn holiday_note(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "(holiday)",
        Lang::Es => "(festivo)",
    }
}

const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const WEEKDAYS_ES: [&str; 7] = ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_ES: [&str; 12] = [
    "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic",
];

fn weekday_name(index: usize, lang: Lang) -> &'static str {
    let names = match lang {
        Lang::En => &WEEKDAYS_EN,
        Lang::Es => &WEEKDAYS_ES,
    };
    names[index % 7]
}

/// A whole week in as few words as an SMS allows: consecutive days with the same spans are one
/// range ("Mon-Fri 9:00 AM-7:00 PM, Sat 9:00 AM-5:00 PM, Sun closed"). `days` is Monday first.
pub fn week(days: &[Vec<Span>; 7], lang: Lang) -> String {
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for i in 0..7 {
        match groups.last_mut() {
            Some((_, end)) if days[*end] == days[i] => *end = i,
            _ => groups.push((i, i)),
        }
    }
    groups
        .iter()
        .map(|&(start, end)| {
            let label = if start == end {
                weekday_name(start, lang).to_owned()
            } else {
                format!("{}-{}", weekday_name(start, lang), weekday_name(end, lang))
            };
            format!("{label} {}", day_hours(&days[start], lang))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A date as a text message says it ("Sat, Mar 15", "sáb 15 mar"); the year is left out
/// because the matcher only resolves days ahead of today.
pub fn date(day: NaiveDate, lang: Lang) -> String {
    let weekday = weekday_name(day.weekday().num_days_from_monday() as usize, lang);
    let month_index = day.month0() as usize % 12;
    match lang {
        Lang::En => format!("{weekday}, {} {}", MONTHS_EN[month_index], day.day()),
        Lang::Es => format!("{weekday} {} {}", day.day(), MONTHS_ES[month_index]),
    }
}

/// How long a treatment takes ("45 minutes", "1 hour 30 minutes", "1 hora 30 minutos").
pub fn duration(minutes: u16, lang: Lang) -> String {
    let hours = minutes / 60;
    let rest = minutes % 60;
    let (hour, hours_word, minute, minutes_word) = match lang {
        Lang::En => ("hour", "hours", "minute", "minutes"),
        Lang::Es => ("hora", "horas", "minuto", "minutos"),
    };
    let hours_part = match hours {
        0 => None,
        1 => Some(format!("1 {hour}")),
        n => Some(format!("{n} {hours_word}")),
    };
    let minutes_part = match rest {
        0 => None,
        1 => Some(format!("1 {minute}")),
        n => Some(format!("{n} {minutes_word}")),
    };
    match (hours_part, minutes_part) {
        (Some(h), Some(m)) => format!("{h} {m}"),
        (Some(h), None) => h,
        (None, Some(m)) => m,
        (None, None) => format!("0 {minutes_word}"),
    }
}

/// A US number in E.164 ("+13105550100") as people write it ("(310) 555-0100"); anything else
/// exactly as the clinic wrote it, since reformatting a foreign number could break it.
pub fn phone(written: &str) -> String {
    let trimmed = written.trim();
    match trimmed.strip_prefix("+1") {
        Some(rest) if rest.len() == 10 && rest.bytes().all(|b| b.is_ascii_digit()) => {
            format!("({}) {}-{}", &rest[..3], &rest[3..6], &rest[6..])
        }
        _ => trimmed.to_owned(),
    }
}

/// Whether text already ends a sentence, so a template's period after it is not doubled.
pub fn ends_sentence(text: &str) -> bool {
    text.trim_end().ends_with(['.', '!', '?'])
}

/// Clinic text made into a complete sentence, for lists of several items joined by spaces.
pub fn sentence(text: &str) -> String {
    let trimmed = text.trim();
    if ends_sentence(trimmed) {
        trimmed.to_owned()
    } else {
        format!("{trimmed}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn s(open: u16, close: u16) -> Span {
        Span { open, close }
    }

    #[test]
    fn money_shows_cents_only_when_there_are_some_and_groups_thousands() {
        assert_eq!(money(65_000), "$650");
        assert_eq!(money(1_250), "$12.50");
        assert_eq!(money(5), "$0.05");
        assert_eq!(money(0), "$0");
        assert_eq!(money(1_400), "$14");
        assert_eq!(money(125_000), "$1,250");
        assert_eq!(money(125_050), "$1,250.50");
        assert_eq!(money(100_000), "$1,000");
        assert_eq!(money(99_999), "$999.99");
        assert_eq!(money(123_456_789), "$1,234,567.89");
        assert_eq!(money(10), "$0.10");
    }

    #[test]
    fn prices_read_per_language_and_consultation_has_no_figure() {
        let unit = Price::PerUnit {
            cents: 1_400,
            unit: PriceUnit::Unit,
        };
        assert_eq!(price(&unit, Lang::En), "$14 per unit");
        assert_eq!(price(&unit, Lang::Es), "$14 por unidad");
        let from = Price::From { cents: 15_000 };
        assert_eq!(price(&from, Lang::En), "from $150");
        assert_eq!(price(&from, Lang::Es), "desde $150");
        let range = Price::Range {
            from_cents: 50_000,
            to_cents: 80_000,
        };
        assert_eq!(price(&range, Lang::En), "$500-$800");
        assert_eq!(price(&range, Lang::Es), "$500-$800");
        assert_eq!(price(&Price::Fixed { cents: 65_000 }, Lang::Es), "$650");
        let syringe = Price::PerUnit {
            cents: 72_500,
            unit: PriceUnit::Syringe,
        };
        assert_eq!(price(&syringe, Lang::En), "$725 per syringe");
        assert_eq!(price(&syringe, Lang::Es), "$725 por jeringa");
        for lang in Lang::ALL {
            let text = price(&Price::Consultation, lang);
            assert!(
                !text.chars().any(|c| c.is_ascii_digit() || c == '$'),
                "{text}"
            );
        }
        assert_eq!(
            price(&Price::Consultation, Lang::En),
            "priced at a consultation"
        );
        assert_eq!(monthly(9_900, Lang::En), "$99/month");
        assert_eq!(monthly(9_950, Lang::Es), "$99.50 al mes");
    }

    #[test]
    fn times_are_twelve_hour_in_english_and_twenty_four_hour_in_spanish() {
        assert_eq!(time(9 * 60, Lang::En), "9:00 AM");
        assert_eq!(time(19 * 60, Lang::En), "7:00 PM");
        assert_eq!(time(12 * 60, Lang::En), "12:00 PM");
        assert_eq!(time(0, Lang::En), "12:00 AM");
        assert_eq!(time(12 * 60 + 30, Lang::En), "12:30 PM");
        assert_eq!(time(1440, Lang::En), "12:00 AM");
        assert_eq!(time(9 * 60 + 5, Lang::Es), "9:05");
        assert_eq!(time(19 * 60, Lang::Es), "19:00");
        assert_eq!(time(0, Lang::Es), "0:00");
        assert_eq!(time(1440, Lang::Es), "24:00");
    }

    #[test]
    fn a_week_groups_consecutive_days_with_the_same_hours() {
        let weekday = vec![s(540, 1140)];
        let saturday = vec![s(540, 1020)];
        let days: [Vec<Span>; 7] = [
            weekday.clone(),
            weekday.clone(),
            weekday.clone(),
            weekday.clone(),
            weekday.clone(),
            saturday,
            vec![],
        ];
        assert_eq!(
            week(&days, Lang::En),
            "Mon-Fri 9:00 AM-7:00 PM, Sat 9:00 AM-5:00 PM, Sun closed"
        );
        assert_eq!(
            week(&days, Lang::Es),
            "lun-vie 9:00-19:00, sáb 9:00-17:00, dom cerrado"
        );
    }

    #[test]
    fn a_week_does_not_merge_equal_days_that_are_not_consecutive() {
        let open = vec![s(600, 1080)];
        let days: [Vec<Span>; 7] = [
            vec![],
            open.clone(),
            open.clone(),
            vec![],
            open.clone(),
            vec![s(600, 720), s(780, 960)],
            vec![],
        ];
        assert_eq!(
            week(&days, Lang::En),
            "Mon closed, Tue-Wed 10:00 AM-6:00 PM, Thu closed, Fri 10:00 AM-6:00 PM, \
             Sat 10:00 AM-12:00 PM & 1:00 PM-4:00 PM, Sun closed"
        );
        let every: [Vec<Span>; 7] = std::array::from_fn(|_| open.clone());
        assert_eq!(week(&every, Lang::Es), "lun-dom 10:00-18:00");
        let shut: [Vec<Span>; 7] = std::array::from_fn(|_| vec![]);
        assert_eq!(week(&shut, Lang::En), "Mon-Sun closed");
    }

    #[test]
    fn split_days_join_their_spans_per_language() {
        let spans = [s(540, 780), s(840, 1080)];
        assert_eq!(
            day_hours(&spans, Lang::En),
            "9:00 AM-1:00 PM & 2:00 PM-6:00 PM"
        );
        assert_eq!(day_hours(&spans, Lang::Es), "9:00-13:00 y 14:00-18:00");
        assert_eq!(day_hours(&[], Lang::Es), "cerrado");
    }

    #[test]
    fn dates_read_per_language() {
        assert_eq!(date(d(2025, 3, 15), Lang::En), "Sat, Mar 15");
        assert_eq!(date(d(2025, 3, 15), Lang::Es), "sáb 15 mar");
        assert_eq!(date(d(2025, 11, 27), Lang::En), "Thu, Nov 27");
        assert_eq!(date(d(2025, 1, 1), Lang::Es), "mié 1 ene");
        assert_eq!(date(d(2025, 12, 31), Lang::En), "Wed, Dec 31");
    }

    #[test]
    fn durations_read_in_hours_and_minutes() {
        assert_eq!(duration(45, Lang::En), "45 minutes");
        assert_eq!(duration(60, Lang::En), "1 hour");
        assert_eq!(duration(90, Lang::En), "1 hour 30 minutes");
        assert_eq!(duration(120, Lang::En), "2 hours");
        assert_eq!(duration(61, Lang::En), "1 hour 1 minute");
        assert_eq!(duration(1, Lang::Es), "1 minuto");
        assert_eq!(duration(90, Lang::Es), "1 hora 30 minutos");
        assert_eq!(duration(180, Lang::Es), "3 horas");
    }

    #[test]
    fn us_numbers_are_written_as_people_write_them_and_others_are_left_alone() {
        assert_eq!(phone("+13105550100"), "(310) 555-0100");
        assert_eq!(phone(" +13105550100 "), "(310) 555-0100");
        assert_eq!(phone("+523312345678"), "+523312345678");
        assert_eq!(phone("+1310555010"), "+1310555010");
        assert_eq!(phone("(310) 555-0100"), "(310) 555-0100");
    }

    proptest::proptest! {
        #[test]
        fn money_reads_back_as_the_cents_it_was_given(cents in 0u64..100_000_000_000) {
            let text = money(cents);
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            let value: u64 = digits.parse().unwrap();
            let read = if text.contains('.') { value } else { value * 100 };
            proptest::prop_assert_eq!(read, cents);
            let dollars = text.trim_start_matches('$').split('.').next().unwrap_or_default();
            let groups: Vec<&str> = dollars.split(',').collect();
            proptest::prop_assert!(groups[0].len() <= 3 && !groups[0].is_empty());
            proptest::prop_assert!(groups[1..].iter().all(|g| g.len() == 3));
        }
    }

    #[test]
    fn sentences_get_one_terminal_mark() {
        assert_eq!(
            sentence("Free lot behind the building"),
            "Free lot behind the building."
        );
        assert_eq!(sentence(" Free lot. "), "Free lot.");
        assert_eq!(sentence("Ask us!"), "Ask us!");
        assert!(ends_sentence("Yes?"));
        assert!(!ends_sentence("Visa, Amex"));
    }
}
