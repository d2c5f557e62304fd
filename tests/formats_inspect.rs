//! `inspect`: counts and doc smells over the paper's data, the real MCP servers' lists and
//! the fixtures; the JSON shape the CLI prints.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod formats_support;

use formats_support::{fixture, fixtures, paper_docs};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use tooldraft::doc::{formats, inspect, InspectReport, SmellKind};

fn report(text: &str) -> InspectReport {
    inspect(&formats::import(text, None).unwrap())
}

fn counts(r: &InspectReport) -> BTreeMap<SmellKind, usize> {
    let mut out = BTreeMap::new();
    for s in &r.smells {
        *out.entry(s.kind).or_default() += 1;
    }
    out
}

fn paper(name: &str) -> String {
    paper_docs().into_iter().find(|(n, _)| n == name).unwrap().1
}

#[test]
fn tmdb_path_parameters_left_out_of_required_are_reported_from_the_source() {
    let r = report(&paper("RestBench_docs_TMDB_Initial.json"));
    let c = counts(&r);
    // 34 of 54 entries leave out their path parameters: 44 parameters in all.
    assert_eq!(c.get(&SmellKind::PathParameterNotRequired), Some(&44));
    assert_eq!(c.get(&SmellKind::UndocumentedPathParameter), Some(&44));
    let ops: std::collections::HashSet<_> = r
        .smells
        .iter()
        .filter(|s| s.kind == SmellKind::PathParameterNotRequired)
        .map(|s| s.operation.clone().unwrap())
        .collect();
    assert_eq!(ops.len(), 34);
    // The importer's added parameters are not reported as untyped or undescribed.
    assert_eq!(c.get(&SmellKind::UntypedParameter), None);
    assert_eq!(c.get(&SmellKind::MissingParameterDescription), None);
    // Spotify lists its path parameters as required: nothing to report.
    let spotify = report(&paper("RestBench_docs_Spotify_Initial.json"));
    assert_eq!(counts(&spotify).get(&SmellKind::PathParameterNotRequired), None);
}

#[test]
fn a_path_parameter_listed_as_optional_is_reported_at_its_entry() {
    let r = report(&fixture("toolbench_tool.json"));
    let s = r.smells.iter().find(|s| s.kind == SmellKind::PathParameterNotRequired).unwrap();
    assert_eq!(s.operation.as_deref(), Some("Open Weather Map/city by id"));
    assert_eq!(s.parameter.as_deref(), Some("id"));
    assert_eq!(s.pointer, "/api_list/1/optional_parameters/0");
    // The model still marks it required: it is a path parameter.
    let doc = formats::import(&fixture("toolbench_tool.json"), None).unwrap();
    assert!(doc.operation("Open Weather Map/city by id").unwrap().parameter("id").unwrap().required);
}

#[test]
fn initial_toolbench_docs_smell_more_than_the_refined_ones() {
    let initial = counts(&report(&paper("ToolBench_docs_Initial.json")));
    let refined = counts(&report(&paper("ToolBench_docs_DRAFT.json")));
    let missing = |c: &BTreeMap<SmellKind, usize>| c.get(&SmellKind::MissingOperationDescription).copied().unwrap_or(0);
    assert!(missing(&initial) > 200, "{initial:?}");
    assert_eq!(missing(&refined), 0, "{refined:?}");
    // Four tools have an empty tool_description: one smell each.
    assert_eq!(initial.get(&SmellKind::MissingToolDescription), Some(&4));
}

#[test]
fn smells_point_into_the_source() {
    for (name, text) in fixtures() {
        let doc = formats::import(&text, None).unwrap();
        for s in inspect(&doc).smells {
            assert!(doc.source.pointer(&s.pointer).is_some(), "{name}: {s:?}");
            if let Some(op) = &s.operation {
                assert!(doc.operation(op).is_some(), "{name}: {s:?}");
            }
        }
    }
}

#[test]
fn real_mcp_servers() {
    let r = report(&fixture("mcp_server_everything_tools_list.json"));
    assert_eq!((r.tools, r.operations, r.parameters), (1, 13, 16));
    // Only get-structured-content declares an outputSchema.
    assert_eq!(counts(&r).get(&SmellKind::MissingResponseSchema), Some(&12));
    let r = report(&fixture("mcp_server_memory_tools_list.json"));
    assert_eq!((r.tools, r.operations, r.parameters), (1, 9, 8));
    assert_eq!(counts(&r).get(&SmellKind::MissingResponseSchema), None);
}

#[test]
fn the_json_report_has_the_keys_the_cli_promises() {
    let r = report(&fixture("mcp_small.json"));
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["format"], json!("mcp"));
    for k in ["tools", "operations", "parameters"] {
        assert!(v[k].is_u64(), "{k}");
    }
    assert!(v["smells"].is_array());
    let kinds: Vec<&str> = v["smells"].as_array().unwrap().iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"untypedParameter") && kinds.contains(&"shortDescription"), "{kinds:?}");
    let back: InspectReport = serde_json::from_value(v).unwrap();
    assert_eq!(back, r);
}

#[test]
fn duplicates_and_empty_documents() {
    let r = report(
        r#"{"tools": [
        {"name": "a", "description": "Does a thing, at length.", "inputSchema": {"type": "object"}},
        {"name": "a", "description": "Does another thing, at length.", "inputSchema": {"type": "object"}}
    ]}"#,
    );
    let dup = r.smells.iter().find(|s| s.kind == SmellKind::DuplicateOperationName).unwrap();
    assert_eq!((dup.operation.as_deref(), dup.pointer.as_str()), (Some("a#2"), "/tools/1"));
    let empty = report(r#"{"tools": []}"#);
    assert_eq!(empty.operations, 0);
    assert!(empty.warnings.iter().any(|w| w.contains("no operations")));
}

#[test]
fn snapshot_of_fixture_reports() {
    let mut all = BTreeMap::new();
    for (name, text) in fixtures() {
        let r = report(&text);
        let smells: Vec<Value> = r
            .smells
            .iter()
            .map(|s| {
                json!(format!(
                    "{:?} {} {} @{}",
                    s.kind,
                    s.operation.as_deref().unwrap_or("-"),
                    s.parameter.as_deref().unwrap_or("-"),
                    s.pointer
                ))
            })
            .collect();
        all.insert(
            name,
            json!({"counts": [r.tools, r.operations, r.parameters], "smells": smells, "warnings": r.warnings}),
        );
    }
    insta::assert_json_snapshot!("inspect_fixtures", all);
}
