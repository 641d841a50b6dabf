//! HTTP routes: a thin edge. Webhooks go verify -> parse/validate -> conversation object (or D1
//! for status callbacks) -> TwiML.

use serde_json::json;
use worker::{Env, Method, Request, RequestInit, Response, Result};

use crate::admin;
use crate::clinic::Doc;
use crate::config::{signed_url, Keys, Sending, SettingProblem, WebhookAuth};
use crate::conversation_do::{InboundJob, StatusJob, STATUS_PATH};
use crate::error::ApiError;
use crate::respond::{error_response, twiml_response};
use crate::store;
use crate::twilio::form::{self, FormError, Params};
use crate::twilio::signature::{self, Payload};
use crate::twilio::twiml;

/// Twilio's requests are small; anything larger is refused before it is hashed.
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;

pub async fn handle(mut req: Request, env: Env) -> Result<Response> {
    let path = req.path();
    // Every request starts by checking the secrets every stored row depends on: a malformed one
    // is named in the log and on /health, instead of every webhook failing silently.
    let keys = Keys::from_env(&env).inspect_err(|problems| {
        for p in problems {
            worker::console_error!("setting invalid name={} problem={}", p.name, p.problem);
        }
    });
    let result = match (req.method(), path.as_str()) {
        (Method::Get, "/health") => {
            let mut problems = keys.err().unwrap_or_default();
            problems.extend(Sending::from_env(&env).err().unwrap_or_default());
            return health(&env, problems).await;
        }
        (Method::Post, "/twilio/sms") => match keys {
            Ok(keys) => inbound(&mut req, &env, &keys).await,
            Err(_) => Err(ApiError::Misconfigured),
        },
        (Method::Post, "/twilio/status") => status(&mut req, &env).await,
        (Method::Put, "/admin/clinic") => admin::put(&mut req, &env, Doc::Facts).await,
        (Method::Put, "/admin/templates") => admin::put(&mut req, &env, Doc::Templates).await,
        (
            _,
            "/health" | "/twilio/sms" | "/twilio/status" | "/admin/clinic" | "/admin/templates",
        ) => Err(ApiError::MethodNotAllowed),
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

/// 200 when the Worker can serve; 503 naming each unusable setting (never its value).
async fn health(env: &Env, problems: Vec<SettingProblem>) -> Result<Response> {
    let d1 = match env.d1("DB") {
        Ok(db) => store::reachable(&db).await,
        Err(_) => false,
    };
    let settings: serde_json::Map<String, serde_json::Value> = problems
        .iter()
        .map(|p| (p.name.to_string(), json!(p.problem)))
        .collect();
    let ok = d1 && problems.is_empty();
    Ok(Response::from_json(&json!({
        "ok": ok,
        "version": env!("CARGO_PKG_VERSION"),
        "d1": d1,
        "settings": settings,
        "model": classifier::MODEL_VERSION,
        "fingerprint": classifier::FINGERPRINT,
    }))?
    .with_status(if ok { 200 } else { 503 }))
}

/// The body, read chunk by chunk and refused as soon as it passes `limit`: a chunked request
/// declares no length, and buffering it whole before checking would let one request hold as
/// much memory as it likes.
async fn read_limited(req: &mut Request, limit: usize) -> std::result::Result<Vec<u8>, ApiError> {
    use futures_util::StreamExt;
    let mut stream = match req.stream() {
        Ok(s) => s,
        // No body at all.
        Err(_) => return Ok(Vec::new()),
    };
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| ApiError::Internal)?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Signature first, then content: returns the verified parameters.
/// The outer error refuses the request before its signature is known good; the inner one is a
/// correctly signed request whose content is malformed (recorded by the caller).
async fn verified_params(
    req: &mut Request,
    config: &WebhookAuth,
) -> std::result::Result<std::result::Result<Params, FormError>, ApiError> {
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
    let body = read_limited(req, MAX_REQUEST_BYTES).await?;
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
        return Ok(Params::from_raw(pairs));
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

async fn inbound(
    req: &mut Request,
    env: &Env,
    keys: &Keys,
) -> std::result::Result<Response, ApiError> {
    let config = WebhookAuth::from_env(env)?;
    let params = match verified_params(req, &config).await? {
        Ok(p) => p,
        Err(e) => return Err(rejected(env, "/twilio/sms", None, e).await),
    };
    let message = match form::inbound_sms(&params) {
        Ok(m) => m,
        Err(e) => return Err(rejected(env, "/twilio/sms", Some(&params), e).await),
    };
    let key = keys.identity.conversation(
        message.from.channel.as_str(),
        &message.to.e164,
        &message.from.e164,
    );
    let name = key.id.clone();
    let job = InboundJob { key, message };
    let payload = serde_json::to_string(&job).map_err(|_| ApiError::Internal)?;
    let stub = env
        .durable_object("CONVERSATIONS")
        .and_then(|ns| ns.id_from_name(&name)?.get_stub())
        .map_err(|_| ApiError::Misconfigured)?;
    to_conversation(stub, "/inbound", payload).await
}

/// Hands a job to a conversation's Durable Object (`conversation_do`), where everything about one
/// conversation happens in order, and returns its answer.
async fn to_conversation(
    stub: worker::Stub,
    path: &str,
    payload: String,
) -> std::result::Result<Response, ApiError> {
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_body(Some(payload.into()));
    let request = Request::new_with_init(&format!("https://conversation.internal{path}"), &init)
        .map_err(|_| ApiError::Internal)?;
    stub.fetch_with_request(request).await.map_err(|e| {
        // The object's id is keyed (never a number); its kind of failure is all that is logged.
        worker::console_error!(
            "conversation object failed path={path} err_kind={}",
            error_kind(&e)
        );
        ApiError::Internal
    })
}

async fn status(req: &mut Request, env: &Env) -> std::result::Result<Response, ApiError> {
    let config = WebhookAuth::from_env(env)?;
    let params = match verified_params(req, &config).await? {
        Ok(p) => p,
        Err(e) => return Err(rejected(env, "/twilio/status", None, e).await),
    };
    let callback = match form::status_callback(&params) {
        Ok(c) => c,
        Err(e) => return Err(rejected(env, "/twilio/status", Some(&params), e).await),
    };
    let db = env.d1("DB").map_err(|_| ApiError::Misconfigured)?;
    let at = String::from(worker::js_sys::Date::new_0().to_iso_string());
    store::status::record(&db, &at, &callback).await?;
    worker::console_log!(
        "status stored sid={} status={}",
        callback.message_sid,
        callback.status
    );
    let url = req.url().map_err(|_| ApiError::Internal)?;
    if let Some((outbox_id, object, attempt)) = outbox_target(&url) {
        let job = StatusJob {
            outbox_id,
            attempt,
            message_sid: callback.message_sid.clone(),
            status: callback.status.clone(),
            error_code: callback.error_code.as_deref().and_then(|c| c.parse().ok()),
        };
        let payload = serde_json::to_string(&job).map_err(|_| ApiError::Internal)?;
        let stub = env
            .durable_object("CONVERSATIONS")
            .and_then(|ns| ns.id_from_string(&object)?.get_stub())
            .map_err(|_| ApiError::Misconfigured)?;
        let resp = to_conversation(stub, STATUS_PATH, payload).await?;
        if resp.status_code() >= 500 {
            return Err(ApiError::Internal);
        }
    }
    twiml_response(twiml::response(&[])).map_err(|_| ApiError::Internal)
}

/// The outbox row and conversation object a status callback names in its query (the sender
/// puts them in the StatusCallback URL, which the signature covers). Both are checked for shape:
/// anything else is an ordinary callback.
fn outbox_target(url: &worker::Url) -> Option<(String, String, Option<String>)> {
    let mut outbox = None;
    let mut object = None;
    let mut attempt = None;
    for (k, v) in url.query_pairs() {
        match k.as_ref() {
            "outbox" => outbox = Some(v.into_owned()),
            "obj" => object = Some(v.into_owned()),
            "try" => attempt = Some(v.into_owned()),
            _ => {}
        }
    }
    let attempt = attempt.filter(|a| a.len() <= 12 && a.bytes().all(|b| b.is_ascii_alphanumeric()));
    let outbox = outbox.filter(|o| {
        !o.is_empty()
            && o.len() <= 100
            && o.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })?;
    let object = object.filter(|o| o.len() == 64 && o.bytes().all(|b| b.is_ascii_hexdigit()))?;
    Some((outbox, object, attempt))
}

/// A correctly signed request whose content is refused: Twilio sent it (or someone holding the
/// auth token did), so an operator must be able to find it. Recorded with the code, the
/// MessageSid when it is a well-formed sid, and the time; never the body or a number.
async fn rejected(env: &Env, route: &str, params: Option<&Params>, e: FormError) -> ApiError {
    let sid = params
        .and_then(|p| p.non_empty("MessageSid"))
        .filter(|s| form::is_sid(s));
    let api = ApiError::from(e);
    let at = String::from(worker::js_sys::Date::new_0().to_iso_string());
    match env.d1("DB") {
        Ok(db) => {
            if store::rejected::record(&db, &at, route, api.code(), sid)
                .await
                .is_err()
            {
                worker::console_error!("rejected webhook not recorded code={}", api.code());
            }
        }
        Err(_) => worker::console_error!("rejected webhook not recorded code=no_db"),
    }
    worker::console_log!(
        "signed webhook rejected route={route} code={} sid={}",
        api.code(),
        sid.unwrap_or("none")
    );
    api
}

fn error_kind(e: &worker::Error) -> &'static str {
    match e {
        worker::Error::JsError(_) => "js",
        worker::Error::Json(_) => "json",
        _ => "other",
    }
}
