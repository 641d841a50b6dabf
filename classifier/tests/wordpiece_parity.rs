//! The classifier's own word-piece tokenizer against `tokenizers`, the library `make train` builds
//! the vocabulary with: the same ids for every turn of every fixture (raw and redacted, as the
//! model reads it), and for random text with the characters that exercise each normalisation
//! step (accents, combining marks, CJK, controls, emoji, punctuation of every script).

mod common;

use std::path::Path;
use std::sync::OnceLock;

use classifier::model::features::placeholders_to_words;
use classifier::model::wordpiece::WordPiece;
use classifier::{Redactor, Triage};
use proptest::prelude::*;
use tokenizers::Tokenizer;

fn both() -> &'static (WordPiece, Tokenizer) {
    static BOTH: OnceLock<(WordPiece, Tokenizer)> = OnceLock::new();
    BOTH.get_or_init(|| {
        let json = Triage::bundled_artifacts().tokenizer_json;
        let ours = WordPiece::from_tokenizer_json(json).unwrap_or_else(|e| panic!("{e}"));
        let reference = Tokenizer::from_bytes(json).unwrap_or_else(|e| panic!("{e}"));
        (ours, reference)
    })
}

fn reference_ids(t: &Tokenizer, text: &str) -> Vec<u32> {
    match t.encode(text, false) {
        Ok(e) => e.get_ids().to_vec(),
        Err(e) => panic!("tokenizers refused {text:?}: {e}"),
    }
}

/// Every turn of every fixture file under `fixtures/`.
fn fixture_turns() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/authors");
    let Ok(rd) = std::fs::read_dir(&root) else {
        panic!("no fixtures at {}", root.display())
    };
    let mut files: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    files.sort();
    let mut out = Vec::new();
    for f in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "jsonl"))
    {
        let body = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for line in body.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            for t in v["turns"].as_array().into_iter().flatten() {
                if let Some(text) = t["text"].as_str() {
                    out.push(text.to_string());
                }
            }
        }
    }
    out
}

#[test]
fn same_ids_as_tokenizers_on_every_fixture_turn() {
    let (ours, reference) = both();
    let redactor = Redactor::new();
    let turns = fixture_turns();
    assert!(turns.len() > 10_000, "only {} turns found", turns.len());
    let mut differing = Vec::new();
    for raw in &turns {
        let redacted = placeholders_to_words(&redactor.redact(raw).text);
        for text in [raw.as_str(), redacted.as_str()] {
            let want = reference_ids(reference, text);
            if ours.encode(text) != want {
                differing.push(text.to_string());
            }
        }
    }
    assert!(
        differing.is_empty(),
        "{} of {} texts tokenized differently, first: {:?}",
        differing.len(),
        turns.len() * 2,
        &differing[..differing.len().min(5)]
    );
}

/// Words at and over the length limit (counted in characters, not bytes), alone and beside
/// others: the random texts below are too short to reach it.
#[test]
fn same_ids_as_tokenizers_on_long_words() {
    let (ours, reference) = both();
    let long = |unit: &str, n: usize| unit.repeat(n);
    let cases = [
        long("a", 100),
        long("a", 101),
        long("é", 100),
        long("é", 101),
        format!("ok {} then {}", long("ab", 50), long("ab", 51)),
        format!("{}! {}", long("appointment", 9), long("cita", 30)),
    ];
    for text in cases {
        assert_eq!(
            ours.encode(&text),
            reference_ids(reference, &text),
            "{text}"
        );
    }
}

/// Characters chosen to reach every branch of the normalisation: ASCII letters and punctuation,
/// Latin letters with accents (precomposed and combining), capitals whose lower case is two
/// characters, CJK ideographs, controls and format characters, non-ASCII spaces and punctuation,
/// emoji with joiners, and the replacement character.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::char::range('a', 'z'),
        2 => proptest::char::range('A', 'Z'),
        2 => prop::sample::select(vec![' ', ' ', '.', ',', '!', '?', '#', '-', '\'', '[', ']', '_']),
        2 => prop::sample::select(vec![
            'á', 'É', 'ñ', 'Ñ', 'ü', 'ç', 'İ', 'ẞ', 'ǅ', '\u{0301}', '\u{0308}', '\u{0327}', 'ﬁ',
        ]),
        1 => prop::sample::select(vec!['中', '文', '\u{3400}', '\u{20000}', '한', 'ア']),
        1 => prop::sample::select(vec![
            '\u{0}', '\u{7}', '\t', '\n', '\r', '\u{200b}', '\u{200d}', '\u{fe0f}', '\u{fffd}',
            '\u{a0}', '\u{2003}', '\u{3000}', '\u{e000}',
        ]),
        1 => prop::sample::select(vec!['¿', '¡', '«', '»', '…', '—', '“', '”', '’', '،', '。']),
        1 => prop::sample::select(vec!['😀', '👍', '🏽', '❤', '💉']),
        1 => proptest::char::any(),
    ]
}

/// Seeded: see `common::seeded`.
fn config() -> ProptestConfig {
    common::seeded(2_000, 20_261_201)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn same_ids_as_tokenizers_on_random_text(
        chars in proptest::collection::vec(tricky_char(), 0..60)
    ) {
        let (ours, reference) = both();
        let text: String = chars.into_iter().collect();
        prop_assert_eq!(ours.encode(&text), reference_ids(reference, &text), "text {:?}", text);
    }
}
