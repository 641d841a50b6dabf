//! Reading the document's JSON tree field by field. The validator walks `serde_json::Value`
//! itself instead of deriving `Deserialize`, because serde stops at the first problem and a
//! clinic manager editing by hand should see every problem at once, each with its path.

use serde_json::{Map, Value};

use super::error::{quote, FactsError, Problem};
use crate::clinic::facts::{Localized, Synonyms};
use crate::clinic::words::edit_distance;

/// Where a value sits in the document: `services[2].price.from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Path(String);

impl Path {
    pub fn root() -> Path {
        Path(String::new())
    }

    pub fn key(&self, key: &str) -> Path {
        let key = quote(key);
        if self.0.is_empty() {
            Path(key)
        } else {
            Path(format!("{}.{key}", self.0))
        }
    }

    pub fn index(&self, i: usize) -> Path {
        Path(format!("{}[{i}]", self.0))
    }

    pub fn as_str(&self) -> &str {
        if self.0.is_empty() {
            "document"
        } else {
            &self.0
        }
    }
}

/// The problems found so far; every reader adds to it and carries on.
#[derive(Debug, Default)]
pub(crate) struct Report {
    pub errors: Vec<FactsError>,
}

impl Report {
    pub fn fail(&mut self, path: &Path, problem: Problem) {
        self.errors.push(FactsError {
            path: path.as_str().to_string(),
            problem,
        });
    }
}

/// A JSON object whose keys were checked against the fields it may have.
pub(crate) struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: Path,
}

impl<'a> Obj<'a> {
    /// An optional field: `None` when absent or `null`.
    pub fn opt(&self, key: &str) -> Option<(&'a Value, Path)> {
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => Some((v, self.path.key(key))),
        }
    }

    /// A required field; reports it missing (saying what belongs there) when absent or `null`.
    pub fn req(
        &self,
        report: &mut Report,
        key: &str,
        expected: &'static str,
    ) -> Option<(&'a Value, Path)> {
        let found = self.opt(key);
        if found.is_none() {
            report.fail(&self.path.key(key), Problem::Missing { expected });
        }
        found
    }
}

/// Keys that start with `_` are the manager's notes (JSON has no comments) and are skipped.
fn is_note(key: &str) -> bool {
    key.starts_with('_')
}

pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// `v` as an object whose keys are all in `fields` (or notes); each other key is reported with
/// the closest known field, which catches typos like `"aftrcare"`.
pub(crate) fn object<'a>(
    report: &mut Report,
    v: &'a Value,
    path: &Path,
    fields: &[&'static str],
) -> Option<Obj<'a>> {
    let Value::Object(map) = v else {
        report.fail(
            path,
            Problem::WrongType {
                expected: "an object { ... }",
                found: kind_of(v),
            },
        );
        return None;
    };
    for key in map.keys() {
        if !fields.contains(&key.as_str()) && !is_note(key) {
            report.fail(
                &path.key(key),
                Problem::UnknownField {
                    suggestion: closest(key, fields),
                },
            );
        }
    }
    Some(Obj {
        map,
        path: path.clone(),
    })
}

/// The known field a mistyped key most likely meant: within 2 edits, or 1 for short keys.
fn closest(key: &str, fields: &[&'static str]) -> Option<&'static str> {
    let key = key.trim().to_lowercase();
    let limit = if key.chars().count() <= 4 { 1 } else { 2 };
    fields
        .iter()
        .map(|f| (edit_distance(&key, f, limit), *f))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, f)| f)
}

pub(crate) fn array<'a>(report: &mut Report, v: &'a Value, path: &Path) -> Option<&'a [Value]> {
    match v {
        Value::Array(items) => Some(items),
        other => {
            report.fail(
                path,
                Problem::WrongType {
                    expected: "a list [ ... ]",
                    found: kind_of(other),
                },
            );
            None
        }
    }
}

/// Text that must not be blank; returned trimmed.
pub(crate) fn text(report: &mut Report, v: &Value, path: &Path) -> Option<String> {
    match v {
        Value::String(s) if s.trim().is_empty() => {
            report.fail(path, Problem::Empty);
            None
        }
        Value::String(s) => Some(s.trim().to_string()),
        other => {
            report.fail(
                path,
                Problem::WrongType {
                    expected: "text in quotes",
                    found: kind_of(other),
                },
            );
            None
        }
    }
}

pub(crate) fn boolean(report: &mut Report, v: &Value, path: &Path) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        other => {
            report.fail(
                path,
                Problem::WrongType {
                    expected: "true or false (no quotes)",
                    found: kind_of(other),
                },
            );
            None
        }
    }
}

/// A whole number in `min..=max`.
pub(crate) fn whole(
    report: &mut Report,
    v: &Value,
    path: &Path,
    min: u64,
    max: u64,
) -> Option<u64> {
    match v.as_u64() {
        Some(n) if (min..=max).contains(&n) => Some(n),
        _ if v.is_number() => {
            report.fail(path, Problem::OutOfRange { min, max });
            None
        }
        _ => {
            report.fail(
                path,
                Problem::WrongType {
                    expected: "a whole number (no quotes)",
                    found: kind_of(v),
                },
            );
            None
        }
    }
}

/// An id: `[a-z0-9_-]+`. Templates and replies refer to things by id, so it must be stable
/// and plain.
pub(crate) fn id(report: &mut Report, v: &Value, path: &Path) -> Option<String> {
    let s = text(report, v, path)?;
    let plain = s
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if plain {
        Some(s)
    } else {
        report.fail(path, Problem::Id);
        None
    }
}

/// `{"en": "...", "es": "..."}`. English is required. An empty `"es": ""` counts as not
/// written yet (a manager's placeholder for a translation): the template then falls back to a
/// person, exactly as when `es` is left out.
pub(crate) fn localized(report: &mut Report, v: &Value, path: &Path) -> Option<Localized> {
    let obj = object(report, v, path, &["en", "es"])?;
    let en = obj
        .req(report, "en", "the English text")
        .and_then(|(v, p)| text(report, v, &p));
    let es = match obj.opt("es") {
        Some((Value::String(s), _)) if s.trim().is_empty() => None,
        Some((v, p)) => Some(text(report, v, &p)?),
        None => None,
    };
    Some(Localized { en: en?, es })
}

/// `{"en": [...], "es": [...]}`, both optional; entries must be non-empty text.
pub(crate) fn synonyms(report: &mut Report, v: &Value, path: &Path) -> Synonyms {
    let mut out = Synonyms::default();
    let Some(obj) = object(report, v, path, &["en", "es"]) else {
        return out;
    };
    for (key, list) in [("en", &mut out.en), ("es", &mut out.es)] {
        let Some((v, p)) = obj.opt(key) else { continue };
        let Some(items) = array(report, v, &p) else {
            continue;
        };
        for (i, item) in items.iter().enumerate() {
            if let Some(s) = text(report, item, &p.index(i)) {
                list.push(s);
            }
        }
    }
    out
}

/// Each item of an optional list, read with `item`; an absent list is empty.
pub(crate) fn list_of<T>(
    report: &mut Report,
    obj: &Obj<'_>,
    key: &str,
    mut item: impl FnMut(&mut Report, &Value, &Path) -> Option<T>,
) -> Vec<Option<T>> {
    let Some((v, path)) = obj.opt(key) else {
        return Vec::new();
    };
    let Some(items) = array(report, v, &path) else {
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .map(|(i, v)| item(report, v, &path.index(i)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_read_like_the_document() {
        let p = Path::root().key("services").index(2).key("price");
        assert_eq!(p.as_str(), "services[2].price");
        assert_eq!(Path::root().as_str(), "document");
    }

    #[test]
    fn long_keys_are_cut_in_paths() {
        let long = "x".repeat(100);
        let p = Path::root().key(&long);
        assert!(p.as_str().len() < 50, "{}", p.as_str());
        assert!(p.as_str().ends_with("..."));
    }

    #[test]
    fn unknown_keys_are_reported_with_a_suggestion_and_notes_are_skipped() {
        let mut r = Report::default();
        let v = json!({"aftrcare": "x", "_note": "fine", "zzz": 1, "en": "ok"});
        let obj = object(&mut r, &v, &Path::root().key("s"), &["aftercare", "en"]);
        assert!(obj.is_some());
        assert_eq!(r.errors.len(), 2);
        assert_eq!(r.errors[0].path, "s.aftrcare");
        assert_eq!(
            r.errors[0].problem,
            Problem::UnknownField {
                suggestion: Some("aftercare")
            }
        );
        assert_eq!(
            r.errors[1].problem,
            Problem::UnknownField { suggestion: None }
        );
    }

    #[test]
    fn localized_needs_english_and_treats_empty_spanish_as_absent() {
        let mut r = Report::default();
        let p = Path::root();
        let l = localized(&mut r, &json!({"en": " Hi ", "es": ""}), &p).unwrap();
        assert_eq!((l.en.as_str(), l.es), ("Hi", None));
        assert!(localized(&mut r, &json!({"es": "Hola"}), &p.key("x")).is_none());
        assert!(localized(&mut r, &json!({"en": "  "}), &p.key("y")).is_none());
        assert!(localized(&mut r, &json!("Hi"), &p.key("z")).is_none());
        let paths: Vec<&str> = r.errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["x.en", "y.en", "z"]);
    }

    #[test]
    fn ids_are_plain_lowercase() {
        let mut r = Report::default();
        let p = Path::root();
        assert_eq!(
            id(&mut r, &json!("lip_filler-2"), &p).as_deref(),
            Some("lip_filler-2")
        );
        assert!(id(&mut r, &json!("Lip Filler"), &p).is_none());
        assert!(id(&mut r, &json!("botóx"), &p).is_none());
        assert!(id(&mut r, &json!(7), &p).is_none());
        assert_eq!(r.errors.len(), 3);
        assert_eq!(r.errors[0].problem, Problem::Id);
    }

    #[test]
    fn whole_numbers_are_range_checked() {
        let mut r = Report::default();
        let p = Path::root();
        assert_eq!(whole(&mut r, &json!(3), &p, 1, 10), Some(3));
        assert_eq!(whole(&mut r, &json!(0), &p, 1, 10), None);
        assert_eq!(whole(&mut r, &json!(2.5), &p, 1, 10), None);
        assert_eq!(whole(&mut r, &json!("3"), &p, 1, 10), None);
        assert_eq!(r.errors[0].problem, Problem::OutOfRange { min: 1, max: 10 });
        assert_eq!(r.errors[1].problem, Problem::OutOfRange { min: 1, max: 10 });
        assert!(matches!(r.errors[2].problem, Problem::WrongType { .. }));
    }
}
