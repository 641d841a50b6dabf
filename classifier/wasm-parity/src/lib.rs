//! Native/wasm32 parity of the triage core.
//!
//! The classifier promises the same verdict natively (evals, training) and in the wasm32 Worker.
//! This crate checks it on the fixtures' test split: `golden.tsv` holds the native verdicts, one
//! compact line per conversation, and `tests/parity.rs` triages every conversation again and
//! compares, natively (`cargo test -p classifier-wasm-parity`) and as wasm32 under Node
//! (`make wasm-test`). A native failure means the golden is stale or the triage changed; a wasm
//! failure with a passing native run is a parity bug.
//!
//! Compared exactly: redacted text, PHI findings (kind, byte offsets), urgent flag and source,
//! intent label, top-3 labels, action, reason codes. Within [`TOLERANCE`]: the intent confidence,
//! the top-3 probabilities and the model's emergency probability (the golden rounds them to 1e-5).
//!
//! The golden's header carries a SHA-256 of every artifact bundled into the triage (model, policy,
//! name lists) and of the test split, so a retrained model or an edited split is reported as a
//! stale golden with the command that regenerates it ([`REGENERATE`]), before any verdict is
//! compared.

use classifier::{Triage, UrgencySource, Verdict};
use dataset::FixtureSet;
use sha2::{Digest, Sha256};

/// The command that regenerates the golden file (from the workspace root).
pub const REGENERATE: &str = "cargo run -q -p classifier-wasm-parity --bin parity-golden";

/// The golden file, relative to the workspace root.
pub const GOLDEN_FILE: &str = "classifier/wasm-parity/golden.tsv";

/// How far a probability may drift between the golden and a run.
pub const TOLERANCE: f32 = 1e-4;

/// The fixtures' test split, as the golden was computed from it.
pub const TEST_SPLIT: &str = include_str!("../../../fixtures/test.jsonl");

/// Everything the verdicts depend on besides the code: the test split and every artifact the
/// classifier bundles (`include_bytes!`/`include_str!` in its sources). Included here too so a
/// change to any of them rebuilds this crate and changes [`fingerprint`].
const INPUTS: &[(&str, &[u8])] = &[
    ("fixtures/test.jsonl", TEST_SPLIT.as_bytes()),
    (
        "models/intent/model.safetensors",
        include_bytes!("../../../models/intent/model.safetensors"),
    ),
    (
        "models/intent/tokenizer.json",
        include_bytes!("../../../models/intent/tokenizer.json"),
    ),
    (
        "models/intent/config.json",
        include_bytes!("../../../models/intent/config.json"),
    ),
    (
        "classifier/config/policy.json",
        include_bytes!("../../config/policy.json"),
    ),
    (
        "classifier/data/first_names.txt",
        include_bytes!("../../data/first_names.txt"),
    ),
    (
        "classifier/data/nicknames.txt",
        include_bytes!("../../data/nicknames.txt"),
    ),
    (
        "classifier/data/surnames.txt",
        include_bytes!("../../data/surnames.txt"),
    ),
    (
        "classifier/data/ambiguous_names.txt",
        include_bytes!("../../data/ambiguous_names.txt"),
    ),
    (
        "classifier/data/never_names.txt",
        include_bytes!("../../data/never_names.txt"),
    ),
];

const HEADER: &str = "# classifier-wasm-parity golden: native verdicts on fixtures/test.jsonl";
const INPUTS_KEY: &str = "# inputs-sha256 ";
const COLUMNS: &str =
    "# id\taction\turgent\tintent\tconfidence\temergency_p\ttop3\treasons\tphi\tredacted_text";
const NONE: &str = "-";

/// SHA-256 over the name, length and bytes of every input, in a fixed order.
pub fn fingerprint() -> String {
    let mut hasher = Sha256::new();
    for (name, bytes) in INPUTS {
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    hex::encode(hasher.finalize())
}

/// The compared fields of one verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: String,
    pub action: String,
    /// "0", or "1:<source>" (phrase, rule, model).
    pub urgent: String,
    pub intent: String,
    pub confidence: f32,
    /// The model's probability of `emergency`.
    pub emergency: f32,
    pub top3: Vec<(String, f32)>,
    /// Reason codes in order, comma-separated ("-" when none).
    pub reasons: String,
    /// `KIND@start-end` per finding, comma-separated ("-" when none).
    pub phi: String,
    pub redacted: String,
}

fn source_name(source: UrgencySource) -> &'static str {
    match source {
        UrgencySource::Phrase => "phrase",
        UrgencySource::Rule => "rule",
        UrgencySource::Model => "model",
    }
}

fn joined(items: impl Iterator<Item = String>) -> String {
    let s = items.collect::<Vec<_>>().join(",");
    if s.is_empty() {
        NONE.to_owned()
    } else {
        s
    }
}

impl Row {
    pub fn new(id: &str, verdict: &Verdict) -> Row {
        let urgent = if verdict.urgency.urgent {
            match verdict.urgency.source {
                Some(source) => format!("1:{}", source_name(source)),
                None => "1".to_owned(),
            }
        } else {
            "0".to_owned()
        };
        Row {
            id: id.to_owned(),
            action: verdict.action.as_str().to_owned(),
            urgent,
            intent: verdict.intent.label.as_str().to_owned(),
            confidence: verdict.intent.confidence,
            emergency: verdict.urgency.model_probability,
            top3: verdict
                .intent
                .top3
                .iter()
                .map(|s| (s.intent.as_str().to_owned(), s.probability))
                .collect(),
            reasons: joined(verdict.reasons.iter().map(|r| r.code.to_owned())),
            phi: joined(
                verdict
                    .phi
                    .iter()
                    .map(|f| format!("{}@{}-{}", f.kind.as_str(), f.start, f.end)),
            ),
            redacted: verdict.redacted_text.clone(),
        }
    }

    /// One tab-separated line; the redacted text is a JSON string, so it holds no tab or newline.
    pub fn to_line(&self) -> String {
        let top3 = joined(self.top3.iter().map(|(l, p)| format!("{l}:{p:.5}")));
        let redacted = serde_json::to_string(&self.redacted).unwrap_or_default();
        format!(
            "{}\t{}\t{}\t{}\t{:.5}\t{:.5}\t{}\t{}\t{}\t{}",
            self.id,
            self.action,
            self.urgent,
            self.intent,
            self.confidence,
            self.emergency,
            top3,
            self.reasons,
            self.phi,
            redacted
        )
    }

    pub fn parse(line: &str) -> Result<Row, String> {
        let fields: Vec<&str> = line.split('\t').collect();
        let [id, action, urgent, intent, confidence, emergency, top3, reasons, phi, redacted] =
            fields[..]
        else {
            return Err(format!(
                "expected 10 tab-separated fields, found {}",
                fields.len()
            ));
        };
        let number = |what: &str, s: &str| {
            s.parse::<f32>()
                .map_err(|e| format!("{id}: {what} {s:?} is not a number: {e}"))
        };
        let mut top = Vec::new();
        if top3 != NONE {
            for item in top3.split(',') {
                let (label, p) = item
                    .rsplit_once(':')
                    .ok_or_else(|| format!("{id}: top3 item {item:?} is not label:probability"))?;
                top.push((label.to_owned(), number("top3 probability", p)?));
            }
        }
        Ok(Row {
            id: id.to_owned(),
            action: action.to_owned(),
            urgent: urgent.to_owned(),
            intent: intent.to_owned(),
            confidence: number("confidence", confidence)?,
            emergency: number("emergency_p", emergency)?,
            top3: top,
            reasons: reasons.to_owned(),
            phi: phi.to_owned(),
            redacted: serde_json::from_str(redacted)
                .map_err(|e| format!("{id}: redacted text is not a JSON string: {e}"))?,
        })
    }

    /// What differs from `golden`, one message per field; empty when they agree.
    pub fn differences(&self, golden: &Row) -> Vec<String> {
        let mut out = Vec::new();
        let mut exact = |field: &str, got: &str, want: &str| {
            if got != want {
                out.push(format!("{field}: {got:?}, golden {want:?}"));
            }
        };
        exact("action", &self.action, &golden.action);
        exact("urgent", &self.urgent, &golden.urgent);
        exact("intent", &self.intent, &golden.intent);
        exact("reasons", &self.reasons, &golden.reasons);
        exact("phi", &self.phi, &golden.phi);
        exact("redacted_text", &self.redacted, &golden.redacted);
        let labels = |r: &Row| r.top3.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>();
        let (got, want) = (labels(self), labels(golden));
        if got != want {
            out.push(format!("top3 labels: {got:?}, golden {want:?}"));
        }
        let mut close = |field: &str, got: f32, want: f32| {
            // Written so a NaN on either side counts as a difference.
            let within = (got - want).abs() <= TOLERANCE;
            if !within {
                out.push(format!(
                    "{field}: {got:.6}, golden {want:.5} (tolerance {TOLERANCE})"
                ));
            }
        };
        close("confidence", self.confidence, golden.confidence);
        close("emergency_p", self.emergency, golden.emergency);
        for (i, ((_, got), (_, want))) in self.top3.iter().zip(&golden.top3).enumerate() {
            close(&format!("top3[{i}] probability"), *got, *want);
        }
        out
    }
}

/// Triages every conversation of the test split with the bundled model, in file order.
pub fn triage_test_split() -> Result<Vec<Row>, String> {
    let mut set = FixtureSet::new();
    set.add_source("fixtures/test.jsonl", TEST_SPLIT);
    if let Some(e) = set.errors.first() {
        return Err(format!(
            "the test split does not validate ({} errors), first: {e}",
            set.errors.len()
        ));
    }
    let triage =
        Triage::bundled().map_err(|e| format!("the bundled triage does not build: {e}"))?;
    set.fixtures
        .iter()
        .map(|loc| {
            let f = &loc.fixture;
            triage
                .triage(&f.conversation())
                .map(|v| Row::new(&f.id, &v))
                .map_err(|e| format!("{}: {}: {e}", loc.location(), f.id))
        })
        .collect()
}

/// The golden file's text for `rows`.
pub fn golden_text(rows: &[Row]) -> String {
    let mut out = format!(
        "{HEADER}\n# regenerate: {REGENERATE}\n{INPUTS_KEY}{}\n{COLUMNS}\n",
        fingerprint()
    );
    for row in rows {
        out.push_str(&row.to_line());
        out.push('\n');
    }
    out
}

/// A parsed golden file.
#[derive(Debug)]
pub struct Golden {
    pub fingerprint: String,
    pub rows: Vec<Row>,
}

impl Golden {
    pub fn parse(text: &str) -> Result<Golden, String> {
        let mut fingerprint = None;
        let mut rows = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if let Some(hash) = line.strip_prefix(INPUTS_KEY) {
                fingerprint = Some(hash.trim().to_owned());
            } else if !line.starts_with('#') && !line.trim().is_empty() {
                rows.push(Row::parse(line).map_err(|e| format!("{GOLDEN_FILE}:{}: {e}", i + 1))?);
            }
        }
        let fingerprint = fingerprint
            .ok_or_else(|| format!("{GOLDEN_FILE} has no `{}` line", INPUTS_KEY.trim()))?;
        Ok(Golden { fingerprint, rows })
    }

    /// `Err` with the message to fail with when the bundled inputs changed since generation.
    pub fn check_fresh(&self) -> Result<(), String> {
        let now = fingerprint();
        if self.fingerprint == now {
            Ok(())
        } else {
            Err(format!(
                "golden is stale: run `{REGENERATE}` (from the workspace root) and commit \
                 {GOLDEN_FILE}. The model artifacts, policy, name lists or the test split \
                 changed since it was generated (inputs sha256 {}, golden has {}).",
                &now[..16],
                &self.fingerprint[..self.fingerprint.len().min(16)]
            ))
        }
    }
}

/// The outcome of comparing a run with the golden.
#[derive(Debug, Default)]
pub struct Report {
    pub compared: usize,
    /// Ids with what differs, in test-split order.
    pub differing: Vec<(String, Vec<String>)>,
}

impl Report {
    pub fn compare(golden: &Golden, rows: &[Row]) -> Report {
        let by_id: std::collections::HashMap<&str, &Row> =
            golden.rows.iter().map(|r| (r.id.as_str(), r)).collect();
        let mut report = Report::default();
        for row in rows {
            match by_id.get(row.id.as_str()) {
                Some(want) => {
                    report.compared += 1;
                    let diffs = row.differences(want);
                    if !diffs.is_empty() {
                        report.differing.push((row.id.clone(), diffs));
                    }
                }
                None => report
                    .differing
                    .push((row.id.clone(), vec!["not in the golden".to_owned()])),
            }
        }
        let ran: std::collections::HashSet<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        for want in &golden.rows {
            if !ran.contains(want.id.as_str()) {
                report.differing.push((
                    want.id.clone(),
                    vec!["in the golden, not in the test split".into()],
                ));
            }
        }
        report
    }

    pub fn summary(&self, target: &str) -> String {
        format!(
            "wasm-parity ({target}): {} verdicts compared with {GOLDEN_FILE}, {} differ",
            self.compared,
            self.differing.len()
        )
    }

    /// The failure message: the summary, then up to `limit` differing ids with their fields.
    pub fn failure(&self, target: &str, limit: usize) -> String {
        let mut out = self.summary(target);
        out.push_str("\nfirst differing ids:");
        for (id, diffs) in self.differing.iter().take(limit) {
            out.push_str(&format!("\n  {id}: {}", diffs.join("; ")));
        }
        if self.differing.len() > limit {
            out.push_str(&format!(
                "\n  ... and {} more",
                self.differing.len() - limit
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> Row {
        Row {
            id: "d-0001".into(),
            action: "urgent".into(),
            urgent: "1:phrase".into(),
            intent: "emergency".into(),
            confidence: 0.912_345_6,
            emergency: 0.912_345_6,
            top3: vec![
                ("emergency".into(), 0.912_345_6),
                ("aftercare".into(), 0.05),
            ],
            reasons: "emergency_phrase".into(),
            phi: "NAME@3-8,PHONE@10-22".into(),
            redacted: "hi [NAME_1]\tcall\n\"me\"".into(),
        }
    }

    #[test]
    fn a_line_round_trips_within_tolerance() {
        let r = row();
        let line = r.to_line();
        assert_eq!(line.matches('\t').count(), 9, "{line}");
        let back = Row::parse(&line).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.redacted, r.redacted);
        assert!(
            r.differences(&back).is_empty(),
            "{:?}",
            r.differences(&back)
        );
    }

    #[test]
    fn differences_name_each_field() {
        let r = row();
        let mut other = r.clone();
        other.phi = "NAME@3-9".into();
        other.confidence += 2.0 * TOLERANCE;
        other.top3[1].0 = "pricing".into();
        let d = r.differences(&other);
        assert_eq!(d.len(), 3, "{d:?}");
        assert!(d[0].starts_with("phi:"), "{d:?}");
    }

    #[test]
    fn a_golden_with_another_fingerprint_is_stale() {
        let text = golden_text(&[row()]).replace(&fingerprint(), "0123456789abcdef0123");
        let golden = Golden::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        let err = golden.check_fresh().err().unwrap_or_default();
        assert!(err.starts_with("golden is stale: run `cargo run"), "{err}");
        let fresh = Golden::parse(&golden_text(&[row()])).unwrap_or_else(|e| panic!("{e}"));
        assert!(fresh.check_fresh().is_ok());
        let report = Report::compare(&fresh, &[row()]);
        assert_eq!((report.compared, report.differing.len()), (1, 0));
    }
}
