//! The two ways the Worker answers a request: a JSON error or a TwiML document. A leaf module,
//! so the routes and the conversation's Durable Object both use it without importing each other.

use serde_json::json;
use worker::{Headers, Response, Result};

use crate::error::ApiError;

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
