//! Real texts for the tests that hold a compiled table to the engine it replaces: every turn of
//! every fixture file, and Presidio's recognizer cases.

use std::path::Path;

fn texts_of(path: &Path, field: impl Fn(&serde_json::Value) -> Vec<String>) -> Vec<String> {
    let Ok(body) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    body.lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .flat_map(|v| field(&v))
        .collect()
}

/// Every turn of every fixture file, as written.
pub(crate) fn fixture_turns() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    let mut files = vec![
        root.join("train.jsonl"),
        root.join("dev.jsonl"),
        root.join("test.jsonl"),
    ];
    if let Ok(rd) = std::fs::read_dir(root.join("authors")) {
        let mut authors: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        authors.sort();
        files.extend(authors);
    }
    files
        .iter()
        .flat_map(|f| {
            texts_of(f, |v| {
                v["turns"]
                    .as_array()
                    .map(|turns| {
                        turns
                            .iter()
                            .filter_map(|t| t["text"].as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default()
            })
        })
        .collect()
}

/// The texts of Presidio's recognizer cases (`shared/data/presidio`), when present.
pub(crate) fn presidio_texts() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/presidio/cases.jsonl");
    texts_of(&path, |v| {
        v["text"].as_str().map(str::to_string).into_iter().collect()
    })
}
