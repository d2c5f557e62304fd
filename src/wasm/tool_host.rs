//! A tool caller that is a JS function: `tools: {callTool}` where
//! `callTool(operation, args, {signal}) => Promise<ToolCallResult>` and a result is
//! `{json?, body?, isError?, status?, contentType?, headers?}` (at least `json` or `body`).
//! The core sees an ordinary [`ToolCaller`]; the safety policy is checked before every call.
//!
//! ```ignore
//! let caller = HostToolCaller::new(js_function, cancellation, Box::new(|op| policy.check(op)));
//! let observation = caller.call(&operation, &json!({"q": "x"})).await?;
//! ```

use super::convert::to_js;
use super::error::describe;
use super::host::Cancellation;
use crate::doc::Operation;
use crate::tools::{Observation, RecordedRequest, ToolCaller, ToolError};
use async_trait::async_trait;
use js_sys::{Function, Promise, Reflect};
use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// Decides whether an operation may be called (the safety policy).
pub type Permits = Box<dyn Fn(&Operation) -> Result<(), ToolError>>;

/// A [`ToolCaller`] backed by a JS function returning a Promise.
pub struct HostToolCaller {
    call_tool: Function,
    cancel: Cancellation,
    permits: Permits,
    clock: Box<dyn Fn() -> f64>,
}

impl HostToolCaller {
    /// Wraps `callTool(operation, args, {signal})`, guarded by `permits`; `clock` gives
    /// milliseconds for the observation's duration (the run's [`crate::host::Host::now_ms`]).
    pub fn new(call_tool: Function, cancel: Cancellation, permits: Permits, clock: Box<dyn Fn() -> f64>) -> Self {
        HostToolCaller { call_tool, cancel, permits, clock }
    }
}

/// What `callTool` resolves to.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ToolCallResult {
    #[serde(default)]
    json: Option<Value>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    is_error: bool,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    content_type: Option<String>,
    #[serde(default)]
    headers: Option<std::collections::BTreeMap<String, String>>,
}

fn host_error(value: &JsValue) -> ToolError {
    let (name, message) = describe(value);
    ToolError::Host { message: if name == "Error" { message } else { format!("{name}: {message}") } }
}

/// Turns the function's result into an observation of the call.
fn observe(
    operation: &Operation,
    arguments: &Value,
    value: JsValue,
    duration_ms: f64,
) -> Result<Observation, ToolError> {
    let shape = "callTool must resolve to {json?, body?, isError?, status?, contentType?, headers?} with json or body";
    if !value.is_object() {
        return Err(ToolError::Host { message: shape.into() });
    }
    let result: ToolCallResult =
        super::convert::read_js(&value).map_err(|e| ToolError::Host { message: format!("{shape}: {e}") })?;
    let (body, json) = match (result.body, result.json) {
        (Some(body), json) => {
            let json = json.or_else(|| serde_json::from_str(&body).ok());
            (body, json)
        }
        (None, Some(json)) => (json.to_string(), Some(json)),
        (None, None) => return Err(ToolError::Host { message: shape.into() }),
    };
    let content_type = result.content_type.or_else(|| json.as_ref().map(|_| "application/json".to_string()));
    Ok(Observation {
        request: RecordedRequest {
            method: "callTool".into(),
            url: operation.id.clone(),
            headers: Vec::new(),
            body: Some(arguments.to_string()),
        },
        status: Some(result.status.unwrap_or(if result.is_error { 500 } else { 200 })),
        content_type,
        headers: result.headers.map(|h| h.into_iter().collect()).unwrap_or_default(),
        body_bytes: body.len() as u64,
        body,
        json,
        truncated: false,
        is_error: result.is_error,
        duration_ms,
    })
}

#[async_trait(?Send)]
impl ToolCaller for HostToolCaller {
    fn permits(&self, operation: &Operation) -> Result<(), ToolError> {
        (self.permits)(operation)
    }

    async fn call(&self, operation: &Operation, arguments: &Value) -> Result<Observation, ToolError> {
        (self.permits)(operation)?;
        if self.cancel.is_cancelled() {
            return Err(ToolError::Transport { endpoint: "callTool".into(), source: crate::host::HostError::Aborted });
        }
        let js_operation = to_js(operation).map_err(|e| host_error(&e))?;
        let js_arguments = to_js(arguments).map_err(|e| host_error(&e))?;
        let options = js_sys::Object::new();
        Reflect::set(&options, &"signal".into(), &self.cancel.signal()).map_err(|e| host_error(&e))?;
        let started = (self.clock)();
        let pending = self
            .call_tool
            .call3(&JsValue::UNDEFINED, &js_operation, &js_arguments, &options)
            .map_err(|e| host_error(&e))?;
        let value = self.cancel.race(&Promise::resolve(&pending)).await.map_err(|e| match e {
            None => ToolError::Transport { endpoint: "callTool".into(), source: crate::host::HostError::Aborted },
            Some(e) => host_error(&e),
        })?;
        observe(operation, arguments, value, (self.clock)() - started)
    }
}
