//! Typed errors of the Worker, each with a short machine-readable code.
//!
//! The code is all a caller learns: bodies never echo input back (it may be PHI), and a failed
//! signature check says nothing at all (403 with an empty body), so a forger learns nothing about
//! which part was wrong.

use thiserror::Error;

/// Everything a request can fail with, mapped to an HTTP status and a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ApiError {
    /// Missing, malformed or wrong X-Twilio-Signature. Deliberately uninformative.
    #[error("forbidden")]
    Forbidden,
    #[error("not_found")]
    NotFound,
    #[error("method_not_allowed")]
    MethodNotAllowed,
    #[error("payload_too_large")]
    PayloadTooLarge,
    #[error("unsupported_media_type")]
    UnsupportedMediaType,
    #[error("invalid_utf8")]
    InvalidUtf8,
    #[error("missing_from")]
    MissingFrom,
    #[error("missing_to")]
    MissingTo,
    #[error("missing_message_sid")]
    MissingMessageSid,
    #[error("invalid_from")]
    InvalidFrom,
    #[error("invalid_to")]
    InvalidTo,
    #[error("invalid_message_sid")]
    InvalidMessageSid,
    /// From and To are on different channels (an SMS number answering a WhatsApp address).
    #[error("channel_mismatch")]
    ChannelMismatch,
    #[error("body_too_long")]
    BodyTooLong,
    #[error("invalid_num_media")]
    InvalidNumMedia,
    #[error("missing_media")]
    MissingMedia,
    #[error("missing_message_status")]
    MissingMessageStatus,
    /// A setting the Worker needs is absent or malformed (see README, "Settings").
    #[error("misconfigured")]
    Misconfigured,
    /// Storage or runtime failure; Twilio retries, and nothing partial was stored.
    #[error("internal")]
    Internal,
}

impl ApiError {
    /// The machine-readable code clients see in `{"error": "<code>"}`.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Forbidden => "forbidden",
            ApiError::NotFound => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::InvalidUtf8 => "invalid_utf8",
            ApiError::MissingFrom => "missing_from",
            ApiError::MissingTo => "missing_to",
            ApiError::MissingMessageSid => "missing_message_sid",
            ApiError::InvalidFrom => "invalid_from",
            ApiError::InvalidTo => "invalid_to",
            ApiError::InvalidMessageSid => "invalid_message_sid",
            ApiError::ChannelMismatch => "channel_mismatch",
            ApiError::BodyTooLong => "body_too_long",
            ApiError::InvalidNumMedia => "invalid_num_media",
            ApiError::MissingMedia => "missing_media",
            ApiError::MissingMessageStatus => "missing_message_status",
            ApiError::Misconfigured => "misconfigured",
            ApiError::Internal => "internal",
        }
    }

    /// The HTTP status for this error.
    pub fn status(&self) -> u16 {
        match self {
            ApiError::Forbidden => 403,
            ApiError::NotFound => 404,
            ApiError::MethodNotAllowed => 405,
            ApiError::PayloadTooLarge => 413,
            ApiError::UnsupportedMediaType => 415,
            ApiError::Misconfigured | ApiError::Internal => 500,
            _ => 400,
        }
    }
}

/// The edge's mapping of a malformed form: each problem keeps its own code.
impl From<crate::twilio::form::FormError> for ApiError {
    fn from(e: crate::twilio::form::FormError) -> Self {
        use crate::twilio::form::FormError as F;
        match e {
            F::InvalidUtf8 => ApiError::InvalidUtf8,
            F::MissingMessageSid => ApiError::MissingMessageSid,
            F::InvalidMessageSid => ApiError::InvalidMessageSid,
            F::MissingFrom => ApiError::MissingFrom,
            F::MissingTo => ApiError::MissingTo,
            F::InvalidFrom => ApiError::InvalidFrom,
            F::InvalidTo => ApiError::InvalidTo,
            F::ChannelMismatch => ApiError::ChannelMismatch,
            F::BodyTooLong => ApiError::BodyTooLong,
            F::InvalidNumMedia => ApiError::InvalidNumMedia,
            F::MissingMedia => ApiError::MissingMedia,
            F::MissingMessageStatus => ApiError::MissingMessageStatus,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_matches_display_and_input_errors_are_4xx() {
        let all = [
            ApiError::PayloadTooLarge,
            ApiError::UnsupportedMediaType,
            ApiError::InvalidUtf8,
            ApiError::MissingFrom,
            ApiError::MissingTo,
            ApiError::MissingMessageSid,
            ApiError::InvalidFrom,
            ApiError::InvalidTo,
            ApiError::BodyTooLong,
        ];
        for e in all {
            assert_eq!(e.code(), e.to_string());
            assert!((400..500).contains(&e.status()), "{e:?}");
        }
        assert_eq!(ApiError::Internal.status(), 500);
    }
}
