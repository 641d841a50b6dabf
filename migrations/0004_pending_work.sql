-- Work a stored message still needs, written in the same batch as the message: Twilio does not
-- retry a webhook answered with 5xx, so the conversation's Durable Object finishes it from its
-- alarm (`desk::pending`). A row exists exactly while the work is unfinished: the batch that
-- records the verdict deletes it.
CREATE TABLE pending_work (
    message_id TEXT PRIMARY KEY REFERENCES messages (id),
    conversation_id TEXT NOT NULL REFERENCES conversations (id),
    kind TEXT NOT NULL CHECK (kind IN ('triage')),
    -- RFC 3339 UTC with milliseconds: sorts as text.
    due_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- The last failure's code (never message text).
    last_error TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX pending_by_conversation ON pending_work (conversation_id, due_at);

-- Messages stored before this migration without a verdict: inbound, not triaged, no consent
-- change and no HELP answer (keywords are never triaged). Their conversation finishes them at
-- its next alarm.
INSERT INTO pending_work (message_id, conversation_id, kind, due_at, attempts, created_at)
SELECT m.id, m.conversation_id, 'triage', m.created_at, 0, m.created_at
FROM messages m
WHERE m.direction = 'inbound'
  AND NOT EXISTS (SELECT 1 FROM triage t WHERE t.message_id = m.id)
  AND NOT EXISTS (SELECT 1 FROM consent_events c WHERE c.message_id = m.id)
  AND NOT EXISTS (SELECT 1 FROM messages r WHERE r.in_reply_to = m.id AND r.produced_by = 'help_text');
