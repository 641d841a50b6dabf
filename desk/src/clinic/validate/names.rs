//! Checks across a list: ids unique, and no word (name or synonym, folded as the matcher folds
//! it) naming two entries, because the matcher could then only answer "ambiguous" for a word
//! the clinic meant to be clear.

use std::collections::BTreeMap;

use super::error::{quote, Problem};
use super::read::{Path, Report};
use crate::clinic::words::term_key;

/// An entry's id (if it was valid) and where it was written.
pub(crate) struct Entry<'a> {
    pub id: Option<&'a str>,
    pub path: Path,
}

/// Reports every id after its first use, pointing at the first.
pub(crate) fn unique_ids(report: &mut Report, entries: &[Entry<'_>]) {
    let mut first: BTreeMap<&str, &Path> = BTreeMap::new();
    for e in entries {
        let Some(id) = e.id else { continue };
        match first.get(id) {
            Some(at) => report.fail(
                &e.path.key("id"),
                Problem::Duplicate {
                    first: at.key("id").as_str().to_string(),
                },
            ),
            None => {
                first.insert(id, &e.path);
            }
        }
    }
}

/// A word that names an entry: its text and where it was written.
pub(crate) struct Term<'a> {
    pub text: &'a str,
    pub path: Path,
}

/// Reports each term that folds to one already naming another entry, naming both. Repeats
/// within one entry ("botox" and "Bótox" on the same service) are harmless and allowed.
pub(crate) fn unshared_terms(report: &mut Report, entries: &[(Option<&str>, Vec<Term<'_>>)]) {
    let mut owner: BTreeMap<String, (usize, &Path)> = BTreeMap::new();
    for (n, (_, terms)) in entries.iter().enumerate() {
        for term in terms {
            let key = term_key(term.text);
            if key.is_empty() {
                continue;
            }
            match owner.get(&key) {
                Some((m, at)) if *m != n => report.fail(
                    &term.path,
                    Problem::SharedTerm {
                        term: quote(term.text),
                        other_id: entries[*m].0.unwrap_or("?").to_string(),
                        other_path: at.as_str().to_string(),
                    },
                ),
                Some(_) => {}
                None => {
                    owner.insert(key, (n, &term.path));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(list: &str, i: usize) -> Path {
        Path::root().key(list).index(i)
    }

    #[test]
    fn duplicate_ids_point_at_the_first() {
        let mut r = Report::default();
        let entries = [
            Entry {
                id: Some("a"),
                path: path("services", 0),
            },
            Entry {
                id: None,
                path: path("services", 1),
            },
            Entry {
                id: Some("b"),
                path: path("services", 2),
            },
            Entry {
                id: Some("a"),
                path: path("services", 3),
            },
        ];
        unique_ids(&mut r, &entries);
        assert_eq!(r.errors.len(), 1);
        assert_eq!(r.errors[0].path, "services[3].id");
        assert_eq!(
            r.errors[0].problem,
            Problem::Duplicate {
                first: "services[0].id".to_string()
            }
        );
    }

    #[test]
    fn a_term_shared_by_two_entries_names_both() {
        let mut r = Report::default();
        let syn = |i: usize, j: usize| path("services", i).key("synonyms").key("en").index(j);
        let entries = vec![
            (
                Some("neurotoxin"),
                vec![
                    Term {
                        text: "Botox",
                        path: syn(0, 0),
                    },
                    Term {
                        text: "bótox",
                        path: syn(0, 1),
                    },
                ],
            ),
            (
                Some("lip_flip"),
                vec![
                    Term {
                        text: "lip flip",
                        path: syn(1, 0),
                    },
                    Term {
                        text: "BOTOX",
                        path: syn(1, 1),
                    },
                ],
            ),
        ];
        unshared_terms(&mut r, &entries);
        assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
        assert_eq!(r.errors[0].path, "services[1].synonyms.en[1]");
        assert_eq!(
            r.errors[0].problem,
            Problem::SharedTerm {
                term: "BOTOX".to_string(),
                other_id: "neurotoxin".to_string(),
                other_path: "services[0].synonyms.en[0]".to_string(),
            }
        );
        let shown = r.errors[0].problem.to_string();
        assert!(
            shown.contains("neurotoxin") && shown.contains("services[0].synonyms.en[0]"),
            "{shown}"
        );
    }
}
