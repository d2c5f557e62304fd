//! An OpenAI-compatible chat-completions provider (OpenAI, Ollama, vLLM, llama.cpp, LM Studio,
//! OpenRouter, …): `POST {base}/chat/completions`.
//!
//! Structured output goes through `response_format: {type: "json_schema", …}`; when the server
//! refuses that (HTTP 400/422 naming `response_format`, `json_schema`, …) the provider falls
//! back to `{type: "json_object"}` with the schema in the system message, then to the
//! instructions alone, and remembers what the endpoint accepts. It likewise learns to send
//! `max_completion_tokens` instead of `max_tokens`, and to leave out sampling parameters, when
//! the server says so.
//!
//! ```
//! use std::rc::Rc;
//! use tooldraft::llm::openai::{OpenAiCompatible, OpenAiConfig};
//! # struct NoHost;
//! # #[async_trait::async_trait(?Send)]
//! # impl tooldraft::host::Host for NoHost {
//! #     async fn fetch(&self, _: tooldraft::host::HttpRequest) -> Result<tooldraft::host::HttpResponse, tooldraft::host::HostError> { unimplemented!() }
//! #     async fn sleep(&self, _: u64) {}
//! #     fn now_ms(&self) -> f64 { 0.0 }
//! #     fn random(&self) -> f64 { 0.5 }
//! # }
//! let config = OpenAiConfig::new("http://127.0.0.1:11434/v1", "qwen2.5:7b").api_key("sk-local");
//! assert!(!format!("{config:?}").contains("sk-local"));
//! let model = OpenAiCompatible::new(config, Rc::new(NoHost));
//! assert_eq!(model.endpoint(), "http://127.0.0.1:11434/v1/chat/completions");
//! ```

use super::endpoint::{error_message, join_url, Endpoint};
use super::structured::{schema_instructions, with_system_text};
use super::{ChatModel, ChatRequest, ChatResponse, LlmError, Usage};
use crate::host::Host;
use crate::net::{Limits, RetryPolicy};
use async_trait::async_trait;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::cell::Cell;
use std::rc::Rc;

/// How a schema is asked for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum StructuredMode {
    /// `response_format: json_schema` (OpenAI), or a forced tool (Anthropic).
    #[default]
    Native,
    /// `response_format: json_object` plus the schema in the system message.
    JsonObject,
    /// Only the schema in the system message.
    Instructions,
}

/// Settings of an OpenAI-compatible endpoint. The key and header values are never serialised
/// nor shown by `Debug`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct OpenAiConfig {
    /// `https://api.openai.com/v1`, `http://127.0.0.1:11434/v1`, …
    pub base_url: String,
    pub model: String,
    #[serde(default, skip_serializing)]
    #[cfg_attr(test, ts(optional))]
    pub api_key: Option<String>,
    /// Extra headers (sent as they are; their values count as secrets).
    #[serde(default, skip_serializing)]
    pub headers: IndexMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub temperature: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub top_p: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub max_tokens: Option<u32>,
    /// Per request; 0 means no timeout.
    #[serde(default = "default_timeout")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub timeout_ms: u64,
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub retry: RetryPolicy,
    /// Requests in flight at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub concurrency: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub requests_per_minute: Option<u32>,
    /// How to ask for structured output first (later refusals still step down).
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub structured: StructuredMode,
    /// `json_schema.strict` (left out when unset; OpenAI's strict mode needs every property
    /// required and `additionalProperties: false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub strict: Option<bool>,
}

pub(crate) fn default_timeout() -> u64 {
    120_000
}

impl std::fmt::Debug for OpenAiConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenAiConfig")
            .field("base_url", &crate::net::redact_url(&self.base_url))
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("temperature", &self.temperature)
            .field("top_p", &self.top_p)
            .field("max_tokens", &self.max_tokens)
            .field("timeout_ms", &self.timeout_ms)
            .field("structured", &self.structured)
            .finish_non_exhaustive()
    }
}

impl OpenAiConfig {
    /// An endpoint and model with default settings.
    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> Self {
        OpenAiConfig {
            base_url: base_url.into(),
            model: model.into(),
            api_key: None,
            headers: IndexMap::new(),
            temperature: None,
            top_p: None,
            max_tokens: None,
            timeout_ms: default_timeout(),
            retry: RetryPolicy::default(),
            concurrency: None,
            requests_per_minute: None,
            structured: StructuredMode::Native,
            strict: None,
        }
    }

    /// Sets the API key (sent as `Authorization: Bearer …`).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }
}

/// What the endpoint turned out to accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Quirks {
    mode: StructuredMode,
    max_completion_tokens: bool,
    omit_sampling: bool,
}

/// An OpenAI-compatible chat model over a [`Host`].
pub struct OpenAiCompatible {
    config: OpenAiConfig,
    host: Rc<dyn Host>,
    endpoint: Endpoint,
    quirks: Cell<Quirks>,
}

impl OpenAiCompatible {
    /// A provider for `config`, sending through `host`.
    pub fn new(config: OpenAiConfig, host: Rc<dyn Host>) -> Self {
        let url = join_url(&config.base_url, "/chat/completions");
        let mut secrets: Vec<String> = config.headers.values().cloned().collect();
        secrets.extend(config.api_key.clone());
        let limits = Limits { concurrency: config.concurrency, requests_per_minute: config.requests_per_minute };
        let quirks = Quirks { mode: config.structured, max_completion_tokens: false, omit_sampling: false };
        OpenAiCompatible { endpoint: Endpoint::new(url, secrets, limits), config, host, quirks: Cell::new(quirks) }
    }

    /// Calls `f` before each wait between tries (429, 5xx, network errors), e.g. to report it.
    pub fn with_retry_observer(mut self, f: super::endpoint::RetryObserver) -> Self {
        self.endpoint.on_retry = Some(f);
        self
    }

    /// The chat-completions URL as shown in errors.
    pub fn endpoint(&self) -> &str {
        &self.endpoint.label
    }

    /// How structured output is currently asked for (after any fallbacks).
    pub fn structured_mode(&self) -> StructuredMode {
        self.quirks.get().mode
    }

    fn headers(&self) -> Vec<(String, String)> {
        let mut h = Vec::new();
        if let Some(k) = self.config.api_key.as_deref().filter(|k| !k.is_empty()) {
            h.push(("Authorization".to_string(), format!("Bearer {k}")));
        }
        h.extend(self.config.headers.iter().map(|(k, v)| (k.clone(), v.clone())));
        h
    }

    /// The request body under the current quirks.
    pub fn body(&self, request: &ChatRequest) -> Value {
        let q = self.quirks.get();
        let messages = match (&request.schema, q.mode) {
            (Some(s), StructuredMode::JsonObject | StructuredMode::Instructions) => {
                with_system_text(&request.messages, &schema_instructions(s))
            }
            _ => request.messages.clone(),
        };
        let mut body = Map::new();
        body.insert("model".into(), json!(self.config.model));
        body.insert("messages".into(), json!(messages));
        if !q.omit_sampling {
            if let Some(t) = request.temperature.or(self.config.temperature) {
                body.insert("temperature".into(), json!(t));
            }
            if let Some(p) = request.top_p.or(self.config.top_p) {
                body.insert("top_p".into(), json!(p));
            }
        }
        if let Some(m) = request.max_tokens.or(self.config.max_tokens) {
            let key = if q.max_completion_tokens { "max_completion_tokens" } else { "max_tokens" };
            body.insert(key.into(), json!(m));
        }
        if let Some(s) = &request.schema {
            match q.mode {
                StructuredMode::Native => {
                    let mut js = json!({"name": sanitize_name(&s.name), "schema": s.schema});
                    if let Some(strict) = self.config.strict {
                        js["strict"] = json!(strict);
                    }
                    body.insert("response_format".into(), json!({"type": "json_schema", "json_schema": js}));
                }
                StructuredMode::JsonObject => {
                    body.insert("response_format".into(), json!({"type": "json_object"}));
                }
                StructuredMode::Instructions => {}
            }
        }
        Value::Object(body)
    }

    /// What to change after a 400-class refusal, if the refusal is one we can adapt to.
    fn adapt(&self, request: &ChatRequest, status: u16, message: &str) -> Option<Quirks> {
        if !matches!(status, 400 | 404 | 415 | 422 | 501) {
            return None;
        }
        let m = message.to_ascii_lowercase();
        let mut q = self.quirks.get();
        if m.contains("max_completion_tokens") && !q.max_completion_tokens && request_has_max_tokens(self, request) {
            q.max_completion_tokens = true;
            return Some(q);
        }
        let sampling = ["temperature", "top_p"].iter().any(|p| m.contains(p));
        let unsupported = ["unsupported", "not support", "does not support", "only the default"];
        if sampling && unsupported.iter().any(|u| m.contains(u)) && !q.omit_sampling {
            q.omit_sampling = true;
            return Some(q);
        }
        if request.schema.is_some() && q.mode != StructuredMode::Instructions {
            let about_format = [
                "response_format",
                "response format",
                "json_schema",
                "json_object",
                "json mode",
                "structured",
                "grammar",
                "schema",
            ]
            .iter()
            .any(|w| m.contains(w));
            if about_format {
                q.mode = match q.mode {
                    StructuredMode::Native => StructuredMode::JsonObject,
                    _ => StructuredMode::Instructions,
                };
                return Some(q);
            }
        }
        None
    }

    fn parse(&self, resp: &crate::host::HttpResponse) -> Result<ChatResponse, LlmError> {
        let v = self.endpoint.json_body(resp)?;
        if let Some(err) = v.get("error").filter(|e| !e.is_null()) {
            let msg = err.get("message").and_then(Value::as_str).map_or_else(|| err.to_string(), str::to_string);
            return Err(self.endpoint.bad_response(format!("the answer is an error: {msg}")));
        }
        let choice = match v.get("choices").and_then(Value::as_array) {
            Some(c) if !c.is_empty() => &c[0],
            Some(_) => return Err(self.endpoint.bad_response("the answer has no choices (empty list)")),
            None => return Err(self.endpoint.bad_response("the answer has no `choices`")),
        };
        let message = choice.get("message").or_else(|| choice.get("delta"));
        let content =
            message.map(message_text).or_else(|| choice.get("text").and_then(Value::as_str).map(String::from));
        let content = match content {
            Some(c) if !c.is_empty() => c,
            _ => {
                if let Some(refusal) = message.and_then(|m| m.get("refusal")).and_then(Value::as_str) {
                    return Err(self.endpoint.bad_response(format!("the model refused: {refusal}")));
                }
                String::new()
            }
        };
        let usage = v.get("usage").map(|u| Usage {
            prompt_tokens: u.get("prompt_tokens").and_then(Value::as_u64).unwrap_or(0),
            completion_tokens: u.get("completion_tokens").and_then(Value::as_u64).unwrap_or(0),
        });
        Ok(ChatResponse {
            content,
            usage: usage.unwrap_or_default(),
            model: v.get("model").and_then(Value::as_str).map(String::from),
        })
    }
}

fn request_has_max_tokens(p: &OpenAiCompatible, r: &ChatRequest) -> bool {
    r.max_tokens.or(p.config.max_tokens).is_some()
}

/// The text of a message: `content` as a string or a list of text parts, else the arguments
/// of its first tool call (some servers answer structured requests that way).
fn message_text(m: &Value) -> String {
    match m.get("content") {
        Some(Value::String(s)) if !s.is_empty() => return s.clone(),
        Some(Value::Array(parts)) => {
            let text: String = parts.iter().filter_map(|p| p.get("text").and_then(Value::as_str)).collect();
            if !text.is_empty() {
                return text;
            }
        }
        _ => {}
    }
    m.pointer("/tool_calls/0/function/arguments")
        .map(|a| match a {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .unwrap_or_default()
}

/// A schema name as OpenAI accepts it: `[a-zA-Z0-9_-]{1,64}`.
pub(crate) fn sanitize_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' })
        .take(64)
        .collect();
    if s.is_empty() {
        "output".into()
    } else {
        s
    }
}

#[async_trait(?Send)]
impl ChatModel for OpenAiCompatible {
    async fn chat(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError> {
        // Each refusal we can adapt to changes one quirk; there are at most four.
        for _ in 0..5 {
            let body = self.body(request);
            let resp = self
                .endpoint
                .post_json(self.host.as_ref(), &self.headers(), &body, self.config.timeout_ms, &self.config.retry)
                .await?;
            if (200..300).contains(&resp.status) {
                return self.parse(&resp);
            }
            match self.adapt(request, resp.status, &error_message(&resp)) {
                Some(q) => self.quirks.set(q),
                None => return Err(self.endpoint.http_error(&resp)),
            }
        }
        Err(self.endpoint.bad_response("the endpoint kept refusing the request's parameters"))
    }
}
