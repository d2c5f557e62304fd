//! Doc smells: what in a tool document makes it hard for a model to use the tool.
//!
//! Most checks read the model. Two read the document itself: whether a path parameter is
//! *marked* required, and whether it is documented at all. The model always marks path
//! parameters required (they are), and the RestBench and ToolBench importers add the ones a
//! document leaves out, so only the source still says how the document marked them. Those
//! checks follow each operation's pointer into `doc.source`: a `required_parameters` /
//! `optional_parameters` pair (ToolBench, RestBench) or OpenAPI `parameters` lists (on the
//! operation and its path item, with local `$ref`s followed one step).

use super::formats::json::child;
use super::formats::lists::{template_params, LISTS};
use super::{Format, Location, Operation, Parameter, Tool, ToolDoc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashSet;

/// Descriptions shorter than this many characters are reported as short.
pub const SHORT_DESCRIPTION_CHARS: usize = 20;

/// What `tooldraft inspect` reports about a document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct InspectReport {
    pub format: Option<Format>,
    pub tools: usize,
    pub operations: usize,
    pub parameters: usize,
    pub smells: Vec<Smell>,
    /// The import's warnings, and notes such as a document with no operations.
    pub warnings: Vec<String>,
}

/// One doc smell, with where it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Smell {
    pub kind: SmellKind,
    /// The operation's id (none for a tool-level smell).
    pub operation: Option<String>,
    pub parameter: Option<String>,
    /// JSON pointer into the source document.
    pub pointer: String,
    pub message: String,
}

/// The kinds of doc smell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum SmellKind {
    /// A tool (ToolBench tool, OpenAPI info) with no description.
    MissingToolDescription,
    MissingOperationDescription,
    /// A description shorter than [`SHORT_DESCRIPTION_CHARS`].
    ShortDescription,
    /// Two operations of one tool with the same name.
    DuplicateOperationName,
    MissingParameterDescription,
    /// A parameter whose schema gives no type (nor `$ref`, `enum`, `const`, a combinator).
    UntypedParameter,
    /// A path parameter the document does not mark required.
    PathParameterNotRequired,
    /// A `{name}` in the path template the document does not describe.
    UndocumentedPathParameter,
    /// Two parameters of one operation with the same name and location.
    DuplicateParameterName,
    /// No response schema, in a format that has a place for one.
    MissingResponseSchema,
}

/// Counts a document's tools, operations and parameters and lists its doc smells.
///
/// ```
/// use tooldraft::doc::{formats, inspect, SmellKind};
/// let doc = formats::import(r#"{"tools":[{"name":"t","inputSchema":{"type":"object",
///     "properties":{"q":{}}}}]}"#, None).unwrap();
/// let report = inspect(&doc);
/// assert_eq!((report.operations, report.parameters), (1, 1));
/// assert!(report.smells.iter().any(|s| s.kind == SmellKind::UntypedParameter));
/// ```
pub fn inspect(doc: &ToolDoc) -> InspectReport {
    let mut s = Smells::default();
    for tool in &doc.tools {
        tool_smells(doc, tool, &mut s);
        for op in &tool.operations {
            operation_smells(doc, op, &mut s);
        }
    }
    let mut warnings = doc.warnings.clone();
    if doc.operation_count() == 0 {
        warnings.push("the document has no operations".into());
    }
    InspectReport {
        format: doc.format,
        tools: doc.tools.len(),
        operations: doc.operation_count(),
        parameters: doc.parameter_count(),
        smells: s.list,
        warnings,
    }
}

#[derive(Default)]
struct Smells {
    list: Vec<Smell>,
    /// (kind, operation id or, for tool-level smells, the tool's pointer, parameter).
    seen: HashSet<(SmellKind, String, Option<String>)>,
}

impl Smells {
    fn add(&mut self, kind: SmellKind, op: Option<&Operation>, param: Option<&str>, pointer: &str, message: String) {
        let operation = op.map(|o| o.id.clone());
        let parameter = param.map(str::to_string);
        self.add_smell(Smell { kind, operation, parameter, pointer: pointer.to_string(), message });
    }
}

fn tool_smells(doc: &ToolDoc, tool: &Tool, s: &mut Smells) {
    let has_field = matches!(doc.format, Some(Format::ToolBench | Format::OpenApi | Format::Swagger));
    if has_field && tool.description.trim().is_empty() {
        s.add(
            SmellKind::MissingToolDescription,
            None,
            None,
            &tool.pointer,
            format!("tool `{}` has no description", tool.name),
        );
    }
    let mut names: Vec<(&str, &str)> = Vec::new();
    for op in &tool.operations {
        match names.iter().find(|(n, _)| *n == op.name) {
            Some((_, first)) => s.add(
                SmellKind::DuplicateOperationName,
                Some(op),
                None,
                &op.pointer,
                format!("the name `{}` is also the name of `{first}`", op.name),
            ),
            None => names.push((&op.name, &op.id)),
        }
    }
}

fn operation_smells(doc: &ToolDoc, op: &Operation, s: &mut Smells) {
    let text = op.description.trim();
    if text.is_empty() {
        s.add(
            SmellKind::MissingOperationDescription,
            Some(op),
            None,
            &op.pointer,
            "operation has no description".into(),
        );
    } else if text.chars().count() < SHORT_DESCRIPTION_CHARS {
        s.add(
            SmellKind::ShortDescription,
            Some(op),
            None,
            &op.pointer,
            format!("description is only {} characters", text.chars().count()),
        );
    }
    let carries_response = match doc.format {
        Some(Format::Mcp | Format::OpenApi | Format::Swagger) => true,
        Some(Format::ToolBench) => op.http.is_some(),
        _ => false,
    };
    if carries_response && op.response_schema.is_none() {
        s.add(SmellKind::MissingResponseSchema, Some(op), None, &op.pointer, "no response schema".into());
    }
    let entry = doc.source.pointer(&op.pointer);
    let lists = entry.filter(|e| LISTS.iter().any(|k| e.get(k).is_some()));
    for (i, p) in op.parameters.iter().enumerate() {
        let found = parameter_pointer(doc, op, p);
        // A path parameter added by the importer: only its absence is the smell.
        let synthesized = lists.is_some() && found.is_none();
        let pointer = found.unwrap_or_else(|| op.pointer.clone());
        if op.parameters[..i].iter().any(|q| q.name == p.name && q.location == p.location) {
            s.add(
                SmellKind::DuplicateParameterName,
                Some(op),
                Some(&p.name),
                &pointer,
                "parameter is listed twice".into(),
            );
        }
        if synthesized {
            continue;
        }
        if p.description.trim().is_empty() {
            s.add(
                SmellKind::MissingParameterDescription,
                Some(op),
                Some(&p.name),
                &pointer,
                "parameter has no description".into(),
            );
        }
        if untyped(p) {
            s.add(SmellKind::UntypedParameter, Some(op), Some(&p.name), &pointer, "parameter has no type".into());
        }
        if p.location == Location::Path && !p.required {
            s.add_smell(not_required(op, p, &pointer));
        }
    }
    path_smells(doc, op, lists, s);
}

fn not_required(op: &Operation, p: &Parameter, pointer: &str) -> Smell {
    Smell {
        kind: SmellKind::PathParameterNotRequired,
        operation: Some(op.id.clone()),
        parameter: Some(p.name.clone()),
        pointer: pointer.to_string(),
        message: "path parameter is not marked required".into(),
    }
}

impl Smells {
    fn add_smell(&mut self, smell: Smell) {
        let at = smell.operation.clone().unwrap_or_else(|| smell.pointer.clone());
        if self.seen.insert((smell.kind, at, smell.parameter.clone())) {
            self.list.push(smell);
        }
    }
}

fn untyped(p: &Parameter) -> bool {
    if !p.enum_values.is_empty() {
        return false;
    }
    match &p.schema {
        Value::Object(m) => {
            !["type", "$ref", "enum", "const", "anyOf", "oneOf", "allOf"].iter().any(|k| m.contains_key(*k))
        }
        _ => true,
    }
}

/// Path-template checks against the model and against the document's own marking.
fn path_smells(doc: &ToolDoc, op: &Operation, lists: Option<&Value>, s: &mut Smells) {
    let Some(http) = &op.http else { return };
    for name in template_params(&http.path) {
        let documented = op.parameters.iter().any(|p| p.name == name && p.location == Location::Path);
        if !documented {
            s.add(
                SmellKind::UndocumentedPathParameter,
                Some(op),
                Some(&name),
                &op.pointer,
                format!("`{{{name}}}` is in the path but not described"),
            );
        }
        if let Some(entry) = lists {
            let in_required = listed(entry, LISTS[0], &name);
            let in_optional = listed(entry, LISTS[1], &name);
            let says_required = in_optional.is_some_and(|e| {
                matches!(e.get("required"), Some(Value::Bool(true)))
                    || e.get("required").and_then(Value::as_str) == Some("true")
            });
            let marked = in_required.is_some() || says_required;
            if in_required.is_none() && in_optional.is_none() {
                s.add(
                    SmellKind::UndocumentedPathParameter,
                    Some(op),
                    Some(&name),
                    &op.pointer,
                    format!("`{{{name}}}` is in the URL but in neither parameter list"),
                );
            }
            if !marked {
                let p = Parameter::new(name.clone(), Location::Path);
                let at = parameter_pointer(doc, op, &p).unwrap_or_else(|| child(&op.pointer, LISTS[0]));
                s.add_smell(Smell {
                    message: "path parameter is not in required_parameters".into(),
                    ..not_required(op, &p, &at)
                });
            }
        }
    }
    if matches!(doc.format, Some(Format::OpenApi | Format::Swagger)) {
        openapi_marking(doc, op, s);
    }
}

/// OpenAPI: path parameters whose `required` is not `true`, on the operation or its path item.
fn openapi_marking(doc: &ToolDoc, op: &Operation, s: &mut Smells) {
    let parent = op.pointer.rfind('/').map(|i| &op.pointer[..i]).unwrap_or("");
    for base in [op.pointer.as_str(), parent] {
        let list_ptr = child(base, "parameters");
        let Some(Value::Array(list)) = doc.source.pointer(&list_ptr) else { continue };
        for (i, p) in list.iter().enumerate() {
            let p = resolve(&doc.source, p);
            if p.get("in").and_then(Value::as_str) != Some("path") || p.get("required") == Some(&Value::Bool(true)) {
                continue;
            }
            let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
            let param = Parameter::new(name, Location::Path);
            s.add_smell(not_required(op, &param, &format!("{list_ptr}/{i}")));
        }
    }
}

/// The entry of a parameter list with this name.
fn listed<'a>(entry: &'a Value, list: &str, name: &str) -> Option<&'a Value> {
    entry.get(list)?.as_array()?.iter().find(|e| e.get("name").and_then(Value::as_str) == Some(name))
}

/// Follows a local `$ref` one step.
fn resolve<'a>(root: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        Some(ptr) => root.pointer(ptr).unwrap_or(v),
        None => v,
    }
}

/// Where a parameter is described in the source, if it can be found.
fn parameter_pointer(doc: &ToolDoc, op: &Operation, p: &Parameter) -> Option<String> {
    let entry = doc.source.pointer(&op.pointer)?;
    for schema in ["inputSchema", "input_schema", "function/parameters", "parameters"] {
        let at = format!("{}/{schema}/properties", op.pointer);
        if let Some(Value::Object(props)) = doc.source.pointer(&at) {
            if props.contains_key(&p.name) {
                return Some(child(&at, &p.name));
            }
        }
    }
    for list in LISTS.iter().chain(["parameters"].iter()) {
        if let Some(Value::Array(a)) = entry.get(*list) {
            let hit = a.iter().position(|e| {
                let e = resolve(&doc.source, e);
                e.get("name").and_then(Value::as_str) == Some(p.name.as_str())
            });
            if let Some(i) = hit {
                return Some(format!("{}/{i}", child(&op.pointer, list)));
            }
        }
    }
    None
}
