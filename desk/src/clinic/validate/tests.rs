use serde_json::{json, Value};

use super::*;
use crate::clinic::facts::{Price, PriceUnit, Span};

/// A small valid document; tests break one thing at a time.
fn minimal() -> Value {
    json!({
        "clinic": {
            "name": "Test Spa",
            "time_zone": "America/New_York",
            "sending": { "numbers": ["+14155550190"] }
        },
        "locations": [{
            "id": "main",
            "name": "Test Spa",
            "address": "1 Main St",
            "phone": "+14155550190",
            "hours": {
                "monday": ["09:00-17:00"], "tuesday": ["09:00-17:00"],
                "wednesday": ["09:00-17:00"], "thursday": ["09:00-17:00"],
                "friday": ["09:00-17:00"], "saturday": ["10:00-14:00"], "sunday": []
            }
        }],
        "services": [{
            "id": "facial",
            "name": { "en": "Facial" },
            "duration_minutes": 60,
            "price": { "fixed": "99" }
        }],
        "policies": {
            "cancellation": { "en": "24 hours." },
            "late_arrival": { "en": "15 minutes." },
            "minors": { "en": "18+." }
        },
        "payment_methods": { "en": "Cards." }
    })
}

fn errors_of(doc: &Value) -> FactsErrors {
    match parse(&doc.to_string()) {
        Ok(_) => panic!("expected errors for {doc}"),
        Err(e) => e,
    }
}

fn paths(errors: &FactsErrors) -> Vec<&str> {
    errors.iter().map(|e| e.path.as_str()).collect()
}

#[test]
fn the_example_clinic_parses_cleanly() {
    let facts = match parse(include_str!("../../../../clinics/example.json")) {
        Ok(f) => f,
        Err(e) => panic!("clinics/example.json is invalid:\n{e}"),
    };
    assert_eq!(facts.clinic.name, "Glow Aesthetics");
    assert_eq!(facts.clinic.time_zone, "America/Los_Angeles");
    assert_eq!(
        facts.clinic.sending.numbers,
        ["+14155550190", "+14155550191"]
    );
    assert_eq!(facts.clinic.sending.max_segments, 5);
    assert_eq!(
        (
            facts.clinic.sending.window_start,
            facts.clinic.sending.window_end
        ),
        (480, 1200)
    );
    let ids: Vec<&str> = facts.locations.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, ["downtown", "marina"]);
    let downtown = &facts.locations[0];
    assert_eq!(
        downtown.hours.0[5],
        [Span {
            open: 540,
            close: 1020
        }],
        "Saturday"
    );
    assert!(
        downtown.hours.0[6].is_empty(),
        "downtown is closed on Sunday"
    );
    assert!(
        !facts.locations[1].hours.0[6].is_empty(),
        "the marina opens on Sunday"
    );
    assert!(downtown
        .holidays
        .iter()
        .any(|h| h.name == "Christmas" && h.hours.is_empty()));
    let service = |id: &str| facts.services.iter().find(|s| s.id == id).unwrap();
    assert_eq!(
        service("neurotoxin").price,
        Price::PerUnit {
            cents: 1_400,
            unit: PriceUnit::Unit
        }
    );
    assert_eq!(
        service("lip_filler").price,
        Price::PerUnit {
            cents: 65_000,
            unit: PriceUnit::Syringe
        }
    );
    assert_eq!(service("hydrafacial").price, Price::Fixed { cents: 19_900 });
    assert_eq!(
        service("chemical_peel").price,
        Price::From { cents: 15_000 }
    );
    assert_eq!(service("pdo_thread_lift").price, Price::Consultation);
    // Spanish left out on purpose, so templates can show the draft fallback.
    assert!(service("cheek_filler")
        .aftercare
        .as_ref()
        .unwrap()
        .es
        .is_none());
    assert!(service("lip_filler")
        .pre_care
        .as_ref()
        .unwrap()
        .es
        .is_none());
    assert!(facts.products.iter().any(|p| !p.in_stock));
    assert_eq!(facts.memberships.len(), 2);
    assert_eq!(facts.promotions.len(), 2);
    assert_eq!(
        EXAMPLE_JSON,
        include_str!("../../../../clinics/example.json")
    );
}

#[test]
fn a_minimal_document_parses_with_defaults() {
    let facts = parse(&minimal().to_string()).unwrap();
    assert_eq!(facts.clinic.sending.max_segments, 3);
    assert_eq!(facts.clinic.sending.window_start, 8 * 60);
    assert_eq!(facts.clinic.sending.window_end, 20 * 60);
    assert_eq!(facts.clinic.sending.messaging_service_sid, None);
    assert!(
        facts.memberships.is_empty() && facts.products.is_empty() && facts.promotions.is_empty()
    );
    assert_eq!(facts.financing, None);
    assert!(facts.locations[0].holidays.is_empty());
}

#[test]
fn every_problem_is_reported_at_once_with_its_path() {
    let mut doc = minimal();
    doc["clinic"]["time_zone"] = json!("America/Los_Angles");
    doc["services"][0]["price"] = json!({ "fixed": "12.505" });
    doc["services"][0]["aftrcare"] = json!({ "en": "x" });
    doc["locations"][0]["hours"]["saturday"] = json!(["09:00-13:00", "12:00-17:00"]);
    doc["policies"]["minors"] = json!({ "es": "18+" });
    let errors = errors_of(&doc);
    assert_eq!(
        paths(&errors),
        [
            "clinic.time_zone",
            "locations[0].hours.saturday[1]",
            "services[0].aftrcare",
            "services[0].price.fixed",
            "policies.minors.en",
        ]
    );
    assert_eq!(errors.at("clinic.time_zone"), Some(&Problem::TimeZone));
    assert_eq!(
        errors.at("services[0].aftrcare"),
        Some(&Problem::UnknownField {
            suggestion: Some("aftercare")
        })
    );
    assert_eq!(
        errors.at("services[0].price.fixed"),
        Some(&Problem::TooManyDecimals)
    );
    assert_eq!(
        errors.at("locations[0].hours.saturday[1]"),
        Some(&Problem::SpanOverlap)
    );
    let shown = errors.to_string();
    assert_eq!(shown.lines().count(), 5, "{shown}");
    assert!(shown.lines().all(|l| l.contains(": ")), "{shown}");
    assert!(shown.contains("did you mean `aftercare`?"), "{shown}");
}

#[test]
fn errors_never_repeat_the_clinics_free_text() {
    let secret = "Jane Doe called from 415-555-0100 about her lips and this text is long";
    let mut doc = minimal();
    doc["policies"]["cancellation"] = json!(secret);
    doc["services"][0]["name"] = json!({ "en": secret, "es": 5 });
    doc["locations"][0]["phone"] = json!(secret);
    doc["clinic"]["time_zone"] = json!(secret);
    doc["services"][0]["price"] = json!({ "fixed": secret });
    let shown = errors_of(&doc).to_string();
    assert_eq!(shown.lines().count(), 5, "{shown}");
    assert!(
        !shown.contains("Jane") && !shown.contains("0100"),
        "{shown}"
    );
}

#[test]
fn long_unknown_keys_are_cut_in_the_path() {
    let mut doc = minimal();
    let key = format!("{}SECRET", "k".repeat(60));
    doc["clinic"][key.as_str()] = json!(1);
    let shown = errors_of(&doc).to_string();
    assert!(!shown.contains("SECRET"), "{shown}");
    assert!(shown.starts_with("clinic.kkkk"), "{shown}");
}

#[test]
fn syntax_errors_give_the_position_only() {
    let errors = parse("{\n  \"clinic\": {\"name\": \"Jane Doe\"\n  \"x\": 1\n}").unwrap_err();
    assert_eq!(errors.len(), 1);
    let e = &errors.0[0];
    assert_eq!(e.path, "document");
    assert!(
        matches!(
            e.problem,
            Problem::Syntax {
                line: 3,
                kind: "syntax error",
                ..
            }
        ),
        "{e}"
    );
    assert!(!e.to_string().contains("Jane"));
    let eof = parse("{\"clinic\": ").unwrap_err();
    assert!(matches!(
        eof.0[0].problem,
        Problem::Syntax {
            kind: "it ends too early",
            ..
        }
    ));
    assert!(parse("").is_err());
}

#[test]
fn the_document_must_be_an_object_with_its_sections() {
    let errors = parse("[1, 2]").unwrap_err();
    assert_eq!(paths(&errors), ["document"]);
    assert!(matches!(
        errors.0[0].problem,
        Problem::WrongType {
            found: "a list",
            ..
        }
    ));

    let errors = parse("{}").unwrap_err();
    assert_eq!(
        paths(&errors),
        [
            "clinic",
            "locations",
            "services",
            "policies",
            "payment_methods"
        ]
    );
    assert!(errors
        .iter()
        .all(|e| matches!(e.problem, Problem::Missing { .. })));
}

#[test]
fn missing_required_fields_are_named() {
    let mut doc = minimal();
    doc["services"][0].as_object_mut().unwrap().remove("price");
    doc["services"][0]["duration_minutes"] = Value::Null;
    doc["locations"][0]["hours"]
        .as_object_mut()
        .unwrap()
        .remove("sunday");
    let errors = errors_of(&doc);
    assert_eq!(
        paths(&errors),
        [
            "locations[0].hours.sunday",
            "services[0].duration_minutes",
            "services[0].price"
        ]
    );
    assert!(errors
        .iter()
        .all(|e| matches!(e.problem, Problem::Missing { .. })));
}

#[test]
fn locations_cannot_be_empty() {
    let mut doc = minimal();
    doc["locations"] = json!([]);
    let errors = errors_of(&doc);
    assert_eq!(errors.at("locations"), Some(&Problem::EmptyList));
}

#[test]
fn sending_needs_a_number_or_a_messaging_service() {
    let mut doc = minimal();
    doc["clinic"]["sending"] = json!({});
    assert_eq!(
        errors_of(&doc).at("clinic.sending"),
        Some(&Problem::NoSender)
    );

    let sid = format!("MG{}", "0123456789abcdef".repeat(2));
    doc["clinic"]["sending"] =
        json!({ "messaging_service_sid": sid, "max_segments": 10, "window": "09:30-18:00" });
    let facts = parse(&doc.to_string()).unwrap();
    assert_eq!(
        facts.clinic.sending.messaging_service_sid.as_deref(),
        Some(sid.as_str())
    );
    assert!(facts.clinic.sending.numbers.is_empty());
    assert_eq!(facts.clinic.sending.max_segments, 10);
    assert_eq!(facts.clinic.sending.window_start, 570);
}

#[test]
fn sending_fields_are_checked() {
    let mut doc = minimal();
    doc["clinic"]["sending"] = json!({
        "numbers": ["+14155550190", "4155550191", "+1415555", "+04155550190", "+14155550190", "+1 415 555 0190"],
        "messaging_service_sid": "MG123",
        "max_segments": 11,
        "window": "20:00-08:00"
    });
    let errors = errors_of(&doc);
    assert_eq!(
        paths(&errors),
        [
            "clinic.sending.numbers[1]",
            "clinic.sending.numbers[2]",
            "clinic.sending.numbers[3]",
            "clinic.sending.numbers[4]",
            "clinic.sending.numbers[5]",
            "clinic.sending.messaging_service_sid",
            "clinic.sending.max_segments",
            "clinic.sending.window",
        ]
    );
    assert_eq!(errors.at("clinic.sending.numbers[1]"), Some(&Problem::E164));
    assert_eq!(
        errors.at("clinic.sending.numbers[4]"),
        Some(&Problem::Duplicate {
            first: "clinic.sending.numbers[0]".to_string()
        })
    );
    assert_eq!(
        errors.at("clinic.sending.messaging_service_sid"),
        Some(&Problem::MessagingServiceSid)
    );
    assert_eq!(
        errors.at("clinic.sending.max_segments"),
        Some(&Problem::OutOfRange { min: 1, max: 10 })
    );
    assert_eq!(
        errors.at("clinic.sending.window"),
        Some(&Problem::SpanBackwards)
    );
    // The numbers themselves are never shown.
    assert!(!errors.to_string().contains("4155550191"));
}

#[test]
fn time_zones_come_from_the_tz_database() {
    for good in [
        "America/Los_Angeles",
        "America/New_York",
        "Pacific/Honolulu",
        "UTC",
    ] {
        let mut doc = minimal();
        doc["clinic"]["time_zone"] = json!(good);
        assert!(parse(&doc.to_string()).is_ok(), "{good}");
    }
    for bad in [
        "PST",
        "america/los_angeles",
        "Los Angeles",
        "America/Springfield",
        "+08:00",
        // A real zone, but the Worker carries the US zones only (.cargo/config.toml).
        "Europe/Madrid",
    ] {
        let mut doc = minimal();
        doc["clinic"]["time_zone"] = json!(bad);
        assert_eq!(
            errors_of(&doc).at("clinic.time_zone"),
            Some(&Problem::TimeZone),
            "{bad}"
        );
    }
}

#[test]
fn hours_with_am_pm_are_refused_with_advice() {
    let mut doc = minimal();
    doc["locations"][0]["hours"]["monday"] = json!(["9am-6pm"]);
    let errors = errors_of(&doc);
    assert_eq!(
        errors.at("locations[0].hours.monday[0]"),
        Some(&Problem::AmPm)
    );
    assert!(errors.to_string().contains("24-hour"));
}

#[test]
fn ids_must_be_plain_and_unique_per_list() {
    let mut doc = minimal();
    let facial = doc["services"][0].clone();
    let mut second = facial.clone();
    second["name"] = json!({ "en": "Other" });
    let mut third = facial.clone();
    third["id"] = json!("Big Facial");
    third["name"] = json!({ "en": "Third" });
    doc["services"] = json!([facial, second, third]);
    // The same id in another list is fine.
    doc["products"] = json!([{ "id": "facial", "name": "Facial kit", "in_stock": true }]);
    let errors = errors_of(&doc);
    assert_eq!(paths(&errors), ["services[2].id", "services[1].id"]);
    assert_eq!(errors.at("services[2].id"), Some(&Problem::Id));
    assert_eq!(
        errors.at("services[1].id"),
        Some(&Problem::Duplicate {
            first: "services[0].id".to_string()
        })
    );
}

#[test]
fn a_synonym_of_two_services_names_both() {
    let mut doc = minimal();
    doc["services"][0]["synonyms"] = json!({ "en": ["filler"] });
    doc["services"].as_array_mut().unwrap().push(json!({
        "id": "lip_filler",
        "name": { "en": "Lip filler", "es": "Relleno de labios" },
        "synonyms": { "en": ["lip injections", ""], "es": ["Fíller"] },
        "duration_minutes": 45,
        "price": { "amount": "650", "per": "syringe" }
    }));
    let errors = errors_of(&doc);
    assert_eq!(
        paths(&errors),
        ["services[1].synonyms.en[1]", "services[1].synonyms.es[0]"]
    );
    assert_eq!(
        errors.at("services[1].synonyms.en[1]"),
        Some(&Problem::Empty)
    );
    assert_eq!(
        errors.at("services[1].synonyms.es[0]"),
        Some(&Problem::SharedTerm {
            term: "Fíller".to_string(),
            other_id: "facial".to_string(),
            other_path: "services[0].synonyms.en[0]".to_string(),
        })
    );
}

#[test]
fn a_name_equal_to_another_services_synonym_is_shared() {
    let mut doc = minimal();
    doc["services"][0]["synonyms"] = json!({ "en": ["peel"] });
    doc["services"].as_array_mut().unwrap().push(json!({
        "id": "peel", "name": { "en": "Peel" }, "duration_minutes": 30, "price": "consultation"
    }));
    let errors = errors_of(&doc);
    assert_eq!(paths(&errors), ["services[1].name.en"]);
}

#[test]
fn location_terms_include_ids() {
    let mut doc = minimal();
    let mut second = doc["locations"][0].clone();
    second["id"] = json!("marina");
    second["name"] = json!("Marina");
    second["synonyms"] = json!({ "en": ["Main"] });
    doc["locations"].as_array_mut().unwrap().push(second);
    let errors = errors_of(&doc);
    assert_eq!(paths(&errors), ["locations[1].synonyms.en[0]"]);
    assert!(matches!(
        errors.at("locations[1].synonyms.en[0]"),
        Some(Problem::SharedTerm { other_id, .. }) if other_id == "main"
    ));
}

#[test]
fn optional_sections_are_read_and_checked() {
    let mut doc = minimal();
    doc["memberships"] = json!([{ "id": "club", "name": { "en": "Club" }, "monthly_price": "$99.00", "terms": { "en": "Monthly." } }]);
    doc["products"] = json!([{ "id": "spf", "name": "SPF 46", "price": "41", "in_stock": false }]);
    doc["promotions"] =
        json!([{ "id": "spring", "text": { "en": "$30 off." }, "until": "2026-05-31" }]);
    doc["financing"] = json!({ "en": "Cherry." });
    doc["locations"][0]["parking"] = json!({ "en": "Garage.", "es": "Garaje." });
    doc["policies"]["deposits"] = json!({ "en": "$100." });
    let facts = parse(&doc.to_string()).unwrap();
    assert_eq!(facts.memberships[0].monthly_cents, 9_900);
    assert_eq!(facts.products[0].cents, Some(4_100));
    assert!(!facts.products[0].in_stock);
    assert_eq!(
        facts.promotions[0].until,
        chrono::NaiveDate::from_ymd_opt(2026, 5, 31)
    );
    assert_eq!(facts.financing.unwrap().en, "Cherry.");
    assert_eq!(
        facts.locations[0].parking.as_ref().unwrap().es.as_deref(),
        Some("Garaje.")
    );

    doc["products"] = json!([{ "id": "spf", "name": "SPF 46", "price": 41, "in_stock": "yes" }]);
    doc["promotions"] =
        json!([{ "id": "spring", "text": { "en": "$30 off." }, "until": "May 31" }]);
    doc["memberships"] = json!({});
    let errors = errors_of(&doc);
    assert_eq!(
        paths(&errors),
        [
            "memberships",
            "products[0].price",
            "products[0].in_stock",
            "promotions[0].until"
        ]
    );
}

#[test]
fn duration_is_minutes_in_range() {
    let mut doc = minimal();
    doc["services"][0]["duration_minutes"] = json!(0);
    assert_eq!(
        errors_of(&doc).at("services[0].duration_minutes"),
        Some(&Problem::OutOfRange { min: 1, max: 600 })
    );
    doc["services"][0]["duration_minutes"] = json!("60");
    assert!(matches!(
        errors_of(&doc).at("services[0].duration_minutes"),
        Some(Problem::WrongType { .. })
    ));
}

#[test]
fn notes_are_allowed_anywhere() {
    let mut doc = minimal();
    doc["_note"] = json!("updated by the manager");
    doc["services"][0]["_todo"] = json!("add Spanish");
    assert!(parse(&doc.to_string()).is_ok());
}

#[test]
fn location_phones_are_display_numbers() {
    let mut doc = minimal();
    doc["locations"][0]["phone"] = json!("(415) 555-0192");
    assert!(parse(&doc.to_string()).is_ok());
    for bad in ["call us", "555-01", "(415) 555-0192 ext 3"] {
        doc["locations"][0]["phone"] = json!(bad);
        assert_eq!(
            errors_of(&doc).at("locations[0].phone"),
            Some(&Problem::Phone),
            "{bad}"
        );
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Arbitrary text never panics the validator, and a refusal always says why.
        #[test]
        fn any_text_is_parsed_or_refused_with_reasons(text in "\\PC{0,200}") {
            if let Err(errors) = parse(&text) {
                prop_assert!(!errors.is_empty());
                prop_assert_eq!(errors.to_string().lines().count(), errors.len());
            }
        }

        /// Any price string becomes exact cents or a named problem, never a panic; a valid
        /// one reads back to the same digits.
        #[test]
        fn prices_read_back_exactly(dollars in 0u64..1_000_000, cents in 0u64..100) {
            let written = format!("{dollars}.{cents:02}");
            prop_assert_eq!(money::cents(&written), Ok(dollars * 100 + cents));
        }

        /// Truncating the example anywhere gives errors, never a panic or a half document.
        #[test]
        fn a_truncated_example_is_refused(cut in 0usize..EXAMPLE_JSON.trim_end().len()) {
            let cut = (0..=cut).rev().find(|&i| EXAMPLE_JSON.is_char_boundary(i)).unwrap_or(0);
            prop_assert!(parse(&EXAMPLE_JSON[..cut]).is_err());
        }
    }
}
