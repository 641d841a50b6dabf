//! The eval CLI of the medical-spa SMS triage: validates and splits the fixtures, scores the
//! pipeline natively and applies the release gates. See `evals --help`.

mod cli;
mod compare;
mod error;
mod files;
mod gates;
mod metrics;
mod report;
mod run;
mod split;
mod svg;
mod triage_cmd;
mod validate;

use clap::Parser;
use cli::{Cli, Command};
use error::CliError;
use std::process::ExitCode;

fn dispatch(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Validate { paths } => validate::run(&paths),
        Command::Split {
            authors,
            test_author,
            dev_share,
            out,
        } => split::run(&authors, &test_author, dev_share, &out),
        Command::Run {
            fixtures,
            out,
            gates,
            model,
            policy,
        } => run::run(
            &fixtures,
            &out,
            gates.as_deref(),
            &run::Candidate {
                model: model.as_deref(),
                policy: policy.as_deref(),
            },
        ),
        Command::Triage { input } => triage_cmd::run(input.as_deref()),
        Command::Compare { a, b } => compare::run(&a, &b),
    }
}

fn main() -> ExitCode {
    match dispatch(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
        }
    }
}
