//! Fuzzes X-Twilio-Signature checking. For any token, URL and parameters: the signature computed
//! independently here (HMAC-SHA1 over the URL and the sorted, de-duplicated parameters) is
//! accepted; that signature with any one bit changed, or a signature over other parameters, is
//! refused (no accepted forgery); an arbitrary string never panics the check.
#![no_main]

use arbitrary::Arbitrary;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use libfuzzer_sys::fuzz_target;
use medspa_worker::twilio::signature::{validate, Payload};
use sha1::Sha1;

#[derive(Debug, Arbitrary)]
struct Input {
    token: Vec<u8>,
    path: String,
    params: Vec<(Vec<u8>, Vec<u8>)>,
    flip: u16,
    other: String,
}

fn reference(token: &[u8], url: &str, params: &[(Vec<u8>, Vec<u8>)]) -> Option<Vec<u8>> {
    let mut sorted: Vec<&(Vec<u8>, Vec<u8>)> = params.iter().collect();
    sorted.sort();
    sorted.dedup();
    let mut m = Hmac::<Sha1>::new_from_slice(token).ok()?;
    m.update(url.as_bytes());
    for (k, v) in sorted {
        m.update(k);
        m.update(v);
    }
    Some(m.finalize().into_bytes().to_vec())
}

fuzz_target!(|input: Input| {
    let b64 = base64::engine::general_purpose::STANDARD;
    // A URL as Twilio signs them: scheme, host with an explicit port, then the fuzzed path.
    let url = format!("https://clinic.example:443/{}", input.path.replace(['\'', '#'], ""));
    let params = &input.params;
    let _ = validate(&input.token, &url, Payload::Form(params), &input.other);
    let Some(mac) = reference(&input.token, &url, params) else { return };
    let right = b64.encode(&mac);
    assert_eq!(
        validate(&input.token, &url, Payload::Form(params), &right),
        !input.token.is_empty(),
        "the right signature must be accepted (for a non-empty token)"
    );
    let mut forged = mac.clone();
    let bit = usize::from(input.flip) % (forged.len() * 8);
    forged[bit / 8] ^= 1 << (bit % 8);
    assert!(!validate(&input.token, &url, Payload::Form(params), &b64.encode(&forged)));
    let mut more = params.clone();
    more.push((b"Body".to_vec(), b"injected".to_vec()));
    if reference(&input.token, &url, &more) != Some(mac) {
        assert!(!validate(&input.token, &url, Payload::Form(&more), &right));
    }
});
