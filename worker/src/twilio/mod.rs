//! Twilio's side of the wire: signature checks, form parsing, addresses, TwiML, status order.
//! Pure code with native unit tests; nothing here touches a JS API.

pub mod address;
pub mod form;
pub mod signature;
pub mod status;
pub mod twiml;
