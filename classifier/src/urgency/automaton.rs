//! The emergency phrases' automaton, built by `build.rs` from [`super::compiled`] so that
//! nothing is built for it when a Worker starts.
//!
//! Overlapping matches are reported as aho-corasick's standard overlapping search reports them:
//! by end position, and at one end position in the state's output order (longest phrase first,
//! then the phrases that are suffixes of it). The matcher reads hits in that order, and the
//! tests below check both searches find the same hits in the same order.

mod tables {
    include!(concat!(env!("OUT_DIR"), "/phrase_automaton.rs"));
}

/// One phrase found: its number among the non-empty phrases, and its byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PhraseHit {
    pub pattern: usize,
    pub start: usize,
    pub end: usize,
}

/// Every occurrence of every phrase in `text`, overlapping ones included.
pub(crate) fn find_overlapping(text: &[u8]) -> Vec<PhraseHit> {
    let mut hits = Vec::new();
    let mut state = 0usize;
    for (i, &b) in text.iter().enumerate() {
        state = next(state, b);
        let lo = at(&tables::OUT_START, state);
        let hi = at(&tables::OUT_START, state + 1);
        for k in lo..hi.min(tables::OUT.len()) {
            let pattern = at(&tables::OUT, k);
            let len = at(&tables::LEN, pattern);
            hits.push(PhraseHit {
                pattern,
                start: i + 1 - len,
                end: i + 1,
            });
        }
    }
    hits
}

/// The state after reading `b` in `state`, following failure links.
fn next(mut state: usize, b: u8) -> usize {
    loop {
        if state == 0 {
            return at(&tables::ROOT, usize::from(b));
        }
        let lo = at(&tables::TRANS_START, state);
        let hi = at(&tables::TRANS_START, state + 1);
        if let Some(bytes) = tables::TRANS_BYTE.get(lo..hi) {
            if let Ok(k) = bytes.binary_search(&b) {
                return at(&tables::TRANS_TO, lo + k);
            }
        }
        state = at(&tables::FAIL, state);
    }
}

/// A generated table's entry as an index, or 0 (the root) past its end. The tables are
/// consistent by construction and a test walks every entry, so the fallback only keeps a broken
/// build from panicking on a patient's message; it is not a promise about what such a build
/// would find.
fn at<T: Copy>(table: &[T], i: usize) -> usize
where
    usize: TryFrom<T>,
{
    table
        .get(i)
        .and_then(|&v| usize::try_from(v).ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::super::PhraseIndex;
    use super::{at, find_overlapping, tables, PhraseHit};
    use proptest::prelude::*;

    fn kept() -> Vec<&'static str> {
        super::super::compiled::PATTERNS
            .iter()
            .copied()
            .filter(|p| !p.is_empty())
            .collect()
    }

    /// aho-corasick's own automaton over the same phrases, as the matcher builds it when the
    /// table is stale, built once for all the tests.
    fn by_oracle(text: &str) -> Vec<PhraseHit> {
        static ORACLE: std::sync::OnceLock<Option<PhraseIndex>> = std::sync::OnceLock::new();
        match ORACLE.get_or_init(|| PhraseIndex::build(kept())) {
            Some(oracle) => oracle.find_overlapping(text),
            None => panic!("the phrase table does not build"),
        }
    }

    #[test]
    fn the_tables_are_consistent() {
        let states = tables::FAIL.len();
        assert_eq!(tables::TRANS_START.len(), states + 1);
        assert_eq!(tables::OUT_START.len(), states + 1);
        assert_eq!(tables::TRANS_TO.len(), tables::TRANS_BYTE.len());
        let below = |n: usize| move |v: usize| v < n;
        let to = (0..tables::TRANS_TO.len()).map(|i| at(&tables::TRANS_TO, i));
        assert!(to.into_iter().all(below(states)));
        assert!((0..states).map(|i| at(&tables::FAIL, i)).all(below(states)));
        assert!((0..256).map(|i| at(&tables::ROOT, i)).all(below(states)));
        let outputs = tables::OUT.len();
        let out = (0..outputs).map(|i| at(&tables::OUT, i));
        assert!(out.into_iter().all(below(tables::PHRASES)));
        let edges = tables::TRANS_BYTE.len() + 1;
        assert!((0..=states)
            .map(|i| at(&tables::TRANS_START, i))
            .all(below(edges)));
        assert!((0..=states)
            .map(|i| at(&tables::OUT_START, i))
            .all(below(outputs + 1)));
        assert_eq!(tables::LEN.len(), tables::PHRASES);
        assert_eq!(tables::PHRASES, kept().len());
    }

    #[test]
    fn every_phrase_finds_itself_among_others() {
        for (id, phrase) in kept().iter().enumerate() {
            let text = format!("so {phrase} today");
            let got = find_overlapping(text.as_bytes());
            assert!(
                got.iter()
                    .any(|h| h.pattern == id && h.start == 3 && h.end == 3 + phrase.len()),
                "phrase {id} {phrase:?} not found in {text:?}"
            );
            assert_eq!(got, by_oracle(&text), "{text:?}");
        }
    }

    #[test]
    fn the_fixture_turns_hit_as_aho_corasick_does() {
        let canon = super::super::canon();
        let mut texts = 0;
        for text in crate::test_corpus::fixture_turns() {
            let norm = super::super::normalize::normalize(&text, Some(&canon));
            assert_eq!(
                find_overlapping(norm.text.as_bytes()),
                by_oracle(&norm.text),
                "{text:?}"
            );
            texts += 1;
        }
        assert!(texts > 1000, "only {texts} turns read");
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 2000,
            failure_persistence: None,
            rng_seed: proptest::test_runner::RngSeed::Fixed(7),
            ..ProptestConfig::default()
        })]
        #[test]
        fn random_text_hits_as_aho_corasick_does(
            words in proptest::collection::vec(
                prop_oneof![
                    proptest::sample::select(kept()).prop_map(str::to_string),
                    "[a-z]{1,6}",
                    " ",
                ],
                0..12,
            )
        ) {
            let text = words.join(" ");
                prop_assert_eq!(find_overlapping(text.as_bytes()), by_oracle(&text));
        }
    }
}
