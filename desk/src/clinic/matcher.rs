//! Finds what a patient's message names among the clinic's facts: services and products (by
//! their names and synonyms in English and Spanish, whatever the message's language, because
//! patients mix), the location, and the day. Templates answer only from these slots, so the
//! matcher prefers "ambiguous" (several ids) or nothing over a guess.
//!
//! Matching works on folded words (case and accents ignored). At each word the longest name or
//! synonym that matches wins ("lip filler" over "filler"); typos are forgiven in long words only
//! (see `compare`). A word that is only part of names ("filler" when the clinic lists "lip
//! filler" and "cheek filler") names every entry it is part of, narrowed by neighbouring such
//! words ("filler for the lips" is lip filler alone), and only when it stands beside question
//! words, punctuation or other names: beside an unknown word it is part of a name the clinic
//! never listed ("tattoo removal" is not laser hair removal).
//!
//! Pure, no global state: build an [`Index`] once per facts version and call [`Index::find`]
//! per message, or [`find`], which builds one for a single message.

mod compare;
mod day;
mod lexicon;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::facts::{ClinicFacts, Lang};
use super::words::{self, term_words, Token};
use compare::{closeness, forms};

/// What a message names among the clinic's facts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Slots {
    /// Ids of the services it names, in the order they appear (several when it compares).
    pub services: Vec<String>,
    /// Ids of the products it names.
    pub products: Vec<String>,
    /// Id of the location it names, if the clinic has several and it names one.
    pub location: Option<String>,
    /// The day it asks about, resolved to a date in the clinic's time zone ("saturday" is the
    /// next Saturday on or after today; "tomorrow", "mañana", a written date).
    pub day: Option<chrono::NaiveDate>,
}

impl Slots {
    /// The service, when the message names exactly one; several is a comparison or an
    /// ambiguity, which a template must not resolve by picking.
    pub fn service(&self) -> Option<&str> {
        single(&self.services)
    }

    /// The product, when the message names exactly one.
    pub fn product(&self) -> Option<&str> {
        single(&self.products)
    }
}

fn single(ids: &[String]) -> Option<&str> {
    match ids {
        [one] => Some(one.as_str()),
        _ => None,
    }
}

/// Finds the slots of one message (`text` already redacted; `today` is the clinic-local date).
pub fn find(facts: &ClinicFacts, text: &str, lang: Lang, today: NaiveDate) -> Slots {
    Index::new(facts).find(text, lang, today)
}

/// What a name or synonym points at: an index into the facts' list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Service(usize),
    Product(usize),
    Location(usize),
}

/// A whole name or synonym, as folded words.
#[derive(Debug, Clone)]
struct Term {
    words: Vec<String>,
    target: Target,
}

/// The best whole-term match at one position so far: more words first, then fewer edits.
struct Best {
    rank: (usize, std::cmp::Reverse<u32>),
    used: usize,
    targets: Vec<Target>,
}

/// The clinic's names and synonyms prepared for matching: built once from the facts, then used
/// for every message.
#[derive(Debug, Clone)]
pub struct Index {
    services: Vec<String>,
    products: Vec<String>,
    locations: Vec<String>,
    terms: Vec<Term>,
    /// Terms by the first letter of their first word: every match, typos included, starts
    /// with the same letter, so each message word is compared with few terms.
    by_first: BTreeMap<char, Vec<usize>>,
    /// Words that are part of names ("filler" of "lip filler") and what they are part of.
    clues: BTreeMap<String, Vec<Target>>,
}

impl Index {
    pub fn new(facts: &ClinicFacts) -> Index {
        let clinic_words = term_words(&facts.clinic.name);
        let mut index = Index {
            services: facts.services.iter().map(|s| s.id.clone()).collect(),
            products: facts.products.iter().map(|p| p.id.clone()).collect(),
            locations: facts.locations.iter().map(|l| l.id.clone()).collect(),
            terms: Vec::new(),
            by_first: BTreeMap::new(),
            clues: BTreeMap::new(),
        };
        for (i, s) in facts.services.iter().enumerate() {
            let names = std::iter::once(&s.name.en)
                .chain(s.name.es.as_ref())
                .chain(&s.synonyms.en)
                .chain(&s.synonyms.es);
            for name in names {
                index.add(name, Target::Service(i), &clinic_words);
            }
        }
        for (i, p) in facts.products.iter().enumerate() {
            let names = std::iter::once(&p.name)
                .chain(&p.synonyms.en)
                .chain(&p.synonyms.es);
            for name in names {
                index.add(name, Target::Product(i), &clinic_words);
            }
        }
        index.add_locations(facts, &clinic_words);
        for list in index.clues.values_mut() {
            list.sort();
            list.dedup();
        }
        index
    }

    /// A name or synonym; its words become clues when it has several ("lip filler").
    fn add(&mut self, name: &str, target: Target, clinic_words: &[String]) {
        let words = term_words(name);
        let Some(first) = words.first().and_then(|w| w.chars().next()) else {
            return;
        };
        if words.len() > 1 {
            for w in &words {
                if lexicon::is_clue(w) && !clinic_words.contains(w) {
                    self.clues.entry(w.clone()).or_default().push(target);
                }
            }
        }
        self.by_first
            .entry(first)
            .or_default()
            .push(self.terms.len());
        self.terms.push(Term { words, target });
    }

    /// Locations by id, name and synonyms, and by the words of their names and addresses that
    /// no other location shares ("chestnut", "marina"): "the one on market street".
    fn add_locations(&mut self, facts: &ClinicFacts, clinic_words: &[String]) {
        let mut place_words: Vec<Vec<String>> = Vec::new();
        for (i, l) in facts.locations.iter().enumerate() {
            let target = Target::Location(i);
            let mut own = term_words(&l.address);
            for name in std::iter::once(&l.id)
                .chain(std::iter::once(&l.name))
                .chain(&l.synonyms.en)
                .chain(&l.synonyms.es)
            {
                own.extend(term_words(name));
                let words = term_words(name);
                if let Some(first) = words.first().and_then(|w| w.chars().next()) {
                    self.by_first
                        .entry(first)
                        .or_default()
                        .push(self.terms.len());
                    self.terms.push(Term { words, target });
                }
            }
            own.sort();
            own.dedup();
            place_words.push(own);
        }
        for (i, own) in place_words.iter().enumerate() {
            for w in own {
                let distinctive = place_words
                    .iter()
                    .enumerate()
                    .all(|(j, other)| j == i || !other.contains(w));
                if distinctive && lexicon::is_place_clue(w) && !clinic_words.contains(w) {
                    self.clues
                        .entry(w.clone())
                        .or_default()
                        .push(Target::Location(i));
                }
            }
        }
    }

    /// Finds the slots of one message (`text` already redacted; `today` is the clinic-local
    /// date; `lang` decides only whether "3/4" is March 4 or 3 April).
    pub fn find(&self, text: &str, lang: Lang, today: NaiveDate) -> Slots {
        let folded = words::fold(&words::without_placeholders(text));
        let tokens = words::tokens(&folded);
        let mut slots = Slots {
            day: day::find(&folded, &tokens, lang, today),
            ..Slots::default()
        };
        let mut places: Vec<usize> = Vec::new();
        for target in self.scan(&folded, &tokens).into_iter().flatten() {
            match target {
                Target::Service(i) => push_new(&mut slots.services, &self.services[i]),
                Target::Product(i) => push_new(&mut slots.products, &self.products[i]),
                Target::Location(i) if !places.contains(&i) => places.push(i),
                Target::Location(_) => {}
            }
        }
        if let [one] = places[..] {
            slots.location = Some(self.locations[one].clone());
        }
        slots
    }

    /// What the message names, in order: one entry per name found, several targets when it is
    /// ambiguous.
    fn scan(&self, folded: &str, tokens: &[Token]) -> Vec<Vec<Target>> {
        let mut hits = Vec::new();
        let mut i = 0;
        // Tokens before this index belong to a name already found.
        let mut known_until = 0;
        while i < tokens.len() {
            if let Some((used, targets)) = self.whole_at(tokens, i) {
                hits.push(targets);
                i += used;
                known_until = i;
                continue;
            }
            let Some(mut targets) = self.clue(&tokens[i].text) else {
                i += 1;
                continue;
            };
            // Narrow by the following clue words ("relleno de labios" misspelt as "relleno
            // labios"), skipping function words, until a word points elsewhere.
            let mut end = i + 1;
            loop {
                let mut k = end;
                while tokens.get(k).is_some_and(|t| lexicon::is_joiner(&t.text)) {
                    k += 1;
                }
                if k >= tokens.len() || self.whole_at(tokens, k).is_some() {
                    break;
                }
                let Some(next) = self.clue(&tokens[k].text) else {
                    break;
                };
                let both: Vec<Target> = targets
                    .iter()
                    .copied()
                    .filter(|t| next.contains(t))
                    .collect();
                if both.is_empty() {
                    break;
                }
                targets = both;
                end = k + 1;
            }
            let after_name = i > 0 && known_until == i;
            if !self.stands_alone(folded, tokens, i, end, after_name) {
                // A street name is a modifier by nature ("chestnut st"); a treatment word
                // next to an unknown word names something else ("tattoo removal").
                targets.retain(|t| matches!(t, Target::Location(_)));
            }
            if !targets.is_empty() {
                hits.push(targets);
            }
            i = end;
            known_until = end;
        }
        hits
    }

    /// Whether the part-of-a-name words `tokens[start..end]` stand on their own rather than
    /// beside a word the clinic never listed: "tattoo removal", "laser tattoo" and "lip balm"
    /// ask about something else, and a reply about laser hair removal or lip filler would be
    /// a wrong answer, where no answer lets staff reply.
    fn stands_alone(
        &self,
        folded: &str,
        tokens: &[Token],
        start: usize,
        end: usize,
        after_name: bool,
    ) -> bool {
        let apart =
            |a: &Token, b: &Token| folded[a.end..b.start].chars().any(|c| !c.is_whitespace());
        let plain =
            |t: &Token| lexicon::is_function(&t.text) || t.text.bytes().all(|b| b.is_ascii_digit());
        let before = start == 0
            || after_name
            || apart(&tokens[start - 1], &tokens[start])
            || plain(&tokens[start - 1]);
        let after = match tokens.get(end) {
            None => true,
            Some(next) => {
                apart(&tokens[end - 1], next)
                    || plain(next)
                    || self.whole_at(tokens, end).is_some()
                    || self.clue(&next.text).is_some()
            }
        };
        before && after
    }

    /// The best whole name or synonym starting at token `at`: the one with the most words,
    /// then the closest; all of them if several tie. Returns the tokens it covers.
    fn whole_at(&self, tokens: &[Token], at: usize) -> Option<(usize, Vec<Target>)> {
        let first = tokens[at].text.chars().next()?;
        let mut best: Option<Best> = None;
        for &t in self.by_first.get(&first)? {
            let term = &self.terms[t];
            let Some((used, cost)) = match_term(&term.words, tokens, at) else {
                continue;
            };
            let rank = (term.words.len(), std::cmp::Reverse(cost));
            match &mut best {
                Some(b) if b.rank == rank => {
                    if !b.targets.contains(&term.target) {
                        b.targets.push(term.target);
                    }
                }
                Some(b) if b.rank > rank => {}
                _ => {
                    best = Some(Best {
                        rank,
                        used,
                        targets: vec![term.target],
                    })
                }
            }
        }
        best.map(|mut b| {
            b.targets.sort();
            (b.used, b.targets)
        })
    }

    /// What a single word is part of, in facts order; `None` when nothing.
    fn clue(&self, word: &str) -> Option<Vec<Target>> {
        if lexicon::is_joiner(word) || lexicon::is_separator(word) {
            return None;
        }
        let mut out: Vec<Target> = forms(word)
            .iter()
            .filter_map(|f| self.clues.get(f))
            .flatten()
            .copied()
            .collect();
        out.sort();
        out.dedup();
        (!out.is_empty()).then_some(out)
    }
}

/// Whether `words` match the tokens from `at`: how many tokens they cover and how far off they
/// are. A long word may be typed as two ("hydra facial" for "hydrafacial").
fn match_term(words: &[String], tokens: &[Token], at: usize) -> Option<(usize, u32)> {
    let mut i = at;
    let mut cost = 0;
    for w in words {
        let token = tokens.get(i)?;
        if let Some(c) = closeness(&token.text, w) {
            cost += c.cost();
            i += 1;
            continue;
        }
        let joined = tokens
            .get(i + 1)
            .filter(|_| w.chars().count() >= 6)
            .map(|next| format!("{}{}", token.text, next.text))
            .and_then(|joined| closeness(&joined, w));
        match joined {
            Some(c) => {
                cost += c.cost() + 1;
                i += 2;
            }
            None => return None,
        }
    }
    Some((i - at, cost))
}

fn push_new(ids: &mut Vec<String>, id: &str) {
    if !ids.iter().any(|x| x == id) {
        ids.push(id.to_string());
    }
}
