//! PHI redaction: find the identifiers in a message and replace each with a typed placeholder.
//!
//! API fixed for the rest of the crate (implementation in this folder):
//! - [`PhiKind`]: the contract's ten kinds, serialised as the contract spells them ("NAME").
//! - [`Finding`]: one identifier found, with byte offsets into the text it was found in.
//! - [`Redactor::new`] builds every recognizer once; [`Redactor::redact_conversation`] redacts
//!   all turns of a conversation with placeholders stable across turns ([NAME_1] is the same
//!   person everywhere in it).

mod address;
mod card;
mod date;
mod email;
mod id;
mod ip;
mod name;
mod name_scripts;
mod pattern;
#[cfg(test)]
mod patterns;
mod phone;
mod span;
mod ssn;
mod to_act_on;
mod url;

/// The text of each identifier of `kind` a shared redactor finds in `text`, for the
/// recognizers' table tests.
#[cfg(test)]
fn spans_of(kind: PhiKind, text: &str) -> Vec<&str> {
    static R: std::sync::OnceLock<Redactor> = std::sync::OnceLock::new();
    R.get_or_init(Redactor::new)
        .detect(text)
        .into_iter()
        .filter(|f| f.kind == kind)
        .map(|f| &text[f.start..f.end])
        .collect()
}

pub use card::luhn_valid;
pub use ssn::ssn_valid;
pub use to_act_on::any_to_act_on;

use serde::{Deserialize, Serialize};
use span::Candidate;

/// The contract's PHI kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum PhiKind {
    Name,
    Phone,
    Email,
    Date,
    Address,
    Ssn,
    Card,
    Id,
    Url,
    Ip,
}

impl PhiKind {
    pub const ALL: &'static [PhiKind] = &[
        PhiKind::Name,
        PhiKind::Phone,
        PhiKind::Email,
        PhiKind::Date,
        PhiKind::Address,
        PhiKind::Ssn,
        PhiKind::Card,
        PhiKind::Id,
        PhiKind::Url,
        PhiKind::Ip,
    ];

    /// The contract's spelling, also the placeholder's prefix ([NAME_1]).
    pub const fn as_str(self) -> &'static str {
        match self {
            PhiKind::Name => "NAME",
            PhiKind::Phone => "PHONE",
            PhiKind::Email => "EMAIL",
            PhiKind::Date => "DATE",
            PhiKind::Address => "ADDRESS",
            PhiKind::Ssn => "SSN",
            PhiKind::Card => "CARD",
            PhiKind::Id => "ID",
            PhiKind::Url => "URL",
            PhiKind::Ip => "IP",
        }
    }

    pub fn parse(s: &str) -> Option<PhiKind> {
        PhiKind::ALL.iter().copied().find(|k| k.as_str() == s)
    }
}

/// One identifier found in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub kind: PhiKind,
    /// Byte offsets into the original text, on char boundaries, `start < end`.
    pub start: usize,
    pub end: usize,
    /// Which recognizer found it ("phone_us", "name_cue", ...), for audits and error analysis.
    pub recognizer: &'static str,
    /// Confidence in 0..=1; validators (Luhn, SSN rules) raise it, bare patterns keep it lower.
    pub score: f32,
    /// The placeholder that replaced it in the redacted text, e.g. "[NAME_1]".
    pub placeholder: String,
}

/// A text with its identifiers replaced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Redacted {
    pub text: String,
    /// Sorted by `start`, non-overlapping; offsets refer to the original text.
    pub findings: Vec<Finding>,
}

/// Every recognizer, built once and reused for every message.
pub struct Redactor {
    phone: phone::PhoneRecognizer,
    card: card::CardRecognizer,
    ssn: ssn::SsnRecognizer,
    email: email::EmailRecognizer,
    url: url::UrlRecognizer,
    ip: ip::IpRecognizer,
    date: date::DateRecognizer,
    address: address::AddressRecognizer,
    id: id::IdRecognizer,
    name: name::NameRecognizer,
    name_scripts: name_scripts::ScriptNameRecognizer,
    placeholder: pattern::Pattern,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactor").finish_non_exhaustive()
    }
}

impl Default for Redactor {
    fn default() -> Self {
        Self::new()
    }
}

impl Redactor {
    /// Compiles every pattern and loads the name lists (bundled with `include_str!`).
    pub fn new() -> Self {
        Self {
            phone: phone::PhoneRecognizer::new(),
            card: card::CardRecognizer::new(),
            ssn: ssn::SsnRecognizer::new(),
            email: email::EmailRecognizer::new(),
            url: url::UrlRecognizer::new(),
            ip: ip::IpRecognizer::new(),
            date: date::DateRecognizer::new(),
            address: address::AddressRecognizer::new(),
            id: id::IdRecognizer::new(),
            name: name::NameRecognizer::new(),
            name_scripts: name_scripts::ScriptNameRecognizer::new(),
            placeholder: pattern::Pattern::load(&pattern::compiled::PLACEHOLDER),
        }
    }

    /// Redacts one text on its own.
    pub fn redact(&self, text: &str) -> Redacted {
        self.redact_conversation(&[text]).pop().unwrap_or(Redacted {
            text: String::new(),
            findings: Vec::new(),
        })
    }

    /// Every candidate of every recognizer in `text`, overlaps resolved, sorted by start, with
    /// no placeholder left by an earlier redaction touched (so redaction is idempotent).
    pub fn detect(&self, text: &str) -> Vec<Finding> {
        self.resolve(text, self.candidates(text))
            .into_iter()
            .map(|c| Finding {
                kind: c.kind,
                start: c.start,
                end: c.end,
                recognizer: c.recognizer,
                score: c.score,
                placeholder: String::new(),
            })
            .collect()
    }

    fn candidates(&self, text: &str) -> Vec<Candidate> {
        let mut out = Vec::new();
        // Cheap gates: most messages hold no digit, "@" or ".", and skip most recognizers.
        // Arabic-Indic digits count: dates and numbers are written with them too.
        let has_digit = text.bytes().any(|b| b.is_ascii_digit())
            || (!text.is_ascii()
                && text
                    .chars()
                    .any(|c| crate::text::arabic_indic_digit(c).is_some()));
        if has_digit {
            self.phone.find(text, &mut out);
            self.card.find(text, &mut out);
            self.ssn.find(text, &mut out);
            self.ip.find(text, &mut out);
            self.date.find(text, &mut out);
            self.address.find(text, &mut out);
            self.id.find(text, &mut out);
        } else if text.contains("::") {
            self.ip.find(text, &mut out);
        }
        if text.contains('@') {
            self.email.find(text, &mut out);
        }
        if text.contains('.') {
            self.url.find(text, &mut out);
        }
        // Words inside an email, URL or IP are not names ("jane" in jane@x.com).
        let inside: Vec<(usize, usize)> = out
            .iter()
            .filter(|c| matches!(c.kind, PhiKind::Email | PhiKind::Url | PhiKind::Ip))
            .map(|c| (c.start, c.end))
            .collect();
        self.name.find(text, &inside, &mut out);
        if !text.is_ascii() {
            self.name_scripts.find(text, &mut out);
        }
        out
    }

    /// Keeps the best of overlapping candidates: higher score first, then the longer span, then
    /// the earlier one. Candidates touching a placeholder are dropped.
    fn resolve(&self, text: &str, mut cands: Vec<Candidate>) -> Vec<Candidate> {
        let masked: Vec<(usize, usize)> = self
            .placeholder
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect();
        cands.retain(|c| {
            c.start < c.end
                && text.is_char_boundary(c.start)
                && text.is_char_boundary(c.end)
                && !masked.iter().any(|&(s, e)| c.overlaps(s, e))
        });
        cands.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(b.len().cmp(&a.len()))
                .then(a.start.cmp(&b.start))
        });
        let mut kept: Vec<Candidate> = Vec::with_capacity(cands.len());
        for c in cands {
            if !kept.iter().any(|k| k.overlaps(c.start, c.end)) {
                kept.push(c);
            }
        }
        kept.sort_by_key(|c| c.start);
        kept
    }

    /// Redacts every turn with placeholders numbered across the whole conversation.
    ///
    /// An identifier found in one turn is also looked for, as a whole word, in every other turn
    /// ("Dr. Lee" named in the clinic's reminder is redacted where the patient writes "Lee"s
    /// full name again), and the same identifier gets the same placeholder everywhere: names
    /// compare case-insensitively, phone numbers by their digits.
    pub fn redact_conversation(&self, turns: &[&str]) -> Vec<Redacted> {
        let mut per_turn: Vec<Vec<Candidate>> = turns.iter().map(|t| self.candidates(t)).collect();
        // Identifiers seen anywhere in the conversation, to find their repeats.
        let mut seen: Vec<(PhiKind, String)> = Vec::new();
        for (t, cands) in turns.iter().zip(&per_turn) {
            for c in self.resolve(t, cands.clone()) {
                let s = t[c.start..c.end].to_ascii_lowercase();
                if s.chars().count() >= 3 && !seen.iter().any(|(k, x)| *k == c.kind && *x == s) {
                    seen.push((c.kind, s));
                }
            }
        }
        for (t, cands) in turns.iter().zip(per_turn.iter_mut()) {
            repeats(t, &seen, cands);
        }

        let mut numbers: std::collections::HashMap<(PhiKind, String), usize> =
            std::collections::HashMap::new();
        let mut counters: std::collections::HashMap<PhiKind, usize> =
            std::collections::HashMap::new();
        let mut out = Vec::with_capacity(turns.len());
        for (t, cands) in turns.iter().zip(per_turn) {
            let kept = self.resolve(t, cands);
            let mut text = String::with_capacity(t.len());
            let mut findings = Vec::with_capacity(kept.len());
            let mut last = 0;
            for c in kept {
                let key = (c.kind, identity_key(c.kind, &t[c.start..c.end]));
                let next = counters.get(&c.kind).copied().unwrap_or(0) + 1;
                let n = *numbers.entry(key).or_insert_with(|| {
                    counters.insert(c.kind, next);
                    next
                });
                let placeholder = format!("[{}_{}]", c.kind.as_str(), n);
                text.push_str(&t[last..c.start]);
                text.push_str(&placeholder);
                last = c.end;
                findings.push(Finding {
                    kind: c.kind,
                    start: c.start,
                    end: c.end,
                    recognizer: c.recognizer,
                    score: c.score,
                    placeholder,
                });
            }
            text.push_str(&t[last..]);
            out.push(Redacted { text, findings });
        }
        out
    }
}

/// Parses the rest of a placeholder, `KIND_N]`, at the start of `s` (the text after its `[`, as
/// the redactor writes them: "[PHONE_2]"), returning the kind and the bytes consumed.
pub fn placeholder_at(s: &str) -> Option<(&str, usize)> {
    let underscore = s.find('_')?;
    let kind = &s[..underscore];
    if kind.is_empty() || !kind.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let digits = s[underscore + 1..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    let close = underscore + 1 + digits;
    (digits > 0 && s.as_bytes().get(close) == Some(&b']')).then_some((kind, close + 1))
}

/// What makes two mentions the same identifier: names and words case-insensitively with
/// titles' dots and spacing ignored, numbers (phone, card, SSN, ID) by their digits, a US phone
/// without its leading country code 1.
pub fn identity_key(kind: PhiKind, s: &str) -> String {
    match kind {
        PhiKind::Phone | PhiKind::Card | PhiKind::Ssn => {
            let d: String = s.chars().filter(char::is_ascii_digit).collect();
            match kind {
                PhiKind::Phone if d.len() == 11 && d.starts_with('1') => d[1..].to_owned(),
                _ => d,
            }
        }
        _ => s
            .split(|c: char| c.is_whitespace() || c == '.' || c == ',')
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// Adds, as candidates, the whole-word repeats in `text` of identifiers found anywhere in the
/// conversation, so an identifier never stays in clear text next to its own placeholder.
fn repeats(text: &str, seen: &[(PhiKind, String)], out: &mut Vec<Candidate>) {
    if seen.is_empty() {
        return;
    }
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    for (kind, s) in seen {
        let mut from = 0;
        while let Some(pos) = lower.get(from..).and_then(|h| h.find(s.as_str())) {
            let st = from + pos;
            let en = st + s.len();
            let left = st == 0 || !bytes[st - 1].is_ascii_alphanumeric();
            let right = en >= bytes.len() || !bytes[en].is_ascii_alphanumeric();
            if left && right && text.is_char_boundary(st) && text.is_char_boundary(en) {
                out.push(Candidate::new(*kind, st, en, "repeat", 0.7));
            }
            from = span::ceil_boundary(&lower, st + 1);
            if from >= lower.len() {
                break;
            }
        }
    }
}
