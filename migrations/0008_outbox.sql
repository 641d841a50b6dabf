-- Replies go out: the clinic's facts (versioned), the outbox every outgoing message passes
-- through (`desk::outbox`), and what the sender's outcomes record. Append-only migrations.

-- The clinic's facts document (`clinics/example.json`, validated by `desk::clinic::validate`):
-- a change is a new version; every reply records the version it was rendered from. Not patient
-- data: the clinic's hours, prices and policies.
CREATE TABLE clinic_facts (
    version INTEGER PRIMARY KEY AUTOINCREMENT,
    -- hex SHA-256 of the document as stored, to tell versions apart at a glance.
    sha256 TEXT NOT NULL,
    document TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TRIGGER clinic_facts_versioned_u BEFORE UPDATE ON clinic_facts
BEGIN SELECT RAISE(ABORT, 'clinic_facts are versioned: insert a new version'); END;
CREATE TRIGGER clinic_facts_versioned_d BEFORE DELETE ON clinic_facts
BEGIN SELECT RAISE(ABORT, 'clinic_facts are versioned: insert a new version'); END;

-- Every outgoing message, written before any attempt (`desk::outbox`). One row per
-- (what it answers, purpose): the id is derived, so a replay or a resumed alarm cannot add a
-- second. A work table: its state moves; each move is audited.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    -- The inbound message it answers, when it answers one.
    in_reply_to TEXT REFERENCES messages (id),
    purpose TEXT NOT NULL CHECK (purpose IN
        ('auto_reply', 'help', 'urgent_safe_reply', 'approved_draft', 'reminder', 'follow_up')),
    state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'reconcile', 'accepted', 'sent',
        'delivered', 'undelivered', 'failed', 'suppressed')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- RFC 3339 UTC with milliseconds: sorts as text.
    next_at TEXT NOT NULL,
    attempt_started_at TEXT,
    twilio_sid TEXT UNIQUE,
    -- Twilio's error code of the last failure (a number, never text).
    error_code INTEGER,
    -- Index of the clinic's sender number used (0 = primary).
    sender INTEGER NOT NULL DEFAULT 0,
    unreachable_retried INTEGER NOT NULL DEFAULT 0 CHECK (unreachable_retried IN (0, 1)),
    -- Sealed like message bodies (AES-256-GCM, associated data "<id>/outbox").
    key_id TEXT NOT NULL,
    body_ct TEXT NOT NULL,
    -- What rendered it: the facts version and the template's id and version.
    facts_version INTEGER REFERENCES clinic_facts (version),
    template_id TEXT,
    template_version INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX outbox_due ON outbox (conversation_id, state, next_at);

-- Why a message that policy would have answered automatically went to a person instead (a
-- missing fact, an unknown service, a reply the linter refused): a code, never text.
ALTER TABLE staff_queue ADD COLUMN reason TEXT;

-- Numbers Twilio says cannot receive SMS (21211, 21612, 21614, 30005, 30006): keyed by the
-- conversation, so no number is stored. Nothing more is sent until a person clears it.
CREATE TABLE undeliverable (
    conversation_id TEXT PRIMARY KEY REFERENCES conversations (id),
    error_code INTEGER NOT NULL,
    created_at TEXT NOT NULL
);

-- The consent ledger learns a third source: Twilio refusing a send because the patient opted
-- out (21610) at the carrier or the Messaging Service. SQLite cannot change a CHECK in place:
-- the table is rebuilt, rows and ids kept.
CREATE TABLE consent_events_v8 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    state TEXT NOT NULL CHECK (state IN ('opted_in', 'opted_out')),
    keyword TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('body', 'opt_out_type', 'send_error')),
    message_id TEXT NOT NULL REFERENCES messages (id),
    created_at TEXT NOT NULL
);
INSERT INTO consent_events_v8 (id, conversation_id, state, keyword, source, message_id, created_at)
SELECT id, conversation_id, state, keyword, source, message_id, created_at FROM consent_events;
DROP TABLE consent_events;
ALTER TABLE consent_events_v8 RENAME TO consent_events;
CREATE INDEX consent_by_conversation ON consent_events (conversation_id, id);
CREATE TRIGGER consent_append_only_u BEFORE UPDATE ON consent_events
BEGIN SELECT RAISE(ABORT, 'consent_events are append-only'); END;
CREATE TRIGGER consent_append_only_d BEFORE DELETE ON consent_events
BEGIN SELECT RAISE(ABORT, 'consent_events are append-only'); END;

-- The audit trail learns 'update' (an outbox row's state moving) the same way.
CREATE TABLE audit_log_v8 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('create', 'read', 'update')),
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    conversation_id TEXT
);
INSERT INTO audit_log_v8 (id, at, actor, action, entity, entity_id, conversation_id)
SELECT id, at, actor, action, entity, entity_id, conversation_id FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_v8 RENAME TO audit_log;
CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_append_only_d BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
