//! The `tools` and `safety` sections a JavaScript caller passes (to `new Refiner`, `check`,
//! `evaluate`), as serde reads them: where tool calls go, and what the safety policy allows
//! beyond read-only calls. The host's own `callTool` function is the wasm façade's to read.
//!
//! ```
//! use tooldraft::tools::options::{SafetyOptions, ToolsOptions};
//! let t: ToolsOptions = serde_json::from_str(r#"{"mcpUrl": "http://127.0.0.1:3001/mcp"}"#).unwrap();
//! assert!(t.base_url.is_none() && t.headers.is_empty());
//! let s: SafetyOptions = serde_json::from_str(r#"{"allowDestructive": true}"#).unwrap();
//! assert!(s.policy().allow_writes, "destructive calls imply writes");
//! ```

use super::SafetyPolicy;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Where tool calls go (`tools`). No `Debug`: headers may hold credentials.
#[derive(Clone, Default, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ToolsOptions {
    /// Where HTTP operations are sent (overrides the document's servers).
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub base_url: Option<String>,
    /// An MCP server (Streamable HTTP).
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub mcp_url: Option<String>,
    /// Sent with every tool call (auth); never recorded.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub headers: BTreeMap<String, String>,
}

/// What the safety policy allows beyond read-only calls (`safety`).
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "SafetyConfig"))]
#[serde(rename_all = "camelCase")]
pub struct SafetyOptions {
    /// Allow writes (POST, PUT, PATCH; MCP tools not marked read-only but marked
    /// non-destructive).
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub allow_writes: bool,
    /// Allow destructive calls too (DELETE; MCP tools marked or presumed destructive).
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub allow_destructive: bool,
    /// Operation ids allowed to write (and, when not destructive, be called) beyond the
    /// global switches.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub allow: Vec<String>,
    /// Operation ids allowed even when destructive.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub allow_destructive_operations: Vec<String>,
}

impl SafetyOptions {
    /// The safety policy: read-only unless writes or destructive calls are allowed, globally
    /// or for the listed operations.
    pub fn policy(&self) -> SafetyPolicy {
        SafetyPolicy {
            allow_writes: self.allow_writes || self.allow_destructive,
            allow_destructive: self.allow_destructive,
            allow_operations: self.allow.clone(),
            allow_destructive_operations: self.allow_destructive_operations.clone(),
        }
    }
}
