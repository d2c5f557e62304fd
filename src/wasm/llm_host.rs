//! A chat model that is a JS function: `llm: {provider: 'host', call}` where
//! `call(request, {signal}) => Promise<{content, usage?, model?}>`. IDE extensions use this
//! to forward to their editor's own model API; the core sees an ordinary [`ChatModel`].
//!
//! A function that throws or rejects gives `LlmError::Host` (code `LlmHostError`) with its
//! message; a cancelled run stops waiting at once (`LlmError::Cancelled`), and the function
//! receives the run's `AbortSignal` so it can stop its own work too.
//!
//! ```ignore
//! let model = HostChatModel::new(js_function, cancellation);
//! let answer = model.chat(&ChatRequest::new("explorer", vec![ChatMessage::user("hi")])).await?;
//! ```

use super::convert::to_js;
use super::error::describe;
use super::host::Cancellation;
use crate::llm::{ChatModel, ChatRequest, ChatResponse, LlmError, Usage};
use async_trait::async_trait;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;

/// A [`ChatModel`] backed by a JS function returning a Promise.
pub struct HostChatModel {
    call: Function,
    cancel: Cancellation,
}

impl HostChatModel {
    /// Wraps `call(request, {signal})`; `cancel` is the run's stop switch.
    pub fn new(call: Function, cancel: Cancellation) -> HostChatModel {
        HostChatModel { call, cancel }
    }
}

fn host_error(value: &JsValue) -> LlmError {
    let (name, message) = describe(value);
    LlmError::Host { message: if name == "Error" { message } else { format!("{name}: {message}") } }
}

/// Reads what the function resolved to: `{content, usage?, model?}`, or a bare string.
fn read_response(value: JsValue) -> Result<ChatResponse, LlmError> {
    if let Some(content) = value.as_string() {
        return Ok(ChatResponse { content, usage: Usage::default(), model: None });
    }
    super::convert::read_js::<ChatResponse>(&value).map_err(|e| LlmError::Host {
        message: format!("the llm function must resolve to {{content: string, usage?, model?}} or a string: {e}"),
    })
}

#[async_trait(?Send)]
impl ChatModel for HostChatModel {
    async fn chat(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError> {
        if self.cancel.is_cancelled() {
            return Err(LlmError::Cancelled);
        }
        let js_request = to_js(request).map_err(|e| host_error(&e))?;
        let options = js_sys::Object::new();
        Reflect::set(&options, &"signal".into(), &self.cancel.signal()).map_err(|e| host_error(&e))?;
        let pending = self.call.call2(&JsValue::UNDEFINED, &js_request, &options).map_err(|e| host_error(&e))?;
        let value = self.cancel.race(&Promise::resolve(&pending)).await.map_err(|e| match e {
            None => LlmError::Cancelled,
            Some(e) => host_error(&e),
        })?;
        read_response(value)
    }
}
