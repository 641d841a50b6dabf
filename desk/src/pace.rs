//! One sender number sends at most so many messages a second (about 1 for a US long code;
//! carriers filter or Twilio queues what goes faster). Every conversation replying from the same
//! number asks that number's pacer for a slot; the pacer hands slots out in order. Pure: the
//! Worker's pacer object keeps `next_free` and passes the clock in.

use chrono::{DateTime, Duration, Utc};

/// What a US long code is allowed.
pub const LONG_CODE_PER_SECOND: u32 = 1;
/// A slot this close is waited for in place; a later one is left for the conversation's alarm.
pub const MAX_WAIT: Duration = Duration::seconds(3);

/// A reservation: send at `at`; the next one is free from `next_free`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub at: DateTime<Utc>,
    pub next_free: DateTime<Utc>,
}

/// The next slot of a number that was free from `next_free` (`None`: never used).
pub fn reserve(next_free: Option<DateTime<Utc>>, per_second: u32, now: DateTime<Utc>) -> Slot {
    let gap = Duration::milliseconds(1000 / i64::from(per_second.max(1)));
    let at = next_free.map_or(now, |t| t.max(now));
    Slot {
        at,
        next_free: at + gap,
    }
}

/// What to do with a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    Now,
    /// Wait this long, then send.
    Wait(Duration),
    /// Too far to wait in one event: come back then (and ask again).
    Later(DateTime<Utc>),
}

pub fn pace(slot: DateTime<Utc>, now: DateTime<Utc>) -> Pace {
    let wait = slot - now;
    if wait <= Duration::zero() {
        Pace::Now
    } else if wait <= MAX_WAIT {
        Pace::Wait(wait)
    } else {
        Pace::Later(slot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default()
    }

    #[test]
    fn slots_are_handed_out_one_gap_apart() {
        let a = reserve(None, 1, t0());
        assert_eq!(a.at, t0());
        let b = reserve(Some(a.next_free), 1, t0());
        assert_eq!(b.at, t0() + Duration::seconds(1));
        let c = reserve(Some(b.next_free), 1, t0() + Duration::milliseconds(200));
        assert_eq!(c.at, t0() + Duration::seconds(2));
        // A number idle for a while sends at once.
        let d = reserve(Some(c.next_free), 1, t0() + Duration::minutes(5));
        assert_eq!(d.at, t0() + Duration::minutes(5));
        assert_eq!(
            reserve(None, 10, t0()).next_free,
            t0() + Duration::milliseconds(100)
        );
    }

    #[test]
    fn near_slots_are_waited_for_far_ones_left_to_the_alarm() {
        assert_eq!(pace(t0(), t0()), Pace::Now);
        assert_eq!(
            pace(t0() + Duration::seconds(2), t0()),
            Pace::Wait(Duration::seconds(2))
        );
        let far = t0() + Duration::seconds(10);
        assert_eq!(pace(far, t0()), Pace::Later(far));
    }
}
