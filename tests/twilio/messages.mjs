// The local Twilio's memory of created messages, and the JSON shapes Twilio answers with.
// Prism validates every request against Twilio's published spec but answers with the spec's
// fixed example; the values a client must be able to rely on (its own To/Body, a fresh SID, the
// list it reconciles against) come from here.
import { randomBytes } from 'node:crypto';

export const API_VERSION = '2010-04-01';

/** Twilio's date format in resources: RFC 2822, GMT written as "+0000". */
export function rfc2822(ms) {
  return new Date(ms).toUTCString().replace(/GMT$/, '+0000');
}

/** A SID with Twilio's shape: two letters and 32 lower-case hex digits. */
export function newSid(prefix) {
  return prefix + randomBytes(16).toString('hex');
}

// GSM 03.38: the basic set costs one septet, the extension table two (escape + character).
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENDED = new Set('^{}\\[~]|€\f');

/** Segments as Twilio counts them: 160 GSM-7 septets (153 when concatenated), otherwise 70
 * UTF-16 units (67 when concatenated). Clients compare it with their own estimate. */
export function segments(body) {
  let septets = 0;
  for (const ch of body) {
    if (GSM_BASIC.has(ch)) septets += 1;
    else if (GSM_EXTENDED.has(ch)) septets += 2;
    else {
      septets = -1;
      break;
    }
  }
  if (septets >= 0) return septets <= 160 ? 1 : Math.ceil(septets / 153);
  return body.length <= 70 ? 1 : Math.ceil(body.length / 67);
}

/** Every message created through the local Twilio, in creation order. */
export class MessageStore {
  constructor() {
    this.records = [];
    this.bySid = new Map();
  }

  clear() {
    this.records = [];
    this.bySid.clear();
  }

  /** Records a created message. `form` is the request's URLSearchParams. */
  create({ accountSid, form, now, fault = null }) {
    let sid;
    do sid = newSid('SM'); while (this.bySid.has(sid));
    const viaService = form.get('MessagingServiceSid') || null;
    const from = form.get('From') || null;
    const body = form.get('Body') ?? '';
    const record = {
      sid,
      account_sid: accountSid,
      to: form.get('To'),
      from,
      messaging_service_sid: viaService,
      body,
      media_url: form.getAll('MediaUrl'),
      // A Messaging Service send starts as `accepted` until a sender is picked (Twilio's
      // "Outbound Message Status in Status Callbacks"); a plain From send starts `queued`.
      status: viaService && !from ? 'accepted' : 'queued',
      created_ms: now,
      sent_ms: now,
      updated_ms: now,
      status_callback: form.get('StatusCallback') || null,
      error_code: null,
      num_segments: segments(body),
      fault,
      seq: this.records.length,
    };
    this.records.push(record);
    this.bySid.set(sid, record);
    return record;
  }

  get(accountSid, sid) {
    const r = this.bySid.get(sid);
    return r && r.account_sid === accountSid ? r : null;
  }

  /** Twilio's list semantics: one account, exact To/From, DateSent filters by the UTC date,
   * newest first. `dates` holds parsed filters: { on, onOrBefore, onOrAfter } as YYYY-MM-DD. */
  list(accountSid, { to, from, dates = {} }) {
    return this.records
      .filter((r) => r.account_sid === accountSid)
      .filter((r) => to === undefined || r.to === to)
      .filter((r) => from === undefined || r.from === from)
      .filter((r) => {
        const day = new Date(r.sent_ms).toISOString().slice(0, 10);
        if (dates.on !== undefined && day !== dates.on) return false;
        if (dates.onOrBefore !== undefined && day > dates.onOrBefore) return false;
        if (dates.onOrAfter !== undefined && day < dates.onOrAfter) return false;
        return true;
      })
      .sort((a, b) => b.created_ms - a.created_ms || b.seq - a.seq);
  }

  /** Recorded creates (faulted ones included), oldest first, optionally for one recipient. */
  received(to) {
    return this.records.filter((r) => to === undefined || to === null || to === '' || r.to === to);
  }
}

/** A message as Twilio's REST API renders it. */
export function twilioJson(r) {
  const uri = `/${API_VERSION}/Accounts/${r.account_sid}/Messages/${r.sid}.json`;
  return {
    account_sid: r.account_sid,
    api_version: API_VERSION,
    body: r.body,
    date_created: rfc2822(r.created_ms),
    date_sent: r.sent_ms === null ? null : rfc2822(r.sent_ms),
    date_updated: rfc2822(r.updated_ms),
    direction: 'outbound-api',
    error_code: r.error_code,
    error_message: null,
    from: r.from,
    messaging_service_sid: r.messaging_service_sid,
    num_media: String(r.media_url.length),
    num_segments: String(r.num_segments),
    price: null,
    price_unit: 'USD',
    sid: r.sid,
    status: r.status,
    subresource_uris: { media: uri.replace(/\.json$/, '/Media.json') },
    to: r.to,
    uri,
  };
}

/** What `/__mock/messages` shows: Twilio's shape plus what the request asked for and the fault
 * that answered it (null when none). */
export function mockJson(r) {
  return { ...twilioJson(r), status_callback: r.status_callback, media_url: r.media_url, fault: r.fault,
    created_ms: r.created_ms };
}

/** Twilio's list page: `messages` plus paging fields; `query` holds the filters as given. */
export function listPage({ accountSid, all, query, pageSize, page }) {
  const path = `/${API_VERSION}/Accounts/${accountSid}/Messages.json`;
  const uriFor = (p, extra = {}) => {
    const q = new URLSearchParams(query);
    q.set('PageSize', String(pageSize));
    q.set('Page', String(p));
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    return `${path}?${q}`;
  };
  const start = page * pageSize;
  const slice = all.slice(start, start + pageSize);
  const more = all.length > start + pageSize;
  return {
    end: slice.length ? start + slice.length - 1 : start,
    first_page_uri: uriFor(0),
    messages: slice.map(twilioJson),
    next_page_uri: more ? uriFor(page + 1, { PageToken: `PA${page + 1}` }) : null,
    page,
    page_size: pageSize,
    previous_page_uri: page > 0 ? uriFor(page - 1) : null,
    start,
    uri: uriFor(page),
  };
}
