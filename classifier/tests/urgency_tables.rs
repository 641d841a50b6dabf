//! Phrase, hard-negative, negation/question and context tables for the emergency matcher.
//! Written as meanings in several wordings (EN and ES, typos, caps, emoji), not fixture strings.

use std::time::Instant;

use classifier::urgency::{EmergencyMatcher, Sign};

fn urgent(m: &EmergencyMatcher, text: &str, ctx: &[&str]) -> bool {
    m.assess(text, ctx).is_urgent()
}

#[test]
fn emergency_phrases_per_sign() {
    let m = EmergencyMatcher::new();
    let table: &[(Sign, &str)] = &[
        (
            Sign::VascularOcclusion,
            "my lip is turning WHITE after filler",
        ),
        (
            Sign::VascularOcclusion,
            "tip of my nose looks grey and blotchy, had filler at 2",
        ),
        (
            Sign::VascularOcclusion,
            "la piel del labio se puso blanca y fria despues del relleno",
        ),
        (
            Sign::VascularOcclusion,
            "cheek has a lacy purple net-like pattern since the filler",
        ),
        (
            Sign::VascularOcclusion,
            "the pain after my chin filler is unbearable, 10/10",
        ),
        (Sign::VascularOcclusion, "my lipz r wite n it hurtz so bad"),
        // The cosmetic phrases set aside must not hide the sign itself.
        (
            Sign::VascularOcclusion,
            "it's gone dark under my eye where the filler went, and it hurts",
        ),
        (
            Sign::VascularOcclusion,
            "my forehead looks lighter on one side since the filler, almost white",
        ),
        (
            Sign::VascularOcclusion,
            "tear trough filler yesterday, now dark under eyes and it hurts",
        ),
        (
            Sign::VascularOcclusion,
            "my lip started to go lighter after the filler",
        ),
        (
            Sign::VisionChange,
            "my vison is blury in my left eye after botox",
        ),
        (Sign::VisionChange, "not able to see out of my left eye"),
        (Sign::VisionChange, "veo borroso desde el relleno"),
        (Sign::VisionChange, "seeing double since the injection"),
        (
            Sign::Anaphylaxis,
            "my throught feels tight and my tounge is swelling",
        ),
        (Sign::Anaphylaxis, "se me cierra la garganta"),
        (Sign::BreathingTrouble, "I cant breath"),
        (Sign::BreathingTrouble, "i can't breathe"),
        (Sign::BreathingTrouble, "no puedo respirar"),
        (Sign::BreathingTrouble, "having trouble brething rn"),
        (
            Sign::ChestPain,
            "chest pain and pressure since this morning",
        ),
        (Sign::ChestPain, "me duele el pecho"),
        (Sign::Fainting, "I think I'm going to pass out 😵"),
        (Sign::Fainting, "mi mamá se desmayó"),
        (
            Sign::Infection,
            "fever and the redness is spreading, theres pus",
        ),
        (
            Sign::Infection,
            "tengo fiebre y la zona esta roja y caliente",
        ),
        (
            Sign::Stroke,
            "her face is drooping and her speech is slurred",
        ),
        (
            Sign::Stroke,
            "one side of my face is drooping and my words are coming out weird",
        ),
        (
            Sign::Stroke,
            "tengo la cara caida de un lado y se me traban las palabras",
        ),
        (Sign::SelfHarm, "I want to kill myself"),
        (Sign::SelfHarm, "everyone would be better off without me"),
        (Sign::SelfHarm, "I don't want to wake up tomorrow"),
        (Sign::SelfHarm, "quiero morirme"),
        (Sign::SelfHarm, "ya no quiero vivir"),
        (Sign::SelfHarm, "todos estarian mejor si no estuviera"),
        (Sign::GeneralEmergency, "🚑 called 911"),
    ];
    for (sign, text) in table {
        let a = m.assess(text, &[]);
        assert!(
            a.matches.iter().any(|x| x.sign == *sign),
            "{text:?} should match {sign:?}: {a:?}"
        );
    }
}

#[test]
fn hard_negatives_are_not_urgent() {
    let m = EmergencyMatcher::new();
    for text in [
        "this price is killing me",
        "dying to try lip filler!!",
        "I'd kill for her lips",
        "my wallet is bleeding",
        "I'm feeling blue that you're booked",
        "can't breathe I'm laughing 😂",
        "I almost fainted when I saw the bill",
        "no fever, no redness, just a tiny bump",
        "day 2 and the bruise on my lip is purple, doesn't hurt",
        "can laser help with dark spots and dark circles?",
        "which is better for my dark under eye circles, a peel or filler?",
        "I can't go on Tuesday, can we move it?",
        "the bill gave me a stroke lol",
        "I'm dead 💀 that's hilarious",
    ] {
        let a = m.assess(text, &[]);
        assert!(!a.is_urgent(), "{text:?} should not be urgent: {a:?}");
    }
}

#[test]
fn negation_and_questions() {
    let m = EmergencyMatcher::new();
    for (text, want) in [
        ("no trouble breathing, just puffy", false),
        ("is it normal to bruise?", false),
        ("what are the signs of a vascular occlusion?", false),
        ("can filler cause blindness?", false),
        ("I don't have any chest pain", false),
        ("I can't breathe", true),
        ("not able to see out of my left eye", true),
        ("no pain but my lip is white", true),
        (
            "is it normal that my lip is white and cold after filler?",
            true,
        ),
    ] {
        assert_eq!(urgent(&m, text, &[]), want, "{text:?}");
    }
}

#[test]
fn context_supplies_the_filler_and_the_area() {
    let m = EmergencyMatcher::new();
    let ctx = ["Thanks for coming in for your lip filler today! How are you feeling?"];
    assert!(urgent(&m, "it's getting darker and colder", &ctx));
    assert!(urgent(&m, "the skin there looks dusky", &ctx));
    assert!(urgent(
        &m,
        "it's not getting better, it's getting darker",
        &ctx
    ));
    let ctx = ["Is the area white or cold to the touch?"];
    assert!(urgent(&m, "yes", &ctx));
    assert!(!urgent(&m, "no", &ctx));
    // A reminder listing warning signs does not make a plain reply urgent.
    let ctx = ["If you notice blanching or trouble breathing, call us. Reply C to confirm."];
    assert!(!urgent(&m, "C", &ctx));
}

#[test]
fn offsets_point_into_the_original_text() {
    let m = EmergencyMatcher::new();
    let text = "Héllo 🙂 I CAN'T BREATHHH";
    let a = m.assess(text, &[]);
    let hit = a.matches.first().map(|x| &text[x.start..x.end]);
    assert_eq!(hit, Some("CAN'T BREATHHH"));
}

#[test]
fn fast_enough() {
    let t = Instant::now();
    let m = EmergencyMatcher::new();
    let build = t.elapsed();
    let msg = "hi, had lip filler yesterday and the left side looks kind of white and really sore, is that normal?";
    let n = 2000;
    let t = Instant::now();
    let mut urgent = 0;
    for _ in 0..n {
        urgent += usize::from(
            m.assess(msg, &["Reminder: lip filler tomorrow at 2pm"])
                .is_urgent(),
        );
    }
    let per = t.elapsed() / n;
    eprintln!("EmergencyMatcher::new {build:?}; assess {per:?} per message");
    assert_eq!(urgent, n as usize);
}
