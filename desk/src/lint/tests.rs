//! The linter as callers see it: which rules apply to which kind of message, all violations at
//! once, and what the errors say (and never say).

use super::*;
use proptest::prelude::*;

const CLINIC: &[&str] = &["+15551234567"];
const FOOTER: &str = " Reply STOP to opt out.";

fn ctx(kind: Kind) -> Context<'static> {
    Context {
        kind,
        first_to_number: false,
        max_segments: 3,
        clinic_numbers: CLINIC,
        today: NaiveDate::from_ymd_opt(2025, 6, 15).unwrap(),
    }
}

fn rules(body: &str, ctx: &Context) -> Vec<&'static str> {
    match check(body, ctx) {
        Ok(_) => vec![],
        Err(v) => v.iter().map(Violation::rule).collect(),
    }
}

#[test]
fn a_plain_reply_passes_with_its_cost() {
    let r = check(
        "Botox is $12/unit. Call (555) 123-4567 to book.",
        &ctx(Kind::Reply),
    )
    .unwrap();
    assert_eq!(r.encoding, Encoding::Gsm7);
    assert_eq!(r.segments, 1);
    assert_eq!(r.units, 47);
    assert_eq!(r.first_non_gsm, None);
}

#[test]
fn empty_bodies_report_only_that() {
    let mut marketing = ctx(Kind::Marketing);
    marketing.first_to_number = true;
    for body in ["", " ", "\n\n", " \u{3000} "] {
        assert_eq!(
            check(body, &marketing),
            Err(vec![Violation::EmptyBody]),
            "{body:?}"
        );
    }
}

#[test]
fn control_characters_fail_but_newlines_do_not() {
    assert_eq!(rules("Hi\nthere", &ctx(Kind::Reply)), Vec::<&str>::new());
    assert_eq!(
        check("Hi\r\nthere\tok", &ctx(Kind::Reply)),
        Err(vec![
            Violation::ControlCharacter { at: 2..3 },
            Violation::ControlCharacter { at: 9..10 },
        ])
    );
    assert_eq!(
        rules("Hi\u{200B}", &ctx(Kind::Reply)),
        vec!["control_character"]
    );
}

#[test]
fn segment_cap_boundaries() {
    let cap = |n: u8| Context {
        max_segments: n,
        ..ctx(Kind::Reply)
    };
    let a = |n: usize| "a".repeat(n);
    let cases: Vec<(String, u8, bool)> = vec![
        (a(160), 1, true),
        (a(161), 1, false),
        (a(161), 2, true),
        (a(306), 2, true),
        (a(307), 2, false),
        (format!("ñ{}", a(159)), 1, true),
        (format!("á{}", a(69)), 1, true),
        (format!("á{}", a(70)), 1, false),
        (format!("á{}", a(133)), 2, true),
        (format!("á{}", a(134)), 2, false),
        (format!("{}😀", a(68)), 1, true),
        (format!("{}😀", a(69)), 1, false),
        // An escape pair at the boundary of part one pushes the text into a third part.
        (format!("{}€{}", a(152), a(151)), 2, true),
        (format!("{}€{}", a(152), a(152)), 2, false),
    ];
    for (body, max, ok) in cases {
        assert_eq!(
            check(&body, &cap(max)).is_ok(),
            ok,
            "{} units, cap {max}",
            body.len()
        );
    }
}

#[test]
fn too_many_segments_says_what_forces_ucs2() {
    let body = format!("Hola, ¿cómo está? {}", "a".repeat(242));
    let err = check(&body, &ctx(Kind::Reply)).unwrap_err();
    assert_eq!(
        err,
        vec![Violation::TooManySegments {
            segments: 4,
            max: 3,
            encoding: Encoding::Ucs2,
            units: 260,
            first_non_gsm: Some(9),
        }]
    );
    assert_eq!(
        err[0].to_string(),
        "rule too_many_segments: 4 segments (UCS-2, 260 units) over the clinic's 3; shorten the \
         message, or replace the character at byte 9, which forces UCS-2 (70 characters per \
         segment instead of 160)"
    );
    let gsm = check(&"a".repeat(500), &ctx(Kind::Reply)).unwrap_err();
    assert_eq!(
        gsm[0].to_string(),
        "rule too_many_segments: 4 segments (GSM-7, 500 units) over the clinic's 3; shorten the \
         message"
    );
}

#[test]
fn opt_out_language_where_required() {
    let first = Context {
        first_to_number: true,
        ..ctx(Kind::Reply)
    };
    let reminder = ctx(Kind::Reminder);
    let marketing = ctx(Kind::Marketing);
    assert_eq!(
        rules("Thanks, see you soon!", &ctx(Kind::Reply)),
        Vec::<&str>::new()
    );
    assert_eq!(
        rules("Your visit is tomorrow at 2pm.", &reminder),
        Vec::<&str>::new()
    );
    assert_eq!(
        check("Thanks for your message!", &first),
        Err(vec![Violation::MissingOptOut {
            because: OptOutRequired::FirstMessage
        }])
    );
    assert!(check(&format!("Thanks for your message!{FOOTER}"), &first).is_ok());
    assert_eq!(
        check("Stop by anytime for 20% off facials!", &marketing),
        Err(vec![Violation::MissingOptOut {
            because: OptOutRequired::Marketing
        }])
    );
    assert!(check("20% off facials! Text STOP to unsubscribe", &marketing).is_ok());
    assert!(check("¡20% en faciales! Responde STOP para cancelar", &marketing).is_ok());
    // Marketing is the stronger reason when both apply.
    let both = Context {
        first_to_number: true,
        ..marketing
    };
    assert_eq!(
        check("20% off facials!", &both),
        Err(vec![Violation::MissingOptOut {
            because: OptOutRequired::Marketing
        }])
    );
}

#[test]
fn shorteners_fail_in_every_kind() {
    for kind in [Kind::Reply, Kind::Reminder, Kind::Marketing] {
        let body = format!("Book at https://bit.ly/abc{FOOTER}");
        assert_eq!(
            check(&body, &ctx(kind)),
            Err(vec![Violation::UrlShortener {
                at: 16..22,
                host: "bit.ly"
            }]),
            "{kind:?}"
        );
    }
    assert!(check(
        &format!("Book at https://glowspa.com/book{FOOTER}"),
        &ctx(Kind::Marketing)
    )
    .is_ok());
    assert!(check("We are at.company HQ", &ctx(Kind::Reply)).is_ok());
}

#[test]
fn identifiers_only_in_marketing() {
    let body = "Your visit on 03/04/2025 is confirmed (ref 7654321). Call 555-222-3333 or \
                front@glowspa.com.";
    assert!(check(body, &ctx(Kind::Reminder)).is_ok());
    assert!(check(body, &ctx(Kind::Reply)).is_ok());
    let marketing = format!("{body}{FOOTER}");
    assert_eq!(
        rules(&marketing, &ctx(Kind::Marketing)),
        vec![
            "marketing_past_date",
            "marketing_digit_run",
            "marketing_phone_number",
            "marketing_email"
        ]
    );
    // The clinic's own number and a future offer date are fine.
    let ok = format!("Glow week ends 6/30! Book: (555) 123-4567{FOOTER}");
    assert!(check(&ok, &ctx(Kind::Marketing)).is_ok());
}

#[test]
fn prescription_drugs_only_in_marketing() {
    assert!(check(
        "Botox is $12/unit; Ozempic consults are $99.",
        &ctx(Kind::Reply)
    )
    .is_ok());
    let body = format!("Spring special: $10 off Botox and semaglutide!{FOOTER}");
    let err = check(&body, &ctx(Kind::Marketing)).unwrap_err();
    assert_eq!(
        err,
        vec![
            Violation::PrescriptionDrug {
                at: 24..29,
                drug: "Botox",
                class: DrugClass::Neurotoxin
            },
            Violation::PrescriptionDrug {
                at: 34..45,
                drug: "semaglutide",
                class: DrugClass::WeightLoss
            },
        ]
    );
    assert_eq!(
        err[0].to_string(),
        "rule prescription_drug: \"Botox\" at bytes 24..29 is a prescription neurotoxin, which \
         carriers block in marketing; say \"wrinkle relaxer\" or \"neuromodulator treatment\" instead"
    );
    let ok = format!("Spring special: $10 off wrinkle relaxer!{FOOTER}");
    assert!(check(&ok, &ctx(Kind::Marketing)).is_ok());
}

#[test]
fn placeholders_fail_in_every_kind() {
    for kind in [Kind::Reply, Kind::Reminder, Kind::Marketing] {
        let body = format!("Hi {{{{first_name}}}}, your visit is soon.{FOOTER}");
        assert_eq!(
            check(&body, &ctx(kind)),
            Err(vec![Violation::UnrenderedPlaceholder {
                at: 3..17,
                placeholder: Placeholder::DoubleBrace
            }])
        );
        assert_eq!(
            rules(&format!("Hi [NAME], call us.{FOOTER}"), &ctx(kind)),
            vec!["unrendered_placeholder"]
        );
    }
    let err = check("Hi [NAME]", &ctx(Kind::Reply)).unwrap_err();
    assert_eq!(
        err[0].to_string(),
        "rule unrendered_placeholder: the redaction token [NAME] at bytes 3..9; fill it in or \
         remove it (unrendered or redacted text must never reach a patient)"
    );
}

#[test]
fn every_violation_at_once_in_order() {
    let body = "\u{7}Hi [NAME]! 50% off Botox at bit.ly/x, call 555-222-3333.";
    let mut c = ctx(Kind::Marketing);
    c.max_segments = 0;
    assert_eq!(
        rules(body, &c),
        vec![
            "too_many_segments",
            "missing_opt_out",
            "control_character",
            "unrendered_placeholder",
            "prescription_drug",
            "url_shortener",
            "marketing_phone_number",
        ]
    );
}

#[test]
fn errors_never_quote_patient_text() {
    let body = "Maria Lopez, 04/12/1987, 555-222-3333, maria.lopez@example.com, card \
                4111111111111111, [Maria Lopez], {{maria}}, <Maria>";
    let err = check(body, &ctx(Kind::Marketing)).unwrap_err();
    assert!(err.len() >= 8, "{err:?}");
    for v in &err {
        let text = v.to_string().to_lowercase();
        for secret in [
            "maria",
            "lopez",
            "1987",
            "04/12",
            "555",
            "2223333",
            "example.com",
            "4111",
        ] {
            assert!(!text.contains(secret), "{text} quotes {secret}");
        }
        assert!(text.starts_with(&format!("rule {}: ", v.rule())), "{text}");
    }
}

#[test]
fn serialized_rule_tag_is_the_rule_code() {
    let body = "\u{7}Hi [NAME] {{x}}! Botox at bit.ly/x, 04/12/1987, 555-222-3333, a@b.co, 7654321";
    let mut c = ctx(Kind::Marketing);
    c.max_segments = 0;
    let err = check(body, &c).unwrap_err();
    assert_eq!(err.len(), 11, "{err:?}");
    for v in &err {
        let json = serde_json::to_value(v).unwrap();
        assert_eq!(json["rule"], v.rule(), "{json}");
        if let Some(at) = v.at() {
            assert_eq!(json["at"]["start"], at.start);
        }
    }
    let json = serde_json::to_value(&err[3]).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "rule": "unrendered_placeholder",
            "at": {"start": 4, "end": 10},
            "placeholder": {"kind": "redaction_token", "token": "[NAME]"}
        })
    );
}

fn arb_kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Reply),
        Just(Kind::Marketing),
        Just(Kind::Reminder)
    ]
}

proptest! {
    #[test]
    fn an_unrendered_double_brace_always_fails(
        before in "[^{}]{0,80}",
        name in "[ ]?[A-Za-z_][A-Za-z0-9_.]{0,20}[ ]?",
        after in "[^{}]{0,80}",
        kind in arb_kind(),
    ) {
        let body = format!("{before}{{{{{name}}}}}{after}");
        let start = before.len();
        let end = start + name.len() + 4;
        let err = check(&body, &ctx(kind)).unwrap_err();
        // Reported as a {{...}} field, or inside a wider one the text around it opened
        // ("${{x}}", "[[ {{x}} ]]").
        prop_assert!(
            err.iter().any(|v| matches!(
                v,
                Violation::UnrenderedPlaceholder { at, .. } if at.start <= start && end <= at.end
            )),
            "{:?}", err
        );
    }

    #[test]
    fn any_text_lints_without_panicking_and_ranges_are_in_the_body(
        body in ".{0,300}",
        kind in arb_kind(),
        first in any::<bool>(),
        max in 0u8..5,
    ) {
        let c = Context { first_to_number: first, max_segments: max, ..ctx(kind) };
        match check(&body, &c) {
            Ok(report) => {
                prop_assert!(report.segments <= usize::from(max));
                prop_assert_eq!(report, Report::from(segments(&body)));
            }
            Err(violations) => {
                prop_assert!(!violations.is_empty());
                for v in violations {
                    if let Some(at) = v.at() {
                        prop_assert!(at.start < at.end && body.get(at.clone()).is_some(), "{:?}", v);
                    }
                }
            }
        }
    }
}
