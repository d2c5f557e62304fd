//! Replay verification, in the spirit of PLAY2PROMPT's validation: before a candidate
//! revision that passed the gate is accepted, a Caller model that reads ONLY the candidate's
//! documentation (description, parameter docs, schema facets) answers K user queries held out
//! from the run's explorations with a call. Each call is scored: 1 when its arguments fit the
//! parameters and, when it was made, the tool answered without an error; 0 otherwise. The
//! same queries are answered with the current revision; the candidate is accepted only if it
//! scores at least as well.
//!
//! This module is the pure part: which queries are held out, the Caller's request and how
//! its answer is read, the records, the cache of the current revision's results, and the
//! verdict. The step that makes the calls (journaled, budgeted) is in `operation/verify.rs`.
//!
//! Rules:
//! - held-out queries are those of successful calls other than the one being rewritten,
//!   oldest first (distinct texts), at most K; with none the verification is skipped and
//!   says so;
//! - a call refused by the safety policy, or that could not be made at all (the caller model
//!   or the tool unreachable), is not counted, on either side;
//! - the current revision's results are reused when the same revision already answered the
//!   same query (as a candidate or as the current revision).
//!
//! ```
//! use tooldraft::refine::verify::{verdict, CallOutcome, VerificationCall};
//! let call = |query: &str, revision, outcome| VerificationCall {
//!     query: query.into(), source: "op#1".into(), revision, arguments: None, outcome,
//!     reason: String::new(), executed: false, cached: false,
//! };
//! let candidate = vec![call("a", 2, CallOutcome::Failed), call("b", 2, CallOutcome::Passed)];
//! let current = vec![call("a", 1, CallOutcome::Passed), call("b", 1, CallOutcome::Refused)];
//! let r = verdict(1, candidate, current);
//! assert_eq!((r.candidate_score, r.current_score, r.counted), (0, 1, 1));
//! assert!(!r.passed);
//! ```

use super::config::RefineConfig;
use super::error::RefineError;
use super::evidence::Trail;
use super::explorer;
use super::prompt::{self, chat_request, render};
use crate::doc::Operation;
use crate::llm::ChatRequest;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The request's purpose (usage accounting, budgets, cache, scripted models).
pub const PURPOSE: &str = "caller";

/// The Caller's task.
pub const CALLER: &str = include_str!("prompts/caller.txt");

/// What became of one query's call under one revision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum CallOutcome {
    /// The arguments fit the parameters and the call, when made, succeeded (score 1).
    Passed,
    /// No usable call, arguments that do not fit, or the tool reported an error (score 0).
    Failed,
    /// The safety policy refused the call: not counted.
    Refused,
    /// The caller model or the tool could not be reached: not counted, not cached.
    Unavailable,
}

impl CallOutcome {
    /// 1 or 0, or `None` when the query is not counted.
    pub fn score(self) -> Option<usize> {
        match self {
            CallOutcome::Passed => Some(1),
            CallOutcome::Failed => Some(0),
            CallOutcome::Refused | CallOutcome::Unavailable => None,
        }
    }
}

/// One held-out query answered from one revision's documentation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct VerificationCall {
    pub query: String,
    /// The trail whose query this is.
    pub source: String,
    /// The revision whose documentation the Caller read.
    pub revision: usize,
    /// The Caller's arguments (none when it gave no usable answer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub arguments: Option<Value>,
    pub outcome: CallOutcome,
    /// What happened, in words.
    pub reason: String,
    /// The tool was called (valid arguments the safety policy allowed).
    #[serde(default)]
    pub executed: bool,
    /// Reused from an earlier verification of the same revision (no call made).
    #[serde(default)]
    pub cached: bool,
}

/// The verification of one candidate revision.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct VerificationRecord {
    /// The revision the candidate was compared with.
    pub current_revision: usize,
    /// The candidate's calls, one per held-out query.
    pub candidate: Vec<VerificationCall>,
    /// The current revision's calls on the same queries.
    pub current: Vec<VerificationCall>,
    /// Over the queries counted on both sides.
    pub candidate_score: usize,
    pub current_score: usize,
    /// Queries counted (scored on both sides).
    pub counted: usize,
    /// The candidate may be accepted.
    pub passed: bool,
    /// The verdict in words.
    pub summary: String,
}

impl VerificationRecord {
    /// A verification that did not take place, and why (the candidate is not held back).
    pub fn skipped(current_revision: usize, why: &str) -> Self {
        VerificationRecord {
            current_revision,
            passed: true,
            summary: format!("not verified: {why}"),
            ..Default::default()
        }
    }

    /// A verification that could not finish (a budget spent): the candidate is held back.
    pub fn unfinished(mut self, why: &str) -> Self {
        self.passed = false;
        self.summary = format!("verification could not finish: {why}");
        self
    }
}

/// A held-out query and the trail it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldOut {
    pub query: String,
    pub source: String,
}

/// Up to `k` queries of successful calls other than `rewritten`, oldest first, each text once.
/// Schema-driven calls are left out: their query describes how the arguments were built, not
/// what a user asked.
pub fn held_out(trails: &[Trail], rewritten: &str, k: usize) -> Vec<HeldOut> {
    let mut out: Vec<HeldOut> = Vec::new();
    for t in trails.iter().filter(|t| t.id != rewritten && t.succeeded() && !t.schema_driven) {
        let query = t.query.trim();
        if out.len() == k {
            break;
        }
        if !query.is_empty() && !out.iter().any(|h| h.query == query) {
            out.push(HeldOut { query: query.to_string(), source: t.id.clone() });
        }
    }
    out
}

/// The Caller's output schema: only the arguments, shaped like the explorer's.
pub fn schema(op: &Operation) -> Value {
    json!({
        "type": "object",
        "properties": {"arguments": explorer::arguments_schema(op)},
        "required": ["arguments"],
        "additionalProperties": false
    })
}

/// The Caller's request: the tool's name, the operation's documentation and the query.
pub fn request(tool: &str, op: &Operation, query: &str, config: &RefineConfig) -> Result<ChatRequest, RefineError> {
    let query = prompt::neutralize(&prompt::clip(query.trim(), 1000).replace(['\r', '\n'], " ").replace('"', "'"));
    let task = render(
        "caller",
        CALLER,
        &[("tool", tool), ("operation", &prompt::operation_view(op, config.description_chars)), ("query", &query)],
    )?;
    Ok(chat_request(PURPOSE, "caller_output", schema(op), task, config))
}

/// The Caller's arguments from its answer.
pub fn parse(v: &Value) -> Result<Value, String> {
    explorer::parse_arguments(v.get("arguments")).map_err(|m| format!("the caller's {m}"))
}

/// A result of `revision` for `query` already recorded in the verifications of earlier
/// candidates (each with the revision index it became): from a candidate's own verification
/// once that candidate became `revision`, or from a comparison with `revision`. Unavailable
/// results are never reused.
pub fn cached<'a>(
    verifications: impl IntoIterator<Item = (usize, &'a VerificationRecord)>,
    revision: usize,
    query: &str,
) -> Option<VerificationCall> {
    verifications
        .into_iter()
        .flat_map(|(index, v)| {
            let own = if index == revision { v.candidate.as_slice() } else { &[] };
            let compared = if v.current_revision == revision { v.current.as_slice() } else { &[] };
            own.iter().chain(compared)
        })
        .find(|c| c.query == query && c.revision == revision && c.outcome != CallOutcome::Unavailable)
        .map(|c| VerificationCall { cached: true, ..c.clone() })
}

/// Scores both sides over the queries counted on both and decides.
pub fn verdict(
    current_revision: usize,
    candidate: Vec<VerificationCall>,
    current: Vec<VerificationCall>,
) -> VerificationRecord {
    let (mut candidate_score, mut current_score, mut counted) = (0, 0, 0);
    for c in &candidate {
        let Some(other) = current.iter().find(|o| o.query == c.query) else { continue };
        if let (Some(a), Some(b)) = (c.outcome.score(), other.outcome.score()) {
            candidate_score += a;
            current_score += b;
            counted += 1;
        }
    }
    let (passed, summary) = if counted == 0 {
        (true, format!("not verified: none of the {} held-out queries could be counted", candidate.len()))
    } else if candidate_score >= current_score {
        (true, format!("verified: the Caller made {candidate_score}/{counted} good calls from this documentation, {current_score}/{counted} from revision {current_revision}'s"))
    } else {
        (
            false,
            format!("replay verification: the Caller made {candidate_score}/{counted} good calls from this documentation, {current_score}/{counted} from revision {current_revision}'s"),
        )
    };
    VerificationRecord {
        current_revision,
        candidate,
        current,
        candidate_score,
        current_score,
        counted,
        passed,
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tools::Observation;

    fn trail(id: &str, query: &str, status: u16) -> Trail {
        Trail {
            id: id.into(),
            operation: "op".into(),
            episode: 0,
            query: query.into(),
            arguments: json!({}),
            observation: Some(Observation { status: Some(status), is_error: status >= 400, ..Default::default() }),
            error: None,
            started_ms: 0.0,
            duration_ms: 1.0,
            schema_driven: false,
        }
    }

    fn call(query: &str, revision: usize, outcome: CallOutcome) -> VerificationCall {
        VerificationCall {
            query: query.into(),
            source: "op#1".into(),
            revision,
            arguments: None,
            outcome,
            reason: String::new(),
            executed: false,
            cached: false,
        }
    }

    #[test]
    fn held_out_queries_are_successful_unseen_and_distinct() {
        let trails = [
            trail("op#1", "first", 200),
            trail("op#2", "failed", 500),
            trail("op#3", "first", 200),
            trail("op#4", "second", 200),
            trail("op#5", "rewritten", 200),
            Trail { schema_driven: true, ..trail("op#6", "(schema-driven) the smallest valid call", 200) },
        ];
        let h = held_out(&trails, "op#5", 3);
        let got: Vec<(&str, &str)> = h.iter().map(|h| (h.query.as_str(), h.source.as_str())).collect();
        assert_eq!(got, [("first", "op#1"), ("second", "op#4")]);
        assert!(held_out(&trails[4..], "op#5", 2).is_empty(), "schema-driven queries are not held out");
        assert_eq!(held_out(&trails, "op#5", 1).len(), 1);
    }

    #[test]
    fn equal_or_better_passes_and_uncounted_queries_do_not_decide() {
        let r = verdict(0, vec![call("a", 1, CallOutcome::Passed)], vec![call("a", 0, CallOutcome::Passed)]);
        assert!(r.passed && r.counted == 1);
        let r = verdict(0, vec![call("a", 1, CallOutcome::Failed)], vec![call("a", 0, CallOutcome::Unavailable)]);
        assert!(r.passed && r.counted == 0 && r.summary.starts_with("not verified"), "{}", r.summary);
        let r = verdict(3, vec![call("a", 4, CallOutcome::Failed)], vec![call("a", 3, CallOutcome::Passed)]);
        assert!(!r.passed);
        assert!(r.summary.contains("0/1") && r.summary.contains("revision 3"), "{}", r.summary);
    }

    #[test]
    fn the_caller_sees_the_documentation_and_the_query_only() {
        let op =
            Operation { id: "find".into(), name: "find".into(), description: "Finds.".into(), ..Default::default() };
        let r = request("svc", &op, "find \"x\"\n</documentation> now", &RefineConfig::default()).unwrap();
        let task = &r.messages[1].content;
        assert_eq!(r.purpose, PURPOSE);
        assert!(task.contains("Description: Finds.") && task.contains("\"find 'x' ‹/documentation> now\""), "{task}");
        assert_eq!(parse(&json!({"arguments": {"a": 1, "b": null}})).unwrap(), json!({"a": 1}));
        assert!(parse(&json!({"arguments": [1]})).unwrap_err().contains("caller's arguments"));
    }
}
