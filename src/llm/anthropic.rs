//! The Anthropic Messages API: `POST {base}/v1/messages` with `x-api-key`,
//! `anthropic-version` and `anthropic-dangerous-direct-browser-access: true` (without which a
//! browser's CORS preflight is refused).
//!
//! System messages go to the top-level `system`; consecutive messages of one role are joined
//! (the API wants turns to alternate, starting with the user). Structured output goes through
//! a forced tool (`tools: [{name, input_schema}]`, `tool_choice: {type: "tool", name}`) whose
//! input is the answer; when the server refuses tools, or the schema is not an object, the
//! schema goes into the system prompt instead.
//!
//! ```
//! use tooldraft::llm::anthropic::AnthropicConfig;
//! let config = AnthropicConfig::new("claude-sonnet-4-5", "sk-ant-secret");
//! assert_eq!(config.base_url, "https://api.anthropic.com");
//! assert!(!format!("{config:?}").contains("sk-ant-secret"));
//! ```

use super::endpoint::{error_message, join_url, Endpoint};
use super::openai::{default_timeout, sanitize_name, StructuredMode};
use super::structured::schema_instructions;
use super::{ChatModel, ChatRequest, ChatResponse, ChatRole, LlmError, Usage};
use crate::host::Host;
use crate::net::{Limits, RetryPolicy};
use async_trait::async_trait;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::cell::Cell;
use std::rc::Rc;

/// Settings of the Anthropic endpoint. The key and header values are never serialised nor
/// shown by `Debug`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AnthropicConfig {
    #[serde(default = "default_base")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub base_url: String,
    pub model: String,
    #[serde(default, skip_serializing)]
    #[cfg_attr(test, ts(optional))]
    pub api_key: Option<String>,
    #[serde(default = "default_version")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub anthropic_version: String,
    #[serde(default, skip_serializing)]
    pub headers: IndexMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub temperature: Option<f64>,
    /// Sent only when no temperature is (newer models refuse both at once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub top_p: Option<f64>,
    /// Required by the API; 4096 when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub max_tokens: Option<u32>,
    #[serde(default = "default_timeout")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub timeout_ms: u64,
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub retry: RetryPolicy,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub concurrency: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub requests_per_minute: Option<u32>,
    /// `native` (a forced tool, the default) or `instructions`.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub structured: StructuredMode,
}

fn default_base() -> String {
    "https://api.anthropic.com".into()
}

fn default_version() -> String {
    "2023-06-01".into()
}

const DEFAULT_MAX_TOKENS: u32 = 4096;

impl std::fmt::Debug for AnthropicConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnthropicConfig")
            .field("base_url", &crate::net::redact_url(&self.base_url))
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field("anthropic_version", &self.anthropic_version)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("max_tokens", &self.max_tokens)
            .field("structured", &self.structured)
            .finish_non_exhaustive()
    }
}

impl AnthropicConfig {
    /// The public API with this model and key.
    pub fn new(model: impl Into<String>, api_key: impl Into<String>) -> Self {
        AnthropicConfig {
            base_url: default_base(),
            model: model.into(),
            api_key: Some(api_key.into()),
            anthropic_version: default_version(),
            headers: IndexMap::new(),
            temperature: None,
            top_p: None,
            max_tokens: None,
            timeout_ms: default_timeout(),
            retry: RetryPolicy::default(),
            concurrency: None,
            requests_per_minute: None,
            structured: StructuredMode::Native,
        }
    }

    /// Another base URL (a proxy, a local stand-in).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }
}

/// `{base}/v1/messages`, also when the base already ends in `/v1`.
pub(crate) fn messages_url(base: &str) -> String {
    join_url(base, "/v1/messages").replacen("/v1/v1/messages", "/v1/messages", 1)
}

/// An Anthropic chat model over a [`Host`].
pub struct Anthropic {
    config: AnthropicConfig,
    host: Rc<dyn Host>,
    endpoint: Endpoint,
    mode: Cell<StructuredMode>,
}

impl Anthropic {
    /// A provider for `config`, sending through `host`.
    pub fn new(config: AnthropicConfig, host: Rc<dyn Host>) -> Self {
        let url = messages_url(&config.base_url);
        let mut secrets: Vec<String> = config.headers.values().cloned().collect();
        secrets.extend(config.api_key.clone());
        let limits = Limits { concurrency: config.concurrency, requests_per_minute: config.requests_per_minute };
        let mode = match config.structured {
            StructuredMode::Native => StructuredMode::Native,
            _ => StructuredMode::Instructions,
        };
        Anthropic { endpoint: Endpoint::new(url, secrets, limits), config, host, mode: Cell::new(mode) }
    }

    /// Calls `f` before each wait between tries (429, 5xx, network errors), e.g. to report it.
    pub fn with_retry_observer(mut self, f: super::endpoint::RetryObserver) -> Self {
        self.endpoint.on_retry = Some(f);
        self
    }

    /// The messages URL as shown in errors.
    pub fn endpoint(&self) -> &str {
        &self.endpoint.label
    }

    /// How structured output is currently asked for.
    pub fn structured_mode(&self) -> StructuredMode {
        self.mode.get()
    }

    fn headers(&self) -> Vec<(String, String)> {
        let mut h = vec![
            ("anthropic-version".to_string(), self.config.anthropic_version.clone()),
            ("anthropic-dangerous-direct-browser-access".to_string(), "true".to_string()),
        ];
        if let Some(k) = self.config.api_key.as_deref().filter(|k| !k.is_empty()) {
            h.push(("x-api-key".to_string(), k.to_string()));
        }
        h.extend(self.config.headers.iter().map(|(k, v)| (k.clone(), v.clone())));
        h
    }

    fn uses_tool(&self, request: &ChatRequest) -> bool {
        self.mode.get() == StructuredMode::Native
            && request.schema.as_ref().is_some_and(|s| s.schema.get("type").and_then(Value::as_str) == Some("object"))
    }

    /// The request body under the current mode.
    pub fn body(&self, request: &ChatRequest) -> Value {
        let mut system: Vec<String> = Vec::new();
        let mut turns: Vec<(ChatRole, String)> = Vec::new();
        for m in &request.messages {
            match m.role {
                ChatRole::System => system.push(m.content.clone()),
                role => match turns.last_mut() {
                    Some((last, text)) if *last == role => {
                        text.push_str("\n\n");
                        text.push_str(&m.content);
                    }
                    _ => turns.push((role, m.content.clone())),
                },
            }
        }
        if turns.first().is_some_and(|(r, _)| *r == ChatRole::Assistant) || turns.is_empty() {
            turns.insert(0, (ChatRole::User, "Continue.".into()));
        }
        let tool = self.uses_tool(request);
        if let (Some(s), false) = (&request.schema, tool) {
            system.push(schema_instructions(s));
        }
        let messages: Vec<Value> = turns
            .into_iter()
            .map(|(r, c)| json!({"role": if r == ChatRole::User { "user" } else { "assistant" }, "content": c}))
            .collect();
        let mut body = Map::new();
        body.insert("model".into(), json!(self.config.model));
        body.insert(
            "max_tokens".into(),
            json!(request.max_tokens.or(self.config.max_tokens).unwrap_or(DEFAULT_MAX_TOKENS)),
        );
        if !system.is_empty() {
            body.insert("system".into(), json!(system.join("\n\n")));
        }
        body.insert("messages".into(), Value::Array(messages));
        match (request.temperature.or(self.config.temperature), request.top_p.or(self.config.top_p)) {
            (Some(t), _) => {
                body.insert("temperature".into(), json!(t));
            }
            (None, Some(p)) => {
                body.insert("top_p".into(), json!(p));
            }
            _ => {}
        }
        if let (Some(s), true) = (&request.schema, tool) {
            let name = sanitize_name(&s.name);
            body.insert(
                "tools".into(),
                json!([{"name": name, "description": format!("Give the answer as {name}."), "input_schema": s.schema}]),
            );
            body.insert("tool_choice".into(), json!({"type": "tool", "name": name}));
        }
        Value::Object(body)
    }

    fn parse(&self, request: &ChatRequest, resp: &crate::host::HttpResponse) -> Result<ChatResponse, LlmError> {
        let v = self.endpoint.json_body(resp)?;
        if v.get("type").and_then(Value::as_str) == Some("error") {
            let msg = v.pointer("/error/message").and_then(Value::as_str).unwrap_or("unknown error");
            return Err(self.endpoint.bad_response(format!("the answer is an error: {msg}")));
        }
        let Some(blocks) = v.get("content").and_then(Value::as_array) else {
            return Err(self.endpoint.bad_response("the answer has no `content` list"));
        };
        let wanted = request.schema.as_ref().map(|s| sanitize_name(&s.name));
        let tool_input = blocks.iter().find(|b| {
            b.get("type").and_then(Value::as_str) == Some("tool_use")
                && (wanted.is_none() || b.get("name").and_then(Value::as_str) == wanted.as_deref())
        });
        let content = match tool_input.and_then(|b| b.get("input")) {
            Some(input) => serde_json::to_string(input).unwrap_or_default(),
            None => blocks
                .iter()
                .filter(|b| b.get("type").and_then(Value::as_str) == Some("text"))
                .filter_map(|b| b.get("text").and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join(""),
        };
        let u = v.get("usage");
        let field = |name: &str| u.and_then(|u| u.get(name)).and_then(Value::as_u64).unwrap_or(0);
        Ok(ChatResponse {
            content,
            usage: Usage {
                prompt_tokens: field("input_tokens")
                    + field("cache_creation_input_tokens")
                    + field("cache_read_input_tokens"),
                completion_tokens: field("output_tokens"),
            },
            model: v.get("model").and_then(Value::as_str).map(String::from),
        })
    }
}

#[async_trait(?Send)]
impl ChatModel for Anthropic {
    async fn chat(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError> {
        for _ in 0..2 {
            let body = self.body(request);
            let resp = self
                .endpoint
                .post_json(self.host.as_ref(), &self.headers(), &body, self.config.timeout_ms, &self.config.retry)
                .await?;
            if (200..300).contains(&resp.status) {
                return self.parse(request, &resp);
            }
            let message = error_message(&resp).to_ascii_lowercase();
            let refused_tools = matches!(resp.status, 400 | 422)
                && self.uses_tool(request)
                && (message.contains("tool") || message.contains("input_schema"));
            if !refused_tools {
                return Err(self.endpoint.http_error(&resp));
            }
            self.mode.set(StructuredMode::Instructions);
        }
        Err(self.endpoint.bad_response("the endpoint kept refusing the request"))
    }
}
