//! Release gates: thresholds on metrics.json values, named by their dotted paths
//! ("urgent.recall", "phi.per_kind.NAME.recall"), so a gate reads exactly what the file says.

use serde::Deserialize;
use serde_json::Value;

/// Why a gates file could not be applied.
#[derive(Debug, thiserror::Error)]
pub enum GateError {
    #[error("the gates file is not valid: {0}; write {{\"metric.path\": {{\"min\": x}} | {{\"max\": x}} | {{\"max_count\": n}}}}")]
    Parse(String),
    #[error("gate {0:?} sets no bound: give min, max or max_count")]
    NoBound(String),
    #[error("gate {name:?} names no metric of metrics.json: use a dotted path such as urgent.recall (known top-level fields: {known})")]
    UnknownMetric { name: String, known: String },
    #[error("gate {name:?}: {problem}")]
    WrongType { name: String, problem: String },
}

/// The bounds one gate sets; any combination may be given and all must hold.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bounds {
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// For lists (ids): at most this many entries; for numbers: at most this value.
    pub max_count: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Gate {
    pub metric: String,
    pub bounds: Bounds,
}

/// Parses a gates file; order of the file is kept for the printout.
pub fn parse(text: &str) -> Result<Vec<Gate>, GateError> {
    let map: serde_json::Map<String, Value> =
        serde_json::from_str(text).map_err(|e| GateError::Parse(e.to_string()))?;
    let mut gates = Vec::new();
    for (metric, v) in map {
        let bounds: Bounds = serde_json::from_value(v)
            .map_err(|e| GateError::Parse(format!("gate {metric:?}: {e}")))?;
        if bounds.min.is_none() && bounds.max.is_none() && bounds.max_count.is_none() {
            return Err(GateError::NoBound(metric));
        }
        gates.push(Gate { metric, bounds });
    }
    Ok(gates)
}

/// One gate's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub metric: String,
    /// The value as shown: a number, a list's length, or "undefined".
    pub value: String,
    pub rule: String,
    pub passed: bool,
}

/// Looks a dotted path up in metrics.json.
pub fn lookup<'a>(metrics: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(metrics, |v, key| v.get(key))
}

/// Checks every gate; a gate naming a path metrics.json does not have is an error, not a
/// failure, because a typo would otherwise hide a broken promise behind a red herring.
pub fn check(metrics: &Value, gates: &[Gate]) -> Result<Vec<Checked>, GateError> {
    let mut out = Vec::new();
    for gate in gates {
        let name = gate.metric.clone();
        let value = lookup(metrics, &name).ok_or_else(|| GateError::UnknownMetric {
            name: name.clone(),
            known: metrics
                .as_object()
                .map(|m| m.keys().cloned().collect::<Vec<_>>().join(", "))
                .unwrap_or_default(),
        })?;
        let b = &gate.bounds;
        let mut rules = Vec::new();
        if let Some(min) = b.min {
            rules.push(format!(">= {min}"));
        }
        if let Some(max) = b.max {
            rules.push(format!("<= {max}"));
        }
        if let Some(n) = b.max_count {
            rules.push(format!("count <= {n}"));
        }
        let rule = rules.join(", ");
        let (shown, passed) = match value {
            Value::Null => ("undefined (nothing to measure)".to_owned(), false),
            Value::Number(n) => {
                let x = n.as_f64().unwrap_or(f64::NAN);
                let ok = b.min.is_none_or(|m| x >= m)
                    && b.max.is_none_or(|m| x <= m)
                    && b.max_count.is_none_or(|m| x <= m as f64);
                (format_number(x), ok)
            }
            Value::Array(items) => {
                if b.min.is_some() || b.max.is_some() {
                    return Err(GateError::WrongType {
                        name,
                        problem: "is a list: bound it with max_count".into(),
                    });
                }
                let ok = b.max_count.is_none_or(|m| items.len() as u64 <= m);
                (format!("{} entries", items.len()), ok)
            }
            _ => {
                return Err(GateError::WrongType {
                    name,
                    problem: "is not a number or a list: name a leaf such as urgent.recall".into(),
                })
            }
        };
        out.push(Checked {
            metric: name,
            value: shown,
            rule,
            passed,
        });
    }
    Ok(out)
}

fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x:.4}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn metrics() -> Value {
        json!({"urgent": {"recall": 1.0, "missed": []},
               "action": {"unsafe_auto_replies": ["x"], "automation_rate": 0.5},
               "phi": {"recall": null}})
    }

    #[test]
    fn gates_pass_and_fail_on_their_bounds() {
        let gates = parse(
            r#"{"urgent.recall": {"min": 1.0}, "urgent.missed": {"max_count": 0},
                "action.unsafe_auto_replies": {"max_count": 0},
                "action.automation_rate": {"min": 0.7, "max": 1.0},
                "phi.recall": {"min": 0.5}}"#,
        )
        .unwrap_or_default();
        let checked = check(&metrics(), &gates).unwrap_or_default();
        let mut passed: Vec<(&str, bool)> = checked
            .iter()
            .map(|c| (c.metric.as_str(), c.passed))
            .collect();
        passed.sort();
        assert_eq!(
            passed,
            vec![
                ("action.automation_rate", false),
                ("action.unsafe_auto_replies", false),
                ("phi.recall", false),
                ("urgent.missed", true),
                ("urgent.recall", true),
            ]
        );
    }

    #[test]
    fn unknown_metrics_and_bad_files_are_errors() {
        let gates = parse(r#"{"urgent.recal": {"min": 1.0}}"#).unwrap_or_default();
        let err = check(&metrics(), &gates).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("urgent.recal")));
        assert!(matches!(
            parse(r#"{"urgent.recall": {"minimum": 1}}"#),
            Err(GateError::Parse(_))
        ));
        assert!(matches!(
            parse(r#"{"urgent.recall": {}}"#),
            Err(GateError::NoBound(_))
        ));
        let gates = parse(r#"{"urgent.missed": {"min": 1}}"#).unwrap_or_default();
        assert!(matches!(
            check(&metrics(), &gates),
            Err(GateError::WrongType { .. })
        ));
    }
}
