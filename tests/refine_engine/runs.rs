//! Concurrency, cancellation and resume, the response cache, embedders.

use crate::support::*;
use async_trait::async_trait;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use tooldraft::host::Host;
use tooldraft::refine::{CachedModel, Event, RefineConfig, Refiner, ResponseCache, RunOptions, TerminationReason};
use tooldraft::similarity::{EmbedError, Embedded, Embedder, LocalEmbedder};

fn delayed_rig(concurrency: usize) -> Rig {
    let host = Rc::new(TestHost::default());
    let mut model = generic_model();
    model.delay = Some((host.clone(), 100));
    let mut tools = generic_tools();
    tools.delay = Some((host.clone(), 50));
    Rig {
        host,
        model: Rc::new(model),
        tools: Rc::new(tools),
        config: RefineConfig { concurrency, max_episodes: 3, ..Default::default() },
    }
}

#[test]
fn operations_run_concurrently_under_the_limit() {
    let doc = simple_doc(6);
    let mut results = Vec::new();
    for c in [1, 3, 6] {
        let rig = delayed_rig(c);
        let (out, events) = rig.run(&doc, None);
        // How many operations were in flight at once, from the events.
        let (mut live, mut most) = (0i32, 0i32);
        for e in &events {
            match e {
                Event::OperationStarted { .. } => live += 1,
                Event::Terminated { .. } => live -= 1,
                _ => {}
            }
            most = most.max(live);
        }
        results.push((c, rig.host.now_ms(), most, out));
    }
    let (t1, t3, t6) = (results[0].1, results[1].1, results[2].1);
    eprintln!("virtual wall time: {t1} ms at concurrency 1, {t3} ms at 3, {t6} ms at 6");
    assert_eq!(results[0].2, 1);
    assert_eq!(results[1].2, 3, "three operations interleave");
    assert_eq!(results[2].2, 6);
    assert!(t1 / t3 > 2.5 && t1 / t6 > 4.5, "virtual time: {t1} ms at 1, {t3} at 3, {t6} at 6");
    // The same result whatever the concurrency.
    assert_eq!(results[0].3.doc, results[1].3.doc);
    assert_eq!(results[0].3.doc, results[2].3.doc);
    assert_eq!(results[0].3.report.totals.model_calls, results[2].3.report.totals.model_calls);
}

#[test]
fn a_cancelled_run_stops_between_steps_and_resumes() {
    let doc = simple_doc(3);
    let rig = delayed_rig(2);
    let events = RefCell::new(Vec::new());
    let host = rig.host.clone();
    let seen = Cell::new(0);
    let on_event = |e: &Event| {
        if matches!(e, Event::ToolResult { .. }) {
            seen.set(seen.get() + 1);
            if seen.get() == 2 {
                host.cancel();
            }
        }
        events.borrow_mut().push(e.clone());
    };
    let refiner = rig.refiner();
    let out =
        drive(&rig.host, refiner.run(&doc, RunOptions { on_event: Some(&on_event), ..Default::default() })).unwrap();
    assert!(out.report.cancelled);
    assert!(out.report.operations.iter().all(|o| o.termination == Some(TerminationReason::Cancelled)));
    assert!(matches!(events.borrow().last(), Some(Event::RunFinished { cancelled: true })));
    let calls_before = rig.model.calls.get();
    rig.host.uncancel();
    let (resumed, events) = rig.run(&doc, Some(out.state));
    assert!(!resumed.report.cancelled);
    assert!(matches!(events.first(), Some(Event::RunStarted { resumed: true, .. })));
    assert!(resumed
        .report
        .operations
        .iter()
        .all(|o| !matches!(o.termination, Some(TerminationReason::Cancelled) | None)));
    // Same outcome as a run that was never cancelled.
    let fresh = delayed_rig(2);
    let (expected, _) = fresh.run(&doc, None);
    assert_eq!(resumed.doc, expected.doc);
    assert_eq!(rig.model.calls.get(), fresh.model.calls.get(), "{calls_before} calls before the cancel");
}

#[test]
fn a_state_only_resumes_its_own_document() {
    let rig = delayed_rig(1);
    let (out, _) = rig.run(&simple_doc(2), None);
    let other = simple_doc(3);
    let e = drive(&rig.host, rig.refiner().run(&other, RunOptions { resume: Some(out.state), ..Default::default() }))
        .unwrap_err();
    assert_eq!(e.code(), "StateMismatch");
    let bad = RefineConfig { only: vec!["nope".into()], ..Default::default() };
    let r = Refiner::new(rig.model.clone(), rig.tools.clone(), rig.host.clone(), None, bad);
    assert_eq!(drive(&rig.host, r.run(&other, RunOptions::default())).unwrap_err().code(), "UnknownOperation");
}

#[test]
fn the_response_cache_makes_a_rerun_free() {
    let doc = simple_doc(2);
    let cache = Rc::new(ResponseCache::default());
    let first = Rc::new(generic_model());
    let host = Rc::new(TestHost::default());
    let run = |model: Rc<dyn tooldraft::llm::ChatModel>| {
        let cached = Rc::new(CachedModel::new(model, cache.clone()));
        let r = Refiner::new(cached, Rc::new(generic_tools()), host.clone(), None, RefineConfig::default());
        drive(&host, r.run(&doc, RunOptions::default())).unwrap()
    };
    let a = run(first.clone());
    assert!(first.calls.get() > 0);
    // Through an export and import, with a model that has no answers at all.
    let restored = Rc::new(ResponseCache::default());
    restored.import(&cache.export()).unwrap();
    let empty = Rc::new(ScriptedModel::default());
    let cached = Rc::new(CachedModel::new(empty.clone(), restored.clone()));
    let r = Refiner::new(cached, Rc::new(generic_tools()), host.clone(), None, RefineConfig::default());
    let b = drive(&host, r.run(&doc, RunOptions::default())).unwrap();
    assert_eq!(empty.calls.get(), 0, "the rerun made no model call");
    assert_eq!(restored.misses(), 0);
    assert_eq!(a.doc, b.doc);
    assert_eq!(b.report.totals.tokens, 0, "cached answers cost no tokens");
}

struct CountingEmbedder {
    calls: Cell<usize>,
    fail: bool,
}

#[async_trait(?Send)]
impl Embedder for CountingEmbedder {
    fn name(&self) -> String {
        "remote-test".into()
    }
    async fn embed_texts(&self, texts: &[String]) -> Result<Embedded, EmbedError> {
        self.calls.set(self.calls.get() + 1);
        if self.fail {
            return Err(EmbedError::Endpoint {
                endpoint: "http://127.0.0.1:9/v1/embeddings".into(),
                message: "HTTP 500".into(),
            });
        }
        Ok(Embedded { vectors: LocalEmbedder::default().embed_batch(texts), requests: 1, prompt_tokens: 2 })
    }
}

#[test]
fn a_remote_embedder_is_counted_and_its_failures_only_warn() {
    let doc = simple_doc(1);
    let host = Rc::new(TestHost::default());
    let e = Rc::new(CountingEmbedder { calls: Cell::new(0), fail: false });
    let r = Refiner::new(
        Rc::new(generic_model()),
        Rc::new(generic_tools()),
        host.clone(),
        Some(e.clone()),
        RefineConfig::default(),
    );
    let out = drive(&host, r.run(&doc, RunOptions::default())).unwrap();
    assert!(e.calls.get() > 0);
    assert_eq!(out.report.totals.embedding_calls, e.calls.get());
    assert_eq!(out.report.embedder, "remote-test");
    let failing = Rc::new(CountingEmbedder { calls: Cell::new(0), fail: true });
    let r = Refiner::new(
        Rc::new(generic_model()),
        Rc::new(generic_tools()),
        host.clone(),
        Some(failing),
        RefineConfig::default(),
    );
    let out = drive(&host, r.run(&doc, RunOptions::default())).unwrap();
    let o = &out.report.operations[0];
    // The first failure gives the endpoint up; the operation had measured nothing with it, so
    // its decisions are all the local embedder's (it used to go on without Δ to the maximum).
    assert!(o.warnings.iter().any(|w| w.contains("embedder remote-test failed")), "{:?}", o.warnings);
    assert_eq!(o.embedder.as_deref(), Some("local-hashed-512"));
    assert!(out.report.embedder_fallback.as_deref().unwrap_or_default().contains("HTTP 500"));
    // The failed measurement (the first Δ) made no decision; every later one is the local one's.
    let deltas: Vec<_> = o.revisions.iter().skip(1).filter(|r| r.revision.accepted).map(|r| r.delta).collect();
    assert!(deltas[0].is_none() && deltas[1..].iter().all(Option::is_some), "{deltas:?}");
}

#[test]
fn what_a_run_explored_reads_from_its_reports_json_as_from_the_report() {
    use tooldraft::eval::explored::{explored_items, explored_queries, ExploredRun};
    let rig = delayed_rig(1);
    let (out, _) = rig.run(&simple_doc(2), None);
    // exploreHeldOut reads the report JS hands back (its JSON), only the fields it needs.
    let json = serde_json::to_string(&out.report).unwrap();
    let read: ExploredRun = serde_json::from_str(&json).unwrap();
    let direct = ExploredRun::from(&out.report);
    assert_eq!(read, direct);
    let items = explored_items(&read);
    assert!(!items.is_empty(), "the run made successful calls");
    let calls: usize = out.report.operations.iter().map(|o| o.trails.iter().filter(|t| t.succeeded()).count()).sum();
    assert_eq!(items.len(), calls);
    let queries = explored_queries(&read);
    for op in &out.report.operations {
        let expected: Vec<&str> = op.queries.iter().map(|q| q.query.as_str()).collect();
        assert_eq!(queries[&op.id], expected);
    }
}
