//! Settings, read from the Worker's environment on each request (cheap: a few property reads).
//! See the README's "Settings" table; `.dev.vars.example` has a working local set.

use worker::Env;

use crate::crypto::Keyring;
use crate::error::ApiError;
use crate::identity::IdentityKey;

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

/// The two secrets every stored row depends on: the body keyring (`crypto`) and the identity
/// key (`identity`). Checked at the start of every request, so a malformed value is one clear
/// log line and a failing `/health`, not every webhook failing with a bare 500.
pub struct Keys {
    pub body: Keyring,
    pub identity: IdentityKey,
}

/// A setting that cannot be used: its name and what is wrong (never its value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingProblem {
    pub name: &'static str,
    pub problem: String,
}

impl Keys {
    pub fn from_env(env: &Env) -> Result<Keys, Vec<SettingProblem>> {
        Self::parse(
            setting(env, "BODY_KEYS").as_deref(),
            setting(env, "IDENTITY_KEY").as_deref(),
        )
    }

    /// Both settings are read, so one answer names every problem.
    pub fn parse(body: Option<&str>, identity: Option<&str>) -> Result<Keys, Vec<SettingProblem>> {
        let body = match body {
            Some(spec) => Keyring::parse(spec).map_err(|e| SettingProblem {
                name: "BODY_KEYS",
                problem: e.to_string(),
            }),
            None => Err(SettingProblem {
                name: "BODY_KEYS",
                problem: "BODY_KEYS is not set: see .dev.vars.example".into(),
            }),
        };
        let identity = IdentityKey::parse(identity).map_err(|e| SettingProblem {
            name: "IDENTITY_KEY",
            problem: e.to_string(),
        });
        match (body, identity) {
            (Ok(body), Ok(identity)) => Ok(Keys { body, identity }),
            (b, i) => Err([b.err(), i.err()].into_iter().flatten().collect()),
        }
    }
}

/// What a conversation object needs to store and answer.
pub struct ConversationConfig {
    pub keys: Keys,
    /// The HELP answer.
    pub help_text: String,
    /// What a patient whose message triage finds urgent gets at once (`URGENT_REPLY`).
    pub urgent_reply: String,
}

impl ConversationConfig {
    pub fn from_env(env: &Env) -> Result<ConversationConfig, ApiError> {
        let keys = Keys::from_env(env).map_err(|problems| {
            for p in &problems {
                worker::console_error!("setting invalid name={} problem={}", p.name, p.problem);
            }
            ApiError::Misconfigured
        })?;
        let clinic = setting(env, "CLINIC_NAME").ok_or(ApiError::Misconfigured)?;
        let contact = setting(env, "CLINIC_CONTACT").ok_or(ApiError::Misconfigured)?;
        Ok(ConversationConfig {
            keys,
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
    fn both_keys_are_checked_and_every_problem_is_named_without_its_value() {
        const BODY: &str = "dev1:ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtaW4tcHJvZCE=";
        const IDENTITY: &str = "ZGV2LW9ubHktaWRlbnRpdHkta2V5LW5ldmVyLXByb2Q=";
        assert!(Keys::parse(Some(BODY), Some(IDENTITY)).is_ok());
        let names = |r: Result<Keys, Vec<SettingProblem>>| -> Vec<&'static str> {
            r.err().unwrap_or_default().iter().map(|p| p.name).collect()
        };
        assert_eq!(
            names(Keys::parse(None, None)),
            vec!["BODY_KEYS", "IDENTITY_KEY"]
        );
        assert_eq!(
            names(Keys::parse(Some(BODY), Some("c2hvcnQ="))),
            vec!["IDENTITY_KEY"]
        );
        let problems = Keys::parse(Some("dev1:c2hvcnQ="), Some(IDENTITY))
            .err()
            .unwrap_or_default();
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].problem.contains("32 bytes"),
            "{}",
            problems[0].problem
        );
        assert!(!problems[0].problem.contains("c2hvcnQ="));
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
