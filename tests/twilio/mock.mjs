#!/usr/bin/env node
// A local Twilio for tests and `make dev`: Stoplight Prism serving Twilio's published OpenAPI spec
// (real request validation) behind a small fault proxy (real echoes, a message record, scripted
// faults, signed status callbacks). Everything listens on 127.0.0.1 only.
//
//   import { startTwilio } from '../twilio/mock.mjs';
//   const t = await startTwilio({ authToken, callbacks: true });   // t.base = http://127.0.0.1:PORT
//   t.fault({ kind: '429', to: '+14155550123', times: 2 });
//   t.received('+14155550123');                                    // what was created, oldest first
//   await t.stop();
//
// CLI: node tests/twilio/mock.mjs --port 4010 --auth-token X [--callbacks] [--spec FILE]
// (the token may come from TWILIO_AUTH_TOKEN instead); prints the base URL, runs until killed.
// Control endpoints (JSON): GET /__mock/messages?to=, DELETE /__mock/messages, GET|POST|DELETE
// /__mock/faults, GET /__mock/callbacks?sid=, POST|DELETE /__mock/clock, POST /__mock/reset,
// GET /__mock/health. See tests/twilio/README.md.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_SPEC, startPrism } from './prism.mjs';
import { startProxy } from './proxy.mjs';

/**
 * Starts Prism and the fault proxy in front of it.
 * @param {{ port?: number, authToken: string, callbacks?: boolean, spec?: string,
 *   senderNumber?: string, callbackStepMs?: number }} opts
 *   port: the proxy's port (0 or absent: a free one). authToken: signs status callbacks and is
 *   the password Basic auth must carry for an AC... user. callbacks: after each create, send
 *   `sent` then `delivered` to the message's StatusCallback. senderNumber: the From a Messaging
 *   Service send gets. callbackStepMs: the pause before each status change (default 50).
 * @returns {Promise<{ base: string, received(to?: string): object[], fault(spec: object|object[]): number,
 *   faults(): object[], callbacks(sid?: string): object[], clock(iso: string|null): void,
 *   reset(): void, prismLog(): string, stop(): Promise<void> }>}
 */
export async function startTwilio({ port = 0, authToken, callbacks = false, spec = DEFAULT_SPEC,
  senderNumber, callbackStepMs } = {}) {
  if (typeof authToken !== 'string' || authToken === '') {
    throw new TypeError('startTwilio: authToken is required (it signs status callbacks)');
  }
  // The proxy binds first, so a taken port fails in milliseconds rather than after Prism's start.
  const proxy = await startProxy({ port, authToken, callbacks, senderNumber, callbackStepMs });
  let prism;
  try {
    prism = await startPrism({ spec });
  } catch (e) {
    await proxy.stop();
    throw e;
  }
  proxy.setUpstream(prism.url);
  return {
    base: proxy.base,
    received: proxy.received,
    fault: proxy.fault,
    faults: proxy.faults,
    callbacks: proxy.callbacks,
    clock: proxy.clock,
    reset: proxy.reset,
    prismLog: prism.log,
    async stop() {
      await proxy.stop();
      await prism.stop();
    },
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4010' },
      'auth-token': { type: 'string' },
      callbacks: { type: 'boolean', default: false },
      spec: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write('usage: node tests/twilio/mock.mjs [--port 4010] --auth-token TOKEN [--callbacks] [--spec FILE]\n'
      + '  TOKEN may come from TWILIO_AUTH_TOKEN; FILE from TWILIO_OPENAPI_SPEC.\n');
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a port number, not "${values.port}"`);
  }
  const twilio = await startTwilio({
    port,
    authToken: values['auth-token'] ?? process.env.TWILIO_AUTH_TOKEN,
    callbacks: values.callbacks,
    spec: values.spec ?? process.env.TWILIO_OPENAPI_SPEC ?? DEFAULT_SPEC,
  });
  process.stdout.write(`${twilio.base}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await twilio.stop();
    process.exit(0);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    process.stderr.write(`twilio mock: ${e?.message ?? e}\n`);
    process.exit(1);
  });
}
