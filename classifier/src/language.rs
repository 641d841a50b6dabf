//! Which language a patient wrote in, offline and in microseconds.
//!
//! The intent model was trained on English and Spanish; a message in any other language is read
//! blind, so the policy must know when that happens (a Vietnamese emergency must not be drafted
//! as an aftercare question). Text messages are short, typed without accents and mixed with
//! English treatment words ("filler", "botox"), which defeats character-trigram profiles trained
//! on prose. So the identifier reads the evidence a person would:
//! - the script: Han, Hangul, Arabic and Cyrillic letters name their language outright;
//! - letters only some languages use (Vietnamese "ơ ư đ ạ", Spanish "ñ", Portuguese "ã õ");
//! - function words and everyday words people type in each language, accent-folded, as
//!   written on phones ("toi", "khong", "mwen", "po", "nao", "je", "pinyin" syllables);
//! - Arabic written in Latin letters with digits for letters ("3ndi", "7abibi").
//!
//! The answer is a language with a confidence, or `und` when the text carries no evidence
//! ("C", "ok", "👍"), which the policy treats as the model's own languages (such a message is
//! as readable to the model as to anyone).

use serde::Serialize;
use std::collections::HashMap;

/// A language the identifier can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    English,
    Spanish,
    Chinese,
    Vietnamese,
    Korean,
    Tagalog,
    Arabic,
    French,
    Russian,
    Portuguese,
    HaitianCreole,
    /// Japanese (kana), Thai, Hebrew, Devanagari...: a script we name no language for.
    OtherScript,
    /// No evidence either way (a letter, a number, an emoji, a treatment name).
    Undetermined,
}

/// The languages scored on word evidence, in [`Language`] order.
/// Words only a language's own speakers put into another language's sentence, weighing double:
/// Tagalog's politeness particles ("yes po confirmed", "ok opo") mark a Tagalog speaker
/// writing in English, whose message goes to staff like any other Tagalog one; so do the polite
/// "you" of French and Portuguese beside an English brand or treatment name ("Vous acceptez
/// Apple Pay ?", "você tem Hydrafacial?"). The index is the language's place in [`LATIN`].
const SPEAKER_MARKERS: &[(&str, usize)] = &[
    ("po", 2),
    ("opo", 2),
    ("vous", 3),
    ("votre", 3),
    ("voce", 4),
];

const LATIN: [Language; 7] = [
    Language::English,
    Language::Spanish,
    Language::Tagalog,
    Language::French,
    Language::Portuguese,
    Language::HaitianCreole,
    Language::Vietnamese,
];

impl Language {
    /// The BCP-47 tag ("und" when undetermined, "mul" for another script).
    pub const fn tag(self) -> &'static str {
        match self {
            Self::English => "en",
            Self::Spanish => "es",
            Self::Chinese => "zh",
            Self::Vietnamese => "vi",
            Self::Korean => "ko",
            Self::Tagalog => "tl",
            Self::Arabic => "ar",
            Self::French => "fr",
            Self::Russian => "ru",
            Self::Portuguese => "pt",
            Self::HaitianCreole => "ht",
            Self::OtherScript => "mul",
            Self::Undetermined => "und",
        }
    }

    /// Whether the intent model was trained to read this language. Undetermined counts: a
    /// message with no language evidence has nothing the model could misread as another tongue.
    pub const fn model_reads(self) -> bool {
        matches!(self, Self::English | Self::Spanish | Self::Undetermined)
    }
}

/// The identifier's answer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LanguageGuess {
    pub language: Language,
    /// 0..=1: the share of the evidence that points to `language` rather than any other.
    pub confidence: f32,
}

impl LanguageGuess {
    pub const UNDETERMINED: Self = Self {
        language: Language::Undetermined,
        confidence: 0.0,
    };

    /// A language the model was not trained on, named with at least `min_confidence`.
    pub fn is_unsupported(&self, min_confidence: f32) -> bool {
        !self.language.model_reads() && self.confidence >= min_confidence
    }
}

/// Words typical of each language as typed in text messages (lower case, accents folded).
/// A word listed for several languages counts for each, divided among them.
const WORDS: [&[&str]; 7] = [
    // English.
    &[
        "the",
        "i",
        "im",
        "ive",
        "id",
        "ill",
        "my",
        "me",
        "you",
        "your",
        "u",
        "ur",
        "is",
        "are",
        "was",
        "were",
        "it",
        "its",
        "to",
        "for",
        "of",
        "and",
        "with",
        "can",
        "could",
        "do",
        "does",
        "did",
        "dont",
        "didnt",
        "doesnt",
        "have",
        "has",
        "had",
        "what",
        "whats",
        "when",
        "how",
        "much",
        "just",
        "this",
        "that",
        "will",
        "would",
        "be",
        "been",
        "today",
        "tomorrow",
        "tmrw",
        "thanks",
        "thank",
        "thx",
        "please",
        "pls",
        "plz",
        "hi",
        "hey",
        "hello",
        "appointment",
        "appt",
        "after",
        "before",
        "not",
        "cant",
        "cannot",
        "get",
        "got",
        "need",
        "want",
        "still",
        "out",
        "on",
        "at",
        "in",
        "about",
        "if",
        "so",
        "our",
        "we",
        "they",
        "there",
        "here",
        "an",
        "am",
        "any",
        "some",
        "time",
        "next",
        "week",
        "yesterday",
        "last",
        "night",
        "morning",
        "yes",
        "yeah",
        "ok",
        "okay",
        "lol",
        "should",
        "should",
        "why",
        "where",
        "who",
        "which",
        "from",
        "by",
        "or",
        "but",
        "all",
        "like",
        "really",
        "very",
        "been",
        "know",
        "think",
        "feel",
        "feels",
        "look",
        "looks",
        "looking",
        "wanted",
        "going",
        "gonna",
        "wanna",
        "anyone",
        "someone",
        "back",
        "left",
        "right",
        "swelling",
        "lip",
        "lips",
        "face",
        "still",
        "again",
        "also",
        "now",
        "him",
        "her",
        "she",
        "he",
        "his",
        "hers",
        "them",
        "their",
        "us",
        "book",
        "schedule",
        "cancel",
        "reschedule",
        "confirm",
        "confirmed",
        "late",
        "minutes",
        "min",
        "mins",
        "running",
        "open",
        "close",
        "price",
        "cost",
        "much",
        "how",
        "long",
        "last",
        "normal",
        "pain",
        "hurts",
        "today",
        "weekend",
        "saturday",
        "sunday",
        "monday",
        "friday",
        "guys",
        "take",
        "pay",
        "card",
        "cash",
        "accept",
        "call",
        "text",
        "send",
        "see",
        "come",
        "go",
        "make",
        "let",
        "tell",
        "ask",
        "help",
        "day",
        "days",
        "hours",
        "hour",
        "sure",
        "sorry",
        "great",
        "good",
        "love",
        "nice",
        "new",
        "one",
        "two",
        "first",
        "well",
        "way",
        "even",
        "because",
        "only",
        "something",
        "anything",
        "everything",
        "many",
        "more",
        "other",
        "same",
        "than",
        "then",
        "these",
        "those",
        "into",
        "over",
        "off",
        "up",
        "down",
        "thursday",
        "tuesday",
        "wednesday",
        "ill",
        "youre",
        "thats",
        "theres",
        "dont",
        "wont",
        "isnt",
        "wasnt",
        "offer",
        "sell",
        "buy",
        "stock",
        "have",
        "any",
        "specials",
        "deal",
        "deals",
        "left",
        "available",
        "open",
        "again",
        "see",
        "soon",
        "free",
        "doing",
        "done",
        "amazing",
        "my",
        "ok",
        "okay",
        "lol",
        "btw",
        "asap",
        "idk",
        "omg",
        "tho",
        "gonna",
        "got",
        "yet",
        "who",
    ],
    // Spanish.
    &[
        "el",
        "la",
        "los",
        "las",
        "que",
        "de",
        "del",
        "en",
        "y",
        "es",
        "mi",
        "mis",
        "me",
        "tengo",
        "tiene",
        "tienen",
        "por",
        "para",
        "con",
        "una",
        "un",
        "se",
        "lo",
        "le",
        "no",
        "si",
        "pero",
        "muy",
        "esta",
        "estoy",
        "estan",
        "puedo",
        "puede",
        "quiero",
        "cita",
        "gracias",
        "hola",
        "manana",
        "hoy",
        "ayer",
        "como",
        "cuando",
        "donde",
        "cuanto",
        "cuesta",
        "porque",
        "ya",
        "usted",
        "ustedes",
        "favor",
        "bien",
        "mas",
        "todo",
        "nada",
        "hace",
        "tambien",
        "necesito",
        "labios",
        "cara",
        "dolor",
        "duele",
        "hinchado",
        "hinchada",
        "despues",
        "antes",
        "semana",
        "tarde",
        "llegar",
        "voy",
        "vamos",
        "hay",
        "algo",
        "ese",
        "eso",
        "esa",
        "este",
        "estos",
        "mucho",
        "poco",
        "ojo",
        "ojos",
        "nariz",
        "piel",
        "relleno",
        "sabado",
        "domingo",
        "lunes",
        "viernes",
        "buenas",
        "buenos",
        "dias",
        "senora",
        "doctora",
        "pregunta",
        "quisiera",
        "podria",
        "cancelar",
        "cambiar",
        "horario",
        "precio",
        "pago",
        "tarjeta",
        "nos",
        "su",
        "sus",
        "al",
        "yo",
        "ella",
        "el",
        "ola",
        "aqui",
        "oigan",
        "saben",
        "algun",
        "alguna",
        "bueno",
        "buena",
        "sabe",
        "hola",
        "quiero",
        "mande",
        "oye",
        "disculpe",
        "perdon",
        "claro",
        "vale",
        "entonces",
        "confirmo",
        "confirmado",
    ],
    // Tagalog (and Taglish).
    &[
        "ang",
        "ng",
        "mga",
        "sa",
        "ko",
        "ako",
        "ikaw",
        "ka",
        "mo",
        "po",
        "opo",
        "ba",
        "nga",
        "lang",
        "naman",
        "yung",
        "iyong",
        "ito",
        "iyan",
        "yan",
        "dito",
        "diyan",
        "hindi",
        "di",
        "oo",
        "salamat",
        "pwede",
        "puwede",
        "paano",
        "kailan",
        "saan",
        "magkano",
        "ano",
        "bakit",
        "kasi",
        "kaya",
        "tapos",
        "ngayon",
        "bukas",
        "kahapon",
        "sakit",
        "masakit",
        "mukha",
        "labi",
        "mata",
        "hirap",
        "huminga",
        "akin",
        "namin",
        "natin",
        "sila",
        "siya",
        "kami",
        "tayo",
        "wala",
        "meron",
        "gusto",
        "kailangan",
        "talaga",
        "sobrang",
        "parang",
        "nang",
        "rin",
        "daw",
        "raw",
        "nyo",
        "ninyo",
        "kayo",
        "lahat",
        "naku",
        "grabe",
        "sana",
        "ulit",
        "pa",
        "na",
        "si",
        "ni",
        "kay",
        "niya",
        "ba",
        "eh",
        "ho",
        "yata",
        "nalang",
        "nako",
        "pag",
        "kapag",
        "para",
        "mag",
        "nag",
        "pagkatapos",
        "mamaya",
        "kanina",
    ],
    // French.
    &[
        "je", "j", "tu", "il", "elle", "nous", "vous", "le", "la", "les", "des", "du", "de", "un",
        "une", "est", "et", "pas", "ne", "mon", "ma", "mes", "ton", "votre", "vos", "avec", "pour",
        "sur", "dans", "ce", "cette", "ca", "c", "qui", "que", "oui", "non", "merci", "bonjour",
        "bonsoir", "rendez", "rdv", "demain", "hier", "aujourd", "hui", "ai", "suis", "peux",
        "veux", "tres", "trop", "levres", "visage", "yeux", "apres", "depuis", "encore", "aussi",
        "beaucoup", "quand", "comment", "combien", "pourquoi", "au", "aux", "sont", "fait",
        "faire", "mal", "j'ai", "jai", "chez", "mais", "ou", "plus", "moi", "toi", "lui", "leur",
        "etait", "avoir", "etre", "dois", "peut", "n'est", "qu'il", "s'il", "vous", "madame",
        "docteur", "rien", "tout", "bien", "desole", "desolee", "retard", "aurai", "serai",
        "arrive", "bientot", "confirme", "svp", "stp", "annuler", "reporter", "heure", "heures",
        "samedi", "dimanche", "lundi", "vendredi", "ouvert", "ouvrez", "prix", "enflure", "bouche",
        "peau", "nez",
    ],
    // Portuguese (Brazilian).
    &[
        "eu",
        "voce",
        "vc",
        "vcs",
        "voces",
        "nao",
        "sim",
        "meu",
        "minha",
        "meus",
        "minhas",
        "com",
        "uma",
        "um",
        "muito",
        "muita",
        "mais",
        "estou",
        "to",
        "ta",
        "tenho",
        "tem",
        "hoje",
        "amanha",
        "ontem",
        "obrigado",
        "obrigada",
        "obg",
        "oi",
        "ola",
        "tudo",
        "bom",
        "boa",
        "dia",
        "isso",
        "esse",
        "essa",
        "ele",
        "ela",
        "eles",
        "pra",
        "pro",
        "do",
        "da",
        "dos",
        "das",
        "no",
        "na",
        "nos",
        "nas",
        "em",
        "que",
        "de",
        "para",
        "por",
        "mas",
        "quanto",
        "custa",
        "quando",
        "onde",
        "como",
        "dor",
        "doendo",
        "doi",
        "rosto",
        "olho",
        "olhos",
        "boca",
        "labio",
        "labios",
        "inchado",
        "inchada",
        "depois",
        "antes",
        "semana",
        "consulta",
        "horario",
        "kkk",
        "kkkk",
        "kkkkk",
        "ai",
        "gente",
        "aqui",
        "agora",
        "ja",
        "fiz",
        "fazer",
        "posso",
        "pode",
        "preciso",
        "quero",
        "queria",
        "tava",
        "estava",
        "preenchimento",
        "tambem",
        "entao",
        "vou",
        "sao",
        "desculpa",
        "desculpe",
        "atrasar",
        "atrasada",
        "atrasado",
        "atraso",
        "uns",
        "umas",
        "minutinhos",
        "chegando",
        "segunda",
        "sexta",
        "beleza",
        "valeu",
        "abre",
        "abrem",
        "fecha",
        "desmarcar",
        "remarcar",
        "agendar",
        "alguma",
        "algum",
        "ano",
        "promo",
        "confirmado",
        "confirmada",
        "lembrete",
        "responda",
        "sua",
        "seu",
    ],
    // Haitian Creole.
    &[
        "mwen", "m", "ou", "li", "nou", "yo", "pa", "nan", "ak", "pou", "sa", "se", "gen",
        "genyen", "ki", "kijan", "kisa", "kote", "kounye", "koulye", "konnen", "vle", "kapab",
        "kab", "ka", "fe", "te", "ap", "pral", "yon", "bouch", "doule", "figi", "je", "mesi",
        "bonjou", "bonswa", "demen", "jodi", "randevou", "tanpri", "anpil", "tou", "men", "konsa",
        "toujou", "deja", "poko", "bagay", "moun", "malad", "lopital", "vini", "ale", "rive",
        "pale", "gade", "santi", "respire", "mal", "lestomak", "tet", "dwe", "kounya", "zanmi",
        "manman", "papa", "granmoun", "pitit", "fi", "gason", "anko", "tankou", "menm", "avan",
        "apre", "jou", "semenn", "nenpot", "pwoblem", "enpe", "ti", "gwo", "wi", "non", "bay",
        "lan", "la", "byen", "mache", "kouri", "tounen", "vin", "reta", "minit", "eskize", "eskiz",
        "an", "konfime", "rele", "tann", "louvri", "femen", "konbyen", "kouman", "poukisa", "kile",
        "mwa", "jodia", "sant", "eske", "eski", "kilè", "ankò", "konn", "fè", "al",
    ],
    // Vietnamese (accents folded; many syllables are short, so only common ones).
    &[
        "toi", "em", "anh", "chi", "ban", "minh", "cua", "va", "khong", "k", "ko", "kh", "duoc",
        "dc", "bi", "roi", "nhung", "nay", "khi", "sau", "truoc", "hom", "qua", "mai", "gio",
        "bac", "si", "tiem", "moi", "mat", "dau", "sung", "rat", "lam", "nhieu", "voi", "ve",
        "den", "hen", "lich", "dat", "huy", "cam", "on", "xin", "chao", "nhe", "nha", "oi", "vay",
        "sao", "gi", "nao", "bao", "tien", "ngay", "chieu", "sang", "co", "la", "de", "o", "di",
        "cung", "nguoi", "trong", "thay", "thi", "ma", "nhu", "them", "lai", "con", "bay", "da",
        "vao", "ra", "len", "xuong", "biet", "muon", "can", "hoi", "ak", "a", "u", "uh", "ah",
        "vs", "j", "ntn", "mn", "chu", "thoi", "hay", "hon", "phai", "tui", "mk", "dang", "se",
        "van", "nua", "benh", "vien", "thuoc", "tho", "ngat", "xiu", "sot", "mui", "ma", "cam",
    ],
];

/// Pinyin syllables common in Chinese texts typed without characters. A message counts as
/// pinyin only when most of its words are these (many are English or Spanish words too).
const PINYIN: &[&str] = &[
    "wo", "ni", "ta", "de", "le", "ma", "ba", "shi", "bu", "mei", "you", "hen", "zhe", "na", "nar",
    "hao", "xie", "xiexie", "zui", "chun", "zuichun", "teng", "tong", "yan", "yanjing", "lian",
    "bian", "bai", "hui", "yi", "sheng", "yisheng", "zhen", "zhu", "she", "dou", "ge", "zen",
    "zenme", "shenme", "yao", "xiang", "jiu", "zai", "kan", "bu", "qing", "yu", "yue", "ming",
    "tian", "mingtian", "jintian", "zuotian", "hou", "qian", "dian", "fen", "kuai", "qian", "duo",
    "shao", "duoshao", "huxi", "kunnan", "xiong", "men", "si", "huo", "zhong", "xin", "le", "ne",
    "a", "ya", "la", "ok", "da", "jia", "yiyang", "mei", "meiyou", "dajia", "geng", "ke", "yi",
    "neng", "hui", "zhi", "dao", "zhidao", "suan",
];

/// Transliterated Russian words that are neither English nor Spanish.
const RUSSIAN_LATIN: &[&str] = &[
    "privet",
    "spasibo",
    "pozhaluysta",
    "pozhalujsta",
    "bolit",
    "guby",
    "gubu",
    "lico",
    "litso",
    "mne",
    "menya",
    "ochen",
    "plokho",
    "ploho",
    "sil'no",
    "silno",
    "posle",
    "ukola",
    "vrach",
    "zapis",
    "zapisat",
    "zavtra",
    "segodnya",
    "vchera",
    "chto",
    "eto",
    "kak",
    "skolko",
    "stoit",
    "nichego",
    "pomogite",
    "dyshat",
    "ne",
    "mogu",
    "glaz",
    "glaza",
    "vizhu",
    "khorosho",
    "horosho",
    "net",
    "da",
    "ya",
    "u",
    "menya",
    "tak",
    "uzhe",
    "glazah",
    "glazu",
    "dvoitsya",
    "mutno",
    "vse",
    "vsyo",
    "bolno",
    "opuh",
    "opukhol",
    "kozha",
    "nos",
    "trudno",
    "golova",
    "kruzhitsya",
    "sinyak",
    "zdravstvuyte",
    "zdravstvuite",
    "botoksa",
    "fillera",
    "pravom",
    "levom",
    "budto",
    "muzha",
    "muzh",
    "zhena",
    "utra",
    "govorit",
    "byl",
    "byla",
    "lob",
    "pyatno",
    "temnoe",
    "rasplyvaetsya",
    "opustilos",
];

/// Letters only a few of the Latin-script languages use, as evidence for each. Vietnamese's
/// tone-marked vowels (Latin Extended Additional) are handled as a range.
fn letter_evidence(c: char, scores: &mut [f32; 7]) {
    let add = |scores: &mut [f32; 7], langs: &[usize], w: f32| {
        let share = w / langs.len() as f32;
        for &l in langs {
            scores[l] += share;
        }
    };
    const ES: usize = 1;
    const FR: usize = 3;
    const PT: usize = 4;
    const HT: usize = 5;
    const VI: usize = 6;
    match c {
        'ñ' | 'Ñ' | '¿' | '¡' => add(scores, &[ES], 1.0),
        'ơ' | 'Ơ' | 'ư' | 'Ư' | 'đ' | 'Đ' | 'ă' | 'Ă' | 'ĩ' | 'ũ' | 'ỹ' => {
            add(scores, &[VI], 1.0)
        }
        c if ('\u{1ea0}'..='\u{1ef9}').contains(&c) => add(scores, &[VI], 1.0),
        'ã' | 'õ' => add(scores, &[PT, VI], 1.0),
        'ç' => add(scores, &[FR, PT], 1.0),
        'è' | 'ò' => add(scores, &[FR, HT, VI], 0.6),
        'ê' | 'ô' => add(scores, &[FR, PT, VI], 0.4),
        'œ' | 'î' | 'û' | 'ë' | 'ï' => add(scores, &[FR], 0.6),
        _ => {}
    }
}

/// Arabic function words as written in Latin letters, in the dialects US patients write
/// (Levantine, Egyptian, Gulf): a message with one Arabizi word ("kam se3r el botox lal jbin")
/// and one of these is Arabic. Words common in the other Latin-script languages are not here
/// ("el" is Spanish; "fi", "ya", "wen" and "lil" are English shorthand; "heya", "bas", "fen"
/// English or French). "ana" is, though it is also a name: it counts only beside a word with
/// Arabizi digits, and a name is a placeholder by the time the language is read. Words with an
/// Arabizi digit ("ba3d", "ma3") count as Arabizi words already.
const ARABIZI_PARTICLES: &[&str] = &[
    "shu",
    "shou",
    "sho",
    "eish",
    "leh",
    "lesh",
    "kif",
    "keef",
    "kaif",
    "izay",
    "ezay",
    "emta",
    "imta",
    "feen",
    "wein",
    "mesh",
    "msh",
    "mish",
    "mush",
    "mafi",
    "lal",
    "enti",
    "inti",
    "inta",
    "enta",
    "ehna",
    "kteer",
    "ktir",
    "shway",
    "shwaye",
    "shwaya",
    "hayda",
    "haydi",
    "hada",
    "momken",
    "mumkin",
    "mmkn",
    "biddi",
    "bade",
    "baddi",
    "ayza",
    "ayez",
    "yalla",
    "wallah",
    "inshallah",
    "lissa",
    "lessa",
    "kam",
    "adesh",
    "addesh",
    "adeh",
    // Egyptian and Levantine ("law samaht el 3enwan fein? ana gaya").
    "fein",
    "samaht",
    "ana",
    "gaya",
    "howa",
    "keda",
    "kda",
    "lazem",
    "lazim",
    "ashan",
    "leih",
    "ezzay",
    "mafeesh",
    "mafish",
];

/// Arabic written in Latin letters uses digits for sounds Latin lacks ("3" for ع, "7" for ح):
/// a word of letters with one of those digits inside it.
/// Not times, ordinals, quantities or texting shorthand ("2pm", "21st", "30min", "2day").
fn is_arabizi(word: &str) -> bool {
    let b = word.as_bytes();
    let digits = b.iter().filter(|c| c.is_ascii_digit()).count();
    let letters = b.iter().filter(|c| c.is_ascii_alphabetic()).count();
    if !(b.len() >= 3
        && b.len() <= 12
        && (1..=2).contains(&digits)
        && letters >= 2
        && b.iter().all(|c| c.is_ascii_alphanumeric())
        && b.iter()
            .any(|c| matches!(c, b'2' | b'3' | b'5' | b'7' | b'9')))
    {
        return false;
    }
    // Product and treatment names that carry digits ("CO2 laser", "SPF30").
    if word.starts_with("spf") || matches!(word, "co2" | "h2o" | "b12" | "o2" | "k2") {
        return false;
    }
    let lead = word.trim_start_matches(|c: char| c.is_ascii_digit());
    let shorthand = [
        "am", "pm", "st", "nd", "rd", "th", "min", "mins", "hr", "hrs", "h", "k", "ml", "cc", "x",
        "u", "units", "yo", "yr", "yrs", "lbs", "lb", "s", "day", "days", "wk", "wks", "morrow",
        "moro", "mrw", "nite", "night", "mins", "mg", "sec", "ish", "pc",
    ];
    !(lead.len() < word.len() && shorthand.contains(&lead))
}

/// Which script a letter belongs to, for the scripts that name their language.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Han,
    Kana,
    Hangul,
    Arabic,
    Cyrillic,
    Other,
}

fn script(c: char) -> Script {
    match u32::from(c) {
        0x41..=0x5a | 0x61..=0x7a | 0xc0..=0x24f | 0x1e00..=0x1eff => Script::Latin,
        0x3040..=0x30ff | 0x31f0..=0x31ff => Script::Kana,
        _ if crate::text::is_han(c) => Script::Han,
        0x1100..=0x11ff | 0x3130..=0x318f | 0xac00..=0xd7a3 => Script::Hangul,
        0x0600..=0x06ff | 0x0750..=0x077f | 0xfb50..=0xfdff | 0xfe70..=0xfeff => Script::Arabic,
        0x0400..=0x04ff => Script::Cyrillic,
        _ => Script::Other,
    }
}

/// The word lists as one table, built once: word -> bit set of the lists it is in (bits
/// 0..7 the [`LATIN`] languages, then pinyin, transliterated Russian and the Arabizi
/// particles). One hash look-up a word keeps identification to a few microseconds.
pub struct Identifier {
    words: HashMap<&'static str, u16>,
}

const PINYIN_BIT: u16 = 1 << 7;
const RUSSIAN_BIT: u16 = 1 << 8;
const ARABIZI_BIT: u16 = 1 << 9;

impl std::fmt::Debug for Identifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identifier")
            .field("words", &self.words.len())
            .finish()
    }
}

impl Default for Identifier {
    fn default() -> Self {
        Self::new()
    }
}

impl Identifier {
    pub fn new() -> Self {
        let mut words: HashMap<&'static str, u16> = HashMap::with_capacity(1024);
        for (l, list) in WORDS.iter().enumerate() {
            for w in *list {
                *words.entry(w).or_default() |= 1 << l;
            }
        }
        for w in PINYIN {
            *words.entry(w).or_default() |= PINYIN_BIT;
        }
        for w in RUSSIAN_LATIN {
            *words.entry(w).or_default() |= RUSSIAN_BIT;
        }
        for w in ARABIZI_PARTICLES {
            *words.entry(w).or_default() |= ARABIZI_BIT;
        }
        Self { words }
    }

    /// Names the language of `text`.
    pub fn identify(&self, text: &str) -> LanguageGuess {
        identify_with(text, &self.words)
    }
}

fn identify_with(text: &str, table: &HashMap<&'static str, u16>) -> LanguageGuess {
    // 1. Scripts that name their language.
    let mut counts = [0usize; 7];
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        counts[script(c) as usize] += 1;
    }
    let letters: usize = counts.iter().sum();
    if letters == 0 {
        return LanguageGuess::UNDETERMINED;
    }
    let latin = counts[Script::Latin as usize];
    let (top_script, top_count) = [
        Script::Han,
        Script::Kana,
        Script::Hangul,
        Script::Arabic,
        Script::Cyrillic,
        Script::Other,
    ]
    .into_iter()
    .map(|s| (s, counts[s as usize]))
    .max_by_key(|(_, n)| *n)
    .unwrap_or((Script::Other, 0));
    // One ideograph weighs as much as a short word of Latin letters.
    let weight = |s: Script, n: usize| match s {
        Script::Han | Script::Kana | Script::Hangul => n * 3,
        _ => n,
    };
    let script_weight = weight(top_script, top_count);
    if top_count > 0 && script_weight * 2 >= latin {
        let language = match top_script {
            // Kana among the ideographs is Japanese.
            Script::Han if counts[Script::Kana as usize] == 0 => Language::Chinese,
            Script::Han | Script::Kana | Script::Other => Language::OtherScript,
            Script::Hangul => Language::Korean,
            Script::Arabic => Language::Arabic,
            Script::Cyrillic => Language::Russian,
            Script::Latin => Language::Undetermined,
        };
        let confidence = script_weight as f32 / (script_weight + latin) as f32;
        return LanguageGuess {
            language,
            confidence,
        };
    }

    // 2. Latin script: letters and words.
    let mut scores = [0.0f32; 7];
    for c in text.chars() {
        letter_evidence(c, &mut scores);
    }
    let folded = crate::text::fold(text);
    let mut words = 0usize;
    let mut pinyin = 0usize;
    let mut russian = 0usize;
    let mut arabizi = 0usize;
    let mut arabizi_particles = 0usize;
    for word in folded
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
    {
        if word.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        words += 1;
        if is_arabizi(word) {
            arabizi += 1;
            continue;
        }
        // A single letter ("C", "k", "m") is an answer code or shorthand in every language.
        if word.chars().count() == 1 {
            continue;
        }
        let bits = table.get(word).copied().unwrap_or(0);
        pinyin += usize::from(bits & PINYIN_BIT != 0);
        russian += usize::from(bits & RUSSIAN_BIT != 0);
        arabizi_particles += usize::from(bits & ARABIZI_BIT != 0);
        let langs = bits & ((1 << LATIN.len()) - 1);
        if langs == 0 {
            continue;
        }
        let share = 1.0 / langs.count_ones() as f32;
        for (l, score) in scores.iter_mut().enumerate() {
            if langs & (1 << l) != 0 {
                *score += share;
            }
        }
        if let Some((_, l)) = SPEAKER_MARKERS.iter().find(|(m, _)| *m == word) {
            scores[*l] += 1.0;
        }
    }
    // Romanised Chinese, Russian and Arabic: most words from their list, or several words
    // with Arabizi digits.
    for (language, hits) in [(Language::Chinese, pinyin), (Language::Russian, russian)] {
        if words >= 3 && hits * 10 >= words * 7 {
            return LanguageGuess {
                language,
                confidence: hits as f32 / words as f32,
            };
        }
    }
    if arabizi >= 2 || (arabizi == 1 && (words <= 3 || arabizi_particles >= 1)) {
        return LanguageGuess {
            language: Language::Arabic,
            confidence: (arabizi as f32 / words.max(1) as f32).max(0.5),
        };
    }

    let total: f32 = scores.iter().sum();
    if total < 1.0 {
        return LanguageGuess::UNDETERMINED;
    }
    // Code-switching: patients mix English into their own language ("Traffic po, mga 10 mins
    // late ako"). When another language carries a solid share of the evidence on its own words,
    // the message is that language's speaker's, whatever English it borrows.
    const MODEL_LANGUAGES: usize = 2;
    if let Some((i, &other)) = scores
        .iter()
        .enumerate()
        .skip(MODEL_LANGUAGES)
        .max_by(|a, b| a.1.total_cmp(b.1))
    {
        let spanish_led = scores[1] > other;
        if other >= 2.0 && other * 10.0 >= total * 4.0 && !spanish_led {
            // The speaker's language is what was found, however much English it borrows: as
            // sure as a majority, so the policy acts on it. Measured on every fixture: 21 more
            // lines in the nine languages reach staff for 3 more Spanish ones (a person answers
            // those instead of a template: the safe side).
            return LanguageGuess {
                language: LATIN[i],
                confidence: (other / total).max(0.5),
            };
        }
    }
    // On a tie the earlier language wins: English, then Spanish, which the model reads.
    let (best, best_score) =
        scores
            .iter()
            .copied()
            .enumerate()
            .fold(
                (0, f32::MIN),
                |acc, (i, v)| if v > acc.1 { (i, v) } else { acc },
            );
    LanguageGuess {
        language: LATIN[best],
        confidence: best_score / total,
    }
}

#[cfg(test)]
mod tests {
    use super::{Identifier, Language as L, LanguageGuess};

    fn identify(text: &str) -> LanguageGuess {
        Identifier::new().identify(text)
    }

    fn lang(text: &str) -> L {
        identify(text).language
    }

    #[test]
    fn scripts_name_their_language() {
        assert_eq!(lang("我打完玻尿酸嘴唇发白"), L::Chinese);
        assert_eq!(lang("필러 맞고 입술이 하얗게 변했어요"), L::Korean);
        assert_eq!(lang("شفايفي لونها أزرق بعد الفيلر"), L::Arabic);
        assert_eq!(lang("у меня губы побелели после филлера"), L::Russian);
        assert_eq!(lang("フィラーの後、唇が白い"), L::OtherScript);
        // A Chinese message with an English treatment name is still Chinese.
        assert_eq!(lang("打了filler以后鼻子发白 很痛"), L::Chinese);
    }

    #[test]
    fn a_tagalog_particle_marks_a_tagalog_speaker_writing_english() {
        assert_eq!(lang("yes po confirmed 👍 see u"), L::Tagalog);
        assert_eq!(lang("ok po thank you"), L::Tagalog);
        // Not a particle: one word of a longer English message about a PO box.
        assert_eq!(
            lang("can you mail the receipt to my po box instead of my home address"),
            L::English
        );
        // The polite "you" of French and Portuguese beside English brand names.
        assert_eq!(lang("Vous acceptez Apple Pay ?"), L::French);
        assert_eq!(lang("voce tem Hydrafacial hoje?"), L::Portuguese);
    }

    #[test]
    fn latin_languages_by_their_words_and_letters() {
        assert_eq!(lang("what time do you open on saturday?"), L::English);
        assert_eq!(lang("hola, cuánto cuesta el botox?"), L::Spanish);
        assert_eq!(lang("môi em bị trắng sau khi tiêm filler"), L::Vietnamese);
        assert_eq!(lang("moi em bi trang sau khi tiem filler"), L::Vietnamese);
        assert_eq!(
            lang("pwede po ba mag reschedule ng appointment ko bukas?"),
            L::Tagalog
        );
        assert_eq!(
            lang("j'ai mal aux lèvres depuis le filler, c'est normal?"),
            L::French
        );
        assert_eq!(
            lang("meu labio ta roxo e doendo muito depois do preenchimento"),
            L::Portuguese
        );
        assert_eq!(
            lang("bouch mwen anfle anpil, mwen pa ka respire byen"),
            L::HaitianCreole
        );
    }

    #[test]
    fn romanised_chinese_russian_and_arabic() {
        assert_eq!(lang("wo de zui chun bian bai le zen me ban"), L::Chinese);
        assert_eq!(
            lang("privet, u menya ochen bolit guby posle ukola"),
            L::Russian
        );
        assert_eq!(lang("shafayfi 3am yzra2o ba3d el filler"), L::Arabic);
        // One Arabizi word, and a dialect's particle beside it.
        assert_eq!(lang("kam se3r el botox lal jbin?"), L::Arabic);
        assert_eq!(
            lang("law samaht el 3enwan fein? ana gaya men Dearborn"),
            L::Arabic
        );
        // A function word alone is no evidence: "ana" is a name; nor are product names.
        assert_eq!(lang("ana said the laser was fine"), L::English);
        assert_eq!(
            lang("Heya! how much is the CO2 laser for my face?"),
            L::English
        );
        assert_eq!(lang("heya is spf30 ok to use after my facial?"), L::English);
        assert_eq!(lang("adesh el laser 3al ejren"), L::Arabic);
        // One word with a digit in English or Spanish is not Arabic.
        assert_ne!(
            lang("can i come at 3pm with my b3st friend tomorrow"),
            L::Arabic
        );
        assert_ne!(
            lang("hola, tengo cita el 5to dia y quiero cambiarla"),
            L::Arabic
        );
    }

    #[test]
    fn no_evidence_is_undetermined_and_read_by_the_model() {
        for t in ["C", "1", "👍", "botox?", "", "Y"] {
            let g = identify(t);
            assert_eq!(g.language, L::Undetermined, "{t:?}");
            assert!(!g.is_unsupported(0.0));
        }
    }

    #[test]
    fn english_and_spanish_are_never_unsupported() {
        for t in [
            "hey so i got filler in my chin and theres a white patch",
            "me duele mucho el labio despues del relleno",
            "im running 10 min late sorry!!",
            "do u guys take apple pay",
            "can i pay w cash or card",
        ] {
            assert!(!identify(t).is_unsupported(0.5), "{t:?}: {:?}", identify(t));
        }
    }
}
