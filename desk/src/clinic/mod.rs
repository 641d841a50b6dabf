//! The clinic's facts (`facts`), the validation that turns the clinic's JSON document into them
//! (`validate`), and the matcher that finds a message's slots in them (`matcher`): which
//! service, product or location it names, and which day.

pub mod facts;
pub mod matcher;
pub mod validate;
mod words;

pub use facts::{ClinicFacts, Lang};
pub use matcher::Slots;
