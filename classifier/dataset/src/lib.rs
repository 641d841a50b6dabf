//! Fixture conversations: the contract's JSON Lines format, parsed and validated.
//!
//! Pure (no I/O): callers read the files and hand the text in, so the same checks run in the eval
//! CLI, the trainer and tests. Validation is strict about the fields the contract names, because a
//! mislabelled fixture silently corrupts every metric computed from it, and lenient about extra
//! fields (writers keep notes there); extra fields are reported as warnings in case they are typos
//! of a known field ("tag" for "tags").
//!
//! Errors name the source and line ("fixtures/authors/a.jsonl:12: ...") and say what to fix.

use classifier::phi::{PhiKind, Redactor};
use classifier::{Conversation, Intent, Role, Turn};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

/// The intents whose messages may get an automatic reply (LABELLING.md, "auto_ok"). A fixture
/// labelled `auto_ok: true` with any other intent contradicts the guide.
pub const AUTO_OK_INTENTS: &[Intent] = &[
    Intent::AppointmentConfirm,
    Intent::AppointmentStatus,
    Intent::RunningLate,
    Intent::HoursLocation,
    Intent::Greeting,
    Intent::Pricing,
    Intent::TreatmentInfo,
    Intent::PreCare,
    Intent::Aftercare,
    Intent::OptOut,
    Intent::OptIn,
    Intent::Help,
    // Standard-answer FAQs a clinic answers from its own facts: thanks, wrong numbers, simple
    // promotion, membership-policy, financing and payment-method questions, product availability.
    Intent::Feedback,
    Intent::WrongNumber,
    Intent::Promotions,
    Intent::Membership,
    Intent::Billing,
    Intent::Products,
];

/// The slice tags of LABELLING.md; `lang:<tag>` is accepted too. Others only warn, so a new slice
/// can be tried before the guide names it, while a typo ("hard_negatives") is still noticed.
pub const KNOWN_TAGS: &[&str] = &[
    "urgent",
    "hard_negative",
    "boundary",
    "context",
    "spanglish",
    "phi",
    "adversarial",
    "medical_advice",
    "multi_intent",
    "typo",
    "short",
    "long",
    "emoji",
    "out_of_scope",
    "keyword",
    "indirect_self_harm",
    "third_party",
    "late",
    "suitability",
    "faq",
    "clinc150",
];

/// One identifier the last turn contains, as the writer listed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpectedPhi {
    pub kind: PhiKind,
    /// A verbatim substring of the last turn.
    pub text: String,
}

/// The labels of a fixture's last turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expect {
    pub intent: Intent,
    pub urgent: bool,
    pub auto_ok: bool,
    pub phi: Vec<ExpectedPhi>,
}

/// One validated fixture conversation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fixture {
    pub id: String,
    pub lang: String,
    pub tags: Vec<String>,
    pub turns: Vec<Turn>,
    pub expect: Expect,
    /// Top-level fields the contract does not name, kept so rewriting a fixture (the split) does
    /// not lose a writer's notes.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Fixture {
    /// The turns as the triage API takes them.
    pub fn conversation(&self) -> Conversation {
        Conversation::new(self.turns.clone())
    }

    /// The message under test; validation guarantees a last turn written by the patient.
    pub fn last_text(&self) -> &str {
        self.turns.last().map(|t| t.text.as_str()).unwrap_or("")
    }

    /// Byte ranges of every occurrence of every listed PHI string in the last turn, sorted. A
    /// string listed once counts wherever it occurs ("List every occurrence-string once").
    pub fn expected_phi_spans(&self) -> Vec<Range<usize>> {
        phi_spans(
            self.last_text(),
            self.expect.phi.iter().map(|p| p.text.as_str()),
        )
    }

    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }
}

/// Byte ranges of every occurrence of each of `needles` in `text`, sorted by start.
pub fn phi_spans<'a>(text: &str, needles: impl Iterator<Item = &'a str>) -> Vec<Range<usize>> {
    let mut spans: Vec<Range<usize>> = needles
        .filter(|n| !n.is_empty())
        .flat_map(|n| text.match_indices(n).map(|(i, m)| i..i + m.len()))
        .collect();
    spans.sort_by_key(|r| (r.start, r.end));
    spans
}

/// What is wrong with one fixture line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("not a valid fixture object: {0}; each line must be one JSON object as in TRIAGE-CONTRACT.md")]
    Json(String),
    #[error("`id` is empty: give every conversation a unique, non-empty id")]
    EmptyId,
    #[error(
        "duplicate id {id:?} (first used at {first}): ids must be unique across the fixture set"
    )]
    DuplicateId { id: String, first: String },
    #[error("`lang` {0:?} is not a BCP-47 tag: use e.g. \"en\", \"es\", \"pt-BR\"")]
    BadLang(String),
    #[error("`turns` is empty: give at least the patient's message as the last turn")]
    NoTurns,
    #[error("turn {turn} has role {role:?}: use \"patient\" or \"clinic\"")]
    UnknownRole { turn: usize, role: String },
    #[error("turn {0} has empty text: remove the turn or write its message")]
    EmptyText(usize),
    #[error("the last turn is the clinic's: the patient's message under test must come last")]
    LastTurnNotPatient,
    #[error("unknown intent {0:?}: use one of the 28 names in TRIAGE-CONTRACT.md (e.g. appointment_book)")]
    UnknownIntent(String),
    #[error("unknown PHI kind {0:?}: use one of NAME, PHONE, EMAIL, DATE, ADDRESS, SSN, CARD, ID, URL, IP")]
    UnknownPhiKind(String),
    #[error("a {0} entry of expect.phi has empty text: list the identifier as written, or remove the entry")]
    EmptyPhiText(String),
    #[error("expect.phi lists {text:?} ({kind}), which is not a verbatim substring of the last turn: copy it exactly as written there")]
    PhiNotInText { kind: String, text: String },
    #[error("this conversation has the same content as test fixture {test_id:?} ({at}): it must not be in train or dev; rerun `evals split`")]
    LeakedFromTest { test_id: String, at: String },
}

/// A label that the contract allows but our writers' guide (`fixtures/LABELLING.md`) would not
/// give. Another clinic's writers may follow other conventions (thanks as `auto_ok`, an urgent
/// flag on a side effect): their files are still scored, and each departure is counted as a
/// warning so a reader knows the figures rest on other labels.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Departure {
    #[error("expect.urgent is {urgent} but intent is {intent}: LABELLING.md makes urgent true exactly when the intent is emergency")]
    UrgentMismatch { urgent: bool, intent: String },
    #[error("expect.auto_ok is true for intent {0}: LABELLING.md gives auto_ok only to standard-answer intents")]
    AutoOkNotAllowed(String),
    #[error("expect.phi lists {0:?} twice: LABELLING.md lists every occurrence-string once")]
    DuplicatePhi(String),
    #[error("tag {0:?} is not in LABELLING.md's slice list")]
    UnknownTag(String),
}

/// What a valid line may still deserve a look for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// A label other than our guide would give (scored as written).
    Departure(Departure),
    /// Anything else worth a look (an unknown field, a PHI-looking string not listed).
    Note(String),
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Departure(d) => write!(f, "departure from LABELLING.md: {d}"),
            Self::Note(n) => f.write_str(n),
        }
    }
}

/// A problem located at a line of a source file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {problem}")]
pub struct FixtureError {
    /// The file (or other source) name, as the caller gave it.
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    pub problem: Problem,
}

/// Something worth a look that does not make the fixture invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureWarning {
    pub file: String,
    pub line: usize,
    pub id: String,
    pub message: String,
    /// A departure from the writers' guide rather than a note.
    pub departure: bool,
}

impl fmt::Display for FixtureWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: warning ({}): {}",
            self.file, self.line, self.id, self.message
        )
    }
}

/// A validated fixture with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub file: String,
    pub line: usize,
    pub fixture: Fixture,
}

impl Located {
    pub fn location(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

/// The wire shape, with strings where the contract has closed sets, so each wrong value gets its
/// own message instead of serde's generic "unknown variant".
#[derive(Deserialize)]
struct RawFixture {
    id: String,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    turns: Vec<RawTurn>,
    expect: RawExpect,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

#[derive(Deserialize)]
struct RawTurn {
    role: String,
    text: String,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

/// `phi` is required: an absent list would be indistinguishable from "this message has no PHI"
/// and a forgotten label would then count every redaction as over-redaction.
#[derive(Deserialize)]
struct RawExpect {
    intent: String,
    urgent: bool,
    auto_ok: bool,
    phi: Vec<RawPhi>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

#[derive(Deserialize)]
struct RawPhi {
    kind: String,
    text: String,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

/// serde_json appends " at line 1 column N"; every fixture is one line, so keep only the column.
fn json_problem(err: &serde_json::Error) -> Problem {
    let full = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    let msg = full.strip_suffix(&suffix).unwrap_or(&full);
    if err.column() > 0 {
        Problem::Json(format!("{msg} (column {})", err.column()))
    } else {
        Problem::Json(msg.to_owned())
    }
}

/// A BCP-47 shape check: a 2-3 (or 4-8) letter language subtag, then 1-8 alphanumeric subtags.
fn is_bcp47(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let lang_ok = parts
        .next()
        .is_some_and(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    lang_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn unknown_field_warnings(what: &str, extra: &Map<String, Value>, out: &mut Vec<Warning>) {
    for key in extra.keys() {
        out.push(Warning::Note(format!(
            "unknown field `{what}{key}` ignored (a typo of a contract field?)"
        )));
    }
}

/// Parses and validates one line. Returns every problem found on the line, not only the first,
/// so one pass over a file shows a writer everything to fix. Problems are violations of the
/// contract (the file cannot be scored honestly); warnings include departures from our guide.
pub fn parse_line(line: &str) -> Result<(Fixture, Vec<Warning>), Vec<Problem>> {
    let raw: RawFixture = serde_json::from_str(line).map_err(|e| vec![json_problem(&e)])?;
    let mut problems = Vec::new();
    let mut warnings = Vec::new();

    if raw.id.trim().is_empty() {
        problems.push(Problem::EmptyId);
    }
    let lang = raw.lang.unwrap_or_else(|| "en".to_owned());
    if !is_bcp47(&lang) {
        problems.push(Problem::BadLang(lang.clone()));
    }
    for tag in &raw.tags {
        if !KNOWN_TAGS.contains(&tag.as_str()) && !tag.starts_with("lang:") {
            warnings.push(Warning::Departure(Departure::UnknownTag(tag.clone())));
        }
    }
    unknown_field_warnings("", &raw.extra, &mut warnings);

    let mut turns = Vec::with_capacity(raw.turns.len());
    if raw.turns.is_empty() {
        problems.push(Problem::NoTurns);
    }
    for (i, t) in raw.turns.iter().enumerate() {
        let n = i + 1;
        let role = match t.role.as_str() {
            "patient" => Some(Role::Patient),
            "clinic" => Some(Role::Clinic),
            other => {
                problems.push(Problem::UnknownRole {
                    turn: n,
                    role: other.to_owned(),
                });
                None
            }
        };
        if t.text.trim().is_empty() {
            problems.push(Problem::EmptyText(n));
        }
        unknown_field_warnings(&format!("turns[{i}]."), &t.extra, &mut warnings);
        if let Some(role) = role {
            turns.push(Turn::new(role, t.text.clone()));
        }
    }
    if raw.turns.last().is_some_and(|t| t.role == "clinic") {
        problems.push(Problem::LastTurnNotPatient);
    }
    let last_text = raw.turns.last().map(|t| t.text.as_str()).unwrap_or("");

    let intent = match raw.expect.intent.parse::<Intent>() {
        Ok(i) => Some(i),
        Err(_) => {
            problems.push(Problem::UnknownIntent(raw.expect.intent.clone()));
            None
        }
    };
    unknown_field_warnings("expect.", &raw.expect.extra, &mut warnings);
    let mut phi = Vec::with_capacity(raw.expect.phi.len());
    for (i, p) in raw.expect.phi.iter().enumerate() {
        unknown_field_warnings(&format!("expect.phi[{i}]."), &p.extra, &mut warnings);
        let kind = PhiKind::parse(&p.kind);
        if kind.is_none() {
            problems.push(Problem::UnknownPhiKind(p.kind.clone()));
        }
        if p.text.is_empty() {
            problems.push(Problem::EmptyPhiText(p.kind.clone()));
        } else if !last_text.contains(p.text.as_str()) {
            problems.push(Problem::PhiNotInText {
                kind: p.kind.clone(),
                text: p.text.clone(),
            });
        }
        if raw.expect.phi[..i].iter().any(|q| q.text == p.text) && !p.text.is_empty() {
            warnings.push(Warning::Departure(Departure::DuplicatePhi(p.text.clone())));
        }
        if let Some(kind) = kind {
            phi.push(ExpectedPhi {
                kind,
                text: p.text.clone(),
            });
        }
    }
    if let Some(intent) = intent {
        if raw.expect.urgent != (intent == Intent::Emergency) {
            warnings.push(Warning::Departure(Departure::UrgentMismatch {
                urgent: raw.expect.urgent,
                intent: intent.as_str().to_owned(),
            }));
        }
        if raw.expect.auto_ok && !AUTO_OK_INTENTS.contains(&intent) {
            warnings.push(Warning::Departure(Departure::AutoOkNotAllowed(
                intent.as_str().to_owned(),
            )));
        }
    }

    match intent {
        Some(intent) if problems.is_empty() => Ok((
            Fixture {
                id: raw.id,
                lang,
                tags: raw.tags,
                turns,
                expect: Expect {
                    intent,
                    urgent: raw.expect.urgent,
                    auto_ok: raw.expect.auto_ok,
                    phi,
                },
                extra: raw.extra,
            },
            warnings,
        )),
        _ => Err(problems),
    }
}

/// A set of fixture files whose ids must be unique across all of them.
#[derive(Debug, Default)]
pub struct FixtureSet {
    pub fixtures: Vec<Located>,
    pub errors: Vec<FixtureError>,
    pub warnings: Vec<FixtureWarning>,
    first_seen: HashMap<String, String>,
}

impl FixtureSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses every non-blank line of `text`, naming `source` in errors and warnings.
    pub fn add_source(&mut self, source: &str, text: &str) {
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            if line.trim().is_empty() {
                continue;
            }
            match parse_line(line) {
                Ok((fixture, warnings)) => {
                    for w in warnings {
                        self.warnings.push(FixtureWarning {
                            file: source.to_owned(),
                            line: n,
                            id: fixture.id.clone(),
                            departure: matches!(w, Warning::Departure(_)),
                            message: w.to_string(),
                        });
                    }
                    let here = format!("{source}:{n}");
                    if let Some(first) = self.first_seen.get(&fixture.id) {
                        self.errors.push(FixtureError {
                            file: source.to_owned(),
                            line: n,
                            problem: Problem::DuplicateId {
                                id: fixture.id.clone(),
                                first: first.clone(),
                            },
                        });
                        continue;
                    }
                    self.first_seen.insert(fixture.id.clone(), here);
                    self.fixtures.push(Located {
                        file: source.to_owned(),
                        line: n,
                        fixture,
                    });
                }
                Err(problems) => {
                    self.errors
                        .extend(problems.into_iter().map(|problem| FixtureError {
                            file: source.to_owned(),
                            line: n,
                            problem,
                        }))
                }
            }
        }
    }

    /// Flags PHI-looking strings of each last turn that `expect.phi` does not list, as
    /// warnings: the redactor may be wrong, but a writer who forgot a label skews both PHI recall
    /// and over-redaction, so each one deserves a look.
    pub fn lint_unlisted_phi(&mut self, redactor: &Redactor) {
        for loc in &self.fixtures {
            for message in unlisted_phi(&loc.fixture, redactor) {
                self.warnings.push(FixtureWarning {
                    file: loc.file.clone(),
                    line: loc.line,
                    id: loc.fixture.id.clone(),
                    message,
                    departure: false,
                });
            }
        }
    }
}

/// The redactor's findings in the last turn that overlap no listed PHI occurrence, as messages.
pub fn unlisted_phi(fixture: &Fixture, redactor: &Redactor) -> Vec<String> {
    let text = fixture.last_text();
    let listed = fixture.expected_phi_spans();
    redactor
        .redact(text)
        .findings
        .iter()
        .filter(|f| !listed.iter().any(|r| r.start < f.end && f.start < r.end))
        .map(|f| {
            let found = text.get(f.start..f.end).unwrap_or("?");
            format!(
                "the redactor finds {} {found:?} ({}) that expect.phi does not list: add it, or ignore if it is not PHI",
                f.kind.as_str(),
                f.recognizer
            )
        })
        .collect()
}

/// A stable fingerprint of a conversation's content (roles and texts, ids and labels excluded),
/// used to keep the test split's conversations out of training under another id. Texts are
/// normalised (case, surrounding and repeated whitespace) so trivial copies match too.
pub fn content_hash(fixture: &Fixture) -> String {
    let mut hasher = Sha256::new();
    for turn in &fixture.turns {
        let role = match turn.role {
            Role::Patient => "patient",
            Role::Clinic => "clinic",
        };
        let text = turn
            .text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        hasher.update(role.as_bytes());
        hasher.update([0x1f]);
        hasher.update(text.as_bytes());
        hasher.update([0x1e]);
    }
    hex::encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"id":"a-1","tags":["phi"],"turns":[{"role":"clinic","text":"Reminder: Botox tomorrow 2pm. Reply C to confirm."},{"role":"patient","text":"C - thanks, Maria Lopez"}],"expect":{"intent":"appointment_confirm","urgent":false,"auto_ok":true,"phi":[{"kind":"NAME","text":"Maria Lopez"}]}}"#;

    fn problems(line: &str) -> Vec<Problem> {
        parse_line(line).err().unwrap_or_default()
    }

    #[test]
    fn a_good_line_parses_with_defaults() {
        let (f, warnings) = parse_line(GOOD).map_err(|p| format!("{p:?}")).unwrap();
        assert_eq!(f.lang, "en");
        assert_eq!(f.expect.intent, Intent::AppointmentConfirm);
        assert_eq!(f.expect.phi[0].kind, PhiKind::Name);
        assert_eq!(f.last_text(), "C - thanks, Maria Lopez");
        assert!(warnings.is_empty());
    }

    #[test]
    fn extra_fields_are_kept_and_warned_about() {
        let line = GOOD.replacen("{\"id\"", "{\"note\":\"x\",\"id\"", 1);
        let (f, warnings) = parse_line(&line).map_err(|p| format!("{p:?}")).unwrap();
        assert_eq!(f.extra.get("note"), Some(&Value::from("x")));
        assert_eq!(warnings.len(), 1);
        let json = serde_json::to_string(&f).unwrap_or_default();
        assert!(json.contains("\"note\":\"x\""), "{json}");
    }

    #[test]
    fn bad_labels_are_each_named() {
        let line = GOOD
            .replace("appointment_confirm", "confirm")
            .replace("\"NAME\"", "\"PERSON\"");
        let p = problems(&line);
        assert!(
            p.contains(&Problem::UnknownIntent("confirm".into())),
            "{p:?}"
        );
        assert!(
            p.contains(&Problem::UnknownPhiKind("PERSON".into())),
            "{p:?}"
        );

        let p = problems(&GOOD.replace("\"text\":\"Maria Lopez\"", "\"text\":\"Maria  Lopez\""));
        assert!(matches!(p[0], Problem::PhiNotInText { .. }), "{p:?}");

        let p = problems(&GOOD.replace("\"role\":\"patient\"", "\"role\":\"clinic\""));
        assert!(p.contains(&Problem::LastTurnNotPatient), "{p:?}");

        let p = problems(&GOOD.replace("\"urgent\":false", "\"urgent\":\"no\""));
        assert!(
            matches!(&p[0], Problem::Json(m) if m.contains("column")),
            "{p:?}"
        );

        let p = problems(&GOOD.replace(
            ",\"phi\":[{\"kind\":\"NAME\",\"text\":\"Maria Lopez\"}]",
            "",
        ));
        assert!(
            matches!(&p[0], Problem::Json(m) if m.contains("phi")),
            "{p:?}"
        );
    }

    /// Another clinic's conventions are the contract's too: an urgent flag on a non-emergency,
    /// `auto_ok` on thanks, a PHI string listed twice, an unknown tag. Each is scored, with a
    /// departure warning; only contract violations are errors.
    #[test]
    fn other_labelling_conventions_are_departures_not_errors() {
        let other = GOOD
            .replace("\"urgent\":false", "\"urgent\":true")
            .replace("\"tags\":[\"phi\"]", "\"tags\":[\"phi\",\"vip\"]")
            .replace(
                "[{\"kind\":\"NAME\",\"text\":\"Maria Lopez\"}]",
                "[{\"kind\":\"NAME\",\"text\":\"Maria Lopez\"},{\"kind\":\"NAME\",\"text\":\"Maria Lopez\"}]",
            );
        let (f, warnings) = parse_line(&other).map_err(|p| format!("{p:?}")).unwrap();
        assert!(f.expect.urgent);
        let departures: Vec<&Warning> = warnings
            .iter()
            .filter(|w| matches!(w, Warning::Departure(_)))
            .collect();
        assert_eq!(departures.len(), 3, "{warnings:?}");
        assert!(
            warnings.contains(&Warning::Departure(Departure::UrgentMismatch {
                urgent: true,
                intent: "appointment_confirm".into()
            }))
        );
        assert!(warnings.contains(&Warning::Departure(Departure::UnknownTag("vip".into()))));

        let thanks = GOOD.replace("appointment_confirm", "other");
        let (_, warnings) = parse_line(&thanks).map_err(|p| format!("{p:?}")).unwrap();
        assert_eq!(
            warnings,
            vec![Warning::Departure(Departure::AutoOkNotAllowed(
                "other".into()
            ))]
        );

        let mut set = FixtureSet::new();
        set.add_source("other.jsonl", &other);
        assert!(set.errors.is_empty());
        assert_eq!(set.warnings.iter().filter(|w| w.departure).count(), 3);
    }

    #[test]
    fn errors_name_source_and_line_and_duplicates_span_files() {
        let mut set = FixtureSet::new();
        set.add_source("a.jsonl", &format!("{GOOD}\n\n{{oops\n"));
        set.add_source("b.jsonl", GOOD);
        let msgs: Vec<String> = set.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(set.fixtures.len(), 1);
        assert!(
            msgs[0].starts_with("a.jsonl:3: not a valid fixture object"),
            "{msgs:?}"
        );
        assert!(
            msgs[1].starts_with("b.jsonl:1: duplicate id \"a-1\" (first used at a.jsonl:1)"),
            "{msgs:?}"
        );
    }

    #[test]
    fn content_hash_ignores_ids_case_and_spacing() {
        let (a, _) = parse_line(GOOD).map_err(|p| format!("{p:?}")).unwrap();
        let mut b = a.clone();
        b.id = "other".into();
        if let Some(t) = b.turns.last_mut() {
            t.text = "c -  Thanks, maria lopez ".into();
        }
        assert_eq!(content_hash(&a), content_hash(&b));
        if let Some(t) = b.turns.last_mut() {
            t.text = "R".into();
        }
        assert_ne!(content_hash(&a), content_hash(&b));
        assert_eq!(content_hash(&a).len(), 64);
    }

    #[test]
    fn phi_spans_cover_every_occurrence() {
        let spans = phi_spans("Ana and Ana, é Ana", ["Ana"].into_iter());
        assert_eq!(spans, vec![0..3, 8..11, 16..19]);
    }
}
