//! Runs the built `evals` binary on small fixture files: exit codes, file:line errors, and the
//! contract's metrics.json fields.

use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const CONFIRM: &str = r#"{"id":"c-1","tags":["phi","context"],"turns":[{"role":"clinic","text":"Reminder: Botox tomorrow 2pm. Reply C to confirm."},{"role":"patient","text":"C - thanks, Maria Lopez"}],"expect":{"intent":"appointment_confirm","urgent":false,"auto_ok":true,"phi":[{"kind":"NAME","text":"Maria Lopez"}]}}"#;
const URGENT: &str = r#"{"id":"u-1","tags":["urgent"],"turns":[{"role":"patient","text":"my lip is turning white and it hurts so much after filler"}],"expect":{"intent":"emergency","urgent":true,"auto_ok":false,"phi":[]}}"#;
const STOP: &str = r#"{"id":"s-1","lang":"es","tags":["keyword"],"turns":[{"role":"patient","text":"STOP"}],"expect":{"intent":"opt_out","urgent":false,"auto_ok":true,"phi":[]}}"#;
const JOKE: &str = r#"{"id":"h-1","tags":["hard_negative"],"turns":[{"role":"patient","text":"this price is killing me, how much is lip filler?"}],"expect":{"intent":"pricing","urgent":false,"auto_ok":true,"phi":[]}}"#;

fn evals(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_evals"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run evals: {e}"))
}

fn write(dir: &Path, name: &str, lines: &[&str]) -> String {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(&path, lines.join("\n") + "\n").unwrap_or_else(|e| panic!("{e}"));
    path.display().to_string()
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn run_writes_every_output_and_every_contract_field() {
    let dir = tmp();
    let fixtures = write(dir.path(), "f.jsonl", &[CONFIRM, URGENT, STOP, JOKE]);
    let out = dir.path().join("out");
    let o = evals(&[
        "run",
        "--fixtures",
        &fixtures,
        "--out",
        &out.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    for file in [
        "metrics.json",
        "report.md",
        "confusion.svg",
        "confusion.json",
        "errors.jsonl",
        "summary.txt",
    ] {
        assert!(out.join(file).is_file(), "missing {file}");
    }
    let m: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("metrics.json")).unwrap_or_default(),
    )
    .unwrap_or(Value::Null);
    for path in [
        "conversations",
        "intent.accuracy",
        "intent.macro_f1",
        "urgent.recall",
        "urgent.precision",
        "urgent.missed",
        "phi.leaked",
        "phi.recall",
        "phi.over_redaction",
        "action.automation_rate",
        "action.unsafe_auto_replies",
        "latency_us.p50",
        "latency_us.p99",
    ] {
        let found = path.split('.').try_fold(&m, |v, k| v.get(k));
        assert!(found.is_some(), "metrics.json lacks {path}: {m}");
    }
    assert_eq!(m["conversations"], 4);
    assert!(m["intent"]["per_intent"]["pricing"]["f1"].is_number());
    assert!(m["slices"]["tag"]["hard_negative"].is_object());
    assert!(m["slices"]["lang"]["es"].is_object());
    assert!(m["phi"]["per_kind"]["NAME"].is_object());
    let report = std::fs::read_to_string(out.join("report.md")).unwrap_or_default();
    assert!(
        !report.contains("Maria Lopez"),
        "raw PHI in report.md: {report}"
    );
    let errors = std::fs::read_to_string(out.join("errors.jsonl")).unwrap_or_default();
    assert!(
        !errors.contains("Maria Lopez"),
        "raw PHI in errors.jsonl: {errors}"
    );
}

#[test]
fn gates_fail_pass_and_reject_unknown_metrics() {
    let dir = tmp();
    let fixtures = write(dir.path(), "f.jsonl", &[CONFIRM, URGENT]);
    let out = dir.path().join("out").display().to_string();
    let pass = write(
        dir.path(),
        "pass.json",
        &[r#"{"conversations": {"min": 2}, "action.unsafe_auto_replies": {"max_count": 5}}"#],
    );
    let o = evals(&[
        "run",
        "--fixtures",
        &fixtures,
        "--out",
        &out,
        "--gates",
        &pass,
    ]);
    assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
    assert!(text(&o.stdout).contains("PASS"));

    let fail = write(
        dir.path(),
        "fail.json",
        &[r#"{"conversations": {"min": 3}}"#],
    );
    let o = evals(&[
        "run",
        "--fixtures",
        &fixtures,
        "--out",
        &out,
        "--gates",
        &fail,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stdout).contains("FAIL  conversations"),
        "{}",
        text(&o.stdout)
    );

    let unknown = write(
        dir.path(),
        "unknown.json",
        &[r#"{"urgent.recal": {"min": 1}}"#],
    );
    let o = evals(&[
        "run",
        "--fixtures",
        &fixtures,
        "--out",
        &out,
        "--gates",
        &unknown,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("urgent.recal"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn malformed_fixtures_stop_before_scoring_with_file_and_line() {
    let dir = tmp();
    let bad = CONFIRM.replace("appointment_confirm", "confirmation");
    let fixtures = write(dir.path(), "bad.jsonl", &[URGENT, "", &bad]);
    let out = dir.path().join("out");
    let o = evals(&[
        "run",
        "--fixtures",
        &fixtures,
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains(&format!("{fixtures}:3: unknown intent \"confirmation\"")),
        "{err}"
    );
    assert!(!out.join("metrics.json").exists());

    let o = evals(&["validate", &fixtures]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains(":3: unknown intent"));
}

/// A file written by another clinic's writers, to the contract but not to our guide: thanks,
/// a wrong number, a membership FAQ and a picked slot marked `auto_ok`, a side effect marked
/// urgent, tags of their own. It is scored, and the summary counts the departures.
#[test]
fn a_file_with_other_labelling_conventions_is_scored_with_warnings() {
    let dir = tmp();
    let lines = [
        r#"{"id":"x1","lang":"en","tags":["gratitude"],"turns":[{"role":"patient","text":"thank you so much, the team was lovely today"}],"expect":{"intent":"greeting","urgent":false,"auto_ok":true,"phi":[]}}"#,
        r#"{"id":"x2","turns":[{"role":"patient","text":"wrong number, who is this?"}],"expect":{"intent":"other","urgent":false,"auto_ok":true,"phi":[]}}"#,
        r#"{"id":"x3","turns":[{"role":"patient","text":"does the membership include a monthly facial?"}],"expect":{"intent":"membership","urgent":false,"auto_ok":true,"phi":[]}}"#,
        r#"{"id":"x4","turns":[{"role":"clinic","text":"We have Tue 3pm or Wed 10am. Which works?"},{"role":"patient","text":"wed 10 please"}],"expect":{"intent":"appointment_book","urgent":false,"auto_ok":true,"phi":[]}}"#,
        r#"{"id":"x5","turns":[{"role":"patient","text":"big bruise on my lip after filler yesterday, is that ok?"}],"expect":{"intent":"side_effect","urgent":true,"auto_ok":false,"phi":[]}}"#,
        URGENT,
    ];
    let fixtures = write(dir.path(), "other-clinic.jsonl", &lines);
    let out = dir.path().join("out");
    let o = evals(&[
        "run",
        "--fixtures",
        &fixtures,
        "--out",
        &out.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let metrics: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("metrics.json")).unwrap_or_default(),
    )
    .unwrap_or(Value::Null);
    assert_eq!(metrics["conversations"], 6);
    let summary = std::fs::read_to_string(out.join("summary.txt")).unwrap_or_default();
    // greeting auto_ok is ours too; other auto_ok, appointment_book auto_ok, side_effect urgent
    // and the unknown tag are departures.
    assert!(
        summary.contains("4 departure(s) from fixtures/LABELLING.md"),
        "{summary}"
    );
    let listed = std::fs::read_to_string(out.join("departures.txt")).unwrap_or_default();
    assert_eq!(listed.lines().count(), 4, "{listed}");
    assert!(listed.contains(":5: warning (x5)"), "{listed}");

    let o = evals(&["validate", &fixtures]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("0 error(s)"),
        "{}",
        text(&o.stdout)
    );
}

#[test]
fn validate_treats_sources_and_split_as_separate_id_sets() {
    let dir = tmp();
    write(dir.path(), "authors/a.jsonl", &[CONFIRM, STOP]);
    write(dir.path(), "authors/d.jsonl", &[URGENT, JOKE]);
    let root = dir.path().display().to_string();
    let authors = dir.path().join("authors").display().to_string();
    let o = evals(&[
        "split",
        "--authors",
        &authors,
        "--test-author",
        "d",
        "--dev-share",
        "0.15",
        "--out",
        &root,
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let test = std::fs::read_to_string(dir.path().join("test.jsonl")).unwrap_or_default();
    assert_eq!(test.lines().count(), 2);
    let o = evals(&["validate", &root]);
    assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
    assert!(text(&o.stdout).contains("appointment_confirm 1"));

    // The same id twice among the sources is an error.
    write(dir.path(), "authors/b.jsonl", &[STOP]);
    let o = evals(&["validate", &root]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("duplicate id \"s-1\""),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn triage_streams_verdicts_and_reports_bad_lines() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_evals"))
        .arg("triage")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    if let Some(mut stdin) = child.stdin.take() {
        let input = "{\"id\":\"a\",\"text\":\"STOP\"}\nnot json\n{\"id\":\"b\",\"turns\":[{\"role\":\"clinic\",\"text\":\"hi\"}]}\n{\"id\":\"c\",\"turns\":[{\"role\":\"patient\",\"text\":\"hi\"}]}\n";
        stdin
            .write_all(input.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let o = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<Value> = text(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or(Value::Null))
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["id"], "a");
    assert!(lines[0]["intent"]["top3"].is_array() && lines[0]["action"].is_string());
    assert_eq!(lines[1]["line"], 2);
    assert!(lines[1]["error"].is_string());
    assert_eq!(lines[2]["id"], "b");
    assert!(lines[2]["error"].is_string());
    assert!(lines[3]["redacted_text"].is_string());
}

#[test]
fn compare_shows_deltas() {
    let dir = tmp();
    let fixtures = write(dir.path(), "f.jsonl", &[CONFIRM, URGENT, STOP]);
    let fewer = write(dir.path(), "g.jsonl", &[CONFIRM]);
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    assert!(evals(&[
        "run",
        "--fixtures",
        &fixtures,
        "--out",
        &a.display().to_string()
    ])
    .status
    .success());
    assert!(evals(&[
        "run",
        "--fixtures",
        &fewer,
        "--out",
        &b.display().to_string()
    ])
    .status
    .success());
    let o = evals(&[
        "compare",
        &a.join("metrics.json").display().to_string(),
        &b.join("metrics.json").display().to_string(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let s = text(&o.stdout);
    assert!(
        s.contains("conversations") && s.contains("3.0000 -> 1.0000"),
        "{s}"
    );
    assert!(s.contains("right -> wrong"), "{s}");
}

#[test]
fn run_scores_a_candidate_model_and_policy_and_refuses_broken_ones() {
    let dir = tmp();
    let fixtures = write(dir.path(), "f.jsonl", &[CONFIRM, URGENT, STOP, JOKE]);
    let metrics = |extra: &[&str], name: &str| -> (Output, Option<Value>) {
        let out = dir.path().join(name);
        let mut args = vec!["run", "--fixtures", &fixtures];
        let out_s = out.display().to_string();
        args.extend(["--out", &out_s]);
        args.extend(extra);
        let o = evals(&args);
        let m = std::fs::read_to_string(out.join("metrics.json"))
            .ok()
            .and_then(|s| serde_json::from_str::<Value>(&s).ok());
        (o, m)
    };
    let models = concat!(env!("CARGO_MANIFEST_DIR"), "/../models/intent");
    let policy = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../classifier/config/policy.json"
    );
    // The committed artifacts given as a candidate score exactly as the bundled ones.
    let (o, bundled) = metrics(&[], "bundled");
    assert!(o.status.success(), "{}", text(&o.stderr));
    let (o, candidate) = metrics(&["--model", models, "--policy", policy], "candidate");
    assert!(o.status.success(), "{}", text(&o.stderr));
    let strip = |m: Option<Value>| {
        m.map(|mut v| {
            v.as_object_mut().map(|o| o.remove("latency_us"));
            v
        })
    };
    assert!(bundled.is_some());
    assert_eq!(strip(bundled), strip(candidate));

    // A policy that would auto-reply to side effects is refused, and nothing is scored.
    let unsafe_policy = std::fs::read_to_string(policy)
        .unwrap_or_else(|e| panic!("{e}"))
        .replace(
            "\"side_effect\": \"escalate\"",
            "\"side_effect\": \"auto_reply\"",
        );
    let unsafe_path = write(dir.path(), "unsafe.json", &[&unsafe_policy]);
    refused(
        metrics(&["--policy", &unsafe_path], "unsafe"),
        "side_effect",
    );

    // A model directory without the model's files names the file it could not read.
    let empty = dir.path().join("empty-model");
    std::fs::create_dir_all(&empty).unwrap_or_else(|e| panic!("{e}"));
    let empty = empty.display().to_string();
    refused(metrics(&["--model", &empty], "empty"), "model.safetensors");
}

/// The run failed, said `needle` on stderr, and wrote no metrics.
fn refused((o, metrics): (Output, Option<Value>), needle: &str) {
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains(needle), "{}", text(&o.stderr));
    assert!(metrics.is_none());
}
