//! `evals compare`: what moved between two runs, so a change to the pipeline is judged on the
//! metrics and on the very conversations it fixed or broke.

use crate::error::CliError;
use crate::files;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::Path;

/// Breakdowns whose every cell would be noise in a diff.
const SKIP: &[&str] = &["intent.confusion", "intent.top_confusions"];

#[derive(Default)]
struct Flat {
    numbers: BTreeMap<String, Option<f64>>,
    lists: BTreeMap<String, BTreeSet<String>>,
}

fn flatten(v: &Value, path: &str, out: &mut Flat) {
    if SKIP.contains(&path) {
        return;
    }
    let join = |k: &str| {
        if path.is_empty() {
            k.to_owned()
        } else {
            format!("{path}.{k}")
        }
    };
    match v {
        Value::Object(m) => m.iter().for_each(|(k, v)| flatten(v, &join(k), out)),
        Value::Number(n) => {
            out.numbers.insert(path.to_owned(), n.as_f64());
        }
        Value::Null => {
            out.numbers.insert(path.to_owned(), None);
        }
        Value::Array(items) => {
            let ids = items.iter().filter_map(|i| match i {
                Value::String(s) => Some(s.clone()),
                Value::Object(o) => o.get("id").and_then(Value::as_str).map(|id| {
                    match o.get("kind").and_then(Value::as_str) {
                        Some(kind) => format!("{id} ({kind})"),
                        None => id.to_owned(),
                    }
                }),
                _ => None,
            });
            out.lists.insert(path.to_owned(), ids.collect());
        }
        _ => {}
    }
}

fn show(x: Option<f64>) -> String {
    x.map_or_else(|| "null".to_owned(), |v| format!("{v:.4}"))
}

/// The moved metrics and changed id lists between two metrics.json values.
pub fn compare_values(a: &Value, b: &Value) -> String {
    let (mut fa, mut fb) = (Flat::default(), Flat::default());
    flatten(a, "", &mut fa);
    flatten(b, "", &mut fb);
    let mut s = String::new();
    let keys: BTreeSet<&String> = fa.numbers.keys().chain(fb.numbers.keys()).collect();
    let mut unchanged = 0;
    let mut rows = Vec::new();
    for k in keys {
        let (x, y) = (
            fa.numbers.get(k).copied().flatten(),
            fb.numbers.get(k).copied().flatten(),
        );
        let moved = match (x, y) {
            (Some(x), Some(y)) => (x - y).abs() > 1e-12,
            (None, None) => fa.numbers.contains_key(k) != fb.numbers.contains_key(k),
            _ => true,
        };
        if !moved {
            unchanged += 1;
            continue;
        }
        let delta = match (x, y) {
            (Some(x), Some(y)) => format!("{:+.4}", y - x),
            _ => String::new(),
        };
        rows.push((k.clone(), show(x), show(y), delta));
    }
    let w = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let _ = writeln!(s, "metrics that moved (A -> B, delta):");
    for (k, x, y, d) in &rows {
        let _ = writeln!(s, "  {k:w$}  {x} -> {y}  {d}");
    }
    let _ = writeln!(s, "  ({unchanged} unchanged)");
    let empty = BTreeSet::new();
    let list_keys: BTreeSet<&String> = fa.lists.keys().chain(fb.lists.keys()).collect();
    for k in list_keys {
        let la = fa.lists.get(k).unwrap_or(&empty);
        let lb = fb.lists.get(k).unwrap_or(&empty);
        let added: Vec<&String> = lb.difference(la).collect();
        let gone: Vec<&String> = la.difference(lb).collect();
        if added.is_empty() && gone.is_empty() {
            continue;
        }
        let _ = writeln!(s, "{k}:");
        if !added.is_empty() {
            let _ = writeln!(s, "  + new in B: {}", join(&added));
        }
        if !gone.is_empty() {
            let _ = writeln!(s, "  - gone in B: {}", join(&gone));
        }
    }
    s
}

fn join(ids: &[&String]) -> String {
    ids.iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Ids in an errors.jsonl.
fn error_ids(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| v.get("id").and_then(Value::as_str).map(str::to_owned))
        .collect()
}

/// Which ids went right -> wrong and wrong -> right between two errors.jsonl files.
pub fn flips(a: &str, b: &str) -> (Vec<String>, Vec<String>) {
    let (ea, eb) = (error_ids(a), error_ids(b));
    (
        eb.difference(&ea).cloned().collect(),
        ea.difference(&eb).cloned().collect(),
    )
}

fn load(path: &Path) -> Result<Value, CliError> {
    serde_json::from_str(&files::read(path)?).map_err(|source| CliError::Json {
        path: path.to_path_buf(),
        source,
    })
}

pub fn run(a: &Path, b: &Path) -> Result<(), CliError> {
    let (va, vb) = (load(a)?, load(b)?);
    print!("{}", compare_values(&va, &vb));
    let beside = |p: &Path| p.parent().map(|d| d.join("errors.jsonl"));
    if let (Some(ea), Some(eb)) = (beside(a), beside(b)) {
        if ea.is_file() && eb.is_file() {
            let (broke, fixed) = flips(&files::read(&ea)?, &files::read(&eb)?);
            println!("right -> wrong ({}): {}", broke.len(), broke.join(", "));
            println!("wrong -> right ({}): {}", fixed.len(), fixed.join(", "));
        } else {
            println!("(no errors.jsonl beside both files: per-id flips not shown)");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shows_moved_metrics_and_flipped_ids() {
        let a = json!({"intent": {"accuracy": 0.5}, "urgent": {"recall": 1.0, "missed": []},
                       "slices": {"tag": {"typo": {"intent_accuracy": 0.2}}}});
        let b = json!({"intent": {"accuracy": 0.75}, "urgent": {"recall": 0.5, "missed": ["u-1"]},
                       "slices": {"tag": {"typo": {"intent_accuracy": 0.2}}}});
        let s = compare_values(&a, &b);
        assert!(
            s.contains("intent.accuracy") && s.contains("+0.2500"),
            "{s}"
        );
        assert!(s.contains("urgent.recall") && s.contains("-0.5000"), "{s}");
        assert!(s.contains("+ new in B: u-1"), "{s}");
        assert!(s.contains("(1 unchanged)"), "{s}");
        let (broke, fixed) = flips(
            "{\"id\":\"x\"}\n{\"id\":\"y\"}\n",
            "{\"id\":\"y\"}\n{\"id\":\"z\"}\n",
        );
        assert_eq!((broke, fixed), (vec!["z".to_owned()], vec!["x".to_owned()]));
    }
}
