//! ID: member, medical record (MRN), insurance policy, licence, account, gift-card and
//! confirmation numbers. A bare number is not an ID ("order 12345", "20 units"): the value must
//! follow one of the context words, with only filler ("number", "#", ":", "is") between.

use super::pattern::{compiled, Bounds, Pattern};
use super::span::{ceil_boundary, Candidate};
use super::PhiKind;

pub struct IdRecognizer {
    re: Pattern,
    lead: Bounds,
    value: Bounds,
    coded: Pattern,
}

impl IdRecognizer {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self {
            re: Pattern::load(&compiled::ID_CONTEXT),
            lead: Bounds::forward(&compiled::ID_LEAD),
            value: Bounds::reverse(&compiled::ID_VALUE),
            coded: Pattern::load(&compiled::ID_CODED),
        }
    }

    pub fn find(&self, text: &str, out: &mut Vec<Candidate>) {
        let mut at = 0;
        while let Some(m) = self.re.find_at(text, at) {
            let (s, e) = (m.start(), m.end());
            // The value is the match's tail after the context word and filler: of the places
            // where the lead may end and a value ending at the match's end may start, the last
            // (the regex's greedy filler reads as much as it can).
            let ends = self.lead.ends_from(text, s, e);
            let starts = self.value.starts_to(text, s, e);
            // A rejected match may hide a real one inside it: look again from its next char.
            at = ceil_boundary(text, s + 1);
            let split = starts.into_iter().find(|j| ends.contains(j));
            let Some((vs, v)) = split.and_then(|vs| Some((vs, text.get(vs..e)?))) else {
                continue;
            };
            let n_digits = v.bytes().filter(u8::is_ascii_digit).count();
            // Four digits, or a coded value with letters and a dash ("REF-AROM22").
            let coded = v.contains('-') && n_digits >= 2 && v.len() >= 6;
            if !(n_digits >= 4 || coded) || v.len() < 4 {
                continue;
            }
            out.push(Candidate::new(PhiKind::Id, vs, e, "id_context", 0.85));
            at = e.max(at);
        }
        for m in self.coded.find_iter(text) {
            out.push(Candidate::new(
                PhiKind::Id,
                m.start(),
                m.end(),
                "id_coded",
                0.7,
            ));
        }
    }
}
