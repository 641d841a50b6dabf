// Runs the built Worker under `wrangler dev` (workerd) on a free port with a fresh state
// directory, and gives tests signed requests and D1 queries. Settings come from
// .dev.vars.example, passed with --var so a developer's own .dev.vars cannot change the run.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import { createHmac } from 'node:crypto';
import twilio from 'twilio';
import { unstable_startWorker } from 'wrangler';
import { startTwilio } from '../twilio/mock.mjs';

const run = promisify(execFile);
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Settings from .dev.vars.example (KEY=VALUE lines). */
export async function settings() {
  const text = await readFile(join(root, '.dev.vars.example'), 'utf8');
  const out = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) out[m[1]] = m[2];
  }
  return out;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function wrangler(args, opts = {}) {
  return run('wrangler', args, {
    cwd: root,
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
    maxBuffer: 64 * 1024 * 1024,
    ...opts,
  });
}

/** Starts a Worker; `overrides` replace settings from .dev.vars.example. `persist` reuses a state
 * directory prepared by the test (its migrations are brought up to date). `inspector: false` starts
 * it through wrangler's API instead of its CLI: the CLI always attaches the V8 inspector and carries
 * every console line over it, which costs more CPU than the Worker's own work (`make load` measures
 * the Worker, not that); logs then come from workerd's structured log stream. */
export async function startWorker(overrides = {}, options = {}) {
  // A port is picked free here and bound later by wrangler; a test file running in parallel can
  // take it in between ("Address already in use"). Such a start is undone and tried on new ports.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startWorkerOnce(overrides, options);
    } catch (e) {
      if (attempt >= 3 || !/Address already in use|EADDRINUSE/.test(String(e?.message))) throw e;
    }
  }
}

async function startWorkerOnce(overrides,
  { persist: given, inspector = true, twilio: withTwilio = false, clinic = withTwilio,
    callbacks = true, twilioMock = null } = {}) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // Signatures are checked against PUBLIC_BASE_URL, and status callbacks go to it: this run's.
  const vars = { ...(await settings()), PUBLIC_BASE_URL: base, ...overrides };
  // `twilio: true` starts the local Twilio (Prism on Twilio's spec behind the fault proxy) and
  // points the Worker's sender at it; `clinic` loads the example clinic and default templates.
  // `twilioMock` reuses a running local Twilio (a restart of the Worker mid-test).
  const localTwilio = twilioMock
    ?? (withTwilio ? await startTwilio({ authToken: vars.TWILIO_AUTH_TOKEN, callbacks }) : null);
  if (overrides.TWILIO_API_BASE === undefined) {
    // Tests talk only to loopback: without the local Twilio, sends go to a port nothing listens
    // on (refused at once), never to Twilio's API.
    vars.TWILIO_API_BASE = localTwilio ? localTwilio.base : 'http://127.0.0.1:9';
  }
  const persist = given ?? await mkdtemp(join(tmpdir(), 'medspa-e2e-'));
  let log = '';
  let stopWorker;
  // What this start set up is undone if the Worker does not come up, so a retry starts clean.
  const undo = async () => {
    if (stopWorker) await stopWorker().catch(() => {});
    if (localTwilio && !twilioMock) await localTwilio.stop().catch(() => {});
    if (!given) await rm(persist, { recursive: true, force: true });
  };
  try {
    await wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist]);
    if (inspector) {
      const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', persist,
        '--show-interactive-dev-session=false', '--inspector-port', String(await freePort())];
      for (const [k, v] of Object.entries(vars)) args.push('--var', `${k}:${v}`);
      // `--var` wins over a developer's .dev.vars (checked), so local edits cannot change a run.
      const child = spawn('wrangler', args, {
        cwd: root,
        env: { ...process.env, CI: 'true', SKIP_WORKER_BUILD: '1', WRANGLER_SEND_METRICS: 'false' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.on('data', (d) => { log += d; });
      child.stderr.on('data', (d) => { log += d; });
      stopWorker = async () => {
        child.kill('SIGTERM');
        await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      };
      await waitUp(base, () => (child.exitCode !== null ? `wrangler dev exited:\n${log}` : null), () => log);
    } else {
      process.env.SKIP_WORKER_BUILD = '1';
      const bindings = Object.fromEntries(Object.entries(vars)
        .map(([k, v]) => [k, { type: 'plain_text', value: v }]));
      const worker = await unstable_startWorker({
        config: join(root, 'wrangler.toml'),
        bindings,
        dev: {
          server: { hostname: '127.0.0.1', port },
          inspector: false,
          persist,
          watch: false,
          logLevel: 'warn',
          structuredLogsHandler: (l) => { log += `${l.message}\n`; },
        },
      });
      stopWorker = () => worker.dispose();
      await worker.ready;
      await waitUp(base, () => null, () => log);
    }
  } catch (e) {
    await undo();
    throw e;
  }
  const token = vars.TWILIO_AUTH_TOKEN;
  if (clinic) {
    for (const [path, file] of [['/admin/clinic', 'clinics/example.json'],
      ['/admin/templates', 'desk/templates/default.json']]) {
      const r = await fetch(`${base}${path}`, { method: 'PUT', body: await readFile(join(root, file)),
        headers: { Authorization: `Bearer ${vars.ADMIN_TOKEN}`, 'Content-Type': 'application/json' } });
      if (r.status !== 201 && r.status !== 200) {
        throw new Error(`loading ${file}: ${r.status} ${await r.text()}`);
      }
    }
  }
  return {
    base,
    persist,
    token,
    vars,
    /** The local Twilio (`twilio: true`): what it received, faults to script. */
    twilio: localTwilio,
    log: () => log,
    /** The conversation's row id, derived as the Worker does (HMAC-SHA-256 under IDENTITY_KEY of
     * channel, clinic number and patient number): the only way to find a number's rows, since
     * no number is stored. */
    conversationId(patientNumber, clinicNumber) {
      const channel = patientNumber.startsWith('whatsapp:') ? 'whatsapp' : 'sms';
      const bare = (n) => n.replace(/^whatsapp:/, '');
      return createHmac('sha256', Buffer.from(vars.IDENTITY_KEY, 'base64'))
        .update(['conversation', channel, bare(clinicNumber), bare(patientNumber)].join('\x1f'))
        .digest('hex')
        .slice(0, 32);
    },
    /** Signs with the official SDK, as Twilio would. */
    sign(url, params) {
      return twilio.getExpectedTwilioSignature(token, url, params);
    },
    /** POSTs form parameters, signed unless `signature` is given (null sends none). */
    async post(path, params, { signature, headers = {}, body, signedUrl } = {}) {
      const url = `${base}${path}`;
      const sig = signature === undefined ? this.sign(signedUrl ?? url, params) : signature;
      const h = { 'Content-Type': 'application/x-www-form-urlencoded', ...headers };
      if (sig !== null) h['X-Twilio-Signature'] = sig;
      const res = await fetch(url, {
        method: 'POST',
        headers: h,
        body: body ?? new URLSearchParams(params).toString(),
      });
      return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
    },
    /** Rows of a read-only query, straight from the local D1's SQLite file (milliseconds, where
     * `wrangler d1 execute` takes seconds); a fresh connection each time sees every commit. */
    async d1(sql) {
      const file = await d1File(persist);
      // The Worker writes while tests poll: a read that meets a write in progress (SQLITE_BUSY,
      // "database is locked") is tried again, up to about 2 s.
      for (let attempt = 0; ; attempt += 1) {
        const db = new DatabaseSync(file, { readOnly: true });
        try {
          return db.prepare(sql).all().map((r) => ({ ...r }));
        } catch (e) {
          if (!/locked|busy/i.test(String(e?.message)) || attempt >= 40) throw e;
        } finally {
          db.close();
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    /** A statement through wrangler against the local D1 (for writes; rejects on SQL errors). */
    async d1Exec(sql) {
      const { stdout } = await wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', persist,
        '--command', sql, '--json']);
      return JSON.parse(stdout)[0].results;
    },
    /** A dump of the local D1: every row of every table, as text. */
    async dump() {
      const db = new DatabaseSync(await d1File(persist), { readOnly: true });
      try {
        const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all();
        let out = '';
        for (const t of tables) {
          out += `${t.sql};\n`;
          for (const row of db.prepare(`SELECT * FROM "${t.name}"`).all()) {
            out += `INSERT INTO "${t.name}" VALUES (${Object.values(row).map((v) => JSON.stringify(v)).join(', ')});\n`;
          }
        }
        return out;
      } finally {
        db.close();
      }
    },
    /** Every byte under the state directory (D1 and Durable Object SQLite files, WAL included). */
    async rawState() {
      const chunks = [];
      const walk = async (dir) => {
        for (const e of await readdir(dir, { withFileTypes: true })) {
          const p = join(dir, e.name);
          if (e.isDirectory()) await walk(p);
          else if (e.name !== 'dump.sql') {
            // SQLite removes its -shm and -wal files when the last connection closes, so one
            // listed a moment ago may be gone: nothing of it is left to read.
            try {
              chunks.push(await readFile(p));
            } catch (err) {
              if (err.code !== 'ENOENT') throw err;
            }
          }
        }
      };
      await walk(persist);
      return Buffer.concat(chunks);
    },
    /** Stops the Worker; `keep` leaves its state directory and the local Twilio for a restart. */
    async stop({ keep = false } = {}) {
      await stopWorker();
      if (keep) return;
      if (localTwilio) await localTwilio.stop();
      await rm(persist, { recursive: true, force: true });
    },
  };
}

/** Waits for `/health` to answer 200 or 503 (a Worker that is up and says its settings are wrong,
 * which a test may want); `failed` names a start that cannot succeed. */
async function waitUp(base, failed, log) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const why = failed();
    if (why) throw new Error(why);
    try {
      const r = await fetch(`${base}/health`);
      if (r.status === 200 || r.status === 503) return;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`wrangler dev did not start:\n${log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The local D1 database file wrangler keeps under the state directory. */
async function d1File(persist) {
  const dir = join(persist, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const f = (await readdir(dir)).find((n) => n.endsWith('.sqlite') && n !== 'metadata.sqlite');
  if (!f) throw new Error(`no D1 database under ${dir}`);
  return join(dir, f);
}

let counter = 0;
/** A fresh, well-formed 34-character SID. */
export function sid(prefix = 'SM') {
  counter += 1;
  const n = `${Date.now().toString(16)}${process.pid.toString(16)}${counter.toString(16).padStart(6, '0')}`;
  return prefix + n.padStart(32, '0').slice(-32);
}

/** A fresh US-style E.164 number. */
let numberCounter = 0;
export function patient() {
  numberCounter += 1;
  return `+1415${String(Date.now() % 10000).padStart(4, '0')}${String(numberCounter).padStart(3, '0')}`;
}
