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
        .map(|(role, text)| Turn {
            role: *role,
            text: (*text).to_owned(),
        })
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
