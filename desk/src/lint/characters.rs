//! Characters no outbound SMS may carry. Control characters other than the line break render as
//! boxes or cut the message on some handsets; invisible formatting characters (zero-width
//! spaces, bidirectional overrides, a byte-order mark) hide or reorder text and silently force
//! UCS-2. The zero-width joiner and variation selectors stay allowed: emoji sequences need them.

use std::ops::Range;

fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{00AD}'
                | '\u{200B}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// Runs of forbidden characters, as byte ranges (a run is one finding, not one per character).
pub(super) fn forbidden(body: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (at, c) in body.char_indices() {
        if !is_forbidden(c) {
            continue;
        }
        let end = at + c.len_utf8();
        match out.last_mut() {
            Some(last) if last.end == at => last.end = end,
            _ => out.push(at..end),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_runs() {
        assert_eq!(forbidden("a\r\nb"), vec![1..2]);
        assert_eq!(forbidden("a\t\tb\u{7}"), vec![1..3, 4..5]);
        assert_eq!(forbidden("x\u{200B}y"), vec![1..4]);
        assert_eq!(forbidden("\u{202E}abc"), vec![0..3]);
        assert_eq!(forbidden("\u{FEFF}Hi"), vec![0..3]);
        assert_eq!(forbidden("\u{0}"), vec![0..1]);
        assert_eq!(forbidden("\u{85}"), vec![0..2]);
    }

    #[test]
    fn allows_text_newlines_and_emoji_sequences() {
        for body in [
            "Hi\nthere",
            "👩\u{200D}⚕️ ok",
            "❤\u{FE0F}",
            "¿Qué tal?",
            "€ {x}",
        ] {
            assert!(forbidden(body).is_empty(), "{body:?}");
        }
    }
}
