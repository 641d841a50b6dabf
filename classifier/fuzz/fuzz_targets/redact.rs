//! Fuzzes redaction with arbitrary UTF-8: it must never panic, spans must be sorted, disjoint
//! and on char boundaries, and redacting the output again must change nothing.
#![no_main]

use classifier::Redactor;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static R: OnceLock<Redactor> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let r = R.get_or_init(Redactor::new);
    let out = r.redact(text);
    let mut last = 0;
    for f in &out.findings {
        assert!(f.start < f.end && f.start >= last);
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        last = f.end;
    }
    let again = r.redact(&out.text);
    assert_eq!(again.text, out.text);
});
