//! One Durable Object per sender number (`SENDERS`, named `sender:<E.164>`): it hands out send
//! slots in order (`desk::pace`), so all the conversations replying from one number together
//! stay within its rate. The clinic's own numbers are its business contact, not patient data.

use serde::{Deserialize, Serialize};
use worker::{durable_object, DurableObject, Env, Request, Response, Result, State};

/// Where the pacer keeps when its number is next free (epoch milliseconds).
const NEXT_FREE: &str = "next_free_ms";

#[derive(Serialize, Deserialize)]
pub struct Reserve {
    pub per_second: u32,
}

#[derive(Serialize, Deserialize)]
pub struct Reserved {
    /// When the caller may send (epoch milliseconds).
    pub at_ms: i64,
}

#[durable_object]
pub struct SenderPace {
    state: State,
}

impl DurableObject for SenderPace {
    fn new(state: State, _env: Env) -> Self {
        Self { state }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let ask: Reserve = match req.json().await {
            Ok(a) => a,
            Err(_) => return Response::error("bad_request", 400),
        };
        let storage = self.state.storage();
        let now = chrono::DateTime::from_timestamp_millis(worker::js_sys::Date::now() as i64)
            .unwrap_or_default();
        // The object's input gate keeps this read-then-write atomic against the next request.
        let next_free = storage
            .get::<i64>(NEXT_FREE)
            .await
            .ok()
            .flatten()
            .and_then(chrono::DateTime::from_timestamp_millis);
        let slot = desk::pace::reserve(next_free, ask.per_second, now);
        storage
            .put(NEXT_FREE, slot.next_free.timestamp_millis())
            .await?;
        Response::from_json(&Reserved {
            at_ms: slot.at.timestamp_millis(),
        })
    }
}

/// The slot for sending from `number` now: `None` when the pacer cannot be reached (a reply to a
/// patient is not held back for a courtesy limit; the send goes ahead and the failure is logged).
pub async fn reserve(
    env: &Env,
    number: &str,
    per_second: u32,
) -> Option<chrono::DateTime<chrono::Utc>> {
    let stub = env
        .durable_object("SENDERS")
        .and_then(|ns| ns.id_from_name(&format!("sender:{number}"))?.get_stub())
        .ok()?;
    let body = serde_json::to_string(&Reserve { per_second }).ok()?;
    let mut init = worker::RequestInit::new();
    init.with_method(worker::Method::Post)
        .with_body(Some(body.into()));
    let req = Request::new_with_init("https://sender.internal/reserve", &init).ok()?;
    let mut resp = stub.fetch_with_request(req).await.ok()?;
    let r: Reserved = resp.json().await.ok()?;
    chrono::DateTime::from_timestamp_millis(r.at_ms)
}
