-- The fingerprint of everything that decided each verdict (the model, the policy, the lexicons
-- and the triage core's code: `classifier::FINGERPRINT`). `model_version` names the model alone
-- and `policy_version` a number that does not move when a guard changes; rows stored before
-- this migration have no fingerprint.
ALTER TABLE triage ADD COLUMN fingerprint TEXT;
