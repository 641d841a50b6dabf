//! Word boundaries shared by the rules. The patterns the rules look for are ASCII, so the body is
//! searched through `to_ascii_lowercase`, which keeps every byte offset where it was; boundaries
//! are judged on the original text so "Botoxé" or "ébit.ly" are not split inside a word.

use std::ops::Range;

/// The character ending just before byte `at`.
pub(super) fn char_before(body: &str, at: usize) -> Option<char> {
    body.get(..at).and_then(|s| s.chars().next_back())
}

/// The character starting at byte `at`.
pub(super) fn char_at(body: &str, at: usize) -> Option<char> {
    body.get(at..).and_then(|s| s.chars().next())
}

pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether `at..end` is a whole word: no letter or digit touches either side.
pub(super) fn is_whole(body: &str, at: usize, end: usize) -> bool {
    !char_before(body, at).is_some_and(is_word_char)
        && !char_at(body, end).is_some_and(is_word_char)
}

/// Maximal runs of letters and digits with their byte offsets.
pub(super) fn words(body: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in body.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, &body[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &body[s..]));
    }
    out
}

/// Whole-word occurrences of `term` (lower-case ASCII, may contain spaces or hyphens) in `body`,
/// ignoring ASCII case, also as a simple plural ("GLP-1s", "Botoxes").
/// `lower` is `body.to_ascii_lowercase()`, passed in so callers with many terms lower once.
pub(super) fn find_term(body: &str, lower: &str, term: &str) -> Vec<Range<usize>> {
    const SUFFIXES: [&str; 3] = ["", "s", "es"];
    let mut out = Vec::new();
    for (at, _) in lower.match_indices(term) {
        if char_before(body, at).is_some_and(is_word_char) {
            continue;
        }
        let end = at + term.len();
        let rest = &lower[end..];
        if let Some(suffix) = SUFFIXES.iter().find(|s| {
            rest.starts_with(**s) && !char_at(body, end + s.len()).is_some_and(is_word_char)
        }) {
            out.push(at..end + suffix.len());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(body: &str, term: &str) -> Vec<Range<usize>> {
        find_term(body, &body.to_ascii_lowercase(), term)
    }

    #[test]
    fn whole_words_with_plurals() {
        assert_eq!(find("BOTOX today", "botox"), vec![0..5]);
        assert_eq!(find("two Botoxes.", "botox"), vec![4..11]);
        assert_eq!(find("Botox's price", "botox"), vec![0..5]);
        assert_eq!(find("GLP-1s work", "glp-1"), vec![0..6]);
        assert_eq!(find("#botox!", "botox"), vec![1..6]);
        assert!(find("botoxparty", "botox").is_empty());
        assert!(find("antibotox", "botox").is_empty());
        assert!(find("ébotox", "botox").is_empty());
        assert!(find("botoxé", "botox").is_empty());
    }

    #[test]
    fn words_split_on_anything_but_letters_and_digits() {
        assert_eq!(
            words("Reply 'STOP' ¿sí?"),
            vec![(0, "Reply"), (7, "STOP"), (15, "sí")]
        );
        assert_eq!(words(""), vec![]);
        assert_eq!(words("end"), vec![(0, "end")]);
    }
}
