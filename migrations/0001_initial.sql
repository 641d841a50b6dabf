-- Initial schema. Migrations are append-only: never edit an applied file, add a new one.
-- Tables that are histories (messages, consent_events, status_events, templates, audit_log) refuse
-- UPDATE and DELETE through triggers, so the audit trail cannot be rewritten by a bug.

CREATE TABLE conversations (
    -- hex of the first 16 bytes of SHA-256("channel|clinic|patient"); also the Durable Object name.
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp')),
    patient_number TEXT NOT NULL,
    clinic_number TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (channel, clinic_number, patient_number)
);

CREATE TABLE messages (
    -- The Twilio MessageSid for inbound messages; "<inbound sid>-r<n>" for TwiML replies.
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    twilio_sid TEXT UNIQUE,
    account_sid TEXT,
    messaging_service_sid TEXT,
    in_reply_to TEXT REFERENCES messages (id),
    -- What produced the message: 'patient' for inbound, else the outbound producer.
    produced_by TEXT NOT NULL,
    -- AES-256-GCM: base64(nonce || ciphertext || tag) under key `key_id`; no plaintext column.
    key_id TEXT NOT NULL,
    body_ct TEXT NOT NULL,
    media_key_id TEXT,
    media_ct TEXT,
    num_media INTEGER NOT NULL DEFAULT 0,
    num_segments INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, created_at);
CREATE INDEX messages_by_reply ON messages (in_reply_to);

CREATE TABLE consent_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    clinic_number TEXT NOT NULL,
    patient_number TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('opted_in', 'opted_out')),
    keyword TEXT NOT NULL,
    -- 'body' (carrier keyword) or 'opt_out_type' (Twilio Advanced Opt-Out).
    source TEXT NOT NULL CHECK (source IN ('body', 'opt_out_type')),
    message_id TEXT NOT NULL REFERENCES messages (id),
    created_at TEXT NOT NULL
);
CREATE INDEX consent_by_number ON consent_events (channel, clinic_number, patient_number, id);

-- Every status callback as received; known_message = 0 marks SIDs to reconcile.
CREATE TABLE status_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    twilio_sid TEXT NOT NULL,
    status TEXT NOT NULL,
    error_code TEXT,
    known_message INTEGER NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX status_events_by_sid ON status_events (twilio_sid, id);

-- The current status per SID; only ever moves forward in rank (see twilio/status.rs).
CREATE TABLE message_status (
    twilio_sid TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    status_rank INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

-- Outbound text templates; a change is a new version, never an edit.
CREATE TABLE templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (name, version)
);

-- Every read or change of patient data: ids and codes only.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('create', 'read')),
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    conversation_id TEXT
);

CREATE TRIGGER messages_append_only_u BEFORE UPDATE ON messages
BEGIN SELECT RAISE(ABORT, 'messages are append-only'); END;
CREATE TRIGGER messages_append_only_d BEFORE DELETE ON messages
BEGIN SELECT RAISE(ABORT, 'messages are append-only'); END;
CREATE TRIGGER consent_append_only_u BEFORE UPDATE ON consent_events
BEGIN SELECT RAISE(ABORT, 'consent_events are append-only'); END;
CREATE TRIGGER consent_append_only_d BEFORE DELETE ON consent_events
BEGIN SELECT RAISE(ABORT, 'consent_events are append-only'); END;
CREATE TRIGGER status_events_append_only_u BEFORE UPDATE ON status_events
BEGIN SELECT RAISE(ABORT, 'status_events are append-only'); END;
CREATE TRIGGER status_events_append_only_d BEFORE DELETE ON status_events
BEGIN SELECT RAISE(ABORT, 'status_events are append-only'); END;
CREATE TRIGGER templates_versioned_u BEFORE UPDATE ON templates
BEGIN SELECT RAISE(ABORT, 'templates are versioned: insert a new version'); END;
CREATE TRIGGER templates_versioned_d BEFORE DELETE ON templates
BEGIN SELECT RAISE(ABORT, 'templates are versioned: insert a new version'); END;
CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_append_only_d BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
