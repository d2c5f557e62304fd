//! Typed events: everything a run does leaves through these, in order, to the caller's
//! `onEvent`. The web app, the CLI's progress display and `--json` read nothing else.

use super::verify::VerificationCall;
use crate::llm::Usage;
use crate::tools::Observation;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What an operation is doing now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum Phase {
    Explore,
    Call,
    Analyze,
    Rewrite,
    /// Replay verification of a candidate revision.
    Verify,
    Summarize,
    Done,
}

/// Why an operation's refinement stopped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "camelCase", try_from = "TerminationWire")]
pub enum TerminationReason {
    /// Consecutive revisions converged: Δ = (BLEU + cosine) / 2 went above τ.
    Converged { delta: f64, threshold: f64 },
    /// The maximum number of episodes was reached.
    MaxEpisodes { episodes: usize },
    /// The operation's or the run's call budget was spent.
    BudgetSpent {
        calls: usize,
        /// Which budget (`the operation's budget of 10 model calls`).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        budget: String,
    },
    /// The safety policy forbids calling this operation.
    NotAllowed { reason: String },
    /// Every episode failed (the model never gave usable output, the tool never answered…).
    Failed { message: String },
    /// The run was cancelled.
    Cancelled,
}

/// [`TerminationReason`] as read, in a run state (see [`crate::wire`]).
#[derive(Deserialize)]
struct TerminationWire {
    kind: String,
    delta: Option<f64>,
    threshold: Option<f64>,
    episodes: Option<usize>,
    calls: Option<usize>,
    #[serde(default)]
    budget: String,
    reason: Option<String>,
    message: Option<String>,
}

impl TryFrom<TerminationWire> for TerminationReason {
    type Error = String;
    fn try_from(w: TerminationWire) -> Result<TerminationReason, String> {
        use crate::wire::field;
        let TerminationWire { kind, delta, threshold, episodes, calls, budget, reason, message } = w;
        Ok(match kind.as_str() {
            "converged" => TerminationReason::Converged {
                delta: field(delta, "delta")?,
                threshold: field(threshold, "threshold")?,
            },
            "maxEpisodes" => TerminationReason::MaxEpisodes { episodes: field(episodes, "episodes")? },
            "budgetSpent" => TerminationReason::BudgetSpent { calls: field(calls, "calls")?, budget },
            "notAllowed" => TerminationReason::NotAllowed { reason: field(reason, "reason")? },
            "failed" => TerminationReason::Failed { message: field(message, "message")? },
            "cancelled" => TerminationReason::Cancelled,
            other => {
                let kinds = ["converged", "maxEpisodes", "budgetSpent", "notAllowed", "failed", "cancelled"];
                return Err(crate::wire::unknown("kind", other, &kinds));
            }
        })
    }
}

/// One event of a run. Serialised with a `type` tag, camelCase fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "RunEvent"))]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Event {
    RunStarted {
        run_id: String,
        operations: Vec<String>,
        max_episodes: usize,
        /// True when the run continues from a saved state.
        #[serde(default)]
        resumed: bool,
    },
    OperationStarted {
        operation: String,
    },
    Phase {
        operation: String,
        episode: usize,
        phase: Phase,
    },
    Query {
        operation: String,
        episode: usize,
        query: String,
        arguments: Value,
    },
    DiversityRetry {
        operation: String,
        episode: usize,
        attempt: usize,
        similar_to: String,
        similarity: f64,
    },
    /// The explorer's arguments did not fit the parameters (or the tool refused them); they go
    /// back to the explorer with the reason.
    ArgumentsRejected {
        operation: String,
        episode: usize,
        arguments: Value,
        reason: String,
    },
    ToolCall {
        operation: String,
        episode: usize,
        trail_id: String,
        arguments: Value,
    },
    ToolResult {
        operation: String,
        episode: usize,
        trail_id: String,
        observation: Observation,
    },
    Analysis {
        operation: String,
        episode: usize,
        findings: Value,
    },
    RevisionAccepted {
        operation: String,
        episode: usize,
        revision: usize,
        delta: Option<f64>,
    },
    RevisionRejected {
        operation: String,
        episode: usize,
        revision: usize,
        reason: String,
    },
    /// A held-out query answered from one revision's documentation (replay verification).
    VerificationCall {
        operation: String,
        episode: usize,
        /// The candidate revision being verified.
        revision: usize,
        call: VerificationCall,
    },
    /// A candidate's replay verification: both scores and the verdict.
    Verification {
        operation: String,
        episode: usize,
        revision: usize,
        current_revision: usize,
        candidate_score: usize,
        current_score: usize,
        counted: usize,
        passed: bool,
        summary: String,
    },
    Terminated {
        operation: String,
        reason: TerminationReason,
    },
    ToolSummary {
        tool: String,
        description: String,
        /// False when the rewrite gate rejected the summary (the tool keeps its description).
        #[serde(default)]
        accepted: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        reason: Option<String>,
    },
    /// Model usage of one step (`purpose` is the role).
    Usage {
        purpose: String,
        usage: Usage,
        calls: usize,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        operation: Option<String>,
    },
    /// Something worth knowing that is not an error (a description cut for the prompt, an
    /// embedder that failed so diversity was not checked).
    Warning {
        operation: Option<String>,
        message: String,
    },
    Error {
        operation: Option<String>,
        code: String,
        message: String,
    },
    Checkpoint {
        step: usize,
    },
    RunFinished {
        cancelled: bool,
    },
}
