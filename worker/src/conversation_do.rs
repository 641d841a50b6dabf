//! One Durable Object per conversation (channel + clinic number + patient number): it handles
//! that conversation's messages one at a time, in arrival order, so consent changes and replies
//! never interleave (a STOP followed at once by a HELP sees the STOP).
//!
//! Ordering comes from `blockConcurrencyWhile`: while one message is being stored, the runtime
//! delivers no other event to this object. D1 calls alone would not give this, since awaiting
//! them lets the next request in.
//!
//! A message that is not a carrier keyword is then triaged (`triage`): stored first, triaged
//! second, so neither a triage failure nor a crash in it can lose the message. The verdict and
//! the staff-queue row go in a second batch; an urgent message's safe reply goes in that batch
//! and out in the same TwiML answer, through the consent gate like every other reply.

use serde::{Deserialize, Serialize};
use worker::{durable_object, DurableObject, Env, Request, Response, Result, State};

use crate::config::ConversationConfig;
use crate::consent::{self, ConsentState};
use crate::error::ApiError;
use crate::outbound::{self, Cleared, Outbound, ProducedBy};
use crate::store::{self, audit, D1Database};
use crate::triage;
use crate::twilio::{form::InboundSms, twiml};

/// What the Worker hands the conversation's object.
#[derive(Serialize, Deserialize)]
pub struct InboundJob {
    pub conversation_id: String,
    pub message: InboundSms,
}

#[durable_object(fetch)]
pub struct Conversation {
    state: State,
    env: Env,
}

impl DurableObject for Conversation {
    fn new(state: State, env: Env) -> Self {
        Self { state, env }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let job: InboundJob = match req.json().await {
            Ok(j) => j,
            Err(_) => return crate::routes::error_response(ApiError::Internal),
        };
        let env = self.env.clone();
        // Errors travel inside Ok: an Err here would reset the object.
        let outcome = self
            .state
            .block_concurrency_while(async move { Ok(handle_inbound(env, job).await) })
            .await?;
        match outcome {
            Ok(xml) => crate::routes::twiml_response(xml),
            Err(e) => crate::routes::error_response(e),
        }
    }
}

/// Store first, then answer. A known MessageSid stores nothing and gets the stored answer again
/// (still through the consent gate).
async fn handle_inbound(env: Env, job: InboundJob) -> std::result::Result<String, ApiError> {
    let config = ConversationConfig::from_env(&env)?;
    let db = env.d1("DB").map_err(|_| ApiError::Misconfigured)?;
    let msg = &job.message;
    let at = now();
    if store::messages::exists(&db, &msg.message_sid).await? {
        return replay(&db, &config, &at, &job).await;
    }
    let before = store::consent::current(&db, msg).await?;
    let decision = consent::decide(before, &msg.body, msg.opt_out_type.as_deref());
    let after = decision.state_after(before);
    let mut wanted = Vec::new();
    if decision.help {
        wanted.push(Outbound {
            body: config.help_text.clone(),
            produced_by: ProducedBy::HelpText,
        });
    }
    let (cleared, suppressed) = outbound::clear_all(after, wanted);

    let cid = job.conversation_id.as_str();
    let mut batch = vec![store::messages::upsert_conversation(&db, &at, cid, msg)?];
    batch.extend(store::messages::insert_inbound(
        &db,
        &config.keyring,
        &at,
        cid,
        msg,
    )?);
    // (table, row id) of every row this message creates, for the audit log.
    let mut created = vec![("messages", msg.message_sid.clone())];
    if let Some(change) = &decision.change {
        batch.push(store::consent::record(&db, &at, msg, change)?);
        created.push(("consent_events", msg.message_sid.clone()));
    }
    for (n, reply) in cleared.iter().enumerate() {
        let (id, statement) = store::messages::insert_reply(
            &db,
            &config.keyring,
            &at,
            cid,
            &msg.message_sid,
            n,
            reply,
        )?;
        batch.push(statement);
        created.push(("messages", id));
    }
    for (entity, id) in &created {
        batch.push(audit::statement(
            &db,
            &at,
            &audit::AuditEntry {
                actor: "twilio_webhook",
                action: "create",
                entity,
                entity_id: id,
                conversation_id: Some(cid),
            },
        )?);
    }
    if let Err(e) = db.batch(batch).await {
        // The batch may have committed with only its acknowledgement lost; the UNIQUE SID then
        // makes this a replay rather than an error Twilio would retry forever.
        if store::messages::exists(&db, &msg.message_sid).await? {
            return replay(&db, &config, &at, &job).await;
        }
        return Err(store::db_err("inbound_batch")(e));
    }
    worker::console_log!(
        "inbound stored sid={} conv={} consent={} replies={} suppressed={}",
        msg.message_sid,
        cid,
        after.as_str(),
        cleared.len(),
        suppressed
    );
    let mut answer = cleared;
    if !decision.is_keyword() {
        answer.extend(triage_and_record(&db, &config, &at, &job, after).await?);
    }
    Ok(twiml::response(&answer))
}

/// Triages a stored message and records the verdict, the staff-queue row and (urgent only) the
/// safe reply in one batch. Returns the replies the consent gate cleared, for the answer.
///
/// An error here is a storage error: the message itself is already stored, Twilio's retry comes
/// back as a replay, and the replay finishes the triage (`replay`).
async fn triage_and_record(
    db: &D1Database,
    config: &ConversationConfig,
    at: &str,
    job: &InboundJob,
    consent: ConsentState,
) -> std::result::Result<Vec<Cleared>, ApiError> {
    let msg = &job.message;
    let sid = msg.message_sid.as_str();
    let cid = job.conversation_id.as_str();
    let history =
        store::triage::history(db, &config.keyring, cid, sid, triage::CONTEXT_TURNS).await?;
    let (engine, built) = triage::engine(now_ms);
    if built {
        // Once per isolate: the cost of building the classifier (model included) at start.
        worker::console_log!(
            "triage engine built ms={} code={} model={}",
            engine.build_ms,
            engine.code(),
            triage::MODEL_VERSION
        );
    }
    let (read_ids, turns): (Vec<String>, Vec<classifier::Turn>) = history.into_iter().unzip();
    let text = triage::text_with_attachments(&msg.body, &msg.media);
    let record = triage::run(engine, turns, &text, now_ms);

    let wanted = if record.urgent {
        vec![Outbound {
            body: config.urgent_reply.clone(),
            produced_by: ProducedBy::UrgentSafeReply,
        }]
    } else {
        Vec::new()
    };
    let (cleared, suppressed) = outbound::clear_all(consent, wanted);

    let mut batch = vec![
        store::triage::insert(db, &config.keyring, at, cid, sid, &record)?,
        store::triage::enqueue(db, at, cid, sid, &record, !cleared.is_empty())?,
    ];
    let mut audited: Vec<(&str, &str, String)> = vec![
        ("create", "triage", sid.to_string()),
        ("create", "staff_queue", sid.to_string()),
    ];
    // Keyword messages (the only ones with other replies) are never triaged, so the safe reply
    // is this message's first reply.
    for (n, reply) in cleared.iter().enumerate() {
        let (id, statement) =
            store::messages::insert_reply(db, &config.keyring, at, cid, sid, n, reply)?;
        batch.push(statement);
        audited.push(("create", "messages", id));
    }
    for id in read_ids {
        audited.push(("read", "messages", id));
    }
    for (action, entity, id) in &audited {
        batch.push(audit::statement(
            db,
            at,
            &audit::AuditEntry {
                actor: "triage",
                action,
                entity,
                entity_id: id,
                conversation_id: Some(cid),
            },
        )?);
    }
    if let Err(e) = db.batch(batch).await {
        // As with the message: the batch may have committed with only its acknowledgement lost.
        if !store::triage::exists(db, sid).await? {
            return Err(store::db_err("triage_batch")(e));
        }
    }
    worker::console_log!(
        "triage stored sid={} conv={} code={} intent={} action={} urgent={} priority={} ms={} \
         replies={} suppressed={}",
        sid,
        cid,
        record.failure.map_or("ok", |f| f.code()),
        record.intent.unwrap_or("none"),
        record.action.as_str(),
        record.urgent,
        record.priority().rank(),
        record.triage_ms,
        cleared.len(),
        suppressed
    );
    Ok(cleared)
}

/// Whether a message already stored still needs its triage: it is not a carrier keyword and has
/// no verdict (the first delivery stored it, then failed or was cut off before the verdict).
async fn triage_pending(db: &D1Database, msg: &InboundSms) -> std::result::Result<bool, ApiError> {
    // From opted-in, `decide` calls every keyword a keyword except YES, which is one only if it
    // opted the number back in, and then it left a ledger entry.
    if consent::decide(
        ConsentState::OptedIn,
        &msg.body,
        msg.opt_out_type.as_deref(),
    )
    .is_keyword()
    {
        return Ok(false);
    }
    if store::triage::exists(db, &msg.message_sid).await? {
        return Ok(false);
    }
    Ok(!store::consent::caused_by(db, &msg.message_sid).await?)
}

/// The answer to a message already stored: its stored replies, re-checked against today's
/// consent. Logged as a read of those rows. A message stored without its verdict (the first
/// delivery failed after storing it) is triaged now, once; one with a verdict never again.
async fn replay(
    db: &D1Database,
    config: &ConversationConfig,
    at: &str,
    job: &InboundJob,
) -> std::result::Result<String, ApiError> {
    let msg = &job.message;
    if triage_pending(db, msg).await? {
        let consent_now = store::consent::current(db, msg).await?;
        worker::console_log!("triage resumed sid={}", msg.message_sid);
        // Its safe reply, if any, is stored now and read back below with the others.
        triage_and_record(db, config, at, job, consent_now).await?;
    }
    let stored = store::messages::replies(db, &config.keyring, &msg.message_sid).await?;
    let consent_now = store::consent::current(db, msg).await?;
    let mut reads = Vec::with_capacity(stored.len());
    for (id, _) in &stored {
        reads.push(audit::statement(
            db,
            at,
            &audit::AuditEntry {
                actor: "twilio_webhook_replay",
                action: "read",
                entity: "messages",
                entity_id: id,
                conversation_id: Some(&job.conversation_id),
            },
        )?);
    }
    if !reads.is_empty() {
        db.batch(reads)
            .await
            .map_err(store::db_err("audit_batch"))?;
    }
    let (cleared, suppressed) =
        outbound::clear_all(consent_now, stored.into_iter().map(|(_, o)| o).collect());
    worker::console_log!(
        "inbound replay sid={} conv={} replies={} suppressed={}",
        msg.message_sid,
        job.conversation_id,
        cleared.len(),
        suppressed
    );
    Ok(twiml::response(&cleared))
}

fn now() -> String {
    String::from(worker::js_sys::Date::new_0().to_iso_string())
}

/// Milliseconds by the runtime's clock. Deployed Workers advance it only across I/O, so there it
/// reads CPU-only spans such as a triage as 0; under local workerd it runs (README, "Size and
/// start-up").
fn now_ms() -> f64 {
    worker::js_sys::Date::now()
}
