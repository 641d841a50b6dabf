//! Twilio's REST Messages API as data: the create and lookup requests the outbox's steps need,
//! and the reading of Twilio's answers into [`outbox::SendOutcome`] and [`outbox::Listed`].
//! The Worker only carries the bytes (its `fetch`), so every rule about what is sent and how an
//! answer is read is tested here, natively, and the same code serves a test's local Twilio and
//! the real one (only `api_base` differs).

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::outbox::{Listed, SendOutcome};

/// How the Worker authenticates and which sender it uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// `https://api.twilio.com` in production; the local Twilio in tests and `make dev`.
    pub api_base: String,
    pub account_sid: String,
    /// Basic-auth user and password: an API key SID and secret, or the account SID and token.
    pub user: String,
    pub password: String,
    /// Sends through a Messaging Service when set (Twilio picks the number), else `From`.
    pub messaging_service_sid: Option<String>,
}

/// One HTTP request for the Worker to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: &'static str,
    pub url: String,
    /// `(user, password)` for HTTP basic auth.
    pub basic_auth: (String, String),
    /// Form fields of a POST (sent as `application/x-www-form-urlencoded`).
    pub form: Vec<(&'static str, String)>,
}

/// The create request for one outbox row: to the patient, from `from` (the clinic's sender
/// number for this attempt) unless the account sends through a Messaging Service, with a status
/// callback that names the row, so every callback finds it.
pub fn create(
    account: &Account,
    to: &str,
    from: &str,
    body: &str,
    status_callback: Option<&str>,
) -> HttpRequest {
    let mut form = vec![("To", to.to_owned()), ("Body", body.to_owned())];
    match &account.messaging_service_sid {
        Some(mg) => form.push(("MessagingServiceSid", mg.clone())),
        None => form.push(("From", from.to_owned())),
    }
    if let Some(url) = status_callback {
        form.push(("StatusCallback", url.to_owned()));
    }
    HttpRequest {
        method: "POST",
        url: messages_url(account),
        basic_auth: (account.user.clone(), account.password.clone()),
        form,
    }
}

/// The lookup of an attempt whose outcome is unknown: the latest messages to `to`, newest first.
/// No date filter: Twilio's `DateSent` filters on the time a message was sent, which a message
/// still queued at Twilio does not have yet; the creation time is compared by the caller
/// (`outbox::after_lookup`).
pub fn lookup(account: &Account, to: &str) -> HttpRequest {
    let query = [("To", to.to_owned()), ("PageSize", "50".to_owned())];
    let qs: Vec<String> = query
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    HttpRequest {
        method: "GET",
        url: format!("{}?{}", messages_url(account), qs.join("&")),
        basic_auth: (account.user.clone(), account.password.clone()),
        form: Vec::new(),
    }
}

fn messages_url(account: &Account) -> String {
    format!(
        "{}/2010-04-01/Accounts/{}/Messages.json",
        account.api_base.trim_end_matches('/'),
        encode(&account.account_sid)
    )
}

/// Percent-encoding for a query or form value (RFC 3986 unreserved characters kept).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The form body of a POST.
pub fn form_body(form: &[(&'static str, String)]) -> String {
    form.iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[derive(Deserialize)]
struct Created {
    sid: Option<String>,
}

#[derive(Deserialize)]
struct TwilioError {
    code: Option<u32>,
}

/// Reads the answer to a create. `status` is `None` when no answer came (a timeout or a
/// connection that broke after the request was written); `sent` says whether the request left
/// at all (a refused connection did not).
pub fn read_create(status: Option<u16>, body: &str, sent: bool) -> SendOutcome {
    let Some(status) = status else {
        return if sent {
            SendOutcome::Ambiguous
        } else {
            SendOutcome::NotSent
        };
    };
    match status {
        200..=299 => match serde_json::from_str::<Created>(body) {
            Ok(Created { sid: Some(sid) }) if is_message_sid(&sid) => SendOutcome::Created { sid },
            // A 2xx without a readable SID: something was created, but we cannot name it.
            _ => SendOutcome::Ambiguous,
        },
        400..=499 => SendOutcome::Refused {
            http: status,
            code: serde_json::from_str::<TwilioError>(body)
                .ok()
                .and_then(|e| e.code),
        },
        // 5xx (and anything unexpected): the message may exist.
        _ => SendOutcome::Ambiguous,
    }
}

/// The resource a Twilio SID names (its two capital letters: `SM`, `AC`, `MG`, ...), when the
/// SID is well formed: those two letters and 32 hexadecimal digits. The one check of a SID's
/// shape, for webhooks, settings and API answers alike.
pub fn sid_kind(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    (b.len() == 34
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..].iter().all(u8::is_ascii_hexdigit))
    .then(|| &s[..2])
}

/// A Twilio message SID: `SM` or `MM` and 32 hexadecimal digits.
pub fn is_message_sid(s: &str) -> bool {
    matches!(sid_kind(s), Some("SM" | "MM"))
}

#[derive(Deserialize)]
struct Page {
    messages: Vec<ListedMessage>,
}

#[derive(Deserialize)]
struct ListedMessage {
    sid: String,
    body: Option<String>,
    date_created: Option<String>,
}

/// Why a lookup's answer could not be read (the row then stays unknown and is looked up again).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    #[error(
        "Twilio answered the message lookup with HTTP {0}; check the account SID and credentials"
    )]
    Status(u16),
    #[error(
        "Twilio's message list could not be read as JSON ({0}); is TWILIO_API_BASE Twilio's API?"
    )]
    Shape(String),
}

/// Reads a message list page into what [`crate::outbox::after_lookup`] matches on. A message
/// whose creation time cannot be read is kept with the earliest time, so it can never be taken
/// for this attempt by mistake.
pub fn read_lookup(status: u16, body: &str) -> Result<Vec<Listed>, LookupError> {
    if !(200..=299).contains(&status) {
        return Err(LookupError::Status(status));
    }
    let page: Page = serde_json::from_str(body).map_err(|e| {
        // serde's message names the field and position, never the body's content.
        LookupError::Shape(format!("line {} column {}", e.line(), e.column()))
    })?;
    Ok(page
        .messages
        .into_iter()
        .map(|m| Listed {
            sid: m.sid,
            body: m.body.unwrap_or_default(),
            created: m
                .date_created
                .as_deref()
                .and_then(|d| DateTime::parse_from_rfc2822(d).ok())
                .map(|d| d.with_timezone(&Utc))
                .unwrap_or(DateTime::<Utc>::MIN_UTC),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(mg: Option<&str>) -> Account {
        Account {
            api_base: "http://127.0.0.1:4010/".into(),
            account_sid: "AC00000000000000000000000000000001".into(),
            user: "SK1".into(),
            password: "secret".into(),
            messaging_service_sid: mg.map(str::to_owned),
        }
    }

    #[test]
    fn a_create_names_sender_or_service_and_the_callback() {
        let r = create(
            &account(None),
            "+14155550123",
            "+14155550190",
            "Hi & bye",
            Some("https://w/twilio/status?outbox=ob-1"),
        );
        assert_eq!(r.method, "POST");
        assert_eq!(
            r.url,
            "http://127.0.0.1:4010/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json"
        );
        assert!(r.form.contains(&("From", "+14155550190".into())));
        assert_eq!(
            form_body(&r.form),
            "To=%2B14155550123&Body=Hi%20%26%20bye&From=%2B14155550190&StatusCallback=https%3A%2F%2Fw%2Ftwilio%2Fstatus%3Foutbox%3Dob-1"
        );
        let mg = create(&account(Some("MG1")), "+1", "+2", "x", None);
        assert!(mg.form.contains(&("MessagingServiceSid", "MG1".into())));
        assert!(!mg
            .form
            .iter()
            .any(|(k, _)| *k == "From" || *k == "StatusCallback"));
    }

    #[test]
    fn a_lookup_lists_the_latest_messages_to_the_number() {
        let r = lookup(&account(None), "+14155550123");
        assert_eq!(r.method, "GET");
        assert!(r
            .url
            .ends_with("/Messages.json?To=%2B14155550123&PageSize=50"));
    }

    #[test]
    fn create_answers_are_read_into_outcomes() {
        let sid = format!("SM{}", "a".repeat(32));
        assert_eq!(
            read_create(
                Some(201),
                &format!(r#"{{"sid":"{sid}","status":"queued"}}"#),
                true
            ),
            SendOutcome::Created { sid }
        );
        assert_eq!(
            read_create(
                Some(400),
                r#"{"code":21610,"message":"unsubscribed","status":400}"#,
                true
            ),
            SendOutcome::Refused {
                http: 400,
                code: Some(21610)
            }
        );
        assert_eq!(
            read_create(Some(429), "not json", true),
            SendOutcome::Refused {
                http: 429,
                code: None
            }
        );
        assert_eq!(read_create(Some(500), "", true), SendOutcome::Ambiguous);
        assert_eq!(read_create(Some(201), "{}", true), SendOutcome::Ambiguous);
        assert_eq!(read_create(None, "", true), SendOutcome::Ambiguous);
        assert_eq!(read_create(None, "", false), SendOutcome::NotSent);
    }

    #[test]
    fn a_list_page_is_read_and_bad_pages_are_errors() {
        let body = r#"{"messages":[{"sid":"SM1","body":"Hours","date_created":"Wed, 02 Dec 2026 18:00:00 +0000"},{"sid":"SM2","body":null,"date_created":"garbage"}],"page":0}"#;
        let listed = read_lookup(200, body).unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0].body, "Hours");
        assert_eq!(
            listed[0].created,
            DateTime::parse_from_rfc3339("2026-12-02T18:00:00Z").unwrap()
        );
        assert_eq!(listed[1].created, DateTime::<Utc>::MIN_UTC);
        assert_eq!(read_lookup(401, "{}"), Err(LookupError::Status(401)));
        assert!(matches!(
            read_lookup(200, r#"{"page":0}"#),
            Err(LookupError::Shape(_))
        ));
    }

    #[test]
    fn message_sids_are_checked() {
        assert!(is_message_sid(&format!("SM{}", "0f".repeat(16))));
        assert!(!is_message_sid("SM123"));
        assert!(!is_message_sid(&format!("AC{}", "0".repeat(32))));
        assert_eq!(sid_kind(&format!("MG{}", "a".repeat(32))), Some("MG"));
        assert_eq!(sid_kind(&format!("Mg{}", "a".repeat(32))), None);
        assert_eq!(sid_kind("ACé"), None);
    }
}
