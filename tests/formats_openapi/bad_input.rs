//! Bad input: malformed text, wrong shapes, dangling and cyclic references, blow-ups, a
//! 50 MB document, and randomly damaged documents. A clear error or warning, never a panic.

use super::fixture;
use serde_json::{json, Value};
use std::time::Instant;
use tooldraft::doc::formats::{self, openapi, openapi::Target};
use tooldraft::doc::{DocError, Format, Syntax};

fn import_value(v: Value) -> tooldraft::doc::ToolDoc {
    formats::import_value(v, Syntax::Json, None).unwrap()
}

#[test]
fn empty_and_binary_files_are_errors() {
    assert_eq!(formats::import("", None), Err(DocError::Empty));
    assert_eq!(formats::import(" \n\t\n", None), Err(DocError::Empty));
    assert_eq!(formats::import("\u{89}PNG\r\n\u{1a}\n\0\0\0\rIHDR", None), Err(DocError::Binary));
}

#[test]
fn yaml_and_json_errors_give_line_and_column() {
    let yaml = "openapi: 3.1.0\ninfo:\n  title: Broken\n  version: [1\npaths: {}\n";
    let err = formats::import(yaml, None).unwrap_err();
    let DocError::Syntax { syntax, line, column, .. } = &err else { panic!("{err:?}") };
    assert_eq!((*syntax, *line, *column), ("YAML", 5, 6), "{err}");
    assert_eq!(err.code(), "SyntaxError");
    let yaml = "openapi: 3.1.0\npaths:\n  /a:\n    get: {responses: {}}\n   bad indent: 1\n";
    let DocError::Syntax { line, .. } = formats::import(yaml, None).unwrap_err() else { panic!() };
    assert_eq!(line, 5);
    let json = "{\n  \"openapi\": \"3.0.0\",\n  \"paths\": {,}\n}";
    let err = formats::import(json, None).unwrap_err();
    assert_eq!(err, DocError::Syntax { syntax: "JSON", line: 3, column: 13, message: "key must be a string".into() });
}

#[test]
fn a_document_without_operations_is_an_empty_tool_with_a_warning() {
    let doc = formats::import("openapi: 3.0.0\ninfo: {title: Nothing, version: '1'}\npaths: {}\n", None).unwrap();
    assert_eq!((doc.tools.len(), doc.operation_count()), (1, 0));
    assert_eq!(doc.warnings, ["the document has no operations (`paths` lists none)"]);
    let doc =
        formats::import("{\"swagger\": \"2.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}}", None).unwrap();
    assert_eq!(doc.warnings, ["the document has no `paths`, so no operations"]);
    // It still round-trips.
    assert_eq!(openapi::export(&doc, Target::Swagger2).unwrap().0, doc.source);
}

#[test]
fn wrong_shapes_are_structure_errors_with_a_pointer() {
    let err = formats::import("{\"openapi\": \"3.0.0\", \"paths\": [1, 2]}", None).unwrap_err();
    assert_eq!(err, DocError::at("/paths", "expected an object"));
    assert_eq!(err.to_string(), "at /paths: expected an object");
    let err = formats::import("[1, 2]", Some(Format::OpenApi)).unwrap_err();
    assert_eq!(err, DocError::at("", "expected an OpenAPI or Swagger document (an object)"));
    let err = formats::import("{\"tools\": []}", Some(Format::OpenApi)).unwrap_err();
    assert_eq!(err, DocError::at("", "expected an `openapi` or `swagger` field"));
}

#[test]
fn odd_parts_are_skipped_with_warnings() {
    let doc = import_value(json!({
        "openapi": "4.0.0",
        "paths": {
            "/a": {"get": "not an operation", "post": {"parameters": {"not": "a list"}}},
            "/b": "not a path item",
            "/c": {"get": {"parameters": [{"in": "query"}, {"name": "x", "in": "body"}, 7],
                           "responses": {"200": {"$ref": "#/components/responses/Gone"}}}},
            "/d": {"get": {"parameters": [{"$ref": "#/components/parameters/A"}],
                           "x-tooldraft-examples": [{"query": 5}, {"query": "ok", "arguments": {}}]}}
        },
        "components": {"parameters": {"A": {"$ref": "#/components/parameters/B"}, "B": {"$ref": "#/components/parameters/A"}}}
    }));
    insta::assert_json_snapshot!(doc.warnings);
    assert_eq!(doc.operation_count(), 3);
    assert_eq!(doc.operation("GET /d").unwrap().examples.len(), 1);
    assert_eq!(openapi::export(&doc, Target::OpenApi3).unwrap().0, doc.source);
}

/// Schemas `S0 … S{n-1}`, each referring to the next one twice: inlining naively doubles
/// the size at every level.
fn doubling(n: usize) -> Value {
    let mut schemas = serde_json::Map::new();
    for i in 0..n {
        let next = json!({"$ref": format!("#/components/schemas/S{}", i + 1)});
        let s = if i + 1 < n {
            json!({"type": "object", "properties": {"left": next, "right": next}})
        } else {
            json!({"type": "string"})
        };
        schemas.insert(format!("S{i}"), s);
    }
    json!({
        "openapi": "3.0.0",
        "paths": {"/t": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}}}
        }}},
        "components": {"schemas": schemas}
    })
}

fn nodes(v: &Value) -> usize {
    match v {
        Value::Object(m) => 1 + m.values().map(nodes).sum::<usize>(),
        Value::Array(a) => 1 + a.iter().map(nodes).sum::<usize>(),
        _ => 1,
    }
}

#[test]
fn shared_schemas_do_not_blow_up() {
    let start = Instant::now();
    let doc = import_value(doubling(60));
    assert!(start.elapsed().as_secs() < 5, "took {:?}", start.elapsed());
    let op = &doc.tools[0].operations[0];
    let schema = op.response_schema.as_ref().unwrap();
    assert!(nodes(schema) <= 2_000, "{} nodes", nodes(schema));
    // Breadth first: the top levels are inlined, deeper ones kept as references.
    assert_eq!(schema["properties"]["left"]["properties"]["right"]["type"], "object");
    assert!(doc.warnings.iter().any(|w| w.contains("left as `$ref`s")), "{:?}", doc.warnings);
    assert_eq!(op.parameters.len(), 2);
}

#[test]
fn long_and_cyclic_chains_terminate() {
    // A 3,000-long chain of properties, each one a reference to the next.
    let mut schemas = serde_json::Map::new();
    for i in 0..3000 {
        schemas.insert(
            format!("C{i}"),
            json!({"type": "object", "properties": {"next": {"$ref": format!("#/components/schemas/C{}", i + 1)}}}),
        );
    }
    // And a cycle of three, reached from a parameter.
    for (a, b) in [("X", "Y"), ("Y", "Z"), ("Z", "X")] {
        schemas.insert(a.into(), json!({"type": "array", "items": {"$ref": format!("#/components/schemas/{b}")}}));
    }
    let doc = import_value(json!({
        "openapi": "3.1.0",
        "paths": {"/c": {"get": {
            "parameters": [{"name": "x", "in": "query", "schema": {"$ref": "#/components/schemas/X"}}],
            "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/C0"}}}}}
        }}},
        "components": {"schemas": schemas}
    }));
    let op = &doc.tools[0].operations[0];
    let x = &op.parameters[0].schema;
    assert_eq!(x["items"]["items"]["items"], json!({"$ref": "#/components/schemas/X"}));
    assert!(doc.warnings.iter().any(|w| w.contains("`#/components/schemas/X` contains itself")));
    assert!(
        doc.warnings.iter().any(|w| w.contains("#/components/schemas/C3000") && w.contains("points to nowhere"))
            || doc.warnings.iter().any(|w| w.contains("left as `$ref`s"))
    );
    // The model serialises (no runaway depth).
    assert!(serde_json::to_string(&doc).is_ok());
}

/// A generated OpenAPI document of about `mb` megabytes.
fn generated(mb: usize) -> String {
    let mut paths = Vec::new();
    let mut size = 0;
    let mut i = 0;
    let filler = "This operation is described at length so that the document grows. ".repeat(20);
    while size < mb * 1_000_000 {
        let p = format!(
            r##""/things{i}/{{id}}": {{"parameters": [{{"$ref": "#/components/parameters/Id"}}], "get": {{"operationId": "getThing{i}", "summary": "Thing {i}", "description": "{filler}", "parameters": [{{"name": "q{i}", "in": "query", "description": "{filler}", "schema": {{"type": "string"}}}}], "responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/Thing"}}}}}}}}}}}}, "put": {{"operationId": "putThing{i}", "requestBody": {{"content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/Thing"}}}}}}}}, "responses": {{"204": {{"description": "done"}}}}}}}}"##
        );
        size += p.len();
        paths.push(p);
        i += 1;
    }
    format!(
        r##"{{"openapi": "3.0.3", "info": {{"title": "Generated", "version": "1"}}, "paths": {{{}}}, "components": {{"parameters": {{"Id": {{"name": "id", "in": "path", "required": true, "schema": {{"type": "integer"}}}}}}, "schemas": {{"Thing": {{"type": "object", "properties": {{"id": {{"type": "integer"}}, "name": {{"type": "string"}}, "parent": {{"$ref": "#/components/schemas/Thing"}}}}}}}}}}}}"##,
        paths.join(",")
    )
}

#[test]
fn a_50_mb_document_imports_without_hanging() {
    let text = generated(50);
    let start = Instant::now();
    let doc = formats::import(&text, None).unwrap();
    let imported = start.elapsed();
    let paths = doc.source["paths"].as_object().unwrap().len();
    assert_eq!(doc.operation_count(), 2 * paths);
    let start = Instant::now();
    let (out, lost) = openapi::export(&doc, Target::OpenApi3).unwrap();
    let exported = start.elapsed();
    assert!(out == doc.source && lost.is_empty());
    println!(
        "{} MB generated document, {} operations: parse + import {imported:?}, export {exported:?}",
        text.len() / 1_000_000,
        doc.operation_count()
    );
    let limit = if cfg!(debug_assertions) { 60.0 } else { 10.0 };
    assert!((imported + exported).as_secs_f64() < limit);
}

/// A tiny deterministic generator for damage.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            m.iter().for_each(|(k, c)| pointers(c, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out))
        }
        Value::Array(a) => a.iter().enumerate().for_each(|(i, c)| pointers(c, format!("{at}/{i}"), out)),
        _ => {}
    }
}

#[test]
fn randomly_damaged_documents_never_panic() {
    let junk = [
        json!(null),
        json!(7),
        json!("x"),
        json!([]),
        json!({}),
        json!({"$ref": "#/"}),
        json!({"$ref": "#"}),
        json!([{"$ref": "#/paths"}]),
    ];
    let mut rng = Lcg(42);
    for name in ["petstore-3.0.json", "petstore-3.1.yaml", "petstore-swagger2.json"] {
        let (original, _) = formats::parse_text(&fixture(name)).unwrap();
        let mut all = Vec::new();
        pointers(&original, String::new(), &mut all);
        for _ in 0..150 {
            let mut v = original.clone();
            for _ in 0..3 {
                let at = &all[rng.next(all.len())];
                if at.is_empty() {
                    continue;
                }
                if let Some(slot) = v.pointer_mut(at) {
                    *slot = junk[rng.next(junk.len())].clone();
                }
            }
            if let Ok(doc) = formats::import_value(v, Syntax::Json, None) {
                for target in [Target::OpenApi3, Target::Swagger2] {
                    let _ = openapi::export(&doc, target);
                }
            }
        }
    }
}
