//! Calling the tool being documented: HTTP operations, MCP tools over Streamable HTTP, or a
//! host function; the safety policy that decides which calls may be made; redaction of
//! secrets from everything recorded.
//!
//! ```
//! use tooldraft::tools::Observation;
//! let o = Observation::default();
//! assert!(!o.is_success());
//! ```

use crate::doc::Operation;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The request as it was sent, with secrets redacted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedRequest {
    pub method: String,
    pub url: String,
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// What a call to a tool produced.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Observation {
    pub request: RecordedRequest,
    /// HTTP status (MCP: the HTTP status of the `tools/call` reply).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Useful response headers (content-type, location, rate-limit, …), secrets redacted.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// The body as text, up to the evidence cap (binary bodies are summarised).
    #[serde(default)]
    pub body: String,
    /// The body parsed as JSON when it is JSON (MCP: the `tools/call` result).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<Value>,
    /// The body was longer than the evidence cap.
    #[serde(default)]
    pub truncated: bool,
    /// The full body length in bytes.
    #[serde(default)]
    pub body_bytes: u64,
    /// The tool reported an error (HTTP ≥ 400, MCP `isError`).
    #[serde(default)]
    pub is_error: bool,
    pub duration_ms: f64,
}

impl Observation {
    /// A call that reached the tool and did not report an error.
    pub fn is_success(&self) -> bool {
        self.status.is_some() && !self.is_error
    }
}

/// Why a call could not be made or produced no response.
#[derive(Clone, Debug, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ToolError {
    #[error("not allowed by the safety policy: {reason}")]
    Denied { reason: String },
    #[error("invalid arguments for {operation}: {message}")]
    InvalidArguments { operation: String, message: String },
    #[error("{endpoint}: {source}")]
    Transport { endpoint: String, source: crate::host::HostError },
    #[error("{endpoint}: {message}")]
    Protocol { endpoint: String, message: String },
    #[error("the host's callTool function failed: {message}")]
    Host { message: String },
    #[error("no tool target is configured for {operation}")]
    NoTarget { operation: String },
}

impl ToolError {
    /// A stable code for this error.
    pub fn code(&self) -> &'static str {
        match self {
            ToolError::Denied { .. } => "PolicyDenied",
            ToolError::InvalidArguments { .. } => "InvalidArguments",
            ToolError::Transport { source, .. } => source.code(),
            ToolError::Protocol { .. } => "ToolProtocolError",
            ToolError::Host { .. } => "ToolHostError",
            ToolError::NoTarget { .. } => "NoToolTarget",
        }
    }
}

/// Anything that can call an operation: HTTP, MCP, a host function, a script.
#[async_trait(?Send)]
pub trait ToolCaller {
    /// Whether the safety policy lets this operation be called at all (checked before the
    /// explorer spends a model call on it).
    fn permits(&self, _operation: &Operation) -> Result<(), ToolError> {
        Ok(())
    }
    async fn call(&self, operation: &Operation, arguments: &Value) -> Result<Observation, ToolError>;
}
