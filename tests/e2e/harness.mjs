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
 * directory prepared by the test (its migrations are brought up to date). */
export async function startWorker(overrides = {}, { persist: given } = {}) {
  const vars = { ...(await settings()), ...overrides };
  const persist = given ?? await mkdtemp(join(tmpdir(), 'medspa-e2e-'));
  const port = await freePort();
  await wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist]);
  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', persist,
    '--show-interactive-dev-session=false', '--inspector-port', String(await freePort())];
  for (const [k, v] of Object.entries(vars)) args.push('--var', `${k}:${v}`);
  // `--var` wins over a developer's .dev.vars (checked), so local edits cannot change a run.
  const child = spawn('wrangler', args, {
    cwd: root,
    env: { ...process.env, CI: 'true', SKIP_WORKER_BUILD: '1', WRANGLER_SEND_METRICS: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${log}`);
    try {
      const r = await fetch(`${base}/health`);
      // 503 is a Worker that is up and says its settings are wrong (a test may want that).
      if (r.status === 200 || r.status === 503) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`wrangler dev did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const token = vars.TWILIO_AUTH_TOKEN;
  return {
    base,
    persist,
    token,
    vars,
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
      const db = new DatabaseSync(await d1File(persist), { readOnly: true });
      try {
        return db.prepare(sql).all().map((r) => ({ ...r }));
      } finally {
        db.close();
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
          else if (e.name !== 'dump.sql') chunks.push(await readFile(p));
        }
      };
      await walk(persist);
      return Buffer.concat(chunks);
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      await rm(persist, { recursive: true, force: true });
    },
  };
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
