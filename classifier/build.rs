//! Compiles tables the triage core would otherwise build on every Worker cold start:
//!
//! - the name lists (`data/*.txt`) into a static hash table: inserting ten thousand names into a
//!   `HashMap` was about a tenth of the redactor's build;
//! - the emergency phrases into an Aho-Corasick automaton (`build/phrase_automaton.rs`);
//! - the redactor's patterns into DFAs (`build/phi_dfas.rs`).
//!
//! The name table is open addressing with linear probing over FNV-1a (`src/fnv.rs`, the same code
//! `phi::name` looks words up with); `phi::name`'s tests check every listed word is found with
//! the lists it is on.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// The lists and the bit each sets; `phi::name::list` has the same values.
const FIRST: u8 = 1;
const COMMON_FIRST: u8 = 2;
const SURNAME: u8 = 4;
const AMBIGUOUS: u8 = 8;
const NEVER: u8 = 16;
/// First names ranked above this may match in lower case (`phi::name::list::COMMON_FIRST`).
const LOWERCASE_RANK: usize = 1500;
/// Slots in the table: a power of two, at most two-thirds full.
const SLOTS: usize = 1 << 14;

#[path = "src/urgency/compiled.rs"]
mod compiled;
#[path = "src/fnv.rs"]
mod fnv;
#[path = "src/phi/patterns.rs"]
mod patterns;
#[path = "build/phi_dfas.rs"]
mod phi_dfas;
#[path = "build/phrase_automaton.rs"]
mod phrase_automaton;

fn words(text: &str) -> Vec<&str> {
    text.lines()
        .map(|line| line.split_once('#').map_or(line, |(w, _)| w))
        .flat_map(str::split_whitespace)
        .collect()
}

fn main() {
    names();
    phrases();
    redactor_patterns();
    fingerprints();
}

/// The model's three artifacts: what `CLASSIFIER_MODEL_VERSION` hashes.
const MODEL_ARTIFACTS: [&str; 3] = [
    "../models/intent/config.json",
    "../models/intent/tokenizer.json",
    "../models/intent/model.safetensors",
];

/// Everything else a verdict depends on: the code (guards and phrase tables are code), the
/// policy, the lexicons and name lists, and the build steps that compile them.
const DECIDING_TREES: [&str; 4] = ["src", "build", "config", "data"];

/// Two versions, computed once here so the core owns them and hashing costs nothing at run time:
/// `CLASSIFIER_MODEL_VERSION` (the model's artifacts) and `CLASSIFIER_FINGERPRINT` (the model and
/// every other input that decides a verdict). A `policy.json` version number cannot be trusted to
/// move when a guard changes; a hash of what was built can.
fn fingerprints() {
    use sha2::{Digest, Sha256};
    let mut model = Sha256::new();
    let mut all = Sha256::new();
    for path in MODEL_ARTIFACTS {
        println!("cargo:rerun-if-changed={path}");
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
        for h in [&mut model, &mut all] {
            h.update(path.as_bytes());
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(&bytes);
        }
    }
    let mut files = Vec::new();
    for tree in DECIDING_TREES {
        println!("cargo:rerun-if-changed={tree}");
        collect_files(Path::new(tree), &mut files);
    }
    files.sort();
    for path in files {
        let bytes =
            std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        all.update(path.to_string_lossy().replace('\\', "/").as_bytes());
        all.update((bytes.len() as u64).to_le_bytes());
        all.update(&bytes);
    }
    let short = |digest: &[u8]| -> String {
        digest[..6]
            .iter()
            .fold(String::from("sha256:"), |mut s, b| {
                let _ = write!(s, "{b:02x}");
                s
            })
    };
    println!(
        "cargo:rustc-env=CLASSIFIER_MODEL_VERSION={}",
        short(&model.finalize())
    );
    println!(
        "cargo:rustc-env=CLASSIFIER_FINGERPRINT={}",
        short(&all.finalize())
    );
}

/// Every file under `dir`, recursively (directories cargo watches as a whole).
fn collect_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
            .path();
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The redactor's patterns, compiled to DFAs.
fn redactor_patterns() {
    println!("cargo:rerun-if-changed=src/phi/patterns.rs");
    println!("cargo:rerun-if-changed=build/phi_dfas.rs");
    let Some(out_dir) = std::env::var_os("OUT_DIR") else {
        panic!("cargo sets OUT_DIR for build scripts")
    };
    let little = std::env::var("CARGO_CFG_TARGET_ENDIAN").map_or(true, |e| e == "little");
    let src = phi_dfas::generate(&patterns::specs(), Path::new(&out_dir), little);
    write_out("phi_dfas.rs", &src);
}

/// The emergency phrases' automaton, from the table normalised ahead of time.
fn phrases() {
    println!("cargo:rerun-if-changed=src/urgency/compiled.rs");
    println!("cargo:rerun-if-changed=build/phrase_automaton.rs");
    write_out(
        "phrase_automaton.rs",
        &phrase_automaton::source(compiled::PATTERNS, "src/urgency/compiled.rs"),
    );
}

fn write_out(name: &str, contents: &str) {
    let Some(out_dir) = std::env::var_os("OUT_DIR") else {
        panic!("cargo sets OUT_DIR for build scripts")
    };
    let path = Path::new(&out_dir).join(name);
    if let Err(e) = std::fs::write(&path, contents) {
        panic!("cannot write {}: {e}", path.display());
    }
}

/// The name lists' static hash table.
fn names() {
    let dir = Path::new("data");
    let read = |name: &str| {
        let path = dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        match std::fs::read_to_string(&path) {
            Ok(s) => s,
            Err(e) => panic!("cannot read the name list {}: {e}", path.display()),
        }
    };
    let (first, nick, surnames, ambiguous, never, common) = (
        read("first_names.txt"),
        read("nicknames.txt"),
        read("surnames.txt"),
        read("ambiguous_names.txt"),
        read("never_names.txt"),
        read("common_words.txt"),
    );
    let mut lists: BTreeMap<String, u8> = BTreeMap::new();
    let mut mark = |ws: &[&str], bits: u8| {
        for w in ws {
            *lists.entry((*w).to_string()).or_insert(0) |= bits;
        }
    };
    let first = words(&first);
    mark(&first[..first.len().min(LOWERCASE_RANK)], COMMON_FIRST);
    mark(&first, FIRST);
    // A short form that is also a common word ("cat", "memo", "rob", "drew") is ambiguous, as
    // build_name_lists.py makes the SSA and Census names that are: a name only with a cue.
    let common: std::collections::BTreeSet<&str> = words(&common).into_iter().collect();
    let (nick_words, nick_first): (Vec<&str>, Vec<&str>) =
        words(&nick).into_iter().partition(|w| common.contains(w));
    mark(&nick_first, FIRST | COMMON_FIRST);
    mark(&nick_words, AMBIGUOUS);
    mark(&words(&surnames), SURNAME);
    mark(&words(&ambiguous), AMBIGUOUS);
    mark(&words(&never), NEVER);
    assert!(
        lists.len() * 3 <= SLOTS * 2,
        "{} listed words: raise SLOTS in classifier/build.rs",
        lists.len()
    );

    let entries: Vec<(String, u8)> = lists.into_iter().collect();
    let mut slots = vec![0u16; SLOTS];
    for (i, (word, _)) in entries.iter().enumerate() {
        let mut s = (fnv::extend(fnv::OFFSET, word.as_bytes()) as usize) & (SLOTS - 1);
        while slots[s] != 0 {
            s = (s + 1) & (SLOTS - 1);
        }
        slots[s] = u16::try_from(i + 1).unwrap_or_else(|_| panic!("too many listed words"));
    }

    let mut out = String::new();
    let _ = writeln!(out, "/// Generated by classifier/build.rs from data/*.txt.");
    let _ = writeln!(out, "pub(crate) static SLOTS: [u16; {SLOTS}] = {slots:?};");
    let _ = writeln!(
        out,
        "pub(crate) static WORDS: [(&str, u8); {}] = {entries:?};",
        entries.len()
    );
    write_out("name_lexicon.rs", &out);
}
