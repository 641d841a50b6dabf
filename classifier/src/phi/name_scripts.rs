//! NAME in scripts with no capital letters to go by: Chinese, Korean, Arabic, and Russian
//! (whose capitals mark only names and sentence starts).
//!
//! The gazetteers and capitalisation that find "Thuy Pham" say nothing in these scripts, so each
//! has its own evidence, as a person reading the message would use it:
//! - Chinese: a common surname character after a naming cue ("我叫王丽", "名字是王建国", "朋友林佳慧")
//!   or before a title ("黃醫生", "陈小姐"), taken with the one or two characters of the given name.
//! - Korean: a three-syllable word starting with a common surname syllable, followed by the
//!   copula or a particle that follows a person ("김지은입니다", "이수진이에요", "동생 박서연한테") or
//!   ending the message ("... 한지우").
//! - Arabic: the one or two words after "my name is" or a relation ("اسمي رنا حداد", "أختي منى").
//! - Russian: capitalised words after "меня зовут" or a relation ("на подругу, Наташу Ковалёву"),
//!   and two capitalised words together anywhere but a sentence start ("Анна Петрова").

use super::span::Candidate;
use super::PhiKind;

/// Common Chinese surnames, simplified and traditional (the hundred most frequent).
const HAN_SURNAMES: &str = "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾肖蕭田董袁潘于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈夏韦韋付方白邹鄒孟熊秦邱江尹薛闫閆段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯欧歐";

/// Words after which a Chinese name follows: "I am called", "my name is", relations.
const HAN_CUES: &[&str] = &[
    "我叫",
    "我是",
    "名字是",
    "名字叫",
    "她叫",
    "他叫",
    "叫做",
    "姓名",
    "名字：",
    "朋友",
    "老婆",
    "老公",
    "妈妈",
    "媽媽",
    "女儿",
    "女兒",
    "儿子",
    "兒子",
    "姐姐",
    "妹妹",
    "哥哥",
    "弟弟",
    "太太",
    "先生是",
    "客人",
    "病人",
    "给",
    "給",
];

/// Titles written after a Chinese surname ("黃醫生", "陈小姐").
const HAN_TITLES: &[&str] = &[
    "医生", "醫生", "醫師", "医师", "小姐", "先生", "女士", "太太", "老师", "老師", "护士", "護士",
];

/// Characters that end a Chinese given name: particles and function words.
const HAN_STOPS: &str = "的了吗嗎呢吧啊呀是在和跟与與给給，。！？、；：,.!? 电電手号號生日今明昨下上我你他她们們要想可以请請打做预預约約";

/// Common Korean surname syllables.
const HANGUL_SURNAMES: &str = "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용";

/// What follows a Korean name: the copula, particles and honorifics that attach to a person.
const HANGUL_AFTER: &[&str] = &[
    "입니다",
    "이에요",
    "예요",
    "이고",
    "이라고",
    "이요",
    "인데요",
    "님",
    "씨",
    "한테",
    "에게",
    "이름",
    "이랑",
    "하고",
    "이가",
    "이는",
];

/// Arabic words after which a name follows: "my name is", "I am", relations.
const ARABIC_CUES: &[&str] = &[
    "اسمي",
    "إسمي",
    "أنا",
    "انا",
    "اسمها",
    "اسمه",
    "زوج",
    "زوجة",
    "دكتورة",
    "الدكتورة",
    "دكتور",
    "الدكتور",
    "د.",
    "أختي",
    "اختي",
    "أمي",
    "امي",
    "بنتي",
    "ابني",
    "زوجي",
    "زوجتي",
    "مرتي",
    "أخوي",
    "اخوي",
    "أخي",
    "اخي",
    "صاحبتي",
    "صديقتي",
    "صديقي",
    "عمي",
    "خالتي",
    "عمتي",
    "خالي",
];

/// Arabic words that are never a name after those cues.
const ARABIC_STOPS: &[&str] = &[
    "و",
    "في",
    "من",
    "على",
    "عن",
    "مع",
    "بس",
    "هو",
    "هي",
    "كان",
    "كانت",
    "عندها",
    "عنده",
    "عندي",
    "رقمي",
    "رقم",
    "بدي",
    "ابغى",
    "أبغى",
    "ابي",
    "أبي",
    "اليوم",
    "بكرة",
    "مريضة",
    "مريض",
    "تعبانة",
    "تعبان",
    "لسه",
    "ما",
    "لا",
    "مش",
    "عايزة",
    "عايز",
];

/// Arabic titles among [`ARABIC_CUES`]: part of the name's span, as "Dr." is of "Dr. Patel".
/// "د" is "د." (Dr.) without its dot, which ends the word.
const ARABIC_TITLES: &[&str] = &["دكتورة", "الدكتورة", "دكتور", "الدكتور", "د", "د."];

/// "in the name of": the booking, payment or prescription is under the name that follows.
const ARABIC_IN_NAME_OF: &[&str] = &["باسم", "بإسم", "بأسم", "بِاسم"];

/// Words that end a name read after "باسم", besides [`ARABIC_STOPS`]: what follows a name in a
/// request ("لو سمحت", "بكرة", "الساعة") and the non-names "in the name of" takes ("الله").
const ARABIC_AFTER_NAME: &[&str] = &[
    "الله",
    "لو",
    "اذا",
    "إذا",
    "يوم",
    "الساعة",
    "الموعد",
    "موعد",
    "عشان",
    "لان",
    "لأن",
    "او",
    "أو",
    "يا",
    "الحين",
    "ممكن",
    "مين",
    "منو",
    "شو",
    "ايش",
    "العيادة",
    "الشركة",
    "قال",
    "قالت",
    "ولا",
];

/// Closing words that may follow a dash at the end of a message and are no one's name.
const CJK_CLOSINGS: &[&str] = &[
    "谢谢",
    "謝謝",
    "多谢",
    "多謝",
    "感谢",
    "感謝",
    "再见",
    "再見",
    "拜托",
    "拜託",
    "以上",
    "敬上",
    "好的",
    "收到",
    "多少",
    "什么",
    "怎么",
    "감사",
    "감사해요",
    "감사요",
    "고마워",
    "고마워요",
    "안녕",
    "수고",
    "부탁해요",
    "부탁요",
    "알겠어요",
    "얼마",
    "언제",
    "어디",
    "네네",
    "넵넵",
    // Words a whole message may be, whose first character is also a surname: a keyword
    // ("도움말", help; "정보", info) or thanks ("谢谢") is not a name.
    "도움말",
    "도움",
    "정보",
    "시작",
    "중지",
    "중단",
    "해지",
    "취소",
    "문의",
    "예약",
    "확인",
    "帮助",
    "幫助",
    "退订",
    "退訂",
    "取消",
    "确认",
    "確認",
];

/// Russian words after which a name follows.
const CYRILLIC_CUES: &[&str] = &[
    "зовут",
    "я",
    "это",
    "подругу",
    "подруге",
    "подруга",
    "сестру",
    "сестре",
    "сестра",
    "маму",
    "мама",
    "дочь",
    "дочери",
    "мужа",
    "муж",
    "жену",
    "жена",
    "сына",
    "сын",
    "имя",
    "фамилия",
];

use crate::text::{is_han, is_hangul_syllable as is_hangul};

fn is_arabic_letter(c: char) -> bool {
    matches!(u32::from(c), 0x0620..=0x064a | 0x0660..=0x06ff) && c.is_alphabetic()
}

fn is_cyrillic(c: char) -> bool {
    matches!(u32::from(c), 0x0400..=0x04ff)
}

pub struct ScriptNameRecognizer;

impl ScriptNameRecognizer {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self
    }

    pub fn find(&self, text: &str, out: &mut Vec<Candidate>) {
        let (mut han, mut hangul, mut arabic, mut cyrillic) = (false, false, false, false);
        for c in text.chars().filter(|c| !c.is_ascii()) {
            han |= is_han(c);
            hangul |= is_hangul(c);
            arabic |= is_arabic_letter(c);
            cyrillic |= is_cyrillic(c);
        }
        if han || hangul || text.chars().any(is_katakana) {
            find_dash_signoff(text, out);
        }
        if han {
            find_han(text, out);
        }
        if hangul {
            find_hangul(text, out);
        }
        if arabic {
            find_after_cues(text, ARABIC_CUES, is_arabic_letter, "name_arabic", out);
            find_in_name_of(text, out);
        }
        if cyrillic {
            find_cyrillic(text, out);
        }
    }
}

/// A Chinese surname and its one or two given-name characters from byte `at`, if one is there.
fn han_name_at(text: &str, at: usize) -> Option<(usize, usize)> {
    let mut chars = text[at..].char_indices();
    let (_, surname) = chars.next()?;
    if !HAN_SURNAMES.contains(surname) {
        return None;
    }
    let mut end = at + surname.len_utf8();
    let mut given = 0;
    for (i, c) in chars {
        if given == 2 || !is_han(c) || HAN_STOPS.contains(c) {
            break;
        }
        // A title after the name ends it ("王丽医生" is 王丽).
        if HAN_TITLES.iter().any(|t| text[at + i..].starts_with(t)) {
            break;
        }
        given += 1;
        end = at + i + c.len_utf8();
    }
    (given >= 1).then_some((at, end))
}

fn find_han(text: &str, out: &mut Vec<Candidate>) {
    for cue in HAN_CUES {
        for (i, _) in text.match_indices(cue) {
            let at = i + cue.len();
            let at = at + text[at..].len() - text[at..].trim_start_matches([' ', '：', ':']).len();
            if let Some((s, e)) = han_name_at(text, at) {
                out.push(Candidate::new(PhiKind::Name, s, e, "name_han", 0.85));
            }
        }
    }
    // A signature: a name ending the message after a dash or a new line ("——黄思琪").
    let trimmed = text.trim_end_matches(|c: char| c.is_whitespace() || "。.!！~～".contains(c));
    for len in [3usize, 2] {
        let chars: Vec<(usize, char)> = trimmed.char_indices().rev().take(len).collect();
        let Some(&(at, _)) = chars.last() else {
            continue;
        };
        let before = trimmed[..at].trim_end();
        if chars.len() == len
            && chars.iter().all(|(_, c)| is_han(*c))
            && (before.ends_with(['—', '-', '－', '\n', '~', '～']) || before.is_empty())
        {
            if let Some((s, e)) = han_name_at(trimmed, at) {
                if e == trimmed.len() && !CJK_CLOSINGS.contains(&&trimmed[s..e]) {
                    out.push(Candidate::new(
                        PhiKind::Name,
                        s,
                        e,
                        "name_han_signature",
                        0.8,
                    ));
                    break;
                }
            }
        }
    }
    // A surname with a title after it: "黃醫生", "陈小姐" (the title is part of the name, as in
    // "Dr. Patel").
    for title in HAN_TITLES {
        for (i, _) in text.match_indices(title) {
            let Some(surname) = text[..i].chars().next_back() else {
                continue;
            };
            if HAN_SURNAMES.contains(surname) {
                let s = i - surname.len_utf8();
                out.push(Candidate::new(
                    PhiKind::Name,
                    s,
                    i + title.len(),
                    "name_han_title",
                    0.85,
                ));
            }
        }
    }
}

fn is_katakana(c: char) -> bool {
    matches!(u32::from(c), 0x30a1..=0x30fa | 0x30fc)
}

/// A sign-off in Chinese, Japanese or Korean script: one word of two to four Han, Hangul or
/// Katakana characters after a dash that ends the message ("—— 小林", "-유나", "— 王芳") is
/// the sender's name, whatever its surname (given names and Japanese surnames are not in the
/// surname lists). A plain hyphen or en dash needs a space or the message start before it, so a
/// hyphenated word ("리프팅-보톡스") is not read as one; a question is no sign-off.
fn find_dash_signoff(text: &str, out: &mut Vec<Candidate>) {
    let cjk = |c: char| is_han(c) || is_hangul(c) || is_katakana(c);
    let trimmed = text.trim_end_matches(|c: char| c.is_whitespace() || "。.!！~～".contains(c));
    let start = trimmed.len()
        - trimmed
            .chars()
            .rev()
            .take_while(|c| cjk(*c))
            .map(char::len_utf8)
            .sum::<usize>();
    let word = &trimmed[start..];
    if !(2..=4).contains(&word.chars().count()) || CJK_CLOSINGS.contains(&word) {
        return;
    }
    let before = trimmed[..start].trim_end_matches(' ');
    let dashes = before.trim_end_matches(['-', '–', '—', '―', '－', '‐', '−']);
    let run = &before[dashes.len()..];
    let long = run.chars().count() >= 2 || run.contains(['—', '―']);
    if run.is_empty() || !(long || dashes.is_empty() || dashes.ends_with(char::is_whitespace)) {
        return;
    }
    out.push(Candidate::new(
        PhiKind::Name,
        start,
        trimmed.len(),
        "name_cjk_signoff",
        0.8,
    ));
}

/// "الحجز باسم سارة أحمد" (booked in the name of Sara Ahmed): the one to three Arabic words
/// after "in the name of", up to punctuation, a comma or a word that is not part of a name.
/// A relation after it ("باسم زوجي أحمد") is left to the relation cues.
fn find_in_name_of(text: &str, out: &mut Vec<Candidate>) {
    let words = words_of(text, is_arabic_letter);
    for (k, &(s, e)) in words.iter().enumerate() {
        if !ARABIC_IN_NAME_OF.contains(&&text[s..e]) {
            continue;
        }
        let mut end = None;
        let mut prev_end = e;
        for &(ns, ne) in words.iter().skip(k + 1).take(3) {
            let w = &text[ns..ne];
            let gap = &text[prev_end..ns];
            if !gap.chars().all(|c| c == ' ')
                || gap.is_empty()
                || ARABIC_STOPS.contains(&w)
                || ARABIC_AFTER_NAME.contains(&w)
                || ARABIC_CUES.contains(&w)
            {
                break;
            }
            end = Some((ns, ne));
            prev_end = ne;
        }
        if let (Some(&(ns, _)), Some((_, ne))) = (words.get(k + 1), end) {
            out.push(Candidate::new(
                PhiKind::Name,
                ns,
                ne,
                "name_arabic_in_name_of",
                0.8,
            ));
        }
    }
}

fn find_hangul(text: &str, out: &mut Vec<Candidate>) {
    for (s, e) in words_of(text, is_hangul) {
        let word = &text[s..e];
        let syllables: Vec<(usize, char)> = word.char_indices().collect();
        if syllables.len() < 3
            || !HANGUL_SURNAMES.contains(syllables[0].1)
            || CJK_CLOSINGS.contains(&word)
        {
            continue;
        }
        let name_end = s + syllables.get(3).map_or(word.len(), |(i, _)| *i);
        let rest = &text[name_end..e];
        let ends_message = text[e..]
            .chars()
            .all(|c| !c.is_alphanumeric() || c.is_ascii_punctuation());
        let particle = HANGUL_AFTER.iter().any(|p| rest.starts_with(p))
            || (rest.is_empty() && syllables.len() == 3 && text[e..].starts_with(" 이름"));
        if (rest.is_empty() && (ends_message || syllables.len() == 3 && after_cue(text, s)))
            || particle
        {
            out.push(Candidate::new(
                PhiKind::Name,
                s,
                name_end,
                "name_hangul",
                0.8,
            ));
        }
    }
}

/// Whether a Korean naming cue stands right before byte `s` ("이름은", "저는", a relation).
fn after_cue(text: &str, s: usize) -> bool {
    let before = text[..s].trim_end();
    [
        "이름은",
        "이름",
        "이름:",
        "저는",
        "제 이름",
        "동생",
        "언니",
        "오빠",
        "누나",
        "엄마",
        "아빠",
        "딸",
        "아들",
        "남편",
        "아내",
        "친구",
        "선생님은",
    ]
    .iter()
    .any(|c| before.ends_with(c))
}

/// One or two words of `letter`s right after one of `cues` (a whole word).
fn find_after_cues(
    text: &str,
    cues: &[&str],
    letter: fn(char) -> bool,
    recognizer: &'static str,
    out: &mut Vec<Candidate>,
) {
    let words = words_of(text, letter);
    for (k, &(s, e)) in words.iter().enumerate() {
        // "د." (Dr.): the dot ends the word, and may have no space after it ("د.نورة").
        let dotted = &text[s..e] == "د" && text[e..].starts_with('.');
        if !(cues.contains(&&text[s..e]) || dotted) {
            continue;
        }
        let Some(&(ns, ne)) = words.get(k + 1) else {
            continue;
        };
        let first = &text[ns..ne];
        let spaced = if dotted {
            let gap = &text[e + 1..ns];
            gap.is_empty() || only_spaces(gap)
        } else {
            only_spaces(&text[e..ns])
        };
        if ARABIC_STOPS.contains(&first) || !spaced {
            continue;
        }
        // The title is part of the name ("د. نورة", "دكتور سامي").
        let title = dotted || ARABIC_TITLES.contains(&&text[s..e]);
        // "أنا" (I am) is followed by anything; only a given name and a family name ("أنا ريم
        // العتيبي") make it a name.
        if matches!(&text[s..e], "أنا" | "انا")
            && !words.get(k + 2).is_some_and(|&(ss, se)| {
                only_spaces(&text[ne..ss]) && text[ss..se].starts_with("ال")
            })
        {
            continue;
        }
        let mut end = ne;
        // A family name: "العتيبي", "حداد" after the given name, unless it is a stop word.
        if let Some(&(ss, se)) = words.get(k + 2) {
            let second = &text[ss..se];
            let after_my_name = matches!(&text[s..e], "اسمي" | "إسمي");
            if only_spaces(&text[ne..ss])
                && !ARABIC_STOPS.contains(&second)
                && (second.starts_with("ال") || after_my_name)
            {
                end = se;
            }
        }
        let start = if title { s } else { ns };
        out.push(Candidate::new(PhiKind::Name, start, end, recognizer, 0.8));
    }
}

fn only_spaces(gap: &str) -> bool {
    !gap.is_empty() && gap.chars().all(|c| c == ' ' || c == ',' || c == '،')
}

/// Byte ranges of the words made of `letter`s.
fn words_of(text: &str, letter: fn(char) -> bool) -> Vec<(usize, usize)> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (letter(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, text.len()));
    }
    words
}

fn find_cyrillic(text: &str, out: &mut Vec<Candidate>) {
    let cyr = |c: char| is_cyrillic(c) && c.is_alphabetic();
    let words = words_of(text, cyr);
    let cap = |&(s, _): &(usize, usize)| text[s..].chars().next().is_some_and(char::is_uppercase);
    let sentence_start = |s: usize| {
        text[..s]
            .trim_end_matches([' ', '\u{a0}'])
            .chars()
            .next_back()
            .is_none_or(|c| matches!(c, '.' | '!' | '?' | '\n' | '…'))
    };
    let mut k = 0;
    while k < words.len() {
        let (s, e) = words[k];
        let after_cue = k >= 1 && {
            let (ps, pe) = words[k - 1];
            CYRILLIC_CUES.contains(&text[ps..pe].to_lowercase().as_str())
                && text[pe..s]
                    .chars()
                    .all(|c| matches!(c, ' ' | ',' | ':' | '—' | '-'))
        };
        let pair = words
            .get(k + 1)
            .is_some_and(|n| cap(n) && text[e..n.0].chars().all(|c| c == ' ') && n.1 - n.0 > 2);
        let surname_next = words.get(k + 1).is_some_and(|&(ns, ne)| {
            let w = text[ns..ne].to_lowercase();
            [
                "ова", "ева", "ина", "ская", "цкая", "ов", "ев", "ин", "ский", "цкий", "енко",
                "ук", "юк", "ич", "ову", "еву", "ину", "скую",
            ]
            .iter()
            .any(|suf| w.ends_with(suf))
        });
        let mid_sentence = !sentence_start(s);
        if cap(&words[k]) && e - s > 2 && (after_cue || mid_sentence || (pair && surname_next)) {
            let mut end = e;
            if pair {
                end = words[k + 1].1;
                k += 1;
            }
            out.push(Candidate::new(PhiKind::Name, s, end, "name_cyrillic", 0.8));
        }
        k += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        ScriptNameRecognizer::new().find(text, &mut out);
        out.iter().map(|c| &text[c.start..c.end]).collect()
    }

    #[test]
    fn chinese_names_after_cues_and_before_titles() {
        assert_eq!(names("你好，我叫王丽，电话 628"), ["王丽"]);
        assert_eq!(names("名字是王建国"), ["王建国"]);
        assert_eq!(names("是黃醫生打的"), ["黃醫生"]);
        assert!(names("我是新客人，想预约").is_empty());
    }

    #[test]
    fn korean_names_by_surname_and_particle() {
        assert_eq!(names("네 확인했습니다. 김지은입니다"), ["김지은"]);
        assert_eq!(names("예약 취소할게요 이수진이에요"), ["이수진"]);
        assert_eq!(names("전부 동생 박서연한테 넘겨주세요"), ["박서연"]);
        assert!(names("이번주 토요일 예약 취소할게요").is_empty());
    }

    #[test]
    fn arabic_names_after_my_name_is_and_relations() {
        assert_eq!(names("اسمي رنا حداد، رقمي"), ["رنا حداد"]);
        assert_eq!(names("أختي منى أغمى عليها"), ["منى"]);
        assert_eq!(names("لبنت عمي سلمى العتيبي. ما راح"), ["سلمى العتيبي"]);
    }

    #[test]
    fn arabic_titles_are_part_of_the_name() {
        assert_eq!(names("شكرا د. نورة"), ["د. نورة"]);
        assert_eq!(names("شكرا د.نورة"), ["د.نورة"]);
        assert_eq!(names("دكتور سامي قال"), ["دكتور سامي"]);
        assert_eq!(names("موعدي مع دكتورة ريم"), ["دكتورة ريم"]);
        // "د" alone is a letter, not the abbreviation.
        assert!(names("الساعة ٣ د بعدين").is_empty());
    }

    #[test]
    fn arabic_names_in_the_name_of() {
        assert_eq!(names("الحجز باسم سارة أحمد، شكرا"), ["سارة أحمد"]);
        assert_eq!(names("الحجز بإسم محمد علي"), ["محمد علي"]);
        assert_eq!(
            names("باسم نورة عبدالله الشمري. شكرا"),
            ["نورة عبدالله الشمري"]
        );
        assert_eq!(names("الحجز باسم سارة بكرة الساعة ٣"), ["سارة"]);
        assert!(names("باسم الله").is_empty());
        assert!(names("الحجز باسم مين؟").is_empty());
        assert!(names("الحجز باسم، شكرا").is_empty());
    }

    #[test]
    fn a_whole_message_of_thanks_or_a_keyword_is_no_name() {
        for text in ["谢谢", "謝謝!", "도움말", "정보", "退订"] {
            assert!(names(text).is_empty(), "{text}: {:?}", names(text));
        }
        assert_eq!(names("黄思琪"), vec!["黄思琪"]);
        assert_eq!(names("김민지"), vec!["김민지"]);
    }

    #[test]
    fn cjk_sign_off_after_a_dash() {
        let signoff = |text: &'static str| {
            let mut out = Vec::new();
            find_dash_signoff(text, &mut out);
            out.iter()
                .map(|c| &text[c.start..c.end])
                .collect::<Vec<_>>()
        };
        assert_eq!(signoff("好的，明天见 —— 小林"), ["小林"]);
        assert_eq!(signoff("好的 — 王芳"), ["王芳"]);
        assert_eq!(signoff("감사합니다 -유나"), ["유나"]);
        assert_eq!(signoff("내일 뵐게요 - 정민"), ["정민"]);
        assert_eq!(signoff("よろしくお願いします ーー\n— タナカ"), ["タナカ"]);
        // Closings, questions, hyphenated words and long words are no one's name.
        assert!(signoff("예약 확인했어요 -감사해요").is_empty());
        assert!(signoff("好的 —— 谢谢").is_empty());
        assert!(signoff("가격 - 얼마?").is_empty());
        assert!(signoff("리프팅-보톡스").is_empty());
        assert!(signoff("예약 부탁드립니다 - 부탁드려요오").is_empty());
    }

    #[test]
    fn russian_names_after_cues_and_in_pairs() {
        assert_eq!(
            names("на подругу, Наташу Ковалёву. Мне"),
            ["Наташу Ковалёву"]
        );
        assert_eq!(names("меня зовут Ольга, запись"), ["Ольга"]);
        assert!(names("Здравствуйте. Хочу записаться").is_empty());
    }
}
