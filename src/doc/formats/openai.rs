//! OpenAI function-calling tools, in every shape they are pasted in:
//! - Chat Completions: `[{"type": "function", "function": {"name", "description", "parameters", "strict"}}]`;
//! - the Responses API's flat form: `[{"type": "function", "name", "description", "parameters", "strict"}]`;
//! - either list wrapped as `{"tools": [...]}` (a whole request body works too), the legacy
//!   `{"functions": [{"name", "description", "parameters"}]}`, and bare function objects
//!   (`[{"name", "description", "parameters"}]`).
//!
//! One [`Tool`] named `openai` holds every function as an operation; `parameters.properties`
//! become body parameters. Built-in tools (`web_search`, `file_search`, …) are not operations:
//! they are skipped with a warning and survive an OpenAI → OpenAI export untouched. OpenAI has
//! no field for titles, examples, response schemas or safety hints: export reports them lost.
//! Function names are limited to `[A-Za-z0-9_-]{1,64}`: other names are rewritten and reported.
//!
//! ```
//! use serde_json::json;
//! let doc = tooldraft::doc::formats::openai::import(&json!([{"type": "function", "function": {
//!     "name": "get_weather", "parameters": {"type": "object",
//!     "properties": {"city": {"type": "string"}}, "required": ["city"]}}}])).unwrap();
//! assert!(doc.tools[0].operations[0].parameters[0].required);
//! ```

use super::args::{self, object_schema, parameters_from_object_schema, patch_object_schema, unique_ids};
use super::json::{self, child, index};
use super::lost::{Carries, ExampleField, Lost};
use super::patch::patch_operations;
use crate::doc::{DocError, Format, Operation, Tool, ToolDoc};
use serde_json::{json, Map, Value};

const CARRIES: Carries =
    Carries { title: false, examples: ExampleField::None, response_schema: false, safety: false, http: false };

/// The shape of one entry of the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// `{"type": "function", "function": {...}}`.
    Chat,
    /// `{"type": "function", "name", ...}`.
    Flat,
    /// `{"name", "parameters"}` in a legacy `functions` list.
    Legacy,
}

/// (the list, its pointer, true for a legacy `functions` list).
fn locate(value: &Value) -> Option<(&Value, String, bool)> {
    match value {
        Value::Array(_) => Some((value, String::new(), false)),
        Value::Object(m) => match (m.get("tools"), m.get("functions")) {
            (Some(t), _) => Some((t, "/tools".into(), false)),
            (None, Some(f)) => Some((f, "/functions".into(), true)),
            _ => None,
        },
        _ => None,
    }
}

fn shape(entry: &Value, legacy: bool) -> Option<Shape> {
    match entry.get("type") {
        Some(t) if t.as_str() == Some("function") => {
            Some(if entry.get("function").is_some() { Shape::Chat } else { Shape::Flat })
        }
        Some(_) => None,
        // A bare function object: in a legacy `functions` list, or pasted on its own.
        None if legacy || entry.get("parameters").is_some() => entry.get("name").is_some().then_some(Shape::Legacy),
        None => None,
    }
}

/// True when the value is a list of OpenAI function tools.
pub fn detect(value: &Value) -> bool {
    match locate(value) {
        Some((Value::Array(a), _, legacy)) => a.iter().any(|e| match shape(e, legacy) {
            Some(Shape::Legacy) => e.get("parameters").is_some(),
            Some(_) => true,
            None => false,
        }),
        _ => false,
    }
}

/// Reads OpenAI function tools.
pub fn import(value: &Value) -> Result<ToolDoc, DocError> {
    let (list, ptr, legacy) = locate(value).ok_or_else(|| {
        DocError::at("", "expected a list of OpenAI tools, {\"tools\": [...]} or {\"functions\": [...]}")
    })?;
    let list = json::array(list, &ptr)?;
    let mut tool = Tool { name: "openai".into(), ..Default::default() };
    let mut warnings = Vec::new();
    for (i, e) in list.iter().enumerate() {
        let ep = index(&ptr, i);
        json::object(e, &ep)?;
        let Some(shape) = shape(e, legacy) else {
            let kind = e.get("type").and_then(Value::as_str).unwrap_or("untyped");
            warnings.push(format!("{ep}: a built-in `{kind}` tool, not a function: skipped"));
            continue;
        };
        let (f, fp) = match shape {
            Shape::Chat => (e.get("function").unwrap_or(&Value::Null), child(&ep, "function")),
            Shape::Flat | Shape::Legacy => (e, ep.clone()),
        };
        let m = json::object(f, &fp)?;
        let name = json::req_str(m, "name", &fp)?;
        json::opt_bool(m, "strict", &fp)?;
        let parameters = match m.get("parameters") {
            None | Some(Value::Null) => Vec::new(),
            Some(s) => {
                warnings.extend(args::unmodeled_warning(name, "parameters", s));
                parameters_from_object_schema(s, &child(&fp, "parameters"))?
            }
        };
        tool.operations.push(Operation {
            id: name.to_string(),
            name: name.to_string(),
            description: json::opt_str(m, "description", &fp)?.unwrap_or_default().to_string(),
            parameters,
            pointer: ep,
            ..Default::default()
        });
    }
    unique_ids(&mut tool.operations);
    Ok(ToolDoc {
        format: Some(Format::OpenAi),
        tools: vec![tool],
        source: value.clone(),
        warnings,
        ..Default::default()
    })
}

/// Writes OpenAI function tools (a Chat Completions `tools` list when not patching a source).
pub fn export(doc: &ToolDoc) -> Result<(Value, Vec<String>), DocError> {
    if doc.format == Some(Format::OpenAi) {
        if let Ok(baseline) = import(&doc.source) {
            return Ok(patch(doc, &baseline));
        }
    }
    Ok(fresh(doc))
}

fn function(op: &Operation, name: &str) -> Map<String, Value> {
    let mut f = Map::new();
    f.insert("name".into(), json!(name));
    if !op.description.is_empty() {
        f.insert("description".into(), json!(op.description));
    }
    f.insert("parameters".into(), object_schema(&op.parameters));
    f
}

fn entry(op: &Operation, name: &str, shape: Shape) -> Value {
    let f = function(op, name);
    match shape {
        Shape::Chat => json!({"type": "function", "function": f}),
        Shape::Flat => {
            let mut m = Map::new();
            m.insert("type".into(), json!("function"));
            m.extend(f);
            Value::Object(m)
        }
        Shape::Legacy => Value::Object(f),
    }
}

fn fresh(doc: &ToolDoc) -> (Value, Vec<String>) {
    let names = args::function_names(doc, 64, false);
    let mut lost = Lost::default();
    let mut list = Vec::new();
    for (op, (name, renamed)) in doc.operations().zip(names) {
        let extra = if renamed { vec![format!("the name (written as `{name}`)")] } else { vec![] };
        lost.op_in(op, CARRIES, extra);
        list.push(entry(op, &name, Shape::Chat));
    }
    for tool in &doc.tools {
        if !tool.description.is_empty() {
            lost.tool(tool, "its description (OpenAI tools are functions only)");
        }
    }
    (Value::Array(list), lost.lines)
}

fn patch(doc: &ToolDoc, baseline: &ToolDoc) -> (Value, Vec<String>) {
    let mut out = doc.source.clone();
    let (ptr, style) = match locate(&doc.source) {
        Some((Value::Array(a), ptr, legacy)) => {
            let style = a.iter().find_map(|e| shape(e, legacy)).unwrap_or(Shape::Chat);
            (ptr, style)
        }
        _ => (String::new(), Shape::Chat),
    };
    let lost = patch_operations(
        doc,
        baseline,
        &mut out,
        |e, b, op, lost| {
            let target = if e.get("function").is_some_and(Value::is_object) { e.get_mut("function") } else { Some(e) };
            if let Some(Value::Object(f)) = target {
                if b.name != op.name {
                    f.insert("name".into(), json!(op.name));
                }
                if b.description != op.description {
                    json::set_or_remove_str(f, "description", &op.description);
                }
                if b.parameters != op.parameters {
                    let s = f.entry("parameters").or_insert_with(|| json!({"type": "object", "properties": {}}));
                    patch_object_schema(s, &b.parameters, &op.parameters);
                }
            }
            lost.op_in(op, CARRIES, vec![]);
        },
        |out, _tool, op, lost| {
            lost.op_in(op, CARRIES, vec![]);
            if let Some(Value::Array(a)) = out.pointer_mut(&ptr) {
                a.push(entry(op, &op.name, style));
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
    fn reads_all_shapes() {
        let chat = json!([{"type": "function", "function": {"name": "a", "parameters": {"type": "object"}}}]);
        let flat = json!({"tools": [{"type": "function", "name": "a", "parameters": {"type": "object"}}]});
        let legacy = json!({"functions": [{"name": "a", "parameters": {"type": "object"}}]});
        let bare = json!([{"name": "a", "description": "d", "parameters": {"type": "object"}}]);
        for v in [chat, flat, legacy, bare] {
            assert!(detect(&v), "{v}");
            let doc = import(&v).unwrap();
            assert_eq!(doc.tools[0].operations[0].name, "a");
        }
    }

    #[test]
    fn built_in_tools_are_skipped_with_a_warning() {
        let v = json!({"tools": [{"type": "web_search"}, {"type": "function", "name": "f"}]});
        let doc = import(&v).unwrap();
        assert_eq!(doc.operation_count(), 1);
        assert_eq!(doc.warnings.len(), 1);
        let (out, lost) = export(&doc).unwrap();
        assert_eq!(out, v);
        assert!(lost.is_empty());
    }

    #[test]
    fn a_function_that_is_not_an_object_is_a_structure_error() {
        let e = import(&json!([{"type": "function", "function": 3}])).unwrap_err();
        assert_eq!(e, DocError::at("/0/function", "expected an object, found a number"));
    }
}
