//! Anthropic tools: `[{"name", "description", "input_schema", "input_examples"?}]`, or the
//! same list as `{"tools": [...]}` (a whole Messages request body works too).
//!
//! One [`Tool`] named `anthropic` holds every tool as an operation; `input_schema.properties`
//! become body parameters and each of `input_examples` (argument objects) becomes an
//! [`Example`] with no query. Server tools (`{"type": "web_search_20250305", "name": …}`) are
//! not operations: they are skipped with a warning and survive an Anthropic → Anthropic
//! export. Anthropic has no field for titles, response schemas or safety hints, and keeps only
//! the arguments of an example: export reports the rest lost. Names are limited to
//! `[A-Za-z0-9_-]{1,64}`: other names are rewritten and reported.
//!
//! ```
//! use serde_json::json;
//! let doc = tooldraft::doc::formats::anthropic::import(&json!([{"name": "get_weather",
//!     "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}},
//!     "input_examples": [{"city": "Paris"}]}])).unwrap();
//! assert_eq!(doc.tools[0].operations[0].examples[0].arguments, json!({"city": "Paris"}));
//! ```

use super::args::{self, object_schema, parameters_from_object_schema, patch_object_schema, unique_ids};
use super::json::{self, child, index};
use super::lost::{Carries, ExampleField, Lost};
use super::patch::patch_operations;
use crate::doc::{DocError, Example, Format, Operation, Tool, ToolDoc};
use serde_json::{json, Map, Value};

const CARRIES: Carries =
    Carries { title: false, examples: ExampleField::ArgumentsOnly, response_schema: false, safety: false, http: false };

fn locate(value: &Value) -> Option<(&Value, String)> {
    match value {
        Value::Array(_) => Some((value, String::new())),
        Value::Object(m) => m.get("tools").map(|t| (t, "/tools".to_string())),
        _ => None,
    }
}

/// A client tool (as opposed to a server tool like web search): untyped or `type: custom`.
fn is_client_tool(e: &Value) -> bool {
    match e.get("type") {
        None | Some(Value::Null) => true,
        Some(t) => t.as_str() == Some("custom") || e.get("input_schema").is_some(),
    }
}

/// True when the value is a list of Anthropic tools.
pub fn detect(value: &Value) -> bool {
    match locate(value) {
        Some((Value::Array(a), _)) => a.iter().any(|e| e.get("input_schema").is_some()),
        _ => false,
    }
}

/// Reads Anthropic tools.
pub fn import(value: &Value) -> Result<ToolDoc, DocError> {
    let (list, ptr) =
        locate(value).ok_or_else(|| DocError::at("", "expected a list of Anthropic tools or {\"tools\": [...]}"))?;
    let list = json::array(list, &ptr)?;
    let mut tool = Tool { name: "anthropic".into(), ..Default::default() };
    let mut warnings = Vec::new();
    for (i, e) in list.iter().enumerate() {
        let ep = index(&ptr, i);
        let m = json::object(e, &ep)?;
        if !is_client_tool(e) {
            let kind = e.get("type").and_then(Value::as_str).unwrap_or("unknown");
            warnings.push(format!("{ep}: a server tool (`{kind}`), not a client tool: skipped"));
            continue;
        }
        let name = json::req_str(m, "name", &ep)?;
        let parameters = match m.get("input_schema") {
            None | Some(Value::Null) => {
                warnings.push(format!("{name}: no input_schema (Anthropic requires one); read as taking no arguments"));
                Vec::new()
            }
            Some(s) => {
                warnings.extend(args::unmodeled_warning(name, "input_schema", s));
                parameters_from_object_schema(s, &child(&ep, "input_schema"))?
            }
        };
        let mut examples = Vec::new();
        if let Some(list) = json::opt_array(m, "input_examples", &ep)? {
            let xp = child(&ep, "input_examples");
            for (j, x) in list.iter().enumerate() {
                json::object(x, &index(&xp, j))?;
                examples.push(Example { arguments: x.clone(), ..Default::default() });
            }
        }
        tool.operations.push(Operation {
            id: name.to_string(),
            name: name.to_string(),
            description: json::opt_str(m, "description", &ep)?.unwrap_or_default().to_string(),
            parameters,
            examples,
            pointer: ep,
            ..Default::default()
        });
    }
    unique_ids(&mut tool.operations);
    Ok(ToolDoc {
        format: Some(Format::Anthropic),
        tools: vec![tool],
        source: value.clone(),
        warnings,
        ..Default::default()
    })
}

/// Writes Anthropic tools (a bare list when not patching a source).
pub fn export(doc: &ToolDoc) -> Result<(Value, Vec<String>), DocError> {
    if doc.format == Some(Format::Anthropic) {
        if let Ok(baseline) = import(&doc.source) {
            return Ok(patch(doc, &baseline));
        }
    }
    Ok(fresh(doc))
}

fn input_examples(op: &Operation) -> Value {
    Value::Array(op.examples.iter().map(|e| e.arguments.clone()).collect())
}

fn entry(op: &Operation, name: &str) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!(name));
    if !op.description.is_empty() {
        m.insert("description".into(), json!(op.description));
    }
    m.insert("input_schema".into(), object_schema(&op.parameters));
    if !op.examples.is_empty() {
        m.insert("input_examples".into(), input_examples(op));
    }
    Value::Object(m)
}

fn fresh(doc: &ToolDoc) -> (Value, Vec<String>) {
    let names = args::function_names(doc, 64, false);
    let mut lost = Lost::default();
    let mut list = Vec::new();
    for (op, (name, renamed)) in doc.operations().zip(names) {
        let extra = if renamed { vec![format!("the name (written as `{name}`)")] } else { vec![] };
        lost.op_in(op, CARRIES, extra);
        list.push(entry(op, &name));
    }
    for tool in &doc.tools {
        if !tool.description.is_empty() {
            lost.tool(tool, "its description (Anthropic tools are a flat list)");
        }
    }
    (Value::Array(list), lost.lines)
}

fn patch(doc: &ToolDoc, baseline: &ToolDoc) -> (Value, Vec<String>) {
    let mut out = doc.source.clone();
    let ptr = locate(&doc.source).map(|(_, p)| p).unwrap_or_default();
    let lost = patch_operations(
        doc,
        baseline,
        &mut out,
        |e, b, op, lost| {
            if let Value::Object(m) = e {
                if b.name != op.name {
                    m.insert("name".into(), json!(op.name));
                }
                if b.description != op.description {
                    json::set_or_remove_str(m, "description", &op.description);
                }
                if b.parameters != op.parameters {
                    let s = m.entry("input_schema").or_insert_with(|| json!({"type": "object", "properties": {}}));
                    patch_object_schema(s, &b.parameters, &op.parameters);
                }
                if b.examples != op.examples {
                    if op.examples.is_empty() {
                        m.shift_remove("input_examples");
                    } else {
                        m.insert("input_examples".into(), input_examples(op));
                    }
                }
            }
            lost.op_in(op, CARRIES, vec![]);
        },
        |out, _tool, op, lost| {
            lost.op_in(op, CARRIES, vec![]);
            if let Some(Value::Array(a)) = out.pointer_mut(&ptr) {
                a.push(entry(op, &op.name));
            }
        },
    );
    (out, lost.lines)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn server_tools_are_skipped_and_survive() {
        let v = json!({"tools": [
            {"type": "web_search_20250305", "name": "web_search", "max_uses": 5},
            {"name": "f", "input_schema": {"type": "object"}, "cache_control": {"type": "ephemeral"}}
        ]});
        assert!(detect(&v));
        let mut doc = import(&v).unwrap();
        assert_eq!(doc.operation_count(), 1);
        doc.tools[0].operations[0].description = "Does f.".into();
        let (out, lost) = export(&doc).unwrap();
        assert!(lost.is_empty(), "{lost:?}");
        assert_eq!(out["tools"][0], v["tools"][0]);
        assert_eq!(out["tools"][1]["description"], json!("Does f."));
        assert_eq!(out["tools"][1]["cache_control"], json!({"type": "ephemeral"}));
    }

    #[test]
    fn example_queries_are_reported_lost() {
        let mut doc = import(&json!([{"name": "f", "input_schema": {"type": "object"}}])).unwrap();
        doc.tools[0].operations[0].examples.push(Example {
            query: "do f".into(),
            arguments: json!({}),
            ..Default::default()
        });
        let (out, lost) = export(&doc).unwrap();
        assert_eq!(out[0]["input_examples"], json!([{}]));
        assert_eq!(lost, vec!["f: not carried: the query or result of 1 example(s) (only arguments are kept)"]);
    }
}
