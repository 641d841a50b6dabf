#!/usr/bin/env node
// Loads a clinic's facts and reply templates into a running Worker (PUT /admin/clinic, then
// PUT /admin/templates, with ADMIN_TOKEN as a bearer token). `make dev` runs it with the example
// clinic once the local Worker answers; an operator runs it against a deployment:
//
//   node scripts/load-clinic.mjs --url https://sms.clinic.example --token "$ADMIN_TOKEN" \
//     --facts clinics/myclinic.json [--templates desk/templates/default.json] [--wait 60]
//
// The Worker validates both documents (the facts field by field; every template rendered
// against the facts and linted) and stores a new version only when a document changed. Problems
// are printed one per line and the exit status is 1.
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8787' },
    token: { type: 'string' },
    facts: { type: 'string', default: join(root, 'clinics', 'example.json') },
    templates: { type: 'string', default: join(root, 'desk', 'templates', 'default.json') },
    wait: { type: 'string', default: '0' },
  },
});
const token = values.token ?? process.env.ADMIN_TOKEN;
if (!token) {
  console.error('load-clinic: give --token or set ADMIN_TOKEN (the Worker\'s ADMIN_TOKEN setting)');
  process.exit(2);
}
const base = values.url.replace(/\/$/, '');
const waitS = Number(values.wait);
if (!Number.isFinite(waitS) || waitS < 0) {
  console.error(`load-clinic: --wait must be a number of seconds, got ${values.wait}`);
  process.exit(2);
}

// A Worker that is still starting refuses connections: wait for /health to answer at all.
const deadline = Date.now() + waitS * 1000;
for (;;) {
  try {
    await fetch(`${base}/health`);
    break;
  } catch {
    if (Date.now() >= deadline) {
      console.error(`load-clinic: no Worker answers at ${base} (start it with \`make dev\`)`);
      process.exit(1);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

let failed = false;
for (const [path, file] of [['/admin/clinic', values.facts], ['/admin/templates', values.templates]]) {
  let body;
  try {
    body = await readFile(file);
  } catch (e) {
    console.error(`load-clinic: cannot read ${file}: ${e.message}`);
    process.exit(2);
  }
  const r = await fetch(`${base}${path}`, {
    method: 'PUT',
    body,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
  });
  const text = await r.text();
  let answer = {};
  try { answer = JSON.parse(text); } catch { /* an error code without JSON */ }
  if (r.status === 200 || r.status === 201) {
    const what = answer.unchanged ? 'unchanged' : 'stored';
    console.log(`load-clinic: ${relative(process.cwd(), file)} ${what} as version ${answer.version}`);
    for (const w of answer.warnings ?? []) console.log(`  warning: ${w}`);
  } else {
    failed = true;
    console.error(`load-clinic: ${relative(process.cwd(), file)} refused (${r.status} ${answer.error ?? text})`);
    for (const p of answer.problems ?? []) console.error(`  ${p}`);
    if (r.status === 404) console.error('  (is ADMIN_TOKEN set for the Worker?)');
    break;
  }
}
process.exit(failed ? 1 : 0);
