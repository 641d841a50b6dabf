//! Text that was meant to be replaced before sending: template fields that were not rendered,
//! drafting notes, and this project's redaction tokens. A redacted text (`[NAME]`, `[PHONE]`)
//! must never reach a patient: it means a staff view or a log line leaked into a send path.

use super::words::{char_at, char_before, find_term, is_whole, words};
use serde::Serialize;
use std::fmt;
use std::ops::Range;

/// The redaction tokens the project's redactor writes; quoted in errors, since they are not
/// patient text.
const REDACTION_TOKENS: &[&str] = &[
    "[NAME]",
    "[PHONE]",
    "[EMAIL]",
    "[DOB]",
    "[ADDRESS]",
    "[ID]",
    "[CARD]",
    "[URL]",
];

/// The longest field name looked for inside `{...}`, `[...]` and `<...>`: longer bracketed text
/// is prose, not a field.
const MAX_FIELD: usize = 40;

/// What kind of unrendered text was found. Errors describe the kind, never the token's text,
/// except for the fixed redaction tokens and draft markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "token", rename_all = "snake_case")]
pub enum Placeholder {
    /// `{{first_name}}` (or a stray `{{`).
    DoubleBrace,
    /// `{name}`, `{0}`.
    Brace,
    /// `${name}`.
    DollarBrace,
    /// `[[name]]`.
    DoubleBracket,
    /// `%s`, `%d`, `%@`, `%1$s`.
    Printf,
    /// `<first_name>`, `<%= name %>`.
    AngleTag,
    /// One of the project's redaction tokens, e.g. `[NAME]`.
    RedactionToken(&'static str),
    /// Any other `[Field]` or `[UPPER_CASE]` token.
    BracketToken,
    /// `TODO:`, `FIXME`, `XXX`, `lorem ipsum`.
    DraftMarker(&'static str),
}

impl fmt::Display for Placeholder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Placeholder::DoubleBrace => f.write_str("an unrendered {{...}} template field"),
            Placeholder::Brace => f.write_str("an unrendered {...} template field"),
            Placeholder::DollarBrace => f.write_str("an unrendered ${...} template field"),
            Placeholder::DoubleBracket => f.write_str("an unrendered [[...]] template field"),
            Placeholder::Printf => f.write_str("an unrendered printf-style field (%s)"),
            Placeholder::AngleTag => f.write_str("an unrendered <...> template tag"),
            Placeholder::RedactionToken(token) => write!(f, "the redaction token {token}"),
            Placeholder::BracketToken => f.write_str("a [...] placeholder token"),
            Placeholder::DraftMarker(marker) => write!(f, "the draft marker \"{marker}\""),
        }
    }
}

/// Every placeholder in `body`, in body order, without overlaps (`{{x}}` is one field, not also
/// a `{x}` inside it; overlapping finds merge into one).
pub(super) fn find(body: &str) -> Vec<(Range<usize>, Placeholder)> {
    let mut all = Vec::new();
    delimited(body, "{{", "}}", Placeholder::DoubleBrace, &mut all);
    delimited(body, "${", "}", Placeholder::DollarBrace, &mut all);
    delimited(body, "[[", "]]", Placeholder::DoubleBracket, &mut all);
    delimited(body, "<%", "%>", Placeholder::AngleTag, &mut all);
    braces(body, &mut all);
    brackets(body, &mut all);
    angles(body, &mut all);
    printf(body, &mut all);
    draft_markers(body, &mut all);
    all.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut out: Vec<(Range<usize>, Placeholder)> = Vec::new();
    for (range, kind) in all {
        match out.last_mut() {
            // Overlapping finds are one token ("${{x}}"): the earlier kind, the wider span.
            Some((last, _)) if range.start < last.end => last.end = last.end.max(range.end),
            _ => out.push((range, kind)),
        }
    }
    out
}

/// `open ... close`, or a lone `open` when it is never closed (still a broken template).
fn delimited(
    body: &str,
    open: &str,
    close: &str,
    kind: Placeholder,
    out: &mut Vec<(Range<usize>, Placeholder)>,
) {
    let mut from = 0;
    while let Some(found) = body[from..].find(open) {
        let start = from + found;
        let inner = start + open.len();
        let end = body[inner..]
            .find(close)
            .map_or(inner, |at| inner + at + close.len());
        out.push((start..end, kind));
        from = end;
    }
}

/// Length of a field name at the start of `s`: ASCII letters, digits and `_`, then also `.`,
/// `-` and (when `spaces`) inner spaces; `first` decides what may start it.
fn field_len(s: &str, first: fn(u8) -> bool, spaces: bool) -> usize {
    let bytes = s.as_bytes();
    if !bytes.first().copied().is_some_and(first) {
        return 0;
    }
    let n = bytes
        .iter()
        .take_while(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-') || (spaces && **b == b' ')
        })
        .count();
    // Trailing spaces are padding ("{ name }"), not part of the name.
    n - bytes[..n].iter().rev().take_while(|b| **b == b' ').count()
}

fn ident_start(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn letter_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

/// `{name}`, `{ name }`, `{0}`.
fn braces(body: &str, out: &mut Vec<(Range<usize>, Placeholder)>) {
    for (start, _) in body.match_indices('{') {
        let rest = &body[start + 1..];
        let pad = rest.len() - rest.trim_start_matches(' ').len();
        let n = field_len(&rest[pad..], ident_start, false);
        if n == 0 || n > MAX_FIELD {
            continue;
        }
        let after = &rest[pad + n..];
        let close_pad = after.len() - after.trim_start_matches(' ').len();
        if after[close_pad..].starts_with('}') {
            out.push((
                start..start + 1 + pad + n + close_pad + 1,
                Placeholder::Brace,
            ));
        }
    }
}

/// `[NAME]`, `[First name]`.
fn brackets(body: &str, out: &mut Vec<(Range<usize>, Placeholder)>) {
    for (start, _) in body.match_indices('[') {
        let rest = &body[start + 1..];
        let n = field_len(rest, letter_start, true);
        if n == 0 || n > MAX_FIELD || !rest[n..].starts_with(']') {
            continue;
        }
        let end = start + n + 2;
        let token = &body[start..end];
        let kind = REDACTION_TOKENS
            .iter()
            .find(|t| **t == token)
            .map_or(Placeholder::BracketToken, |t| {
                Placeholder::RedactionToken(t)
            });
        out.push((start..end, kind));
    }
}

/// `<first_name>`, `</b>`. `<3` and `< 100` are not tags.
fn angles(body: &str, out: &mut Vec<(Range<usize>, Placeholder)>) {
    for (start, _) in body.match_indices('<') {
        let rest = &body[start + 1..];
        let slash = usize::from(rest.starts_with('/'));
        let n = field_len(&rest[slash..], letter_start, true);
        if n == 0 || n > MAX_FIELD || !rest[slash + n..].starts_with('>') {
            continue;
        }
        out.push((start..start + 1 + slash + n + 1, Placeholder::AngleTag));
    }
}

/// `%s`, `%d`, `%@`, `%1$s`, not followed by a letter ("100%daily" is prose).
fn printf(body: &str, out: &mut Vec<(Range<usize>, Placeholder)>) {
    for (start, _) in body.match_indices('%') {
        let rest = &body.as_bytes()[start + 1..];
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let at = if digits > 0 && rest.get(digits) == Some(&b'$') {
            digits + 1
        } else {
            0
        };
        if !matches!(rest.get(at), Some(b's' | b'd' | b'@')) {
            continue;
        }
        let end = start + 1 + at + 1;
        if !char_at(body, end).is_some_and(char::is_alphanumeric) {
            out.push((start..end, Placeholder::Printf));
        }
    }
}

/// Drafting notes. "TODO" only as a note (`TODO:`, `(TODO)`), because "todo" is everyday
/// Spanish and shouted marketing ("¡TODO al 20%!") is real; "FIXME" and "lorem" in any case;
/// "XXX" as a run of three or more capital X standing for a missing value ("XXX-XXXX").
fn draft_markers(body: &str, out: &mut Vec<(Range<usize>, Placeholder)>) {
    for (start, _) in body.match_indices("TODO") {
        let end = start + 4;
        if !is_whole(body, start, end) {
            continue;
        }
        let note = body[end..].trim_start_matches(' ').starts_with([':', ')'])
            || char_before(body, start) == Some('(');
        if note {
            out.push((start..end, Placeholder::DraftMarker("TODO")));
        }
    }
    let lower = body.to_ascii_lowercase();
    for (term, marker) in [("fixme", "FIXME"), ("lorem", "lorem ipsum")] {
        for at in find_term(body, &lower, term) {
            out.push((at, Placeholder::DraftMarker(marker)));
        }
    }
    for (start, word) in words(body) {
        if word.len() >= 3 && word.bytes().all(|b| b == b'X') {
            out.push((start..start + word.len(), Placeholder::DraftMarker("XXX")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(body: &str) -> Vec<Placeholder> {
        find(body).into_iter().map(|(_, k)| k).collect()
    }

    #[test]
    fn finds_placeholders() {
        use Placeholder::*;
        let cases: &[(&str, &[Placeholder])] = &[
            ("Hi {{first_name}}!", &[DoubleBrace]),
            ("Hi {{ first_name }}!", &[DoubleBrace]),
            ("Hi {{first_name", &[DoubleBrace]),
            ("Hi {name}, see you", &[Brace]),
            ("Hi { name }", &[Brace]),
            ("Hi {0}", &[Brace]),
            ("Hi ${name}", &[DollarBrace]),
            ("Hi [[name]]", &[DoubleBracket]),
            ("Hi %s, your visit", &[Printf]),
            ("Hi %1$s", &[Printf]),
            ("Total: %d", &[Printf]),
            ("Hi <first_name>,", &[AngleTag]),
            ("Hi <%= name %>", &[AngleTag]),
            (
                "Hi [NAME], call [PHONE]",
                &[RedactionToken("[NAME]"), RedactionToken("[PHONE]")],
            ),
            (
                "DOB [DOB] at [ADDRESS]",
                &[RedactionToken("[DOB]"), RedactionToken("[ADDRESS]")],
            ),
            (
                "[EMAIL] [ID] [CARD] [URL]",
                &[
                    RedactionToken("[EMAIL]"),
                    RedactionToken("[ID]"),
                    RedactionToken("[CARD]"),
                    RedactionToken("[URL]"),
                ],
            ),
            ("Hi [PATIENT_NAME]", &[BracketToken]),
            ("Hi [First name]", &[BracketToken]),
            ("TODO: add price", &[DraftMarker("TODO")]),
            ("Price (TODO)", &[DraftMarker("TODO")]),
            ("fixme", &[DraftMarker("FIXME")]),
            ("Lorem ipsum dolor", &[DraftMarker("lorem ipsum")]),
            ("Call XXX-XXXX", &[DraftMarker("XXX"), DraftMarker("XXX")]),
        ];
        for (body, want) in cases {
            assert_eq!(kinds(body), *want, "{body}");
        }
        let body = "Hi {{name}}, bye";
        assert_eq!(find(body)[0].0, 3..11);
        assert_eq!(find("${{x}}")[0], (0..6, DollarBrace));
        let body = "é[NAME]";
        assert_eq!(&body[find(body)[0].0.clone()], "[NAME]");
    }

    #[test]
    fn no_false_positives() {
        for body in [
            "Save 20% on fillers",
            "100%daily",
            "Prices <100 or > 50",
            "I <3 you",
            "¡TODO al 20%!",
            "Todo listo para tu cita",
            "Size XL or XXL",
            "See you soon! xx",
            "Open 9-5 {closed Sundays}",
            "a [long note that is much longer than any template field could be]",
            "Emoji :) and (smile)",
            "We're 100% sure",
            "[]",
            "{}",
            "",
        ] {
            assert!(kinds(body).is_empty(), "{body}: {:?}", kinds(body));
        }
    }
}
