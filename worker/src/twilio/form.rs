//! `application/x-www-form-urlencoded` bodies, decoded to bytes first and to text second.
//!
//! The signature is computed over the decoded bytes, so decoding must not be lossy: a body with
//! invalid UTF-8 still verifies (or not) exactly as Twilio signed it, and only afterwards is it
//! rejected as `invalid_utf8`. That keeps "403 before anything else" true for every input.

use serde::{Deserialize, Serialize};

use super::address::Address;

/// What is wrong with a Twilio form, found before anything is stored. Pure parsing says what was
/// wrong; the HTTP status each gets is the edge's business (`crate::error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    #[error("the form is not valid UTF-8 after percent-decoding")]
    InvalidUtf8,
    #[error("MessageSid is missing")]
    MissingMessageSid,
    #[error("MessageSid is not a Twilio sid (two capital letters and 32 hex digits)")]
    InvalidMessageSid,
    #[error("From is missing")]
    MissingFrom,
    #[error("To is missing")]
    MissingTo,
    #[error("From is not an E.164 number or a channel address")]
    InvalidFrom,
    #[error("To is not an E.164 number or a channel address")]
    InvalidTo,
    #[error("From and To are on different channels")]
    ChannelMismatch,
    #[error("Body is longer than an SMS can be")]
    BodyTooLong,
    #[error("NumMedia is not a number from 0 to 10")]
    InvalidNumMedia,
    #[error("a MediaUrl or MediaContentType that NumMedia announces is missing")]
    MissingMedia,
    #[error("MessageStatus is missing or empty")]
    MissingMessageStatus,
}

/// Twilio's documented limit for `Body` (characters, not bytes).
pub const MAX_BODY_CHARS: usize = 1600;
/// Twilio allows at most 10 media items per MMS/WhatsApp message.
pub const MAX_MEDIA: usize = 10;

/// Raw decoded pairs, in body order.
pub type RawPairs = Vec<(Vec<u8>, Vec<u8>)>;

/// Splits on `&`, then on the first `=`; `+` is a space, `%XX` a byte. A `%` not followed by two
/// hex digits is kept literally, as browsers and the WHATWG URL parser do.
pub fn parse_pairs(body: &[u8]) -> RawPairs {
    body.split(|b| *b == b'&')
        .filter(|seg| !seg.is_empty())
        .map(|seg| match seg.iter().position(|b| *b == b'=') {
            Some(i) => (percent_decode(&seg[..i]), percent_decode(&seg[i + 1..])),
            None => (percent_decode(seg), Vec::new()),
        })
        .collect()
}

fn percent_decode(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'+' => out.push(b' '),
            b'%' => match (
                input.get(i + 1).and_then(|c| hex_val(*c)),
                input.get(i + 2).and_then(|c| hex_val(*c)),
            ) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    out
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Text parameters, after the signature has been checked.
#[derive(Debug, Clone, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Every key and value must be UTF-8; one bad byte rejects the whole request.
    pub fn from_raw(raw: RawPairs) -> Result<Params, FormError> {
        raw.into_iter()
            .map(
                |(k, v)| match (String::from_utf8(k), String::from_utf8(v)) {
                    (Ok(k), Ok(v)) => Ok((k, v)),
                    _ => Err(FormError::InvalidUtf8),
                },
            )
            .collect::<Result<Vec<_>, _>>()
            .map(Params)
    }

    /// The first value of `name`. Twilio never repeats the parameters we read.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Like `get`, but an empty value counts as absent.
    pub fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.trim().is_empty())
    }
}

/// A media attachment: a reference only. The bytes stay with Twilio (behind account auth).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaRef {
    pub url: String,
    pub content_type: String,
}

/// A validated inbound message webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboundSms {
    pub message_sid: String,
    pub account_sid: Option<String>,
    pub messaging_service_sid: Option<String>,
    /// The patient.
    pub from: Address,
    /// The clinic's number.
    pub to: Address,
    pub body: String,
    pub media: Vec<MediaRef>,
    pub num_segments: Option<u32>,
    /// Present only with Advanced Opt-Out; authoritative when it is.
    pub opt_out_type: Option<String>,
}

/// Twilio SIDs: a two-letter type prefix and 32 hex digits.
pub fn is_sid(s: &str) -> bool {
    desk::sender::sid_kind(s).is_some()
}

/// Validates an inbound message webhook. The checks run in a fixed order so a request with
/// several problems always gets the same code.
pub fn inbound_sms(p: &Params) -> Result<InboundSms, FormError> {
    let message_sid = p
        .non_empty("MessageSid")
        .ok_or(FormError::MissingMessageSid)?;
    if !is_sid(message_sid) {
        return Err(FormError::InvalidMessageSid);
    }
    let from = p.non_empty("From").ok_or(FormError::MissingFrom)?;
    let to = p.non_empty("To").ok_or(FormError::MissingTo)?;
    let from = Address::parse(from).ok_or(FormError::InvalidFrom)?;
    let to = Address::parse(to).ok_or(FormError::InvalidTo)?;
    if from.channel != to.channel {
        return Err(FormError::ChannelMismatch);
    }
    let body = p.get("Body").unwrap_or_default();
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(FormError::BodyTooLong);
    }
    let num_media = match p.get("NumMedia") {
        None | Some("") => 0,
        Some(n) => n
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= MAX_MEDIA)
            .ok_or(FormError::InvalidNumMedia)?,
    };
    let media = (0..num_media)
        .map(|i| {
            let url = p.non_empty(&format!("MediaUrl{i}"));
            let content_type = p.non_empty(&format!("MediaContentType{i}"));
            match (url, content_type) {
                (Some(url), Some(ct)) => Ok(MediaRef {
                    url: url.to_string(),
                    content_type: ct.to_string(),
                }),
                _ => Err(FormError::MissingMedia),
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    let optional_sid = |name: &str| p.non_empty(name).filter(|s| is_sid(s)).map(String::from);
    Ok(InboundSms {
        message_sid: message_sid.to_string(),
        account_sid: optional_sid("AccountSid"),
        messaging_service_sid: optional_sid("MessagingServiceSid"),
        from,
        to,
        body: body.to_string(),
        media,
        num_segments: p.get("NumSegments").and_then(|n| n.parse().ok()),
        opt_out_type: p.non_empty("OptOutType").map(String::from),
    })
}

/// A validated status callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusCallback {
    pub message_sid: String,
    /// Lower-cased; values we do not know are kept (Twilio adds values without notice).
    pub status: String,
    pub error_code: Option<String>,
}

/// Validates a status callback: a well-formed MessageSid and a MessageStatus.
pub fn status_callback(p: &Params) -> Result<StatusCallback, FormError> {
    let message_sid = p
        .non_empty("MessageSid")
        .ok_or(FormError::MissingMessageSid)?;
    if !is_sid(message_sid) {
        return Err(FormError::InvalidMessageSid);
    }
    let status = p
        .non_empty("MessageStatus")
        .or_else(|| p.non_empty("SmsStatus"))
        .ok_or(FormError::MissingMessageStatus)?;
    if status.len() > 32 || !status.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_') {
        return Err(FormError::MissingMessageStatus);
    }
    Ok(StatusCallback {
        message_sid: message_sid.to_string(),
        status: status.to_ascii_lowercase(),
        error_code: p
            .non_empty("ErrorCode")
            .filter(|c| c.len() <= 16)
            .map(String::from),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::twilio::address::Channel;

    const SID: &str = "SM0123456789abcdef0123456789abcdef";

    fn params(body: &str) -> Params {
        Params::from_raw(parse_pairs(body.as_bytes())).unwrap()
    }

    #[test]
    fn decodes_plus_percent_and_keeps_stray_percent() {
        let p = parse_pairs(b"Body=Hi+there%21+100%&Empty=&Flag&&From=%2B1415");
        assert_eq!(p[0], (b"Body".to_vec(), b"Hi there! 100%".to_vec()));
        assert_eq!(p[1], (b"Empty".to_vec(), Vec::new()));
        assert_eq!(p[2], (b"Flag".to_vec(), Vec::new()));
        assert_eq!(p[3], (b"From".to_vec(), b"+1415".to_vec()));
    }

    #[test]
    fn invalid_utf8_is_rejected_after_decoding() {
        let raw = parse_pairs(b"Body=%FF%FE");
        assert_eq!(Params::from_raw(raw).unwrap_err(), FormError::InvalidUtf8);
    }

    #[test]
    fn valid_sms_with_media() {
        let p = params(&format!(
            "MessageSid={SID}&From=%2B14155550100&To=%2B14155550199&Body=hello&NumMedia=2\
             &MediaUrl0=https%3A%2F%2Fx%2F0&MediaContentType0=image%2Fjpeg\
             &MediaUrl1=https%3A%2F%2Fx%2F1&MediaContentType1=image%2Fpng"
        ));
        let m = inbound_sms(&p).unwrap();
        assert_eq!(m.from.channel, Channel::Sms);
        assert_eq!(m.body, "hello");
        assert_eq!(m.media.len(), 2);
        assert_eq!(m.media[1].content_type, "image/png");
    }

    #[test]
    fn whatsapp_is_its_own_channel_and_must_match() {
        let p = params(&format!(
            "MessageSid={SID}&From=whatsapp%3A%2B14155550100&To=whatsapp%3A%2B14155550199&Body=hi"
        ));
        assert_eq!(inbound_sms(&p).unwrap().from.channel, Channel::Whatsapp);
        let p = params(&format!(
            "MessageSid={SID}&From=whatsapp%3A%2B14155550100&To=%2B14155550199"
        ));
        assert_eq!(inbound_sms(&p).unwrap_err(), FormError::ChannelMismatch);
    }

    #[test]
    fn each_bad_input_has_its_code() {
        let ok_tail = "From=%2B14155550100&To=%2B14155550199";
        let cases = [
            (ok_tail.to_string(), FormError::MissingMessageSid),
            (
                format!("MessageSid=SMnothex&{ok_tail}"),
                FormError::InvalidMessageSid,
            ),
            (
                format!("MessageSid={SID}&To=%2B14155550199"),
                FormError::MissingFrom,
            ),
            (
                format!("MessageSid={SID}&From=%2B14155550100"),
                FormError::MissingTo,
            ),
            (
                format!("MessageSid={SID}&From=555-0100&To=%2B14155550199"),
                FormError::InvalidFrom,
            ),
            (
                format!("MessageSid={SID}&From=%2B14155550100&To=abc"),
                FormError::InvalidTo,
            ),
            (
                format!("MessageSid={SID}&{ok_tail}&Body={}", "a".repeat(1601)),
                FormError::BodyTooLong,
            ),
            (
                format!("MessageSid={SID}&{ok_tail}&NumMedia=x"),
                FormError::InvalidNumMedia,
            ),
            (
                format!("MessageSid={SID}&{ok_tail}&NumMedia=1"),
                FormError::MissingMedia,
            ),
        ];
        for (body, want) in cases {
            assert_eq!(inbound_sms(&params(&body)).unwrap_err(), want, "{body}");
        }
    }

    #[test]
    fn body_limit_counts_characters_not_bytes() {
        let body = "é".repeat(1600);
        let p = params(&format!(
            "MessageSid={SID}&From=%2B14155550100&To=%2B14155550199&Body={body}"
        ));
        assert_eq!(inbound_sms(&p).unwrap().body.chars().count(), 1600);
    }

    #[test]
    fn status_callback_needs_sid_and_status() {
        let s = status_callback(&params(&format!(
            "MessageSid={SID}&MessageStatus=Delivered&ErrorCode=30003"
        )))
        .unwrap();
        assert_eq!(s.status, "delivered");
        assert_eq!(s.error_code.as_deref(), Some("30003"));
        assert_eq!(
            status_callback(&params(&format!("MessageSid={SID}"))).unwrap_err(),
            FormError::MissingMessageStatus
        );
    }
}
