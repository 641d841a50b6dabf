//! Each placeholder's value, read from the clinic's facts and the message's slots, or the
//! reason it has none.
//!
//! A missing value is named by its path in the facts (`services[lip_filler].aftercare.es`), so
//! whoever edits the facts sees exactly what to write. Ids in paths and slots come from the
//! clinic's facts; one that does not look like an id is not repeated.

use chrono::Datelike;

use super::format;
use super::placeholder::Placeholder;
use super::render::{Request, Unrendered};
use crate::clinic::facts::{Localized, Location, Product, Service};
use crate::clinic::Lang;

pub(super) fn value(placeholder: Placeholder, req: &Request) -> Result<String, Unrendered> {
    let facts = req.facts;
    let lang = req.lang;
    match placeholder {
        Placeholder::Clinic => required_text(&facts.clinic.name, "clinic.name"),
        Placeholder::Phone => phones(req),
        Placeholder::Address => per_location(req, |l| {
            required_text(&l.address, &format!("{}.address", location_path(l)))
        }),
        Placeholder::Hours => hours(req),
        Placeholder::Parking => parking(req),
        Placeholder::PaymentMethods => localized(&facts.payment_methods, lang, "payment_methods"),
        Placeholder::Financing => optional(facts.financing.as_ref(), lang, "financing"),
        Placeholder::CancellationPolicy => {
            localized(&facts.policies.cancellation, lang, "policies.cancellation")
        }
        Placeholder::LatePolicy => {
            localized(&facts.policies.late_arrival, lang, "policies.late_arrival")
        }
        Placeholder::Memberships => memberships(req),
        Placeholder::Service => {
            let s = service(req)?;
            localized(&s.name, lang, &format!("{}.name", service_path(s)))
        }
        Placeholder::Price => Ok(format::price(&service(req)?.price, lang)),
        Placeholder::Description => {
            let s = service(req)?;
            optional(
                s.description.as_ref(),
                lang,
                &format!("{}.description", service_path(s)),
            )
        }
        Placeholder::Duration => {
            let s = service(req)?;
            if s.duration_minutes == 0 {
                return Err(missing(format!("{}.duration_minutes", service_path(s))));
            }
            Ok(format::duration(s.duration_minutes, lang))
        }
        Placeholder::PreCare => {
            let s = service(req)?;
            optional(
                s.pre_care.as_ref(),
                lang,
                &format!("{}.pre_care", service_path(s)),
            )
        }
        Placeholder::Aftercare => {
            let s = service(req)?;
            optional(
                s.aftercare.as_ref(),
                lang,
                &format!("{}.aftercare", service_path(s)),
            )
        }
        Placeholder::Product => {
            let p = product(req)?;
            required_text(&p.name, &format!("products[{}].name", safe_id(&p.id)))
        }
        Placeholder::Availability => Ok(availability(product(req)?, lang)),
        Placeholder::Promotions => promotions(req),
    }
}

fn missing(field: String) -> Unrendered {
    Unrendered::MissingFact { field }
}

fn required_text(text: &str, field: &str) -> Result<String, Unrendered> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(missing(field.to_owned()));
    }
    Ok(trimmed.to_owned())
}

/// The text in the reply's language; a Spanish reply never falls back to the English text.
fn localized(text: &Localized, lang: Lang, field: &str) -> Result<String, Unrendered> {
    text.get(lang)
        .map(|s| s.trim().to_owned())
        .ok_or_else(|| missing(format!("{field}.{}", lang.as_str())))
}

fn optional(text: Option<&Localized>, lang: Lang, field: &str) -> Result<String, Unrendered> {
    let text = text.ok_or_else(|| missing(field.to_owned()))?;
    localized(text, lang, field)
}

/// An id as the facts spell one, or a stand-in: a value that does not look like an id is not
/// echoed into error text.
fn safe_id(id: &str) -> &str {
    let looks_like_id = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if looks_like_id {
        id
    } else {
        "?"
    }
}

fn service_path(s: &Service) -> String {
    format!("services[{}]", safe_id(&s.id))
}

fn location_path(l: &Location) -> String {
    format!("locations[{}]", safe_id(&l.id))
}

/// The one service the message names. The matcher may list a service twice when the message
/// names it twice; that is still one.
fn service<'a>(req: &Request<'a>) -> Result<&'a Service, Unrendered> {
    let ids = distinct(&req.slots.services);
    match ids.as_slice() {
        [] => Err(Unrendered::NoService),
        [id] => req
            .facts
            .services
            .iter()
            .find(|s| s.id == **id)
            .ok_or_else(|| Unrendered::UnresolvedSlot {
                slot: format!("services[{}]", safe_id(id)),
            }),
        several => Err(Unrendered::AmbiguousService {
            count: several.len(),
        }),
    }
}

fn product<'a>(req: &Request<'a>) -> Result<&'a Product, Unrendered> {
    let ids = distinct(&req.slots.products);
    match ids.as_slice() {
        [] => Err(Unrendered::NoProduct),
        [id] => req
            .facts
            .products
            .iter()
            .find(|p| p.id == **id)
            .ok_or_else(|| Unrendered::UnresolvedSlot {
                slot: format!("products[{}]", safe_id(id)),
            }),
        several => Err(Unrendered::AmbiguousProduct {
            count: several.len(),
        }),
    }
}

fn distinct(ids: &[String]) -> Vec<&String> {
    let mut seen: Vec<&String> = Vec::with_capacity(ids.len());
    for id in ids {
        if !seen.contains(&id) {
            seen.push(id);
        }
    }
    seen
}

/// The locations a reply is about: the one the message names, or every location (with one
/// location, that one).
fn locations<'a>(req: &Request<'a>) -> Result<Vec<&'a Location>, Unrendered> {
    let all = &req.facts.locations;
    match &req.slots.location {
        Some(id) => all
            .iter()
            .find(|l| l.id == *id)
            .map(|l| vec![l])
            .ok_or_else(|| Unrendered::UnresolvedSlot {
                slot: format!("location[{}]", safe_id(id)),
            }),
        None if all.is_empty() => Err(missing("locations".to_owned())),
        None => Ok(all.iter().collect()),
    }
}

/// Whether values are prefixed with the location's name: whenever the clinic has several, so a
/// patient never reads one location's answer as another's.
fn names_locations(req: &Request) -> bool {
    req.facts.locations.len() > 1
}

fn location_name(l: &Location) -> Result<String, Unrendered> {
    required_text(&l.name, &format!("{}.name", location_path(l)))
}

/// A short value per location: the value alone, or "Name: value; Name: value".
fn per_location(
    req: &Request,
    each: impl Fn(&Location) -> Result<String, Unrendered>,
) -> Result<String, Unrendered> {
    let locations = locations(req)?;
    let named = names_locations(req);
    let mut parts = Vec::with_capacity(locations.len());
    for l in locations {
        let v = each(l)?;
        parts.push(if named {
            format!("{}: {v}", location_name(l)?)
        } else {
            v
        });
    }
    Ok(parts.join("; "))
}

/// The location's number, or each location's followed by its name: numbers read in a sentence
/// ("call us at (310) 555-0100 (Downtown), (310) 555-0200 (Westside) or reply here").
fn phones(req: &Request) -> Result<String, Unrendered> {
    let locations = locations(req)?;
    let named = names_locations(req);
    let mut parts = Vec::with_capacity(locations.len());
    for l in locations {
        let number = required_text(&l.phone, &format!("{}.phone", location_path(l)))?;
        let number = format::phone(&number);
        parts.push(if named {
            format!("{number} ({})", location_name(l)?)
        } else {
            number
        });
    }
    Ok(parts.join(", "))
}

/// The asked day's hours at each location (a holiday entry replaces the weekday's hours), or
/// each location's week.
fn hours(req: &Request) -> Result<String, Unrendered> {
    let lang = req.lang;
    let Some(day) = req.slots.day else {
        return per_location(req, |l| Ok(format::week(&l.hours.0, lang)));
    };
    let locations = locations(req)?;
    let named = names_locations(req);
    let mut parts = Vec::with_capacity(locations.len());
    for l in locations {
        let holiday = l.holidays.iter().find(|h| h.date == day);
        let spans = match holiday {
            Some(h) => &h.hours,
            None => &l.hours.0[day.weekday().num_days_from_monday() as usize],
        };
        let mut part = format::day_hours(spans, lang);
        if holiday.is_some() {
            part = format!("{part} {}", format::holiday_note(lang));
        }
        if named {
            part = format!("{} {part}", location_name(l)?);
        }
        parts.push(part);
    }
    Ok(format!("{}: {}", format::date(day, lang), parts.join("; ")))
}

fn parking(req: &Request) -> Result<String, Unrendered> {
    let locations = locations(req)?;
    let named = names_locations(req);
    let mut parts = Vec::with_capacity(locations.len());
    for l in &locations {
        let text = optional(
            l.parking.as_ref(),
            req.lang,
            &format!("{}.parking", location_path(l)),
        )?;
        parts.push(if named {
            format::sentence(&format!("{}: {text}", location_name(l)?))
        } else {
            text
        });
    }
    Ok(parts.join(" "))
}

fn memberships(req: &Request) -> Result<String, Unrendered> {
    let lang = req.lang;
    if req.facts.memberships.is_empty() {
        return Err(missing("memberships".to_owned()));
    }
    let mut parts = Vec::with_capacity(req.facts.memberships.len());
    for m in &req.facts.memberships {
        let path = format!("memberships[{}]", safe_id(&m.id));
        let name = localized(&m.name, lang, &format!("{path}.name"))?;
        let terms = localized(&m.terms, lang, &format!("{path}.terms"))?;
        parts.push(format::sentence(&format!(
            "{name} ({}): {terms}",
            format::monthly(m.monthly_cents, lang)
        )));
    }
    Ok(parts.join(" "))
}

fn availability(p: &Product, lang: Lang) -> String {
    match (p.in_stock, p.cents, lang) {
        (true, Some(cents), Lang::En) => format!("in stock, {}", format::money(cents)),
        (true, Some(cents), Lang::Es) => format!("disponible, {}", format::money(cents)),
        (true, None, Lang::En) => "in stock".to_owned(),
        (true, None, Lang::Es) => "disponible".to_owned(),
        (false, _, Lang::En) => "out of stock right now".to_owned(),
        (false, _, Lang::Es) => "agotado por ahora".to_owned(),
    }
}

/// Offers whose last day is today or later (or that have none), each with its last day.
fn promotions(req: &Request) -> Result<String, Unrendered> {
    let lang = req.lang;
    let current: Vec<_> = req
        .facts
        .promotions
        .iter()
        .filter(|p| p.until.is_none_or(|until| until >= req.today))
        .collect();
    if current.is_empty() {
        return Err(Unrendered::NoCurrentPromotion);
    }
    let mut parts = Vec::with_capacity(current.len());
    for p in current {
        let path = format!("promotions[{}].text", safe_id(&p.id));
        let text = localized(&p.text, lang, &path)?;
        parts.push(format::sentence(&match (p.until, lang) {
            (None, _) => text,
            (Some(until), Lang::En) => format!("Through {}: {text}", format::date(until, lang)),
            (Some(until), Lang::Es) => format!("Hasta el {}: {text}", format::date(until, lang)),
        }));
    }
    Ok(parts.join(" "))
}
