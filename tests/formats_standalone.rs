//! OpenAPI schemas keep `$ref`s into the source; written as MCP, OpenAI or Anthropic tools,
//! every schema must stand alone: each `$ref` resolves inside its own tool schema.

use serde_json::Value;
use tooldraft::doc::{formats, Format};

/// Every `$ref` under `root` is `#/$defs/…` and names a definition `root` has (a `$ref` to
/// nowhere in the source stays as written: the import already warned about it).
fn check_refs(root: &Value, node: &Value, where_: &str, source: &Value) {
    match node {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                if r.starts_with("#/") && !r.starts_with("#/$defs/") && source.pointer(&r[1..]).is_none() {
                    return;
                }
                let name = r
                    .strip_prefix("#/$defs/")
                    .unwrap_or_else(|| panic!("{where_}: $ref {r} points outside the schema"));
                let name = name.replace("~1", "/").replace("~0", "~");
                assert!(root["$defs"].get(&name).is_some(), "{where_}: $ref {r} has no definition");
            }
            // Extension and example data are data, not schemas (GitHub puts `$ref`s in both).
            m.iter()
                .filter(|(k, _)| {
                    !k.starts_with("x-") && !matches!(k.as_str(), "example" | "examples" | "default" | "const" | "enum")
                })
                .for_each(|(_, v)| check_refs(root, v, where_, source));
        }
        Value::Array(a) => a.iter().for_each(|v| check_refs(root, v, where_, source)),
        _ => {}
    }
}

fn schemas(value: &Value, format: Format) -> Vec<(String, &Value)> {
    let entries: Vec<&Value> = match format {
        Format::Mcp => value["tools"].as_array().unwrap().iter().collect(),
        _ => value.as_array().unwrap().iter().collect(),
    };
    let mut out = Vec::new();
    for e in entries {
        let (name, holder) = match format {
            Format::OpenAi => (e["function"]["name"].as_str().unwrap().to_string(), &e["function"]),
            _ => (e["name"].as_str().unwrap().to_string(), e),
        };
        for key in ["inputSchema", "outputSchema", "parameters", "input_schema"] {
            if let Some(s) = holder.get(key) {
                out.push((format!("{name}.{key}"), s));
            }
        }
    }
    out
}

fn assert_standalone(text: &str, label: &str) -> usize {
    let doc = formats::import(text, None).unwrap();
    let mut refs = 0;
    for format in [Format::Mcp, Format::OpenAi, Format::Anthropic] {
        let (value, _) = formats::export_value(&doc, format).unwrap();
        for (where_, schema) in schemas(&value, format) {
            check_refs(schema, schema, &format!("{label} as {}: {where_}", format.name()), &doc.source);
            refs += schema.get("$defs").map_or(0, |d| d.as_object().map_or(0, |m| m.len()));
        }
    }
    refs
}

#[test]
fn petstore_schemas_stand_alone_in_function_and_mcp_tools() {
    for f in ["petstore-3.0.json", "petstore-3.1.yaml", "petstore-swagger2.json"] {
        let path = format!("{}/tests/fixtures/openapi/{f}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert_standalone(&text, f);
    }
}

#[test]
fn githubs_schemas_stand_alone_in_function_and_mcp_tools() {
    let path = format!("{}/node_modules/@octokit/openapi/generated/api.github.com.json", env!("CARGO_MANIFEST_DIR"));
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {path} is not installed (make setup installs it)");
        return;
    };
    let defs = assert_standalone(&text, "github");
    assert!(defs > 100, "GitHub's schemas share many definitions: {defs}");
}
