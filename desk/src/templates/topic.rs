//! What, within an intent, a message asks about: the intent says "hours_location", the topic
//! says hours, the address or parking. Templates are keyed by intent, topic and language.
//!
//! The topic is chosen from the message's words by small English and Spanish keyword sets,
//! compared accent- and case-insensitively. Each intent has a default topic (listed first),
//! which needs no keyword; its other topics need one of theirs. A message whose words name two
//! of an intent's other topics asks two questions, and a template answers one, so it is
//! [`Ambiguous`] and a person answers.
//!
//! Cancellation policy: "what's your cancellation policy?", "is there a fee if I cancel?" are
//! classified as `treatment_info` or `billing` (the policy's FAQ intents); `appointment_cancel`
//! asks to cancel an appointment, which needs a person and the schedule. So
//! `cancellation_policy` is a topic of both `treatment_info` and `billing`, chosen by cancel
//! and no-show words, and it answers with the clinic's written policy.

use classifier::text::fold;
use classifier::Intent;

/// A topic within an intent. The names are stored in template sets, so they are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Topic {
    /// Opening hours: one day's or the week's (`hours_location`).
    Hours,
    /// Street address (`hours_location`).
    Address,
    /// Where to park (`hours_location`).
    Parking,
    /// How patients can pay (`billing`).
    PaymentMethods,
    /// Financing and payment plans (`billing`).
    Financing,
    /// The cancellation and no-show policy (`billing`, `treatment_info`).
    CancellationPolicy,
    /// Membership prices and terms (`membership`).
    MembershipTerms,
    /// The price of the one service the message names (`pricing`).
    Price,
    /// What the named service is and how long it takes (`treatment_info`).
    ServiceInfo,
    /// The named service's preparation text (`pre_care`).
    PreCare,
    /// The named service's aftercare text (`aftercare`).
    Aftercare,
    /// Whether the named product is in stock, and its price if known (`products`).
    Availability,
    /// Offers not expired today (`promotions`).
    CurrentPromotions,
    /// The late-arrival policy (`running_late`).
    LateArrival,
    /// Thanks for confirming (`appointment_confirm`).
    Confirmed,
    /// Thanks for the feedback (`feedback`).
    Thanks,
    /// How can we help (`greeting`).
    Welcome,
    /// Sorry, we will update our records (`wrong_number`).
    Apology,
    /// How to reach the clinic (`help`).
    Contact,
    /// The one topic of intents with no FAQ answer (booking, waitlist, ...): a set may hold a
    /// template for staff to start a draft from, made of the clinic-wide placeholders only.
    General,
}

impl Topic {
    pub const ALL: [Topic; 20] = [
        Topic::Hours,
        Topic::Address,
        Topic::Parking,
        Topic::PaymentMethods,
        Topic::Financing,
        Topic::CancellationPolicy,
        Topic::MembershipTerms,
        Topic::Price,
        Topic::ServiceInfo,
        Topic::PreCare,
        Topic::Aftercare,
        Topic::Availability,
        Topic::CurrentPromotions,
        Topic::LateArrival,
        Topic::Confirmed,
        Topic::Thanks,
        Topic::Welcome,
        Topic::Apology,
        Topic::Contact,
        Topic::General,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Topic::Hours => "hours",
            Topic::Address => "address",
            Topic::Parking => "parking",
            Topic::PaymentMethods => "payment_methods",
            Topic::Financing => "financing",
            Topic::CancellationPolicy => "cancellation_policy",
            Topic::MembershipTerms => "membership_terms",
            Topic::Price => "price",
            Topic::ServiceInfo => "service_info",
            Topic::PreCare => "pre_care",
            Topic::Aftercare => "aftercare",
            Topic::Availability => "availability",
            Topic::CurrentPromotions => "current_promotions",
            Topic::LateArrival => "late_arrival",
            Topic::Confirmed => "confirmed",
            Topic::Thanks => "thanks",
            Topic::Welcome => "welcome",
            Topic::Apology => "apology",
            Topic::Contact => "contact",
            Topic::General => "general",
        }
    }

    pub fn parse(name: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

impl std::fmt::Display for Topic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The topics of an intent, its default first. Every intent has at least one.
pub fn topics_for(intent: Intent) -> &'static [Topic] {
    match intent {
        Intent::HoursLocation => &[Topic::Hours, Topic::Address, Topic::Parking],
        Intent::Billing => &[
            Topic::PaymentMethods,
            Topic::Financing,
            Topic::CancellationPolicy,
        ],
        Intent::TreatmentInfo => &[Topic::ServiceInfo, Topic::CancellationPolicy],
        Intent::Membership => &[Topic::MembershipTerms],
        Intent::Pricing => &[Topic::Price],
        Intent::PreCare => &[Topic::PreCare],
        Intent::Aftercare => &[Topic::Aftercare],
        Intent::Products => &[Topic::Availability],
        Intent::Promotions => &[Topic::CurrentPromotions],
        Intent::RunningLate => &[Topic::LateArrival],
        Intent::AppointmentConfirm => &[Topic::Confirmed],
        Intent::Feedback => &[Topic::Thanks],
        Intent::Greeting => &[Topic::Welcome],
        Intent::WrongNumber => &[Topic::Apology],
        Intent::Help => &[Topic::Contact],
        Intent::AppointmentBook
        | Intent::AppointmentReschedule
        | Intent::AppointmentCancel
        | Intent::AppointmentStatus
        | Intent::Waitlist
        | Intent::SideEffect
        | Intent::Emergency
        | Intent::ResultsPhoto
        | Intent::Complaint
        | Intent::HumanHandoff
        | Intent::OptOut
        | Intent::OptIn
        | Intent::Other => &[Topic::General],
    }
}

/// Words that choose a non-default topic, folded (lower case, no accents). A word ending in `*`
/// matches any word it begins ("cancel*": cancel, cancellation, cancelar, cancelación); a
/// phrase matches consecutive words.
fn keywords(topic: Topic) -> &'static [&'static str] {
    match topic {
        Topic::Address => &[
            // en
            "address",
            "located",
            "directions",
            "where are you",
            "cross street",
            "what street",
            // es
            "direccion",
            "ubicacion",
            "ubicados",
            "ubicada",
            "ubicado",
            "donde estan",
            "donde queda",
            "donde se encuentran",
            "como llego",
            "que calle",
        ],
        Topic::Parking => &[
            // en
            "park",
            "parking",
            "parked",
            "garage",
            "valet",
            // es
            "estacionar*",
            "estacionamiento*",
            "estaciono",
            "estacione",
            "estacionamos",
            "parqueo",
            "parquear",
            "parqueadero",
            "aparcar",
            "aparcamiento",
            "cochera",
        ],
        Topic::Financing => &[
            // en
            "financing",
            "finance",
            "financed",
            "payment plan*",
            "monthly payment*",
            "installment*",
            "pay over time",
            "cherry",
            "carecredit",
            "care credit",
            "affirm",
            "afterpay",
            "klarna",
            // es
            "financiamiento",
            "financiacion",
            "financiar",
            "plan de pago*",
            "planes de pago*",
            "pagos mensuales",
            "a plazos",
            "mensualidades",
        ],
        Topic::CancellationPolicy => &[
            // en and es share the stem
            "cancel*",
            "no show*",
            "noshow*",
            // es
            "no presentarse",
            "no me presento",
            "no asistir",
        ],
        _ => &[],
    }
}

/// A message whose words name several of an intent's topics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguous {
    pub intent: Intent,
    pub topics: Vec<Topic>,
}

/// The topic a message asks about within `intent`. `text` is the redacted message; only its
/// folded words are read.
pub fn choose(intent: Intent, text: &str) -> Result<Topic, Ambiguous> {
    let topics = topics_for(intent);
    let Some((&default, others)) = topics.split_first() else {
        return Ok(Topic::General);
    };
    let folded = fold(text);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let named: Vec<Topic> = others
        .iter()
        .copied()
        .filter(|t| keywords(*t).iter().any(|k| phrase_in(k, &words)))
        .collect();
    match named.as_slice() {
        [] => Ok(default),
        [one] => Ok(*one),
        _ => Err(Ambiguous {
            intent,
            topics: named,
        }),
    }
}

fn phrase_in(phrase: &str, words: &[&str]) -> bool {
    let pattern: Vec<&str> = phrase.split(' ').collect();
    if pattern.is_empty() || pattern.len() > words.len() {
        return false;
    }
    words
        .windows(pattern.len())
        .any(|window| window.iter().zip(&pattern).all(|(w, p)| word_matches(w, p)))
}

fn word_matches(word: &str, pattern: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(stem) => word.starts_with(stem),
        None => word == pattern,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic(intent: Intent, text: &str) -> Topic {
        choose(intent, text).unwrap()
    }

    #[test]
    fn topic_names_round_trip_and_are_unique() {
        for t in Topic::ALL {
            assert_eq!(Topic::parse(t.as_str()), Some(t));
        }
        let mut names: Vec<&str> = Topic::ALL.iter().map(|t| t.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Topic::ALL.len());
        assert_eq!(Topic::parse("Hours"), None);
        assert_eq!(Topic::parse("hours_location"), None);
    }

    #[test]
    fn every_intent_has_a_default_topic_and_no_topic_belongs_to_two_intents_except_policy() {
        for intent in Intent::ALL {
            assert!(!topics_for(*intent).is_empty(), "{intent}");
        }
        for t in Topic::ALL {
            let owners = Intent::ALL
                .iter()
                .filter(|i| topics_for(**i).contains(&t))
                .count();
            match t {
                Topic::CancellationPolicy => assert_eq!(owners, 2),
                Topic::General => assert!(owners > 2),
                _ => assert_eq!(owners, 1, "{t}"),
            }
        }
    }

    #[test]
    fn keywords_are_written_folded_so_they_can_match() {
        for t in Topic::ALL {
            for k in keywords(t) {
                assert_eq!(fold(k), *k, "{k}");
                assert!(
                    k.split(' ').all(|w| !w.is_empty()
                        && w.trim_end_matches('*').chars().all(char::is_alphanumeric)),
                    "{k}"
                );
            }
        }
    }

    #[test]
    fn hours_location_picks_hours_address_or_parking() {
        let i = Intent::HoursLocation;
        assert_eq!(topic(i, "what time do you open saturday?"), Topic::Hours);
        assert_eq!(topic(i, "are you open tomorrow"), Topic::Hours);
        assert_eq!(topic(i, "What's your ADDRESS?"), Topic::Address);
        assert_eq!(topic(i, "where are you guys"), Topic::Address);
        assert_eq!(topic(i, "Where do I park?"), Topic::Parking);
        assert_eq!(topic(i, "is there parking"), Topic::Parking);
        assert_eq!(topic(i, "¿A qué hora abren?"), Topic::Hours);
        assert_eq!(topic(i, "¿Cuál es la DIRECCIÓN?"), Topic::Address);
        assert_eq!(topic(i, "donde están ubicados"), Topic::Address);
        assert_eq!(topic(i, "¿Dónde me puedo estacionar?"), Topic::Parking);
        assert_eq!(topic(i, "hay estacionamiento?"), Topic::Parking);
        assert_eq!(topic(i, "¿dónde me estaciono?"), Topic::Parking);
        assert_eq!(topic(i, "cerca de la estación"), Topic::Hours);
        // A word that only starts like a keyword is not one.
        assert_eq!(
            topic(i, "are you near the parkway? what are your hours"),
            Topic::Hours
        );
    }

    #[test]
    fn two_questions_in_one_message_are_ambiguous() {
        let err = choose(
            Intent::HoursLocation,
            "what's the address and where do I park",
        )
        .unwrap_err();
        assert_eq!(err.intent, Intent::HoursLocation);
        assert_eq!(err.topics, vec![Topic::Address, Topic::Parking]);
        let err = choose(Intent::Billing, "do you do payment plans? what if I cancel").unwrap_err();
        assert_eq!(
            err.topics,
            vec![Topic::Financing, Topic::CancellationPolicy]
        );
    }

    #[test]
    fn billing_picks_payment_methods_financing_or_cancellation_policy() {
        let i = Intent::Billing;
        assert_eq!(topic(i, "do you take amex?"), Topic::PaymentMethods);
        assert_eq!(
            topic(i, "can I pay with my HSA card"),
            Topic::PaymentMethods
        );
        assert_eq!(topic(i, "do you offer payment plans"), Topic::Financing);
        assert_eq!(topic(i, "Do you take CareCredit?"), Topic::Financing);
        assert_eq!(topic(i, "¿Aceptan tarjeta?"), Topic::PaymentMethods);
        assert_eq!(topic(i, "¿tienen financiación?"), Topic::Financing);
        assert_eq!(topic(i, "puedo pagar a plazos"), Topic::Financing);
        assert_eq!(
            topic(i, "is there a cancellation fee"),
            Topic::CancellationPolicy
        );
        assert_eq!(
            topic(i, "what's the no-show fee"),
            Topic::CancellationPolicy
        );
        assert_eq!(topic(i, "¿Cobran si cancelo?"), Topic::CancellationPolicy);
    }

    #[test]
    fn treatment_info_is_about_the_service_unless_it_asks_about_cancelling() {
        let i = Intent::TreatmentInfo;
        assert_eq!(topic(i, "does botox hurt"), Topic::ServiceInfo);
        assert_eq!(
            topic(i, "what's your cancellation policy?"),
            Topic::CancellationPolicy
        );
        assert_eq!(
            topic(i, "¿Cuál es su política de CANCELACIÓN?"),
            Topic::CancellationPolicy
        );
    }

    #[test]
    fn single_topic_intents_ignore_the_words() {
        assert_eq!(
            topic(Intent::Pricing, "how much to park and cancel"),
            Topic::Price
        );
        assert_eq!(topic(Intent::Greeting, "hola"), Topic::Welcome);
        assert_eq!(topic(Intent::Help, ""), Topic::Contact);
        assert_eq!(topic(Intent::Emergency, "address"), Topic::General);
        assert_eq!(
            topic(Intent::AppointmentStatus, "when is my appt"),
            Topic::General
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_gets_one_of_the_intents_topics_or_several(
            text in "\\PC{0,80}",
            index in 0usize..28,
        ) {
            let intent = Intent::ALL[index % Intent::ALL.len()];
            let topics = topics_for(intent);
            match choose(intent, &text) {
                Ok(t) => proptest::prop_assert!(topics.contains(&t)),
                Err(a) => {
                    proptest::prop_assert!(a.topics.len() >= 2);
                    proptest::prop_assert!(a.topics.iter().all(|t| topics[1..].contains(t)));
                }
            }
        }
    }

    #[test]
    fn empty_and_odd_text_falls_back_to_the_default() {
        assert_eq!(topic(Intent::HoursLocation, ""), Topic::Hours);
        assert_eq!(
            topic(Intent::HoursLocation, "?!... [NAME] [PHONE]"),
            Topic::Hours
        );
        assert_eq!(topic(Intent::Billing, "💳💳"), Topic::PaymentMethods);
    }
}
