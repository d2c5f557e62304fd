//! The run state: everything needed to resume a run exactly where it stopped, serialisable
//! after every step.
//!
//! Each operation (and each tool's summary) is a small state machine whose `stage` says
//! what the next step is. A step makes at most one structured model request (which may be
//! two chat calls when the answer needs a correction) or one tool call, and is committed
//! with its results in one go. Every external call's result is also written to the owner's
//! `journal` the moment it arrives, with a checkpoint: a run killed in the middle of a step
//! replays that step from the journal on resume, so no call is ever made twice and no
//! result is lost.
//!
//! ```
//! use tooldraft::refine::RunState;
//! let s: RunState = serde_json::from_str(r#"{"version":1,"runId":"r","fingerprint":"f","step":0,"operations":[],"tools":[]}"#).unwrap();
//! assert_eq!(s.step, 0);
//! ```

use super::analyzer::Analysis;
use super::evidence::Trail;
use crate::doc::Revision;
use crate::llm::{ChatResponse, LlmError, Usage};
use crate::refine::TerminationReason;
use crate::tools::{Observation, ToolError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The state format's version.
pub const STATE_VERSION: u32 = 1;

/// Calls and tokens of one role.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RoleUsage {
    pub calls: usize,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

/// Usage per role (`explorer`, `analyzer`, `rewriter`, `summarizer`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(transparent)]
pub struct UsageByRole(pub BTreeMap<String, RoleUsage>);

impl UsageByRole {
    /// Adds `calls` calls costing `usage` to `role`.
    pub fn add(&mut self, role: &str, calls: usize, usage: Usage) {
        let r = self.0.entry(role.to_string()).or_default();
        r.calls += calls;
        r.prompt_tokens += usage.prompt_tokens;
        r.completion_tokens += usage.completion_tokens;
    }

    /// Adds everything in `other`.
    pub fn merge(&mut self, other: &UsageByRole) {
        for (k, v) in &other.0 {
            self.add(k, v.calls, Usage { prompt_tokens: v.prompt_tokens, completion_tokens: v.completion_tokens });
        }
    }

    /// Chat calls over all roles (embedding requests, role `embeddings`, are not chat calls).
    pub fn calls(&self) -> usize {
        self.0.iter().filter(|(k, _)| k.as_str() != super::diversity::EMBEDDINGS_ROLE).map(|(_, r)| r.calls).sum()
    }

    /// Tokens over all roles.
    pub fn tokens(&self) -> u64 {
        self.0.values().map(|r| r.prompt_tokens + r.completion_tokens).sum()
    }
}

/// A result of an external call, kept until its step commits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase", try_from = "JournalEntryWire")]
pub enum JournalEntry {
    /// A chat call (`key` is the request's hash) and its answer or error.
    Model {
        key: String,
        purpose: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        response: Option<ChatResponse>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        error: Option<LlmError>,
        ms: f64,
    },
    /// A tool call (`key` is the hash of the operation id and arguments) and its outcome.
    Tool {
        key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        observation: Option<Observation>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        error: Option<ToolError>,
        ms: f64,
    },
}

/// A query and arguments the explorer proposed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    pub query: String,
    pub arguments: Value,
    /// Highest cosine similarity to an earlier query of the operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub similarity: Option<f64>,
    /// That earlier query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub similar_to: Option<String>,
}

/// The explore step's progress within an episode.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ExploreProgress {
    /// Candidates rejected as too similar so far.
    pub candidates: Vec<Candidate>,
    /// Times the arguments were invalid so far.
    pub invalid: usize,
    /// Feedback for the next attempt.
    pub feedback: Vec<String>,
}

/// What an operation does next.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "stage", rename_all = "camelCase", rename_all_fields = "camelCase", try_from = "StageWire")]
pub enum Stage {
    /// Not started: the safety policy is asked first.
    Start,
    Explore(ExploreProgress),
    Call {
        candidate: Candidate,
        forced: bool,
    },
    Analyze {
        trail: String,
    },
    Rewrite {
        trail: String,
    },
    /// A schema-driven call: arguments from the document and the tool's errors, no model.
    Probe,
    Done,
}

/// A query that was called.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct QueryRecord {
    pub episode: usize,
    pub query: String,
    pub arguments: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub similarity: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub similar_to: Option<String>,
    /// True when every try was too similar and this, the least similar, was used anyway.
    #[serde(default)]
    pub forced: bool,
    /// Candidates rejected as too similar before this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<Candidate>,
}

/// The analyzer's findings for one call.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", from = "AnalysisRecordWire")]
pub struct AnalysisRecord {
    pub episode: usize,
    pub trail: String,
    #[serde(flatten)]
    pub analysis: Analysis,
    /// Findings that only repeated the prompt (its placeholders or instructions): left out
    /// of `analysis` and not given to the rewriter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub echoed: Vec<String>,
}

/// A revision with where it came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", from = "RevisionRecordWire")]
pub struct RevisionRecord {
    #[serde(flatten)]
    pub revision: Revision,
    /// The episode that produced it (none for the original).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub episode: Option<usize>,
    /// Δ against the revision it replaced (accepted revisions only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub delta: Option<f64>,
    /// The gate's rules it broke (rejected revisions only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub violations: Vec<super::gate::GateViolation>,
    /// The direction the rewriter gave for the next exploration.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub next_direction: String,
    /// The replay verification it went through (candidates that passed the gate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub verification: Option<super::verify::VerificationRecord>,
}

/// A step that failed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct StepError {
    pub episode: usize,
    /// explorer, call, analyzer, rewriter, summarizer, embedder
    pub step: String,
    pub code: String,
    pub message: String,
}

/// One operation's progress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct OperationState {
    pub id: String,
    pub tool: String,
    pub stage: Stage,
    /// The current episode, 0-based.
    pub episode: usize,
    pub queries: Vec<QueryRecord>,
    pub trails: Vec<Trail>,
    pub analyses: Vec<AnalysisRecord>,
    /// Revision 0 is the original.
    pub revisions: Vec<RevisionRecord>,
    /// Index of the current (last accepted) revision.
    pub current: usize,
    /// The last accepted rewrite's direction for the next exploration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub direction: Option<String>,
    pub errors: Vec<StepError>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Failed steps in a row.
    pub failures: usize,
    /// Failed tool calls in a row.
    pub failed_calls: usize,
    pub usage: UsageByRole,
    pub tool_calls: usize,
    /// Calls to a non-local embedder.
    pub embedding_calls: usize,
    /// The embedder this operation's similarity decisions use (pinned at its first one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub embedder: Option<String>,
    pub model_ms: f64,
    pub tool_ms: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub started_ms: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub finished_ms: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub termination: Option<TerminationReason>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub journal: Vec<JournalEntry>,
    /// Schema-driven calls made so far.
    #[serde(default)]
    pub probes: usize,
}

impl OperationState {
    /// Done with a recorded reason.
    pub fn is_done(&self) -> bool {
        self.stage == Stage::Done
    }

    /// The texts of the queries explored so far.
    pub fn query_texts(&self) -> Vec<String> {
        self.queries.iter().map(|q| q.query.clone()).collect()
    }
}

/// A tool's summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SummaryRecord {
    pub original: String,
    pub description: String,
    pub accepted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub reason: Option<String>,
}

/// A tool's progress (its summary step).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ToolState {
    pub name: String,
    /// Index of the tool in the document.
    pub index: usize,
    /// The refined operations of this tool.
    pub operations: Vec<String>,
    pub done: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub summary: Option<SummaryRecord>,
    pub failures: usize,
    pub errors: Vec<StepError>,
    pub usage: UsageByRole,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub journal: Vec<JournalEntry>,
}

/// Everything a run needs to resume.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RunState {
    pub version: u32,
    pub run_id: String,
    /// Hash of the document's operations: a state only resumes the document it was made for.
    pub fingerprint: String,
    /// Checkpoints so far.
    pub step: usize,
    pub operations: Vec<OperationState>,
    pub tools: Vec<ToolState>,
}

impl RunState {
    /// The state of the operation with this id.
    pub fn operation(&self, id: &str) -> Option<&OperationState> {
        self.operations.iter().find(|o| o.id == id)
    }

    /// True when every operation and every tool summary is done.
    pub fn finished(&self) -> bool {
        self.operations.iter().all(OperationState::is_done) && self.tools.iter().all(|t| t.done)
    }
}

// The state as read (see `crate::wire`): the tagged enums and the flattened records above read
// through these flat structs, so that no type inside them is read a second time from serde's
// content buffer. They are written as derived. tests/refine_engine/state_json.rs round-trips every
// variant.

/// [`JournalEntry`] as read.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JournalEntryWire {
    kind: String,
    key: String,
    purpose: Option<String>,
    response: Option<ChatResponse>,
    error: Option<crate::wire::ErrorWire>,
    observation: Option<Observation>,
    ms: f64,
}

impl TryFrom<JournalEntryWire> for JournalEntry {
    type Error = String;
    fn try_from(w: JournalEntryWire) -> Result<JournalEntry, String> {
        let JournalEntryWire { kind, key, purpose, response, error, observation, ms } = w;
        Ok(match kind.as_str() {
            "model" => JournalEntry::Model {
                key,
                purpose: crate::wire::field(purpose, "purpose")?,
                response,
                error: error.map(LlmError::try_from).transpose()?,
                ms,
            },
            "tool" => JournalEntry::Tool { key, observation, error: error.map(ToolError::try_from).transpose()?, ms },
            other => return Err(crate::wire::unknown("kind", other, &["model", "tool"])),
        })
    }
}

/// [`Stage`] as read.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StageWire {
    stage: String,
    candidates: Option<Vec<Candidate>>,
    invalid: Option<usize>,
    feedback: Option<Vec<String>>,
    candidate: Option<Candidate>,
    forced: Option<bool>,
    trail: Option<String>,
}

impl TryFrom<StageWire> for Stage {
    type Error = String;
    fn try_from(w: StageWire) -> Result<Stage, String> {
        use crate::wire::field;
        let StageWire { stage, candidates, invalid, feedback, candidate, forced, trail } = w;
        Ok(match stage.as_str() {
            "start" => Stage::Start,
            "explore" => Stage::Explore(ExploreProgress {
                candidates: field(candidates, "candidates")?,
                invalid: field(invalid, "invalid")?,
                feedback: field(feedback, "feedback")?,
            }),
            "call" => Stage::Call { candidate: field(candidate, "candidate")?, forced: field(forced, "forced")? },
            "analyze" => Stage::Analyze { trail: field(trail, "trail")? },
            "rewrite" => Stage::Rewrite { trail: field(trail, "trail")? },
            "probe" => Stage::Probe,
            "done" => Stage::Done,
            other => {
                let stages = ["start", "explore", "call", "analyze", "rewrite", "probe", "done"];
                return Err(crate::wire::unknown("stage", other, &stages));
            }
        })
    }
}

/// [`AnalysisRecord`] as read: [`Analysis`]'s fields spelt out.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AnalysisRecordWire {
    episode: usize,
    trail: String,
    mismatches: Vec<String>,
    missing: Vec<String>,
    suggestions: Vec<String>,
    #[serde(default)]
    echoed: Vec<String>,
}

impl From<AnalysisRecordWire> for AnalysisRecord {
    fn from(w: AnalysisRecordWire) -> AnalysisRecord {
        let AnalysisRecordWire { episode, trail, mismatches, missing, suggestions, echoed } = w;
        AnalysisRecord { episode, trail, analysis: Analysis { mismatches, missing, suggestions }, echoed }
    }
}

/// [`RevisionRecord`] as read: [`Revision`]'s fields spelt out.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RevisionRecordWire {
    index: usize,
    description: String,
    #[serde(default)]
    parameters: BTreeMap<String, String>,
    accepted: bool,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    evidence: Vec<String>,
    #[serde(default)]
    episode: Option<usize>,
    #[serde(default)]
    delta: Option<f64>,
    #[serde(default)]
    violations: Vec<super::gate::GateViolation>,
    #[serde(default)]
    next_direction: String,
    #[serde(default)]
    verification: Option<super::verify::VerificationRecord>,
}

impl From<RevisionRecordWire> for RevisionRecord {
    fn from(w: RevisionRecordWire) -> RevisionRecord {
        let RevisionRecordWire {
            index,
            description,
            parameters,
            accepted,
            reason,
            evidence,
            episode,
            delta,
            violations,
            next_direction,
            verification,
        } = w;
        RevisionRecord {
            revision: Revision { index, description, parameters, accepted, reason, evidence },
            episode,
            delta,
            violations,
            next_direction,
            verification,
        }
    }
}
