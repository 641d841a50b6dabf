//! Message bodies at rest: AES-256-GCM under a key from the Worker secret `BODY_KEYS`.
//!
//! `BODY_KEYS` is a keyring, `id:base64key[,id:base64key...]`; the first key encrypts, every key
//! decrypts, so a rotation is "put the new key first, keep the old one until re-encrypted". Each
//! ciphertext is stored with its key id. The nonce is 96 random bits from the platform's CSPRNG
//! (getrandom; `crypto.getRandomValues` on wasm32), and the row id is bound as associated data so a
//! ciphertext copied onto another row does not decrypt.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use thiserror::Error;

const NONCE_LEN: usize = 12;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum CryptoError {
    /// What is wrong with `BODY_KEYS` (never the key itself).
    #[error("BODY_KEYS is malformed: {0}; expected `id:base64(32 bytes)[,id:base64...]`")]
    BadKeyring(&'static str),
    #[error("unknown key id")]
    UnknownKey,
    #[error("ciphertext does not authenticate")]
    Corrupt,
    #[error("no randomness available")]
    NoEntropy,
}

/// The keys of `BODY_KEYS`.
pub struct Keyring {
    /// (id, cipher); the first encrypts.
    keys: Vec<(String, Aes256Gcm)>,
}

/// A ciphertext as stored: the key id and base64(nonce || ciphertext || tag).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub key_id: String,
    pub blob: String,
}

impl Keyring {
    /// Parses `id:base64key,...`. Ids are short ASCII words; keys are exactly 32 bytes.
    pub fn parse(spec: &str) -> Result<Keyring, CryptoError> {
        let mut keys = Vec::new();
        for entry in spec.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (id, b64) = entry.split_once(':').ok_or(CryptoError::BadKeyring(
                "an entry has no `:` between its id and key",
            ))?;
            let id_ok = !id.is_empty()
                && id.len() <= 32
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !id_ok {
                return Err(CryptoError::BadKeyring(
                    "a key id is empty, longer than 32 or not letters, digits, - and _",
                ));
            }
            let key = base64::engine::general_purpose::STANDARD
                .decode(b64.trim())
                .map_err(|_| CryptoError::BadKeyring("a key is not base64"))?;
            if key.len() != 32 {
                return Err(CryptoError::BadKeyring("a key does not decode to 32 bytes"));
            }
            if keys.iter().any(|(k, _)| k == id) {
                return Err(CryptoError::BadKeyring("two keys share an id"));
            }
            let cipher = Aes256Gcm::new_from_slice(&key)
                .map_err(|_| CryptoError::BadKeyring("a key does not decode to 32 bytes"))?;
            keys.push((id.to_string(), cipher));
        }
        if keys.is_empty() {
            return Err(CryptoError::BadKeyring("it holds no key"));
        }
        Ok(Keyring { keys })
    }

    /// The id new ciphertexts are written under.
    pub fn active_id(&self) -> &str {
        &self.keys[0].0
    }

    /// Encrypts under the active key.
    pub fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Result<Sealed, CryptoError> {
        let (id, cipher) = &self.keys[0];
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|_| CryptoError::NoEntropy)?;
        let ct = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            .map_err(|_| CryptoError::Corrupt)?;
        let mut blob = nonce.to_vec();
        blob.extend_from_slice(&ct);
        Ok(Sealed {
            key_id: id.clone(),
            blob: base64::engine::general_purpose::STANDARD.encode(blob),
        })
    }

    /// Decrypts with whichever key the id names.
    pub fn open(&self, sealed: &Sealed, aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let (_, cipher) = self
            .keys
            .iter()
            .find(|(id, _)| *id == sealed.key_id)
            .ok_or(CryptoError::UnknownKey)?;
        let blob = base64::engine::general_purpose::STANDARD
            .decode(&sealed.blob)
            .map_err(|_| CryptoError::Corrupt)?;
        if blob.len() < NONCE_LEN {
            return Err(CryptoError::Corrupt);
        }
        let (nonce, ct) = blob.split_at(NONCE_LEN);
        cipher
            .decrypt(Nonce::from_slice(nonce), Payload { msg: ct, aad })
            .map_err(|_| CryptoError::Corrupt)
    }

    /// Decrypts a text the Worker sealed (bodies, replies): bytes that are not UTF-8 were never
    /// written by us, so they count as corrupt.
    pub fn open_text(&self, sealed: &Sealed, aad: &[u8]) -> Result<String, CryptoError> {
        String::from_utf8(self.open(sealed, aad)?).map_err(|_| CryptoError::Corrupt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const K1: &str = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    const K0: &str = "k0:Hx4dHBsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA=";

    #[test]
    fn open_text_returns_text_and_refuses_bytes_that_are_not_utf8() {
        let ring = Keyring::parse(K1).unwrap();
        let text = ring.seal("¿me pueden llamar?".as_bytes(), b"SM2").unwrap();
        assert_eq!(ring.open_text(&text, b"SM2").unwrap(), "¿me pueden llamar?");
        let bytes = ring.seal(&[0xff, 0xfe], b"SM3").unwrap();
        assert_eq!(ring.open_text(&bytes, b"SM3"), Err(CryptoError::Corrupt));
        assert_eq!(ring.open_text(&text, b"SM3"), Err(CryptoError::Corrupt));
    }

    #[test]
    fn round_trip_and_no_plaintext_in_the_blob() {
        let ring = Keyring::parse(K1).unwrap();
        let s = ring.seal(b"my lips are swollen", b"SM1").unwrap();
        assert_eq!(s.key_id, "k1");
        assert!(!s.blob.contains("swollen"));
        assert_eq!(ring.open(&s, b"SM1").unwrap(), b"my lips are swollen");
        // Fresh nonce each time.
        assert_ne!(
            ring.seal(b"x", b"a").unwrap(),
            ring.seal(b"x", b"a").unwrap()
        );
    }

    #[test]
    fn wrong_aad_or_tampering_fails() {
        let ring = Keyring::parse(K1).unwrap();
        let s = ring.seal(b"hello", b"SM1").unwrap();
        assert_eq!(ring.open(&s, b"SM2"), Err(CryptoError::Corrupt));
        let mut bad = s.clone();
        bad.blob
            .replace_range(20..21, if &s.blob[20..21] == "A" { "B" } else { "A" });
        assert_eq!(ring.open(&bad, b"SM1"), Err(CryptoError::Corrupt));
    }

    #[test]
    fn rotation_keeps_old_ids_readable() {
        let old = Keyring::parse(K0).unwrap();
        let s = old.seal(b"before rotation", b"id").unwrap();
        let rotated = Keyring::parse(&format!("{K1},{K0}")).unwrap();
        assert_eq!(rotated.active_id(), "k1");
        assert_eq!(rotated.open(&s, b"id").unwrap(), b"before rotation");
        assert_eq!(rotated.seal(b"after", b"id").unwrap().key_id, "k1");
        let only_new = Keyring::parse(K1).unwrap();
        assert_eq!(only_new.open(&s, b"id"), Err(CryptoError::UnknownKey));
    }

    #[test]
    fn malformed_keyrings_are_refused() {
        for bad in ["", "k1", "k1:notbase64!", "k1:AAAA", &format!("{K1},{K1}")] {
            assert!(Keyring::parse(bad).is_err(), "{bad:?}");
        }
    }
}
