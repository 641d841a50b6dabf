//! Metric computations: pure functions over per-conversation outcomes, so each is unit-tested
//! on hand-built cases and the same code scores the whole set and every slice.
//!
//! Zero denominators: headline ratios (accuracy, recall, rates) are `None` (JSON null) when there
//! is nothing to measure, so a gate on them fails as "undefined" rather than passing vacuously;
//! per-intent precision/recall/F1 follow scikit-learn's `zero_division=0`, because they feed the
//! macro average, which counts every intent either expected or predicted.

use classifier::{Action, Intent, PhiKind, Reason, Verdict};
use dataset::Fixture;
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::collections::BTreeMap;
use std::ops::Range;

/// A listed PHI string and whether the redacted text still contains it.
#[derive(Debug, Clone, PartialEq)]
pub struct PhiOutcome {
    pub kind: PhiKind,
    pub text: String,
    pub removed: bool,
}

/// Everything the metrics need from one scored conversation.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub id: String,
    pub lang: String,
    pub tags: Vec<String>,
    pub expected: Intent,
    pub expected_urgent: bool,
    pub auto_ok: bool,
    pub got: Intent,
    pub confidence: f32,
    /// Escalated as urgent: the urgency flag is set and the action is `Urgent`, both of which the
    /// patient's safety depends on (the emergency reply and the clinician page).
    pub escalated_urgent: bool,
    pub action: Action,
    pub redacted_text: String,
    pub reasons: Vec<Reason>,
    pub phi: Vec<PhiOutcome>,
    /// Characters of the last turn outside every listed PHI occurrence.
    pub non_phi_chars: usize,
    /// Of those, the characters inside a redaction finding.
    pub over_redacted_chars: usize,
    pub latency_us: f64,
    /// An automatic reply the example clinic's templates render completely (so it would be
    /// sent, not handed to a person): set by the run, false for every other action.
    pub templated: bool,
    /// Why an automatic reply would go to a person instead (`no_service`, `missing_fact`, ...).
    pub unsent_reason: Option<String>,
}

impl Outcome {
    /// Scores one verdict against its fixture.
    pub fn new(fixture: &Fixture, verdict: Verdict, latency_us: f64) -> Self {
        let text = fixture.last_text();
        let findings: Vec<Range<usize>> = verdict.phi.iter().map(|f| f.start..f.end).collect();
        let (non_phi_chars, over_redacted_chars) =
            over_redaction_chars(text, &fixture.expected_phi_spans(), &findings);
        let phi = fixture
            .expect
            .phi
            .iter()
            .map(|p| PhiOutcome {
                kind: p.kind,
                text: p.text.clone(),
                removed: !verdict.redacted_text.contains(p.text.as_str()),
            })
            .collect();
        Outcome {
            id: fixture.id.clone(),
            lang: fixture.lang.clone(),
            tags: fixture.tags.clone(),
            expected: fixture.expect.intent,
            expected_urgent: fixture.expect.urgent,
            auto_ok: fixture.expect.auto_ok,
            got: verdict.intent.label,
            confidence: verdict.intent.confidence,
            escalated_urgent: verdict.urgency.urgent && verdict.action == Action::Urgent,
            action: verdict.action,
            templated: false,
            unsent_reason: None,
            redacted_text: verdict.redacted_text,
            reasons: verdict.reasons,
            phi,
            non_phi_chars,
            over_redacted_chars,
            latency_us,
        }
    }

    pub fn urgent_missed(&self) -> bool {
        self.expected_urgent && !self.escalated_urgent
    }

    pub fn false_urgent(&self) -> bool {
        !self.expected_urgent && self.escalated_urgent
    }

    /// A reply no person read, where the labels say a person must: the failure that can hurt.
    pub fn unsafe_auto_reply(&self) -> bool {
        self.action.is_automatic() && (!self.auto_ok || self.expected_urgent)
    }

    pub fn leaks(&self) -> impl Iterator<Item = &PhiOutcome> {
        self.phi.iter().filter(|p| !p.removed)
    }

    /// Every way this conversation was scored wrong; empty when it was right.
    pub fn problems(&self) -> Vec<&'static str> {
        let mut p = Vec::new();
        if self.urgent_missed() {
            p.push("urgent_missed");
        }
        if self.unsafe_auto_reply() {
            p.push("unsafe_auto_reply");
        }
        if self.leaks().next().is_some() {
            p.push("phi_leak");
        }
        if self.false_urgent() {
            p.push("false_urgent");
        }
        if self.expected != self.got {
            p.push("intent");
        }
        if self.not_automated() {
            p.push("not_automated");
        }
        p
    }

    /// A message the labels say a template may answer, which went to a person: the automation
    /// goal's misses, listed so their reasons can be read.
    pub fn not_automated(&self) -> bool {
        self.auto_ok && !self.expected_urgent && !self.action.is_automatic()
    }

    /// The redacted text with any listed PHI that leaked through masked as well, so reports and
    /// error files never carry a raw identifier even when redaction failed.
    pub fn display_text(&self) -> String {
        let mut text = self.redacted_text.clone();
        for leak in self.leaks() {
            text = text.replace(
                leak.text.as_str(),
                &format!("[LEAKED_{}]", leak.kind.as_str()),
            );
        }
        text
    }
}

/// Counts, over the characters of `text` outside every `phi` span, how many fall inside a
/// `findings` span. Spans are byte ranges; counting is per `char` so multibyte text is fair.
pub fn over_redaction_chars(
    text: &str,
    phi: &[Range<usize>],
    findings: &[Range<usize>],
) -> (usize, usize) {
    let mut non_phi = 0;
    let mut over = 0;
    for (i, _) in text.char_indices() {
        if phi.iter().any(|r| r.contains(&i)) {
            continue;
        }
        non_phi += 1;
        if findings.iter().any(|r| r.contains(&i)) {
            over += 1;
        }
    }
    (non_phi, over)
}

/// `n / d`, undefined when there is nothing to measure.
pub fn ratio(n: usize, d: usize) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

/// Precision, recall and F1 from counts, each 0 on a zero denominator.
pub fn prf(tp: usize, fp: usize, fn_: usize) -> (f64, f64, f64) {
    let p = ratio(tp, tp + fp).unwrap_or(0.0);
    let r = ratio(tp, tp + fn_).unwrap_or(0.0);
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f1)
}

/// A map serialised in insertion order (serde_json's own map sorts keys), so intents appear in
/// the contract's order and slices in a readable one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<T: Serialize> Serialize for Ordered<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<T> Ordered<T> {
    #[cfg(test)]
    pub fn get(&self, key: &str) -> Option<&T> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ClassScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Conversations expected to have this intent.
    pub support: usize,
    /// Conversations predicted to have it.
    pub predicted: usize,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Confusion {
    pub expected: String,
    pub got: String,
    pub count: usize,
}

/// Rows are expected intents, columns predicted, both over `labels`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ConfusionMatrix {
    pub labels: Vec<String>,
    pub counts: Vec<Vec<usize>>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IntentMetrics {
    pub accuracy: Option<f64>,
    pub macro_f1: Option<f64>,
    pub per_intent: Ordered<ClassScores>,
    pub top_confusions: Vec<Confusion>,
    /// Written to confusion.json and confusion.svg instead: 28x28 numbers would drown the rest
    /// of metrics.json.
    #[serde(skip)]
    pub confusion: ConfusionMatrix,
}

/// Intent accuracy, per-intent scores, macro-F1 over every intent expected or predicted, and
/// the confusion matrix, from (expected, got) pairs.
pub fn intent_metrics(pairs: &[(Intent, Intent)]) -> IntentMetrics {
    let labels: Vec<Intent> = Intent::ALL
        .iter()
        .copied()
        .filter(|i| pairs.iter().any(|(e, g)| e == i || g == i))
        .collect();
    let mut per_intent = Vec::new();
    for &label in &labels {
        let tp = pairs
            .iter()
            .filter(|(e, g)| *e == label && *g == label)
            .count();
        let support = pairs.iter().filter(|(e, _)| *e == label).count();
        let predicted = pairs.iter().filter(|(_, g)| *g == label).count();
        let (precision, recall, f1) = prf(tp, predicted - tp, support - tp);
        per_intent.push((
            label.as_str().to_owned(),
            ClassScores {
                precision,
                recall,
                f1,
                support,
                predicted,
            },
        ));
    }
    let correct = pairs.iter().filter(|(e, g)| e == g).count();
    let macro_f1 = (!per_intent.is_empty())
        .then(|| per_intent.iter().map(|(_, s)| s.f1).sum::<f64>() / per_intent.len() as f64);
    let counts: Vec<Vec<usize>> = labels
        .iter()
        .map(|e| {
            labels
                .iter()
                .map(|g| pairs.iter().filter(|(pe, pg)| pe == e && pg == g).count())
                .collect()
        })
        .collect();
    let mut top_confusions: Vec<Confusion> = Vec::new();
    for (r, e) in labels.iter().enumerate() {
        for (c, g) in labels.iter().enumerate() {
            let count = counts[r][c];
            if r != c && count > 0 {
                top_confusions.push(Confusion {
                    expected: e.as_str().to_owned(),
                    got: g.as_str().to_owned(),
                    count,
                });
            }
        }
    }
    top_confusions.sort_by_key(|c| std::cmp::Reverse(c.count));
    top_confusions.truncate(10);
    IntentMetrics {
        accuracy: ratio(correct, pairs.len()),
        macro_f1,
        per_intent: Ordered(per_intent),
        top_confusions,
        confusion: ConfusionMatrix {
            labels: labels.iter().map(|l| l.as_str().to_owned()).collect(),
            counts,
        },
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct HardNegative {
    pub conversations: usize,
    pub false_urgent_rate: Option<f64>,
    pub false_urgent: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UrgentMetrics {
    pub recall: Option<f64>,
    pub precision: Option<f64>,
    /// Ids of urgent messages not escalated as urgent.
    pub missed: Vec<String>,
    pub support: usize,
    pub escalated: usize,
    /// Share of non-urgent messages escalated as urgent (costly: pages a clinician for nothing).
    pub false_urgent_rate: Option<f64>,
    pub false_urgent: Vec<String>,
    pub hard_negative: HardNegative,
}

pub fn urgent_metrics(outcomes: &[&Outcome]) -> UrgentMetrics {
    let support = outcomes.iter().filter(|o| o.expected_urgent).count();
    let escalated = outcomes.iter().filter(|o| o.escalated_urgent).count();
    let tp = outcomes
        .iter()
        .filter(|o| o.expected_urgent && o.escalated_urgent)
        .count();
    let negatives = outcomes.len() - support;
    let false_urgent: Vec<String> = ids(outcomes, |o| o.false_urgent());
    let hard: Vec<&Outcome> = outcomes
        .iter()
        .copied()
        .filter(|o| o.tags.iter().any(|t| t == "hard_negative"))
        .collect();
    let hard_false = ids(&hard, |o| o.false_urgent());
    let hard_negatives = hard.iter().filter(|o| !o.expected_urgent).count();
    UrgentMetrics {
        recall: ratio(tp, support),
        precision: ratio(tp, escalated),
        missed: ids(outcomes, |o| o.urgent_missed()),
        support,
        escalated,
        false_urgent_rate: ratio(false_urgent.len(), negatives),
        false_urgent,
        hard_negative: HardNegative {
            conversations: hard.len(),
            false_urgent_rate: ratio(hard_false.len(), hard_negatives),
            false_urgent: hard_false,
        },
    }
}

fn ids(outcomes: &[&Outcome], pred: impl Fn(&Outcome) -> bool) -> Vec<String> {
    outcomes
        .iter()
        .filter(|o| pred(o))
        .map(|o| o.id.clone())
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Leak {
    pub id: String,
    pub text: String,
    pub kind: PhiKind,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct KindScores {
    pub listed: usize,
    pub removed: usize,
    pub recall: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PhiMetrics {
    /// Listed PHI strings still present after redaction (the contract's field).
    pub leaked: Vec<Leak>,
    pub recall: Option<f64>,
    pub over_redaction: Option<f64>,
    pub listed: usize,
    pub removed: usize,
    /// Leaks of every kind but NAME: pattern-shaped identifiers, which redaction must never miss.
    pub leaked_structured: Vec<Leak>,
    pub per_kind: Ordered<KindScores>,
}

pub fn phi_metrics(outcomes: &[&Outcome]) -> PhiMetrics {
    let all: Vec<(&str, &PhiOutcome)> = outcomes
        .iter()
        .flat_map(|o| o.phi.iter().map(move |p| (o.id.as_str(), p)))
        .collect();
    let leaked: Vec<Leak> = all
        .iter()
        .filter(|(_, p)| !p.removed)
        .map(|(id, p)| Leak {
            id: (*id).to_owned(),
            text: p.text.clone(),
            kind: p.kind,
        })
        .collect();
    let per_kind = PhiKind::ALL
        .iter()
        .map(|&kind| {
            let listed = all.iter().filter(|(_, p)| p.kind == kind).count();
            let removed = all
                .iter()
                .filter(|(_, p)| p.kind == kind && p.removed)
                .count();
            (
                kind.as_str().to_owned(),
                KindScores {
                    listed,
                    removed,
                    recall: ratio(removed, listed),
                },
            )
        })
        .collect();
    let removed = all.iter().filter(|(_, p)| p.removed).count();
    let non_phi: usize = outcomes.iter().map(|o| o.non_phi_chars).sum();
    let over: usize = outcomes.iter().map(|o| o.over_redacted_chars).sum();
    PhiMetrics {
        leaked_structured: leaked
            .iter()
            .filter(|l| l.kind != PhiKind::Name)
            .cloned()
            .collect(),
        leaked,
        recall: ratio(removed, all.len()),
        over_redaction: ratio(over, non_phi),
        listed: all.len(),
        removed,
        per_kind: Ordered(per_kind),
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ActionMetrics {
    /// Among `auto_ok` messages, the share that got an automatic reply.
    pub automation_rate: Option<f64>,
    pub unsafe_auto_replies: Vec<String>,
    pub auto_ok: usize,
    pub automated: usize,
    /// Among `auto_ok` messages, the share a rendered template of the example clinic answers:
    /// what would be sent, not only decided.
    pub sent_rate: Option<f64>,
    /// Messages a template would answer that a person should have (not `auto_ok`, or urgent).
    pub unsafe_sent: Vec<String>,
    /// Automatic replies no template answered, by reason.
    pub unsent_reasons: Ordered<usize>,
    pub counts: Ordered<usize>,
}

pub fn action_metrics(outcomes: &[&Outcome]) -> ActionMetrics {
    let auto_ok = outcomes.iter().filter(|o| o.auto_ok).count();
    let automated = outcomes
        .iter()
        .filter(|o| o.auto_ok && o.action.is_automatic())
        .count();
    let counts = [
        Action::AutoReply,
        Action::Draft,
        Action::Escalate,
        Action::Urgent,
        Action::Compliance,
    ]
    .iter()
    .map(|a| {
        let n = outcomes.iter().filter(|o| o.action == *a).count();
        (a.as_str().to_owned(), n)
    })
    .collect();
    let sent = outcomes.iter().filter(|o| o.auto_ok && o.templated).count();
    ActionMetrics {
        automation_rate: ratio(automated, auto_ok),
        unsafe_auto_replies: ids(outcomes, |o| o.unsafe_auto_reply()),
        auto_ok,
        automated,
        sent_rate: ratio(sent, auto_ok),
        unsafe_sent: ids(outcomes, |o| o.templated && o.unsafe_auto_reply()),
        unsent_reasons: Ordered({
            let mut by: std::collections::BTreeMap<String, usize> = Default::default();
            for r in outcomes.iter().filter_map(|o| o.unsent_reason.as_ref()) {
                *by.entry(r.clone()).or_default() += 1;
            }
            let mut v: Vec<(String, usize)> = by.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            v
        }),
        counts: Ordered(counts),
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Latency {
    pub p50: f64,
    pub p99: f64,
    pub mean: f64,
    pub max: f64,
}

/// Nearest-rank percentile of sorted samples; 0 when there are none.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub fn latency(outcomes: &[&Outcome]) -> Latency {
    let mut xs: Vec<f64> = outcomes.iter().map(|o| o.latency_us).collect();
    xs.sort_by(f64::total_cmp);
    let round = |x: f64| (x * 10.0).round() / 10.0;
    Latency {
        p50: round(percentile(&xs, 50.0)),
        p99: round(percentile(&xs, 99.0)),
        mean: round(xs.iter().sum::<f64>() / xs.len().max(1) as f64),
        max: round(xs.last().copied().unwrap_or(0.0)),
    }
}

/// The headline numbers for one slice of the fixtures.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SliceMetrics {
    pub conversations: usize,
    pub intent_accuracy: Option<f64>,
    pub intent_macro_f1: Option<f64>,
    pub urgent_support: usize,
    pub urgent_recall: Option<f64>,
    pub urgent_missed: usize,
    pub false_urgent_rate: Option<f64>,
    pub automation_rate: Option<f64>,
    pub unsafe_auto_replies: usize,
    pub phi_recall: Option<f64>,
    pub over_redaction: Option<f64>,
}

pub fn slice_metrics(outcomes: &[&Outcome]) -> SliceMetrics {
    let pairs: Vec<(Intent, Intent)> = outcomes.iter().map(|o| (o.expected, o.got)).collect();
    let intent = intent_metrics(&pairs);
    let urgent = urgent_metrics(outcomes);
    let action = action_metrics(outcomes);
    let phi = phi_metrics(outcomes);
    SliceMetrics {
        conversations: outcomes.len(),
        intent_accuracy: intent.accuracy,
        intent_macro_f1: intent.macro_f1,
        urgent_support: urgent.support,
        urgent_recall: urgent.recall,
        urgent_missed: urgent.missed.len(),
        false_urgent_rate: urgent.false_urgent_rate,
        automation_rate: action.automation_rate,
        unsafe_auto_replies: action.unsafe_auto_replies.len(),
        phi_recall: phi.recall,
        over_redaction: phi.over_redaction,
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Slices {
    /// One entry per fixture tag.
    pub tag: Ordered<SliceMetrics>,
    /// One entry per `lang` value.
    pub lang: Ordered<SliceMetrics>,
}

/// metrics.json: the contract's fields (`conversations`, `intent.*`, `urgent.*`, `phi.*`,
/// `action.*`, `latency_us.*`) plus the breakdowns the report and gates use.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Metrics {
    pub conversations: usize,
    pub intent: IntentMetrics,
    pub urgent: UrgentMetrics,
    pub phi: PhiMetrics,
    pub action: ActionMetrics,
    pub latency_us: Latency,
    pub slices: Slices,
}

pub fn compute(outcomes: &[Outcome]) -> Metrics {
    let all: Vec<&Outcome> = outcomes.iter().collect();
    let pairs: Vec<(Intent, Intent)> = all.iter().map(|o| (o.expected, o.got)).collect();
    let mut tags: BTreeMap<&str, Vec<&Outcome>> = BTreeMap::new();
    let mut langs: BTreeMap<&str, Vec<&Outcome>> = BTreeMap::new();
    for o in &all {
        for t in &o.tags {
            tags.entry(t.as_str()).or_default().push(o);
        }
        langs.entry(o.lang.as_str()).or_default().push(o);
    }
    let slice = |m: BTreeMap<&str, Vec<&Outcome>>| {
        Ordered(
            m.into_iter()
                .map(|(k, v)| (k.to_owned(), slice_metrics(&v)))
                .collect(),
        )
    };
    Metrics {
        conversations: all.len(),
        intent: intent_metrics(&pairs),
        urgent: urgent_metrics(&all),
        phi: phi_metrics(&all),
        action: action_metrics(&all),
        latency_us: latency(&all),
        slices: Slices {
            tag: slice(tags),
            lang: slice(langs),
        },
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A correct, non-urgent, auto_ok outcome to vary in tests.
    pub fn outcome(id: &str, expected: Intent, got: Intent) -> Outcome {
        Outcome {
            id: id.into(),
            lang: "en".into(),
            tags: vec![],
            expected,
            expected_urgent: expected == Intent::Emergency,
            auto_ok: false,
            got,
            confidence: 0.9,
            escalated_urgent: got == Intent::Emergency,
            action: Action::Escalate,
            redacted_text: "hi".into(),
            reasons: vec![],
            phi: vec![],
            non_phi_chars: 2,
            over_redacted_chars: 0,
            latency_us: 10.0,
            templated: false,
            unsent_reason: None,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn macro_f1_averages_over_expected_and_predicted_intents() {
        use Intent::*;
        // greeting: tp 1, fn 1 -> p 1, r .5, f1 2/3; pricing: tp 1, fp 1 -> p .5, r 1, f1 2/3;
        // billing predicted once, never expected -> f1 0 and counted in the average.
        let pairs = [
            (Greeting, Greeting),
            (Greeting, Pricing),
            (Pricing, Pricing),
            (Help, Billing),
        ];
        let m = intent_metrics(&pairs);
        let expected_macro = (2.0 / 3.0 + 2.0 / 3.0 + 0.0 + 0.0) / 4.0;
        assert!(close(m.macro_f1.unwrap_or(-1.0), expected_macro), "{m:?}");
        assert!(close(m.accuracy.unwrap_or(-1.0), 0.5));
        let billing = m.per_intent.get("billing").cloned();
        assert_eq!(
            billing.map(|b| (b.support, b.predicted, b.f1)),
            Some((0, 1, 0.0))
        );
        assert_eq!(m.top_confusions.len(), 2);
        assert_eq!(m.confusion.labels.len(), 4);
    }

    #[test]
    fn zero_denominators_do_not_divide_by_zero() {
        assert_eq!(prf(0, 0, 0), (0.0, 0.0, 0.0));
        assert_eq!(prf(0, 0, 3), (0.0, 0.0, 0.0));
        assert_eq!(prf(2, 0, 0), (1.0, 1.0, 1.0));
        assert_eq!(ratio(1, 0), None);
        let m = intent_metrics(&[]);
        assert_eq!((m.accuracy, m.macro_f1), (None, None));
        let none: Vec<&Outcome> = vec![];
        let u = urgent_metrics(&none);
        assert_eq!(
            (u.recall, u.precision, u.false_urgent_rate),
            (None, None, None)
        );
        assert_eq!(percentile(&[], 50.0), 0.0);
    }

    #[test]
    fn urgent_recall_counts_only_full_escalations() {
        let a = outcome("a", Intent::Emergency, Intent::Emergency);
        let mut b = outcome("b", Intent::Emergency, Intent::SideEffect);
        b.escalated_urgent = false;
        let mut c = outcome("c", Intent::SideEffect, Intent::Emergency);
        c.tags = vec!["hard_negative".into()];
        let all = [&a, &b, &c];
        let u = urgent_metrics(&all);
        assert_eq!(u.recall, Some(0.5));
        assert_eq!(u.precision, Some(0.5));
        assert_eq!(u.missed, vec!["b".to_owned()]);
        assert_eq!(u.false_urgent, vec!["c".to_owned()]);
        assert_eq!(u.hard_negative.false_urgent_rate, Some(1.0));
    }

    #[test]
    fn unsafe_auto_replies_and_automation_rate() {
        let mut ok = outcome("ok", Intent::Greeting, Intent::Greeting);
        ok.auto_ok = true;
        ok.action = Action::AutoReply;
        let mut held = outcome("held", Intent::Greeting, Intent::Greeting);
        held.auto_ok = true;
        let mut bad = outcome("bad", Intent::Complaint, Intent::Greeting);
        bad.action = Action::Compliance;
        let a = action_metrics(&[&ok, &held, &bad]);
        assert_eq!(a.automation_rate, Some(0.5));
        assert_eq!(a.unsafe_auto_replies, vec!["bad".to_owned()]);
        // Decided is not sent: only a rendered template counts, and a template sent where a
        // person should answer is unsafe.
        assert_eq!(a.sent_rate, Some(0.0));
        let mut sent = ok.clone();
        sent.templated = true;
        let mut unsent = ok.clone();
        unsent.unsent_reason = Some("no_service".into());
        let mut bad_sent = bad.clone();
        bad_sent.templated = true;
        let b = action_metrics(&[&sent, &unsent, &held, &bad_sent]);
        assert_eq!(b.sent_rate, Some(1.0 / 3.0));
        assert_eq!(b.unsafe_sent, vec!["bad".to_owned()]);
        assert_eq!(b.unsent_reasons.0, vec![("no_service".to_owned(), 1)]);
    }

    #[test]
    fn over_redaction_counts_chars_not_bytes() {
        // "José 555-1234 ñandú": PHI "555-1234" at bytes 6..14; non-PHI chars = 5 + 6 = 11.
        let text = "José 555-1234 ñandú";
        let phi: &[Range<usize>] = &[Range { start: 6, end: 14 }];
        // The redactor also took "José" (bytes 0..5, 4 chars) and the phone.
        let findings = [0..5, 6..14];
        assert_eq!(over_redaction_chars(text, phi, &findings), (11, 4));
        assert_eq!(over_redaction_chars("", &[], &[]), (0, 0));
        assert_eq!(over_redaction_chars("ñ", &[], &[]), (1, 0));
    }

    #[test]
    fn phi_recall_per_kind_and_masking() {
        let mut o = outcome("p", Intent::Greeting, Intent::Greeting);
        o.redacted_text = "call Ana at [PHONE_1]".into();
        o.phi = vec![
            PhiOutcome {
                kind: PhiKind::Name,
                text: "Ana".into(),
                removed: false,
            },
            PhiOutcome {
                kind: PhiKind::Phone,
                text: "555-1234".into(),
                removed: true,
            },
        ];
        let p = phi_metrics(&[&o]);
        assert_eq!(p.recall, Some(0.5));
        assert_eq!(p.leaked.len(), 1);
        assert!(p.leaked_structured.is_empty());
        assert_eq!(p.per_kind.get("NAME").and_then(|k| k.recall), Some(0.0));
        assert_eq!(p.per_kind.get("EMAIL").and_then(|k| k.recall), None);
        assert_eq!(o.display_text(), "call [LEAKED_NAME] at [PHONE_1]");
    }

    #[test]
    fn percentiles_use_nearest_rank() {
        let xs: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&xs, 50.0), 50.0);
        assert_eq!(percentile(&xs, 99.0), 99.0);
        assert_eq!(percentile(&[7.0], 99.0), 7.0);
    }
}
