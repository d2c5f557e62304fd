//! Hostile documents: `$ref` alias chains and cycles of a megabyte, deep nesting in JSON
//! and YAML, YAML alias bombs. Each is read (and, when it reads, inspected and exported)
//! without a panic or a stack overflow, within 2 s (the threads run with a small stack, as
//! a browser's wasm does), ending in a clear error or a result.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use serde_json::{json, Map, Value};
use std::time::{Duration, Instant};
use tooldraft::doc::{formats, inspect, Format};

/// About one megabyte of aliases.
const ALIASES: usize = 20_000;
const LIMIT: Duration = Duration::from_secs(2);

/// Reads, inspects and exports `text` on a thread with a 1 MB stack; returns the import
/// error, if any. Panics (failing the test) when the work overflows, panics or takes > 2 s.
fn survive(name: &str, text: String) -> Option<String> {
    let started = Instant::now();
    let worker = std::thread::Builder::new().stack_size(1 << 20).spawn(move || match formats::import(&text, None) {
        Ok(doc) => {
            let _ = inspect(&doc);
            for f in [Format::OpenApi, Format::Mcp] {
                let _ = formats::export(&doc, f);
            }
            drop(doc);
            None
        }
        Err(e) => Some(e.to_string()),
    });
    let outcome = worker.unwrap().join().unwrap_or_else(|_| panic!("{name}: panicked"));
    let took = started.elapsed();
    // Debug builds are several times slower than the release build users run.
    let limit = if cfg!(debug_assertions) { LIMIT * 4 } else { LIMIT };
    assert!(took < limit, "{name}: took {took:?}");
    eprintln!("{name}: {took:?} {outcome:?}");
    outcome
}

fn openapi(components: &str, kind: &str, path_item: Value, size: usize, cyclic: bool) -> String {
    let mut members = Map::new();
    for i in 0..size {
        let body = if i + 1 < size {
            json!({"$ref": format!("#/components/{components}/{kind}{}", i + 1)})
        } else if cyclic {
            json!({"$ref": format!("#/components/{components}/{kind}0")})
        } else {
            last(components)
        };
        members.insert(format!("{kind}{i}"), body);
    }
    json!({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {"/x/{id}": path_item},
        "components": {components: members}
    })
    .to_string()
}

fn last(components: &str) -> Value {
    match components {
        "schemas" => json!({"type": "string"}),
        "parameters" => json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}),
        "responses" => json!({"description": "ok"}),
        "requestBodies" => json!({"content": {"application/json": {"schema": {"type": "object"}}}}),
        "pathItems" => json!({"get": {"operationId": "g", "responses": {"200": {"description": "ok"}}}}),
        _ => json!({}),
    }
}

fn chain_documents(cyclic: bool) -> Vec<(&'static str, String)> {
    let ok = json!({"200": {"description": "ok"}});
    let s0 = json!({"$ref": "#/components/schemas/S0"});
    let schemas = json!({"get": {"operationId": "getX",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": s0}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "array", "items": s0}}}}}}});
    let parameters = json!({"get": {"operationId": "getX", "parameters": [{"$ref": "#/components/parameters/P0"}], "responses": ok}});
    let responses =
        json!({"get": {"operationId": "getX", "responses": {"200": {"$ref": "#/components/responses/R0"}}}});
    let bodies = json!({"post": {"operationId": "postX", "requestBody": {"$ref": "#/components/requestBodies/B0"}, "responses": ok}});
    let items = json!({"$ref": "#/components/pathItems/I0"});
    vec![
        ("schemas", openapi("schemas", "S", schemas, ALIASES, cyclic)),
        ("parameters", openapi("parameters", "P", parameters, ALIASES, cyclic)),
        ("responses", openapi("responses", "R", responses, ALIASES, cyclic)),
        ("requestBodies", openapi("requestBodies", "B", bodies, ALIASES, cyclic)),
        ("pathItems", openapi("pathItems", "I", items, ALIASES, cyclic)),
    ]
}

/// `{"D0": {"$ref": "<prefix>D1"}, …, "D<n-1>": {"type": "object"}}`.
fn alias_defs(prefix: &str) -> Map<String, Value> {
    (0..ALIASES)
        .map(|i| {
            let body = if i + 1 < ALIASES {
                json!({"$ref": format!("{prefix}D{}", i + 1)})
            } else {
                json!({"type": "object"})
            };
            (format!("D{i}"), body)
        })
        .collect()
}

#[test]
fn a_megabyte_of_ref_aliases_reads_within_two_seconds() {
    for cyclic in [false, true] {
        for (name, text) in chain_documents(cyclic) {
            assert!(text.len() > 700_000, "{name}: {} bytes", text.len());
            survive(&format!("{name} cyclic={cyclic}"), text);
        }
    }
}

#[test]
fn a_swagger_alias_chain_reads_within_two_seconds() {
    let d0 = json!({"$ref": "#/definitions/D0"});
    let text = json!({"swagger": "2.0", "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"post": {"operationId": "p",
            "parameters": [{"name": "b", "in": "body", "schema": d0}],
            "responses": {"200": {"description": "ok", "schema": d0}}}}},
        "definitions": alias_defs("#/definitions/")})
    .to_string();
    survive("swagger definitions", text);
}

#[test]
fn an_mcp_schema_alias_chain_reads_within_two_seconds() {
    let schema =
        json!({"type": "object", "properties": {"a": {"$ref": "#/$defs/D0"}}, "$defs": alias_defs("#/$defs/")});
    survive("mcp $defs", json!({"tools": [{"name": "t", "inputSchema": schema}]}).to_string());
}

#[test]
fn deep_nesting_in_json_and_yaml_is_a_clear_error() {
    let depth = 100_000;
    let json = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let e = survive("json arrays", json).expect("an error");
    assert!(e.contains("recursion limit"), "{e}");
    let json = format!(r##"{{"tools": {}1{}}}"##, r##"{"a":"##.repeat(depth), "}".repeat(depth));
    assert!(survive("json objects", json).is_some());
    let yaml = format!("a: {}1{}", "[".repeat(depth), "]".repeat(depth));
    assert!(survive("yaml flow", yaml).is_some());
    let yaml: String = (0..1_000).map(|i| format!("{}- \n", "  ".repeat(i))).collect();
    assert!(survive("yaml block", yaml).is_some());
}

#[test]
fn a_yaml_alias_bomb_is_a_clear_error() {
    let mut yaml = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        yaml.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
    }
    assert!(yaml.len() < 2_000);
    let e = survive("yaml billion laughs", yaml).expect("an error");
    assert!(!e.is_empty());
}
