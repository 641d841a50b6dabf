//! Identifiers derived from phone numbers, keyed so they cannot be reversed.
//!
//! A conversation is a channel, a clinic number and a patient number. An unkeyed hash of those
//! is reversed by hashing every US number (hours of work), so every id derived from a number is
//! an HMAC-SHA-256 under `IDENTITY_KEY`, a secret of its own (not a body key: bodies rotate
//! keys by re-encrypting; a blind index cannot be re-derived without the numbers, so its key
//! stays). The numbers themselves are stored sealed like bodies (`crypto`), and found again by
//! the index.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// Why `IDENTITY_KEY` cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdentityKeyError {
    #[error("IDENTITY_KEY is not set: make one with `head -c 32 /dev/urandom | base64` and set it as a secret")]
    Missing,
    #[error("IDENTITY_KEY is not base64")]
    NotBase64,
    #[error("IDENTITY_KEY decodes to {0} bytes; it must be exactly 32")]
    WrongLength(usize),
}

/// The key of every number-derived id.
#[derive(Clone)]
pub struct IdentityKey([u8; 32]);

impl std::fmt::Debug for IdentityKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdentityKey(..)")
    }
}

impl IdentityKey {
    /// Parses base64 of exactly 32 bytes.
    pub fn parse(spec: Option<&str>) -> Result<Self, IdentityKeyError> {
        let spec = spec
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or(IdentityKeyError::Missing)?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(spec)
            .map_err(|_| IdentityKeyError::NotBase64)?;
        let key: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| IdentityKeyError::WrongLength(bytes.len()))?;
        Ok(Self(key))
    }

    /// The conversation of a patient with a clinic number on a channel: its blind index (the
    /// whole HMAC, hex) and its id (the first half of it, also the Durable Object's name).
    pub fn conversation(&self, channel: &str, clinic: &str, patient: &str) -> ConversationKey {
        let mut mac = match Hmac::<Sha256>::new_from_slice(&self.0) {
            Ok(m) => m,
            // A 32-byte key always fits HMAC; unreachable.
            Err(_) => return ConversationKey::default(),
        };
        for (i, part) in ["conversation", channel, clinic, patient]
            .iter()
            .enumerate()
        {
            if i > 0 {
                mac.update(&[0x1f]);
            }
            mac.update(part.as_bytes());
        }
        let index = hex::encode(mac.finalize().into_bytes());
        ConversationKey {
            id: index[..32].to_owned(),
            index,
        }
    }
}

/// A conversation's keyed identifiers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationKey {
    /// 128 bits, hex: the row id and the Durable Object's name.
    pub id: String,
    /// 256 bits, hex: what a conversation whose row predates keyed ids is found by.
    pub index: String,
}

/// The numbers of a conversation, as sealed in its row (for the coming outbound sender).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Numbers {
    pub clinic: String,
    pub patient: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "aWRlbnRpdHkta2V5LWZvci10ZXN0cy1vbmx5LTMyYiE=";

    fn key() -> IdentityKey {
        match IdentityKey::parse(Some(KEY)) {
            Ok(k) => k,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn ids_are_keyed_stable_and_distinct_per_conversation() {
        let k = key();
        let a = k.conversation("sms", "+14155550100", "+14155550123");
        assert_eq!(a, k.conversation("sms", "+14155550100", "+14155550123"));
        assert_eq!((a.id.len(), a.index.len()), (32, 64));
        assert!(a.index.starts_with(&a.id));
        for other in [
            k.conversation("whatsapp", "+14155550100", "+14155550123"),
            k.conversation("sms", "+14155550101", "+14155550123"),
            k.conversation("sms", "+14155550100", "+14155550124"),
            // The separator keeps the parts apart: no two splits of one string collide.
            k.conversation("sms", "+1415555010", "0+14155550123"),
        ] {
            assert_ne!(a.id, other.id);
        }
        let other_key = IdentityKey([7; 32]);
        assert_ne!(
            a,
            other_key.conversation("sms", "+14155550100", "+14155550123")
        );
        // No digit run of either number appears in the id.
        assert!(!a.index.contains("5550123") && !a.index.contains("5550100"));
    }

    #[test]
    fn a_bad_key_says_what_is_wrong_without_the_key() {
        assert_eq!(
            IdentityKey::parse(None).err(),
            Some(IdentityKeyError::Missing)
        );
        assert_eq!(
            IdentityKey::parse(Some("  ")).err(),
            Some(IdentityKeyError::Missing)
        );
        assert_eq!(
            IdentityKey::parse(Some("not base64!")).err(),
            Some(IdentityKeyError::NotBase64)
        );
        assert_eq!(
            IdentityKey::parse(Some("c2hvcnQ=")).err(),
            Some(IdentityKeyError::WrongLength(5))
        );
        assert!(!format!("{:?}", key()).contains(KEY));
    }
}
