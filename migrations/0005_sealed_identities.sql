-- Phone numbers leave plaintext. A conversation row keeps its id; its numbers are sealed like
-- bodies (AES-256-GCM under BODY_KEYS, `numbers_ct`) and it is found by `party_index`, an
-- HMAC-SHA-256 of channel + clinic number + patient number under IDENTITY_KEY (worker/src/
-- identity.rs). New conversations get ids derived from the same HMAC. The consent ledger is
-- keyed by conversation and keeps no number.
--
-- SQL cannot seal, so rows stored before this migration move their numbers to
-- `identity_backlog`; the Worker seals each backlog row (numbers_ct, party_index) and deletes it
-- at its first request after deploying (`store::identity::seal_backlog_once`), and a
-- conversation that receives a message first is sealed then.
--
-- `conversations` is referenced by every other table, and SQLite cannot drop a column or a
-- referenced table inside a migration's transaction without failing its foreign keys, so its
-- `patient_number` and `clinic_number` columns stay (NOT NULL, UNIQUE with the channel) and
-- hold the row's own id from now on: nothing that identifies a person. The consent ledger is
-- referenced by nothing and is rebuilt without its number columns.

-- The consent ledger first, while the old conversations table can still map numbers to ids.
CREATE TABLE consent_events_keyed (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    state TEXT NOT NULL CHECK (state IN ('opted_in', 'opted_out')),
    keyword TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('body', 'opt_out_type')),
    message_id TEXT NOT NULL REFERENCES messages (id),
    created_at TEXT NOT NULL
);
INSERT INTO consent_events_keyed (id, conversation_id, state, keyword, source, message_id, created_at)
SELECT e.id, c.id, e.state, e.keyword, e.source, e.message_id, e.created_at
FROM consent_events e
JOIN conversations c
  ON c.channel = e.channel AND c.clinic_number = e.clinic_number AND c.patient_number = e.patient_number;
DROP TABLE consent_events;
ALTER TABLE consent_events_keyed RENAME TO consent_events;
CREATE INDEX consent_by_conversation ON consent_events (conversation_id, id);
CREATE TRIGGER consent_append_only_u BEFORE UPDATE ON consent_events
BEGIN SELECT RAISE(ABORT, 'consent_events are append-only'); END;
CREATE TRIGGER consent_append_only_d BEFORE DELETE ON consent_events
BEGIN SELECT RAISE(ABORT, 'consent_events are append-only'); END;

CREATE TABLE identity_backlog (
    conversation_id TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    clinic_number TEXT NOT NULL,
    patient_number TEXT NOT NULL
);
INSERT INTO identity_backlog (conversation_id, channel, clinic_number, patient_number)
SELECT id, channel, clinic_number, patient_number FROM conversations;

-- The blind index (NULL only while the row waits in identity_backlog) and the sealed numbers:
-- JSON {"clinic": E.164, "patient": E.164}, associated data "<id>/numbers".
ALTER TABLE conversations ADD COLUMN party_index TEXT;
ALTER TABLE conversations ADD COLUMN key_id TEXT;
ALTER TABLE conversations ADD COLUMN numbers_ct TEXT;
CREATE UNIQUE INDEX conversations_by_party ON conversations (party_index);
UPDATE conversations SET patient_number = id, clinic_number = id;
