// `make load`: signed webhooks at a steady rate against the local Worker (workerd through
// wrangler, fresh local D1), then a check that every message was stored and triaged exactly once.
//
// Method: open loop. Request i is sent at start + i / rate whatever the earlier ones are doing,
// so a slow Worker shows up as latency rather than as a lower rate (a closed loop would hide
// it). Latency is from just before fetch() to the end of the response body, on this machine's
// loopback, client and Worker sharing its cores. Every request is signed by the official Twilio
// SDK. After the run the script waits for pending work to drain, then counts rows in D1.
//
// With --clinic the local Twilio runs and the example clinic is loaded, so automatic replies are
// rendered, written to the outbox and sent by REST as in production; the run then also reports
// how many replies went out and that none went out twice.
//
// Usage: node tests/load/load.mjs [--rate 100] [--seconds 60] [--patients 50] [--clinic]
//        [--via api|cli] [--json out.json]
import { performance } from 'node:perf_hooks';
import { writeFile } from 'node:fs/promises';
import { startWorker, sid } from '../e2e/harness.mjs';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const rate = Number(arg('rate', 100));
const seconds = Number(arg('seconds', 60));
const patients = Number(arg('patients', 50));
const jsonOut = arg('json', null);
// `--via cli` runs it under `wrangler dev` as the e2e tests do (inspector attached; see harness).
const via = arg('via', 'api');
const withClinic = process.argv.includes('--clinic');
for (const [name, v] of [['rate', rate], ['seconds', seconds], ['patients', patients]]) {
  if (!Number.isFinite(v) || v <= 0) {
    console.error(`--${name} must be a positive number, got ${v}`);
    process.exit(2);
  }
}

const CLINIC = '+14155550190';
// Ordinary messages only (no carrier keyword), so each one must be triaged.
const BODIES = [
  'what time do you open on saturday?',
  'can I move my botox to next thursday afternoon',
  'how much is lip filler',
  'running 10 min late sorry',
  'is it normal to have a small bruise 2 days after filler',
  'thank you so much, love my results!',
  'do you have parking',
  'C',
];

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

// With --clinic the replies go through a Messaging Service: one long code may send 1 message a
// second (the Worker paces it), far below these rates; a service is what a busy clinic uses.
const w = await startWorker(withClinic ? { TWILIO_MESSAGING_SERVICE_SID: `MG${'0'.repeat(32)}` } : {},
  { inspector: via === 'cli', twilio: withClinic });
let exitCode = 0;
try {
  const url = `${w.base}/twilio/sms`;
  const numbers = Array.from({ length: patients }, (_, i) => `+1415666${String(i).padStart(4, '0')}`);
  // Warm-up outside the measurement: the first request builds the classifier in the isolate.
  for (let i = 0; i < 3; i += 1) {
    const p = { MessageSid: sid(), AccountSid: sid('AC'), From: '+14156669999', To: CLINIC,
      Body: 'hello', NumMedia: '0' };
    await fetch(url, { method: 'POST', body: new URLSearchParams(p),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': w.sign(url, p) } });
  }
  const total = Math.round(rate * seconds);
  const statuses = new Map();
  const latencies = [];
  const sids = [];
  const start = performance.now();
  const inflight = [];
  for (let i = 0; i < total; i += 1) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const p = { MessageSid: sid(), AccountSid: sid('AC'), From: numbers[i % patients], To: CLINIC,
      Body: BODIES[i % BODIES.length], NumMedia: '0', NumSegments: '1' };
    sids.push(p.MessageSid);
    const sig = w.sign(url, p);
    const t0 = performance.now();
    inflight.push(fetch(url, { method: 'POST', body: new URLSearchParams(p),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': sig } })
      .then(async (r) => { await r.text(); return r.status; })
      .catch(() => 'error')
      .then((status) => {
        latencies.push(performance.now() - t0);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }));
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - start) / 1000;
  // Pending work drains through the conversations' alarms; wait for it.
  const deadline = Date.now() + 120_000;
  let pending;
  const hasPending = (await w.d1("SELECT name FROM sqlite_master WHERE name = 'pending_work'")).length > 0;
  for (;;) {
    // A schema from before pending work (to compare with an earlier commit) has none to wait for.
    pending = hasPending ? (await w.d1('SELECT COUNT(*) AS n FROM pending_work'))[0].n : 0;
    if (pending === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const inList = sids.map((s) => `'${s}'`).join(',');
  const [counts] = await w.d1(`SELECT
    (SELECT COUNT(*) FROM messages WHERE id IN (${inList})) AS stored,
    (SELECT COUNT(DISTINCT id) FROM messages WHERE id IN (${inList})) AS stored_distinct,
    (SELECT COUNT(*) FROM triage WHERE message_id IN (${inList})) AS triaged,
    (SELECT COUNT(*) FROM staff_queue WHERE message_id IN (${inList})) AS queued`);
  latencies.sort((a, b) => a - b);
  const result = {
    method: 'open loop, signed by the official Twilio SDK, client and Worker on one machine',
    clinic: withClinic,
    via, rate, seconds, patients, sent: total, elapsed_s: Number(elapsed.toFixed(2)),
    statuses: Object.fromEntries([...statuses.entries()].map(([k, v]) => [String(k), v])),
    latency_ms: {
      p50: Number(percentile(latencies, 50).toFixed(1)),
      p99: Number(percentile(latencies, 99).toFixed(1)),
      max: Number(latencies[latencies.length - 1].toFixed(1)),
    },
    stored: counts.stored, triaged: counts.triaged, queued: counts.queued, pending_left: pending,
  };
  if (withClinic) {
    // Replies drain through the conversations' alarms too.
    const outboxDeadline = Date.now() + 120_000;
    let open;
    for (;;) {
      [open] = await w.d1("SELECT COUNT(*) AS n FROM outbox WHERE state IN ('queued', 'sending', 'reconcile')");
      if (open.n === 0 || Date.now() > outboxDeadline) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    // Every REST-sent row, the warm-up's replies included: the local Twilio counts those too
    // (replies that travel in a webhook's TwiML answer never reach its REST API).
    const [o] = await w.d1(`SELECT COUNT(*) AS rows,
      SUM(state IN ('accepted', 'sent', 'delivered')) AS sent FROM outbox WHERE purpose = 'auto_reply'`);
    const received = w.twilio.received();
    const bySid = new Set(received.map((m) => m.sid));
    result.replies = { outbox_rows: o.rows, sent: o.sent, received_by_twilio: received.length,
      unsettled: open.n, distinct: bySid.size };
  }
  const exactlyOnce = counts.stored === total && counts.stored_distinct === total
    && counts.triaged === total && counts.queued === total && pending === 0;
  const repliesOnce = !withClinic || (result.replies.unsettled === 0
    && result.replies.received_by_twilio === Number(result.replies.sent));
  result.every_message_stored_and_triaged_once = exactlyOnce;
  if (withClinic) result.every_reply_sent_once = repliesOnce;
  console.log(JSON.stringify(result, null, 2));
  console.log(`load: ${total} webhooks at ${rate}/s for ${seconds} s: ` +
    `statuses ${JSON.stringify(result.statuses)}, p50 ${result.latency_ms.p50} ms, ` +
    `p99 ${result.latency_ms.p99} ms; stored ${counts.stored}, triaged ${counts.triaged}, ` +
    `queued ${counts.queued}, pending ${pending}: ${exactlyOnce ? 'every message once' : 'NOT every message once'}`);
  if (jsonOut) await writeFile(jsonOut, `${JSON.stringify(result, null, 2)}\n`);
  if (!exactlyOnce || !repliesOnce || (statuses.get(200) ?? 0) !== total) exitCode = 1;
} finally {
  await w.stop();
}
process.exit(exitCode);
