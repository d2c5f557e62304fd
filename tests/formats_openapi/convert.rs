//! Swagger 2.0 ⇄ OpenAPI 3 conversions and fresh OpenAPI 3.1 documents from other formats.

use super::{fixture, load};
use serde_json::{json, Value};
use tooldraft::doc::formats::{self, openapi, openapi::Target};
use tooldraft::doc::{Example, Format, HttpBinding, Location, Operation, Parameter, Safety, Tool, ToolDoc};
use tooldraft::host::Method;

/// What a conversion must keep: each operation's id, method, path, media type, parameters
/// (name, location, required, description) and documentation.
fn shape(doc: &ToolDoc) -> Vec<Value> {
    doc.operations()
        .map(|o| {
            let params: Vec<Value> =
                o.parameters.iter().map(|p| json!([p.name, p.location, p.required, p.description])).collect();
            json!({"id": o.id, "http": o.http, "title": o.title, "description": o.description, "params": params})
        })
        .collect()
}

#[test]
fn swagger_converts_to_openapi_3() {
    let doc = load("petstore-swagger2.json");
    let (out, lost) = openapi::export(&doc, Target::OpenApi3).unwrap();
    assert_eq!(out["openapi"], "3.0.3");
    assert!(lost.is_empty(), "{lost:?}");
    insta::assert_json_snapshot!(out);
    let again = openapi::import(&out).unwrap();
    assert_eq!(shape(&again), shape(&doc));
    assert_eq!(again.tools[0].base_url, doc.tools[0].base_url);
}

#[test]
fn openapi_3_converts_to_swagger_2_reporting_losses() {
    for name in ["petstore-3.0.json", "petstore-3.1.yaml"] {
        let doc = load(name);
        let (out, lost) = openapi::export(&doc, Target::Swagger2).unwrap();
        assert_eq!(out["swagger"], "2.0");
        insta::assert_json_snapshot!(format!("to_swagger2_{name}"), json!({"document": out, "lost": lost}));
        // Everything Swagger 2.0 can say survives: drop what it cannot (cookies) and compare.
        let again = openapi::import(&out).unwrap();
        let mut expected = doc.clone();
        for op in expected.operations_mut() {
            op.parameters.retain(|p| p.location != Location::Cookie);
        }
        assert_eq!(shape(&again), shape(&expected), "{name}");
    }
}

#[test]
fn httpbin_converts_to_openapi_3_and_back() {
    let doc = load("httpbin.swagger.json");
    let (oas3, lost) = openapi::export(&doc, Target::OpenApi3).unwrap();
    assert!(lost.contains(&"the root field `protocol` has no place in OpenAPI 3; dropped".to_string()));
    assert_eq!(lost.iter().filter(|l| l.starts_with("TRACE ")).count(), 5, "{lost:?}");
    let up = openapi::import(&oas3).unwrap();
    // Swagger 2.0 has no `trace`: OpenAPI 3 does, so those five become operations.
    assert_eq!(up.operation_count(), 73 + 5);
    let without_trace: Vec<Value> = shape(&up).into_iter().filter(|o| o["http"]["method"] != "TRACE").collect();
    let mut expected = shape(&doc);
    // Path parameters become required, as OpenAPI 3 demands.
    for op in expected.iter_mut() {
        for p in op["params"].as_array_mut().unwrap() {
            if p[1] == "path" {
                p[2] = json!(true);
            }
        }
    }
    assert_eq!(without_trace, expected);
    let up_text = formats::export(&up, Format::Swagger).unwrap();
    let back = formats::import(&up_text.text, None).unwrap();
    assert_eq!(back.operation_count(), 73);
}

fn tool_doc() -> ToolDoc {
    let mut echo = Operation {
        id: "echo".into(),
        name: "echo".into(),
        title: Some("Echo".into()),
        description: "Echoes the message back.".into(),
        parameters: vec![
            Parameter {
                description: "What to echo.".into(),
                required: true,
                ..Parameter::new("message", Location::Body)
            },
            Parameter { enum_values: vec![json!("upper"), json!("lower")], ..Parameter::new("case", Location::Body) },
        ],
        response_schema: Some(json!({"type": "object", "properties": {"echo": {"type": "string"}}})),
        safety: Safety { read_only: Some(true), destructive: Some(false), idempotent: Some(true) },
        ..Default::default()
    };
    echo.parameters[0].schema = json!({"type": "string"});
    echo.examples.push(Example {
        query: "say hi".into(),
        arguments: json!({"message": "hi"}),
        result: Some(json!({"echo": "hi"})),
        verified: true,
    });
    let delete = Operation {
        id: "delete-note".into(),
        name: "delete-note".into(),
        description: "Deletes a note.".into(),
        parameters: vec![Parameter::new("id", Location::Body)],
        ..Default::default()
    };
    ToolDoc {
        format: Some(Format::Mcp),
        tools: vec![Tool {
            name: "everything".into(),
            description: "Test tools.".into(),
            operations: vec![echo, delete],
            ..Default::default()
        }],
        ..Default::default()
    }
}

#[test]
fn a_document_from_another_format_becomes_fresh_openapi_31() {
    let doc = tool_doc();
    let (out, lost) = openapi::export(&doc, Target::OpenApi3).unwrap();
    insta::assert_json_snapshot!(json!({"document": out, "lost": lost}));
    assert_eq!(lost.len(), 2);
    assert!(lost[0].starts_with("echo: has no HTTP binding; written as POST /echo"));
    // Reading it back gives the same operations, arguments and safety.
    let again = openapi::import(&out).unwrap();
    for (a, b) in again.operations().zip(doc.operations()) {
        assert_eq!(
            (&a.name, &a.description, &a.examples, &a.safety),
            (&b.name, &b.description, &b.examples, &b.safety)
        );
        let names = |o: &Operation| o.parameters.iter().map(|p| (p.name.clone(), p.required)).collect::<Vec<_>>();
        assert_eq!(names(a), names(b));
        assert_eq!(a.arguments_schema(), b.arguments_schema());
    }
    // And as Swagger 2.0.
    let (sw, _) = openapi::export(&doc, Target::Swagger2).unwrap();
    assert_eq!(sw["paths"]["/echo"]["post"]["parameters"][0]["in"], "body");
    assert_eq!(openapi::import(&sw).unwrap().operation("echo").unwrap().parameters.len(), 2);
}

#[test]
fn several_tools_become_tags_with_prefixed_paths() {
    let mut doc = tool_doc();
    let http_op = |id: &str, path: &str| Operation {
        id: id.into(),
        name: id.into(),
        http: Some(HttpBinding { method: Method::Get, path: path.into(), body_media_type: None }),
        parameters: vec![Parameter::new("q", Location::Query)],
        safety: Safety::from_method(Method::Get),
        ..Default::default()
    };
    doc.tools.push(Tool {
        name: "weather api".into(),
        base_url: Some("https://weather.example.com".into()),
        operations: vec![http_op("forecast", "/forecast"), http_op("forecast2", "/forecast")],
        ..Default::default()
    });
    doc.tools.push(Tool {
        name: "geo".into(),
        base_url: Some("https://geo.example.com/v1".into()),
        operations: vec![http_op("lookup", "https://other.example.com/lookup/{q}")],
        ..Default::default()
    });
    let (out, lost) = openapi::export(&doc, Target::OpenApi3).unwrap();
    insta::assert_json_snapshot!(json!({"document": out, "lost": lost}));
    assert_eq!(out["tags"].as_array().unwrap().len(), 3);
    assert!(out["paths"]["/everything/echo"]["post"].is_object());
    assert!(out["paths"]["/weather_api/forecast"]["get"].is_object(), "the second GET /forecast is prefixed");
    assert_eq!(out["paths"]["/lookup/{q}"]["servers"][0]["url"], "https://other.example.com");
}

/// The fixtures without their deliberately broken parts (dangling and external references).
fn sound(name: &str) -> ToolDoc {
    let (mut v, syntax) = formats::parse_text(&fixture(name)).unwrap();
    let paths = v["paths"].as_object_mut().unwrap();
    for p in ["/broken", "/external", "/nowhere"] {
        paths.remove(p);
    }
    if let Some(r) = v.pointer_mut("/paths/~1store~1order/post/responses/200") {
        r.as_object_mut().unwrap().remove("schema");
    }
    formats::import_value(v, syntax, None).unwrap()
}

#[test]
fn converted_documents_validate_with_swagger_parser() {
    let root = env!("CARGO_MANIFEST_DIR");
    let parser = format!("{root}/node_modules/@apidevtools/swagger-parser");
    let node = std::process::Command::new("node").arg("--version").output();
    if !std::path::Path::new(&parser).exists() || node.is_err() {
        println!("skipped: node or @apidevtools/swagger-parser is not installed");
        return;
    }
    let dir = std::env::temp_dir().join(format!("tooldraft-openapi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    let mut docs: Vec<(String, ToolDoc)> = ["petstore-3.0.json", "petstore-3.1.yaml", "petstore-swagger2.json"]
        .into_iter()
        .map(|n| (n.to_string(), sound(n)))
        .collect();
    docs.push(("fresh".into(), tool_doc()));
    for (name, doc) in &docs {
        for target in [Target::OpenApi3, Target::Swagger2] {
            let (out, _) = openapi::export(doc, target).unwrap();
            let file = dir.join(format!("{name}.{target:?}.json"));
            std::fs::write(&file, serde_json::to_string(&out).unwrap()).unwrap();
            files.push(file);
        }
    }
    let script = "const P = require(process.argv[1]); (async () => { let bad = 0; \
        for (const f of process.argv.slice(2)) { try { await P.validate(f); } \
        catch (e) { bad++; console.log('INVALID', f, e.message); } } process.exit(bad ? 1 : 0); })();";
    let out = std::process::Command::new("node").arg("-e").arg(script).arg(&parser).args(&files).output().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

#[test]
fn changes_carry_through_a_conversion() {
    let mut doc = load("petstore-swagger2.json");
    doc.operation_mut("getPetById").unwrap().description = "Returns one pet.".into();
    doc.operation_mut("findPetsByStatus").unwrap().parameters[1].description = "At most this many.".into();
    let (out, lost) = openapi::export(&doc, Target::OpenApi3).unwrap();
    assert_eq!(out["paths"]["/pet/{petId}"]["get"]["description"], "Returns one pet.");
    assert_eq!(out["components"]["parameters"]["Limit"]["description"], "At most this many.");
    assert_eq!(lost.len(), 1, "{lost:?}");
    assert!(lost[0].contains("shared component /parameters/Limit"));
}
