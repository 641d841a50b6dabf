//! When a patient's word counts as a clinic's word: the same, an inflection of it ("fillers",
//! "botoxed", "rellenos"), or a typo of it. Typos are forgiven only in long words, where one
//! slip cannot turn one real word into another: "botx" stays unmatched and "later" never becomes
//! "laser".

use crate::clinic::words::edit_distance;

/// Endings that keep a word's meaning: plurals (en/es) and the verb forms patients use about a
/// treatment ("I got botoxed", "peeling").
const SUFFIXES: [&str; 5] = ["s", "es", "ed", "d", "ing"];

/// Real words one edit from common treatment words; a patient who writes them means them.
const NOT_TYPOS: [&str; 8] = [
    "later", "layer", "filter", "fuller", "facil", "threat", "loser", "taser",
];

/// How far a patient's word is from a clinic's word: lower is closer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Closeness {
    Exact,
    Inflected,
    /// Within the typo allowance, by this many edits.
    Typo(u8),
}

impl Closeness {
    pub fn cost(self) -> u32 {
        match self {
            Closeness::Exact => 0,
            Closeness::Inflected => 1,
            Closeness::Typo(edits) => 1 + u32::from(edits) * 2,
        }
    }
}

/// Whether `word` (the patient's) is `known` (the clinic's), both folded.
pub(crate) fn closeness(word: &str, known: &str) -> Option<Closeness> {
    if word == known {
        return Some(Closeness::Exact);
    }
    if inflected(word, known) {
        return Some(Closeness::Inflected);
    }
    typo(word, known).map(Closeness::Typo)
}

/// `word` is `known` with an ending, or `known` is a plural of `word` ("injection" for the
/// clinic's "injections").
pub(crate) fn inflected(word: &str, known: &str) -> bool {
    let ends = |long: &str, short: &str, endings: &[&str]| {
        long.strip_prefix(short)
            .is_some_and(|rest| endings.contains(&rest))
    };
    ends(word, known, &SUFFIXES) || ends(known, word, &["s", "es"])
}

/// The forms a patient's word may have in the clinic's list: itself, without an ending, and
/// with a plural ending.
pub(crate) fn forms(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string(), format!("{word}s"), format!("{word}es")];
    for suffix in SUFFIXES {
        if let Some(stem) = word.strip_suffix(suffix) {
            if stem.chars().count() >= 3 {
                out.push(stem.to_string());
            }
        }
    }
    out
}

/// Edits allowed between two words: none below 5 letters (a slip there makes another word:
/// "lip"/"lid"), 1 from 5, 2 from 9. The first letter must agree: typos there are rare and
/// allowing them matches rhymes ("feels" for "peels").
fn typo(word: &str, known: &str) -> Option<u8> {
    let shorter = word.chars().count().min(known.chars().count());
    let limit = match shorter {
        0..=4 => return None,
        5..=8 => 1,
        _ => 2,
    };
    if word.chars().next() != known.chars().next()
        || NOT_TYPOS.contains(&word)
        || word.bytes().any(|b| b.is_ascii_digit())
    {
        return None;
    }
    let d = edit_distance(word, known, limit);
    (d <= limit).then(|| u8::try_from(d).unwrap_or(u8::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_and_inflected_words_match() {
        assert_eq!(closeness("botox", "botox"), Some(Closeness::Exact));
        for (word, known) in [
            ("fillers", "filler"),
            ("peels", "peel"),
            ("rellenos", "relleno"),
            ("botoxed", "botox"),
            ("peeling", "peel"),
            ("faciales", "facial"),
            ("lips", "lip"),
            ("injection", "injections"),
        ] {
            assert_eq!(closeness(word, known), Some(Closeness::Inflected), "{word}");
        }
    }

    #[test]
    fn typos_are_forgiven_only_in_long_words() {
        assert_eq!(
            closeness("hydrafacal", "hydrafacial"),
            Some(Closeness::Typo(1))
        );
        assert_eq!(closeness("botoz", "botox"), Some(Closeness::Typo(1)));
        assert_eq!(
            closeness("microneedlng", "microneedling"),
            Some(Closeness::Typo(1))
        );
        assert_eq!(
            closeness("mirconeedlig", "microneedling"),
            Some(Closeness::Typo(2))
        );
        // Short words: exact only.
        assert_eq!(closeness("botx", "botox"), None);
        assert_eq!(closeness("lid", "lip"), None);
        assert_eq!(closeness("tix", "tox"), None);
        // Two edits are too many below 9 letters.
        assert_eq!(closeness("bottoxx", "botox"), None);
    }

    #[test]
    fn real_words_and_rhymes_are_not_typos() {
        assert_eq!(closeness("later", "laser"), None);
        assert_eq!(closeness("filter", "filler"), None);
        assert_eq!(closeness("feels", "peels"), None);
        assert_eq!(closeness("appeal", "peel"), None);
        assert_eq!(closeness("feel", "peel"), None);
        assert_eq!(closeness("12345", "12346"), None);
    }

    #[test]
    fn forms_cover_endings_both_ways() {
        let f = forms("fillers");
        assert!(f.contains(&"filler".to_string()));
        assert!(forms("injection").contains(&"injections".to_string()));
        assert!(!forms("lips").contains(&"li".to_string()));
    }
}
