//! Measures the emergency matcher on the authors' fixture files (`fixtures/authors/*.jsonl`, and
//! `fixtures/*.jsonl` splits when present). The phrase sets are English and Spanish: on those
//! lines the matcher alone must find every urgent message. In every other language the intent
//! model's emergency net is what stands behind the patient, so there the whole pipeline must
//! find every urgent message. False-urgent rates on hard negatives and on all non-urgent lines
//! are printed (`cargo test -- --nocapture`) for the record.

use std::path::Path;

use classifier::{Action, Conversation, EmergencyMatcher, Role, Triage, Turn};
use serde_json::Value;

struct Line {
    id: String,
    last: String,
    context: Vec<String>,
    /// Every turn's role, to rebuild the conversation for the whole pipeline.
    roles: Vec<Role>,
    lang: String,
    urgent: bool,
    hard_negative: bool,
}

fn load(dir: &Path, out: &mut Vec<Line>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    files.sort();
    for f in files {
        if f.extension().and_then(|e| e.to_str()) != Some("jsonl") {
            continue;
        }
        let Ok(body) = std::fs::read_to_string(&f) else {
            continue;
        };
        for raw in body.lines().filter(|l| !l.trim().is_empty()) {
            let Ok(v) = serde_json::from_str::<Value>(raw) else {
                continue;
            };
            let turns: Vec<String> = v["turns"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|t| t["text"].as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            let roles: Vec<Role> = v["turns"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|t| match t["role"].as_str() {
                            Some("clinic") => Role::Clinic,
                            _ => Role::Patient,
                        })
                        .collect()
                })
                .unwrap_or_default();
            let Some((last, context)) = turns.split_last() else {
                continue;
            };
            let tags: Vec<&str> = v["tags"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            out.push(Line {
                id: v["id"].as_str().unwrap_or("?").to_string(),
                last: last.clone(),
                context: context.to_vec(),
                roles,
                lang: v["lang"].as_str().unwrap_or("en").to_string(),
                urgent: v["expect"]["urgent"].as_bool().unwrap_or(false),
                hard_negative: tags.contains(&"hard_negative"),
            });
        }
    }
}

#[test]
fn urgent_recall_is_total_on_the_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    let mut lines = Vec::new();
    load(&root.join("authors"), &mut lines);
    load(&root, &mut lines);
    if lines.is_empty() {
        eprintln!("no fixtures yet");
        return;
    }
    let m = EmergencyMatcher::new();
    let triage = match Triage::bundled() {
        Ok(t) => t,
        Err(e) => panic!("the bundled triage must build: {e}"),
    };
    let mut pipeline_missed = Vec::new();
    let (mut urgent, mut hit, mut neg, mut fneg, mut hard, mut fhard) = (0, 0, 0, 0, 0, 0);
    let mut missed = Vec::new();
    let mut false_urgent = Vec::new();
    for l in &lines {
        let ctx: Vec<&str> = l.context.iter().map(String::as_str).collect();
        let a = m.assess(&l.last, &ctx);
        if l.urgent {
            urgent += 1;
            if a.is_urgent() {
                hit += 1;
            } else if matches!(l.lang.as_str(), "en" | "es") {
                missed.push(format!("{}: {}", l.id, l.last));
            }
            let turns = l
                .context
                .iter()
                .chain(std::iter::once(&l.last))
                .zip(&l.roles)
                .map(|(text, role)| Turn::new(*role, text.clone()))
                .collect();
            let verdict = triage.triage(&Conversation::new(turns));
            if !verdict.is_ok_and(|v| v.action == Action::Urgent) {
                pipeline_missed.push(format!("{} ({}): {}", l.id, l.lang, l.last));
            }
        } else {
            neg += 1;
            if a.is_urgent() {
                fneg += 1;
                let why: Vec<&str> = a.matches.iter().map(|x| x.pattern.as_str()).collect();
                false_urgent.push(format!("{}: {} {:?}", l.id, l.last, why));
            }
            if l.hard_negative {
                hard += 1;
                if a.is_urgent() {
                    fhard += 1;
                }
            }
        }
    }
    eprintln!(
        "lines {}  urgent recall {hit}/{urgent}  false-urgent non-urgent {fneg}/{neg}  \
         false-urgent hard_negative {fhard}/{hard}",
        lines.len()
    );
    for f in &false_urgent {
        eprintln!("FALSE URGENT {f}");
    }
    for f in &missed {
        eprintln!("MISSED {f}");
    }
    assert!(
        missed.is_empty(),
        "the phrase sets missed English or Spanish urgent messages: {missed:#?}"
    );
    assert!(
        pipeline_missed.is_empty(),
        "the pipeline missed urgent messages: {pipeline_missed:#?}"
    );
}
