//! Integers beyond 2^53 (the int64 and uint64 limits generated documents are full of) are
//! read and written back exactly, in every format and both syntaxes. The JS side of the
//! same promise is in tests/wasm_boundary.rs and pkg/test/int64.test.mjs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;
use tooldraft::doc::{formats, Format, Location, Operation, Parameter, Syntax, Tool, ToolDoc};

/// The literals a float would spoil (2^53 + 1 included) and what they would become.
const EXACT: [&str; 4] = ["9223372036854775807", "-9223372036854775808", "18446744073709551615", "-9007199254740993"];
const SPOILT: [&str; 4] = ["9223372036854776000", "18446744073709552000", "9007199254740992", "e18"];

fn limits_doc() -> ToolDoc {
    let mut p = Parameter::new("id", Location::Query);
    p.description = "A 64-bit id.".into();
    p.schema = json!({"type": "integer", "format": "int64", "minimum": i64::MIN, "maximum": u64::MAX});
    p.default = Some(json!(i64::MAX));
    p.examples = vec![json!(-9_007_199_254_740_993_i64)];
    ToolDoc {
        tools: vec![Tool {
            name: "ids".into(),
            description: "Ids.".into(),
            operations: vec![Operation {
                id: "getId".into(),
                name: "getId".into(),
                description: "Gets an id.".into(),
                parameters: vec![p],
                http: Some(tooldraft::doc::HttpBinding {
                    method: tooldraft::host::Method::Get,
                    path: "/ids".into(),
                    body_media_type: None,
                }),
                ..Default::default()
            }],
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn assert_exact(text: &str, what: &str) {
    assert!(text.contains(EXACT[0]), "{what}: int64 max missing:\n{text}");
    for spoilt in SPOILT {
        assert!(!text.contains(spoilt), "{what}: {spoilt} written:\n{text}");
    }
}

#[test]
fn every_format_writes_64_bit_limits_back_exactly() {
    let doc = limits_doc();
    for format in Format::ALL {
        let written = formats::export(&doc, format).unwrap().text;
        assert_exact(&written, format.name());
        let read = formats::import(&written, Some(format)).unwrap();
        let again = formats::export(&read, format).unwrap().text;
        assert_eq!(again, written, "{} round trip", format.name());
        let p = &read.tools[0].operations[0].parameters[0];
        assert_eq!(p.default, Some(json!(i64::MAX)), "{}", format.name());
        for literal in EXACT {
            if written.contains(literal) {
                let n: serde_json::Value = serde_json::from_str(literal).unwrap();
                assert!(serde_json::to_string(&read).unwrap().contains(&n.to_string()), "{}: {literal}", format.name());
            }
        }
    }
}

#[test]
fn yaml_documents_keep_64_bit_limits_exactly() {
    let yaml =
        "openapi: 3.0.3\ninfo: {title: Ids, version: '1'}\npaths:\n  /ids:\n    get:\n      operationId: getId\n      \
                parameters:\n        - name: id\n          in: query\n          schema: {type: integer, format: int64, \
                minimum: -9223372036854775808, maximum: 18446744073709551615, default: 9223372036854775807}\n      \
                responses: {'200': {description: ok}}\n";
    let mut doc = formats::import(yaml, None).unwrap();
    assert_eq!(doc.syntax, Syntax::Yaml);
    let schema = &doc.tools[0].operations[0].parameters[0].schema;
    assert_eq!(schema["maximum"], json!(u64::MAX));
    assert_eq!(schema["minimum"], json!(i64::MIN));
    doc.tools[0].operations[0].description = "Gets an id (edited, so the source is patched).".into();
    let written = formats::export(&doc, Format::OpenApi).unwrap().text;
    assert_exact(&written, "openapi yaml");
    assert!(written.contains("18446744073709551615") && written.contains("-9223372036854775808"), "{written}");
    for format in Format::ALL {
        assert_exact(&formats::convert(yaml, None, format).unwrap().text, format.name());
    }
}
