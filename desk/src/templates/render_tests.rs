//! Rendering with the default set and hand-made facts: every intent and topic in English and
//! Spanish, every reason a reply is not rendered, and the default set's own rules.

use chrono::NaiveDate;
use classifier::policy::Policy;
use classifier::{Action, Intent};

use super::test_facts::{date, en_only, facts, two_locations};
use super::{render, Rendered, Request, TemplateSet, Topic, Unrendered, DEFAULT_SET};
use crate::clinic::{ClinicFacts, Lang, Slots};

const VERSION: u32 = 4;

fn default_set() -> TemplateSet {
    TemplateSet::parse(DEFAULT_SET, VERSION).unwrap()
}

fn today() -> NaiveDate {
    date(2025, 3, 12)
}

fn slots() -> Slots {
    Slots::default()
}

fn service(id: &str) -> Slots {
    Slots {
        services: vec![id.to_owned()],
        ..Slots::default()
    }
}

fn product(id: &str) -> Slots {
    Slots {
        products: vec![id.to_owned()],
        ..Slots::default()
    }
}

fn day(d: NaiveDate) -> Slots {
    Slots {
        day: Some(d),
        ..Slots::default()
    }
}

fn attempt(
    f: &ClinicFacts,
    intent: Intent,
    lang: Lang,
    text: &str,
    slots: &Slots,
) -> Result<Rendered, Unrendered> {
    let set = default_set();
    let req = Request {
        intent,
        lang,
        text,
        facts: f,
        slots,
        today: today(),
    };
    render(&set, &req)
}

fn body(f: &ClinicFacts, intent: Intent, lang: Lang, text: &str, slots: &Slots) -> String {
    match attempt(f, intent, lang, text, slots) {
        Ok(r) => r.body,
        Err(e) => panic!("{intent} {lang:?} {text:?}: {e}"),
    }
}

fn refused(f: &ClinicFacts, intent: Intent, lang: Lang, text: &str, slots: &Slots) -> Unrendered {
    match attempt(f, intent, lang, text, slots) {
        Ok(r) => panic!("{intent} {lang:?} {text:?} rendered {:?}", r.body),
        Err(e) => e,
    }
}

fn missing(field: &str) -> Unrendered {
    Unrendered::MissingFact {
        field: field.to_owned(),
    }
}

// ---- the default set ---------------------------------------------------------------------

#[test]
fn the_default_set_covers_every_auto_reply_intent_in_both_languages() {
    let policy = Policy::bundled().unwrap();
    let auto: Vec<Intent> = Intent::ALL
        .iter()
        .copied()
        .filter(|i| policy.action_for(*i) == Action::AutoReply)
        .filter(|i| *i != Intent::AppointmentStatus)
        .collect();
    assert!(auto.len() >= 15, "{auto:?}");
    let set = default_set();
    assert_eq!(set.version(), VERSION);
    assert_eq!(set.gaps(&auto), vec![]);
    // Nothing for intents a person handles, or that the policy only drafts.
    for t in set.templates() {
        assert_eq!(policy.action_for(t.intent), Action::AutoReply, "{}", t.id);
        assert_eq!(
            t.id,
            format!("{}.{}.{}", t.intent, t.topic, t.lang.as_str())
        );
    }
}

#[test]
fn appointment_status_needs_the_schedule_so_it_has_no_template() {
    let f = facts();
    for lang in Lang::ALL {
        assert_eq!(
            refused(
                &f,
                Intent::AppointmentStatus,
                lang,
                "is my appt still on",
                &slots()
            ),
            Unrendered::NoTemplate {
                intent: Intent::AppointmentStatus,
                topic: Topic::General,
                lang
            }
        );
    }
}

/// Characters GSM-7 sends as one septet or two (its extension table); anything else makes the
/// whole message UCS-2, with 70 characters a segment instead of 160.
fn gsm7(c: char) -> bool {
    const BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    BASIC.contains(c)
}

fn segments(text: &str) -> usize {
    let (single, multi, len) = if text.chars().all(gsm7) {
        (160, 153, text.chars().count())
    } else {
        (70, 67, text.encode_utf16().count())
    };
    if len <= single {
        1
    } else {
        len.div_ceil(multi)
    }
}

#[test]
fn default_bodies_are_signed_plain_and_short() {
    let set = default_set();
    for t in set.templates() {
        assert!(t.body.ends_with("- {{clinic}}"), "{}: unsigned", t.id);
        let lower = t.body.to_lowercase();
        for link in ["http", "www.", ".com", ".ly", "bit."] {
            assert!(!lower.contains(link), "{}: link", t.id);
        }
        // Spanish needs its accents and opening marks; nothing else outside ASCII (no emoji).
        assert!(
            t.body
                .chars()
                .all(|c| c.is_ascii() || "áéíóúñüÁÉÍÓÚÑÜ¿¡".contains(c)),
            "{}: {:?}",
            t.id,
            t.body
        );
        if t.lang == Lang::En {
            let text: String = t.body.chars().filter(|c| !matches!(c, '{' | '}')).collect();
            assert!(text.chars().all(gsm7), "{}: not GSM-7", t.id);
        }
        for word in [
            "botox",
            "dysport",
            "xeomin",
            "semaglutide",
            "ozempic",
            "tretinoin",
        ] {
            assert!(!lower.contains(word), "{}: names {word}", t.id);
        }
    }
}

#[test]
fn default_replies_fit_two_segments_with_ordinary_facts() {
    // The memberships and promotions lists grow with the clinic's facts; the rest must leave
    // room for them to stay within the clinic's limit.
    let f = facts();
    let cases: Vec<(Intent, &str, Slots)> = vec![
        (Intent::HoursLocation, "hours?", slots()),
        (Intent::HoursLocation, "address?", slots()),
        (Intent::HoursLocation, "parking?", slots()),
        (Intent::Billing, "pay?", slots()),
        (Intent::Billing, "financing?", slots()),
        (Intent::Billing, "cancel fee?", slots()),
        (Intent::TreatmentInfo, "", service("botox")),
        (Intent::Pricing, "", service("botox")),
        (Intent::PreCare, "", service("botox")),
        (Intent::Aftercare, "", service("botox")),
        (Intent::Products, "", product("ce_ferulic")),
        (Intent::RunningLate, "", slots()),
        (Intent::AppointmentConfirm, "", slots()),
        (Intent::Feedback, "", slots()),
        (Intent::Greeting, "", slots()),
        (Intent::WrongNumber, "", slots()),
        (Intent::Help, "", slots()),
    ];
    for (intent, text, s) in &cases {
        for lang in Lang::ALL {
            let b = body(&f, *intent, lang, text, s);
            assert!(
                segments(&b) <= 2,
                "{intent} {lang:?}: {} segments: {b}",
                segments(&b)
            );
        }
    }
}

// ---- each intent and topic, English and Spanish ------------------------------------------

#[test]
fn hours_for_the_week_are_compacted() {
    let f = facts();
    assert_eq!(
        body(
            &f,
            Intent::HoursLocation,
            Lang::En,
            "what are your hours",
            &slots()
        ),
        "Hi! Our hours: Mon-Fri 9:00 AM-7:00 PM, Sat 9:00 AM-5:00 PM, Sun closed. See you soon! \
         - Glow Med Spa"
    );
    assert_eq!(
        body(
            &f,
            Intent::HoursLocation,
            Lang::Es,
            "¿cuál es su horario?",
            &slots()
        ),
        "Nuestro horario: lun-vie 9:00-19:00, sáb 9:00-17:00, dom cerrado. ¡Le esperamos! \
         - Glow Med Spa"
    );
}

#[test]
fn hours_for_a_day_read_that_days_hours() {
    let f = facts();
    // 2025-03-15 is a Saturday, 2025-03-16 a Sunday.
    assert_eq!(
        body(
            &f,
            Intent::HoursLocation,
            Lang::En,
            "open saturday?",
            &day(date(2025, 3, 15))
        ),
        "Hi! Our hours: Sat, Mar 15: 9:00 AM-5:00 PM. See you soon! - Glow Med Spa"
    );
    assert_eq!(
        body(
            &f,
            Intent::HoursLocation,
            Lang::Es,
            "¿abren el domingo?",
            &day(date(2025, 3, 16))
        ),
        "Nuestro horario: dom 16 mar: cerrado. ¡Le esperamos! - Glow Med Spa"
    );
}

#[test]
fn a_holiday_overrides_its_weekday() {
    let f = facts();
    // Thanksgiving is a Thursday, normally open 9-7: closed.
    let thanksgiving = day(date(2025, 11, 27));
    assert_eq!(
        body(
            &f,
            Intent::HoursLocation,
            Lang::En,
            "open thursday?",
            &thanksgiving
        ),
        "Hi! Our hours: Thu, Nov 27: closed (holiday). See you soon! - Glow Med Spa"
    );
    assert_eq!(
        body(
            &f,
            Intent::HoursLocation,
            Lang::Es,
            "¿abren el jueves?",
            &thanksgiving
        ),
        "Nuestro horario: jue 27 nov: cerrado (festivo). ¡Le esperamos! - Glow Med Spa"
    );
    // Christmas Eve (a Wednesday) has short hours, not the weekday's.
    assert_eq!(
        body(
            &f,
            Intent::HoursLocation,
            Lang::En,
            "hours on the 24th?",
            &day(date(2025, 12, 24))
        ),
        "Hi! Our hours: Wed, Dec 24: 9:00 AM-1:00 PM (holiday). See you soon! - Glow Med Spa"
    );
    // The Thursday after is an ordinary Thursday.
    assert_eq!(
        body(
            &f,
            Intent::HoursLocation,
            Lang::En,
            "open thursday?",
            &day(date(2025, 12, 4))
        ),
        "Hi! Our hours: Thu, Dec 4: 9:00 AM-7:00 PM. See you soon! - Glow Med Spa"
    );
}

#[test]
fn with_several_locations_each_is_named_unless_the_message_names_one() {
    let f = two_locations();
    assert_eq!(
        body(&f, Intent::HoursLocation, Lang::En, "hours?", &slots()),
        "Hi! Our hours: Downtown: Mon-Fri 9:00 AM-7:00 PM, Sat 9:00 AM-5:00 PM, Sun closed; \
         Westside: Mon closed, Tue-Fri 10:00 AM-6:00 PM, Sat 10:00 AM-12:00 PM & 1:00 PM-4:00 PM, \
         Sun closed. See you soon! - Glow Med Spa"
    );
    // The holiday is Downtown's only.
    assert_eq!(
        body(
            &f,
            Intent::HoursLocation,
            Lang::Es,
            "¿abren el jueves?",
            &day(date(2025, 11, 27))
        ),
        "Nuestro horario: jue 27 nov: Downtown cerrado (festivo); Westside 10:00-18:00. \
         ¡Le esperamos! - Glow Med Spa"
    );
    let westside = Slots {
        location: Some("westside".into()),
        day: Some(date(2025, 3, 15)),
        ..Slots::default()
    };
    assert_eq!(
        body(
            &f,
            Intent::HoursLocation,
            Lang::Es,
            "¿y westside el sábado?",
            &westside
        ),
        "Nuestro horario: sáb 15 mar: Westside 10:00-12:00 y 13:00-16:00. ¡Le esperamos! \
         - Glow Med Spa"
    );
    assert_eq!(
        body(
            &f,
            Intent::HoursLocation,
            Lang::En,
            "what's the address",
            &slots()
        ),
        "Hi! You can find us at Downtown: 123 Main St, Los Angeles, CA 90012; \
         Westside: 9 Ocean Ave, Santa Monica, CA 90401. See you soon! - Glow Med Spa"
    );
    let mut parked = two_locations();
    parked.locations[1].parking = Some(super::test_facts::both("Street parking", "En la calle"));
    assert_eq!(
        body(
            &parked,
            Intent::HoursLocation,
            Lang::Es,
            "¿estacionamiento?",
            &slots()
        ),
        "¡Hola! Downtown: Estacionamiento gratis detrás del edificio. Westside: En la calle. \
         ¡Le esperamos! - Glow Med Spa"
    );
    assert_eq!(
        body(&f, Intent::Help, Lang::En, "help", &slots()),
        "We're here to help! Call us at (310) 555-0100 (Downtown), (310) 555-0200 (Westside) \
         or reply here and our team will get back to you. - Glow Med Spa"
    );
}

#[test]
fn address_and_parking() {
    let f = facts();
    assert_eq!(
        body(
            &f,
            Intent::HoursLocation,
            Lang::En,
            "where are you located?",
            &slots()
        ),
        "Hi! You can find us at 123 Main St, Los Angeles, CA 90012. See you soon! - Glow Med Spa"
    );
    assert_eq!(
        body(
            &f,
            Intent::HoursLocation,
            Lang::Es,
            "¿cuál es la dirección?",
            &slots()
        ),
        "Nuestra dirección: 123 Main St, Los Angeles, CA 90012. ¡Le esperamos! - Glow Med Spa"
    );
    // The clinic's text ends its sentence, so the template's period is not doubled.
    assert_eq!(
        body(
            &f,
            Intent::HoursLocation,
            Lang::En,
            "where do I park",
            &slots()
        ),
        "Hi! Free parking in the lot behind the building. See you soon! - Glow Med Spa"
    );
    assert_eq!(
        body(
            &f,
            Intent::HoursLocation,
            Lang::Es,
            "¿dónde me estaciono?",
            &slots()
        ),
        "¡Hola! Estacionamiento gratis detrás del edificio. ¡Le esperamos! - Glow Med Spa"
    );
}

#[test]
fn billing_topics() {
    let f = facts();
    assert_eq!(
        body(&f, Intent::Billing, Lang::En, "do you take amex", &slots()),
        "We accept: Visa, Mastercard, Amex, HSA/FSA cards. Any other questions? Just reply here. \
         - Glow Med Spa"
    );
    assert_eq!(
        body(&f, Intent::Billing, Lang::Es, "¿aceptan tarjeta?", &slots()),
        "Aceptamos: Visa, Mastercard, Amex, tarjetas HSA/FSA. ¿Dudas? Responda aquí. \
         - Glow Med Spa"
    );
    assert_eq!(
        body(
            &f,
            Intent::Billing,
            Lang::En,
            "do you have payment plans?",
            &slots()
        ),
        "Financing: Cherry payment plans from 3 to 24 months. Any other questions? Just reply \
         here. - Glow Med Spa"
    );
    assert_eq!(
        body(
            &f,
            Intent::Billing,
            Lang::Es,
            "¿tienen financiamiento?",
            &slots()
        ),
        "Financiamiento: Planes de pago con Cherry de 3 a 24 meses. ¿Dudas? Responda aquí. \
         - Glow Med Spa"
    );
}

#[test]
fn cancellation_policy_answers_under_billing_and_treatment_info() {
    let f = facts();
    let en = "Our cancellation policy: Please give us 24 hours notice; late cancellations have a \
              $50 fee. Thank you for understanding! - Glow Med Spa";
    let es = "Política de cancelación: Avísenos con 24 horas; las cancelaciones tardías tienen \
              un cargo de $50. ¡Gracias! - Glow Med Spa";
    for intent in [Intent::Billing, Intent::TreatmentInfo] {
        let r = attempt(
            &f,
            intent,
            Lang::En,
            "is there a cancellation fee?",
            &slots(),
        )
        .unwrap();
        assert_eq!(r.body, en);
        assert_eq!(r.template_id, format!("{intent}.cancellation_policy.en"));
        assert_eq!(
            body(&f, intent, Lang::Es, "¿cobran si cancelo?", &slots()),
            es,
            "{intent}"
        );
    }
}

#[test]
fn pricing_in_every_price_shape() {
    let f = facts();
    let cases = [
        (
            "botox",
            "Botox is $14 per unit. Want to book? Just reply here. - Glow Med Spa",
            "Botox: $14 por unidad. ¿Desea agendar? Responda aquí. - Glow Med Spa",
        ),
        (
            "lip_filler",
            "Lip filler is from $650. Want to book? Just reply here. - Glow Med Spa",
            "Relleno de labios: desde $650. ¿Desea agendar? Responda aquí. - Glow Med Spa",
        ),
        (
            "hydrafacial",
            "HydraFacial is $199.50. Want to book? Just reply here. - Glow Med Spa",
            "HydraFacial: $199.50. ¿Desea agendar? Responda aquí. - Glow Med Spa",
        ),
        (
            "laser_resurfacing",
            "Laser resurfacing is priced at a consultation. Want to book? Just reply here. \
             - Glow Med Spa",
            "Rejuvenecimiento láser: se cotiza en consulta. ¿Desea agendar? Responda aquí. \
             - Glow Med Spa",
        ),
    ];
    for (id, en, es) in cases {
        assert_eq!(
            body(&f, Intent::Pricing, Lang::En, "how much", &service(id)),
            en
        );
        assert_eq!(
            body(&f, Intent::Pricing, Lang::Es, "cuánto cuesta", &service(id)),
            es
        );
    }
    // A range, and the same service named twice is still one service.
    let mut f = facts();
    f.services[2].price = crate::clinic::facts::Price::Range {
        from_cents: 50_000,
        to_cents: 125_000,
    };
    let twice = Slots {
        services: vec!["hydrafacial".into(), "hydrafacial".into()],
        ..Slots::default()
    };
    assert_eq!(
        body(&f, Intent::Pricing, Lang::En, "how much", &twice),
        "HydraFacial is $500-$1,250. Want to book? Just reply here. - Glow Med Spa"
    );
}

#[test]
fn treatment_info_pre_care_and_aftercare_read_the_clinics_text() {
    let f = facts();
    let botox = service("botox");
    assert_eq!(
        body(&f, Intent::TreatmentInfo, Lang::En, "what is botox", &botox),
        "Botox: Softens frown lines and crow's feet. It takes about 30 minutes. Want to book? \
         Just reply here. - Glow Med Spa"
    );
    assert_eq!(
        body(
            &f,
            Intent::TreatmentInfo,
            Lang::Es,
            "qué es el relleno",
            &service("lip_filler")
        ),
        "Relleno de labios: Da volumen y forma a los labios. Dura aproximadamente 45 minutos. \
         ¿Desea agendar? Responda aquí. - Glow Med Spa"
    );
    assert_eq!(
        body(
            &f,
            Intent::PreCare,
            Lang::En,
            "anything before botox?",
            &botox
        ),
        "Before your Botox: Avoid alcohol for 24 hours before. Questions? Just reply here. \
         - Glow Med Spa"
    );
    assert_eq!(
        body(
            &f,
            Intent::PreCare,
            Lang::Es,
            "¿algo antes del botox?",
            &botox
        ),
        "Antes de su Botox: Evite el alcohol 24 horas antes. ¿Dudas? Responda aquí. \
         - Glow Med Spa"
    );
    assert_eq!(
        body(&f, Intent::Aftercare, Lang::En, "after botox?", &botox),
        "After your Botox: Stay upright for 4 hours and skip the gym until tomorrow. Questions? \
         Just reply here. - Glow Med Spa"
    );
    assert_eq!(
        body(
            &f,
            Intent::Aftercare,
            Lang::Es,
            "¿después del botox?",
            &botox
        ),
        "Después de su Botox: Manténgase erguido 4 horas y no haga ejercicio hasta mañana. \
         ¿Dudas? Responda aquí. - Glow Med Spa"
    );
}

#[test]
fn memberships_list_every_plan_with_its_fee() {
    let f = facts();
    assert_eq!(
        body(
            &f,
            Intent::Membership,
            Lang::En,
            "tell me about memberships",
            &slots()
        ),
        "Our memberships: Glow Club ($99/month): One facial a month and 10% off products; cancel \
         anytime. Glow Plus ($199.50/month): Two treatments a month. Want to join? Just reply \
         here. - Glow Med Spa"
    );
    assert_eq!(
        body(&f, Intent::Membership, Lang::Es, "membresías?", &slots()),
        "Membresías: Club Glow ($99 al mes): Un facial al mes y 10% en productos; \
         cancele cuando quiera. Glow Plus ($199.50 al mes): Dos tratamientos al mes. ¿Le \
         interesa? Responda aquí. - Glow Med Spa"
    );
}

#[test]
fn products_say_availability_and_the_price_when_known() {
    let f = facts();
    assert_eq!(
        body(
            &f,
            Intent::Products,
            Lang::En,
            "do you have the serum",
            &product("ce_ferulic")
        ),
        "C E Ferulic serum is in stock, $182. Any other questions? Just reply here. \
         - Glow Med Spa"
    );
    assert_eq!(
        body(
            &f,
            Intent::Products,
            Lang::Es,
            "tienen el serum",
            &product("ce_ferulic")
        ),
        "C E Ferulic serum: disponible, $182. ¿Dudas? Responda aquí. - Glow Med Spa"
    );
    assert_eq!(
        body(
            &f,
            Intent::Products,
            Lang::En,
            "sunscreen?",
            &product("sunscreen")
        ),
        "Tinted sunscreen is in stock. Any other questions? Just reply here. - Glow Med Spa"
    );
    // Out of stock: no price, no promise of when.
    assert_eq!(
        body(
            &f,
            Intent::Products,
            Lang::En,
            "retinol?",
            &product("retinol")
        ),
        "Retinol cream is out of stock right now. Any other questions? Just reply here. \
         - Glow Med Spa"
    );
    assert_eq!(
        body(
            &f,
            Intent::Products,
            Lang::Es,
            "retinol?",
            &product("retinol")
        ),
        "Retinol cream: agotado por ahora. ¿Dudas? Responda aquí. - Glow Med Spa"
    );
}

#[test]
fn promotions_leave_out_expired_offers() {
    let f = facts();
    // today is 2025-03-12: "winter" ended 2025-03-01.
    assert_eq!(
        body(&f, Intent::Promotions, Lang::En, "any specials?", &slots()),
        "Current specials: Through Mon, Mar 31: 20% off chemical peels. Refer a friend and you \
         both get $25 off! Want to book? Just reply here. - Glow Med Spa"
    );
    assert_eq!(
        body(&f, Intent::Promotions, Lang::Es, "¿promociones?", &slots()),
        "Promociones: Hasta el lun 31 mar: 20% de descuento en peelings. ¡Recomiende a \
         una amiga y ambas reciben $25 de descuento! ¿Desea agendar? Responda aquí. \
         - Glow Med Spa"
    );
    // An offer's last day is still current.
    let set = default_set();
    let s = slots();
    let req = Request {
        intent: Intent::Promotions,
        lang: Lang::En,
        text: "specials?",
        facts: &f,
        slots: &s,
        today: date(2025, 3, 1),
    };
    assert!(render(&set, &req).unwrap().body.contains("Free lip balm"));
}

#[test]
fn the_simple_replies() {
    let f = facts();
    let cases = [
        (
            Intent::RunningLate,
            "Thanks for letting us know! If you are more than 15 minutes late we may need to \
             reschedule. See you soon. - Glow Med Spa",
            "¡Gracias por avisarnos! Si llega más de 15 minutos tarde, quizá debamos reprogramar. \
             Le esperamos. - Glow Med Spa",
        ),
        (
            Intent::AppointmentConfirm,
            "Thank you for confirming! We look forward to seeing you. - Glow Med Spa",
            "¡Gracias por confirmar! Le esperamos con gusto. - Glow Med Spa",
        ),
        (
            Intent::Feedback,
            "Thank you so much for your feedback! It means a lot to our team. - Glow Med Spa",
            "¡Muchas gracias por sus comentarios! Significan mucho para nuestro equipo. \
             - Glow Med Spa",
        ),
        (
            Intent::Greeting,
            "Hi! Thanks for reaching out. How can we help you today? - Glow Med Spa",
            "¡Hola! Gracias por escribirnos. ¿En qué le podemos ayudar hoy? - Glow Med Spa",
        ),
        (
            Intent::WrongNumber,
            "Sorry about that! We'll update our records. Have a great day. - Glow Med Spa",
            "¡Disculpe la molestia! Actualizaremos nuestros registros. - Glow Med Spa",
        ),
        (
            Intent::Help,
            "We're here to help! Call us at (310) 555-0100 or reply here and our team will get \
             back to you. - Glow Med Spa",
            "¡Con gusto le ayudamos! Llámenos al (310) 555-0100 o responda aquí y nuestro equipo \
             le contestará. - Glow Med Spa",
        ),
    ];
    for (intent, en, es) in cases {
        assert_eq!(body(&f, intent, Lang::En, "ok", &slots()), en);
        assert_eq!(body(&f, intent, Lang::Es, "ok", &slots()), es);
    }
}

#[test]
fn a_rendered_reply_records_its_template_and_version() {
    let f = facts();
    let r = attempt(&f, Intent::Greeting, Lang::Es, "hola", &slots()).unwrap();
    assert_eq!(r.template_id, "greeting.welcome.es");
    assert_eq!(r.template_version, VERSION);
    assert_eq!(r.lang, Lang::Es);
}

// ---- every reason not to reply -----------------------------------------------------------

#[test]
fn no_template_for_the_intent_topic_or_language() {
    let f = facts();
    let json = r#"{"templates": [
        {"id": "g", "intent": "greeting", "topic": "welcome", "lang": "en", "body": "Hi - {{clinic}}"}
    ]}"#;
    let set = TemplateSet::parse(json, 1).unwrap();
    let s = slots();
    let req = |intent, lang| Request {
        intent,
        lang,
        text: "hi",
        facts: &f,
        slots: &s,
        today: today(),
    };
    assert!(render(&set, &req(Intent::Greeting, Lang::En)).is_ok());
    let e = render(&set, &req(Intent::Greeting, Lang::Es)).unwrap_err();
    assert_eq!(
        e,
        Unrendered::NoTemplate {
            intent: Intent::Greeting,
            topic: Topic::Welcome,
            lang: Lang::Es
        }
    );
    assert_eq!(e.code(), "no_template");
    assert_eq!(
        e.to_string(),
        "no template answers greeting / welcome in es: add one to the template set to answer \
         these automatically"
    );
    // Intents that always reach a person never render, whatever the set.
    for intent in super::NEVER_AUTOMATIC {
        assert_eq!(
            render(&default_set(), &req(intent, Lang::En))
                .unwrap_err()
                .code(),
            "no_template"
        );
    }
}

#[test]
fn two_topics_in_one_message_go_to_staff() {
    let f = facts();
    let e = refused(
        &f,
        Intent::HoursLocation,
        Lang::En,
        "what's your address and is there parking",
        &slots(),
    );
    assert_eq!(
        e,
        Unrendered::AmbiguousTopic {
            intent: Intent::HoursLocation,
            topics: vec![Topic::Address, Topic::Parking]
        }
    );
    assert_eq!(e.code(), "ambiguous_topic");
    assert!(e.to_string().contains("(address, parking)"));
}

#[test]
fn a_service_question_needs_exactly_one_known_service() {
    let f = facts();
    for intent in [
        Intent::Pricing,
        Intent::TreatmentInfo,
        Intent::PreCare,
        Intent::Aftercare,
    ] {
        assert_eq!(
            refused(&f, intent, Lang::En, "how much", &slots()),
            Unrendered::NoService
        );
        let two = Slots {
            services: vec!["botox".into(), "lip_filler".into()],
            ..Slots::default()
        };
        assert_eq!(
            refused(&f, intent, Lang::En, "botox or filler", &two),
            Unrendered::AmbiguousService { count: 2 }
        );
        assert_eq!(
            refused(&f, intent, Lang::Es, "x", &service("coolsculpting")),
            Unrendered::UnresolvedSlot {
                slot: "services[coolsculpting]".into()
            }
        );
    }
    assert_eq!(Unrendered::NoService.code(), "no_service");
    assert_eq!(
        Unrendered::AmbiguousService { count: 2 }.code(),
        "ambiguous_service"
    );
    let e = Unrendered::UnresolvedSlot {
        slot: "services[x]".into(),
    };
    assert_eq!(e.code(), "unresolved_slot");
}

#[test]
fn a_product_question_needs_exactly_one_known_product() {
    let f = facts();
    assert_eq!(
        refused(
            &f,
            Intent::Products,
            Lang::En,
            "do you sell serum",
            &slots()
        ),
        Unrendered::NoProduct
    );
    let two = Slots {
        products: vec!["ce_ferulic".into(), "retinol".into()],
        ..Slots::default()
    };
    let e = refused(&f, Intent::Products, Lang::En, "serum and retinol?", &two);
    assert_eq!(e, Unrendered::AmbiguousProduct { count: 2 });
    assert_eq!(e.code(), "ambiguous_product");
    assert_eq!(Unrendered::NoProduct.code(), "no_product");
    assert_eq!(
        refused(&f, Intent::Products, Lang::En, "?", &product("gone")),
        Unrendered::UnresolvedSlot {
            slot: "products[gone]".into()
        }
    );
}

#[test]
fn an_unknown_location_is_an_unresolved_slot() {
    let f = two_locations();
    let s = Slots {
        location: Some("eastside".into()),
        ..Slots::default()
    };
    assert_eq!(
        refused(&f, Intent::HoursLocation, Lang::En, "hours", &s),
        Unrendered::UnresolvedSlot {
            slot: "location[eastside]".into()
        }
    );
    // A slot value that is not id-shaped is never echoed.
    let s = Slots {
        location: Some("Maria's house 555-1234".into()),
        ..Slots::default()
    };
    let e = refused(&f, Intent::HoursLocation, Lang::En, "hours", &s);
    assert_eq!(
        e,
        Unrendered::UnresolvedSlot {
            slot: "location[?]".into()
        }
    );
    assert!(!e.to_string().contains("Maria"));
}

#[test]
fn spanish_text_the_clinic_did_not_write_is_a_missing_fact() {
    let f = facts();
    let e = refused(
        &f,
        Intent::Aftercare,
        Lang::Es,
        "después del relleno",
        &service("lip_filler"),
    );
    assert_eq!(e, missing("services[lip_filler].aftercare.es"));
    assert_eq!(e.code(), "missing_fact");
    assert_eq!(
        e.to_string(),
        "the clinic's facts have no services[lip_filler].aftercare.es: write it in the facts to \
         answer these automatically"
    );
    // English is there, so the English reply renders.
    assert!(body(
        &f,
        Intent::Aftercare,
        Lang::En,
        "after filler",
        &service("lip_filler")
    )
    .contains("Ice for 10 minutes at a time. Questions?"));

    let mut f = facts();
    f.services[0].name = en_only("Botox");
    assert_eq!(
        refused(&f, Intent::Pricing, Lang::Es, "cuánto", &service("botox")),
        missing("services[botox].name.es")
    );
    f.payment_methods = en_only("Visa");
    assert_eq!(
        refused(&f, Intent::Billing, Lang::Es, "pago", &slots()),
        missing("payment_methods.es")
    );
    f.policies.late_arrival = en_only("Please call us.");
    assert_eq!(
        refused(&f, Intent::RunningLate, Lang::Es, "llego tarde", &slots()),
        missing("policies.late_arrival.es")
    );
    f.policies.cancellation.es = Some("   ".into());
    assert_eq!(
        refused(&f, Intent::Billing, Lang::Es, "cancelar", &slots()),
        missing("policies.cancellation.es")
    );
    f.memberships[1].terms = en_only("Two treatments.");
    assert_eq!(
        refused(&f, Intent::Membership, Lang::Es, "membresía", &slots()),
        missing("memberships[glow_plus].terms.es")
    );
    f.promotions[2].text = en_only("Refer a friend.");
    assert_eq!(
        refused(&f, Intent::Promotions, Lang::Es, "promos", &slots()),
        missing("promotions[referral].text.es")
    );
}

#[test]
fn an_absent_optional_fact_is_a_missing_fact() {
    let f = two_locations();
    // Westside wrote no parking text.
    let westside = Slots {
        location: Some("westside".into()),
        ..Slots::default()
    };
    assert_eq!(
        refused(&f, Intent::HoursLocation, Lang::En, "parking?", &westside),
        missing("locations[westside].parking")
    );
    assert_eq!(
        refused(&f, Intent::HoursLocation, Lang::En, "parking?", &slots()),
        missing("locations[westside].parking")
    );
    let downtown = Slots {
        location: Some("downtown".into()),
        ..Slots::default()
    };
    assert_eq!(
        body(&f, Intent::HoursLocation, Lang::En, "parking?", &downtown),
        "Hi! Downtown: Free parking in the lot behind the building. See you soon! - Glow Med Spa"
    );

    let mut f = facts();
    f.financing = None;
    assert_eq!(
        refused(&f, Intent::Billing, Lang::En, "payment plans?", &slots()),
        missing("financing")
    );
    f.financing = Some(en_only("Cherry"));
    assert_eq!(
        refused(&f, Intent::Billing, Lang::Es, "¿financiamiento?", &slots()),
        missing("financing.es")
    );
    // HydraFacial has no description, pre-care or aftercare.
    let hydra = service("hydrafacial");
    assert_eq!(
        refused(&f, Intent::TreatmentInfo, Lang::En, "what is it", &hydra),
        missing("services[hydrafacial].description")
    );
    assert_eq!(
        refused(&f, Intent::PreCare, Lang::En, "before?", &hydra),
        missing("services[hydrafacial].pre_care")
    );
    assert_eq!(
        refused(&f, Intent::Aftercare, Lang::En, "after?", &hydra),
        missing("services[hydrafacial].aftercare")
    );
    f.services[0].duration_minutes = 0;
    assert_eq!(
        refused(
            &f,
            Intent::TreatmentInfo,
            Lang::En,
            "botox?",
            &service("botox")
        ),
        missing("services[botox].duration_minutes")
    );
    f.memberships.clear();
    assert_eq!(
        refused(&f, Intent::Membership, Lang::En, "memberships?", &slots()),
        missing("memberships")
    );
    f.locations.clear();
    assert_eq!(
        refused(&f, Intent::HoursLocation, Lang::En, "hours?", &slots()),
        missing("locations")
    );
    assert_eq!(
        refused(&f, Intent::Help, Lang::En, "help", &slots()),
        missing("locations")
    );
    f.clinic.name = " ".into();
    assert_eq!(
        refused(&f, Intent::Greeting, Lang::En, "hi", &slots()),
        missing("clinic.name")
    );
}

#[test]
fn no_current_promotion_goes_to_staff() {
    let mut f = facts();
    f.promotions.retain(|p| p.until.is_some());
    let set = default_set();
    let s = slots();
    let req = Request {
        intent: Intent::Promotions,
        lang: Lang::En,
        text: "specials?",
        facts: &f,
        slots: &s,
        today: date(2025, 4, 1),
    };
    let e = render(&set, &req).unwrap_err();
    assert_eq!(e, Unrendered::NoCurrentPromotion);
    assert_eq!(e.code(), "no_current_promotion");
    f.promotions.clear();
    assert_eq!(
        refused(&f, Intent::Promotions, Lang::Es, "promos", &slots()),
        Unrendered::NoCurrentPromotion
    );
}

#[test]
fn braces_in_the_facts_never_reach_a_patient() {
    let mut f = facts();
    f.payment_methods.en = "Visa, {{financing}}".into();
    let e = refused(&f, Intent::Billing, Lang::En, "cards?", &slots());
    assert_eq!(
        e,
        Unrendered::PlaceholderLeft {
            template_id: "billing.payment_methods.en".into()
        }
    );
    assert_eq!(e.code(), "placeholder_left");
    f.clinic.name = "Glow }} Spa".into();
    assert_eq!(
        refused(&f, Intent::Greeting, Lang::En, "hi", &slots()).code(),
        "placeholder_left"
    );
}

#[test]
fn codes_are_distinct_and_messages_never_quote_the_patient() {
    let patient = "Maria Lopez 310-555-7788 my lips are swollen";
    let all = [
        Unrendered::NoTemplate {
            intent: Intent::Greeting,
            topic: Topic::Welcome,
            lang: Lang::En,
        },
        Unrendered::AmbiguousTopic {
            intent: Intent::Billing,
            topics: vec![Topic::Financing, Topic::CancellationPolicy],
        },
        Unrendered::NoService,
        Unrendered::AmbiguousService { count: 3 },
        Unrendered::NoProduct,
        Unrendered::AmbiguousProduct { count: 2 },
        Unrendered::UnresolvedSlot {
            slot: "services[x]".into(),
        },
        missing("financing"),
        Unrendered::NoCurrentPromotion,
        Unrendered::PlaceholderLeft {
            template_id: "t".into(),
        },
    ];
    let mut codes: Vec<&str> = all.iter().map(Unrendered::code).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), all.len());
    // Render every refusal above from a message full of identifiers: none echoes it.
    let f = facts();
    let two = Slots {
        services: vec!["botox".into(), "lip_filler".into()],
        products: vec!["ce_ferulic".into(), "retinol".into()],
        ..Slots::default()
    };
    for intent in Intent::ALL {
        for lang in Lang::ALL {
            if let Err(e) = attempt(&f, *intent, lang, patient, &two) {
                let message = e.to_string();
                for word in ["Maria", "Lopez", "7788", "swollen"] {
                    assert!(!message.contains(word), "{intent}: {message}");
                }
            }
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    #[test]
    fn any_message_renders_a_complete_reply_or_a_reason(
        text in "\\PC{0,60}",
        index in 0usize..28,
        es in proptest::bool::ANY,
        services in proptest::collection::vec(0usize..5, 0..3),
    ) {
        let f = two_locations();
        let ids = ["botox", "lip_filler", "hydrafacial", "laser_resurfacing", "unknown"];
        let s = Slots {
            services: services.iter().map(|i| ids[*i].to_owned()).collect(),
            products: vec!["ce_ferulic".into()],
            location: None,
            day: Some(date(2025, 11, 27)),
        };
        let intent = Intent::ALL[index % Intent::ALL.len()];
        let lang = if es { Lang::Es } else { Lang::En };
        // Identifiers the redactor missed must not reach an error message either.
        let text = format!("Maria 555-0199 {text}");
        match attempt(&f, intent, lang, &text, &s) {
            Ok(r) => {
                proptest::prop_assert!(!r.body.contains("{{") && !r.body.contains("}}"));
                proptest::prop_assert!(r.body.ends_with("- Glow Med Spa"));
                proptest::prop_assert_eq!(r.template_version, VERSION);
            }
            Err(e) => {
                let message = e.to_string();
                proptest::prop_assert!(!e.code().is_empty());
                proptest::prop_assert!(!message.contains("Maria") && !message.contains("0199"));
            }
        }
    }
}
