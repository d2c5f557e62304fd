//! The JS boundary: values in and out, error mapping (name = code, message = Display,
//! locations), argument checks, the word diff. Runs in Node, Chromium and a worker
//! (scripts/test-wasm.sh picks the environment with WASM_BINDGEN_USE_* variables, so there is
//! no `wasm_bindgen_test_configure!` here).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use js_sys::Reflect;
use serde_json::json;
use tooldraft::doc::{DocError, Format, Location, Operation, Parameter, Tool, ToolDoc};
use tooldraft::host::HostError;
use tooldraft::llm::LlmError;
use tooldraft::refine::{Event, Phase, TerminationReason};
use tooldraft::tools::ToolError;
use tooldraft::wasm::convert::{from_js, to_js};
use tooldraft::wasm::doc::{convert, diff_text, export_doc, parse_doc};
use tooldraft::wasm::error::{describe, js_error, to_js_error};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn name_and_message(e: &JsValue) -> (String, String) {
    let err = e.dyn_ref::<js_sys::Error>().expect("a JS Error");
    (String::from(err.name()), String::from(err.message()))
}

fn json_of(v: &JsValue) -> serde_json::Value {
    serde_json::from_str(&js_sys::JSON::stringify(v).unwrap().as_string().unwrap()).unwrap()
}

fn sample_doc() -> ToolDoc {
    let mut p = Parameter::new("id", Location::Path);
    p.description = "The user id.".into();
    ToolDoc {
        format: Some(Format::Mcp),
        tools: vec![Tool {
            name: "users".into(),
            description: "User directory".into(),
            base_url: None,
            operations: vec![Operation {
                id: "getUser".into(),
                name: "getUser".into(),
                description: "Gets a user.".into(),
                parameters: vec![p],
                ..Default::default()
            }],
            pointer: "".into(),
        }],
        source: json!({"tools": [{"name": "getUser", "x-extra": [1, 2.5, null]}]}),
        ..Default::default()
    }
}

#[wasm_bindgen_test]
fn documents_cross_as_plain_camel_case_objects_and_come_back_equal() {
    let doc = sample_doc();
    let js = to_js(&doc).unwrap();
    // Plain objects (JSON.stringify sees everything), camelCase, null for a missing option.
    let j = json_of(&js);
    assert_eq!(j["format"], "mcp");
    assert_eq!(j["syntax"], "json");
    assert_eq!(j["tools"][0]["operations"][0]["parameters"][0]["location"], "path");
    assert_eq!(j["tools"][0]["operations"][0]["parameters"][0]["required"], true);
    assert_eq!(j["tools"][0]["operations"][0]["safety"], json!({}));
    assert_eq!(j["source"]["tools"][0]["x-extra"], json!([1, 2.5, null]));
    assert!(j["tools"][0].get("baseUrl").is_none(), "skipped when None: {j}");
    assert!(Reflect::has(&get(&get(&js, "tools"), "0"), &"pointer".into()).unwrap());
    let back: ToolDoc = from_js(js, "doc").unwrap();
    assert_eq!(back, doc);
}

#[wasm_bindgen_test]
fn events_carry_a_type_tag_and_camel_case_fields() {
    let e = Event::DiversityRetry {
        operation: "getUser".into(),
        episode: 2,
        attempt: 1,
        similar_to: "q1".into(),
        similarity: 0.93,
    };
    assert_eq!(
        json_of(&to_js(&e).unwrap()),
        json!({"type": "diversityRetry", "operation": "getUser", "episode": 2, "attempt": 1, "similarTo": "q1", "similarity": 0.93})
    );
    let t = Event::Terminated {
        operation: "getUser".into(),
        reason: TerminationReason::Converged { delta: 0.8, threshold: 0.75 },
    };
    assert_eq!(
        json_of(&to_js(&t).unwrap()),
        json!({"type": "terminated", "operation": "getUser", "reason": {"kind": "converged", "delta": 0.8, "threshold": 0.75}})
    );
    let p = Event::Phase { operation: "a".into(), episode: 0, phase: Phase::Analyze };
    assert_eq!(json_of(&to_js(&p).unwrap())["phase"], "analyze");
    let err = Event::Error { operation: None, code: "Timeout".into(), message: "m".into() };
    assert_eq!(json_of(&to_js(&err).unwrap())["operation"], serde_json::Value::Null);
}

#[wasm_bindgen_test]
fn a_value_of_the_wrong_shape_is_an_invalid_argument_naming_it() {
    let js = to_js(&json!({"tools": "not a list"})).unwrap();
    let e = from_js::<ToolDoc>(js, "doc").unwrap_err();
    let (name, message) = name_and_message(&e);
    assert_eq!(name, "InvalidArgument");
    assert!(message.starts_with("doc: "), "{message}");
}

#[wasm_bindgen_test]
fn every_core_error_maps_to_an_error_named_by_its_code() {
    let cases: Vec<(JsValue, &str, String)> = vec![
        (to_js_error(&DocError::Empty), "EmptyDocument", DocError::Empty.to_string()),
        (to_js_error(&DocError::Binary), "BinaryDocument", DocError::Binary.to_string()),
        (to_js_error(&DocError::UnknownFormat("x".into())), "UnknownFormat", "unknown document format: x".into()),
        (
            to_js_error(&DocError::Export { format: "mcp", message: "no".into() }),
            "ExportError",
            "cannot write mcp: no".into(),
        ),
        (to_js_error(&HostError::Timeout { ms: 5 }), "Timeout", "timed out after 5 ms".into()),
        (to_js_error(&HostError::Aborted), "Aborted", "cancelled".into()),
        (
            to_js_error(&LlmError::Http { endpoint: "http://m/v1".into(), status: 401, message: "bad key".into() }),
            "LlmUnauthorized",
            "http://m/v1 answered HTTP 401: bad key".into(),
        ),
        (
            to_js_error(&ToolError::Denied { reason: "a write".into() }),
            "PolicyDenied",
            "not allowed by the safety policy: a write".into(),
        ),
        (js_error("Busy", "already running"), "Busy", "already running".into()),
    ];
    for (js, code, message) in cases {
        assert!(js.is_instance_of::<js_sys::Error>());
        assert_eq!(name_and_message(&js), (code.to_string(), message));
    }
}

#[wasm_bindgen_test]
fn document_errors_say_where() {
    let e = to_js_error(&DocError::Syntax { syntax: "JSON", line: 3, column: 7, message: "expected value".into() });
    assert_eq!(name_and_message(&e).0, "SyntaxError");
    assert_eq!(get(&e, "line").as_f64(), Some(3.0));
    assert_eq!(get(&e, "column").as_f64(), Some(7.0));
    let e = to_js_error(&DocError::at("/paths/~1users/get", "missing responses"));
    assert_eq!(name_and_message(&e), ("StructureError".into(), "at /paths/~1users/get: missing responses".into()));
    assert_eq!(get(&e, "pointer").as_string().as_deref(), Some("/paths/~1users/get"));
}

#[wasm_bindgen_test]
fn parse_doc_reports_malformed_text_with_line_and_column() {
    let e = parse_doc("{\n  \"tools\": [\n    {\"name\": }\n  ]\n}".into(), JsValue::UNDEFINED).unwrap_err();
    let (name, message) = name_and_message(&e);
    assert_eq!(name, "SyntaxError");
    assert_eq!(get(&e, "line").as_f64(), Some(3.0), "{message}");
    assert!(message.contains("line 3"), "{message}");

    let e = parse_doc("openapi: 3.1.0\npaths:\n  /a: [\n".into(), JsValue::UNDEFINED).unwrap_err();
    assert_eq!(name_and_message(&e).0, "SyntaxError");
    assert!(get(&e, "line").as_f64().unwrap() >= 3.0);

    let e = parse_doc("  \n".into(), JsValue::UNDEFINED).unwrap_err();
    assert_eq!(name_and_message(&e).0, "EmptyDocument");
    let e = parse_doc("{\"a\":\"\0\"}".into(), JsValue::UNDEFINED).unwrap_err();
    assert_eq!(name_and_message(&e).0, "BinaryDocument");
}

#[wasm_bindgen_test]
fn arguments_are_checked_before_anything_runs() {
    let e = parse_doc(JsValue::from_f64(1.0), JsValue::UNDEFINED).unwrap_err();
    assert_eq!(name_and_message(&e), ("InvalidArgument".into(), "text must be a string".into()));
    let e = parse_doc("{}".into(), "yaml-ish".into()).unwrap_err();
    let (name, message) = name_and_message(&e);
    assert_eq!(name, "UnknownFormat");
    assert!(message.contains("\"yaml-ish\"") && message.contains("openapi, swagger, mcp"), "{message}");
    let e = convert("{}".into(), JsValue::UNDEFINED, JsValue::UNDEFINED).unwrap_err();
    assert_eq!(name_and_message(&e), ("InvalidArgument".into(), "to must be a format name".into()));
    let e = export_doc(JsValue::from_str("text"), "mcp".into()).unwrap_err();
    assert_eq!(name_and_message(&e).0, "InvalidArgument");
    // Format names are case-insensitive and accept the CLI's aliases.
    let e = convert("{".into(), "OAS".into(), JsValue::NULL).unwrap_err();
    assert_eq!(name_and_message(&e).0, "SyntaxError", "the format was accepted, the text was not");
}

#[wasm_bindgen_test]
fn the_word_diff_crosses_as_op_and_text() {
    // What the runs are is tested natively (src/doc/diff.rs); here, how they cross.
    let js = diff_text("a b".into(), "a c".into()).unwrap();
    assert_eq!(
        json_of(&js),
        json!([{"op": "equal", "text": "a "}, {"op": "delete", "text": "b"}, {"op": "insert", "text": "c"}])
    );
    assert_eq!(json_of(&diff_text("".into(), "".into()).unwrap()), json!([]));
    assert_eq!(json_of(&diff_text("".into(), "new".into()).unwrap()), json!([{"op": "insert", "text": "new"}]));
    let e = diff_text("a".into(), JsValue::NULL).unwrap_err();
    assert_eq!(name_and_message(&e).0, "InvalidArgument");
}

#[wasm_bindgen_test]
fn thrown_values_of_any_kind_are_described() {
    let err = js_sys::Error::new("boom");
    err.set_name("TypeError");
    assert_eq!(describe(&err.into()), ("TypeError".into(), "boom".into()));
    assert_eq!(describe(&JsValue::from_str("plain")), ("Error".into(), "plain".into()));
    let obj = to_js(&json!({"name": "HttpError", "message": "418"})).unwrap();
    assert_eq!(describe(&obj), ("HttpError".into(), "418".into()));
    assert_eq!(describe(&JsValue::from_f64(7.0)), ("Error".into(), "7".into()));
    assert_eq!(describe(&JsValue::UNDEFINED).1, "unknown error");
    // An error's cause is folded in (Node's fetch: "fetch failed" + ECONNREFUSED).
    let outer = js_sys::Error::new("fetch failed");
    Reflect::set(&outer, &"cause".into(), &js_sys::Error::new("connect ECONNREFUSED 127.0.0.1:9").into()).unwrap();
    assert_eq!(describe(&outer.into()).1, "fetch failed: connect ECONNREFUSED 127.0.0.1:9");
}

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(tooldraft::wasm::version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn integers_beyond_2_pow_53_cross_as_bigints_and_come_back_exactly() {
    let text = r#"{"openapi": "3.0.3", "info": {"title": "Ids", "version": "1"}, "paths": {"/ids": {"get": {
        "operationId": "getId", "parameters": [{"name": "id", "in": "query", "schema": {"type": "integer",
        "format": "int64", "minimum": -9223372036854775808, "maximum": 18446744073709551615,
        "default": 9223372036854775807, "example": 9007199254740991}}],
        "responses": {"200": {"description": "ok"}}}}}}"#;
    let js = parse_doc(text.into(), JsValue::UNDEFINED).expect("int64 limits open");
    let schema = get(&get(&get(&get(&get(&get(&js, "tools"), "0"), "operations"), "0"), "parameters"), "0");
    let schema = get(&schema, "schema");
    let max = get(&schema, "maximum");
    assert!(max.is_bigint(), "beyond 2^53: a BigInt");
    assert_eq!(js_sys::BigInt::from(max).to_string(10).unwrap(), "18446744073709551615");
    assert_eq!(js_sys::BigInt::from(get(&schema, "minimum")).to_string(10).unwrap(), "-9223372036854775808");
    assert_eq!(get(&schema, "example").as_f64(), Some(9_007_199_254_740_991.0), "a safe integer stays a number");
    let doc: ToolDoc = from_js(js.clone(), "doc").unwrap();
    assert_eq!(doc.tools[0].operations[0].parameters[0].schema["default"], json!(i64::MAX));
    let written = get(&export_doc(js, "mcp".into()).unwrap(), "text").as_string().unwrap();
    assert!(written.contains("18446744073709551615") && written.contains("9223372036854775807"), "{written}");
    assert!(!written.contains("9223372036854776000"), "{written}");
    let reread = tooldraft::wasm::convert::parse_json(r#"{"a": [18446744073709551615, 1.5]}"#.into()).unwrap();
    assert!(get(&get(&reread, "a"), "0").is_bigint());
    assert_eq!(get(&get(&reread, "a"), "1").as_f64(), Some(1.5));
    let e = tooldraft::wasm::convert::parse_json("{\n  x".into()).unwrap_err();
    assert_eq!((name_and_message(&e).0, get(&e, "line").as_f64()), ("SyntaxError".into(), Some(2.0)));
}

#[wasm_bindgen_test]
fn values_leave_through_json_parse_and_only_unsafe_integers_take_the_exact_path() {
    use tooldraft::wasm::json_text::{has_unsafe_integer, value_to_js};
    // Integers JSON.parse would round, and only those: not floats, not digits in strings.
    for text in ["[9007199254740992]", "{\"a\":-9007199254740992}", "[1,18446744073709551615]"] {
        assert!(has_unsafe_integer(text), "{text}");
    }
    for text in [
        "[9007199254740991,-9007199254740991]",
        "[1.8446744073709552e19,12345678901234567.0]",
        r#"{"id":"12345678901234567890","q":"\"99999999999999999"}"#,
        r#"["\\",1]"#,
    ] {
        assert!(!has_unsafe_integer(text), "{text}");
    }
    // A digit run inside an escaped string that ends later is still inside the string.
    assert!(!has_unsafe_integer(r#"["a\" 99999999999999999 \"b"]"#));
    // The exact path: BigInts beyond the safe range, numbers within it, and a member named
    // `__proto__` defined as a member (as JSON.parse does), not assigned as a prototype.
    let tree = json!({"__proto__": {"polluted": true}, "n": [u64::MAX, i64::MIN, 7, 2.5]});
    let js = value_to_js(&tree);
    let n = get(&js, "n");
    assert!(get(&n, "0").is_bigint() && get(&n, "1").is_bigint());
    assert_eq!((get(&n, "2").as_f64(), get(&n, "3").as_f64()), (Some(7.0), Some(2.5)));
    let own = js_sys::Object::get_own_property_names(js.unchecked_ref::<js_sys::Object>());
    assert!(own.includes(&"__proto__".into(), 0), "__proto__ is an own member");
    assert!(get(&js, "polluted").is_undefined(), "the prototype is untouched");
    // to_js takes the exact path only when it must, and both give the same shapes.
    let small = to_js(&json!({"a": [1, 2.5, null, "x"]})).unwrap();
    assert_eq!(json_of(&small), json!({"a": [1, 2.5, null, "x"]}));
    let big = to_js(&json!({"a": [u64::MAX, "9007199254740993"]})).unwrap();
    assert!(get(&get(&big, "a"), "0").is_bigint());
    assert_eq!(get(&get(&big, "a"), "1").as_string().as_deref(), Some("9007199254740993"));
}
