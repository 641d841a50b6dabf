//! Turning a (redacted) conversation into the model's sparse input.
//!
//! The intent model is a bag of features: word-piece tokens from the bundled tokenizer, plus
//! hashed character n-grams and word bigrams of the patient's message, plus hashed words of the
//! clinic's previous turn. Character n-grams are what let a model trained on "appointment" read
//! "apointment" and "appt"; the clinic's turn is what makes a bare "C" or "2" mean something.
//! Hashing keeps the table a fixed size whatever words patients invent, and FNV-1a is used
//! because it is identical on every target (no per-process seed as in std's hasher).

use serde::{Deserialize, Serialize};

/// The shape of the feature space; stored in the model's config so training and inference agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureSpace {
    /// Rows reserved for the tokenizer's vocabulary.
    pub vocab_size: u32,
    /// Rows for hashed features, after the vocabulary rows.
    pub buckets: u32,
    pub char_ngram_min: usize,
    pub char_ngram_max: usize,
}

impl FeatureSpace {
    pub fn rows(&self) -> usize {
        self.vocab_size as usize + self.buckets as usize
    }
}

/// Row indices into the embedding table for one conversation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeatureBag {
    /// The patient's message: word pieces, hashed words and character n-grams.
    pub patient: Vec<u32>,
    /// The intent-cue concepts the patient's message names (or a single "none" feature).
    /// Pooled on their own: mixed into the patient's bag, one concept was the mean of it and
    /// thirty n-grams, so a message in a language with little training data (whose n-grams the
    /// model has barely seen) was read as noise even when it said "cancel" in plain words.
    pub concepts: Vec<u32>,
    /// The clinic's previous turn (or a single "no context" feature).
    pub context: Vec<u32>,
}

/// Rewrites typed placeholders ("[PHONE_2]") into one plain word ("phiphone") so the model sees
/// "a phone number was here" whatever the number and its index.
pub fn placeholders_to_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match crate::phi::placeholder_at(after) {
            Some((kind, consumed)) => {
                out.push_str(" phi");
                out.extend(kind.chars().map(|c| c.to_ascii_lowercase()));
                out.push(' ');
                rest = &after[consumed..];
            }
            None => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Lower-cases, strips Latin accents and splits into words; emoji and other symbols become words
/// of their own because "👍" after a reminder is a confirmation.
pub fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut last: Option<char> = None;
    let mut run = 0usize;
    for c in text.chars() {
        if c.is_alphanumeric() {
            for lc in c.to_lowercase() {
                let base = fold_accent(lc);
                // Squeeze runs of a letter to two ("sooooo" -> "soo"): patients stretch words
                // for emphasis, and the stretched forms should share features.
                if Some(base) == last {
                    run += 1;
                    if run >= 2 {
                        continue;
                    }
                } else {
                    run = 0;
                }
                last = Some(base);
                current.push(base);
            }
        } else {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            last = None;
            run = 0;
            if !(c.is_whitespace() || c.is_ascii_punctuation() || c.is_control() || is_joiner(c)) {
                words.push(c.to_string());
            }
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Single characters and pairs of a word in Chinese, Japanese or Korean script. Their words are
/// whole clauses ("我想取消预约") or carry particles ("예약을"), so the word and its 3-5 character
/// n-grams are rarely seen twice; one ideograph or syllable, or two, carry the meaning ("取消",
/// "예약").
fn eastern_ngrams(space: &FeatureSpace, word: &str, out: &mut Vec<u32>) {
    let mut previous: Option<&str> = None;
    for (i, c) in word.char_indices() {
        let current = &word[i..i + c.len_utf8()];
        if crate::text::written_without_spaces(c) {
            out.push(space.bucket(b"e1", &[current]));
            if let Some(p) = previous {
                out.push(space.bucket(b"e2", &[p, current]));
            }
            previous = Some(current);
        } else {
            previous = None;
        }
    }
}

/// Zero-width joiners and variation selectors glue emoji sequences; they carry no meaning alone.
fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '\u{200D}'
            | '\u{FE0F}'
            | '\u{FE0E}'
            | '\u{2019}'
            | '\u{2018}'
            | '\u{201C}'
            | '\u{201D}'
            | '¿'
            | '¡'
    )
}

pub use crate::text::fold_accent;

/// The feature's hash: [`crate::fnv`] over the namespace, then the parts separated by 0x1f.
fn fnv1a(namespace: &[u8], parts: &[&str]) -> u64 {
    let mut h = crate::fnv::extend(crate::fnv::OFFSET, namespace);
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h = crate::fnv::extend(h, b"\x1f");
        }
        h = crate::fnv::extend(h, p.as_bytes());
    }
    h
}

impl FeatureSpace {
    fn bucket(&self, namespace: &[u8], parts: &[&str]) -> u32 {
        // Buckets are well below u32::MAX, so the remainder always fits.
        let b = (fnv1a(namespace, parts) % u64::from(self.buckets.max(1))) as u32;
        self.vocab_size + b
    }

    /// The hashed features of a patient message: word unigrams, bigrams, character n-grams of
    /// each word, and coarse length features (a one-word reply reads differently).
    pub fn patient_hashed(&self, words: &[String], out: &mut Vec<u32>) {
        let n = words.len();
        let length = match n {
            0 => "0",
            1 => "1",
            2..=3 => "2-3",
            4..=10 => "4-10",
            11..=30 => "11-30",
            _ => "31+",
        };
        out.push(self.bucket(b"len", &[length]));
        if n == 1 && words[0].bytes().all(|b| b.is_ascii_digit()) {
            out.push(self.bucket(b"shape", &["number-only"]));
        }
        // Reused across words: this runs on every message, and a fresh buffer per word was a
        // measurable part of feature extraction.
        let mut padded = String::new();
        let mut starts: Vec<usize> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            out.push(self.bucket(b"w", &[w]));
            if let Some(next) = words.get(i + 1) {
                out.push(self.bucket(b"b", &[w, next]));
            }
            if w.chars().any(crate::text::written_without_spaces) {
                eastern_ngrams(self, w, out);
            }
            padded.clear();
            padded.push('<');
            padded.push_str(w);
            padded.push('>');
            starts.clear();
            starts.extend(padded.char_indices().map(|(i, _)| i));
            let chars = starts.len();
            if chars <= 3 {
                continue; // one- and two-letter words are already whole-word features
            }
            for len in self.char_ngram_min..=self.char_ngram_max {
                for start in 0..chars.saturating_sub(len - 1) {
                    let from = starts[start];
                    let to = starts.get(start + len).copied().unwrap_or(padded.len());
                    out.push(self.bucket(b"c", &[&padded[from..to]]));
                }
            }
        }
    }

    /// One feature per intent-cue concept the message names ([`super::cues`]), in a namespace of
    /// its own so a concept never shares a row with a word of the same spelling; a message that
    /// names none gets a feature saying so, which the model can weigh like any other.
    pub fn concepts_hashed(&self, concepts: &[&str], out: &mut Vec<u32>) {
        if concepts.is_empty() {
            out.push(self.bucket(b"k", &["<none>"]));
        }
        for concept in concepts {
            out.push(self.bucket(b"k", &[concept]));
        }
    }

    /// The hashed features of the clinic's previous turn: its words, in a namespace of their own
    /// so "confirm" said by the clinic and "confirm" said by the patient are different evidence.
    pub fn context_hashed(&self, clinic_words: Option<&[String]>, out: &mut Vec<u32>) {
        match clinic_words {
            None => out.push(self.bucket(b"ctx", &["<none>"])),
            Some(words) => {
                out.push(self.bucket(b"ctx", &["<some>"]));
                for w in words {
                    out.push(self.bucket(b"ctx", &[w]));
                }
                for pair in words.windows(2) {
                    out.push(self.bucket(b"ctxb", &[&pair[0], &pair[1]]));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_one_word_per_kind() {
        assert_eq!(
            placeholders_to_words("call [PHONE_12] or ask [NAME_1]'s mom [x] [A_]"),
            "call  phiphone  or ask  phiname 's mom [x] [A_]"
        );
    }

    #[test]
    fn words_fold_case_accents_and_stretched_letters() {
        assert_eq!(
            words("Sííí, CITA mañana!!! 👍"),
            vec!["sii", "cita", "manana", "👍"]
        );
        assert_eq!(words("soooo   goooood"), vec!["soo", "good"]);
    }

    #[test]
    fn chinese_and_korean_words_share_their_characters_and_pairs() {
        let space = FeatureSpace {
            vocab_size: 10,
            buckets: 1 << 16,
            char_ngram_min: 3,
            char_ngram_max: 5,
        };
        let rows = |text: &str| {
            let mut out = Vec::new();
            space.patient_hashed(&words(text), &mut out);
            out
        };
        // "Cancel the booking" and "I want to cancel tomorrow's": one clause each, no word shared.
        let a = rows("取消预约");
        let b = rows("我想取消明天的");
        let shared = a.iter().filter(|f| b.contains(f)).count();
        // 取, 消 and 取消 at least.
        assert!(shared >= 3, "{shared}");
        // Korean: "the booking" with and without its object particle.
        let c = rows("예약을 취소하고 싶어요");
        let d = rows("예약 취소");
        assert!(c.iter().filter(|f| d.contains(f)).count() >= 4);
    }

    #[test]
    fn hashing_is_stable_and_within_the_table() {
        let space = FeatureSpace {
            vocab_size: 100,
            buckets: 1000,
            char_ngram_min: 3,
            char_ngram_max: 5,
        };
        let mut a = Vec::new();
        space.patient_hashed(&words("cancel my appointment"), &mut a);
        let mut b = Vec::new();
        space.patient_hashed(&words("cancel my appointment"), &mut b);
        assert_eq!(a, b);
        assert!(a.iter().all(|&i| (100..1100).contains(&i)));
        // A typo shares most character n-grams with the right spelling.
        let mut typo = Vec::new();
        space.patient_hashed(&words("apointment"), &mut typo);
        let mut right = Vec::new();
        space.patient_hashed(&words("appointment"), &mut right);
        let shared = typo.iter().filter(|f| right.contains(f)).count();
        assert!(shared * 2 > typo.len(), "{shared} of {}", typo.len());
    }
}
