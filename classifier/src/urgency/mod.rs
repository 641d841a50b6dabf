//! Emergency matching: does this message need a clinician now?
//!
//! API fixed for the rest of the crate (implementation in this folder):
//! [`EmergencyMatcher::new`] builds the phrase automata once; [`EmergencyMatcher::assess`] reads a
//! patient message (with the conversation's earlier turns as context) and says which clinical
//! signs it matched and which candidate matches it set aside (negated, hypothetical).

//! How it works, and why:
//! - [`normalize`] folds case, accents, stretched letters, texting forms, misspellings and emoji,
//!   keeping each word's original byte span, so one table entry covers many spellings and matches
//!   are still reported against the text the nurse reads.
//! - [`phrases`] holds the English and Spanish tables: direct phrases ("can't breathe") and
//!   concepts ("throat", "tight", "white", "filler").
//! - [`rules`] finds candidates (direct phrases, and concepts that occur near each other), then
//!   sets aside only those a specific cue explains away (negation, hypothetical, figurative, a
//!   bruise's colour). With no such cue a candidate stands: a missed emergency costs far more
//!   than a nurse reading a false alarm.

mod automaton;
mod compiled;
mod normalize;
mod phrases;
mod phrases_intl;
mod rules;

use std::borrow::Cow;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use serde::{Deserialize, Serialize};

use self::normalize::{normalize, squeeze, Canon};
use self::phrases::Lex;
use self::rules::{Context, Scan};

/// Word rewrites keyed by the normalised word (messages are normalised with them).
fn canon() -> Canon {
    let mut canon = Canon::with_capacity(phrases::CANON.len());
    for (k, v) in phrases::CANON {
        let key = normalize(k, None).text;
        let val = v.split_whitespace().map(squeeze).collect();
        canon.insert(key, val);
    }
    canon
}

/// Every phrase-table entry as written, then the generated ones: the order of
/// [`compiled::PATTERNS`]. Table entries are borrowed: this runs on every cold start.
fn entries() -> Vec<(Cow<'static, str>, Lex)> {
    let mut entries: Vec<(Cow<'static, str>, Lex)> = phrases::TABLE
        .iter()
        .chain(phrases_intl::TABLE)
        .map(|(p, l)| (Cow::Borrowed(*p), *l))
        .collect();
    phrases::generated(&mut entries);
    entries
}

/// The normalised form aho-corasick searches for, of an entry as written ("blanch*" is a stem).
fn compile(entry: &str, canon: &Canon) -> String {
    normalize(entry.strip_suffix('*').unwrap_or(entry), Some(canon)).text
}

/// The entries' normalised forms, from `table` (the entries' order; a test keeps
/// [`compiled::PATTERNS`] equal to normalising them). Should a build ever ship with a stale table
/// (its length no longer the entries'), the phrases are normalised here instead, so a phrase can
/// never be paired with another's sign.
fn normalized(
    entries: &[(Cow<'static, str>, Lex)],
    table: &'static [&'static str],
    canon: &Canon,
) -> Vec<Cow<'static, str>> {
    if is_current(table, entries) {
        table.iter().map(|p| (*p).into()).collect()
    } else {
        entries
            .iter()
            .map(|(p, _)| compile(p, canon).into())
            .collect()
    }
}

/// Whether the normalised table still has one entry per phrase; when it does, the automaton
/// generated from it (`build.rs`) is current too.
fn is_current(table: &[&str], entries: &[(Cow<'static, str>, Lex)]) -> bool {
    table.len() == entries.len()
}

use crate::conversation::CONTEXT_TURNS;

/// The clinical sign a match points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sign {
    VascularOcclusion,
    VisionChange,
    Anaphylaxis,
    BreathingTrouble,
    ChestPain,
    Fainting,
    Infection,
    SelfHarm,
    /// Facial droop with slurred speech, sudden one-sided weakness.
    Stroke,
    /// An emergency said in general words ("call 911", "ambulance", "help" with a symptom).
    GeneralEmergency,
}

/// How a match was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchSource {
    /// A phrase of the aho-corasick sets.
    Phrase,
    /// A rule combining evidence (e.g. a colour word near a filler word).
    Rule,
}

/// One piece of evidence of an emergency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UrgencyMatch {
    pub sign: Sign,
    pub source: MatchSource,
    /// The canonical phrase or rule name that matched, for the audit trail.
    pub pattern: String,
    /// Byte offsets into the assessed text.
    pub start: usize,
    pub end: usize,
}

/// Why a candidate match was not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SetAside {
    Negated,
    Figurative,
    /// A question about risks or a past event ("what are the signs of an occlusion?", "can
    /// filler cause blindness?"), with nothing saying it is happening now.
    Hypothetical,
    /// The expected course of a side effect (a bruise turning purple) with no alarm sign.
    Benign,
}

/// The matcher's reading of one message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UrgencyAssessment {
    pub matches: Vec<UrgencyMatch>,
    pub set_aside: Vec<(UrgencyMatch, SetAside)>,
    /// The message names a symptom, a sign or a medical word (negated or not): what the
    /// policy reads in a language the model was not trained on.
    pub medical_cue: bool,
}

impl UrgencyAssessment {
    pub fn is_urgent(&self) -> bool {
        !self.matches.is_empty()
    }
}

/// Where the phrases are looked up: the automaton generated at build time, or, if the normalised
/// table no longer has one entry per phrase (stale; a test fails first), one built at start from
/// the phrases normalised then.
pub(crate) enum PhraseIndex {
    Compiled,
    Built(AhoCorasick),
}

impl PhraseIndex {
    /// Builds the automaton at run time, as aho-corasick's standard (overlapping) kind; the
    /// non-contiguous NFA builds fastest.
    fn build<P: AsRef<[u8]>>(patterns: impl IntoIterator<Item = P>) -> Option<Self> {
        AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::NoncontiguousNFA))
            .build(patterns)
            .ok()
            .map(Self::Built)
    }

    /// Every phrase occurrence in normalised `text`, overlapping ones included, by end position.
    pub(crate) fn find_overlapping(&self, text: &str) -> Vec<automaton::PhraseHit> {
        match self {
            Self::Compiled => automaton::find_overlapping(text.as_bytes()),
            Self::Built(ac) => ac
                .find_overlapping_iter(text)
                .map(|m| automaton::PhraseHit {
                    pattern: m.pattern().as_usize(),
                    start: m.start(),
                    end: m.end(),
                })
                .collect(),
        }
    }
}

/// The emergency phrase sets and rules, built once.
pub struct EmergencyMatcher {
    /// None only if the automaton could not be built (it is built from static tables, so this
    /// means a broken table): then every message is escalated rather than silently passed.
    phrases: Option<PhraseIndex>,
    lex: Vec<Lex>,
    stem: Vec<bool>,
    /// Each pattern's canonical text, for the audit trail.
    patterns: Vec<Cow<'static, str>>,
    canon: Canon,
}

impl std::fmt::Debug for EmergencyMatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmergencyMatcher")
            .field("patterns", &self.patterns.len())
            .field("built", &self.phrases.is_some())
            .finish()
    }
}

impl Default for EmergencyMatcher {
    fn default() -> Self {
        Self::new()
    }
}

impl EmergencyMatcher {
    /// Builds the tables: every entry's form normalised by the same pipeline as messages (ahead
    /// of time, [`compiled`]), and one Aho-Corasick automaton over all of them (also ahead of
    /// time, [`automaton`]; built here only if the normalised table is stale).
    pub fn new() -> Self {
        let canon = canon();
        let entries = entries();
        let current = is_current(compiled::PATTERNS, &entries);
        let normalized = normalized(&entries, compiled::PATTERNS, &canon);
        let mut patterns = Vec::with_capacity(entries.len());
        let mut lex = Vec::with_capacity(entries.len());
        let mut stem = Vec::with_capacity(entries.len());
        for ((source, l), n) in entries.into_iter().zip(normalized) {
            if n.is_empty() {
                continue;
            }
            patterns.push(n);
            lex.push(l);
            stem.push(source.ends_with('*'));
        }
        let phrases = if current {
            Some(PhraseIndex::Compiled)
        } else {
            PhraseIndex::build(patterns.iter().map(|p| p.as_bytes()))
        };
        Self {
            phrases,
            lex,
            stem,
            patterns,
            canon,
        }
    }

    /// Assesses the patient's `text`; `context` holds the earlier turns, oldest first.
    ///
    /// Earlier turns are evidence, never matches on their own: a clinic reminder that lists
    /// warning signs does not make "thanks!" urgent. They supply the treatment ("your lip filler
    /// today"), the face area, and a clinic question the patient may be answering "yes" to.
    pub fn assess(&self, text: &str, context: &[&str]) -> UrgencyAssessment {
        let Some(ac) = &self.phrases else {
            return UrgencyAssessment {
                matches: vec![UrgencyMatch {
                    sign: Sign::GeneralEmergency,
                    source: MatchSource::Rule,
                    pattern: "matcher unavailable: escalate".into(),
                    start: 0,
                    end: text.len(),
                }],
                set_aside: Vec::new(),
                medical_cue: true,
            };
        };
        let scan = |t: &str| Scan::new(t, ac, &self.lex, &self.stem, &self.canon);
        let recent = &context[context.len().saturating_sub(CONTEXT_TURNS)..];
        let mut ctx = Context::default();
        let mut prev = None;
        for t in recent {
            let s = scan(t);
            ctx.absorb(&s);
            prev = Some(s);
        }
        let own = scan(text);
        rules::assess(text, &own, ctx, prev.as_ref(), &self.patterns)
    }
}

#[cfg(test)]
mod tests {
    use super::{canon, compile, compiled, entries, normalized};

    #[test]
    fn a_stale_table_is_not_used() {
        let canon = canon();
        let entries = entries();
        let short = &compiled::PATTERNS[..compiled::PATTERNS.len().saturating_sub(1)];
        let fallback = normalized(&entries, short, &canon);
        assert_eq!(fallback.len(), entries.len());
        for ((p, _), n) in entries.iter().zip(&fallback) {
            assert_eq!(*n, compile(p, &canon));
        }
    }

    /// `compiled.rs` is the phrase table normalised ahead of time, so a Worker does not normalise
    /// two thousand phrases on every cold start. It must say exactly what normalising the table
    /// now says; after changing the phrases, `CANON` or the normaliser, regenerate it with
    /// `BLESS=1 cargo test -p classifier --lib compiled_phrases_are_current`.
    #[test]
    fn compiled_phrases_are_current() {
        let canon = canon();
        let now: Vec<String> = entries().iter().map(|(p, _)| compile(p, &canon)).collect();
        if std::env::var_os("BLESS").is_some() {
            let mut out = String::from(
                "//! The phrase table normalised ahead of time, one entry per phrase in table \
                 order (empty:\n\
                 //! normalises to nothing). Generated by `BLESS=1 cargo test -p classifier --lib\n\
                 //! compiled_phrases_are_current`; do not edit.\n\n\
                 pub(crate) const PATTERNS: &[&str] = &[\n",
            );
            for p in &now {
                out.push_str(&format!("    {p:?},\n"));
            }
            out.push_str("];\n");
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/urgency/compiled.rs");
            if let Err(e) = std::fs::write(path, out) {
                panic!("cannot write {path}: {e}");
            }
            return;
        }
        let stale = now.len() != compiled::PATTERNS.len()
            || now.iter().zip(compiled::PATTERNS).any(|(a, b)| a != b);
        assert!(
            !stale,
            "src/urgency/compiled.rs is stale ({} entries now, {} compiled): regenerate it with \
             `BLESS=1 cargo test -p classifier --lib compiled_phrases_are_current`",
            now.len(),
            compiled::PATTERNS.len()
        );
    }
}
