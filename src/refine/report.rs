//! What a run returns: the refined document (current revisions, facts in the document's own
//! fields, every revision in `history`), a JSON report (every revision with its gate
//! violations and its replay verification), and the final state.

use super::config::RefineConfig;
use super::ctx::Refiner;
use super::events::TerminationReason;
use super::evidence::{apply_facts, Facts, Trail};
use super::outcome::{self, Outcome};
use super::repair::{self, SchemaChange};
use super::sanitize::{withheld_in_trails, DocGuard, DocScope, Withheld, WithheldReason};
use super::state::{AnalysisRecord, QueryRecord, RevisionRecord, RunState, StepError, SummaryRecord, UsageByRole};
use crate::doc::{Revision, ToolDoc};
use serde::{Deserialize, Serialize};

/// The result of [`Refiner::run`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunOutput {
    /// The input document with refined descriptions, facts and revision history.
    pub doc: ToolDoc,
    pub report: RunReport,
    /// The final state (resumable when the run was cancelled or aborted).
    pub state: RunState,
}

/// Time spent on one operation (host clock, ms).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct OperationTimings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub started_ms: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub finished_ms: Option<f64>,
    /// Waiting for the model.
    pub model_ms: f64,
    /// Waiting for the tool.
    pub tool_ms: f64,
}

/// Everything about one operation's refinement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct OperationReport {
    pub id: String,
    pub name: String,
    pub tool: String,
    /// Why it stopped (`cancelled` when the run stopped before it finished).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub termination: Option<TerminationReason>,
    /// Episodes begun.
    pub episodes: usize,
    /// Revision 0 is the original; rejected ones carry the gate's reasons.
    pub revisions: Vec<RevisionRecord>,
    /// Index of the revision now in the document.
    pub current_revision: usize,
    pub queries: Vec<QueryRecord>,
    pub analyses: Vec<AnalysisRecord>,
    pub trails: Vec<Trail>,
    /// The facts as they went into the document (suspicious strings withheld).
    pub facts: Facts,
    /// Structural changes the trails prove (applied when `schemaRepair` is on), and
    /// conflicts where the evidence disagrees.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schema_changes: Vec<SchemaChange>,
    /// What was kept out of the document and the records (pointer and rule, never the text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withheld: Vec<Withheld>,
    /// The tool's responses carried values that look like secrets (withheld): review before
    /// exporting.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sensitive: bool,
    pub errors: Vec<StepError>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    pub usage: UsageByRole,
    pub model_calls: usize,
    pub tool_calls: usize,
    pub embedding_calls: usize,
    /// The embedder that measured this operation's φ and Δ (none when nothing was measured).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub embedder: Option<String>,
    pub timings: OperationTimings,
    /// What the run did to the text: improved, unchanged, or original kept (see
    /// [`super::outcome`]).
    #[serde(default)]
    pub outcome: Outcome,
    #[serde(default)]
    pub outcome_reason: String,
}

/// A tool's summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ToolReport {
    pub name: String,
    pub operations: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub summary: Option<SummaryRecord>,
    pub errors: Vec<StepError>,
    pub usage: UsageByRole,
}

/// Sums over the run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    pub operations: usize,
    /// Operations whose final revision replaced the original.
    #[serde(default)]
    pub improved: usize,
    /// Operations with an accepted revision that the end-of-run check turned down.
    #[serde(default)]
    pub original_kept: usize,
    /// Operations with at least one accepted revision.
    pub refined: usize,
    pub converged: usize,
    pub failed: usize,
    pub revisions_accepted: usize,
    pub revisions_rejected: usize,
    /// Candidate revisions scored by replay verification (skipped ones not counted).
    #[serde(default)]
    pub revisions_verified: usize,
    /// Candidate revisions replay verification held back (they did worse, or it could not finish).
    #[serde(default)]
    pub revisions_held_back: usize,
    pub model_calls: usize,
    pub tool_calls: usize,
    /// Calls to a non-local embedder (0 with the default local embeddings).
    pub embedding_calls: usize,
    pub tokens: u64,
    pub usage: UsageByRole,
    pub model_ms: f64,
    pub tool_ms: f64,
}

/// The run's report (serde, camelCase).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RunReport {
    pub run_id: String,
    /// The host cancelled the run before it finished.
    pub cancelled: bool,
    /// A fatal model error stopped the run (wrong key, endpoint or model).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub aborted: Option<String>,
    /// Which embeddings measured similarity (the configured embedder; each operation's
    /// report names the one its decisions used).
    pub embedder: String,
    /// Why the configured embedder was given up during the run (later operations used the
    /// local one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub embedder_fallback: Option<String>,
    pub config: RefineConfig,
    pub operations: Vec<OperationReport>,
    pub tools: Vec<ToolReport>,
    pub totals: Totals,
}

/// Schema changes carry tool output into the document (enum values, formats, patterns, the
/// observed response schema): they pass the same checks as the facts. The response schema is
/// the facts' cleaned one; a change with a withheld string is dropped (and listed).
fn guard_schema_changes(
    guard: &DocGuard,
    facts: &Facts,
    changes: &mut Vec<SchemaChange>,
    withheld: &mut Vec<Withheld>,
) {
    for c in changes.iter_mut().filter(|c| c.kind == repair::ChangeKind::ResponseSchema) {
        if c.status != repair::ChangeStatus::Conflict {
            c.after = facts.response_schema.clone().unwrap_or(serde_json::Value::Null);
        }
    }
    changes.retain(|c| {
        c.kind != repair::ChangeKind::ResponseSchema || !c.after.is_null() || c.status == repair::ChangeStatus::Conflict
    });
    repair::withhold_suspicious(changes, guard, withheld);
}

/// Builds the refined document and the report from the final state.
pub(crate) fn build_output(
    doc: &ToolDoc,
    state: RunState,
    refiner: &Refiner,
    cancelled: bool,
    aborted: Option<String>,
) -> RunOutput {
    let mut out = doc.clone();
    let mut reports = Vec::with_capacity(state.operations.len());
    let mut totals = Totals { operations: state.operations.len(), ..Default::default() };
    let scope = DocScope::new(doc);
    for os in &state.operations {
        let Some(original) = doc.operation(&os.id) else { continue };
        let guard = DocGuard::in_scope(&scope, original, &os.trails);
        let (facts, from_facts) = guard.facts_for_doc(&Facts::derive(original, &os.trails));
        let mut withheld = withheld_in_trails(&os.trails);
        withheld.extend(from_facts);
        let mut schema_changes = repair::propose(original, &os.trails);
        guard_schema_changes(&guard, &facts, &mut schema_changes, &mut withheld);
        let verdict = outcome::judge(&os.tool, original, os, &facts, &refiner.config);
        if let Some(op) = out.operation_mut(&os.id) {
            if refiner.config.schema_repair {
                repair::apply(op, &mut schema_changes);
            }
            if let Some(cur) = os.revisions.get(os.current).filter(|_| verdict.outcome != Outcome::OriginalKept) {
                op.description = cur.revision.description.clone();
                for p in &mut op.parameters {
                    if let Some(d) = cur.revision.parameters.get(&p.name) {
                        p.description = d.clone();
                    }
                }
            }
            apply_facts(op, &facts);
            // History: a document refined before keeps its revisions; ours continue them.
            let base = op.history.len();
            let skip_original = base > 0;
            for r in os.revisions.iter().filter(|r| !(skip_original && r.episode.is_none())) {
                let index = op.history.len();
                op.history.push(Revision { index, ..r.revision.clone() });
            }
        }
        let termination =
            os.termination.clone().or_else(|| (cancelled || aborted.is_some()).then_some(TerminationReason::Cancelled));
        let accepted = os.revisions.iter().filter(|r| r.episode.is_some() && r.revision.accepted).count();
        let rejected = os.revisions.iter().filter(|r| !r.revision.accepted).count();
        totals.refined += usize::from(accepted > 0);
        totals.improved += usize::from(verdict.outcome == Outcome::Improved);
        totals.original_kept += usize::from(verdict.outcome == Outcome::OriginalKept);
        totals.converged += usize::from(matches!(os.termination, Some(TerminationReason::Converged { .. })));
        totals.failed += usize::from(matches!(os.termination, Some(TerminationReason::Failed { .. })));
        totals.revisions_accepted += accepted;
        totals.revisions_rejected += rejected;
        for v in os.revisions.iter().filter_map(|r| r.verification.as_ref()) {
            totals.revisions_verified += usize::from(v.counted > 0);
            totals.revisions_held_back += usize::from(!v.passed);
        }
        totals.model_calls += os.usage.calls();
        totals.tool_calls += os.tool_calls;
        totals.embedding_calls += os.embedding_calls;
        totals.tokens += os.usage.tokens();
        totals.usage.merge(&os.usage);
        totals.model_ms += os.model_ms;
        totals.tool_ms += os.tool_ms;
        reports.push(OperationReport {
            id: os.id.clone(),
            name: original.name.clone(),
            tool: os.tool.clone(),
            termination,
            episodes: if os.queries.is_empty() && os.trails.is_empty() { 0 } else { os.episode + 1 },
            revisions: os.revisions.clone(),
            current_revision: os.current,
            queries: os.queries.clone(),
            analyses: os.analyses.clone(),
            trails: os.trails.clone(),
            facts,
            schema_changes,
            sensitive: withheld.iter().any(|w| w.reason == WithheldReason::Secret),
            withheld,
            errors: os.errors.clone(),
            warnings: os.warnings.clone(),
            usage: os.usage.clone(),
            model_calls: os.usage.calls(),
            tool_calls: os.tool_calls,
            embedding_calls: os.embedding_calls,
            embedder: os.embedder.clone(),
            timings: OperationTimings {
                started_ms: os.started_ms,
                finished_ms: os.finished_ms,
                model_ms: os.model_ms,
                tool_ms: os.tool_ms,
            },
            outcome: verdict.outcome,
            outcome_reason: verdict.reason,
        });
    }
    let mut tools = Vec::with_capacity(state.tools.len());
    for ts in &state.tools {
        if let Some(s) = ts.summary.as_ref().filter(|s| s.accepted) {
            if let Some(t) = out.tools.get_mut(ts.index) {
                t.description = s.description.clone();
            }
        }
        totals.model_calls += ts.usage.calls();
        totals.tokens += ts.usage.tokens();
        totals.usage.merge(&ts.usage);
        tools.push(ToolReport {
            name: ts.name.clone(),
            operations: ts.operations.clone(),
            summary: ts.summary.clone(),
            errors: ts.errors.clone(),
            usage: ts.usage.clone(),
        });
    }
    let report = RunReport {
        run_id: state.run_id.clone(),
        cancelled,
        aborted,
        embedder: refiner.measures.primary().name(),
        embedder_fallback: refiner.measures.given_up(),
        config: refiner.config.clone(),
        operations: reports,
        tools,
        totals,
    };
    RunOutput { doc: out, report, state }
}
