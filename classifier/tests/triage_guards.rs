//! The bundled pipeline end to end on messages where the model alone would answer wrongly with
//! confidence: the guards between it and an automatic reply must hold.

use classifier::{Action, Conversation, Role, Triage, Turn, Verdict};

fn triage(turns: &[(Role, &str)]) -> Verdict {
    let t = match Triage::bundled() {
        Ok(t) => t,
        Err(e) => panic!("the bundled triage must build: {e}"),
    };
    let turns = turns
        .iter()
        .map(|(role, text)| Turn::new(*role, *text))
        .collect();
    match t.triage(&Conversation::new(turns)) {
        Ok(v) => v,
        Err(e) => panic!("triage refused a valid conversation: {e}"),
    }
}

fn codes(v: &Verdict) -> Vec<&'static str> {
    v.reasons.iter().map(|r| r.code).collect()
}

#[test]
fn a_message_the_model_cannot_read_is_never_auto_replied() {
    for text in [
        "asdfghjkl",
        "qwertyuiop zxcvbnm",
        "필러 맞은 코 끝이 하얗게",
    ] {
        let v = triage(&[(Role::Patient, text)]);
        assert_ne!(v.action, Action::AutoReply, "{text}: {:?}", codes(&v));
    }
    let v = triage(&[(Role::Patient, "what time do you open on saturday?")]);
    assert_eq!(v.action, Action::AutoReply, "{:?}", codes(&v));
    // A reply typed with a slip is read, not taken for a language the model never saw.
    let reminder = "Your Botox appointment is tomorrow at 10am. Reply C to confirm.";
    for reply in ["cofirm", "yup confrim"] {
        let v = triage(&[(Role::Clinic, reminder), (Role::Patient, reply)]);
        assert!(
            !codes(&v).contains(&"reads_blind"),
            "{reply}: {:?}",
            codes(&v)
        );
    }
}

#[test]
fn a_refusal_of_a_reminder_is_not_confirmed_automatically() {
    let reminder = "Your Botox appointment is tomorrow at 10am. Reply Y to confirm or N to cancel.";
    for reply in ["N", "no", "nope, can't make it"] {
        let v = triage(&[(Role::Clinic, reminder), (Role::Patient, reply)]);
        assert_ne!(v.action, Action::AutoReply, "{reply}: {:?}", codes(&v));
    }
    let v = triage(&[(Role::Clinic, reminder), (Role::Patient, "Y")]);
    assert_eq!(v.action, Action::AutoReply, "{:?}", codes(&v));
}

/// A message in a language the model was not trained on goes to staff with its language, and
/// with a symptom or medical word it is urgent; the verdict names the language.
#[test]
fn other_languages_reach_staff_and_symptoms_in_them_are_urgent() {
    for (text, tag) in [
        ("Phòng khám mở cửa đến mấy giờ vậy chị?", "vi"),
        ("请问周六几点开门？", "zh"),
        ("Bonjour, vous ouvrez à quelle heure samedi ?", "fr"),
        ("Anong oras po kayo bukas sa Sabado?", "tl"),
    ] {
        let v = triage(&[(Role::Patient, text)]);
        assert_eq!(v.language.language.tag(), tag, "{text}");
        assert_ne!(v.action, Action::AutoReply, "{text}: {:?}", codes(&v));
        assert!(
            matches!(v.action, Action::Escalate | Action::Urgent),
            "{text}: {:?} {:?}",
            v.action,
            codes(&v)
        );
    }
    for text in [
        "Sau khi tiêm filler môi em bị sưng và đau nhiều lắm",
        "打完针以后嘴唇很痛，还肿了",
        "Je me sens mal, j'ai des douleurs après l'injection",
        "Estou com muita dor no lábio depois do preenchimento",
    ] {
        let v = triage(&[(Role::Patient, text)]);
        assert_eq!(v.action, Action::Urgent, "{text}: {:?}", codes(&v));
    }
}

/// Requests a clinic would not answer blind: someone else's appointment, a long delay or a
/// delay with a question, a question tied to the patient's own condition, an account action.
#[test]
fn requests_a_clinic_would_not_answer_blind_are_not_auto_replied() {
    for text in [
        "what time is my wife's appointment tomorrow?",
        "hi, is my daughter booked for friday? her appointment was moved",
        "running about 25 min late sorry",
        "running late, like half an hour",
        "5 min late, can I still get both areas done?",
        "I'm on accutane, can I get a chemical peel?",
        "I have rosacea, is IPL ok for me?",
        "I got a spray tan yesterday, can I still do laser hair removal?",
        "please upgrade my membership to VIP",
        "45",
    ] {
        let v = triage(&[(Role::Patient, text)]);
        assert_ne!(v.action, Action::AutoReply, "{text}: {:?}", codes(&v));
    }
}

/// Thanks, wrong numbers and the standard FAQs are answered from the clinic's facts.
#[test]
fn standard_answer_faqs_can_be_auto_replied() {
    let mut answered = 0;
    let texts = [
        "thank you so much, everyone was so kind today!",
        "wrong number, sorry",
        "do you take apple pay?",
        "do you offer financing?",
        "any specials this month?",
        "do you sell the EltaMD sunscreen?",
        "do unused membership credits roll over?",
    ];
    for text in texts {
        let v = triage(&[(Role::Patient, text)]);
        if v.action == Action::AutoReply {
            answered += 1;
        } else {
            eprintln!("not answered: {text}: {:?}", codes(&v));
        }
    }
    // The model decides each; most of these plain questions must be answered.
    assert!(answered >= 5, "{answered} of {} answered", texts.len());
}

/// Indirect self-harm wrapped in an ordinary request is urgent; the same request with an
/// ordinary reason is not.
#[test]
fn indirect_self_harm_is_urgent_and_an_ordinary_reason_is_not() {
    for text in [
        "can you give my remaining credits to my sister? I won't need them after this weekend",
        "please transfer my membership to my mom. thank you for everything, you were always kind to me",
        "cancel everything. there's no point anymore",
        "quiero pasarle mis créditos a mi hermana, ya no los voy a necesitar. gracias por todo",
    ] {
        let v = triage(&[(Role::Patient, text)]);
        assert_eq!(v.action, Action::Urgent, "{text}: {:?}", codes(&v));
    }
    for text in [
        "I won't need the package anymore, I'm moving to Denver next month. can I transfer it to my sister?",
        "dying to try lip filler, how much is it?",
        "thank you for everything! see you next month",
    ] {
        let v = triage(&[(Role::Patient, text)]);
        assert_ne!(v.action, Action::Urgent, "{text}: {:?}", codes(&v));
    }
}

#[test]
fn triage_reads_the_same_window_whatever_the_caller_loaded() {
    // The last clinic turn inside the window is a reminder; one outside it offered options.
    let mut turns = vec![
        (
            Role::Clinic,
            "We have A) Thu 9am B) Thu 4pm C) Fri 12pm. Reply with a letter.",
        ),
        (Role::Patient, "my lip was turning white yesterday"),
    ];
    for _ in 0..3 {
        turns.push((Role::Clinic, "Thanks, noted."));
        turns.push((Role::Patient, "ok"));
    }
    turns.push((
        Role::Clinic,
        "Reminder: Botox tomorrow at 2pm. Reply C to confirm.",
    ));
    turns.push((Role::Patient, "C"));
    let window = &turns[turns.len() - 1 - classifier::CONTEXT_TURNS..];
    let long = triage(&turns);
    let short = triage(window);
    assert_eq!(format!("{long:?}"), format!("{short:?}"));
    assert_eq!(long.intent.label, classifier::Intent::AppointmentConfirm);
    assert!(
        !long.urgency.urgent,
        "a sign outside the window is not read"
    );
}

#[test]
fn media_sent_with_a_message_keeps_it_from_a_template() {
    let t = match Triage::bundled() {
        Ok(t) => t,
        Err(e) => panic!("the bundled triage must build: {e}"),
    };
    let with = |attachments| {
        let turn = Turn::patient("thanks!").with_attachments(attachments);
        match t.triage(&Conversation::new(vec![turn])) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    };
    assert_eq!(with(Vec::new()).action, Action::AutoReply);
    let v = with(vec![classifier::Attachment::Photo]);
    assert_eq!(v.action, Action::Escalate, "{:?}", codes(&v));
    assert!(codes(&v).contains(&"attachment"));
}
