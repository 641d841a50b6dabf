//! Every regular expression of the redactor, as text, in one place: `build.rs` compiles them to
//! DFAs ahead of time (it includes this file), so a Worker deserialises finished automata at
//! start instead of parsing and compiling patterns on every cold start. The recognizers name
//! the compiled forms by the `name`s below; the tests compile the same text with a regex engine
//! and check both find the same spans.
//!
//! This file may use only `std`: the build script compiles it on its own.

/// How a set of patterns is searched, which decides what `build.rs` compiles it to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Search {
    /// Leftmost-first matches, as a regex finds them; several patterns behave as their
    /// alternation in order, and a match says which pattern it is.
    Find,
    /// Every end of an anchored match from a given start (`MatchKind::All`: every match, no
    /// priorities).
    EndsFrom,
    /// Every start of an anchored match that ends at a given end, searched backwards.
    StartsTo,
}

/// A named set of patterns.
#[derive(Debug, Clone)]
pub struct Spec {
    pub name: &'static str,
    pub patterns: Vec<String>,
    pub search: Search,
}

fn spec(name: &'static str, search: Search, patterns: &[&str]) -> Spec {
    Spec {
        name,
        patterns: patterns.iter().map(|p| (*p).to_string()).collect(),
        search,
    }
}

const STATES: &str = "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR";
const MONTH_EN: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
const MONTH_ES: &str = r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|sep?tiembre|octubre|noviembre|diciembre)";
/// French and Portuguese month names, written after the day ("5 avril", "12 de março"), and
/// Russian ones as they are typed in Latin letters, in the genitive ("10 aprelya", "3 sentjabrja"),
/// but for "marta" and "maya", which are names too ("see you at 3 Maya").
/// Cyrillic ones are matched by `phi::date` (an ASCII word boundary cannot end a Cyrillic word).
const MONTH_OTHER: &str = r"(?:janvier|f[eé]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[eé]cembre|janeiro|fevereiro|mar[cç]o|maio|junho|julho|setembro|outubro|novembro|dezembro|yanvar[yj]a|fevral[yj]a|aprel[yj]a|iyun[yj]a|iyul[yj]a|avgusta|sent[yj]abr[yj]a|okt[yj]abr[yj]a|no[yj]abr[yj]a|dekabr[yj]a)";

/// The words an ID number follows, and the filler allowed between them and the value.
const ID_CONTEXT: &str = r"member(?:ship)?|mbr|mrn|medical[ ]+record|med[ ]+rec|chart|patient|policy|p[oó]liza|licen[cs]e|dl|account|acct|a/c|gift[ ]?card|gc|voucher|certificate|confirmation|conf|insurance|insurer|subscriber|group|grp|claim|id|s[oó]cio|cuenta|expediente|afiliado|reference|ref|record|case|rx|prescription|receta|paciente|patient|miembro|membres[ií]a|cliente|client|invoice|factura|receipt|recibo|s[oó]cia|membre|adh[eé]rent|refund|reembolso|booking|reserva|code|c[oó]digo|order|pedido|orden|referral|promo(?:[ ]card)?|e-?gift(?:[ ]?card)?|tarjeta[ ]+de[ ]+regalo|certificado|coupon|cup[oó]n|c[oó]digo[ ]+de[ ]+regalo|vale[ ]+promocional|vale[ ]+de[ ]+regalo|paquete|compte|carte[ ]+cadeau|cart[aã]o[ ]+presente|vale-presente|card[ ]+(?:no\.?|number|num|#)|conta|cadastro|prontu[aá]rio|matr[ií]cula|dossier|kont|n[uú]mero[ ]+de[ ]+(?:cliente|socio|s[oó]ci[oa]|membro)";
/// National identity and travel documents, named by the cue people write before the number:
/// Brazil's CPF, RG and CNPJ, Mexico's CURP and RFC, Spain's DNI, NIE and NIF, and a passport in
/// English, Spanish, Portuguese and French. Each is an identifier of the patient, like a licence.
const NATIONAL_ID: &str =
    r"cpf|rg|cnpj|curp|rfc|dni|nie|nif|passport|pasaporte|passaporte|passeport";
/// A word that begins another ("de" of "del", "num" of "numero") comes after it: the regex tries
/// alternatives in order and nothing marks a filler's end, so "cuenta del 12345" once matched as
/// "cuenta de" plus the value "l".
const ID_FILLER: &str = r"(?:number|n[uú]mero|num|nbr|no\.?|n°|nº|#|id|is|was|es|el|del|de|code|c[oó]digo|:|-|card|with|us|here|my|mi|su|our|your|the|regalo|promocional|é|minha|mwen)";
/// Dotted digit groups first, as Brazil writes its CPF, RG and CNPJ ("392.481.706-55",
/// "12.345.678-9", "12.345.678/0001-95"): groups of three after the first, so a price or a
/// version ("45.00", "1.2.3") never takes this form. Then spaced digit groups ("1234 5678
/// 9012"), then one alphanumeric token ("A1234567").
pub const ID_VALUE: &str = r"(?:[0-9]{1,3}(?:\.[0-9]{3}){2,3}(?:/[0-9]{4})?(?:-[0-9A-Za-z]{1,2})?|[0-9]{3,}(?:[ -][0-9]{3,}){1,4}|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)";

/// The ID pattern up to its value: context word, filler, and an issuer prefix in capitals
/// ("UHC 904417723").
pub fn id_lead() -> String {
    format!(
        r"(?i)(?-u:\b)(?:{ID_CONTEXT}|{NATIONAL_ID})(?-u:\b)\.?(?:[ ]*{ID_FILLER}){{0,4}}[ ]*(?:(?-i:[A-Z]{{2,5}})[ ])?"
    )
}

/// The street address patterns: the street core in three forms (number and name with a street
/// type, "Broadway", Spanish "calle ... #"), and the unit, city, state and ZIP that may follow,
/// matched by a second, anchored pattern so that large part is compiled once.
fn address() -> Vec<Spec> {
    let suffix = r"(?i-u:street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|circle|cir|parkway|pkwy|highway|hwy|terrace|ter|trail|trl|square|sq|loop|plaza|plz|alley|crescent|cres|pike|run|path|walk|expressway|expy|freeway|fwy)";
    let dir = r"(?i-u:[NSEW]\.?|north|south|east|west|N\.?[EW]\.?|S\.?[EW]\.?)";
    let word = r"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9'.-]*";
    let unit = r"(?:,?[ ]*(?i-u:apt|apartment|unit|suite|ste|bldg|building|fl|floor|rm|room|#)\.?[ ]*#?[ ]*[A-Za-z0-9-]{1,6})";
    let city = r"(?:[A-Z][A-Za-z]+(?:[ ][A-Z][A-Za-z]+){0,2})";
    let zip = r"[0-9]{5}(?:-[0-9]{4})?";
    let state = format!(r"(?:{STATES})");
    let tail = format!(
        r"(?:,?[ ]+{city},?[ ]+{state}(?:[ ]+{zip})?|,?[ ]+{state}[ ]+{zip}|,?[ ]+{zip}|,[ ]*{city})?"
    );
    vec![
        Spec {
            name: "ADDRESS_STREET",
            patterns: vec![
                format!(
                    r"(?-u:\b)[0-9]{{1,6}}[A-Za-z]?[ ]+(?:{dir}[ ]+)?(?:{word}[ ]+){{0,3}}?{word}[ ]+{suffix}(?-u:\b)\.?(?:[ ]+{dir}(?-u:\b))?"
                ),
                r"(?-u:\b)[0-9]{1,6}[ ]+Broadway(?-u:\b)".to_string(),
                format!(
                    r"(?-u:\b)(?i:calle|avenida|av\.|carrera|cra\.?)[ ]+(?:{word}[ ]+){{0,2}}?#?[ ]*[0-9]{{1,5}}(?:-[0-9]{{1,4}})?"
                ),
            ],
            search: Search::Find,
        },
        Spec {
            name: "ADDRESS_REST",
            patterns: vec![format!(r"^{unit}?{tail}")],
            search: Search::Find,
        },
        spec(
            "ADDRESS_PO_BOX",
            Search::Find,
            &[r"(?i:p\.?[ ]?o\.?[ ]*box)[ ]+[0-9]{1,6}"],
        ),
        Spec {
            name: "ADDRESS_CITY_ZIP",
            patterns: vec![format!(r"{city},[ ]*{state}[ ]+{zip}(?-u:\b)")],
            search: Search::Find,
        },
        spec(
            "ADDRESS_ZIP",
            Search::Find,
            &[r"(?-u:\b)[0-9]{5}(?:-[0-9]{4})?(?-u:\b)"],
        ),
    ]
}

fn date() -> Vec<Spec> {
    let ord = r"(?:st|nd|rd|th)?";
    let year = r"(?:,?[ ]*(?:[0-9]{4}|'[0-9]{2})|-[0-9]{2,4})";
    vec![
        // In order: ISO (with an optional time), y/m/d, d-m-y in any of three separators,
        // month/year, month/day. A match says which form it is; the recognizer reads the
        // numbers from its text.
        spec(
            "DATE_NUMERIC",
            Search::Find,
            &[
                r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?",
                // Korea writes a space after each dot and ends with one: "1987. 9. 23.".
                r"[0-9]{4}(?:/[0-9]{1,2}/|\.[0-9]{1,2}\.)[0-9]{1,2}|[0-9]{4}\.[ ][0-9]{1,2}\.[ ][0-9]{1,2}\.?",
                r"[0-9]{1,2}(?:/[0-9]{1,2}/|-[0-9]{1,2}-|\.[0-9]{1,2}\.)(?:[0-9]{4}|[0-9]{2})",
                r"[0-9]{1,2}/(?:19|20)[0-9]{2}",
                r"[0-9]{1,2}/[0-9]{1,2}",
            ],
        ),
        Spec {
            name: "DATE_WRITTEN",
            patterns: vec![format!(
                r"(?i)(?:{MONTH_EN}\.?[ -]?[0-9]{{1,2}}{ord}(?-u:\b){year}?|(?:(?:the|el)[ ]+)?[0-9]{{1,2}}{ord}(?:[ -]|[ ]+of[ ]+){MONTH_EN}(?-u:\b)\.?{year}?|{MONTH_EN}\.?(?:[ -]|,[ ]?)(?:19|20)[0-9]{{2}}|[0-9]{{1,2}}[ ]+de[ ]+{MONTH_ES}(?:[ ]+(?:de|del)[ ]+[0-9]{{4}})?|{MONTH_ES}[ ]+[0-9]{{1,2}}(?:,?[ ]+(?:de|del)?[ ]*[0-9]{{4}})?|[0-9]{{1,2}}(?:er)?[ ]+(?:de[ ]+)?{MONTH_OTHER}(?:[ ]+(?:de[ ]+)?[0-9]{{4}})?|(?:the|el)[ ]+[0-9]{{1,2}}(?:st|nd|rd|th))(?-u:\b)"
            )],
            search: Search::Find,
        },
    ]
}

fn id() -> Vec<Spec> {
    vec![
        Spec {
            name: "ID_CONTEXT",
            patterns: vec![format!(r"{}{ID_VALUE}(?-u:\b)", id_lead())],
            search: Search::Find,
        },
        // The value's bounds inside a match: where the lead may end, and where a value ending
        // at the match's end may start.
        Spec {
            name: "ID_LEAD",
            patterns: vec![id_lead()],
            search: Search::EndsFrom,
        },
        // Case-insensitive as in ID_CONTEXT, where the value follows the lead's (?i): there
        // [A-Za-z] also matches the letters that fold to ASCII ones ("ſ", the Kelvin sign).
        Spec {
            name: "ID_VALUE",
            patterns: vec![format!("(?i){ID_VALUE}")],
            search: Search::StartsTo,
        },
        // A capitalised issuer code, a dash and five or more digits ("VIP-00388",
        // "BCX-99201-7") is an account or member number wherever it stands.
        spec(
            "ID_CODED",
            Search::Find,
            &[r"(?-u:\b)[A-Z]{1,5}-[0-9]{5,}(?:-[0-9A-Z]{1,4})?(?-u:\b)"],
        ),
    ]
}

fn url() -> Vec<Spec> {
    // The bare form needs a TLD people actually type, so "e.g." or "3.5" never match; short
    // ones that are also English words ("to", "in", "be", "it", "so") are left out on purpose.
    let tlds = "com|org|net|edu|gov|mil|io|co|ly|me|us|info|biz|app|site|health|spa|clinic|link|page|online|store|shop|ai|tv|gl|gg|ca|uk|il|mx|es|de|fr|au|nz|ie|ru|br|jp|cn|ch|nl|eu|xyz|dev|ws|cc|care|beauty|salon|skin|med|social";
    vec![
        spec(
            "URL_SCHEME",
            Search::Find,
            &[r#"(?i:https?|ftp)://[^\s<>"'\[\]{}|\\^`]+"#],
        ),
        spec(
            "URL_WWW",
            Search::Find,
            &[r#"(?i:www)\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:[/?#][^\s<>"']*)?"#],
        ),
        Spec {
            name: "URL_BARE",
            patterns: vec![format!(
                r#"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.(?i:{tlds})(?-u:\b)(?:[/?#][^\s<>"']*)?"#
            )],
            search: Search::Find,
        },
    ]
}

/// Every pattern set of the redactor.
pub fn specs() -> Vec<Spec> {
    let mut all = vec![
        spec(
            "PHONE_US",
            Search::Find,
            &[r"(?:\+?1[ .-]?)?(?:\([0-9]{3}\) ?|[0-9]{3}[ .-]?)[0-9]{3}[ .-]?[0-9]{4}"],
        ),
        // +44 (20) 7123 4567, +55 11 98456 5666, +33 1 42 68 53 00, +919876543210
        spec(
            "PHONE_INTL",
            Search::Find,
            &[r"\+[0-9]{1,3}(?:[ .-]?\(?[0-9]{1,5}\)?){1,6}"],
        ),
        // 09-7625400, 090-1234-5678, 13812345678, 555-0132: only with a context word.
        spec(
            "PHONE_LOOSE",
            Search::Find,
            &[r"[0-9](?:[ .-]?[0-9]){6,13}"],
        ),
        // 555-0143: a seven-digit local number written with its dash.
        spec("PHONE_LOCAL", Search::Find, &[r"[0-9]{3}[-.][0-9]{4}"]),
        spec(
            "CARD",
            Search::Find,
            &[
                r"[0-9]{4}(?:[ -][0-9]{4}){2}[ -][0-9]{1,7}|[0-9]{4}[ -][0-9]{6}[ -][0-9]{4,5}|[0-9]{13,19}",
            ],
        ),
        spec(
            "SSN",
            Search::Find,
            &[r"[0-9]{3}[ .-]?[0-9]{2}[ .-]?[0-9]{4}"],
        ),
        spec(
            "EMAIL",
            Search::Find,
            &[
                r"[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]",
            ],
        ),
        spec(
            "IP_V4",
            Search::Find,
            &[r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}"],
        ),
        spec(
            "IP_V6",
            Search::Find,
            &[r"[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.[0-9]{1,3}){0,3}(?:%[A-Za-z0-9]+)?"],
        ),
        spec(
            "PLACEHOLDER",
            Search::Find,
            &[r"\[(?:NAME|PHONE|EMAIL|DATE|ADDRESS|SSN|CARD|ID|URL|IP)_[0-9]+\]"],
        ),
    ];
    all.extend(address());
    all.extend(date());
    all.extend(id());
    all.extend(url());
    all
}
