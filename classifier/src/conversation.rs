//! The conversation shape the whole pipeline shares: the contract's fixture turns.
//!
//! The last turn is the patient's message under triage; earlier turns are context, because a bare
//! "C" or "2" only means something after the clinic's reminder or offered slots.

use serde::{Deserialize, Serialize};

/// Who wrote a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Patient,
    Clinic,
}

/// How many earlier turns the core reads for context, the most recent ones: enough for a clinic
/// check-in and a couple of replies, bounded so a long thread cannot slow triage down. Callers
/// need not load more ([`Conversation::window`] is what is read).
pub const CONTEXT_TURNS: usize = 6;

/// What kind of media came with a message. The core never sees the media itself; the kind is
/// enough to know that a template cannot answer it (it has not looked at the photo).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attachment {
    Photo,
    Video,
    VoiceMemo,
    File,
}

impl Attachment {
    /// The kind of a MIME content type ("image/jpeg" is a photo); anything unrecognised is a
    /// file. Only the top-level type is read, so nothing else the sender controls matters.
    pub fn from_content_type(content_type: &str) -> Self {
        let top = content_type.split('/').next().unwrap_or("").trim();
        if top.eq_ignore_ascii_case("image") {
            Attachment::Photo
        } else if top.eq_ignore_ascii_case("audio") {
            Attachment::VoiceMemo
        } else if top.eq_ignore_ascii_case("video") {
            Attachment::Video
        } else {
            Attachment::File
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Attachment::Photo => "photo",
            Attachment::Video => "video",
            Attachment::VoiceMemo => "voice memo",
            Attachment::File => "file",
        }
    }
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    pub role: Role,
    pub text: String,
    /// The media sent with it (MMS), by kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
}

impl Turn {
    pub fn new(role: Role, text: impl Into<String>) -> Self {
        Self {
            role,
            text: text.into(),
            attachments: Vec::new(),
        }
    }
    pub fn patient(text: impl Into<String>) -> Self {
        Self::new(Role::Patient, text)
    }
    pub fn clinic(text: impl Into<String>) -> Self {
        Self::new(Role::Clinic, text)
    }
    /// The same turn, with the media that came with it.
    pub fn with_attachments(mut self, attachments: Vec<Attachment>) -> Self {
        self.attachments = attachments;
        self
    }
}

/// The turns of one conversation, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    pub turns: Vec<Turn>,
    /// Whether the patient's number is opted out, when the caller knows (the Worker's consent
    /// ledger does; a fixture does not). It decides what a bare `YES` means
    /// ([`crate::compliance::keyword_in_context`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opted_out: Option<bool>,
}

impl Conversation {
    pub fn new(turns: Vec<Turn>) -> Self {
        Self {
            turns,
            opted_out: None,
        }
    }

    /// A conversation of one patient message and no context.
    pub fn single(text: impl Into<String>) -> Self {
        Self::new(vec![Turn::patient(text)])
    }

    /// The same conversation, with the number's consent state as the caller holds it.
    pub fn with_consent(mut self, opted_out: bool) -> Self {
        self.opted_out = Some(opted_out);
        self
    }

    /// The message under triage: the last turn, when a patient wrote it.
    pub fn last_patient_text(&self) -> Option<&str> {
        match self.turns.last() {
            Some(t) if t.role == Role::Patient => Some(t.text.as_str()),
            _ => None,
        }
    }

    /// The turns triage reads: the message and at most [`CONTEXT_TURNS`] before it.
    pub fn window(&self) -> &[Turn] {
        &self.turns[self.turns.len().saturating_sub(CONTEXT_TURNS + 1)..]
    }

    /// The media sent with the message under triage.
    pub fn last_attachments(&self) -> &[Attachment] {
        match self.turns.last() {
            Some(t) if t.role == Role::Patient => &t.attachments,
            _ => &[],
        }
    }

    /// The most recent clinic turn before the message under triage, which decides what a short
    /// reply such as "C", "yes" or "2" answers.
    pub fn last_clinic_text(&self) -> Option<&str> {
        let n = self.turns.len();
        self.turns[..n.saturating_sub(1)]
            .iter()
            .rev()
            .find(|t| t.role == Role::Clinic)
            .map(|t| t.text.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_map_to_kinds_by_their_top_level_type() {
        let cases = [
            ("image/jpeg", Attachment::Photo),
            ("IMAGE/heic", Attachment::Photo),
            ("audio/amr", Attachment::VoiceMemo),
            ("video/mp4; codecs=x]", Attachment::Video),
            ("text/vcard", Attachment::File),
            ("", Attachment::File),
        ];
        for (content_type, kind) in cases {
            assert_eq!(
                Attachment::from_content_type(content_type),
                kind,
                "{content_type}"
            );
        }
    }

    #[test]
    fn only_the_patients_last_turn_has_attachments_under_triage() {
        let photo = vec![Attachment::Photo];
        let c = Conversation::new(vec![
            Turn::patient("before").with_attachments(photo.clone()),
            Turn::patient("after"),
        ]);
        assert!(c.last_attachments().is_empty());
        let c = Conversation::new(vec![Turn::patient("").with_attachments(photo.clone())]);
        assert_eq!(c.last_attachments(), photo.as_slice());
        // A turn without attachments is written in the contract's shape.
        let json = serde_json::to_string(&Turn::patient("hi")).unwrap_or_default();
        assert_eq!(json, r#"{"role":"patient","text":"hi"}"#);
    }
}
