//! Table-driven tests, one table per recognizer: positives (what must be found, verbatim) and
//! negatives (what must be left alone) in patients' own wording.

use classifier::{PhiKind, Redactor};
use std::sync::OnceLock;

fn redactor() -> &'static Redactor {
    static R: OnceLock<Redactor> = OnceLock::new();
    R.get_or_init(Redactor::new)
}

/// The (kind, text) pairs found in `text`.
fn found(text: &str) -> Vec<(PhiKind, String)> {
    redactor()
        .redact(text)
        .findings
        .iter()
        .map(|f| (f.kind, text[f.start..f.end].to_owned()))
        .collect()
}

/// Every `(text, expected)` must be found exactly with that kind.
fn positives(kind: PhiKind, cases: &[(&str, &str)]) {
    let mut bad = Vec::new();
    for (text, want) in cases {
        let got = found(text);
        if !got.iter().any(|(k, s)| *k == kind && s == want) {
            bad.push(format!("{text:?}: want {kind:?} {want:?}, got {got:?}"));
        }
    }
    assert!(bad.is_empty(), "missed:\n{}", bad.join("\n"));
}

/// No finding of `kind` (or of any kind with `None`) in each text.
fn negatives(kind: Option<PhiKind>, cases: &[&str]) {
    let mut bad = Vec::new();
    for text in cases {
        let got: Vec<_> = found(text)
            .into_iter()
            .filter(|(k, _)| kind.is_none_or(|x| x == *k))
            .collect();
        if !got.is_empty() {
            bad.push(format!("{text:?}: unexpected {got:?}"));
        }
    }
    assert!(bad.is_empty(), "false positives:\n{}", bad.join("\n"));
}

#[test]
fn phone() {
    positives(
        PhiKind::Phone,
        &[
            ("call me at (415) 555-0132 pls", "(415) 555-0132"),
            ("my cell 415.555.0132", "415.555.0132"),
            ("text 4155550132 instead", "4155550132"),
            ("new number +1 415 555 0132", "+1 415 555 0132"),
            ("reach me on 1-800-555-0199", "1-800-555-0199"),
            ("my number changed to 555-123-4567", "555-123-4567"),
            ("UK mobile +44 (20) 7123 4567", "+44 (20) 7123 4567"),
            ("mi celular es +52 55 1234 5678", "+52 55 1234 5678"),
            ("My Israeli number is 09-7625400", "09-7625400"),
            ("whatsapp +919876543210", "+919876543210"),
        ],
    );
    negatives(
        Some(PhiKind::Phone),
        &[
            "20 units of Botox was $450",
            "can I come at 3pm or 10:30",
            "order 1234567 hasn't shipped",
            "Juvederm is $650 per syringe",
        ],
    );
}

#[test]
fn card() {
    positives(
        PhiKind::Card,
        &[
            (
                "card is 4111 1111 1111 1111 exp 04/27",
                "4111 1111 1111 1111",
            ),
            ("use 4012-8888-8888-1881", "4012-8888-8888-1881"),
            ("amex 371449635398431", "371449635398431"),
            ("pay with 5555555555554444 please", "5555555555554444"),
        ],
    );
    negatives(
        Some(PhiKind::Card),
        &[
            "1748503543012",
            "tracking 1234567890123",
            "4012-8888-8888-1882",
        ],
    );
}

#[test]
fn ssn() {
    positives(
        PhiKind::Ssn,
        &[
            ("my ssn is 078-05-1123", "078-05-1123"),
            ("social 219 09 9999", "219 09 9999"),
            ("SSN: 219099999", "219099999"),
            (
                "the form asks my social security 123-45-6789, is it safe to text?",
                "123-45-6789",
            ),
        ],
    );
    negatives(
        Some(PhiKind::Ssn),
        &[
            "ssn 000-12-3456",
            "ssn 666-12-3456",
            "ssn 900-12-3456",
            "ssn 123-00-4567",
            "ssn 123-45-0000",
            "693-09.4444",
            "078-05-1120",
        ],
    );
}

#[test]
fn date() {
    positives(
        PhiKind::Date,
        &[
            ("DOB 03/14/1988", "03/14/1988"),
            ("born 3-14-88", "3-14-88"),
            ("dob: 1988-03-14", "1988-03-14"),
            ("my birthday is March 14, 1988", "March 14, 1988"),
            ("can I come Mar 14th?", "Mar 14th"),
            ("nací el 14 de marzo de 1990", "14 de marzo de 1990"),
            ("is 3/14 open", "3/14"),
            ("the 14th of March works", "the 14th of March"),
            ("born 21.5.2021", "21.5.2021"),
        ],
    );
    negatives(
        Some(PhiKind::Date),
        &[
            "see you tomorrow at 3",
            "Friday at 2 works",
            "is 3pm ok",
            "can I do 10:30",
            "May I book Botox",
            "in March I had filler",
            "1/2 syringe of Juvederm",
            "rated 10/10 would recommend",
            "20 units for $450",
        ],
    );
}

#[test]
fn email_url_ip() {
    positives(
        PhiKind::Email,
        &[(
            "email me at jane.doe+spa@gmail.com thanks",
            "jane.doe+spa@gmail.com",
        )],
    );
    positives(
        PhiKind::Url,
        &[
            (
                "see https://example.com/a?b=1.",
                "https://example.com/a?b=1",
            ),
            ("my site www.janedoe.com", "www.janedoe.com"),
            ("link bit.ly/abc123", "bit.ly/abc123"),
            ("photos at example.com/path", "example.com/path"),
        ],
    );
    positives(
        PhiKind::Ip,
        &[
            ("my ip is 192.168.0.1", "192.168.0.1"),
            ("from 2001:db8::1 today", "2001:db8::1"),
        ],
    );
    negatives(
        None,
        &[
            "version 1.2.3",
            "the time is 12:34:56",
            "e.g. lips",
            "3.5 ml",
            "Clear + Brilliant",
        ],
    );
}

#[test]
fn address() {
    positives(
        PhiKind::Address,
        &[
            (
                "I live at 123 Main St Apt 4B, Austin, TX 78701",
                "123 Main St Apt 4B, Austin, TX 78701",
            ),
            ("send it to 42 W 5th Ave", "42 W 5th Ave"),
            ("my zip is 90210", "90210"),
            (
                "address: 9 Oak Lane, Springfield",
                "9 Oak Lane, Springfield",
            ),
            ("PO Box 1234", "PO Box 1234"),
        ],
    );
    negatives(
        Some(PhiKind::Address),
        &[
            "see you at 3 with Dr. Lee",
            "order 12345 shipped",
            "20 units for $450",
        ],
    );
}

#[test]
fn id() {
    positives(
        PhiKind::Id,
        &[
            ("member ID A1234567", "A1234567"),
            ("MRN 00123456", "00123456"),
            ("policy number XYZ123456", "XYZ123456"),
            ("gift card 1234 5678 9012", "1234 5678 9012"),
            ("confirmation #AB12345", "AB12345"),
            ("mi póliza es 88812345", "88812345"),
            ("license # D1234-5678", "D1234-5678"),
            ("acct 4567891", "4567891"),
            ("The receipt number was R-448120.", "R-448120"),
            ("Josephine Tate, VIP-00388", "VIP-00388"),
            (
                "my policy # on the superbill, it's BCX-99201-7",
                "BCX-99201-7",
            ),
        ],
    );
    negatives(
        Some(PhiKind::Id),
        &[
            "#12345 arrived",
            "I got 20 units",
            "room 12 please",
            "after COVID-19 can I get filler",
        ],
    );
}

#[test]
fn name() {
    positives(
        PhiKind::Name,
        &[
            ("C - thanks, Maria Lopez", "Maria Lopez"),
            ("my name is Will", "Will"),
            ("Botox with Dr. Patel tomorrow", "Dr. Patel"),
            ("can Nurse Amy do it", "Nurse Amy"),
            ("this is Grace", "Grace"),
            ("my daughter Emma wants lips", "Emma"),
            ("is Sarah's appt still on", "Sarah"),
            ("running late - Jen", "Jen"),
            ("hola, me llamo Dolores", "Dolores"),
            ("soy Rosa Martinez", "Rosa Martinez"),
            ("Grace Kim here", "Grace Kim"),
            ("thanks jessica!", "jessica"),
            ("Richard M. Nixon", "Richard M. Nixon"),
            ("Mrs. May is my mom", "Mrs. May"),
        ],
    );
    negatives(
        Some(PhiKind::Name),
        &[
            "May I book Botox?",
            "Will you have openings Friday?",
            "Hope you are well",
            "I want Botox and Dysport",
            "Is Juvederm or Restylane better for lips",
            "Can I get Morpheus8 and a HydraFacial",
            "Mark my calendar",
            "Grace period for cancellation?",
            "Summer special on Kybella?",
            "thank you so much!",
            "Clear + Brilliant on Monday",
            "my daughter is 16",
        ],
    );
}

/// Names outside the gazetteers after a cue, in any origin and in the other languages' cues;
/// surnames of a family; staff first names where only a person fits.
#[test]
fn names_after_cues_outside_the_lists() {
    positives(
        PhiKind::Name,
        &[
            (
                "hi this is Odalys Brennan, can I book a facial?",
                "Odalys Brennan",
            ),
            ("I'm Priyanka Dhillon, running 5 late", "Priyanka Dhillon"),
            (
                "it's Sunniva Adeyemi, confirming tomorrow",
                "Sunniva Adeyemi",
            ),
            ("Confirmed - Thuy Pham", "Thuy Pham"),
            (
                "we're the Brennan family, all four of us want facials",
                "Brennan",
            ),
            ("can I ask for Teo next time?", "Teo"),
            ("is Maren in today?", "Maren"),
            ("Chinedu Obi here, need to reschedule", "Chinedu Obi"),
            (
                "Reschedule pls - Bjørnar Lindqvist, DOB: 1988",
                "Bjørnar Lindqvist",
            ),
            ("Em là Nguyễn Thị Lan, em muốn đổi lịch", "Nguyễn Thị Lan"),
            ("Ako po si Maricel Santos, pwede po ba", "Maricel Santos"),
            ("Meu nome é Otávio Mendes.", "Otávio Mendes"),
            ("你好，我叫王丽，想预约", "王丽"),
            ("네 확인했습니다. 김지은입니다", "김지은"),
            ("اسمي رنا حداد، رقمي", "رنا حداد"),
            (
                "Хочу переоформить абонемент на подругу, Наташу Ковалёву.",
                "Наташу Ковалёву",
            ),
        ],
    );
    // Cue words that are everyday words, and a Vietnamese syllable that folds onto a name.
    negatives(
        Some(PhiKind::Name),
        &[
            "I'm Running late sorry",
            "this is Great news thank you",
            "Cảm ơn bác sĩ rất nhiều",
            "is Botox in stock?",
            "我是新客人，想预约",
            "이번주 토요일 예약 취소할게요",
        ],
    );
}

/// Birth dates as eight digits after a cue, day-first dates, CJK dates and other languages'
/// month names; gift-card and voucher numbers after their cue words.
#[test]
fn dates_and_codes_the_redactor_used_to_miss() {
    positives(
        PhiKind::Date,
        &[
            ("dob 07141988", "07141988"),
            ("DOB: 19880714, thanks", "19880714"),
            ("fecha de nacimiento 30011993", "30011993"),
            ("có hẹn ngày 14/6 mà bận", "14/6"),
            ("Me lo pusieron el 30/04. Gracias", "30/04"),
            ("生日1987年11月3号", "1987年11月3号"),
            ("annuler le rendez-vous du 5 avril", "5 avril"),
            ("запись на 12 марта", "12 марта"),
            ("İ ЗАПИСЬ НА 12 МАРТА Ω", "12 МАРТА"),
            ("otmenite moyu zapis na 10 aprelya pls", "10 aprelya"),
            ("rodilas 3 sentjabrja 1990", "3 sentjabrja 1990"),
            ("생년월일 1992.03.17 입니다", "1992.03.17"),
        ],
    );
    negatives(
        Some(PhiKind::Date),
        &[
            "order 07141988 shipped",
            "call me at 12345678",
            "dob 99999999",
            "ask maya about it",
            "10 mayas",
            "ok see you at 3 Maya, thanks!",
            "2 Marta and I will come",
        ],
    );
    positives(
        PhiKind::Id,
        &[
            ("gift card number 5521 8830 1174", "5521 8830 1174"),
            ("voucher code GV-88213 expired?", "GV-88213"),
            ("mi codigo de regalo es GIFT-2291-XQ", "GIFT-2291-XQ"),
            ("还剩几次？会员号 M20477", "M20477"),
            ("会员号是M20477谢谢", "M20477"),
            ("회원번호는 448812입니다", "448812"),
            ("رقم حسابي عندكم 880231 وتاريخ", "880231"),
            ("Сколько осталось? Номер участника 448812", "448812"),
            ("mã số thành viên của em là TV-2291", "TV-2291"),
            ("mã số của em 77120", "77120"),
            ("nimewo manm mwen se 55102", "55102"),
            ("Meu número de sócia é 77120-B", "77120-B"),
            ("mon numéro de membre: 40981", "40981"),
            ("номер карты: 4481 2210, спасибо", "4481 2210"),
            // Letters whose lower case is longer or shorter ("İ", the Ohm sign) move no offset.
            ("İ НОМЕР КАРТЫ 12345 Ω", "12345"),
        ],
    );
    negatives(
        Some(PhiKind::Id),
        &[
            // The cue alone, a number too short, or a sentence between cue and number.
            "会员号忘了，能帮我查吗",
            "회원번호 12",
            "رقم الحساب؟ اتصلت 3 مرات",
            "номер карты. Перезвоните в 1500",
            "mama so 12345",
            "So the price is $1500 right?",
            "so the total is 1200 for both areas?",
        ],
    );
}
