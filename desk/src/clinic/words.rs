//! Text as the matcher sees it: folded (lowercase, accents removed) and split into words. The
//! validator folds synonyms with the same functions, so "two services share a synonym" means
//! exactly "the matcher could not tell them apart" (`"Bótox"` and `"botox"` are one word).

/// A word of folded text and where it sits in that text (byte offsets), so a date reader can
/// see what separates two numbers ("12/24" is a date, "12 24" is not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Lowercases and strips diacritics (the core's `classifier::text::fold`, one owner for the
/// project), so "Bótox", "BOTOX" and "botox" and "mañana" / "manana" (typed without the key)
/// compare equal; combining marks (a letter typed followed by its accent) are dropped too.
pub(crate) fn fold(text: &str) -> String {
    classifier::text::fold(text)
        .chars()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .collect()
}

/// Blanks the redactor's placeholders ("[NAME_1]", "[PHONE]") so their words ("name", "phone")
/// are never read as the patient's.
pub(crate) fn without_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let inner_len = after
            .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(after.len());
        if inner_len > 0 && after[inner_len..].starts_with(']') {
            out.push(' ');
            rest = &after[inner_len + 1..];
        } else {
            out.push('[');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Splits folded text into runs of letters and digits; everything else separates words.
pub(crate) fn tokens(folded: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (at, c) in folded.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                out.push(Token {
                    text: folded[from..at].to_string(),
                    start: from,
                    end: at,
                });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        out.push(Token {
            text: folded[from..].to_string(),
            start: from,
            end: folded.len(),
        });
    }
    out
}

/// The words of a clinic-written term ("Relleno de labios" -> ["relleno", "de", "labios"]).
pub(crate) fn term_words(term: &str) -> Vec<String> {
    tokens(&fold(term)).into_iter().map(|t| t.text).collect()
}

/// The form two terms are compared in: folded words joined by one space.
pub(crate) fn term_key(term: &str) -> String {
    term_words(term).join(" ")
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions, the commonest
/// typing slip: "thrusday"). Gives up once every alignment exceeds `limit`, returning
/// `limit + 1`, because callers only ask "within 1 or 2?" and messages arrive one by one.
pub(crate) fn edit_distance(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut prev: Vec<usize> = (0..width).collect();
    let mut row: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        row[0] = i;
        let mut best = row[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(row[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            row[j] = d;
            best = best.min(d);
        }
        if best > limit {
            return limit + 1;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut row);
    }
    prev[b.len()].min(limit + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_case_and_accents() {
        assert_eq!(
            fold("¿Cuánto cuesta el BÓTOX mañana?"),
            "¿cuanto cuesta el botox manana?"
        );
        // "o" followed by a combining acute accent, as some keyboards send it.
        assert_eq!(fold("bo\u{301}tox"), "botox");
        assert_eq!(fold("Pómulos Ñu Ü"), "pomulos nu u");
    }

    #[test]
    fn placeholders_are_blanked_but_brackets_in_text_stay() {
        assert_eq!(
            without_placeholders("hi [NAME_1], call [PHONE]"),
            "hi  , call  "
        );
        assert_eq!(without_placeholders("[not one] [A b]"), "[not one] [A b]");
        assert_eq!(without_placeholders("open [DATE_1"), "open [DATE_1");
        assert_eq!(without_placeholders("[]"), "[]");
    }

    #[test]
    fn tokens_split_on_non_alphanumerics_with_offsets() {
        let t = tokens("lip-filler, 12/24!");
        let words: Vec<&str> = t.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(words, ["lip", "filler", "12", "24"]);
        assert_eq!((t[2].start, t[2].end, t[3].start), (12, 14, 15));
        assert!(tokens("  ...  ").is_empty());
    }

    #[test]
    fn term_keys_ignore_accents_case_and_punctuation() {
        assert_eq!(term_key("Relleno de  Labios"), "relleno de labios");
        assert_eq!(term_key("Bótox"), term_key("botox"));
        assert_eq!(term_key("anti-wrinkle"), "anti wrinkle");
    }

    #[test]
    fn edit_distance_counts_transpositions_as_one() {
        assert_eq!(edit_distance("thrusday", "thursday", 2), 1);
        assert_eq!(edit_distance("hydrafacal", "hydrafacial", 2), 1);
        assert_eq!(edit_distance("botox", "botox", 1), 0);
        assert_eq!(edit_distance("", "abc", 5), 3);
        assert_eq!(edit_distance("filler", "filter", 1), 1);
    }

    #[test]
    fn edit_distance_stops_past_the_limit() {
        assert_eq!(edit_distance("appointment", "botox", 2), 3);
        assert_eq!(edit_distance("abcdef", "ghijkl", 1), 2);
        assert_eq!(edit_distance("ab", "abcd", 1), 2);
    }
}
