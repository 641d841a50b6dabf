//! Fuzzes the webhook form decoder with arbitrary bytes: percent-decoding, UTF-8 checks and the
//! inbound-SMS and status-callback readers must never panic, and whatever they accept must hold
//! what they promise (a well-formed sid, E.164 numbers on one channel, a body within limits).
#![no_main]

use libfuzzer_sys::fuzz_target;
use medspa_worker::twilio::form::{self, Params};

fuzz_target!(|data: &[u8]| {
    let pairs = form::parse_pairs(data);
    let Ok(params) = Params::from_raw(pairs) else { return };
    if let Ok(m) = form::inbound_sms(&params) {
        assert!(form::is_sid(&m.message_sid));
        assert_eq!(m.from.channel, m.to.channel);
        assert!(m.from.e164.starts_with('+') && m.to.e164.starts_with('+'));
        assert!(m.body.chars().count() <= 1600);
        assert!(m.media.len() <= 10);
    }
    if let Ok(c) = form::status_callback(&params) {
        assert!(form::is_sid(&c.message_sid));
        assert!(!c.status.is_empty());
    }
});
