//! Runs: [`Refiner`] refines a document's operations concurrently under a limit (on one
//! thread: futures interleave while they wait for the model or the tool), then summarises
//! each tool; it emits typed events, checkpoints the [`RunState`] after every step, stops
//! between steps when the host says the run is cancelled, and resumes from a saved state.

use super::config::RefineConfig;
use super::ctx::{Checkpoint, Counters, Ctx, Refiner, TrailMemo};
use super::diversity::Measures;
use super::error::RefineError;
use super::events::Event;
use super::operation::{op_step, StepEnd};
use super::report::{build_output, RunOutput};
use super::state::{
    JournalEntry, OperationState, RevisionRecord, RunState, Stage, ToolState, UsageByRole, STATE_VERSION,
};
use super::summary::tool_step;
use crate::doc::{Operation, Revision, ToolDoc};
use crate::host::Host;
use crate::llm::ChatModel;
use crate::similarity::{Embedder, LocalEmbedder};
use crate::tools::ToolCaller;
use futures::future::LocalBoxFuture;
use futures::stream::{FuturesUnordered, StreamExt};
use std::cell::{Cell, RefCell};
use std::collections::{HashSet, VecDeque};
use std::rc::Rc;

/// How to run: where to resume from, and where events and checkpoints go.
#[derive(Default)]
pub struct RunOptions<'a> {
    /// A state saved from an earlier, unfinished run of the same document.
    pub resume: Option<RunState>,
    /// Receives every event, in order.
    pub on_event: Option<&'a dyn Fn(&Event)>,
    /// Receives the state after every step.
    pub on_checkpoint: Option<&'a dyn Fn(&Checkpoint<'_>)>,
}

/// A stable hash of what a run refines: tool names, operation ids, descriptions, parameters.
pub fn fingerprint(doc: &ToolDoc) -> String {
    let ops: Vec<serde_json::Value> = doc
        .tools
        .iter()
        .map(|t| {
            let ops: Vec<serde_json::Value> = t
                .operations
                .iter()
                .map(|o| {
                    let ps: Vec<serde_json::Value> =
                        o.parameters.iter().map(|p| serde_json::json!([p.name, p.description, p.required])).collect();
                    serde_json::json!([o.id, o.description, ps])
                })
                .collect();
            serde_json::json!([t.name, ops])
        })
        .collect();
    super::cache::sha256_hex(&serde_json::to_vec(&ops).unwrap_or_default())
}

/// What the engine indexes by must be in range in a state read from outside.
fn check_state(s: &RunState, doc: &ToolDoc) -> Result<(), RefineError> {
    let bad = |m: String| Err(RefineError::InvalidState(m));
    for o in &s.operations {
        if o.current >= o.revisions.len() {
            return bad(format!("operation {} has no revision {}", o.id, o.current));
        }
    }
    for t in &s.tools {
        if doc.tools.get(t.index).is_none_or(|d| d.name != t.name) {
            return bad(format!("tool {} is not tool {} of the document", t.name, t.index));
        }
    }
    Ok(())
}

fn original_revision(op: &Operation) -> RevisionRecord {
    RevisionRecord {
        revision: Revision {
            index: 0,
            description: op.description.clone(),
            parameters: crate::order::map_of(op.parameters.iter().map(|p| (p.name.clone(), p.description.clone()))),
            accepted: true,
            reason: Some("the original documentation".into()),
            evidence: vec![],
        },
        episode: None,
        delta: None,
        violations: vec![],
        next_direction: String::new(),
        verification: None,
    }
}

impl Refiner {
    /// An engine over a model, a tool caller and a host. Without an embedder, similarity uses
    /// [`LocalEmbedder`] (no network, no embedding calls).
    pub fn new(
        model: Rc<dyn ChatModel>,
        tools: Rc<dyn ToolCaller>,
        host: Rc<dyn Host>,
        embedder: Option<Rc<dyn Embedder>>,
        config: RefineConfig,
    ) -> Refiner {
        let embedder = embedder.unwrap_or_else(|| Rc::new(LocalEmbedder::default()));
        Refiner { model, tools, host, measures: Measures::new(embedder), config }
    }

    /// The configuration.
    pub fn config(&self) -> &RefineConfig {
        &self.config
    }

    /// A fresh state for `doc`: the operations `only` selects (all when empty), in order.
    pub fn initial_state(&self, doc: &ToolDoc) -> Result<RunState, RefineError> {
        for id in &self.config.only {
            if doc.operation(id).is_none() {
                return Err(RefineError::UnknownOperation(id.clone()));
            }
        }
        let selected = |o: &Operation| self.config.only.is_empty() || self.config.only.contains(&o.id);
        let mut operations = Vec::new();
        let mut tools = Vec::new();
        let mut seen = HashSet::new();
        for (ti, t) in doc.tools.iter().enumerate() {
            let mut ids = Vec::new();
            for o in t.operations.iter().filter(|o| selected(o)) {
                if !seen.insert(o.id.clone()) {
                    continue; // duplicate ids: the first wins, as ToolDoc::operation does
                }
                ids.push(o.id.clone());
                operations.push(OperationState {
                    id: o.id.clone(),
                    tool: t.name.clone(),
                    stage: Stage::Start,
                    episode: 0,
                    queries: vec![],
                    trails: vec![],
                    analyses: vec![],
                    revisions: vec![original_revision(o)],
                    current: 0,
                    direction: None,
                    errors: vec![],
                    warnings: vec![],
                    failures: 0,
                    failed_calls: 0,
                    usage: UsageByRole::default(),
                    tool_calls: 0,
                    embedding_calls: 0,
                    embedder: None,
                    model_ms: 0.0,
                    tool_ms: 0.0,
                    started_ms: None,
                    finished_ms: None,
                    termination: None,
                    journal: vec![],
                    probes: 0,
                });
            }
            if !ids.is_empty() {
                tools.push(ToolState {
                    name: t.name.clone(),
                    index: ti,
                    operations: ids,
                    done: false,
                    summary: None,
                    failures: 0,
                    errors: vec![],
                    usage: UsageByRole::default(),
                    journal: vec![],
                });
            }
        }
        if operations.is_empty() {
            return Err(RefineError::NothingToRefine);
        }
        let r = |h: &dyn Host| (h.random() * 4_294_967_296.0) as u64;
        let run_id = format!("run-{:08x}{:08x}", r(self.host.as_ref()), r(self.host.as_ref()));
        Ok(RunState { version: STATE_VERSION, run_id, fingerprint: fingerprint(doc), step: 0, operations, tools })
    }

    /// Refines `doc`: every selected operation, then each tool's summary. Returns the refined
    /// document, the report and the final state. Errors only for a bad configuration or a
    /// state that does not belong to `doc`; everything else is in the report.
    pub async fn run(&self, doc: &ToolDoc, options: RunOptions<'_>) -> Result<RunOutput, RefineError> {
        self.config.validate()?;
        self.measures.reset();
        let resumed = options.resume.is_some();
        let state = match options.resume {
            Some(s) => {
                if s.version != STATE_VERSION {
                    return Err(RefineError::StateVersion { found: s.version, expected: STATE_VERSION });
                }
                let fp = fingerprint(doc);
                if s.fingerprint != fp {
                    return Err(RefineError::StateMismatch { state: s.fingerprint, doc: fp });
                }
                check_state(&s, doc)?;
                s
            }
            None => self.initial_state(doc)?,
        };
        let mut originals = Vec::with_capacity(state.operations.len());
        let mut tool_names = Vec::with_capacity(state.operations.len());
        for o in &state.operations {
            let Some((t, op)) =
                doc.tools.iter().find_map(|t| t.operations.iter().find(|op| op.id == o.id).map(|op| (t, op)))
            else {
                return Err(RefineError::UnknownOperation(o.id.clone()));
            };
            originals.push(op);
            tool_names.push(t.name.as_str());
        }
        if resumed {
            super::resume::check_loaded(&state, doc, &originals, &tool_names, &self.config.length_budget)?;
        }
        let mut counters = Counters::default();
        let journals =
            state.operations.iter().flat_map(|o| &o.journal).chain(state.tools.iter().flat_map(|t| &t.journal));
        for e in journals {
            match e {
                JournalEntry::Model { response, .. } => {
                    counters.model_calls += 1;
                    counters.tokens += response.as_ref().map(|r| r.usage.total()).unwrap_or(0);
                }
                JournalEntry::Tool { .. } => counters.tool_calls += 1,
            }
        }
        for o in &state.operations {
            counters.model_calls += o.usage.calls();
            counters.tokens += o.usage.tokens();
            counters.tool_calls += o.tool_calls;
        }
        for t in &state.tools {
            counters.model_calls += t.usage.calls();
            counters.tokens += t.usage.tokens();
        }
        let noop_event = |_: &Event| {};
        let noop_checkpoint = |_: &Checkpoint<'_>| {};
        let ctx = Ctx {
            refiner: self,
            doc,
            state: RefCell::new(state),
            originals,
            tool_names,
            counters: Cell::new(counters),
            aborted: RefCell::new(None),
            on_event: options.on_event.unwrap_or(&noop_event),
            on_checkpoint: options.on_checkpoint.unwrap_or(&noop_checkpoint),
            facts_memo: TrailMemo::default(),
            known_memo: TrailMemo::default(),
        };
        {
            let s = ctx.state.borrow();
            let operations = s.operations.iter().map(|o| o.id.clone()).collect();
            let run_id = s.run_id.clone();
            drop(s);
            ctx.emit(&Event::RunStarted { run_id, operations, max_episodes: self.config.max_episodes, resumed });
        }
        schedule(&ctx).await;
        let cancelled = self.host.cancelled() && !ctx.state.borrow().finished();
        ctx.emit(&Event::RunFinished { cancelled });
        let aborted = ctx.aborted.borrow().clone();
        let state = ctx.state.into_inner();
        Ok(build_output(doc, state, self, cancelled, aborted))
    }
}

async fn op_task(ctx: &Ctx<'_>, i: usize) {
    while op_step(ctx, i).await == StepEnd::Continue {}
}

async fn tool_task(ctx: &Ctx<'_>, t: usize) {
    while tool_step(ctx, t).await == StepEnd::Continue {}
}

enum Finished {
    Op(usize),
    Tool,
}

/// Runs operation tasks (and each tool's summary once its operations are done) with at most
/// `concurrency` in flight.
async fn schedule(ctx: &Ctx<'_>) {
    let (mut pending, mut ready, tool_of, mut remaining) = {
        let s = ctx.state.borrow();
        let pending: VecDeque<usize> =
            s.operations.iter().enumerate().filter(|(_, o)| !o.is_done()).map(|(i, _)| i).collect();
        let mut tool_of = vec![usize::MAX; s.operations.len()];
        let mut remaining = vec![0usize; s.tools.len()];
        for (t, tool) in s.tools.iter().enumerate() {
            for id in &tool.operations {
                if let Some(i) = s.operations.iter().position(|o| &o.id == id) {
                    tool_of[i] = t;
                    if !s.operations[i].is_done() {
                        remaining[t] += 1;
                    }
                }
            }
        }
        let ready: VecDeque<usize> = (0..s.tools.len()).filter(|t| !s.tools[*t].done && remaining[*t] == 0).collect();
        (pending, ready, tool_of, remaining)
    };
    let mut running: FuturesUnordered<LocalBoxFuture<'_, Finished>> = FuturesUnordered::new();
    loop {
        while running.len() < ctx.refiner.config.concurrency && !ctx.stopped() {
            if let Some(t) = ready.pop_front() {
                running.push(Box::pin(async move {
                    tool_task(ctx, t).await;
                    Finished::Tool
                }));
            } else if let Some(i) = pending.pop_front() {
                running.push(Box::pin(async move {
                    op_task(ctx, i).await;
                    Finished::Op(i)
                }));
            } else {
                break;
            }
        }
        match running.next().await {
            Some(Finished::Op(i)) => {
                let done = ctx.state.borrow().operations[i].is_done();
                if let Some(t) = tool_of.get(i).copied().filter(|t| *t != usize::MAX && done) {
                    remaining[t] = remaining[t].saturating_sub(1);
                    if remaining[t] == 0 && !ctx.state.borrow().tools[t].done {
                        ready.push_back(t);
                    }
                }
            }
            Some(Finished::Tool) => {}
            None => break,
        }
    }
}
