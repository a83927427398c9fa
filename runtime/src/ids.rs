//! UUID v7 event ids without a system call per id.
//!
//! The `uuid` crate draws fresh OS randomness for every v7 id, which costs more than the whole
//! in-memory delivery of an event. Here each thread seeds a xorshift generator once from std's
//! per-thread random keys and follows RFC 9562's monotonic method: within one millisecond a
//! thread's 74 random bits are incremented, so a thread's ids strictly increase, and a new
//! millisecond draws new random bits. Ids are unique, time-ordered identifiers, not secrets.

use std::cell::Cell;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

use uuid::Uuid;

const RAND_BITS: u32 = 74;
const RAND_MASK: u128 = (1 << RAND_BITS) - 1;

struct State {
    rng: u64,
    last_ms: u64,
    counter: u128,
}

thread_local! {
    static STATE: Cell<Option<State>> = const { Cell::new(None) };
}

fn next_random(rng: &mut u64) -> u64 {
    // xorshift64*
    let mut x = *rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *rng = x;
    x.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

/// A version 7 UUID for the instant `now`.
#[cfg(test)]
pub(crate) fn new_v7(now: std::time::SystemTime) -> Uuid {
    new_v7_at(
        now.duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default(),
    )
}

/// A version 7 UUID for `since_epoch` (the caller has it already for the `time` attribute).
pub(crate) fn new_v7_at(since_epoch: std::time::Duration) -> Uuid {
    let ms = since_epoch.as_millis() as u64 & ((1 << 48) - 1);
    let mut st = STATE.take().unwrap_or_else(|| State {
        // Never zero: xorshift would stay at zero.
        rng: RandomState::new().hash_one(std::thread::current().id()) | 1,
        last_ms: u64::MAX,
        counter: 0,
    });
    if ms != st.last_ms || st.counter >= RAND_MASK {
        let hi = u128::from(next_random(&mut st.rng));
        let lo = u128::from(next_random(&mut st.rng));
        // The top random bit starts clear so the counter has room to increment within a ms.
        st.counter = ((hi << 64) | lo) & (RAND_MASK >> 1);
        st.last_ms = ms;
    } else {
        st.counter += 1;
    }
    let rand_a = (st.counter >> 62) & 0xfff;
    let rand_b = st.counter & ((1 << 62) - 1);
    STATE.set(Some(st));
    let bits = (u128::from(ms) << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b;
    Uuid::from_u128(bits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    #[test]
    fn ids_are_v7_rfc_variant_and_carry_the_millisecond() {
        let t = UNIX_EPOCH + Duration::from_millis(1_700_000_000_123);
        let id = new_v7(t);
        assert_eq!(id.get_version_num(), 7);
        assert_eq!(id.get_variant(), uuid::Variant::RFC4122);
        let (secs, nanos) = id.get_timestamp().unwrap().to_unix();
        assert_eq!((secs, nanos / 1_000_000), (1_700_000_000, 123));
    }

    #[test]
    fn ids_of_one_thread_strictly_increase_and_threads_differ() {
        let now = SystemTime::now();
        let ids: Vec<Uuid> = (0..10_000).map(|_| new_v7(now)).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        let other = std::thread::spawn(move || new_v7(now)).join().unwrap();
        assert!(!ids.contains(&other));
    }
}
