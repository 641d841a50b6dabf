//! Phone numbers and channel addresses as Twilio sends them in `From` and `To`.
//!
//! SMS/MMS numbers are E.164 (`+14155550100`); WhatsApp numbers are the same with a `whatsapp:`
//! prefix. The channel is kept apart from the number because a patient's WhatsApp thread and SMS
//! thread are different conversations with different consent (Twilio tracks them separately).

use serde::{Deserialize, Serialize};

/// The messaging channel a conversation runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// SMS and MMS (a plain E.164 number).
    Sms,
    /// WhatsApp (`whatsapp:+E.164`).
    Whatsapp,
}

impl Channel {
    pub fn as_str(&self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Whatsapp => "whatsapp",
        }
    }
}

/// A validated address: a channel and an E.164 number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub channel: Channel,
    /// E.164, with the leading `+`.
    pub e164: String,
}

const WHATSAPP_PREFIX: &str = "whatsapp:";

impl Address {
    /// Parses `+14155550100` or `whatsapp:+14155550100`. Anything else (short codes, alphanumeric
    /// sender ids, other channels such as `messenger:`) is rejected: this product only talks to
    /// patients by phone number on SMS and WhatsApp.
    pub fn parse(raw: &str) -> Option<Address> {
        let (channel, number) = match raw.get(..WHATSAPP_PREFIX.len()) {
            Some(p) if p.eq_ignore_ascii_case(WHATSAPP_PREFIX) => {
                (Channel::Whatsapp, &raw[WHATSAPP_PREFIX.len()..])
            }
            _ => (Channel::Sms, raw),
        };
        is_e164(number).then(|| Address {
            channel,
            e164: number.to_string(),
        })
    }
}

/// E.164: `+`, a non-zero country-code digit, at most 15 digits in all. Two digits is the
/// shortest number the plan allows.
fn is_e164(s: &str) -> bool {
    let Some(digits) = s.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sms_and_whatsapp() {
        let a = Address::parse("+14155550100").unwrap();
        assert_eq!((a.channel, a.e164.as_str()), (Channel::Sms, "+14155550100"));
        let w = Address::parse("whatsapp:+447700900123").unwrap();
        assert_eq!(w.channel, Channel::Whatsapp);
        assert_eq!(w.e164, "+447700900123");
    }

    #[test]
    fn rejects_malformed_numbers() {
        for bad in [
            "",
            "+",
            "14155550100",
            "+0123456789",
            "+1415555010a",
            "+1234567890123456",
            "+1 415 555 0100",
            "whatsapp:14155550100",
            "messenger:+14155550100",
            "12345",
            "whatsapp:",
        ] {
            assert_eq!(Address::parse(bad), None, "{bad:?}");
        }
    }
}
