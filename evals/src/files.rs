//! Finding and reading fixture files.

use crate::error::CliError;
use dataset::FixtureSet;
use std::path::{Path, PathBuf};

/// Every fixture file named by `paths`: a file as given, a directory's *.jsonl files at any
/// depth. Sorted, so every run reads the same files in the same order.
pub fn collect_jsonl(paths: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut out)?;
        } else if path.is_file() {
            out.push(path.clone());
        } else {
            return Err(CliError::Missing(path.clone()));
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), CliError> {
    let entries = std::fs::read_dir(dir).map_err(|source| CliError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| CliError::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "jsonl") {
            out.push(path);
        }
    }
    Ok(())
}

pub fn read(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|source| CliError::Read {
        path: path.to_path_buf(),
        source,
    })
}

pub fn read_bytes(path: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|source| CliError::Read {
        path: path.to_path_buf(),
        source,
    })
}

pub fn write(path: &Path, contents: &str) -> Result<(), CliError> {
    std::fs::write(path, contents).map_err(|source| CliError::Write {
        path: path.to_path_buf(),
        source,
    })
}

pub fn create_dir(path: &Path) -> Result<(), CliError> {
    std::fs::create_dir_all(path).map_err(|source| CliError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Parses `files` as one set (ids unique across them).
pub fn load_set(files: &[PathBuf]) -> Result<FixtureSet, CliError> {
    let mut set = FixtureSet::new();
    for file in files {
        let text = read(file)?;
        set.add_source(&file.display().to_string(), &text);
    }
    Ok(set)
}

/// Loads fixtures for scoring: any problem stops everything, because metrics over a partly
/// parsed set would look valid while silently missing conversations.
pub fn load_valid(paths: &[PathBuf]) -> Result<FixtureSet, CliError> {
    let files = collect_jsonl(paths)?;
    let set = load_set(&files)?;
    if !set.errors.is_empty() {
        return Err(CliError::Fixtures(set.errors));
    }
    if set.fixtures.is_empty() {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(CliError::NoFixtures(names.join(", ")));
    }
    Ok(set)
}
