//! `evals triage`: JSON Lines in, one verdict per line out, streaming, for poking at the
//! pipeline by hand or from scripts. A bad line yields an error object and processing goes on.

use crate::error::CliError;
use classifier::{Conversation, Triage, Turn, Verdict};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

pub fn run(input: Option<&Path>) -> Result<(), CliError> {
    let triage = Triage::bundled()?;
    let reader: Box<dyn BufRead> = match input {
        Some(path) => Box::new(BufReader::new(std::fs::File::open(path).map_err(
            |source| CliError::Read {
                path: path.to_path_buf(),
                source,
            },
        )?)),
        None => Box::new(BufReader::new(std::io::stdin())),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failures = 0;
    for (i, line) in reader.lines().enumerate() {
        let n = i + 1;
        let line = line.map_err(|source| CliError::Read {
            path: input.map_or_else(|| "stdin".into(), Path::to_path_buf),
            source,
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let result = triage_line(&triage, &line, n);
        if result.get("error").is_some() {
            failures += 1;
        }
        let written = writeln!(out, "{result}").and_then(|()| out.flush());
        if let Err(source) = written {
            // A closed pipe (`| head`) ends the stream; nothing more can be reported there.
            if source.kind() == std::io::ErrorKind::BrokenPipe {
                break;
            }
            return Err(CliError::Write {
                path: "stdout".into(),
                source,
            });
        }
    }
    if failures > 0 {
        return Err(CliError::TriageInput(failures));
    }
    Ok(())
}

/// The verdict (or an error object) for one input line.
pub fn triage_line(triage: &Triage, line: &str, n: usize) -> Value {
    let value: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return error(Value::Null, n, &format!("not JSON: {e}")),
    };
    let id = match value.get("id") {
        Some(Value::String(s)) => Value::String(s.clone()),
        Some(Value::Number(x)) => Value::Number(x.clone()),
        _ => Value::Null,
    };
    let conversation = match (value.get("text"), value.get("turns")) {
        (Some(Value::String(text)), None) => Conversation::single(text.clone()),
        (None, Some(turns)) => match serde_json::from_value::<Vec<Turn>>(turns.clone()) {
            Ok(turns) => Conversation::new(turns),
            Err(e) => {
                return error(
                    id,
                    n,
                    &format!("`turns` is not a list of {{role, text}}: {e}"),
                )
            }
        },
        _ => {
            return error(
                id,
                n,
                "give either `text` (a string) or `turns` ([{role, text}, ...]), not both",
            )
        }
    };
    match triage.triage(&conversation) {
        Ok(v) => verdict_json(id, &v),
        Err(e) => error(id, n, &e.to_string()),
    }
}

fn error(id: Value, line: usize, message: &str) -> Value {
    json!({"id": id, "line": line, "error": message})
}

fn verdict_json(id: Value, v: &Verdict) -> Value {
    json!({
        "id": id,
        "redacted_text": v.redacted_text,
        "phi": v.phi,
        "urgent": v.urgency.urgent,
        "urgency": {"source": v.urgency.source, "matches": v.urgency.matches},
        "intent": {"label": v.intent.label, "confidence": v.intent.confidence, "top3": v.intent.top3, "auto_ok": v.intent.auto_ok},
        "compliance": v.compliance,
        "action": v.action,
        "reasons": v.reasons,
    })
}
