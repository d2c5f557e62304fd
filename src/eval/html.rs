//! A standalone HTML page for an evaluation: the chart, the scores with intervals, the
//! paired comparisons, skipped items and per-item outcomes. Every value is escaped; the page
//! has no scripts and loads nothing.
//!
//! ```
//! use tooldraft::eval::{html::render, EvalReport};
//! let page = render(&EvalReport { query_set: "jsonl".into(), items: 0, scored_items: 0, skipped: vec![], versions: vec![], comparisons: vec![], labels: Default::default() });
//! assert!(page.contains("<svg"));
//! ```

use super::chart::score_chart;
pub use super::markup::escape;
use super::report::{EvalReport, Metric};

fn pct(m: &Metric) -> String {
    format!("{:.1}% <small>[{:.1}, {:.1}]</small>", m.mean * 100.0, m.low * 100.0, m.high * 100.0)
}

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;\
color:#1b1b1f;background:#fff}@media(prefers-color-scheme:dark){body{color:#e6e6ea;background:#16161a}}\
table{border-collapse:collapse;margin:1rem 0;width:100%}th,td{border-bottom:1px solid #8884;padding:.3rem .5rem;\
text-align:left;vertical-align:top}small{opacity:.7}code{font-family:ui-monospace,monospace}svg{max-width:720px}";

/// Renders the report as one self-contained HTML page.
pub fn render(report: &EvalReport) -> String {
    let mut h = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width,initial-scale=1\"><meta http-equiv=\"Content-Security-Policy\" \
         content=\"default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'\"><title>tooldraft evaluation</title><style>{STYLE}\
         </style></head><body><h1>Does the refined documentation help?</h1><p>Query set: <code>{}</code>, {} items, \
         {} scored, {} skipped.</p>",
        escape(&report.query_set),
        report.items,
        report.scored_items,
        report.skipped.len()
    );
    h.push_str(&score_chart(&report.versions));
    let labels = &report.labels;
    h.push_str("<h2>Scores</h2><table><thead><tr><th>version</th>");
    for (id, _) in super::labels::METRICS {
        h.push_str(&format!("<th>{}</th>", escape(labels.metric(id))));
    }
    h.push_str("<th>outside candidates</th><th>errors</th></tr></thead><tbody>");
    for v in &report.versions {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.0}</td><td>{}</td><td>{}</td></tr>",
            escape(&v.label),
            pct(&v.cp),
            pct(&v.cp_ordered),
            pct(&v.selection),
            pct(&v.args_valid),
            v.call_success.as_ref().map(pct).unwrap_or_else(|| "–".into()),
            v.tokens_per_item.mean,
            v.outside_candidates,
            v.errors
        ));
    }
    h.push_str("</tbody></table>");
    if !report.comparisons.is_empty() {
        h.push_str(
            "<h2>Paired comparisons</h2><table><thead><tr><th>baseline → candidate</th><th>metric</th>\
             <th>difference [95% CI]</th><th>p</th><th>test</th></tr></thead><tbody>",
        );
        for c in &report.comparisons {
            let scale = if c.metric == "tokensPerItem" { 1.0 } else { 100.0 };
            h.push_str(&format!(
                "<tr><td>{} → {}</td><td>{}</td><td>{:+.1} <small>[{:+.1}, {:+.1}]</small></td><td>{:.4}</td><td>{}</td></tr>",
                escape(&c.baseline),
                escape(&c.candidate),
                escape(labels.metric(&c.metric)),
                c.difference * scale,
                c.low * scale,
                c.high * scale,
                c.p_value,
                escape(labels.test(&c.test))
            ));
        }
        h.push_str("</tbody></table>");
    }
    if !report.skipped.is_empty() {
        h.push_str(
            "<h2>Skipped items</h2><table><thead><tr><th>item</th><th>version</th><th>reason</th></tr></thead><tbody>",
        );
        for s in &report.skipped {
            h.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&s.item),
                escape(&s.version),
                escape(&s.reason)
            ));
        }
        h.push_str("</tbody></table>");
    }
    for v in &report.versions {
        h.push_str(&format!(
            "<details><summary>Items under {}</summary><table><thead><tr><th>item</th><th>gold</th><th>chosen</th>\
             <th>CP</th><th>note</th></tr></thead><tbody>",
            escape(&v.label)
        ));
        for i in &v.items {
            h.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&i.item),
                escape(&i.gold.join(" → ")),
                escape(&i.chosen.join(" → ")),
                if i.cp { "✓" } else { "✗" },
                escape(i.error.as_deref().unwrap_or(""))
            ));
        }
        h.push_str("</tbody></table></details>");
    }
    h.push_str("</body></html>\n");
    h
}
