// End-to-end: nothing stored is left unfinished. Faults are injected into the local D1 with a
// trigger that aborts while a row exists in a control table (created through `wrangler d1
// execute`, as an operator would), and lifted by deleting the row. Twilio does not retry a
// webhook answered with 5xx, so no test sends a second webhook to finish a message.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sid, patient } from './harness.mjs';

const CLINIC = '+14155550197';
const EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

let w;
before(async () => {
  // The local Twilio receives what the outbox sends (the urgent safe reply below).
  w = await startWorker({}, { twilio: true, clinic: false });
  await w.d1Exec(`CREATE TABLE fault_control (target TEXT NOT NULL);
    CREATE TRIGGER fault_triage BEFORE INSERT ON triage
      WHEN EXISTS (SELECT 1 FROM fault_control WHERE target = 'triage')
      BEGIN SELECT RAISE(ABORT, 'fault injected'); END;
    CREATE TRIGGER fault_messages BEFORE INSERT ON messages
      WHEN EXISTS (SELECT 1 FROM fault_control WHERE target = 'messages')
      BEGIN SELECT RAISE(ABORT, 'fault injected'); END;`);
});
after(async () => { await w?.stop(); });

const q = (s) => `'${String(s).replaceAll("'", "''")}'`;
const fault = (target) => w.d1Exec(`INSERT INTO fault_control (target) VALUES (${q(target)})`);
const lift = () => w.d1Exec('DELETE FROM fault_control');

function sms(from, body) {
  return { MessageSid: sid(), AccountSid: sid('AC'), From: from, To: CLINIC, Body: body,
    NumMedia: '0', NumSegments: '1' };
}

async function rows(messageSid) {
  const [r] = await w.d1(`SELECT
    (SELECT COUNT(*) FROM messages WHERE id = ${q(messageSid)}) AS messages,
    (SELECT COUNT(*) FROM pending_work WHERE message_id = ${q(messageSid)}) AS pending,
    (SELECT COUNT(*) FROM triage WHERE message_id = ${q(messageSid)}) AS triage,
    (SELECT COUNT(*) FROM staff_queue WHERE message_id = ${q(messageSid)}) AS queue`);
  return r;
}

/** Log lines arrive a little after the response that caused them. */
async function logged(pattern, seconds = 10) {
  const found = await until(async () => pattern.test(w.log()), seconds);
  assert.ok(found, `log line ${pattern} within ${seconds} s`);
}

async function until(check, seconds) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) return null;
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('a failure after the message is stored', () => {
  test('the alarm triages and queues it exactly once, with no second webhook', async () => {
    await fault('triage');
    const p = sms(patient(), 'hi what time do you open on saturday?');
    const r = await w.post('/twilio/sms', p);
    // The message is safe, so the webhook is answered: a 5xx would not be retried by Twilio.
    assert.deepEqual([r.status, r.text], [200, EMPTY]);
    assert.deepEqual(await rows(p.MessageSid), { messages: 1, pending: 1, triage: 0, queue: 0 });
    await logged(new RegExp(`triage deferred sid=${p.MessageSid} attempts=1 code=internal`));
    await lift();
    const t0 = Date.now();
    const done = await until(async () => (await rows(p.MessageSid)).queue === 1, 60);
    assert.ok(done, 'triaged within 60 s of lifting the fault');
    // Give a late alarm time to misbehave, then count again.
    await new Promise((res) => setTimeout(res, 2000));
    assert.deepEqual(await rows(p.MessageSid), { messages: 1, pending: 0, triage: 1, queue: 1 });
    const audit = await w.d1(`SELECT actor, action, entity FROM audit_log
      WHERE entity_id = ${q(p.MessageSid)} AND entity IN ('triage', 'staff_queue') ORDER BY id`);
    assert.deepEqual(audit, [
      { actor: 'alarm', action: 'create', entity: 'triage' },
      { actor: 'alarm', action: 'create', entity: 'staff_queue' },
    ]);
    await logged(new RegExp(`pending finished sid=${p.MessageSid}`));
    process.stderr.write(`# finished ${((Date.now() - t0) / 1000).toFixed(1)} s after the fault was lifted\n`);
  });

  test('an urgent message finished by the alarm gets its safe reply by REST, once', async () => {
    await fault('triage');
    const from = patient();
    const p = sms(from, 'my lip is turning white and it really hurts since the filler this morning');
    const r = await w.post('/twilio/sms', p);
    assert.equal(r.status, 200);
    await lift();
    const done = await until(async () => (await rows(p.MessageSid)).queue === 1, 60);
    assert.ok(done, 'triaged within 60 s of lifting the fault');
    const [queue] = await w.d1(`SELECT priority, action FROM staff_queue
      WHERE message_id = ${q(p.MessageSid)}`);
    assert.deepEqual({ ...queue }, { priority: 0, action: 'urgent' });
    await logged(new RegExp(`triage stored sid=${p.MessageSid} .*moment=Alarm urgent_reply_unsent=true`));
    // No webhook answer was left to carry it: the outbox sends it, once.
    const sent = await until(async () => w.twilio.received(from).length > 0, 30);
    assert.ok(sent, 'the safe reply reached the local Twilio');
    const got = w.twilio.received(from);
    assert.equal(got.length, 1);
    assert.equal(got[0].body, w.vars.URGENT_REPLY);
    const [row] = await w.d1(`SELECT purpose, state FROM outbox WHERE in_reply_to = ${q(p.MessageSid)}`);
    assert.equal(row.purpose, 'urgent_safe_reply');
    const answered = await until(async () => (await w.d1(`SELECT patient_replied FROM staff_queue
      WHERE message_id = ${q(p.MessageSid)}`))[0].patient_replied === 1, 30);
    assert.ok(answered, 'the queue row says the patient got the safe reply');
  });
});

describe('a failure before the message is stored', () => {
  test('the answer is a 5xx and nothing partial is stored', async () => {
    await fault('messages');
    const from = patient();
    const p = sms(from, 'can I reschedule to friday');
    const cid = w.conversationId(from, CLINIC);
    const [before] = await w.d1(`SELECT (SELECT COUNT(*) FROM audit_log) AS audit,
      (SELECT COUNT(*) FROM pending_work) AS pending`);
    const r = await w.post('/twilio/sms', p);
    assert.equal(r.status, 500);
    assert.deepEqual(JSON.parse(r.text), { error: 'internal' });
    assert.deepEqual(await rows(p.MessageSid), { messages: 0, pending: 0, triage: 0, queue: 0 });
    const [conv] = await w.d1(`SELECT COUNT(*) AS n FROM conversations WHERE id = ${q(cid)}`);
    assert.equal(conv.n, 0);
    const [afterRows] = await w.d1(`SELECT (SELECT COUNT(*) FROM audit_log) AS audit,
      (SELECT COUNT(*) FROM pending_work) AS pending`);
    assert.deepEqual(afterRows, before);
    await lift();
    // Twilio's retry (connection overrides) or the next delivery then stores it once.
    const again = await w.post('/twilio/sms', p);
    assert.equal(again.status, 200);
    const done = await until(async () => (await rows(p.MessageSid)).queue === 1, 10);
    assert.ok(done);
    assert.deepEqual(await rows(p.MessageSid), { messages: 1, pending: 0, triage: 1, queue: 1 });
  });
});
