//! Bad input: structure errors name a JSON pointer that exists, unknown formats say so, and
//! nothing panics, whatever type turns up wherever (every node of every fixture is replaced
//! by values of other types, imported with and without a forced format, then exported and
//! inspected).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod formats_support;

use formats_support::{fixtures, nodes};
use serde_json::{json, Value};
use tooldraft::doc::{formats, inspect, DocError, Format, Syntax};

const MINE: [Format; 5] = [Format::Mcp, Format::OpenAi, Format::Anthropic, Format::ToolBench, Format::RestBench];

fn structure(text: &str, format: Option<Format>) -> (String, String) {
    match formats::import(text, format) {
        Err(DocError::Structure { pointer, message }) => (pointer, message),
        other => panic!("expected a structure error for {text}, got {other:?}"),
    }
}

#[test]
fn structure_errors_name_the_place() {
    let cases: [(&str, Option<Format>, &str, &str); 12] = [
        (r#"{"tools": [{"name": 3, "inputSchema": {}}]}"#, None, "/tools/0/name", "expected a string, found a number"),
        (r#"{"tools": "x"}"#, Some(Format::Mcp), "/tools", "expected an array, found a string"),
        (
            r#"{"tools": [{"name": "a", "inputSchema": {"properties": {"x": 5}}}]}"#,
            None,
            "/tools/0/inputSchema/properties/x",
            "expected a schema object, found a number",
        ),
        (r#"{"tools": [{"inputSchema": {}}]}"#, None, "/tools/0", "missing `name`"),
        (
            r#"{"jsonrpc": "2.0", "id": 2, "error": {"code": -32601, "message": "Method not found"}}"#,
            None,
            "/error",
            "a JSON-RPC error response, not a tools/list result: Method not found",
        ),
        (
            r#"[{"type": "function", "function": {"name": "f", "parameters": {"required": "x"}}}]"#,
            None,
            "/0/function/parameters/required",
            "expected an array, found a string",
        ),
        (
            r#"{"tools": [{"name": "f", "input_schema": {"type": "object"}, "input_examples": [1]}]}"#,
            None,
            "/tools/0/input_examples/0",
            "expected an object, found a number",
        ),
        (
            r#"{"1": {"tool_name": "t", "tool_guidelines": {"a/b": {"required_parameters": [{"name": 1}]}}}}"#,
            None,
            "/1/tool_guidelines/a~1b/required_parameters/0/name",
            "expected a string, found a number",
        ),
        (r#"{"tool_name": "t", "api_list": [{"url": "http://x"}]}"#, None, "/api_list/0", "missing `name`"),
        (r#"{"0": {"tool_name": "GET_x", "url": 5}}"#, None, "/0/url", "expected a string, found a number"),
        (
            r#"{"0": {"tool_name": "GET_x", "url": "http://x", "required_parameters": [{"name": "a", "in": "weird"}]}}"#,
            None,
            "/0/required_parameters/0/in",
            "unknown location `weird`",
        ),
        (
            r#"{"1": {"tool_name": "t", "tool_guidelines": 7}}"#,
            None,
            "/1/tool_guidelines",
            "expected an object, found a number",
        ),
    ];
    for (text, format, pointer, message) in cases {
        assert_eq!(structure(text, format), (pointer.to_string(), message.to_string()), "{text}");
    }
}

#[test]
fn unknown_formats_and_empty_or_binary_text() {
    for text in
        ["{\"foo\": 1}", "[]", "[1, 2]", "\"a string\"", "42", "null", "a: b", "{\"tools\": [{\"name\": \"x\"}]}"]
    {
        let e = formats::import(text, None).unwrap_err();
        assert_eq!(e.code(), "UnknownFormat", "{text}: {e}");
        assert!(e.to_string().starts_with("unknown document format: expected"), "{e}");
    }
    assert_eq!(formats::import("  \n", None).unwrap_err(), DocError::Empty);
    assert_eq!(formats::import("{\"a\":\0}", None).unwrap_err(), DocError::Binary);
    match formats::import("{\"tools\": [\n  {\"name\": \"x\",,}\n]}", None).unwrap_err() {
        DocError::Syntax { line, column, .. } => assert_eq!((line, column), (2, 16)),
        other => panic!("{other:?}"),
    }
    // Nesting deeper than the parser allows is an error, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(formats::import(&deep, None).unwrap_err().code(), "SyntaxError");
}

#[test]
fn forcing_the_wrong_format_is_a_structure_error() {
    let mcp = r#"{"tools": [{"name": "a", "inputSchema": {"type": "object"}}]}"#;
    for f in [Format::ToolBench, Format::RestBench] {
        let e = formats::import(mcp, Some(f)).unwrap_err();
        assert_eq!(e.code(), "StructureError", "{f:?}: {e}");
    }
    // MCP tools read as OpenAI functions: none is a function, so no operations.
    let doc = formats::import(mcp, Some(Format::OpenAi)).unwrap();
    assert_eq!(doc.operation_count(), 0);
    assert_eq!(doc.warnings.len(), 1);
}

/// Values of every JSON type, to put where something else was.
fn replacements() -> [Value; 6] {
    [json!(null), json!(true), json!(1), json!("x"), json!([]), json!({})]
}

/// The real servers' lists repeat one shape many times: keep two tools and the first with
/// an outputSchema.
fn shrink(v: &mut Value) {
    if let Some(Value::Array(tools)) = v.pointer_mut("/result/tools") {
        let with_output = tools.iter().position(|t| t.get("outputSchema").is_some());
        let mut i = 0;
        tools.retain(|_| {
            i += 1;
            i <= 2 || Some(i - 1) == with_output.filter(|w| *w >= 2)
        });
    }
}

/// Nodes deep inside a property's schema are plain JSON Schema the importers only copy:
/// stop at the depth where parameters' own fields sit.
const MAX_DEPTH: usize = 7;

#[test]
fn no_panic_on_any_type_anywhere() {
    let mut imports = 0;
    let mut errors = 0;
    for (name, text) in fixtures() {
        let (mut original, syntax) = formats::parse_text(&text).unwrap();
        shrink(&mut original);
        let format = formats::import(&text, None).unwrap().format.unwrap();
        for at in nodes(&original).into_iter().filter(|p| p.matches('/').count() <= MAX_DEPTH) {
            for r in replacements() {
                let mut mutant = original.clone();
                match mutant.pointer_mut(&at) {
                    Some(slot) if *slot != r => *slot = r.clone(),
                    _ => continue,
                }
                let other = MINE[(imports / 6) % MINE.len()];
                for forced in [None, Some(format), Some(other)] {
                    imports += 1;
                    match formats::import_value(mutant.clone(), syntax, forced) {
                        Ok(doc) => {
                            let _ = inspect(&doc);
                            if forced.is_none() {
                                // Its own format (a patch) and one other (a fresh write).
                                for to in [doc.format.unwrap(), other] {
                                    let (_, lost) = formats::export_value(&doc, to).unwrap();
                                    assert!(lost.iter().all(|l| !l.is_empty()));
                                }
                            }
                        }
                        Err(DocError::Structure { pointer, message }) => {
                            errors += 1;
                            assert!(
                                mutant.pointer(&pointer).is_some(),
                                "{name}: {at} = {r}: error pointer {pointer:?} ({message}) is not in the document"
                            );
                            assert!(!message.is_empty());
                        }
                        Err(DocError::UnknownFormat(_)) => errors += 1,
                        Err(e) => panic!("{name}: {at} = {r}: unexpected {e:?}"),
                    }
                }
            }
        }
    }
    println!("{imports} imports, {errors} errors");
    assert!(imports > 10_000, "{imports}");
    assert!(errors > 1_000, "{errors}: wrong types must be caught");
}

#[test]
fn a_document_with_no_operations_imports_with_a_warning() {
    let doc = formats::import_value(json!({"tools": []}), Syntax::Json, None).unwrap();
    assert_eq!(doc.operation_count(), 0);
    let report = inspect(&doc);
    assert_eq!(report.warnings, ["the document has no operations"]);
    for to in MINE {
        let (v, lost) = formats::export_value(&doc, to).unwrap();
        assert!(lost.is_empty(), "{to:?}");
        assert!(v.is_array() || v.is_object(), "{to:?}");
    }
}
