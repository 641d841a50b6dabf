//! NAME: people (patients, relatives, providers) found from gazetteers and cues.
//!
//! Gazetteers: US first names (SSA, plus common short forms) and surnames (Census), with the
//! names that are also everyday English or Spanish words ("Will", "May", "Grace", "Brown",
//! "Rosa", "Dolores") split out as *ambiguous*, and a list of words that are never names here
//! (function words, weekdays, months, treatments, clinic words).
//!
//! An unambiguous first name is a name on its own ("thanks Jessica", "tell sarah"). An
//! ambiguous one needs a cue ("my name is Will", "Dr. Young", "my daughter Grace", a signature
//! "- Joy", a possessive "Grace's") or a capitalised name beside it ("Grace Kim", "Sarah Brown").
//! A surname on its own is not enough, but follows a first name or title. Titles are part of
//! the span ("Dr. Patel" is one NAME).

use super::span::Candidate;
use super::PhiKind;
use std::collections::HashSet;

const FIRST: &str = include_str!("../../data/first_names.txt");
const NICK: &str = include_str!("../../data/nicknames.txt");
const SURNAMES: &str = include_str!("../../data/surnames.txt");
const AMBIGUOUS: &str = include_str!("../../data/ambiguous_names.txt");
const NEVER: &str = include_str!("../../data/never_names.txt");

const TITLES: &[&str] = &[
    "dr",
    "dra",
    "doctor",
    "doctora",
    "nurse",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "sr",
    "sra",
    "srta",
    "señor",
    "señora",
    "senor",
    "senora",
    "enfermera",
    "enfermero",
    "np",
    "rn",
    "esthetician",
    "injector",
    "provider",
    "prof",
];
const RELATIVES: &[&str] = &[
    "daughter",
    "son",
    "husband",
    "wife",
    "mom",
    "mother",
    "mum",
    "dad",
    "father",
    "sister",
    "brother",
    "friend",
    "bf",
    "gf",
    "boyfriend",
    "girlfriend",
    "fiance",
    "fiancé",
    "fiancee",
    "partner",
    "aunt",
    "uncle",
    "cousin",
    "niece",
    "nephew",
    "grandma",
    "grandmother",
    "grandpa",
    "grandfather",
    "coworker",
    "roommate",
    "sis",
    "bestie",
    "hija",
    "hijo",
    "esposo",
    "esposa",
    "mamá",
    "mama",
    "papá",
    "papa",
    "hermana",
    "hermano",
    "amiga",
    "amigo",
    "novio",
    "novia",
    "prima",
    "primo",
    "tía",
    "tia",
    "tío",
    "tio",
    "abuela",
    "abuelo",
    "sobrina",
    "sobrino",
    "mother-in-law",
    "sister-in-law",
    "suegra",
    "cuñada",
];
const SIGNOFFS: &[&str] = &[
    "thanks",
    "thank",
    "you",
    "thx",
    "ty",
    "tysm",
    "gracias",
    "regards",
    "best",
    "cheers",
    "love",
    "xo",
    "xoxo",
    "sincerely",
    "atentamente",
    "saludos",
    "bye",
];
/// Words that never join a name even when capitalised ("Sarah Will you...").
const JOIN_BLOCK: &[&str] = &[
    "will", "may", "can", "did", "does", "here", "hope", "thanks",
];

type Set = HashSet<&'static str>;

/// Lower-case first names of the SSA list ranked above this may match in lower case ("thanks
/// jessica"); rarer ones ("lacy", "honor", "cierra") only when capitalised or cued.
const LOWERCASE_RANK: usize = 1500;

/// Folds the accents of Spanish names so "Lucía Fernández" finds "lucia", "fernandez".
fn fold(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii() {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| match c {
                'á' | 'à' | 'ä' | 'â' => 'a',
                'é' | 'è' | 'ë' | 'ê' => 'e',
                'í' | 'ì' | 'ï' | 'î' => 'i',
                'ó' | 'ò' | 'ö' | 'ô' => 'o',
                'ú' | 'ù' | 'ü' | 'û' => 'u',
                'ñ' => 'n',
                'ç' => 'c',
                c => c,
            })
            .collect(),
    )
}

fn load(set: &mut Set, list: &'static str) {
    for line in list.lines() {
        let line = line.split('#').next().unwrap_or("");
        set.extend(line.split_whitespace());
    }
}

pub struct NameRecognizer {
    first: Set,
    /// The first names common enough to match in lower case.
    common_first: Set,
    surname: Set,
    ambiguous: Set,
    never: Set,
}

/// One word of the message.
struct Tok {
    start: usize,
    /// End of the name part (before a possessive "'s").
    end: usize,
    /// End of the whole word.
    word_end: usize,
    lower: String,
    cap: bool,
    possessive: bool,
}

#[derive(Clone, Copy, Default)]
struct Class {
    never: bool,
    first: bool,
    sur: bool,
    amb: bool,
    title: bool,
    /// In the common part of the first-name list (may match in lower case).
    common: bool,
}

fn tokenize(text: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((s, c)) = it.next() {
        if !c.is_alphabetic() {
            continue;
        }
        let mut e = s + c.len_utf8();
        while let Some(&(i, ch)) = it.peek() {
            if ch.is_alphabetic() {
                e = i + ch.len_utf8();
                it.next();
            } else if matches!(ch, '\'' | '’' | '-') {
                // Keep "O'Brien", "Mary-Kate", "it's" together when a letter follows.
                let next = text[i + ch.len_utf8()..].chars().next();
                if next.is_some_and(char::is_alphabetic) {
                    e = i + ch.len_utf8();
                    it.next();
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        let word = &text[s..e];
        let lower = word.to_lowercase();
        let mut name_end = e;
        let mut possessive = false;
        for suffix in ["'s", "’s"] {
            if lower.len() > suffix.len() + 1 && lower.ends_with(suffix) {
                name_end = e - suffix.len();
                possessive = true;
            }
        }
        toks.push(Tok {
            start: s,
            end: name_end,
            word_end: e,
            lower,
            // ALL-CAPS words are shouting ("DAN", "BART", "DOB"), not evidence of a name.
            cap: c.is_uppercase()
                && !(word.chars().count() > 1 && word.chars().all(|x| !x.is_lowercase())),
            possessive,
        });
    }
    toks
}

impl NameRecognizer {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        let mut first = Set::with_capacity(4800);
        load(&mut first, FIRST);
        let mut common_first = Set::with_capacity(LOWERCASE_RANK + 200);
        common_first.extend(
            FIRST
                .lines()
                .filter(|l| !l.starts_with('#'))
                .flat_map(str::split_whitespace)
                .take(LOWERCASE_RANK),
        );
        load(&mut common_first, NICK);
        load(&mut first, NICK);
        let mut surname = Set::with_capacity(5000);
        load(&mut surname, SURNAMES);
        let mut ambiguous = Set::with_capacity(400);
        load(&mut ambiguous, AMBIGUOUS);
        let mut never = Set::with_capacity(600);
        load(&mut never, NEVER);
        Self {
            first,
            common_first,
            surname,
            ambiguous,
            never,
        }
    }

    fn class(&self, t: &Tok) -> Class {
        let base = if t.possessive {
            &t.lower[..t.lower.len()
                - if t.lower.ends_with("’s") {
                    "’s".len()
                } else {
                    2
                }]
        } else {
            t.lower.as_str()
        };
        let base = fold(base.trim_end_matches('.'));
        let base = base.as_ref();
        // "Ann-Marie": a hyphenated name is a first name when its first part is.
        let head = base.split('-').next().unwrap_or(base);
        Class {
            never: self.never.contains(base) || base.chars().count() < 2,
            first: self.first.contains(base) || (head != base && self.first.contains(head)),
            sur: self.surname.contains(base),
            amb: self.ambiguous.contains(base),
            title: TITLES.contains(&base),
            common: self.common_first.contains(base)
                || (head != base && self.common_first.contains(head)),
        }
    }

    /// Finds names in `text`, skipping words inside the byte ranges of `inside` (links, emails).
    pub fn find(&self, text: &str, inside: &[(usize, usize)], out: &mut Vec<Candidate>) {
        let mut toks = tokenize(text);
        // Nor are the kinds inside placeholders of an earlier redaction ("[NAME_1]" is no cue).
        toks.retain(|t| {
            let in_link = inside.iter().any(|&(s, e)| t.start < e && s < t.word_end);
            !in_link
        });
        if toks.is_empty() {
            return;
        }
        // The kind inside a placeholder of an earlier redaction ("[NAME_1]") stays a token, so
        // its neighbours read as they did the first time, but is never a name or a cue.
        let placeholder: Vec<bool> = toks
            .iter()
            .map(|t| text[..t.start].ends_with('[') && text[t.word_end..].starts_with('_'))
            .collect();
        let mut cls: Vec<Class> = toks.iter().map(|t| self.class(t)).collect();
        for (c, &p) in cls.iter_mut().zip(&placeholder) {
            if p {
                c.never = true;
            }
        }
        let n = toks.len();
        // score per token; 0 = not a name.
        let mut score = vec![0f32; n];
        let gap = |a: usize, b: usize| &text[toks[a].word_end..toks[b].start];
        // Tokens from `i` to the end are a sign-off: at most three, all capitalised or names.
        let tail_from = |i: usize| {
            n - i <= 3
                && (i..n).all(|j| !cls[j].never && (toks[j].cap || cls[j].first || cls[j].sur))
        };
        // A placeholder stands for several words the first time round, so the look-back stops
        // at one; otherwise a second pass would reach a sign-off the first could not.
        let signoff_before = |i: usize| {
            (i.saturating_sub(4)..i)
                .rev()
                .take_while(|&j| !placeholder[j])
                .any(|j| SIGNOFFS.contains(&toks[j].lower.as_str()))
        };
        let followed_by_break = |i: usize| {
            i + 1 >= n || {
                let g = gap(i, i + 1);
                g.contains([',', '.', '!', '?', '\n', ')', ';'])
            }
        };

        for i in 0..n {
            let t = &toks[i];
            let c = cls[i];
            if c.never || c.title {
                continue;
            }
            let gazetteer = c.first || c.sur || c.amb;
            let cap_ok = t.cap || !c.amb;
            // A cue only counts when nothing but spaces or light punctuation separates it from
            // the word ("me llamo 123 Main St" names no one).
            let clean = i >= 1
                && gap(i - 1, i)
                    .chars()
                    .all(|ch| matches!(ch, ' ' | ',' | ':' | '.' | '-' | '\n'));
            let prev = if clean && !placeholder[i - 1] {
                toks[i - 1].lower.as_str()
            } else {
                ""
            };
            // Title right before: "Dr. Patel", "nurse amy", "Mrs. May", "dr osei".
            if i >= 1 && cls[i - 1].title {
                let g = gap(i - 1, i);
                let short_title = matches!(
                    prev,
                    "dr" | "dra" | "mr" | "mrs" | "ms" | "sr" | "sra" | "srta"
                );
                if matches!(g, " " | ". " | "." | "  ") && (t.cap || gazetteer || short_title) {
                    score[i - 1] = 0.9;
                    score[i] = 0.9;
                    continue;
                }
            }
            // "my name is X", "me llamo X", "soy X", "name: X", "patient name X".
            let strong = (prev == "is" && i >= 2 && toks[i - 2].lower == "name")
                || (prev == "llamo" && i >= 2 && toks[i - 2].lower == "me")
                || (prev == "llama" && i >= 2 && toks[i - 2].lower == "se")
                || (prev == "es" && i >= 2 && toks[i - 2].lower == "nombre")
                || prev == "name's"
                || (matches!(prev, "name" | "nombre" | "pt" | "patient" | "paciente")
                    && (t.cap || gap(i - 1, i).contains(':')));
            if strong && (t.cap || gazetteer || prev == "is" || prev == "llamo") {
                score[i] = 0.9;
                continue;
            }
            // "this is X", "it's X", "soy X", "call me X": for names, or capitalised words that
            // end the clause or start a full name.
            let intro = ((prev == "is" || prev == "am")
                && i >= 2
                && matches!(toks[i - 2].lower.as_str(), "this" | "it" | "i"))
                || matches!(
                    prev,
                    "it's"
                        | "it’s"
                        | "its"
                        | "i'm"
                        | "i’m"
                        | "im"
                        | "soy"
                        | "habla"
                        | "here's"
                        | "under"
                )
                || (prev == "me" && i >= 2 && toks[i - 2].lower == "call");
            if intro {
                let weak = matches!(prev, "i'm" | "i’m" | "im" | "am" | "under" | "me");
                let next_name =
                    i + 1 < n && (cls[i + 1].sur || cls[i + 1].first) && !cls[i + 1].never;
                let ok = if weak {
                    (c.first && !c.amb && (t.cap || c.common)) || (t.cap && next_name)
                } else {
                    (gazetteer && (cap_ok || followed_by_break(i) || next_name))
                        || (t.cap && (followed_by_break(i) || next_name || prev == "soy"))
                };
                if ok {
                    score[i] = 0.85;
                    continue;
                }
            }
            // "my daughter Emma", "mi hija Sofia", "my grandson Bao".
            if RELATIVES.contains(&prev)
                && matches!(gap(i - 1, i), " " | ", ")
                && (t.cap || (c.common && !c.amb))
            {
                score[i] = 0.85;
                continue;
            }
            // Possessive "Sarah's", "Grace's"; not "St. Mary's".
            if t.possessive
                && t.cap
                && (c.first || c.amb)
                && !matches!(prev, "st" | "saint" | "san")
            {
                score[i] = 0.8;
                continue;
            }
            // Signatures: "- Jen", "thanks, Maria Lopez", "Gracias, Toña", a name on its own line.
            if tail_from(i) && (i == 0 || (score[i - 1] == 0.0 && !placeholder[i - 1])) && cap_ok {
                let g = gap_before(text, &toks, i);
                let marked = g.contains(['-', '–', '—', '~', '\n']);
                let after_signoff = signoff_before(i) && g.contains([',', ' ']);
                let sentence_end = g.contains(['.', '!', '?', ',', '('])
                    && (gazetteer || t.cap)
                    && (i..n).any(|j| cls[j].first || cls[j].sur);
                if (marked || after_signoff) && (t.cap || gazetteer) || sentence_end {
                    for sc in score.iter_mut().skip(i) {
                        *sc = 0.8;
                    }
                    continue;
                }
            }
            // "Jen here" opening a message.
            if i + 1 < n
                && toks[i + 1].lower == "here"
                && (i == 0 || matches!(prev, "hi" | "hey" | "hello" | "hola"))
                && gazetteer
                && cap_ok
            {
                score[i] = 0.8;
                continue;
            }
            // An ambiguous first name followed by a surname: "Amber Walsh", "linda chen".
            if c.amb
                && i + 1 < n
                && cls[i + 1].sur
                && !cls[i + 1].amb
                && !cls[i + 1].never
                && gap(i, i + 1) == " "
                && (t.cap == toks[i + 1].cap)
            {
                score[i] = 0.7;
                score[i + 1] = 0.7;
                continue;
            }
            // A known, unambiguous first name on its own.
            if c.first && !c.amb && score[i] == 0.0 {
                if t.cap {
                    score[i] = 0.75;
                } else if c.common && t.lower.len() >= 3 {
                    score[i] = 0.6;
                }
            }
        }

        // Grow names over their capitalised neighbours: surnames, middle initials, an ambiguous
        // first name before a known one ("Grace Kim"), a surname the lists lack ("Kowalczyk").
        let joinable = |j: usize| {
            let c = cls[j];
            toks[j].cap && !c.never && !c.title && !JOIN_BLOCK.contains(&toks[j].lower.as_str())
        };
        for i in 0..n {
            if score[i] == 0.0 || cls[i].title {
                continue;
            }
            let mut j = i + 1;
            while j < n && !toks[j - 1].possessive {
                let g = gap(j - 1, j);
                let initial = toks[j].lower.chars().count() == 1
                    && toks[j].cap
                    && j + 1 < n
                    && toks[j + 1].cap
                    && matches!(gap(j, j + 1), ". " | " ");
                if !(g == " " || (g == ". " && toks[j - 1].lower.chars().count() == 1)) {
                    break;
                }
                if initial || joinable(j) {
                    if score[j] == 0.0 {
                        score[j] = score[i].min(0.8);
                    }
                    j += 1;
                } else {
                    break;
                }
            }
            if i >= 1
                && gap(i - 1, i) == " "
                && score[i - 1] == 0.0
                && joinable(i - 1)
                && (cls[i - 1].first || cls[i - 1].amb)
            {
                score[i - 1] = score[i].min(0.8);
            }
        }

        // Merge consecutive name tokens into one span.
        let mut i = 0;
        while i < n {
            if score[i] == 0.0 {
                i += 1;
                continue;
            }
            let start = toks[i].start;
            let mut end = toks[i].end;
            let mut best = score[i];
            let mut j = i + 1;
            while j < n
                && score[j] > 0.0
                && !toks[j - 1].possessive
                && matches!(gap(j - 1, j), " " | ". " | ".")
            {
                end = toks[j].end;
                best = best.max(score[j]);
                j += 1;
            }
            // A title alone ("the Dr.") is not a name.
            let only_title = (i..j).all(|k| cls[k].title);
            if !only_title {
                out.push(Candidate::new(
                    PhiKind::Name,
                    start,
                    end,
                    if cls[i].title { "name_title" } else { "name" },
                    best,
                ));
            }
            i = j;
        }
    }
}

/// The text between the previous word and word `i` (or the message start).
fn gap_before<'a>(text: &'a str, toks: &[Tok], i: usize) -> &'a str {
    let from = if i == 0 { 0 } else { toks[i - 1].word_end };
    &text[from..toks[i].start]
}
