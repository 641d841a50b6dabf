//! The clinic's documents, loaded by its operator: `PUT /admin/clinic` (the facts) and
//! `PUT /admin/templates` (the reply template set), each with `Authorization: Bearer
//! <ADMIN_TOKEN>`. A document is validated by `desk` before it is stored: the facts field by
//! field, the templates against the facts with every rendering put through the content linter.
//! A change is a new version (the same document again is a no-op), and replies record the
//! versions they were rendered from. Without `ADMIN_TOKEN` these routes do not exist.

use serde_json::json;
use worker::{Env, Request, Response};

use crate::clinic::{self, Doc};
use crate::error::ApiError;
use crate::store::{db_err, D1Database};
use desk::autoreply::{blocks_saving, lint_templates, Clinic};
use desk::templates::TemplateSet;

/// Documents are small (the example clinic is about 16 KB).
const MAX_DOCUMENT_BYTES: usize = 256 * 1024;

/// An answer this module builds itself: a 422 lists the document's problems (the clinic's own
/// text, never a patient's), which a bare error code cannot.
pub async fn put(req: &mut Request, env: &Env, which: Doc) -> Result<Response, ApiError> {
    authorize(req, env)?;
    let bytes = req.bytes().await.map_err(|_| ApiError::Internal)?;
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(ApiError::PayloadTooLarge);
    }
    let doc = String::from_utf8(bytes).map_err(|_| ApiError::InvalidUtf8)?;
    let db = env.d1("DB").map_err(|_| ApiError::Misconfigured)?;
    let at = String::from(worker::js_sys::Date::new_0().to_iso_string());
    let today = chrono::DateTime::from_timestamp_millis(worker::js_sys::Date::now() as i64)
        .unwrap_or_default();
    let previous = clinic::document(&db, which, None).await?;
    let warnings = match which {
        Doc::Facts => {
            let facts = match desk::clinic::validate::parse(&doc) {
                Ok(f) => f,
                Err(e) => return problems("invalid_clinic_facts", e.iter().map(|p| p.to_string())),
            };
            match clinic::document(&db, Doc::Templates, None).await? {
                Some((tv, set_doc)) => {
                    let set =
                        TemplateSet::parse(&set_doc, tv as u32).map_err(|_| ApiError::Internal)?;
                    match lint(facts, set, today)? {
                        Ok(w) => w,
                        Err(refusal) => return Ok(refusal),
                    }
                }
                None => Vec::new(),
            }
        }
        Doc::Templates => {
            let Some((_, facts_doc)) = clinic::document(&db, Doc::Facts, None).await? else {
                return problems(
                    "no_clinic_facts",
                    ["load the clinic's facts (PUT /admin/clinic) before its templates".into()],
                );
            };
            let facts =
                desk::clinic::validate::parse(&facts_doc).map_err(|_| ApiError::Internal)?;
            let next = previous.as_ref().map_or(1, |(v, _)| v + 1);
            let set = match TemplateSet::parse(&doc, next as u32) {
                Ok(s) => s,
                Err(e) => return problems("invalid_templates", [e.to_string()]),
            };
            match lint(facts, set, today)? {
                Ok(w) => w,
                Err(refusal) => return Ok(refusal),
            }
        }
    };
    store(&db, &at, which, &doc, previous, &warnings).await
}

/// Every template rendered against the facts and linted: `Ok(warnings)` (replies that will go
/// to a person for their length), or the refusal listing what failed.
fn lint(
    facts: desk::clinic::ClinicFacts,
    set: TemplateSet,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Result<Vec<String>, Response>, ApiError> {
    let clinic = match Clinic::new(facts, 0, set) {
        Ok(c) => c,
        Err(e) => return problems("invalid_clinic_facts", [e.to_string()]).map(Err),
    };
    let say = |(id, rule): (String, &str)| format!("template {id}: rule {rule} (see desk::lint)");
    let (blocking, warnings): (Vec<_>, Vec<_>) = lint_templates(&clinic, clinic.today(now))
        .into_iter()
        .partition(|(_, rule)| blocks_saving(rule));
    if blocking.is_empty() {
        return Ok(Ok(warnings.into_iter().map(say).collect()));
    }
    problems("template_fails_linter", blocking.into_iter().map(say)).map(Err)
}

fn problems(code: &str, list: impl IntoIterator<Item = String>) -> Result<Response, ApiError> {
    let list: Vec<String> = list.into_iter().collect();
    Response::from_json(&json!({ "error": code, "problems": list }))
        .map(|r| r.with_status(422))
        .map_err(|_| ApiError::Internal)
}

/// `ADMIN_TOKEN` as a bearer token, compared in constant time.
fn authorize(req: &Request, env: &Env) -> Result<(), ApiError> {
    let Some(token) = crate::config::setting(env, "ADMIN_TOKEN") else {
        return Err(ApiError::NotFound);
    };
    let given = req
        .headers()
        .get("Authorization")
        .ok()
        .flatten()
        .unwrap_or_default();
    let given = given.strip_prefix("Bearer ").unwrap_or_default();
    if constant_time_eq(given.as_bytes(), token.as_bytes()) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Stores the document as a new version unless it equals the latest (`previous`).
async fn store(
    db: &D1Database,
    at: &str,
    which: Doc,
    doc: &str,
    previous: Option<(i64, String)>,
    warnings: &[String],
) -> Result<Response, ApiError> {
    if let Some((v, _)) = previous.as_ref().filter(|(_, d)| d == doc) {
        return Response::from_json(
            &json!({ "version": v, "unchanged": true, "warnings": warnings }),
        )
        .map_err(|_| ApiError::Internal);
    }
    let version = previous.map_or(1, |(v, _)| v + 1);
    clinic::insert(db, which, version, doc, at)?
        .run()
        .await
        .map_err(db_err("admin_write"))?;
    worker::console_log!("admin stored document={} version={version}", which.name());
    Response::from_json(&json!({ "version": version, "unchanged": false, "warnings": warnings }))
        .map(|r| r.with_status(201))
        .map_err(|_| ApiError::Internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(!constant_time_eq(b"", b"a"));
    }
}
