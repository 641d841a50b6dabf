//! What every recognizer produces, and the small text helpers they share.

use super::PhiKind;

/// A possible identifier before overlaps are resolved and placeholders assigned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Candidate {
    pub kind: PhiKind,
    pub start: usize,
    pub end: usize,
    pub recognizer: &'static str,
    pub score: f32,
}

impl Candidate {
    pub fn new(
        kind: PhiKind,
        start: usize,
        end: usize,
        recognizer: &'static str,
        score: f32,
    ) -> Self {
        Self {
            kind,
            start,
            end,
            recognizer,
            score,
        }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn overlaps(&self, start: usize, end: usize) -> bool {
        self.start < end && start < self.end
    }
}

/// The char just before byte `i` (None at the start). `i` must be a char boundary.
pub(crate) fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i).and_then(|s| s.chars().next_back())
}

/// The char at byte `i` (None at the end). `i` must be a char boundary.
pub(crate) fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

/// True when the match at `start..end` is not glued to letters or digits on either side, so
/// "IP192.168.1.1text" or "is415-555-0132" are not read as identifiers.
pub(crate) fn standalone(text: &str, start: usize, end: usize) -> bool {
    !char_before(text, start).is_some_and(glues) && !char_at(text, end).is_some_and(glues)
}

/// Whether a character next to a number makes it part of a longer token. Scripts written
/// without spaces (Chinese, Japanese, Korean) put a number right after a word ("電話415-555-0127",
/// "번호는213-555-0186"), so their letters do not.
fn glues(c: char) -> bool {
    c.is_alphanumeric() && !crate::text::written_without_spaces(c)
}

/// Floors `i` to a char boundary of `text`.
pub(crate) fn floor_boundary(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Ceils `i` to a char boundary of `text`.
pub(crate) fn ceil_boundary(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Whether any of `words` (lower-case ASCII) occurs as a whole word within `before` bytes before
/// `start` or `after` bytes after `end`. Context words are what turn a bare number into an
/// identifier ("member 123456" is an ID, "order 123456" is not), the idea of Presidio's context
/// enhancer, kept to a fixed byte window so it stays cheap.
pub(crate) fn has_context(
    text: &str,
    start: usize,
    end: usize,
    before: usize,
    after: usize,
    words: &[&str],
) -> bool {
    let lo = floor_boundary(text, start.saturating_sub(before));
    let hi = ceil_boundary(text, end.saturating_add(after));
    word_in(text, lo, start, words) || word_in(text, end, hi, words)
}

/// Whole-word, ASCII-case-insensitive search: whether any of `words` occurs as a whole word inside `text[lo..hi]`. Word boundaries and
/// placeholders are judged against the whole text, not the window: a window that starts inside
/// "[PHONE_1]" must not see the word "phone", nor one that starts inside "headphones" see "phones".
fn word_in(text: &str, lo: usize, hi: usize, words: &[&str]) -> bool {
    let Some(window) = text.get(lo..hi) else {
        return false;
    };
    let lower = window.to_ascii_lowercase();
    let bytes = text.as_bytes();
    words.iter().any(|w| {
        let mut from = 0;
        while let Some(pos) = lower.get(from..).and_then(|s| s.find(w)) {
            // Absolute offsets in `text`; ASCII lower-casing keeps byte offsets.
            let s = lo + from + pos;
            let e = s + w.len();
            let left_ok = s == 0 || !bytes[s - 1].is_ascii_alphanumeric();
            let right_ok = e >= bytes.len() || !bytes[e].is_ascii_alphanumeric();
            // Words that end in punctuation ("#", "no.") need no right boundary.
            let ends_alnum = w.as_bytes().last().is_some_and(u8::is_ascii_alphanumeric);
            // "[PHONE_1]" is a placeholder, not the word "phone".
            let placeholder = s > 0 && bytes[s - 1] == b'[' && bytes.get(e) == Some(&b'_');
            if left_ok && (right_ok || !ends_alnum) && !placeholder {
                return true;
            }
            from = ceil_boundary(&lower, from + pos + 1);
            if from >= lower.len() {
                break;
            }
        }
        false
    })
}

/// The ASCII digits of `s`, in order.
pub(crate) fn digits(s: &str) -> Vec<u8> {
    s.bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect()
}
