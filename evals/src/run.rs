//! `evals run`: triage every fixture natively, time each call, score, write the outputs and
//! apply the gates.

use crate::error::CliError;
use crate::files;
use crate::gates::{self, Checked};
use crate::metrics::{self, Outcome};
use crate::report;
use crate::svg;
use classifier::{Artifacts, Triage};
use dataset::Located;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Calls made before timing starts, so lazy initialisation and cold caches do not land in p99.
const WARM_UP: usize = 20;

/// Artifacts to score in place of the bundled ones; `None` keeps the bundled one.
#[derive(Debug)]
pub struct Candidate<'a> {
    pub model: Option<&'a Path>,
    pub policy: Option<&'a Path>,
}

impl Candidate<'_> {
    /// The pipeline to score: the bundled one, or one built around the candidate's files, each
    /// validated as the bundled ones are (a broken file is an error, never a silent fallback).
    fn triage(&self) -> Result<Triage, CliError> {
        let bundled = Triage::bundled_artifacts();
        let model_file = |name: &str| -> Result<Option<Vec<u8>>, CliError> {
            self.model
                .map(|dir| files::read_bytes(&dir.join(name)))
                .transpose()
        };
        let weights = model_file("model.safetensors")?;
        let tokenizer = model_file("tokenizer.json")?;
        let config = model_file("config.json")?;
        let policy = self.policy.map(files::read).transpose()?;
        Ok(Triage::from_artifacts(&Artifacts {
            weights: weights.as_deref().unwrap_or(bundled.weights),
            tokenizer_json: tokenizer.as_deref().unwrap_or(bundled.tokenizer_json),
            config_json: config.as_deref().unwrap_or(bundled.config_json),
            policy_json: policy.as_deref().unwrap_or(bundled.policy_json),
        })?)
    }
}

pub fn run(
    fixtures: &[PathBuf],
    out: &Path,
    gates_file: Option<&Path>,
    candidate: &Candidate<'_>,
) -> Result<(), CliError> {
    // Everything that can be wrong with the inputs is checked before any scoring.
    let gates = match gates_file {
        Some(path) => Some(gates::parse(&files::read(path)?)?),
        None => None,
    };
    let set = files::load_valid(fixtures)?;
    let triage = candidate.triage()?;
    let outcomes = score(&triage, &set.fixtures)?;
    let m = metrics::compute(&outcomes);
    let metrics_json = serde_json::to_value(&m).map_err(|e| CliError::Invalid(e.to_string()))?;

    let checked = match &gates {
        Some(g) => Some(gates::check(&metrics_json, g)?),
        None => None,
    };
    let gates_text = checked.as_deref().map(gates_table);

    files::create_dir(out)?;
    // From the struct, not the Value, so fields keep their documented order.
    let pretty = serde_json::to_string_pretty(&m).map_err(|e| CliError::Invalid(e.to_string()))?;
    files::write(&out.join("metrics.json"), &(pretty + "\n"))?;
    files::write(
        &out.join("report.md"),
        &report::report_md(&m, &outcomes, gates_text.as_deref()),
    )?;
    files::write(
        &out.join("confusion.svg"),
        &svg::confusion_svg(&m.intent.confusion),
    )?;
    files::write(
        &out.join("confusion.json"),
        &confusion_json(&m.intent.confusion),
    )?;
    files::write(&out.join("errors.jsonl"), &report::errors_jsonl(&outcomes))?;
    let departures: Vec<String> = set
        .warnings
        .iter()
        .filter(|w| w.departure)
        .map(|w| w.to_string())
        .collect();
    files::write(&out.join("departures.txt"), &lines(&departures))?;
    let mut summary = report::summary_txt(&m);
    summary.push_str(&departures_line(departures.len()));
    if let Some(g) = &gates_text {
        summary.push_str(g);
    }
    files::write(&out.join("summary.txt"), &summary)?;
    if !departures.is_empty() {
        eprint!("{}", departures_line(departures.len()));
    }
    eprintln!(
        "evals run: scored {} conversations; wrote {}",
        m.conversations,
        out.display()
    );

    if let (Some(checked), Some(text)) = (checked, gates_text) {
        print!("{text}");
        let failed = checked.iter().filter(|c| !c.passed).count();
        if failed > 0 {
            return Err(CliError::GatesFailed(failed));
        }
    }
    Ok(())
}

/// The example clinic (`clinics/example.json`) with the default templates, as `make dev` loads
/// them: which automatic replies a rendered template would really send.
struct ExampleClinic(desk::autoreply::Clinic);

impl ExampleClinic {
    fn load() -> Result<Self, CliError> {
        let bad = |what: String| CliError::ExampleClinic(what);
        let facts = desk::clinic::validate::parse(desk::clinic::validate::EXAMPLE_JSON)
            .map_err(|e| bad(e.to_string()))?;
        let set = desk::templates::TemplateSet::parse(desk::templates::DEFAULT_SET, 1)
            .map_err(|e| bad(e.to_string()))?;
        desk::autoreply::Clinic::new(facts, 1, set)
            .map(ExampleClinic)
            .map_err(|e| bad(e.to_string()))
    }

    /// For an automatic reply, whether a rendered template answers it (`Err` with the reason
    /// a person would answer instead); `None` for any other action. At a fixed weekday noon in
    /// the clinic's time zone, so a run is reproducible.
    fn answer(&self, verdict: &classifier::Verdict) -> Option<Result<(), String>> {
        if verdict.action != classifier::Action::AutoReply {
            return None;
        }
        let now = chrono::DateTime::from_timestamp(1_796_241_600, 0).unwrap_or_default();
        match desk::autoreply::answer(
            Some(&self.0),
            Some(verdict.intent.label.as_str()),
            Some(verdict.language.language.tag()),
            &verdict.redacted_text,
            now,
        ) {
            desk::autoreply::Answer::Reply { .. } => Some(Ok(())),
            desk::autoreply::Answer::Person { reason } => Some(Err(reason)),
        }
    }
}

/// Triages each fixture, timing only the triage call itself.
fn score(triage: &Triage, fixtures: &[Located]) -> Result<Vec<Outcome>, CliError> {
    let conversations: Vec<_> = fixtures.iter().map(|l| l.fixture.conversation()).collect();
    for c in conversations
        .iter()
        .cycle()
        .take(WARM_UP.min(conversations.len() * 4))
    {
        let _ = triage.triage(c);
    }
    let bar = if std::io::stderr().is_terminal() && fixtures.len() > 1 {
        let bar = ProgressBar::new(fixtures.len() as u64);
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} eta {eta}")
        {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let clinic = ExampleClinic::load()?;
    let mut outcomes = Vec::with_capacity(fixtures.len());
    for (loc, conversation) in fixtures.iter().zip(&conversations) {
        let start = Instant::now();
        let result = triage.triage(conversation);
        let micros = start.elapsed().as_nanos() as f64 / 1000.0;
        let verdict = result.map_err(|source| CliError::Triage {
            id: format!("{} ({})", loc.fixture.id, loc.location()),
            source,
        })?;
        let mut outcome = Outcome::new(&loc.fixture, verdict.clone(), micros);
        match clinic.answer(&verdict) {
            Some(Ok(())) => outcome.templated = true,
            Some(Err(reason)) => outcome.unsent_reason = Some(reason),
            None => {}
        }
        outcomes.push(outcome);
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(outcomes)
}

/// The summary's line about labels other than our guide would give: the file is scored as
/// written (the contract allows them), and the reader is told the figures rest on them.
fn departures_line(n: usize) -> String {
    if n == 0 {
        return String::new();
    }
    format!(
        "labels               {n} departure(s) from fixtures/LABELLING.md, scored as written          (listed in departures.txt)\n"
    )
}

fn lines(items: &[String]) -> String {
    items.iter().map(|l| format!("{l}\n")).collect()
}

/// The confusion matrix for tools, one row a line: {"labels": [...], "counts": [[...], ...]}.
fn confusion_json(c: &metrics::ConfusionMatrix) -> String {
    let rows: Vec<String> = c
        .counts
        .iter()
        .map(|r| serde_json::Value::from(r.clone()).to_string())
        .collect();
    format!(
        "{{\"labels\": {},\n \"counts\": [\n  {}\n ]}}\n",
        serde_json::Value::from(c.labels.clone()),
        rows.join(",\n  ")
    )
}

fn gates_table(checked: &[Checked]) -> String {
    let width = checked.iter().map(|c| c.metric.len()).max().unwrap_or(0);
    let mut s = String::from("gates:\n");
    for c in checked {
        s.push_str(&format!(
            "  {}  {:width$}  {} (want {})\n",
            if c.passed { "PASS" } else { "FAIL" },
            c.metric,
            c.value,
            c.rule
        ));
    }
    s
}
