//! A small, fast, non-cryptographic hasher for the hot path (partition keys, event ids, type
//! routing). The inputs are not attacker-chosen hash-flooding vectors in a broker that already
//! trusts its publishers, and SipHash would cost more than the rest of a delivery.

use std::hash::{BuildHasherDefault, Hasher};

/// The Fx hash (as in rustc), word at a time.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.add(i as u64);
        self.add((i >> 64) as u64);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // Final avalanche so that the low bits (used for `% lanes`) depend on every input bit.
        let mut z = self.0;
        z = (z ^ (z >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
        z ^ (z >> 33)
    }
}

pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;

/// Keeps a value on cache lines of its own, so that two workers updating neighbouring values
/// (lanes, dedup shards) do not invalidate each other's cache (false sharing). 128 bytes
/// because x86 prefetches cache lines in pairs.
#[repr(align(128))]
pub(crate) struct CachePadded<T>(pub(crate) T);

impl<T> std::ops::Deref for CachePadded<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// Hash of a partition key; equal keys hash equally in every process (no random seed), so
/// lanes are stable across restarts.
#[inline]
pub(crate) fn key_hash(key: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(key);
    h.finish()
}

/// The partition hash of an event: of its subject, or of its id when it has none (an event
/// without a key has no ordering requirement, so it is spread by id). Transports shard by it.
pub fn partition_of(envelope: &crate::envelope::Envelope) -> u64 {
    match envelope.subject_bytes() {
        Some(key) => key_hash(key),
        None => {
            let (hi, lo) = envelope.id().as_u64_pair();
            let mut h = FxHasher::default();
            h.write_u64(hi);
            h.write_u64(lo);
            h.finish()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreads_similar_keys_over_lanes() {
        let mut lanes = [0u32; 16];
        for i in 0..16_000 {
            lanes[(key_hash(format!("user-{i}").as_bytes()) % 16) as usize] += 1;
        }
        assert!(lanes.iter().all(|&n| (800..1200).contains(&n)), "{lanes:?}");
        assert_ne!(key_hash(b"ab"), key_hash(b"ab\0"));
    }
}
