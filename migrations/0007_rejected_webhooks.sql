-- Correctly signed webhooks whose content was refused (a missing or malformed field): Twilio
-- sent them, or someone holding the auth token did, so an operator must be able to find them.
-- The error code, the MessageSid when it is well formed, and the time; never a body or number.
CREATE TABLE rejected_webhooks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    route TEXT NOT NULL,
    code TEXT NOT NULL,
    message_sid TEXT,
    received_at TEXT NOT NULL
);
CREATE INDEX rejected_by_time ON rejected_webhooks (received_at);
