//! The model-free half of evaluation, in JS: `parseQueries(text)` reads a query set as
//! `evaluate` does (the one parser: the CLI and the web app use it), `evaluationHtml(report)`
//! renders the standalone HTML report and `evaluationChart(report)` its SVG chart. They need
//! no engine: they are in the document module (feature `document`); `evaluate` itself is in
//! [`super::eval`], which shares [`eval_error`].
//!
//! ```ignore
//! // JS: parseQueries('{"query": "q", "gold": ["op"]}')  → {kind: 'jsonl', items: [{id, query, gold}]}
//! ```

use super::error::js_error;
use crate::eval::EvalError;
use wasm_bindgen::prelude::*;
#[cfg(feature = "document")]
use {
    super::convert::{from_js, string_arg, to_js},
    crate::eval::{parse_queries, EvalReport},
};

/// An evaluation error as a JS error named by its code.
pub fn eval_error(e: &EvalError) -> JsValue {
    js_error(e.code(), &e.to_string())
}

/// The standalone HTML page of an evaluation report (with its SVG chart).
#[cfg(feature = "document")]
#[wasm_bindgen(js_name = evaluationHtml)]
pub fn evaluation_html(report: JsValue) -> Result<String, JsValue> {
    let report: EvalReport = from_js(report, "report")?;
    Ok(crate::eval::html::render(&report))
}

/// The SVG chart of an evaluation report's scores.
#[cfg(feature = "document")]
#[wasm_bindgen(js_name = evaluationChart)]
pub fn evaluation_chart(report: JsValue) -> Result<String, JsValue> {
    let report: EvalReport = from_js(report, "report")?;
    Ok(crate::eval::chart::score_chart(&report.versions))
}

/// Reads a query set (the DRAFT paper's JSON arrays or JSONL) as `evaluate` reads it:
/// `{kind, items: [{id, query, gold, candidates?, args?}]}`. Throws `EmptyQuerySet` or
/// `InvalidQuerySet` (naming where).
#[cfg(feature = "document")]
#[wasm_bindgen(js_name = parseQueries)]
pub fn parse_queries_js(text: JsValue) -> Result<JsValue, JsValue> {
    let text = string_arg(&text, "text")?;
    to_js(&parse_queries(&text).map_err(|e| eval_error(&e))?)
}
