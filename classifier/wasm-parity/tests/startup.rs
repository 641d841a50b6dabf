//! Start-up of the triage core as wasm32 under V8 (Node, the engine workerd embeds), stage by
//! stage: `make bench-wasm` (scripts/bench-wasm-start.sh) runs it on the release profile the
//! Worker ships with. It measures and prints; it asserts nothing about time.
//!
//! Method: in a fresh process, `Triage::bundled()` once first: that build pays what a Worker's
//! cold isolate pays (V8 compiles each wasm function on its first call). Then each stage alone,
//! in the order `Triage::bundled` builds them, and the whole again, `WARM` times each: their
//! medians are the work itself, without compilation. Timed with `performance.now()`.
#![cfg(target_arch = "wasm32")]

use classifier::model::IntentModel;
use classifier::policy::Policy;
use classifier::{Conversation, EmergencyMatcher, Redactor, Triage, Turn};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

const WARM: usize = 9;

fn now() -> f64 {
    let perf = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).ok();
    let now = perf
        .as_ref()
        .and_then(|p| js_sys::Reflect::get(p, &"now".into()).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match (perf, now) {
        (Some(p), Some(f)) => f.call0(&p).ok().and_then(|v| v.as_f64()).unwrap_or(0.0),
        _ => js_sys::Date::now(),
    }
}

fn ms(f: &mut dyn FnMut()) -> f64 {
    let t = now();
    f();
    now() - t
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

#[wasm_bindgen_test]
fn startup_stages() {
    let a = Triage::bundled_artifacts();
    let conversation = Conversation::new(vec![
        Turn::clinic("Reminder: your appointment is tomorrow at 2pm. Reply C to confirm."),
        Turn::patient("Can I work out the day after my lip filler? - Jen Alvarez, (415) 555-0134"),
    ]);
    let mut built = false;
    let cold = ms(&mut || built = Triage::bundled().is_ok());
    assert!(built, "the bundled triage must build");
    console_log!("startup Triage::bundled cold: {cold:.1} ms");
    // Every stage below must build, or the bench would time an error path.
    assert!(Policy::from_json(a.policy_json).is_ok());
    assert!(IntentModel::from_artifacts(a.weights, a.tokenizer_json, a.config_json).is_ok());
    let mut stages: Vec<(&str, Box<dyn FnMut()>)> = vec![
        ("redactor", Box::new(|| drop(Redactor::new()))),
        (
            "emergency matcher",
            Box::new(|| drop(EmergencyMatcher::new())),
        ),
        (
            "policy",
            Box::new(|| drop(Policy::from_json(a.policy_json))),
        ),
        (
            "model",
            Box::new(|| {
                drop(IntentModel::from_artifacts(
                    a.weights,
                    a.tokenizer_json,
                    a.config_json,
                ))
            }),
        ),
        ("Triage::bundled", Box::new(|| drop(Triage::bundled()))),
    ];
    for (name, build) in &mut stages {
        let warm = median((0..WARM).map(|_| ms(build.as_mut())).collect());
        console_log!("startup {name} warm (median of {WARM}): {warm:.1} ms");
    }
    let Ok(triage) = Triage::bundled() else {
        panic!("the bundled triage must build")
    };
    let first = ms(&mut || drop(triage.triage(&conversation)));
    let warm = median(
        (0..WARM)
            .map(|_| ms(&mut || drop(triage.triage(&conversation))))
            .collect(),
    );
    console_log!("startup triage: first {first:.2} ms, then median {warm:.2} ms");
}
