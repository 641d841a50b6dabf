//! The outbox: the one door every outgoing message goes through, as a state machine.
//!
//! Every outgoing message is a row, under an id derived from what it answers, so writing it
//! twice is a no-op. Automatic replies (and an urgent safe reply due after its webhook) are
//! written before any attempt and sent by REST; HELP and an urgent safe reply due while the
//! webhook is open travel in its TwiML answer and are recorded as handed to Twilio
//! ([`in_answer`]). Approved drafts, reminders and follow-ups are to come through the same door. Each attempt is recorded (`Sending`) before the
//! request leaves; an attempt whose outcome is unknown (a 5xx or a timeout after the request left,
//! or an isolate that died mid-attempt) is looked up in Twilio before anything is sent again,
//! because Twilio's create has no idempotency key. That is what makes "never two messages for one
//! row" hold across restarts and evictions.
//!
//! Pure: the Worker passes the row, the consent state, the clock and jitter, and executes the
//! [`Step`] it gets back; each outcome comes back in through [`after_send`], [`after_lookup`] or
//! [`after_status`], which return the row's next state and the side effects (an opt-out for the
//! consent ledger, a staff-queue item, an undeliverable number).

use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::audit::{Actor, AuditEntry, Entity, Trail};
use crate::consent::ConsentState;

/// What produced the message; it decides whether the sending window applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// A template rendered from the clinic's facts, answering the inbound message.
    AutoReply,
    /// The clinic's HELP answer.
    Help,
    /// The safe answer to a message triage found urgent.
    UrgentSafeReply,
    /// A draft staff approved.
    ApprovedDraft,
    Reminder,
    FollowUp,
}

impl Purpose {
    pub const ALL: [Purpose; 6] = [
        Purpose::AutoReply,
        Purpose::Help,
        Purpose::UrgentSafeReply,
        Purpose::ApprovedDraft,
        Purpose::Reminder,
        Purpose::FollowUp,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Purpose::AutoReply => "auto_reply",
            Purpose::Help => "help",
            Purpose::UrgentSafeReply => "urgent_safe_reply",
            Purpose::ApprovedDraft => "approved_draft",
            Purpose::Reminder => "reminder",
            Purpose::FollowUp => "follow_up",
        }
    }

    pub fn parse(s: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// A direct answer to a message the patient just sent goes at once; anything the clinic
    /// starts (reminders, follow-ups) waits for the sending window in the patient's time zone.
    pub const fn waits_for_window(self) -> bool {
        matches!(self, Purpose::Reminder | Purpose::FollowUp)
    }
}

/// The row's id: one per (what it answers or belongs to, purpose), so a replayed webhook, a
/// resumed alarm or a second approval writes the same row rather than a second message.
pub fn outbox_id(source: &str, purpose: Purpose) -> String {
    format!("ob-{source}-{}", purpose.as_str())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Written; the next attempt is due at `next_at`.
    Queued,
    /// An attempt was recorded and its request may have left. Found in this state later (the
    /// isolate died), it is treated as ambiguous: looked up before any new attempt.
    Sending,
    /// The last attempt's outcome is unknown (5xx or timeout after the request left): look it up.
    Reconcile,
    /// Twilio accepted it (it has a Twilio SID); status callbacks move it on.
    Accepted,
    Sent,
    Delivered,
    /// Refused for good, or given up after retries; staff have an item.
    Failed,
    /// The consent gate refused it at send time: nothing was sent.
    Suppressed,
}

impl State {
    pub const ALL: [State; 8] = [
        State::Queued,
        State::Sending,
        State::Reconcile,
        State::Accepted,
        State::Sent,
        State::Delivered,
        State::Failed,
        State::Suppressed,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Sending => "sending",
            State::Reconcile => "reconcile",
            State::Accepted => "accepted",
            State::Sent => "sent",
            State::Delivered => "delivered",
            State::Failed => "failed",
            State::Suppressed => "suppressed",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Nothing more will be attempted (callbacks may still refine an accepted message).
    pub const fn is_settled(self) -> bool {
        !matches!(self, State::Queued | State::Sending | State::Reconcile)
    }

    /// Twilio took the message: the patient was answered.
    pub const fn was_accepted(self) -> bool {
        matches!(self, State::Accepted | State::Sent | State::Delivered)
    }

    /// Order of the delivery states, so a late `sent` callback never undoes `delivered`.
    const fn delivery_rank(self) -> u8 {
        match self {
            State::Accepted => 1,
            State::Sent => 2,
            State::Delivered | State::Failed => 3,
            _ => 0,
        }
    }
}

/// The row as the Worker stores it (the body is sealed beside it and not needed here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub purpose: Purpose,
    pub state: State,
    /// Attempts that ended without Twilio accepting the message.
    pub attempts: u32,
    pub next_at: DateTime<Utc>,
    /// When the latest attempt started: where a lookup starts searching.
    pub attempt_started_at: Option<DateTime<Utc>>,
    pub twilio_sid: Option<String>,
    pub error_code: Option<u32>,
    /// Which of the clinic's senders to use (0 = primary): moves on when one is refused for a
    /// sender-side reason.
    pub sender: u8,
    /// A 30003 (unreachable handset) is retried once; this says it was.
    pub unreachable_retried: bool,
}

impl Row {
    /// Names the current attempt (failed attempts so far, and whether this is the one retry
    /// after a 30003). The sender puts it in the StatusCallback URL, so a late callback about an
    /// earlier attempt's message is never taken for this one's.
    pub fn attempt_tag(&self) -> String {
        format!(
            "{}{}",
            self.attempts,
            if self.unreachable_retried { "u" } else { "" }
        )
    }

    /// A new row, due at once (or when the window opens, which [`next_step`] decides).
    pub fn new(source: &str, purpose: Purpose, now: DateTime<Utc>) -> Row {
        Row {
            id: outbox_id(source, purpose),
            purpose,
            state: State::Queued,
            attempts: 0,
            next_at: now,
            attempt_started_at: None,
            twilio_sid: None,
            error_code: None,
            sender: 0,
            unreachable_retried: false,
        }
    }
}

/// The row of a reply that travels in the webhook's TwiML answer (HELP, the urgent safe reply):
/// recorded like every outgoing message, as handed to Twilio (`accepted`, no attempt of ours to
/// retry), under the same derived id, so a replayed webhook writes nothing new. The audit entry
/// names it; `actor` is who answered.
pub fn in_answer(
    actor: Actor,
    conversation_id: &str,
    inbound_sid: &str,
    produced_by: crate::outbound::ProducedBy,
    now: DateTime<Utc>,
) -> (Row, AuditEntry) {
    let purpose = match produced_by {
        crate::outbound::ProducedBy::HelpText => Purpose::Help,
        crate::outbound::ProducedBy::UrgentSafeReply => Purpose::UrgentSafeReply,
    };
    let row = Row {
        state: State::Accepted,
        ..Row::new(inbound_sid, purpose, now)
    };
    let mut trail = Trail::new(actor, conversation_id);
    trail.created(Entity::Outbox, &row.id);
    let entry = trail.into_entries().remove(0);
    (row, entry)
}

/// The clinic's sending window for messages it starts, in its time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub tz: chrono_tz::Tz,
    /// Minutes after local midnight, `start < end`.
    pub start: u16,
    pub end: u16,
}

impl Window {
    /// `None` when `now` is inside the window, else the next time it opens.
    pub fn next_open(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let local = now.with_timezone(&self.tz);
        let minute = (local.time().signed_duration_since(chrono::NaiveTime::MIN)).num_minutes();
        if minute >= i64::from(self.start) && minute < i64::from(self.end) {
            return None;
        }
        let day = if minute < i64::from(self.start) {
            local.date_naive()
        } else {
            local.date_naive().succ_opt().unwrap_or(local.date_naive())
        };
        let open = day.and_time(chrono::NaiveTime::MIN) + Duration::minutes(i64::from(self.start));
        // A daylight-saving gap can swallow the opening minute: take the next valid instant.
        let at = self
            .tz
            .from_local_datetime(&open)
            .earliest()
            .or_else(|| {
                self.tz
                    .from_local_datetime(&(open + Duration::hours(1)))
                    .earliest()
            })
            .map(|t| t.with_timezone(&Utc));
        Some(at.unwrap_or(now + Duration::hours(1)))
    }
}

/// What the Worker does next with a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Record the attempt (state `Sending`, `attempt_started_at = now`), then send it from the
    /// clinic's sender number `sender` (or its Messaging Service).
    Send { sender: u8 },
    /// Look the message up (`GET Messages.json?To=..&DateSent>=since`, matched on the body).
    Lookup { since: DateTime<Utc> },
    /// Mark it suppressed: the number opted out since it was decided.
    Suppress,
    /// Nothing is due before this time (arm the alarm for it).
    WaitUntil(DateTime<Utc>),
    /// Settled: nothing to do.
    Nothing,
}

/// Decides the next step. The consent gate is applied here, at send time, whatever was true when
/// the reply was decided.
pub fn next_step(
    row: &Row,
    consent: ConsentState,
    window: Option<&Window>,
    now: DateTime<Utc>,
) -> Step {
    match row.state {
        State::Queued => {
            if row.next_at > now {
                return Step::WaitUntil(row.next_at);
            }
            if consent == ConsentState::OptedOut {
                return Step::Suppress;
            }
            if row.purpose.waits_for_window() {
                if let Some(open) = window.and_then(|w| w.next_open(now)) {
                    return Step::WaitUntil(open);
                }
            }
            Step::Send { sender: row.sender }
        }
        State::Sending | State::Reconcile => {
            if row.state == State::Reconcile && row.next_at > now {
                return Step::WaitUntil(row.next_at);
            }
            // A request that timed out may still be created at Twilio after it: "not found"
            // means something only once the attempt is this old.
            let started = row.attempt_started_at.unwrap_or(now);
            if now < started + RECONCILE_AFTER {
                return Step::WaitUntil(started + RECONCILE_AFTER);
            }
            Step::Lookup { since: started }
        }
        _ => Step::Nothing,
    }
}

/// The row as recorded just before its request leaves.
pub fn attempt_started(row: &Row, now: DateTime<Utc>) -> Row {
    Row {
        state: State::Sending,
        attempt_started_at: Some(now),
        ..row.clone()
    }
}

/// The row when the consent gate refuses it at send time: nothing is sent, and the row says so.
pub fn suppress(row: &Row) -> Transition {
    Transition {
        row: Row {
            state: State::Suppressed,
            ..row.clone()
        },
        effects: Vec::new(),
    }
}

/// How a create request ended, as the sender saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    /// 2xx with the message's SID.
    Created { sid: String },
    /// A 4xx with Twilio's error code (429 included).
    Refused { http: u16, code: Option<u32> },
    /// The connection failed before the request was sent: nothing can exist.
    NotSent,
    /// A 5xx, or no answer after the request left: the message may exist.
    Ambiguous,
}

/// What the row's transition asks the Worker to do besides storing the row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Twilio says the patient opted out (21610): record it in the consent ledger.
    RecordOptOut,
    /// The number cannot receive SMS (21211, 21612, 21614, 30006): mark it undeliverable.
    MarkUndeliverable { code: u32 },
    /// A person must look at it: a staff-queue item with this reason code.
    StaffItem { reason: &'static str },
    /// Twilio accepted it: the patient has been answered.
    PatientAnswered,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub row: Row,
    pub effects: Vec<Effect>,
}

/// After this many attempts without Twilio accepting, a person takes over.
pub const MAX_ATTEMPTS: u32 = 8;
/// The first retry's delay; each later one doubles, up to [`MAX_DELAY`].
pub const BASE_DELAY: Duration = Duration::seconds(2);
pub const MAX_DELAY: Duration = Duration::minutes(10);
/// How old an attempt whose outcome is unknown must be before a lookup that does not find its
/// message is taken to mean it was never created.
pub const RECONCILE_AFTER: Duration = Duration::seconds(60);
/// Clock skew allowed between the Worker and Twilio when matching a listed message to an attempt.
pub const CLOCK_SLACK: Duration = Duration::seconds(10);
/// A 30003 (unreachable handset) is tried once more after this long.
pub const UNREACHABLE_RETRY: Duration = Duration::minutes(30);

/// Twilio error codes that say the sender, not the recipient, was refused: another of the
/// clinic's numbers can send it.
const SENDER_SIDE: &[u32] = &[21606, 21611, 21659, 21660, 30032, 30034];
/// The recipient cannot get SMS at this number.
const UNDELIVERABLE: &[u32] = &[21211, 21612, 21614, 30005, 30006];
const OPTED_OUT: &[u32] = &[21610];
const FILTERED: &[u32] = &[30007, 30565];
const UNREACHABLE: u32 = 30003;

/// Twilio's "too many requests" code (sent with HTTP 429).
const TOO_MANY_REQUESTS: u32 = 20429;

fn retry(row: &Row, state: State, now: DateTime<Utc>, jitter: f64) -> Transition {
    let attempts = row.attempts.saturating_add(1);
    if attempts >= MAX_ATTEMPTS {
        // Out of a lookup that never answered, the message may exist: say so.
        let reason = if state == State::Reconcile {
            "outcome_unknown"
        } else {
            "send_retries_exhausted"
        };
        return fail(row, None, reason, Vec::new());
    }
    Transition {
        row: Row {
            state,
            attempts,
            next_at: now + crate::backoff::delay(BASE_DELAY, MAX_DELAY, attempts, jitter),
            ..row.clone()
        },
        effects: Vec::new(),
    }
}

fn fail(
    row: &Row,
    code: Option<u32>,
    reason: &'static str,
    mut effects: Vec<Effect>,
) -> Transition {
    effects.push(Effect::StaffItem { reason });
    Transition {
        row: Row {
            state: State::Failed,
            error_code: code.or(row.error_code),
            ..row.clone()
        },
        effects,
    }
}

/// The consequences of a Twilio error code, wherever it arrived (the create's answer or a
/// status callback): `None` for a code this table does not settle.
fn settle_error(row: &Row, code: u32, senders: u8) -> Option<Transition> {
    if OPTED_OUT.contains(&code) {
        // Not a staff item: the patient said STOP, which the ledger now honours.
        return Some(Transition {
            row: Row {
                state: State::Failed,
                error_code: Some(code),
                ..row.clone()
            },
            effects: vec![Effect::RecordOptOut],
        });
    }
    if UNDELIVERABLE.contains(&code) {
        return Some(fail(
            row,
            Some(code),
            "number_undeliverable",
            vec![Effect::MarkUndeliverable { code }],
        ));
    }
    if FILTERED.contains(&code) {
        // The reason tells staff to review the wording (and the clinic's registration).
        return Some(fail(row, Some(code), "content_filtered", Vec::new()));
    }
    if SENDER_SIDE.contains(&code) {
        if row.sender.saturating_add(1) < senders {
            return Some(Transition {
                row: Row {
                    state: State::Queued,
                    sender: row.sender + 1,
                    error_code: Some(code),
                    twilio_sid: None,
                    ..row.clone()
                },
                effects: Vec::new(),
            });
        }
        return Some(fail(row, Some(code), "sender_refused", Vec::new()));
    }
    None
}

/// The row after a create request. `senders` is how many sender numbers the clinic has (a
/// Messaging Service counts as one); `jitter` in [0, 1) spreads retries.
pub fn after_send(
    row: &Row,
    outcome: &SendOutcome,
    senders: u8,
    now: DateTime<Utc>,
    jitter: f64,
) -> Transition {
    match outcome {
        SendOutcome::Created { sid } => Transition {
            row: Row {
                state: State::Accepted,
                twilio_sid: Some(sid.clone()),
                ..row.clone()
            },
            effects: vec![Effect::PatientAnswered],
        },
        SendOutcome::NotSent => retry(row, State::Queued, now, jitter),
        SendOutcome::Ambiguous => retry(row, State::Reconcile, now, jitter),
        SendOutcome::Refused { http, code } => {
            if *http == 429 || *code == Some(TOO_MANY_REQUESTS) {
                return retry(row, State::Queued, now, jitter);
            }
            if let Some(t) = code.and_then(|c| settle_error(row, c, senders)) {
                return t;
            }
            // Any other 4xx: the request itself is wrong; repeating it cannot help.
            fail(row, *code, "send_refused", Vec::new())
        }
    }
}

/// A message found by the lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub sid: String,
    pub body: String,
    pub created: DateTime<Utc>,
}

/// The row after looking up an ambiguous attempt. `found` is `None` when the lookup itself
/// failed; otherwise the latest messages to the patient's number. `taken` are the Twilio SIDs
/// other outbox rows already hold: an identical reply that another row sent is never adopted.
pub fn after_lookup(
    row: &Row,
    body: &str,
    found: Option<&[Listed]>,
    taken: &[String],
    now: DateTime<Utc>,
    jitter: f64,
) -> Transition {
    let Some(found) = found else {
        // Still unknown: keep looking, never send blind.
        return retry(row, State::Reconcile, now, jitter);
    };
    let since = row.attempt_started_at.unwrap_or(now) - CLOCK_SLACK;
    let hit = found
        .iter()
        .filter(|m| m.body == body && m.created >= since && !taken.contains(&m.sid))
        .min_by_key(|m| m.created);
    match hit {
        Some(m) => Transition {
            row: Row {
                state: State::Accepted,
                twilio_sid: Some(m.sid.clone()),
                ..row.clone()
            },
            effects: vec![Effect::PatientAnswered],
        },
        // It was never created: safe to send again, now.
        None => Transition {
            row: Row {
                state: State::Queued,
                next_at: now,
                ..row.clone()
            },
            effects: Vec::new(),
        },
    }
}

/// The row after a status callback about Twilio message `sid`. Callbacks arrive out of order and
/// more than once: a state never moves back (`sent` after `delivered` is ignored), and a callback
/// about an earlier message of the row (before a 30003 retry) changes nothing. A callback for a
/// row whose attempt is still unknown proves Twilio created the message: it is adopted, so the
/// lookup is not needed and nothing is sent again.
pub fn after_status(
    row: &Row,
    sid: &str,
    attempt: Option<&str>,
    status: &str,
    error_code: Option<u32>,
    senders: u8,
    now: DateTime<Utc>,
) -> Transition {
    let unchanged = Transition {
        row: row.clone(),
        effects: Vec::new(),
    };
    let target = match status {
        "accepted" | "queued" | "sending" | "scheduled" => State::Accepted,
        "sent" => State::Sent,
        "delivered" | "read" => State::Delivered,
        "undelivered" | "failed" => State::Failed,
        _ => return unchanged,
    };
    let mut effects = Vec::new();
    let mut base = row.clone();
    if matches!(row.state, State::Sending | State::Reconcile) {
        // Only a callback about this attempt's message (its tag is in the callback URL).
        if attempt != Some(row.attempt_tag().as_str()) {
            return unchanged;
        }
        base.state = State::Accepted;
        base.twilio_sid = Some(sid.to_owned());
        if target != State::Failed {
            effects.push(Effect::PatientAnswered);
        }
    } else if row.twilio_sid.as_deref() != Some(sid) || !row.state.was_accepted() {
        return unchanged;
    }
    if target == State::Failed {
        let mut t = match error_code {
            Some(UNREACHABLE) if !base.unreachable_retried => Transition {
                row: Row {
                    state: State::Queued,
                    next_at: now + UNREACHABLE_RETRY,
                    error_code,
                    twilio_sid: None,
                    unreachable_retried: true,
                    ..base
                },
                effects: Vec::new(),
            },
            Some(code) => settle_error(&base, code, senders)
                .unwrap_or_else(|| fail(&base, Some(code), "not_delivered", Vec::new())),
            None => fail(&base, None, "not_delivered", Vec::new()),
        };
        effects.append(&mut t.effects);
        t.effects = effects;
        return t;
    }
    if target.delivery_rank() > base.state.delivery_rank() {
        base.state = target;
    }
    Transition { row: base, effects }
}

/// What storing a transition writes besides the row: the Worker turns each field into a
/// statement of one batch, so the row's new state and its consequences land together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settle {
    pub row: Row,
    /// The state the row was read in: the update is guarded by it.
    pub before: State,
    /// Record an opt-out in the consent ledger against this inbound message.
    pub opt_out: Option<String>,
    pub undeliverable: Option<u32>,
    /// Reopen the inbound message's queue row for a person, with this reason.
    pub person: Option<(String, &'static str)>,
    /// Mark the inbound message's queue row answered.
    pub answered: Option<String>,
    pub audit: Vec<AuditEntry>,
}

/// The plan for storing `t`, a transition of `before` in conversation `conversation_id`.
/// `in_reply_to` is the inbound message the row answers (reminders answer none: their
/// consequences are recorded on the row alone).
pub fn settle(
    actor: Actor,
    conversation_id: &str,
    in_reply_to: Option<&str>,
    before: &Row,
    t: Transition,
) -> Settle {
    let mut trail = Trail::new(actor, conversation_id);
    if t.row != *before {
        trail.updated(Entity::Outbox, &t.row.id);
    }
    let mut plan = Settle {
        before: before.state,
        opt_out: None,
        undeliverable: None,
        person: None,
        answered: None,
        audit: Vec::new(),
        row: t.row,
    };
    for effect in t.effects {
        match (effect, in_reply_to) {
            (Effect::RecordOptOut, Some(m)) => {
                trail.created(Entity::ConsentEvents, m);
                plan.opt_out = Some(m.to_owned());
            }
            (Effect::MarkUndeliverable { code }, _) => {
                trail.created(Entity::Undeliverable, conversation_id);
                plan.undeliverable = Some(code);
            }
            (Effect::StaffItem { reason }, Some(m)) => {
                trail.updated(Entity::StaffQueue, m);
                plan.person = Some((m.to_owned(), reason));
            }
            (Effect::PatientAnswered, Some(m)) => {
                trail.updated(Entity::StaffQueue, m);
                plan.answered = Some(m.to_owned());
            }
            // A row that answers no inbound message (reminders, to come) keeps these on the row
            // itself: its state and error code.
            (Effect::RecordOptOut | Effect::StaffItem { .. } | Effect::PatientAnswered, None) => {}
        }
    }
    // A person wins: a reply that failed is never also "answered".
    if plan.person.is_some() {
        plan.answered = None;
    }
    plan.audit = trail.into_entries();
    plan
}

/// The clinic's numbers a reply can come from, in the outbox's sender order: the number the
/// patient texted first (the conversation goes on where it started), then the clinic's other
/// sending numbers as backups. Through a Messaging Service Twilio picks the number: one sender.
pub fn sender_numbers(
    texted: &str,
    clinic_numbers: &[String],
    messaging_service: bool,
) -> Vec<String> {
    let mut out = vec![texted.to_owned()];
    if !messaging_service {
        for n in clinic_numbers {
            if !out.contains(n) {
                out.push(n.clone());
            }
        }
    }
    out
}

/// A row that cannot be sent at all: failed, for a person, with the reason.
pub fn fail_for_person(row: &Row, reason: &'static str) -> Transition {
    fail(row, None, reason, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn now() -> DateTime<Utc> {
        t("2026-12-02T18:00:00Z")
    }

    fn row() -> Row {
        Row::new("SM0001", Purpose::AutoReply, now())
    }

    fn sending() -> Row {
        attempt_started(&row(), now())
    }

    #[test]
    fn ids_are_deterministic_per_source_and_purpose() {
        assert_eq!(
            outbox_id("SM1", Purpose::Help),
            outbox_id("SM1", Purpose::Help)
        );
        assert_ne!(
            outbox_id("SM1", Purpose::Help),
            outbox_id("SM1", Purpose::AutoReply)
        );
        for p in Purpose::ALL {
            assert_eq!(Purpose::parse(p.as_str()), Some(p));
        }
        for s in State::ALL {
            assert_eq!(State::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn consent_is_checked_at_send_time() {
        assert_eq!(
            next_step(&row(), ConsentState::OptedOut, None, now()),
            Step::Suppress
        );
        let refused = fail_for_person(&row(), "number_undeliverable");
        assert_eq!(refused.row.state, State::Failed);
        assert_eq!(
            refused.effects,
            vec![Effect::StaffItem {
                reason: "number_undeliverable"
            }]
        );
        let gone = suppress(&row()).row;
        assert_eq!(gone.state, State::Suppressed);
        assert_eq!(
            next_step(&gone, ConsentState::OptedIn, None, now()),
            Step::Nothing
        );
        assert_eq!(
            next_step(&row(), ConsentState::OptedIn, None, now()),
            Step::Send { sender: 0 }
        );
    }

    #[test]
    fn an_interrupted_attempt_is_looked_up_never_resent() {
        // Found in `sending` (the isolate died after recording the attempt): nothing is sent,
        // and the lookup waits until "not found" can mean "never created".
        assert_eq!(
            next_step(&sending(), ConsentState::OptedIn, None, now()),
            Step::WaitUntil(now() + RECONCILE_AFTER)
        );
        match next_step(
            &sending(),
            ConsentState::OptedIn,
            None,
            now() + RECONCILE_AFTER,
        ) {
            Step::Lookup { since } => assert_eq!(since, now()),
            other => panic!("expected a lookup, got {other:?}"),
        }
    }

    #[test]
    fn throttled_and_unsent_requests_retry_with_backoff() {
        for outcome in [
            SendOutcome::Refused {
                http: 429,
                code: Some(20429),
            },
            SendOutcome::NotSent,
        ] {
            let tr = after_send(&sending(), &outcome, 1, now(), 0.0);
            assert_eq!(tr.row.state, State::Queued);
            assert_eq!(tr.row.attempts, 1);
            assert!(tr.row.next_at > now());
            assert!(tr.effects.is_empty());
        }
    }

    #[test]
    fn an_ambiguous_answer_is_reconciled_then_found() {
        let tr = after_send(&sending(), &SendOutcome::Ambiguous, 1, now(), 0.5);
        assert_eq!(tr.row.state, State::Reconcile);
        let later = now() + RECONCILE_AFTER;
        assert!(matches!(
            next_step(&tr.row, ConsentState::OptedIn, None, tr.row.next_at),
            Step::WaitUntil(_)
        ));
        let Step::Lookup { .. } = next_step(&tr.row, ConsentState::OptedIn, None, later) else {
            panic!("expected a lookup once due");
        };
        let found = [Listed {
            sid: "SMabc".into(),
            body: "Hours: 9-5".into(),
            created: now() + Duration::seconds(1),
        }];
        // Another row's identical reply is never taken for this one's.
        let taken = ["SMabc".to_owned()];
        let not_ours = after_lookup(&tr.row, "Hours: 9-5", Some(&found), &taken, later, 0.0);
        assert_eq!(not_ours.row.state, State::Queued);
        let done = after_lookup(&tr.row, "Hours: 9-5", Some(&found), &[], later, 0.0);
        assert_eq!(done.row.state, State::Accepted);
        assert_eq!(done.row.twilio_sid.as_deref(), Some("SMabc"));
        assert_eq!(done.effects, vec![Effect::PatientAnswered]);
    }

    #[test]
    fn a_lookup_that_finds_nothing_allows_one_new_attempt() {
        let rec = after_send(&sending(), &SendOutcome::Ambiguous, 1, now(), 0.0).row;
        let other = [Listed {
            sid: "SMother".into(),
            body: "something else".into(),
            created: now(),
        }];
        let tr = after_lookup(&rec, "Hours: 9-5", Some(&other), &[], now(), 0.0);
        assert_eq!(tr.row.state, State::Queued);
        assert_eq!(
            next_step(&tr.row, ConsentState::OptedIn, None, now()),
            Step::Send { sender: 0 }
        );
        // A failed lookup keeps it in reconcile: never send blind.
        let blind = after_lookup(&rec, "Hours: 9-5", None, &[], now(), 0.0);
        assert_eq!(blind.row.state, State::Reconcile);
    }

    #[test]
    fn an_older_identical_message_is_not_taken_for_this_attempt() {
        let rec = after_send(&sending(), &SendOutcome::Ambiguous, 1, now(), 0.0).row;
        let old = [Listed {
            sid: "SMold".into(),
            body: "Thanks!".into(),
            created: now() - Duration::minutes(2),
        }];
        let tr = after_lookup(&rec, "Thanks!", Some(&old), &[], now(), 0.0);
        assert_eq!(tr.row.state, State::Queued);
    }

    #[test]
    fn error_codes_have_their_consequences() {
        let refused = |code| {
            after_send(
                &sending(),
                &SendOutcome::Refused {
                    http: 400,
                    code: Some(code),
                },
                1,
                now(),
                0.0,
            )
        };
        let t = refused(21610);
        assert_eq!(t.row.state, State::Failed);
        assert_eq!(t.effects, vec![Effect::RecordOptOut]);
        for code in [21211, 21612, 21614] {
            let t = refused(code);
            assert_eq!(t.row.state, State::Failed);
            assert!(t.effects.contains(&Effect::MarkUndeliverable { code }));
            assert!(t.effects.contains(&Effect::StaffItem {
                reason: "number_undeliverable"
            }));
        }
        let t = refused(21604);
        assert_eq!(t.row.state, State::Failed);
        assert_eq!(
            t.effects,
            vec![Effect::StaffItem {
                reason: "send_refused"
            }]
        );
    }

    #[test]
    fn a_sender_side_refusal_moves_to_the_backup_sender() {
        let out = SendOutcome::Refused {
            http: 400,
            code: Some(30034),
        };
        let t = after_send(&sending(), &out, 2, now(), 0.0);
        assert_eq!(t.row.state, State::Queued);
        assert_eq!(t.row.sender, 1);
        assert_eq!(
            next_step(&t.row, ConsentState::OptedIn, None, now()),
            Step::Send { sender: 1 }
        );
        // No backup left: a person looks at it.
        let t2 = after_send(&attempt_started(&t.row, now()), &out, 2, now(), 0.0);
        assert_eq!(t2.row.state, State::Failed);
    }

    #[test]
    fn callbacks_never_move_a_row_back_and_only_acceptance_answers() {
        let accepted = after_send(
            &sending(),
            &SendOutcome::Created { sid: "SMx".into() },
            1,
            now(),
            0.0,
        )
        .row;
        let delivered = after_status(&accepted, "SMx", None, "delivered", None, 1, now()).row;
        assert_eq!(delivered.state, State::Delivered);
        let late = after_status(&delivered, "SMx", None, "sent", None, 1, now()).row;
        assert_eq!(late.state, State::Delivered);
        // A callback about another message of the row changes nothing.
        assert_eq!(
            after_status(&delivered, "SMold", None, "failed", Some(30007), 1, now()).row,
            delivered
        );
        // A callback about this attempt while its outcome is unknown proves the message
        // exists: adopted.
        let rec = after_send(&sending(), &SendOutcome::Ambiguous, 1, now(), 0.0).row;
        let tag = rec.attempt_tag();
        let t = after_status(&rec, "SMz", Some(&tag), "sent", None, 1, now());
        assert_eq!(t.row.state, State::Sent);
        assert_eq!(t.row.twilio_sid.as_deref(), Some("SMz"));
        assert_eq!(t.effects, vec![Effect::PatientAnswered]);
        assert_eq!(
            next_step(&t.row, ConsentState::OptedIn, None, now()),
            Step::Nothing
        );
        // One about an earlier attempt's message is not.
        let stale = after_status(&rec, "SMz", Some("0"), "sent", None, 1, now());
        assert_eq!(stale.row, rec);
        // Adopted and failed at once: a person, never "answered".
        let failed = after_status(&rec, "SMz", Some(&tag), "failed", Some(30007), 1, now());
        assert_eq!(failed.row.state, State::Failed);
        assert_eq!(
            failed.effects,
            vec![Effect::StaffItem {
                reason: "content_filtered"
            }]
        );
        let s = settle(Actor::Sender, "c1", Some("SM0001"), &rec, failed);
        assert!(s.answered.is_none() && s.person.is_some());
    }

    #[test]
    fn delivery_failures_from_callbacks() {
        let accepted = after_send(
            &sending(),
            &SendOutcome::Created { sid: "SMx".into() },
            1,
            now(),
            0.0,
        )
        .row;
        let filtered = after_status(&accepted, "SMx", None, "undelivered", Some(30007), 1, now());
        assert_eq!(filtered.row.state, State::Failed);
        assert!(filtered.effects.contains(&Effect::StaffItem {
            reason: "content_filtered"
        }));
        let stop = after_status(&accepted, "SMx", None, "failed", Some(21610), 1, now());
        assert_eq!(stop.effects, vec![Effect::RecordOptOut]);
        // 30004 (blocked) is not the patient's STOP: a person looks.
        let blocked = after_status(&accepted, "SMx", None, "failed", Some(30004), 1, now());
        assert!(!blocked.effects.contains(&Effect::RecordOptOut));
        assert_eq!(blocked.row.state, State::Failed);
        // 30003: one more try later, then a person.
        let once = after_status(&accepted, "SMx", None, "undelivered", Some(30003), 1, now());
        assert_eq!(once.row.state, State::Queued);
        assert_eq!(once.row.next_at, now() + UNREACHABLE_RETRY);
        let again = after_send(
            &attempt_started(&once.row, now()),
            &SendOutcome::Created { sid: "SMy".into() },
            1,
            now(),
            0.0,
        )
        .row;
        let twice = after_status(&again, "SMy", None, "undelivered", Some(30003), 1, now());
        assert_eq!(twice.row.state, State::Failed);
        assert!(twice.effects.contains(&Effect::StaffItem {
            reason: "not_delivered"
        }));
    }

    #[test]
    fn retries_end_with_a_person() {
        let mut r = sending();
        for _ in 0..MAX_ATTEMPTS {
            let t = after_send(&r, &SendOutcome::NotSent, 1, now(), 0.3);
            r = attempt_started(&t.row, now());
            if t.row.state == State::Failed {
                assert!(t.effects.contains(&Effect::StaffItem {
                    reason: "send_retries_exhausted"
                }));
                return;
            }
        }
        panic!("never gave up");
    }

    #[test]
    fn reminders_wait_for_the_window_in_the_clinic_time_zone() {
        let w = Window {
            tz: chrono_tz::America::Los_Angeles,
            start: 8 * 60,
            end: 20 * 60,
        };
        // 18:00Z is 10:00 in Los Angeles: open.
        assert_eq!(w.next_open(now()), None);
        // 05:00Z is 21:00 the day before: opens at 08:00 local = 16:00Z.
        let late = t("2026-12-03T05:00:00Z");
        assert_eq!(w.next_open(late), Some(t("2026-12-03T16:00:00Z")));
        let reminder = Row::new("appt1-24h", Purpose::Reminder, late);
        assert_eq!(
            next_step(&reminder, ConsentState::OptedIn, Some(&w), late),
            Step::WaitUntil(t("2026-12-03T16:00:00Z"))
        );
        // A direct answer does not wait.
        let reply = Row::new("SM1", Purpose::AutoReply, late);
        assert_eq!(
            next_step(&reply, ConsentState::OptedIn, Some(&w), late),
            Step::Send { sender: 0 }
        );
    }

    #[test]
    fn settling_plans_every_consequence_with_its_audit_entry() {
        let before = sending();
        let t = after_send(
            &before,
            &SendOutcome::Refused {
                http: 400,
                code: Some(21211),
            },
            1,
            now(),
            0.0,
        );
        let s = settle(Actor::Sender, "c1", Some("SM0001"), &before, t);
        assert_eq!(s.before, State::Sending);
        assert_eq!(s.undeliverable, Some(21211));
        assert_eq!(
            s.person,
            Some(("SM0001".to_owned(), "number_undeliverable"))
        );
        let entities: Vec<&str> = s.audit.iter().map(|e| e.entity.as_str()).collect();
        assert_eq!(entities, ["outbox", "undeliverable", "staff_queue"]);
        let stop = after_send(
            &before,
            &SendOutcome::Refused {
                http: 400,
                code: Some(21610),
            },
            1,
            now(),
            0.0,
        );
        let s = settle(Actor::Sender, "c1", Some("SM0001"), &before, stop);
        assert_eq!(s.opt_out.as_deref(), Some("SM0001"));
        assert!(s.person.is_none(), "an opt-out is honoured, not queued");
        let ok = after_send(
            &before,
            &SendOutcome::Created { sid: "SMx".into() },
            1,
            now(),
            0.0,
        );
        let s = settle(Actor::Sender, "c1", Some("SM0001"), &before, ok);
        assert_eq!(s.answered.as_deref(), Some("SM0001"));
        assert_eq!(s.row.state, State::Accepted);
    }

    #[test]
    fn a_reply_in_the_twiml_answer_is_recorded_as_handed_to_twilio() {
        let (row, audit) = in_answer(
            Actor::Webhook,
            "c1",
            "SM1",
            crate::outbound::ProducedBy::HelpText,
            now(),
        );
        assert_eq!(row.id, outbox_id("SM1", Purpose::Help));
        assert_eq!(row.state, State::Accepted);
        assert_eq!(
            next_step(&row, ConsentState::OptedIn, None, now()),
            Step::Nothing
        );
        assert_eq!(
            (audit.entity, audit.entity_id.as_str()),
            (Entity::Outbox, row.id.as_str())
        );
    }

    #[test]
    fn the_number_texted_sends_first_then_the_backups() {
        let clinic = ["+14155550190".to_owned(), "+14155550191".to_owned()];
        assert_eq!(
            sender_numbers("+14155550191", &clinic, false),
            ["+14155550191", "+14155550190"]
        );
        assert_eq!(
            sender_numbers("+14155550190", &clinic, true),
            ["+14155550190"]
        );
    }

    /// Twilio as a random adversary: whatever sequence of outcomes, lookups and callbacks, one
    /// row is never accepted twice under two SIDs, and never sent while an earlier attempt's
    /// outcome is unknown.
    #[derive(Debug, Clone)]
    enum Event {
        Outcome(u8),
        Lookup(bool),
        Callback(u8),
        Crash,
    }

    fn event() -> impl Strategy<Value = Event> {
        prop_oneof![
            (0u8..6).prop_map(Event::Outcome),
            any::<bool>().prop_map(Event::Lookup),
            (0u8..5).prop_map(Event::Callback),
            Just(Event::Crash),
        ]
    }

    proptest! {
        #[test]
        fn never_two_messages_for_one_row(events in proptest::collection::vec(event(), 1..40)) {
            let body = "Hours: 9-5";
            let mut r = row();
            let mut clock = now();
            // Messages that exist at Twilio for this row.
            let mut created: Vec<Listed> = Vec::new();
            let mut in_flight = false;
            for e in events {
                clock += Duration::minutes(15);
                match next_step(&r, ConsentState::OptedIn, None, clock) {
                    Step::Send { .. } => {
                        // Sending while an earlier attempt's outcome is unknown would risk a
                        // duplicate: the machine must never ask for it.
                        prop_assert!(!in_flight);
                        r = attempt_started(&r, clock);
                        in_flight = true;
                    }
                    Step::Lookup { .. } | Step::WaitUntil(_) | Step::Nothing | Step::Suppress => {}
                }
                match e {
                    Event::Crash => {}
                    Event::Outcome(k) if r.state == State::Sending => {
                        let sid = format!("SM{}", created.len());
                        let outcome = match k {
                            0 => { created.push(Listed { sid: sid.clone(), body: body.into(), created: clock }); SendOutcome::Created { sid } }
                            1 => { created.push(Listed { sid, body: body.into(), created: clock }); SendOutcome::Ambiguous }
                            2 => SendOutcome::Ambiguous,
                            3 => SendOutcome::NotSent,
                            4 => SendOutcome::Refused { http: 429, code: Some(20429) },
                            _ => SendOutcome::Refused { http: 400, code: Some(21211) },
                        };
                        r = after_send(&r, &outcome, 1, clock, 0.5).row;
                        in_flight = matches!(r.state, State::Reconcile);
                    }
                    Event::Outcome(_) => {}
                    Event::Lookup(works) if matches!(r.state, State::Reconcile | State::Sending) => {
                        let found = works.then_some(created.as_slice());
                        r = after_lookup(&r, body, found, &[], clock, 0.5).row;
                        if r.state == State::Queued || r.state.was_accepted() {
                            in_flight = false;
                        }
                    }
                    Event::Lookup(_) => {}
                    Event::Callback(k) => {
                        let status = ["queued", "sent", "delivered", "undelivered", "failed"][k as usize];
                        // Twilio only calls back about a message it created.
                        if let Some(m) = created.last() {
                            let sid = m.sid.clone();
                            let tag = r.attempt_tag();
                            r = after_status(&r, &sid, Some(&tag), status, None, 1, clock).row;
                            if r.state.was_accepted() || r.state == State::Failed {
                                in_flight = false;
                            }
                        }
                    }
                }
                // A row accepted holds the SID of a message that exists.
                if let Some(sid) = &r.twilio_sid {
                    prop_assert!(created.iter().any(|m| &m.sid == sid));
                }
                // At most one message exists for the row unless the first was proven absent
                // (which the lookup rules out): with these events, never two.
                prop_assert!(created.len() <= 1, "two messages for one row: {created:?}");
            }
        }
    }
}
