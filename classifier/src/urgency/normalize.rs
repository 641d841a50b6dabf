//! Text normalisation for phrase matching, with a map back to the original bytes.
//!
//! Patients text in every register: caps, accents, stretched letters ("helppp", "sooo"), texting
//! forms ("rn", "tmrw"), misspellings ("cant breath", "vison", "tounge") and emoji. The phrase
//! tables are written once in plain lower-case words and put through this same normaliser, so a
//! variant only has to be taught here (or in [`super::phrases::CANON`]) to work in every phrase.
//!
//! The output is a list of word tokens joined by single spaces (what aho-corasick searches), with
//! each token's original byte span (so matches can be reported against the text the nurse sees)
//! and its sentence/clause number (so negation and hypothetical cues do not leak across
//! punctuation or "but").

use std::collections::HashMap;

/// One normalised word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tok {
    /// Byte range in [`Normalized::text`].
    pub ns: usize,
    pub ne: usize,
    /// Byte range in the original text (a whole word, or a whole emoji).
    pub os: usize,
    pub oe: usize,
    /// Sentence index (split at . ! ? ; and new lines).
    pub sentence: u16,
    /// Clause index (also split at , : dashes brackets and "but"-like conjunctions).
    pub clause: u16,
}

/// A normalised message.
#[derive(Debug, Clone, Default)]
pub(crate) struct Normalized {
    pub text: String,
    pub toks: Vec<Tok>,
    /// Per sentence: did it end with a question mark?
    pub question: Vec<bool>,
}

impl Normalized {
    /// The token whose normalised text starts exactly at `pos`, if any.
    pub fn tok_starting_at(&self, pos: usize) -> Option<usize> {
        let i = self.toks.partition_point(|t| t.ns < pos);
        (i < self.toks.len() && self.toks[i].ns == pos).then_some(i)
    }

    /// The token containing normalised byte `pos` (which must not be a separating space).
    pub fn tok_containing(&self, pos: usize) -> Option<usize> {
        let i = self.toks.partition_point(|t| t.ne <= pos);
        (i < self.toks.len() && self.toks[i].ns <= pos && pos < self.toks[i].ne).then_some(i)
    }

    /// Is the sentence of token `i` a question?
    pub fn is_question(&self, i: usize) -> bool {
        self.toks
            .get(i)
            .and_then(|t| self.question.get(usize::from(t.sentence)))
            .copied()
            .unwrap_or(false)
    }
}

/// Word-level rewrites (texting forms and misspellings), keyed by the squeezed form of the word.
pub(crate) type Canon = HashMap<String, Vec<String>>;

/// What a character contributes.
enum Class {
    Letter,
    Apostrophe,
    Joiner,
    SentenceBreak,
    ClauseBreak,
    Space,
    Emoji(&'static str),
}

fn classify(c: char) -> Class {
    match c {
        // Combining marks (an accent typed as a separate code point, Arabic vowel signs, the
        // Arabic tatweel) belong to the letter before them: they must not split a word.
        c if is_mark(c) => Class::Joiner,
        c if c.is_alphanumeric() => Class::Letter,
        '\'' | '\u{2019}' | '\u{2018}' | '`' | '\u{00b4}' => Class::Apostrophe,
        // Zero-width joiner and variation selectors glue emoji sequences: no meaning of their own.
        '\u{200d}' | '\u{fe0f}' | '\u{fe0e}' => Class::Joiner,
        '.' | '!' | '?' | ';' | '\n' | '\u{00bf}' | '\u{00a1}' | '\u{2026}' => Class::SentenceBreak,
        ',' | ':' | '(' | ')' | '[' | ']' | '"' | '\u{201c}' | '\u{201d}' | '\u{2014}'
        | '\u{2013}' => Class::ClauseBreak,
        c => match emoji_word(c) {
            Some(w) => Class::Emoji(w),
            None => Class::Space,
        },
    }
}

/// Emoji that carry clinical or tonal meaning, as words the phrase tables understand.
///
/// 💀 and 😂 are laughter in texting ("I'm dead 💀"), so they map to "lol", a figurative cue,
/// never to death.
fn emoji_word(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{1f635}' => "dizzy",            // 😵 (and 😵‍💫 via the joiner)
        '\u{1f974}' => "dizzy",            // 🥴
        '\u{1f975}' => "hot",              // 🥵
        '\u{1f912}' => "fever",            // 🤒
        '\u{1f321}' => "fever",            // 🌡
        '\u{1f198}' => "sos",              // 🆘
        '\u{1f691}' => "ambulance",        // 🚑
        '\u{1f6a8}' => "sos",              // 🚨
        '\u{1f480}' | '\u{2620}' => "lol", // 💀 ☠ laughter
        '\u{1f602}' | '\u{1f923}' | '\u{1f606}' | '\u{1f605}' => "lol", // 😂 🤣 😆 😅
        '\u{1f976}' => "cold",             // 🥶
        '\u{1f441}' => "eye",              // 👁
        '\u{1f48a}' => "pills",            // 💊
        '\u{1fa78}' => "blood",            // 🩸
        '\u{1f62e}' => "",                 // 😮 (no meaning; keeps the slot a plain space)
        _ => return None,
    })
}

/// Characters matched one at a time, as words of their own: Chinese and Japanese are written
/// without spaces, and Korean glues particles and endings to its words ("입술이", "입술에"), so
/// a per-syllable token lets "입술" (lips) match inside either.
fn is_ideograph(c: char) -> bool {
    crate::text::written_without_spaces(c)
}

/// Combining diacritics, Arabic vowel signs and the tatweel: part of the letter before them.
fn is_mark(c: char) -> bool {
    matches!(
        u32::from(c),
        0x0300..=0x036f | 0x0610..=0x061a | 0x0640 | 0x064b..=0x065f | 0x0670 | 0x1ab0..=0x1aff
    )
}

/// Lower-cases and strips Latin accents; appends the result to `out`.
fn fold(c: char, out: &mut String) {
    out.extend(c.to_lowercase().map(crate::text::fold_accent));
}

/// Collapses runs of the same letter to one ("helppp" -> "help", "allergic" -> "alergic").
///
/// Applied to the tables too, so "bleeding" and "bleding" meet at the same key: one rule covers
/// stretched words and doubled-letter misspellings at once.
pub(crate) fn squeeze(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut last = None;
    for c in word.chars() {
        if Some(c) == last && c.is_alphabetic() {
            continue;
        }
        out.push(c);
        last = Some(c);
    }
    // Laughter of any length ("hahahah", "jajaja") is one token.
    let b = out.as_bytes();
    if b.len() >= 4
        && b.chunks(2).all(|p| {
            matches!(
                p,
                [b'h', b'a'] | [b'j', b'a'] | [b'h', b'e'] | [b'h'] | [b'j']
            )
        })
    {
        return "haha".to_string();
    }
    out
}

/// Clause-breaking conjunctions: a negation before them does not reach past them.
fn is_clause_word(w: &str) -> bool {
    matches!(
        w,
        "but" | "pero" | "though" | "although" | "however" | "aunque" | "sino" | "except" | "yet"
    )
}

struct Builder<'c> {
    canon: Option<&'c Canon>,
    out: Normalized,
    sentence: u16,
    clause: u16,
    word: String,
    word_os: usize,
    word_oe: usize,
}

impl Builder<'_> {
    fn push_tok(&mut self, w: &str, os: usize, oe: usize) {
        if w.is_empty() {
            return;
        }
        if !self.out.text.is_empty() {
            self.out.text.push(' ');
        }
        let ns = self.out.text.len();
        self.out.text.push_str(w);
        self.out.toks.push(Tok {
            ns,
            ne: self.out.text.len(),
            os,
            oe,
            sentence: self.sentence,
            clause: self.clause,
        });
    }

    fn flush_word(&mut self) {
        if self.word.is_empty() {
            return;
        }
        let raw = std::mem::take(&mut self.word);
        let sq = squeeze(&raw);
        let (os, oe) = (self.word_os, self.word_oe);
        if is_clause_word(&sq) {
            self.clause = self.clause.saturating_add(1);
        }
        let rewrite = self.canon.and_then(|c| c.get(&sq));
        match rewrite {
            Some(parts) => {
                for p in parts {
                    self.push_tok(p, os, oe);
                }
            }
            None => self.push_tok(&sq, os, oe),
        }
    }

    fn sentence_break(&mut self, question: bool) {
        self.flush_word();
        if let Some(q) = self.out.question.get_mut(usize::from(self.sentence)) {
            *q |= question;
        }
        // Only open a new sentence once the current one holds a word.
        if self
            .out
            .toks
            .last()
            .is_some_and(|t| t.sentence == self.sentence)
        {
            self.sentence = self.sentence.saturating_add(1);
            self.clause = self.clause.saturating_add(1);
            self.out.question.push(false);
        }
    }
}

/// Normalises `text`; `canon` rewrites whole words (None while building the tables themselves).
pub(crate) fn normalize(text: &str, canon: Option<&Canon>) -> Normalized {
    let mut b = Builder {
        canon,
        out: Normalized {
            text: String::with_capacity(text.len() + 8),
            toks: Vec::with_capacity(text.len() / 4 + 2),
            question: vec![false],
        },
        sentence: 0,
        clause: 0,
        word: String::new(),
        word_os: 0,
        word_oe: 0,
    };
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let end = i + c.len_utf8();
        match classify(c) {
            // Scripts written without spaces: each ideograph is a word, so multi-character
            // entries ("发 白") match wherever they fall.
            Class::Letter if is_ideograph(c) => {
                b.flush_word();
                let mut buf = [0u8; 4];
                b.push_tok(c.encode_utf8(&mut buf), i, end);
            }
            Class::Letter => {
                if b.word.is_empty() {
                    b.word_os = i;
                }
                fold(c, &mut b.word);
                b.word_oe = end;
            }
            // "can't" -> "cant": the apostrophe joins, so contractions stay one word.
            Class::Apostrophe | Class::Joiner => {
                if !b.word.is_empty() {
                    b.word_oe = end;
                }
            }
            Class::SentenceBreak => b.sentence_break(c == '?'),
            Class::ClauseBreak => {
                b.flush_word();
                b.clause = b.clause.saturating_add(1);
            }
            Class::Space => {
                // A hyphen inside a word ("net-like") separates words; a free-standing dash
                // (" - ") separates clauses.
                let in_word = c == '-'
                    && !b.word.is_empty()
                    && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric());
                b.flush_word();
                if c == '-' && !in_word {
                    b.clause = b.clause.saturating_add(1);
                }
            }
            Class::Emoji(w) => {
                b.flush_word();
                b.push_tok(w, i, end);
            }
        }
    }
    b.flush_word();
    b.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_stretched_letters() {
        let n = normalize("HELPPP mi labio está BLANCOOO", None);
        assert_eq!(n.text, "help mi labio esta blanco");
    }

    #[test]
    fn offsets_point_back_into_the_original() {
        let t = "Mi lábio 😵 can't";
        let n = normalize(t, None);
        let words: Vec<&str> = n.toks.iter().map(|k| &t[k.os..k.oe]).collect();
        assert_eq!(words, ["Mi", "lábio", "😵", "can't"]);
        assert_eq!(n.text, "mi labio dizzy cant");
    }

    #[test]
    fn punctuation_splits_sentences_and_clauses() {
        let n = normalize("no pain, but white. is it ok?", None);
        assert_eq!(n.toks[0].clause, n.toks[1].clause);
        assert_ne!(n.toks[1].clause, n.toks[3].clause);
        assert_ne!(n.toks[3].sentence, n.toks[4].sentence);
        assert!(n.is_question(4));
        assert!(!n.is_question(0));
    }

    #[test]
    fn laughter_is_one_token() {
        assert_eq!(normalize("hahahaha jajaja", None).text, "haha haha");
    }
}
