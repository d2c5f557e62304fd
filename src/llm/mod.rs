//! Talking to language models: chat requests and responses, providers (OpenAI-compatible,
//! Anthropic, a host function) as request builders and response parsers over [`crate::host`],
//! structured output with repair and one corrective retry, retries and usage accounting.
//!
//! ```
//! use tooldraft::llm::{ChatMessage, ChatRequest};
//! let req = ChatRequest::new("explorer", vec![ChatMessage::user("Say hi as JSON")]);
//! assert_eq!(req.messages.len(), 1);
//! ```

pub mod anthropic;
pub mod config;
pub mod embeddings;
mod endpoint;
pub use endpoint::RetryObserver;
pub mod openai;
pub mod repair;
pub mod structured;
pub mod usage;

pub use anthropic::{Anthropic, AnthropicConfig};
pub use config::LlmConfig;
pub use embeddings::{EmbeddingsConfig, OpenAiEmbeddings};
pub use openai::{OpenAiCompatible, OpenAiConfig, StructuredMode};
pub use usage::{MeteredModel, PurposeUsage, UsageMeter};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Who wrote a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum ChatRole {
    System,
    User,
    Assistant,
}

/// One chat message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ChatMessage {
    pub role: ChatRole,
    pub content: String,
}

impl ChatMessage {
    pub fn system(content: impl Into<String>) -> Self {
        ChatMessage { role: ChatRole::System, content: content.into() }
    }
    pub fn user(content: impl Into<String>) -> Self {
        ChatMessage { role: ChatRole::User, content: content.into() }
    }
    pub fn assistant(content: impl Into<String>) -> Self {
        ChatMessage { role: ChatRole::Assistant, content: content.into() }
    }
}

/// A JSON Schema the answer must follow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct OutputSchema {
    /// A short identifier (`explorer_output`).
    pub name: String,
    pub schema: Value,
}

/// A chat request, independent of the provider.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ChatRequest {
    /// Which role of the engine asks (explorer, analyzer, rewriter, summarizer, evaluator):
    /// for usage accounting and the response cache, never sent to the model.
    pub purpose: String,
    pub messages: Vec<ChatMessage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub schema: Option<OutputSchema>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub temperature: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub top_p: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub max_tokens: Option<u32>,
}

impl ChatRequest {
    /// A request with no schema and the provider's default sampling.
    pub fn new(purpose: impl Into<String>, messages: Vec<ChatMessage>) -> Self {
        ChatRequest {
            purpose: purpose.into(),
            messages,
            schema: None,
            temperature: None,
            top_p: None,
            max_tokens: None,
        }
    }
}

/// Tokens spent on one call (or summed over many).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

impl Usage {
    pub fn add(&mut self, other: Usage) {
        self.prompt_tokens += other.prompt_tokens;
        self.completion_tokens += other.completion_tokens;
    }
    pub fn total(&self) -> u64 {
        self.prompt_tokens + self.completion_tokens
    }
}

/// A model's answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ChatResponse {
    pub content: String,
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub usage: Usage,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub model: Option<String>,
}

/// Why a model call failed. Messages name the endpoint (never its key).
#[derive(Clone, Debug, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "camelCase", try_from = "crate::wire::ErrorWire")]
pub enum LlmError {
    #[error("{endpoint}: {source}")]
    Transport { endpoint: String, source: crate::host::HostError },
    #[error("{endpoint} answered HTTP {status}: {message}")]
    Http { endpoint: String, status: u16, message: String },
    #[error("{endpoint} sent an answer that could not be read: {message}")]
    BadResponse { endpoint: String, message: String },
    #[error("the model's output did not fit the {schema} schema: {message}")]
    InvalidOutput { schema: String, message: String },
    #[error("the host's llm function failed: {message}")]
    Host { message: String },
    /// A redirect that was not followed (to another origin, opaque, a loop): no answer. The
    /// message is a [`crate::net::RedirectError`]'s: it names origins only.
    #[error("{endpoint}: {message}")]
    Redirect { endpoint: String, message: String },
    #[error("cancelled")]
    Cancelled,
}

impl TryFrom<crate::wire::ErrorWire> for LlmError {
    type Error = String;
    fn try_from(w: crate::wire::ErrorWire) -> Result<LlmError, String> {
        use crate::wire::field;
        let crate::wire::ErrorWire { kind, endpoint, message, status, schema, source, .. } = w;
        Ok(match kind.as_str() {
            "transport" => {
                let source = crate::host::HostError::try_from(field(source, "source")?)?;
                LlmError::Transport { endpoint: field(endpoint, "endpoint")?, source }
            }
            "http" => LlmError::Http {
                endpoint: field(endpoint, "endpoint")?,
                status: field(status, "status")?,
                message: field(message, "message")?,
            },
            "badResponse" => {
                LlmError::BadResponse { endpoint: field(endpoint, "endpoint")?, message: field(message, "message")? }
            }
            "invalidOutput" => {
                LlmError::InvalidOutput { schema: field(schema, "schema")?, message: field(message, "message")? }
            }
            "host" => LlmError::Host { message: field(message, "message")? },
            "redirect" => {
                LlmError::Redirect { endpoint: field(endpoint, "endpoint")?, message: field(message, "message")? }
            }
            "cancelled" => LlmError::Cancelled,
            other => {
                let kinds = ["transport", "http", "badResponse", "invalidOutput", "host", "redirect", "cancelled"];
                return Err(crate::wire::unknown("kind", other, &kinds));
            }
        })
    }
}

impl LlmError {
    /// A stable code for this error.
    pub fn code(&self) -> &'static str {
        match self {
            LlmError::Transport { source, .. } => source.code(),
            LlmError::Http { status: 401 | 403, .. } => "LlmUnauthorized",
            LlmError::Http { .. } => "LlmHttpError",
            LlmError::BadResponse { .. } => "LlmBadResponse",
            LlmError::InvalidOutput { .. } => "LlmInvalidOutput",
            LlmError::Host { .. } => "LlmHostError",
            LlmError::Redirect { .. } => "RedirectRefused",
            LlmError::Cancelled => "Aborted",
        }
    }
}

/// Anything that answers chat requests: a provider over HTTP, a host function, a script.
#[async_trait(?Send)]
pub trait ChatModel {
    async fn chat(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError>;
}
