//! Settings, read from the Worker's environment on each request (cheap: a few property reads).
//! See the README's "Settings" table; `.dev.vars.example` has a working local set.

use worker::Env;

use crate::crypto::Keyring;
use crate::error::ApiError;
use crate::identity::IdentityKey;

/// A plain or secret string setting; empty counts as unset.
pub(crate) fn setting(env: &Env, name: &str) -> Option<String> {
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

/// Twilio's REST API as the outbox's sender uses it. Read only when something is to be sent, so
/// a Worker without these settings still receives, stores and triages; its automatic replies
/// then wait in the outbox, and `/health` names what is missing.
pub struct Sending {
    pub account: desk::sender::Account,
    /// Where status callbacks go (`PUBLIC_BASE_URL` + `/twilio/status`), if known.
    pub status_callback_base: Option<String>,
}

/// Twilio's API unless `TWILIO_API_BASE` points elsewhere (the local Twilio in tests and
/// `make dev`).
pub const DEFAULT_TWILIO_API_BASE: &str = "https://api.twilio.com";

impl Sending {
    pub fn from_env(env: &Env) -> Result<Sending, Vec<SettingProblem>> {
        Self::parse(&|name| setting(env, name))
    }

    /// Every sending setting is checked, so one answer names every problem.
    pub fn parse(get: &dyn Fn(&str) -> Option<String>) -> Result<Sending, Vec<SettingProblem>> {
        let mut problems = Vec::new();
        let account_sid = get("TWILIO_ACCOUNT_SID");
        match &account_sid {
            None => problems.push(SettingProblem {
                name: "TWILIO_ACCOUNT_SID",
                problem:
                    "TWILIO_ACCOUNT_SID is not set: replies cannot be sent (see .dev.vars.example)"
                        .into(),
            }),
            Some(s) if !is_sid(s, "AC") => problems.push(SettingProblem {
                name: "TWILIO_ACCOUNT_SID",
                problem: "TWILIO_ACCOUNT_SID must be AC followed by 32 hexadecimal digits".into(),
            }),
            Some(_) => {}
        }
        // An API key (preferred: revocable on its own) or the account's auth token.
        let (user, password) = match (get("TWILIO_API_KEY_SID"), get("TWILIO_API_KEY_SECRET")) {
            (Some(k), Some(secret)) => {
                if !is_sid(&k, "SK") {
                    problems.push(SettingProblem {
                        name: "TWILIO_API_KEY_SID",
                        problem: "TWILIO_API_KEY_SID must be SK followed by 32 hexadecimal digits"
                            .into(),
                    });
                }
                (k, secret)
            }
            (Some(_), None) | (None, Some(_)) => {
                problems.push(SettingProblem {
                    name: "TWILIO_API_KEY_SID",
                    problem: "set both TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET, or neither \
                              (the auth token is used then)"
                        .into(),
                });
                (String::new(), String::new())
            }
            (None, None) => (
                account_sid.clone().unwrap_or_default(),
                get("TWILIO_AUTH_TOKEN").unwrap_or_default(),
            ),
        };
        let messaging_service_sid = get("TWILIO_MESSAGING_SERVICE_SID");
        if messaging_service_sid
            .as_deref()
            .is_some_and(|s| !is_sid(s, "MG"))
        {
            problems.push(SettingProblem {
                name: "TWILIO_MESSAGING_SERVICE_SID",
                problem:
                    "TWILIO_MESSAGING_SERVICE_SID must be MG followed by 32 hexadecimal digits"
                        .into(),
            });
        }
        let api_base = get("TWILIO_API_BASE").unwrap_or_else(|| DEFAULT_TWILIO_API_BASE.into());
        // Credentials, numbers and bodies travel in these requests: plain http only to this
        // machine (the local Twilio of `make dev` and the tests).
        let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
            .iter()
            .any(|p| {
                api_base.strip_prefix(p).is_some_and(|rest| {
                    rest.is_empty() || rest.starts_with(':') || rest.starts_with('/')
                })
            });
        if !(api_base.starts_with("https://") || loopback) {
            problems.push(SettingProblem {
                name: "TWILIO_API_BASE",
                problem: "TWILIO_API_BASE must be an https URL such as https://api.twilio.com \
                          (plain http only to 127.0.0.1 or localhost)"
                    .into(),
            });
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Sending {
            account: desk::sender::Account {
                api_base,
                account_sid: account_sid.unwrap_or_default(),
                user,
                password,
                messaging_service_sid,
            },
            status_callback_base: get("PUBLIC_BASE_URL")
                .map(|b| format!("{}/twilio/status", b.trim_end_matches('/'))),
        })
    }
}

fn is_sid(s: &str, prefix: &str) -> bool {
    desk::sender::sid_kind(s) == Some(prefix)
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
    fn sending_settings_are_checked_and_named() {
        let ac = format!("AC{}", "0".repeat(32));
        let sk = format!("SK{}", "1".repeat(32));
        let env = |pairs: Vec<(&'static str, String)>| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.clone())
            }
        };
        let token_only = env(vec![
            ("TWILIO_ACCOUNT_SID", ac.clone()),
            ("TWILIO_AUTH_TOKEN", "tok".into()),
        ]);
        let s = Sending::parse(&token_only).unwrap_or_else(|_| panic!("valid"));
        assert_eq!(s.account.user, ac);
        assert_eq!(s.account.password, "tok");
        assert_eq!(s.account.api_base, DEFAULT_TWILIO_API_BASE);
        assert!(s.status_callback_base.is_none());
        let key = env(vec![
            ("TWILIO_ACCOUNT_SID", ac.clone()),
            ("TWILIO_API_KEY_SID", sk.clone()),
            ("TWILIO_API_KEY_SECRET", "sec".into()),
            ("TWILIO_API_BASE", "http://127.0.0.1:4010".into()),
            ("PUBLIC_BASE_URL", "https://sms.clinic.test/".into()),
        ]);
        let s = Sending::parse(&key).unwrap_or_else(|_| panic!("valid"));
        assert_eq!(
            (s.account.user.as_str(), s.account.password.as_str()),
            (sk.as_str(), "sec")
        );
        assert_eq!(
            s.status_callback_base.as_deref(),
            Some("https://sms.clinic.test/twilio/status")
        );
        let insecure = env(vec![
            ("TWILIO_ACCOUNT_SID", ac.clone()),
            ("TWILIO_API_BASE", "http://twilio.example".into()),
        ]);
        assert!(Sending::parse(&insecure).is_err());
        let bad = env(vec![
            ("TWILIO_API_KEY_SID", "SKnope".into()),
            ("TWILIO_API_BASE", "api.twilio.com".into()),
        ]);
        let names: Vec<&str> = Sending::parse(&bad)
            .err()
            .unwrap_or_default()
            .iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(
            names,
            [
                "TWILIO_ACCOUNT_SID",
                "TWILIO_API_KEY_SID",
                "TWILIO_API_BASE"
            ]
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
