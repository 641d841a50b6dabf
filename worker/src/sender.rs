//! The outbound sender: runs a conversation's outbox (`desk::outbox`) from its Durable Object,
//! so sends to one patient are serialised with everything else in that conversation. For each
//! row it asks `desk` for the next step, carries it out over HTTP (`desk::sender` builds the
//! requests and reads the answers) and stores the transition with its consequences in one batch.
//! An attempt is recorded before its request leaves: an isolate that dies mid-send leaves the row
//! in `sending`, which the next run looks up rather than sends again. The consent gate is applied
//! at every step, across all the clinic's numbers the reply may come from.

use chrono::{DateTime, Utc};
use futures_util::future::{select, Either};
use worker::{D1Database, Delay, Fetch, Headers, Method, Request, RequestInit};

use crate::config::Sending;
use crate::consent::{ConsentChange, ConsentState, KeywordSource};
use crate::crypto::Keyring;
use crate::error::ApiError;
use crate::identity::IdentityKey;
use crate::store::{self, outbox::Item};
use desk::audit::Actor;
use desk::autoreply::Clinic;
use desk::outbox::{self, Row, Settle, Step, Transition};
use desk::sender::{self as rest, HttpRequest};

/// How long a Twilio request may take before its outcome counts as unknown.
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// Steps taken for one row in one run (a lookup that finds nothing is followed by a send).
const STEPS_PER_RUN: usize = 3;
/// No new request starts after this much of a run: the object's event (inside
/// `blockConcurrencyWhile`) must end well within the runtime's 30 s, or the object is reset
/// mid-send. What is left waits for the next alarm, a second later.
const RUN_BUDGET: chrono::Duration = chrono::Duration::seconds(15);
/// A row whose store fails is tried again this much later.
const STORE_RETRY: chrono::Duration = chrono::Duration::minutes(1);

/// Everything a run needs about the conversation, loaded once.
pub struct Conversation<'a> {
    /// For the sender numbers' pacers (`pace_do`).
    pub env: &'a worker::Env,
    pub db: &'a D1Database,
    pub keys: &'a Keyring,
    /// Derives the ids of the patient's conversations with the clinic's other numbers, whose
    /// consent gates a reply from them too.
    pub identity: &'a IdentityKey,
    pub conversation_id: &'a str,
    /// This Durable Object's id (hex), so status callbacks find their way back here.
    pub object_id: String,
    pub actor: Actor,
}

/// Who a conversation's rows go to, and from which numbers.
struct Recipient {
    channel: String,
    patient: String,
    /// The clinic's numbers in the outbox's sender order (`desk::outbox::sender_numbers`).
    senders: Vec<String>,
    /// The conversations of this patient with each of those numbers (consent is per number).
    conversations: Vec<String>,
    /// An earlier send found the number cannot get SMS: nothing more is attempted.
    undeliverable: bool,
}

/// Runs every unsettled row of the conversation as far as it can go now. Returns when the next
/// row is due (for the object's alarm), if any. One row's failure does not hold up the others.
pub async fn run(
    c: &Conversation<'_>,
    sending: Result<&Sending, ()>,
    now: impl Fn() -> DateTime<Utc>,
    jitter: impl Fn() -> f64,
) -> Result<Option<DateTime<Utc>>, ApiError> {
    let items = store::outbox::unsettled(c.db, c.keys, c.conversation_id).await?;
    if items.is_empty() {
        return Ok(None);
    }
    let Ok(sending) = sending else {
        // Settings are missing (named on /health): nothing can be sent; look again later.
        return Ok(Some(now() + chrono::Duration::minutes(5)));
    };
    let started = now();
    let clinic = crate::clinic::load(c.db).await?;
    let Some(recipient) = recipient(c, sending, clinic.as_deref()).await? else {
        // No sealed numbers to address it to: a person takes each row.
        worker::console_error!("outbox without sealed numbers conv={}", c.conversation_id);
        for item in items {
            let t = outbox::fail_for_person(&item.row, "no_number");
            let s = outbox::settle(
                c.actor,
                c.conversation_id,
                item.in_reply_to.as_deref(),
                &item.row,
                t,
            );
            store_settle(c, &s, now()).await?;
        }
        return Ok(None);
    };
    let mut next: Option<DateTime<Utc>> = None;
    for item in items {
        let due = if now() - started > RUN_BUDGET {
            Some(now() + chrono::Duration::seconds(1))
        } else {
            let id = item.row.id.clone();
            match run_row(
                c,
                sending,
                clinic.as_deref(),
                &recipient,
                item,
                &now,
                &jitter,
            )
            .await
            {
                Ok(due) => due,
                Err(e) => {
                    worker::console_error!("outbox row failed id={id} code={}", e.code());
                    Some(now() + STORE_RETRY)
                }
            }
        };
        next = match (next, due) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    Ok(next)
}

async fn recipient(
    c: &Conversation<'_>,
    sending: &Sending,
    clinic: Option<&Clinic>,
) -> Result<Option<Recipient>, ApiError> {
    let Some((channel, numbers)) =
        store::identity::numbers(c.db, c.keys, c.conversation_id).await?
    else {
        return Ok(None);
    };
    let clinic_numbers = clinic
        .map(|c| c.facts.clinic.sending.numbers.clone())
        .unwrap_or_default();
    let senders = outbox::sender_numbers(
        &numbers.clinic,
        &clinic_numbers,
        sending.account.messaging_service_sid.is_some(),
    );
    let mut conversations = vec![c.conversation_id.to_owned()];
    for s in senders.iter().skip(1) {
        conversations.push(c.identity.conversation(&channel, s, &numbers.patient).id);
    }
    Ok(Some(Recipient {
        undeliverable: store::outbox::is_undeliverable(c.db, c.conversation_id).await?,
        channel,
        patient: numbers.patient,
        senders,
        conversations,
    }))
}

/// How many senders a conversation's rows can move between (for callbacks, which do not run
/// a send).
pub async fn sender_count(
    c: &Conversation<'_>,
    sending: Result<&Sending, ()>,
) -> Result<u8, ApiError> {
    let Ok(sending) = sending else {
        return Ok(1);
    };
    let clinic = crate::clinic::load(c.db).await?;
    Ok(recipient(c, sending, clinic.as_deref())
        .await?
        .map_or(1, |r| u8::try_from(r.senders.len()).unwrap_or(u8::MAX)))
}

fn address(channel: &str, e164: &str) -> String {
    if channel == "whatsapp" {
        format!("whatsapp:{e164}")
    } else {
        e164.to_owned()
    }
}

async fn run_row(
    c: &Conversation<'_>,
    sending: &Sending,
    clinic: Option<&Clinic>,
    recipient: &Recipient,
    item: Item,
    now: &impl Fn() -> DateTime<Utc>,
    jitter: &impl Fn() -> f64,
) -> Result<Option<DateTime<Utc>>, ApiError> {
    let channel = recipient.channel.as_str();
    let to = address(channel, &recipient.patient);
    let senders = &recipient.senders;
    let count = u8::try_from(senders.len()).unwrap_or(u8::MAX);
    let window = clinic.map(Clinic::window);
    let mut row = item.row;
    for _ in 0..STEPS_PER_RUN {
        // Re-read at every step: a STOP to any of the clinic's numbers since the last one
        // suppresses the row.
        let consent = store::consent::across(c.db, &recipient.conversations).await?;
        let step = outbox::next_step(&row, consent, window.as_ref(), now());
        let t = match step {
            Step::Nothing => return Ok(None),
            Step::WaitUntil(t) => return Ok(Some(t)),
            Step::Suppress => outbox::suppress(&row),
            Step::Send { .. } if recipient.undeliverable => {
                outbox::fail_for_person(&row, "number_undeliverable")
            }
            Step::Send { sender } => {
                let number = senders
                    .get(usize::from(sender))
                    .or_else(|| senders.first())
                    .cloned()
                    .unwrap_or_default();
                // A Messaging Service paces its own pool; a number is paced here, across every
                // conversation it replies in.
                if sending.account.messaging_service_sid.is_none() {
                    match crate::pace_do::reserve(c.env, &number, desk::pace::LONG_CODE_PER_SECOND)
                        .await
                    {
                        Some(slot) => match desk::pace::pace(slot, now()) {
                            desk::pace::Pace::Now => {}
                            desk::pace::Pace::Wait(d) => {
                                Delay::from(d.to_std().unwrap_or_default()).await
                            }
                            desk::pace::Pace::Later(t) => return Ok(Some(t)),
                        },
                        None => worker::console_error!("sender pacer unavailable id={}", row.id),
                    }
                }
                let started = outbox::attempt_started(&row, now());
                let written = store::outbox::update(
                    c.db,
                    &desk::pending::stored(now()),
                    row.state,
                    &started,
                )?
                .run()
                .await
                .map_err(store::db_err("outbox_write"))?;
                // The attempt must be on record before the request leaves: if the guard found
                // the row moved on, nothing is sent.
                let changed = written.meta().ok().flatten().and_then(|m| m.changes);
                if changed != Some(1) {
                    worker::console_error!("outbox attempt not recorded id={}", row.id);
                    return Ok(Some(now() + STORE_RETRY));
                }
                let from = address(channel, &number);
                let callback = sending.status_callback_base.as_ref().map(|base| {
                    format!(
                        "{base}?outbox={}&obj={}&try={}",
                        rest::encode(&row.id),
                        c.object_id,
                        started.attempt_tag()
                    )
                });
                let request = rest::create(
                    &sending.account,
                    &to,
                    &from,
                    &item.body,
                    callback.as_deref(),
                );
                let outcome = match exec(&request).await {
                    Ok((status, body)) => rest::read_create(Some(status), &body, true),
                    // workerd does not say whether a failed fetch left: count it as unknown, so
                    // it is looked up before any new attempt.
                    Err(()) => rest::read_create(None, "", true),
                };
                worker::console_log!(
                    "outbox send id={} outcome={}",
                    row.id,
                    outcome_code(&outcome)
                );
                row = started;
                outbox::after_send(&row, &outcome, count, now(), jitter())
            }
            Step::Lookup { .. } => {
                let request = rest::lookup(&sending.account, &to);
                let found = match exec(&request).await {
                    Ok((status, body)) => rest::read_lookup(status, &body)
                        .inspect_err(|e| worker::console_error!("outbox lookup id={} {e}", row.id))
                        .ok(),
                    Err(()) => None,
                };
                let listed: Vec<String> = found.iter().flatten().map(|m| m.sid.clone()).collect();
                let taken = store::outbox::taken_sids(c.db, &row.id, &listed).await?;
                worker::console_log!(
                    "outbox lookup id={} found={}",
                    row.id,
                    found.as_ref().map_or(-1, |f| f.len() as i64)
                );
                outbox::after_lookup(&row, &item.body, found.as_deref(), &taken, now(), jitter())
            }
        };
        let settled = outbox::settle(
            c.actor,
            c.conversation_id,
            item.in_reply_to.as_deref(),
            &row,
            t,
        );
        row = settled.row.clone();
        store_settle(c, &settled, now()).await?;
    }
    Ok(Some(row.next_at))
}

fn outcome_code(o: &outbox::SendOutcome) -> String {
    match o {
        outbox::SendOutcome::Created { .. } => "created".into(),
        outbox::SendOutcome::Refused { http, code } => {
            format!("refused_{http}_{}", code.map_or(0, |c| c))
        }
        outbox::SendOutcome::NotSent => "not_sent".into(),
        outbox::SendOutcome::Ambiguous => "ambiguous".into(),
    }
}

/// Writes a transition and its consequences in one batch.
pub async fn store_settle(
    c: &Conversation<'_>,
    s: &Settle,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let at = desk::pending::stored(now);
    let mut batch = vec![store::outbox::update(c.db, &at, s.before, &s.row)?];
    if let Some(message_id) = &s.opt_out {
        let change = ConsentChange {
            new_state: ConsentState::OptedOut,
            keyword: "STOP".into(),
            source: KeywordSource::SendError,
        };
        batch.push(store::consent::record(
            c.db,
            &at,
            c.conversation_id,
            message_id,
            &change,
        )?);
    }
    if let Some(code) = s.undeliverable {
        batch.push(store::outbox::mark_undeliverable(
            c.db,
            &at,
            c.conversation_id,
            code,
        )?);
    }
    if let Some((message_id, reason)) = &s.person {
        batch.push(store::outbox::needs_person(c.db, message_id, reason)?);
    }
    if let Some(message_id) = &s.answered {
        batch.push(store::outbox::answered(c.db, message_id, s.row.purpose)?);
    }
    batch.extend(store::audit::statements(c.db, &at, &s.audit)?);
    c.db.batch(batch)
        .await
        .map_err(store::db_err("outbox_settle"))?;
    worker::console_log!(
        "outbox stored id={} state={} attempts={} code={}",
        s.row.id,
        s.row.state.as_str(),
        s.row.attempts,
        s.row.error_code.unwrap_or(0)
    );
    Ok(())
}

/// A status callback about an outbox row: the transition, stored like any other.
#[allow(clippy::too_many_arguments)]
pub async fn status(
    c: &Conversation<'_>,
    outbox_id: &str,
    sid: &str,
    attempt: Option<&str>,
    status: &str,
    error_code: Option<u32>,
    senders: u8,
    now: DateTime<Utc>,
) -> Result<Option<Row>, ApiError> {
    let Some(item) = store::outbox::get(c.db, c.keys, c.conversation_id, outbox_id).await? else {
        return Ok(None);
    };
    let t: Transition =
        outbox::after_status(&item.row, sid, attempt, status, error_code, senders, now);
    if t.row == item.row && t.effects.is_empty() {
        return Ok(Some(item.row));
    }
    let s = outbox::settle(
        c.actor,
        c.conversation_id,
        item.in_reply_to.as_deref(),
        &item.row,
        t,
    );
    store_settle(c, &s, now).await?;
    Ok(Some(s.row))
}

/// Makes one request: `Ok((status, body))` for any HTTP answer, `Err` for no answer in time or
/// a failed connection.
async fn exec(r: &HttpRequest) -> Result<(u16, String), ()> {
    let headers = Headers::new();
    let credentials = base64_basic(&r.basic_auth.0, &r.basic_auth.1);
    headers
        .set("Authorization", &format!("Basic {credentials}"))
        .map_err(|_| ())?;
    let mut init = RequestInit::new();
    if r.method == "POST" {
        headers
            .set("Content-Type", "application/x-www-form-urlencoded")
            .map_err(|_| ())?;
        init.with_method(Method::Post)
            .with_body(Some(rest::form_body(&r.form).into()));
    } else {
        init.with_method(Method::Get);
    }
    init.with_headers(headers);
    let request = Request::new_with_init(&r.url, &init).map_err(|_| ())?;
    let call = Box::pin(async move {
        let mut resp = Fetch::Request(request).send().await.map_err(|_| ())?;
        let status = resp.status_code();
        let body = resp.text().await.unwrap_or_default();
        Ok::<_, ()>((status, body))
    });
    match select(call, Delay::from(REQUEST_TIMEOUT)).await {
        Either::Left((result, _)) => result,
        Either::Right(((), _)) => Err(()),
    }
}

fn base64_basic(user: &str, password: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
}
