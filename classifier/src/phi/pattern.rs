//! The recognizers' compiled patterns: regex-automata's meta regex, configured for a Worker that
//! builds every pattern on each cold start and then searches text the length of an SMS.
//!
//! Why not `regex::Regex`: it cannot turn off literal prefilters, and extracting the literals of
//! our long keyword alternations (ID context words, month names) and building Teddy and
//! aho-corasick searchers from them was more than half of each pattern's build time (the
//! redactor's patterns built natively by a scratch program: 21 ms with prefilters, 9 ms without,
//! medians of 15; the README has the whole build's figures). A prefilter
//! pays for itself over long haystacks; over 160 characters the lazy DFA alone is as quick to
//! scan, and in wasm every code path the build touches is also code V8 must compile first.
//!
//! The methods mirror the subset of `regex::Regex` the recognizers use, so they read the same.

use regex_automata::meta::{self, Regex};
use regex_automata::util::captures::Captures;
use regex_automata::Input;

/// A compiled pattern of the redactor.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    re: Regex,
}

/// A match: a span of the searched text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found<'h> {
    text: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Found<'h> {
    pub(crate) fn start(&self) -> usize {
        self.start
    }

    pub(crate) fn end(&self) -> usize {
        self.end
    }

    pub(crate) fn as_str(&self) -> &'h str {
        // Spans come from searching `text` as UTF-8 with a pattern that cannot match inside a
        // character, so this slice always exists; an empty string is a safe answer regardless.
        debug_assert!(self.text.get(self.start..self.end).is_some());
        self.text.get(self.start..self.end).unwrap_or("")
    }
}

/// The groups of one match.
#[derive(Debug, Clone)]
pub(crate) struct Groups<'h> {
    text: &'h str,
    caps: Captures,
}

impl<'h> Groups<'h> {
    /// Group `i` (0 is the whole match), if it took part in the match.
    pub(crate) fn get(&self, i: usize) -> Option<Found<'h>> {
        self.caps.get_group(i).map(|s| self.found(s.start, s.end))
    }

    /// The named group, if it exists and took part in the match.
    pub(crate) fn name(&self, name: &str) -> Option<Found<'h>> {
        self.caps
            .get_group_by_name(name)
            .map(|s| self.found(s.start, s.end))
    }

    fn found(&self, start: usize, end: usize) -> Found<'h> {
        Found {
            text: self.text,
            start,
            end,
        }
    }
}

impl Pattern {
    /// Compiles a constant pattern of the crate. The patterns are literals checked by the unit
    /// tests, so a failure here is a programming error, never a property of the input.
    pub(crate) fn new(pattern: &str) -> Self {
        // No full DFA either: its determinisation is the costliest build step when another crate
        // in the build turns the feature on, and the lazy DFA serves SMS-length text as well.
        let config = meta::Config::new().auto_prefilter(false).dfa(false);
        match Regex::builder().configure(config).build(pattern) {
            Ok(re) => Self { re },
            Err(e) => panic!("invalid built-in PHI pattern {pattern:?}: {e}"),
        }
    }

    /// Leftmost-first, non-overlapping matches, as `regex::Regex::find_iter`.
    pub(crate) fn find_iter<'h>(&'h self, text: &'h str) -> impl Iterator<Item = Found<'h>> + 'h {
        self.re.find_iter(text).map(move |m| Found {
            text,
            start: m.start(),
            end: m.end(),
        })
    }

    /// The first match.
    pub(crate) fn find<'h>(&self, text: &'h str) -> Option<Found<'h>> {
        self.find_at(text, 0)
    }

    /// The first match starting at or after `at`; look-around (`\b`) still sees the text before
    /// `at`, as with `regex::Regex::find_at`.
    pub(crate) fn find_at<'h>(&self, text: &'h str, at: usize) -> Option<Found<'h>> {
        if at > text.len() {
            return None;
        }
        self.re.find(Input::new(text).range(at..)).map(|m| Found {
            text,
            start: m.start(),
            end: m.end(),
        })
    }

    /// Every match with its groups, as `regex::Regex::captures_iter`.
    pub(crate) fn captures_iter<'h>(
        &'h self,
        text: &'h str,
    ) -> impl Iterator<Item = Groups<'h>> + 'h {
        self.re
            .captures_iter(text)
            .map(move |caps| Groups { text, caps })
    }

    /// The first match starting at or after `at`, with its groups.
    pub(crate) fn captures_at<'h>(&self, text: &'h str, at: usize) -> Option<Groups<'h>> {
        if at > text.len() {
            return None;
        }
        let mut caps = self.re.create_captures();
        self.re
            .search_captures(&Input::new(text).range(at..), &mut caps);
        caps.is_match().then_some(Groups { text, caps })
    }
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    #[test]
    fn finds_every_match_left_to_right() {
        let p = Pattern::new(r"[0-9]+");
        let got: Vec<_> = p.find_iter("a 12 b 345").map(|m| m.as_str()).collect();
        assert_eq!(got, ["12", "345"]);
    }

    #[test]
    fn find_at_sees_the_text_before_the_start() {
        // "b1" starts inside a word: \b must fail there even though the search starts at it.
        let p = Pattern::new(r"\bb[0-9]");
        assert_eq!(p.find_at("ab1 b2", 1).map(|m| m.start()), Some(4));
        assert_eq!(p.find_at("ab1", 9), None);
    }

    #[test]
    fn groups_by_index_and_name() {
        let p = Pattern::new(r"(?P<a>[a-z]+)-([0-9]+)?");
        let g = p.captures_at("x: ab-", 0);
        let Some(g) = g else { panic!("no match") };
        assert_eq!(g.name("a").map(|m| m.as_str()), Some("ab"));
        assert_eq!(g.get(2), None);
        assert_eq!(g.get(0).map(|m| (m.start(), m.end())), Some((3, 6)));
        assert!(p.captures_at("x: ab-", 6).is_none());
        let all: Vec<_> = p
            .captures_iter("a-1 b-2")
            .filter_map(|g| g.get(2).map(|m| m.as_str()))
            .collect();
        assert_eq!(all, ["1", "2"]);
    }
}
