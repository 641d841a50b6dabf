// Replies go out: the example clinic's facts and the default templates answer through the
// outbox, sent over Twilio's REST API to the local Twilio (Prism on Twilio's published spec
// behind the fault proxy), exactly once whatever the proxy throws at the sender.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startWorker, sid, patient, root } from './harness.mjs';

const CLINIC = '+14155550190';
const facts = JSON.parse(await readFile(join(root, 'clinics', 'example.json'), 'utf8'));

/** "09:00" -> "9:00", as the English templates write hours. */
function clock12(hhmm) {
  const [h, m] = hhmm.split(':').map(Number);
  const h12 = ((h + 11) % 12) + 1;
  return `${h12}:${String(m).padStart(2, '0')}`;
}

async function until(what, check, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the outbox sends replies through the local Twilio', () => {
  let w;
  before(async () => { w = await startWorker({}, { twilio: true }); });
  after(async () => { await w?.stop(); });

  async function text(from, body) {
    const MessageSid = sid();
    const r = await w.post('/twilio/sms', { MessageSid, AccountSid: sid('AC'), From: from, To: CLINIC,
      Body: body, NumMedia: '0' });
    assert.equal(r.status, 200, r.text);
    return MessageSid;
  }

  const row = async (messageSid) => (await w.d1(
    `SELECT state, attempts, twilio_sid, error_code, template_id, template_version, facts_version
     FROM outbox WHERE in_reply_to = '${messageSid}'`))[0];
  const queue = async (messageSid) => (await w.d1(
    `SELECT action, reason, patient_replied, state FROM staff_queue WHERE message_id = '${messageSid}'`))[0];

  it("answers Saturday's hours from the clinic's facts, once", async () => {
    const from = patient();
    const m = await text(from, 'what time do you open saturday?');
    const sent = await until('the reply', () => {
      const r = w.twilio.received(from);
      return r.length > 0 && r;
    });
    const body = sent[0].body;
    for (const loc of facts.locations) {
      const sat = loc.hours.saturday;
      if (sat.length > 0) assert.ok(body.includes(clock12(sat[0].split('-')[0])), body);
    }
    assert.ok(body.includes(facts.clinic.name), body);
    // Delivered (the local Twilio calls back sent, then delivered), and nothing more is sent.
    await until('delivered', async () => (await row(m))?.state === 'delivered');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(w.twilio.received(from).length, 1);
    const r = await row(m);
    assert.equal(r.twilio_sid, sent[0].sid);
    assert.match(r.template_id, /^hours_location\.hours\.en$/);
    assert.ok(r.template_version >= 1 && r.facts_version >= 1);
    const q = await queue(m);
    assert.equal(q.patient_replied, 1);
    assert.equal(q.state, 'done');
  });

  it('answers a price in English, and the Spanish question in Spanish', async () => {
    const en = patient();
    await text(en, 'how much is lip filler');
    const [enMsg] = await until('the English reply', () => {
      const r = w.twilio.received(en);
      return r.length > 0 && r;
    });
    const lip = facts.services.find((s) => s.id === 'lip_filler');
    assert.ok(enMsg.body.includes(`$${lip.price.amount}`), enMsg.body);
    const es = patient();
    await text(es, '¿cuánto cuesta el relleno de labios?');
    const [esMsg] = await until('the Spanish reply', () => {
      const r = w.twilio.received(es);
      return r.length > 0 && r;
    });
    assert.ok(esMsg.body.includes(`$${lip.price.amount}`), esMsg.body);
    assert.match(esMsg.body, /jeringa|relleno|labios/i, esMsg.body);
    assert.notEqual(esMsg.body, enMsg.body);
  });

  it('a service the clinic does not offer goes to a person with the reason', async () => {
    const from = patient();
    // Policy answers a price question automatically; the example clinic has no Kybella.
    const m = await text(from, 'how much is kybella');
    const q = await until('the queue row', () => queue(m));
    const [t] = await w.d1(`SELECT action FROM triage WHERE message_id = '${m}'`);
    assert.equal(t.action, 'auto_reply');
    assert.equal(q.action, 'draft');
    assert.equal(q.reason, 'no_service');
    assert.equal(await row(m), undefined);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(w.twilio.received(from).length, 0);
  });

  it('STOP between the decision and the send: nothing is sent and the row says suppressed', async () => {
    const from = patient();
    // The first attempt is throttled, so the reply waits for its retry; STOP arrives meanwhile.
    w.twilio.fault({ kind: '429', to: from, times: 1 });
    const m = await text(from, 'do you have parking');
    await text(from, 'STOP');
    await until('suppressed', async () => (await row(m))?.state === 'suppressed');
    assert.equal(w.twilio.received(from).length, 0);
  });

  it('two 429s, then success: one message', async () => {
    const from = patient();
    w.twilio.fault({ kind: '429', to: from, times: 2 });
    const m = await text(from, 'what are your hours on saturday');
    await until('accepted', async () => ['accepted', 'sent', 'delivered'].includes((await row(m))?.state));
    const r = await row(m);
    assert.equal(r.attempts, 2);
    await new Promise((r2) => setTimeout(r2, 1500));
    assert.equal(w.twilio.received(from).length, 1);
  });

  it('a 500 after the message was created: looked up, not sent again', async () => {
    const from = patient();
    w.twilio.fault({ kind: '500_after_create', to: from, times: 1 });
    const m = await text(from, 'what time do you open saturday?');
    // The local Twilio calls back about the message it created: the row adopts it. Without
    // the callback the lookup would settle it a minute after the attempt.
    await until('reconciled', async () => ['accepted', 'sent', 'delivered'].includes((await row(m))?.state), 120_000);
    await new Promise((r) => setTimeout(r, 1500));
    const got = w.twilio.received(from);
    assert.equal(got.length, 1, 'one message for one row');
    assert.equal((await row(m)).twilio_sid, got[0].sid);
  });

  it('a carrier filter (30007) fails the row and hands the message to a person', async () => {
    const from = patient();
    w.twilio.fault({ kind: '30007', to: from, times: 1 });
    const m = await text(from, 'do you have parking');
    await until('failed', async () => (await row(m))?.state === 'failed');
    const r = await row(m);
    assert.equal(r.error_code, 30007);
    const q = await queue(m);
    assert.equal(q.reason, 'content_filtered');
    assert.equal(q.state, 'open');
  });

  it('21610 on send records the opt-out in the consent ledger and stops', async () => {
    const from = patient();
    w.twilio.fault({ kind: '21610', to: from, times: 1 });
    const m = await text(from, 'do you have parking');
    await until('failed', async () => (await row(m))?.state === 'failed');
    const cid = w.conversationId(from, CLINIC);
    const [c] = await w.d1(`SELECT state, source FROM consent_events WHERE conversation_id = '${cid}'
      ORDER BY id DESC LIMIT 1`);
    assert.deepEqual({ ...c }, { state: 'opted_out', source: 'send_error' });
    assert.equal(w.twilio.received(from).length, 0);
  });

  it('HELP travels in the TwiML answer and is recorded in the outbox the same way', async () => {
    const from = patient();
    const MessageSid = sid();
    const r = await w.post('/twilio/sms', { MessageSid, AccountSid: sid('AC'), From: from, To: CLINIC,
      Body: 'HELP', NumMedia: '0' });
    assert.equal(r.status, 200);
    assert.match(r.text, /<Message>[^<]*Reply STOP to opt out\.<\/Message>/);
    const rows = await w.d1(`SELECT purpose, state FROM outbox WHERE in_reply_to = '${MessageSid}'`);
    assert.deepEqual(rows.map((x) => ({ ...x })), [{ purpose: 'help', state: 'accepted' }]);
    // A replay answers again from the stored reply and records nothing new.
    const again = await w.post('/twilio/sms', { MessageSid, AccountSid: sid('AC'), From: from, To: CLINIC,
      Body: 'HELP', NumMedia: '0' });
    assert.equal(again.status, 200);
    const after = await w.d1(`SELECT COUNT(*) AS n FROM outbox WHERE in_reply_to = '${MessageSid}'`);
    assert.equal(after[0].n, 1);
    assert.equal(w.twilio.received(from).length, 0, 'nothing went by REST');
  });

  it('one sender number sends at most one message a second, across conversations', async () => {
    const patients = [patient(), patient(), patient()];
    await Promise.all(patients.map((p) => text(p, 'do you have parking')));
    const sent = await until('three replies', () => {
      const all = patients.flatMap((p) => w.twilio.received(p));
      return all.length === 3 && all;
    });
    const times = sent.map((m) => m.created_ms).sort((a, b) => a - b);
    // A little under a second: the pacer's clock and the local Twilio's are not the same.
    assert.ok(times[1] - times[0] >= 900 && times[2] - times[1] >= 900, `sent at ${times}`);
  });

  it('nothing in the outbox is stored in plaintext', async () => {
    const dump = await w.dump();
    for (const m of w.twilio.received()) {
      assert.ok(!dump.includes(m.body), 'a reply body is in the D1 dump');
      assert.ok(!dump.includes(m.to), 'a patient number is in the D1 dump');
    }
  });
});

describe('an eviction between attempts loses nothing', () => {
  it('a reply throttled before a restart is sent once after it', async () => {
    let w = await startWorker({}, { twilio: true });
    const twilio = w.twilio;
    const from = patient();
    try {
      twilio.fault({ kind: '429', to: from, times: 1 });
      const MessageSid = sid();
      const r = await w.post('/twilio/sms', { MessageSid, AccountSid: sid('AC'), From: from, To: CLINIC,
        Body: 'do you have parking', NumMedia: '0' });
      assert.equal(r.status, 200);
      await until('the throttled attempt', async () => (await w.d1(
        `SELECT attempts FROM outbox WHERE in_reply_to = '${MessageSid}'`))[0]?.attempts === 1);
      // The Worker goes away mid-retry and comes back on the same state.
      await w.stop({ keep: true });
      w = await startWorker({}, { persist: w.persist, twilioMock: twilio, clinic: false });
      await until('the reply after the restart', () => twilio.received(from).length > 0, 60_000);
      await new Promise((res) => setTimeout(res, 1500));
      assert.equal(twilio.received(from).length, 1);
    } finally {
      await w.stop();
    }
  });
});
