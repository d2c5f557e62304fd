//! Evaluation against a scripted model with deterministic answers: exact expected scores.

use async_trait::async_trait;
use futures::executor::block_on;
use serde_json::json;
use std::cell::RefCell;
use std::rc::Rc;
use tooldraft::doc::{Location, Operation, Parameter, Tool, ToolDoc};
use tooldraft::eval::{parse_queries, DocVersion, EvalConfig, EvalError, Evaluator};
use tooldraft::llm::{ChatModel, ChatRequest, ChatResponse, LlmError, Usage};

/// Answers by the query in the prompt: a map from query text to the JSON reply, and a
/// different map for prompts that contain a marker of the refined docs.
struct ScriptedModel {
    answers: Vec<(&'static str, &'static str, serde_json::Value)>,
    calls: RefCell<usize>,
}

#[async_trait(?Send)]
impl ChatModel for ScriptedModel {
    async fn chat(&self, req: &ChatRequest) -> Result<ChatResponse, LlmError> {
        *self.calls.borrow_mut() += 1;
        let prompt = &req.messages.last().unwrap().content;
        let refined = prompt.contains("REFINED");
        for (query, version, answer) in &self.answers {
            if prompt.contains(&format!("User query: {query}"))
                && (*version == "any" || (*version == "refined") == refined)
            {
                return Ok(ChatResponse {
                    content: answer.to_string(),
                    usage: Usage { prompt_tokens: 100, completion_tokens: 10 },
                    model: None,
                });
            }
        }
        Ok(ChatResponse {
            content: "I cannot help.".into(),
            usage: Usage { prompt_tokens: 100, completion_tokens: 5 },
            model: None,
        })
    }
}

fn op(name: &str, desc: &str, params: &[(&str, bool)]) -> Operation {
    Operation {
        id: name.into(),
        name: name.into(),
        description: desc.into(),
        parameters: params
            .iter()
            .map(|(n, r)| Parameter {
                required: *r,
                schema: json!({"type": "string"}),
                ..Parameter::new(*n, Location::Query)
            })
            .collect(),
        ..Default::default()
    }
}

fn doc(marker: &str) -> ToolDoc {
    ToolDoc {
        tools: vec![Tool {
            name: "weather".into(),
            operations: vec![
                op("geocode", &format!("{marker} Finds coordinates of a city."), &[("city", true)]),
                op("forecast", &format!("{marker} Forecast for coordinates."), &[("lat", true), ("lon", true)]),
                op("alerts", &format!("{marker} Weather alerts."), &[]),
            ],
            ..Default::default()
        }],
        ..Default::default()
    }
}

const QUERIES: &str = r#"{"id": "q1", "query": "weather in Paris tomorrow", "gold": ["geocode", "forecast"]}
{"id": "q2", "query": "any storms coming?", "gold": ["alerts"]}
{"id": "q3", "query": "where is Lyon", "gold": ["geocode"]}
{"id": "q4", "query": "uses an unknown op", "gold": ["nowhere"]}
"#;

fn model() -> ScriptedModel {
    let calls = |list: &[(&str, serde_json::Value)]| json!({"calls": list.iter().map(|(o, a)| json!({"operation": o, "arguments": a})).collect::<Vec<_>>()});
    ScriptedModel {
        answers: vec![
            // q1: original picks only forecast (CP fail); refined picks both in order with valid args.
            ("weather in Paris tomorrow", "original", calls(&[("forecast", json!({"lat": "1"}))])),
            (
                "weather in Paris tomorrow",
                "refined",
                calls(&[("geocode", json!({"city": "Paris"})), ("forecast", json!({"lat": "1", "lon": "2"}))]),
            ),
            // q2: both pass, but original also calls a name outside the candidates.
            ("any storms coming?", "original", calls(&[("alerts", json!({})), ("radar", json!({}))])),
            ("any storms coming?", "refined", calls(&[("alerts", json!({}))])),
            // q3: both right, reversed order irrelevant (one op), original args invalid (missing city).
            ("where is Lyon", "original", calls(&[("geocode", json!({}))])),
            ("where is Lyon", "refined", calls(&[("geocode", json!({"city": "Lyon"}))])),
        ],
        calls: RefCell::new(0),
    }
}

#[test]
fn scores_are_exact_and_paired() {
    let set = parse_queries(QUERIES).unwrap();
    let versions = vec![
        DocVersion { label: "original".into(), doc: doc("") },
        DocVersion { label: "refined".into(), doc: doc("REFINED") },
    ];
    let model = Rc::new(model());
    let ev = Evaluator::new(model.clone(), None, EvalConfig { concurrency: 3, resamples: 500, seed: 1 });
    let progress = RefCell::new(0);
    let report = block_on(ev.run(&versions, &set, &|_| *progress.borrow_mut() += 1)).unwrap();
    assert_eq!(report.items, 4);
    assert_eq!(report.scored_items, 3);
    assert_eq!(report.skipped.len(), 1, "q4 is shown as skipped, not dropped");
    assert!(report.skipped[0].reason.contains("nowhere"));
    assert_eq!(*progress.borrow(), 6);
    assert_eq!(*model.calls.borrow(), 6, "every (item, version) asked once");

    let (o, r) = (&report.versions[0], &report.versions[1]);
    assert!((o.cp.mean - 2.0 / 3.0).abs() < 1e-9, "{}", o.cp.mean);
    assert_eq!(r.cp.mean, 1.0);
    assert!((o.selection.mean - 1.0 / 3.0).abs() < 1e-9, "q2 adds radar, q1 misses geocode");
    assert_eq!(r.selection.mean, 1.0);
    assert_eq!(o.outside_candidates, 1);
    // original: q1 forecast missing lon → 0; q2 alerts valid (radar is outside, not counted) → 1; q3 → 0.
    assert!((o.args_valid.mean - 1.0 / 3.0).abs() < 1e-9, "{}", o.args_valid.mean);
    assert_eq!(r.args_valid.mean, 1.0);
    assert_eq!(o.tokens_per_item.mean, 110.0);
    assert!(o.cp.low <= o.cp.mean && o.cp.mean <= o.cp.high);

    let cp = report.comparisons.iter().find(|c| c.metric == "cp").unwrap();
    assert!((cp.difference - 1.0 / 3.0).abs() < 1e-9);
    assert_eq!(cp.p_value, 1.0, "one discordant pair is not significant");
    assert_eq!(cp.test, "mcnemarExact");
}

#[test]
fn prose_answers_are_errors_counted_not_dropped() {
    let set = parse_queries(r#"{"query": "something else entirely", "gold": ["alerts"]}"#).unwrap();
    let versions = vec![DocVersion { label: "a".into(), doc: doc("") }];
    let model = Rc::new(model());
    let report =
        block_on(Evaluator::new(model.clone(), None, EvalConfig::default()).run(&versions, &set, &|_| ())).unwrap();
    assert_eq!(report.versions[0].errors, 1);
    assert_eq!(report.versions[0].cp.mean, 0.0);
    assert_eq!(*model.calls.borrow(), 2, "one corrective retry");
    assert!(report.versions[0].items[0].error.as_deref().unwrap().contains("LlmInvalidOutput"));
}

#[test]
fn bad_inputs_have_clear_errors() {
    let set = parse_queries(QUERIES).unwrap();
    let model = Rc::new(model());
    let ev = Evaluator::new(model, None, EvalConfig::default());
    let mut other = doc("");
    for (i, o) in other.operations_mut().enumerate() {
        o.name = format!("unrelated{i}");
        o.id = o.name.clone();
    }
    let versions = vec![DocVersion { label: "a".into(), doc: doc("") }, DocVersion { label: "b".into(), doc: other }];
    let err = block_on(ev.run(&versions, &set, &|_| ())).unwrap_err();
    assert!(matches!(err, EvalError::DifferentTools { .. }), "{err}");
    assert_eq!(err.code(), "DifferentTools");

    let only_missing = parse_queries(r#"{"query": "x", "gold": ["nowhere"]}"#).unwrap();
    let err = block_on(ev.run(&versions[..1], &only_missing, &|_| ())).unwrap_err();
    assert!(err.to_string().contains("nowhere"), "{err}");
    assert_eq!(block_on(ev.run(&[], &set, &|_| ())).unwrap_err(), EvalError::NoVersions);
}

#[test]
fn html_report_escapes_hostile_labels_and_items() {
    let set = parse_queries(QUERIES).unwrap();
    let versions = vec![
        DocVersion { label: "<script>alert(1)</script>".into(), doc: doc("") },
        DocVersion { label: "it's refined".into(), doc: doc("REFINED") },
    ];
    let report =
        block_on(Evaluator::new(Rc::new(model()), None, EvalConfig::default()).run(&versions, &set, &|_| ())).unwrap();
    let page = tooldraft::eval::html::render(&report);
    assert!(!page.contains("<script>"), "labels are escaped");
    assert!(page.contains("&lt;script&gt;"));
    // One escaper for the page and its chart: single quotes too.
    assert!(!page.contains("it's") && page.contains("it&#39;s"), "quotes are escaped everywhere");
    assert!(page.contains("form-action 'none'; base-uri 'none'"), "the page's CSP forbids forms and a base URL");
    assert!(page.contains("<svg") && page.contains("nowhere"), "chart and skipped items are shown");
    // The one label set names metrics and tests, in the report and on the page.
    assert_eq!(report.labels, tooldraft::eval::labels::EvalLabels::standard());
    assert!(page.contains("<th>CP (ordered)</th>") && page.contains("<td>CP</td>"), "metric labels");
    assert!(page.contains("exact McNemar") && !page.contains("mcnemarExact"), "test labels");
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["labels"]["tests"]["pairedPermutation"], "paired permutation");
}

#[test]
fn change_report_on_the_papers_refined_docs() {
    let read =
        |f: &str| std::fs::read_to_string(format!("{}/data/draft-paper/{f}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let before = tooldraft::doc::formats::import(&read("RestBench_docs_TMDB_Initial.json"), None).unwrap();
    let after = tooldraft::doc::formats::import(&read("RestBench_docs_TMDB_DRAFT.json"), None).unwrap();
    let c = tooldraft::eval::changes::compare_docs(&before, &after);
    assert_eq!(c.operations, 54);
    assert!(c.removed.is_empty() && c.added.is_empty());
    assert!(c.descriptions_changed >= 50, "the paper rewrote nearly every description: {}", c.descriptions_changed);
    assert!(c.examples_added >= 50, "one example per API: {}", c.examples_added);
    assert!(
        c.length_growth > 2.0,
        "operation descriptions grew 3 to 7 times; parameter docs did not change: {}",
        c.length_growth
    );
    let unchanged = tooldraft::eval::changes::compare_docs(&before, &before);
    assert_eq!((unchanged.descriptions_changed, unchanged.smells_fixed.len(), unchanged.length_growth), (0, 0, 1.0));
}

mod held_out {
    use super::*;
    use tooldraft::eval::holdout::{explore_held_out, to_jsonl};
    use tooldraft::refine::RefineConfig;
    use tooldraft::tools::{Observation, ToolCaller, ToolError};

    /// Answers the explorer with queries from a list, in order.
    struct Explorer(RefCell<Vec<serde_json::Value>>);

    #[async_trait(?Send)]
    impl ChatModel for Explorer {
        async fn chat(&self, _req: &ChatRequest) -> Result<ChatResponse, LlmError> {
            let next = self.0.borrow_mut().remove(0);
            Ok(ChatResponse { content: next.to_string(), usage: Usage::default(), model: None })
        }
    }

    /// Succeeds unless the city is "Atlantis"; never permits `alerts`.
    struct Tools(RefCell<usize>);

    #[async_trait(?Send)]
    impl ToolCaller for Tools {
        fn permits(&self, op: &Operation) -> Result<(), ToolError> {
            if op.id == "alerts" {
                return Err(ToolError::Denied { reason: "not read-only".into() });
            }
            Ok(())
        }
        async fn call(&self, _op: &Operation, args: &serde_json::Value) -> Result<Observation, ToolError> {
            *self.0.borrow_mut() += 1;
            let failed = args.get("city").and_then(|c| c.as_str()) == Some("Atlantis");
            Ok(Observation { status: Some(if failed { 404 } else { 200 }), is_error: failed, ..Default::default() })
        }
    }

    #[test]
    fn held_out_queries_are_new_verified_and_never_too_similar() {
        let q = |query: &str, city: &str| json!({"query": query, "arguments": {"city": city}});
        let model = Explorer(RefCell::new(vec![
            q("weather in Paris tomorrow", "Paris"), // same as an explored query: rejected
            q("Where exactly is Lisbon on the map?", "Lisbon"), // new, call succeeds
            q("Find the coordinates of Atlantis", "Atlantis"), // new, call fails: not an item
            q("I need the location of Kyoto for a trip", "Kyoto"), // new, succeeds
        ]));
        let tools = Tools(RefCell::new(0));
        let mut original = doc("");
        original.tools[0].operations.retain(|o| o.id != "forecast");
        let config = RefineConfig { only: vec!["geocode".into(), "alerts".into()], ..Default::default() };
        // A run that explored "weather in Paris tomorrow" for geocode.
        let seen =
            std::collections::BTreeMap::from([("geocode".to_string(), vec!["weather in Paris tomorrow".to_string()])]);
        let out = block_on(explore_held_out(&model, &tools, &original, &seen, 2, &config));
        let queries: Vec<&str> = out.items.iter().map(|i| i.query.as_str()).collect();
        assert_eq!(queries, vec!["Where exactly is Lisbon on the map?", "I need the location of Kyoto for a trip"]);
        assert_eq!(*tools.0.borrow(), 3, "the too-similar query was never called");
        assert!(out.skipped.iter().any(|s| s.starts_with("alerts:")), "{:?}", out.skipped);
        assert!(out.skipped.iter().any(|s| s.contains("too similar")), "{:?}", out.skipped);
        assert!(out.skipped.iter().any(|s| s.contains("status 404")), "{:?}", out.skipped);
        let jsonl = to_jsonl(&out.items);
        let set = parse_queries(&jsonl).unwrap();
        assert_eq!(set.items.len(), 2);
        assert_eq!(set.items[0].gold[0].name, "geocode");
    }
}

#[test]
fn items_sharing_an_id_are_each_scored() {
    let set = parse_queries(
        "{\"id\": \"same\", \"query\": \"any storms coming?\", \"gold\": [\"alerts\"]}\n\
         {\"id\": \"same\", \"query\": \"where is Lyon\", \"gold\": [\"geocode\"]}\n",
    )
    .unwrap();
    let versions = vec![DocVersion { label: "refined".into(), doc: doc("REFINED") }];
    let report =
        block_on(Evaluator::new(Rc::new(model()), None, EvalConfig::default()).run(&versions, &set, &|_| ())).unwrap();
    let items = &report.versions[0].items;
    assert_eq!(items.len(), 2, "neither item is lost");
    assert_eq!(items.iter().map(|i| i.gold[0].as_str()).collect::<Vec<_>>(), vec!["alerts", "geocode"]);
    assert_eq!(report.versions[0].cp.mean, 1.0);
}
