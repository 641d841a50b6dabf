//! One Durable Object per conversation (channel + clinic number + patient number, by keyed id):
//! it handles that conversation's messages one at a time, in arrival order, so consent changes
//! and replies never interleave (a STOP followed at once by a HELP sees the STOP), and it holds
//! the conversation's alarm, which finishes work a message still needs.
//!
//! Ordering comes from `blockConcurrencyWhile`: while one message is being handled, the runtime
//! delivers no other event to this object. D1 calls alone would not give this, since awaiting
//! them lets the next request in.
//!
//! This module loads facts and executes plans; the rules are `desk::inbound`. A new message is
//! stored in one batch with its pending triage (`desk::pending`); the triage runs at once and its
//! batch deletes the pending item. If it fails, or the isolate dies, the alarm finishes it: the
//! webhook still answers 200, since Twilio would not retry a 5xx and the message is safe.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use worker::{durable_object, DurableObject, Env, Request, Response, Result, State, Storage};

use crate::config::ConversationConfig;
use crate::consent::ConsentState;
use crate::error::ApiError;
use crate::identity::{ConversationKey, Numbers};
use crate::outbound::Cleared;
use crate::sender;
use crate::store::{self, D1Database};
use crate::triage;
use crate::twilio::{form::InboundSms, twiml};
use desk::audit::Actor;
use desk::inbound::{self as plan, Arrival, Moment};
use desk::pending::{self, PendingWork};

/// What the Worker hands the conversation's object.
#[derive(Serialize, Deserialize)]
pub struct InboundJob {
    /// The conversation's keyed identifiers (`identity`); the object is named by `key.id`.
    pub key: ConversationKey,
    pub message: InboundSms,
}

/// A status callback about one of this conversation's outbox rows (routed here by the object id
/// in its StatusCallback URL, so it is serialised with the conversation's sends).
#[derive(Serialize, Deserialize)]
pub struct StatusJob {
    pub outbox_id: String,
    /// The attempt the callback URL names (`desk::outbox::Row::attempt_tag`).
    pub attempt: Option<String>,
    pub message_sid: String,
    pub status: String,
    pub error_code: Option<u32>,
}

/// The object's path for status jobs (anything else is an inbound message).
pub const STATUS_PATH: &str = "/status";

/// Where the object remembers the row id of its conversation (resolved once: see
/// `store::identity::resolve`).
const CONVERSATION_ID: &str = "conversation_id";

#[durable_object(alarm)]
pub struct Conversation {
    state: State,
    env: Env,
}

impl DurableObject for Conversation {
    fn new(state: State, env: Env) -> Self {
        Self { state, env }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let env = self.env.clone();
        let storage = self.state.storage();
        let object_id = self.state.id().to_string();
        if req.path() == STATUS_PATH {
            let job: StatusJob = match req.json().await {
                Ok(j) => j,
                Err(_) => return crate::respond::error_response(ApiError::Internal),
            };
            let outcome = self
                .state
                .block_concurrency_while(async move {
                    Ok(handle_status(env, storage, object_id, job).await)
                })
                .await?;
            return match outcome {
                Ok(()) => Response::ok(""),
                Err(e) => crate::respond::error_response(e),
            };
        }
        let job: InboundJob = match req.json().await {
            Ok(j) => j,
            Err(_) => return crate::respond::error_response(ApiError::Internal),
        };
        // Errors travel inside Ok: an Err here would reset the object.
        let outcome = self
            .state
            .block_concurrency_while(async move { Ok(handle_inbound(env, storage, job).await) })
            .await?;
        match outcome {
            Ok(xml) => crate::respond::twiml_response(xml),
            Err(e) => crate::respond::error_response(e),
        }
    }

    async fn alarm(&self) -> Result<Response> {
        let env = self.env.clone();
        let storage = self.state.storage();
        let object_id = self.state.id().to_string();
        let outcome = self
            .state
            .block_concurrency_while(
                async move { Ok(finish_pending(env, storage, object_id).await) },
            )
            .await?;
        match outcome {
            Ok(()) => Response::ok(""),
            // Thrown, so the runtime retries the alarm with its own backoff: the pending rows
            // are still there.
            Err(e) => Err(worker::Error::RustError(format!(
                "alarm failed code={}",
                e.code()
            ))),
        }
    }
}

/// Store first, then answer. A known MessageSid stores nothing and gets the stored answer again
/// (still through the consent gate).
async fn handle_inbound(
    env: Env,
    storage: Storage,
    job: InboundJob,
) -> std::result::Result<String, ApiError> {
    let config = ConversationConfig::from_env(&env)?;
    let db = env.d1("DB").map_err(|_| ApiError::Misconfigured)?;
    let msg = &job.message;
    let now = now();
    let at = pending::stored(now);
    store::identity::seal_backlog_once(&db, &config.keys).await;
    let cid = conversation_id(&db, &storage, &config, &job).await?;
    let facts = store::triage::facts(
        &db,
        &config.keys.body,
        &cid,
        &msg.message_sid,
        triage::CONTEXT_TURNS,
    )
    .await?;
    if facts.stored {
        return replay(&db, &storage, &config, &at, &cid, msg).await;
    }
    let before = facts.consent;
    let arrival = Arrival {
        message_sid: &msg.message_sid,
        conversation_id: &cid,
        body: &msg.body,
        opt_out_type: msg.opt_out_type.as_deref(),
    };
    let p = plan::plan_arrival(&arrival, before, &config.help_text, now);

    let numbers = Numbers {
        clinic: msg.to.e164.clone(),
        patient: msg.from.e164.clone(),
    };
    let keys = &config.keys.body;
    let sid = msg.message_sid.as_str();
    let mut batch = vec![store::identity::upsert(
        &db,
        keys,
        &at,
        &cid,
        &job.key,
        msg.from.channel.as_str(),
        &numbers,
    )?];
    batch.extend(store::messages::insert_inbound(&db, keys, &at, &cid, msg)?);
    if let Some(change) = &p.consent.change {
        batch.push(store::consent::record(&db, &at, &cid, sid, change)?);
    }
    batch.extend(replies_in_answer(
        &db,
        keys,
        &at,
        &cid,
        sid,
        &p.replies,
        Actor::Webhook,
    )?);
    if let Some(w) = &p.pending {
        batch.push(store::pending::insert(&db, &at, w)?);
    }
    batch.extend(store::audit::statements(&db, &at, &p.audit)?);
    if let Err(e) = db.batch(batch).await {
        // The batch may have committed with only its acknowledgement lost; the UNIQUE SID then
        // makes this a replay. Otherwise nothing was stored (a batch is one transaction): 5xx.
        if store::messages::exists(&db, sid).await? {
            return replay(&db, &storage, &config, &at, &cid, msg).await;
        }
        return Err(store::db_err("inbound_batch")(e));
    }
    worker::console_log!(
        "inbound stored sid={} conv={} consent={} replies={} suppressed={} pending={}",
        sid,
        cid,
        p.consent_after.as_str(),
        p.replies.len(),
        p.suppressed,
        p.pending.is_some()
    );
    let mut answer: Vec<Cleared> = p.replies.into_iter().map(|r| r.reply).collect();
    if let Some(work) = p.pending {
        // Armed before the attempt: if this isolate dies mid-triage, the alarm finishes it.
        arm_alarm(&storage, work.due_at).await;
        let turn =
            triage::inbound_turn(&msg.body, msg.media.iter().map(|m| m.content_type.as_str()));
        let fresh = Fresh::JustStored(facts.history, facts.clinic_versions);
        match triage_and_record(
            &db,
            &storage,
            &config,
            &at,
            &cid,
            sid,
            turn,
            p.consent_after,
            fresh,
        )
        .await
        {
            Ok(replies) => answer.extend(replies),
            Err(e) => defer(&db, &storage, &work, now, e).await,
        }
    }
    Ok(twiml::response(&answer))
}

/// The rows of replies that travel in the webhook's TwiML answer: each is a message row (what
/// was said) and an outbox row (handed to Twilio, `desk::outbox::in_answer`), like every
/// outgoing message, with their audit entries.
fn replies_in_answer(
    db: &D1Database,
    keys: &crate::crypto::Keyring,
    at: &str,
    cid: &str,
    sid: &str,
    replies: &[desk::inbound::StoredReply],
    actor: Actor,
) -> std::result::Result<Vec<worker::D1PreparedStatement>, ApiError> {
    let mut out = Vec::new();
    for r in replies {
        out.push(store::messages::insert_reply(db, keys, at, cid, sid, r)?);
        let (row, audit) = desk::outbox::in_answer(actor, cid, sid, r.reply.produced_by(), now());
        out.push(store::outbox::insert(
            db,
            keys,
            at,
            cid,
            Some(sid),
            &row,
            r.reply.body(),
            &store::outbox::Provenance::default(),
        )?);
        out.extend(store::audit::statements(db, at, &[audit])?);
    }
    Ok(out)
}

/// This object's conversation row id, resolved once and remembered.
async fn conversation_id(
    db: &D1Database,
    storage: &Storage,
    config: &ConversationConfig,
    job: &InboundJob,
) -> std::result::Result<String, ApiError> {
    if let Ok(Some(id)) = storage.get::<String>(CONVERSATION_ID).await {
        return Ok(id);
    }
    let numbers = Numbers {
        clinic: job.message.to.e164.clone(),
        patient: job.message.from.e164.clone(),
    };
    let id = store::identity::resolve(
        db,
        &config.keys.body,
        &job.key,
        job.message.from.channel.as_str(),
        &numbers,
    )
    .await?;
    if storage.put(CONVERSATION_ID, &id).await.is_err() {
        // Only a cache: the next message resolves it again.
        worker::console_error!("conversation id not cached conv={id}");
    }
    Ok(id)
}

/// How a triage comes to run, which decides what it must read and whether its reply can travel.
enum Fresh {
    /// Inline, right after the message's batch: no verdict can exist yet, and the context was
    /// read with the other facts before the message was stored.
    JustStored(Vec<(String, classifier::Turn)>, Option<(i64, i64)>),
    /// A replay or the alarm: an earlier attempt may have written the verdict, and the context
    /// is read now (only messages stored before this one).
    Resumed(Moment),
}

/// Triages a stored message and records the verdict, the staff-queue row and (urgent, in a
/// webhook) the safe reply in one batch that also finishes its pending item. Returns the replies
/// the consent gate cleared, for the answer. A verdict already stored (an earlier attempt whose
/// acknowledgement was lost) is never written again.
#[allow(clippy::too_many_arguments)]
async fn triage_and_record(
    db: &D1Database,
    storage: &Storage,
    config: &ConversationConfig,
    at: &str,
    cid: &str,
    sid: &str,
    message: classifier::Turn,
    consent: ConsentState,
    fresh: Fresh,
) -> std::result::Result<Vec<Cleared>, ApiError> {
    let keys = &config.keys.body;
    let (history, moment, versions) = match fresh {
        Fresh::JustStored(history, versions) => (history, Moment::Webhook, Some(versions)),
        Fresh::Resumed(moment) => {
            if store::triage::exists(db, sid).await? {
                store::pending::finish(db, sid)?
                    .run()
                    .await
                    .map_err(store::db_err("pending_write"))?;
                return Ok(Vec::new());
            }
            let history = store::triage::history(db, keys, cid, sid, triage::CONTEXT_TURNS).await?;
            (history, moment, None)
        }
    };
    let (engine, built) = triage::engine(now_ms);
    if built {
        // Once per isolate: the cost of building the classifier (model included) at start.
        worker::console_log!(
            "triage engine built ms={} code={} model={} fingerprint={}",
            engine.build_ms,
            engine.code(),
            triage::MODEL_VERSION,
            classifier::FINGERPRINT
        );
    }
    let (read_ids, turns): (Vec<String>, Vec<classifier::Turn>) = history.into_iter().unzip();
    let record = triage::run(
        engine,
        turns,
        message,
        consent == ConsentState::OptedOut,
        now_ms,
    );
    // An automatic reply is rendered from the clinic's facts now, and sent by the outbox
    // (from the alarm armed below), never from this request.
    let answer = if record.action == classifier::Action::AutoReply && record.failure.is_none() {
        let clinic = match versions {
            Some(v) => crate::clinic::at_versions(db, v).await?,
            None => crate::clinic::load(db).await?,
        };
        Some(desk::autoreply::answer(
            clinic.as_deref(),
            record.intent,
            record.language,
            record.redacted_text.as_deref().unwrap_or_default(),
            now(),
        ))
    } else {
        None
    };
    let reply = desk::autoreply::plan(sid, cid, moment.actor(), &record, answer, now());
    let p = plan::plan_verdict(
        sid,
        cid,
        record,
        consent,
        &config.urgent_reply,
        moment,
        &read_ids,
    );
    let mut batch = vec![
        store::triage::insert(db, keys, at, cid, sid, &p.record)?,
        store::triage::enqueue(db, at, cid, sid, &reply, p.patient_replied)?,
    ];
    batch.extend(replies_in_answer(
        db,
        keys,
        at,
        cid,
        sid,
        &p.replies,
        moment.actor(),
    )?);
    // The rows the outbox sends from the alarm armed below: the automatic reply, and, when the
    // alarm finished the triage, the urgent safe reply (no webhook answer is left to carry it).
    let mut outgoing = Vec::new();
    if let Some((row, body, audit)) =
        plan::urgent_by_rest(&p, sid, cid, &config.urgent_reply, now())
    {
        outgoing.push((row, body, store::outbox::Provenance::default(), vec![audit]));
    }
    if let Some(new) = &reply.reply {
        let from = store::outbox::Provenance {
            facts_version: Some(i64::from(new.facts_version)),
            template_id: Some(new.template_id.clone()),
            template_version: Some(i64::from(new.template_version)),
        };
        outgoing.push((new.row.clone(), new.body.clone(), from, reply.audit.clone()));
    }
    for (row, body, from, audit) in &outgoing {
        batch.push(store::outbox::insert(
            db,
            keys,
            at,
            cid,
            Some(sid),
            row,
            body,
            from,
        )?);
        batch.extend(store::audit::statements(db, at, audit)?);
    }
    batch.push(store::pending::finish(db, &p.finishes)?);
    batch.extend(store::audit::statements(db, at, &p.audit)?);
    if let Err(e) = db.batch(batch).await {
        // As with the message: the batch may have committed with only its acknowledgement lost.
        if !store::triage::exists(db, sid).await? {
            return Err(store::db_err("triage_batch")(e));
        }
    }
    if !outgoing.is_empty() {
        // The outbox sends from the alarm: at once, and again after any failure.
        arm_alarm(storage, now()).await;
    }
    let r = &p.record;
    worker::console_log!(
        "triage stored sid={} conv={} code={} intent={} action={} urgent={} priority={} ms={} \
         replies={} suppressed={} moment={:?} urgent_reply_unsent={} answer={}",
        sid,
        cid,
        r.failure.map_or("ok", |f| f.code()),
        r.intent.unwrap_or("none"),
        r.action.as_str(),
        r.urgent,
        r.priority().rank(),
        r.triage_ms,
        p.replies.len(),
        p.suppressed,
        moment,
        p.urgent_reply_unsent,
        match (&reply.reply, &reply.reason) {
            (Some(_), _) => "outbox",
            (None, Some(reason)) => reason.as_str(),
            (None, None) => "none",
        }
    );
    Ok(p.replies.into_iter().map(|r| r.reply).collect())
}

/// A failed attempt: the item is rescheduled with backoff and the alarm armed for it. If even
/// that fails, the item keeps its earlier due time and the alarm armed before the attempt.
async fn defer(
    db: &D1Database,
    storage: &Storage,
    work: &PendingWork,
    now: DateTime<Utc>,
    e: ApiError,
) {
    let next = work.after_failure(now, jitter());
    worker::console_error!(
        "triage deferred sid={} attempts={} code={} next={}",
        work.message_sid,
        next.attempts,
        e.code(),
        pending::stored(next.due_at)
    );
    if store::pending::reschedule(db, &next, e.code())
        .await
        .is_ok()
    {
        arm_alarm(storage, next.due_at).await;
    }
}

/// The alarm: every due item of this conversation, oldest first, then its outbox, then the
/// alarm re-armed for what is left (or cleared).
async fn finish_pending(
    env: Env,
    storage: Storage,
    object_id: String,
) -> std::result::Result<(), ApiError> {
    let Ok(Some(cid)) = storage.get::<String>(CONVERSATION_ID).await else {
        // An object that never stored a message has nothing pending.
        return Ok(());
    };
    let config = ConversationConfig::from_env(&env)?;
    let db = env.d1("DB").map_err(|_| ApiError::Misconfigured)?;
    let now = now();
    let at = pending::stored(now);
    for work in store::pending::for_conversation(&db, &cid).await? {
        if !work.is_due(now) {
            continue;
        }
        let outcome = finish_one(&db, &storage, &config, &at, &cid, &work).await;
        match outcome {
            Ok(()) => worker::console_log!(
                "pending finished sid={} conv={} kind={} attempts={}",
                work.message_sid,
                cid,
                work.kind.as_str(),
                work.attempts
            ),
            Err(e) => {
                let next = work.after_failure(now, jitter());
                worker::console_error!(
                    "pending failed sid={} attempts={} code={}",
                    work.message_sid,
                    next.attempts,
                    e.code()
                );
                store::pending::reschedule(&db, &next, e.code()).await?;
            }
        }
    }
    let outbox_due = run_outbox(&env, &db, &config, &cid, object_id, Actor::Sender).await;
    let left = store::pending::for_conversation(&db, &cid).await?;
    let due = match (pending::alarm_at(&left, now), outbox_due) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    match due.map(|t| pending::fire_time(t, self::now())) {
        Some(t) => storage.set_alarm(t).await.map_err(|_| ApiError::Internal)?,
        None => storage
            .delete_alarm()
            .await
            .map_err(|_| ApiError::Internal)?,
    }
    Ok(())
}

/// The conversation's outbox, as far as it can go now; when it is next due. A failure is logged
/// and retried in a minute: the rows are in D1 and nothing was lost.
async fn run_outbox(
    env: &Env,
    db: &D1Database,
    config: &ConversationConfig,
    cid: &str,
    object_id: String,
    actor: Actor,
) -> Option<DateTime<Utc>> {
    let sending = crate::config::Sending::from_env(env).map_err(|problems| {
        for p in &problems {
            worker::console_error!("setting invalid name={} problem={}", p.name, p.problem);
        }
    });
    let c = sender::Conversation {
        env,
        db,
        keys: &config.keys.body,
        identity: &config.keys.identity,
        conversation_id: cid,
        object_id,
        actor,
    };
    match sender::run(&c, sending.as_ref().map_err(|_| ()), now, jitter).await {
        Ok(next) => next,
        Err(e) => {
            worker::console_error!("outbox run failed conv={cid} code={}", e.code());
            Some(now() + chrono::Duration::minutes(1))
        }
    }
}

/// A status callback for one of this conversation's outbox rows.
async fn handle_status(
    env: Env,
    storage: Storage,
    object_id: String,
    job: StatusJob,
) -> std::result::Result<(), ApiError> {
    let Ok(Some(cid)) = storage.get::<String>(CONVERSATION_ID).await else {
        // No conversation here: a callback for a row this object never wrote.
        return Err(ApiError::NotFound);
    };
    let config = ConversationConfig::from_env(&env)?;
    let db = env.d1("DB").map_err(|_| ApiError::Misconfigured)?;
    let c = sender::Conversation {
        env: &env,
        db: &db,
        keys: &config.keys.body,
        identity: &config.keys.identity,
        conversation_id: &cid,
        object_id,
        actor: Actor::StatusCallback,
    };
    // The senders matter only to a failure (a sender-side code moves the row to a backup
    // number); "sent" and "delivered", most callbacks, need no reads for them.
    let senders = match job.error_code {
        Some(_) => {
            let sending = crate::config::Sending::from_env(&env);
            sender::sender_count(&c, sending.as_ref().map_err(|_| ())).await?
        }
        None => 1,
    };
    let row = sender::status(
        &c,
        &job.outbox_id,
        &job.message_sid,
        job.attempt.as_deref(),
        &job.status,
        job.error_code,
        senders,
        now(),
    )
    .await?;
    if let Some(row) = row.filter(|r| !r.state.is_settled()) {
        // Back in the queue (a 30003 retry, a backup sender): the alarm sends it when due.
        arm_alarm(&storage, row.next_at).await;
    }
    Ok(())
}

async fn finish_one(
    db: &D1Database,
    storage: &Storage,
    config: &ConversationConfig,
    at: &str,
    cid: &str,
    work: &PendingWork,
) -> std::result::Result<(), ApiError> {
    match work.kind {
        pending::WorkKind::Triage => {
            let Some(turn) =
                store::messages::inbound_turn(db, &config.keys.body, &work.message_sid).await?
            else {
                worker::console_error!("pending without message sid={}", work.message_sid);
                return Err(ApiError::Internal);
            };
            let consent = store::consent::current(db, cid).await?;
            let fresh = Fresh::Resumed(Moment::Alarm);
            triage_and_record(
                db,
                storage,
                config,
                at,
                cid,
                &work.message_sid,
                turn,
                consent,
                fresh,
            )
            .await
            .map(|_| ())
        }
    }
}

/// The answer to a message already stored: its stored replies, re-checked against today's
/// consent, each read audited. A message whose triage is still pending is triaged now, once (a
/// replay is a webhook, so an urgent safe reply can travel in its answer).
async fn replay(
    db: &D1Database,
    storage: &Storage,
    config: &ConversationConfig,
    at: &str,
    cid: &str,
    msg: &InboundSms,
) -> std::result::Result<String, ApiError> {
    let sid = msg.message_sid.as_str();
    if store::pending::exists(db, sid).await? {
        let consent_now = store::consent::current(db, cid).await?;
        worker::console_log!("triage resumed sid={sid}");
        let turn =
            triage::inbound_turn(&msg.body, msg.media.iter().map(|m| m.content_type.as_str()));
        // Its safe reply, if any, is stored now and read back below with the others. A failure
        // leaves the item for the alarm.
        let fresh = Fresh::Resumed(Moment::Webhook);
        if let Err(e) =
            triage_and_record(db, storage, config, at, cid, sid, turn, consent_now, fresh).await
        {
            arm_alarm(storage, now()).await;
            worker::console_error!("triage resume failed sid={sid} code={}", e.code());
        }
    }
    let stored = store::messages::replies(db, &config.keys.body, sid).await?;
    let consent_now = store::consent::current(db, cid).await?;
    let p = plan::plan_replay(cid, stored, consent_now);
    let reads = store::audit::statements(db, at, &p.audit)?;
    if !reads.is_empty() {
        db.batch(reads)
            .await
            .map_err(store::db_err("audit_batch"))?;
    }
    worker::console_log!(
        "inbound replay sid={} conv={} replies={} suppressed={}",
        sid,
        cid,
        p.answer.len(),
        p.suppressed
    );
    Ok(twiml::response(&p.answer))
}

/// Arms the object's one alarm for `at` unless it is already armed sooner. A failure is logged:
/// the pending row stays, and the next message or replay arms the alarm again.
async fn arm_alarm(storage: &Storage, at: DateTime<Utc>) {
    let at = pending::fire_time(at, now());
    let sooner = matches!(storage.get_alarm().await, Ok(Some(ms)) if ms <= at.timestamp_millis());
    if !sooner && storage.set_alarm(at).await.is_err() {
        worker::console_error!("alarm not armed");
    }
}

/// The runtime's clock, as an absolute time (alarms take absolute times; an integer would be a
/// delay).
fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(worker::js_sys::Date::now() as i64).unwrap_or_default()
}

/// A uniform draw in [0, 1) for retry jitter, from the platform's CSPRNG; 0.5 if it fails.
fn jitter() -> f64 {
    let mut b = [0u8; 4];
    match getrandom::fill(&mut b) {
        Ok(()) => f64::from(u32::from_le_bytes(b)) / (f64::from(u32::MAX) + 1.0),
        Err(_) => 0.5,
    }
}

/// Milliseconds by the runtime's clock. Deployed Workers advance it only across I/O, so there it
/// reads CPU-only spans such as a triage as 0; under local workerd it runs (README, "Size and
/// start-up").
fn now_ms() -> f64 {
    worker::js_sys::Date::now()
}
