//! The clinic's front desk: the conversation workflow's rules, free of transport and storage.
//!
//! The Worker's Durable Object loads the facts (is the message stored, the consent state, the
//! history), calls this crate, and executes the plan it returns (rows to write, replies to
//! answer with, audit entries, work to finish later). Nothing here reads a clock, draws a random
//! number or touches I/O: they come in as arguments, so every rule is tested natively.
//! Dependencies point one way: `worker` -> `desk` -> `classifier`.

pub mod audit;
pub mod autoreply;
pub mod backoff;
pub mod clinic;
pub mod consent;
pub mod inbound;
pub mod lint;
pub mod outbound;
pub mod outbox;
pub mod pace;
pub mod pending;
pub mod sender;
pub mod templates;
pub mod triage;
