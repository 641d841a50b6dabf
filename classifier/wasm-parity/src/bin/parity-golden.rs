//! Writes the golden file of native verdicts on the test split (see the crate's docs).
//!
//! `cargo run -q -p classifier-wasm-parity --bin parity-golden [PATH]`; PATH defaults to the
//! crate's `golden.tsv`. Rerun after retraining the model or editing the test split, policy or
//! name lists, and commit the result.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use classifier_wasm_parity::{golden_text, triage_test_split};
    use std::process::ExitCode;

    let path = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("golden.tsv"));
    let rows = match triage_test_split() {
        Ok(rows) => rows,
        Err(e) => {
            eprintln!("parity-golden: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::fs::write(&path, golden_text(&rows)) {
        eprintln!("parity-golden: cannot write {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    println!(
        "parity-golden: wrote {} native verdicts to {}",
        rows.len(),
        path.display()
    );
    ExitCode::SUCCESS
}

// Integration tests make cargo build the crate's binaries for the test's target too; under wasm32
// there is nothing to run, so keep it empty (and cheap to link).
#[cfg(target_arch = "wasm32")]
fn main() {}
