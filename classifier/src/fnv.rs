//! FNV-1a, 64-bit: the classifier's one hash for tables it builds from its own data (feature
//! buckets, the name lexicon, the vocabulary). It is the same on every target and in every
//! process (std's hasher is seeded per process), and costs a few cycles a byte. It resists no
//! flooding, and needs not: the tables' keys are ours, patients' words are only looked up.
//!
//! A file of its own so `build.rs`, which generates the name lexicon, hashes with this very
//! code (`#[path]`) rather than a copy.

/// The hash of no bytes.
pub const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// Continues hash `h` over `bytes`: `extend(extend(OFFSET, a), b)` is the hash of `a` then `b`.
pub fn extend(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}
