//! Human-readable outputs: report.md, summary.txt and errors.jsonl. Texts appear only in
//! redacted form (with any leaked listed PHI masked too), so reports can be shared and attached
//! to tickets without carrying identifiers.

use crate::metrics::{Metrics, Outcome, SliceMetrics};
use serde_json::json;
use std::fmt::Write;

/// A ratio as a percentage, or "n/a" when undefined.
pub fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_owned(), |v| format!("{:.1}%", v * 100.0))
}

fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.3}"))
}

/// Makes a text safe inside a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn find<'a>(outcomes: &'a [Outcome], id: &str) -> Option<&'a Outcome> {
    outcomes.iter().find(|o| o.id == id)
}

fn case_table(s: &mut String, ids: &[String], outcomes: &[Outcome]) {
    let _ = writeln!(
        s,
        "| id | expected | got | action | redacted text |\n|---|---|---|---|---|"
    );
    for id in ids {
        if let Some(o) = find(outcomes, id) {
            let _ = writeln!(
                s,
                "| {} | {}{} | {} | {} | {} |",
                cell(&o.id),
                o.expected,
                if o.expected_urgent { " (urgent)" } else { "" },
                o.got,
                o.action.as_str(),
                cell(&o.display_text())
            );
        }
    }
}

fn slice_row(s: &mut String, name: &str, m: &SliceMetrics) {
    let _ = writeln!(
        s,
        "| {} | {} | {} | {} | {} / {} | {} | {} | {} | {} |",
        cell(name),
        m.conversations,
        pct(m.intent_accuracy),
        num(m.intent_macro_f1),
        m.urgent_missed,
        m.urgent_support,
        pct(m.false_urgent_rate),
        pct(m.automation_rate),
        m.unsafe_auto_replies,
        pct(m.phi_recall)
    );
}

pub fn report_md(m: &Metrics, outcomes: &[Outcome], gates: Option<&str>) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Triage eval report\n");
    let _ = writeln!(
        s,
        "{} conversations. Intent accuracy {}, macro-F1 {}. Urgent recall {} ({} missed of {}), precision {}. \
         Unsafe auto-replies: {}. PHI recall {} ({} leaked), over-redaction {}. Automation {}. \
         Latency p50 {:.1} us, p99 {:.1} us.\n",
        m.conversations,
        pct(m.intent.accuracy),
        num(m.intent.macro_f1),
        pct(m.urgent.recall),
        m.urgent.missed.len(),
        m.urgent.support,
        pct(m.urgent.precision),
        m.action.unsafe_auto_replies.len(),
        pct(m.phi.recall),
        m.phi.leaked.len(),
        pct(m.phi.over_redaction),
        pct(m.action.automation_rate),
        m.latency_us.p50,
        m.latency_us.p99
    );
    if let Some(g) = gates {
        let _ = writeln!(s, "## Gates\n\n```\n{g}```\n");
    }

    let _ = writeln!(s, "## Urgent messages missed ({})\n", m.urgent.missed.len());
    if m.urgent.missed.is_empty() {
        let _ = writeln!(s, "None.\n");
    } else {
        case_table(&mut s, &m.urgent.missed, outcomes);
        s.push('\n');
    }
    let _ = writeln!(
        s,
        "## Unsafe auto-replies ({})\n",
        m.action.unsafe_auto_replies.len()
    );
    if m.action.unsafe_auto_replies.is_empty() {
        let _ = writeln!(s, "None.\n");
    } else {
        case_table(&mut s, &m.action.unsafe_auto_replies, outcomes);
        s.push('\n');
    }
    let _ = writeln!(s, "## PHI leaks ({})\n", m.phi.leaked.len());
    if m.phi.leaked.is_empty() {
        let _ = writeln!(s, "None.\n");
    } else {
        let _ = writeln!(s, "| id | kind | length |\n|---|---|---|");
        for l in &m.phi.leaked {
            let _ = writeln!(
                s,
                "| {} | {} | {} chars |",
                cell(&l.id),
                l.kind.as_str(),
                l.text.chars().count()
            );
        }
        s.push('\n');
    }
    let _ = writeln!(
        s,
        "## False urgent ({}; rate {}, on hard negatives {})\n",
        m.urgent.false_urgent.len(),
        pct(m.urgent.false_urgent_rate),
        pct(m.urgent.hard_negative.false_urgent_rate)
    );
    if !m.urgent.false_urgent.is_empty() {
        case_table(&mut s, &m.urgent.false_urgent, outcomes);
        s.push('\n');
    }

    let _ = writeln!(
        s,
        "## Per intent\n\n| intent | precision | recall | F1 | support | predicted |\n|---|---|---|---|---|---|"
    );
    for (name, c) in &m.intent.per_intent.0 {
        let _ = writeln!(
            s,
            "| {name} | {:.3} | {:.3} | {:.3} | {} | {} |",
            c.precision, c.recall, c.f1, c.support, c.predicted
        );
    }
    let _ = writeln!(
        s,
        "\n## Per slice\n\n| slice | n | accuracy | macro-F1 | urgent missed | false urgent | automation | unsafe | PHI recall |\n|---|---|---|---|---|---|---|---|---|"
    );
    for (name, sm) in &m.slices.tag.0 {
        slice_row(&mut s, &format!("tag {name}"), sm);
    }
    for (name, sm) in &m.slices.lang.0 {
        slice_row(&mut s, &format!("lang {name}"), sm);
    }
    let _ = writeln!(
        s,
        "\n## Top confusions\n\n| expected | predicted | count |\n|---|---|---|"
    );
    for c in &m.intent.top_confusions {
        let _ = writeln!(s, "| {} | {} | {} |", c.expected, c.got, c.count);
    }
    let _ = writeln!(s, "\n![confusion matrix](confusion.svg)\n");

    let wrong: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| !o.problems().is_empty())
        .collect();
    let _ = writeln!(
        s,
        "## Errors ({})\n\n| id | problems | expected | got (confidence) | action | redacted text |\n|---|---|---|---|---|---|",
        wrong.len()
    );
    for o in wrong {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} ({:.2}) | {} | {} |",
            cell(&o.id),
            o.problems().join(", "),
            o.expected,
            o.got,
            o.confidence,
            o.action.as_str(),
            cell(&o.display_text())
        );
    }
    s
}

/// One JSON line per conversation scored wrong in any way.
pub fn errors_jsonl(outcomes: &[Outcome]) -> String {
    let mut s = String::new();
    for o in outcomes {
        let problems = o.problems();
        if problems.is_empty() {
            continue;
        }
        let line = json!({
            "id": o.id,
            "problems": problems,
            "expected": {"intent": o.expected, "urgent": o.expected_urgent, "auto_ok": o.auto_ok},
            "got": {"intent": o.got, "confidence": o.confidence, "urgent": o.escalated_urgent},
            "redacted_text": o.display_text(),
            "action": o.action,
            "reasons": o.reasons,
            "leaked_kinds": o.leaks().map(|l| l.kind).collect::<Vec<_>>(),
        });
        s.push_str(&line.to_string());
        s.push('\n');
    }
    s
}

/// A few lines for a terminal (`make eval` prints it).
pub fn summary_txt(m: &Metrics) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "conversations        {}", m.conversations);
    let _ = writeln!(
        s,
        "intent               accuracy {}  macro-F1 {}",
        pct(m.intent.accuracy),
        num(m.intent.macro_f1)
    );
    let _ = writeln!(
        s,
        "urgent               recall {}  precision {}  missed {}  false-urgent {} (hard negatives {})",
        pct(m.urgent.recall),
        pct(m.urgent.precision),
        m.urgent.missed.len(),
        pct(m.urgent.false_urgent_rate),
        pct(m.urgent.hard_negative.false_urgent_rate)
    );
    let _ = writeln!(
        s,
        "phi                  recall {}  leaked {} ({} structured)  over-redaction {}",
        pct(m.phi.recall),
        m.phi.leaked.len(),
        m.phi.leaked_structured.len(),
        pct(m.phi.over_redaction)
    );
    let _ = writeln!(
        s,
        "action               automation {}  unsafe auto-replies {}",
        pct(m.action.automation_rate),
        m.action.unsafe_auto_replies.len()
    );
    let _ = writeln!(
        s,
        "sent (example clinic) answered by a template {}  unsafe sent {}",
        pct(m.action.sent_rate),
        m.action.unsafe_sent.len()
    );
    let _ = writeln!(
        s,
        "latency              p50 {:.1} us  p99 {:.1} us",
        m.latency_us.p50, m.latency_us.p99
    );
    if !m.urgent.missed.is_empty() {
        let _ = writeln!(s, "URGENT MISSED:       {}", m.urgent.missed.join(", "));
    }
    if !m.action.unsafe_auto_replies.is_empty() {
        let _ = writeln!(
            s,
            "UNSAFE AUTO-REPLIES: {}",
            m.action.unsafe_auto_replies.join(", ")
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{compute, tests::outcome, PhiOutcome};
    use classifier::{Intent, PhiKind};

    #[test]
    fn report_lists_misses_first_and_never_raw_phi() {
        let mut missed = outcome("u-1", Intent::Emergency, Intent::Other);
        missed.escalated_urgent = false;
        missed.redacted_text = "Ana Ruiz lips turning white".into();
        missed.phi = vec![PhiOutcome {
            kind: PhiKind::Name,
            text: "Ana Ruiz".into(),
            removed: false,
        }];
        let ok = outcome("g-1", Intent::Greeting, Intent::Greeting);
        let outcomes = vec![missed, ok];
        let m = compute(&outcomes);
        let md = report_md(&m, &outcomes, None);
        assert!(!md.contains("Ana Ruiz"), "{md}");
        let urgent_at = md
            .find("## Urgent messages missed (1)")
            .unwrap_or(usize::MAX);
        let table_at = md.find("## Per intent").unwrap_or(0);
        assert!(urgent_at < table_at);
        assert!(md.contains("[LEAKED_NAME] lips turning white"));
        let errors = errors_jsonl(&outcomes);
        assert_eq!(errors.lines().count(), 1);
        assert!(!errors.contains("Ana Ruiz"));
        assert!(summary_txt(&m).contains("URGENT MISSED:       u-1"));
    }
}
