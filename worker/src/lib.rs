//! The Worker (filled in by issue 2).
