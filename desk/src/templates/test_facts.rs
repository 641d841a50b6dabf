//! Hand-made clinic facts for the template tests, built as values (not parsed) so these tests
//! depend only on the facts' types.

use chrono::NaiveDate;

use crate::clinic::facts::{
    Clinic, ClinicFacts, Holiday, Localized, Location, Membership, Policies, Price, PriceUnit,
    Product, Promotion, Sending, Service, Span, Synonyms, WeekHours,
};

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn both(en: &str, es: &str) -> Localized {
    Localized {
        en: en.to_owned(),
        es: Some(es.to_owned()),
    }
}

pub fn en_only(en: &str) -> Localized {
    Localized {
        en: en.to_owned(),
        es: None,
    }
}

fn span(open: u16, close: u16) -> Span {
    Span { open, close }
}

/// Mon-Fri 9-19, Sat 9-17, Sun closed; closed on Thanksgiving 2025, short hours on Dec 24.
pub fn downtown() -> Location {
    let weekday = vec![span(540, 1140)];
    Location {
        id: "downtown".into(),
        name: "Downtown".into(),
        address: "123 Main St, Los Angeles, CA 90012".into(),
        phone: "+13105550100".into(),
        parking: Some(both(
            "Free parking in the lot behind the building.",
            "Estacionamiento gratis detrás del edificio.",
        )),
        synonyms: Synonyms::default(),
        hours: WeekHours([
            weekday.clone(),
            weekday.clone(),
            weekday.clone(),
            weekday.clone(),
            weekday,
            vec![span(540, 1020)],
            vec![],
        ]),
        holidays: vec![
            Holiday {
                date: date(2025, 11, 27),
                name: "Thanksgiving".into(),
                hours: vec![],
            },
            Holiday {
                date: date(2025, 12, 24),
                name: "Christmas Eve".into(),
                hours: vec![span(540, 780)],
            },
        ],
    }
}

/// Tue-Sat 10-18, split on Saturday; no parking text; open on Thanksgiving.
pub fn westside() -> Location {
    let day = vec![span(600, 1080)];
    Location {
        id: "westside".into(),
        name: "Westside".into(),
        address: "9 Ocean Ave, Santa Monica, CA 90401".into(),
        phone: "+13105550200".into(),
        parking: None,
        synonyms: Synonyms::default(),
        hours: WeekHours([
            vec![],
            day.clone(),
            day.clone(),
            day.clone(),
            day,
            vec![span(600, 720), span(780, 960)],
            vec![],
        ]),
        holidays: vec![],
    }
}

fn service(id: &str, name: Localized, minutes: u16, price: Price) -> Service {
    Service {
        id: id.into(),
        name,
        synonyms: Synonyms::default(),
        duration_minutes: minutes,
        price,
        description: None,
        pre_care: None,
        aftercare: None,
    }
}

/// One location (downtown), four services, two memberships, three products and three
/// promotions (one expired on 2025-03-01). Lip filler's aftercare has no Spanish text.
pub fn facts() -> ClinicFacts {
    let mut botox = service(
        "botox",
        both("Botox", "Botox"),
        30,
        Price::PerUnit {
            cents: 1_400,
            unit: PriceUnit::Unit,
        },
    );
    botox.description = Some(both(
        "Softens frown lines and crow's feet.",
        "Suaviza las líneas de expresión.",
    ));
    botox.pre_care = Some(both(
        "Avoid alcohol for 24 hours before",
        "Evite el alcohol 24 horas antes",
    ));
    botox.aftercare = Some(both(
        "Stay upright for 4 hours and skip the gym until tomorrow.",
        "Manténgase erguido 4 horas y no haga ejercicio hasta mañana.",
    ));
    let mut lip_filler = service(
        "lip_filler",
        both("Lip filler", "Relleno de labios"),
        45,
        Price::From { cents: 65_000 },
    );
    lip_filler.description = Some(both(
        "Adds volume and shape to the lips",
        "Da volumen y forma a los labios",
    ));
    lip_filler.aftercare = Some(en_only("Ice for 10 minutes at a time."));
    let hydrafacial = service(
        "hydrafacial",
        both("HydraFacial", "HydraFacial"),
        90,
        Price::Fixed { cents: 19_950 },
    );
    let laser = service(
        "laser_resurfacing",
        both("Laser resurfacing", "Rejuvenecimiento láser"),
        60,
        Price::Consultation,
    );
    ClinicFacts {
        clinic: Clinic {
            name: "Glow Med Spa".into(),
            time_zone: "America/Los_Angeles".into(),
            sending: Sending {
                numbers: vec!["+13105550100".into()],
                messaging_service_sid: None,
                max_segments: 3,
                window_start: 540,
                window_end: 1200,
            },
        },
        locations: vec![downtown()],
        services: vec![botox, lip_filler, hydrafacial, laser],
        policies: Policies {
            cancellation: both(
                "Please give us 24 hours notice; late cancellations have a $50 fee.",
                "Avísenos con 24 horas; las cancelaciones tardías tienen un cargo de $50.",
            ),
            late_arrival: both(
                "If you are more than 15 minutes late we may need to reschedule",
                "Si llega más de 15 minutos tarde, quizá debamos reprogramar",
            ),
            deposits: None,
            minors: both(
                "Patients must be 18 or older.",
                "Los pacientes deben ser mayores de 18.",
            ),
        },
        memberships: vec![
            Membership {
                id: "glow_club".into(),
                name: both("Glow Club", "Club Glow"),
                monthly_cents: 9_900,
                terms: both(
                    "One facial a month and 10% off products; cancel anytime",
                    "Un facial al mes y 10% en productos; cancele cuando quiera",
                ),
            },
            Membership {
                id: "glow_plus".into(),
                name: both("Glow Plus", "Glow Plus"),
                monthly_cents: 19_950,
                terms: both("Two treatments a month.", "Dos tratamientos al mes."),
            },
        ],
        financing: Some(both(
            "Cherry payment plans from 3 to 24 months",
            "Planes de pago con Cherry de 3 a 24 meses",
        )),
        payment_methods: both(
            "Visa, Mastercard, Amex, HSA/FSA cards",
            "Visa, Mastercard, Amex, tarjetas HSA/FSA",
        ),
        products: vec![
            Product {
                id: "ce_ferulic".into(),
                name: "C E Ferulic serum".into(),
                synonyms: Synonyms::default(),
                cents: Some(18_200),
                in_stock: true,
            },
            Product {
                id: "sunscreen".into(),
                name: "Tinted sunscreen".into(),
                synonyms: Synonyms::default(),
                cents: None,
                in_stock: true,
            },
            Product {
                id: "retinol".into(),
                name: "Retinol cream".into(),
                synonyms: Synonyms::default(),
                cents: Some(9_500),
                in_stock: false,
            },
        ],
        promotions: vec![
            Promotion {
                id: "spring_peel".into(),
                text: both("20% off chemical peels", "20% de descuento en peelings"),
                until: Some(date(2025, 3, 31)),
            },
            Promotion {
                id: "winter".into(),
                text: both(
                    "Free lip balm with any facial.",
                    "Bálsamo gratis con cualquier facial.",
                ),
                until: Some(date(2025, 3, 1)),
            },
            Promotion {
                id: "referral".into(),
                text: both(
                    "Refer a friend and you both get $25 off!",
                    "¡Recomiende a una amiga y ambas reciben $25 de descuento!",
                ),
                until: None,
            },
        ],
    }
}

/// The same clinic with a second location.
pub fn two_locations() -> ClinicFacts {
    let mut f = facts();
    f.locations.push(westside());
    f
}
