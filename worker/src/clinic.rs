//! The clinic's facts and reply templates as the Worker serves them: stored in D1 as versions
//! (`PUT /admin/clinic`, `PUT /admin/templates`), validated by `desk` when saved and again when
//! loaded, and kept parsed in the isolate per version, so a message costs one small read (the
//! latest version numbers) rather than a parse of both documents.

use std::cell::RefCell;
use std::rc::Rc;

use serde::Deserialize;
use sha2::Digest;
use worker::D1Database;

use crate::error::ApiError;
use crate::store::{db_err, int, text};
use desk::autoreply::Clinic;
use desk::templates::TemplateSet;

/// The template set's name in the `templates` table (versioned rows, migration 0001).
pub const TEMPLATE_SET: &str = "reply_set";

thread_local! {
    /// (facts version, template version, the clinic built from them). Workers run one thread
    /// per isolate, so this is the isolate's cache.
    static CACHE: RefCell<Option<(i64, i64, Rc<Clinic>)>> = const { RefCell::new(None) };
}

#[derive(Deserialize)]
struct Latest {
    facts: Option<f64>,
    templates: Option<f64>,
}

/// The statement that reads the latest versions, for a caller's read batch (the inbound path
/// reads them with its other facts, so an automatic reply costs no extra round trip).
pub fn versions_statement(db: &D1Database) -> Result<worker::D1PreparedStatement, ApiError> {
    db.prepare(
        "SELECT (SELECT MAX(version) FROM clinic_facts) AS facts, \
         (SELECT MAX(version) FROM templates WHERE name = ?1) AS templates",
    )
    .bind(&[text(TEMPLATE_SET)])
    .map_err(db_err("clinic_bind"))
}

/// The latest (facts, templates) versions from a result of [`versions_statement`]; `None` until
/// both documents were loaded.
pub fn read_versions(result: &worker::D1Result) -> Result<Option<(i64, i64)>, ApiError> {
    let rows: Vec<Latest> = result.results().map_err(db_err("clinic_decode"))?;
    Ok(match rows.first() {
        Some(Latest {
            facts: Some(f),
            templates: Some(t),
        }) => Some((*f as i64, *t as i64)),
        _ => None,
    })
}

/// The clinic at its latest versions; `None` until both documents were loaded (then every
/// automatic reply goes to a person, with the reason `no_clinic_facts`).
pub async fn load(db: &D1Database) -> Result<Option<Rc<Clinic>>, ApiError> {
    let latest: Option<Latest> = versions_statement(db)?
        .first(None)
        .await
        .map_err(db_err("clinic_read"))?;
    let Some(Latest {
        facts: Some(fv),
        templates: Some(tv),
    }) = latest
    else {
        return Ok(None);
    };
    at_versions(db, Some((fv as i64, tv as i64))).await
}

/// The clinic at these versions: from the isolate's cache when it holds them, else read and
/// parsed once.
pub async fn at_versions(
    db: &D1Database,
    versions: Option<(i64, i64)>,
) -> Result<Option<Rc<Clinic>>, ApiError> {
    let Some((fv, tv)) = versions else {
        return Ok(None);
    };
    if let Some(hit) = CACHE.with(|c| {
        c.borrow()
            .as_ref()
            .filter(|(f, t, _)| *f == fv && *t == tv)
            .map(|(_, _, clinic)| clinic.clone())
    }) {
        return Ok(Some(hit));
    }
    let facts_doc = document(db, Doc::Facts, Some(fv)).await?;
    let set_doc = document(db, Doc::Templates, Some(tv)).await?;
    let (Some((_, facts_doc)), Some((_, set_doc))) = (facts_doc, set_doc) else {
        return Ok(None);
    };
    // Both were validated when saved; a failure here means a newer Worker reads an older
    // document differently. Logged by version, never by content; a person answers meanwhile.
    let facts = match desk::clinic::validate::parse(&facts_doc) {
        Ok(f) => f,
        Err(e) => {
            worker::console_error!(
                "stored clinic facts invalid version={fv} problems={}",
                e.len()
            );
            return Ok(None);
        }
    };
    let set = match TemplateSet::parse(&set_doc, tv as u32) {
        Ok(s) => s,
        Err(_) => {
            worker::console_error!("stored template set invalid version={tv}");
            return Ok(None);
        }
    };
    let clinic = match Clinic::new(facts, fv as u32, set) {
        Ok(c) => Rc::new(c),
        Err(e) => {
            worker::console_error!("stored clinic unusable version={fv} problem={e}");
            return Ok(None);
        }
    };
    CACHE.with(|c| *c.borrow_mut() = Some((fv, tv, clinic.clone())));
    Ok(Some(clinic))
}

/// The clinic's two documents, each stored as versions (a change is a new version).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doc {
    Facts,
    Templates,
}

impl Doc {
    pub fn name(self) -> &'static str {
        match self {
            Doc::Facts => "clinic_facts",
            Doc::Templates => "templates",
        }
    }

    /// The document at `version`, or the latest when `version` is `None`, with its version.
    fn select(self, version: Option<i64>) -> (String, Vec<worker::wasm_bindgen::JsValue>) {
        let (table, column, name) = match self {
            Doc::Facts => ("clinic_facts", "document", None),
            Doc::Templates => ("templates", "body", Some(TEMPLATE_SET)),
        };
        let mut binds = Vec::new();
        let mut filter = Vec::new();
        if let Some(n) = name {
            binds.push(text(n));
            filter.push(format!("name = ?{}", binds.len()));
        }
        if let Some(v) = version {
            binds.push(int(v));
            filter.push(format!("version = ?{}", binds.len()));
        }
        let filter = if filter.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", filter.join(" AND "))
        };
        (
            format!(
                "SELECT version, {column} AS document FROM {table} {filter} \
                 ORDER BY version DESC LIMIT 1"
            ),
            binds,
        )
    }
}

#[derive(Deserialize)]
struct Stored {
    version: f64,
    document: String,
}

/// The document at `version`, or the latest when `None`: `(version, text)`.
pub async fn document(
    db: &D1Database,
    which: Doc,
    version: Option<i64>,
) -> Result<Option<(i64, String)>, ApiError> {
    let (sql, binds) = which.select(version);
    let row: Option<Stored> = db
        .prepare(sql)
        .bind(&binds)
        .map_err(db_err("clinic_bind"))?
        .first(None)
        .await
        .map_err(db_err("clinic_read"))?;
    Ok(row.map(|d| (d.version as i64, d.document)))
}

/// The statement storing `doc` as `which`'s `version`.
pub fn insert(
    db: &D1Database,
    which: Doc,
    version: i64,
    doc: &str,
    at: &str,
) -> Result<worker::D1PreparedStatement, ApiError> {
    match which {
        Doc::Facts => db
            .prepare(
                "INSERT INTO clinic_facts (version, sha256, document, created_at) \
                 VALUES (?1, ?2, ?3, ?4)",
            )
            .bind(&[
                int(version),
                text(&hex::encode(sha2::Sha256::digest(doc.as_bytes()))),
                text(doc),
                text(at),
            ]),
        Doc::Templates => db
            .prepare(
                "INSERT INTO templates (name, version, body, created_at) VALUES (?1, ?2, ?3, ?4)",
            )
            .bind(&[text(TEMPLATE_SET), int(version), text(doc), text(at)]),
    }
    .map_err(db_err("clinic_bind"))
}
