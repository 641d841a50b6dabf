//! Typo noise for training: patients drop, double and swap letters, and the hidden test set is
//! written by other people, so the model must not rely on exact spellings.

use crate::rng::Rng;

/// Returns `text` with a few letter-level typos in randomly chosen words. Placeholder words
/// (`phiname`, ...) are never touched because they are produced by the redactor, not typed.
pub fn typos(text: &str, rng: &mut Rng, per_word: f32) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let chars: Vec<char> = word.chars().collect();
        let alphabetic = chars.len() >= 4 && chars.iter().all(|c| c.is_alphabetic());
        if !alphabetic || word.starts_with("phi") || rng.unit() >= per_word {
            out.push_str(word);
            continue;
        }
        let mut chars = chars;
        let at = 1 + rng.below(chars.len() - 2);
        match rng.below(4) {
            0 => {
                chars.remove(at);
            }
            1 => chars.insert(at, chars[at]),
            2 => chars.swap(at, at + 1),
            _ => {
                // A neighbouring vowel, the most common slip in fast thumb typing.
                const VOWELS: [char; 5] = ['a', 'e', 'i', 'o', 'u'];
                if VOWELS.contains(&chars[at]) {
                    chars[at] = VOWELS[rng.below(5)];
                }
            }
        }
        out.extend(chars);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_are_reproducible_and_spare_placeholders_and_short_words() {
        let text = "can I reschedule my appointment phiname ok";
        let a = typos(text, &mut Rng::new(7), 1.0);
        let b = typos(text, &mut Rng::new(7), 1.0);
        assert_eq!(a, b);
        assert_ne!(a, text);
        assert!(a.contains("phiname"));
        assert!(a.starts_with("can I "));
        assert_eq!(typos(text, &mut Rng::new(7), 0.0), text);
    }
}
