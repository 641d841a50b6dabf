//! Intent cues: words and phrases of eleven languages mapped to concepts all of them share.
//!
//! The model learns intents mostly from English and Spanish; each other language has about a
//! hundred training conversations, too few to learn "giá bao nhiêu" or "多少钱" from scratch, so
//! a message in them was read by its script alone (and its script co-occurred with emergencies
//! in training). A concept feature ("price") fires for "how much", "cuanto cuesta", "giá bao
//! nhiêu" and "多少钱" alike, so what the model learns from the large languages carries over.
//! The lists are data (`data/intent_cues/<lang>.tsv`, one `concept<TAB>cue` per line), written
//! per language by native writers who never read the fixtures.
//!
//! Matching works on the model's own words ([`super::features::words`]: lower case, accents
//! folded, stretched letters squeezed), joined by single spaces with a space at each end, so a
//! cue's kind is just where its pattern has spaces:
//! - `cue` (one or more words): the whole words in a row (` how much `);
//! - `cue*`: a word starting with it (` cancel`), for inflections;
//! - `*cue*`: a word containing it (`موعد`), for Arabic clitics;
//! - Chinese and Korean cues match anywhere: Chinese has no spaces, and Korean words carry their
//!   particles ("예약을").
//!
//! One Aho-Corasick pass finds every cue, overlapping, in time linear in the message. The bundled
//! lists are normalised ahead of time (`cues_compiled.rs`, checked by a test), which halves the
//! start-up cost; the automaton itself is built at start (about 18 ms natively): generated as
//! static tables like the emergency phrases' it added 280 KB to the compressed Worker, past the
//! 3 MB budget.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

#[path = "cues_compiled.rs"]
mod compiled;

use super::features::words;
use crate::text::written_without_spaces;

/// The concepts, in a fixed order (a concept's index is stable only within one build; the model
/// sees the concept's name, hashed).
pub const CONCEPTS: &[&str] = &[
    "book",
    "appointment",
    "reschedule",
    "cancel",
    "confirm",
    "when_mine",
    "when",
    "late",
    "waitlist",
    "botox",
    "filler",
    "laser",
    "peel",
    "treatment",
    "info_q",
    "suitability",
    "pregnant",
    "medication",
    "before",
    "after",
    "activity",
    "normal_q",
    "swelling",
    "bruise",
    "red",
    "pain",
    "itch",
    "lump",
    "peeling_skin",
    "uneven",
    "breathing",
    "vision",
    "colour_change",
    "fever",
    "faint",
    "chest",
    "doctor",
    "photo",
    "results",
    "price",
    "promo",
    "pay",
    "charge",
    "membership",
    "product",
    "buy",
    "hours",
    "address",
    "parking",
    "thanks",
    "praise",
    "complaint",
    "manager",
    "call_me",
    "language_req",
    "greeting",
    "who",
    "stop",
    "start",
    "help_cmd",
    "yes",
    "no",
    "inject",
];

/// The bundled lists, one per language, by the language's BCP-47 tag.
pub const BUNDLED: &[(&str, &str)] = &[
    ("en", include_str!("../../data/intent_cues/en.tsv")),
    ("es", include_str!("../../data/intent_cues/es.tsv")),
    ("pt", include_str!("../../data/intent_cues/pt.tsv")),
    ("fr", include_str!("../../data/intent_cues/fr.tsv")),
    ("zh", include_str!("../../data/intent_cues/zh.tsv")),
    ("ko", include_str!("../../data/intent_cues/ko.tsv")),
    ("vi", include_str!("../../data/intent_cues/vi.tsv")),
    ("tl", include_str!("../../data/intent_cues/tl.tsv")),
    ("ar", include_str!("../../data/intent_cues/ar.tsv")),
    ("ru", include_str!("../../data/intent_cues/ru.tsv")),
    ("ht", include_str!("../../data/intent_cues/ht.tsv")),
];

/// A line of a cue list that cannot be used, named by list and line so it can be fixed there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("intent cues {list}.tsv line {line}: {problem}")]
pub struct CueError {
    pub list: String,
    pub line: usize,
    pub problem: String,
}

/// The compiled lists.
#[derive(Debug, Clone)]
pub struct Cues {
    search: Search,
}

#[derive(Debug, Clone)]
enum Search {
    /// The bundled lists, normalised at build time (`cues_compiled.rs`).
    Compiled { automaton: AhoCorasick },
    /// Lists given at run time (tests, the compiled file's check): aho-corasick, and per pattern
    /// the concepts it stands for (a cue may be in two lists).
    Built {
        automaton: AhoCorasick,
        concepts: Vec<Vec<u16>>,
    },
}

/// Where a cue may match, from its `*` markers and its script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    Words,
    Prefix,
    Inside,
}

impl Cues {
    /// The bundled lists, normalised when the crate was built; only the automaton is built here.
    pub fn bundled() -> Result<Self, CueError> {
        let automaton = build(compiled::PATTERNS)?;
        Ok(Self {
            search: Search::Compiled { automaton },
        })
    }

    /// Compiles `(name, text)` lists; the first bad line is an error naming it.
    pub fn from_lists(lists: &[(&str, &str)]) -> Result<Self, CueError> {
        let (literals, concepts) = compile(lists)?;
        let automaton = build(&literals)?;
        Ok(Self {
            search: Search::Built {
                automaton,
                concepts,
            },
        })
    }

    /// The concepts named in `words` once a word that is a slip of a cue word is read as that
    /// word: "cofirm", "how mutch is the dermaplaning". For the policy's check that a message
    /// names its topic, where a typo in the one word naming it sent the message to a person;
    /// the model's own features stay exact, as it was trained on them.
    ///
    /// Without a dictionary, a real word one slip from a cue word would be "corrected" too
    /// ("sort" to "sport", "cierto" to Portuguese "certo"), so only so much is read: a word of
    /// five ASCII letters or more that `known` (the model's vocabulary) does not hold, one slip
    /// ([`super::one_slip`]) from exactly one English or Spanish cue word, the only languages
    /// a template answers. A real word outside the vocabulary can still be taken for a cue
    /// word ("shoot" for "shot"); it only lets a message the model read as one topic pass the
    /// check that it names that topic, and every other guard still reads it.
    pub fn concepts_through_slips(
        &self,
        words: Vec<String>,
        known: &dyn Fn(&str) -> bool,
    ) -> Vec<&'static str> {
        let lexicon = compiled::SLIP_TARGETS;
        let read: Vec<String> = words
            .into_iter()
            .map(|w| {
                if w.len() < SLIP_LETTERS || known(&w) || lexicon.binary_search(&w.as_str()).is_ok()
                {
                    return w;
                }
                // A slip keeps the first letter: only the sorted run of words sharing it is
                // compared, and only those within a letter of its length.
                let Some(&first) = w.as_bytes().first() else {
                    return w;
                };
                let from = lexicon.partition_point(|cue| cue.as_bytes().first() < Some(&first));
                let to = lexicon.partition_point(|cue| cue.as_bytes().first() <= Some(&first));
                let mut near = lexicon[from..to]
                    .iter()
                    .filter(|cue| cue.len().abs_diff(w.len()) <= 1 && super::one_slip(&w, cue));
                match (near.next(), near.next()) {
                    (Some(cue), None) => (*cue).to_owned(),
                    _ => w,
                }
            })
            .collect();
        self.concepts(&read)
    }

    /// The concepts named in `words` (the model's words of one message), each once, in
    /// [`CONCEPTS`] order.
    pub fn concepts(&self, words: &[String]) -> Vec<&'static str> {
        let mut text = String::with_capacity(words.iter().map(|w| w.len() + 1).sum::<usize>() + 1);
        text.push(' ');
        for w in words {
            text.push_str(w);
            text.push(' ');
        }
        let mut seen = vec![false; CONCEPTS.len()];
        let mut mark = |ids: &[u16]| {
            for &id in ids {
                if let Some(s) = seen.get_mut(usize::from(id)) {
                    *s = true;
                }
            }
        };
        match &self.search {
            Search::Compiled { automaton } => {
                for m in automaton.find_overlapping_iter(&text) {
                    mark(
                        compiled::CONCEPTS
                            .get(m.pattern().as_usize())
                            .copied()
                            .unwrap_or(&[]),
                    );
                }
            }
            Search::Built {
                automaton,
                concepts,
            } => {
                for m in automaton.find_overlapping_iter(&text) {
                    mark(
                        concepts
                            .get(m.pattern().as_usize())
                            .map_or(&[], Vec::as_slice),
                    );
                }
            }
        }
        CONCEPTS
            .iter()
            .zip(seen)
            .filter_map(|(c, s)| s.then_some(*c))
            .collect()
    }
}

/// The shortest word read as a slip: a slip of a shorter word is as often another word ("sort",
/// "sport").
const SLIP_LETTERS: usize = 5;

fn build<P: AsRef<[u8]>>(patterns: &[P]) -> Result<AhoCorasick, CueError> {
    AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(patterns)
        .map_err(|e| CueError {
            list: "(all)".to_string(),
            line: 0,
            problem: format!("the cues do not compile: {e}"),
        })
}

/// The automaton's patterns, sorted, with the concepts each stands for.
type Compiled = (Vec<String>, Vec<Vec<u16>>);

fn compile(lists: &[(&str, &str)]) -> Result<Compiled, CueError> {
    let mut patterns: HashMap<String, Vec<u16>> = HashMap::new();
    for (list, text) in lists {
        for (index, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let error = |problem: String| CueError {
                list: (*list).to_string(),
                line: index + 1,
                problem,
            };
            let (concept, cue) = parse_line(line).map_err(error)?;
            let pattern = pattern(cue).map_err(error)?;
            let ids = patterns.entry(pattern).or_default();
            if !ids.contains(&concept) {
                ids.push(concept);
            }
        }
    }
    let mut ordered: Vec<(String, Vec<u16>)> = patterns.into_iter().collect();
    ordered.sort();
    let (literals, concepts): (Vec<String>, Vec<Vec<u16>>) = ordered.into_iter().unzip();
    Ok((literals, concepts))
}

fn parse_line(line: &str) -> Result<(u16, &str), String> {
    let mut fields = line.split('\t');
    let (Some(concept), Some(cue), None) = (fields.next(), fields.next(), fields.next()) else {
        return Err("expected `concept<TAB>cue`".to_string());
    };
    let concept = concept.trim();
    let index = CONCEPTS.iter().position(|c| *c == concept).ok_or_else(|| {
        format!("unknown concept `{concept}` (the concepts are in model/cues.rs)")
    })?;
    let index = u16::try_from(index).map_err(|_| "too many concepts".to_string())?;
    Ok((index, cue.trim()))
}

/// The automaton pattern of one cue: its words as the model splits them, with spaces where the
/// cue must meet a word boundary.
fn pattern(cue: &str) -> Result<String, String> {
    let starts = cue.starts_with('*');
    let ends = cue.ends_with('*');
    let core = cue.trim_matches('*');
    if core.contains('*') {
        return Err("`*` may only end a cue or surround a one-word cue".to_string());
    }
    let parts = words(core);
    if parts.is_empty() {
        return Err("the cue has no letters".to_string());
    }
    let joined = parts.join(" ");
    let letters = joined.chars().filter(|c| c.is_alphanumeric()).count();
    let eastern = joined.chars().any(written_without_spaces);
    let anchor = match (starts, ends) {
        _ if eastern => Anchor::Inside,
        (false, false) => Anchor::Words,
        (false, true) => Anchor::Prefix,
        (true, true) if parts.len() == 1 => Anchor::Inside,
        _ => {
            return Err(
                "a leading `*` needs a trailing one, on a one-word cue (`*word*`)".to_string(),
            )
        }
    };
    match anchor {
        // An emoji is a word of its own ("👍"); one letter is not a cue.
        Anchor::Words if letters == 1 || (letters == 0 && joined.trim().is_empty()) => {
            Err("a one-letter cue matches too much".to_string())
        }
        Anchor::Prefix | Anchor::Inside if !eastern && letters < 3 => {
            Err("a `*` cue needs at least three letters".to_string())
        }
        Anchor::Words => Ok(format!(" {joined} ")),
        Anchor::Prefix => Ok(format!(" {joined}")),
        Anchor::Inside => Ok(joined),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The English and Spanish cue words of four ASCII letters or more (the shortest
    /// [`super::one_slip`] compares), sorted, each once: generated into `cues_compiled.rs` with the
    /// patterns, so the lists themselves stay out of the Worker.
    fn slip_words(lists: &[(&str, &str)]) -> Vec<String> {
        let mut all: Vec<String> = lists
            .iter()
            .filter(|(lang, _)| matches!(*lang, "en" | "es"))
            .flat_map(|(_, text)| text.lines())
            .filter(|line| !line.trim_start().starts_with('#'))
            .filter_map(|line| line.split('\t').nth(1))
            .flat_map(|cue| words(cue.trim().trim_matches('*')))
            .filter(|w| w.len() >= 4 && w.bytes().all(|b| b.is_ascii_lowercase()))
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    fn found(cues: &Cues, text: &str) -> Vec<&'static str> {
        cues.concepts(&words(text))
    }

    #[test]
    fn a_slip_in_a_cue_word_is_read_as_the_word_and_another_word_is_not() {
        let cues = Cues::bundled().unwrap_or_else(|e| panic!("{e}"));
        let known = |w: &str| matches!(w, "shoot" | "much" | "how");
        let through = |text: &str| cues.concepts_through_slips(words(text), &known);
        for (typed, concept) in [
            ("cofirm", "confirm"),
            ("how mutch is the dermaplaning", "price"),
            ("thnaks so much", "thanks"),
        ] {
            assert!(!found(&cues, typed).contains(&concept), "{typed}: exact");
            assert!(through(typed).contains(&concept), "{typed}: through slips");
        }
        // A changed letter, two slips, a word the model knows, a short word and a slip of a
        // cue word of another language are read as written.
        for (typed, concept) in [
            ("how much is a filter", "filler"),
            ("cnofrim", "confirm"),
            // "shoot" stands for a word the vocabulary holds (`known`), read as written.
            ("what does it cost for a shoot", "botox"),
            ("sort of", "activity"),
            ("es cierto", "yes"),
        ] {
            assert!(!through(typed).contains(&concept), "{typed}");
        }
        assert_eq!(
            through("how much is botox"),
            found(&cues, "how much is botox")
        );
    }

    #[test]
    fn every_bundled_list_compiles_and_covers_the_common_concepts() {
        let cues = Cues::from_lists(BUNDLED).unwrap_or_else(|e| panic!("{e}"));
        assert!(!cues.concepts(&words("how much is botox")).is_empty());
        for (lang, text) in BUNDLED {
            let named: std::collections::HashSet<&str> = text
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                .filter_map(|l| l.split('\t').next())
                .collect();
            for concept in ["book", "cancel", "price", "hours", "thanks", "pain", "stop"] {
                assert!(named.contains(concept), "{lang} has no `{concept}` cue");
            }
        }
    }

    /// `cues_compiled.rs` is the bundled lists normalised ahead of time, the source of the
    /// automaton `build.rs` generates. It must say exactly what compiling the lists now says;
    /// after changing a list or the normalisation, regenerate it with
    /// `BLESS=1 cargo test -p classifier --lib compiled_cues_are_current`.
    #[test]
    fn compiled_cues_are_current() {
        let (patterns, concepts) = compile(BUNDLED).unwrap_or_else(|e| panic!("{e}"));
        if std::env::var_os("BLESS").is_some() {
            let mut out = String::from(
                "//! The bundled intent-cue lists normalised ahead of time: the automaton's \
                 patterns, sorted,\n//! and the concepts (indices into `cues::CONCEPTS`) each \
                 stands for. Generated by\n//! `BLESS=1 cargo test -p classifier --lib \
                 compiled_cues_are_current`; do not edit.\n\n\
                 pub(crate) const PATTERNS: &[&str] = &[\n",
            );
            for p in &patterns {
                out.push_str(&format!("    {p:?},\n"));
            }
            out.push_str("];\n\npub(crate) const CONCEPTS: &[&[u16]] = &[\n");
            for c in &concepts {
                out.push_str(&format!("    &{c:?},\n"));
            }
            out.push_str(
                "];\n\n/// The English and Spanish cue words a patient's slip is read as \
                 (`Cues::concepts_through_slips`).\npub(crate) const SLIP_TARGETS: &[&str] = &[\n",
            );
            for w in slip_words(BUNDLED) {
                out.push_str(&format!("    {w:?},\n"));
            }
            out.push_str("];\n");
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/model/cues_compiled.rs");
            if let Err(e) = std::fs::write(path, out) {
                panic!("cannot write {path}: {e}");
            }
            return;
        }
        let stale = patterns.len() != compiled::PATTERNS.len()
            || patterns.iter().zip(compiled::PATTERNS).any(|(a, b)| a != b)
            || concepts
                .iter()
                .zip(compiled::CONCEPTS)
                .any(|(a, b)| a.as_slice() != *b)
            || slip_words(BUNDLED) != compiled::SLIP_TARGETS;
        assert!(
            !stale,
            "src/model/cues_compiled.rs is stale: regenerate it with \
             `BLESS=1 cargo test -p classifier --lib compiled_cues_are_current`"
        );
    }

    #[test]
    fn the_compiled_automaton_finds_what_aho_corasick_finds() {
        let compiled = Cues::bundled().unwrap_or_else(|e| panic!("{e}"));
        let built = Cues::from_lists(BUNDLED).unwrap_or_else(|e| panic!("{e}"));
        let mut texts = 0;
        for text in crate::test_corpus::fixture_turns() {
            let w = words(&text);
            assert_eq!(compiled.concepts(&w), built.concepts(&w), "{text:?}");
            texts += 1;
        }
        assert!(texts > 1000, "only {texts} fixture turns");
    }

    #[test]
    fn whole_words_prefixes_and_insides_match_where_they_should() {
        let cues = Cues::from_lists(&[(
            "t",
            "price\thow much\ncancel\tcancel*\nappointment\t*موعد*\nbook\t预约\nhours\topen\n",
        )])
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(found(&cues, "How MUCH is it"), vec!["price"]);
        assert_eq!(found(&cues, "howmuch"), Vec::<&str>::new());
        assert_eq!(found(&cues, "I cancelled"), vec!["cancel"]);
        assert_eq!(found(&cues, "uncancel"), Vec::<&str>::new());
        assert_eq!(found(&cues, "بدي الغي الموعد"), vec!["appointment"]);
        assert_eq!(found(&cues, "我想预约明天"), vec!["book"]);
        // A whole-word cue does not match inside a longer word.
        assert_eq!(found(&cues, "opener"), Vec::<&str>::new());
        // An emoji is a cue word of its own.
        let emoji = Cues::from_lists(&[("t", "yes\t👍\n")]).unwrap();
        assert_eq!(found(&emoji, "ok 👍👍"), vec!["yes"]);
        // Accents and case are folded as the model's words are.
        let folded = Cues::from_lists(&[("t", "price\tgiá bao nhiêu\n")]).unwrap();
        assert_eq!(found(&folded, "GIA BAO NHIEU vay"), vec!["price"]);
    }

    #[test]
    fn each_concept_is_reported_once_in_a_fixed_order() {
        let cues =
            Cues::from_lists(&[("t", "thanks\tthanks\nprice\tprice\nprice\tcost\n")]).unwrap();
        assert_eq!(
            found(&cues, "thanks! price? cost? thanks"),
            vec!["price", "thanks"]
        );
    }

    #[test]
    fn a_bad_line_is_named_by_list_and_line() {
        let cases = [
            ("price\n", "expected `concept<TAB>cue`"),
            ("prices\thow much\n", "unknown concept `prices`"),
            ("price\ta\n", "one-letter"),
            ("price\tco*\n", "at least three letters"),
            ("price\t*cost\n", "leading `*`"),
            ("price\thow*much\n", "may only end"),
            ("price\t!!\n", "no letters"),
        ];
        for (text, problem) in cases {
            let e = Cues::from_lists(&[("xx", text)]).unwrap_err();
            assert_eq!((e.list.as_str(), e.line), ("xx", 1), "{text}");
            assert!(e.problem.contains(problem), "{text}: {}", e.problem);
        }
        let e = Cues::from_lists(&[("xx", "# header\n\nprice\tcost\nbogus\tx\n")]).unwrap_err();
        assert_eq!(e.line, 4);
    }
}
