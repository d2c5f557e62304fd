//! What an evaluation is given: the documentation versions under test and its settings
//! (read by the run and written into its report).

use crate::doc::ToolDoc;
use serde::{Deserialize, Serialize};

/// One version of the documentation under test.
#[derive(Clone, Debug)]
pub struct DocVersion {
    /// A short name shown in reports (`original`, `refined`, a file name).
    pub label: String,
    pub doc: ToolDoc,
}

/// Evaluation settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct EvalConfig {
    /// Items evaluated at once.
    pub concurrency: usize,
    /// Bootstrap resamples for confidence intervals and paired tests.
    pub resamples: usize,
    /// Seed of the statistics' random generator (reports are reproducible).
    pub seed: u64,
}

impl Default for EvalConfig {
    fn default() -> Self {
        EvalConfig { concurrency: 4, resamples: 2000, seed: 20250101 }
    }
}
