//! The emergency phrases' automaton, built by `build.rs` from [`super::compiled`] so that
//! nothing is built for it when a Worker starts; searched by [`crate::automaton`]. The tests
//! below check it finds the same hits in the same order as aho-corasick.

mod tables {
    include!(concat!(env!("OUT_DIR"), "/phrase_automaton.rs"));
}

#[cfg(test)]
use crate::automaton::at;
pub(crate) use crate::automaton::Hit as PhraseHit;

/// Every occurrence of every phrase in `text`, overlapping ones included.
pub(crate) fn find_overlapping(text: &[u8]) -> Vec<PhraseHit> {
    crate::automaton::find_overlapping::<tables::Automaton>(text)
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
