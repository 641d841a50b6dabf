//! ID: member, medical record (MRN), insurance policy, licence, account, gift-card and
//! confirmation numbers, and national identity and passport numbers after their cue (CPF
//! "392.481.706-55", RG, CNPJ, CURP, RFC, DNI, NIE, passport). A bare number is not an ID
//! ("order 12345", "20 units"): the value must follow one of the context words, with only
//! filler ("number", "#", ":", "is") between.

use super::pattern::{compiled, Bounds, Pattern};
use super::span::{ceil_boundary, Candidate};
use super::PhiKind;
use aho_corasick::{AhoCorasick, MatchKind};

pub struct IdRecognizer {
    re: Pattern,
    lead: Bounds,
    value: Bounds,
    coded: Pattern,
    /// [`SCRIPT_CUES`] in one automaton (built at start; a message is searched once).
    script_cues: Option<AhoCorasick>,
}

impl IdRecognizer {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self {
            re: Pattern::load(&compiled::ID_CONTEXT),
            lead: Bounds::forward(&compiled::ID_LEAD),
            value: Bounds::reverse(&compiled::ID_VALUE),
            coded: Pattern::load(&compiled::ID_CODED),
            script_cues: AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(SCRIPT_CUES)
                .ok(),
        }
    }

    pub fn find(&self, text: &str, out: &mut Vec<Candidate>) {
        let mut at = 0;
        while let Some(m) = self.re.find_at(text, at) {
            let (s, e) = (m.start(), m.end());
            // The value is the match's tail after the context word and filler: of the places
            // where the lead may end and a value ending at the match's end may start, the last
            // (the regex's greedy filler reads as much as it can).
            let ends = self.lead.ends_from(text, s, e);
            let starts = self.value.starts_to(text, s, e);
            // A rejected match may hide a real one inside it: look again from its next char.
            at = ceil_boundary(text, s + 1);
            let split = starts.into_iter().find(|j| ends.contains(j));
            let Some((vs, v)) = split.and_then(|vs| Some((vs, text.get(vs..e)?))) else {
                continue;
            };
            let n_digits = v.bytes().filter(u8::is_ascii_digit).count();
            // Four digits, or a coded value with letters and a dash ("REF-AROM22").
            let coded = v.contains('-') && n_digits >= 2 && v.len() >= 6;
            if !(n_digits >= 4 || coded) || v.len() < 4 {
                continue;
            }
            out.push(Candidate::new(PhiKind::Id, vs, e, "id_context", 0.85));
            at = e.max(at);
        }
        find_grouped_numbers(text, out);
        find_after_script_cues(text, self.script_cues.as_ref(), out);
        for m in self.coded.find_iter(text) {
            out.push(Candidate::new(
                PhiKind::Id,
                m.start(),
                m.end(),
                "id_coded",
                0.7,
            ));
        }
    }
}

/// Words that say a message is about a card, account or membership number somewhere in it.
const NUMBER_TOPICS: &[&str] = &[
    "gift card",
    "giftcard",
    "card",
    "member",
    "membership",
    "account",
    "acct",
    "voucher",
    "certificate",
    "policy",
    "tarjeta",
    "cuenta",
    "membresia",
    "vale",
];

/// The words before a member, account, card, booking or record number in the languages whose
/// cues the ASCII-bounded regex cannot hold: Chinese and Korean (no spaces), Arabic and Russian
/// (not ASCII), and Vietnamese and Haitian Creole, written with and without accents. Each is a
/// whole cue ("会员号", "رقم حسابي", "номер участника"), never the bare word for "number".
const SCRIPT_CUES: &[&str] = &[
    // Chinese, simplified and traditional.
    "会员号",
    "会员编号",
    "会员卡号",
    "會員號",
    "會員編號",
    "會員卡號",
    "卡号",
    "卡號",
    "账号",
    "帳號",
    "账户号",
    "帳戶號",
    "订单号",
    "訂單號",
    "礼品卡号",
    "禮品卡號",
    "编号",
    "編號",
    "病历号",
    "病歷號",
    "预约号",
    "預約號",
    "身份证号",
    "身份證號",
    "护照号",
    "護照號",
    // Korean.
    "회원번호",
    "회원 번호",
    "카드번호",
    "카드 번호",
    "계좌번호",
    "계좌 번호",
    "예약번호",
    "예약 번호",
    "주문번호",
    "주문 번호",
    "상품권 번호",
    "기프트카드 번호",
    "멤버십 번호",
    "고객번호",
    "고객 번호",
    "여권번호",
    "차트번호",
    "차트 번호",
    // Arabic.
    "رقم حسابي",
    "رقم الحساب",
    "رقم العضوية",
    "رقم عضويتي",
    "رقم البطاقة",
    "رقم بطاقتي",
    "رقم الحجز",
    "رقم حجزي",
    "رقم الطلب",
    "رقم العميل",
    "رقم الملف",
    "رقم ملفي",
    "رقم الهوية",
    "رقم جواز",
    "رقم القسيمة",
    "رقم الكوبون",
    "رقم الاشتراك",
    "رقم اشتراكي",
    // Russian.
    "номер участника",
    "номер карты",
    "номер карточки",
    "номер счета",
    "номер счёта",
    "номер членства",
    "номер заказа",
    "номер клиента",
    "номер абонемента",
    "лицевой счет",
    "номер сертификата",
    "номер договора",
    "номер брони",
    "номер записи",
    "номер паспорта",
    "номер полиса",
    "номер медкарты",
    // Vietnamese, with and without accents.
    "mã số thành viên",
    "ma so thanh vien",
    "mã số",
    "mã thành viên",
    "ma thanh vien",
    "số thẻ",
    "số tài khoản",
    "so tai khoan",
    "mã khách hàng",
    "ma khach hang",
    "mã đặt chỗ",
    "ma dat cho",
    "mã thẻ",
    "số hội viên",
    "so hoi vien",
    // Haitian Creole.
    "nimewo manm",
    "nimewo kat",
    "nimewo kont",
    "nimewo kliyan",
    "nimewo randevou",
];

/// How far after a cue its value may start: a particle, a copula or a word between ("会员号是",
/// "회원번호는", "رقم حسابي عندكم", "mã số của em là").
const SCRIPT_CUE_GAP: usize = 32;

/// An ID after one of [`SCRIPT_CUES`]: the first token of ASCII letters, digits and dashes
/// within [`SCRIPT_CUE_GAP`] bytes, with no sentence end or digit before it, holding four
/// digits or a dashed code, as the regex's values do.
fn find_after_script_cues(text: &str, cues: Option<&AhoCorasick>, out: &mut Vec<Candidate>) {
    // The cues are lower case; ASCII case is folded by the automaton, other scripts' here,
    // keeping every offset where it is in `text`.
    let lowered;
    let hay = if text.chars().any(|c| !c.is_ascii() && c.is_uppercase()) {
        lowered = crate::text::lowercase_same_offsets(text);
        lowered.as_str()
    } else {
        text
    };
    match cues {
        Some(automaton) => {
            for m in automaton.find_overlapping_iter(hay) {
                let cue = SCRIPT_CUES
                    .get(m.pattern().as_usize())
                    .copied()
                    .unwrap_or("");
                id_after_cue(text, m.start(), cue, out);
            }
        }
        // Unreachable with the bundled cues, which always build; slower, never wrong.
        None => {
            let folded = hay.to_ascii_lowercase();
            for cue in SCRIPT_CUES {
                for (at, _) in folded.match_indices(cue) {
                    id_after_cue(text, at, cue, out);
                }
            }
        }
    }
}

/// The ID value after `cue`, found at byte `at` of `text`, if one follows it.
fn id_after_cue(text: &str, at: usize, cue: &str, out: &mut Vec<Candidate>) {
    let char_before = |at: usize| text[..at].chars().next_back();
    // A cue in letters that are written with spaces must be whole words there.
    let spaced = cue
        .chars()
        .any(|c| c.is_alphabetic() && !crate::text::written_without_spaces(c));
    if spaced && char_before(at).is_some_and(char::is_alphanumeric) {
        return;
    }
    let mut i = at + cue.len();
    if spaced && text[i..].chars().next().is_some_and(char::is_alphabetic) {
        return;
    }
    let limit = (i + SCRIPT_CUE_GAP).min(text.len());
    let bytes = text.as_bytes();
    // The token of ASCII letters, digits and dashes starting at `from`.
    let token_end = |from: usize| {
        let mut end = from;
        while end < bytes.len()
            && (bytes[end].is_ascii_alphanumeric()
                || (bytes[end] == b'-'
                    && bytes.get(end + 1).is_some_and(u8::is_ascii_alphanumeric)))
        {
            end += 1;
        }
        end
    };
    let mut found = None;
    while i < limit {
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if c.is_ascii_alphanumeric() {
            let mut end = token_end(i);
            // A word without digits ("cua", "em", "se") is part of the gap.
            if text[i..end].bytes().any(|b| b.is_ascii_digit()) {
                // Digit groups written apart ("4481 2210") are one value.
                while text[i..end]
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b' ')
                    && bytes.get(end) == Some(&b' ')
                    && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
                {
                    end = token_end(end + 1);
                }
                found = Some((i, end));
                break;
            }
            i = end;
            continue;
        }
        if c.is_numeric()
            || matches!(
                c,
                '.' | ',' | '?' | '!' | '\n' | '。' | '，' | '？' | '！' | '،' | '؟'
            )
        {
            break;
        }
        i += c.len_utf8();
    }
    let Some((start, end)) = found else {
        return;
    };
    let value = &text[start..end];
    let digits = value.bytes().filter(u8::is_ascii_digit).count();
    let coded = value.contains('-') && digits >= 2 && value.len() >= 6;
    if (digits >= 4 || coded) && value.len() >= 4 {
        out.push(Candidate::new(
            PhiKind::Id,
            start,
            end,
            "id_script_cue",
            0.85,
        ));
    }
}

/// A long number in three or more dash- or space-separated groups ("7788-1203-5561-09") in a
/// message about a card, account or membership, far from its cue word ("I lost the gift card
/// but I have a pic of the number: ..."). Phone numbers and payment cards are found by their
/// own recognizers, which score higher where they match.
fn find_grouped_numbers(text: &str, out: &mut Vec<Candidate>) {
    let lower = text.to_ascii_lowercase();
    if !NUMBER_TOPICS.iter().any(|t| lower.contains(t)) {
        return;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let start = i;
        let (mut groups, mut digits, mut end) = (0usize, 0usize, i);
        while i < bytes.len() {
            let g = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i == g {
                break;
            }
            groups += 1;
            digits += i - g;
            end = i;
            if i + 1 < bytes.len()
                && matches!(bytes[i], b'-' | b' ')
                && bytes[i + 1].is_ascii_digit()
            {
                i += 1;
            } else {
                break;
            }
        }
        let glued = bytes.get(end).is_some_and(u8::is_ascii_alphanumeric);
        if groups >= 3 && digits >= 10 && !glued {
            out.push(Candidate::new(PhiKind::Id, start, end, "id_grouped", 0.4));
        }
        i = end.max(start + 1);
    }
}

#[cfg(test)]
mod tests {
    use crate::phi::{spans_of, PhiKind};

    fn ids(text: &str) -> Vec<&str> {
        spans_of(PhiKind::Id, text)
    }

    #[test]
    fn national_ids_after_their_cues() {
        for (text, want) in [
            ("CPF 392.481.706-55", "392.481.706-55"),
            ("meu CPF é 392.481.706-55, obrigada", "392.481.706-55"),
            ("RG: 12.345.678-9", "12.345.678-9"),
            ("RG 12.345.678-X", "12.345.678-X"),
            ("CNPJ 12.345.678/0001-95", "12.345.678/0001-95"),
            ("mi CURP es GOMC850101HDFRRL09", "GOMC850101HDFRRL09"),
            ("RFC GOMC850101AB1", "GOMC850101AB1"),
            ("DNI 12345678Z", "12345678Z"),
            ("NIE X1234567L", "X1234567L"),
            ("my passport number is A12345678", "A12345678"),
            ("pasaporte G12345678", "G12345678"),
            ("passaporte nº FZ123456", "FZ123456"),
            ("numéro de passeport 12AB34567", "12AB34567"),
        ] {
            assert_eq!(ids(text), [want], "{text:?}");
        }
    }

    #[test]
    fn dotted_values_need_thousands_groups_and_a_cue() {
        for text in [
            "refund 45.00 please",
            "account 1.2.3",
            "392.481.706-55",
            "my passport expired",
            "the DNI office",
            "CPF pending",
            "order 12.5 units",
        ] {
            assert!(ids(text).is_empty(), "{text:?}: {:?}", ids(text));
        }
    }
}
