// End-to-end: the Worker in workerd (wrangler dev), webhooks signed by the official Twilio SDK,
// D1 checked with `wrangler d1 execute`. One Worker for the file; each test uses its own numbers
// and SIDs so tests do not see each other's rows.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import twilio from 'twilio';
import { startWorker, sid, patient } from './harness.mjs';

const CLINIC = '+14155550199';
const EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
// Bodies and phone numbers that must never appear in storage or logs.
const SECRET_BODIES = [];
const SECRET_NUMBERS = new Set();

let w;
before(async () => { w = await startWorker(); });
after(async () => { await w?.stop(); });

function sms(from, body, extra = {}) {
  SECRET_BODIES.push(body);
  for (const n of [from, extra.To ?? CLINIC]) {
    const digits = String(n).replace(/^whatsapp:/, '');
    if (/^\+1\d{10}$/.test(digits)) SECRET_NUMBERS.add(digits);
  }
  return { MessageSid: sid(), AccountSid: sid('AC'), From: from, To: CLINIC, Body: body,
    NumMedia: '0', NumSegments: '1', ...extra };
}

const q = (s) => `'${String(s).replaceAll("'", "''")}'`;
/** A number's conversation id, as the Worker derives it. */
const conv = (number, clinic = CLINIC) => w.conversationId(number, clinic);
async function count(table, where) {
  const rows = await w.d1(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`);
  return rows[0].n;
}
async function ledger(number) {
  return w.d1(`SELECT state, keyword, source, message_id FROM consent_events
               WHERE conversation_id = ${q(conv(number))} ORDER BY id`);
}

describe('health', () => {
  test('GET /health answers 200 with the version and D1 reachable', async () => {
    const r = await fetch(`${w.base}/health`);
    assert.equal(r.status, 200);
    const j = await r.json();
    assert.match(j.version, /^\d+\.\d+\.\d+/);
    assert.equal(j.d1, true);
  });
});

describe('inbound webhook', () => {
  test('signed SMS is stored once and answered with an empty TwiML response', async () => {
    const p = sms(patient(), 'My lips feel a bit swollen after filler yesterday');
    const url = `${w.base}/twilio/sms`;
    const sig = w.sign(url, p);
    assert.ok(twilio.validateRequest(w.token, sig, url, p), 'the SDK agrees with its own signature');
    const r = await w.post('/twilio/sms', p, { signature: sig });
    assert.equal(r.status, 200);
    assert.match(r.type, /^text\/xml/);
    assert.equal(r.text, EMPTY);
    // Stored before the answer: visible as soon as the response is.
    const rows = await w.d1(`SELECT direction, produced_by, key_id, body_ct, num_segments, account_sid
                             FROM messages WHERE twilio_sid = ${q(p.MessageSid)}`);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].direction, 'inbound');
    assert.equal(rows[0].key_id, 'dev1');
    assert.equal(rows[0].num_segments, 1);
    assert.equal(rows[0].account_sid, p.AccountSid);
    assert.ok(!rows[0].body_ct.includes('swollen'));
    const rows2 = await w.d1(`SELECT channel, patient_number, clinic_number, party_index, numbers_ct
                              FROM conversations WHERE id = ${q(conv(p.From))}`);
    assert.equal(rows2.length, 1);
    assert.equal(rows2[0].channel, 'sms');
    // No number in the row: the number columns hold the id, the numbers are sealed.
    assert.equal(rows2[0].patient_number, conv(p.From));
    assert.equal(rows2[0].clinic_number, conv(p.From));
    assert.ok(rows2[0].party_index.startsWith(conv(p.From)) && rows2[0].numbers_ct);
    assert.ok(!rows2[0].numbers_ct.includes(p.From.slice(2)));
    assert.equal(await count('audit_log', `entity = 'messages' AND entity_id = ${q(p.MessageSid)}`), 1);
    assert.equal(await count('message_status', `twilio_sid = ${q(p.MessageSid)} AND status = 'received'`), 1);
  });

  test('a replayed MessageSid stores nothing new and gets the same answer', async () => {
    const p = sms(patient(), 'HELP');
    const first = await w.post('/twilio/sms', p);
    assert.equal(first.status, 200);
    assert.match(first.text, /<Message>Glow Med Spa: .*Reply STOP to opt out\.<\/Message>/);
    const before = await w.d1(`SELECT
      (SELECT COUNT(*) FROM messages) AS messages,
      (SELECT COUNT(*) FROM consent_events) AS consent,
      (SELECT COUNT(*) FROM audit_log WHERE action = 'create') AS creates`);
    const again = await w.post('/twilio/sms', p);
    const third = await w.post('/twilio/sms', p);
    assert.deepEqual([again.status, again.text], [200, first.text]);
    assert.deepEqual([third.status, third.text], [200, first.text]);
    const afterRows = await w.d1(`SELECT
      (SELECT COUNT(*) FROM messages) AS messages,
      (SELECT COUNT(*) FROM consent_events) AS consent,
      (SELECT COUNT(*) FROM audit_log WHERE action = 'create') AS creates`);
    assert.deepEqual(afterRows, before);
    // The replays read the stored reply: that read is audited.
    assert.equal(await count('audit_log', `action = 'read' AND entity_id = ${q(`${p.MessageSid}-r0`)}`), 2);
  });

  test('MMS media are kept as references (encrypted), WhatsApp is its own channel', async () => {
    const from = patient();
    const p = sms(from, 'photo of the bruise', {
      NumMedia: '2',
      MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1',
      MediaContentType0: 'image/jpeg',
      MediaUrl1: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2',
      MediaContentType1: 'image/png',
    });
    assert.equal((await w.post('/twilio/sms', p)).status, 200);
    const [row] = await w.d1(`SELECT num_media, media_ct FROM messages WHERE twilio_sid = ${q(p.MessageSid)}`);
    assert.equal(row.num_media, 2);
    assert.ok(row.media_ct && !row.media_ct.includes('twilio.com'));

    const wa = sms(`whatsapp:${from}`, 'hola', { To: `whatsapp:${CLINIC}` });
    const r = await w.post('/twilio/sms', wa);
    assert.deepEqual([r.status, r.text], [200, EMPTY]);
    const convs = await w.d1(`SELECT channel FROM conversations
      WHERE id IN (${q(conv(from))}, ${q(conv(`whatsapp:${from}`))}) ORDER BY channel`);
    assert.deepEqual(convs.map((c) => c.channel), ['sms', 'whatsapp']);
  });
});

describe('signature', () => {
  const forged = [
    ['missing', null],
    ['empty', ''],
    ['garbage', 'not-a-signature'],
    ['wrong token', twilio.getExpectedTwilioSignature('wrong-token', 'http://x/', {})],
  ];
  for (const [name, signature] of forged) {
    test(`${name} signature: 403, empty body, nothing stored`, async () => {
      const p = sms(patient(), 'STOP');
      const sig = name === 'wrong token'
        ? twilio.getExpectedTwilioSignature('wrong-token', `${w.base}/twilio/sms`, p)
        : signature;
      const r = await w.post('/twilio/sms', p, { signature: sig });
      assert.equal(r.status, 403);
      assert.equal(r.text, '');
      assert.equal(await count('messages', `twilio_sid = ${q(p.MessageSid)}`), 0);
      assert.equal(await count('consent_events', `conversation_id = ${q(conv(p.From))}`), 0);
    });
  }

  test('a signature over other parameters or another URL is refused', async () => {
    const p = sms(patient(), 'hello');
    const tampered = { ...p, Body: 'hello!' };
    const r1 = await w.post('/twilio/sms', tampered, { signature: w.sign(`${w.base}/twilio/sms`, p) });
    const r2 = await w.post('/twilio/sms', p, { signature: w.sign(`${w.base}/twilio/status`, p) });
    assert.deepEqual([r1.status, r2.status], [403, 403]);
    assert.equal(await count('messages', `twilio_sid = ${q(p.MessageSid)}`), 0);
  });

  test('the default-port spelling of the URL is accepted, as the SDKs do', async () => {
    const p = sms(patient(), 'port variant');
    const withoutPort = `${w.base}/twilio/sms`.replace(/:\d+\//, '/');
    const r = await w.post('/twilio/sms', p, { signature: w.sign(withoutPort, p) });
    assert.equal(r.status, 200);
  });
});

describe('settings', () => {
  test('a malformed key is named on /health and in the log, and webhooks are refused', async () => {
    const bad = await startWorker({ BODY_KEYS: 'dev1:c2hvcnQ=', IDENTITY_KEY: '' });
    try {
      const r = await fetch(`${bad.base}/health`);
      assert.equal(r.status, 503);
      const j = await r.json();
      assert.equal(j.ok, false);
      assert.deepEqual(Object.keys(j.settings).sort(), ['BODY_KEYS', 'IDENTITY_KEY']);
      assert.match(j.settings.BODY_KEYS, /32 bytes/);
      assert.ok(!JSON.stringify(j).includes('c2hvcnQ='), 'the value is never echoed');
      const p = sms(patient(), 'hello?');
      const refused = await bad.post('/twilio/sms', p);
      assert.deepEqual([refused.status, JSON.parse(refused.text)], [500, { error: 'misconfigured' }]);
      // Log lines arrive a little after the response that caused them.
      for (let i = 0; i < 50 && !/name=IDENTITY_KEY/.test(bad.log()); i += 1) {
        await new Promise((res) => setTimeout(res, 200));
      }
      assert.match(bad.log(), /setting invalid name=BODY_KEYS problem=BODY_KEYS is malformed/);
      assert.match(bad.log(), /setting invalid name=IDENTITY_KEY problem=IDENTITY_KEY is not set/);
    } finally {
      await bad.stop();
    }
  });
});

describe('PUBLIC_BASE_URL', () => {
  test('signatures are checked against the public URL when it is set', async () => {
    const proxied = await startWorker({ PUBLIC_BASE_URL: 'https://sms.clinic.example' });
    try {
      const p = sms(patient(), 'through the proxy');
      const ok = await proxied.post('/twilio/sms', p, { signedUrl: 'https://sms.clinic.example/twilio/sms' });
      assert.deepEqual([ok.status, ok.text], [200, EMPTY]);
      const local = await proxied.post('/twilio/sms', sms(patient(), 'signed for the local URL'));
      assert.equal(local.status, 403);
    } finally {
      await proxied.stop();
    }
  });
});

describe('bad input (signed, so only the content is wrong)', () => {
  const url = () => `${w.base}/twilio/sms`;
  const cases = [
    ['missing From', (p) => { delete p.From; }, 400, 'missing_from'],
    ['missing To', (p) => { delete p.To; }, 400, 'missing_to'],
    ['missing MessageSid', (p) => { delete p.MessageSid; }, 400, 'missing_message_sid'],
    ['malformed From', (p) => { p.From = '415-555-0100'; }, 400, 'invalid_from'],
    ['malformed To', (p) => { p.To = '+0044'; }, 400, 'invalid_to'],
    ['body over 1,600 characters', (p) => { p.Body = 'a'.repeat(1601); }, 400, 'body_too_long'],
    ['media count without media', (p) => { p.NumMedia = '1'; }, 400, 'missing_media'],
  ];
  for (const [name, mutate, status, code] of cases) {
    test(`${name}: ${status} ${code}, nothing stored`, async () => {
      const p = sms(patient(), 'stop');
      mutate(p);
      const before = await count('messages', '1');
      const r = await w.post('/twilio/sms', p);
      assert.equal(r.status, status);
      assert.deepEqual(JSON.parse(r.text), { error: code });
      // Signed, so an operator can find it: the code, the sid when well formed, the time.
      const rejected = await w.d1(`SELECT route, code, message_sid FROM rejected_webhooks
        WHERE code = ${q(code)} ORDER BY id DESC LIMIT 1`);
      assert.deepEqual(rejected, [{ route: '/twilio/sms', code,
        message_sid: p.MessageSid && /^SM[0-9a-f]{32}$/.test(p.MessageSid) ? p.MessageSid : null }]);
      assert.equal(await count('messages', '1'), before);
      if (p.From) assert.equal(await count('consent_events', `conversation_id = ${q(conv(p.From))}`), 0);
    });
  }

  test('1,600 characters is accepted', async () => {
    const p = sms(patient(), 'é'.repeat(1600));
    assert.equal((await w.post('/twilio/sms', p)).status, 200);
  });

  test('invalid UTF-8: 400 invalid_utf8', async () => {
    const from = patient();
    const raw = `MessageSid=${sid()}&From=${encodeURIComponent(from)}&To=${encodeURIComponent(CLINIC)}&Body=%FF%FE`;
    // The SDK takes strings; sign the raw bytes the way it does (URL + sorted key/value bytes).
    const pairs = [['Body', Buffer.from([0xff, 0xfe])], ['From', Buffer.from(from)],
      ['MessageSid', Buffer.from(raw.split('&')[0].split('=')[1])], ['To', Buffer.from(CLINIC)]];
    const h = createHmac('sha1', w.token).update(url());
    for (const [k, v] of pairs) h.update(k).update(v);
    const r = await w.post('/twilio/sms', {}, { body: raw, signature: h.digest('base64') });
    assert.deepEqual([r.status, JSON.parse(r.text)], [400, { error: 'invalid_utf8' }]);
    const [rejected] = await w.d1(`SELECT route, code, message_sid FROM rejected_webhooks
      WHERE code = 'invalid_utf8' ORDER BY id DESC LIMIT 1`);
    assert.deepEqual(rejected, { route: '/twilio/sms', code: 'invalid_utf8', message_sid: null });
    assert.equal(await count('messages', `conversation_id = ${q(conv(from))}`), 0);
  });

  test('wrong content type: 415 unsupported_media_type (JSON signed with bodySHA256)', async () => {
    const body = JSON.stringify({ MessageSid: sid(), From: patient(), To: CLINIC, Body: 'hi' });
    const hash = createHash('sha256').update(body).digest('hex');
    const signedUrl = `${url()}?bodySHA256=${hash}`;
    const sig = twilio.getExpectedTwilioSignature(w.token, signedUrl, {});
    assert.ok(twilio.validateRequestWithBody(w.token, sig, signedUrl, body));
    const res = await fetch(signedUrl, { method: 'POST', body,
      headers: { 'Content-Type': 'application/json', 'X-Twilio-Signature': sig } });
    assert.equal(res.status, 415);
    assert.deepEqual(await res.json(), { error: 'unsupported_media_type' });
    // Same body, wrong hash: a forgery, so 403.
    const bad = await fetch(`${url()}?bodySHA256=${'0'.repeat(64)}`, { method: 'POST', body,
      headers: { 'Content-Type': 'application/json', 'X-Twilio-Signature': sig } });
    assert.equal(bad.status, 403);
  });

  test('text/plain signed over the URL: 415', async () => {
    const sig = twilio.getExpectedTwilioSignature(w.token, url(), {});
    const r = await w.post('/twilio/sms', {}, { signature: sig, body: 'Body=hi',
      headers: { 'Content-Type': 'text/plain' } });
    assert.deepEqual([r.status, JSON.parse(r.text)], [415, { error: 'unsupported_media_type' }]);
  });

  test('a request over 64 KB: 413 payload_too_large', async () => {
    const p = sms(patient(), 'x');
    p.Padding = 'y'.repeat(65 * 1024);
    const r = await w.post('/twilio/sms', p);
    assert.deepEqual([r.status, JSON.parse(r.text)], [413, { error: 'payload_too_large' }]);
    assert.equal(await count('messages', `twilio_sid = ${q(p.MessageSid)}`), 0);
  });

  test('a chunked request (no Content-Length) is refused once it passes 64 KB', async () => {
    const p = sms(patient(), 'x');
    const body = new URLSearchParams({ ...p, Padding: 'y'.repeat(200 * 1024) }).toString();
    const bytes = new TextEncoder().encode(body);
    let sent = 0;
    const stream = new ReadableStream({
      pull(controller) {
        if (sent >= bytes.length) { controller.close(); return; }
        controller.enqueue(bytes.slice(sent, sent + 8192));
        sent += 8192;
      },
    });
    const res = await fetch(`${w.base}/twilio/sms`, {
      method: 'POST',
      body: stream,
      duplex: 'half',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded',
        'X-Twilio-Signature': w.sign(`${w.base}/twilio/sms`, p) },
    });
    assert.deepEqual([res.status, await res.json()], [413, { error: 'payload_too_large' }]);
    assert.equal(await count('messages', `twilio_sid = ${q(p.MessageSid)}`), 0);
  });

  test('unknown route 404, wrong method 405', async () => {
    assert.equal((await fetch(`${w.base}/nope`)).status, 404);
    assert.equal((await fetch(`${w.base}/twilio/sms`)).status, 405);
  });
});

describe('consent', () => {
  test('STOP opts out (ledger), HELP then gets nothing, YES opts back in, HELP answered', async () => {
    const from = patient();
    const help1 = sms(from, 'help');
    const r0 = await w.post('/twilio/sms', help1);
    assert.match(r0.text, /Reply STOP to opt out/);

    const stop = sms(from, '  Stop. ');
    assert.equal((await w.post('/twilio/sms', stop)).text, EMPTY);
    assert.deepEqual(await ledger(from), [
      { state: 'opted_out', keyword: 'STOP', source: 'body', message_id: stop.MessageSid }]);

    // Opted out: nothing from this system, on any path.
    assert.equal((await w.post('/twilio/sms', sms(from, 'HELP'))).text, EMPTY);
    assert.equal((await w.post('/twilio/sms', sms(from, 'when is my appointment?'))).text, EMPTY);
    // Even the replay of the earlier HELP (which had an answer) now gets nothing.
    assert.equal((await w.post('/twilio/sms', help1)).text, EMPTY);

    const yes = sms(from, 'Yes');
    assert.equal((await w.post('/twilio/sms', yes)).text, EMPTY);
    const l = await ledger(from);
    assert.equal(l.length, 2);
    assert.deepEqual(l[1], { state: 'opted_in', keyword: 'YES', source: 'body', message_id: yes.MessageSid });

    // YES while opted in is an ordinary reply: no ledger entry.
    await w.post('/twilio/sms', sms(from, 'YES'));
    assert.equal((await ledger(from)).length, 2);

    const help2 = await w.post('/twilio/sms', sms(from, 'INFO'));
    assert.match(help2.text, /<Message>Glow Med Spa: for help contact \+14155550100\..*Reply STOP to opt out\.<\/Message>/);
  });

  test('every opt-out keyword, and START/UNSTOP opt back in', async () => {
    for (const word of ['STOPALL', 'unsubscribe', 'Cancel', 'END', 'quit', 'REVOKE', 'opt-out']) {
      const from = patient();
      await w.post('/twilio/sms', sms(from, word));
      const [e] = await ledger(from);
      assert.equal(e.state, 'opted_out', word);
      for (const back of ['START', 'unstop']) {
        await w.post('/twilio/sms', sms(from, 'STOP'));
        await w.post('/twilio/sms', sms(from, back));
        const l = await ledger(from);
        assert.equal(l.at(-1).state, 'opted_in', back);
      }
    }
  });

  test('one conversation is handled one message at a time: concurrent deliveries stay consistent', async () => {
    const from = patient();
    const words = ['HELP', 'HELP', 'STOP', 'HELP', 'HELP', 'START', 'HELP', 'STOP', 'HELP'];
    const msgs = words.map((word) => sms(from, word));
    const answers = await Promise.all(msgs.map((p) => w.post('/twilio/sms', p)));
    // The audit log's ids give the order the conversation's object handled the messages in.
    const ids = msgs.map((p) => q(p.MessageSid)).join(', ');
    const rows = await w.d1(`SELECT entity_id, id FROM audit_log
      WHERE action = 'create' AND entity = 'messages' AND entity_id IN (${ids}) ORDER BY id`);
    assert.equal(rows.length, msgs.length);
    let optedIn = true;
    const expectedLedger = [];
    for (const { entity_id: messageSid } of rows) {
      const i = msgs.findIndex((p) => p.MessageSid === messageSid);
      if (words[i] === 'STOP') { optedIn = false; expectedLedger.push(['opted_out', messageSid]); }
      if (words[i] === 'START') { optedIn = true; expectedLedger.push(['opted_in', messageSid]); }
      if (words[i] === 'HELP') {
        assert.equal(answers[i].text.includes('<Message>'), optedIn, `HELP #${i} against the consent at its turn`);
      }
    }
    assert.deepEqual((await ledger(from)).map((e) => [e.state, e.message_id]), expectedLedger);
  });

  test('a keyword inside a sentence is not a keyword', async () => {
    const from = patient();
    await w.post('/twilio/sms', sms(from, 'please stop the swelling'));
    assert.deepEqual(await ledger(from), []);
  });

  test('OptOutType (Advanced Opt-Out) is honoured for custom keywords', async () => {
    const from = patient();
    const p = sms(from, 'arret', { OptOutType: 'STOP' });
    assert.equal((await w.post('/twilio/sms', p)).text, EMPTY);
    assert.deepEqual(await ledger(from), [
      { state: 'opted_out', keyword: 'STOP', source: 'opt_out_type', message_id: p.MessageSid }]);
    assert.equal((await w.post('/twilio/sms', sms(from, 'aide', { OptOutType: 'HELP' }))).text, EMPTY);
    await w.post('/twilio/sms', sms(from, 'reprendre', { OptOutType: 'START' }));
    assert.equal((await ledger(from)).at(-1).state, 'opted_in');
    assert.match((await w.post('/twilio/sms', sms(from, 'aide', { OptOutType: 'HELP' }))).text, /<Message>/);
  });
});

describe('status callbacks', () => {
  const post = (p, opts) => w.post('/twilio/status', p, opts);

  test('out-of-order callbacks never move the status backwards; all are kept', async () => {
    const s = sid();
    for (const status of ['sent', 'queued', 'delivered', 'sending', 'sent']) {
      const r = await post({ MessageSid: s, MessageStatus: status, AccountSid: sid('AC') });
      assert.equal(r.status, 200);
      assert.match(r.type, /^text\/xml/);
    }
    let [cur] = await w.d1(`SELECT status FROM message_status WHERE twilio_sid = ${q(s)}`);
    assert.equal(cur.status, 'delivered');
    await post({ MessageSid: s, MessageStatus: 'undelivered', ErrorCode: '30003' });
    [cur] = await w.d1(`SELECT status FROM message_status WHERE twilio_sid = ${q(s)}`);
    assert.equal(cur.status, 'delivered', 'terminal outcomes do not replace each other');
    await post({ MessageSid: s, MessageStatus: 'read' });
    [cur] = await w.d1(`SELECT status FROM message_status WHERE twilio_sid = ${q(s)}`);
    assert.equal(cur.status, 'read');
    const events = await w.d1(`SELECT status, error_code, known_message FROM status_events WHERE twilio_sid = ${q(s)} ORDER BY id`);
    assert.deepEqual(events.map((e) => e.status), ['sent', 'queued', 'delivered', 'sending', 'sent', 'undelivered', 'read']);
    assert.equal(events[5].error_code, '30003');
    assert.ok(events.every((e) => e.known_message === 0), 'unknown SID kept for reconciliation');
  });

  test('a callback for a stored message is marked known', async () => {
    const p = sms(patient(), 'status for me');
    await w.post('/twilio/sms', p);
    assert.equal((await post({ MessageSid: p.MessageSid, MessageStatus: 'read' })).status, 200);
    const [e] = await w.d1(`SELECT known_message FROM status_events WHERE twilio_sid = ${q(p.MessageSid)}`);
    assert.equal(e.known_message, 1);
  });

  test('unsigned or forged callbacks: 403, nothing stored', async () => {
    const s = sid();
    assert.equal((await post({ MessageSid: s, MessageStatus: 'sent' }, { signature: null })).status, 403);
    assert.equal((await post({ MessageSid: s, MessageStatus: 'sent' }, { signature: 'AAAA' })).status, 403);
    assert.equal(await count('status_events', `twilio_sid = ${q(s)}`), 0);
  });

  test('missing MessageStatus: 400', async () => {
    const r = await post({ MessageSid: sid() });
    assert.deepEqual([r.status, JSON.parse(r.text)], [400, { error: 'missing_message_status' }]);
  });
});

describe('storage', () => {
  test('templates are versioned: an edit in place is refused, a new version is not', async () => {
    const now = new Date().toISOString();
    await w.d1Exec(`INSERT INTO templates (name, version, body, created_at) VALUES ('aftercare', 1, 'v1', ${q(now)})`);
    await assert.rejects(w.d1Exec(`UPDATE templates SET body = 'edited' WHERE name = 'aftercare'`));
    await w.d1Exec(`INSERT INTO templates (name, version, body, created_at) VALUES ('aftercare', 2, 'v2', ${q(now)})`);
    const rows = await w.d1(`SELECT version, body FROM templates WHERE name = 'aftercare' ORDER BY version`);
    assert.deepEqual(rows, [{ version: 1, body: 'v1' }, { version: 2, body: 'v2' }]);
    await assert.rejects(w.d1Exec(`UPDATE messages SET body_ct = 'x'`));
    await assert.rejects(w.d1Exec(`DELETE FROM consent_events`));
  });

  test('a dump of the local D1 (and the raw state files) has no plaintext body or number', async () => {
    const marker = 'zebra-marker-botox-question';
    await w.post('/twilio/sms', sms(patient(), `Is it normal? ${marker}`));
    const dump = await w.dump();
    assert.match(dump, /INSERT INTO "messages"/);
    const raw = (await w.rawState()).toString('latin1');
    for (const body of [...SECRET_BODIES, marker].filter((b) => b.length >= 12)) {
      assert.ok(!dump.includes(body), `dump contains a body: ${body.slice(0, 20)}`);
      assert.ok(!raw.includes(body), `state files contain a body: ${body.slice(0, 20)}`);
    }
    assert.ok(SECRET_NUMBERS.size > 10);
    for (const n of SECRET_NUMBERS) {
      // With and without the country code: "+14155550123", "4155550123".
      for (const form of [n, n.slice(2)]) {
        assert.ok(!dump.includes(form), 'dump contains a phone number');
        assert.ok(!raw.includes(form), 'state files contain a phone number');
      }
    }
  });

  test('logs carry ids and codes, never bodies or phone numbers', async () => {
    const log = w.log();
    assert.match(log, /inbound stored sid=SM/);
    for (const body of SECRET_BODIES.filter((b) => b.length >= 12)) {
      assert.ok(!log.includes(body), `log contains a body: ${body.slice(0, 20)}`);
    }
    assert.ok(!/\+1415\d{7}/.test(log), 'log contains a phone number');
    for (const n of SECRET_NUMBERS) assert.ok(!log.includes(n.slice(2)), 'log contains a phone number');
  });
});
