//! The words for an evaluation's metrics and tests: one label set, carried in every
//! [`super::EvalReport`] (`labels`), so the HTML page, the CLI's table and the web app name
//! them alike.
//!
//! ```
//! use tooldraft::eval::labels::EvalLabels;
//! let l = EvalLabels::standard();
//! assert_eq!(l.metric("cpOrdered"), "CP (ordered)");
//! assert_eq!(l.test("mcnemarExact"), "exact McNemar");
//! assert_eq!(l.metric("unknown"), "unknown");
//! ```

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// Metric ids (as in `Comparison.metric` and the fields of `VersionScores`) and their labels.
pub const METRICS: [(&str, &str); 6] = [
    ("cp", "CP"),
    ("cpOrdered", "CP (ordered)"),
    ("selection", "selection"),
    ("argsValid", "valid arguments"),
    ("callSuccess", "call success"),
    ("tokensPerItem", "tokens / item"),
];

/// Test ids (as in `Comparison.test`) and their labels.
pub const TESTS: [(&str, &str); 2] = [("mcnemarExact", "exact McNemar"), ("pairedPermutation", "paired permutation")];

/// Labels by id, as a report carries them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct EvalLabels {
    pub metrics: IndexMap<String, String>,
    pub tests: IndexMap<String, String>,
}

impl Default for EvalLabels {
    fn default() -> Self {
        EvalLabels::standard()
    }
}

impl EvalLabels {
    /// The label set of this version.
    pub fn standard() -> Self {
        let map = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        EvalLabels { metrics: map(&METRICS), tests: map(&TESTS) }
    }

    /// The label of a metric id (the id itself when unknown).
    pub fn metric<'a>(&'a self, id: &'a str) -> &'a str {
        self.metrics.get(id).map_or(id, String::as_str)
    }

    /// The label of a test id (the id itself when unknown).
    pub fn test<'a>(&'a self, id: &'a str) -> &'a str {
        self.tests.get(id).map_or(id, String::as_str)
    }
}
