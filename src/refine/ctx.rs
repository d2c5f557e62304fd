//! What the steps of a run share: the engine ([`Refiner`]), the run's state and counters, and
//! how a step journals a call, commits its result and checkpoints ([`Ctx`]). The run
//! (`run.rs`) builds it; operations, tool summaries, the journal and the report use it.

use super::config::RefineConfig;
use super::diversity::Measures;
use super::events::Event;
use super::evidence::{Facts, Trail};
use super::gate::regression::{operation_known, Known};
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

/// Values derived from each operation's trails, with the trails they cover (their count and
/// the last one's id; trails are only ever appended): a value is given again while the trails
/// stay the same, and extended with the new ones when trails were added.
pub(crate) struct TrailMemo<T>(RefCell<Vec<Option<Covered<T>>>>);

/// A value and the trails it covers: their count and the last one's id.
type Covered<T> = (usize, String, Rc<T>);

impl<T> Default for TrailMemo<T> {
    fn default() -> Self {
        TrailMemo(RefCell::new(Vec::new()))
    }
}

impl<T> TrailMemo<T> {
    /// Operation `i`'s value over `trails`: the kept one when it covers them all; else
    /// `derive(prior)`, `prior` being the kept value and how many of `trails` it covers when
    /// it covers a prefix of them.
    pub(crate) fn get(&self, i: usize, trails: &[Trail], derive: impl FnOnce(Option<(usize, Rc<T>)>) -> T) -> Rc<T> {
        let last = trails.last().map_or("", |t| t.id.as_str());
        let prior = {
            let mut memo = self.0.borrow_mut();
            if memo.len() <= i {
                memo.resize_with(i + 1, || None);
            }
            match memo[i].take() {
                Some((n, id, v)) if n == trails.len() && id == last => {
                    memo[i] = Some((n, id, v.clone()));
                    return v;
                }
                Some((n, id, v)) if n > 0 && n < trails.len() && trails[n - 1].id == id => Some((n, v)),
                _ => None,
            }
        };
        let v = Rc::new(derive(prior));
        self.0.borrow_mut()[i] = Some((trails.len(), last.to_string(), v.clone()));
        v
    }
}

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
    /// Each operation's facts and known words, kept from one step to the next.
    pub facts_memo: TrailMemo<Facts>,
    pub known_memo: TrailMemo<Known>,
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

    /// The facts the trails of operation `i` establish; each response's schema is inferred
    /// once, when its trail is new (the rest is cheap and derived again).
    pub(crate) fn facts(&self, i: usize, trails: &[Trail]) -> Rc<Facts> {
        let original = self.originals[i];
        self.facts_memo.get(i, trails, |prior| match prior {
            Some((n, facts)) => {
                let schema = Rc::try_unwrap(facts).map_or_else(|f| f.response_schema.clone(), |f| f.response_schema);
                Facts::derive_after(original, trails, n, schema)
            }
            None => Facts::derive(original, trails),
        })
    }

    /// What operation `i`'s tool says over its trails (the regression rules' known words);
    /// each response is read once, when its trail is new.
    pub(crate) fn known(&self, i: usize, tool: &str, trails: &[Trail]) -> Rc<Known> {
        self.known_memo.get(i, trails, |prior| match prior {
            Some((n, known)) => {
                let mut known = Rc::try_unwrap(known).unwrap_or_else(|k| (*k).clone());
                known.add_trails(&trails[n..]);
                known
            }
            None => operation_known(tool, self.originals[i], trails),
        })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tools::Observation;

    fn trail(n: usize, body: &str) -> Trail {
        Trail {
            id: format!("search#{n}"),
            operation: "search".into(),
            episode: 0,
            query: "q".into(),
            arguments: serde_json::json!({}),
            observation: Some(Observation {
                status: Some(200),
                body: body.into(),
                json: serde_json::from_str(body).ok(),
                ..Default::default()
            }),
            error: None,
            started_ms: 0.0,
            duration_ms: 1.0,
            schema_driven: false,
        }
    }

    fn ids(trails: &[Trail]) -> Vec<String> {
        trails.iter().map(|t| t.id.clone()).collect()
    }

    #[test]
    fn a_trail_memo_derives_again_only_for_new_trails_and_extends_a_prefix() {
        let memo: TrailMemo<Vec<String>> = TrailMemo::default();
        let log = RefCell::new(Vec::new());
        let get = |t: &[Trail]| {
            memo.get(0, t, |prior| match prior {
                Some((n, v)) => {
                    log.borrow_mut().push(format!("extend {n}"));
                    let mut v = (*v).clone();
                    v.extend(ids(&t[n..]));
                    v
                }
                None => {
                    log.borrow_mut().push("derive".to_string());
                    ids(t)
                }
            })
        };
        let trails: Vec<Trail> = (1..=3).map(|n| trail(n, "{}")).collect();
        assert_eq!(*get(&trails[..2]), ids(&trails[..2]));
        assert_eq!(*get(&trails[..2]), ids(&trails[..2]));
        assert_eq!(*get(&trails), ids(&trails));
        // Other trails of the same count (another run's, a resumed state) are derived anew.
        let other: Vec<Trail> = (7..=9).map(|n| trail(n, "{}")).collect();
        assert_eq!(*get(&other), ids(&other));
        assert_eq!(*log.borrow(), vec!["derive", "extend 2", "derive"]);
    }

    #[test]
    fn known_words_extended_with_new_trails_are_the_words_of_all_trails() {
        let op = Operation {
            id: "search".into(),
            name: "search".into(),
            description: "Finds items by name.".into(),
            ..Default::default()
        };
        let trails = vec![
            trail(1, r#"{"items": ["alpha widget"]}"#),
            trail(2, r#"{"error": "quota exceeded"}"#),
            trail(3, r#"{"items": ["beta gadget"]}"#),
        ];
        let all = operation_known("shop", &op, &trails);
        for k in 0..=trails.len() {
            let mut known = operation_known("shop", &op, &trails[..k]);
            known.add_trails(&trails[k..]);
            assert_eq!(known, all, "after {k} trails");
        }
    }
}
