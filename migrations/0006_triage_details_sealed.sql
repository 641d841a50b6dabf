-- Triage reasons and urgency matches can quote sensitive cue words (pregnancy, a minor,
-- self-harm phrases). From now on the plaintext columns keep codes only (`reasons`: [{code}],
-- `urgency_matches`: [{sign, source}]) and the details are sealed with the redacted text
-- (`details_ct`, AES-256-GCM under BODY_KEYS, associated data "<message_id>/details").
-- Existing rows keep their codes; their details cannot be sealed in SQL and are dropped.
ALTER TABLE triage ADD COLUMN details_key_id TEXT;
ALTER TABLE triage ADD COLUMN details_ct TEXT;

DROP TRIGGER triage_append_only_u;
UPDATE triage SET
    reasons = COALESCE((SELECT json_group_array(json_object('code', json_extract(value, '$.code')))
                        FROM json_each(triage.reasons)), '[]'),
    urgency_matches = COALESCE((SELECT json_group_array(json_object(
                            'sign', json_extract(value, '$.sign'),
                            'source', json_extract(value, '$.source')))
                        FROM json_each(triage.urgency_matches)), '[]');
CREATE TRIGGER triage_append_only_u BEFORE UPDATE ON triage
BEGIN SELECT RAISE(ABORT, 'triage is append-only'); END;
