use chrono::NaiveDate;

use super::*;
use crate::clinic::validate::{parse, EXAMPLE_JSON};

fn facts() -> ClinicFacts {
    parse(EXAMPLE_JSON).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Wednesday 2026-03-11: an ordinary day for tests that are not about dates.
fn wednesday() -> NaiveDate {
    date(2026, 3, 11)
}

fn slots(text: &str) -> Slots {
    Index::new(&facts()).find(text, Lang::En, wednesday())
}

fn services(text: &str) -> Vec<String> {
    slots(text).services
}

fn day(text: &str, lang: Lang, today: NaiveDate) -> Option<NaiveDate> {
    Index::new(&facts()).find(text, lang, today).day
}

#[test]
fn english_questions_name_their_service() {
    assert_eq!(services("how much is lip filler"), ["lip_filler"]);
    assert_eq!(services("How much is Botox?"), ["neurotoxin"]);
    assert_eq!(services("price for tox?"), ["neurotoxin"]);
    assert_eq!(services("do you do Dysport"), ["neurotoxin"]);
    assert_eq!(
        services("what's the cost of a HydraFacial"),
        ["hydrafacial"]
    );
    assert_eq!(services("PDO thread lift price"), ["pdo_thread_lift"]);
    assert_eq!(services("aftercare for microneedling?"), ["microneedling"]);
    assert_eq!(
        services("how many sessions of laser hair removal"),
        ["laser_hair_removal"]
    );
}

#[test]
fn spanish_questions_name_their_service() {
    assert_eq!(
        services("¿cuánto cuesta el relleno de labios?"),
        ["lip_filler"]
    );
    assert_eq!(services("CUANTO CUESTA EL BOTOX"), ["neurotoxin"]);
    assert_eq!(services("precio de la neurotoxina"), ["neurotoxin"]);
    assert_eq!(services("hacen depilacion laser?"), ["laser_hair_removal"]);
    assert_eq!(services("quiero un peeling químico"), ["chemical_peel"]);
    assert_eq!(services("info de hilos tensores"), ["pdo_thread_lift"]);
}

#[test]
fn both_languages_match_whatever_the_message_language() {
    let f = facts();
    let index = Index::new(&f);
    for lang in Lang::ALL {
        assert_eq!(
            index.find("relleno de labios", lang, wednesday()).services,
            ["lip_filler"]
        );
        assert_eq!(
            index.find("lip filler", lang, wednesday()).services,
            ["lip_filler"]
        );
    }
    assert_eq!(services("how much is el relleno de labios"), ["lip_filler"]);
}

#[test]
fn plurals_and_endings_match() {
    assert_eq!(services("do you do chemical peels"), ["chemical_peel"]);
    assert_eq!(services("precio de rellenos de labios"), ["lip_filler"]);
    assert_eq!(services("I got botoxed last month"), ["neurotoxin"]);
    assert_eq!(services("lip fillers?"), ["lip_filler"]);
}

#[test]
fn typos_are_forgiven_in_long_words_only() {
    assert_eq!(services("hydrafacal price"), ["hydrafacial"]);
    assert_eq!(services("how much is microneedlng"), ["microneedling"]);
    assert_eq!(services("cuanto cuesta el botoz"), ["neurotoxin"]);
    assert_eq!(services("lip filer"), ["lip_filler"]);
    // "botx" is four letters: too short to guess at.
    assert!(services("botx price").is_empty());
    assert!(services("tix").is_empty());
}

#[test]
fn a_long_word_typed_as_two_matches() {
    assert_eq!(services("hidra facial?"), ["hydrafacial"]);
    assert_eq!(services("skin pen price"), ["microneedling"]);
}

#[test]
fn longest_match_wins_and_a_bare_shared_word_is_ambiguous() {
    assert_eq!(services("lip filler"), ["lip_filler"]);
    assert_eq!(services("cheek filler"), ["cheek_filler"]);
    // "filler" alone: lip and cheek, in the facts' order, for the template to refuse.
    let s = slots("how much is filler");
    assert_eq!(s.services, ["lip_filler", "cheek_filler"]);
    assert_eq!(s.service(), None);
    assert_eq!(services("fillers?"), ["lip_filler", "cheek_filler"]);
    // Neighbouring words narrow it.
    assert_eq!(services("filler for the lips"), ["lip_filler"]);
    assert_eq!(services("relleno labios"), ["lip_filler"]);
    assert_eq!(services("cheek augmentation"), ["cheek_filler"]);
}

#[test]
fn several_services_keep_their_order() {
    assert_eq!(
        services("hydrafacial or a chemical peel?"),
        ["hydrafacial", "chemical_peel"]
    );
    assert_eq!(
        services("botox and lip filler"),
        ["neurotoxin", "lip_filler"]
    );
    assert_eq!(
        services("lip filler vs lip flip"),
        ["lip_filler", "lip_flip"]
    );
    // Named twice, listed once.
    assert_eq!(services("botox, botox, botox"), ["neurotoxin"]);
    let s = slots("lip flip");
    assert_eq!(s.service(), Some("lip_flip"));
}

#[test]
fn near_misses_are_not_matches() {
    assert_eq!(services("I feel like a peel"), ["chemical_peel"]);
    assert!(services("I appeal to you").is_empty());
    assert!(services("I feel great").is_empty());
    assert!(services("can I come later").is_empty());
    assert!(services("what time do you open saturday?").is_empty());
    assert!(services("thanks!").is_empty());
    assert!(services("").is_empty());
    assert!(services("👍🏽 ¿¿??").is_empty());
    assert!(slots("is it clear?").products.is_empty());
}

#[test]
fn part_of_a_name_beside_an_unknown_word_names_something_else() {
    // "removal", "laser" and "lip" are parts of the clinic's names, but these ask about
    // treatments it never listed: no service, so staff answer.
    assert!(services("do you do tattoo removal?").is_empty());
    assert!(services("laser tattoo removal price").is_empty());
    assert!(services("do you sell lip balm").is_empty());
    assert!(services("thread count").is_empty());
    // Beside question words, punctuation or other names they still count.
    assert_eq!(services("filler price?"), ["lip_filler", "cheek_filler"]);
    assert_eq!(services("laser, please"), ["laser_hair_removal"]);
    assert_eq!(services("do you do laser?"), ["laser_hair_removal"]);
    assert_eq!(
        services("botox filler"),
        ["neurotoxin", "lip_filler", "cheek_filler"]
    );
    assert_eq!(slots("do you have ferulic").products, ["ce_ferulic"]);
    // The clinic's whole names are never second-guessed.
    assert_eq!(services("hair removal for my legs"), ["laser_hair_removal"]);
}

#[test]
fn placeholders_are_not_words() {
    // The redactor's "[NAME_1]" must not match anything named "name".
    let s = slots("hi it's [NAME_1], lip filler for [DATE_1]?");
    assert_eq!(s.services, ["lip_filler"]);
    assert_eq!(s.day, None);
}

#[test]
fn products_match_by_name_and_synonym() {
    let s = slots("do you have SkinCeuticals C E Ferulic in stock?");
    assert_eq!(s.products, ["ce_ferulic"]);
    assert!(s.services.is_empty());
    assert_eq!(
        slots("how much is the sunscreen").products,
        ["eltamd_uv_clear"]
    );
    assert_eq!(
        slots("¿tienen protector solar?").products,
        ["eltamd_uv_clear"]
    );
    assert_eq!(slots("is TNS back in stock").products, ["tns_serum"]);
    assert_eq!(slots("ferulic?").products, ["ce_ferulic"]);
    assert_eq!(slots("any serum?").products, ["ce_ferulic", "tns_serum"]);
    assert_eq!(slots("ferulic serum").product(), Some("ce_ferulic"));
}

#[test]
fn locations_by_id_name_synonym_or_street() {
    let loc = |t: &str| slots(t).location;
    assert_eq!(loc("are you open downtown?").as_deref(), Some("downtown"));
    assert_eq!(loc("the Marina one").as_deref(), Some("marina"));
    assert_eq!(
        loc("Glow Aesthetics Marina hours").as_deref(),
        Some("marina")
    );
    assert_eq!(loc("the one on chestnut").as_deref(), Some("marina"));
    assert_eq!(
        loc("market st location parking?").as_deref(),
        Some("downtown")
    );
    assert_eq!(loc("fidi location").as_deref(), Some("downtown"));
    assert_eq!(loc("la del centro").as_deref(), Some("downtown"));
    assert_eq!(loc("dowtown parking").as_deref(), Some("downtown"));
    // Not named, or shared by both: no location.
    assert_eq!(loc("where is Glow Aesthetics"), None);
    assert_eq!(loc("are you in San Francisco"), None);
    assert_eq!(loc("what are your hours"), None);
    assert_eq!(loc("downtown or marina?"), None);
}

#[test]
fn weekdays_resolve_to_the_next_one_on_or_after_today() {
    let today = wednesday();
    assert_eq!(
        day("what time do you open saturday?", Lang::En, today),
        Some(date(2026, 3, 14))
    );
    assert_eq!(day("open wednesday?", Lang::En, today), Some(today));
    assert_eq!(
        day("tuesday hours", Lang::En, today),
        Some(date(2026, 3, 17))
    );
    assert_eq!(
        day("¿abren el sábado?", Lang::Es, today),
        Some(date(2026, 3, 14))
    );
    assert_eq!(
        day("abren el sabado", Lang::Es, today),
        Some(date(2026, 3, 14))
    );
    assert_eq!(
        day("¿y el domingo?", Lang::Es, today),
        Some(date(2026, 3, 15))
    );
    assert_eq!(day("open sat?", Lang::En, today), Some(date(2026, 3, 14)));
    assert_eq!(day("sáb?", Lang::Es, today), Some(date(2026, 3, 14)));
    assert_eq!(
        day("horario del sab", Lang::Es, today),
        Some(date(2026, 3, 14))
    );
    assert_eq!(day("thurs at 3", Lang::En, today), Some(date(2026, 3, 12)));
    assert_eq!(
        day("are you open on saturdays", Lang::En, today),
        Some(date(2026, 3, 14))
    );
    assert_eq!(
        day("open thrusday?", Lang::En, today),
        Some(date(2026, 3, 12))
    );
}

#[test]
fn weekday_abbreviations_that_are_words_need_context() {
    let today = wednesday();
    assert_eq!(day("I sat in traffic", Lang::En, today), None);
    assert_eq!(day("I got too much sun", Lang::En, today), None);
    assert_eq!(day("sun damage treatment", Lang::En, today), None);
    assert_eq!(day("c'mon", Lang::En, today), None);
    assert_eq!(day("thus I asked", Lang::En, today), None);
    assert_eq!(day("sat or sun", Lang::En, today), Some(date(2026, 3, 14)));
    assert_eq!(
        day("open this sun?", Lang::En, today),
        Some(date(2026, 3, 15))
    );
}

#[test]
fn weekdays_across_month_and_year_boundaries() {
    // Friday 2026-01-30: Sunday is February 1.
    assert_eq!(
        day("sunday?", Lang::En, date(2026, 1, 30)),
        Some(date(2026, 2, 1))
    );
    // Thursday 2026-12-31: Saturday is 2027-01-02; tomorrow is New Year's Day.
    assert_eq!(
        day("saturday", Lang::En, date(2026, 12, 31)),
        Some(date(2027, 1, 2))
    );
    assert_eq!(
        day("tomorrow", Lang::En, date(2026, 12, 31)),
        Some(date(2027, 1, 1))
    );
    assert_eq!(
        day("mañana", Lang::Es, date(2026, 2, 28)),
        Some(date(2026, 3, 1))
    );
}

#[test]
fn today_tomorrow_and_the_weekend() {
    let today = wednesday();
    assert_eq!(day("are you open today", Lang::En, today), Some(today));
    assert_eq!(day("¿abren hoy?", Lang::Es, today), Some(today));
    assert_eq!(day("tmrw?", Lang::En, today), Some(date(2026, 3, 12)));
    assert_eq!(day("tomorow", Lang::En, today), Some(date(2026, 3, 12)));
    assert_eq!(
        day("this weekend", Lang::En, today),
        Some(date(2026, 3, 14))
    );
    assert_eq!(
        day("este fin de semana", Lang::Es, today),
        Some(date(2026, 3, 14))
    );
    // On a Sunday, "this weekend" is today.
    assert_eq!(
        day("this weekend", Lang::En, date(2026, 3, 15)),
        Some(date(2026, 3, 15))
    );
    assert_eq!(
        day("day after tomorrow", Lang::En, today),
        Some(date(2026, 3, 13))
    );
    assert_eq!(day("what are your hours", Lang::En, today), None);
}

#[test]
fn manana_is_tomorrow_unless_it_is_the_morning() {
    let today = wednesday();
    let tomorrow = Some(date(2026, 3, 12));
    assert_eq!(day("mañana", Lang::Es, today), tomorrow);
    assert_eq!(day("¿abren para mañana?", Lang::Es, today), tomorrow);
    assert_eq!(day("manana a las 10", Lang::Es, today), tomorrow);
    assert_eq!(day("can I come mañana", Lang::En, today), tomorrow);
    assert_eq!(day("mañana por la mañana", Lang::Es, today), tomorrow);
    assert_eq!(
        day("el sábado por la mañana", Lang::Es, today),
        Some(date(2026, 3, 14))
    );
    assert_eq!(
        day("por la mañana el sábado", Lang::Es, today),
        Some(date(2026, 3, 14))
    );
    assert_eq!(day("¿abren en la mañana?", Lang::Es, today), None);
    assert_eq!(day("solo puedo por las mañanas", Lang::Es, today), None);
    assert_eq!(
        day("pasado mañana", Lang::Es, today),
        Some(date(2026, 3, 13))
    );
    assert_eq!(day("¿abren esta mañana?", Lang::Es, today), Some(today));
}

#[test]
fn written_dates_resolve_to_the_next_occurrence() {
    let today = wednesday();
    let eve = Some(date(2026, 12, 24));
    assert_eq!(day("open 12/24?", Lang::En, today), eve);
    assert_eq!(day("dec 24", Lang::En, today), eve);
    assert_eq!(day("December 24th hours", Lang::En, today), eve);
    assert_eq!(day("24th of december", Lang::En, today), eve);
    assert_eq!(day("24 de diciembre", Lang::Es, today), eve);
    assert_eq!(day("el 24 de dic", Lang::Es, today), eve);
    assert_eq!(day("diciembre 24", Lang::Es, today), eve);
    assert_eq!(day("24/12", Lang::Es, today), eve);
    assert_eq!(
        day("24/12", Lang::En, today),
        eve,
        "only one order is a date"
    );
    assert_eq!(day("12/24/2027", Lang::En, today), Some(date(2027, 12, 24)));
    assert_eq!(day("12/24/27", Lang::En, today), Some(date(2027, 12, 24)));
    assert_eq!(day("2026-12-24", Lang::En, today), eve);
    assert_eq!(
        day("dec 24 2027", Lang::En, today),
        Some(date(2027, 12, 24))
    );
    // Month-first in English, day-first in Spanish.
    // March 4 has passed on March 11: next year's.
    assert_eq!(day("3/4", Lang::En, today), Some(date(2027, 3, 4)));
    assert_eq!(day("3/4", Lang::Es, today), Some(date(2026, 4, 3)));
    // Today itself counts.
    assert_eq!(day("3/11", Lang::En, today), Some(today));
}

#[test]
fn written_dates_across_the_year_boundary() {
    let after_christmas = date(2026, 12, 28);
    assert_eq!(
        day("dec 24", Lang::En, after_christmas),
        Some(date(2027, 12, 24))
    );
    assert_eq!(
        day("jan 2", Lang::En, after_christmas),
        Some(date(2027, 1, 2))
    );
    assert_eq!(
        day("1/2", Lang::En, after_christmas),
        Some(date(2027, 1, 2))
    );
    assert_eq!(
        day("2 de enero", Lang::Es, after_christmas),
        Some(date(2027, 1, 2))
    );
    // February 29 waits for the next leap year.
    assert_eq!(
        day("feb 29", Lang::En, after_christmas),
        Some(date(2028, 2, 29))
    );
}

#[test]
fn numbers_that_are_not_dates() {
    let today = wednesday();
    assert_eq!(day("open 24/7?", Lang::En, today), None);
    assert_eq!(day("1/2 syringe", Lang::En, today), None);
    assert_eq!(day("10/10 would recommend", Lang::En, today), None);
    assert_eq!(day("$14/unit", Lang::En, today), None);
    assert_eq!(day("13/13", Lang::En, today), None);
    assert_eq!(day("feb 30", Lang::En, today), None);
    assert_eq!(day("at 10:30", Lang::En, today), None);
    assert_eq!(day("I had botox 2 weeks ago", Lang::En, today), None);
    assert_eq!(day("may I come at 5", Lang::En, today), None);
    assert_eq!(day("2 de ago", Lang::Es, today), Some(date(2026, 8, 2)));
}

#[test]
fn the_first_day_named_wins() {
    let today = wednesday();
    assert_eq!(day("today or tomorrow", Lang::En, today), Some(today));
    assert_eq!(
        day("saturday, or dec 24", Lang::En, today),
        Some(date(2026, 3, 14))
    );
}

#[test]
fn a_full_message_fills_every_slot() {
    let f = facts();
    let s = find(
        &f,
        "Hi! Is the marina location open saturday for a hydrafacial?",
        Lang::En,
        wednesday(),
    );
    assert_eq!(
        s,
        Slots {
            services: vec!["hydrafacial".to_string()],
            products: vec![],
            location: Some("marina".to_string()),
            day: Some(date(2026, 3, 14)),
        }
    );
    let s = find(
        &f,
        "¿Tienen citas mañana en el centro para bótox?",
        Lang::Es,
        wednesday(),
    );
    assert_eq!(s.services, ["neurotoxin"]);
    assert_eq!(s.location.as_deref(), Some("downtown"));
    assert_eq!(s.day, Some(date(2026, 3, 12)));
}

#[test]
fn find_and_index_agree() {
    let f = facts();
    let index = Index::new(&f);
    for text in [
        "lip filler saturday",
        "filler",
        "mañana en marina",
        "nothing here",
    ] {
        assert_eq!(
            find(&f, text, Lang::En, wednesday()),
            index.find(text, Lang::En, wednesday())
        );
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any text (emoji, accents, brackets, digits and slashes included) gives slots made
        /// only of the clinic's own ids, each listed once, and never panics.
        #[test]
        fn slots_only_hold_the_clinics_ids(
            text in "[a-zA-Z0-9áéíóúñÑ¿?¡! /\\[\\]_:,.'-]{0,80}|\\PC{0,40}",
            days in 0i64..3000,
        ) {
            let f = facts();
            let today = date(2025, 1, 1) + chrono::Duration::days(days);
            let s = Index::new(&f).find(&text, Lang::Es, today);
            for id in &s.services {
                prop_assert!(f.services.iter().any(|x| &x.id == id));
                prop_assert_eq!(s.services.iter().filter(|x| *x == id).count(), 1);
            }
            for id in &s.products {
                prop_assert!(f.products.iter().any(|x| &x.id == id));
            }
            if let Some(id) = &s.location {
                prop_assert!(f.locations.iter().any(|x| &x.id == id));
            }
        }

        /// A named weekday is always within the coming week, and on that weekday.
        #[test]
        fn weekdays_land_within_a_week(days in 0i64..3000, which in 0usize..7) {
            use chrono::Datelike;
            let names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
            let today = date(2025, 1, 1) + chrono::Duration::days(days);
            let found = day(&format!("open {}?", names[which]), Lang::En, today).unwrap();
            prop_assert!(found >= today && found < today + chrono::Duration::days(7));
            prop_assert_eq!(found.weekday().num_days_from_monday() as usize, which);
        }
    }
}
