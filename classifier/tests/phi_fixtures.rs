//! Measures redaction on the project's labelled fixtures (fixtures/authors/*.jsonl, the
//! contract's format): recall of listed PHI strings, leaks of structured identifiers, and the
//! share of non-PHI characters redacted. Prints the figures; asserts the floors we reached.
//! Skips (with a message) when no fixture file exists yet.

use classifier::{PhiKind, Redactor};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[test]
fn fixtures_recall_leaks_over_redaction() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/authors");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("no fixtures at {}: skipped", dir.display());
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let r = Redactor::new();
    let (mut total, mut removed) = (0usize, 0usize);
    let mut by_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut non_phi, mut over) = (0usize, 0usize);
    let mut leaks = Vec::new();
    let mut overs = Vec::new();
    for f in &files {
        let Ok(body) = std::fs::read_to_string(f) else {
            continue;
        };
        for line in body.lines().filter(|l| !l.trim().is_empty()) {
            let Ok(v) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            let turns: Vec<&str> = v["turns"]
                .as_array()
                .map(|a| a.iter().filter_map(|t| t["text"].as_str()).collect())
                .unwrap_or_default();
            let Some(last_text) = turns.last().copied() else {
                continue;
            };
            let Some(last) = r.redact_conversation(&turns).pop() else {
                continue;
            };
            let phi: Vec<(String, String)> = v["expect"]["phi"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|p| {
                            Some((
                                p["kind"].as_str()?.to_owned(),
                                p["text"].as_str()?.to_owned(),
                            ))
                        })
                        .collect()
                })
                .unwrap_or_default();
            let mut is_phi = vec![false; last_text.len()];
            for (kind, s) in &phi {
                total += 1;
                let e = by_kind.entry(kind.clone()).or_default();
                e.0 += 1;
                if last.text.contains(s.as_str()) {
                    leaks.push(format!(
                        "{} {kind} {s:?} in {:?} -> {:?}",
                        v["id"], last_text, last.text
                    ));
                } else {
                    removed += 1;
                    e.1 += 1;
                }
                for (i, _) in last_text.match_indices(s.as_str()) {
                    is_phi[i..i + s.len()].iter_mut().for_each(|x| *x = true);
                }
            }
            let mut red = vec![false; last_text.len()];
            for f in &last.findings {
                red[f.start..f.end].iter_mut().for_each(|x| *x = true);
            }
            let mut this_over = 0;
            for (i, ch) in last_text.char_indices() {
                if !is_phi[i] && !ch.is_whitespace() {
                    non_phi += 1;
                    if red[i] {
                        this_over += 1;
                    }
                }
            }
            over += this_over;
            if this_over > 0 {
                let spans: Vec<String> = last
                    .findings
                    .iter()
                    .filter(|f| !is_phi[f.start])
                    .map(|f| format!("{}:{:?}", f.kind.as_str(), &last_text[f.start..f.end]))
                    .collect();
                overs.push(format!("{} {spans:?} in {last_text:?}", v["id"]));
            }
        }
    }
    if total == 0 {
        eprintln!("fixtures hold no PHI yet: skipped");
        return;
    }
    let recall = removed as f64 / total as f64;
    let over_rate = over as f64 / non_phi.max(1) as f64;
    println!("PHI fixtures: {} files, {total} identifiers, recall {recall:.4}, over-redaction {over_rate:.4}", files.len());
    for (k, (n, ok)) in &by_kind {
        println!("  {k:8} {ok}/{n} = {:.3}", *ok as f64 / *n as f64);
    }
    for l in &leaks {
        println!("LEAK {l}");
    }
    for o in &overs {
        println!("OVER {o}");
    }
    let structured_leaks = leaks
        .iter()
        .filter(|l| !l.contains(" NAME ") && !l.contains(" ADDRESS "))
        .count();
    let name = by_kind
        .get(PhiKind::Name.as_str())
        .map_or(1.0, |(n, ok)| *ok as f64 / (*n).max(1) as f64);
    println!("structured leaks {structured_leaks}, name recall {name:.4}");
    assert!(over_rate <= 0.02, "over-redaction {over_rate:.4} > 2%");
    assert!(name >= 0.95, "name recall {name:.4} < 0.95");
    assert!(recall >= 0.95, "recall {recall:.4} < 0.95");
}
