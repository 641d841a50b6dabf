//! `evals validate`: check fixture files and show what they cover.
//!
//! The split files (train.jsonl, dev.jsonl, test.jsonl) are derived from the author files and
//! repeat their ids, so the two are validated as separate id sets; across them validate checks
//! what matters for an honest eval: no test conversation's content sits in train or dev, and the
//! split is not stale against the sources.

use crate::error::CliError;
use crate::files;
use classifier::{Intent, Redactor};
use dataset::{content_hash, FixtureError, FixtureSet, FixtureWarning, Problem};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub const SPLIT_FILES: &[&str] = &["train.jsonl", "dev.jsonl", "test.jsonl"];

pub fn is_split_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| SPLIT_FILES.contains(&n))
}

pub fn run(paths: &[PathBuf]) -> Result<(), CliError> {
    let files = files::collect_jsonl(paths)?;
    if files.is_empty() {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(CliError::NoFixtures(names.join(", ")));
    }
    let (split, sources): (Vec<PathBuf>, Vec<PathBuf>) =
        files.into_iter().partition(|p| is_split_file(p));
    let redactor = Redactor::new();
    let mut errors: Vec<FixtureError> = Vec::new();
    let mut warnings: Vec<FixtureWarning> = Vec::new();
    let mut source_set = None;
    for (name, group) in [("source", &sources), ("split", &split)] {
        if group.is_empty() {
            continue;
        }
        let mut set = files::load_set(group)?;
        set.lint_unlisted_phi(&redactor);
        println!(
            "{name} files ({}): {} valid conversations",
            group.len(),
            set.fixtures.len()
        );
        print!("{}", counts(&set));
        if name == "split" {
            errors.extend(test_leaks(&set));
            if let Some(src) = &source_set {
                warnings.extend(stale(src, &set));
            }
        }
        errors.append(&mut set.errors);
        warnings.append(&mut set.warnings);
        if name == "source" {
            source_set = Some(set);
        }
    }
    for w in &warnings {
        println!("{w}");
    }
    for e in &errors {
        eprintln!("{e}");
    }
    let departures = warnings.iter().filter(|w| w.departure).count();
    println!(
        "{} error(s), {} warning(s) ({departures} departure(s) from LABELLING.md)",
        errors.len(),
        warnings.len()
    );
    if errors.is_empty() {
        Ok(())
    } else {
        Err(CliError::ValidationFailed(errors.len()))
    }
}

/// Counts per intent (contract order), tag and lang.
pub fn counts(set: &FixtureSet) -> String {
    let mut intents: BTreeMap<usize, usize> = BTreeMap::new();
    let mut tags: BTreeMap<&str, usize> = BTreeMap::new();
    let mut langs: BTreeMap<&str, usize> = BTreeMap::new();
    for l in &set.fixtures {
        *intents.entry(l.fixture.expect.intent.index()).or_default() += 1;
        for t in &l.fixture.tags {
            *tags.entry(t.as_str()).or_default() += 1;
        }
        *langs.entry(l.fixture.lang.as_str()).or_default() += 1;
    }
    let mut s = String::from("  intents:");
    for intent in Intent::ALL {
        s.push_str(&format!(
            " {} {}",
            intent,
            intents.get(&intent.index()).copied().unwrap_or(0)
        ));
    }
    s.push_str("\n  tags:");
    for (t, n) in &tags {
        s.push_str(&format!(" {t} {n}"));
    }
    s.push_str("\n  langs:");
    for (l, n) in &langs {
        s.push_str(&format!(" {l} {n}"));
    }
    s.push('\n');
    let missing: Vec<&str> = Intent::ALL
        .iter()
        .filter(|i| !intents.contains_key(&i.index()))
        .map(|i| i.as_str())
        .collect();
    if !missing.is_empty() {
        s.push_str(&format!(
            "  intents with no fixture: {}\n",
            missing.join(", ")
        ));
    }
    s
}

/// Train/dev conversations whose content equals a test conversation's.
fn test_leaks(set: &FixtureSet) -> Vec<FixtureError> {
    let test: HashMap<String, (&str, String)> = set
        .fixtures
        .iter()
        .filter(|l| l.file.ends_with("test.jsonl"))
        .map(|l| {
            (
                content_hash(&l.fixture),
                (l.fixture.id.as_str(), l.location()),
            )
        })
        .collect();
    set.fixtures
        .iter()
        .filter(|l| !l.file.ends_with("test.jsonl"))
        .filter_map(|l| {
            test.get(&content_hash(&l.fixture))
                .map(|(test_id, at)| FixtureError {
                    file: l.file.clone(),
                    line: l.line,
                    problem: Problem::LeakedFromTest {
                        test_id: (*test_id).to_owned(),
                        at: at.clone(),
                    },
                })
        })
        .collect()
}

/// Split fixtures that no longer match their source.
fn stale(sources: &FixtureSet, split: &FixtureSet) -> Vec<FixtureWarning> {
    let by_id: HashMap<&str, &dataset::Fixture> = sources
        .fixtures
        .iter()
        .map(|l| (l.fixture.id.as_str(), &l.fixture))
        .collect();
    split
        .fixtures
        .iter()
        .filter_map(|l| {
            let message = match by_id.get(l.fixture.id.as_str()) {
                None => "not in the source files any more: the split is stale, rerun `evals split`",
                Some(f) if **f != l.fixture => {
                    "differs from its source: the split is stale, rerun `evals split`"
                }
                Some(_) => return None,
            };
            Some(FixtureWarning {
                file: l.file.clone(),
                line: l.line,
                id: l.fixture.id.clone(),
                message: message.to_owned(),
                departure: false,
            })
        })
        .collect()
}
