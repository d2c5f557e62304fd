//! The `limits` and `thresholds` sections of a JavaScript `RefinerConfig`, as serde reads them,
//! with their defaults: how much a run may do, and DRAFT's φ, τ and what Δ compares. The wasm
//! façade reads them and builds the engine's [`super::RefineConfig`] from them.
//!
//! ```
//! use tooldraft::refine::options::{Limits, Thresholds};
//! let l: Limits = serde_json::from_str(r#"{"maxEpisodes": 2, "only": ["getUser"]}"#).unwrap();
//! assert_eq!((l.max_episodes, l.concurrency, l.schema_probes), (2, 4, 3));
//! let t: Thresholds = serde_json::from_str("{}").unwrap();
//! assert_eq!((t.diversity, t.diversity_retries), (None, 3));
//! ```

use super::diversity::DeltaText;
use serde::Deserialize;

/// How much a run may do (`limits`).
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "LimitsConfig"))]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    /// Default 5.
    #[serde(default = "default_max_episodes")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub max_episodes: usize,
    /// Default 4.
    #[serde(default = "default_concurrency")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub concurrency: usize,
    /// Model (chat) calls for the whole run.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub budget_calls: Option<usize>,
    /// Model (chat) calls per operation.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub budget_calls_per_operation: Option<usize>,
    /// Calls to the tool for the whole run.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub budget_tool_calls: Option<usize>,
    /// Calls to the tool per operation.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub budget_tool_calls_per_operation: Option<usize>,
    /// Prompt + completion tokens for the whole run.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub budget_tokens: Option<u64>,
    /// Only these operation ids.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub only: Vec<String>,
    /// Write the schema changes the calls prove into the refined document (default true;
    /// false: only proposed in the report).
    #[serde(default = "default_schema_repair")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub schema_repair: bool,
    /// Schema-driven calls per operation: arguments from the doc and the tool's errors, not
    /// the model (default 3).
    #[serde(default = "default_schema_probes")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub schema_probes: usize,
}

/// DRAFT's thresholds (`thresholds`): φ for diversity, τ for convergence (unset: the
/// embedder family's calibrated values), and what Δ compares.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ThresholdsConfig"))]
#[serde(rename_all = "camelCase")]
pub struct Thresholds {
    /// φ; default: the embedder family's calibrated value (local 0.88; the paper's 0.9 with
    /// ada-002).
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub diversity: Option<f64>,
    /// τ; default: the embedder family's calibrated value (local 0.54; the paper's 0.75 with
    /// ada-002).
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub convergence: Option<f64>,
    /// What Δ compares: the description only (default, the paper's) or with one
    /// `name: description` line per parameter.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub delta_text: DeltaText,
    /// Default 3.
    #[serde(default = "default_diversity_retries")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub diversity_retries: usize,
}

fn default_max_episodes() -> usize {
    5
}
fn default_concurrency() -> usize {
    4
}
fn default_schema_repair() -> bool {
    true
}
fn default_schema_probes() -> usize {
    3
}
fn default_diversity_retries() -> usize {
    3
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_episodes: default_max_episodes(),
            concurrency: default_concurrency(),
            budget_calls: None,
            budget_calls_per_operation: None,
            budget_tool_calls: None,
            budget_tool_calls_per_operation: None,
            budget_tokens: None,
            only: Vec::new(),
            schema_repair: default_schema_repair(),
            schema_probes: default_schema_probes(),
        }
    }
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            diversity: None,
            convergence: None,
            delta_text: Default::default(),
            diversity_retries: default_diversity_retries(),
        }
    }
}
