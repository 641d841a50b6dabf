-- Triage of inbound messages and the staff queue (the Worker runs the classifier after the
-- message is stored; see worker/src/triage.rs). Append-only migrations: never edit this file.

-- One verdict per inbound message, written once (a replayed MessageSid finds it and stops).
-- Keyword messages (STOP, START, HELP, ...) are handled by the consent ledger and have no row.
CREATE TABLE triage (
    message_id TEXT PRIMARY KEY REFERENCES messages (id),
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    -- NULL when triage ran; else why it could not ('triage_build_failed', ...): such a message is
    -- escalated to staff with no intent.
    error_code TEXT,
    -- The redacted text, the only form of the message staff screens or an LLM may see. Still
    -- encrypted like bodies (AES-256-GCM, associated data "<message_id>/redacted"): without the
    -- identifiers it is still a patient's health question, linked to a number by conversation_id.
    key_id TEXT,
    redacted_ct TEXT,
    -- JSON [{kind, start, end, recognizer}]: what was redacted and where, never the text.
    phi TEXT NOT NULL DEFAULT '[]',
    intent TEXT,
    confidence REAL,
    -- JSON [{intent, probability}], most probable first.
    top3 TEXT NOT NULL DEFAULT '[]',
    urgent INTEGER NOT NULL CHECK (urgent IN (0, 1)),
    urgency_source TEXT CHECK (urgency_source IN ('phrase', 'rule', 'model')),
    -- JSON [{sign, source, pattern}]: the lexicon's canonical pattern names, not message text.
    urgency_matches TEXT NOT NULL DEFAULT '[]',
    model_emergency_p REAL,
    action TEXT NOT NULL CHECK (action IN ('auto_reply', 'draft', 'escalate', 'urgent', 'compliance')),
    -- JSON [{code, detail}] from the policy.
    reasons TEXT NOT NULL DEFAULT '[]',
    model_version TEXT NOT NULL,
    policy_version INTEGER,
    triage_ms REAL,
    created_at TEXT NOT NULL
);
CREATE INDEX triage_by_conversation ON triage (conversation_id, created_at);

-- What staff must look at, urgent first: one row per triaged message (priority 0 urgent,
-- 1 escalate, 2 draft, 3 auto_reply: automatic replies are not sent yet, so a person answers).
-- A work queue, not a history: later work moves `state`; the verdict itself stays in `triage`.
CREATE TABLE staff_queue (
    message_id TEXT PRIMARY KEY REFERENCES messages (id),
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 3),
    action TEXT NOT NULL,
    -- 1 when the patient was sent the urgent safe reply; 0 when none was due or the consent gate
    -- refused it (an opted-out number: staff must call).
    patient_replied INTEGER NOT NULL CHECK (patient_replied IN (0, 1)),
    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'claimed', 'done')),
    created_at TEXT NOT NULL
);
CREATE INDEX staff_queue_order ON staff_queue (state, priority, created_at);

CREATE TRIGGER triage_append_only_u BEFORE UPDATE ON triage
BEGIN SELECT RAISE(ABORT, 'triage is append-only'); END;
CREATE TRIGGER triage_append_only_d BEFORE DELETE ON triage
BEGIN SELECT RAISE(ABORT, 'triage is append-only'); END;
CREATE TRIGGER staff_queue_no_delete BEFORE DELETE ON staff_queue
BEGIN SELECT RAISE(ABORT, 'staff_queue rows are closed, not deleted'); END;
