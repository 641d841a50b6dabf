//! The test split's verdicts against the golden file, natively and as wasm32 under Node
//! (`scripts/wasm-test.sh`). See the crate's docs for what is compared.

use classifier_wasm_parity::{triage_test_split, Golden, Report};

/// The native verdicts, written by `parity-golden`.
const GOLDEN: &str = include_str!("../golden.tsv");

#[cfg(target_arch = "wasm32")]
const TARGET: &str = "wasm32";
#[cfg(not(target_arch = "wasm32"))]
const TARGET: &str = "native";

/// How many differing ids a failure lists.
const LIST: usize = 10;

macro_rules! say {
    ($($arg:tt)*) => {{
        #[cfg(target_arch = "wasm32")]
        wasm_bindgen_test::console_log!($($arg)*);
        #[cfg(not(target_arch = "wasm32"))]
        println!($($arg)*);
    }};
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn test_split_verdicts_match_the_native_golden() {
    let golden = Golden::parse(GOLDEN).unwrap_or_else(|e| panic!("{e}"));
    if let Err(stale) = golden.check_fresh() {
        panic!("{stale}");
    }
    let rows = triage_test_split().unwrap_or_else(|e| panic!("{e}"));
    let report = Report::compare(&golden, &rows);
    say!("{}", report.summary(TARGET));
    if !report.differing.is_empty() {
        let hint = if TARGET == "native" {
            "\nthe native triage no longer gives the golden's verdicts: if the change is intended, \
             regenerate the golden (the command is in its header) and commit it"
        } else {
            "\nwasm32 differs from the native golden: if `cargo test -p classifier-wasm-parity` passes \
             natively, this is a native/wasm32 parity bug"
        };
        panic!("{}{hint}", report.failure(TARGET, LIST));
    }
}
