//! The CLI's errors: each says what went wrong and what to do, and maps to an exit code.

use crate::gates::GateError;
use classifier::{BuildError, TriageError};
use dataset::FixtureError;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The example clinic or the default templates do not load (they are checked by desk's tests;
    /// this is a build of evals against edited files).
    #[error("the example clinic (clinics/example.json) or the default templates do not load: {0}")]
    ExampleClinic(String),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}; check the directory exists and is writable")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0} does not exist: give an existing fixture file or directory")]
    Missing(PathBuf),
    #[error("no *.jsonl fixtures found in {0}")]
    NoFixtures(String),
    #[error("{} problem(s) in the fixtures; fix them and rerun (nothing was scored):\n{}", .0.len(), join_lines(.0))]
    Fixtures(Vec<FixtureError>),
    #[error("{path} is not valid JSON: {source}")]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error(transparent)]
    Build(#[from] BuildError),
    #[error("triage failed on fixture {id}: {source}")]
    Triage { id: String, source: TriageError },
    #[error(transparent)]
    Gates(#[from] GateError),
    #[error("{0} fixture error(s), listed above as file:line: problem; fix them and rerun")]
    ValidationFailed(usize),
    #[error("{0} gate(s) failed")]
    GatesFailed(usize),
    #[error("{0} input line(s) could not be triaged (see the error objects on stdout)")]
    TriageInput(usize),
    #[error("{0}")]
    Invalid(String),
}

impl CliError {
    /// 1: the work ran and found a problem (invalid fixtures, failed gates, bad input lines);
    /// 2: the command could not do its work at all (missing files, bad arguments).
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Fixtures(_)
            | CliError::ValidationFailed(_)
            | CliError::GatesFailed(_)
            | CliError::TriageInput(_) => 1,
            _ => 2,
        }
    }
}

fn join_lines(errors: &[FixtureError]) -> String {
    errors
        .iter()
        .map(|e| format!("  {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}
