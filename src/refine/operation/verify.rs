//! The replay verification of a candidate revision, inside the rewrite step (see
//! [`crate::refine::verify`] for the rules). Its model and tool calls go through the step's
//! journal like the rewriter's: a run killed in the middle replays them on resume instead of
//! repeating them, and every call counts against the budgets (model usage under `caller`).

use super::{current_operation, Interrupted, Step};
use crate::doc::Operation;
use crate::llm::structured::complete_json;
use crate::llm::LlmError;
use crate::refine::ctx::Owner;
use crate::refine::events::{Event, Phase};
use crate::refine::explorer::validate_arguments;
use crate::refine::gate::{self, GateRule, GateViolation};
use crate::refine::journal::{StepModel, StepTools, Stop};
use crate::refine::rewriter::RewriteOutput;
use crate::refine::state::JournalEntry;
use crate::refine::verify::{self, CallOutcome, HeldOut, VerificationCall, VerificationRecord};
use crate::tools::ToolError;

impl VerificationRecord {
    /// The gate violation of a candidate that did worse than the current revision.
    pub(crate) fn violation(&self) -> Option<GateViolation> {
        (!self.passed).then(|| GateViolation { rule: GateRule::Verification, message: self.summary.clone() })
    }
}

/// The step's journal entries that belong to the verification: the Caller's model calls and
/// the tool calls (the rewrite step makes no other tool call).
fn verification_journal(journal: &[JournalEntry]) -> Vec<JournalEntry> {
    journal
        .iter()
        .filter(|e| match e {
            JournalEntry::Model { purpose, .. } => purpose == verify::PURPOSE,
            JournalEntry::Tool { .. } => true,
        })
        .cloned()
        .collect()
}

impl Step<'_, '_> {
    /// Verifies a proposal that passed the gate (`violations` empty); `None` when it did not,
    /// or when verification is off.
    pub(super) async fn verify_candidate(
        &mut self,
        violations: &[GateViolation],
        proposal: &RewriteOutput,
        rewritten: &str,
    ) -> Result<Option<VerificationRecord>, Interrupted> {
        let k = self.cfg().verify.queries;
        if k == 0 || !violations.is_empty() {
            return Ok(None);
        }
        let current = current_operation(self.original, &self.op);
        let mut candidate = current.clone();
        candidate.description = proposal.description.clone();
        let parameters = gate::merged_parameters(&current, proposal);
        for p in &mut candidate.parameters {
            if let Some(d) = parameters.get(&p.name) {
                p.description = d.clone();
            }
        }
        let queries = verify::held_out(&self.op.trails, rewritten, k);
        let (revision, current_revision) = (self.op.revisions.len(), self.op.current);
        let record = if queries.is_empty() {
            VerificationRecord::skipped(
                current_revision,
                "no successful call other than the one rewritten to test it with",
            )
        } else {
            self.phase(Phase::Verify);
            self.replay_queries(&queries, (&candidate, revision), (&current, current_revision)).await?
        };
        self.events.push(Event::Verification {
            operation: self.op.id.clone(),
            episode: self.op.episode,
            revision,
            current_revision,
            candidate_score: record.candidate_score,
            current_score: record.current_score,
            counted: record.counted,
            passed: record.passed,
            summary: record.summary.clone(),
        });
        Ok(Some(record))
    }

    /// Each query answered from the candidate's documentation, then from the current one's
    /// (or its cached result).
    async fn replay_queries(
        &mut self,
        queries: &[HeldOut],
        (candidate, revision): (&Operation, usize),
        (current, current_revision): (&Operation, usize),
    ) -> Result<VerificationRecord, Interrupted> {
        let journal = verification_journal(&self.op.journal);
        let model = StepModel::new(self.ctx, Owner::Op(self.index), &journal, &self.op.usage);
        let tools = StepTools::new(self.ctx, Owner::Op(self.index), &journal, self.op.tool_calls);
        let (mut by_candidate, mut by_current) = (Vec::new(), Vec::new());
        for q in queries {
            by_candidate.push(self.replay_one(&model, &tools, q, candidate, revision).await);
            let earlier =
                self.op.revisions.iter().filter_map(|r| r.verification.as_ref().map(|v| (r.revision.index, v)));
            let cached = verify::cached(earlier, current_revision, &q.query);
            let call = match cached {
                Some(c) => c,
                None => self.replay_one(&model, &tools, q, current, current_revision).await,
            };
            by_current.push(call);
            if model.stop().is_some() || tools.stop().is_some() {
                break;
            }
        }
        self.account_model(&model);
        self.op.tool_calls += tools.calls();
        self.op.tool_ms += tools.ms();
        for call in by_candidate.iter().chain(&by_current).filter(|c| !c.cached) {
            self.events.push(Event::VerificationCall {
                operation: self.op.id.clone(),
                episode: self.op.episode,
                revision,
                call: call.clone(),
            });
        }
        let record = verify::verdict(current_revision, by_candidate, by_current);
        match model.stop().or(tools.stop()) {
            Some(Stop::Interrupted) => Err(Interrupted),
            Some(Stop::Budget(which)) => Ok(record.unfinished(&format!("{which} is spent"))),
            None => Ok(record),
        }
    }

    /// One query answered from `doc`'s documentation: the Caller's call, checked against the
    /// parameters and, where the safety policy allows, made.
    async fn replay_one(
        &self,
        model: &StepModel<'_, '_>,
        tools: &StepTools<'_, '_>,
        query: &HeldOut,
        doc: &Operation,
        revision: usize,
    ) -> VerificationCall {
        let mut call = VerificationCall {
            query: query.query.clone(),
            source: query.source.clone(),
            revision,
            arguments: None,
            outcome: CallOutcome::Unavailable,
            reason: String::new(),
            executed: false,
            cached: false,
        };
        let (outcome, reason) = match self.caller_arguments(model, doc, &query.query).await {
            Err(done) => done,
            Ok(arguments) => {
                let calls_before = tools.calls();
                let checked = self.checked_call(tools, &arguments).await;
                call.executed = tools.calls() > calls_before;
                call.arguments = Some(arguments);
                checked
            }
        };
        call.outcome = outcome;
        call.reason = reason;
        call
    }

    /// The Caller's arguments, or the outcome when it gave none.
    async fn caller_arguments(
        &self,
        model: &StepModel<'_, '_>,
        doc: &Operation,
        query: &str,
    ) -> Result<serde_json::Value, (CallOutcome, String)> {
        let request = verify::request(self.tool, doc, query, self.cfg())
            .map_err(|e| (CallOutcome::Unavailable, format!("the caller's prompt failed: {e}")))?;
        match complete_json(model, &request).await {
            Ok(answer) => verify::parse(&answer.value).map_err(|m| (CallOutcome::Failed, m)),
            Err(e @ LlmError::InvalidOutput { .. }) => {
                Err((CallOutcome::Failed, format!("the caller gave no call: {e}")))
            }
            Err(e) => Err((CallOutcome::Unavailable, format!("the caller model failed: {e}"))),
        }
    }

    /// Validates the arguments, asks the safety policy, and makes the call.
    async fn checked_call(&self, tools: &StepTools<'_, '_>, arguments: &serde_json::Value) -> (CallOutcome, String) {
        if let Err(reason) = validate_arguments(self.original, arguments) {
            return (CallOutcome::Failed, format!("the arguments do not fit the parameters: {reason}"));
        }
        if let Err(e) = self.ctx.refiner.tools.permits(self.original) {
            return (CallOutcome::Refused, e.to_string());
        }
        match tools.call(self.original, arguments).await {
            Ok(o) if o.is_success() => {
                let status = o.status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
                (CallOutcome::Passed, format!("valid arguments; the call succeeded{status}"))
            }
            Ok(o) => {
                let status = o.status.map(|s| format!("HTTP {s}: ")).unwrap_or_default();
                let body = crate::refine::prompt::clip(o.body.trim(), 200);
                (CallOutcome::Failed, format!("the tool reported an error: {status}{body}"))
            }
            Err(e @ ToolError::Denied { .. }) => (CallOutcome::Refused, e.to_string()),
            Err(e @ ToolError::InvalidArguments { .. }) => (CallOutcome::Failed, e.to_string()),
            Err(e) => (CallOutcome::Unavailable, format!("the call could not be made: {e}")),
        }
    }
}
