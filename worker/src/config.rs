//! Settings, read from the Worker's environment on each request (cheap: a few property reads).
//! See the README's "Settings" table; `.dev.vars.example` has a working local set.

use worker::Env;

use crate::crypto::Keyring;
use crate::error::ApiError;

/// A plain or secret string setting; empty counts as unset.
fn setting(env: &Env, name: &str) -> Option<String> {
    env.secret(name)
        .map(|s| s.to_string())
        .or_else(|_| env.var(name).map(|v| v.to_string()))
        .ok()
        .filter(|s| !s.trim().is_empty())
}

/// What the edge needs to check a webhook: read by the Worker on every webhook request.
pub struct WebhookAuth {
    /// Secret. Signs Twilio's webhooks.
    pub auth_token: String,
    /// When set, the URL signatures are checked against is this base plus the request's path and
    /// query, instead of the URL the request arrived at (custom domains, proxies).
    pub public_base_url: Option<String>,
}

impl WebhookAuth {
    pub fn from_env(env: &Env) -> Result<WebhookAuth, ApiError> {
        Ok(WebhookAuth {
            auth_token: setting(env, "TWILIO_AUTH_TOKEN").ok_or(ApiError::Misconfigured)?,
            public_base_url: setting(env, "PUBLIC_BASE_URL"),
        })
    }
}

/// What a conversation object needs to store and answer: read only there, so the edge never
/// spends time on key schedules it does not use.
pub struct ConversationConfig {
    /// Secret. See `crypto`.
    pub keyring: Keyring,
    /// The HELP answer.
    pub help_text: String,
    /// What a patient whose message triage finds urgent gets at once (`URGENT_REPLY`).
    pub urgent_reply: String,
}

impl ConversationConfig {
    pub fn from_env(env: &Env) -> Result<ConversationConfig, ApiError> {
        let keyring = setting(env, "BODY_KEYS")
            .and_then(|k| Keyring::parse(&k).ok())
            .ok_or(ApiError::Misconfigured)?;
        let clinic = setting(env, "CLINIC_NAME").ok_or(ApiError::Misconfigured)?;
        let contact = setting(env, "CLINIC_CONTACT").ok_or(ApiError::Misconfigured)?;
        Ok(ConversationConfig {
            keyring,
            help_text: help_text(&clinic, &contact),
            urgent_reply: setting(env, "URGENT_REPLY")
                .unwrap_or_else(|| DEFAULT_URGENT_REPLY.to_string()),
        })
    }
}

/// The urgent safe reply when `URGENT_REPLY` is unset. Unlike the HELP text, a missing setting
/// is not an error: a patient describing an emergency must get this answer even from a Worker
/// deployed without it, so there is a safe built-in text.
pub const DEFAULT_URGENT_REPLY: &str =
    "If this is an emergency, call 911. We have alerted our clinical team.";

/// The HELP answer carriers require: who is texting, how to reach them, how to stop.
pub fn help_text(clinic: &str, contact: &str) -> String {
    format!(
        "{clinic}: for help contact {contact}. Msg&data rates may apply. Reply STOP to opt out."
    )
}

/// The URL Twilio signed: `public_base_url` + path + query when configured, else the request URL.
pub fn signed_url(public_base_url: Option<&str>, request_url: &str) -> String {
    let Some(base) = public_base_url else {
        return request_url.to_string();
    };
    let path_and_query = request_url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or("/");
    format!("{}{}", base.trim_end_matches('/'), path_and_query)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_base_url_replaces_scheme_host_and_port() {
        assert_eq!(
            signed_url(
                Some("https://sms.clinic.test/"),
                "http://127.0.0.1:8787/twilio/sms?x=1"
            ),
            "https://sms.clinic.test/twilio/sms?x=1"
        );
        assert_eq!(
            signed_url(None, "http://127.0.0.1:8787/twilio/sms"),
            "http://127.0.0.1:8787/twilio/sms"
        );
    }

    #[test]
    fn help_text_names_the_clinic_and_says_stop() {
        let t = help_text("Glow", "+14155550100");
        assert!(
            t.starts_with("Glow:")
                && t.contains("+14155550100")
                && t.ends_with("Reply STOP to opt out.")
        );
    }
}
