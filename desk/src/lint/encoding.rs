//! How many SMS segments a body costs. Carriers bill and deliver per segment, and a message that
//! silently falls back to UCS-2 (one "ê" or one emoji) costs more than twice as many, so the
//! count must never be lower than what the carrier will charge.
//!
//! Tables: 3GPP TS 23.038, the default alphabet and its basic extension table, without the
//! national language shift tables (US carriers and Twilio do not use them, which is why Spanish
//! "á í ó ú" force UCS-2 while "é ñ ü" do not).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A GSM-7 message that fits in one SMS.
pub const GSM7_SINGLE: usize = 160;
/// Each part of a multipart GSM-7 message: 7 septets go to the concatenation header.
pub const GSM7_PART: usize = 153;
/// A UCS-2 message that fits in one SMS, in UTF-16 code units.
pub const UCS2_SINGLE: usize = 70;
/// Each part of a multipart UCS-2 message, in UTF-16 code units.
pub const UCS2_PART: usize = 67;

/// The alphabet a message is sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// 7-bit GSM: 160 septets in one SMS.
    Gsm7,
    /// UTF-16: 70 code units in one SMS.
    Ucs2,
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Gsm7 => "GSM-7",
            Encoding::Ucs2 => "UCS-2",
        })
    }
}

/// What a body costs to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentCount {
    pub encoding: Encoding,
    /// Septets (GSM-7, escaped characters count 2) or UTF-16 code units (UCS-2).
    pub units: usize,
    /// SMS segments the carrier will bill. An empty body still costs one.
    pub segments: usize,
    /// Byte offset of the first character outside GSM-7, the one to replace to get 160 characters
    /// per segment back. `None` when the body is GSM-7.
    pub first_non_gsm: Option<usize>,
}

/// The GSM-7 cost of `c` in septets: 1 in the default alphabet, 2 in the extension table (sent as
/// ESC + code), `None` when the character cannot be sent in GSM-7 at all.
pub fn gsm7_septets(c: char) -> Option<usize> {
    if in_default_alphabet(c) {
        Some(1)
    } else if in_extension_table(c) {
        Some(2)
    } else {
        None
    }
}

/// The 3GPP TS 23.038 default alphabet (position 0x1B is the escape, not a character). Note what
/// is missing: the backtick, and `$` sits at 0x02 while 0x24 is `¤`; both are in.
fn in_default_alphabet(c: char) -> bool {
    matches!(
        c,
        '@' | '£' | '$' | '¥' | 'è' | 'é' | 'ù' | 'ì' | 'ò' | 'Ç' | '\n' | 'Ø' | 'ø' | '\r'
            | 'Å' | 'å' | 'Δ' | '_' | 'Φ' | 'Γ' | 'Λ' | 'Ω' | 'Π' | 'Ψ' | 'Σ' | 'Θ' | 'Ξ'
            | 'Æ' | 'æ' | 'ß' | 'É' | ' '..='#' | '¤' | '%'..='?' | '¡' | 'A'..='Z'
            | 'Ä' | 'Ö' | 'Ñ' | 'Ü' | '§' | '¿' | 'a'..='z' | 'ä' | 'ö' | 'ñ' | 'ü' | 'à'
    )
}

/// The basic extension table: each is sent as two septets.
fn in_extension_table(c: char) -> bool {
    matches!(
        c,
        '\u{0C}' | '^' | '{' | '}' | '\\' | '[' | '~' | ']' | '|' | '€'
    )
}

/// Fills segments the way the sending side splits them: a character never straddles two parts
/// (an ESC pair or a surrogate pair moves whole to the next part, leaving a unit unused).
struct Packer {
    single: usize,
    part: usize,
    units: usize,
    parts: usize,
    fill: usize,
}

impl Packer {
    fn new(single: usize, part: usize) -> Packer {
        Packer {
            single,
            part,
            units: 0,
            parts: 1,
            fill: 0,
        }
    }

    fn push(&mut self, cost: usize) {
        self.units += cost;
        if self.fill + cost > self.part {
            self.parts += 1;
            self.fill = cost;
        } else {
            self.fill += cost;
        }
    }

    fn segments(&self) -> usize {
        if self.units <= self.single {
            1
        } else {
            self.parts
        }
    }
}

/// The encoding and segment count of `body`, as the carrier will send it.
pub fn segments(body: &str) -> SegmentCount {
    let mut gsm = Packer::new(GSM7_SINGLE, GSM7_PART);
    let mut ucs = Packer::new(UCS2_SINGLE, UCS2_PART);
    let mut first_non_gsm = None;
    for (at, c) in body.char_indices() {
        ucs.push(c.len_utf16());
        if first_non_gsm.is_none() {
            match gsm7_septets(c) {
                Some(septets) => gsm.push(septets),
                None => first_non_gsm = Some(at),
            }
        }
    }
    let (encoding, packer) = match first_non_gsm {
        None => (Encoding::Gsm7, gsm),
        Some(_) => (Encoding::Ucs2, ucs),
    };
    SegmentCount {
        encoding,
        units: packer.units,
        segments: packer.segments(),
        first_non_gsm,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn count(body: &str) -> (Encoding, usize, usize) {
        let c = segments(body);
        (c.encoding, c.units, c.segments)
    }

    #[test]
    fn boundaries() {
        let a = |n: usize| "a".repeat(n);
        let cases: Vec<(String, (Encoding, usize, usize))> = vec![
            (String::new(), (Encoding::Gsm7, 0, 1)),
            (a(1), (Encoding::Gsm7, 1, 1)),
            (a(160), (Encoding::Gsm7, 160, 1)),
            (a(161), (Encoding::Gsm7, 161, 2)),
            (a(306), (Encoding::Gsm7, 306, 2)),
            (a(307), (Encoding::Gsm7, 307, 3)),
            (a(459), (Encoding::Gsm7, 459, 3)),
            (a(460), (Encoding::Gsm7, 460, 4)),
            // UCS-2: one "ê" turns the whole message.
            (format!("ê{}", a(69)), (Encoding::Ucs2, 70, 1)),
            (format!("ê{}", a(70)), (Encoding::Ucs2, 71, 2)),
            (format!("ê{}", a(133)), (Encoding::Ucs2, 134, 2)),
            (format!("ê{}", a(134)), (Encoding::Ucs2, 135, 3)),
        ];
        for (body, want) in cases {
            assert_eq!(count(&body), want, "{} chars", body.chars().count());
        }
    }

    #[test]
    fn extension_characters_cost_two_septets() {
        assert_eq!(count("{}"), (Encoding::Gsm7, 4, 1));
        assert_eq!(count("€"), (Encoding::Gsm7, 2, 1));
        assert_eq!(count("\u{0C}"), (Encoding::Gsm7, 2, 1));
        for c in ['^', '{', '}', '\\', '[', '~', ']', '|', '€'] {
            assert_eq!(gsm7_septets(c), Some(2), "{c}");
        }
        // 159 + an escape pair = 161 septets: no longer one segment.
        assert_eq!(
            count(&format!("{}€", "a".repeat(158))),
            (Encoding::Gsm7, 160, 1)
        );
        assert_eq!(
            count(&format!("{}€", "a".repeat(159))),
            (Encoding::Gsm7, 161, 2)
        );
    }

    #[test]
    fn escape_pair_is_not_split_across_segments() {
        // 152 septets then "€": the pair would straddle septets 153/154, so it moves whole to
        // part two, which then holds 2 + 151 = 153 septets. 152 + 2 + 151 = 305 septets, which a
        // naive ceil(305/153) calls 2 segments; the carrier needs 3.
        let body = format!("{}€{}", "a".repeat(152), "a".repeat(152));
        assert_eq!(count(&body), (Encoding::Gsm7, 306, 3));
        let body = format!("{}€{}", "a".repeat(152), "a".repeat(151));
        assert_eq!(count(&body), (Encoding::Gsm7, 305, 2));
        // 151 + pair = 153 exactly: fits, and part two holds 153 more.
        let body = format!("{}€{}", "a".repeat(151), "a".repeat(153));
        assert_eq!(count(&body), (Encoding::Gsm7, 306, 2));
    }

    #[test]
    fn surrogate_pair_is_not_split_across_segments() {
        // 66 units of "ê…" then an emoji (2 units) straddles 67/68.
        let body = format!("ê{}😀{}", "a".repeat(65), "a".repeat(65));
        assert_eq!(count(&body), (Encoding::Ucs2, 133, 2));
        let body = format!("ê{}😀{}", "a".repeat(65), "a".repeat(66));
        // 66 + (2 + 66 = 68 > 67) -> 3 parts, though 134 units fit in 2*67.
        assert_eq!(count(&body), (Encoding::Ucs2, 134, 3));
    }

    #[test]
    fn one_emoji_makes_the_message_ucs2() {
        let body = format!("{}😀", "a".repeat(68));
        assert_eq!(count(&body), (Encoding::Ucs2, 70, 1));
        let body = format!("{}😀", "a".repeat(69));
        assert_eq!(count(&body), (Encoding::Ucs2, 71, 2));
        let c = segments("See you soon 😀");
        assert_eq!(c.first_non_gsm, Some("See you soon ".len()));
    }

    #[test]
    fn the_real_default_alphabet() {
        for c in
            "é è ù ì ò Ç Ø ø Å å Δ _ Φ Γ Λ Ω Π Ψ Σ Θ Ξ Æ æ ß É Ä Ö Ñ Ü § ¿ ä ö ñ ü à ¡ £ ¥ $ @ ¤"
                .split(' ')
                .filter_map(|s| s.chars().next())
        {
            assert_eq!(gsm7_septets(c), Some(1), "{c}");
        }
        for c in [
            'á', 'í', 'ó', 'ú', 'ê', 'ç', '`', '\u{2019}', '\u{201C}', '\t', '😀',
        ] {
            assert_eq!(gsm7_septets(c), None, "{c:?}");
        }
    }

    #[test]
    fn spanish_accents() {
        // é, ñ and ¿ are GSM-7; á, í, ó, ú are not.
        assert_eq!(segments("¿Qué tal? Mañana.").encoding, Encoding::Gsm7);
        let c = segments("Su cita está confirmada");
        assert_eq!(c.encoding, Encoding::Ucs2);
        assert_eq!(c.first_non_gsm, Some("Su cita est".len()));
        assert_eq!(segments("Atención").first_non_gsm, Some("Atenci".len()));
    }

    /// The carrier's split, modelled independently: encode to septets (ESC + code for the
    /// extension table) or UTF-16 units, then cut parts so no ESC pair / surrogate pair is split.
    fn reference(body: &str) -> usize {
        let gsm = body.chars().all(|c| gsm7_septets(c).is_some());
        let (single, part, units): (usize, usize, Vec<bool>) = if gsm {
            // `true` marks a unit that must stay with the next one.
            let mut v = Vec::new();
            for c in body.chars() {
                if gsm7_septets(c) == Some(2) {
                    v.push(true);
                }
                v.push(false);
            }
            (160, 153, v)
        } else {
            let mut v = Vec::new();
            let mut buf = [0u16; 2];
            for c in body.chars() {
                let n = c.encode_utf16(&mut buf).len();
                if n == 2 {
                    v.push(true);
                }
                v.push(false);
            }
            (70, 67, v)
        };
        if units.len() <= single {
            return 1;
        }
        let mut parts = 0;
        let mut i = 0;
        while i < units.len() {
            let mut end = (i + part).min(units.len());
            if end < units.len() && units[end - 1] {
                end -= 1;
            }
            parts += 1;
            i = end;
        }
        parts
    }

    fn arb_body() -> impl Strategy<Value = String> {
        let chars = prop_oneof![
            4 => prop::char::range('a', 'z'),
            1 => prop::sample::select(vec!['€', '{', '[', '|', '~', '\\', '^', 'é', 'ñ', ' ']),
            1 => prop::sample::select(vec!['ê', 'á', '😀', '👍', '中', '’']),
        ];
        prop::collection::vec(chars, 0..700).prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #[test]
        fn never_under_counts(body in arb_body()) {
            let c = segments(&body);
            let per_part = match c.encoding { Encoding::Gsm7 => GSM7_PART, Encoding::Ucs2 => UCS2_PART };
            let single = match c.encoding { Encoding::Gsm7 => GSM7_SINGLE, Encoding::Ucs2 => UCS2_SINGLE };
            if c.units <= single {
                prop_assert_eq!(c.segments, 1);
            } else {
                prop_assert!(c.segments * per_part >= c.units);
            }
            prop_assert_eq!(c.segments, reference(&body));
        }

        #[test]
        fn gsm_units_are_septets(body in "[a-zA-Z0-9 .,!?€{}\\[\\]]{0,400}") {
            let c = segments(&body);
            prop_assert_eq!(c.encoding, Encoding::Gsm7);
            let escaped = body.chars().filter(|c| "€{}[]".contains(*c)).count();
            prop_assert_eq!(c.units, body.chars().count() + escaped);
        }
    }
}
