//! X-Twilio-Signature: HMAC-SHA1, keyed with the account's Auth Token, over the URL Twilio sent
//! the request to followed by every POST parameter (sorted by name, name then value, no
//! separators), base64-encoded. For `application/json` bodies Twilio instead puts the body's
//! hex SHA-256 in the URL's `bodySHA256` query parameter and signs the URL alone.
//!
//! Where the official SDKs disagree, this module chooses (and the README repeats):
//!
//! * **Repeated parameter names** are sorted by value and de-duplicated before signing, as
//!   twilio-python, twilio-node and twilio-php do; the other SDKs' tests never repeat a name, so
//!   nothing valid is refused. It only matters for array parameters, never for messaging webhooks.
//! * **Default ports**: the URL is tried as received, and also with its port removed (when it has
//!   one) or with the scheme's default port added (when it has none), as every SDK's `validate`
//!   does, because Twilio signs the URL as written in the console and proxies add or drop ports.
//! * **`'` in the query**: twilio-node accepts both the WHATWG serialisation (`%27`) and the
//!   legacy one (`'`). Workers see the WHATWG form, so both spellings are tried.
//! * **Host case and credentials** are kept exactly as given (twilio-csharp's tests require a
//!   lower-case-host signature to fail for a mixed-case URL; user:pass@ is part of what is signed).
//! * **Keys sorting** is by bytes (UTF-8 order equals code-point order); twilio-go's test of a
//!   key+value concatenated sort is a negative vector and fails here too.
//!
//! All comparisons are constant time. At most six HMACs run per request.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// What was signed besides the URL.
#[derive(Debug, Clone, Copy)]
pub enum Payload<'a> {
    /// Form parameters, decoded to bytes, in any order.
    Form(&'a [(Vec<u8>, Vec<u8>)]),
    /// A JSON (or other raw) body, covered by `bodySHA256` in the URL.
    Body(&'a [u8]),
}

/// The base64 signature of `url` plus `params` (sorted and de-duplicated here).
pub fn compute(token: &[u8], url: &str, params: &[(Vec<u8>, Vec<u8>)]) -> String {
    base64::engine::general_purpose::STANDARD.encode(mac(token, url, params))
}

fn mac(token: &[u8], url: &str, params: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let mut sorted: Vec<&(Vec<u8>, Vec<u8>)> = params.iter().collect();
    sorted.sort();
    sorted.dedup();
    // new_from_slice only fails for fixed-size keys; HMAC accepts any length.
    let mut m = match Hmac::<Sha1>::new_from_slice(token) {
        Ok(m) => m,
        Err(_) => return Vec::new(),
    };
    m.update(url.as_bytes());
    for (k, v) in sorted {
        m.update(k);
        m.update(v);
    }
    m.finalize().into_bytes().to_vec()
}

/// Whether `signature` is Twilio's signature of this request. False for an empty token or
/// signature, so a missing secret can never make everything valid.
pub fn validate(token: &[u8], url: &str, payload: Payload<'_>, signature: &str) -> bool {
    if token.is_empty() || signature.is_empty() {
        return false;
    }
    let Ok(given) = base64::engine::general_purpose::STANDARD.decode(signature.trim()) else {
        return false;
    };
    let params: &[(Vec<u8>, Vec<u8>)] = match payload {
        Payload::Form(p) => p,
        Payload::Body(body) => {
            if !body_hash_matches(url, body) {
                return false;
            }
            &[]
        }
    };
    let mut ok = subtle::Choice::from(0);
    for candidate in candidate_urls(url) {
        ok |= mac(token, &candidate, params).ct_eq(&given);
    }
    ok.into()
}

/// Whether the URL's `bodySHA256` query parameter is the hex SHA-256 of `body`.
pub fn body_hash_matches(url: &str, body: &[u8]) -> bool {
    let Some(query) = url
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(q))
    else {
        return false;
    };
    let Some(given) = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("bodySHA256="))
    else {
        return false;
    };
    let want = hex::encode(Sha256::digest(body));
    given
        .to_ascii_lowercase()
        .as_bytes()
        .ct_eq(want.as_bytes())
        .into()
}

/// The URL as received plus the spellings the SDKs also accept (see the module docs).
pub fn candidate_urls(url: &str) -> Vec<String> {
    let mut bases = vec![url.to_string()];
    if let Some((head, query)) = url.split_once('?') {
        if query.contains('\'') {
            bases.push(format!("{head}?{}", query.replace('\'', "%27")));
        }
        if query.contains("%27") {
            bases.push(format!("{head}?{}", query.replace("%27", "'")));
        }
    }
    let mut out = Vec::with_capacity(bases.len() * 2);
    for base in bases {
        if let Some(v) = port_variant(&base) {
            out.push(v);
        }
        out.push(base);
    }
    out.dedup();
    out
}

/// The URL with its explicit port removed, or with the scheme's default port added.
fn port_variant(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(i) => authority.split_at(i + 1),
        None => ("", authority),
    };
    // An IPv6 literal's colons are not a port separator.
    let host_end = if hostport.starts_with('[') {
        hostport.find(']').map(|i| i + 1)?
    } else {
        hostport.rfind(':').unwrap_or(hostport.len())
    };
    let (host, port) = hostport.split_at(host_end);
    match port.strip_prefix(':') {
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
            Some(format!("{scheme}://{userinfo}{host}{tail}"))
        }
        Some(_) => None,
        None => {
            let default = match scheme.to_ascii_lowercase().as_str() {
                "https" => "443",
                "http" => "80",
                _ => return None,
            };
            Some(format!("{scheme}://{userinfo}{host}:{default}{tail}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::path::PathBuf;

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Params {
        Map(serde_json::Map<String, serde_json::Value>),
        List(Vec<(String, String)>),
    }

    #[derive(Deserialize)]
    struct Vector {
        source: String,
        token: String,
        url: String,
        params: Option<Params>,
        body: Option<String>,
        signature: Option<String>,
        valid: bool,
        mode: String,
    }

    #[derive(Deserialize)]
    struct BodyVector {
        source: String,
        body: String,
        sha256_hex: String,
        valid: bool,
    }

    fn shared(name: &str) -> String {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/data/twilio")
            .join(name);
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "the Twilio test vectors are missing: cannot read {} ({e}); they live in the \
                 shared data directory next to the clone (see shared/data/SOURCES.md)",
                path.display()
            )
        })
    }

    fn pairs(p: Option<Params>) -> Vec<(Vec<u8>, Vec<u8>)> {
        match p {
            None => Vec::new(),
            Some(Params::List(l)) => l.into_iter().map(|(k, v)| (k.into(), v.into())).collect(),
            Some(Params::Map(m)) => m
                .into_iter()
                .map(|(k, v)| {
                    // Java treats a null value as the empty string.
                    let v = match v {
                        serde_json::Value::String(s) => s,
                        serde_json::Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    (k.into_bytes(), v.into_bytes())
                })
                .collect(),
        }
    }

    #[test]
    fn every_official_sdk_vector() {
        let vectors: Vec<Vector> =
            serde_json::from_str(&shared("signature_vectors.json")).expect("vectors parse");
        assert_eq!(vectors.len(), 118, "the vector file changed");
        let mut failures = Vec::new();
        for (i, v) in vectors.into_iter().enumerate() {
            let sig = v.signature.clone().unwrap_or_default();
            let got = if v.mode == "compute" {
                compute(v.token.as_bytes(), &v.url, &pairs(v.params)) == sig
            } else {
                match &v.body {
                    Some(body) => validate(
                        v.token.as_bytes(),
                        &v.url,
                        Payload::Body(body.as_bytes()),
                        &sig,
                    ),
                    None => {
                        let p = pairs(v.params);
                        validate(v.token.as_bytes(), &v.url, Payload::Form(&p), &sig)
                    }
                }
            };
            if got != v.valid {
                failures.push(format!("#{i} {} (want valid={})", v.source, v.valid));
            }
        }
        assert!(
            failures.is_empty(),
            "failing vectors:\n{}",
            failures.join("\n")
        );
    }

    #[test]
    fn every_body_hash_vector() {
        let vectors: Vec<BodyVector> =
            serde_json::from_str(&shared("body_hash_vectors.json")).expect("vectors parse");
        for v in vectors {
            let url = format!("https://example.test/hook?bodySHA256={}", v.sha256_hex);
            assert_eq!(
                body_hash_matches(&url, v.body.as_bytes()),
                v.valid,
                "{}",
                v.source
            );
        }
    }

    #[test]
    fn empty_token_or_signature_never_validates() {
        let p = vec![(b"A".to_vec(), b"1".to_vec())];
        let sig = compute(b"", "https://x.test/", &p);
        assert!(!validate(b"", "https://x.test/", Payload::Form(&p), &sig));
        assert!(!validate(b"t", "https://x.test/", Payload::Form(&p), ""));
        assert!(!validate(
            b"t",
            "https://x.test/",
            Payload::Form(&p),
            "not base64!"
        ));
    }

    #[test]
    fn port_variants() {
        assert_eq!(
            port_variant("http://127.0.0.1:8787/twilio/sms").as_deref(),
            Some("http://127.0.0.1/twilio/sms")
        );
        assert_eq!(
            port_variant("https://[::1]/a?b=1").as_deref(),
            Some("https://[::1]:443/a?b=1")
        );
        assert_eq!(port_variant("ftp://x/").as_deref(), None);
    }
}
