//! Public link shorteners. Carriers filter messages that carry them (spammers hide destinations
//! behind them), so a single bit.ly link can get every message of the clinic's number blocked.
//! A branded short domain the clinic owns is fine, and is what the error suggests.

use super::words::{char_at, char_before};
use std::ops::Range;

/// Public shorteners carriers are known to filter. Matched as whole domains and their subdomains.
const SHORTENERS: &[&str] = &[
    "bit.ly",
    "bitly.com",
    "bit.do",
    "j.mp",
    "tinyurl.com",
    "tiny.cc",
    "tiny.one",
    "t.co",
    "t.ly",
    "goo.gl",
    "ow.ly",
    "is.gd",
    "v.gd",
    "buff.ly",
    "rebrand.ly",
    "cutt.ly",
    "shorturl.at",
    "rb.gy",
    "bl.ink",
    "lnkd.in",
    "s.id",
    "adf.ly",
    "shorte.st",
    "bc.vc",
    "clck.ru",
    "x.co",
    "po.st",
    "su.pr",
    "tr.im",
    "soo.gd",
    "qr.net",
    "t2m.io",
    "hyperurl.co",
];

fn is_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'.'
}

/// Every shortener host in `body`: its byte range and the list entry it matched.
pub(super) fn find(body: &str) -> Vec<(Range<usize>, &'static str)> {
    let bytes = body.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !is_host_byte(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_host_byte(bytes[i]) {
            i += 1;
        }
        if let Some((range, host)) = host_at(body, start, i) {
            out.push((range, host));
        }
    }
    out
}

/// The shortener a run of host characters names, if it is where a host can be: not inside a word,
/// an email address or a URL path (`example.com/bit.ly` is a path; `https://bit.ly` a host).
fn host_at(body: &str, start: usize, end: usize) -> Option<(Range<usize>, &'static str)> {
    let bytes = body.as_bytes();
    match char_before(body, start) {
        Some('/') if !(start >= 2 && bytes[start - 2] == b'/') => return None,
        Some(c) if c.is_alphanumeric() || c == '_' || c == '@' => return None,
        _ => {}
    }
    if char_at(body, end) == Some('@') {
        return None;
    }
    let trim = |b: &u8| *b == b'.' || *b == b'-';
    let lead = bytes[start..end].iter().take_while(|b| trim(b)).count();
    let tail = bytes[start + lead..end]
        .iter()
        .rev()
        .take_while(|b| trim(b))
        .count();
    let (start, end) = (start + lead, end - tail);
    let host = body.get(start..end)?.to_ascii_lowercase();
    SHORTENERS
        .iter()
        .find(|s| {
            host == **s
                || (host.len() > s.len()
                    && host.ends_with(**s)
                    && host.as_bytes()[host.len() - s.len() - 1] == b'.')
        })
        .map(|s| (start..end, *s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(body: &str) -> Vec<&'static str> {
        find(body).into_iter().map(|(_, h)| h).collect()
    }

    #[test]
    fn finds_shorteners() {
        let cases: &[(&str, &[&str])] = &[
            ("Book at https://bit.ly/abc", &["bit.ly"]),
            ("Book at HTTPS://BIT.LY/x", &["bit.ly"]),
            ("bit.ly/x", &["bit.ly"]),
            ("Book: www.bit.ly/x.", &["bit.ly"]),
            ("See t.co/abc or tinyurl.com/xyz", &["t.co", "tinyurl.com"]),
            ("(goo.gl/maps/1)", &["goo.gl"]),
            ("link:is.gd/a", &["is.gd"]),
            ("Details at rebrand.ly.", &["rebrand.ly"]),
            ("go.bit.ly/x", &["bit.ly"]),
            ("http://t.co", &["t.co"]),
        ];
        for (body, want) in cases {
            assert_eq!(hosts(body), *want, "{body}");
        }
        let body = "Book: https://bit.ly/abc";
        let (range, _) = &find(body)[0];
        assert_eq!(&body[range.clone()], "bit.ly");
    }

    #[test]
    fn no_false_positives() {
        for body in [
            "bitly.com.example/x",
            "Read about.com today",
            "We are at.company HQ",
            "see example.com/bit.ly/x",
            "Email anna@t.co",
            "bit.ly@example.com",
            "habit.ly",
            "My tinyurl.community page",
            "Visit the clinic at 5 p.m.",
            "Thanks!",
            "",
            "ébit.ly",
        ] {
            assert!(hosts(body).is_empty(), "{body}");
        }
    }
}
