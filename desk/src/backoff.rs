//! The one retry schedule: exponential, capped, with jitter. Pending work (`pending`) and the
//! outbox (`outbox`) retry on their own bases and caps, by this rule.

use chrono::Duration;

/// The delay before retry number `attempts` (1 for the first): `base` doubled per earlier
/// attempt, at most `max`, then spread by `jitter` in [0, 1) over the delay's upper half, so
/// conversations that failed together do not retry together. A jitter that is not a number
/// counts as 0.
pub fn delay(base: Duration, max: Duration, attempts: u32, jitter: f64) -> Duration {
    let doubled = base
        .checked_mul(1_i32 << attempts.min(16).saturating_sub(1))
        .unwrap_or(max)
        .min(max);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.0
    };
    Duration::milliseconds((doubled.num_milliseconds() as f64 * (0.5 + jitter / 2.0)) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn doubles_then_caps() {
        let (base, max) = (Duration::seconds(5), Duration::minutes(10));
        let full = |n| delay(base, max, n, 1.0);
        assert_eq!(full(1), Duration::seconds(5));
        assert_eq!(full(2), Duration::seconds(10));
        assert_eq!(full(3), Duration::seconds(20));
        assert_eq!(full(30), max);
        assert_eq!(delay(base, max, 1, 0.0), Duration::milliseconds(2500));
        assert_eq!(delay(base, max, 1, f64::NAN), Duration::milliseconds(2500));
    }

    proptest! {
        #[test]
        fn always_within_half_and_whole_of_the_capped_delay(n in 0u32..100, j in any::<f64>()) {
            let (base, max) = (Duration::seconds(2), Duration::minutes(10));
            let d = delay(base, max, n, j);
            prop_assert!(d >= Duration::seconds(1) && d <= max);
        }
    }
}
