//! The wrappers every external call of a step goes through. They
//! - replay results already journaled by an earlier, killed run of the same step (matched
//!   by the request's hash; a mismatch drops the rest of the replay),
//! - refuse a call when the run is cancelled or aborted, or a budget is spent (and say so),
//! - make the call, journal its result at once (with a checkpoint), and
//! - account calls, tokens and time for the step's commit.

use super::cache::{request_key, sha256_hex};
use super::ctx::{Ctx, Owner};
use super::state::{JournalEntry, UsageByRole};
use crate::doc::Operation;
use crate::llm::{ChatModel, ChatRequest, ChatResponse, LlmError, Usage};
use crate::tools::secrets::scrub_observation;
use crate::tools::{Observation, ToolError};
use async_trait::async_trait;
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

/// Why a wrapper refused or abandoned a call.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Stop {
    /// Cancelled or aborted: the step is not committed.
    Interrupted,
    /// A budget is spent: the step commits the termination.
    Budget(String),
}

/// Model errors that no retry can fix: wrong key, no access, wrong endpoint or model, or an
/// endpoint that cannot be reached at all (after the provider's own retries). Every other
/// operation would fail the same way, so the run stops (resumably) and says why.
fn fatal(e: &LlmError) -> bool {
    matches!(
        e,
        LlmError::Http { status: 401 | 403 | 404, .. }
            | LlmError::Transport { source: crate::host::HostError::Network { .. }, .. }
    )
}

/// The chat model as a step sees it.
pub(crate) struct StepModel<'c, 'a> {
    ctx: &'c Ctx<'a>,
    owner: Owner,
    replay: RefCell<VecDeque<JournalEntry>>,
    committed_calls: usize,
    committed_tokens: u64,
    usage: RefCell<UsageByRole>,
    ms: Cell<f64>,
    stop: RefCell<Option<Stop>>,
}

impl<'c, 'a> StepModel<'c, 'a> {
    pub(crate) fn new(ctx: &'c Ctx<'a>, owner: Owner, journal: &[JournalEntry], committed: &UsageByRole) -> Self {
        StepModel {
            ctx,
            owner,
            replay: RefCell::new(journal.iter().filter(|e| matches!(e, JournalEntry::Model { .. })).cloned().collect()),
            committed_calls: committed.calls(),
            committed_tokens: committed.tokens(),
            usage: RefCell::new(UsageByRole::default()),
            ms: Cell::new(0.0),
            stop: RefCell::new(None),
        }
    }

    /// Why the step must stop, if it must.
    pub(crate) fn stop(&self) -> Option<Stop> {
        self.stop.borrow().clone()
    }

    /// Calls and tokens of this step (replayed calls included: they were never committed).
    pub(crate) fn usage(&self) -> UsageByRole {
        self.usage.borrow().clone()
    }

    /// Milliseconds spent waiting for the model.
    pub(crate) fn ms(&self) -> f64 {
        self.ms.get()
    }

    fn account(&self, purpose: &str, usage: Usage, ms: f64) {
        self.usage.borrow_mut().add(purpose, 1, usage);
        self.ms.set(self.ms.get() + ms);
    }

    fn budget_spent(&self) -> Option<String> {
        let cfg = &self.ctx.refiner.config;
        let step = self.usage.borrow();
        let (calls, tokens) = (self.committed_calls + step.calls(), self.committed_tokens + step.tokens());
        let run = self.ctx.counters.get();
        if let Owner::Op(_) = self.owner {
            if let Some(l) = cfg.operation_budget.model_calls.filter(|l| calls >= *l) {
                return Some(format!("the operation's budget of {l} model calls"));
            }
            if let Some(l) = cfg.operation_budget.tokens.filter(|l| tokens >= *l) {
                return Some(format!("the operation's budget of {l} tokens"));
            }
        }
        if let Some(l) = cfg.run_budget.model_calls.filter(|l| run.model_calls >= *l) {
            return Some(format!("the run's budget of {l} model calls"));
        }
        if let Some(l) = cfg.run_budget.tokens.filter(|l| run.tokens >= *l) {
            return Some(format!("the run's budget of {l} tokens"));
        }
        None
    }
}

#[async_trait(?Send)]
impl ChatModel for StepModel<'_, '_> {
    async fn chat(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError> {
        let key = request_key(request);
        let replayed = self.replay.borrow_mut().pop_front();
        if let Some(JournalEntry::Model { key: k, purpose, response, error, ms }) = replayed {
            if k == key {
                self.account(&purpose, response.as_ref().map(|r| r.usage).unwrap_or_default(), ms);
                return match (response, error) {
                    (Some(r), _) => Ok(r),
                    (None, Some(e)) => Err(e),
                    (None, None) => Err(LlmError::Host { message: "a journaled call has no result".into() }),
                };
            }
            self.replay.borrow_mut().clear();
        }
        if self.ctx.stopped() {
            *self.stop.borrow_mut() = Some(Stop::Interrupted);
            return Err(LlmError::Cancelled);
        }
        if let Some(which) = self.budget_spent() {
            let message = format!("{which} is spent");
            *self.stop.borrow_mut() = Some(Stop::Budget(which));
            return Err(LlmError::Host { message });
        }
        self.ctx.add_counters(1, 0, 0);
        let host = &self.ctx.refiner.host;
        let t0 = host.now_ms();
        let result = self.ctx.refiner.model.chat(request).await;
        let ms = host.now_ms() - t0;
        match result {
            Ok(r) => {
                self.ctx.add_counters(0, 0, r.usage.total());
                self.account(&request.purpose, r.usage, ms);
                self.ctx.journal_push(
                    self.owner,
                    JournalEntry::Model {
                        key,
                        purpose: request.purpose.clone(),
                        response: Some(r.clone()),
                        error: None,
                        ms,
                    },
                );
                Ok(r)
            }
            Err(e) => {
                if host.cancelled() || matches!(e, LlmError::Cancelled) {
                    *self.stop.borrow_mut() = Some(Stop::Interrupted);
                } else if fatal(&e) {
                    self.ctx.abort(&e);
                    *self.stop.borrow_mut() = Some(Stop::Interrupted);
                } else {
                    self.account(&request.purpose, Usage::default(), ms);
                    self.ctx.journal_push(
                        self.owner,
                        JournalEntry::Model {
                            key,
                            purpose: request.purpose.clone(),
                            response: None,
                            error: Some(e.clone()),
                            ms,
                        },
                    );
                }
                Err(e)
            }
        }
    }
}

/// The tool caller as a step sees it.
pub(crate) struct StepTools<'c, 'a> {
    ctx: &'c Ctx<'a>,
    owner: Owner,
    replay: RefCell<VecDeque<JournalEntry>>,
    committed_calls: usize,
    calls: Cell<usize>,
    ms: Cell<f64>,
    stop: RefCell<Option<Stop>>,
}

impl<'c, 'a> StepTools<'c, 'a> {
    pub(crate) fn new(ctx: &'c Ctx<'a>, owner: Owner, journal: &[JournalEntry], committed_calls: usize) -> Self {
        StepTools {
            ctx,
            owner,
            replay: RefCell::new(journal.iter().filter(|e| matches!(e, JournalEntry::Tool { .. })).cloned().collect()),
            committed_calls,
            calls: Cell::new(0),
            ms: Cell::new(0.0),
            stop: RefCell::new(None),
        }
    }

    pub(crate) fn stop(&self) -> Option<Stop> {
        self.stop.borrow().clone()
    }

    /// Tool calls of this step.
    pub(crate) fn calls(&self) -> usize {
        self.calls.get()
    }

    pub(crate) fn ms(&self) -> f64 {
        self.ms.get()
    }

    fn budget_spent(&self) -> Option<String> {
        let cfg = &self.ctx.refiner.config;
        let calls = self.committed_calls + self.calls.get();
        if let Some(l) = cfg.operation_budget.tool_calls.filter(|l| calls >= *l) {
            return Some(format!("the operation's budget of {l} tool calls"));
        }
        if let Some(l) = cfg.run_budget.tool_calls.filter(|l| self.ctx.counters.get().tool_calls >= *l) {
            return Some(format!("the run's budget of {l} tool calls"));
        }
        None
    }

    /// Calls the operation (or replays the journaled outcome).
    pub(crate) async fn call(&self, op: &Operation, arguments: &Value) -> Result<Observation, ToolError> {
        let key = sha256_hex(&serde_json::to_vec(&(&op.id, arguments)).unwrap_or_default());
        let replayed = self.replay.borrow_mut().pop_front();
        if let Some(JournalEntry::Tool { key: k, observation, error, ms }) = replayed {
            if k == key {
                self.calls.set(self.calls.get() + 1);
                self.ms.set(self.ms.get() + ms);
                return match (observation, error) {
                    (Some(mut o), _) => {
                        scrub_observation(&mut o);
                        Ok(o)
                    }
                    (None, Some(e)) => Err(e),
                    (None, None) => Err(ToolError::Host { message: "a journaled call has no result".into() }),
                };
            }
            self.replay.borrow_mut().clear();
        }
        if self.ctx.stopped() {
            *self.stop.borrow_mut() = Some(Stop::Interrupted);
            return Err(ToolError::Host { message: "cancelled".into() });
        }
        if let Some(which) = self.budget_spent() {
            let message = format!("{which} is spent");
            *self.stop.borrow_mut() = Some(Stop::Budget(which));
            return Err(ToolError::Host { message });
        }
        self.ctx.add_counters(0, 1, 0);
        let host = &self.ctx.refiner.host;
        let t0 = host.now_ms();
        let mut result = self.ctx.refiner.tools.call(op, arguments).await;
        if let Ok(o) = &mut result {
            // Secrets the tool returned never reach the journal, the state, events or prompts.
            scrub_observation(o);
        }
        let ms = host.now_ms() - t0;
        if host.cancelled() && result.is_err() {
            *self.stop.borrow_mut() = Some(Stop::Interrupted);
            return result;
        }
        self.calls.set(self.calls.get() + 1);
        self.ms.set(self.ms.get() + ms);
        let (observation, error) = match &result {
            Ok(o) => (Some(o.clone()), None),
            Err(e) => (None, Some(e.clone())),
        };
        self.ctx.journal_push(self.owner, JournalEntry::Tool { key, observation, error, ms });
        result
    }
}
