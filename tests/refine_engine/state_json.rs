//! The run state's tagged enums and flattened records read through flat structs
//! (`tooldraft::wire`) and are written as derived: every variant must come back as it was
//! written, and the JSON must keep its tagged, flattened shape.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;
use std::fmt::Debug;
use tooldraft::doc::Revision;
use tooldraft::host::HostError;
use tooldraft::llm::{ChatResponse, LlmError, Usage};
use tooldraft::refine::analyzer::Analysis;
use tooldraft::refine::gate::{GateRule, GateViolation};
use tooldraft::refine::{
    AnalysisRecord, Candidate, ExploreProgress, JournalEntry, RevisionRecord, Stage, TerminationReason,
};
use tooldraft::tools::{Observation, ToolError};

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: &T) -> serde_json::Value {
    let written = serde_json::to_value(value).unwrap();
    let read: T = serde_json::from_value(written.clone()).unwrap_or_else(|e| panic!("{written}: {e}"));
    assert_eq!(&read, value, "{written}");
    written
}

fn host_errors() -> Vec<HostError> {
    let all =
        vec![HostError::Timeout { ms: 30_000 }, HostError::Aborted, HostError::Network { message: "refused".into() }];
    for e in &all {
        match e {
            HostError::Timeout { .. } | HostError::Aborted | HostError::Network { .. } => {}
        }
    }
    all
}

fn llm_errors() -> Vec<LlmError> {
    let endpoint = || "http://127.0.0.1:1/v1".to_string();
    let mut all: Vec<LlmError> =
        host_errors().into_iter().map(|source| LlmError::Transport { endpoint: endpoint(), source }).collect();
    all.extend([
        LlmError::Http { endpoint: endpoint(), status: 429, message: "slow down".into() },
        LlmError::BadResponse { endpoint: endpoint(), message: "not JSON".into() },
        LlmError::InvalidOutput { schema: "rewriter_output".into(), message: "missing description".into() },
        LlmError::Host { message: "threw".into() },
        LlmError::Redirect { endpoint: endpoint(), message: "to another origin".into() },
        LlmError::Cancelled,
    ]);
    for e in &all {
        match e {
            LlmError::Transport { .. }
            | LlmError::Http { .. }
            | LlmError::BadResponse { .. }
            | LlmError::InvalidOutput { .. }
            | LlmError::Host { .. }
            | LlmError::Redirect { .. }
            | LlmError::Cancelled => {}
        }
    }
    all
}

fn tool_errors() -> Vec<ToolError> {
    let endpoint = || "http://127.0.0.1:2".to_string();
    let mut all: Vec<ToolError> =
        host_errors().into_iter().map(|source| ToolError::Transport { endpoint: endpoint(), source }).collect();
    all.extend([
        ToolError::Denied { reason: "destructive".into() },
        ToolError::InvalidArguments { operation: "get".into(), message: "id is required".into() },
        ToolError::Protocol { endpoint: endpoint(), message: "no result".into() },
        ToolError::Host { message: "threw".into() },
        ToolError::Redirect { endpoint: endpoint(), message: "to another origin".into() },
        ToolError::NoTarget { operation: "get".into() },
    ]);
    for e in &all {
        match e {
            ToolError::Denied { .. }
            | ToolError::InvalidArguments { .. }
            | ToolError::Transport { .. }
            | ToolError::Protocol { .. }
            | ToolError::Host { .. }
            | ToolError::Redirect { .. }
            | ToolError::NoTarget { .. } => {}
        }
    }
    all
}

fn candidate() -> Candidate {
    Candidate { query: "q".into(), arguments: json!({"id": 1}), similarity: Some(0.5), similar_to: Some("p".into()) }
}

#[test]
fn every_error_variant_reads_back_as_written() {
    for e in host_errors() {
        round_trip(&e);
    }
    for e in llm_errors() {
        round_trip(&e);
    }
    for e in tool_errors() {
        round_trip(&e);
    }
    assert_eq!(
        round_trip(&LlmError::Transport { endpoint: "e".into(), source: HostError::Timeout { ms: 5 } }),
        json!({"kind": "transport", "endpoint": "e", "source": {"kind": "timeout", "ms": 5}})
    );
}

#[test]
fn every_journal_entry_and_stage_reads_back_as_written() {
    let response =
        ChatResponse { content: "{}".into(), usage: Usage { prompt_tokens: 3, completion_tokens: 4 }, model: None };
    let mut entries = vec![
        JournalEntry::Model {
            key: "k".into(),
            purpose: "explore".into(),
            response: Some(response),
            error: None,
            ms: 1.5,
        },
        JournalEntry::Tool { key: "t".into(), observation: Some(Observation::default()), error: None, ms: 2.0 },
    ];
    entries.extend(llm_errors().into_iter().map(|e| JournalEntry::Model {
        key: "k".into(),
        purpose: "analyze".into(),
        response: None,
        error: Some(e),
        ms: 0.0,
    }));
    entries.extend(tool_errors().into_iter().map(|e| JournalEntry::Tool {
        key: "t".into(),
        observation: None,
        error: Some(e),
        ms: 0.0,
    }));
    for e in &entries {
        match e {
            JournalEntry::Model { .. } | JournalEntry::Tool { .. } => round_trip(e),
        };
    }
    let stages = [
        Stage::Start,
        Stage::Explore(ExploreProgress { candidates: vec![candidate()], invalid: 2, feedback: vec!["differ".into()] }),
        Stage::Call { candidate: candidate(), forced: true },
        Stage::Analyze { trail: "get#1".into() },
        Stage::Rewrite { trail: "get#2".into() },
        Stage::Probe,
        Stage::Done,
    ];
    for s in &stages {
        match s {
            Stage::Start
            | Stage::Explore(_)
            | Stage::Call { .. }
            | Stage::Analyze { .. }
            | Stage::Rewrite { .. }
            | Stage::Probe
            | Stage::Done => round_trip(s),
        };
    }
    assert_eq!(
        round_trip(&stages[1]),
        json!({"stage": "explore", "candidates": [{"query": "q", "arguments": {"id": 1}, "similarity": 0.5, "similarTo": "p"}],
               "invalid": 2, "feedback": ["differ"]})
    );
    let bad = serde_json::from_value::<Stage>(json!({"stage": "call", "forced": true})).unwrap_err();
    assert!(bad.to_string().contains("missing field `candidate`"), "{bad}");
    let bad = serde_json::from_value::<Stage>(json!({"stage": "sleep"})).unwrap_err();
    assert!(bad.to_string().contains("unknown stage `sleep`"), "{bad}");
}

#[test]
fn every_termination_reason_reads_back_as_written() {
    let all = [
        TerminationReason::Converged { delta: 0.9, threshold: 0.75 },
        TerminationReason::MaxEpisodes { episodes: 5 },
        TerminationReason::BudgetSpent { calls: 10, budget: "the operation's budget".into() },
        TerminationReason::BudgetSpent { calls: 3, budget: String::new() },
        TerminationReason::NotAllowed { reason: "destructive".into() },
        TerminationReason::Failed { message: "no JSON".into() },
        TerminationReason::Cancelled,
    ];
    for t in &all {
        match t {
            TerminationReason::Converged { .. }
            | TerminationReason::MaxEpisodes { .. }
            | TerminationReason::BudgetSpent { .. }
            | TerminationReason::NotAllowed { .. }
            | TerminationReason::Failed { .. }
            | TerminationReason::Cancelled => round_trip(t),
        };
    }
    assert_eq!(round_trip(&all[3]), json!({"kind": "budgetSpent", "calls": 3}));
}

#[test]
fn flattened_records_read_back_as_written_and_stay_flat() {
    let analysis = AnalysisRecord {
        episode: 1,
        trail: "get#1".into(),
        analysis: Analysis { mismatches: vec!["m".into()], missing: vec!["x".into()], suggestions: vec!["s".into()] },
        echoed: vec!["e".into()],
    };
    assert_eq!(
        round_trip(&analysis),
        json!({"episode": 1, "trail": "get#1", "mismatches": ["m"], "missing": ["x"], "suggestions": ["s"], "echoed": ["e"]})
    );
    let revision = RevisionRecord {
        revision: Revision {
            index: 2,
            description: "Gets one.".into(),
            parameters: [("id".to_string(), "The id.".to_string())].into(),
            accepted: false,
            reason: Some("unbacked".into()),
            evidence: vec!["get#1".into()],
        },
        episode: Some(1),
        delta: Some(0.25),
        violations: vec![GateViolation { rule: GateRule::Empty, message: "empty".into() }],
        next_direction: "try a missing id".into(),
        verification: None,
    };
    let written = round_trip(&revision);
    assert_eq!(written["index"], 2);
    assert_eq!(written["parameters"], json!({"id": "The id."}));
    assert_eq!(written["nextDirection"], "try a missing id");
    // The original revision: only what it has.
    let original = RevisionRecord {
        revision: Revision { index: 0, description: "d".into(), accepted: true, ..Default::default() },
        episode: None,
        delta: None,
        violations: vec![],
        next_direction: String::new(),
        verification: None,
    };
    assert_eq!(round_trip(&original), json!({"index": 0, "description": "d", "parameters": {}, "accepted": true}));
}
