//! IP: IPv4 (each octet 0-255) and IPv6 (all RFC 4291 forms: compressed, IPv4-mapped, with a
//! zone "%eth0"), each with an optional CIDR prefix. Candidates are validated with the standard
//! library's parsers rather than a giant regex.

use super::pattern::{compiled, Pattern};
use super::span::{char_at, char_before, Candidate};
use super::PhiKind;
use std::net::{Ipv4Addr, Ipv6Addr};

pub struct IpRecognizer {
    v4: Pattern,
    v6: Pattern,
}

/// The end of a "/prefix" after `e`, if one follows and is at most `max`.
fn prefix_end(text: &str, e: usize, max: u32) -> usize {
    let rest = &text[e..];
    let Some(after) = rest.strip_prefix('/') else {
        return e;
    };
    let n = after.bytes().take_while(u8::is_ascii_digit).count();
    match after[..n].parse::<u32>() {
        Ok(p) if n > 0 && n <= 3 && p <= max => e + 1 + n,
        _ => e,
    }
}

impl IpRecognizer {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self {
            v4: Pattern::load(&compiled::IP_V4),
            v6: Pattern::load(&compiled::IP_V6),
        }
    }

    pub fn find(&self, text: &str, out: &mut Vec<Candidate>) {
        for m in self.v4.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            let glued = char_before(text, s).is_some_and(|c| c.is_alphanumeric() || c == '.')
                || char_at(text, e).is_some_and(|c| c.is_ascii_digit());
            if glued || m.as_str().parse::<Ipv4Addr>().is_err() {
                continue;
            }
            let e = prefix_end(text, e, 32);
            out.push(Candidate::new(PhiKind::Ip, s, e, "ipv4", 0.85));
        }
        for m in self.v6.find_iter(text) {
            let s = m.start();
            let mut e = m.end();
            let mut addr = m.as_str();
            // "2001:db8::1." ends a sentence.
            while addr.ends_with('.') {
                addr = &addr[..addr.len() - 1];
                e -= 1;
            }
            if char_before(text, s).is_some_and(|c| c.is_alphanumeric() || c == ':')
                || char_at(text, e).is_some_and(|c| c.is_alphanumeric() || c == ':')
            {
                continue;
            }
            let bare = addr.split('%').next().unwrap_or("");
            if bare.parse::<Ipv6Addr>().is_err() {
                continue;
            }
            let e = prefix_end(text, e, 128);
            out.push(Candidate::new(PhiKind::Ip, s, e, "ipv6", 0.85));
        }
    }
}
