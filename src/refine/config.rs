//! What a run may do: episodes, concurrency, budgets, the diversity and convergence
//! thresholds, the rewrite gate's length budget, replay verification, and which operations
//! to refine. [`LimitsConfig`] and [`ThresholdsConfig`] are the `limits` and `thresholds`
//! sections of a JavaScript `RefinerConfig`, from which the wasm façade builds a [`RefineConfig`].
//!
//! Every field has a default (the paper's values where it has one), so a partial JSON object
//! is a valid configuration:
//!
//! ```
//! use tooldraft::refine::RefineConfig;
//! let c: RefineConfig = serde_json::from_str(r#"{"maxEpisodes": 3, "only": ["getUser"]}"#).unwrap();
//! assert_eq!(c.max_episodes, 3);
//! assert_eq!(c.diversity_threshold, None); // the embedder family's calibrated φ
//! assert!(c.validate().is_ok());
//! assert_eq!(c.verify.queries, 2);
//! let off: RefineConfig = serde_json::from_str(r#"{"verify": {"queries": 0}}"#).unwrap();
//! assert_eq!(off.verify.queries, 0);
//! let l: tooldraft::refine::LimitsConfig = serde_json::from_str(r#"{"maxEpisodes": 2}"#).unwrap();
//! assert_eq!((l.max_episodes, l.concurrency, l.schema_probes), (2, 4, 3));
//! ```

use super::error::RefineError;
use serde::{Deserialize, Serialize};

/// Limits on what a run (or one operation) may spend. `None` is unlimited.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default)]
pub struct Budget {
    /// Chat calls (every call to the model, corrective retries included).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub model_calls: Option<usize>,
    /// Calls to the tool being documented.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub tool_calls: Option<usize>,
    /// Prompt + completion tokens, as the model reports them.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub tokens: Option<u64>,
}

/// How long a rewrite may be, relative to the original documentation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default)]
pub struct LengthBudget {
    /// A description may be this many times as long as the original (default 4; the paper's
    /// refined docs grew 3 to 7 times).
    pub factor: f64,
    /// …or this many characters, whichever is more (default 600).
    pub min_chars: usize,
    /// The floor for a parameter's description (default 300).
    pub parameter_min_chars: usize,
}

impl Default for LengthBudget {
    fn default() -> Self {
        LengthBudget { factor: 4.0, min_chars: 600, parameter_min_chars: 300 }
    }
}

impl LengthBudget {
    /// The most characters a rewrite of a text of `original` characters may have.
    pub fn description_limit(&self, original: usize) -> usize {
        ((original as f64 * self.factor).ceil() as usize).max(self.min_chars)
    }

    /// The most characters a parameter description may have.
    pub fn parameter_limit(&self, original: usize) -> usize {
        ((original as f64 * self.factor).ceil() as usize).max(self.parameter_min_chars)
    }

    /// The most characters a tool summary over `operations` operations may have.
    pub fn summary_limit(&self, original: usize, operations: usize) -> usize {
        self.description_limit(original).max(self.min_chars + 150 * operations)
    }
}

/// Replay verification of candidate revisions (see `refine::verify`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "VerifyRules"))]
#[serde(rename_all = "camelCase", default)]
pub struct VerifyConfig {
    /// Held-out queries a candidate revision must answer at least as well as the current one
    /// before it is accepted (default 2; 0 turns verification off).
    pub queries: usize,
}

impl Default for VerifyConfig {
    fn default() -> Self {
        VerifyConfig { queries: 2 }
    }
}

/// The regression rules of the gate (`echo`, `uninformative`, `loss`, `offTopic`: see
/// [`crate::refine::gate`]) and their thresholds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default)]
pub struct RegressionRules {
    /// Judge rewrites and summaries by these rules, and keep the original at the end of a run
    /// when the final revision breaks one against it (default true).
    pub enabled: bool,
    /// Word n-gram size for `echo` (default 4).
    pub echo_ngram: usize,
    /// `echo` when at least this share of a text's word n-grams repeat the prompts or the
    /// output schemas (and not the tool's own documentation or responses) (default 0.5).
    pub echo_share: f64,
    /// `echo` when a text uses this many distinct words about documentation, revisions or
    /// exploration that the tool's own documentation does not use (default 2).
    pub meta_words: usize,
    /// `uninformative` when a description has fewer content words than this, and fewer than
    /// the text it replaces (default 3).
    pub min_description_words: usize,
    /// The same for a parameter's description (default 2).
    pub min_parameter_words: usize,
    /// `uninformative` when, over at least 6 content words, distinct ones are fewer than this
    /// share ("web-based, web-based, …") (default 0.5).
    pub min_distinct_share: f64,
    /// `loss` when the revision keeps less than this share of the original's distinct
    /// content words, those an analyzer's mismatch names excused (default 0.5).
    pub min_retention: f64,
    /// …counted only when the original has at least this many distinct content words
    /// (default 4).
    pub retention_min_words: usize,
}

impl Default for RegressionRules {
    fn default() -> Self {
        RegressionRules {
            enabled: true,
            echo_ngram: 4,
            echo_share: 0.5,
            meta_words: 2,
            min_description_words: 3,
            min_parameter_words: 2,
            min_distinct_share: 0.5,
            min_retention: 0.5,
            retention_min_words: 4,
        }
    }
}

/// The configuration of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default)]
pub struct RefineConfig {
    /// Explore → analyze → rewrite rounds per operation (default 5, the paper's).
    pub max_episodes: usize,
    /// Operations refined at the same time (default 4).
    pub concurrency: usize,
    /// Limits over the whole run.
    pub run_budget: Budget,
    /// Limits per operation.
    pub operation_budget: Budget,
    /// φ: a new query whose cosine similarity to an earlier query of the operation is at
    /// least this is regenerated (default: the embedder family's calibrated value, see
    /// [`crate::similarity::Embedder::thresholds`]; the paper's is 0.9 with ada-002).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub diversity_threshold: Option<f64>,
    /// Queries generated per episode when they keep being too similar, the first included
    /// (default 3, the paper's); after the last, the least similar candidate is used.
    pub diversity_tries: usize,
    /// τ: stop when Δ between consecutive accepted revisions is above this (default: the
    /// embedder family's calibrated value; the paper's is 0.75 with ada-002).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub convergence_threshold: Option<f64>,
    /// What Δ compares (default: the description only, as the paper).
    pub delta_text: super::diversity::DeltaText,
    /// Times invalid call arguments go back to the explorer with the reason (default 2).
    pub argument_retries: usize,
    /// A step that fails this many times in a row ends the operation (default 3).
    pub max_failures: usize,
    /// Tool calls that fail (no response, or an error response) this many times in a row end
    /// the operation (default 3).
    pub max_failed_calls: usize,
    /// The rewrite gate's length budget.
    pub length_budget: LengthBudget,
    /// Replay verification of revisions that pass the gate.
    pub verify: VerifyConfig,
    /// The rewrite gate's regression rules.
    pub regression: RegressionRules,
    /// Refine only these operation ids (empty: all).
    pub only: Vec<String>,
    /// Rewrite each tool's description from its refined operations (default true).
    pub summarize_tools: bool,
    /// Characters of a tool response shown to the model (default 2048, as the paper's code).
    pub observation_chars: usize,
    /// Characters of a description shown to the model (default 12000; longer ones are cut
    /// with a marker).
    pub description_chars: usize,
    /// Sampling temperature sent with every request (default 0.2, the paper's).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub temperature: Option<f64>,
    /// Completion token limit sent with every request (default: the provider's).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub max_tokens: Option<u32>,
    /// Write the structural changes the calls' evidence proves (required, type, enum,
    /// format, nullable, response schema) into the refined document (default true); when
    /// false they are only listed in the report as proposed.
    pub schema_repair: bool,
    /// Schema-driven calls per operation (arguments built from the doc and from the tool's
    /// errors, not by the model), counted in the tool-call budgets (default 3; 0: none).
    pub schema_probes: usize,
}

impl Default for RefineConfig {
    fn default() -> Self {
        RefineConfig {
            max_episodes: 5,
            concurrency: 4,
            run_budget: Budget::default(),
            operation_budget: Budget::default(),
            diversity_threshold: None,
            diversity_tries: 3,
            convergence_threshold: None,
            delta_text: super::diversity::DeltaText::Description,
            argument_retries: 2,
            max_failures: 3,
            max_failed_calls: 3,
            length_budget: LengthBudget::default(),
            verify: VerifyConfig::default(),
            regression: RegressionRules::default(),
            only: Vec::new(),
            summarize_tools: true,
            observation_chars: 2048,
            description_chars: 12_000,
            temperature: Some(0.2),
            max_tokens: None,
            schema_repair: true,
            schema_probes: 3,
        }
    }
}

impl RefineConfig {
    /// Checks that the numbers make sense.
    pub fn validate(&self) -> Result<(), RefineError> {
        let bad = |m: &str| Err(RefineError::Config(m.to_string()));
        if self.max_episodes == 0 {
            return bad("maxEpisodes must be at least 1");
        }
        if self.concurrency == 0 {
            return bad("concurrency must be at least 1");
        }
        if self.diversity_tries == 0 {
            return bad("diversityTries must be at least 1");
        }
        if self.max_failures == 0 || self.max_failed_calls == 0 {
            return bad("maxFailures and maxFailedCalls must be at least 1");
        }
        if [self.diversity_threshold, self.convergence_threshold].iter().flatten().any(|t| !t.is_finite()) {
            return bad("diversityThreshold and convergenceThreshold must be numbers");
        }
        if !self.length_budget.factor.is_finite() || self.length_budget.factor <= 0.0 {
            return bad("lengthBudget.factor must be a positive number");
        }
        let r = &self.regression;
        let share = |x: f64| x.is_finite() && (0.0..=1.0).contains(&x);
        if !(share(r.echo_share) && share(r.min_distinct_share) && share(r.min_retention)) {
            return bad("regression.echoShare, minDistinctShare and minRetention must be between 0 and 1");
        }
        if !(2..=8).contains(&r.echo_ngram) {
            return bad("regression.echoNgram must be between 2 and 8");
        }
        if self.observation_chars < 64 || self.description_chars < 256 {
            return bad("observationChars must be at least 64 and descriptionChars at least 256");
        }
        Ok(())
    }
}

/// How much a run may do (`limits`).
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LimitsConfig {
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
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ThresholdsConfig {
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
    pub delta_text: super::diversity::DeltaText,
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

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
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

impl Default for ThresholdsConfig {
    fn default() -> Self {
        ThresholdsConfig {
            diversity: None,
            convergence: None,
            delta_text: Default::default(),
            diversity_retries: default_diversity_retries(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_papers() {
        let c = RefineConfig::default();
        assert_eq!((c.max_episodes, c.diversity_tries), (5, 3));
        assert_eq!((c.diversity_threshold, c.convergence_threshold), (None, None));
        assert_eq!(c.length_budget.description_limit(100), 600);
        assert_eq!(c.length_budget.description_limit(1000), 4000);
    }

    #[test]
    fn bad_numbers_are_rejected() {
        let c = RefineConfig { concurrency: 0, ..Default::default() };
        assert_eq!(c.validate().unwrap_err().code(), "InvalidConfig");
        let c = RefineConfig { convergence_threshold: Some(f64::NAN), ..Default::default() };
        assert!(c.validate().is_err());
    }
}
