//! The clinic's JSON document (format: `clinics/README.md`) to [`ClinicFacts`], or to every
//! problem in it at once, each naming its field path and what to do. Nothing reaches a
//! template unless the whole document is valid: a half-read document could render a price
//! from one version of the list and the hours from another.
//!
//! Cross-references: nothing in the format names another entry by id, and the things that
//! belong to something are written inside it (a price inside its service, holidays inside
//! their location), so "a price without a service" cannot be written at all.

mod error;
mod hours;
mod money;
mod names;
mod read;

use serde_json::Value;

use super::facts::{
    Clinic, ClinicFacts, Location, Membership, Policies, Product, Promotion, Sending, Service,
};
pub use error::{FactsError, FactsErrors, Problem, QUOTE_MAX};
use names::{Entry, Term};
use read::{
    array, boolean, id, list_of, localized, object, synonyms, text, whole, Obj, Path, Report,
};

/// The committed example clinic (`clinics/example.json`), for tests and local development
/// across the workspace; it must always parse (a test here holds it to that).
pub const EXAMPLE_JSON: &str = include_str!("../../../clinics/example.json");

/// Default longest message, in SMS segments: three segments (up to 459 GSM-7 characters)
/// fit any template answer while capping what one reply costs.
const DEFAULT_MAX_SEGMENTS: u64 = 3;
/// Default window for messages that do not answer a patient: 08:00 to 20:00 local time.
const DEFAULT_WINDOW: &str = "08:00-20:00";

/// Reads and validates a clinic document.
pub fn parse(json: &str) -> Result<ClinicFacts, FactsErrors> {
    let value: Value = match serde_json::from_str(json) {
        Ok(v) => v,
        Err(e) => {
            return Err(FactsErrors(vec![FactsError {
                path: Path::root().as_str().to_string(),
                problem: syntax(&e),
            }]))
        }
    };
    let mut report = Report::default();
    let facts = document(&mut report, &value);
    match facts {
        Some(facts) if report.errors.is_empty() => Ok(facts),
        _ => {
            if report.errors.is_empty() {
                // Every reader that gives up reports why; this keeps the promise that an
                // error list is never empty even if one forgets.
                report.fail(
                    &Path::root(),
                    Problem::WrongType {
                        expected: "a complete clinic document",
                        found: "an incomplete one",
                    },
                );
            }
            Err(FactsErrors(report.errors))
        }
    }
}

/// A JSON syntax error by position only: serde's own message can quote the document.
fn syntax(e: &serde_json::Error) -> Problem {
    use serde_json::error::Category;
    let kind = match e.classify() {
        Category::Eof => "it ends too early",
        Category::Syntax => "syntax error",
        Category::Data | Category::Io => "unreadable value",
    };
    Problem::Syntax {
        kind,
        line: e.line(),
        column: e.column(),
    }
}

const TOP: [&str; 9] = [
    "clinic",
    "locations",
    "services",
    "policies",
    "memberships",
    "financing",
    "payment_methods",
    "products",
    "promotions",
];

fn document(r: &mut Report, v: &Value) -> Option<ClinicFacts> {
    let doc = object(r, v, &Path::root(), &TOP)?;
    let clinic = doc
        .req(r, "clinic", "the clinic's name, time_zone and sending")
        .and_then(|(v, p)| clinic(r, v, &p));
    let locations = doc
        .req(r, "locations", "a list of the clinic's locations")
        .and_then(|(v, p)| locations(r, v, &p));
    let services = doc
        .req(r, "services", "a list of the clinic's services")
        .and_then(|(v, p)| services(r, v, &p));
    let policies = doc
        .req(r, "policies", "cancellation, late_arrival and minors")
        .and_then(|(v, p)| policies(r, v, &p));
    let memberships = all(r, &doc, "memberships", membership);
    let financing = opt_localized(r, &doc, "financing");
    let payment_methods = doc
        .req(
            r,
            "payment_methods",
            "how patients can pay, as {\"en\": ..., \"es\": ...}",
        )
        .and_then(|(v, p)| localized(r, v, &p));
    let products = all(r, &doc, "products", product);
    let promotions = all(r, &doc, "promotions", promotion);
    check_lists(r, &doc);
    Some(ClinicFacts {
        clinic: clinic?,
        locations: locations?,
        services: services?,
        policies: policies?,
        memberships: memberships?,
        financing: financing?,
        payment_methods: payment_methods?,
        products: products?,
        promotions: promotions?,
    })
}

/// An optional list whose every item must read; `None` if any did not.
fn all<T>(
    r: &mut Report,
    obj: &Obj<'_>,
    key: &str,
    item: impl FnMut(&mut Report, &Value, &Path) -> Option<T>,
) -> Option<Vec<T>> {
    list_of(r, obj, key, item).into_iter().collect()
}

/// An optional text: `Some(None)` when absent, `None` when present but invalid.
fn opt_localized(
    r: &mut Report,
    obj: &Obj<'_>,
    key: &str,
) -> Option<Option<super::facts::Localized>> {
    match obj.opt(key) {
        None => Some(None),
        Some((v, p)) => localized(r, v, &p).map(Some),
    }
}

fn clinic(r: &mut Report, v: &Value, path: &Path) -> Option<Clinic> {
    let obj = object(r, v, path, &["name", "time_zone", "sending"])?;
    let name = obj
        .req(r, "name", "the clinic's name as patients know it")
        .and_then(|(v, p)| text(r, v, &p));
    let time_zone = obj
        .req(
            r,
            "time_zone",
            "an IANA time zone like \"America/Los_Angeles\"",
        )
        .and_then(|(v, p)| time_zone(r, v, &p));
    let sending = obj
        .req(r, "sending", "the sending numbers or messaging service")
        .and_then(|(v, p)| sending(r, v, &p));
    Some(Clinic {
        name: name?,
        time_zone: time_zone?,
        sending: sending?,
    })
}

/// Checked against the tz database so "America/Los_Angles" fails here, not as hours shown an
/// hour off.
fn time_zone(r: &mut Report, v: &Value, path: &Path) -> Option<String> {
    let s = text(r, v, path)?;
    if s.parse::<chrono_tz::Tz>().is_ok() {
        Some(s)
    } else {
        r.fail(path, Problem::TimeZone);
        None
    }
}

fn sending(r: &mut Report, v: &Value, path: &Path) -> Option<Sending> {
    let obj = object(
        r,
        v,
        path,
        &["numbers", "messaging_service_sid", "max_segments", "window"],
    )?;
    let numbers = numbers(r, &obj);
    let sid = match obj.opt("messaging_service_sid") {
        None => Some(None),
        Some((v, p)) => messaging_service_sid(r, v, &p).map(Some),
    };
    let max_segments = match obj.opt("max_segments") {
        None => Some(DEFAULT_MAX_SEGMENTS),
        Some((v, p)) => whole(r, v, &p, 1, 10),
    };
    let window = match obj.opt("window") {
        None => hours::span(DEFAULT_WINDOW).ok(),
        Some((v, p)) => text(r, v, &p).and_then(|s| match hours::span(&s) {
            Ok(span) => Some(span),
            Err(problem) => {
                r.fail(&p, problem);
                None
            }
        }),
    };
    let (numbers, sid) = (numbers?, sid?);
    if numbers.is_empty() && sid.is_none() {
        r.fail(path, Problem::NoSender);
        return None;
    }
    let window = window?;
    Some(Sending {
        numbers,
        messaging_service_sid: sid,
        max_segments: u8::try_from(max_segments?).ok()?,
        window_start: window.open,
        window_end: window.close,
    })
}

fn numbers(r: &mut Report, obj: &Obj<'_>) -> Option<Vec<String>> {
    let Some((v, path)) = obj.opt("numbers") else {
        return Some(Vec::new());
    };
    let items = array(r, v, &path)?;
    let mut out: Vec<String> = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let p = path.index(i);
        let Some(n) = text(r, item, &p) else {
            ok = false;
            continue;
        };
        if !is_e164(&n) {
            r.fail(&p, Problem::E164);
            ok = false;
        } else if let Some(first) = out.iter().position(|m| *m == n) {
            r.fail(
                &p,
                Problem::Duplicate {
                    first: path.index(first).as_str().to_string(),
                },
            );
            ok = false;
        }
        out.push(n);
    }
    ok.then_some(out)
}

/// `+` then 8 to 15 digits, not starting with 0: the form Twilio sends from.
fn is_e164(s: &str) -> bool {
    let Some(digits) = s.strip_prefix('+') else {
        return false;
    };
    (8..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

fn messaging_service_sid(r: &mut Report, v: &Value, path: &Path) -> Option<String> {
    let s = text(r, v, path)?;
    let ok = s
        .strip_prefix("MG")
        .is_some_and(|hex| hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()));
    if ok {
        Some(s)
    } else {
        r.fail(path, Problem::MessagingServiceSid);
        None
    }
}

/// A number as patients read it: "(415) 555-0190" or "+14155550190".
fn display_phone(r: &mut Report, v: &Value, path: &Path) -> Option<String> {
    let s = text(r, v, path)?;
    let allowed = s
        .chars()
        .all(|c| c.is_ascii_digit() || " +()-.".contains(c));
    let digits = s.chars().filter(char::is_ascii_digit).count();
    if allowed && (7..=15).contains(&digits) {
        Some(s)
    } else {
        r.fail(path, Problem::Phone);
        None
    }
}

fn locations(r: &mut Report, v: &Value, path: &Path) -> Option<Vec<Location>> {
    let items = array(r, v, path)?;
    if items.is_empty() {
        r.fail(path, Problem::EmptyList);
        return None;
    }
    items
        .iter()
        .enumerate()
        .map(|(i, v)| location(r, v, &path.index(i)))
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

fn location(r: &mut Report, v: &Value, path: &Path) -> Option<Location> {
    let obj = object(
        r,
        v,
        path,
        &[
            "id", "name", "address", "phone", "parking", "synonyms", "hours", "holidays",
        ],
    )?;
    let id = obj
        .req(r, "id", "a short id like \"downtown\"")
        .and_then(|(v, p)| id(r, v, &p));
    let name = obj
        .req(r, "name", "the location's name")
        .and_then(|(v, p)| text(r, v, &p));
    let address = obj
        .req(r, "address", "the street address patients go to")
        .and_then(|(v, p)| text(r, v, &p));
    let phone = obj
        .req(r, "phone", "the location's phone number")
        .and_then(|(v, p)| display_phone(r, v, &p));
    let parking = opt_localized(r, &obj, "parking");
    let synonyms = obj
        .opt("synonyms")
        .map(|(v, p)| synonyms(r, v, &p))
        .unwrap_or_default();
    let hours = obj
        .req(r, "hours", "opening hours for all seven days")
        .and_then(|(v, p)| hours::week(r, v, &p));
    let holidays = match obj.opt("holidays") {
        None => Some(Vec::new()),
        Some((v, p)) => hours::holidays(r, v, &p),
    };
    Some(Location {
        id: id?,
        name: name?,
        address: address?,
        phone: phone?,
        parking: parking?,
        synonyms,
        hours: hours?,
        holidays: holidays?,
    })
}

fn services(r: &mut Report, v: &Value, path: &Path) -> Option<Vec<Service>> {
    let items = array(r, v, path)?;
    items
        .iter()
        .enumerate()
        .map(|(i, v)| service(r, v, &path.index(i)))
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

fn service(r: &mut Report, v: &Value, path: &Path) -> Option<Service> {
    let obj = object(
        r,
        v,
        path,
        &[
            "id",
            "name",
            "synonyms",
            "duration_minutes",
            "price",
            "description",
            "pre_care",
            "aftercare",
        ],
    )?;
    let id = obj
        .req(r, "id", "a short id like \"lip_filler\"")
        .and_then(|(v, p)| id(r, v, &p));
    let name = obj
        .req(
            r,
            "name",
            "the service's name, as {\"en\": ..., \"es\": ...}",
        )
        .and_then(|(v, p)| localized(r, v, &p));
    let synonyms = obj
        .opt("synonyms")
        .map(|(v, p)| synonyms(r, v, &p))
        .unwrap_or_default();
    let duration = obj
        .req(
            r,
            "duration_minutes",
            "how long the appointment takes, in minutes",
        )
        .and_then(|(v, p)| whole(r, v, &p, 1, 600));
    let price = obj
        .req(
            r,
            "price",
            "the price, like {\"fixed\": \"199\"} or \"consultation\"",
        )
        .and_then(|(v, p)| money::price(r, v, &p));
    let description = opt_localized(r, &obj, "description");
    let pre_care = opt_localized(r, &obj, "pre_care");
    let aftercare = opt_localized(r, &obj, "aftercare");
    Some(Service {
        id: id?,
        name: name?,
        synonyms,
        duration_minutes: u16::try_from(duration?).ok()?,
        price: price?,
        description: description?,
        pre_care: pre_care?,
        aftercare: aftercare?,
    })
}

fn policies(r: &mut Report, v: &Value, path: &Path) -> Option<Policies> {
    let obj = object(
        r,
        v,
        path,
        &["cancellation", "late_arrival", "deposits", "minors"],
    )?;
    let mut required = |key: &str, expected: &'static str| {
        obj.req(r, key, expected)
            .and_then(|(v, p)| localized(r, v, &p))
    };
    let cancellation = required("cancellation", "the cancellation policy");
    let late_arrival = required("late_arrival", "what happens when a patient is late");
    let minors = required("minors", "the policy for patients under 18");
    let deposits = opt_localized(r, &obj, "deposits");
    Some(Policies {
        cancellation: cancellation?,
        late_arrival: late_arrival?,
        deposits: deposits?,
        minors: minors?,
    })
}

fn membership(r: &mut Report, v: &Value, path: &Path) -> Option<Membership> {
    let obj = object(r, v, path, &["id", "name", "monthly_price", "terms"])?;
    let id = obj
        .req(r, "id", "a short id")
        .and_then(|(v, p)| id(r, v, &p));
    let name = obj
        .req(r, "name", "the membership's name")
        .and_then(|(v, p)| localized(r, v, &p));
    let monthly = obj
        .req(
            r,
            "monthly_price",
            "the monthly price in dollars, like \"99\"",
        )
        .and_then(|(v, p)| money::amount(r, v, &p));
    let terms = obj
        .req(r, "terms", "what it includes and its terms")
        .and_then(|(v, p)| localized(r, v, &p));
    Some(Membership {
        id: id?,
        name: name?,
        monthly_cents: monthly?,
        terms: terms?,
    })
}

fn product(r: &mut Report, v: &Value, path: &Path) -> Option<Product> {
    let obj = object(r, v, path, &["id", "name", "synonyms", "price", "in_stock"])?;
    let id = obj
        .req(r, "id", "a short id")
        .and_then(|(v, p)| id(r, v, &p));
    let name = obj
        .req(r, "name", "the product's name")
        .and_then(|(v, p)| text(r, v, &p));
    let synonyms = obj
        .opt("synonyms")
        .map(|(v, p)| synonyms(r, v, &p))
        .unwrap_or_default();
    let cents = match obj.opt("price") {
        None => Some(None),
        Some((v, p)) => money::amount(r, v, &p).map(Some),
    };
    let in_stock = obj
        .req(r, "in_stock", "true or false")
        .and_then(|(v, p)| boolean(r, v, &p));
    Some(Product {
        id: id?,
        name: name?,
        synonyms,
        cents: cents?,
        in_stock: in_stock?,
    })
}

fn promotion(r: &mut Report, v: &Value, path: &Path) -> Option<Promotion> {
    let obj = object(r, v, path, &["id", "text", "until"])?;
    let id = obj
        .req(r, "id", "a short id")
        .and_then(|(v, p)| id(r, v, &p));
    let text = obj
        .req(r, "text", "the offer as patients read it")
        .and_then(|(v, p)| localized(r, v, &p));
    let until = match obj.opt("until") {
        None => Some(None),
        Some((v, p)) => hours::date(r, v, &p).map(Some),
    };
    Some(Promotion {
        id: id?,
        text: text?,
        until: until?,
    })
}

/// Ids unique per list, and no word naming two services, two products or two locations. Read
/// from the raw JSON so the checks run even for entries with other problems.
fn check_lists(r: &mut Report, doc: &Obj<'_>) {
    for list in [
        "locations",
        "services",
        "memberships",
        "products",
        "promotions",
    ] {
        let entries: Vec<Entry<'_>> = raw_items(doc, list)
            .map(|(v, path)| Entry {
                id: v.get("id").and_then(Value::as_str).map(str::trim),
                path,
            })
            .collect();
        names::unique_ids(r, &entries);
    }
    for list in ["locations", "services", "products"] {
        let entries: Vec<(Option<&str>, Vec<Term<'_>>)> = raw_items(doc, list)
            .map(|(v, path)| {
                let id = v.get("id").and_then(Value::as_str).map(str::trim);
                (id, raw_terms(list, v, &path))
            })
            .collect();
        names::unshared_terms(r, &entries);
    }
}

fn raw_items<'a>(doc: &Obj<'a>, list: &str) -> impl Iterator<Item = (&'a Value, Path)> {
    let found = doc.opt(list);
    let items: &'a [Value] = match found.as_ref().map(|(v, _)| *v) {
        Some(Value::Array(items)) => items,
        _ => &[],
    };
    let path = found.map(|(_, p)| p).unwrap_or_else(Path::root);
    items
        .iter()
        .enumerate()
        .map(move |(i, v)| (v, path.index(i)))
}

/// The words that name an entry for the matcher: names (both languages) and synonyms, plus a
/// location's id (patients say "downtown"); service and product ids are internal.
fn raw_terms<'a>(list: &str, v: &'a Value, path: &Path) -> Vec<Term<'a>> {
    let mut out = Vec::new();
    let mut push = |text: Option<&'a str>, path: Path| {
        if let Some(text) = text {
            out.push(Term { text, path });
        }
    };
    if list == "locations" {
        push(v.get("id").and_then(Value::as_str), path.key("id"));
    }
    match v.get("name") {
        Some(Value::String(s)) => push(Some(s), path.key("name")),
        Some(Value::Object(name)) => {
            for lang in ["en", "es"] {
                push(
                    name.get(lang).and_then(Value::as_str),
                    path.key("name").key(lang),
                );
            }
        }
        _ => {}
    }
    if let Some(Value::Object(syn)) = v.get("synonyms") {
        for lang in ["en", "es"] {
            if let Some(Value::Array(items)) = syn.get(lang) {
                for (i, item) in items.iter().enumerate() {
                    push(item.as_str(), path.key("synonyms").key(lang).index(i));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
