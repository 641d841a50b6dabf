//! Opening hours: 24-hour `"HH:MM-HH:MM"` spans per weekday and per holiday, to minutes after
//! local midnight. Only 24-hour times are accepted: "9-6" or "9am-6pm" look friendlier but
//! "12am"/"12pm" and a forgotten suffix are exactly the mistakes that publish wrong hours.

use serde_json::Value;

use super::error::Problem;
use super::read::{array, object, text, Path, Report};
use crate::clinic::facts::{Holiday, Span, WeekHours};

/// The weekday keys, Monday first like [`WeekHours`].
pub(crate) const DAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// `"09:00"` or `"9:00"` to minutes after midnight. `"24:00"` (end of day) only when
/// `closing`, so a span can run to midnight but nothing opens at it.
pub(crate) fn time(written: &str, closing: bool) -> Result<u16, Problem> {
    let s = written.trim();
    let lower = s.to_ascii_lowercase();
    if lower.contains("am")
        || lower.contains("pm")
        || lower.contains("a.m")
        || lower.contains("p.m")
    {
        return Err(Problem::AmPm);
    }
    let (h, m) = s.split_once(':').ok_or(Problem::Time)?;
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    if !(digits(h) && h.len() <= 2 && digits(m) && m.len() == 2) {
        return Err(Problem::Time);
    }
    let (h, m): (u16, u16) = (
        h.parse().map_err(|_| Problem::Time)?,
        m.parse().map_err(|_| Problem::Time)?,
    );
    match (h, m) {
        (24, 0) if closing => Ok(24 * 60),
        (0..=23, 0..=59) => Ok(h * 60 + m),
        _ => Err(Problem::Time),
    }
}

/// `"09:00-18:00"` (a hyphen or an en dash, spaces allowed) to a [`Span`] that opens before it
/// closes.
pub(crate) fn span(written: &str) -> Result<Span, Problem> {
    let s = written.trim();
    let (open, close) = s
        .split_once('-')
        .or_else(|| s.split_once('\u{2013}'))
        .ok_or_else(|| {
            if time(s, false) == Err(Problem::AmPm) {
                Problem::AmPm
            } else {
                Problem::Span
            }
        })?;
    let (open, close) = match (time(open, false), time(close, true)) {
        (Ok(o), Ok(c)) => (o, c),
        (Err(Problem::AmPm), _) | (_, Err(Problem::AmPm)) => return Err(Problem::AmPm),
        _ => return Err(Problem::Span),
    };
    if open >= close {
        return Err(Problem::SpanBackwards);
    }
    Ok(Span { open, close })
}

/// A day's spans: a list of span strings, in order and not overlapping. An empty list is a
/// closed day.
pub(crate) fn day(report: &mut Report, v: &Value, path: &Path) -> Option<Vec<Span>> {
    let items = array(report, v, path)?;
    let mut spans = Vec::with_capacity(items.len());
    let mut ok = true;
    let mut previous_close: Option<u16> = None;
    for (i, item) in items.iter().enumerate() {
        let item_path = path.index(i);
        let Some(s) = text(report, item, &item_path) else {
            ok = false;
            continue;
        };
        match span(&s) {
            Ok(sp) => {
                if previous_close.is_some_and(|close| sp.open < close) {
                    report.fail(&item_path, Problem::SpanOverlap);
                    ok = false;
                }
                previous_close = Some(sp.close);
                spans.push(sp);
            }
            Err(problem) => {
                report.fail(&item_path, problem);
                ok = false;
            }
        }
    }
    ok.then_some(spans)
}

/// `{"monday": [...], ..., "sunday": []}`: all seven days, so a forgotten day is an error
/// rather than a day the clinic silently appears closed.
pub(crate) fn week(report: &mut Report, v: &Value, path: &Path) -> Option<WeekHours> {
    let obj = object(report, v, path, &DAYS)?;
    let days: Vec<Option<Vec<Span>>> = DAYS
        .iter()
        .map(|name| {
            obj.req(
                report,
                name,
                "a list of spans like [\"09:00-18:00\"], or [] when closed",
            )
            .and_then(|(v, p)| day(report, v, &p))
        })
        .collect();
    let days: Vec<Vec<Span>> = days.into_iter().collect::<Option<_>>()?;
    let days: [Vec<Span>; 7] = days.try_into().ok()?;
    Some(WeekHours(days))
}

/// `"2026-12-25"` to a date.
pub(crate) fn date(report: &mut Report, v: &Value, path: &Path) -> Option<chrono::NaiveDate> {
    let s = text(report, v, path)?;
    let parsed = chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d")
        .ok()
        .filter(|_| s.len() == 10);
    if parsed.is_none() {
        report.fail(path, Problem::Date);
    }
    parsed
}

/// `{"date": "2026-12-25", "name": "Christmas", "hours": []}`.
pub(crate) fn holiday(report: &mut Report, v: &Value, path: &Path) -> Option<Holiday> {
    let obj = object(report, v, path, &["date", "name", "hours"])?;
    let date = obj
        .req(report, "date", "the date, like \"2026-12-25\"")
        .and_then(|(v, p)| date(report, v, &p));
    let name = obj
        .req(report, "name", "the holiday's name")
        .and_then(|(v, p)| text(report, v, &p));
    let hours = obj
        .req(report, "hours", "the day's spans, or [] when closed")
        .and_then(|(v, p)| day(report, v, &p));
    Some(Holiday {
        date: date?,
        name: name?,
        hours: hours?,
    })
}

/// A location's holidays; a date listed twice is an error (which entry would apply?).
pub(crate) fn holidays(report: &mut Report, v: &Value, path: &Path) -> Option<Vec<Holiday>> {
    let items = array(report, v, path)?;
    let mut out: Vec<Holiday> = Vec::with_capacity(items.len());
    let mut firsts: Vec<(chrono::NaiveDate, Path)> = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let p = path.index(i);
        let Some(h) = holiday(report, item, &p) else {
            ok = false;
            continue;
        };
        if let Some((_, first)) = firsts.iter().find(|(d, _)| *d == h.date) {
            report.fail(
                &p.key("date"),
                Problem::Duplicate {
                    first: first.as_str().to_string(),
                },
            );
            ok = false;
        } else {
            firsts.push((h.date, p.key("date")));
        }
        out.push(h);
    }
    ok.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn times_are_24_hour() {
        assert_eq!(time("09:00", false), Ok(540));
        assert_eq!(time("9:05", false), Ok(545));
        assert_eq!(time("23:59", false), Ok(1439));
        assert_eq!(time("00:00", false), Ok(0));
        assert_eq!(time("24:00", true), Ok(1440));
        assert_eq!(time("24:00", false), Err(Problem::Time));
        for bad in [
            "24:01", "9", "9:5", "09:60", "0900", "9.00", "", ":30", "-1:00", "123:00",
        ] {
            assert_eq!(time(bad, true), Err(Problem::Time), "{bad:?}");
        }
        assert_eq!(time("9am", false), Err(Problem::AmPm));
        assert_eq!(time("6:00 PM", false), Err(Problem::AmPm));
    }

    #[test]
    fn spans_open_before_they_close() {
        assert_eq!(
            span("09:00-18:00"),
            Ok(Span {
                open: 540,
                close: 1080
            })
        );
        assert_eq!(
            span(" 9:00 – 18:30 "),
            Ok(Span {
                open: 540,
                close: 1110
            })
        );
        assert_eq!(
            span("20:00-24:00"),
            Ok(Span {
                open: 1200,
                close: 1440
            })
        );
        assert_eq!(span("18:00-09:00"), Err(Problem::SpanBackwards));
        assert_eq!(span("09:00-09:00"), Err(Problem::SpanBackwards));
        assert_eq!(span("9am-6pm"), Err(Problem::AmPm));
        assert_eq!(span("9am"), Err(Problem::AmPm));
        assert_eq!(span("closed"), Err(Problem::Span));
        assert_eq!(span("09:00"), Err(Problem::Span));
        assert_eq!(span("09:00-18:00-20:00"), Err(Problem::Span));
    }

    fn errors(f: impl FnOnce(&mut Report)) -> Vec<(String, Problem)> {
        let mut r = Report::default();
        f(&mut r);
        r.errors.into_iter().map(|e| (e.path, e.problem)).collect()
    }

    #[test]
    fn a_day_is_sorted_and_without_overlaps() {
        let p = Path::root().key("saturday");
        let mut r = Report::default();
        let spans = day(&mut r, &json!(["09:00-12:00", "12:00-17:00"]), &p).unwrap();
        assert_eq!(spans.len(), 2, "touching spans are allowed");
        assert_eq!(day(&mut r, &json!([]), &p), Some(vec![]));
        assert!(r.errors.is_empty());

        let e = errors(|r| {
            assert!(day(r, &json!(["09:00-13:00", "12:00-17:00"]), &p).is_none());
        });
        assert_eq!(e, [("saturday[1]".to_string(), Problem::SpanOverlap)]);
        let e = errors(|r| {
            assert!(day(r, &json!(["14:00-17:00", "09:00-12:00"]), &p).is_none());
        });
        assert_eq!(e, [("saturday[1]".to_string(), Problem::SpanOverlap)]);
        let e = errors(|r| {
            assert!(day(r, &json!(["9am-1pm", 5, "18:00-10:00"]), &p).is_none());
        });
        let paths: Vec<&str> = e.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["saturday[0]", "saturday[1]", "saturday[2]"]);
        assert_eq!(e[2].1, Problem::SpanBackwards);
    }

    #[test]
    fn a_week_needs_all_seven_days() {
        let p = Path::root().key("hours");
        let mut full = serde_json::Map::new();
        for d in DAYS {
            full.insert(d.to_string(), json!(["09:00-17:00"]));
        }
        full.insert("sunday".to_string(), json!([]));
        let mut r = Report::default();
        let w = week(&mut r, &Value::Object(full.clone()), &p).unwrap();
        assert_eq!(
            w.0[0],
            vec![Span {
                open: 540,
                close: 1020
            }]
        );
        assert!(w.0[6].is_empty());

        full.remove("wednesday");
        full.insert("satruday".to_string(), json!([]));
        let e = errors(|r| assert!(week(r, &Value::Object(full), &p).is_none()));
        assert_eq!(
            e[0],
            (
                "hours.satruday".to_string(),
                Problem::UnknownField {
                    suggestion: Some("saturday")
                }
            )
        );
        assert_eq!(e[1].0, "hours.wednesday");
        assert!(matches!(e[1].1, Problem::Missing { .. }));
    }

    #[test]
    fn holidays_have_real_unique_dates() {
        let p = Path::root().key("holidays");
        let mut r = Report::default();
        let h = holidays(
            &mut r,
            &json!([{"date": "2026-12-25", "name": "Christmas", "hours": []},
                    {"date": "2026-12-24", "name": "Christmas Eve", "hours": ["09:00-14:00"]}]),
            &p,
        )
        .unwrap();
        assert_eq!(
            h[0].date,
            chrono::NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()
        );
        assert_eq!(
            h[1].hours,
            vec![Span {
                open: 540,
                close: 840
            }]
        );

        let e = errors(|r| {
            let v = json!([{"date": "2026-12-25", "name": "Christmas", "hours": []},
                           {"date": "2026-12-25", "name": "Again", "hours": []},
                           {"date": "2026-02-30", "name": "Bad", "hours": []},
                           {"date": "12/25/2026", "name": "Bad", "hours": []},
                           {"date": "2026-1-5", "name": "Short", "hours": []},
                           {"name": "No date"}]);
            assert!(holidays(r, &v, &p).is_none());
        });
        assert_eq!(
            e[0],
            (
                "holidays[1].date".to_string(),
                Problem::Duplicate {
                    first: "holidays[0].date".to_string()
                }
            )
        );
        assert_eq!(e[1], ("holidays[2].date".to_string(), Problem::Date));
        assert_eq!(e[2], ("holidays[3].date".to_string(), Problem::Date));
        assert_eq!(e[3], ("holidays[4].date".to_string(), Problem::Date));
        assert_eq!(e[4].0, "holidays[5].date");
        assert_eq!(e[5].0, "holidays[5].hours");
        assert_eq!(e.len(), 6);
    }
}
