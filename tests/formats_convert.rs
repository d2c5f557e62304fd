//! Cross-format conversion (what maps, and what is reported lost) and same-format patching
//! (only what changed is written), over the real MCP servers' lists, the paper's data and
//! the fixtures.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod formats_support;

use formats_support::{diff, fixture, paper_docs};
use serde_json::{json, Value};
use tooldraft::doc::{formats, Example, Format, Location, Parameter, SafetyClass, ToolDoc};

const MINE: [Format; 5] = [Format::Mcp, Format::OpenAi, Format::Anthropic, Format::ToolBench, Format::RestBench];

fn load(name: &str) -> ToolDoc {
    formats::import(&fixture(name), None).unwrap()
}

fn convert(doc: &ToolDoc, to: Format) -> (ToolDoc, Vec<String>) {
    let out = formats::export(doc, to).unwrap();
    let back = formats::import(&out.text, None).unwrap_or_else(|e| panic!("{to:?}: {e}\n{}", out.text));
    assert_eq!(back.format, Some(to), "{}", out.text);
    (back, out.lost)
}

/// `[A-Za-z0-9_-]{1,64}`, what OpenAI and Anthropic accept.
fn valid_function_name(n: &str) -> bool {
    (1..=64).contains(&n.len()) && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Parameters compared on what every format carries.
fn essentials(params: &[Parameter]) -> Vec<(String, bool, String, Option<String>)> {
    params
        .iter()
        .map(|p| (p.name.clone(), p.required, p.description.clone(), p.type_name().map(str::to_string)))
        .collect()
}

#[test]
fn real_mcp_lists_convert_to_every_format_and_back() {
    for name in ["mcp_server_everything_tools_list.json", "mcp_server_memory_tools_list.json"] {
        let doc = load(name);
        for to in MINE.into_iter().filter(|f| *f != Format::Mcp) {
            let (back, lost) = convert(&doc, to);
            assert_eq!(back.operation_count(), doc.operation_count(), "{name} → {to:?}");
            for (a, b) in doc.operations().zip(back.operations()) {
                assert_eq!(a.description, b.description, "{name} → {to:?}");
                let mut pa = essentials(&a.parameters);
                let mut pb = essentials(&b.parameters);
                if to == Format::ToolBench {
                    // ToolBench has one number type.
                    for p in pa.iter_mut().chain(pb.iter_mut()) {
                        if p.3.as_deref() == Some("integer") {
                            p.3 = Some("number".into());
                        }
                    }
                }
                assert_eq!(pa, pb, "{name} → {to:?}: {}", a.name);
            }
            // Every MCP tool has a title and annotations: no target but MCP carries them.
            for op in doc.operations() {
                let line = lost.iter().find(|l| l.starts_with(&format!("{}: ", op.id)));
                let line = line.unwrap_or_else(|| panic!("{name} → {to:?}: nothing lost for {}: {lost:?}", op.id));
                assert!(line.contains("the title"), "{line}");
                assert!(line.contains("safety hints"), "{line}");
                let carried = to == Format::ToolBench; // its `schema` field
                assert_eq!(
                    line.contains("the response schema"),
                    op.response_schema.is_some() && !carried,
                    "{to:?} {line}"
                );
            }
        }
        // MCP → OpenAI → MCP keeps names, descriptions and parameters.
        let (openai, _) = convert(&doc, Format::OpenAi);
        let (again, _) = convert(&openai, Format::Mcp);
        for (a, b) in doc.operations().zip(again.operations()) {
            assert_eq!((&a.name, &a.description, &a.parameters), (&b.name, &b.description, &b.parameters));
        }
    }
}

#[test]
fn toolbench_names_become_valid_unique_function_names() {
    let (_, text) = paper_docs().into_iter().find(|(n, _)| n == "ToolBench_docs_Initial.json").unwrap();
    let doc = formats::import(&text, None).unwrap();
    for to in [Format::OpenAi, Format::Anthropic] {
        let (back, lost) = convert(&doc, to);
        let names: Vec<&str> = back.operations().map(|o| o.name.as_str()).collect();
        assert_eq!(names.len(), 1006);
        assert!(names.iter().all(|n| valid_function_name(n)), "{to:?}");
        let unique: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "{to:?}: names collide");
        // Each rename is reported, naming the operation and the new name.
        let renamed = doc.operations().zip(back.operations()).filter(|(a, b)| a.name != b.name).count();
        let reported = lost.iter().filter(|l| l.contains("the name (written as `")).count();
        assert_eq!(renamed, reported, "{to:?}");
        assert!(lost
            .iter()
            .any(|l| l
                .starts_with("DAILY OVRLL 0822202124848//status/200: not carried: the name (written as `status_200")));
        // Tool descriptions cannot be carried by a flat list of functions.
        let described = doc.tools.iter().filter(|t| !t.description.is_empty()).count();
        assert_eq!(described, 278);
        assert_eq!(lost.iter().filter(|l| l.starts_with("tool ")).count(), described);
    }
}

#[test]
fn paper_examples_map_to_what_each_format_can_hold() {
    let (_, text) = paper_docs().into_iter().find(|(n, _)| n == "RestBench_docs_TMDB_DRAFT.json").unwrap();
    let doc = formats::import(&text, None).unwrap();
    // Anthropic keeps the arguments, reports the queries.
    let (back, lost) = convert(&doc, Format::Anthropic);
    assert!(back.operations().all(|o| o.examples.len() == 1 && o.examples[0].query.is_empty()));
    assert_eq!(lost.iter().filter(|l| l.contains("the query or result of 1 example(s)")).count(), 54);
    // The path arguments come from the example's filled URL.
    let keywords = back.operation("GET_movie_movie_id_keywords").unwrap();
    assert_eq!(keywords.examples[0].arguments, json!({"movie_id": "13579"}));
    // OpenAI and MCP have no field for examples, nor for the HTTP binding.
    for to in [Format::OpenAi, Format::Mcp] {
        let (_, lost) = convert(&doc, to);
        assert_eq!(lost.len(), 54, "{to:?}");
        assert!(lost.iter().all(|l| l.contains("1 example(s) (no field for examples)")
            && l.contains("the HTTP binding (GET http://api.themoviedb.org/3/")));
    }
    // ToolBench holds one example with its query, the method and the URL.
    let (tb, lost) = convert(&doc, Format::ToolBench);
    assert!(lost.iter().all(|l| !l.contains("example")), "{lost:?}");
    for (a, b) in doc.operations().zip(tb.operations()) {
        assert_eq!(a.examples, b.examples);
        assert_eq!(a.http, b.http);
        assert_eq!(a.safety, b.safety);
    }
}

#[test]
fn toolbench_api_list_to_restbench_and_back() {
    let doc = load("toolbench_tool.json");
    let out = formats::export(&doc, Format::RestBench).unwrap();
    let v: Value = serde_json::from_str(&out.text).unwrap();
    let names: Vec<&str> = v.as_object().unwrap().values().map(|e| e["tool_name"].as_str().unwrap()).collect();
    assert_eq!(names, ["GET_weather", "GET_city_id", "DELETE_alerts_alert_id"]);
    let (back, lost) = convert(&doc, Format::RestBench);
    assert_eq!(back.operation("DELETE_alerts_alert_id").unwrap().safety_class(), SafetyClass::Destructive);
    assert!(back.operation("GET_city_id").unwrap().parameter("id").unwrap().required);
    // RestBench has no response schema field and no tool description.
    assert!(lost
        .iter()
        .any(|l| l.starts_with("Open Weather Map/current weather data: not carried: the response schema")));
    assert!(lost.iter().any(|l| l.starts_with("tool Open Weather Map: not carried: its description")));
    // And back to ToolBench: method, URL, types and defaults survive.
    let (tb, _) = convert(&back, Format::ToolBench);
    for (a, b) in doc.operations().zip(tb.operations()) {
        assert_eq!(a.http, b.http);
        let strip = |ps: &[Parameter]| {
            ps.iter().map(|p| (p.name.clone(), p.schema.clone(), p.default.clone())).collect::<Vec<_>>()
        };
        let (mut x, mut y) = (strip(&a.parameters), strip(&b.parameters));
        x.sort_by(|p, q| p.0.cmp(&q.0));
        y.sort_by(|p, q| p.0.cmp(&q.0));
        assert_eq!(x, y);
    }
}

#[test]
fn mcp_patch_adds_output_schema_and_keeps_unknown_fields() {
    let mut doc = load("mcp_server_everything_tools_list.json");
    let original = doc.source.clone();
    let echo = doc.operation_mut("echo").unwrap();
    echo.response_schema = Some(json!({"type": "object", "properties": {"content": {"type": "array"}}}));
    let (out, lost) = formats::export_value(&doc, Format::Mcp).unwrap();
    assert!(lost.is_empty(), "{lost:?}");
    assert_eq!(diff(&original, &out), ["/result/tools/0/outputSchema"]);
    assert_eq!(out["result"]["tools"][0]["execution"], json!({"taskSupport": "forbidden"}));
    assert_eq!(out["jsonrpc"], json!("2.0"));
    // An array is no MCP outputSchema: reported, not written.
    doc.operation_mut("echo").unwrap().response_schema = Some(json!({"type": "array"}));
    let (out, lost) = formats::export_value(&doc, Format::Mcp).unwrap();
    assert_eq!(out, original);
    assert_eq!(lost, ["echo: not carried: the response schema (an MCP outputSchema must be an object schema)"]);
}

#[test]
fn mcp_patch_writes_parameters_safety_and_titles_where_they_were() {
    let mut doc = load("mcp_small.json");
    let original = doc.source.clone();
    {
        let op = doc.operation_mut("search_issues").unwrap();
        op.parameters[2].description = "At most this many.".into();
        op.parameters[1].enum_values.push(json!("draft"));
    }
    {
        let op = doc.operation_mut("close_issue").unwrap();
        op.title = Some("Close issue".into());
        op.safety.destructive = Some(false);
    }
    let (out, lost) = formats::export_value(&doc, Format::Mcp).unwrap();
    assert!(lost.is_empty());
    assert_eq!(
        diff(&original, &out),
        [
            "/tools/0/inputSchema/properties/state/enum",
            "/tools/0/inputSchema/properties/limit/description",
            "/tools/1/annotations/title",
            "/tools/1/annotations/destructiveHint",
        ]
    );
    assert_eq!(out["tools"][0]["_meta"], original["tools"][0]["_meta"]);
    assert_eq!(out["tools"][0]["icons"], original["tools"][0]["icons"]);
}

#[test]
fn patches_remove_and_append_operations() {
    let mut doc = load("mcp_small.json");
    let removed = doc.tools[0].operations.remove(1);
    let mut added = removed.clone();
    added.id = "reopen_issue".into();
    added.name = "reopen_issue".into();
    added.pointer = String::new();
    doc.tools[0].operations.push(added);
    let (out, _) = formats::export_value(&doc, Format::Mcp).unwrap();
    let names: Vec<&str> = out["tools"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["search_issues", "delete_issue", "reopen_issue"]);
    assert_eq!(out["tools"][1], doc.source["tools"][2]);

    let mut doc = load("openai_responses.json");
    let mut op = doc.tools[0].operations[0].clone();
    op.name = "cancel_order".into();
    op.pointer = String::new();
    op.examples.push(Example::default());
    doc.tools[0].operations.push(op);
    let (out, lost) = formats::export_value(&doc, Format::OpenAi).unwrap();
    assert_eq!(out["tools"][2]["type"], json!("function"));
    assert_eq!(out["tools"][2]["name"], json!("cancel_order"), "appended in the source's flat form");
    assert_eq!(out["model"], json!("gpt-4.1"));
    assert_eq!(lost, ["lookup_order: not carried: 1 example(s) (no field for examples)"]);
}

#[test]
fn toolbench_patch_keeps_type_spellings_and_writes_examples() {
    let (_, text) = paper_docs().into_iter().find(|(n, _)| n == "ToolBench_docs_Initial.json").unwrap();
    let mut doc = formats::import(&text, None).unwrap();
    let original = doc.source.clone();
    // An API whose parameters use the lowercase "string" spelling.
    let id = doc
        .operations()
        .find(|o| {
            o.parameters.len() >= 2
                && original.pointer(&format!("{}/required_parameters/0/type", o.pointer)) == Some(&json!("string"))
        })
        .map(|o| o.id.clone())
        .unwrap();
    let op = doc.operation_mut(&id).unwrap();
    let ptr = op.pointer.clone();
    let last = op.parameters.len() - 1;
    op.parameters[last].schema = json!({"type": "boolean"});
    op.examples = vec![
        Example { query: "q1".into(), arguments: json!({"a": 1}), ..Default::default() },
        Example { query: "q2".into(), ..Default::default() },
    ];
    let (out, lost) = formats::export_value(&doc, Format::ToolBench).unwrap();
    let changed = diff(&original, &out);
    assert_eq!(changed.len(), 2, "{changed:?}");
    assert!(changed[0].ends_with("/type"), "{changed:?}");
    assert_eq!(changed[1], format!("{ptr}/example"));
    assert_eq!(out.pointer(&changed[0]), Some(&json!("BOOLEAN")));
    assert_eq!(out.pointer(&format!("{ptr}/required_parameters/0/type")), Some(&json!("string")));
    assert_eq!(out.pointer(&format!("{ptr}/example")), Some(&json!({"User Query": "q1", "Parameters": {"a": 1}})));
    assert_eq!(lost, [format!("{id}: not carried: 1 example(s) beyond the first (one per operation)")]);
}

#[test]
fn restbench_patch_documents_a_path_parameter_only_when_it_changes() {
    let mut doc = load("restbench_tmdb_draft.json");
    let original = doc.source.clone();
    let op = doc.operation_mut("GET_movie_movie_id_reviews").unwrap();
    let p = op.parameters.iter_mut().find(|p| p.name == "movie_id").unwrap();
    assert_eq!((p.location, p.required), (Location::Path, true));
    p.description = "The TMDB id of the movie.".into();
    p.schema = json!({"type": "integer"});
    let (out, lost) = formats::export_value(&doc, Format::RestBench).unwrap();
    assert!(lost.is_empty());
    assert_eq!(diff(&original, &out), ["/3/required_parameters"]);
    assert_eq!(
        out["3"]["required_parameters"],
        json!([{"name": "movie_id", "in": "path", "description": "The TMDB id of the movie.", "schema": {"type": "integer"}}])
    );
    // Re-reading it: now documented, so no smell.
    let again = formats::import_value(out, Default::default(), None).unwrap();
    let smells = tooldraft::doc::inspect(&again).smells;
    assert!(!smells.iter().any(|s| s.operation.as_deref() == Some("GET_movie_movie_id_reviews")), "{smells:?}");
}

#[test]
fn restbench_example_patch_fills_the_url() {
    let mut doc = load("restbench_spotify_draft.json");
    let original = doc.source.clone();
    let op = doc.operation_mut("GET_albums_id").unwrap();
    op.examples[0] = Example {
        query: "Which album is 1A2B?".into(),
        arguments: json!({"id": "1A2B", "market": "ES"}),
        ..Default::default()
    };
    let (out, _) = formats::export_value(&doc, Format::RestBench).unwrap();
    assert_eq!(
        out["0"]["example"],
        json!({"User Query": "Which album is 1A2B?", "url": "http://api.spotify.com/v1/albums/1A2B", "Parameters": {"market": "ES"}})
    );
    assert_eq!(diff(&original, &out).len(), 3);
}

#[test]
fn anthropic_round_trip_of_examples_and_yaml_stays_yaml() {
    let doc = load("anthropic_tools.json");
    let op = doc.operation("get_stock_price").unwrap();
    assert_eq!(op.examples.len(), 2);
    let (back, lost) = convert(&doc, Format::ToolBench);
    assert_eq!(back.operation("anthropic/get_stock_price").unwrap().examples.len(), 1);
    assert!(lost.iter().any(|l| l.contains("1 example(s) beyond the first")), "{lost:?}");
    assert!(lost.iter().any(|l| l.contains("parameter `currency`: enum values")), "{lost:?}");

    let yaml = load("mcp_bare.yaml");
    let out = formats::export(&yaml, Format::Mcp).unwrap();
    assert!(out.text.starts_with("- name: echo"), "{}", out.text);
    let json_out = formats::export(&yaml, Format::OpenAi).unwrap();
    assert!(json_out.text.starts_with('['), "other formats are written as JSON");
}
