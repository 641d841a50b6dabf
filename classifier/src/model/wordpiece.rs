//! The model's word-piece tokens, read from the `tokenizer.json` that `make train` writes with the
//! `tokenizers` crate, and produced here without it.
//!
//! Why not `tokenizers::Tokenizer::encode`: it tracks the alignment of every character through
//! every normalisation step and allocates a token string per piece, which made tokenizing most of
//! a message's feature extraction (81.6 us with it, 21-25 us without, natively: README); parsing
//! its JSON through serde's generic enums was most of the model's start-up in wasm (8 of 10 ms,
//! warm, under Node).
//! The model needs the token ids and nothing else, and its `tokenizer.json` has one shape (a BERT
//! normaliser and pre-tokeniser around a WordPiece model), so this module reads that shape,
//! refuses any other, and applies the same steps in one pass. The tests hold it to
//! `tokenizers`' own output on every fixture message and on random text.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use serde::Deserialize;
use unicode_categories::UnicodeCategories;
use unicode_normalization_alignments::UnicodeNormalization;

/// A BERT word-piece tokenizer: normalise, split on whitespace and punctuation, then split each
/// word greedily into the longest pieces in the vocabulary.
#[derive(Debug, Clone)]
pub struct WordPiece {
    normalizer: Normalizer,
    /// Every token of the vocabulary, as written (continuation pieces keep their prefix).
    vocab: Vocab,
    /// The prefix of a piece that continues a word ("##").
    prefix: String,
    unk: u32,
    max_chars: usize,
}

type Vocab = HashMap<String, u32, BuildHasherDefault<Fnv>>;

/// The `BertNormalizer` options of `tokenizers` (its field names, as serialised).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
struct Normalizer {
    clean_text: bool,
    handle_chinese_chars: bool,
    /// `None` follows `lowercase`, as in `tokenizers`.
    strip_accents: Option<bool>,
    lowercase: bool,
}

/// The normaliser by its `type`: any other type is refused on parse, naming the one expected.
#[derive(Deserialize)]
#[serde(tag = "type")]
enum NormalizerJson {
    BertNormalizer(Normalizer),
}

#[derive(Deserialize)]
struct TokenizerJson {
    normalizer: NormalizerJson,
    pre_tokenizer: Typed,
    model: ModelJson,
    #[serde(default)]
    added_tokens: Vec<serde_json::Value>,
    #[serde(default)]
    post_processor: Option<serde_json::Value>,
    #[serde(default)]
    truncation: Option<serde_json::Value>,
    #[serde(default)]
    padding: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Typed {
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Deserialize)]
struct ModelJson {
    #[serde(rename = "type")]
    kind: String,
    unk_token: String,
    continuing_subword_prefix: String,
    max_input_chars_per_word: usize,
    vocab: Vocab,
}

/// [`crate::fnv`] as a `std` hasher for the vocabulary, which is built on every Worker cold
/// start: cheaper than SipHash, whose flooding resistance the table does not need.
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(crate::fnv::OFFSET)
    }
}

impl std::hash::Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = crate::fnv::extend(self.0, bytes);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Why a `tokenizer.json` cannot be read; every case means the file is not one `make train`
/// wrote, so the fix is to retrain or restore it.
#[derive(Debug, thiserror::Error)]
pub enum WordPieceError {
    #[error("not a tokenizer.json of this model format: {0}")]
    Json(String),
    #[error("{what} is {found:?}, this build reads only {expected:?}: retrain with `make train`")]
    Unsupported {
        what: &'static str,
        found: String,
        expected: &'static str,
    },
    #[error("the unknown token {0:?} is not in the vocabulary")]
    MissingUnk(String),
}

impl WordPiece {
    /// Reads a `tokenizer.json` of the shape `make train` writes.
    pub fn from_tokenizer_json(bytes: &[u8]) -> Result<Self, WordPieceError> {
        let json: TokenizerJson =
            serde_json::from_slice(bytes).map_err(|e| WordPieceError::Json(e.to_string()))?;
        let unsupported = |what, found: String, expected| {
            Err(WordPieceError::Unsupported {
                what,
                found,
                expected,
            })
        };
        if json.pre_tokenizer.kind != "BertPreTokenizer" {
            return unsupported("pre_tokenizer", json.pre_tokenizer.kind, "BertPreTokenizer");
        }
        if json.model.kind != "WordPiece" {
            return unsupported("model", json.model.kind, "WordPiece");
        }
        // Steps this module does not implement must be absent, or the ids would differ.
        if !json.added_tokens.is_empty() {
            return unsupported("added_tokens", json.added_tokens.len().to_string(), "none");
        }
        for (what, v) in [
            ("post_processor", &json.post_processor),
            ("truncation", &json.truncation),
            ("padding", &json.padding),
        ] {
            if let Some(v) = v.as_ref().filter(|v| !v.is_null()) {
                return unsupported(what, v.to_string(), "null");
            }
        }
        let NormalizerJson::BertNormalizer(normalizer) = json.normalizer;
        let model = json.model;
        let unk = *model
            .vocab
            .get(&model.unk_token)
            .ok_or_else(|| WordPieceError::MissingUnk(model.unk_token.clone()))?;
        Ok(Self {
            normalizer,
            vocab: model.vocab,
            prefix: model.continuing_subword_prefix,
            unk,
            max_chars: model.max_input_chars_per_word,
        })
    }

    /// The vocabulary's tokens that begin a word (not continuations, not special tokens).
    pub fn word_tokens(&self) -> impl Iterator<Item = &str> {
        self.vocab
            .keys()
            .map(String::as_str)
            .filter(|t| !t.starts_with(self.prefix.as_str()) && !t.starts_with('['))
    }

    /// The id of a whole token, if the vocabulary has it.
    pub fn token_to_id(&self, token: &str) -> Option<u32> {
        self.vocab.get(token).copied()
    }

    /// The token ids of `text`, as `tokenizers` encodes it without special tokens.
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let mut ids = Vec::new();
        let mut word = String::new();
        let mut emit = |c: char, word: &mut String| {
            if c.is_whitespace() {
                self.push_word(word, &mut ids);
            } else if is_bert_punc(c) {
                self.push_word(word, &mut ids);
                word.push(c);
                self.push_word(word, &mut ids);
            } else {
                word.push(c);
            }
        };
        let n = self.normalizer;
        let cleaned = text
            .chars()
            .filter(|&c| !n.clean_text || !(c == '\0' || c == '\u{fffd}' || is_control(c)))
            .map(|c| {
                if n.clean_text && is_whitespace(c) {
                    ' '
                } else {
                    c
                }
            });
        // A CJK ideograph is a word of its own; spaces around it make the split below do that.
        let padded = cleaned.flat_map(|c| {
            let pad = n.handle_chinese_chars && is_chinese_char(c);
            let (a, b) = if pad {
                (Some(' '), Some(' '))
            } else {
                (None, None)
            };
            a.into_iter().chain(Some(c)).chain(b)
        });
        let lower = |c: char| {
            let lowered = n.lowercase.then(|| c.to_lowercase());
            let same = (!n.lowercase).then_some(c);
            lowered.into_iter().flatten().chain(same)
        };
        // ASCII has no decomposition and no combining marks: most messages skip that step.
        if n.strip_accents.unwrap_or(n.lowercase) && !text.is_ascii() {
            // Decomposition reorders combining marks across the whole text, so it runs over the
            // stream, as `tokenizers` runs it over the whole normalised string.
            for c in padded
                .nfd()
                .map(|(c, _)| c)
                .filter(|c| !c.is_mark_nonspacing())
                .flat_map(lower)
            {
                emit(c, &mut word);
            }
        } else {
            for c in padded.flat_map(lower) {
                emit(c, &mut word);
            }
        }
        self.push_word(&mut word, &mut ids);
        ids
    }

    /// Splits one word into its longest known pieces, or the unknown token if any part of it
    /// has no piece; then empties `word` for the next.
    fn push_word(&self, word: &mut String, ids: &mut Vec<u32>) {
        if word.is_empty() {
            return;
        }
        if word.chars().count() > self.max_chars {
            ids.push(self.unk);
            word.clear();
            return;
        }
        let first = ids.len();
        // A continuation is looked up as prefix + piece, built in one reused buffer.
        let mut continuation = String::with_capacity(self.prefix.len() + word.len());
        let mut start = 0;
        while start < word.len() {
            let mut end = word.len();
            let mut found = None;
            while start < end {
                let Some(piece) = word.get(start..end) else {
                    break;
                };
                let id = if start == 0 {
                    self.vocab.get(piece)
                } else {
                    continuation.clear();
                    continuation.push_str(&self.prefix);
                    continuation.push_str(piece);
                    self.vocab.get(continuation.as_str())
                };
                if let Some(id) = id {
                    found = Some(*id);
                    break;
                }
                end -= piece.chars().next_back().map_or(1, char::len_utf8);
            }
            match found {
                Some(id) => {
                    ids.push(id);
                    start = end;
                }
                None => {
                    ids.truncate(first);
                    ids.push(self.unk);
                    break;
                }
            }
        }
        word.clear();
    }
}

/// Whitespace for `clean_text`: tab, newline and carriage return are controls that count as
/// spaces.
fn is_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || c.is_whitespace()
}

/// Controls, format and private-use characters, dropped by `clean_text`.
fn is_control(c: char) -> bool {
    !matches!(c, '\t' | '\n' | '\r') && c.is_other()
}

/// The CJK ideograph blocks BERT tokenizes one character at a time.
fn is_chinese_char(c: char) -> bool {
    matches!(
        u32::from(c),
        0x4E00..=0x9FFF
            | 0x3400..=0x4DBF
            | 0x20000..=0x2A6DF
            | 0x2A700..=0x2B73F
            | 0x2B740..=0x2B81F
            | 0x2B920..=0x2CEAF
            | 0xF900..=0xFAFF
            | 0x2F800..=0x2FA1F
    )
}

/// Punctuation splits words and is a token of its own.
fn is_bert_punc(c: char) -> bool {
    c.is_ascii_punctuation() || c.is_punctuation()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(normalizer: &str, vocab: &str, extra: &str) -> String {
        format!(
            r###"{{"version":"1.0","truncation":null,"padding":null,"added_tokens":[],{extra}
            "normalizer":{normalizer},"pre_tokenizer":{{"type":"BertPreTokenizer"}},
            "post_processor":null,"decoder":null,
            "model":{{"type":"WordPiece","unk_token":"[UNK]","continuing_subword_prefix":"##",
            "max_input_chars_per_word":8,"vocab":{vocab}}}}}"###
        )
    }

    const BERT: &str = r#"{"type":"BertNormalizer","clean_text":true,"handle_chinese_chars":true,"strip_accents":null,"lowercase":true}"#;
    const VOCAB: &str =
        r###"{"[UNK]":0,"cita":1,"##s":2,"!":3,"cafe":4,"un":5,"##able":6,"book":7,"中":8}"###;

    fn wp() -> WordPiece {
        match WordPiece::from_tokenizer_json(json(BERT, VOCAB, "").as_bytes()) {
            Ok(w) => w,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn normalises_splits_and_pieces() {
        let w = wp();
        // Upper case, an accent, punctuation glued to a word, a continuation piece, a word with
        // no pieces, a word over the length limit, a CJK ideograph inside a word.
        assert_eq!(w.encode("CAFÉ! citas unable"), [4, 3, 1, 2, 5, 6]);
        assert_eq!(w.encode("xyz book"), [0, 7]);
        assert_eq!(w.encode("bookbookbook"), [0]);
        assert_eq!(w.encode("book中book"), [7, 8, 7]);
        assert_eq!(w.encode("\u{0}\u{200b}  \t"), Vec::<u32>::new());
    }

    #[test]
    fn refuses_shapes_it_does_not_implement() {
        let other = BERT.replace("BertNormalizer", "NFKC");
        let bad = [
            json(&other, VOCAB, ""),
            json(BERT, VOCAB, "").replace(
                r#""added_tokens":[]"#,
                r#""added_tokens":[{"id":9,"content":"[X]"}]"#,
            ),
            json(BERT, r#"{"a":1}"#, ""),
            "not json".to_string(),
        ];
        for b in bad {
            assert!(WordPiece::from_tokenizer_json(b.as_bytes()).is_err(), "{b}");
        }
    }
}
