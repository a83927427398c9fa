//! When to try a failed event again: exponential backoff with a cap, optional jitter, and the
//! attempt limit after which the event goes to the dead-letter queue.

use std::time::Duration;

/// Redelivery policy of one subscription.
///
/// Attempt `n` (1-based) that fails is retried after `min(base * multiplier^(n-1), max)`,
/// scaled by a random factor in `[0.5, 1.0]` when `jitter` is on (so that many consumers failing
/// together do not retry in lock-step). After `max_attempts` failed attempts the event is
/// dead-lettered.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base: Duration,
    pub max: Duration,
    pub multiplier: f64,
    pub jitter: bool,
}

impl Default for RetryPolicy {
    /// 5 attempts, 100 ms doubling up to 10 s, with jitter.
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base: Duration::from_millis(100),
            max: Duration::from_secs(10),
            multiplier: 2.0,
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// Never retry: the first failure dead-letters the event.
    pub fn no_retry() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    pub fn with_backoff(mut self, base: Duration, max: Duration) -> Self {
        self.base = base;
        self.max = max.max(base);
        self
    }

    pub fn with_jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }

    /// Whether an event that failed on attempt `attempt` (1-based) gets another one.
    pub fn should_retry(&self, attempt: u32) -> bool {
        attempt < self.max_attempts
    }

    /// The delay before the attempt following failed attempt `attempt` (1-based). `seed` feeds
    /// the jitter; pass anything that differs between events (an id, a key hash).
    pub fn delay_after(&self, attempt: u32, seed: u64) -> Duration {
        let exp = i32::try_from(attempt.saturating_sub(1)).unwrap_or(i32::MAX);
        let raw = self.base.as_secs_f64() * self.multiplier.max(1.0).powi(exp);
        let capped = raw.min(self.max.as_secs_f64());
        let scaled = if self.jitter {
            capped * (0.5 + 0.5 * unit_interval(seed ^ u64::from(attempt)))
        } else {
            capped
        };
        Duration::try_from_secs_f64(scaled).unwrap_or(self.max)
    }
}

/// splitmix64 mapped to [0, 1): enough randomness to spread retries, without a rand dependency.
fn unit_interval(seed: u64) -> f64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_then_caps() {
        let p = RetryPolicy::default()
            .with_backoff(Duration::from_millis(10), Duration::from_millis(50))
            .with_jitter(false);
        let delays: Vec<_> = (1..=5).map(|a| p.delay_after(a, 0).as_millis()).collect();
        assert_eq!(delays, [10, 20, 40, 50, 50]);
    }

    #[test]
    fn jitter_stays_within_half_to_full_delay() {
        let p =
            RetryPolicy::default().with_backoff(Duration::from_millis(100), Duration::from_secs(1));
        let mut distinct = std::collections::BTreeSet::new();
        for seed in 0..200 {
            let d = p.delay_after(2, seed);
            assert!(
                d >= Duration::from_millis(100) && d <= Duration::from_millis(200),
                "{d:?}"
            );
            distinct.insert(d);
        }
        assert!(
            distinct.len() > 100,
            "jitter should spread delays, got {}",
            distinct.len()
        );
    }

    #[test]
    fn attempt_limit_counts_the_first_delivery() {
        let p = RetryPolicy::default().with_max_attempts(3);
        assert!(p.should_retry(1) && p.should_retry(2));
        assert!(!p.should_retry(3));
        assert!(!RetryPolicy::no_retry().should_retry(1));
    }
}
