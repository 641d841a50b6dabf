//! The confusion matrix as a self-contained SVG: rows are expected intents, columns predicted;
//! each cell shows its count and is shaded by its share of the row, so a rare intent's errors are
//! as visible as a common one's.

use crate::metrics::ConfusionMatrix;
use std::fmt::Write;

const CELL: usize = 30;
const LEFT: usize = 190;
const TOP: usize = 190;

/// Escapes text for SVG content and attributes.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// White to dark blue by `share` in [0, 1].
fn shade(share: f64) -> String {
    let s = share.clamp(0.0, 1.0);
    let lerp = |a: f64, b: f64| (a + (b - a) * s).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        lerp(255.0, 8.0),
        lerp(255.0, 48.0),
        lerp(255.0, 107.0)
    )
}

pub fn confusion_svg(m: &ConfusionMatrix) -> String {
    let n = m.labels.len();
    let grid = n * CELL;
    let legend_x = LEFT + grid + 70;
    let width = legend_x + 90;
    let height = (TOP + grid + 60).max(TOP + 260);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="10" y="22" font-size="16" font-weight="bold">Intent confusion: rows expected, columns predicted ({} conversations)</text>"#,
        m.counts.iter().flatten().sum::<usize>()
    );
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle" font-weight="bold">predicted</text>"#,
        LEFT + grid / 2,
        TOP - 150
    );
    let _ = writeln!(
        s,
        r#"<text x="14" y="{y}" text-anchor="middle" font-weight="bold" transform="rotate(-90 14 {y})">expected</text>"#,
        y = TOP + grid / 2
    );
    for (i, label) in m.labels.iter().enumerate() {
        let c = TOP + i * CELL + CELL / 2 + 4;
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{c}" text-anchor="end">{}</text>"#,
            LEFT - 6,
            esc(label)
        );
        let x = LEFT + i * CELL + CELL / 2 + 4;
        let y = TOP - 6;
        let _ = writeln!(
            s,
            r#"<text x="{x}" y="{y}" transform="rotate(-60 {x} {y})">{}</text>"#,
            esc(label)
        );
    }
    for (r, row) in m.counts.iter().enumerate() {
        let total: usize = row.iter().sum();
        for (c, &count) in row.iter().enumerate() {
            let share = if total > 0 {
                count as f64 / total as f64
            } else {
                0.0
            };
            let x = LEFT + c * CELL;
            let y = TOP + r * CELL;
            let stroke = if r == c { "#333333" } else { "#dddddd" };
            let _ = writeln!(
                s,
                r#"<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{}" stroke="{stroke}"><title>{} -> {}: {count} ({:.0}% of row)</title></rect>"#,
                shade(share),
                esc(&m.labels[r]),
                esc(&m.labels[c]),
                share * 100.0
            );
            if count > 0 {
                let fill = if share > 0.5 { "white" } else { "black" };
                let _ = writeln!(
                    s,
                    r#"<text x="{}" y="{}" text-anchor="middle" fill="{fill}">{count}</text>"#,
                    x + CELL / 2,
                    y + CELL / 2 + 4
                );
            }
        }
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" fill="#555555">{total}</text>"##,
            LEFT + grid + 6,
            TOP + r * CELL + CELL / 2 + 4
        );
    }
    // Legend: the colour scale of the row share.
    let _ = writeln!(
        s,
        r#"<defs><linearGradient id="scale" x1="0" y1="1" x2="0" y2="0"><stop offset="0" stop-color="{}"/><stop offset="1" stop-color="{}"/></linearGradient></defs>"#,
        shade(0.0),
        shade(1.0)
    );
    let _ = writeln!(
        s,
        r##"<rect x="{legend_x}" y="{TOP}" width="20" height="200" fill="url(#scale)" stroke="#333333"/>"##
    );
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}">100%</text><text x="{}" y="{}">0%</text><text x="{legend_x}" y="{}">share of row</text>"#,
        legend_x + 26,
        TOP + 10,
        legend_x + 26,
        TOP + 200,
        TOP - 10
    );
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_labels_counts_and_escapes() {
        let m = ConfusionMatrix {
            labels: vec!["a<b".into(), "greeting".into()],
            counts: vec![vec![3, 1], vec![0, 2]],
        };
        let svg = confusion_svg(&m);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("a&lt;b") && !svg.contains("a<b"));
        assert!(svg.contains(">3</text>") && svg.contains(">2</text>"));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(shade(0.0), "#ffffff");
    }
}
