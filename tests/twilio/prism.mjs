// Stoplight Prism serving Twilio's published OpenAPI spec, as a child process on a free loopback
// port. Prism is what makes a request's validation real (401 without auth, 422 on a malformed
// request); its logs are kept in a buffer, printed only when it fails.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '..', '..');
/** Twilio's spec (twilio/twilio-oai, MIT) lives in the shared data folder next to the clone. */
export const DEFAULT_SPEC = resolve(root, '..', 'shared', 'data', 'twilio', 'twilio_api_v2010.json');
const LOG_LIMIT = 256 * 1024;

export function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/** Prism's CLI script, run with this Node (the one on PATH may be older). */
function prismCli() {
  const require = createRequire(import.meta.url);
  let pkgPath;
  try {
    pkgPath = require.resolve('@stoplight/prism-cli/package.json');
  } catch {
    throw new Error('@stoplight/prism-cli is not installed: run `npm ci` (or `make setup`) in the clone');
  }
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  return join(dirname(pkgPath), typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.prism);
}

// Children still running when this process exits are killed with it.
const children = new Set();
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** Starts Prism and waits until it answers HTTP. Returns { url, port, log(), stop() }. */
export async function startPrism({ spec = DEFAULT_SPEC, timeoutMs = 60_000 } = {}) {
  if (!existsSync(spec)) {
    throw new Error(`Twilio's OpenAPI spec is not at ${spec}: put the shared data folder next to the `
      + 'clone (see shared/data/SOURCES.md) or pass its path (spec option, --spec, TWILIO_OPENAPI_SPEC)');
  }
  const cli = prismCli();
  let lastError;
  // A free port can be taken between finding and binding it: a few attempts.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort();
    try {
      return await launch(cli, spec, port, timeoutMs);
    } catch (e) {
      lastError = e;
      if (!/EADDRINUSE/.test(e.message)) break;
    }
  }
  throw lastError;
}

async function launch(cli, spec, port, timeoutMs) {
  let log = '';
  const child = spawn(process.execPath, [cli, 'mock', '-h', '127.0.0.1', '-p', String(port), spec], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  children.add(child);
  const keep = (d) => {
    log += d;
    if (log.length > LOG_LIMIT) log = log.slice(-LOG_LIMIT / 2);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exit = new Promise((r) => child.once('exit', (code, signal) => {
    exited = { code, signal };
    children.delete(child);
    r();
  }));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  let stopping = false;
  const stop = async () => {
    stopping = true;
    if (exited === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exit;
    clearTimeout(killer);
  };
  for (;;) {
    if (exited) {
      throw new Error(`Prism exited (${exited.code ?? exited.signal}) before answering on ${url}:\n${log.slice(-4000)}`);
    }
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await r.arrayBuffer();
      break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Prism did not answer on ${url} within ${timeoutMs} ms:\n${log.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  exit.then(() => {
    if (!stopping) {
      process.stderr.write(`twilio mock: Prism exited unexpectedly (${exited.code ?? exited.signal}):\n${log.slice(-4000)}\n`);
    }
  });
  return { url, port, log: () => log, stop, child };
}
