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
    // French, Portuguese and Haitian Creole, folded ("Doktè" is "dokte"): "Dre Tremblay",
    // "Docteur Roy", "Mme Girard", "Doutora Lima", "Doktè Pierre", "Madan Joseph".
    "dre",
    "docteur",
    "docteure",
    "mme",
    "mlle",
    "madame",
    "monsieur",
    "doutor",
    "doutora",
    "dokte",
    "madan",
    "mesye",
];
/// Titles that are also everyday words elsewhere ("I ate", "a google doc"): a title only
/// before a capitalised name, and "Ate" (Tagalog elder sister) only capitalised itself.
const CAPITALISED_TITLES: &[&str] = &["ate", "kuya", "doc"];
/// Vietnamese titles and kinship terms of address, as written with their tone marks: "bác sĩ
/// Linh", "chị Thảo", "cô Hằng", "anh Tuấn". Unaccented "chi", "co" are words in other
/// languages, and "anh" has no accent, so these count only in a message written in Vietnamese
/// ([`vietnamese_letters`]).
const VIETNAMESE_TITLES: &[&[&str]] = &[
    &["bác", "sĩ"],
    &["bs"],
    &["chị"],
    &["cô"],
    &["anh"],
    &["ông"],
    &["bà"],
    &["bác"],
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
    // French, Portuguese, Haitian Creole.
    "sœur",
    "soeur",
    "frère",
    "frere",
    "fille",
    "fils",
    "mère",
    "mere",
    "mari",
    "femme",
    "cousine",
    "cousin",
    "irmã",
    "irma",
    "filha",
    "filho",
    "mãe",
    "mae",
    "marido",
    "esposa",
    "kouzin",
    "manman",
    "sè",
    "pitit",
    "cuñada",
    "frè",
    "kouzen",
    "matant",
    "tonton",
    "grann",
    "madanm",
    "zanmi",
    "tante",
    "oncle",
    "amie",
    "copine",
    "copain",
    "nièce",
    "neveu",
    "épouse",
    "belle-mère",
    "belle-sœur",
    "irmão",
    "irmao",
    "avó",
    "avô",
    "sobrinha",
    "sobrinho",
    "sogra",
    "namorada",
    "namorado",
];
/// Vietnamese calendar words, capitalised in "Thứ Hai" (Monday), "Chủ Nhật" (Sunday), "Tháng
/// Ba" (March): never a name after a title.
const VIETNAMESE_CALENDAR: &[&str] = &["thứ", "chủ", "tháng", "ngày", "tuần", "năm"];
/// Haitian Creole puts the possessive after the noun: "kouzin mwen Guerline", "manman m
/// Yolande", "sè li Nadia". A relative, one of these, then a capitalised name.
const CREOLE_POSSESSIVES: &[&str] = &["mwen", "m", "li", "nou"];
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
    "gratefully",
    "warmly",
    "warm",
    "kindly",
    "respectfully",
    "cordialement",
    "merci",
    "atenciosamente",
    "abraços",
    "obrigada",
    "obrigado",
    "mesi",
    "salamat",
];
/// Words that never join a name even when capitalised ("Sarah Will you...").
const JOIN_BLOCK: &[&str] = &[
    "will", "may", "can", "did", "does", "here", "hope", "thanks",
];

/// Capitalised words that follow a name cue without being a name ("I'm Running late", "this is
/// Great news", "see Attached"): a name outside the gazetteers is taken after a cue only when
/// it is none of these.
const NOT_NAMES: &[&str] = &[
    // Ways of addressing the staff that are no one's name ("Sorry Guys!", "Perdón Señorita").
    "guys",
    "girls",
    "girl",
    "ladies",
    "lady",
    "babe",
    "hun",
    "hon",
    "honey",
    "sweetie",
    "dear",
    "team",
    "everyone",
    "mom",
    "chicas",
    "chica",
    "amiga",
    "amigas",
    "mija",
    "señorita",
    "senorita",
    "sorry",
    "so",
    "running",
    "just",
    "here",
    "on",
    "at",
    "in",
    "not",
    "very",
    "really",
    "excited",
    "happy",
    "glad",
    "late",
    "going",
    "coming",
    "good",
    "great",
    "fine",
    "still",
    "also",
    "back",
    "done",
    "ready",
    "interested",
    "wondering",
    "looking",
    "trying",
    "new",
    "free",
    "available",
    "out",
    "getting",
    "having",
    "feeling",
    "calling",
    "texting",
    "writing",
    "sure",
    "thinking",
    "allergic",
    "pregnant",
    "nursing",
    "due",
    "booked",
    "scheduled",
    "confirmed",
    "confirming",
    "regarding",
    "about",
    "urgent",
    "important",
    "amazing",
    "awesome",
    "perfect",
    "beautiful",
    "gorgeous",
    "wonderful",
    "terrible",
    "horrible",
    "crazy",
    "weird",
    "normal",
    "scared",
    "worried",
    "nervous",
    "stuck",
    "outside",
    "parked",
    "almost",
    "nearly",
    "literally",
    "honestly",
    "actually",
    "finally",
    "now",
    "today",
    "tomorrow",
    "tonight",
    "yesterday",
    "everyone",
    "everybody",
    "all",
    "my",
    "our",
    "your",
    "their",
    "a",
    "an",
    "the",
    "what",
    "why",
    "how",
    "when",
    "where",
    "who",
    "which",
    "there",
    "that",
    "this",
    "it",
    "going",
    "gonna",
    "wanna",
    "totally",
    "super",
    "kinda",
    "ok",
    "okay",
    "yes",
    "no",
    "nope",
    "yeah",
    "cancel",
    "cancelling",
    "rescheduling",
    "booking",
    "asking",
    "following",
    "checking",
    "reaching",
    "hoping",
    "planning",
    "moving",
    "leaving",
    "away",
    "home",
    "work",
    "sick",
    "ill",
    "better",
    "worse",
    "bad",
    "tired",
    "busy",
    "attached",
    "below",
    "above",
    "me",
    "him",
    "her",
    "them",
    "us",
    "you",
    "one",
    "two",
    "three",
    "botox",
    "filler",
    "fillers",
    "dysport",
    "xeomin",
    "juvederm",
    "restylane",
    "sculptra",
    "kybella",
    "hydrafacial",
    "microneedling",
    "laser",
    "peel",
    "facial",
    "morpheus",
    "ipl",
    "cherry",
    "carecredit",
    "affirm",
    "klarna",
    "venmo",
    "zelle",
    "paypal",
    "apple",
    "google",
    "visa",
    "amex",
    "mastercard",
    "discover",
    "hsa",
    "fsa",
    "instagram",
    "yelp",
    "google",
    "tiktok",
    "facebook",
    "spanish",
    "english",
    "espanol",
    "muy",
    "aqui",
    "listo",
    "lista",
    "bien",
    "mal",
    "tarde",
    "contenta",
    "contento",
    "feliz",
    "nuevo",
    "nueva",
    "la",
    "el",
    "de",
    "en",
    "un",
    "una",
    "mi",
    "su",
    "tu",
    "yo",
    "family",
    "team",
    "staff",
    "front",
    "desk",
    "clinic",
    "spa",
    "office",
    "dr",
    "doctor",
];

/// Words after a possessive that make it a person's ("Chidinma's friend", "Teo's last day").
const PERSON_AFTER_POSSESSIVE: &[&str] = &[
    "mom",
    "mother",
    "mum",
    "dad",
    "father",
    "friend",
    "brother",
    "sister",
    "husband",
    "wife",
    "son",
    "daughter",
    "partner",
    "boyfriend",
    "girlfriend",
    "appointment",
    "appt",
    "account",
    "credits",
    "membership",
    "last",
    "schedule",
    "results",
    "balance",
    "package",
    "behalf",
    "aunt",
    "uncle",
    "cousin",
    "grandma",
    "grandmother",
    "roommate",
    "coworker",
    "kid",
    "kids",
];

/// What follows a name in praise or in a question about a provider ("Sunniva was the best",
/// "is Dagny doing injections", "Teodora if she's free").
const AFTER_PROVIDER: &[&str] = &[
    "was the best",
    "is the best",
    "was amazing",
    "is amazing",
    "was so",
    "is so",
    "was great",
    "is great",
    "was wonderful",
    "is wonderful",
    "is an angel",
    "was an angel",
    "is a gem",
    "doing injections",
    "doing botox",
    "doing filler",
    "working",
    "in today",
    "if she's free",
    "if he's free",
    "if shes free",
    "if hes free",
    "es un amor",
    "es la mejor",
    "es el mejor",
    "fue la mejor",
    "fue muy",
    "he's the man",
    "hes the man",
    "she's the best",
    "did mine",
    "walked me",
    "helped me",
    "made me",
    "took care",
    "explained",
    "did my",
    "did a great",
    "if he's in",
    "if she's in",
    "if hes in",
    "if shes in",
];

/// Words after a full name that mark it as the sender's ("Chinedu Obi here", "Xu Meiling,
/// dob ...", "Rasmus Kjærgaard (patient #...)", "Kofi Asante-Boateng for 2pm").
const AFTER_FULL_NAME: &[&str] = &[
    "here",
    "dob",
    "d.o.b",
    "date",
    "birthday",
    "bday",
    "patient",
    "for",
    "confirming",
    "confirmed",
    "member",
    "acct",
    "account",
    "phone",
    "cell",
    "née",
    "nee",
    "born",
    "fecha",
    "nacida",
    "nacido",
];

/// Words after "the Brennan" that make "Brennan" a family's surname ("the Brennan family").
const FAMILY_WORDS: &[&str] = &[
    "family",
    "household",
    "residence",
    "twins",
    "kids",
    "sisters",
];

/// Folds accents so "Lucía Fernández" finds "lucia", "fernandez" and "Nguyễn" finds "nguyen".
fn fold(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii() {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.chars().map(crate::text::fold_accent).collect())
}

/// What the bundled lists say of a word, as bits of one entry: one lookup per word instead of
/// one per list. The values are also `build.rs`'s, which compiles the lists into [`lexicon`].
mod list {
    pub const FIRST: u8 = 1;
    /// A nickname, or ranked in the SSA list's first 1,500 (`build.rs`): may match in lower
    /// case ("thanks jessica"); rarer ones ("lacy", "honor") only when capitalised or cued.
    pub const COMMON_FIRST: u8 = 2;
    pub const SURNAME: u8 = 4;
    pub const AMBIGUOUS: u8 = 8;
    pub const NEVER: u8 = 16;
}

/// The name lists as a static open-addressing table (FNV-1a, linear probing), generated by
/// `build.rs`: nothing to build when a Worker starts.
mod lexicon {
    include!(concat!(env!("OUT_DIR"), "/name_lexicon.rs"));

    /// The [`super::list`] bits of the lists `word` is on (0 if none).
    pub fn lists(word: &str) -> u8 {
        let mask = SLOTS.len() - 1;
        let mut s = (crate::fnv::extend(crate::fnv::OFFSET, word.as_bytes()) as usize) & mask;
        // The table is at most two-thirds full, so an empty slot always ends the probe.
        loop {
            match SLOTS[s] {
                0 => return 0,
                i => {
                    if let Some((w, bits)) = WORDS.get(usize::from(i) - 1) {
                        if *w == word {
                            return *bits;
                        }
                    }
                }
            }
            s = (s + 1) & mask;
        }
    }
}

/// Holds nothing: the name lists are static ([`lexicon`]).
pub struct NameRecognizer;

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

/// A letter of a script written without spaces, or typed beside one: Han, kana (half-width
/// too), Hangul syllables and the lone Hangul letters of "ㅎㅎ", "ㅠㅠ".
fn east_asian(c: char) -> bool {
    crate::text::written_without_spaces(c)
        || matches!(u32::from(c), 0x3130..=0x318f | 0x1100..=0x11ff | 0xff65..=0xff9f)
}

/// Honorifics written right after a name in Japanese and Korean ("Linさん", "Jessica씨"): only a
/// person takes them.
const EAST_ASIAN_HONORIFICS: &[&str] = &[
    "さん",
    "様",
    "さま",
    "ちゃん",
    "くん",
    "君",
    "先生",
    "씨",
    "님",
    "선생님",
    "小姐",
    "女士",
];

fn tokenize(text: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((s, c)) = it.next() {
        if !c.is_alphabetic() {
            continue;
        }
        let mut e = s + c.len_utf8();
        // Chinese, Japanese and Korean run into a Latin name without a space ("是Dr. Lin吗",
        // "Jessicaㅎㅎ"): the change of script ends the word.
        let eastern = east_asian(c);
        while let Some(&(i, ch)) = it.peek() {
            if ch.is_alphabetic() && east_asian(ch) != eastern {
                break;
            }
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
        Self
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
        // A Vietnamese syllable ("Cảm", "Bạn") folds onto an English name ("Cam", "Ban"): its
        // tone marks say it is not that name, so only cues can make it one.
        let vietnamese = t.lower.chars().any(|ch| {
            matches!(ch, 'ơ' | 'ư' | 'đ' | 'ă') || ('\u{1ea0}'..='\u{1ef9}').contains(&ch)
        });
        let on = if vietnamese { 0 } else { lexicon::lists(base) };
        let head_on = if head != base && !vietnamese {
            lexicon::lists(head)
        } else {
            0
        };
        Class {
            never: on & list::NEVER != 0 || base.chars().count() < 2,
            first: (on | head_on) & list::FIRST != 0,
            sur: on & list::SURNAME != 0,
            amb: on & list::AMBIGUOUS != 0,
            title: TITLES.contains(&base),
            common: (on | head_on) & list::COMMON_FIRST != 0,
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
        // Tokens that are a title found by `other_title` (the title list's are in `cls`).
        let mut titled = vec![false; n];
        let vietnamese = vietnamese_letters(text);
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
            // A title in another language, or one that is also a word: "Ate Bea", "bác sĩ
            // Linh". After an honorific only a name fits, so a listed word ("Kuya Jun", a month
            // elsewhere) may be one, except after "doc", which is also a document.
            if let Some(k) = other_title(text, &toks, i, vietnamese) {
                let doc = toks[k].lower == "doc";
                if t.cap
                    && !c.title
                    && !placeholder[i]
                    && not_a_word(&t.lower)
                    && (!doc || (!c.never && (c.first || c.amb || toks[k].cap)))
                {
                    for j in k..=i {
                        score[j] = 0.9;
                        titled[j] = j < i;
                    }
                    continue;
                }
            }
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
                    "dr" | "dra" | "dre" | "mr" | "mrs" | "ms" | "mme" | "sr" | "sra" | "srta"
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
            // The same cues in the other languages patients write in: "Em là Nguyễn Thị Lan",
            // "tên Do Thu Trang", "Ako po si Maricel Santos", "Meu nome é Otávio Mendes",
            // "me chamo", "Mwen rele", "je m'appelle". Capitalised words only: these cue words
            // are everyday words too ("si", "la").
            let word = |k: usize| toks.get(k).map_or("", |t| t.lower.as_str());
            let folded_prev = fold(prev);
            let foreign = i >= 1
                && match folded_prev.as_ref() {
                    "la" => matches!(
                        fold(word(i.wrapping_sub(2))).as_ref(),
                        "em" | "toi" | "minh" | "ten" | "chi" | "anh"
                    ),
                    "ten" => i < 2 || !matches!(word(i - 2), "the" | "at" | "by" | "los"),
                    // Tagalog "anak ko na si Bea", "kapatid kong si Maricel": "si" is the
                    // personal article after these too (Spanish "si" is "if", hence t.cap).
                    "si" | "ni" => matches!(
                        word(i.wrapping_sub(2)),
                        "po" | "ako"
                            | "na"
                            | "ko"
                            | "kong"
                            | "yung"
                            | "ang"
                            | "kay"
                            | "ni"
                            | "asawa"
                            | "pinsan"
                            | "kapatid"
                            | "anak"
                            | "nanay"
                    ),
                    "e" => matches!(word(i.wrapping_sub(2)), "nome"),
                    "chamo" | "rele" | "appelle" | "m'appelle" | "llamo" => true,
                    "se" => matches!(word(i.wrapping_sub(2)), "m" | "mwen" | "non"),
                    // Vietnamese "của Lan" (Lan's), "named", "llamada".
                    "cua" | "named" | "llamada" | "llamado" | "recomendo" => true,
                    _ => false,
                };
            // A surname that is also a function word elsewhere ("Do Thu Trang") counts when a
            // capitalised word follows.
            let next_cap = i + 1 < n && toks[i + 1].cap;
            if foreign && t.cap && (!c.never || next_cap) && not_a_word(&t.lower) {
                score[i] = 0.85;
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
                        | "c'est"
                        | "c’est"
                        | "eto"
                )
                || (prev == "me" && i >= 2 && toks[i - 2].lower == "call");
            if intro {
                let weak = matches!(prev, "i'm" | "i’m" | "im" | "am" | "under" | "me");
                let next_name =
                    i + 1 < n && (cls[i + 1].sur || cls[i + 1].first) && !cls[i + 1].never;
                // A capitalised full name outside the gazetteers ("this is Odalys Brennan",
                // "I'm Priyanka Dhillon"): two capitalised words, neither a common word.
                let full_name = t.cap
                    && not_a_word(&toks[i].lower)
                    && i + 1 < n
                    && toks[i + 1].cap
                    && !cls[i + 1].never
                    && not_a_word(&toks[i + 1].lower)
                    && gap(i, i + 1) == " ";
                let ok = if weak {
                    (c.first && !c.amb && (t.cap || c.common))
                        || (t.cap && next_name)
                        || full_name
                        || (t.cap && not_a_word(&t.lower) && followed_by_break(i) && i + 1 < n)
                } else {
                    (gazetteer && (cap_ok || followed_by_break(i) || next_name))
                        || (t.cap && (followed_by_break(i) || next_name || prev == "soy"))
                        || full_name
                };
                if ok {
                    score[i] = 0.85;
                    continue;
                }
            }
            // "the Brennan family", "la familia Nguyen": a surname the lists may lack.
            let family =
                (prev == "the" && i + 1 < n && FAMILY_WORDS.contains(&toks[i + 1].lower.as_str()))
                    || matches!(prev, "familia" | "family");
            // A staff member's first name where only a person fits: "ask for Teo", "is Maren
            // in today?", "appointment with Idun", "can I see Teo".
            let staff = (prev == "for"
                && i >= 2
                && matches!(
                    toks[i - 2].lower.as_str(),
                    "ask" | "asked" | "asking" | "request" | "requested"
                ))
                || (prev == "with"
                    && i >= 2
                    && matches!(
                        toks[i - 2].lower.as_str(),
                        "appointment" | "appt" | "booked" | "book" | "session" | "consult" | "cita"
                    ))
                || (prev == "see"
                    && i >= 2
                    && matches!(toks[i - 2].lower.as_str(), "i" | "to" | "only"))
                || (prev == "is"
                    && i + 1 < n
                    && matches!(
                        toks[i + 1].lower.as_str(),
                        "in" | "working" | "available" | "there" | "off" | "free"
                    ))
                || (matches!(prev, "con" | "para") && i >= 2 && toks[i - 2].lower == "cita")
                // "prefer with Teo", "wednesday w Nomvula", "agendar con Eulalia": treatments,
                // payment services and brands are in the never and not-a-name lists.
                || matches!(prev, "with" | "w" | "con")
                || (prev == "by"
                    && i >= 2
                    && matches!(
                        toks[i - 2].lower.as_str(),
                        "referred" | "recommended" | "sent" | "done" | "treated" | "seen"
                    ));
            if (family || staff) && t.cap && !c.never && not_a_word(&t.lower) {
                score[i] = 0.8;
                continue;
            }
            // A capitalised full name outside the lists, marked as the sender's by what
            // follows it ("Chinedu Obi here", "Bjørnar Lindqvist, DOB", "Kofi Asante-Boateng
            // for 2pm") or by an identifier right after it ("Nina Volkova 929-555-0156").
            if t.cap && !c.never && not_a_word(&t.lower) && i + 1 < n && gap(i, i + 1) == " " {
                let mut j = i + 1;
                while j < n
                    && j < i + 4
                    && toks[j].cap
                    && !cls[j].never
                    && not_a_word(&toks[j].lower)
                    && gap(j - 1, j) == " "
                {
                    j += 1;
                }
                let after =
                    text[toks[j - 1].word_end..].trim_start_matches([' ', ',', '(', '-', ':']);
                let opening = (i == 0
                    || (i == 1
                        && matches!(
                            toks[0].lower.as_str(),
                            "hi" | "hello" | "hey" | "hola" | "buenas" | "bonjour" | "oi"
                        )))
                    && text[toks[j - 1].word_end..].starts_with(',');
                let marked = j >= i + 2
                    && (opening
                        || AFTER_FULL_NAME
                            .iter()
                            .any(|w| fold(&after.to_lowercase()).starts_with(w))
                        || after.starts_with(|ch: char| ch.is_ascii_digit() || ch == '+')
                        || j == n && after.trim().is_empty());
                if marked {
                    for sc in score.iter_mut().take(j).skip(i) {
                        *sc = 0.8;
                    }
                    continue;
                }
            }
            // A Latin name with a Japanese, Korean or Chinese honorific right after it.
            if t.cap
                && !c.never
                && not_a_word(&t.lower)
                && EAST_ASIAN_HONORIFICS
                    .iter()
                    .any(|h| text[t.word_end..].starts_with(h))
            {
                score[i] = 0.85;
                continue;
            }
            // A provider named in praise or a question about their schedule.
            if t.cap && !c.never && not_a_word(&t.lower) && !t.possessive {
                let after = fold(&text[t.word_end..].trim_start().to_lowercase()).into_owned();
                if AFTER_PROVIDER.iter().any(|w| after.starts_with(w))
                    // "Sorry Teo!", "perdón Rocío": an apology to someone by name.
                    || (matches!(prev, "sorry" | "perdon" | "perdón" | "disculpa" | "desculpa")
                        && followed_by_break(i))
                    || (matches!(prev, "tell" | "thank" | "from" | "not" | "phai")
                        && (followed_by_break(i) || gazetteer || i + 1 < n))
                {
                    score[i] = 0.75;
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
            // Haitian Creole "kouzin mwen Guerline Auguste", "manman m Yolande".
            if CREOLE_POSSESSIVES.contains(&prev)
                && i >= 2
                && RELATIVES.contains(&toks[i - 2].lower.as_str())
                && gap(i - 2, i - 1) == " "
                && matches!(gap(i - 1, i), " " | ", ")
                && t.cap
                && !c.never
                && not_a_word(&t.lower)
            {
                score[i] = 0.85;
                continue;
            }
            // Possessive "Sarah's", "Grace's"; not "St. Mary's". A name outside the lists
            // counts when a person's word follows ("Chidinma's friend", "Ragnhild's mom").
            let person_after =
                i + 1 < n && PERSON_AFTER_POSSESSIVE.contains(&toks[i + 1].lower.as_str());
            if t.possessive
                && t.cap
                && (c.first || c.amb || (person_after && !c.never && not_a_word(&t.lower)))
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
                    if cls[i].title || titled[i] {
                        "name_title"
                    } else {
                        "name"
                    },
                    best,
                ));
            }
            i = j;
        }
    }
}

/// Whether the message is written in Vietnamese: it holds a letter only Vietnamese uses (ơ, ư,
/// đ, ă, or a vowel with a tone mark from the Latin Extended Additional block).
fn vietnamese_letters(text: &str) -> bool {
    !text.is_ascii()
        && text.chars().any(|ch| {
            let ch = ch.to_lowercase().next().unwrap_or(ch);
            matches!(ch, 'ơ' | 'ư' | 'đ' | 'ă') || ('\u{1ea0}'..='\u{1ef9}').contains(&ch)
        })
}

/// The first token of a title right before word `i` that the title list cannot hold: one that
/// is also an everyday word ([`CAPITALISED_TITLES`]) or a Vietnamese one ([`VIETNAMESE_TITLES`],
/// in a Vietnamese message). Only single spaces between the title's words and the name.
fn other_title(text: &str, toks: &[Tok], i: usize, vietnamese: bool) -> Option<usize> {
    let spaced = |a: usize| text.get(toks[a].word_end..toks[a + 1].start) == Some(" ");
    if i >= 1 && spaced(i - 1) {
        let t = &toks[i - 1];
        let lower = t.lower.as_str();
        // "a Google Doc", "the Word doc": a document, not a doctor.
        let document = i >= 2 && matches!(toks[i - 2].lower.as_str(), "google" | "word" | "the");
        if CAPITALISED_TITLES.contains(&lower)
            && (lower != "ate" || t.cap)
            && (lower != "doc" || !document)
        {
            return Some(i - 1);
        }
    }
    // Weekdays and months are capitalised too: "hẹn chị Thứ Hai" is "see you Monday".
    if !vietnamese || VIETNAMESE_CALENDAR.contains(&toks[i].lower.as_str()) {
        return None;
    }
    VIETNAMESE_TITLES.iter().find_map(|title| {
        let k = i.checked_sub(title.len())?;
        let same = title
            .iter()
            .enumerate()
            .all(|(j, w)| toks[k + j].lower == *w && spaced(k + j));
        same.then_some(k)
    })
}

/// Whether `lower` is not one of the everyday words that a capitalised cue may precede.
fn not_a_word(lower: &str) -> bool {
    let base = lower.trim_end_matches('.');
    !NOT_NAMES.contains(&base) && base.chars().count() >= 2
}

/// The text between the previous word and word `i` (or the message start).
fn gap_before<'a>(text: &'a str, toks: &[Tok], i: usize) -> &'a str {
    let from = if i == 0 { 0 } else { toks[i - 1].word_end };
    &text[from..toks[i].start]
}

#[cfg(test)]
mod tests {
    use super::{lexicon, list};
    use std::collections::HashMap;

    const FIRST: &str = include_str!("../../data/first_names.txt");
    const NICK: &str = include_str!("../../data/nicknames.txt");
    const SURNAMES: &str = include_str!("../../data/surnames.txt");
    const AMBIGUOUS: &str = include_str!("../../data/ambiguous_names.txt");
    const NEVER: &str = include_str!("../../data/never_names.txt");
    const COMMON: &str = include_str!("../../data/common_words.txt");

    fn words(list: &'static str) -> impl Iterator<Item = &'static str> {
        list.lines()
            .map(|line| line.split_once('#').map_or(line, |(w, _)| w))
            .flat_map(str::split_whitespace)
    }

    /// The table `build.rs` generates says of every listed word exactly what the lists say.
    #[test]
    fn the_generated_lexicon_matches_the_lists() {
        let mut want: HashMap<&str, u8> = HashMap::new();
        let mut mark = |ws: &mut dyn Iterator<Item = &'static str>, bits: u8| {
            for w in ws {
                *want.entry(w).or_insert(0) |= bits;
            }
        };
        mark(&mut words(FIRST).take(1500), list::COMMON_FIRST);
        mark(&mut words(FIRST), list::FIRST);
        let common: Vec<&str> = words(COMMON).collect();
        let (nick_words, nick): (Vec<&str>, Vec<&str>) =
            words(NICK).partition(|w| common.contains(w));
        mark(&mut nick.into_iter(), list::FIRST | list::COMMON_FIRST);
        mark(&mut nick_words.into_iter(), list::AMBIGUOUS);
        mark(&mut words(SURNAMES), list::SURNAME);
        mark(&mut words(AMBIGUOUS), list::AMBIGUOUS);
        mark(&mut words(NEVER), list::NEVER);
        assert!(want.len() > 9_000, "{} words", want.len());
        for (w, bits) in &want {
            assert_eq!(lexicon::lists(w), *bits, "{w}");
        }
        for absent in ["", "botox", "jessicaa", "[name_1]", "\u{0}", "ñ"] {
            assert_eq!(
                want.get(absent).copied().unwrap_or(0),
                lexicon::lists(absent),
                "{absent}"
            );
        }
        assert_eq!(
            lexicon::lists("jessica") & list::COMMON_FIRST,
            list::COMMON_FIRST
        );
        assert_eq!(lexicon::lists("jen"), list::FIRST | list::COMMON_FIRST);
        // A short form that is also a common word needs a cue, like "will" or "may".
        assert_eq!(lexicon::lists("memo"), list::AMBIGUOUS);
        assert_eq!(lexicon::lists("cat") & list::COMMON_FIRST, 0);
    }
}

/// Titles and kinship words in the other languages patients write in.
#[cfg(test)]
mod other_languages {
    use crate::phi::{spans_of, PhiKind};

    fn names(text: &str) -> Vec<&str> {
        spans_of(PhiKind::Name, text)
    }

    fn check(cases: &[(&str, &str)]) {
        for (text, want) in cases {
            assert_eq!(names(text), [*want], "{text:?}");
        }
    }

    fn none(cases: &[&str]) {
        for text in cases {
            assert!(names(text).is_empty(), "{text:?}: {:?}", names(text));
        }
    }

    #[test]
    fn titles_are_part_of_the_name() {
        check(&[
            ("Cảm ơn bác sĩ Linh nhiều", "bác sĩ Linh"),
            ("chị Thảo nói là ok", "chị Thảo"),
            ("anh Tuấn sẽ đến", "anh Tuấn"),
            ("cô Hằng gọi lại giúp em", "cô Hằng"),
            ("em hẹn với chị Nguyễn Lan", "chị Nguyễn Lan"),
            ("Merci Dre Tremblay, à bientôt", "Dre Tremblay"),
            ("Docteur Roy a dit que", "Docteur Roy"),
            ("Mme Girard appelle demain", "Mme Girard"),
            ("a Doutora Lima falou que sim", "Doutora Lima"),
            ("a Dra. Souza disse", "Dra. Souza"),
            ("Doktè Pierre di m sa", "Doktè Pierre"),
            ("Madan Joseph rele w", "Madan Joseph"),
            ("Ate Bea said ok", "Ate Bea"),
            ("sabi ni Kuya Jun po", "Kuya Jun"),
            ("Doc Mae said it is fine", "Doc Mae"),
        ]);
    }

    #[test]
    fn a_latin_name_inside_chinese_text_and_an_apology_by_name_are_found() {
        check(&[
            ("明天是哪位医生给我打？是Dr. Lin吗", "Dr. Lin"),
            ("预约的是Jessica吗", "Jessica"),
            ("Running 30 late. Sorry Teo!", "Teo"),
            ("perdón Rocío, llego en 5", "Rocío"),
        ]);
        check(&[
            ("Hi Jessicaㅎㅎ 내일 예약 확인해요", "Jessica"),
            ("Jessicaㅠㅠ 오늘 못 가요", "Jessica"),
            ("田中ですがLinさんの予約は？", "Lin"),
        ]);
        none(&[
            "Sorry Running late!",
            "sorry, Monday works",
            "明天可以吗",
            "Sorry Guys! running late",
            "Perdón Señorita! llego tarde",
            "我用Venmo付款可以吗",
        ]);
    }

    #[test]
    fn title_words_that_are_everyday_words_are_left_alone() {
        none(&[
            "I ate Chipotle before the appointment",
            "ate a lot today, Sorry",
            "I put it in the Google Doc Sheets tab",
            "the doc said to wait",
            "Chi phí bao nhiêu ạ",
            "hẹn chị Thứ Hai nhé",
            "co-pay is how much",
            "anh ấy đến muộn",
            "Madame, merci beaucoup",
        ]);
    }

    #[test]
    fn kinship_words_before_a_name() {
        check(&[
            (
                "kouzin mwen Guerline Auguste ap vini demen",
                "Guerline Auguste",
            ),
            ("manman m Yolande Etienne ap vini tou", "Yolande Etienne"),
            ("ma cousine Léa vient aussi", "Léa"),
            ("ma mère Anne vient aussi", "Anne"),
            ("minha prima Ana vai junto", "Ana"),
            ("meu marido João vai junto", "João"),
            ("meu irmão Caio vai junto", "Caio"),
            ("mi hija Sofía viene también", "Sofía"),
            ("anak ko na si Bea ay pupunta rin", "Bea"),
            ("yung kapatid kong si Maricel ay may tanong", "Maricel"),
        ]);
        none(&[
            "Si puedo ir mañana",
            "kouzin mwen ap vini tou",
            "manman m di wi",
            "ma mère vient aussi",
            "na si ko alam",
        ]);
    }
}
