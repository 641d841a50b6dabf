// The fault proxy in front of Prism. Every Twilio request goes to Prism first, so validation
// against Twilio's spec is real; when Prism accepts, the proxy answers with real values (the
// message just created, the list filtered from what was created) or with a scripted fault.
// Control endpoints live under /__mock/, a prefix Twilio's API does not use.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { Callbacks, lifecycle } from './callbacks.mjs';
import { ASYNC_ERRORS, Faults, SYNC_ERRORS, twilioError } from './faults.mjs';
import { API_VERSION, MessageStore, listPage, mockJson, twilioJson } from './messages.mjs';

const BODY_LIMIT = 1024 * 1024;
const ACCOUNT = '/(?<account>[^/]+)';
const LIST_PATH = new RegExp(`^/${API_VERSION}/Accounts${ACCOUNT}/Messages\\.json$`);
const ONE_PATH = new RegExp(`^/${API_VERSION}/Accounts${ACCOUNT}/Messages/(?<sid>[^/]+)\\.json$`);
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host',
  'proxy-connection', 'upgrade', 'te', 'trailer']);
// E.164, optionally behind a channel prefix (whatsapp:+1...), as Twilio accepts in To.
const ADDRESS = /^(?:[a-z]+:)?\+[1-9]\d{1,14}$/;
const DATE_FILTERS = { DateSent: 'on', 'DateSent<': 'onOrBefore', 'DateSent>': 'onOrAfter' };

/** A YYYY-MM-DD (Twilio's documented format) or an ISO date-time (what the SDKs send), as the
 * UTC date Twilio filters on; null when it is neither. */
export function filterDay(value) {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const ms = Date.parse(`${value}T00:00:00Z`);
    return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value ? null : value;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : new Date(ms).toISOString().slice(0, 10);
  }
  return null;
}

/** The request body; past 1 MiB the rest is drained and the request answered 413. */
function readBody(req) {
  return new Promise((ok, fail) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= BODY_LIMIT) chunks.push(c);
    });
    req.on('end', () => {
      if (size > BODY_LIMIT) fail(Object.assign(new Error('request body over 1 MiB'), { status: 413 }));
      else ok(Buffer.concat(chunks));
    });
    req.on('error', fail);
  });
}

function sendJson(res, status, value, headers = {}) {
  if (res.destroyed || res.headersSent) return;
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.length,
    'Twilio-Request-Id': `RQ${randomBytes(16).toString('hex')}`,
    ...headers,
  });
  res.end(body);
}

/** Prism's answer, passed on unchanged (but for hop-by-hop headers). */
function sendUpstream(res, up) {
  if (res.destroyed || res.headersSent) return;
  const headers = {};
  for (const [k, v] of Object.entries(up.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v;
  headers['content-length'] = up.body.length;
  res.writeHead(up.status, headers);
  res.end(up.body);
}

/** A 422 in Prism's own shape, for parameters Prism leaves unchecked (it does not validate the
 * `DateSent<` and `DateSent>` query parameters of Twilio's spec). */
function invalidQuery(res, name) {
  const body = Buffer.from(JSON.stringify({
    type: 'https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY',
    title: 'Invalid request',
    status: 422,
    detail: 'Your request is not valid (checked by the local Twilio proxy, as Prism skips this parameter).',
    validation: [{ location: ['query', name.toLowerCase()], severity: 'Error', code: 'format',
      message: `Request query parameter ${name} must be a date YYYY-MM-DD or an ISO 8601 date-time` }],
  }));
  res.writeHead(422, { 'Content-Type': 'application/problem+json', 'Content-Length': body.length });
  res.end(body);
}

/**
 * Starts the proxy. `upstream` is Prism's base URL (or set later with `setUpstream`, so the
 * proxy's port can be bound before Prism is up). Returns the proxy's state and controls.
 * @param {{ port?: number, upstream?: string, authToken: string, callbacks?: boolean,
 *   senderNumber?: string, callbackStepMs?: number }} opts
 */
export async function startProxy({ port = 0, upstream: initialUpstream = 'http://127.0.0.1:1',
  authToken, callbacks = false, senderNumber = '+14155550190', callbackStepMs = 50 }) {
  let upstream = initialUpstream;
  const store = new MessageStore();
  const faults = new Faults();
  let clockOffset = 0;
  const now = () => Date.now() + clockOffset;
  const lifecycles = new Callbacks({ authToken, now, stepMs: callbackStepMs, senderNumber });
  const agent = new http.Agent({ keepAlive: true });

  /** The same request, sent to Prism. */
  function forward(req, path, body) {
    return new Promise((ok, fail) => {
      const headers = {};
      for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v;
      if (body.length) headers['content-length'] = body.length;
      const u = new URL(path, upstream);
      const up = http.request(u, { method: req.method, headers, agent }, (r) => {
        const chunks = [];
        r.on('data', (c) => chunks.push(c));
        r.on('end', () => ok({ status: r.statusCode, headers: r.headers, body: Buffer.concat(chunks) }));
        r.on('error', fail);
      });
      up.on('error', fail);
      up.end(body);
    });
  }

  /** Real Twilio refuses a wrong Auth Token (20003); Prism accepts any Basic credentials. API key
   * credentials (SK...) are let through, since their secret is not the Auth Token. */
  function wrongAuthToken(req) {
    const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m) return false;
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    return i > 0 && decoded.startsWith('AC') && decoded.slice(i + 1) !== authToken;
  }

  /** Holds a response until the client gives up, or answers it after `delayMs`. */
  function hold(res, delayMs, answer) {
    if (delayMs === undefined) return;
    const timer = setTimeout(answer, delayMs);
    res.on('close', () => clearTimeout(timer));
  }

  /** Twilio's rules for a create that the spec does not state (only `To` is required there). */
  function ruleError(form) {
    const to = form.get('To');
    if (!ADDRESS.test(to)) return [21211, SYNC_ERRORS[21211](form)];
    if (!form.get('From') && !form.get('MessagingServiceSid')) {
      return [21603, "A 'From' phone number is required."];
    }
    const body = form.get('Body') ?? '';
    if (!body && form.getAll('MediaUrl').length === 0 && !form.get('ContentSid')) {
      return [21602, 'Message body is required.'];
    }
    if ([...body].length > 1600) {
      return [21617, 'The concatenated message body exceeds the 1600 character limit.'];
    }
    return null;
  }

  function startLifecycle(record, error) {
    if (!callbacks && !error) return;
    lifecycles.run(record, lifecycle(record, error)).catch((e) => {
      process.stderr.write(`twilio mock: status callbacks of a message failed: ${e?.stack ?? e}\n`);
    });
  }

  async function create(req, res, account, body) {
    const up = await forward(req, req.url, body);
    if (up.status !== 201) return sendUpstream(res, up);
    const form = new URLSearchParams(body.toString('utf8'));
    const rule = ruleError(form);
    if (rule) return sendJson(res, 400, twilioError(rule[0], rule[1], 400));
    const fault = faults.take('create', form.get('To'));
    const kind = fault?.kind ?? null;
    if (kind === '429') {
      return sendJson(res, 429, twilioError(20429, 'Too Many Requests', 429),
        { 'Retry-After': String(fault.retry_after) });
    }
    if (kind === '500') return sendJson(res, 500, twilioError(20500, 'Internal Server Error', 500));
    if (kind === 'reset_before_send') return req.socket.resetAndDestroy();
    if (kind in SYNC_ERRORS) return sendJson(res, 400, twilioError(Number(kind), SYNC_ERRORS[kind](form), 400));
    const record = store.create({ accountSid: account, form, now: now(), fault: kind });
    const asyncError = ASYNC_ERRORS.has(Number(kind)) ? { code: Number(kind), status: fault.status } : null;
    // The create answer shows the message as created, even when it is sent late.
    const asCreated = twilioJson(record);
    const created = () => sendJson(res, 201, asCreated);
    if (kind === '500_after_create') {
      sendJson(res, 500, twilioError(20500, 'Internal Server Error', 500));
    } else if (kind === 'timeout_after_create') {
      hold(res, fault.delay_ms, created);
    } else {
      created();
    }
    startLifecycle(record, asyncError);
    return undefined;
  }

  async function list(req, res, account, url) {
    // Twilio documents DateSent as YYYY-MM-DD while its spec says date-time: Prism sees the
    // date as midnight UTC so a request in Twilio's documented form is not refused.
    const forPrism = new URLSearchParams(url.searchParams);
    const day = forPrism.get('DateSent');
    if (day && /^\d{4}-\d{2}-\d{2}$/.test(day)) forPrism.set('DateSent', `${day}T00:00:00Z`);
    const qs = forPrism.toString();
    const up = await forward(req, url.pathname + (qs ? `?${qs}` : ''), Buffer.alloc(0));
    if (up.status !== 200) return sendUpstream(res, up);
    const dates = {};
    const query = {};
    for (const [name, key] of Object.entries(DATE_FILTERS)) {
      const v = url.searchParams.get(name);
      if (v === null) continue;
      const d = filterDay(v);
      if (d === null) return invalidQuery(res, name);
      dates[key] = d;
      query[name] = v;
    }
    for (const name of ['To', 'From']) {
      const v = url.searchParams.get(name);
      if (v !== null) query[name] = v;
    }
    const pageSize = Number(url.searchParams.get('PageSize') ?? 50);
    const page = Number(url.searchParams.get('Page') ?? 0);
    const answer = () => {
      const all = store.list(account, { to: query.To, from: query.From, dates });
      sendJson(res, 200, listPage({ accountSid: account, all, query, pageSize, page }));
    };
    const fault = faults.take('list');
    if (fault?.kind === '429') {
      return sendJson(res, 429, twilioError(20429, 'Too Many Requests', 429),
        { 'Retry-After': String(fault.retry_after) });
    }
    if (fault?.kind === '500') return sendJson(res, 500, twilioError(20500, 'Internal Server Error', 500));
    if (fault?.kind === 'reset') return req.socket.resetAndDestroy();
    if (fault?.kind === 'timeout') return hold(res, fault.delay_ms, answer);
    return answer();
  }

  async function fetchOne(req, res, account, sid) {
    const up = await forward(req, req.url, Buffer.alloc(0));
    if (up.status !== 200) return sendUpstream(res, up);
    const record = store.get(account, sid);
    if (!record) {
      const path = `/${API_VERSION}/Accounts/${account}/Messages/${sid}.json`;
      return sendJson(res, 404, twilioError(20404, `The requested resource ${path} was not found`, 404));
    }
    return sendJson(res, 200, twilioJson(record));
  }

  const controls = {
    received: (to) => store.received(to).map(mockJson),
    callbacks: (sid) => lifecycles.log.filter((e) => !sid || e.message_sid === sid).map((e) => ({ ...e })),
    fault: (spec) => faults.add(spec),
    faults: () => faults.list(),
    clearFaults: () => faults.clear(),
    clearMessages: () => {
      store.clear();
      lifecycles.reset();
    },
    /** Moves the local Twilio's clock to `iso` (it keeps running from there); null restores it. */
    clock: (iso) => {
      if (iso === null || iso === undefined) {
        clockOffset = 0;
        return;
      }
      const ms = Date.parse(iso);
      if (Number.isNaN(ms)) throw new Error(`clock: "${iso}" is not an ISO 8601 date-time`);
      clockOffset = ms - Date.now();
    },
    reset: () => {
      controls.clearMessages();
      faults.clear();
      clockOffset = 0;
    },
  };

  async function control(req, res, url, body) {
    const route = `${req.method} ${url.pathname}`;
    const json = () => {
      try {
        return JSON.parse(body.toString('utf8') || 'null');
      } catch {
        throw new Error('the body is not JSON');
      }
    };
    try {
      switch (route) {
        case 'GET /__mock/health': return sendJson(res, 200, { ok: true, prism: upstream });
        case 'GET /__mock/messages': return sendJson(res, 200, controls.received(url.searchParams.get('to') ?? undefined));
        case 'DELETE /__mock/messages': controls.clearMessages(); return sendJson(res, 200, { ok: true });
        case 'GET /__mock/faults': return sendJson(res, 200, controls.faults());
        case 'POST /__mock/faults': return sendJson(res, 200, { armed: controls.fault(json()), faults: controls.faults() });
        case 'DELETE /__mock/faults': controls.clearFaults(); return sendJson(res, 200, { ok: true });
        case 'GET /__mock/callbacks': return sendJson(res, 200, controls.callbacks(url.searchParams.get('sid')));
        case 'POST /__mock/clock': controls.clock(json()?.now); return sendJson(res, 200, { now: new Date(now()).toISOString() });
        case 'DELETE /__mock/clock': controls.clock(null); return sendJson(res, 200, { now: new Date(now()).toISOString() });
        case 'POST /__mock/reset': controls.reset(); return sendJson(res, 200, { ok: true });
        default: return sendJson(res, 404, { error: `no control endpoint ${route}` });
      }
    } catch (e) {
      return sendJson(res, 400, { error: e.message });
    }
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://127.0.0.1');
    const body = await readBody(req);
    if (url.pathname.startsWith('/__mock/')) return control(req, res, url, body);
    if (url.pathname.startsWith(`/${API_VERSION}/`) && wrongAuthToken(req)) {
      return sendJson(res, 401, twilioError(20003, 'Authenticate', 401),
        { 'WWW-Authenticate': 'Basic realm="Twilio API"' });
    }
    const listMatch = LIST_PATH.exec(url.pathname);
    if (listMatch && req.method === 'POST') return create(req, res, listMatch.groups.account, body);
    if (listMatch && req.method === 'GET') return list(req, res, listMatch.groups.account, url);
    const oneMatch = ONE_PATH.exec(url.pathname);
    if (oneMatch && req.method === 'GET') return fetchOne(req, res, oneMatch.groups.account, oneMatch.groups.sid);
    return sendUpstream(res, await forward(req, req.url, body));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (e?.status === 413) return sendJson(res, 413, { error: e.message });
      const prismDown = e?.code === 'ECONNREFUSED' || e?.code === 'ECONNRESET';
      if (!prismDown) process.stderr.write(`twilio mock: ${e?.stack ?? e}\n`);
      sendJson(res, 502, { error: prismDown
        ? `the local Twilio's Prism (${upstream}) is not answering: restart the mock`
        : `the local Twilio failed: ${e?.message ?? e}` });
    });
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      ok();
    });
  });
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    base,
    ...controls,
    setUpstream: (url) => { upstream = url; },
    async stop() {
      lifecycles.reset();
      agent.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(() => r()));
    },
  };
}
