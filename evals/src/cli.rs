//! The command line: one subcommand per job the Makefile and people run.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Scores the medical-spa SMS triage over fixture conversations.
#[derive(Debug, Parser)]
#[command(name = "evals", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate fixture files (a directory: every *.jsonl under it) and print counts per
    /// intent, tag and lang. The split files (train/dev/test.jsonl) form one id set and every
    /// other file another, so the sources and the split derived from them can sit side by side.
    Validate {
        /// Files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Write train/dev/test.jsonl: test is the whole of one author's fixtures, dev a stable
    /// hash-based, per-intent share of the others, train the rest.
    Split {
        /// Directory of author files (<author>.jsonl) or author directories (<author>/*.jsonl).
        #[arg(long)]
        authors: PathBuf,
        /// The authors whose fixtures form the test split (repeat, or separate with commas):
        /// each an independent writer whose wording nothing was trained or tuned on.
        #[arg(long, value_delimiter = ',', required = true)]
        test_author: Vec<String>,
        /// Share of each intent's non-test conversations that go to dev, in [0, 1).
        #[arg(long, default_value_t = 0.15)]
        dev_share: f64,
        /// Directory to write train.jsonl, dev.jsonl and test.jsonl into.
        #[arg(long)]
        out: PathBuf,
    },
    /// Triage every fixture conversation and write metrics.json, report.md, confusion.svg,
    /// errors.jsonl and summary.txt.
    Run {
        /// Fixture file or directory.
        #[arg(long, required = true)]
        fixtures: Vec<PathBuf>,
        /// Output directory.
        #[arg(long, default_value = "eval-out")]
        out: PathBuf,
        /// Gates file ({"metric.path": {"min"|"max"|"max_count": x}}); exit 1 when one fails.
        #[arg(long)]
        gates: Option<PathBuf>,
        /// Score a candidate model directory (model.safetensors, tokenizer.json, config.json,
        /// as `make train` writes them) instead of the bundled model.
        #[arg(long)]
        model: Option<PathBuf>,
        /// Score with a candidate policy.json instead of the bundled one.
        #[arg(long)]
        policy: Option<PathBuf>,
    },
    /// Triage JSON Lines ({id, text} or {id, turns}) from stdin or a file, one verdict per line
    /// to stdout.
    Triage {
        /// Input file; stdin when absent.
        #[arg(long = "in")]
        input: Option<PathBuf>,
    },
    /// Show what moved between two runs' metrics.json, and which ids flipped.
    Compare { a: PathBuf, b: PathBuf },
}
