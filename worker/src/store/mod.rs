//! D1 access. Every statement is prepared with positional binds; every write of one webhook goes
//! in one `batch` (a single transaction), so a request either stores everything or nothing.
//! The schema is in `migrations/` (append-only; README "Storage").

pub mod audit;
pub mod consent;
pub mod identity;
pub mod messages;
pub mod outbox;
pub mod pending;
pub mod rejected;
pub mod status;
pub mod triage;

use worker::wasm_bindgen::JsValue;

use crate::error::ApiError;

pub use worker::D1Database;

/// Binds text.
pub(crate) fn text(s: &str) -> JsValue {
    JsValue::from_str(s)
}

/// Binds optional text as NULL when absent.
pub(crate) fn opt_text(s: Option<&str>) -> JsValue {
    s.map_or(JsValue::NULL, JsValue::from_str)
}

/// Binds a small integer. D1 takes JS numbers; INTEGER column affinity stores them as integers.
pub(crate) fn int(n: i64) -> JsValue {
    JsValue::from_f64(n as f64)
}

/// Storage errors never carry row contents into logs: only the statement's purpose.
pub(crate) fn db_err(what: &'static str) -> impl Fn(worker::Error) -> ApiError {
    move |e| {
        worker::console_error!("d1 error op={what} err={}", redact(&e.to_string()));
        ApiError::Internal
    }
}

/// D1 error messages can quote bound values (a UNIQUE violation names the column, not the value,
/// but be safe): keep only the first words, and drop anything with digits or a plus sign.
fn redact(msg: &str) -> String {
    msg.split_whitespace()
        .take(8)
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit() || c == '+'))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `sql`, a `SELECT 1 ... WHERE <key> = ?1`, finds a row for `key`: the replay checks
/// (a stored MessageSid, an existing verdict) all have this shape. `ops` names the bind and the
/// read in error logs.
pub(crate) async fn row_exists(
    db: &D1Database,
    sql: &str,
    key: &str,
    ops: (&'static str, &'static str),
) -> Result<bool, ApiError> {
    let row: Option<serde_json::Value> = db
        .prepare(sql)
        .bind(&[text(key)])
        .map_err(db_err(ops.0))?
        .first(None)
        .await
        .map_err(db_err(ops.1))?;
    Ok(row.is_some())
}

/// Whether D1 answers a trivial query (for /health).
pub async fn reachable(db: &D1Database) -> bool {
    db.prepare("SELECT 1 AS ok")
        .first::<serde_json::Value>(None)
        .await
        .map(|v| v.is_some())
        .unwrap_or(false)
}
