//! Prescription drugs named in marketing. Carriers block SMS marketing that promotes prescription
//! drugs (CTIA's SHAFT rules and the carriers' own content policies), and a blocked campaign can
//! take the clinic's number down with it, so the linter refuses them in every marketing message.
//!
//! Decision on the neurotoxin brands (Botox, Dysport, Xeomin, Jeuveau, Daxxify, Letybo): they are
//! prescription drugs and carriers commonly filter "Botox" promotions, so marketing may not name
//! them either; the clinic says "wrinkle relaxer" or "neuromodulator treatment". Replies and
//! reminders may name any treatment: a patient who asked "how much is botox" gets an answer, and
//! that is not promotion.

use super::words::find_term;
use serde::Serialize;
use std::fmt;
use std::ops::Range;

/// Why a drug may not be marketed, which decides what to say instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DrugClass {
    /// GLP-1s and other prescription weight-loss drugs.
    WeightLoss,
    /// Testosterone, growth hormone and their peptides.
    Hormone,
    /// Controlled substances offered as treatments (ketamine).
    Controlled,
    /// Botulinum toxin brands.
    Neurotoxin,
}

impl DrugClass {
    /// What the clinic can write instead.
    pub fn instead(&self) -> &'static str {
        match self {
            DrugClass::WeightLoss => {
                "describe the service without the drug (\"medical weight loss program\")"
            }
            DrugClass::Hormone => {
                "describe the service without the drug (\"hormone health consultation\")"
            }
            DrugClass::Controlled => "remove it; controlled substances cannot be marketed by SMS",
            DrugClass::Neurotoxin => {
                "say \"wrinkle relaxer\" or \"neuromodulator treatment\" instead"
            }
        }
    }
}

impl fmt::Display for DrugClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DrugClass::WeightLoss => "prescription weight-loss drug",
            DrugClass::Hormone => "prescription hormone",
            DrugClass::Controlled => "controlled substance",
            DrugClass::Neurotoxin => "prescription neurotoxin",
        })
    }
}

/// (term as searched, lower-case ASCII; name as shown in errors; class).
const DRUGS: &[(&str, &str, DrugClass)] = &[
    ("semaglutide", "semaglutide", DrugClass::WeightLoss),
    ("tirzepatide", "tirzepatide", DrugClass::WeightLoss),
    ("liraglutide", "liraglutide", DrugClass::WeightLoss),
    ("ozempic", "Ozempic", DrugClass::WeightLoss),
    ("wegovy", "Wegovy", DrugClass::WeightLoss),
    ("mounjaro", "Mounjaro", DrugClass::WeightLoss),
    ("zepbound", "Zepbound", DrugClass::WeightLoss),
    ("rybelsus", "Rybelsus", DrugClass::WeightLoss),
    ("saxenda", "Saxenda", DrugClass::WeightLoss),
    ("phentermine", "phentermine", DrugClass::WeightLoss),
    ("qsymia", "Qsymia", DrugClass::WeightLoss),
    ("contrave", "Contrave", DrugClass::WeightLoss),
    ("glp-1", "GLP-1", DrugClass::WeightLoss),
    ("glp1", "GLP-1", DrugClass::WeightLoss),
    ("testosterone", "testosterone", DrugClass::Hormone),
    ("trt", "TRT", DrugClass::Hormone),
    ("hgh", "HGH", DrugClass::Hormone),
    (
        "human growth hormone",
        "human growth hormone",
        DrugClass::Hormone,
    ),
    ("sermorelin", "sermorelin", DrugClass::Hormone),
    ("ketamine", "ketamine", DrugClass::Controlled),
    ("botox", "Botox", DrugClass::Neurotoxin),
    ("dysport", "Dysport", DrugClass::Neurotoxin),
    ("xeomin", "Xeomin", DrugClass::Neurotoxin),
    ("jeuveau", "Jeuveau", DrugClass::Neurotoxin),
    ("daxxify", "Daxxify", DrugClass::Neurotoxin),
    ("letybo", "Letybo", DrugClass::Neurotoxin),
];

/// A drug named in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Found {
    pub at: Range<usize>,
    pub name: &'static str,
    pub class: DrugClass,
}

/// Every whole-word mention of a listed drug, in body order.
pub(super) fn find(body: &str) -> Vec<Found> {
    let lower = body.to_ascii_lowercase();
    let mut out: Vec<Found> = DRUGS
        .iter()
        .flat_map(|(term, name, class)| {
            find_term(body, &lower, term).into_iter().map(|at| Found {
                at,
                name,
                class: *class,
            })
        })
        .collect();
    out.sort_by_key(|f| f.at.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(body: &str) -> Vec<&'static str> {
        find(body).into_iter().map(|f| f.name).collect()
    }

    #[test]
    fn finds_drugs() {
        let cases: &[(&str, &[&str])] = &[
            ("20% off Botox this week", &["Botox"]),
            ("BOTOX® and Dysport", &["Botox", "Dysport"]),
            ("Semaglutide injections now in stock", &["semaglutide"]),
            ("Ask about GLP-1s!", &["GLP-1"]),
            ("glp1 program", &["GLP-1"]),
            (
                "Ozempic, Wegovy or Mounjaro?",
                &["Ozempic", "Wegovy", "Mounjaro"],
            ),
            ("TRT for men", &["TRT"]),
            ("Human Growth Hormone therapy", &["human growth hormone"]),
            ("ketamine infusions", &["ketamine"]),
            ("Zepbound's price dropped", &["Zepbound"]),
        ];
        for (body, want) in cases {
            assert_eq!(names(body), *want, "{body}");
        }
        let f = &find("Get Xeomin now")[0];
        assert_eq!(f.at, 4..10);
        assert_eq!(f.class, DrugClass::Neurotoxin);
    }

    #[test]
    fn no_false_positives() {
        for body in [
            "Wrinkle relaxer special this week",
            "Neuromodulator treatment 20% off",
            "botoxparty",
            "HydraFacial glow",
            "country music",
            "strt",
            "Dermal filler event",
        ] {
            assert!(names(body).is_empty(), "{body}");
        }
    }
}
