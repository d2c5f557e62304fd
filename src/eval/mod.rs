//! Does the refined doc help? Evaluation of tool selection and calling, version against
//! version, on the same items: the DRAFT paper's Correct Path rate (CP%) and its ordered
//! variant, operation selection, argument validity, call success, tokens per item, with
//! bootstrap intervals and paired tests; plus a model-free report of what changed.
//!
//! ```
//! use tooldraft::eval::{parse_queries, EvalConfig};
//! let set = parse_queries("{\"query\": \"q\", \"gold\": [\"op\"]}").unwrap();
//! assert_eq!(set.kind, "jsonl");
//! assert_eq!(EvalConfig::default().concurrency, 4);
//! ```

#[cfg(feature = "engine")]
pub mod changes;
pub mod chart;
mod config;
#[cfg(feature = "engine")]
pub mod explored;
#[cfg(feature = "engine")]
pub mod holdout;
pub mod html;
pub mod labels;
mod markup;
mod queries;
// Its aggregation is the engine's (run.rs); the document module reads and renders reports.
#[cfg_attr(not(feature = "engine"), allow(dead_code))]
mod report;
#[cfg(feature = "engine")]
mod run;
#[cfg(feature = "engine")]
pub mod selector;
pub mod stats;

pub use config::{DocVersion, EvalConfig};
pub use queries::{parse_queries, EvalItem, OpRef, QuerySet};
pub use report::{Comparison, EvalReport, ItemResult, Metric, SkippedItem, VersionScores};
#[cfg(feature = "engine")]
pub use run::{EvalProgress, Evaluator};

/// Why an evaluation could not run.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EvalError {
    #[error("the query set is empty")]
    EmptyQuerySet,
    #[error("invalid query set at {location}: {message}")]
    Queries { location: String, message: String },
    #[error("no documentation versions to evaluate")]
    NoVersions,
    #[error("\"{other}\" does not look like a version of \"{first}\": only {shared} of {total} operation names match")]
    DifferentTools { first: String, other: String, shared: usize, total: usize },
    #[error("none of the items can be scored ({skipped} skipped), e.g.: {example}")]
    NoUsableItems { skipped: usize, example: String },
}

impl EvalError {
    /// A stable code, used as the JS error's `name`.
    pub fn code(&self) -> &'static str {
        match self {
            EvalError::EmptyQuerySet => "EmptyQuerySet",
            EvalError::Queries { .. } => "InvalidQuerySet",
            EvalError::NoVersions => "NoVersions",
            EvalError::DifferentTools { .. } => "DifferentTools",
            EvalError::NoUsableItems { .. } => "NoUsableItems",
        }
    }
}
