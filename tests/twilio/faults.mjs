// Scripted faults of the local Twilio and Twilio's error answers. A fault is armed for a number
// of requests (optionally only those to one recipient) and consumed only by a request that Prism
// and Twilio's own rules accept, so a malformed request never uses one up.

/** Twilio's error body (https://www.twilio.com/docs/api/errors). */
export function twilioError(code, message, status) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** Errors Twilio answers synchronously on create (HTTP 400); nothing is created. */
export const SYNC_ERRORS = {
  21211: (f) => `The 'To' number ${f.get('To')} is not a valid phone number.`,
  21408: (f) => `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${f.get('To')}.`,
  21610: () => 'Attempt to send to unsubscribed recipient',
  21612: (f) => `The 'To' phone number: ${f.get('To')}, is not currently reachable using the 'From' phone number: ${f.get('From') ?? f.get('MessagingServiceSid')} via SMS.`,
  21614: (f) => `'To' number ${f.get('To')} is not a valid mobile number`,
  21635: (f) => `'To' number ${f.get('To')} cannot be a landline`,
};

/** Errors that arrive later, as `ErrorCode` in a status callback (the create answers 201). */
export const ASYNC_ERRORS = new Set([30003, 30004, 30005, 30006, 30007, 30008, 30034, 30450, 30565]);

/** Kinds of fault per operation. `create` is POST Messages.json; `list` is GET Messages.json. */
const KINDS = {
  create: new Set(['429', '500', '500_after_create', 'timeout_after_create', 'reset_before_send',
    ...Object.keys(SYNC_ERRORS), ...[...ASYNC_ERRORS].map(String)]),
  list: new Set(['429', '500', 'timeout', 'reset']),
};
const FIELDS = new Set(['kind', 'to', 'times', 'delay_ms', 'retry_after', 'status', 'op']);

/** Validates one fault spec; throws an Error saying which field is wrong and what is allowed. */
export function parseFault(spec, index = 0) {
  const where = `fault ${index}`;
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new Error(`${where}: expected an object like {"kind": "429", "to": "+1...", "times": 1}`);
  }
  for (const k of Object.keys(spec)) {
    if (!FIELDS.has(k)) throw new Error(`${where}: unknown field "${k}" (fields: ${[...FIELDS].join(', ')})`);
  }
  const op = spec.op ?? 'create';
  if (!KINDS[op]) throw new Error(`${where}: op must be "create" or "list"`);
  const kind = String(spec.kind ?? '');
  if (!KINDS[op].has(kind)) {
    throw new Error(`${where}: kind "${kind}" is not a ${op} fault (one of: ${[...KINDS[op]].join(', ')})`);
  }
  const times = spec.times ?? 1;
  if (!Number.isInteger(times) || times < 1) throw new Error(`${where}: times must be an integer >= 1`);
  if (spec.to !== undefined && (typeof spec.to !== 'string' || spec.to === '')) {
    throw new Error(`${where}: to must be a non-empty string (the recipient to match)`);
  }
  if (spec.to !== undefined && op !== 'create') throw new Error(`${where}: to applies only to create faults`);
  const nonNegative = (name) => {
    const v = spec[name];
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new Error(`${where}: ${name} must be an integer >= 0`);
  };
  nonNegative('delay_ms');
  nonNegative('retry_after');
  if (spec.delay_ms !== undefined && !kind.startsWith('timeout')) {
    throw new Error(`${where}: delay_ms applies only to timeout faults`);
  }
  if (spec.retry_after !== undefined && kind !== '429') throw new Error(`${where}: retry_after applies only to 429`);
  if (spec.status !== undefined) {
    if (!ASYNC_ERRORS.has(Number(kind))) throw new Error(`${where}: status applies only to 30xxx faults`);
    if (spec.status !== 'failed' && spec.status !== 'undelivered') {
      throw new Error(`${where}: status must be "failed" or "undelivered"`);
    }
  }
  return {
    op,
    kind,
    to: spec.to,
    times,
    delay_ms: spec.delay_ms,
    retry_after: spec.retry_after ?? 1,
    status: spec.status ?? 'undelivered',
  };
}

/** The armed faults, consumed in the order they were armed. */
export class Faults {
  constructor() {
    this.armed = [];
  }

  /** Arms one spec or a list of specs (all validated before any is armed). */
  add(specs) {
    const list = (Array.isArray(specs) ? specs : [specs]).map((s, i) => parseFault(s, i));
    this.armed.push(...list);
    return list.length;
  }

  clear() {
    this.armed = [];
  }

  /** The first armed fault for this operation and recipient, used up once. */
  take(op, to) {
    const i = this.armed.findIndex((f) => f.op === op && (f.to === undefined || f.to === to));
    if (i < 0) return null;
    const f = this.armed[i];
    f.times -= 1;
    if (f.times === 0) this.armed.splice(i, 1);
    return f;
  }

  list() {
    return this.armed.map((f) => ({ ...f }));
  }
}
