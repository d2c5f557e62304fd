//! MCP `tools/list` results: `{"tools": [...]}`, a whole JSON-RPC response carrying one
//! (`{"jsonrpc", "id", "result": {"tools": [...]}}`), or a bare array of MCP tools.
//!
//! One [`Tool`] holds every MCP tool as an operation (named after `serverInfo.name` when the
//! document has one, else `mcp`). `inputSchema.properties` become body parameters;
//! `outputSchema` is the response schema; `annotations` give the safety hints, absent hints
//! staying unknown (`None`) so that [`Safety::class`] applies MCP's defaults (a tool not
//! known to be read-only is destructive unless `destructiveHint` is `false`).
//!
//! Export in MCP patches the source (`_meta`, `icons`, `execution`, `$schema` survive) and
//! adds an `outputSchema` where an operation gained a response schema; export from another
//! format writes a `tools/list` result.
//!
//! ```
//! use serde_json::json;
//! let doc = tooldraft::doc::formats::mcp::import(&json!({"tools": [{
//!     "name": "read_graph", "inputSchema": {"type": "object"},
//!     "annotations": {"readOnlyHint": true}
//! }]})).unwrap();
//! assert_eq!(doc.operation_count(), 1);
//! assert_eq!(doc.tools[0].operations[0].safety_class(), tooldraft::doc::SafetyClass::ReadOnly);
//! ```

use super::args::{self, object_schema, parameters_from_object_schema, patch_object_schema, unique_ids};
use super::json::{self, child, index};
use super::lost::{Carries, ExampleField, Lost};
use super::patch::patch_operations;
use crate::doc::{DocError, Format, Operation, Safety, Tool, ToolDoc};
use serde_json::{json, Map, Value};

const CARRIES: Carries =
    Carries { title: true, examples: ExampleField::None, response_schema: true, safety: true, http: false };

/// Where the tools array is: (array, its pointer, the tool's pointer).
fn locate(value: &Value) -> Option<(&Value, String, String)> {
    match value {
        Value::Array(_) => Some((value, String::new(), String::new())),
        Value::Object(m) => {
            if let Some(t) = m.get("tools") {
                return Some((t, "/tools".into(), String::new()));
            }
            let t = m.get("result")?.get("tools")?;
            Some((t, "/result/tools".into(), "/result".into()))
        }
        _ => None,
    }
}

/// True when the value is an MCP `tools/list` result (or a JSON-RPC error in its place).
pub fn detect(value: &Value) -> bool {
    if value.get("jsonrpc").is_some() && value.get("error").is_some() {
        return true;
    }
    match locate(value) {
        Some((Value::Array(a), ptr, _)) => {
            (a.is_empty() && !ptr.is_empty()) || a.iter().any(|t| t.get("inputSchema").is_some())
        }
        _ => false,
    }
}

/// Reads an MCP `tools/list` result.
pub fn import(value: &Value) -> Result<ToolDoc, DocError> {
    if let Some(err) = value.get("error").filter(|_| value.get("jsonrpc").is_some()) {
        let msg = err.get("message").and_then(Value::as_str).unwrap_or("no message");
        return Err(DocError::at("/error", format!("a JSON-RPC error response, not a tools/list result: {msg}")));
    }
    let (tools, ptr, tool_ptr) = locate(value).ok_or_else(|| {
        DocError::at(
            "",
            "expected an MCP tools/list result ({\"tools\": [...]}), a JSON-RPC response, or a list of tools",
        )
    })?;
    let list = json::array(tools, &ptr)?;
    let mut tool = Tool { name: "mcp".into(), pointer: tool_ptr.clone(), ..Default::default() };
    let info_ptr = child(&tool_ptr, "serverInfo");
    if let Some(info) = value.pointer(&info_ptr) {
        let m = json::object(info, &info_ptr)?;
        if let Some(name) = json::opt_str(m, "name", &info_ptr)? {
            tool.name = name.to_string();
        }
        tool.description = json::opt_str(m, "description", &info_ptr)?.unwrap_or_default().to_string();
    }
    let mut warnings = Vec::new();
    for (i, t) in list.iter().enumerate() {
        tool.operations.push(import_tool(t, &index(&ptr, i), &mut warnings)?);
    }
    unique_ids(&mut tool.operations);
    let holder = value.pointer(&tool_ptr).unwrap_or(value);
    if holder.get("nextCursor").is_some_and(|c| !c.is_null()) {
        warnings.push("the list is paginated (nextCursor is set): only this page was read".into());
    }
    Ok(ToolDoc { format: Some(Format::Mcp), tools: vec![tool], source: value.clone(), warnings, ..Default::default() })
}

fn import_tool(t: &Value, ptr: &str, warnings: &mut Vec<String>) -> Result<Operation, DocError> {
    let m = json::object(t, ptr)?;
    let name = json::req_str(m, "name", ptr)?;
    let annotations = json::opt_object(m, "annotations", ptr)?;
    let ap = child(ptr, "annotations");
    let mut title = json::opt_str(m, "title", ptr)?.map(str::to_string);
    let mut safety = Safety::default();
    if let Some(a) = annotations {
        if title.is_none() {
            title = json::opt_str(a, "title", &ap)?.map(str::to_string);
        }
        safety.read_only = json::opt_bool(a, "readOnlyHint", &ap)?;
        safety.destructive = json::opt_bool(a, "destructiveHint", &ap)?;
        safety.idempotent = json::opt_bool(a, "idempotentHint", &ap)?;
    }
    let parameters = match m.get("inputSchema") {
        None | Some(Value::Null) => {
            warnings.push(format!("{name}: no inputSchema (MCP requires one); read as taking no arguments"));
            Vec::new()
        }
        Some(s) => {
            let sp = child(ptr, "inputSchema");
            let params = parameters_from_object_schema(s, &sp)?;
            warnings.extend(args::unmodeled_warning(name, "inputSchema", s));
            params
        }
    };
    let response_schema = json::opt_object(m, "outputSchema", ptr)?.map(|o| Value::Object(o.clone()));
    Ok(Operation {
        id: name.to_string(),
        name: name.to_string(),
        title,
        description: json::opt_str(m, "description", ptr)?.unwrap_or_default().to_string(),
        parameters,
        response_schema,
        safety,
        pointer: ptr.to_string(),
        ..Default::default()
    })
}

/// Writes an MCP `tools/list` result.
pub fn export(doc: &ToolDoc) -> Result<(Value, Vec<String>), DocError> {
    if doc.format == Some(Format::Mcp) {
        if let Ok(baseline) = import(&doc.source) {
            return Ok(patch(doc, &baseline));
        }
    }
    Ok(fresh(doc))
}

fn is_object_schema(s: &Value) -> bool {
    s.get("type").and_then(Value::as_str) == Some("object")
}

fn annotations(safety: &Safety) -> Option<Value> {
    let mut a = Map::new();
    for (k, v) in [
        ("readOnlyHint", safety.read_only),
        ("destructiveHint", safety.destructive),
        ("idempotentHint", safety.idempotent),
    ] {
        if let Some(b) = v {
            a.insert(k.into(), Value::Bool(b));
        }
    }
    (!a.is_empty()).then_some(Value::Object(a))
}

/// One MCP tool entry for an operation, and what it could not carry.
fn entry(op: &Operation, name: &str) -> (Value, Vec<String>) {
    let mut m = Map::new();
    let mut extra = Vec::new();
    m.insert("name".into(), json!(name));
    if let Some(t) = &op.title {
        m.insert("title".into(), json!(t));
    }
    if !op.description.is_empty() {
        m.insert("description".into(), json!(op.description));
    }
    m.insert("inputSchema".into(), object_schema(&op.parameters));
    match &op.response_schema {
        Some(s) if is_object_schema(s) => {
            m.insert("outputSchema".into(), s.clone());
        }
        Some(_) => extra.push("the response schema (an MCP outputSchema must be an object schema)".into()),
        None => {}
    }
    if let Some(a) = annotations(&op.safety) {
        m.insert("annotations".into(), a);
    }
    (Value::Object(m), extra)
}

fn fresh(doc: &ToolDoc) -> (Value, Vec<String>) {
    let names = args::function_names(doc, 128, true);
    let mut lost = Lost::default();
    let mut tools = Vec::new();
    for (op, (name, renamed)) in doc.operations().zip(names) {
        let (e, mut extra) = entry(op, &name);
        if renamed {
            extra.insert(0, format!("the name (written as `{name}`)"));
        }
        lost.op_in(op, CARRIES, extra);
        tools.push(e);
    }
    for tool in &doc.tools {
        if !tool.description.is_empty() {
            lost.tool(tool, "its description (an MCP tools/list has no server description)");
        }
    }
    (json!({ "tools": tools }), lost.lines)
}

fn patch(doc: &ToolDoc, baseline: &ToolDoc) -> (Value, Vec<String>) {
    let mut out = doc.source.clone();
    let array_ptr = locate(&doc.source).map(|(_, p, _)| p).unwrap_or_default();
    let lost = patch_operations(
        doc,
        baseline,
        &mut out,
        |e, b, op, lost| {
            let extra = patch_entry(e, b, op);
            lost.op_in(op, CARRIES, extra);
        },
        |out, _tool, op, lost| {
            let (e, extra) = entry(op, &op.name);
            lost.op_in(op, CARRIES, extra);
            if let Some(Value::Array(a)) = out.pointer_mut(&array_ptr) {
                a.push(e);
            }
        },
    );
    (out, lost.lines)
}

fn patch_entry(e: &mut Value, b: &Operation, op: &Operation) -> Vec<String> {
    let mut extra = Vec::new();
    let Value::Object(m) = e else { return extra };
    if b.name != op.name {
        m.insert("name".into(), json!(op.name));
    }
    if b.title != op.title {
        let in_annotations =
            !m.contains_key("title") && m.get("annotations").and_then(|a| a.get("title")).is_some_and(Value::is_string);
        match (&op.title, in_annotations) {
            (Some(t), true) => {
                if let Some(Value::Object(a)) = m.get_mut("annotations") {
                    a.insert("title".into(), json!(t));
                }
            }
            (None, true) => {
                if let Some(Value::Object(a)) = m.get_mut("annotations") {
                    a.shift_remove("title");
                }
            }
            (Some(t), false) => {
                m.insert("title".into(), json!(t));
            }
            (None, false) => {
                m.shift_remove("title");
            }
        }
    }
    if b.description != op.description {
        json::set_or_remove_str(m, "description", &op.description);
    }
    if b.parameters != op.parameters {
        let schema = m.entry("inputSchema").or_insert_with(|| json!({"type": "object"}));
        patch_object_schema(schema, &b.parameters, &op.parameters);
    }
    if b.response_schema != op.response_schema {
        match &op.response_schema {
            Some(s) if is_object_schema(s) => {
                m.insert("outputSchema".into(), s.clone());
            }
            Some(_) => extra.push("the response schema (an MCP outputSchema must be an object schema)".into()),
            None => {
                m.shift_remove("outputSchema");
            }
        }
    }
    if b.safety != op.safety {
        let a = m.entry("annotations").or_insert_with(|| json!({}));
        if !a.is_object() {
            *a = json!({});
        }
        if let Value::Object(a) = a {
            for (k, was, now) in [
                ("readOnlyHint", b.safety.read_only, op.safety.read_only),
                ("destructiveHint", b.safety.destructive, op.safety.destructive),
                ("idempotentHint", b.safety.idempotent, op.safety.idempotent),
            ] {
                match (was == now, now) {
                    (true, _) => {}
                    (false, Some(v)) => {
                        a.insert(k.into(), Value::Bool(v));
                    }
                    (false, None) => {
                        a.shift_remove(k);
                    }
                }
            }
        }
    }
    extra
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::doc::SafetyClass;

    #[test]
    fn absent_destructive_hint_stays_unknown() {
        let doc = import(&json!({"tools": [
            {"name": "w", "inputSchema": {"type": "object"}, "annotations": {"readOnlyHint": false}},
            {"name": "n", "inputSchema": {"type": "object"}}
        ]}))
        .unwrap();
        let ops = &doc.tools[0].operations;
        assert_eq!(ops[0].safety.destructive, None);
        assert_eq!(ops[0].safety_class(), SafetyClass::Destructive);
        assert_eq!(ops[1].safety, Safety::default());
        assert_eq!(ops[1].safety_class(), SafetyClass::Destructive);
    }

    #[test]
    fn detects_the_three_shapes() {
        let t = json!({"name": "x", "inputSchema": {"type": "object"}});
        assert!(detect(&json!({"tools": [t.clone()]})));
        assert!(detect(&json!({"jsonrpc": "2.0", "id": 1, "result": {"tools": [t.clone()]}})));
        assert!(detect(&json!([t])));
        assert!(detect(&json!({"tools": []})));
        assert!(!detect(&json!([])));
        assert!(!detect(&json!({"tools": [{"type": "function", "function": {"name": "f"}}]})));
    }

    #[test]
    fn duplicate_names_get_unique_ids() {
        let t = json!({"name": "x", "inputSchema": {"type": "object"}});
        let doc = import(&json!([t.clone(), t])).unwrap();
        let ids: Vec<_> = doc.operations().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["x", "x#2"]);
    }
}
