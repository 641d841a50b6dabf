//! Work a stored message still needs, and when to try it.
//!
//! Twilio does not retry a webhook that answered 5xx (only a failed connection, and only with
//! connection overrides), so nothing may depend on a second delivery. A non-keyword message is
//! stored in the same batch as a pending item for its triage; the inline attempt deletes the item
//! in the batch that records the verdict. If that attempt fails or the isolate dies, the
//! conversation's Durable Object alarm finds the item and finishes it.
//!
//! Alarms are at-least-once and an object holds one, so finishing is idempotent (the verdict is
//! written once, keyed by the message) and the alarm is armed for the earliest due item.

use chrono::{DateTime, Duration, SecondsFormat, Utc};

/// What a stored message still needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkKind {
    /// Triage, the staff-queue row and (urgent) the safe reply.
    Triage,
}

impl WorkKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            WorkKind::Triage => "triage",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        (s == "triage").then_some(WorkKind::Triage)
    }
}

/// One pending item, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingWork {
    pub message_sid: String,
    pub conversation_id: String,
    pub kind: WorkKind,
    pub due_at: DateTime<Utc>,
    /// Failed attempts so far.
    pub attempts: u32,
}

/// When the alarm first looks at a new item: after the inline attempt has had ample time, so it
/// only ever finds work that attempt did not finish.
pub const FIRST_CHECK: Duration = Duration::seconds(15);
/// The first retry's delay; each later one doubles, up to [`MAX_DELAY`].
pub const BASE_DELAY: Duration = Duration::seconds(5);
pub const MAX_DELAY: Duration = Duration::minutes(10);
/// workerd drops an alarm set for exactly now; one this far ahead fires.
const MIN_AHEAD: Duration = Duration::milliseconds(1);

impl PendingWork {
    /// The triage item of a message stored at `now`.
    pub fn triage(message_sid: &str, conversation_id: &str, now: DateTime<Utc>) -> Self {
        Self {
            message_sid: message_sid.to_owned(),
            conversation_id: conversation_id.to_owned(),
            kind: WorkKind::Triage,
            due_at: now + FIRST_CHECK,
            attempts: 0,
        }
    }

    /// The item after a failed attempt at `now`: exponential backoff, capped, with `jitter` in
    /// [0, 1) spreading it over the upper half of the delay so conversations that failed together
    /// do not retry together.
    pub fn after_failure(&self, now: DateTime<Utc>, jitter: f64) -> Self {
        let attempts = self.attempts.saturating_add(1);
        let delay = crate::backoff::delay(BASE_DELAY, MAX_DELAY, attempts, jitter);
        Self {
            attempts,
            due_at: now + delay.max(MIN_AHEAD),
            ..self.clone()
        }
    }

    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        self.due_at <= now
    }
}

/// When the conversation's single alarm should fire for these items: the earliest due time, but
/// never at or before `now`. `None` when nothing is pending (the alarm can be cleared).
pub fn alarm_at(items: &[PendingWork], now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    items
        .iter()
        .map(|i| i.due_at)
        .min()
        .map(|t| fire_time(t, now))
}

/// A time an alarm can be set for: `at`, or just after `now` if `at` is not in the future.
pub fn fire_time(at: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
    at.max(now + MIN_AHEAD)
}

/// How a time is stored: RFC 3339 in UTC with milliseconds, which sorts as text.
pub fn stored(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A stored time, read back.
pub fn parse_stored(s: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t0() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default()
    }

    #[test]
    fn a_new_item_is_checked_after_the_inline_attempt_had_its_time() {
        let p = PendingWork::triage("SM1", "c1", t0());
        assert_eq!(p.due_at, t0() + FIRST_CHECK);
        assert!(!p.is_due(t0()));
        assert!(p.is_due(t0() + FIRST_CHECK));
        assert_eq!(p.attempts, 0);
    }

    #[test]
    fn retries_back_off_exponentially_up_to_the_cap() {
        let mut p = PendingWork::triage("SM1", "c1", t0());
        let mut delays = Vec::new();
        for _ in 0..12 {
            p = p.after_failure(t0(), 1.0);
            delays.push((p.due_at - t0()).num_seconds());
        }
        assert_eq!(&delays[..5], &[5, 10, 20, 40, 80]);
        assert!(delays.iter().all(|d| *d <= MAX_DELAY.num_seconds()));
        assert_eq!(delays.last().copied(), Some(MAX_DELAY.num_seconds()));
        assert_eq!(p.attempts, 12);
    }

    #[test]
    fn the_alarm_is_armed_for_the_earliest_item_and_never_in_the_past() {
        let a = PendingWork::triage("SM1", "c1", t0());
        let mut b = PendingWork::triage("SM2", "c1", t0());
        b.due_at = t0() + Duration::seconds(3);
        assert_eq!(alarm_at(&[a.clone(), b.clone()], t0()), Some(b.due_at));
        assert_eq!(alarm_at(&[], t0()), None);
        // Overdue work fires at once, not at a time workerd would drop.
        let later = t0() + Duration::minutes(5);
        assert_eq!(alarm_at(&[a], later), Some(later + MIN_AHEAD));
    }

    #[test]
    fn stored_times_round_trip_and_sort_as_text() {
        let a = t0() + Duration::milliseconds(5);
        let b = t0() + Duration::seconds(90);
        assert_eq!(parse_stored(&stored(a)).ok(), Some(a));
        assert!(stored(a) < stored(b));
        assert!(parse_stored("yesterday").is_err());
        assert_eq!(
            WorkKind::parse(WorkKind::Triage.as_str()),
            Some(WorkKind::Triage)
        );
        assert_eq!(WorkKind::parse("send"), None);
    }

    proptest! {
        #[test]
        fn a_retry_is_always_later_and_within_the_cap(attempts in 0u32..40, jitter in -1.0f64..2.0) {
            let mut p = PendingWork::triage("SM1", "c1", t0());
            p.attempts = attempts;
            let q = p.after_failure(t0(), jitter);
            prop_assert!(q.due_at > t0());
            prop_assert!(q.due_at - t0() <= MAX_DELAY);
            prop_assert_eq!(q.attempts, attempts + 1);
        }
    }
}
