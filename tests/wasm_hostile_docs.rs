//! Hostile documents through the JS boundary: a megabyte of `$ref` aliases (a chain, and a
//! chain that loops) once ended in "Maximum call stack size exceeded"; now each is read,
//! inspected and converted within 2 s (the release build; these tests run the debug build,
//! several times slower, so they allow 8 s). A megabyte of nested YAML flow collections is
//! refused at once. Runs in Node, Chromium and a worker (scripts/test-wasm.sh).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Map, Value};
use tooldraft::wasm::doc::{convert, inspect, parse_doc};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

const LIMIT_MS: f64 = 8_000.0;

/// An OpenAPI document whose operation's schemas name `S0`, where `S0` → `S1` → … → `S19999`.
fn alias_chain(cyclic: bool) -> String {
    let n = 20_000;
    let mut schemas = Map::new();
    for i in 0..n {
        let next = if i + 1 < n { Some(i + 1) } else { cyclic.then_some(0) };
        let body = next.map_or(json!({"type": "string"}), |j| json!({"$ref": format!("#/components/schemas/S{j}")}));
        schemas.insert(format!("S{i}"), body);
    }
    let s0 = json!({"$ref": "#/components/schemas/S0"});
    json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {"/x/{id}": {"get": {"operationId": "getX",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": s0}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": s0}}}}}}},
        "components": {"schemas": Value::Object(schemas)}})
    .to_string()
}

#[wasm_bindgen_test]
fn a_megabyte_of_ref_aliases_reads_without_overflowing_the_stack() {
    for cyclic in [false, true] {
        let text = alias_chain(cyclic);
        assert!(text.len() > 700_000, "{} bytes", text.len());
        let started = js_sys::Date::now();
        let doc = parse_doc(text.as_str().into(), JsValue::UNDEFINED).expect("the document reads");
        assert!(doc.is_object());
        inspect(text.as_str().into(), JsValue::UNDEFINED).expect("the document inspects");
        convert(text.as_str().into(), "mcp".into(), JsValue::UNDEFINED).expect("the document converts");
        let took = js_sys::Date::now() - started;
        assert!(took < LIMIT_MS, "cyclic={cyclic}: {took} ms");
    }
}

#[wasm_bindgen_test]
fn a_megabyte_of_nested_yaml_is_refused_at_once() {
    let text = format!("a: {}", "[".repeat(1 << 20));
    let started = js_sys::Date::now();
    let e = parse_doc(text.into(), JsValue::UNDEFINED).unwrap_err();
    let message = String::from(e.dyn_ref::<js_sys::Error>().expect("a JS Error").message());
    assert!(message.contains("nested deeper than 128"), "{message}");
    assert!(js_sys::Date::now() - started < LIMIT_MS);
}
