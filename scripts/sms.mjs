#!/usr/bin/env node
// `make sms BODY="..." [FROM=+1...] [PORT=8787]`: one inbound SMS to the local Worker, as Twilio
// would send it (form parameters signed with the official SDK under TWILIO_AUTH_TOKEN from
// .dev.vars, or .dev.vars.example), then what the Worker answered and every message the Worker
// sent back through the local Twilio (tests/twilio, started by `make dev`) within ~5 s.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import twilio from 'twilio';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The example clinic's number (as in the end-to-end tests). */
const CLINIC = '+14155550190';
/** A fictional patient number (555-01xx is reserved for fiction). */
const DEFAULT_FROM = '+15555550123';
const DEV_ACCOUNT = `AC${'0'.repeat(32)}`;
const POLL_MS = 5000;
const ADDRESS = /^(?:whatsapp:)?\+[1-9]\d{6,14}$/;

class Fail extends Error {}

/** KEY=VALUE lines of a .dev.vars file (dotenv-style quotes removed). */
function parseVars(text) {
  const out = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z_][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const q = /^(["'])(.*)\1$/.exec(m[2]);
    out[m[1]] = q ? q[2] : m[2];
  }
  return out;
}

async function settings() {
  for (const name of ['.dev.vars', '.dev.vars.example']) {
    try {
      return { file: name, vars: parseVars(await readFile(join(root, name), 'utf8')) };
    } catch (e) {
      if (e.code !== 'ENOENT') throw e;
    }
  }
  throw new Fail('sms: neither .dev.vars nor .dev.vars.example exists: run `make dev` once');
}

const refused = (e) => ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH'].includes(e?.cause?.code);

/** The local Twilio's record for `to`: { sids } when it answers, { down } or { foreign } when not. */
async function outbound(apiBase, to) {
  try {
    const r = await fetch(`${apiBase}/__mock/messages?to=${encodeURIComponent(to)}`,
      { signal: AbortSignal.timeout(2000) });
    const list = r.ok ? await r.json().catch(() => null) : null;
    if (!Array.isArray(list)) return { foreign: true };
    return { list };
  } catch (e) {
    if (refused(e) || e?.name === 'TimeoutError') return { down: true };
    throw e;
  }
}

function clock(rfc2822) {
  const d = new Date(rfc2822);
  return Number.isNaN(d.getTime()) ? rfc2822 : d.toTimeString().slice(0, 8);
}

async function main() {
  const { values } = parseArgs({
    options: {
      body: { type: 'string', default: '' },
      from: { type: 'string', default: '' },
      to: { type: 'string', default: CLINIC },
      port: { type: 'string', default: '8787' },
    },
  });
  const body = values.body;
  const from = values.from || DEFAULT_FROM;
  if (!body.trim()) throw new Fail('sms: BODY is empty: make sms BODY="what time do you open saturday?" [FROM=+1...]');
  if (!ADDRESS.test(from)) throw new Fail(`sms: FROM must be an E.164 number like ${DEFAULT_FROM}`);
  if (!ADDRESS.test(values.to)) throw new Fail(`sms: the To number must be E.164, like ${CLINIC}`);
  if (!/^\d+$/.test(values.port)) throw new Fail('sms: PORT must be a port number');

  const { file, vars } = await settings();
  const token = vars.TWILIO_AUTH_TOKEN;
  if (!token) throw new Fail(`sms: ${file} has no TWILIO_AUTH_TOKEN: copy it from .dev.vars.example`);
  const apiBase = (vars.TWILIO_API_BASE || `http://127.0.0.1:${process.env.TWILIO_PORT || 4010}`).replace(/\/+$/, '');
  const workerUrl = `http://127.0.0.1:${values.port}/twilio/sms`;
  // The Worker checks signatures against PUBLIC_BASE_URL when it is set.
  const signedUrl = vars.PUBLIC_BASE_URL ? `${vars.PUBLIC_BASE_URL.replace(/\/+$/, '')}/twilio/sms` : workerUrl;

  const before = await outbound(apiBase, from);
  const sid = `SM${randomBytes(16).toString('hex')}`;
  const params = {
    MessageSid: sid, SmsSid: sid, SmsMessageSid: sid, AccountSid: vars.TWILIO_ACCOUNT_SID || DEV_ACCOUNT,
    From: from, To: values.to, Body: body, NumMedia: '0', NumSegments: '1', SmsStatus: 'received',
    ApiVersion: '2010-04-01', FromCountry: 'US', ToCountry: 'US', ToCity: 'SAN FRANCISCO', ToState: 'CA',
    ToZip: '94103',
  };
  const signature = twilio.getExpectedTwilioSignature(token, signedUrl, params);
  console.log(`-> POST ${workerUrl}  From ${from}  To ${values.to}  (${sid})`);
  console.log(`   Body: ${body}`);
  let res;
  try {
    res = await fetch(workerUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature,
        'User-Agent': 'TwilioProxy/1.1' },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (e) {
    if (refused(e)) throw new Fail(`sms: no Worker answering at ${workerUrl}: start it with \`make dev\``);
    if (e?.name === 'TimeoutError') throw new Fail('sms: the Worker did not answer within 15 s (Twilio gives up then too)');
    throw e;
  }
  const answer = await res.text();
  console.log(`<- ${res.status} ${res.headers.get('content-type') ?? ''}`);
  console.log(answer ? `   ${answer.replace(/\n/g, '\n   ')}` : '   (empty body)');

  let failed = !res.ok;
  if (before.down) {
    console.error(`sms: no local Twilio at ${apiBase} to see the Worker's replies: start it with \`make dev\``);
    failed = true;
  } else if (before.foreign) {
    console.log(`(TWILIO_API_BASE ${apiBase} is not the local Twilio: replies sent through it are not shown)`);
  } else {
    const seen = new Set(before.list.map((m) => m.sid));
    console.log(`Replies to ${from} through the local Twilio (${apiBase}), up to ${POLL_MS / 1000} s:`);
    const deadline = Date.now() + POLL_MS;
    let quietUntil = deadline;
    let shown = 0;
    while (Date.now() < Math.min(deadline, quietUntil)) {
      await new Promise((r) => setTimeout(r, 250));
      const now = await outbound(apiBase, from);
      if (!now.list) break;
      for (const m of now.list) {
        if (seen.has(m.sid)) continue;
        seen.add(m.sid);
        shown += 1;
        const sender = m.from ?? m.messaging_service_sid ?? '?';
        const fault = m.fault ? `  [fault ${m.fault}]` : '';
        console.log(`   ${clock(m.date_created)}  from ${sender}: ${m.body}${fault}`);
        quietUntil = Date.now() + 1500;
      }
    }
    if (!shown) console.log('   (none)');
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  console.error(e instanceof Fail ? e.message : `sms: ${e?.stack ?? e}`);
  process.exitCode = 1;
});
