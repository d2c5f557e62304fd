//! An SVG bar chart of scores per doc version, with 95% interval whiskers. Self-contained
//! (no scripts, no external fonts), so it can go into the HTML report and the web app.
//!
//! ```
//! let svg = tooldraft::eval::chart::score_chart(&[]);
//! assert!(svg.starts_with("<svg"));
//! ```

use super::markup::escape;
use super::report::{Metric, VersionScores};

const COLORS: [&str; 6] = ["#8c8c8c", "#2f6fdf", "#1f9d55", "#d97706", "#9333ea", "#dc2626"];

/// Grouped bars: one group per metric (CP, ordered CP, selection, valid arguments, call
/// success), one bar per version.
pub fn score_chart(versions: &[VersionScores]) -> String {
    let metrics: Vec<(&str, Vec<Option<&Metric>>)> = vec![
        ("CP", versions.iter().map(|v| Some(&v.cp)).collect()),
        ("CP (ordered)", versions.iter().map(|v| Some(&v.cp_ordered)).collect()),
        ("Selection", versions.iter().map(|v| Some(&v.selection)).collect()),
        ("Valid args", versions.iter().map(|v| Some(&v.args_valid)).collect()),
        ("Call success", versions.iter().map(|v| v.call_success.as_ref()).collect()),
    ];
    let (width, height, left, top, plot_h) = (640.0, 300.0, 40.0, 20.0, 220.0);
    let group_w = (width - left - 10.0) / metrics.len() as f64;
    let bar_w = (group_w - 16.0) / versions.len().max(1) as f64;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" \
         aria-label=\"Scores per documentation version\" font-family=\"sans-serif\" font-size=\"11\">"
    );
    for tick in 0..=4 {
        let y = top + plot_h - plot_h * tick as f64 / 4.0;
        s.push_str(&format!(
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#8884\"/><text x=\"{}\" y=\"{:.1}\" \
             text-anchor=\"end\" fill=\"currentColor\">{}%</text>",
            width - 10.0,
            left - 4.0,
            y + 4.0,
            tick * 25
        ));
    }
    for (g, (name, values)) in metrics.iter().enumerate() {
        let gx = left + g as f64 * group_w + 8.0;
        for (v, m) in values.iter().enumerate() {
            let Some(m) = m else { continue };
            let x = gx + v as f64 * bar_w;
            let h = plot_h * m.mean.clamp(0.0, 1.0);
            let color = COLORS[v % COLORS.len()];
            let label = escape(&versions[v].label);
            s.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{color}\"><title>{label}: {:.1}% \
                 [{:.1}, {:.1}]</title></rect>",
                top + plot_h - h,
                (bar_w - 2.0).max(1.0),
                m.mean * 100.0,
                m.low * 100.0,
                m.high * 100.0
            ));
            let cx = x + (bar_w - 2.0) / 2.0;
            let (ylo, yhi) = (top + plot_h * (1.0 - m.low), top + plot_h * (1.0 - m.high));
            s.push_str(&format!(
                "<line x1=\"{cx:.1}\" x2=\"{cx:.1}\" y1=\"{ylo:.1}\" y2=\"{yhi:.1}\" stroke=\"currentColor\"/>"
            ));
        }
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"currentColor\">{}</text>",
            gx + (group_w - 16.0) / 2.0,
            top + plot_h + 16.0,
            escape(name)
        ));
    }
    for (v, version) in versions.iter().enumerate() {
        let x = left + v as f64 * 140.0;
        s.push_str(&format!(
            "<rect x=\"{x}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" \
             fill=\"currentColor\">{}</text>",
            height - 30.0,
            COLORS[v % COLORS.len()],
            x + 14.0,
            height - 21.0,
            escape(&version.label)
        ));
    }
    s.push_str("</svg>");
    s
}
