//! HTTP routes: a thin edge. Webhooks go verify -> parse/validate -> conversation object (or D1
//! for status callbacks) -> TwiML.

use serde_json::json;
use sha2::{Digest, Sha256};
use worker::{Env, Headers, Method, Request, RequestInit, Response, Result};

use crate::config::{signed_url, WebhookAuth};
use crate::conversation_do::InboundJob;
use crate::error::ApiError;
use crate::store;
use crate::twilio::form::{self, Params};
use crate::twilio::signature::{self, Payload};
use crate::twilio::twiml;

/// Twilio's requests are small; anything larger is refused before it is hashed.
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;

pub async fn handle(mut req: Request, env: Env) -> Result<Response> {
    let path = req.path();
    let result = match (req.method(), path.as_str()) {
        (Method::Get, "/health") => return health(&env).await,
        (Method::Post, "/twilio/sms") => inbound(&mut req, &env).await,
        (Method::Post, "/twilio/status") => status(&mut req, &env).await,
        (_, "/health" | "/twilio/sms" | "/twilio/status") => Err(ApiError::MethodNotAllowed),
        _ => Err(ApiError::NotFound),
    };
    match result {
        Ok(resp) => Ok(resp),
        Err(e) => {
            worker::console_log!("request refused path={} code={}", path, e.code());
            error_response(e)
        }
    }
}

/// `{"error": code}` with the error's status; 403 has an empty body (nothing said about why).
pub fn error_response(e: ApiError) -> Result<Response> {
    if e == ApiError::Forbidden {
        return Ok(Response::empty()?.with_status(403));
    }
    Ok(Response::from_json(&json!({ "error": e.code() }))?.with_status(e.status()))
}

/// A TwiML answer.
pub fn twiml_response(xml: String) -> Result<Response> {
    let headers = Headers::new();
    headers.set("Content-Type", "text/xml; charset=utf-8")?;
    Ok(Response::ok(xml)?.with_headers(headers))
}

async fn health(env: &Env) -> Result<Response> {
    let d1 = match env.d1("DB") {
        Ok(db) => store::reachable(&db).await,
        Err(_) => false,
    };
    Response::from_json(&json!({ "version": env!("CARGO_PKG_VERSION"), "d1": d1 }))
}

/// Signature first, then content: returns the verified parameters.
async fn verified_params(
    req: &mut Request,
    config: &WebhookAuth,
) -> std::result::Result<Params, ApiError> {
    let signature = req
        .headers()
        .get("X-Twilio-Signature")
        .ok()
        .flatten()
        .ok_or(ApiError::Forbidden)?;
    let declared = req
        .headers()
        .get("Content-Length")
        .ok()
        .flatten()
        .and_then(|l| l.parse::<usize>().ok());
    if declared.is_some_and(|l| l > MAX_REQUEST_BYTES) {
        return Err(ApiError::PayloadTooLarge);
    }
    let body = req.bytes().await.map_err(|_| ApiError::Internal)?;
    if body.len() > MAX_REQUEST_BYTES {
        return Err(ApiError::PayloadTooLarge);
    }
    let url = signed_url(
        config.public_base_url.as_deref(),
        req.url().map_err(|_| ApiError::Internal)?.as_str(),
    );
    let content_type = req
        .headers()
        .get("Content-Type")
        .ok()
        .flatten()
        .unwrap_or_default();
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let token = config.auth_token.as_bytes();
    if mime == "application/x-www-form-urlencoded" {
        let pairs = form::parse_pairs(&body);
        if !signature::validate(token, &url, Payload::Form(&pairs), &signature) {
            return Err(ApiError::Forbidden);
        }
        return Params::from_raw(pairs);
    }
    // Anything else may still be a genuine Twilio request: JSON bodies are covered by bodySHA256,
    // other bodies by nothing but the URL (what the SDKs check with no parameters). Only a
    // verified request learns that its content type is wrong.
    let payload = if mime == "application/json" {
        Payload::Body(&body)
    } else {
        Payload::Form(&[])
    };
    if !signature::validate(token, &url, payload, &signature) {
        return Err(ApiError::Forbidden);
    }
    Err(ApiError::UnsupportedMediaType)
}

async fn inbound(req: &mut Request, env: &Env) -> std::result::Result<Response, ApiError> {
    let config = WebhookAuth::from_env(env)?;
    let params = verified_params(req, &config).await?;
    let message = form::inbound_sms(&params)?;
    let conversation_id = conversation_id(&message);
    let job = InboundJob {
        conversation_id: conversation_id.clone(),
        message,
    };
    let payload = serde_json::to_string(&job).map_err(|_| ApiError::Internal)?;
    let stub = env
        .durable_object("CONVERSATIONS")
        .and_then(|ns| ns.id_from_name(&conversation_id)?.get_stub())
        .map_err(|_| ApiError::Misconfigured)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_body(Some(payload.into()));
    let request = Request::new_with_init("https://conversation.internal/inbound", &init)
        .map_err(|_| ApiError::Internal)?;
    stub.fetch_with_request(request).await.map_err(|e| {
        worker::console_error!(
            "conversation object failed conv={conversation_id} err_kind={}",
            error_kind(&e)
        );
        ApiError::Internal
    })
}

async fn status(req: &mut Request, env: &Env) -> std::result::Result<Response, ApiError> {
    let config = WebhookAuth::from_env(env)?;
    let params = verified_params(req, &config).await?;
    let callback = form::status_callback(&params)?;
    let db = env.d1("DB").map_err(|_| ApiError::Misconfigured)?;
    let at = String::from(worker::js_sys::Date::new_0().to_iso_string());
    store::status::record(&db, &at, &callback).await?;
    worker::console_log!(
        "status stored sid={} status={}",
        callback.message_sid,
        callback.status
    );
    twiml_response(twiml::response(&[])).map_err(|_| ApiError::Internal)
}

/// The conversation's key: a hash, so the object name and the row id carry no phone number.
pub fn conversation_id(m: &form::InboundSms) -> String {
    let key = format!("{}|{}|{}", m.from.channel.as_str(), m.to.e164, m.from.e164);
    hex::encode(&Sha256::digest(key.as_bytes())[..16])
}

fn error_kind(e: &worker::Error) -> &'static str {
    match e {
        worker::Error::JsError(_) => "js",
        worker::Error::Json(_) => "json",
        _ => "other",
    }
}
