//! The clinic's documents, loaded by its operator: `PUT /admin/clinic` (the facts) and
//! `PUT /admin/templates` (the reply template set), each with `Authorization: Bearer
//! <ADMIN_TOKEN>`. A document is validated by `desk` before it is stored: the facts field by
//! field, the templates against the facts with every rendering put through the content linter.
//! A change is a new version (the same document again is a no-op), and replies record the
//! versions they were rendered from. Without `ADMIN_TOKEN` these routes do not exist.

use serde_json::json;
use sha2::{Digest, Sha256};
use worker::{Env, Request, Response};

use crate::clinic::TEMPLATE_SET;
use crate::error::ApiError;
use crate::store::{db_err, int, text, D1Database};
use desk::autoreply::{blocks_saving, lint_templates, Clinic};
use desk::templates::TemplateSet;

/// Documents are small (the example clinic is about 16 KB).
const MAX_DOCUMENT_BYTES: usize = 256 * 1024;

/// Which document a request loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    Clinic,
    Templates,
}

/// An answer this module builds itself: a 422 lists the document's problems (the clinic's own
/// text, never a patient's), which a bare error code cannot.
pub async fn put(req: &mut Request, env: &Env, which: Document) -> Result<Response, ApiError> {
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
    match which {
        Document::Clinic => {
            let facts = match desk::clinic::validate::parse(&doc) {
                Ok(f) => f,
                Err(e) => return problems("invalid_clinic_facts", e.iter().map(|p| p.to_string())),
            };
            let mut warnings = Vec::new();
            if let Some((tv, set_doc)) = latest(&db, TEMPLATES_LATEST).await? {
                let set =
                    TemplateSet::parse(&set_doc, tv as u32).map_err(|_| ApiError::Internal)?;
                match lint(facts, set, today)? {
                    Ok(w) => warnings = w,
                    Err(refusal) => return Ok(refusal),
                }
            }
            store(&db, &at, Document::Clinic, &doc, &warnings).await
        }
        Document::Templates => {
            let Some((_, facts_doc)) = latest(&db, FACTS_LATEST).await? else {
                return problems(
                    "no_clinic_facts",
                    ["load the clinic's facts (PUT /admin/clinic) before its templates".into()],
                );
            };
            let facts =
                desk::clinic::validate::parse(&facts_doc).map_err(|_| ApiError::Internal)?;
            let next = latest(&db, TEMPLATES_LATEST)
                .await?
                .map_or(1, |(v, _)| v + 1);
            let set = match TemplateSet::parse(&doc, next as u32) {
                Ok(s) => s,
                Err(e) => return problems("invalid_templates", [e.to_string()]),
            };
            match lint(facts, set, today)? {
                Ok(warnings) => store(&db, &at, Document::Templates, &doc, &warnings).await,
                Err(refusal) => Ok(refusal),
            }
        }
    }
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
    let Some(token) = env
        .secret("ADMIN_TOKEN")
        .map(|s| s.to_string())
        .or_else(|_| env.var("ADMIN_TOKEN").map(|v| v.to_string()))
        .ok()
        .filter(|t| !t.trim().is_empty())
    else {
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

const FACTS_LATEST: &str =
    "SELECT version, document FROM clinic_facts ORDER BY version DESC LIMIT 1";
const TEMPLATES_LATEST: &str =
    "SELECT version, body AS document FROM templates WHERE name = 'reply_set' \
     ORDER BY version DESC LIMIT 1";

async fn latest(db: &D1Database, sql: &str) -> Result<Option<(i64, String)>, ApiError> {
    #[derive(serde::Deserialize)]
    struct Row {
        version: f64,
        document: String,
    }
    let row: Option<Row> = db
        .prepare(sql)
        .first(None)
        .await
        .map_err(db_err("admin_read"))?;
    Ok(row.map(|r| (r.version as i64, r.document)))
}

/// Stores the document as a new version unless it equals the latest.
async fn store(
    db: &D1Database,
    at: &str,
    which: Document,
    doc: &str,
    warnings: &[String],
) -> Result<Response, ApiError> {
    let sql = match which {
        Document::Clinic => FACTS_LATEST,
        Document::Templates => TEMPLATES_LATEST,
    };
    let previous = latest(db, sql).await?;
    if let Some((v, _)) = previous.as_ref().filter(|(_, d)| d == doc) {
        return Response::from_json(
            &json!({ "version": v, "unchanged": true, "warnings": warnings }),
        )
        .map_err(|_| ApiError::Internal);
    }
    let version = previous.map_or(1, |(v, _)| v + 1);
    let statement = match which {
        Document::Clinic => db
            .prepare(
                "INSERT INTO clinic_facts (version, sha256, document, created_at) \
                 VALUES (?1, ?2, ?3, ?4)",
            )
            .bind(&[
                int(version),
                text(&hex::encode(Sha256::digest(doc.as_bytes()))),
                text(doc),
                text(at),
            ]),
        Document::Templates => db
            .prepare(
                "INSERT INTO templates (name, version, body, created_at) VALUES (?1, ?2, ?3, ?4)",
            )
            .bind(&[text(TEMPLATE_SET), int(version), text(doc), text(at)]),
    }
    .map_err(db_err("admin_bind"))?;
    statement.run().await.map_err(db_err("admin_write"))?;
    worker::console_log!(
        "admin stored document={} version={version}",
        match which {
            Document::Clinic => "clinic_facts",
            Document::Templates => "templates",
        }
    );
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
