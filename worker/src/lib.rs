//! The Worker: Twilio SMS/MMS/WhatsApp webhooks in, consent-checked TwiML out, everything stored in
//! D1 (bodies encrypted) before the answer goes out. Routes are in `routes`; each conversation is
//! serialised by its Durable Object (`conversation_do`).
//!
//! Every non-keyword message is triaged in the conversation's object after it is stored (the
//! classifier, intent model included, runs in the Worker: no person or outside service sees the
//! text first); `triage` holds the Worker's side of it.
//!
//! Pure logic (signatures, parsing, consent, the outbound gate, crypto, status order, triage
//! records) lives in modules that build and test natively; only `routes`, `store` and
//! `conversation_do` call JS.

pub mod admin;
pub mod clinic;
pub mod config;
// The workflow's rules live in `desk`; these paths keep the edge's modules short.
pub use desk::{consent, outbound, triage};
pub mod conversation_do;
pub mod crypto;
pub mod error;
pub mod identity;
pub mod pace_do;
pub mod respond;
pub mod routes;
pub mod sender;
pub mod store;
pub mod twilio;

use worker::{event, Context, Env, Request, Response, Result};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    routes::handle(req, env).await
}
