//! A remote embedder in the loop: one request per explore step and per accepted revision (the
//! cache sends each text once), its usage under the role `embeddings`, and bad answers
//! (failure, NaN, wrong length, wrong count) that give it up for the operations that have
//! not measured yet, never mixing two embedders in one operation's decisions.

use crate::support::*;
use async_trait::async_trait;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use tooldraft::refine::{Event, RefineConfig, Refiner, RunOptions};
use tooldraft::similarity::{EmbedError, Embedded, Embedder, LocalEmbedder, Thresholds};

#[derive(Clone, Copy, PartialEq)]
enum Fault {
    Down,
    Nan,
    WrongLength,
    WrongCount,
}

/// The local embedding behind a "remote" name, counting requests and texts; from request
/// `fault_from` on (0-based) it answers with `fault`.
struct Remote {
    requests: Cell<usize>,
    texts: RefCell<Vec<String>>,
    fault: Option<(usize, Fault)>,
    /// This "family's" calibrated φ (the paper's τ).
    phi: f64,
}

impl Remote {
    fn new(fault: Option<(usize, Fault)>) -> Rc<Remote> {
        Rc::new(Remote { requests: Cell::new(0), texts: RefCell::new(Vec::new()), fault, phi: 0.9 })
    }
}

#[async_trait(?Send)]
impl Embedder for Remote {
    fn name(&self) -> String {
        "remote-test".into()
    }
    fn thresholds(&self) -> Thresholds {
        Thresholds { phi: self.phi, tau: 0.75 }
    }
    async fn embed_texts(&self, texts: &[String]) -> Result<Embedded, EmbedError> {
        let n = self.requests.get();
        self.requests.set(n + 1);
        self.texts.borrow_mut().extend(texts.iter().cloned());
        let mut vectors = LocalEmbedder::default().embed_batch(texts);
        match self.fault.filter(|(from, _)| n >= *from).map(|(_, f)| f) {
            Some(Fault::Down) => {
                return Err(EmbedError::Endpoint {
                    endpoint: "http://127.0.0.1:9/v1/embeddings".into(),
                    message: "connection refused".into(),
                })
            }
            Some(Fault::Nan) => vectors[0][3] = f32::NAN,
            Some(Fault::WrongLength) => vectors.iter_mut().for_each(|v| v.truncate(100)),
            Some(Fault::WrongCount) => vectors.push(vectors[0].clone()),
            None => {}
        }
        Ok(Embedded { vectors, requests: 1, prompt_tokens: texts.len() as u64 * 5 })
    }
}

fn run(remote: Rc<Remote>, ops: usize, config: RefineConfig) -> (tooldraft::refine::RunOutput, Vec<Event>) {
    let host = Rc::new(TestHost::default());
    let model = Rc::new(generic_model());
    let r = Refiner::new(model, Rc::new(generic_tools()), host.clone(), Some(remote), config);
    let events = RefCell::new(Vec::new());
    let on_event = |e: &Event| events.borrow_mut().push(e.clone());
    let out =
        drive(&host, r.run(&simple_doc(ops), RunOptions { on_event: Some(&on_event), ..Default::default() })).unwrap();
    (out, events.into_inner())
}

#[test]
fn at_most_one_request_per_explore_step_and_accepted_revision_each_text_sent_once() {
    let remote = Remote::new(None);
    let (out, _) = run(remote.clone(), 2, RefineConfig { convergence_threshold: Some(1.1), ..Default::default() });
    let mut steps = 0;
    for o in &out.report.operations {
        let explores = o.usage.0["explorer"].calls;
        let accepted = o.revisions.iter().skip(1).filter(|r| r.revision.accepted).count();
        // The first explore step of an operation has nothing to compare with: no request.
        assert!(o.embedding_calls <= explores - 1 + accepted, "{} > {explores} - 1 + {accepted}", o.embedding_calls);
        assert!(o.embedding_calls > 0);
        assert_eq!(o.usage.0["embeddings"].calls, o.embedding_calls);
        assert!(o.usage.0["embeddings"].prompt_tokens > 0);
        assert_eq!(o.model_calls, o.usage.calls(), "embedding requests are not chat calls");
        assert!(o.usage.0.keys().filter(|k| *k != "embeddings").all(|k| o.usage.0[k].calls <= o.model_calls));
        assert_eq!(o.embedder.as_deref(), Some("remote-test"));
        steps += explores - 1 + accepted;
    }
    assert_eq!(out.report.totals.embedding_calls, remote.requests.get());
    assert!(remote.requests.get() <= steps);
    let sent = remote.texts.borrow();
    let mut unique = sent.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), sent.len(), "a text is sent once (φ and Δ share the cache)");
    assert!(out.report.embedder_fallback.is_none());
}

#[test]
fn a_bad_answer_gives_the_endpoint_up_and_no_operation_mixes_embedders() {
    for fault in [Fault::Down, Fault::Nan, Fault::WrongLength, Fault::WrongCount] {
        // Operations run one at a time: op0 measures with the endpoint, which goes bad at its
        // third request, inside op0's run; op1 and op2 then measure with the local embedding.
        let remote = Remote::new(Some((2, fault)));
        let config = RefineConfig { concurrency: 1, convergence_threshold: Some(1.1), ..Default::default() };
        let (out, events) = run(remote.clone(), 3, config);
        let ops = &out.report.operations;
        assert_eq!(remote.requests.get(), 3, "no request after the endpoint was given up");
        assert_eq!(ops[0].embedder.as_deref(), Some("remote-test"));
        assert!(ops[0].warnings.iter().any(|w| w.contains("given up earlier")), "{:?}", ops[0].warnings);
        for o in &ops[1..] {
            assert_eq!(o.embedder.as_deref(), Some("local-hashed-512"));
            assert_eq!(o.embedding_calls, 0);
            assert!(o.revisions.iter().skip(1).filter(|r| r.revision.accepted).all(|r| r.delta.is_some()));
        }
        // op0 made no decision after the failure: no Δ on its later accepted revisions.
        let accepted: Vec<_> = ops[0].revisions.iter().skip(1).filter(|r| r.revision.accepted).collect();
        assert!(accepted.last().is_some_and(|r| r.delta.is_none()));
        let fallback = out.report.embedder_fallback.clone().unwrap();
        assert!(fallback.contains("remote-test") && fallback.contains("local-hashed-512"), "{fallback}");
        let said =
            events.iter().filter(|e| matches!(e, Event::Warning { operation: None, message } if *message == fallback));
        assert_eq!(said.count(), 1, "the fallback is said once, in the events");
    }
}

#[test]
fn the_embedders_calibrated_phi_applies_unless_configured() {
    // A family whose calibrated φ is 0: every query repeats an earlier one.
    let low = || Rc::new(Remote { phi: 0.0, ..Rc::try_unwrap(Remote::new(None)).ok().unwrap() });
    let config = RefineConfig { max_episodes: 2, convergence_threshold: Some(1.1), ..Default::default() };
    let (_, events) = run(low(), 1, config.clone());
    assert_eq!(count(&events, |e| matches!(e, Event::DiversityRetry { .. })), 2, "episode 2 retries twice");
    let (_, events) = run(Remote::new(None), 1, config.clone());
    assert_eq!(count(&events, |e| matches!(e, Event::DiversityRetry { .. })), 0);
    // A configured φ wins over the family's.
    let (_, events) = run(low(), 1, RefineConfig { diversity_threshold: Some(1.01), ..config });
    assert_eq!(count(&events, |e| matches!(e, Event::DiversityRetry { .. })), 0);
}
