//! Criterion benches of the triage core, stage by stage and whole, on typical SMS.
//!
//! Method: each stage runs on a fixed set of eight messages that look like real traffic (short
//! replies, questions, a PHI-heavy sign-off, a Spanish message, an emergency), one message per
//! iteration in rotation; criterion reports the median. Run with `make bench`.

use classifier::model::IntentModel;
use classifier::{Conversation, EmergencyMatcher, Redactor, Triage, Turn};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

const MESSAGES: &[&str] = &[
    "C",
    "hi! how much is botox for forehead and crows feet? thx",
    "Running about 10 min late, stuck on the 405 sorry!!",
    "Can I work out the day after my lip filler? - Jen Alvarez, DOB 03/14/1988, call me at (415) 555-0134",
    "hola quiero cancelar mi cita del viernes, me pueden llamar?",
    "my lip is turning white and really hurts since the filler this morning",
    "Is it normal to still have a small bump 5 days after filler? no pain just a little lump",
    "do you guys have any specials this month on hydrafacials",
];

fn conversations() -> Vec<Conversation> {
    MESSAGES
        .iter()
        .map(|m| {
            Conversation::new(vec![
                Turn::clinic("Reminder: your appointment is tomorrow at 2pm. Reply C to confirm."),
                Turn::patient(*m),
            ])
        })
        .collect()
}

fn stages(c: &mut Criterion) {
    let Ok(triage) = Triage::bundled() else {
        panic!("bundled triage must build")
    };
    let redactor = Redactor::new();
    let matcher = EmergencyMatcher::new();
    let convs = conversations();
    let mut i = 0usize;
    let mut next = || {
        i = (i + 1) % MESSAGES.len();
        i
    };
    c.bench_function("redact", |b| {
        b.iter(|| black_box(redactor.redact(MESSAGES[next()])))
    });
    c.bench_function("emergency_assess", |b| {
        b.iter(|| black_box(matcher.assess(MESSAGES[next()], &[])))
    });
    let model = bundled_model();
    c.bench_function("model_features", |b| {
        b.iter(|| black_box(model.features(MESSAGES[next()], Some("reply c to confirm"))))
    });
    let bags: Vec<_> = MESSAGES.iter().map(|m| model.features(m, None)).collect();
    c.bench_function("model_forward", |b| {
        b.iter(|| black_box(model.read(&bags[next()])))
    });
    c.bench_function("triage_whole", |b| {
        b.iter(|| black_box(triage.triage(&convs[next()])))
    });
    c.bench_function("build_bundled", |b| {
        b.iter(|| black_box(Triage::bundled().is_ok()))
    });
    c.bench_function("build_redactor", |b| b.iter(|| black_box(Redactor::new())));
    c.bench_function("build_emergency_matcher", |b| {
        b.iter(|| black_box(EmergencyMatcher::new()))
    });
    c.bench_function("build_model", |b| b.iter(|| black_box(bundled_model())));
    c.bench_function("build_policy", |b| {
        b.iter(|| black_box(classifier::policy::Policy::bundled().is_ok()))
    });
}

fn bundled_model() -> IntentModel {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../models/intent/");
    let read = |f: &str| std::fs::read(format!("{dir}{f}")).unwrap_or_default();
    match IntentModel::from_artifacts(
        &read("model.safetensors"),
        &read("tokenizer.json"),
        &read("config.json"),
    ) {
        Ok(m) => m,
        Err(e) => panic!("models/intent must load: {e}"),
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(2)).warm_up_time(std::time::Duration::from_millis(500));
    targets = stages
}
criterion_main!(benches);
