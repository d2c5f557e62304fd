//! Calling the tool being documented: HTTP operations, MCP tools over Streamable HTTP, or a
//! host function; the safety policy that decides which calls may be made; redaction of
//! secrets from everything recorded.
//!
//! - [`HttpToolCaller`] calls HTTP operations on one configured target ([`HttpConfig`]).
//! - [`McpClient`] speaks MCP over Streamable HTTP; [`McpToolCaller`] calls its tools.
//! - [`SafetyPolicy`] allows read-only operations only unless told otherwise.
//! - [`Redactor`] removes secrets from requests, responses, errors, events and reports.
//!
//! ```
//! use tooldraft::tools::Observation;
//! let o = Observation::default();
//! assert!(!o.is_success());
//! ```

pub mod auth;
pub mod capture;
pub mod http;
pub mod mcp;
pub mod params;
pub mod policy;
pub mod redact;
pub mod secrets;
pub mod target;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
pub(crate) mod testing;

pub use crate::net::RetryPolicy;
pub use auth::{Auth, KeyLocation};
pub use capture::{truncate_for_model, DEFAULT_EVIDENCE_CAP, DEFAULT_MODEL_VIEW};
pub use http::{HttpConfig, HttpToolCaller};
pub use mcp::{McpClient, McpConfig, McpSessionInfo, McpToolCaller};
pub use policy::{SafetyOptions, SafetyPolicy};
pub use redact::Redactor;
pub use target::ToolsOptions;

use crate::doc::Operation;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The request as it was sent, with secrets redacted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RecordedRequest {
    pub method: String,
    pub url: String,
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub body: Option<String>,
}

/// What a call to a tool produced.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Observation {
    pub request: RecordedRequest,
    /// HTTP status (MCP: the HTTP status of the `tools/call` reply).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub content_type: Option<String>,
    /// Useful response headers (content-type, location, rate-limit, …), secrets redacted.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// The body as text, up to the evidence cap (binary bodies are summarised).
    #[serde(default)]
    pub body: String,
    /// The body parsed as JSON when it is JSON (MCP: the `tools/call` result).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
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
    /// The same-origin redirects that were followed, in order, as `(status, url)`: they are
    /// kept in `headers` as [`REDIRECT_HEADER`] entries. (A field of their own would push
    /// `Event::ToolResult` over clippy's enum-size limit until it boxes the observation.)
    pub fn redirects(&self) -> Vec<(u16, String)> {
        self.headers
            .iter()
            .filter(|(k, _)| k == REDIRECT_HEADER)
            .filter_map(|(_, v)| v.split_once(' ').and_then(|(s, u)| Some((s.parse().ok()?, u.to_string()))))
            .collect()
    }

    /// A call that reached the tool and did not report an error.
    pub fn is_success(&self) -> bool {
        self.status.is_some() && !self.is_error
    }

    /// The body as a model should see it: at most `limit` bytes (default
    /// [`DEFAULT_MODEL_VIEW`], 4 KB), ending in `[truncated: N of M bytes]` when cut.
    pub fn model_body(&self, limit: usize) -> String {
        // A summarised or redacted body differs in length from the raw one; only a body cut
        // by the evidence cap reports the raw size.
        let total = if self.truncated { self.body_bytes.max(self.body.len() as u64) } else { self.body.len() as u64 };
        truncate_for_model(&self.body, total, limit)
    }
}

/// The pseudo-header that records a followed redirect in [`Observation::headers`]:
/// `"302 http://127.0.0.1:8081/next"`. A redirect to another origin is never followed: the
/// call fails with [`ToolError::Redirect`], and nothing is observed.
pub const REDIRECT_HEADER: &str = "x-tooldraft-redirect";

/// Why a call could not be made or produced no response.
#[derive(Clone, Debug, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "camelCase", try_from = "crate::wire::ErrorWire")]
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
    /// A redirect that was not followed (to another origin, opaque, a loop): no answer. The
    /// message is a [`crate::net::RedirectError`]'s: it names origins only.
    #[error("{endpoint}: {message}")]
    Redirect { endpoint: String, message: String },
    #[error("no tool target is configured for {operation}")]
    NoTarget { operation: String },
}

impl TryFrom<crate::wire::ErrorWire> for ToolError {
    type Error = String;
    fn try_from(w: crate::wire::ErrorWire) -> Result<ToolError, String> {
        use crate::wire::field;
        let crate::wire::ErrorWire { kind, endpoint, message, reason, operation, source, .. } = w;
        Ok(match kind.as_str() {
            "denied" => ToolError::Denied { reason: field(reason, "reason")? },
            "invalidArguments" => ToolError::InvalidArguments {
                operation: field(operation, "operation")?,
                message: field(message, "message")?,
            },
            "transport" => {
                let source = crate::host::HostError::try_from(field(source, "source")?)?;
                ToolError::Transport { endpoint: field(endpoint, "endpoint")?, source }
            }
            "protocol" => {
                ToolError::Protocol { endpoint: field(endpoint, "endpoint")?, message: field(message, "message")? }
            }
            "host" => ToolError::Host { message: field(message, "message")? },
            "redirect" => {
                ToolError::Redirect { endpoint: field(endpoint, "endpoint")?, message: field(message, "message")? }
            }
            "noTarget" => ToolError::NoTarget { operation: field(operation, "operation")? },
            other => {
                let kinds = ["denied", "invalidArguments", "transport", "protocol", "host", "redirect", "noTarget"];
                return Err(crate::wire::unknown("kind", other, &kinds));
            }
        })
    }
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
            ToolError::Redirect { .. } => "RedirectRefused",
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
    /// Compares what the document says about the operation's safety with what the live tool
    /// says about itself (an MCP server's `tools/list` annotations), when it can be asked; a
    /// difference is described (and from then on the stricter hints apply). Asked once per
    /// operation before it starts.
    async fn live_safety(&self, _operation: &Operation) -> Option<String> {
        None
    }
    async fn call(&self, operation: &Operation, arguments: &Value) -> Result<Observation, ToolError>;
    /// The live tool's own list of operations (an MCP server's `tools/list` result), when
    /// it has one; `None` when there is nothing to ask (HTTP APIs, host functions).
    async fn live_tools(&self) -> Option<Result<Value, ToolError>> {
        None
    }
}
