//! Prices: dollars as the clinic writes them ("650", "12.50", "$1,250") to whole cents, read
//! digit by digit so no float ever rounds a price a patient is quoted.

use serde_json::Value;

use super::error::Problem;
use super::read::{kind_of, object, text, Path, Report};
use crate::clinic::facts::{Price, PriceUnit};

/// No treatment costs more than a million dollars: above it, the manager typed extra digits.
const MAX_CENTS: u64 = 100_000_000;

/// Dollars to cents: an optional `$`, digits (thousands may be grouped with commas), and at
/// most two decimals. A minus sign anywhere before the digits is "negative", not "unreadable",
/// so the manager is told the real problem.
pub(crate) fn cents(written: &str) -> Result<u64, Problem> {
    let mut s = written.trim();
    if s.starts_with('-') || s.starts_with("$-") || s.starts_with("$ -") {
        return Err(Problem::NegativeAmount);
    }
    if let Some(rest) = s.strip_prefix('$') {
        s = rest.trim_start();
    }
    let (whole, fraction) = match s.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (s, None),
    };
    let digits = whole_digits(whole).ok_or(Problem::NotAnAmount)?;
    let fraction_cents = match fraction {
        None => 0,
        Some(f) if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) => {
            return Err(Problem::NotAnAmount)
        }
        Some(f) if f.len() > 2 => return Err(Problem::TooManyDecimals),
        Some(f) => {
            let n: u64 = f.parse().map_err(|_| Problem::NotAnAmount)?;
            if f.len() == 1 {
                n * 10
            } else {
                n
            }
        }
    };
    let mut dollars: u64 = 0;
    for d in digits.bytes() {
        dollars = dollars
            .checked_mul(10)
            .and_then(|x| x.checked_add(u64::from(d - b'0')))
            .ok_or(Problem::AmountTooLarge)?;
    }
    let total = dollars
        .checked_mul(100)
        .and_then(|c| c.checked_add(fraction_cents))
        .ok_or(Problem::AmountTooLarge)?;
    if total > MAX_CENTS {
        return Err(Problem::AmountTooLarge);
    }
    Ok(total)
}

/// The digits of the whole-dollar part, accepting "1250" and "1,250" but not "12,50" (a
/// European decimal comma would otherwise read as a price a hundred times too high).
fn whole_digits(whole: &str) -> Option<String> {
    if whole.is_empty() {
        return None;
    }
    let groups: Vec<&str> = whole.split(',').collect();
    let ok = groups
        .iter()
        .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
        && (groups.len() == 1
            || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3)));
    ok.then(|| groups.concat())
}

/// A dollar amount field: text in quotes, to cents.
pub(crate) fn amount(report: &mut Report, v: &Value, path: &Path) -> Option<u64> {
    if v.is_number() {
        report.fail(
            path,
            Problem::WrongType {
                expected: "a price in quotes, like \"650\"",
                found: kind_of(v),
            },
        );
        return None;
    }
    let s = text(report, v, path)?;
    match cents(&s) {
        Ok(c) => Some(c),
        Err(problem) => {
            report.fail(path, problem);
            None
        }
    }
}

/// A service's price. The forms read as the price list would say them:
/// `{"fixed": "199"}`, `{"from": "150"}` ("from $150"), `{"from": "500", "to": "800"}` (a
/// range), `{"amount": "14", "per": "unit"}`, or `"consultation"` (no figure at all).
pub(crate) fn price(report: &mut Report, v: &Value, path: &Path) -> Option<Price> {
    if let Value::String(s) = v {
        if s.trim().eq_ignore_ascii_case("consultation") {
            return Some(Price::Consultation);
        }
        report.fail(path, Problem::PriceForm);
        return None;
    }
    let obj = object(report, v, path, &["fixed", "from", "to", "amount", "per"])?;
    let has = |k: &str| obj.opt(k).is_some();
    let form = (
        has("fixed"),
        has("from"),
        has("to"),
        has("amount"),
        has("per"),
    );
    match form {
        (true, false, false, false, false) => {
            let (v, p) = obj.opt("fixed")?;
            amount(report, v, &p).map(|cents| Price::Fixed { cents })
        }
        (false, true, false, false, false) => {
            let (v, p) = obj.opt("from")?;
            amount(report, v, &p).map(|cents| Price::From { cents })
        }
        (false, true, true, false, false) => {
            let (fv, fp) = obj.opt("from")?;
            let (tv, tp) = obj.opt("to")?;
            let from = amount(report, fv, &fp);
            let to = amount(report, tv, &tp);
            let (from_cents, to_cents) = (from?, to?);
            if to_cents <= from_cents {
                report.fail(&tp, Problem::RangeNotIncreasing);
                return None;
            }
            Some(Price::Range {
                from_cents,
                to_cents,
            })
        }
        (false, false, false, true, _) => {
            let (av, ap) = obj.opt("amount")?;
            let cents = amount(report, av, &ap);
            let unit = match obj.req(
                report,
                "per",
                "what the amount is per: \"unit\", \"syringe\", \"area\" or \"session\"",
            ) {
                Some((uv, up)) => unit(report, uv, &up),
                None => None,
            };
            Some(Price::PerUnit {
                cents: cents?,
                unit: unit?,
            })
        }
        _ => {
            report.fail(path, Problem::PriceForm);
            None
        }
    }
}

fn unit(report: &mut Report, v: &Value, path: &Path) -> Option<PriceUnit> {
    let s = text(report, v, path)?;
    let unit = match s.to_lowercase().as_str() {
        "unit" => PriceUnit::Unit,
        "syringe" => PriceUnit::Syringe,
        "area" => PriceUnit::Area,
        "session" => PriceUnit::Session,
        _ => {
            report.fail(path, Problem::UnknownUnit);
            return None;
        }
    };
    Some(unit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dollars_become_exact_cents() {
        assert_eq!(cents("650"), Ok(65_000));
        assert_eq!(cents("12.50"), Ok(1_250));
        assert_eq!(cents("12.5"), Ok(1_250));
        assert_eq!(cents("$14"), Ok(1_400));
        assert_eq!(cents(" $ 0.05 "), Ok(5));
        assert_eq!(cents("0"), Ok(0));
        assert_eq!(cents("$1,250"), Ok(125_000));
        assert_eq!(cents("123,456.78"), Ok(12_345_678));
        // 0.1 + 0.2 style float errors cannot happen: 0.29 stays 29 cents.
        assert_eq!(cents("0.29"), Ok(29));
    }

    #[test]
    fn bad_amounts_say_what_is_wrong() {
        assert_eq!(cents("-5"), Err(Problem::NegativeAmount));
        assert_eq!(cents("$-5"), Err(Problem::NegativeAmount));
        assert_eq!(cents("12.505"), Err(Problem::TooManyDecimals));
        for bad in [
            "", "$", "abc", "12.", ".5", "1.2.3", "12,50", "1,2345", ",250", "14/unit", "1e3",
            "1 000", "+5",
        ] {
            assert_eq!(cents(bad), Err(Problem::NotAnAmount), "{bad:?}");
        }
        assert_eq!(cents("1,000,000"), Ok(100_000_000));
        assert_eq!(cents("1000000.01"), Err(Problem::AmountTooLarge));
        assert_eq!(cents("184467440737095517"), Err(Problem::AmountTooLarge));
        assert_eq!(
            cents("99999999999999999999999"),
            Err(Problem::AmountTooLarge)
        );
    }

    fn read(v: Value) -> (Option<Price>, Vec<(String, Problem)>) {
        let mut r = Report::default();
        let p = price(&mut r, &v, &Path::root().key("price"));
        (
            p,
            r.errors.into_iter().map(|e| (e.path, e.problem)).collect(),
        )
    }

    #[test]
    fn each_price_form_reads() {
        assert_eq!(
            read(json!({"fixed": "199"})).0,
            Some(Price::Fixed { cents: 19_900 })
        );
        assert_eq!(
            read(json!({"from": "150"})).0,
            Some(Price::From { cents: 15_000 })
        );
        assert_eq!(
            read(json!({"from": "500", "to": "$800"})).0,
            Some(Price::Range {
                from_cents: 50_000,
                to_cents: 80_000
            })
        );
        assert_eq!(
            read(json!({"amount": "14", "per": "Unit"})).0,
            Some(Price::PerUnit {
                cents: 1_400,
                unit: PriceUnit::Unit
            })
        );
        assert_eq!(read(json!("consultation")).0, Some(Price::Consultation));
    }

    #[test]
    fn bad_prices_name_the_field() {
        let (p, e) = read(json!({"from": "800", "to": "500"}));
        assert_eq!(p, None);
        assert_eq!(e, [("price.to".to_string(), Problem::RangeNotIncreasing)]);
        let (_, e) = read(json!({"from": "500", "to": "500"}));
        assert_eq!(e[0].1, Problem::RangeNotIncreasing);
        let (_, e) = read(json!({"fixed": "199", "from": "150"}));
        assert_eq!(e, [("price".to_string(), Problem::PriceForm)]);
        let (_, e) = read(json!({}));
        assert_eq!(e[0].1, Problem::PriceForm);
        let (_, e) = read(json!({"amount": "14"}));
        assert_eq!(e[0].0, "price.per");
        assert!(matches!(e[0].1, Problem::Missing { .. }));
        let (_, e) = read(json!({"amount": "14", "per": "vial"}));
        assert_eq!(e, [("price.per".to_string(), Problem::UnknownUnit)]);
        let (_, e) = read(json!({"fixed": 199}));
        assert_eq!(e[0].0, "price.fixed");
        assert!(matches!(e[0].1, Problem::WrongType { .. }));
        let (_, e) = read(json!("free"));
        assert_eq!(e[0].1, Problem::PriceForm);
        let (_, e) = read(json!({"fixd": "199"}));
        assert_eq!(
            e[0],
            (
                "price.fixd".to_string(),
                Problem::UnknownField {
                    suggestion: Some("fixed")
                }
            )
        );
        // Both bad amounts of a range are reported, not just the first.
        let (_, e) = read(json!({"from": "x", "to": "-1"}));
        assert_eq!(
            e,
            [
                ("price.from".to_string(), Problem::NotAnAmount),
                ("price.to".to_string(), Problem::NegativeAmount)
            ]
        );
    }
}
