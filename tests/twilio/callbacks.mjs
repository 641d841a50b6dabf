// Status callbacks as Twilio sends them: form-encoded POSTs to the message's StatusCallback,
// signed with X-Twilio-Signature by the official SDK (HMAC-SHA1 of URL + sorted parameters under
// the Auth Token), not retried, 15 s timeout. Twilio sends no callback for the initial status.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import twilio from 'twilio';
import { API_VERSION } from './messages.mjs';

/** Twilio's "done date" of a carrier receipt, YYMMDDhhmm in UTC. */
function rawDlrDoneDate(ms) {
  return new Date(ms).toISOString().replace(/\D/g, '').slice(2, 12);
}

/** The statuses a created message goes through after its initial one. `error` is
 * { code, status } for a 30xxx fault. */
export function lifecycle(record, error) {
  const steps = record.status === 'accepted' ? [{ status: 'queued' }] : [];
  if (!error) return [...steps, { status: 'sent' }, { status: 'delivered' }];
  if (error.status === 'failed') return [...steps, { status: 'failed', errorCode: error.code }];
  return [...steps, { status: 'sent' }, { status: 'undelivered', errorCode: error.code }];
}

/** Callback parameters for a status (Twilio's names; ErrorCode only on failed/undelivered). */
export function callbackParams(record, status, errorCode, now) {
  const p = {
    AccountSid: record.account_sid,
    ApiVersion: API_VERSION,
    From: record.from ?? '',
    MessageSid: record.sid,
    MessageStatus: status,
    SmsSid: record.sid,
    SmsStatus: status,
    To: record.to,
  };
  if (record.messaging_service_sid) p.MessagingServiceSid = record.messaging_service_sid;
  if (errorCode !== undefined) p.ErrorCode = String(errorCode);
  if (status === 'delivered' || status === 'undelivered') p.RawDlrDoneDate = rawDlrDoneDate(now);
  return p;
}

/** Runs message lifecycles; `reset()` abandons those in progress (their remaining callbacks are
 * not sent), so one test's messages do not call back into the next. */
export class Callbacks {
  constructor({ authToken, now, stepMs = 50, senderNumber }) {
    this.authToken = authToken;
    this.now = now;
    this.stepMs = stepMs;
    this.senderNumber = senderNumber;
    this.log = [];
    this.controller = new AbortController();
  }

  reset() {
    this.controller.abort();
    this.controller = new AbortController();
    this.log = [];
  }

  /** Moves `record` through `steps`, POSTing each status to its StatusCallback when it has one. */
  async run(record, steps) {
    const { signal } = this.controller;
    for (const step of steps) {
      await new Promise((r) => setTimeout(r, this.stepMs));
      if (signal.aborted) return;
      const now = this.now();
      record.status = step.status;
      record.updated_ms = now;
      if (step.status === 'queued' && !record.from) record.from = this.senderNumber;
      if (step.errorCode !== undefined) record.error_code = step.errorCode;
      if (!record.status_callback) continue;
      const params = callbackParams(record, step.status, step.errorCode, now);
      await this.post(record, params, signal);
    }
  }

  async post(record, params, signal) {
    const url = record.status_callback;
    const entry = { message_sid: record.sid, url, status: params.MessageStatus, params,
      http_status: null, error: null };
    this.log.push(entry);
    const body = new URLSearchParams(params).toString();
    const headers = {
      'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'User-Agent': 'TwilioProxy/1.1',
      'X-Twilio-Signature': twilio.getExpectedTwilioSignature(this.authToken, url, params),
      'I-Twilio-Idempotency-Token': randomUUID(),
    };
    // node:http rather than fetch: fetch refuses some ports (6000, 6665...) that Twilio would call.
    await new Promise((done) => {
      let req;
      try {
        req = (url.startsWith('https:') ? https : http).request(url, { method: 'POST', headers, signal,
          timeout: 15_000 }, (res) => {
          entry.http_status = res.statusCode;
          res.resume();
          res.on('end', done);
          res.on('error', done);
        });
      } catch (e) {
        entry.error = e.code ?? e.message;
        done();
        return;
      }
      req.on('timeout', () => req.destroy(new Error('no answer within 15 s')));
      req.on('error', (e) => {
        entry.error = e.code ?? e.message;
        done();
      });
      req.end(body);
    });
  }
}
