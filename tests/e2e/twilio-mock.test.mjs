// The local Twilio itself (tests/twilio): Prism on Twilio's published OpenAPI spec behind the
// fault proxy. Real HTTP requests only: validation must come from the spec, echoes and lists
// from what was created, faults as scripted, status callbacks signed as Twilio signs them
// (checked with the official SDK's validateRequest).
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import twilio from 'twilio';
import { startTwilio } from '../twilio/mock.mjs';
import { root } from '../twilio/prism.mjs';

const TOKEN = 'mock-test-auth-token';
const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';
const OTHER_ACCOUNT = 'ACfedcba9876543210fedcba9876543210';
const CLINIC = '+14155550190';
const SERVICE = 'MG0123456789abcdef0123456789abcdef';
const PRISM_EXAMPLE_BODY = 'Hello! 👍';
const RFC2822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/;

let numbers = 0;
/** A fresh recipient, so tests never see each other's messages. */
const patient = () => `+1555010${String(++numbers).padStart(4, '0')}`;
const basic = (user = ACCOUNT, pass = TOKEN) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const messagesPath = (account = ACCOUNT) => `/2010-04-01/Accounts/${account}/Messages.json`;
const sms = (to, extra = {}) => ({ To: to, From: CLINIC, Body: 'Glow Med Spa: your visit is confirmed.', ...extra });
const today = () => new Date().toISOString().slice(0, 10);

async function answer(res) {
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, text, json };
}

/** POST Messages.json, form-encoded with Basic auth (auth: null sends none). */
async function send(params, { base = t.base, account = ACCOUNT, auth = basic(), signal } = {}) {
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (auth) headers.Authorization = auth;
  const res = await fetch(`${base}${messagesPath(account)}`, {
    method: 'POST', headers, body: new URLSearchParams(params).toString(), signal,
  });
  return answer(res);
}

/** GET a Twilio path (query given as a raw string so tests control its encoding). */
async function get(pathAndQuery, { base = t.base, auth = basic() } = {}) {
  const res = await fetch(`${base}${pathAndQuery}`, { headers: auth ? { Authorization: auth } : {} });
  return answer(res);
}

async function until(check, what, ms = 5000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A small HTTP server standing in for the Worker's /twilio/status. */
async function callbackServer() {
  const got = [];
  const srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', async () => {
      got.push({ url: `${base}${req.url}`, headers: req.headers,
        params: Object.fromEntries(new URLSearchParams(body)) });
      if (srv.hold) await srv.hold;
      if (res.destroyed) return;
      res.writeHead(srv.answerStatus ?? 200, { 'Content-Type': 'text/xml' });
      res.end('<Response/>');
    });
  });
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const base = `http://127.0.0.1:${srv.address().port}`;
  return { base, got, srv, close: () => new Promise((r) => srv.close(r)) };
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

let t;
let cb;
before(async () => {
  t = await startTwilio({ authToken: TOKEN });
  cb = await callbackServer();
});
after(async () => {
  await t?.stop();
  await cb?.close();
});
beforeEach(() => {
  t.reset();
  cb.got.length = 0;
});

describe('validation comes from Twilio\'s spec (Prism) and Twilio\'s rules', () => {
  test('401 without credentials, and nothing is created', async () => {
    const to = patient();
    const r = await send(sms(to), { auth: null });
    assert.equal(r.status, 401);
    assert.match(r.headers.get('content-type'), /problem\+json/);
    assert.deepEqual(t.received(to), []);
  });

  test('401 with Twilio\'s 20003 when the Auth Token is wrong; API key credentials pass', async () => {
    const to = patient();
    const r = await send(sms(to), { auth: basic(ACCOUNT, 'not-the-token') });
    assert.equal(r.status, 401);
    assert.equal(r.json.code, 20003);
    assert.equal(r.json.status, 401);
    assert.equal(t.received(to).length, 0);
    const k = await send(sms(to), { auth: basic('SK0123456789abcdef0123456789abcdef', 'key-secret') });
    assert.equal(k.status, 201);
  });

  test('422 without To, with Prism naming the missing field; nothing created', async () => {
    const r = await send({ From: CLINIC, Body: 'hi' });
    assert.equal(r.status, 422);
    assert.ok(r.json.validation.some((v) => /'To'/.test(v.message)), r.text);
    assert.equal(t.received().length, 0);
  });

  test('422 for a malformed AccountSid in the path and for a StatusCallback that is not a URL', async () => {
    const a = await send(sms(patient()), { account: 'AC123' });
    assert.equal(a.status, 422);
    assert.ok(a.json.validation.some((v) => v.location.includes('accountsid')), a.text);
    const b = await send(sms(patient(), { StatusCallback: 'not a url' }));
    assert.equal(b.status, 422);
    assert.equal(t.received().length, 0);
  });

  test('Twilio\'s own create rules: 21211 bad To, 21603 no sender, 21602 no body, 21617 over 1,600', async () => {
    const cases = [
      [{ ...sms('555-0100') }, 21211],
      [{ To: patient(), Body: 'hi' }, 21603],
      [{ To: patient(), From: CLINIC }, 21602],
      [sms(patient(), { Body: 'x'.repeat(1601) }), 21617],
    ];
    for (const [params, code] of cases) {
      const r = await send(params);
      assert.equal(r.status, 400, `${code}: ${r.text}`);
      assert.equal(r.json.code, code);
      assert.equal(r.json.more_info, `https://www.twilio.com/docs/errors/${code}`);
    }
    assert.equal(t.received().length, 0);
    const edge = await send(sms(patient(), { Body: 'x'.repeat(1600) }));
    assert.equal(edge.status, 201, 'exactly 1,600 characters is allowed');
    assert.equal(edge.json.num_segments, String(Math.ceil(1600 / 153)));
  });
});

describe('create echoes the real message', () => {
  test('201 with the request\'s values, a fresh SID each time, and the message recorded', async () => {
    const to = patient();
    const cbUrl = `${cb.base}/twilio/status?ref=abc`;
    const before = Date.now();
    const a = await send(sms(to, { Body: 'Reminder: tomorrow 2pm', StatusCallback: cbUrl }));
    const b = await send(sms(to, { Body: 'Second' }));
    assert.equal(a.status, 201, a.text);
    assert.equal(b.status, 201);
    assert.match(a.headers.get('content-type'), /^application\/json/);
    const m = a.json;
    assert.match(m.sid, /^SM[0-9a-f]{32}$/);
    assert.notEqual(m.sid, b.json.sid);
    assert.equal(m.account_sid, ACCOUNT);
    assert.equal(m.to, to);
    assert.equal(m.from, CLINIC);
    assert.equal(m.body, 'Reminder: tomorrow 2pm');
    assert.notEqual(m.body, PRISM_EXAMPLE_BODY);
    assert.equal(m.status, 'queued');
    assert.equal(m.direction, 'outbound-api');
    assert.equal(m.messaging_service_sid, null);
    assert.equal(m.error_code, null);
    assert.equal(m.num_segments, '1');
    assert.equal(m.uri, `/2010-04-01/Accounts/${ACCOUNT}/Messages/${m.sid}.json`);
    for (const k of ['date_created', 'date_sent', 'date_updated']) assert.match(m[k], RFC2822, k);
    const created = Date.parse(m.date_created);
    assert.ok(created >= before - 1000 && created <= Date.now() + 1000, m.date_created);
    const rec = t.received(to);
    assert.deepEqual(rec.map((r) => r.sid), [m.sid, b.json.sid], 'oldest first');
    assert.equal(rec[0].status_callback, cbUrl);
    assert.equal(rec[1].status_callback, null);
    assert.equal(rec[0].fault, null);
    assert.equal(t.received(patient()).length, 0, 'filtered by recipient');
  });

  test('segments as Twilio counts them: GSM-7 160/153, UCS-2 70/67, extension characters count twice', async () => {
    const cases = [['a'.repeat(160), '1'], ['a'.repeat(161), '2'], ['€'.repeat(80), '1'], ['€'.repeat(81), '2'],
      ['é'.repeat(70), '1'], ['ł'.repeat(70), '1'], ['ł'.repeat(71), '2'], ['😊'.repeat(35), '1'], ['😊'.repeat(36), '2']];
    for (const [body, want] of cases) {
      const r = await send(sms(patient(), { Body: body }));
      assert.equal(r.json.num_segments, want, `${body.slice(0, 3)}... x${[...body].length}`);
    }
  });

  test('a Messaging Service send starts accepted with no From yet', async () => {
    const r = await send({ To: patient(), MessagingServiceSid: SERVICE, Body: 'hi' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.status, 'accepted');
    assert.equal(r.json.from, null);
    assert.equal(r.json.messaging_service_sid, SERVICE);
  });

  test('GET Messages/{Sid}.json answers from the record; unknown is 404, malformed 422', async () => {
    const created = (await send(sms(patient()))).json;
    const r = await get(`/2010-04-01/Accounts/${ACCOUNT}/Messages/${created.sid}.json`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, created);
    const unknown = `SM${'0'.repeat(32)}`;
    const nf = await get(`/2010-04-01/Accounts/${ACCOUNT}/Messages/${unknown}.json`);
    assert.equal(nf.status, 404);
    assert.equal(nf.json.code, 20404);
    assert.equal(nf.json.status, 404);
    const other = await get(`/2010-04-01/Accounts/${OTHER_ACCOUNT}/Messages/${created.sid}.json`);
    assert.equal(other.status, 404, 'another account cannot read it');
    const bad = await get(`/2010-04-01/Accounts/${ACCOUNT}/Messages/nope.json`);
    assert.equal(bad.status, 422);
    const anon = await get(`/2010-04-01/Accounts/${ACCOUNT}/Messages/${created.sid}.json`, { auth: null });
    assert.equal(anon.status, 401);
  });
});

describe('list Messages.json: Twilio\'s filters over what was created', () => {
  /** Three messages to one number on three UTC days, one to another number, one in another account. */
  async function seed() {
    const to = patient();
    const other = patient();
    const at = async (iso, params, account) => {
      t.clock(iso);
      const r = await send(params, { account });
      assert.equal(r.status, 201, r.text);
      return r.json.sid;
    };
    const a = await at('2026-11-28T10:00:00Z', sms(to, { Body: 'a' }));
    const b = await at('2026-11-29T23:59:00Z', sms(to, { Body: 'b' }));
    const c = await at('2026-11-30T00:01:00Z', sms(to, { Body: 'c', From: '+14155550191' }));
    const d = await at('2026-11-29T12:00:00Z', sms(other, { Body: 'd' }));
    await at('2026-11-29T12:00:00Z', sms(to, { Body: 'e' }), OTHER_ACCOUNT);
    t.clock(null);
    return { to, other, a, b, c, d };
  }
  const sids = (r) => r.json.messages.map((m) => m.sid);
  const q = (params) => `${messagesPath()}?${new URLSearchParams(params)}`;

  test('To, From and the DateSent forms filter, newest first, within the account', async () => {
    const { to, other, a, b, c, d } = await seed();
    assert.deepEqual(sids(await get(q({ To: to }))), [c, b, a]);
    assert.deepEqual(sids(await get(q({ To: other }))), [d]);
    assert.deepEqual(sids(await get(q({ To: to, From: CLINIC }))), [b, a]);
    assert.deepEqual(sids(await get(q({ To: to, DateSent: '2026-11-29' }))), [b]);
    assert.deepEqual(sids(await get(q({ To: to, 'DateSent>': '2026-11-29' }))), [c, b]);
    assert.deepEqual(sids(await get(q({ To: to, 'DateSent<': '2026-11-29' }))), [b, a]);
    assert.deepEqual(sids(await get(q({ To: to, 'DateSent>': '2026-11-29', 'DateSent<': '2026-11-29' }))), [b]);
    assert.deepEqual(sids(await get(q({ To: to, 'DateSent>': '2026-12-01' }))), []);
    // The SDKs send a date-time; Twilio filters on its UTC date.
    assert.deepEqual(sids(await get(q({ To: to, 'DateSent>': '2026-11-29T23:00:00Z' }))), [c, b]);
    assert.deepEqual(sids(await get(q({ To: to, DateSent: '2026-11-30T00:00:00Z' }))), [c]);
    // Written by hand as in Twilio's docs (unencoded '>' and '<').
    assert.deepEqual(sids(await get(`${messagesPath()}?To=${encodeURIComponent(to)}&DateSent>=2026-11-30`)), [c]);
    assert.deepEqual(sids(await get(`${messagesPath()}?To=${encodeURIComponent(to)}&DateSent<=2026-11-28`)), [a]);
  });

  test('Twilio\'s list shape, dates as Twilio writes them, and paging that can be followed', async () => {
    const { to, a, b, c } = await seed();
    const p0 = await get(q({ To: to, PageSize: '2' }));
    assert.equal(p0.status, 200);
    for (const k of ['messages', 'page', 'page_size', 'uri', 'next_page_uri', 'first_page_uri',
      'previous_page_uri', 'start', 'end']) assert.ok(k in p0.json, k);
    assert.deepEqual(sids(p0), [c, b]);
    assert.equal(p0.json.page, 0);
    assert.equal(p0.json.page_size, 2);
    assert.equal(p0.json.start, 0);
    assert.equal(p0.json.end, 1);
    assert.equal(p0.json.previous_page_uri, null);
    assert.match(p0.json.uri, new RegExp(`^${messagesPath()}\\?`));
    assert.equal(p0.json.messages[0].date_sent, 'Mon, 30 Nov 2026 00:01:00 +0000');
    const p1 = await get(p0.json.next_page_uri);
    assert.equal(p1.status, 200, p1.text);
    assert.deepEqual(sids(p1), [a]);
    assert.equal(p1.json.page, 1);
    assert.equal(p1.json.next_page_uri, null);
    assert.ok(p1.json.previous_page_uri);
  });

  test('bad filters are refused: 422 from Prism for DateSent, from the proxy for DateSent< and >', async () => {
    for (const query of [q({ DateSent: 'yesterday' }), q({ 'DateSent>': 'yesterday' }),
      q({ 'DateSent<': '2026-02-30' }), q({ 'DateSent>': '2026-11-29 10:00' }), q({ PageSize: '0' })]) {
      const r = await get(query);
      assert.equal(r.status, 422, `${query}: ${r.text}`);
      assert.ok(Array.isArray(r.json.validation), r.text);
    }
  });

  test('401 without credentials; an empty list is still Twilio\'s shape', async () => {
    assert.equal((await get(q({ To: patient() }), { auth: null })).status, 401);
    const r = await get(q({ To: patient() }));
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.messages, []);
    assert.equal(r.json.next_page_uri, null);
  });
});

describe('scripted faults', () => {
  const control = (method, path, body) => fetch(`${t.base}${path}`, {
    method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  }).then(answer);

  test('429: Twilio\'s 20429 with Retry-After, not created, only for the matching number and times', async () => {
    const to = patient();
    const bystander = patient();
    t.fault({ kind: '429', to, times: 2, retry_after: 7 });
    const other = await send(sms(bystander));
    assert.equal(other.status, 201, 'another number is not affected');
    for (let i = 0; i < 2; i += 1) {
      const r = await send(sms(to));
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('retry-after'), '7');
      assert.equal(r.json.code, 20429);
      assert.equal(r.json.status, 429);
    }
    assert.equal(t.received(to).length, 0);
    const third = await send(sms(to));
    assert.equal(third.status, 201, 'the fault is used up after `times`');
    assert.deepEqual(t.faults(), []);
  });

  test('a request that fails validation does not use up a fault', async () => {
    const to = patient();
    t.fault({ kind: '429', to });
    assert.equal((await send({ To: to, From: CLINIC, Body: 'x' }, { auth: null })).status, 401);
    assert.equal((await send({ To: to, Body: 'x' })).status, 400, '21603');
    assert.equal((await send(sms(to))).status, 429);
  });

  test('500 creates nothing; 500_after_create creates the message and the list finds it', async () => {
    const to = patient();
    t.fault([{ kind: '500', to }, { kind: '500_after_create', to }]);
    const r1 = await send(sms(to));
    assert.equal(r1.status, 500);
    assert.equal(r1.json.code, 20500);
    assert.equal(t.received(to).length, 0);
    const r2 = await send(sms(to, { Body: 'lost answer' }));
    assert.equal(r2.status, 500);
    const rec = t.received(to);
    assert.equal(rec.length, 1);
    assert.equal(rec[0].fault, '500_after_create');
    assert.equal(rec[0].body, 'lost answer');
    const found = await get(`${messagesPath()}?${new URLSearchParams({ To: to, 'DateSent>': today() })}`);
    assert.deepEqual(found.json.messages.map((m) => m.sid), [rec[0].sid], 'reconciliation sees it');
  });

  test('timeout_after_create: created, the answer never comes until the client gives up', async () => {
    const to = patient();
    t.fault({ kind: 'timeout_after_create', to });
    const t0 = Date.now();
    await assert.rejects(send(sms(to), { signal: AbortSignal.timeout(400) }), { name: 'TimeoutError' });
    assert.ok(Date.now() - t0 >= 350);
    const rec = t.received(to);
    assert.equal(rec.length, 1);
    assert.equal(rec[0].fault, 'timeout_after_create');
    assert.equal((await send(sms(to))).status, 201, 'the proxy still answers afterwards');
  });

  test('timeout_after_create with delay_ms: the 201 comes late', async () => {
    const to = patient();
    t.fault({ kind: 'timeout_after_create', to, delay_ms: 300 });
    const t0 = Date.now();
    const r = await send(sms(to));
    assert.ok(Date.now() - t0 >= 280, `answered after ${Date.now() - t0} ms`);
    assert.equal(r.status, 201);
    assert.equal(r.json.sid, t.received(to)[0].sid);
  });

  test('reset_before_send: the connection is reset and nothing is created', async () => {
    const to = patient();
    t.fault({ kind: 'reset_before_send', to });
    await assert.rejects(send(sms(to)), (e) => {
      assert.equal(e.name, 'TypeError');
      assert.match(String(e.cause?.code ?? e.cause?.message), /ECONNRESET|UND_ERR_SOCKET|other side closed/);
      return true;
    });
    assert.equal(t.received(to).length, 0);
    assert.equal((await send(sms(to))).status, 201);
  });

  test('21610: Twilio\'s exact error body, not created; 21211 likewise', async () => {
    const to = patient();
    t.fault([{ kind: '21610', to }, { kind: '21211', to }]);
    const r = await send(sms(to));
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { code: 21610, message: 'Attempt to send to unsubscribed recipient',
      more_info: 'https://www.twilio.com/docs/errors/21610', status: 400 });
    const r2 = await send(sms(to));
    assert.equal(r2.status, 400);
    assert.equal(r2.json.code, 21211);
    assert.equal(t.received(to).length, 0);
  });

  test('30007 and 30003: created (201), then signed callbacks sent then undelivered with ErrorCode', async () => {
    for (const code of ['30007', '30003']) {
      const to = patient();
      cb.got.length = 0;
      t.fault({ kind: code, to });
      const url = `${cb.base}/twilio/status`;
      const r = await send(sms(to, { StatusCallback: url }));
      assert.equal(r.status, 201);
      assert.equal(r.json.status, 'queued');
      await until(() => cb.got.length >= 2, `${code} callbacks`);
      assert.deepEqual(cb.got.map((g) => g.params.MessageStatus), ['sent', 'undelivered']);
      const last = cb.got[1];
      assert.equal(last.params.ErrorCode, code);
      assert.equal(last.params.MessageSid, r.json.sid);
      assert.equal(cb.got[0].params.ErrorCode, undefined);
      assert.ok(twilio.validateRequest(TOKEN, last.headers['x-twilio-signature'], last.url, last.params));
      const rec = t.received(to)[0];
      assert.equal(rec.status, 'undelivered');
      assert.equal(rec.error_code, Number(code));
    }
  });

  test('a 30xxx fault with status failed sends one failed callback', async () => {
    const to = patient();
    t.fault({ kind: '30003', to, status: 'failed' });
    const r = await send(sms(to, { StatusCallback: `${cb.base}/twilio/status` }));
    assert.equal(r.status, 201);
    await until(() => t.received(to)[0].status === 'failed', 'failed status');
    await new Promise((res) => setTimeout(res, 150));
    assert.deepEqual(cb.got.map((g) => [g.params.MessageStatus, g.params.ErrorCode]), [['failed', '30003']]);
  });

  test('faults through the control endpoints: arm, list, clear', async () => {
    const to = patient();
    const armed = await control('POST', '/__mock/faults', [{ kind: '21610', to, times: 3 }]);
    assert.equal(armed.status, 200);
    assert.equal(armed.json.armed, 1);
    const listed = await control('GET', '/__mock/faults');
    assert.equal(listed.json.length, 1);
    assert.equal(listed.json[0].times, 3);
    assert.equal((await send(sms(to))).status, 400);
    assert.equal((await control('GET', '/__mock/faults')).json[0].times, 2);
    assert.equal((await control('DELETE', '/__mock/faults')).status, 200);
    assert.equal((await send(sms(to))).status, 201);
    const msgs = await control('GET', `/__mock/messages?to=${encodeURIComponent(to)}`);
    assert.equal(msgs.json.length, 1);
    assert.equal((await control('DELETE', '/__mock/messages')).status, 200);
    assert.deepEqual((await control('GET', `/__mock/messages?to=${encodeURIComponent(to)}`)).json, []);
  });

  test('the clock control moves date_created and dates Twilio filters on; DELETE restores it', async () => {
    const set = await control('POST', '/__mock/clock', { now: '2026-06-01T08:30:00Z' });
    assert.equal(set.status, 200);
    assert.match(set.json.now, /^2026-06-01T08:30/);
    const r = await send(sms(patient()));
    assert.match(r.json.date_created, /^Mon, 01 Jun 2026 08:30:\d{2} \+0000$/);
    assert.equal((await control('POST', '/__mock/clock', { now: 'soon' })).status, 400);
    await control('DELETE', '/__mock/clock');
    const later = await send(sms(patient()));
    assert.ok(Math.abs(Date.parse(later.json.date_created) - Date.now()) < 5000);
  });

  test('unknown control endpoints are 404; an oversized body is 413', async () => {
    assert.equal((await control('GET', '/__mock/nothing')).status, 404);
    const big = await send(sms(patient(), { Body: 'x'.repeat(1.1 * 1024 * 1024) }));
    assert.equal(big.status, 413);
  });

  test('invalid fault specs are refused with a reason and arm nothing', async () => {
    const bad = [
      [[{ kind: 'explode' }], /kind "explode"/],
      [[{ kind: '429', time: 2 }], /unknown field "time"/],
      [[{ kind: '429', times: 0 }], /times/],
      [[{ kind: '429', delay_ms: 5 }], /delay_ms/],
      [[{ kind: '21610', status: 'failed' }], /status/],
      [[{ kind: '429' }, { kind: 'nope' }], /fault 1/],
      [[{ kind: 'timeout', op: 'list', to: '+15550100000' }], /to applies only/],
    ];
    for (const [spec, why] of bad) {
      const r = await control('POST', '/__mock/faults', spec);
      assert.equal(r.status, 400, JSON.stringify(spec));
      assert.match(r.json.error, why);
    }
    const notJson = await fetch(`${t.base}/__mock/faults`, { method: 'POST', body: '{' }).then(answer);
    assert.equal(notJson.status, 400);
    assert.deepEqual(t.faults(), [], 'a batch with one bad spec arms none');
    assert.throws(() => t.fault({ kind: 'explode' }), /kind "explode"/);
  });

  test('list faults (op: list): 429, 500, reset and timeout on GET Messages.json', async () => {
    const q = `${messagesPath()}?To=${encodeURIComponent(patient())}`;
    t.fault([{ op: 'list', kind: '429' }, { op: 'list', kind: '500' }, { op: 'list', kind: 'reset' },
      { op: 'list', kind: 'timeout', delay_ms: 250 }]);
    const a = await get(q);
    assert.equal(a.status, 429);
    assert.equal(a.json.code, 20429);
    assert.equal((await get(q)).status, 500);
    await assert.rejects(get(q), { name: 'TypeError' });
    const t0 = Date.now();
    const d = await get(q);
    assert.equal(d.status, 200);
    assert.ok(Date.now() - t0 >= 230);
    assert.equal((await send(sms(patient()))).status, 201, 'creates are not affected by list faults');
  });
});

describe('status callbacks (callbacks: true)', () => {
  let tc;
  let port;
  before(async () => {
    port = await freePort();
    tc = await startTwilio({ port, authToken: TOKEN, callbacks: true });
  });
  after(async () => { await tc?.stop(); });
  afterEach(() => tc.reset());

  test('the given port is used', () => {
    assert.equal(tc.base, `http://127.0.0.1:${port}`);
  });

  test('sent then delivered, signed with the Auth Token over the StatusCallback URL (query included)', async () => {
    const to = patient();
    const url = `${cb.base}/twilio/status?attempt=1&ref=abc`;
    const r = await send(sms(to, { StatusCallback: url }), { base: tc.base });
    assert.equal(r.status, 201, r.text);
    await until(() => cb.got.filter((g) => g.params.MessageSid === r.json.sid).length >= 2, 'two callbacks');
    const got = cb.got.filter((g) => g.params.MessageSid === r.json.sid);
    assert.deepEqual(got.map((g) => g.params.MessageStatus), ['sent', 'delivered']);
    for (const g of got) {
      assert.equal(g.url, url);
      assert.match(g.headers['content-type'], /^application\/x-www-form-urlencoded/);
      const sig = g.headers['x-twilio-signature'];
      assert.ok(sig, 'signed');
      assert.ok(twilio.validateRequest(TOKEN, sig, g.url, g.params), 'the SDK accepts the signature');
      assert.ok(!twilio.validateRequest('another-token', sig, g.url, g.params), 'and only under the token');
      assert.ok(!twilio.validateRequest(TOKEN, sig, g.url, { ...g.params, MessageStatus: 'read' }),
        'and only for these parameters');
      const p = g.params;
      assert.equal(p.SmsSid, p.MessageSid);
      assert.equal(p.SmsStatus, p.MessageStatus);
      assert.equal(p.AccountSid, ACCOUNT);
      assert.equal(p.From, CLINIC);
      assert.equal(p.To, to);
      assert.equal(p.ApiVersion, '2010-04-01');
      assert.equal(p.ErrorCode, undefined);
    }
    assert.match(got[1].params.RawDlrDoneDate, /^\d{10}$/);
    assert.equal(tc.received(to)[0].status, 'delivered');
    const fetched = await get(`/2010-04-01/Accounts/${ACCOUNT}/Messages/${r.json.sid}.json`, { base: tc.base });
    assert.equal(fetched.json.status, 'delivered');
    const log = tc.callbacks(r.json.sid);
    assert.deepEqual(log.map((e) => [e.status, e.http_status, e.error]), [['sent', 200, null], ['delivered', 200, null]]);
  });

  test('a Messaging Service send goes queued (sender picked), sent, delivered', async () => {
    const to = patient();
    const r = await send({ To: to, MessagingServiceSid: SERVICE, Body: 'hi',
      StatusCallback: `${cb.base}/twilio/status` }, { base: tc.base });
    await until(() => cb.got.filter((g) => g.params.MessageSid === r.json.sid).length >= 3, 'three callbacks');
    const got = cb.got.filter((g) => g.params.MessageSid === r.json.sid);
    assert.deepEqual(got.map((g) => g.params.MessageStatus), ['queued', 'sent', 'delivered']);
    assert.ok(got.every((g) => g.params.MessagingServiceSid === SERVICE && g.params.From === CLINIC));
  });

  test('a failing or absent callback receiver is logged and does not disturb the mock', async () => {
    cb.srv.answerStatus = 500;
    try {
      const to = patient();
      const r = await send(sms(to, { StatusCallback: `${cb.base}/twilio/status` }), { base: tc.base });
      const dead = `http://127.0.0.1:${await freePort()}/twilio/status`;
      const r2 = await send(sms(to, { StatusCallback: dead }), { base: tc.base });
      await until(() => tc.callbacks(r.json.sid).length === 2 && tc.callbacks(r2.json.sid).length === 2
        && tc.callbacks(r2.json.sid).every((e) => e.error), 'callback attempts');
      assert.deepEqual(tc.callbacks(r.json.sid).map((e) => e.http_status), [500, 500], 'not retried');
      assert.ok(tc.callbacks(r2.json.sid).every((e) => e.error === 'ECONNREFUSED'));
      assert.equal((await send(sms(to), { base: tc.base })).status, 201);
    } finally {
      cb.srv.answerStatus = 200;
    }
  });

  test('reset() abandons callbacks still to come, the one in flight included', async () => {
    // The receiver holds the first callback unanswered, so reset() lands mid-lifecycle.
    let release;
    cb.srv.hold = new Promise((r) => { release = r; });
    try {
      const r = await send(sms(patient(), { StatusCallback: `${cb.base}/twilio/status` }), { base: tc.base });
      await until(() => cb.got.some((g) => g.params.MessageSid === r.json.sid), 'the first callback');
      tc.reset();
      release();
      await new Promise((res) => setTimeout(res, 300));
      assert.deepEqual(cb.got.filter((g) => g.params.MessageSid === r.json.sid).map((g) => g.params.MessageStatus),
        ['sent'], 'delivered is never sent');
      assert.deepEqual(tc.callbacks(), []);
      assert.deepEqual(tc.received(), []);
    } finally {
      cb.srv.hold = null;
      release();
    }
  });
});

describe('CLI (what make dev runs)', () => {
  const cli = join(root, 'tests', 'twilio', 'mock.mjs');
  const run = (args, env = {}) => spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, TWILIO_AUTH_TOKEN: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = (child) => {
    const r = { out: '', err: '' };
    child.stdout.on('data', (d) => { r.out += d; });
    child.stderr.on('data', (d) => { r.err += d; });
    r.done = once(child, 'exit').then(([code]) => ({ code, out: r.out, err: r.err }));
    return r;
  };

  test('prints its base once Prism is up, serves, and takes Prism down with it on SIGTERM', async () => {
    const port = await freePort();
    const child = run(['--port', String(port)], { TWILIO_AUTH_TOKEN: TOKEN });
    const o = output(child);
    await until(() => {
      if (child.exitCode !== null) throw new Error(`the CLI exited: ${o.err}`);
      return o.out.includes('\n');
    }, 'the CLI\'s base line', 60_000);
    const base = o.out.trim();
    assert.equal(base, `http://127.0.0.1:${port}`);
    const { prism } = await fetch(`${base}/__mock/health`).then((r) => r.json());
    assert.equal((await send(sms(patient()), { base })).status, 201, 'the token came from TWILIO_AUTH_TOKEN');
    assert.equal((await send(sms(patient()), { base, auth: null })).status, 401, 'Prism answers');
    child.kill('SIGTERM');
    const { code, out } = await o.done;
    assert.equal(code, 0);
    assert.equal(out, `${base}\n`, 'one line: the base');
    await assert.rejects(fetch(prism), 'Prism stopped with it');
  });

  test('refuses to start without an auth token, and fails fast on a taken port', async () => {
    const noToken = await output(run(['--port', '0'])).done;
    assert.equal(noToken.code, 1);
    assert.match(noToken.err, /authToken is required/);
    const t0 = Date.now();
    const taken = await output(run(['--port', new URL(t.base).port, '--auth-token', TOKEN])).done;
    assert.equal(taken.code, 1);
    assert.match(taken.err, /EADDRINUSE/);
    assert.ok(Date.now() - t0 < 3000, 'before starting Prism');
  });
});
