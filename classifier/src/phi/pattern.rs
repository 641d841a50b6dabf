//! The recognizers' patterns, as DFAs compiled by `build.rs` from [`super::patterns`] and
//! deserialised here, so a Worker's cold start neither parses nor compiles a regular expression.
//!
//! Why ahead of time: building the redactor's twenty-odd patterns at start (regex-automata meta
//! regexes, already without prefilters or full DFAs) was more than half of the triage core's
//! build, in instructions and in a Worker's start-up; loading a serialised dense DFA only
//! checks its header. Dense rather than sparse for search speed (`build/phi_dfas.rs`).
//!
//! A DFA reports where a match starts and ends, never capture groups. The recognizers that read
//! parts of a match get them otherwise: a set of patterns says which alternative matched
//! ([`Found::pattern`]), digits and separators are read from the match's text, and
//! [`Bounds`] finds where a part may start or end inside a match.

use regex_automata::dfa::{dense::DFA, regex::Regex, Automaton};
use regex_automata::util::iter::Searcher;
use regex_automata::{Anchored, Input};

/// The DFAs `build.rs` compiled.
pub(crate) mod compiled {
    include!(concat!(env!("OUT_DIR"), "/phi_dfas.rs"));
}

/// Bundled bytes at the alignment a dense DFA's `u32` transitions need (`include_bytes!` alone
/// gives none); the generated source wraps every DFA file in it.
#[repr(C)]
pub(crate) struct Aligned<Bytes: ?Sized> {
    pub _align: [u32; 0],
    pub bytes: Bytes,
}

/// One pattern set's serialised DFAs, as `build.rs` wrote them (empty where the set's search
/// needs no DFA in that direction).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dfas {
    pub name: &'static str,
    pub forward: &'static [u8],
    pub reverse: &'static [u8],
}

/// A compiled pattern set of the redactor, searched leftmost-first.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    re: Regex<DFA<&'static [u32]>>,
}

/// A match: a span of the searched text, and which pattern of the set matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found<'h> {
    text: &'h str,
    start: usize,
    end: usize,
    pattern: usize,
}

impl<'h> Found<'h> {
    fn of(text: &'h str, m: Option<regex_automata::Match>) -> Option<Self> {
        m.map(|m| Self {
            text,
            start: m.start(),
            end: m.end(),
            pattern: m.pattern().as_usize(),
        })
    }

    pub(crate) fn start(&self) -> usize {
        self.start
    }

    pub(crate) fn end(&self) -> usize {
        self.end
    }

    /// The index of the pattern that matched, in the order its spec lists them.
    pub(crate) fn pattern(&self) -> usize {
        self.pattern
    }

    pub(crate) fn as_str(&self) -> &'h str {
        // Spans come from searching `text` as UTF-8 with a pattern that cannot match inside a
        // character, so this slice always exists; an empty string is a safe answer regardless.
        debug_assert!(self.text.get(self.start..self.end).is_some());
        self.text.get(self.start..self.end).unwrap_or("")
    }
}

/// Deserialises one DFA `build.rs` wrote, without re-validating its transitions: validation
/// walks every transition, and for the sparse form first tried it cost more than compiling the
/// patterns had (33 M instructions). The header and layout are still checked here, and a test validates
/// every compiled DFA in full with `DFA::from_bytes`. The bytes are this crate's own build
/// output, so a failure here is a broken build, never a property of a message.
fn load(name: &str, bytes: &'static [u8]) -> DFA<&'static [u32]> {
    // SAFETY: `bytes` is a file `build.rs` wrote with `to_bytes_little_endian` (or big-endian,
    // following the target) from a DFA regex-automata built, bundled by `include_bytes!`; the
    // build script and this crate use the one regex-automata the lockfile pins, so the format is
    // the one `from_bytes_unchecked` reads. The test `every_compiled_dfa_validates` checks
    // these same bytes with the validating `from_bytes`.
    match unsafe { DFA::from_bytes_unchecked(bytes) } {
        Ok((dfa, _)) => dfa,
        Err(e) => panic!("the redactor's compiled pattern {name} does not load: {e}"),
    }
}

impl Pattern {
    /// A pattern set from its compiled DFAs (`compiled::NAME`).
    pub(crate) fn load(dfas: &Dfas) -> Self {
        let forward = load(dfas.name, dfas.forward);
        let reverse = load(dfas.name, dfas.reverse);
        Self {
            re: Regex::builder().build_from_dfas(forward, reverse),
        }
    }

    /// Leftmost-first, non-overlapping matches, left to right.
    pub(crate) fn find_iter<'h>(&'h self, text: &'h str) -> impl Iterator<Item = Found<'h>> + 'h {
        // The DFAs have no quit bytes and no Unicode word boundaries (every \b is ASCII), so a
        // search cannot fail; were one to, it would end the iteration rather than panic. The
        // searcher steps over empty matches as a regex's `find_iter` does.
        let mut searcher = Searcher::new(Input::new(text));
        std::iter::from_fn(move || {
            let m = searcher.try_advance(|input| self.re.try_search(input));
            Found::of(text, m.ok().flatten())
        })
    }

    /// The first match.
    pub(crate) fn find<'h>(&self, text: &'h str) -> Option<Found<'h>> {
        self.find_at(text, 0)
    }

    /// The first match starting at or after `at`; look-around (`\b`) still sees the text before
    /// `at`.
    pub(crate) fn find_at<'h>(&self, text: &'h str, at: usize) -> Option<Found<'h>> {
        if at > text.len() {
            return None;
        }
        let m = self.re.try_search(&Input::new(text).range(at..));
        Found::of(text, m.ok().flatten())
    }
}

/// An anchored DFA that reports every place a match may end (searching forward from a start)
/// or start (searching backward from an end): where a part of a match lies, when a DFA gives
/// only the whole match's span.
#[derive(Debug, Clone)]
pub(crate) struct Bounds {
    dfa: DFA<&'static [u32]>,
}

impl Bounds {
    /// For [`Bounds::ends_from`]: a set compiled with `Search::EndsFrom`.
    pub(crate) fn forward(dfas: &Dfas) -> Self {
        Self {
            dfa: load(dfas.name, dfas.forward),
        }
    }

    /// For [`Bounds::starts_to`]: a set compiled with `Search::StartsTo`.
    pub(crate) fn reverse(dfas: &Dfas) -> Self {
        Self {
            dfa: load(dfas.name, dfas.reverse),
        }
    }

    /// Every `j` in `start..=limit` such that the pattern matches `text[start..j]` exactly
    /// (the DFA must be a forward one), smallest first. Look-around sees the text outside the
    /// span, as in a search of the whole text.
    pub(crate) fn ends_from(&self, text: &str, start: usize, limit: usize) -> Vec<usize> {
        self.walk(text, start..limit, false)
    }

    /// Every `j` in `floor..=end` such that the pattern matches `text[j..end]` exactly (the DFA
    /// must be a reverse one), largest first. Look-around sees the text outside the span.
    pub(crate) fn starts_to(&self, text: &str, floor: usize, end: usize) -> Vec<usize> {
        self.walk(text, floor..end, true)
    }

    /// Runs the DFA anchored over `span`, forward or backward, and collects every position a
    /// match may end (or, backward, start) at. Matches are reported one byte late: the state
    /// after a byte says whether a match ended before it (backward: started after it), so one
    /// more step settles the far end of the span: the byte after it (backward: before it), or
    /// the end of input when the span reaches the text's edge.
    fn walk(&self, text: &str, span: std::ops::Range<usize>, reverse: bool) -> Vec<usize> {
        let bytes = text.as_bytes();
        let mut found = Vec::new();
        let Some(hay) = bytes.get(span.clone()) else {
            return found;
        };
        let input = Input::new(text).range(span.clone()).anchored(Anchored::Yes);
        let start = if reverse {
            self.dfa.start_state_reverse(&input)
        } else {
            self.dfa.start_state_forward(&input)
        };
        let Ok(mut sid) = start else {
            return found;
        };
        let (steps, past, last): (Box<dyn Iterator<Item = (u8, usize)>>, _, _) = if reverse {
            let steps = hay.iter().enumerate().rev();
            let before = span.start.checked_sub(1).and_then(|p| bytes.get(p));
            let steps = steps.map(move |(i, &b)| (b, span.start + i + 1));
            (Box::new(steps), before, span.start)
        } else {
            let steps = hay.iter().enumerate().map(|(i, &b)| (b, span.start + i));
            (Box::new(steps), bytes.get(span.end), span.end)
        };
        for (b, at) in steps {
            sid = self.dfa.next_state(sid, b);
            if self.dfa.is_match_state(sid) {
                found.push(at);
            } else if self.dfa.is_dead_state(sid) || self.dfa.is_quit_state(sid) {
                return found;
            }
        }
        sid = match past {
            Some(&b) => self.dfa.next_state(sid, b),
            None => self.dfa.next_eoi_state(sid),
        };
        if self.dfa.is_match_state(sid) {
            found.push(last);
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::super::patterns::{self, Search};
    use super::{compiled, Bounds, Dfas, Pattern};
    use proptest::prelude::*;
    use regex_automata::meta;

    fn dfas(name: &str) -> Dfas {
        match compiled::ALL.iter().find(|d| d.name == name) {
            Some(d) => **d,
            None => panic!("no compiled pattern set {name}: is build.rs current?"),
        }
    }

    /// The regex engine the redactor used before: every set compiled at start.
    fn regex(patterns: &[String]) -> meta::Regex {
        match meta::Regex::new_many(patterns) {
            Ok(re) => re,
            Err(e) => panic!("pattern does not compile: {e}"),
        }
    }

    fn spans_by_dfa(p: &Pattern, text: &str) -> Vec<(usize, usize, usize)> {
        p.find_iter(text)
            .map(|m| (m.start(), m.end(), m.pattern()))
            .collect()
    }

    fn spans_by_regex(re: &meta::Regex, text: &str) -> Vec<(usize, usize, usize)> {
        re.find_iter(text)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect()
    }

    /// Texts built to reach every branch: the corpora, plus the shapes each recognizer's
    /// documentation names.
    fn corpus() -> Vec<String> {
        let mut texts = crate::test_corpus::fixture_turns();
        texts.extend(crate::test_corpus::presidio_texts());
        texts.extend(
            [
                "call 555-123-4567 or (555) 123 4567, +1 555.123.4567, +44 (20) 7123 4567",
                "ssn 078-05-1120 and 078 05 1120 and 078051120, 693-09.4444",
                "born 3/14/1988, 1988-03-14T10:30:00Z, 1988/3/14, 14.3.1988, 5/2021, 3/14",
                "March 14th, 1988; 14th of March; 5-May-2021; 14 de marzo de 1990; marzo 14",
                "member id UHC 904417723, MRN: 12345678, póliza nº 884421, ref-AROM22, cuenta del 12345",
                "cuenta del12345, cuenta numero 12345, acct 123\u{17f}4567, acct \u{212a}9988776",
                "policy # 1234 5678 9012 and account is 1234-5678, gift card GC-99201-7",
                "12 Oak Hill Rd Apt 4B, Springfield, IL 62704; 1600 Pennsylvania Ave NW; PO Box 123",
                "calle 5 # 10-20, 350 5th Avenue, 123 Broadway, Austin, TX 78701, zip 90210",
                "https://example.com/x?y=1 www.example.org/path bit.ly/abc j.doe@example.com",
                "10.0.0.1 and 2001:db8::1 and ::ffff:192.0.2.1 and [NAME_1] [PHONE_12]",
                "",
                "é5551234567é ñ078-05-1120ñ",
            ]
            .map(str::to_string),
        );
        texts
    }

    #[test]
    fn every_compiled_dfa_validates() {
        use regex_automata::dfa::dense::DFA;
        let mut loaded = 0;
        for d in compiled::ALL {
            for bytes in [d.forward, d.reverse].into_iter().filter(|b| !b.is_empty()) {
                if let Err(e) = DFA::from_bytes(bytes) {
                    panic!("{} does not validate: {e}", d.name);
                }
                loaded += 1;
            }
        }
        assert_eq!(compiled::ALL.len(), patterns::specs().len());
        assert!(loaded > compiled::ALL.len(), "only {loaded} DFAs");
    }

    #[test]
    fn every_set_finds_what_the_regex_finds() {
        let texts = corpus();
        assert!(texts.len() > 2000, "only {} texts", texts.len());
        for spec in patterns::specs() {
            if spec.search != Search::Find {
                continue;
            }
            let (dfa, re) = (Pattern::load(&dfas(spec.name)), regex(&spec.patterns));
            for text in &texts {
                assert_eq!(
                    spans_by_dfa(&dfa, text),
                    spans_by_regex(&re, text),
                    "{} on {text:?}",
                    spec.name
                );
            }
        }
    }

    #[test]
    fn find_at_sees_the_text_before_the_start() {
        // "b1" starts inside a word: \b must fail there even though the search starts at it.
        let zip = Pattern::load(&dfas("ADDRESS_ZIP"));
        let text = "a12345 12345";
        assert_eq!(zip.find_at(text, 1).map(|m| m.start()), Some(7));
        assert_eq!(zip.find_at(text, 99), None);
        assert_eq!(zip.find(text).map(|m| m.as_str()), Some("12345"));
    }

    /// The ID value the regex's named group picked, for every match in `text`.
    fn id_values_by_regex(re: &meta::Regex, text: &str) -> Vec<(usize, usize, usize)> {
        re.captures_iter(text)
            .filter_map(|c| {
                let m = c.get_match()?;
                let v = c.get_group_by_name("v")?;
                Some((m.start(), v.start, m.end()))
            })
            .collect()
    }

    fn id_values_by_bounds(text: &str) -> Vec<(usize, usize, usize)> {
        static ID: std::sync::OnceLock<(Pattern, Bounds, Bounds)> = std::sync::OnceLock::new();
        let (re, lead, value) = ID.get_or_init(|| {
            (
                Pattern::load(&dfas("ID_CONTEXT")),
                Bounds::forward(&dfas("ID_LEAD")),
                Bounds::reverse(&dfas("ID_VALUE")),
            )
        });
        re.find_iter(text)
            .filter_map(|m| {
                let ends = lead.ends_from(text, m.start(), m.end());
                let starts = value.starts_to(text, m.start(), m.end());
                let vs = starts.into_iter().find(|j| ends.contains(j))?;
                Some((m.start(), vs, m.end()))
            })
            .collect()
    }

    fn id_regex() -> meta::Regex {
        let with_group = format!(
            r"{}(?P<v>{})(?-u:\b)",
            patterns::id_lead(),
            patterns::ID_VALUE
        );
        regex(&[with_group])
    }

    #[test]
    fn the_id_value_is_where_the_regex_group_was() {
        let re = id_regex();
        let mut values = 0;
        for text in corpus() {
            let want = id_values_by_regex(&re, &text);
            values += want.len();
            assert_eq!(id_values_by_bounds(&text), want, "{text:?}");
        }
        assert!(values > 50, "only {values} ID values in the corpus");
    }

    #[test]
    fn id_values_after_fillers_that_begin_other_fillers_and_folded_letters() {
        // "de" begins "del" and "num" begins "numero": the longer filler must be read whole,
        // or the value would be "l" or "ero" and the ID would go unredacted.
        assert_eq!(id_values_by_bounds("cuenta del 12345"), [(0, 11, 16)]);
        assert_eq!(id_values_by_bounds("cuenta del12345"), [(0, 10, 15)]);
        assert_eq!(id_values_by_bounds("cuenta numero 12345"), [(0, 14, 19)]);
        // Under (?i), [A-Za-z] matches "ſ" (U+017F, 2 bytes) as the regex did.
        assert_eq!(id_values_by_bounds("acct 123\u{17f}4567"), [(0, 5, 14)]);
    }

    /// Words, separators and digits of the shapes the patterns look for, in random order.
    fn shaped_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            "[0-9]{1,6}",
            "[A-Za-z]{1,8}",
            proptest::sample::select(vec![
                " ", "  ", "-", "/", ".", ",", ":", "#", "@", "(", ")", "+", "é", "º", "\n",
                "\u{17f}", "\u{212a}", "numero", "cuenta", "member", "id", "policy", "de", "del",
                "no.", "UHC", "St", "Ave", "N", "Apt", "Broadway", "calle", "March", "marzo",
                "www", "http://", ".com", "TX", "box",
            ])
            .prop_map(str::to_string),
        ];
        proptest::collection::vec(piece, 0..16).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 1000,
            failure_persistence: None,
            rng_seed: proptest::test_runner::RngSeed::Fixed(11),
            ..ProptestConfig::default()
        })]
        #[test]
        fn random_shapes_match_as_the_regex_does(text in shaped_text()) {
            static SETS: std::sync::OnceLock<Vec<(Pattern, meta::Regex)>> = std::sync::OnceLock::new();
            let sets = SETS.get_or_init(|| {
                patterns::specs()
                    .into_iter()
                    .filter(|s| s.search == Search::Find)
                    .map(|s| (Pattern::load(&dfas(s.name)), regex(&s.patterns)))
                    .collect()
            });
            for (dfa, re) in sets {
                prop_assert_eq!(spans_by_dfa(dfa, &text), spans_by_regex(re, &text));
            }
        }
    }
}
