//! ToolBench, in both of its forms:
//! - the tool JSON of ToolBench's `toolenv` (`{"tool_name", "tool_description", "api_list":
//!   [{"name", "url", "description", "method", "required_parameters", "optional_parameters"}]}`),
//!   one tool or a list of them;
//! - the DRAFT paper's dict form (`{"1": {"ID", "category", "tool_name", "tool_description",
//!   "tool_guidelines": {apiName: {"name", "description", "required_parameters",
//!   "optional_parameters", "example"?}}}}`).
//!
//! Each ToolBench tool is a [`Tool`]; each API an operation whose id is
//! `"{tool_name}/{api name}"` (the `tool_guidelines` key in the dict form), unique across the
//! document (a repeat gets `#2`, `#3`). Parameter types ("STRING", "NUMBER", "ENUM", …) map to
//! JSON Schema (see `params`); `default: ""` means no default; `example` (`{"User Query",
//! "Parameters"}`) is an [`Example`](crate::doc::Example). A `{name}` in the URL makes that
//! parameter a path parameter; all others are query parameters (ToolBench does not say).
//! The dict form has no HTTP methods, so its safety hints stay unknown; `method` gives them
//! when present. An API's `schema` object, where present, is its response schema.
//!
//! Export in ToolBench patches the source; from another format it writes the tool JSON form
//! (one object for one tool, else a list), with an `example` per API like the dict form's.
//!
//! ```
//! use serde_json::json;
//! let doc = tooldraft::doc::formats::toolbench::import(&json!({"1": {"ID": "1",
//!     "tool_name": "Weather", "tool_description": "Forecasts.", "tool_guidelines": {
//!         "Forecast": {"name": "Forecast", "description": "Gets a forecast.",
//!             "required_parameters": [{"name": "city", "type": "STRING", "description": "", "default": ""}],
//!             "optional_parameters": []}}}})).unwrap();
//! assert_eq!(doc.tools[0].operations[0].id, "Weather/Forecast");
//! ```

mod params;

use super::args::unique_ids;
use super::json::{self, child, index};
use super::lists::{self, template_params};
use super::lost::{Carries, ExampleField, Lost};
use super::patch::patch_operations;
use crate::doc::{DocError, Format, HttpBinding, Operation, Safety, Tool, ToolDoc};
use crate::host::Method;
use params::ToolBenchCodec;
use serde_json::{json, Map, Value};

/// Which form a document is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// The DRAFT paper's `{id: {tool_name, tool_guidelines}}`.
    Dict,
    /// One tool JSON object with an `api_list`.
    ToolObject,
    /// A list of tool JSON objects.
    ToolList,
}

fn form(value: &Value) -> Option<Form> {
    match value {
        Value::Array(a) => a.iter().any(|t| t.get("api_list").is_some()).then_some(Form::ToolList),
        Value::Object(m) if m.contains_key("api_list") => Some(Form::ToolObject),
        Value::Object(m) => m.values().next()?.get("tool_guidelines").map(|_| Form::Dict),
        _ => None,
    }
}

fn carries(form: Form) -> Carries {
    let rest = form != Form::Dict;
    Carries { title: false, examples: ExampleField::OneWithQuery, response_schema: rest, safety: false, http: rest }
}

/// True when the value is ToolBench tool JSON or the DRAFT paper's dict form.
pub fn detect(value: &Value) -> bool {
    form(value).is_some()
}

/// Reads ToolBench tool JSON (one tool or a list) or the DRAFT paper's dict form.
pub fn import(value: &Value) -> Result<ToolDoc, DocError> {
    let form = form(value).ok_or_else(|| {
        DocError::at(
            "",
            "expected ToolBench tool JSON ({\"tool_name\", \"api_list\": [...]}), a list of them, \
             or the DRAFT paper's dict form ({\"1\": {\"tool_name\", \"tool_guidelines\": {...}}})",
        )
    })?;
    let codec = ToolBenchCodec::default();
    let mut warnings = Vec::new();
    let mut tools = Vec::new();
    match (form, value) {
        (Form::Dict, Value::Object(m)) => {
            for (key, t) in m {
                tools.push(import_tool(t, &child("", key), true, &codec, &mut warnings)?);
            }
        }
        (Form::ToolList, Value::Array(a)) => {
            for (i, t) in a.iter().enumerate() {
                tools.push(import_tool(t, &index("", i), false, &codec, &mut warnings)?);
            }
        }
        _ => tools.push(import_tool(value, "", false, &codec, &mut warnings)?),
    }
    unique_ids(tools.iter_mut().flat_map(|t| t.operations.iter_mut()));
    warnings.extend(codec.unknown_types.take());
    Ok(ToolDoc { format: Some(Format::ToolBench), tools, source: value.clone(), warnings, ..Default::default() })
}

fn import_tool(
    t: &Value,
    ptr: &str,
    dict: bool,
    codec: &ToolBenchCodec,
    warnings: &mut Vec<String>,
) -> Result<Tool, DocError> {
    let m = json::object(t, ptr)?;
    let name = json::req_str(m, "tool_name", ptr)?;
    let mut tool = Tool {
        name: name.to_string(),
        description: json::opt_str(m, "tool_description", ptr)?.unwrap_or_default().to_string(),
        pointer: ptr.to_string(),
        ..Default::default()
    };
    if dict {
        let gp = child(ptr, "tool_guidelines");
        let apis = json::opt_object(m, "tool_guidelines", ptr)?
            .ok_or_else(|| DocError::at(ptr, "missing `tool_guidelines`"))?;
        for (key, api) in apis {
            tool.operations.push(import_api(api, &child(&gp, key), name, Some(key), codec, warnings)?);
        }
    } else {
        let lp = child(ptr, "api_list");
        let apis = json::opt_array(m, "api_list", ptr)?.ok_or_else(|| DocError::at(ptr, "missing `api_list`"))?;
        for (i, api) in apis.iter().enumerate() {
            tool.operations.push(import_api(api, &index(&lp, i), name, None, codec, warnings)?);
        }
    }
    Ok(tool)
}

fn import_api(
    api: &Value,
    ptr: &str,
    tool_name: &str,
    key: Option<&str>,
    codec: &ToolBenchCodec,
    warnings: &mut Vec<String>,
) -> Result<Operation, DocError> {
    let m = json::object(api, ptr)?;
    let name = match key {
        Some(k) => json::opt_str(m, "name", ptr)?.unwrap_or(k),
        None => json::req_str(m, "name", ptr)?,
    };
    let url = json::opt_str(m, "url", ptr)?;
    let method = json::opt_str(m, "method", ptr)?;
    let http = match (method, url) {
        (Some(s), Some(url)) => match Method::parse(s) {
            Some(method) => Some(HttpBinding { method, path: url.to_string(), body_media_type: None }),
            None => {
                warnings.push(format!("{}: unknown HTTP method `{s}`", child(ptr, "method")));
                None
            }
        },
        _ => None,
    };
    let path_params = url.map(template_params).unwrap_or_default();
    let response_schema = match m.get("schema") {
        Some(Value::Object(o)) if !o.is_empty() => Some(Value::Object(o.clone())),
        _ => None,
    };
    Ok(Operation {
        id: format!("{tool_name}/{}", key.unwrap_or(name)),
        name: name.to_string(),
        description: json::opt_str(m, "description", ptr)?.unwrap_or_default().to_string(),
        safety: http.as_ref().map(|h| Safety::from_method(h.method)).unwrap_or_default(),
        http,
        parameters: lists::read(m, ptr, codec, &path_params)?,
        response_schema,
        examples: lists::read_example(m, ptr)?.into_iter().collect(),
        pointer: ptr.to_string(),
        ..Default::default()
    })
}

/// Writes ToolBench: patches the source when it is ToolBench, else writes tool JSON.
pub fn export(doc: &ToolDoc) -> Result<(Value, Vec<String>), DocError> {
    if doc.format == Some(Format::ToolBench) {
        if let (Ok(baseline), Some(form)) = (import(&doc.source), form(&doc.source)) {
            return Ok(patch(doc, &baseline, form));
        }
    }
    Ok(fresh(doc))
}

/// One API entry; the dict form has no url, method or response schema.
fn api_entry(tool: &Tool, op: &Operation, dict: bool) -> Value {
    let codec = ToolBenchCodec::default();
    let mut m = Map::new();
    m.insert("name".into(), json!(op.name));
    if let (Some(h), false) = (&op.http, dict) {
        let url = match &tool.base_url {
            Some(base) if h.path.starts_with('/') => format!("{}{}", base.trim_end_matches('/'), h.path),
            _ => h.path.clone(),
        };
        m.insert("url".into(), json!(url));
    }
    m.insert("description".into(), json!(op.description));
    if let (Some(h), false) = (&op.http, dict) {
        m.insert("method".into(), json!(h.method.as_str()));
    }
    let (req, opt) = lists::write(&op.parameters, &codec);
    m.insert("required_parameters".into(), req);
    m.insert("optional_parameters".into(), opt);
    if let (Some(s), false) = (&op.response_schema, dict) {
        m.insert("schema".into(), s.clone());
    }
    lists::patch_example(&mut m, op.examples.first(), None);
    Value::Object(m)
}

fn fresh(doc: &ToolDoc) -> (Value, Vec<String>) {
    let mut lost = Lost::default();
    let mut tools = Vec::new();
    for tool in &doc.tools {
        let mut apis = Vec::new();
        for op in &tool.operations {
            lost.op_in(op, carries(Form::ToolObject), params::losses(op, None));
            apis.push(api_entry(tool, op, false));
        }
        tools.push(json!({"tool_name": tool.name, "tool_description": tool.description, "api_list": apis}));
    }
    let out = match tools.len() {
        1 => tools.pop().unwrap_or_default(),
        _ => Value::Array(tools),
    };
    (out, lost.lines)
}

fn patch(doc: &ToolDoc, baseline: &ToolDoc, form: Form) -> (Value, Vec<String>) {
    let mut out = doc.source.clone();
    let codec = ToolBenchCodec::default();
    let dict = form == Form::Dict;
    let mut early = Lost::default();
    // Where each tool of the document lives in `out` (None: it cannot be added).
    let mut tool_ptrs: Vec<Option<String>> = Vec::new();
    for tool in &doc.tools {
        let twin = baseline.tools.iter().find(|b| b.pointer == tool.pointer);
        match twin {
            Some(b) if tool_ptrs.iter().all(|p| p.as_deref() != Some(tool.pointer.as_str())) => {
                if let Some(Value::Object(m)) = out.pointer_mut(&tool.pointer) {
                    if b.name != tool.name {
                        m.insert("tool_name".into(), json!(tool.name));
                    }
                    if b.description != tool.description {
                        m.insert("tool_description".into(), json!(tool.description));
                    }
                }
                tool_ptrs.push(Some(tool.pointer.clone()));
            }
            _ => tool_ptrs.push(add_tool(&mut out, tool, form, &mut early)),
        }
    }
    let lost = patch_operations(
        doc,
        baseline,
        &mut out,
        |e, b, op, lost| {
            if let Value::Object(m) = e {
                patch_api(m, b, op, dict, &codec);
            }
            lost.op_in(op, carries(form), params::losses(op, Some(b)));
        },
        |out, tool, op, lost| {
            let at = doc.tools.iter().position(|t| std::ptr::eq(t, tool)).and_then(|i| tool_ptrs[i].clone());
            let Some(at) = at else { return };
            lost.op_in(op, carries(form), params::losses(op, None));
            let entry = api_entry(tool, op, dict);
            match out.pointer_mut(&child(&at, if dict { "tool_guidelines" } else { "api_list" })) {
                Some(Value::Object(g)) => {
                    let mut key = op.name.clone();
                    let mut n = 2;
                    while g.contains_key(&key) {
                        key = format!("{} ({n})", op.name);
                        n += 1;
                    }
                    g.insert(key, entry);
                }
                Some(Value::Array(a)) => a.push(entry),
                _ => {}
            }
        },
    );
    let gone: Vec<String> = baseline
        .tools
        .iter()
        .filter(|b| !b.pointer.is_empty() && !tool_ptrs.iter().any(|p| p.as_deref() == Some(b.pointer.as_str())))
        .map(|b| b.pointer.clone())
        .collect();
    json::remove_all(&mut out, &gone);
    let mut lines = early.lines;
    lines.extend(lost.lines);
    (out, lines)
}

/// Adds a tool the source does not have; returns where it went.
fn add_tool(out: &mut Value, tool: &Tool, form: Form, lost: &mut Lost) -> Option<String> {
    match (form, out) {
        (Form::Dict, Value::Object(m)) => {
            let next = m.keys().filter_map(|k| k.parse::<u64>().ok()).max().map_or(1, |n| n + 1).to_string();
            m.insert(
                next.clone(),
                json!({"ID": next, "tool_name": tool.name, "tool_description": tool.description, "tool_guidelines": {}}),
            );
            Some(child("", &next))
        }
        (Form::ToolList, Value::Array(a)) => {
            a.push(json!({"tool_name": tool.name, "tool_description": tool.description, "api_list": []}));
            Some(index("", a.len() - 1))
        }
        _ => {
            lost.tool(tool, "the whole tool (the document holds a single tool)");
            None
        }
    }
}

fn patch_api(m: &mut Map<String, Value>, b: &Operation, op: &Operation, dict: bool, codec: &ToolBenchCodec) {
    if b.name != op.name {
        m.insert("name".into(), json!(op.name));
    }
    if b.description != op.description {
        m.insert("description".into(), json!(op.description));
    }
    if b.http != op.http && !dict {
        match &op.http {
            Some(h) => {
                m.insert("url".into(), json!(h.path));
                m.insert("method".into(), json!(h.method.as_str()));
            }
            None => {
                m.shift_remove("url");
                m.shift_remove("method");
            }
        }
    }
    if b.response_schema != op.response_schema && !dict {
        match &op.response_schema {
            Some(s) => m.insert("schema".into(), s.clone()),
            None => m.shift_remove("schema"),
        };
    }
    lists::patch(m, &b.parameters, &op.parameters, codec);
    if b.examples.first() != op.examples.first() {
        lists::patch_example(m, op.examples.first(), None);
    }
}
