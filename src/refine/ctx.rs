//! What the steps of a run share: the engine ([`Refiner`]), the run's state and counters, and
//! how a step journals a call, commits its result and checkpoints ([`Ctx`]). The run
//! (`run.rs`) builds it; operations, tool summaries, the journal and the report use it.

use super::config::RefineConfig;
use super::diversity::Measures;
use super::events::Event;
use super::evidence::{Facts, Trail};
use super::state::{JournalEntry, OperationState, RunState, ToolState};
use crate::doc::{Operation, ToolDoc};
use crate::host::Host;
use crate::llm::{ChatModel, LlmError};
use crate::tools::ToolCaller;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// Whose journal a call goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Owner {
    Op(usize),
    Tool(usize),
}

/// The state after a step, for the caller to persist.
#[derive(Debug)]
pub struct Checkpoint<'a> {
    /// Checkpoints so far in the run (resumed runs continue the count).
    pub step: usize,
    /// The whole state (serialise it, or only the part that changed).
    pub state: &'a RunState,
    /// The operation whose state changed, if an operation's did.
    pub operation: Option<&'a str>,
    /// The tool whose summary state changed, if a tool's did.
    pub tool: Option<&'a str>,
}

/// The refinement engine. Cheap to build; [`Refiner::run`] borrows it.
pub struct Refiner {
    pub(crate) model: Rc<dyn ChatModel>,
    pub(crate) tools: Rc<dyn ToolCaller>,
    pub(crate) host: Rc<dyn Host>,
    /// The configured embedder (cached when remote) and the local fallback.
    pub(crate) measures: Measures,
    pub(crate) config: RefineConfig,
}

/// Run-wide counters for the run budgets (calls made, committed or not).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Counters {
    pub model_calls: usize,
    pub tool_calls: usize,
    pub tokens: u64,
}

/// An operation's facts and the trails they came from: their count and the last one's id.
pub(crate) type FactsMemo = (usize, String, Rc<Facts>);

/// What every step of a run shares.
pub(crate) struct Ctx<'a> {
    pub refiner: &'a Refiner,
    pub doc: &'a ToolDoc,
    pub state: RefCell<RunState>,
    /// The document's operation for each operation state (same index).
    pub originals: Vec<&'a Operation>,
    /// The tool name for each operation state.
    pub tool_names: Vec<&'a str>,
    pub counters: Cell<Counters>,
    pub aborted: RefCell<Option<String>>,
    pub on_event: &'a dyn Fn(&Event),
    pub on_checkpoint: &'a dyn Fn(&Checkpoint<'_>),
    /// Each operation's facts, with the trails they were derived from (their count and the
    /// last one's id: trails are only ever appended): the analyze and rewrite steps of an
    /// episode read the same evidence.
    pub facts: RefCell<Vec<Option<FactsMemo>>>,
}

impl Ctx<'_> {
    /// Cancelled by the host, or aborted by a fatal error.
    pub(crate) fn stopped(&self) -> bool {
        self.refiner.host.cancelled() || self.aborted.borrow().is_some()
    }

    /// Stops the run after a model error that no retry can fix.
    pub(crate) fn abort(&self, e: &LlmError) {
        if self.aborted.borrow().is_none() {
            let message = format!("the run stopped: {e}");
            *self.aborted.borrow_mut() = Some(message.clone());
            self.emit(&Event::Error { operation: None, code: e.code().into(), message });
        }
    }

    /// The facts the trails of operation `i` establish, derived once per new trail.
    pub(crate) fn facts(&self, i: usize, trails: &[Trail]) -> Rc<Facts> {
        let last = trails.last().map_or("", |t| t.id.as_str());
        let mut memo = self.facts.borrow_mut();
        if memo.len() <= i {
            memo.resize(i + 1, None);
        }
        match &memo[i] {
            Some((n, id, facts)) if *n == trails.len() && id == last => facts.clone(),
            _ => {
                let facts = Rc::new(Facts::derive(self.originals[i], trails));
                memo[i] = Some((trails.len(), last.to_string(), facts.clone()));
                facts
            }
        }
    }

    pub(crate) fn emit(&self, e: &Event) {
        (self.on_event)(e);
    }

    pub(crate) fn add_counters(&self, model_calls: usize, tool_calls: usize, tokens: u64) {
        let mut c = self.counters.get();
        c.model_calls += model_calls;
        c.tool_calls += tool_calls;
        c.tokens += tokens;
        self.counters.set(c);
    }

    pub(crate) fn checkpoint(&self, owner: Owner) {
        let step = {
            let s = self.state.borrow();
            let (operation, tool) = match owner {
                Owner::Op(i) => (s.operations.get(i).map(|o| o.id.as_str()), None),
                Owner::Tool(t) => (None, s.tools.get(t).map(|t| t.name.as_str())),
            };
            (self.on_checkpoint)(&Checkpoint { step: s.step, state: &s, operation, tool });
            s.step
        };
        self.emit(&Event::Checkpoint { step });
    }

    /// Journals an external call's result at once, with a checkpoint.
    pub(crate) fn journal_push(&self, owner: Owner, entry: JournalEntry) {
        {
            let mut s = self.state.borrow_mut();
            match owner {
                Owner::Op(i) => s.operations[i].journal.push(entry),
                Owner::Tool(t) => s.tools[t].journal.push(entry),
            }
            s.step += 1;
        }
        self.checkpoint(owner);
    }

    /// Commits an operation's step: its new state, its events, a checkpoint.
    pub(crate) fn commit_op(&self, i: usize, mut op: OperationState, events: Vec<Event>) {
        op.journal.clear();
        {
            let mut s = self.state.borrow_mut();
            s.operations[i] = op;
            s.step += 1;
        }
        for e in &events {
            self.emit(e);
        }
        self.checkpoint(Owner::Op(i));
    }

    /// Commits a tool's summary step.
    pub(crate) fn commit_tool(&self, t: usize, mut tool: ToolState, events: Vec<Event>) {
        tool.journal.clear();
        {
            let mut s = self.state.borrow_mut();
            s.tools[t] = tool;
            s.step += 1;
        }
        for e in &events {
            self.emit(e);
        }
        self.checkpoint(Owner::Tool(t));
    }
}
