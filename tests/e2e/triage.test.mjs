// End-to-end: triage inside the Worker (workerd via wrangler dev). Every non-keyword message is
// triaged after it is stored; urgent ones get the configured safe reply through the consent gate
// and an urgent staff-queue row; the rest get an empty answer and a queue row by priority.
// Its own Worker, so the log holds exactly one classifier build to measure.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createDecipheriv, createCipheriv, randomBytes } from 'node:crypto';
import { startWorker, sid, patient } from './harness.mjs';

const CLINIC = '+14155550198';
const EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
const URGENT = 'my lip is turning white and it really hurts since the filler this morning';
const ROUTINE = 'Can I work out after botox? - Jen Alvarez (415) 555-0134';

let w;
let keys;
before(async () => {
  w = await startWorker();
  keys = Object.fromEntries(w.vars.BODY_KEYS.split(',').map((e) => {
    const [id, b64] = e.split(':');
    return [id, Buffer.from(b64, 'base64')];
  }));
});
after(async () => { await w?.stop(); });

function sms(from, body, extra = {}) {
  return { MessageSid: sid(), AccountSid: sid('AC'), From: from, To: CLINIC, Body: body,
    NumMedia: '0', NumSegments: '1', ...extra };
}
const q = (s) => `'${String(s).replaceAll("'", "''")}'`;
const xml = (s) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
  .replaceAll('"', '&quot;').replaceAll("'", '&apos;');
const safeReply = () => `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${xml(w.vars.URGENT_REPLY)}</Message></Response>`;

/** Opens a ciphertext as the Worker seals it: base64(nonce || ciphertext || tag), AES-256-GCM. */
function open(keyId, blob, aad) {
  const raw = Buffer.from(blob, 'base64');
  const d = createDecipheriv('aes-256-gcm', keys[keyId], raw.subarray(0, 12));
  d.setAAD(Buffer.from(aad));
  d.setAuthTag(raw.subarray(raw.length - 16));
  return Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).toString('utf8');
}
function seal(keyId, text, aad) {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', keys[keyId], nonce);
  c.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([c.update(Buffer.from(text)), c.final()]);
  return Buffer.concat([nonce, ct, c.getAuthTag()]).toString('base64');
}

async function triageRow(messageSid) {
  return w.d1(`SELECT * FROM triage WHERE message_id = ${q(messageSid)}`);
}
async function queueRow(messageSid) {
  return w.d1(`SELECT priority, action, patient_replied, state FROM staff_queue
               WHERE message_id = ${q(messageSid)}`);
}
async function totals() {
  const [r] = await w.d1(`SELECT (SELECT COUNT(*) FROM triage) AS triage,
    (SELECT COUNT(*) FROM staff_queue) AS queue, (SELECT COUNT(*) FROM messages) AS messages,
    (SELECT COUNT(*) FROM audit_log WHERE action = 'create') AS creates`);
  return r;
}

describe('triage', () => {
  test('the first triaged message builds the classifier once; its time is logged', async (t) => {
    const t0 = performance.now();
    const r = await w.post('/twilio/sms', sms(patient(), 'What are your hours on Saturday?'));
    const first = performance.now() - t0;
    assert.equal(r.status, 200);
    const t1 = performance.now();
    await w.post('/twilio/sms', sms(patient(), 'Do you have any openings next week for lips?'));
    const warm = performance.now() - t1;
    const t2 = performance.now();
    await w.post('/twilio/sms', sms(patient(), 'HELP'));
    const keyword = performance.now() - t2;
    const builds = [...w.log().matchAll(/triage engine built ms=([\d.]+) code=(\w+) model=(sha256:[0-9a-f]{12})/g)];
    assert.equal(builds.length, 1, 'built once per isolate');
    assert.equal(builds[0][2], 'ok');
    const triageMs = [...w.log().matchAll(/triage stored sid=\w+ .* ms=([\d.]+)/g)].map((m) => Number(m[1]));
    t.diagnostic(`classifier build in workerd: ${builds[0][1]} ms (Date.now around Triage::bundled)`);
    t.diagnostic(`triage per message (Date.now): ${triageMs.join(', ')} ms`);
    t.diagnostic(`request latency from the client: first triaged ${first.toFixed(1)} ms, ` +
      `warm triaged ${warm.toFixed(1)} ms, keyword (no triage) ${keyword.toFixed(1)} ms`);
  });

  test('an urgent message gets the safe reply at once and an urgent queue row', async () => {
    const p = sms(patient(), URGENT);
    const r = await w.post('/twilio/sms', p);
    assert.equal(r.status, 200);
    assert.equal(r.text, safeReply());
    const [row] = await triageRow(p.MessageSid);
    assert.equal(row.urgent, 1);
    assert.equal(row.action, 'urgent');
    assert.equal(row.intent, 'emergency');
    assert.ok(['phrase', 'rule', 'model'].includes(row.urgency_source));
    assert.equal(row.error_code, null);
    assert.match(row.model_version, /^sha256:[0-9a-f]{12}$/);
    assert.match(row.fingerprint, /^sha256:[0-9a-f]{12}$/);
    const health = await (await fetch(`${w.base}/health`)).json();
    assert.equal(row.fingerprint, health.fingerprint, 'the verdict names the rules /health reports');
    assert.equal(row.model_version, health.model);
    assert.ok(row.policy_version >= 1);
    const matches = JSON.parse(row.urgency_matches);
    assert.ok(matches.length > 0 && matches.every((m) => m.sign && m.source && !('pattern' in m)));
    assert.ok(row.details_ct && row.details_key_id, 'the words behind the verdict are sealed');
    assert.deepEqual(await queueRow(p.MessageSid),
      [{ priority: 0, action: 'urgent', patient_replied: 1, state: 'open' }]);
    // The safe reply is stored as sent, encrypted, like every reply.
    const replies = await w.d1(`SELECT id, produced_by, key_id, body_ct FROM messages
                                WHERE in_reply_to = ${q(p.MessageSid)}`);
    assert.equal(replies.length, 1);
    assert.equal(replies[0].produced_by, 'urgent_safe_reply');
    assert.equal(open(replies[0].key_id, replies[0].body_ct, replies[0].id), w.vars.URGENT_REPLY);
    // Urgent first in the queue, whatever arrived before it.
    const [top] = await w.d1(`SELECT message_id FROM staff_queue WHERE state = 'open'
                              ORDER BY priority, created_at LIMIT 1`);
    assert.equal(top.message_id, p.MessageSid);

    // A replay: the same answer, no second triage, nothing new stored.
    const before = await totals();
    const again = await w.post('/twilio/sms', p);
    assert.deepEqual([again.status, again.text], [200, r.text]);
    assert.deepEqual(await totals(), before);
  });

  test('a routine question: empty answer, a queue row, redacted text without the name or number', async () => {
    const p = sms(patient(), ROUTINE);
    const r = await w.post('/twilio/sms', p);
    assert.deepEqual([r.status, r.text], [200, EMPTY]);
    const rows = await triageRow(p.MessageSid);
    assert.equal(rows.length, 1);
    const [row] = rows;
    assert.equal(row.urgent, 0);
    assert.ok(['auto_reply', 'draft', 'escalate'].includes(row.action), row.action);
    assert.ok(row.intent && row.confidence > 0 && row.confidence <= 1);
    assert.equal(JSON.parse(row.top3).length, 3);
    assert.ok(JSON.parse(row.reasons).every((x) => typeof x.code === 'string'));
    // Stored encrypted; decrypted here with the dev key to check what staff would see.
    assert.ok(!row.redacted_ct.includes('botox'));
    const redacted = open(row.key_id, row.redacted_ct, `${p.MessageSid}/redacted`);
    assert.match(redacted, /botox/);
    for (const secret of ['Jen', 'Alvarez', '415', '555', '0134']) {
      assert.ok(!redacted.includes(secret), `redacted text keeps ${secret}: ${redacted}`);
    }
    const kinds = JSON.parse(row.phi).map((f) => f.kind);
    assert.ok(kinds.includes('PHONE') && kinds.includes('NAME'), kinds.join(','));
    // This Worker has no clinic facts loaded: an automatic reply has nothing to answer from, so
    // its queue row is a draft saying why.
    const queued = row.action === 'auto_reply' ? 'draft' : row.action;
    const priority = { escalate: 1, draft: 2 }[queued];
    assert.deepEqual(await queueRow(p.MessageSid),
      [{ priority, action: queued, patient_replied: 0, state: 'open' }]);
    if (row.action === 'auto_reply') {
      const [{ reason }] = await w.d1(`SELECT reason FROM staff_queue WHERE message_id = ${q(p.MessageSid)}`);
      assert.equal(reason, 'no_clinic_facts');
    }

    const before = await totals();
    assert.equal((await w.post('/twilio/sms', p)).text, EMPTY);
    assert.equal((await triageRow(p.MessageSid)).length, 1, 'a replay does not triage again');
    assert.deepEqual(await totals(), before);
  });

  test('a photo reaches a person even when its text alone would get a template', async () => {
    const p = sms(patient(), 'thanks!', {
      NumMedia: '1',
      MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM0/Media/ME0',
      MediaContentType0: 'image/jpeg',
    });
    assert.equal((await w.post('/twilio/sms', p)).status, 200);
    const [row] = await triageRow(p.MessageSid);
    assert.ok(['draft', 'escalate'].includes(row.action), row.action);
    // The kind travels as a typed input, not as a marker written into the patient's words.
    const redacted = open(row.key_id, row.redacted_ct, `${p.MessageSid}/redacted`);
    assert.equal(redacted, 'thanks!');
    assert.ok(JSON.parse(row.reasons).some((r) => r.code === 'attachment'), row.reasons);
  });

  test('STOP still works and is not triaged; HELP neither', async () => {
    const from = patient();
    const stop = sms(from, 'STOP');
    assert.equal((await w.post('/twilio/sms', stop)).text, EMPTY);
    const [e] = await w.d1(`SELECT state FROM consent_events WHERE message_id = ${q(stop.MessageSid)}`);
    assert.equal(e.state, 'opted_out');
    const start = sms(from, 'START');
    await w.post('/twilio/sms', start);
    const help = sms(from, 'help');
    assert.match((await w.post('/twilio/sms', help)).text, /Reply STOP to opt out/);
    for (const m of [stop, start, help]) {
      assert.deepEqual(await triageRow(m.MessageSid), []);
      assert.deepEqual(await queueRow(m.MessageSid), []);
    }
  });

  test('an opted-out number describing an emergency gets nothing from us, but staff get it urgent', async () => {
    // Clinic-safety trade-off: after STOP the carrier rules and the patient's own choice forbid
    // any message from us, the emergency answer included. The message is still triaged and
    // queued urgent with patient_replied = 0, so staff know to call.
    const from = patient();
    await w.post('/twilio/sms', sms(from, 'stop'));
    const p = sms(from, URGENT);
    const r = await w.post('/twilio/sms', p);
    assert.deepEqual([r.status, r.text], [200, EMPTY]);
    const [row] = await triageRow(p.MessageSid);
    assert.equal(row.urgent, 1);
    assert.deepEqual(await queueRow(p.MessageSid),
      [{ priority: 0, action: 'urgent', patient_replied: 0, state: 'open' }]);
    assert.equal((await w.d1(`SELECT COUNT(*) AS n FROM messages WHERE in_reply_to = ${q(p.MessageSid)}`))[0].n, 0);
    // A replay after opting back in does not send the old emergency answer either: none was stored.
    await w.post('/twilio/sms', sms(from, 'START'));
    assert.equal((await w.post('/twilio/sms', p)).text, EMPTY);
  });

  test('the clinic\'s last message is read as context (and the read is audited)', async () => {
    const from = patient();
    // A first message creates the conversation; then a clinic reminder, as a later outbound
    // sender will store it (encrypted, row id as associated data).
    const first = sms(from, 'Hi, this is about my appointment');
    await w.post('/twilio/sms', first);
    const [conv] = await w.d1(`SELECT conversation_id AS id FROM messages WHERE id = ${q(first.MessageSid)}`);
    const reminderId = `${first.MessageSid}-reminder`;
    const reminder = 'Reminder: your appointment is tomorrow at 3pm. Reply C to confirm or R to reschedule.';
    await w.d1Exec(`INSERT INTO messages (id, conversation_id, direction, produced_by, key_id, body_ct,
      num_media, created_at) VALUES (${q(reminderId)}, ${q(conv.id)}, 'outbound', 'reminder', 'dev1',
      ${q(seal('dev1', reminder, reminderId))}, 0, ${q(new Date().toISOString())})`);
    const c = sms(from, 'C');
    assert.equal((await w.post('/twilio/sms', c)).text, EMPTY);
    const [row] = await triageRow(c.MessageSid);
    assert.equal(row.urgent, 0);
    assert.equal(row.error_code, null);
    const reads = await w.d1(`SELECT entity_id FROM audit_log WHERE actor = 'triage' AND action = 'read'
      AND conversation_id = ${q(conv.id)} ORDER BY id`);
    assert.deepEqual(reads.map((x) => x.entity_id).slice(-2), [first.MessageSid, reminderId]);
  });

  test('logs name ids and codes only: no body, redacted text or number', async () => {
    const log = w.log();
    assert.match(log, /triage stored sid=SM\w+ conv=[0-9a-f]{32} code=ok intent=\w+ action=\w+ urgent=(true|false)/);
    for (const text of [URGENT, ROUTINE, 'botox', 'Alvarez', 'turning white', '555-0134']) {
      assert.ok(!log.includes(text), `log contains ${text}`);
    }
    assert.ok(!/\+1415\d{7}/.test(log), 'log contains a phone number');
    assert.ok(!/\[(NAME|PHONE)_\d+\]/.test(log), 'log contains redacted text');
  });
});
