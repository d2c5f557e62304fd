//! Snapshots of every rendered prompt, with their output schemas.

use crate::support::*;
use serde_json::json;
use tooldraft::llm::ChatRequest;
use tooldraft::refine::analyzer::{self, Analysis, AnalyzerInput};
use tooldraft::refine::evidence::{Facts, Trail};
use tooldraft::refine::explorer::{self, ExplorerInput};
use tooldraft::refine::rewriter::{self, RewriterInput};
use tooldraft::refine::summarizer::{self, SummarizerInput};
use tooldraft::refine::RefineConfig;

fn show(r: &ChatRequest) -> String {
    let mut s = format!("purpose: {}\ntemperature: {:?}\n", r.purpose, r.temperature);
    for m in &r.messages {
        s.push_str(&format!("\n===== {:?} =====\n{}\n", m.role, m.content));
    }
    if let Some(schema) = &r.schema {
        s.push_str(&format!(
            "\n===== schema {} =====\n{}\n",
            schema.name,
            serde_json::to_string_pretty(&schema.schema).unwrap()
        ));
    }
    s
}

fn weather() -> Scenario {
    scenario(include_str!("../fixtures/refine/weather.json"))
}

fn trails(s: &Scenario) -> Vec<Trail> {
    let op = s.doc.operation("getForecast").unwrap();
    let calls = [(json!({"city": "Lisbon", "days": 3}), 0), (json!({"city": "Oslo", "days": 14}), 1)];
    calls
        .iter()
        .map(|(args, i)| Trail {
            id: format!("getForecast#{}", i + 1),
            operation: "getForecast".into(),
            episode: *i,
            query: format!("forecast request {}", i + 1),
            arguments: args.clone(),
            observation: Some(observation(op, args, &s.tools["getForecast"][*i])),
            error: None,
            started_ms: 0.0,
            duration_ms: 5.0,
            schema_driven: false,
        })
        .collect()
}

#[test]
fn explorer_prompts() {
    let s = weather();
    let op = s.doc.operation("getForecast").unwrap();
    let config = RefineConfig::default();
    let first = ExplorerInput {
        tool: "weather",
        operation: op,
        explored: &[],
        direction: None,
        feedback: &[],
        config: &config,
    };
    insta::assert_snapshot!("explorer_first", show(&explorer::request(&first).unwrap()));
    let explored = vec!["What will the weather be like in Lisbon over the next three days?".to_string()];
    let feedback = vec!["Your request \"Weather in Lisbon for 3 days\" is too similar to the earlier request \"What will the weather be like in Lisbon over the next three days?\" (similarity 0.93). Write a request that explores something different.".to_string()];
    let next = ExplorerInput {
        tool: "weather",
        operation: op,
        explored: &explored,
        direction: Some("Try a large number of days to find the limit."),
        feedback: &feedback,
        config: &config,
    };
    insta::assert_snapshot!("explorer_follow_up", show(&explorer::request(&next).unwrap()));
}

#[test]
fn analyzer_and_rewriter_prompts() {
    let s = weather();
    let op = s.doc.operation("getForecast").unwrap();
    let config = RefineConfig::default();
    let trails = trails(&s);
    let facts = Facts::derive(op, &trails);
    let history = ["Get forecast."];
    let a = AnalyzerInput {
        tool: "weather",
        operation: op,
        trail: &trails[1],
        facts: &facts,
        history: &history,
        config: &config,
    };
    insta::assert_snapshot!("analyzer", show(&analyzer::request(&a).unwrap()));
    let analysis = Analysis {
        mismatches: vec![],
        missing: vec!["days is limited to 1..7; 14 was rejected with HTTP 400.".into()],
        suggestions: vec!["State the 1 to 7 limit of days.".into()],
    };
    let r = RewriterInput {
        tool: "weather",
        operation: op,
        trail: &trails[1],
        analysis: &analysis,
        facts: &facts,
        history: &history,
        max_chars: 600,
        config: &config,
    };
    insta::assert_snapshot!("rewriter", show(&rewriter::request(&r).unwrap()));
}

#[test]
fn summarizer_prompt() {
    let config = RefineConfig::default();
    let ops = [("getForecast", "Returns a daily forecast for a city."), ("ping", "Checks that the service is up.")];
    let input = SummarizerInput {
        tool: "weather",
        description: "Weather API.",
        operations: &ops,
        max_chars: 900,
        config: &config,
    };
    insta::assert_snapshot!("summarizer", show(&summarizer::request(&input).unwrap()));
}

#[test]
fn caller_prompt() {
    let s = weather();
    let op = s.doc.operation("getForecast").unwrap();
    let r = tooldraft::refine::verify::request(
        "weather",
        op,
        "What will the weather be like in \"Lisbon\"\nover the next three days?",
        &RefineConfig::default(),
    )
    .unwrap();
    insta::assert_snapshot!("caller", show(&r));
}
