// End-to-end: the migrations move rows stored before them. A local D1 is brought to the schema of
// migration 0003 (phone numbers in plaintext, consent keyed by number), a conversation is stored
// the old way with an opt-out, then the Worker starts (the later migrations run) and the same
// patient writes again. Their opt-out must still hold, their numbers must be sealed, and no
// number may be left in the database.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, mkdir, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, sid, startWorker, wrangler } from './harness.mjs';

const CLINIC = '+14155550196';
const PATIENT = '+14155557781';
const LEGACY_ID = 'legacy0000000000000000000000000a';
let w;
let persist;

before(async () => {
  persist = await mkdtemp(join(tmpdir(), 'medspa-e2e-legacy-'));
  const old = await mkdtemp(join(tmpdir(), 'medspa-e2e-oldschema-'));
  await mkdir(join(old, 'migrations'));
  for (const f of (await readdir(join(root, 'migrations'))).filter((n) => n < '0004')) {
    await copyFile(join(root, 'migrations', f), join(old, 'migrations', f));
  }
  // The same binding and database id as wrangler.toml, so both configs reach the same file.
  const config = join(old, 'wrangler.toml');
  await writeFile(config, `name = "legacy"\ncompatibility_date = "2026-11-01"\n[[d1_databases]]\n` +
    `binding = "DB"\ndatabase_name = "medspa-triage"\n` +
    `database_id = "00000000-0000-4000-8000-000000000000"\nmigrations_dir = "migrations"\n`);
  const d1 = (args) => wrangler(['d1', ...args, '--local', '--persist-to', persist, '--config', config]);
  await d1(['migrations', 'apply', 'DB']);
  const stop = sid();
  await d1(['execute', 'DB', '--command', `
    INSERT INTO conversations (id, channel, patient_number, clinic_number, created_at)
      VALUES ('${LEGACY_ID}', 'sms', '${PATIENT}', '${CLINIC}', '2026-11-20T10:00:00.000Z');
    INSERT INTO messages (id, conversation_id, direction, twilio_sid, produced_by, key_id, body_ct, created_at)
      VALUES ('${stop}', '${LEGACY_ID}', 'inbound', '${stop}', 'patient', 'dev1', 'sealed', '2026-11-20T10:00:00.000Z');
    INSERT INTO consent_events (channel, clinic_number, patient_number, state, keyword, source, message_id, created_at)
      VALUES ('sms', '${CLINIC}', '${PATIENT}', 'opted_out', 'STOP', 'body', '${stop}', '2026-11-20T10:00:00.000Z');`]);
  w = await startWorker({}, { persist });
});
after(async () => { await w?.stop(); });

test('a conversation stored before sealed numbers keeps its id and its opt-out', async () => {
  // Moved by the migration: no number left in the conversation or the ledger.
  const [conv] = await w.d1(`SELECT patient_number, clinic_number, party_index FROM conversations
    WHERE id = '${LEGACY_ID}'`);
  assert.deepEqual(conv, { patient_number: LEGACY_ID, clinic_number: LEGACY_ID, party_index: null });
  const ledger = await w.d1('SELECT conversation_id, state FROM consent_events');
  assert.deepEqual(ledger, [{ conversation_id: LEGACY_ID, state: 'opted_out' }]);

  // The same patient writes again: HELP from an opted-out number gets nothing.
  const p = { MessageSid: sid(), AccountSid: sid('AC'), From: PATIENT, To: CLINIC, Body: 'HELP',
    NumMedia: '0' };
  const r = await w.post('/twilio/sms', p);
  assert.deepEqual([r.status, r.text], [200, '<?xml version="1.0" encoding="UTF-8"?><Response/>']);
  const [msg] = await w.d1(`SELECT conversation_id FROM messages WHERE id = '${p.MessageSid}'`);
  assert.equal(msg.conversation_id, LEGACY_ID, 'the message joins the old conversation');

  // The backlog is sealed: blind index and sealed numbers set, the staging row gone.
  const [sealed] = await w.d1(`SELECT party_index, numbers_ct FROM conversations WHERE id = '${LEGACY_ID}'`);
  assert.ok(sealed.party_index && sealed.numbers_ct);
  assert.deepEqual(await w.d1('SELECT * FROM identity_backlog'), []);
  const dump = await w.dump();
  for (const n of [PATIENT, CLINIC, PATIENT.slice(2), CLINIC.slice(2)]) {
    assert.ok(!dump.includes(n), 'the database holds no phone number');
  }
});
