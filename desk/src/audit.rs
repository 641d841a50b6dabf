//! The audit trail: one entry for every read or change of patient data, naming rows by id and
//! never by content. Every plan carries its entries, so the Worker writes them in the same batch
//! as the change they record; nothing outside a plan decides what is audited.

/// What was done to the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    Create,
    Read,
    /// A work row moving on (an outbox row's state, a queue row answered).
    Update,
}

impl AuditAction {
    pub const fn as_str(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::Read => "read",
            AuditAction::Update => "update",
        }
    }
}

/// Who did it: the path through the system, not a person (staff actions come later).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The inbound webhook storing a message.
    Webhook,
    /// A replayed webhook (the same MessageSid again) reading what was stored.
    WebhookReplay,
    /// Triage, inline or resumed.
    Triage,
    /// The conversation's alarm finishing pending work.
    Alarm,
    /// Twilio's status callback for a message.
    StatusCallback,
    /// The outbox sending a message or settling its outcome.
    Sender,
}

impl Actor {
    pub const fn as_str(self) -> &'static str {
        match self {
            Actor::Webhook => "twilio_webhook",
            Actor::WebhookReplay => "twilio_webhook_replay",
            Actor::Triage => "triage",
            Actor::Alarm => "alarm",
            Actor::StatusCallback => "twilio_status_callback",
            Actor::Sender => "sender",
        }
    }
}

/// The tables whose rows hold patient data or decisions about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Messages,
    ConsentEvents,
    Triage,
    StaffQueue,
    PendingWork,
    StatusEvents,
    Outbox,
    Undeliverable,
}

impl Entity {
    pub const fn as_str(self) -> &'static str {
        match self {
            Entity::Messages => "messages",
            Entity::ConsentEvents => "consent_events",
            Entity::Triage => "triage",
            Entity::StaffQueue => "staff_queue",
            Entity::PendingWork => "pending_work",
            Entity::StatusEvents => "status_events",
            Entity::Outbox => "outbox",
            Entity::Undeliverable => "undeliverable",
        }
    }
}

/// One entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub actor: Actor,
    pub action: AuditAction,
    pub entity: Entity,
    pub entity_id: String,
    /// `None` where the row is not tied to a conversation yet (a status callback).
    pub conversation_id: Option<String>,
}

impl AuditEntry {
    /// A status callback stored for a message.
    pub fn status_callback(message_sid: &str) -> Self {
        Self {
            actor: Actor::StatusCallback,
            action: AuditAction::Create,
            entity: Entity::StatusEvents,
            entity_id: message_sid.to_owned(),
            conversation_id: None,
        }
    }
}

/// A conversation's trail being written: the one place entries are made.
#[derive(Debug, Clone)]
pub struct Trail {
    actor: Actor,
    conversation_id: String,
    entries: Vec<AuditEntry>,
}

impl Trail {
    pub fn new(actor: Actor, conversation_id: &str) -> Self {
        Self {
            actor,
            conversation_id: conversation_id.to_owned(),
            entries: Vec::new(),
        }
    }

    pub fn created(&mut self, entity: Entity, id: &str) {
        self.push(AuditAction::Create, entity, id);
    }

    pub fn read(&mut self, entity: Entity, id: &str) {
        self.push(AuditAction::Read, entity, id);
    }

    pub fn updated(&mut self, entity: Entity, id: &str) {
        self.push(AuditAction::Update, entity, id);
    }

    fn push(&mut self, action: AuditAction, entity: Entity, id: &str) {
        self.entries.push(AuditEntry {
            actor: self.actor,
            action,
            entity,
            entity_id: id.to_owned(),
            conversation_id: Some(self.conversation_id.clone()),
        });
    }

    pub fn into_entries(self) -> Vec<AuditEntry> {
        self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trail_names_rows_by_id_for_its_actor_and_conversation() {
        let mut t = Trail::new(Actor::Triage, "c1");
        t.created(Entity::Triage, "SM1");
        t.read(Entity::Messages, "SM0");
        let e = t.into_entries();
        assert_eq!(e.len(), 2);
        assert!(e
            .iter()
            .all(|e| e.actor == Actor::Triage && e.conversation_id.as_deref() == Some("c1")));
        assert_eq!(
            (
                e[0].action.as_str(),
                e[0].entity.as_str(),
                e[0].entity_id.as_str()
            ),
            ("create", "triage", "SM1")
        );
        assert_eq!(
            (e[1].action.as_str(), e[1].entity.as_str()),
            ("read", "messages")
        );
    }
}
