//! Evaluation from JS: `evaluate(options, {signal, onProgress})` scores doc versions on a
//! query set with a model (and, when a tool target is given, calls the chosen read-only
//! operations); `compareDocs(before, after)` is the model-free change report;
//! `exploreHeldOut` writes verified test queries. Documents are objects, as `parseDoc` returns
//! them (`pkg/index.js` parses texts first). Reading query sets and rendering reports
//! need no engine: they are in [`super::eval_report`], part of the document module too.
//!
//! ```ignore
//! // JS: const report = await evaluate({docs: [{label: 'original', doc: a}, {label: 'refined', doc: b}],
//! //                                    queries: jsonl, llm: {provider: 'openai', baseUrl, model}});
//! ```

use super::convert::{from_js, function_property, property, string_arg, to_js};
use super::error::{js_error, to_js_error};
use super::eval_report::eval_error;
use super::host::{Cancellation, JsHost};
use super::refiner::read_doc;
use super::setup::RefinerSetup;
use crate::eval::{parse_queries, DocVersion, EvalConfig, EvalProgress, Evaluator};
use crate::refine::{CachedModel, ResponseCache};
use js_sys::Promise;
use serde::Deserialize;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// One doc version as JS gives it.
#[derive(Deserialize)]
struct VersionInput {
    label: String,
    doc: crate::doc::ToolDoc,
}

async fn evaluate_impl(options: JsValue, run_options: JsValue) -> Result<JsValue, JsValue> {
    if !options.is_object() {
        return Err(js_error("InvalidArgument", "evaluate needs {docs, queries, llm}"));
    }
    let docs: Vec<VersionInput> =
        from_js(property(&options, "docs")?.ok_or_else(|| js_error("InvalidArgument", "docs is required"))?, "docs")?;
    let queries = string_arg(
        &property(&options, "queries")?.ok_or_else(|| js_error("InvalidArgument", "queries is required"))?,
        "queries",
    )?;
    let versions: Vec<DocVersion> = docs.into_iter().map(|d| DocVersion { label: d.label, doc: d.doc }).collect();
    let mut set = parse_queries(&queries).map_err(|e| eval_error(&e))?;
    if let Some(n) = property(&options, "limit")?.and_then(|v| v.as_f64()) {
        set.items.truncate(n.max(1.0) as usize);
    }
    let setup = RefinerSetup::from_js(&options)?;
    let mut config = EvalConfig { concurrency: setup.limits.concurrency, ..EvalConfig::default() };
    if let Some(n) = property(&options, "resamples")?.and_then(|v| v.as_f64()) {
        config.resamples = n.max(1.0) as usize;
    }
    if let Some(n) = property(&options, "seed")?.and_then(|v| v.as_f64()) {
        config.seed = n as u64;
    }
    if let Some(n) = property(&options, "concurrency")?.and_then(|v| v.as_f64()) {
        config.concurrency = n.max(1.0) as usize;
    }
    let signal = if run_options.is_object() { property(&run_options, "signal")? } else { None };
    let on_progress =
        if run_options.is_object() { function_property(&run_options, "onProgress", "onProgress")? } else { None };
    let cancel = Cancellation::new(signal)?;
    let host = Rc::new(JsHost::new(setup.fetch.clone(), cancel.clone(), setup.timeout_ms));
    // Identical prompts (e.g. two versions that document an operation the same way) are asked once.
    let model = Rc::new(CachedModel::new(setup.model(&host, &cancel), Rc::new(ResponseCache::default())));
    let tools = setup.tool_caller(&host, &cancel)?;
    let evaluator = Evaluator::new(model, tools, config);
    let progress = |p: &EvalProgress| {
        super::convert::notify(on_progress.as_ref(), p);
    };
    let report = evaluator.run(&versions, &set, &progress).await.map_err(|e| eval_error(&e))?;
    if cancel.is_cancelled() {
        return Err(to_js_error(&crate::host::HostError::Aborted));
    }
    to_js(&report)
}

/// Scores doc versions on a query set: `Promise<EvalReport>`.
#[wasm_bindgen]
pub fn evaluate(options: JsValue, run_options: JsValue) -> Promise {
    future_to_promise(evaluate_impl(options, run_options))
}

/// What changed between two versions of a document (no model involved).
#[wasm_bindgen(js_name = compareDocs)]
pub fn compare_docs(before: JsValue, after: JsValue) -> Result<JsValue, JsValue> {
    to_js(&crate::eval::changes::compare_docs(&read_doc(before, "before")?, &read_doc(after, "after")?))
}

/// The options of `exploreHeldOut` beyond the RefinerConfig.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HeldOutOptions {
    #[serde(default = "default_per_operation")]
    per_operation: usize,
    /// A run's report (the JSON `report` of `Refiner.run`): its explored queries are avoided.
    /// Only what it explored is read ([`crate::eval::explored`]).
    #[serde(default)]
    report: Option<crate::eval::explored::ExploredRun>,
}

fn default_per_operation() -> usize {
    2
}

async fn held_out_impl(config: JsValue, doc: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let setup = RefinerSetup::from_js(&config)?;
    let original = read_doc(doc, "doc")?;
    let opts: HeldOutOptions = if options.is_object() {
        from_js(super::convert::without_functions(&options)?, "options")?
    } else {
        HeldOutOptions { per_operation: default_per_operation(), report: None }
    };
    let signal = if options.is_object() { property(&options, "signal")? } else { None };
    let cancel = Cancellation::new(signal)?;
    let host = Rc::new(JsHost::new(setup.fetch.clone(), cancel.clone(), setup.timeout_ms));
    let model = setup.model(&host, &cancel);
    let tools = setup.tool_caller(&host, &cancel)?.ok_or_else(|| {
        js_error(
            "NoToolTarget",
            "held-out queries are verified by calling the tool: set tools.mcpUrl, tools.baseUrl or tools.callTool",
        )
    })?;
    let seen = opts.report.as_ref().map(crate::eval::explored::explored_queries).unwrap_or_default();
    let held_out = crate::eval::holdout::explore_held_out(
        model.as_ref(),
        tools.as_ref(),
        &original,
        &seen,
        opts.per_operation.max(1),
        &setup.refine_config(),
    )
    .await;
    if cancel.is_cancelled() {
        return Err(to_js_error(&crate::host::HostError::Aborted));
    }
    let explored = opts.report.as_ref().map(crate::eval::explored::explored_items).unwrap_or_default();
    to_js(&crate::eval::holdout::HeldOutResult::new(&held_out, &explored))
}

/// New, verified test queries the run's rewrites never saw:
/// `Promise<{items, skipped, modelCalls, toolCalls, jsonl, exploredJsonl}>`.
#[wasm_bindgen(js_name = exploreHeldOut)]
pub fn explore_held_out(config: JsValue, doc: JsValue, options: JsValue) -> Promise {
    future_to_promise(held_out_impl(config, doc, options))
}
