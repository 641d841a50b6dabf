//! Aho-Corasick automata built by `build.rs` (`build/phrase_automaton.rs`) as static tables, so a
//! Worker's cold start builds nothing for them (the emergency phrases, `urgency::automaton`): the
//! search over a generated table set, read through the `Tables` impl the generator writes.
//!
//! Overlapping matches are reported as aho-corasick's standard overlapping search reports them:
//! by end position, and at one end position in the state's output order (longest pattern first,
//! then the patterns that are suffixes of it).

/// A generated table set, read through its accessors (each an index, 0 past the table's end).
pub(crate) trait Tables {
    fn root(b: usize) -> usize;
    fn trans_start(s: usize) -> usize;
    fn trans_bytes(lo: usize, hi: usize) -> Option<&'static [u8]>;
    fn trans_to(i: usize) -> usize;
    fn fail(s: usize) -> usize;
    fn out_start(s: usize) -> usize;
    fn out(k: usize) -> usize;
    fn outputs() -> usize;
    fn len(p: usize) -> usize;
}

/// One pattern found: its number among the non-empty patterns, and its byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub pattern: usize,
    pub start: usize,
    pub end: usize,
}

/// Every occurrence of every pattern in `text`, overlapping ones included.
pub(crate) fn find_overlapping<T: Tables>(text: &[u8]) -> Vec<Hit> {
    let mut hits = Vec::new();
    let mut state = 0usize;
    for (i, &b) in text.iter().enumerate() {
        state = next::<T>(state, b);
        let lo = T::out_start(state);
        let hi = T::out_start(state + 1);
        for k in lo..hi.min(T::outputs()) {
            let pattern = T::out(k);
            let len = T::len(pattern);
            hits.push(Hit {
                pattern,
                start: (i + 1).saturating_sub(len),
                end: i + 1,
            });
        }
    }
    hits
}

/// The state after reading `b` in `state`, following failure links.
fn next<T: Tables>(mut state: usize, b: u8) -> usize {
    loop {
        if state == 0 {
            return T::root(usize::from(b));
        }
        let lo = T::trans_start(state);
        let hi = T::trans_start(state + 1);
        if let Some(bytes) = T::trans_bytes(lo, hi) {
            if let Ok(k) = bytes.binary_search(&b) {
                return T::trans_to(lo + k);
            }
        }
        state = T::fail(state);
    }
}

/// A generated table's entry as an index, or 0 (the root) past its end. The tables are
/// consistent by construction and a test walks every entry, so the fallback only keeps a broken
/// build from panicking on a patient's message; it is not a promise about what such a build
/// would find.
pub(crate) fn at<T: Copy>(table: &[T], i: usize) -> usize
where
    usize: TryFrom<T>,
{
    table
        .get(i)
        .and_then(|&v| usize::try_from(v).ok())
        .unwrap_or(0)
}
