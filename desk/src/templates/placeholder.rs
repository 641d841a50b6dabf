//! The fixed vocabulary of `{{name}}` placeholders, and where each may be used.
//!
//! A placeholder is allowed only in the topics where the request can resolve it: `{{price}}`
//! needs the one service a pricing question names, `{{hours}}` a location. Checking this when a
//! set is parsed turns a template that could never render into an error for whoever edits the
//! set, instead of every matching message falling to staff.
//!
//! Values that are clinic-written sentences (`{{aftercare}}`, `{{late_policy}}`, ...) are
//! inserted as written; a template puts a period after them and, when the clinic's text already
//! ends a sentence, that period is dropped. Lists of several items (`{{memberships}}`,
//! `{{promotions}}`, and parking with several locations) always end a sentence.

use super::topic::Topic;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Placeholder {
    /// The clinic's name; every topic.
    Clinic,
    /// The location's phone, or every location's with its name; every topic.
    Phone,
    /// The location's address, or every location's with its name.
    Address,
    /// The asked day's hours (holidays override the weekday), or the week compacted.
    Hours,
    /// The location's parking text.
    Parking,
    PaymentMethods,
    Financing,
    CancellationPolicy,
    /// Every membership: name, monthly fee, terms.
    Memberships,
    /// The named service's name.
    Service,
    /// The named service's price ("$14 per unit", "priced at a consultation").
    Price,
    Description,
    /// How long the named service takes.
    Duration,
    PreCare,
    Aftercare,
    /// The named product's name.
    Product,
    /// "in stock, $38" / "out of stock right now".
    Availability,
    /// Every promotion not expired today.
    Promotions,
    LatePolicy,
}

impl Placeholder {
    pub const ALL: [Placeholder; 19] = [
        Placeholder::Clinic,
        Placeholder::Phone,
        Placeholder::Address,
        Placeholder::Hours,
        Placeholder::Parking,
        Placeholder::PaymentMethods,
        Placeholder::Financing,
        Placeholder::CancellationPolicy,
        Placeholder::Memberships,
        Placeholder::Service,
        Placeholder::Price,
        Placeholder::Description,
        Placeholder::Duration,
        Placeholder::PreCare,
        Placeholder::Aftercare,
        Placeholder::Product,
        Placeholder::Availability,
        Placeholder::Promotions,
        Placeholder::LatePolicy,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Placeholder::Clinic => "clinic",
            Placeholder::Phone => "phone",
            Placeholder::Address => "address",
            Placeholder::Hours => "hours",
            Placeholder::Parking => "parking",
            Placeholder::PaymentMethods => "payment_methods",
            Placeholder::Financing => "financing",
            Placeholder::CancellationPolicy => "cancellation_policy",
            Placeholder::Memberships => "memberships",
            Placeholder::Service => "service",
            Placeholder::Price => "price",
            Placeholder::Description => "description",
            Placeholder::Duration => "duration",
            Placeholder::PreCare => "pre_care",
            Placeholder::Aftercare => "aftercare",
            Placeholder::Product => "product",
            Placeholder::Availability => "availability",
            Placeholder::Promotions => "promotions",
            Placeholder::LatePolicy => "late_policy",
        }
    }

    pub fn parse(name: &str) -> Option<Placeholder> {
        Placeholder::ALL.into_iter().find(|p| p.as_str() == name)
    }

    /// Whether a template of `topic` can resolve this placeholder.
    pub fn valid_in(self, topic: Topic) -> bool {
        match self {
            Placeholder::Clinic | Placeholder::Phone => true,
            Placeholder::Address => matches!(topic, Topic::Address | Topic::Contact),
            Placeholder::Hours => topic == Topic::Hours,
            Placeholder::Parking => topic == Topic::Parking,
            Placeholder::PaymentMethods => topic == Topic::PaymentMethods,
            Placeholder::Financing => topic == Topic::Financing,
            Placeholder::CancellationPolicy => topic == Topic::CancellationPolicy,
            Placeholder::Memberships => topic == Topic::MembershipTerms,
            Placeholder::Service => matches!(
                topic,
                Topic::Price | Topic::ServiceInfo | Topic::PreCare | Topic::Aftercare
            ),
            Placeholder::Price => topic == Topic::Price,
            Placeholder::Description | Placeholder::Duration => topic == Topic::ServiceInfo,
            Placeholder::PreCare => topic == Topic::PreCare,
            Placeholder::Aftercare => topic == Topic::Aftercare,
            Placeholder::Product | Placeholder::Availability => topic == Topic::Availability,
            Placeholder::Promotions => topic == Topic::CurrentPromotions,
            Placeholder::LatePolicy => topic == Topic::LateArrival,
        }
    }

    /// The placeholders `topic` allows, for error messages ("{{clinic}}, {{phone}}, ...").
    pub fn list_for(topic: Topic) -> String {
        Placeholder::ALL
            .iter()
            .filter(|p| p.valid_in(topic))
            .map(|p| format!("{{{{{}}}}}", p.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl std::fmt::Display for Placeholder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{{{{{}}}}}", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for p in Placeholder::ALL {
            assert_eq!(Placeholder::parse(p.as_str()), Some(p));
        }
        let mut names: Vec<&str> = Placeholder::ALL.iter().map(|p| p.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Placeholder::ALL.len());
        assert_eq!(Placeholder::parse("name"), None);
        assert_eq!(Placeholder::parse("Clinic"), None);
    }

    #[test]
    fn every_placeholder_is_usable_somewhere_and_clinic_everywhere() {
        for p in Placeholder::ALL {
            assert!(Topic::ALL.iter().any(|t| p.valid_in(*t)), "{p}");
        }
        for t in Topic::ALL {
            assert!(Placeholder::Clinic.valid_in(t));
        }
    }

    #[test]
    fn service_facts_need_a_service_topic() {
        assert!(Placeholder::Price.valid_in(Topic::Price));
        assert!(!Placeholder::Price.valid_in(Topic::Hours));
        assert!(!Placeholder::Price.valid_in(Topic::ServiceInfo));
        assert!(!Placeholder::Service.valid_in(Topic::Welcome));
        assert!(!Placeholder::Hours.valid_in(Topic::Address));
        assert_eq!(
            Placeholder::list_for(Topic::Welcome),
            "{{clinic}}, {{phone}}"
        );
        assert_eq!(
            Placeholder::list_for(Topic::Price),
            "{{clinic}}, {{phone}}, {{service}}, {{price}}"
        );
        assert_eq!(Placeholder::Hours.to_string(), "{{hours}}");
    }
}
