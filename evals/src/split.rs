//! `evals split`: derive train/dev/test from the author files, deterministically.
//!
//! Test is the whole files of the chosen authors: an independent writer's wording is the closest
//! we have to messages the model has never seen. Dev is a per-intent share of the other authors' chosen by
//! content hash (stable as fixtures are added, and every intent with two or more conversations
//! gets one), train the rest. Assignment is by content, so copies of a conversation always land
//! in the same split, and anything whose content appears in test is dropped from train and dev.

use crate::error::CliError;
use crate::files;
use classifier::Intent;
use dataset::{content_hash, Fixture, Located};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The three splits and what was set aside making them.
#[derive(Debug, Default)]
pub struct Plan {
    pub train: Vec<Fixture>,
    pub dev: Vec<Fixture>,
    pub test: Vec<Fixture>,
    /// (dropped id, the test id with the same content).
    pub dropped: Vec<(String, String)>,
    /// Intents present outside test but absent from dev (too few conversations).
    pub not_in_dev: Vec<Intent>,
    /// Same content labelled with different intents: a labelling disagreement to resolve.
    pub conflicts: Vec<String>,
}

/// Splits `fixtures`, each paired with its author.
pub fn plan(fixtures: &[(String, &Fixture)], test_authors: &[String], dev_share: f64) -> Plan {
    let is_test = |author: &String| test_authors.contains(author);
    let mut p = Plan::default();
    let mut test_hashes: HashMap<String, String> = HashMap::new();
    for (author, f) in fixtures {
        if is_test(author) {
            test_hashes
                .entry(content_hash(f))
                .or_insert_with(|| f.id.clone());
            p.test.push((*f).clone());
        }
    }
    let mut rest: Vec<(&Fixture, String)> = Vec::new();
    for (author, f) in fixtures {
        if is_test(author) {
            continue;
        }
        let h = content_hash(f);
        match test_hashes.get(&h) {
            Some(test_id) => p.dropped.push((f.id.clone(), test_id.clone())),
            None => rest.push((f, h)),
        }
    }
    // One stratum per content: the intent of its first occurrence.
    let mut stratum: HashMap<&str, Intent> = HashMap::new();
    for (f, h) in &rest {
        let first = *stratum.entry(h.as_str()).or_insert(f.expect.intent);
        if first != f.expect.intent {
            p.conflicts.push(format!(
                "{} is labelled {} but the same conversation elsewhere is {}",
                f.id, f.expect.intent, first
            ));
        }
    }
    let mut by_intent: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for (h, intent) in &stratum {
        by_intent.entry(intent.index()).or_default().push(h);
    }
    let mut dev_hashes: HashSet<&str> = HashSet::new();
    for (index, mut hashes) in by_intent {
        hashes.sort_unstable();
        let n = hashes.len();
        let k = if dev_share <= 0.0 || n < 2 {
            0
        } else {
            ((dev_share * n as f64).round() as usize).clamp(1, n - 1)
        };
        if k == 0 {
            if let Some(intent) = Intent::ALL.get(index) {
                p.not_in_dev.push(*intent);
            }
        }
        dev_hashes.extend(hashes.into_iter().take(k));
    }
    for (f, h) in &rest {
        if dev_hashes.contains(h.as_str()) {
            p.dev.push((*f).clone());
        } else {
            p.train.push((*f).clone());
        }
    }
    p
}

/// The authors under `dir`: `<author>.jsonl` files and `<author>/` directories of them.
fn author_files(dir: &Path) -> Result<Vec<(String, PathBuf)>, CliError> {
    let entries = std::fs::read_dir(dir).map_err(|source| CliError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|source| CliError::Read {
                path: dir.to_path_buf(),
                source,
            })?
            .path();
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        if path.is_dir() {
            for file in files::collect_jsonl(std::slice::from_ref(&path))? {
                out.push((stem.clone(), file));
            }
        } else if path.extension().is_some_and(|e| e == "jsonl") {
            out.push((stem, path));
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

fn jsonl(fixtures: &[Fixture]) -> Result<String, CliError> {
    let mut s = String::new();
    for f in fixtures {
        s.push_str(&serde_json::to_string(f).map_err(|e| CliError::Invalid(e.to_string()))?);
        s.push('\n');
    }
    Ok(s)
}

pub fn run(
    authors: &Path,
    test_authors: &[String],
    dev_share: f64,
    out: &Path,
) -> Result<(), CliError> {
    if !(0.0..1.0).contains(&dev_share) {
        return Err(CliError::Invalid(format!(
            "--dev-share {dev_share} is out of range: give a share in [0, 1), e.g. 0.15"
        )));
    }
    let files = author_files(authors)?;
    let names: Vec<&str> = {
        let mut n: Vec<&str> = files.iter().map(|(a, _)| a.as_str()).collect();
        n.dedup();
        n
    };
    if let Some(test_author) = test_authors.iter().find(|a| !names.contains(&a.as_str())) {
        return Err(CliError::Invalid(format!(
            "no author {test_author:?} in {}: found {}; give --test-author one of them",
            authors.display(),
            if names.is_empty() {
                "none".to_owned()
            } else {
                names.join(", ")
            }
        )));
    }
    let paths: Vec<PathBuf> = files.iter().map(|(_, p)| p.clone()).collect();
    let set = files::load_set(&paths)?;
    if !set.errors.is_empty() {
        return Err(CliError::Fixtures(set.errors));
    }
    let author_of: HashMap<String, &str> = files
        .iter()
        .map(|(a, p)| (p.display().to_string(), a.as_str()))
        .collect();
    let tagged: Vec<(String, &Fixture)> = set
        .fixtures
        .iter()
        .map(|l: &Located| {
            let author = author_of.get(&l.file).copied().unwrap_or_default();
            (author.to_owned(), &l.fixture)
        })
        .collect();
    let p = plan(&tagged, test_authors, dev_share);
    files::create_dir(out)?;
    for (name, fixtures) in [("train", &p.train), ("dev", &p.dev), ("test", &p.test)] {
        let path = out.join(format!("{name}.jsonl"));
        files::write(&path, &jsonl(fixtures)?)?;
        println!("{}: {} conversations", path.display(), fixtures.len());
    }
    for (id, test_id) in &p.dropped {
        println!("dropped {id} from train/dev: same content as test fixture {test_id}");
    }
    for c in &p.conflicts {
        println!("warning: {c}");
    }
    if !p.not_in_dev.is_empty() {
        let names: Vec<&str> = p.not_in_dev.iter().map(|i| i.as_str()).collect();
        println!(
            "warning: too few conversations outside test to put these intents in dev: {}",
            names.join(", ")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use dataset::parse_line;

    fn fx(id: &str, intent: &str, text: &str) -> Fixture {
        let line = format!(
            r#"{{"id":"{id}","turns":[{{"role":"patient","text":"{text}"}}],"expect":{{"intent":"{intent}","urgent":false,"auto_ok":false,"phi":[]}}}}"#
        );
        parse_line(&line)
            .map(|(f, _)| f)
            .unwrap_or_else(|p| panic!("{p:?}"))
    }

    #[test]
    fn test_is_one_author_dev_covers_intents_and_leaks_are_dropped() {
        let mut all = vec![("d".to_owned(), fx("d-1", "pricing", "how much is botox"))];
        for i in 0..10 {
            all.push((
                "a".into(),
                fx(&format!("a-{i}"), "pricing", &format!("price {i}?")),
            ));
            all.push((
                "b".into(),
                fx(&format!("b-{i}"), "billing", &format!("refund {i}")),
            ));
        }
        all.push(("b".into(), fx("b-copy", "pricing", "How much is  Botox")));
        all.push(("a".into(), fx("a-solo", "products", "sell serum?")));
        let refs: Vec<(String, &Fixture)> = all.iter().map(|(a, f)| (a.clone(), f)).collect();
        let p = plan(&refs, &["d".to_owned()], 0.15);
        assert_eq!(p.test.len(), 1);
        assert_eq!(p.dropped, vec![("b-copy".to_owned(), "d-1".to_owned())]);
        assert_eq!(p.train.len() + p.dev.len(), 21);
        for intent in [Intent::Pricing, Intent::Billing] {
            assert!(p.dev.iter().any(|f| f.expect.intent == intent));
        }
        assert_eq!(p.not_in_dev, vec![Intent::Products]);
        let again = plan(&refs, &["d".to_owned()], 0.15);
        let ids = |v: &[Fixture]| v.iter().map(|f| f.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&p.dev), ids(&again.dev));
    }
}
