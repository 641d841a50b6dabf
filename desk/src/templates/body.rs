//! A template body split into literal text and placeholders, once, when the set is parsed: so
//! rendering cannot meet a malformed body, and an author learns of a stray brace when saving
//! the set rather than when a patient asks.
//!
//! Braces are only ever placeholder syntax. An SMS has no use for a literal `{` or `}`, and a
//! lone one is far more often a typo (`{clinic}}`, `{{clinic}`) that would reach a patient.

use super::placeholder::Placeholder;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Slot(Placeholder),
}

/// Why a body is not well formed. Offsets count characters from the start of the body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    #[error(
        "unbalanced brace at character {offset}: write placeholders as {{{{name}}}}, and no \
         other braces"
    )]
    Unbalanced { offset: usize },
    #[error(
        "malformed placeholder at character {offset}: a name is lower-case letters and \
         underscores with no spaces, as in {{{{clinic}}}}"
    )]
    Malformed { offset: usize },
    #[error("unknown placeholder {{{{{name}}}}} at character {offset}: use one of {known}")]
    Unknown {
        name: String,
        offset: usize,
        known: String,
    },
}

/// Splits a body into pieces.
pub fn parse(body: &str) -> Result<Vec<Piece>, BodyError> {
    let chars: Vec<char> = body.chars().collect();
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '{' => {
                if chars.get(i + 1) != Some(&'{') {
                    return Err(BodyError::Unbalanced { offset: i });
                }
                let start = i;
                let name_start = i + 2;
                let Some(len) = chars[name_start..].windows(2).position(|w| w == ['}', '}']) else {
                    return Err(BodyError::Unbalanced { offset: start });
                };
                let name: String = chars[name_start..name_start + len].iter().collect();
                if name.contains(['{', '}']) {
                    return Err(BodyError::Unbalanced { offset: start });
                }
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                    return Err(BodyError::Malformed { offset: start });
                }
                let placeholder = Placeholder::parse(&name).ok_or_else(|| BodyError::Unknown {
                    offset: start,
                    known: known(),
                    name,
                })?;
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                }
                pieces.push(Piece::Slot(placeholder));
                i = name_start + len + 2;
            }
            '}' => return Err(BodyError::Unbalanced { offset: i }),
            c => {
                text.push(c);
                i += 1;
            }
        }
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Ok(pieces)
}

fn known() -> String {
    Placeholder::ALL
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Piece {
        Piece::Text(s.to_owned())
    }

    #[test]
    fn splits_text_and_placeholders() {
        assert_eq!(
            parse("{{clinic}}: {{hours}}").unwrap(),
            vec![
                Piece::Slot(Placeholder::Clinic),
                text(": "),
                Piece::Slot(Placeholder::Hours)
            ]
        );
        assert_eq!(
            parse("Hola, ¿qué tal?").unwrap(),
            vec![text("Hola, ¿qué tal?")]
        );
        assert_eq!(
            parse("{{price}}{{price}}").unwrap(),
            vec![
                Piece::Slot(Placeholder::Price),
                Piece::Slot(Placeholder::Price)
            ]
        );
        assert_eq!(parse("").unwrap(), vec![]);
    }

    #[test]
    fn unbalanced_braces_are_refused_with_their_offset() {
        assert_eq!(
            parse("Hi {{clinic"),
            Err(BodyError::Unbalanced { offset: 3 })
        );
        assert_eq!(
            parse("Hi {clinic}}"),
            Err(BodyError::Unbalanced { offset: 3 })
        );
        assert_eq!(
            parse("Hi clinic}}"),
            Err(BodyError::Unbalanced { offset: 9 })
        );
        assert_eq!(
            parse("¿Sí? {{clinic}"),
            Err(BodyError::Unbalanced { offset: 5 })
        );
        assert_eq!(
            parse("{{clinic}} }"),
            Err(BodyError::Unbalanced { offset: 11 })
        );
        assert_eq!(
            parse("{{cli{{nic}}"),
            Err(BodyError::Unbalanced { offset: 0 })
        );
        assert_eq!(parse("{"), Err(BodyError::Unbalanced { offset: 0 }));
        assert_eq!(
            parse("{{{clinic}}}"),
            Err(BodyError::Unbalanced { offset: 0 })
        );
    }

    #[test]
    fn malformed_and_unknown_names_are_refused() {
        assert_eq!(parse("{{}}"), Err(BodyError::Malformed { offset: 0 }));
        assert_eq!(
            parse("a {{ clinic }}"),
            Err(BodyError::Malformed { offset: 2 })
        );
        assert_eq!(parse("{{Clinic}}"), Err(BodyError::Malformed { offset: 0 }));
        match parse("Hi {{name}}") {
            Err(BodyError::Unknown {
                name,
                offset,
                known,
            }) => {
                assert_eq!(name, "name");
                assert_eq!(offset, 3);
                assert!(known.contains("{{clinic}}"));
            }
            other => panic!("{other:?}"),
        }
        let message = parse("Hi {{first_name}}").unwrap_err().to_string();
        assert!(message.contains("{{first_name}}"), "{message}");
        assert!(message.contains("character 3"), "{message}");
    }
}
