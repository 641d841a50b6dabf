//! EMAIL: local@domain.tld, including internationalised (punycode) domains.

use super::pattern::{compiled, Pattern};
use super::span::{char_before, Candidate};
use super::PhiKind;

pub struct EmailRecognizer {
    re: Pattern,
}

impl EmailRecognizer {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self {
            re: Pattern::load(&compiled::EMAIL),
        }
    }

    pub fn find(&self, text: &str, out: &mut Vec<Candidate>) {
        for m in self.re.find_iter(text) {
            let (mut s, e) = (m.start(), m.end());
            if char_before(text, s).is_some_and(char::is_alphanumeric) {
                continue;
            }
            // A local part cannot start with a dot ("see:.x@y.com" keeps the dot).
            while text.as_bytes().get(s) == Some(&b'.') {
                s += 1;
            }
            out.push(Candidate::new(PhiKind::Email, s, e, "email", 0.95));
        }
    }
}
