//! `check(doc, options)` → `Promise<CheckReport>`: replays what a refined document claims
//! against the live tool ([`crate::check`]). `options`: `tools` (`mcpUrl`, `baseUrl`,
//! `headers`, `callTool`), `safety` (as the Refiner's), `only`, `maxEnumValues`,
//! `maxExamples`, `timeoutMs`, `fetch`, `signal`, `onOperation` (each operation's result as
//! it is reached). No model is used.
//!
//! ```ignore
//! // JS: const report = await check(text, {tools: {baseUrl: 'http://127.0.0.1:8082'}});
//! //     report.verdict  // 'ok' | 'drift' | 'unreachable' | 'skipped'
//! ```

use super::convert::{from_js, function_property, property, to_js};
use super::error::{js_error, to_js_error};
use super::host::{Cancellation, JsHost};
use super::refiner::read_doc;
use super::setup::{section, timeout_ms, tool_caller, ToolsSetup};
use crate::check::{CheckConfig, OperationCheck};
use crate::host::Host;
use crate::tools::SafetyOptions;
use js_sys::Promise;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// A whole-number option, `None` when absent.
fn count(options: &JsValue, name: &str) -> Result<Option<usize>, JsValue> {
    match property(options, name)? {
        None => Ok(None),
        Some(v) => match v.as_f64() {
            Some(n) if n.is_finite() && n >= 0.0 => Ok(Some(n as usize)),
            _ => Err(js_error("InvalidConfig", &format!("{name} must be a number of at least 0"))),
        },
    }
}

async fn run(doc: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    if !options.is_object() {
        return Err(js_error(
            "InvalidArgument",
            "check needs options with a tool target: {tools: {mcpUrl | baseUrl | callTool}}",
        ));
    }
    let doc = read_doc(doc, "doc")?;
    let tools = ToolsSetup::from_js(&options)?;
    let safety: SafetyOptions = section(&options, "safety")?;
    let only: Vec<String> = match property(&options, "only")? {
        Some(v) => from_js(v, "only")?,
        None => Vec::new(),
    };
    let timeout_ms = timeout_ms(&options)?;
    let on_operation = function_property(&options, "onOperation", "onOperation")?;
    let cancel = Cancellation::new(property(&options, "signal")?)?;
    if cancel.is_cancelled() {
        return Err(to_js_error(&crate::host::HostError::Aborted));
    }
    let host = Rc::new(JsHost::new(function_property(&options, "fetch", "fetch")?, cancel.clone(), timeout_ms));
    let defaults = CheckConfig::default();
    let config = CheckConfig {
        only,
        max_enum_values: count(&options, "maxEnumValues")?.unwrap_or(defaults.max_enum_values),
        max_examples: count(&options, "maxExamples")?.unwrap_or(defaults.max_examples),
    };
    let policy = safety.policy();
    let secrets: Vec<String> = tools.options.headers.values().filter(|v| !v.is_empty()).cloned().collect();
    let caller = tool_caller(&tools, policy, secrets, timeout_ms, &host, &cancel)?.ok_or_else(|| {
        js_error(
            "NoToolTarget",
            "no tool target: set tools.mcpUrl (an MCP server), tools.baseUrl (an HTTP API) or tools.callTool",
        )
    })?;
    let notify = |o: &OperationCheck| {
        super::convert::notify(on_operation.as_ref(), o);
    };
    let report = crate::check::check(&doc, &*caller, &*host as &dyn Host, &config, Some(&notify))
        .await
        .map_err(|e| js_error(e.code(), &e.to_string()))?;
    to_js(&report)
}

/// Checks a document against the live tool (see the module docs).
#[wasm_bindgen]
pub fn check(doc: JsValue, options: JsValue) -> Promise {
    future_to_promise(run(doc, options))
}
