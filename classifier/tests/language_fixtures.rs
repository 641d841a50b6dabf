//! Measures the language identifier on the authors' fixture files against each line's `lang`.
//!
//! What matters to the policy is one decision: does the model read this message, or is it in
//! a language it was not trained on? So the figures are that decision's two errors: an English
//! or Spanish message taken as another language (it loses its automatic reply), and a message
//! in another language taken as the model's (it would be read blind). Per-language accuracy is
//! printed for the record. The text identified is the redacted one, as in the pipeline (`cargo test --test language_fixtures -- --nocapture`).

use std::collections::BTreeMap;
use std::path::Path;

use classifier::{Identifier, Language, Redactor};
use serde_json::Value;

/// The policy's bundled threshold (`config/policy.json`, `unsupported_language_confidence`).
fn threshold() -> f32 {
    let policy: Value = serde_json::from_str(classifier::policy::BUNDLED).unwrap_or(Value::Null);
    policy["unsupported_language_confidence"]
        .as_f64()
        .map_or(0.5, |v| v as f32)
}

#[test]
fn the_identifier_tells_the_models_languages_from_the_others() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/authors");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        eprintln!("no fixtures");
        return;
    };
    let id = Identifier::new();
    // The pipeline identifies the redacted text, as here.
    let redactor = Redactor::new();
    let min = threshold();
    let (mut ours, mut ours_wrong, mut other, mut other_missed) = (0usize, 0usize, 0usize, 0usize);
    let mut per_lang: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut wrong = Vec::new();
    let mut files: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    files.sort();
    for f in files {
        let Ok(body) = std::fs::read_to_string(&f) else {
            continue;
        };
        for raw in body.lines().filter(|l| !l.trim().is_empty()) {
            let Ok(v) = serde_json::from_str::<Value>(raw) else {
                continue;
            };
            let lang = v["lang"].as_str().unwrap_or("en");
            let base = lang.split('-').next().unwrap_or(lang).to_string();
            let text = v["turns"]
                .as_array()
                .and_then(|t| t.last())
                .and_then(|t| t["text"].as_str())
                .unwrap_or("");
            let guess = id.identify(&redactor.redact(text).text);
            let entry = per_lang.entry(base.clone()).or_default();
            entry.0 += 1;
            entry.1 += usize::from(guess.language.tag() == base);
            let unsupported = guess.is_unsupported(min);
            if matches!(base.as_str(), "en" | "es") {
                ours += 1;
                if unsupported {
                    ours_wrong += 1;
                    wrong.push(format!("{} taken as {:?}", v["id"], guess));
                }
            } else {
                other += 1;
                if !unsupported && guess.language != Language::Undetermined {
                    other_missed += 1;
                }
            }
        }
    }
    eprintln!(
        "English/Spanish taken as another language: {ours_wrong}/{ours}; other languages \
         taken as the model's: {other_missed}/{other}"
    );
    for (lang, (n, right)) in &per_lang {
        eprintln!("  {lang}: {right}/{n} identified");
    }
    for w in wrong.iter().take(40) {
        eprintln!("  {w}");
    }
    // An English or Spanish message sent to staff for its language costs an automatic reply;
    // at most one in two hundred.
    assert!(
        ours_wrong * 200 <= ours,
        "{ours_wrong} of {ours} English/Spanish lines taken as another language"
    );
    // A message in another language read as English or Spanish is read blind by the model.
    assert!(
        other_missed * 20 <= other,
        "{other_missed} of {other} lines in other languages taken as the model's"
    );
}
