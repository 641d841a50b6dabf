//! ID: member, medical record (MRN), insurance policy, licence, account, gift-card and
//! confirmation numbers. A bare number is not an ID ("order 12345", "20 units"): the value must
//! follow one of the context words, with only filler ("number", "#", ":", "is") between.

use super::pattern::Pattern;
use super::span::{ceil_boundary, Candidate};
use super::PhiKind;

pub struct IdRecognizer {
    re: Pattern,
    coded: Pattern,
}

impl IdRecognizer {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        let context = r"member(?:ship)?|mbr|mrn|medical[ ]+record|med[ ]+rec|chart|patient|policy|p[oó]liza|licen[cs]e|dl|account|acct|a/c|gift[ ]?card|gc|voucher|certificate|confirmation|conf|insurance|insurer|subscriber|group|grp|claim|id|socio|cuenta|expediente|afiliado|reference|ref|record|case|rx|prescription|receta|paciente|patient|miembro|membres[ií]a|cliente|client|invoice|factura|receipt|recibo|socia|refund|reembolso|booking|reserva|code|c[oó]digo|order|pedido|orden|referral";
        let filler = r"(?:number|num|nbr|no\.?|n°|nº|#|id|is|was|es|de|del|n[uú]mero|code|c[oó]digo|:|-|card|with|us|here|my|mi|su|our|your|the)";
        // Spaced digit groups first ("1234 5678 9012"), then one alphanumeric token ("A1234567").
        // An issuer prefix in capitals may come first ("UHC 904417723").
        let value = r"(?:(?-i:[A-Z]{2,5})[ ])?(?P<v>[0-9]{3,}(?:[ -][0-9]{3,}){1,4}|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)";
        Self {
            re: Pattern::new(&format!(
                r"(?i)(?-u:\b)(?:{context})(?-u:\b)\.?(?:[ ]*{filler}){{0,4}}[ ]*{value}(?-u:\b)"
            )),
            // A capitalised issuer code, a dash and five or more digits ("VIP-00388",
            // "BCX-99201-7") is an account or member number wherever it stands: no context
            // word needed, since nothing else in a patient's text looks like it.
            coded: Pattern::new(r"(?-u:\b)[A-Z]{1,5}-[0-9]{5,}(?:-[0-9A-Z]{1,4})?(?-u:\b)"),
        }
    }

    pub fn find(&self, text: &str, out: &mut Vec<Candidate>) {
        let mut at = 0;
        while let Some(c) = self.re.captures_at(text, at) {
            let (Some(m), Some(v)) = (c.get(0), c.name("v")) else {
                break;
            };
            // A rejected match may hide a real one inside it: look again from its next char.
            at = ceil_boundary(text, m.start() + 1);
            let s = v.as_str();
            let n_digits = s.bytes().filter(u8::is_ascii_digit).count();
            // Four digits, or a coded value with letters and a dash ("REF-AROM22").
            let coded = s.contains('-') && n_digits >= 2 && s.len() >= 6;
            if !(n_digits >= 4 || coded) || s.len() < 4 {
                continue;
            }
            out.push(Candidate::new(
                PhiKind::Id,
                v.start(),
                v.end(),
                "id_context",
                0.85,
            ));
            at = m.end().max(at);
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
