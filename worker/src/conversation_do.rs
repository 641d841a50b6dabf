//! One Durable Object per conversation (channel + clinic number + patient number): it handles
//! that conversation's messages one at a time, in arrival order, so consent changes and replies
//! never interleave (a STOP followed at once by a HELP sees the STOP).
//!
//! Ordering comes from `blockConcurrencyWhile`: while one message is being stored, the runtime
//! delivers no other event to this object. D1 calls alone would not give this, since awaiting
//! them lets the next request in.

use serde::{Deserialize, Serialize};
use worker::{durable_object, DurableObject, Env, Request, Response, Result, State};

use crate::config::ConversationConfig;
use crate::consent;
use crate::error::ApiError;
use crate::outbound::{self, Outbound, ProducedBy};
use crate::store::{self, audit, D1Database};
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
    Ok(twiml::response(&cleared))
}

/// The answer to a message already stored: its stored replies, re-checked against today's
/// consent. Logged as a read of those rows.
async fn replay(
    db: &D1Database,
    config: &ConversationConfig,
    at: &str,
    job: &InboundJob,
) -> std::result::Result<String, ApiError> {
    let msg = &job.message;
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
