//! Property tests over every parser that reads untrusted bytes: the format importers (JSON,
//! YAML, `$ref`s), the model-output JSON repair, the schema validator, the MCP event-stream
//! parser and argument serialisation. Properties: no panic, each case within 2 s, and round
//! trips where they exist.
//!
//! Under `cargo test` each target runs a fixed number of cases from a fixed seed (quick and
//! reproducible). `make fuzz` (scripts/fuzz.sh) sets `FUZZ_SECONDS` and each target then
//! runs with fresh random seeds for that long. Every input under `tests/fuzz/corpus/<target>/`
//! is run first, every time; a failure found by a random run is saved by proptest (its seed)
//! in `tests/fuzz/regressions/<target>.txt` and replayed first from then on (commit it, and
//! turn the shrunk input into a named test beside the code it broke).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use serde_json::{json, Map, Value};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tooldraft::doc::{formats, Format, HttpBinding, Location, Operation, Parameter};
use tooldraft::host::Method;

/// The most one case may take (debug builds are several times slower than release).
fn case_limit() -> Duration {
    Duration::from_secs(if cfg!(debug_assertions) { 8 } else { 2 })
}

fn fuzz_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz")
}

/// The inputs kept for `target` (tests/fuzz/corpus/<target>/*), as text.
fn corpus(target: &str) -> Vec<(String, String)> {
    let dir = fuzz_dir().join("corpus").join(target);
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
                .map(|(n, bytes)| (n, String::from_utf8_lossy(&bytes).into_owned()))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Runs `test` on the corpus of `target`, then on generated cases: `cases` from a fixed seed,
/// or for `FUZZ_SECONDS` seconds from random seeds.
fn fuzz<S: Strategy>(target: &str, cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let timed = |input: S::Value| -> Result<(), TestCaseError> {
        let started = Instant::now();
        test(input)?;
        let took = started.elapsed();
        prop_assert!(took < case_limit(), "{target}: one case took {took:?}");
        Ok(())
    };
    let seconds: Option<u64> = std::env::var("FUZZ_SECONDS").ok().and_then(|s| s.parse().ok());
    let persistence = FileFailurePersistence::Direct(Box::leak(
        fuzz_dir().join("regressions").join(format!("{target}.txt")).to_string_lossy().into_owned().into_boxed_str(),
    ));
    let config = |cases| Config {
        cases,
        failure_persistence: Some(Box::new(persistence)),
        // The file above is the whole record; no source-relative lookup.
        source_file: Some("tests/fuzz_parsers.rs"),
        max_shrink_time: 30_000,
        ..Config::default()
    };
    let report = |r: Result<(), proptest::test_runner::TestError<S::Value>>| {
        if let Err(e) = r {
            panic!("{target}: {e}");
        }
    };
    match seconds {
        None => {
            let rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
            report(TestRunner::new_with_rng(config(cases), rng).run(&strategy, timed));
        }
        Some(s) => {
            let until = Instant::now() + Duration::from_secs(s);
            let mut rounds = 0u64;
            while Instant::now() < until {
                report(TestRunner::new(config(cases.max(64))).run(&strategy, timed));
                rounds += 1;
            }
            eprintln!("{target}: {rounds} rounds of {} cases in {s} s", cases.max(64));
        }
    }
}

/// Text from an alphabet rich in what parsers branch on.
fn syntax_text(max: usize) -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just(":".to_string()),
        Just(",".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("  ".to_string()),
        Just("- ".to_string()),
        Just("# ".to_string()),
        Just("&a ".to_string()),
        Just("*a".to_string()),
        Just("\\".to_string()),
        Just("$ref".to_string()),
        Just("#/components/schemas/A".to_string()),
        Just("data:".to_string()),
        Just("```json".to_string()),
        Just("true".to_string()),
        Just("None".to_string()),
        Just("/*".to_string()),
        Just("1e999".to_string()),
        Just("\u{feff}".to_string()),
        Just("\u{200b}".to_string()),
        "[a-z0-9_]{1,6}",
        any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(pieces, 0..max).prop_map(|v| v.concat())
}

/// JSON values shaped like tool documents: keys from the formats' vocabularies, `$ref`s
/// into the document itself.
fn doc_value() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("openapi"),
        Just("swagger"),
        Just("paths"),
        Just("/x/{id}"),
        Just("get"),
        Just("post"),
        Just("parameters"),
        Just("requestBody"),
        Just("responses"),
        Just("200"),
        Just("content"),
        Just("application/json"),
        Just("schema"),
        Just("components"),
        Just("schemas"),
        Just("definitions"),
        Just("A"),
        Just("$ref"),
        Just("$defs"),
        Just("type"),
        Just("properties"),
        Just("items"),
        Just("allOf"),
        Just("anyOf"),
        Just("required"),
        Just("name"),
        Just("in"),
        Just("description"),
        Just("operationId"),
        Just("tools"),
        Just("inputSchema"),
        Just("input_schema"),
        Just("function"),
        Just("annotations"),
        Just("tool_name"),
        Just("api_list"),
        Just("example"),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        Just(json!("3.1.0")),
        Just(json!("2.0")),
        Just(json!("#/components/schemas/A")),
        Just(json!("#/definitions/A")),
        Just(json!("#/paths/~1x~1{id}")),
        Just(json!("#")),
        Just(json!("path")),
        Just(json!("query")),
        Just(json!("body")),
        Just(json!("object")),
        Just(json!("string")),
        "[a-z {}/.]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 96, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            proptest::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect::<Map<_, _>>())),
        ]
    })
}

/// Imports, and when that works inspects and exports in every format.
fn import_everything(text: &str) {
    for format in [None, Some(Format::OpenApi), Some(Format::Mcp), Some(Format::ToolBench)] {
        if let Ok(doc) = formats::import(text, format) {
            let _ = tooldraft::doc::inspect(&doc);
            for to in [Format::OpenApi, Format::Swagger, Format::Mcp, Format::OpenAi, Format::Anthropic] {
                let _ = formats::export(&doc, to);
            }
        }
    }
}

#[test]
fn format_importers_take_any_text() {
    for (name, text) in corpus("import") {
        let started = Instant::now();
        import_everything(&text);
        assert!(started.elapsed() < case_limit(), "corpus {name}: {:?}", started.elapsed());
    }
    fuzz("import_text", 64, syntax_text(200), |text| {
        import_everything(&text);
        Ok(())
    });
}

#[test]
fn format_importers_take_any_document_shaped_json() {
    fuzz("import_json", 96, doc_value(), |v| {
        import_everything(&v.to_string());
        Ok(())
    });
}

#[test]
fn mcp_documents_round_trip() {
    let tool =
        ("[a-zA-Z][a-zA-Z0-9_-]{0,12}", ".{0,40}", proptest::collection::btree_map("[a-z_]{1,8}", ".{0,20}", 0..4));
    fuzz("mcp_round_trip", 32, proptest::collection::vec(tool, 1..4), |tools| {
        let mut seen = std::collections::HashSet::new();
        let tools: Vec<Value> = tools
            .into_iter()
            .filter(|(name, _, _)| seen.insert(name.clone()))
            .map(|(name, description, params)| {
                let props: Map<String, Value> =
                    params.into_iter().map(|(k, d)| (k, json!({"type": "string", "description": d}))).collect();
                json!({"name": name, "description": description, "inputSchema": {"type": "object", "properties": props}})
            })
            .collect();
        let text = json!({ "tools": tools }).to_string();
        let doc = formats::import(&text, None).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let out = formats::export(&doc, Format::Mcp).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let again = formats::import(&out.text, None).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&doc.tools, &again.tools);
        Ok(())
    });
}

#[test]
fn json_repair_takes_any_model_output() {
    for (name, text) in corpus("repair") {
        let started = Instant::now();
        let _ = tooldraft::llm::repair::candidates(&text);
        assert!(started.elapsed() < case_limit(), "corpus {name}: {:?}", started.elapsed());
    }
    fuzz("repair", 64, syntax_text(300), |text| {
        for c in tooldraft::llm::repair::candidates(&text) {
            prop_assert!(c.offset <= c.end && c.end <= text.len(), "{c:?}");
        }
        let _ = tooldraft::llm::structured::extract(&text);
        Ok(())
    });
}

#[test]
fn json_repair_reads_strict_json_back() {
    fuzz("repair_round_trip", 64, doc_value(), |v| {
        if !(v.is_object() || v.is_array()) {
            return Ok(());
        }
        let text = format!("Here it is:\n```json\n{v:#}\n```\nDone.");
        let found = tooldraft::llm::repair::candidates(&text);
        // Objects rank before arrays: an array's objects may come first, the array is there.
        prop_assert!(found.iter().any(|c| c.value == v && c.fenced && !c.repaired), "{found:?}");
        if v.is_object() {
            prop_assert_eq!(found.first().map(|c| &c.value), Some(&v));
        }
        Ok(())
    });
}

#[test]
fn the_schema_validator_takes_any_schema_and_value() {
    fuzz("schema", 64, (doc_value(), doc_value()), |(schema, value)| {
        let v = tooldraft::schema::validate(&schema, &value);
        prop_assert!(v.len() <= 100);
        Ok(())
    });
    // Schemas built from the validator's own keywords, references back into themselves.
    let keyword = prop_oneof![
        Just("anyOf"),
        Just("oneOf"),
        Just("allOf"),
        Just("not"),
        Just("if"),
        Just("then"),
        Just("else"),
        Just("items"),
        Just("properties"),
        Just("a"),
        Just("$ref"),
        Just("type"),
        Just("enum"),
        Just("contains"),
        Just("propertyNames"),
        Just("additionalProperties"),
    ];
    let leaf = prop_oneof![
        Just(json!("#")),
        Just(json!({"$ref": "#"})),
        Just(json!({"$ref": "#/anyOf/0"})),
        Just(json!("string")),
        Just(json!(true)),
        Just(json!({}))
    ];
    let schema = leaf.prop_recursive(5, 64, 4, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 1..4).prop_map(Value::Array),
            proptest::collection::vec((keyword.clone(), inner), 1..4)
                .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect::<Map<_, _>>())),
        ]
    });
    // At the root, a combinator whose alternatives may refer back to the root.
    let combinator = prop_oneof![Just("anyOf"), Just("oneOf"), Just("allOf")];
    let alternative = prop_oneof![Just(json!({"$ref": "#"})), schema];
    let root = (combinator, proptest::collection::vec(alternative, 1..4)).prop_map(|(k, alts)| json!({ k: alts }));
    fuzz("schema_keywords", 48, (root, doc_value()), |(schema, value)| {
        let _ = tooldraft::schema::validate(&schema, &value);
        Ok(())
    });
}

#[test]
fn the_event_stream_parser_takes_any_text() {
    fuzz("sse", 64, syntax_text(300), |text| {
        let events = tooldraft::tools::mcp::wire::event_stream_data(&text);
        prop_assert!(events.iter().all(|e| !e.trim().is_empty()));
        let _ = tooldraft::tools::mcp::wire::find_reply("text/event-stream", &text, 1);
        let _ = tooldraft::tools::mcp::wire::find_reply("application/json", &text, 1);
        Ok(())
    });
    // Round trip: events written as a stream come back, in order.
    let event = "[^\r\n]{0,30}".prop_filter("not blank", |s| !s.trim().is_empty());
    fuzz("sse_round_trip", 64, (proptest::collection::vec(event, 0..6), any::<bool>()), |(events, crlf)| {
        let nl = if crlf { "\r\n" } else { "\n" };
        let text: String = events.iter().map(|e| format!("event: message{nl}data: {e}{nl}{nl}")).collect();
        let back = tooldraft::tools::mcp::wire::event_stream_data(&text);
        prop_assert_eq!(back, events);
        Ok(())
    });
}

fn path_op(style: Option<&str>, explode: Option<bool>) -> Operation {
    let mut op = Operation { id: "op".into(), ..Default::default() };
    op.http = Some(HttpBinding { method: Method::Post, path: "/items/{id}/details".into(), body_media_type: None });
    op.parameters = vec![
        Parameter { style: style.map(String::from), explode, ..Parameter::new("id", Location::Path) },
        Parameter::new("q", Location::Query),
        Parameter::new("X-Note", Location::Header),
        Parameter::new("c", Location::Cookie),
        Parameter::new("b", Location::Body),
    ];
    op
}

#[test]
fn argument_serialisation_never_leaves_its_route() {
    let style = prop_oneof![Just(None), Just(Some("simple")), Just(Some("label")), Just(Some("matrix"))];
    let explode = prop_oneof![Just(None), Just(Some(false)), Just(Some(true))];
    let text = prop_oneof![
        Just(".".to_string()),
        Just("..".to_string()),
        Just("%2e".to_string()),
        Just("%2E%2e".to_string()),
        Just("".to_string()),
        "[./%a-zA-Z;?#\r\n ]{0,6}",
    ];
    let scalar =
        prop_oneof![text.clone().prop_map(Value::String), any::<i32>().prop_map(|n| json!(n)), Just(Value::Null)];
    let value = prop_oneof![
        scalar.clone(),
        proptest::collection::vec(scalar.clone(), 0..4).prop_map(Value::Array),
        proptest::collection::btree_map(text, scalar, 0..3).prop_map(|m| json!(m)),
    ];
    let args = proptest::collection::btree_map(
        prop_oneof![Just("id"), Just("q"), Just("X-Note"), Just("c"), Just("b"), Just("z")],
        value,
        0..6,
    );
    fuzz("params", 256, (style, explode, args), |(style, explode, args)| {
        let op = path_op(style, explode);
        let args = json!(args);
        let Ok(parts) = tooldraft::tools::params::serialize(&op, "/items/{id}/details", &args, 0.5) else {
            return Ok(());
        };
        let path = parts.path_and_query();
        prop_assert!(path.starts_with("/items/") && path.contains("/details"), "{path}");
        prop_assert_eq!(path.matches('/').count(), 3, "{}", path);
        for segment in parts.path.split('/') {
            let decoded = percent_encoding::percent_decode_str(segment).decode_utf8_lossy().into_owned();
            let decoded = percent_encoding::percent_decode_str(&decoded).decode_utf8_lossy().into_owned();
            prop_assert!(decoded != "." && decoded != "..", "{}", parts.path);
        }
        for (name, value) in &parts.headers {
            prop_assert!(!value.contains(['\r', '\n']) && !name.is_empty());
        }
        prop_assert!(parts.query.iter().all(|q| !q.contains(['&', '#', ' ', '\n'])), "{:?}", parts.query);
        Ok(())
    });
    // Round trip: a simple-style string path value comes back by percent-decoding its segment.
    fuzz("params_round_trip", 128, ".{1,12}", |id| {
        let op = path_op(None, None);
        let Ok(parts) = tooldraft::tools::params::serialize(&op, "/items/{id}/details", &json!({ "id": id }), 0.5)
        else {
            return Ok(());
        };
        let segment = parts.path.split('/').nth(2).unwrap_or_default();
        prop_assert_eq!(percent_encoding::percent_decode_str(segment).decode_utf8_lossy(), id.as_str());
        Ok(())
    });
}
