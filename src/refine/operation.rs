//! One step of one operation: the explore → call → analyze → rewrite state machine. A step
//! works on a copy of the operation's state and commits it (with its events and a
//! checkpoint) only when it completes; an interrupted step leaves the state as it was, so
//! it runs again on resume (its journaled calls replayed, not repeated).

use super::ctx::{Ctx, Owner};
use super::diversity::{nearest, Measures, EMBEDDINGS_ROLE};
use super::events::{Event, Phase, TerminationReason};
use super::evidence::Trail;
use super::explorer::{self, ExplorerInput};
use super::journal::{StepModel, StepTools, Stop};
use super::state::{Candidate, ExploreProgress, OperationState, QueryRecord, Stage, StepError};
use crate::doc::Operation;
use crate::llm::structured::complete_json;
use crate::llm::ChatRequest;
use crate::similarity::EmbedError;
use crate::tools::ToolError;

/// Said when an operation's embedder was given up earlier in the run.
const GIVEN_UP: &str = "{what}: this operation's embedder was given up earlier in the run";
use serde_json::Value;

mod revise;
mod verify;

/// Whether the operation's task should run another step.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum StepEnd {
    Continue,
    Stop,
}

/// The step was interrupted (cancelled or aborted) and must not be committed.
struct Interrupted;

/// A step in progress: the operation's state copy and the events it will commit.
struct Step<'c, 'a> {
    ctx: &'c Ctx<'a>,
    index: usize,
    op: OperationState,
    original: &'a Operation,
    tool: &'a str,
    events: Vec<Event>,
}

/// The original operation with the current revision's descriptions and the structure the
/// trails so far prove (required flags, types, enums, formats: what the models see, so that
/// a value an error listed is offered to the explorer and checked before the next call).
pub(crate) fn current_operation(original: &Operation, state: &OperationState) -> Operation {
    let mut op = original.clone();
    let mut changes = super::repair::propose_parameters(original, &state.trails);
    if !changes.is_empty() {
        // Tool output shown as documentation passes the same checks as the refined doc's.
        let guard = super::sanitize::DocGuard::new(&crate::doc::ToolDoc::default(), original, &state.trails);
        super::repair::withhold_suspicious(&mut changes, &guard, &mut Vec::new());
    }
    super::repair::apply(&mut op, &mut changes);
    if let Some(r) = state.revisions.get(state.current) {
        op.description = r.revision.description.clone();
        for p in &mut op.parameters {
            if let Some(d) = r.revision.parameters.get(&p.name) {
                p.description = d.clone();
            }
        }
    }
    op
}

/// Runs the operation's next step and commits it.
pub(crate) async fn op_step(ctx: &Ctx<'_>, index: usize) -> StepEnd {
    if ctx.stopped() {
        return StepEnd::Stop;
    }
    let op = ctx.state.borrow().operations[index].clone();
    if op.is_done() {
        return StepEnd::Stop;
    }
    let mut step =
        Step { ctx, index, op, original: ctx.originals[index], tool: ctx.tool_names[index], events: Vec::new() };
    let result = match step.op.stage.clone() {
        Stage::Start => {
            let live_safety = ctx.refiner.tools.live_safety(step.original).await;
            step.start(live_safety);
            Ok(())
        }
        Stage::Explore(progress) => step.explore(progress).await,
        Stage::Call { candidate, forced } => step.call(candidate, forced).await,
        Stage::Analyze { trail } => step.analyze(&trail).await,
        Stage::Rewrite { trail } => step.rewrite(&trail).await,
        Stage::Probe => step.probe().await,
        Stage::Done => return StepEnd::Stop,
    };
    if result.is_err() {
        return StepEnd::Stop;
    }
    let Step { op, events, .. } = step;
    let done = op.is_done();
    ctx.commit_op(index, op, events);
    if done {
        StepEnd::Stop
    } else {
        StepEnd::Continue
    }
}

impl Step<'_, '_> {
    fn cfg(&self) -> &super::config::RefineConfig {
        &self.ctx.refiner.config
    }

    fn now(&self) -> f64 {
        self.ctx.refiner.host.now_ms()
    }

    fn phase(&self, phase: Phase) {
        self.ctx.emit(&Event::Phase { operation: self.op.id.clone(), episode: self.op.episode, phase });
    }

    fn terminate(&mut self, reason: TerminationReason) {
        self.op.termination = Some(reason.clone());
        self.op.stage = Stage::Done;
        self.op.finished_ms = Some(self.now());
        self.events.push(Event::Terminated { operation: self.op.id.clone(), reason });
    }

    fn calls_so_far(&self) -> usize {
        self.op.usage.calls() + self.op.tool_calls
    }

    fn budget_spent(&mut self, which: String) {
        let calls = self.calls_so_far();
        self.terminate(TerminationReason::BudgetSpent { calls, budget: which });
    }

    /// Records a failed step; too many in a row end the operation.
    fn failure(&mut self, step: &str, code: &str, message: String) {
        self.op.failures += 1;
        self.op.errors.push(StepError {
            episode: self.op.episode,
            step: step.into(),
            code: code.into(),
            message: message.clone(),
        });
        self.events.push(Event::Error {
            operation: Some(self.op.id.clone()),
            code: code.into(),
            message: message.clone(),
        });
        if self.op.failures >= self.cfg().max_failures {
            let n = self.op.failures;
            self.terminate(TerminationReason::Failed {
                message: format!("the {step} failed {n} times in a row; the last time: {message}"),
            });
        }
    }

    /// Pins the operation's embedder and counts a measurement's requests to a remote embedder
    /// and its tokens (role `embeddings`).
    fn embedded(&mut self, embedder: &dyn crate::similarity::Embedder, requests: usize, prompt_tokens: u64) {
        if self.op.embedder.is_none() {
            self.op.embedder = Some(embedder.name());
        }
        if requests > 0 {
            self.op.embedding_calls += requests;
            let usage = crate::llm::Usage { prompt_tokens, completion_tokens: 0 };
            self.op.usage.add(EMBEDDINGS_ROLE, requests, usage);
        }
    }

    /// A measurement failed: the decision is not made (a warning says so), and a remote
    /// embedder's first failure gives it up for the operations that have not measured yet.
    fn embedder_failed(&mut self, embedder: &dyn crate::similarity::Embedder, what: &str, e: &EmbedError) {
        if let EmbedError::Cancelled = e {
            return;
        }
        self.warn(format!("{what}: the embedder {} failed: {e}", embedder.name()));
        if let Some(message) = self.ctx.refiner.measures.failed(embedder, e) {
            self.ctx.emit(&Event::Warning { operation: None, message });
        }
    }

    fn warn(&mut self, message: String) {
        self.events.push(Event::Warning { operation: Some(self.op.id.clone()), message: message.clone() });
        if !self.op.warnings.contains(&message) {
            self.op.warnings.push(message);
        }
    }

    fn next_episode(&mut self) {
        if self.op.episode + 1 >= self.cfg().max_episodes {
            self.terminate(TerminationReason::MaxEpisodes { episodes: self.op.episode + 1 });
        } else {
            self.op.episode += 1;
            self.op.stage = self.explore_or_probe();
        }
    }

    /// A schema-driven call comes first while probes remain and no call has worked yet, or
    /// the last call failed; otherwise the explorer.
    fn explore_or_probe(&self) -> Stage {
        let last_failed = self.op.trails.last().is_none_or(|t| !t.succeeded());
        let none_worked = !self.op.trails.iter().any(Trail::succeeded);
        if self.op.probes < self.cfg().schema_probes && (last_failed || none_worked) {
            Stage::Probe
        } else {
            Stage::Explore(ExploreProgress::default())
        }
    }

    /// `live_safety`: how the live tool's safety hints differ from the document's.
    fn start(&mut self, live_safety: Option<String>) {
        self.events.push(Event::OperationStarted { operation: self.op.id.clone() });
        self.op.started_ms = Some(self.now());
        if let Some(note) = live_safety {
            self.warn(note);
        }
        if self.original.description.chars().count() > self.cfg().description_chars {
            let n = self.cfg().description_chars;
            self.warn(format!("the description is longer than {n} characters; prompts show the first {n}"));
        }
        match self.ctx.refiner.tools.permits(self.original) {
            Err(e) => self.terminate(TerminationReason::NotAllowed { reason: e.to_string() }),
            Ok(()) => self.op.stage = self.explore_or_probe(),
        }
    }

    /// Adds a step model's calls, tokens and time to the operation, with a usage event per role.
    fn account_model(&mut self, model: &StepModel<'_, '_>) {
        let usage = model.usage();
        self.op.model_ms += model.ms();
        for (purpose, u) in &usage.0 {
            self.events.push(Event::Usage {
                purpose: purpose.clone(),
                usage: crate::llm::Usage { prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens },
                calls: u.calls,
                operation: Some(self.op.id.clone()),
            });
        }
        self.op.usage.merge(&usage);
    }

    /// One structured model request through the step's journal. `Ok(None)`: the step
    /// already recorded why there is no answer (a failure or a spent budget).
    async fn ask(&mut self, role: &str, request: ChatRequest) -> Result<Option<Value>, Interrupted> {
        let model = StepModel::new(self.ctx, Owner::Op(self.index), &self.op.journal, &self.op.usage);
        let result = complete_json(&model, &request).await;
        self.account_model(&model);
        match model.stop() {
            Some(Stop::Interrupted) => return Err(Interrupted),
            Some(Stop::Budget(which)) => {
                self.budget_spent(which);
                return Ok(None);
            }
            None => {}
        }
        match result {
            Ok(a) => Ok(Some(a.value)),
            Err(e) => {
                self.failure(role, e.code(), e.to_string());
                Ok(None)
            }
        }
    }

    /// Checks the model budgets before a model step; true when one is spent.
    fn model_budget_spent(&mut self) -> bool {
        let cfg = self.cfg();
        let (calls, tokens) = (self.op.usage.calls(), self.op.usage.tokens());
        let run = self.ctx.counters.get();
        let which = if let Some(l) = cfg.operation_budget.model_calls.filter(|l| calls >= *l) {
            format!("the operation's budget of {l} model calls")
        } else if let Some(l) = cfg.operation_budget.tokens.filter(|l| tokens >= *l) {
            format!("the operation's budget of {l} tokens")
        } else if let Some(l) = cfg.run_budget.model_calls.filter(|l| run.model_calls >= *l) {
            format!("the run's budget of {l} model calls")
        } else if let Some(l) = cfg.run_budget.tokens.filter(|l| run.tokens >= *l) {
            format!("the run's budget of {l} tokens")
        } else {
            return false;
        };
        self.budget_spent(which);
        true
    }

    async fn explore(&mut self, mut progress: ExploreProgress) -> Result<(), Interrupted> {
        if self.model_budget_spent() {
            return Ok(());
        }
        self.phase(Phase::Explore);
        let current = current_operation(self.original, &self.op);
        let explored = self.op.query_texts();
        let input = ExplorerInput {
            tool: self.tool,
            operation: &current,
            explored: &explored,
            direction: self.op.direction.as_deref(),
            feedback: &progress.feedback,
            config: self.cfg(),
        };
        let request = match explorer::request(&input) {
            Ok(r) => r,
            Err(e) => {
                self.failure("explorer", e.code(), e.to_string());
                return Ok(());
            }
        };
        let Some(value) = self.ask("explorer", request).await? else { return Ok(()) };
        let out = match explorer::parse(&value) {
            Ok(o) => o,
            Err(m) => {
                self.failure("explorer", "LlmInvalidOutput", m);
                return Ok(());
            }
        };
        if let Err(reason) = explorer::validate_arguments(&current, &out.arguments) {
            self.events.push(Event::ArgumentsRejected {
                operation: self.op.id.clone(),
                episode: self.op.episode,
                arguments: out.arguments.clone(),
                reason: reason.clone(),
            });
            if progress.invalid < self.cfg().argument_retries {
                progress.invalid += 1;
                progress.feedback.push(format!(
                    "The arguments {} do not fit the parameters: {reason}.",
                    super::prompt::json_clip(&out.arguments, 500)
                ));
                self.op.stage = Stage::Explore(progress);
                return Ok(());
            }
            self.failure(
                "explorer",
                "InvalidArguments",
                format!("no valid arguments after {} tries: {reason}", progress.invalid + 1),
            );
            if !self.op.is_done() {
                self.next_episode();
            }
            return Ok(());
        }
        if let Some(problem) = explorer::query_problem(&current, &out.query) {
            if progress.invalid < self.cfg().argument_retries {
                progress.invalid += 1;
                progress.feedback.push(problem);
                self.op.stage = Stage::Explore(progress);
                return Ok(());
            }
            self.warn(format!(
                "the model could not write a real query after {} tries; exploring with \"{}\" anyway ({problem})",
                progress.invalid + 1,
                super::prompt::clip(&out.query, 200)
            ));
        }
        self.op.failures = 0;
        let mut candidate =
            Candidate { query: out.query, arguments: out.arguments, similarity: None, similar_to: None };
        let mut phi = f64::INFINITY;
        if !explored.is_empty() {
            match self.ctx.refiner.measures.for_operation(self.op.embedder.as_deref()) {
                None => self.warn(GIVEN_UP.replace("{what}", "diversity was not checked")),
                Some(embedder) => match nearest(embedder.as_ref(), &candidate.query, &explored).await {
                    Ok(found) => {
                        self.embedded(embedder.as_ref(), found.requests, found.prompt_tokens);
                        phi = Measures::thresholds(embedder.as_ref(), self.cfg().diversity_threshold, None).phi;
                        if let Some((s, i)) = found.value {
                            candidate.similarity = Some(s);
                            candidate.similar_to = Some(explored[i].clone());
                        }
                    }
                    Err(e) => self.embedder_failed(embedder.as_ref(), "diversity was not checked", &e),
                },
            }
        }
        let mut forced = false;
        let mut rejected = Vec::new();
        if let (Some(s), Some(to)) = (candidate.similarity, candidate.similar_to.clone()) {
            if s >= phi {
                progress.candidates.push(candidate.clone());
                let attempt = progress.candidates.len();
                if attempt < self.cfg().diversity_tries {
                    self.events.push(Event::DiversityRetry {
                        operation: self.op.id.clone(),
                        episode: self.op.episode,
                        attempt,
                        similar_to: to.clone(),
                        similarity: s,
                    });
                    progress.feedback.push(format!(
                        "Your request \"{}\" is too similar to the earlier request \"{to}\" (similarity {s:.2}). Write a request that explores something different.",
                        candidate.query
                    ));
                    self.op.stage = Stage::Explore(progress);
                    return Ok(());
                }
                // Every try was too similar: use the least similar one, and say so.
                let best = progress
                    .candidates
                    .iter()
                    .enumerate()
                    .min_by(|a, b| a.1.similarity.unwrap_or(0.0).total_cmp(&b.1.similarity.unwrap_or(0.0)))
                    .map(|(i, _)| i)
                    .unwrap_or(0);
                candidate = progress.candidates.remove(best);
                forced = true;
                if explorer::repeats(&candidate.query, &explored) {
                    self.warn(format!(
                        "the model could not write a new query after {attempt} tries; exploring \"{}\" again",
                        super::prompt::clip(&candidate.query, 200)
                    ));
                }
            }
        }
        rejected.append(&mut progress.candidates);
        self.events.push(Event::Query {
            operation: self.op.id.clone(),
            episode: self.op.episode,
            query: candidate.query.clone(),
            arguments: candidate.arguments.clone(),
        });
        self.op.queries.push(QueryRecord {
            episode: self.op.episode,
            query: candidate.query.clone(),
            arguments: candidate.arguments.clone(),
            similarity: candidate.similarity,
            similar_to: candidate.similar_to.clone(),
            forced,
            rejected,
        });
        self.op.stage = Stage::Call { candidate, forced };
        Ok(())
    }

    /// Calls the tool and records the trail. False when the step ended instead: a spent
    /// budget, or a call the policy refused or that has no target (the operation is done).
    async fn call_tool(&mut self, query: &str, arguments: &Value, schema_driven: bool) -> Result<bool, Interrupted> {
        let trail_id = format!("{}#{}", self.op.id, self.op.trails.len() + 1);
        self.ctx.emit(&Event::ToolCall {
            operation: self.op.id.clone(),
            episode: self.op.episode,
            trail_id: trail_id.clone(),
            arguments: arguments.clone(),
        });
        let tools = StepTools::new(self.ctx, Owner::Op(self.index), &self.op.journal, self.op.tool_calls);
        let started = self.now();
        let result = tools.call(self.original, arguments).await;
        self.op.tool_calls += tools.calls();
        self.op.tool_ms += tools.ms();
        match tools.stop() {
            Some(Stop::Interrupted) => return Err(Interrupted),
            Some(Stop::Budget(which)) => {
                self.budget_spent(which);
                return Ok(false);
            }
            None => {}
        }
        let mut trail = Trail {
            id: trail_id.clone(),
            operation: self.op.id.clone(),
            episode: self.op.episode,
            query: query.to_string(),
            arguments: arguments.clone(),
            observation: None,
            error: None,
            started_ms: started,
            duration_ms: tools.ms(),
            schema_driven,
        };
        match result {
            Ok(o) => {
                trail.duration_ms = o.duration_ms;
                self.events.push(Event::ToolResult {
                    operation: self.op.id.clone(),
                    episode: self.op.episode,
                    trail_id,
                    observation: o.clone(),
                });
                trail.observation = Some(o);
            }
            Err(e) => {
                self.events.push(Event::Error {
                    operation: Some(self.op.id.clone()),
                    code: e.code().into(),
                    message: e.to_string(),
                });
                trail.error = Some(e);
            }
        }
        let error = trail.error.clone();
        self.op.trails.push(trail);
        match error {
            Some(ToolError::Denied { reason }) => {
                self.terminate(TerminationReason::NotAllowed { reason });
                Ok(false)
            }
            Some(e @ ToolError::NoTarget { .. }) => {
                self.terminate(TerminationReason::Failed { message: e.to_string() });
                Ok(false)
            }
            _ => Ok(true),
        }
    }

    /// A schema-driven call (no model): the next seed not called yet, then the explorer.
    async fn probe(&mut self) -> Result<(), Interrupted> {
        let Some(seed) = super::seed::next_seed(self.original, &self.op.trails) else {
            self.op.stage = Stage::Explore(ExploreProgress::default());
            return Ok(());
        };
        self.phase(Phase::Call);
        self.op.probes += 1;
        if !self.call_tool(&seed.query, &seed.arguments, true).await? {
            return Ok(());
        }
        if self.op.trails.last().is_some_and(Trail::succeeded) {
            self.op.failed_calls = 0;
        }
        self.op.stage = self.explore_or_probe();
        Ok(())
    }

    async fn call(&mut self, candidate: Candidate, _forced: bool) -> Result<(), Interrupted> {
        self.phase(Phase::Call);
        if !self.call_tool(&candidate.query, &candidate.arguments, false).await? {
            return Ok(());
        }
        let Some(trail) = self.op.trails.last() else { return Ok(()) };
        let (trail_id, succeeded, outcome) = (trail.id.clone(), trail.succeeded(), trail.outcome(300));
        let (has_response, error) = (trail.observation.is_some(), trail.error.clone());
        self.op.failed_calls = if succeeded { 0 } else { self.op.failed_calls + 1 };
        if self.op.failed_calls >= self.cfg().max_failed_calls {
            let n = self.op.failed_calls;
            self.terminate(TerminationReason::Failed {
                message: format!("{n} tool calls in a row failed; the last: {outcome}"),
            });
            return Ok(());
        }
        match (has_response, error) {
            (true, _) => self.op.stage = Stage::Analyze { trail: trail_id },
            (false, Some(ToolError::InvalidArguments { message, .. })) => {
                self.op.stage = Stage::Explore(ExploreProgress {
                    invalid: 1,
                    feedback: vec![format!(
                        "The tool refused the arguments {}: {message}",
                        super::prompt::json_clip(&candidate.arguments, 500)
                    )],
                    ..Default::default()
                });
            }
            // No response to learn from: on to the next episode.
            (false, _) => self.next_episode(),
        }
        Ok(())
    }
}
