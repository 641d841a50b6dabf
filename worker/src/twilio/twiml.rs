//! TwiML answers. Only `outbound::Cleared` messages can be put in one, so every reply has passed
//! the consent gate (see `outbound`).

use crate::outbound::Cleared;

const XML_DECL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

/// `<Response/>` with one `<Message>` per cleared reply; empty when there is nothing to say.
pub fn response(messages: &[Cleared]) -> String {
    if messages.is_empty() {
        return format!("{XML_DECL}<Response/>");
    }
    let mut out = format!("{XML_DECL}<Response>");
    for m in messages {
        out.push_str("<Message>");
        out.push_str(&escape(m.body()));
        out.push_str("</Message>");
    }
    out.push_str("</Response>");
    out
}

/// Escapes text for element content and attributes, and drops characters XML 1.0 forbids (most
/// C0 controls), which would otherwise make Twilio reject the whole document.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_controls() {
        assert_eq!(
            escape("a<b>&\"c'\u{0}\u{7}\n"),
            "a&lt;b&gt;&amp;&quot;c&apos;\n"
        );
        assert_eq!(escape("Reply STOP ✓"), "Reply STOP ✓");
    }

    #[test]
    fn empty_response_is_self_closing() {
        assert_eq!(
            response(&[]),
            r#"<?xml version="1.0" encoding="UTF-8"?><Response/>"#
        );
    }
}
