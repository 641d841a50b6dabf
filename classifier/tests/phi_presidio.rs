//! Runs Microsoft Presidio's recognizer test cases (../shared/data/presidio/cases.jsonl, MIT,
//! fields: text, entities[{type,start,end,text}] with Python code-point offsets, negative,
//! entity_types_tested, params) for the kinds we cover, and reports agreement.
//!
//! A case agrees when, for its tested Presidio type, the set of texts we find of the mapped kind
//! equals the set Presidio expects. Disagreement categories and why we differ: see PRESIDIO.md
//! beside this file.

use classifier::{PhiKind, Redactor};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

fn kind_of(presidio: &str) -> Option<PhiKind> {
    Some(match presidio {
        "CREDIT_CARD" => PhiKind::Card,
        "EMAIL_ADDRESS" => PhiKind::Email,
        "PHONE_NUMBER" => PhiKind::Phone,
        "URL" => PhiKind::Url,
        "US_SSN" => PhiKind::Ssn,
        "IP_ADDRESS" => PhiKind::Ip,
        "DATE_TIME" => PhiKind::Date,
        "PERSON" => PhiKind::Name,
        _ => return None,
    })
}

/// Agreement measured on this data set when the floor was set (see PRESIDIO.md).
const FLOOR: f64 = 0.80;

#[test]
fn presidio_agreement() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/presidio/cases.jsonl");
    let body = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}): the shared data must sit beside the repository as ../shared",
            path.display()
        )
    });
    let r = Redactor::new();
    let mut per_type: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut disagreements = Vec::new();
    for line in body.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("bad line in cases.jsonl: {e}"));
        let tested: Vec<&str> = v["entity_types_tested"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let Some((ptype, kind)) = tested.iter().find_map(|t| kind_of(t).map(|k| (*t, k))) else {
            continue;
        };
        let text = v["text"].as_str().unwrap_or("");
        let want: BTreeSet<String> = v["entities"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|e| e["type"].as_str() == Some(ptype))
                    .filter_map(|e| e["text"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let got: BTreeSet<String> = r
            .redact(text)
            .findings
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| text[f.start..f.end].to_owned())
            .collect();
        let e = per_type.entry(ptype.to_owned()).or_default();
        e.0 += 1;
        if got == want {
            e.1 += 1;
        } else {
            disagreements.push(format!("{ptype}: {text:?} want {want:?} got {got:?}"));
        }
    }
    let (n, ok) = per_type
        .values()
        .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!("Presidio agreement: {ok}/{n} = {:.3}", ok as f64 / n as f64);
    for (t, (n, ok)) in &per_type {
        println!("  {t:14} {ok}/{n}");
    }
    for d in &disagreements {
        println!("DIFF {d}");
    }
    assert!(n > 0, "no Presidio case of a covered type found");
    assert!(
        ok as f64 / n as f64 >= FLOOR,
        "agreement {ok}/{n} fell below {FLOOR}"
    );
}
