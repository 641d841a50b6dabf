//! The inbound workflow: what one message from a patient changes, as plans the Durable Object
//! executes. Three moments, one function each:
//!
//! - [`plan_arrival`]: a new message. Consent, the HELP answer, the rows of the first batch and
//!   the pending triage written with them, so a stored message is never left unfinished.
//! - [`plan_verdict`]: a triage result. The verdict and queue rows, the urgent safe reply when it
//!   can still travel in the webhook's answer, the pending item finished, the reads audited.
//! - [`plan_replay`]: the same MessageSid again. Nothing is stored; the stored replies are
//!   answered again through today's consent, and their reads are audited.
//!
//! Replays store nothing; a triaged message is never triaged again (its pending item is gone);
//! a keyword is never triaged; every row created or read has its audit entry in the plan.

use chrono::{DateTime, Utc};

use crate::audit::{Actor, AuditEntry, Entity, Trail};
use crate::consent::{self, ConsentState, Decision};
use crate::outbound::{self, Cleared, Outbound, ProducedBy};
use crate::pending::PendingWork;
use crate::triage::TriageRecord;

/// The facts of a message as Twilio delivered it.
#[derive(Debug, Clone, Copy)]
pub struct Arrival<'a> {
    pub message_sid: &'a str,
    pub conversation_id: &'a str,
    pub body: &'a str,
    /// Twilio's `OptOutType` (Advanced Opt-Out), when sent.
    pub opt_out_type: Option<&'a str>,
}

/// A reply the consent gate cleared, with the id it is stored under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReply {
    pub id: String,
    pub reply: Cleared,
}

/// The id of the n-th reply to an inbound message: deterministic, so a replay finds it and a
/// second attempt cannot store it twice.
pub fn reply_id(inbound_sid: &str, n: usize) -> String {
    format!("{inbound_sid}-r{n}")
}

/// The first batch for a new message.
#[derive(Debug, Clone)]
pub struct ArrivalPlan {
    /// The consent decision; its change, if any, is a ledger row of this batch.
    pub consent: Decision,
    /// Consent after this message: what gates every reply to it.
    pub consent_after: ConsentState,
    /// Replies to store and answer with now (the HELP text).
    pub replies: Vec<StoredReply>,
    /// Replies the consent gate refused.
    pub suppressed: usize,
    /// The triage still to do; `None` for a carrier keyword, which is never triaged.
    pub pending: Option<PendingWork>,
    pub audit: Vec<AuditEntry>,
}

/// Plans a message not stored before, given the consent state before it.
pub fn plan_arrival(
    msg: &Arrival<'_>,
    consent_before: ConsentState,
    help_text: &str,
    now: DateTime<Utc>,
) -> ArrivalPlan {
    let decision = consent::decide(consent_before, msg.body, msg.opt_out_type);
    let after = decision.state_after(consent_before);
    let mut wanted = Vec::new();
    if decision.help {
        wanted.push(Outbound {
            body: help_text.to_owned(),
            produced_by: ProducedBy::HelpText,
        });
    }
    let (cleared, suppressed) = outbound::clear_all(after, wanted);
    let mut trail = Trail::new(Actor::Webhook, msg.conversation_id);
    trail.created(Entity::Messages, msg.message_sid);
    if decision.change.is_some() {
        trail.created(Entity::ConsentEvents, msg.message_sid);
    }
    let replies = stored_replies(msg.message_sid, cleared, &mut trail);
    let pending = (!decision.is_keyword())
        .then(|| PendingWork::triage(msg.message_sid, msg.conversation_id, now));
    if pending.is_some() {
        trail.created(Entity::PendingWork, msg.message_sid);
    }
    ArrivalPlan {
        consent_after: after,
        consent: decision,
        replies,
        suppressed,
        pending,
        audit: trail.into_entries(),
    }
}

fn stored_replies(sid: &str, cleared: Vec<Cleared>, trail: &mut Trail) -> Vec<StoredReply> {
    cleared
        .into_iter()
        .enumerate()
        .map(|(n, reply)| {
            let id = reply_id(sid, n);
            trail.created(Entity::Messages, &id);
            StoredReply { id, reply }
        })
        .collect()
}

/// Where a triage runs, which decides whether its urgent safe reply can be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// Inside the webhook (first delivery or replay): a reply travels in its TwiML answer.
    Webhook,
    /// From the conversation's alarm, after the webhook was answered: no answer to travel in.
    /// Until the outbound sender exists the urgent item is queued urgent for a person to call.
    Alarm,
}

impl Moment {
    /// Who the audit trail names for work done at this moment.
    pub const fn actor(self) -> Actor {
        match self {
            Moment::Webhook => Actor::Triage,
            Moment::Alarm => Actor::Alarm,
        }
    }
}

/// The verdict batch.
#[derive(Debug, Clone)]
pub struct VerdictPlan {
    pub record: TriageRecord,
    /// The urgent safe reply, when it can travel in the answer and consent allows it.
    pub replies: Vec<StoredReply>,
    pub suppressed: usize,
    /// Whether the patient got an answer (the queue row says so: staff call otherwise).
    pub patient_replied: bool,
    /// An urgent message whose safe reply could not travel in a webhook's answer (the alarm
    /// finished its triage): it goes out through the outbox instead ([`urgent_by_rest`]).
    pub urgent_reply_unsent: bool,
    /// The pending item this batch finishes.
    pub finishes: String,
    pub audit: Vec<AuditEntry>,
}

/// What a stored message's triage writes. `history_ids` are the earlier messages read (and
/// decrypted) as context: each read is audited.
pub fn plan_verdict(
    sid: &str,
    conversation_id: &str,
    record: TriageRecord,
    consent: ConsentState,
    urgent_reply: &str,
    moment: Moment,
    history_ids: &[String],
) -> VerdictPlan {
    let mut trail = Trail::new(moment.actor(), conversation_id);
    trail.created(Entity::Triage, sid);
    trail.created(Entity::StaffQueue, sid);
    let wanted = if record.urgent && moment == Moment::Webhook {
        vec![Outbound {
            body: urgent_reply.to_owned(),
            produced_by: ProducedBy::UrgentSafeReply,
        }]
    } else {
        Vec::new()
    };
    let (cleared, suppressed) = outbound::clear_all(consent, wanted);
    // Keyword messages, the only ones with other replies, are never triaged: the safe reply is
    // this message's first.
    let replies = stored_replies(sid, cleared, &mut trail);
    for id in history_ids {
        trail.read(Entity::Messages, id);
    }
    VerdictPlan {
        patient_replied: !replies.is_empty(),
        urgent_reply_unsent: record.urgent && moment == Moment::Alarm,
        record,
        replies,
        suppressed,
        finishes: sid.to_owned(),
        audit: trail.into_entries(),
    }
}

/// The urgent safe reply of a message whose triage the alarm finished: no webhook answer is left
/// to carry it, so it becomes an outbox row (sent by REST from the conversation's alarm, through
/// the consent gate at send time, like every outbox row). Its row id is derived from the message,
/// so an alarm that runs twice writes it once. `None` when the plan's reply travelled in the
/// webhook's answer, or no safe reply is due.
pub fn urgent_by_rest(
    plan: &VerdictPlan,
    sid: &str,
    conversation_id: &str,
    urgent_reply: &str,
    now: DateTime<Utc>,
) -> Option<(crate::outbox::Row, String, AuditEntry)> {
    if !plan.urgent_reply_unsent {
        return None;
    }
    let row = crate::outbox::Row::new(sid, crate::outbox::Purpose::UrgentSafeReply, now);
    let mut trail = Trail::new(Actor::Alarm, conversation_id);
    trail.created(Entity::Outbox, &row.id);
    let entry = trail.into_entries().pop()?;
    Some((row, urgent_reply.to_owned(), entry))
}

/// The answer to a MessageSid already stored.
#[derive(Debug, Clone)]
pub struct ReplayPlan {
    pub answer: Vec<Cleared>,
    pub suppressed: usize,
    pub audit: Vec<AuditEntry>,
}

/// Replays store nothing: the stored replies (id, message) are read, audited, and answered again
/// only if today's consent allows.
pub fn plan_replay(
    conversation_id: &str,
    stored: Vec<(String, Outbound)>,
    consent_now: ConsentState,
) -> ReplayPlan {
    let mut trail = Trail::new(Actor::WebhookReplay, conversation_id);
    for (id, _) in &stored {
        trail.read(Entity::Messages, id);
    }
    let (answer, suppressed) =
        outbound::clear_all(consent_now, stored.into_iter().map(|(_, o)| o).collect());
    ReplayPlan {
        answer,
        suppressed,
        audit: trail.into_entries(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::AuditAction;
    use crate::triage::{engine, run};
    use classifier::Turn;

    const HELP: &str = "Glow Clinic: call +1 415 555 0100. Reply STOP to opt out.";
    const SAFE: &str = "If this is an emergency call 911.";

    fn t0() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default()
    }

    fn arrival(body: &str) -> Arrival<'_> {
        Arrival {
            message_sid: "SM1",
            conversation_id: "c1",
            body,
            opt_out_type: None,
        }
    }

    fn clock() -> f64 {
        0.0
    }

    fn record(text: &str) -> TriageRecord {
        let (e, _) = engine(clock);
        run(e, Vec::new(), Turn::patient(text), false, clock)
    }

    fn audited(entries: &[AuditEntry]) -> Vec<(&str, &str, &str)> {
        entries
            .iter()
            .map(|e| (e.action.as_str(), e.entity.as_str(), e.entity_id.as_str()))
            .collect()
    }

    #[test]
    fn an_ordinary_message_is_stored_with_its_pending_triage_and_no_reply() {
        let p = plan_arrival(
            &arrival("what time do you open?"),
            ConsentState::OptedIn,
            HELP,
            t0(),
        );
        assert!(p.replies.is_empty() && p.consent.change.is_none());
        let pending = p
            .pending
            .as_ref()
            .map(|w| (w.message_sid.as_str(), w.due_at > t0()));
        assert_eq!(pending, Some(("SM1", true)));
        assert_eq!(
            audited(&p.audit),
            vec![
                ("create", "messages", "SM1"),
                ("create", "pending_work", "SM1")
            ]
        );
    }

    #[test]
    fn keywords_change_consent_and_are_never_triaged() {
        let stop = plan_arrival(&arrival("STOP"), ConsentState::OptedIn, HELP, t0());
        assert_eq!(stop.consent_after, ConsentState::OptedOut);
        assert!(stop.pending.is_none());
        assert_eq!(
            audited(&stop.audit),
            vec![
                ("create", "messages", "SM1"),
                ("create", "consent_events", "SM1")
            ]
        );
        let help = plan_arrival(&arrival("help"), ConsentState::OptedIn, HELP, t0());
        assert!(help.pending.is_none());
        assert_eq!(help.replies.len(), 1);
        assert_eq!(help.replies[0].id, "SM1-r0");
        assert_eq!(help.replies[0].reply.body(), HELP);
        // An opted-out number asking for HELP gets nothing, and it is counted.
        let quiet = plan_arrival(&arrival("HELP"), ConsentState::OptedOut, HELP, t0());
        assert!(quiet.replies.is_empty());
        assert_eq!(quiet.suppressed, 1);
        // YES opts in only while opted out; otherwise it is a reply to triage.
        let yes = plan_arrival(&arrival("Yes"), ConsentState::OptedIn, HELP, t0());
        assert!(yes.consent.change.is_none() && yes.pending.is_some());
        let back = plan_arrival(&arrival("Yes"), ConsentState::OptedOut, HELP, t0());
        assert_eq!(back.consent_after, ConsentState::OptedIn);
        assert!(back.pending.is_none());
    }

    #[test]
    fn an_urgent_verdict_answers_in_the_webhook_but_not_from_the_alarm() {
        let r = record("my lip is turning white and it really hurts since the filler this morning");
        assert!(r.urgent);
        let hist = vec!["SM0".to_string()];
        let now = plan_verdict(
            "SM1",
            "c1",
            r.clone(),
            ConsentState::OptedIn,
            SAFE,
            Moment::Webhook,
            &hist,
        );
        assert_eq!(now.replies.len(), 1);
        assert!(now.patient_replied && !now.urgent_reply_unsent);
        assert_eq!(now.finishes, "SM1");
        assert_eq!(
            audited(&now.audit),
            vec![
                ("create", "triage", "SM1"),
                ("create", "staff_queue", "SM1"),
                ("create", "messages", "SM1-r0"),
                ("read", "messages", "SM0"),
            ]
        );
        let later = plan_verdict(
            "SM1",
            "c1",
            r.clone(),
            ConsentState::OptedIn,
            SAFE,
            Moment::Alarm,
            &hist,
        );
        assert!(later.replies.is_empty());
        assert!(!later.patient_replied && later.urgent_reply_unsent);
        // From the alarm the safe reply goes out by REST, through the outbox, once.
        let (row, body, audit) =
            urgent_by_rest(&later, "SM1", "c1", SAFE, t0()).expect("an outbox row");
        assert_eq!(row.purpose, crate::outbox::Purpose::UrgentSafeReply);
        assert_eq!(
            row.id,
            crate::outbox::outbox_id("SM1", crate::outbox::Purpose::UrgentSafeReply)
        );
        assert_eq!(body, SAFE);
        assert_eq!(audit.entity, Entity::Outbox);
        assert!(urgent_by_rest(&now, "SM1", "c1", SAFE, t0()).is_none());
        assert!(later.audit.iter().all(|e| e.actor == Actor::Alarm));
        // Opted out: nothing is sent, and the queue row says staff must call.
        let out = plan_verdict(
            "SM1",
            "c1",
            r,
            ConsentState::OptedOut,
            SAFE,
            Moment::Webhook,
            &hist,
        );
        assert!(out.replies.is_empty() && !out.patient_replied);
        assert_eq!(out.suppressed, 1);
    }

    #[test]
    fn a_routine_verdict_sends_nothing_yet() {
        let r = record("what time do you open on saturday?");
        let p = plan_verdict(
            "SM1",
            "c1",
            r,
            ConsentState::OptedIn,
            SAFE,
            Moment::Webhook,
            &[],
        );
        assert!(p.replies.is_empty() && !p.patient_replied && !p.urgent_reply_unsent);
    }

    #[test]
    fn a_replay_reads_and_answers_again_through_todays_consent() {
        let stored = vec![(
            "SM1-r0".to_string(),
            Outbound {
                body: HELP.into(),
                produced_by: ProducedBy::HelpText,
            },
        )];
        let p = plan_replay("c1", stored.clone(), ConsentState::OptedIn);
        assert_eq!(p.answer.len(), 1);
        assert_eq!(audited(&p.audit), vec![("read", "messages", "SM1-r0")]);
        assert!(p.audit.iter().all(|e| e.action == AuditAction::Read));
        let p = plan_replay("c1", stored, ConsentState::OptedOut);
        assert!(p.answer.is_empty());
        assert_eq!(p.suppressed, 1);
    }

    /// The store as the Durable Object keeps it, reduced to what the rules decide.
    #[derive(Default)]
    struct Store {
        messages: Vec<String>,
        replies: Vec<String>,
        consent: Vec<ConsentState>,
        pending: Vec<String>,
        triaged: Vec<String>,
        audited_creates: Vec<(String, String)>,
    }

    impl Store {
        fn consent_now(&self) -> ConsentState {
            self.consent.last().copied().unwrap_or_default()
        }

        /// One delivery of `sid`, as the Durable Object handles it: arrival or replay, then the
        /// triage of a pending message (which the test lets succeed).
        fn deliver(&mut self, sid: &str, body: &str) -> Vec<Cleared> {
            let mut answer = Vec::new();
            if !self.messages.iter().any(|m| m == sid) {
                let msg = Arrival {
                    message_sid: sid,
                    conversation_id: "c1",
                    body,
                    opt_out_type: None,
                };
                let p = plan_arrival(&msg, self.consent_now(), HELP, t0());
                self.messages.push(sid.to_owned());
                if let Some(c) = &p.consent.change {
                    self.consent.push(c.new_state);
                }
                for r in &p.replies {
                    self.replies.push(r.id.clone());
                    answer.push(r.reply.clone());
                }
                self.pending
                    .extend(p.pending.iter().map(|w| w.message_sid.clone()));
                self.audit(&p.audit);
            } else {
                let stored: Vec<(String, Outbound)> = self
                    .replies
                    .iter()
                    .filter(|id| id.starts_with(&format!("{sid}-r")))
                    .map(|id| {
                        (
                            id.clone(),
                            Outbound {
                                body: HELP.into(),
                                produced_by: ProducedBy::HelpText,
                            },
                        )
                    })
                    .collect();
                let p = plan_replay("c1", stored, self.consent_now());
                assert!(p.audit.iter().all(|e| e.action == AuditAction::Read));
                answer.extend(p.answer);
            }
            if self.pending.iter().any(|p| p == sid) {
                let r = record(body);
                let p = plan_verdict(sid, "c1", r, self.consent_now(), SAFE, Moment::Webhook, &[]);
                assert!(
                    !self.triaged.iter().any(|t| t == sid),
                    "{sid} triaged twice"
                );
                self.triaged.push(sid.to_owned());
                self.pending.retain(|x| x != &p.finishes);
                for r in &p.replies {
                    self.replies.push(r.id.clone());
                }
                self.audit(&p.audit);
            }
            answer
        }

        fn audit(&mut self, entries: &[AuditEntry]) {
            for e in entries.iter().filter(|e| e.action == AuditAction::Create) {
                self.audited_creates
                    .push((e.entity.as_str().to_owned(), e.entity_id.clone()));
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        #[test]
        fn any_sequence_of_deliveries_keeps_the_rules(
            steps in proptest::collection::vec((0usize..6, 0usize..4), 1..14)
        ) {
            const BODIES: [&str; 6] = ["STOP", "HELP", "START", "what time do you open?", "Yes", "thanks!"];
            let mut store = Store::default();
            for (n, (body, repeat)) in steps.iter().enumerate() {
                // Several deliveries of one message: the first stores, the rest replay.
                let sid = format!("SM{n}");
                let before = (store.messages.len(), store.replies.len(), store.consent.len());
                let first = store.deliver(&sid, BODIES[*body]);
                let stored_after_first = (store.messages.len(), store.replies.len(), store.consent.len());
                for _ in 0..*repeat {
                    let again = store.deliver(&sid, BODIES[*body]);
                    // A replay stores nothing and answers what was answered, through today's consent.
                    proptest::prop_assert_eq!(
                        (store.messages.len(), store.replies.len(), store.consent.len()),
                        stored_after_first
                    );
                    if store.consent_now() == ConsentState::OptedIn {
                        proptest::prop_assert_eq!(again.len(), first.len());
                    } else {
                        proptest::prop_assert!(again.is_empty());
                    }
                }
                proptest::prop_assert_eq!(store.messages.len(), before.0 + 1);
                // Nothing is sent to an opted-out number, whatever the message.
                if store.consent_now() == ConsentState::OptedOut {
                    proptest::prop_assert!(first.is_empty());
                }
            }
            // Every message is finished: triaged, or a keyword (never triaged).
            proptest::prop_assert!(store.pending.is_empty());
            // Every row created has its audit entry.
            for sid in &store.messages {
                proptest::prop_assert!(store.audited_creates.contains(&("messages".into(), sid.clone())));
            }
            for id in &store.replies {
                proptest::prop_assert!(store.audited_creates.contains(&("messages".into(), id.clone())));
            }
            for sid in &store.triaged {
                for entity in ["triage", "staff_queue", "pending_work"] {
                    proptest::prop_assert!(store.audited_creates.contains(&(entity.into(), sid.clone())));
                }
            }
        }
    }
}
