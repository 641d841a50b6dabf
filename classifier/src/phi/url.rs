//! URL: with a scheme ("https://..."), starting with "www.", or a bare domain with a well-known
//! top-level domain and an optional path ("bit.ly/abc", "example.com/path").

use super::pattern::{compiled, Pattern};
use super::span::{char_at, char_before, Candidate};
use super::PhiKind;

pub struct UrlRecognizer {
    scheme: Pattern,
    www: Pattern,
    bare: Pattern,
}

/// Strips what a sentence puts after a link: "see example.com/x." keeps the path, not the dot.
fn trim_end(text: &str, s: usize, mut e: usize) -> usize {
    while e > s {
        let last = text.as_bytes()[e - 1];
        let unbalanced_paren = last == b')' && !text[s..e].contains('(');
        if matches!(last, b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b'"')
            || unbalanced_paren
        {
            e -= 1;
        } else {
            break;
        }
    }
    e
}

impl UrlRecognizer {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self {
            scheme: Pattern::load(&compiled::URL_SCHEME),
            www: Pattern::load(&compiled::URL_WWW),
            bare: Pattern::load(&compiled::URL_BARE),
        }
    }

    pub fn find(&self, text: &str, out: &mut Vec<Candidate>) {
        for m in self.scheme.find_iter(text) {
            let (s, e) = (m.start(), trim_end(text, m.start(), m.end()));
            let rest = &text[s..e];
            let host = rest.split_once("://").map_or("", |(_, h)| {
                h.split(['/', '?', '#', ':']).next().unwrap_or("")
            });
            // "http://microsoft" has no domain: not a link anyone can follow.
            if host.contains('.') && !host.ends_with('.') {
                out.push(Candidate::new(PhiKind::Url, s, e, "url_scheme", 0.9));
            }
        }
        for m in self.www.find_iter(text) {
            let (s, e) = (m.start(), trim_end(text, m.start(), m.end()));
            if char_before(text, s).is_some_and(|c| c.is_alphanumeric() || c == '/' || c == '.') {
                continue;
            }
            let host = text[s..e].split(['/', '?', '#']).next().unwrap_or("");
            // "www.microsoft" alone is not a host.
            if host.matches('.').count() >= 2 {
                out.push(Candidate::new(PhiKind::Url, s, e, "url_www", 0.8));
            }
        }
        for m in self.bare.find_iter(text) {
            let (s, e) = (m.start(), trim_end(text, m.start(), m.end()));
            let before = char_before(text, s);
            if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '@' | '.' | '/' | '-'))
                || char_at(text, e).is_some_and(|c| c == '@')
            {
                continue;
            }
            // "3.5mg" or "1.co" are not domains: the first label must hold a letter.
            let first = text[s..e].split('.').next().unwrap_or("");
            if !first.bytes().any(|b| b.is_ascii_alphabetic()) {
                continue;
            }
            out.push(Candidate::new(PhiKind::Url, s, e, "url_bare", 0.6));
        }
    }
}
