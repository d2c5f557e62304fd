//! The configuration of an MCP endpoint and what negotiation settled on.

use crate::net::RetryPolicy;
use crate::tools::auth::looks_secret_header;
use crate::tools::capture::DEFAULT_EVIDENCE_CAP;
use crate::tools::{Auth, Redactor};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Where and how to reach an MCP server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct McpConfig {
    /// The Streamable HTTP endpoint (`http://127.0.0.1:3001/mcp`).
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<Auth>,
    /// Extra headers on every request; values of credential-like names are secrets.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub headers: IndexMap<String, String>,
    /// Pin a protocol revision instead of negotiating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol_version: Option<String>,
    /// Per-request timeout (default 30 s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
    /// How much of a tool result's text the evidence keeps (default 64 KB).
    #[serde(default = "default_cap")]
    pub evidence_cap: usize,
    /// How idempotent calls are retried (default [`RetryPolicy::for_tools`]).
    #[serde(default = "RetryPolicy::for_tools")]
    pub retry: RetryPolicy,
    /// More strings to redact wherever they appear.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<String>,
}

fn default_cap() -> usize {
    DEFAULT_EVIDENCE_CAP
}

impl McpConfig {
    /// A config for this endpoint with defaults for everything else.
    pub fn new(url: impl Into<String>) -> Self {
        McpConfig {
            url: url.into(),
            auth: None,
            headers: IndexMap::new(),
            protocol_version: None,
            timeout_ms: None,
            evidence_cap: DEFAULT_EVIDENCE_CAP,
            retry: RetryPolicy::for_tools(),
            secrets: Vec::new(),
        }
    }

    /// The redactor for everything this config knows to be secret.
    pub fn redactor(&self) -> Redactor {
        let mut r = Redactor::new();
        if let Some(a) = &self.auth {
            a.register(&mut r);
        }
        for (k, v) in &self.headers {
            if looks_secret_header(k) {
                r.add_header(k);
                r.add_secret(v);
            }
        }
        for s in &self.secrets {
            r.add_secret(s);
        }
        r
    }
}

/// What negotiation settled on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct McpSessionInfo {
    pub protocol_version: String,
    /// The stateless form: no session, the version in every request.
    pub stateless: bool,
    /// The server gave a session id (kept private; it is sent, never shown).
    pub has_session: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_info: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<Value>,
    /// The server's `instructions`: data about the server, never instructions to follow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
}
