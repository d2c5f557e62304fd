//! The format-neutral model every format imports into and exports from.

use crate::host::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// A tool-documentation format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "FormatName"))]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// OpenAPI 3.0 / 3.1.
    OpenApi,
    /// Swagger 2.0 (imported; exported as OpenAPI 3 unless 2.0 is asked for).
    Swagger,
    /// An MCP `tools/list` result (or a bare list of MCP tools).
    Mcp,
    /// OpenAI function-calling tools.
    OpenAi,
    /// Anthropic tools.
    Anthropic,
    /// ToolBench tool JSON (`api_list`) or the DRAFT paper's dict form (`tool_guidelines`).
    ToolBench,
    /// RestBench, in the DRAFT paper's form.
    RestBench,
}

impl Format {
    /// Every format, in a stable order.
    pub const ALL: [Format; 7] = [
        Format::OpenApi,
        Format::Swagger,
        Format::Mcp,
        Format::OpenAi,
        Format::Anthropic,
        Format::ToolBench,
        Format::RestBench,
    ];

    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Format::OpenApi => "openapi",
            Format::Swagger => "swagger",
            Format::Mcp => "mcp",
            Format::OpenAi => "openai",
            Format::Anthropic => "anthropic",
            Format::ToolBench => "toolbench",
            Format::RestBench => "restbench",
        }
    }

    /// Parses a format name (case-insensitive; `swagger2` and `oas` are accepted too).
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s.to_ascii_lowercase().as_str() {
            "openapi" | "oas" | "openapi3" => Format::OpenApi,
            "swagger" | "swagger2" => Format::Swagger,
            "mcp" => Format::Mcp,
            "openai" => Format::OpenAi,
            "anthropic" => Format::Anthropic,
            "toolbench" => Format::ToolBench,
            "restbench" => Format::RestBench,
            _ => return None,
        })
    }
}

/// The text syntax a document was written in; export keeps it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "SyntaxName"))]
#[serde(rename_all = "lowercase")]
pub enum Syntax {
    #[default]
    Json,
    Yaml,
}

/// A whole document: one or more tools.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ToolDoc {
    pub format: Option<Format>,
    #[serde(default)]
    pub syntax: Syntax,
    /// The format's own version string where it has one (`3.1.0`, `2.0`, an MCP revision).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub version: Option<String>,
    pub tools: Vec<Tool>,
    /// The parsed original document (with `$ref`s as written). Export in the same format
    /// patches this, so that everything tooldraft does not model survives a round trip.
    #[serde(default)]
    pub source: Value,
    /// Things noticed while reading that are not errors (an unresolved `$ref`, a cycle cut).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl ToolDoc {
    /// All operations of all tools.
    pub fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.tools.iter().flat_map(|t| t.operations.iter())
    }

    /// All operations of all tools, mutably.
    pub fn operations_mut(&mut self) -> impl Iterator<Item = &mut Operation> {
        self.tools.iter_mut().flat_map(|t| t.operations.iter_mut())
    }

    /// The operation with this id.
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations().find(|o| o.id == id)
    }

    /// The operation with this id, mutably.
    pub fn operation_mut(&mut self, id: &str) -> Option<&mut Operation> {
        self.operations_mut().find(|o| o.id == id)
    }

    /// How many operations the document has.
    pub fn operation_count(&self) -> usize {
        self.tools.iter().map(|t| t.operations.len()).sum()
    }

    /// How many parameters the document has.
    pub fn parameter_count(&self) -> usize {
        self.operations().map(|o| o.parameters.len()).sum()
    }
}

/// A tool: a named group of operations (an API, an MCP server, a ToolBench tool).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Tool {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Where requests go, as documented (`servers[0].url`, a ToolBench host).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub base_url: Option<String>,
    pub operations: Vec<Operation>,
    /// JSON pointer to this tool in the source document ("" for the whole document).
    #[serde(default)]
    pub pointer: String,
}

/// How an HTTP operation is called.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct HttpBinding {
    pub method: Method,
    /// The path template (`/users/{id}`), or a full URL template where the format gives one.
    pub path: String,
    /// The request body's media type when the operation takes a body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub body_media_type: Option<String>,
}

/// One callable operation: an HTTP endpoint, an MCP tool, a function tool.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    /// Unique within the document; stable across import and export.
    pub id: String,
    /// The name a model calls it by.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub title: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub http: Option<HttpBinding>,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// The success response's JSON Schema, documented or observed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub response_schema: Option<Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
    #[serde(default)]
    pub safety: Safety,
    /// JSON pointer to this operation in the source document.
    #[serde(default)]
    pub pointer: String,
    /// Every revision tooldraft made, oldest first (empty for a document never refined).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Revision>,
}

impl Operation {
    /// The parameter with this name.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }

    /// The JSON Schema of the call arguments: an object with one property per parameter.
    pub fn arguments_schema(&self) -> Value {
        let mut props = serde_json::Map::new();
        let mut required = Vec::new();
        for p in &self.parameters {
            let mut s = if p.schema.is_object() { p.schema.clone() } else { Value::Object(Default::default()) };
            if let Value::Object(m) = &mut s {
                if !p.description.is_empty() {
                    m.insert("description".into(), Value::String(p.description.clone()));
                }
                if !p.enum_values.is_empty() && !m.contains_key("enum") {
                    m.insert("enum".into(), Value::Array(p.enum_values.clone()));
                }
                if let Some(d) = &p.default {
                    m.entry("default").or_insert_with(|| d.clone());
                }
            }
            props.insert(p.name.clone(), s);
            if p.required {
                required.push(Value::String(p.name.clone()));
            }
        }
        serde_json::json!({"type": "object", "properties": props, "required": required})
    }

    /// What the safety policy sees: read-only, a write, or destructive.
    pub fn safety_class(&self) -> SafetyClass {
        self.safety.class()
    }
}

/// Where a parameter goes in a call.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Location {
    Path,
    #[default]
    Query,
    Header,
    Cookie,
    /// A top-level property of the JSON (or form) body, or an argument of an MCP or function tool.
    Body,
}

/// One parameter of an operation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Parameter {
    pub name: String,
    pub location: Location,
    /// JSON Schema of the value (`{}` when the document gives no type).
    #[serde(default)]
    pub schema: Value,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub default: Option<Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enum_values: Vec<Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Value>,
    /// OpenAPI `style` / `explode` where given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub style: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub explode: Option<bool>,
}

impl Parameter {
    /// A parameter with an empty schema; path parameters are required.
    pub fn new(name: impl Into<String>, location: Location) -> Self {
        Parameter {
            name: name.into(),
            location,
            schema: Value::Object(Default::default()),
            required: location == Location::Path,
            ..Default::default()
        }
    }

    /// The schema's `type`, if any.
    pub fn type_name(&self) -> Option<&str> {
        self.schema.get("type").and_then(Value::as_str)
    }
}

/// A worked example: a user query, the arguments, and (when observed) the result.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Example {
    #[serde(default)]
    pub query: String,
    #[serde(default)]
    pub arguments: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub result: Option<Value>,
    /// True when tooldraft made this call and it succeeded.
    #[serde(default)]
    pub verified: bool,
}

/// Safety hints, from the HTTP method or MCP annotations. `None` means unknown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Safety {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub read_only: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub destructive: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub idempotent: Option<bool>,
}

/// The three classes the safety policy distinguishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SafetyClass {
    ReadOnly,
    Write,
    Destructive,
}

impl Safety {
    /// Hints from an HTTP method: GET/HEAD/OPTIONS are read-only, DELETE destructive,
    /// PUT idempotent, POST/PATCH writes that are not known to be destructive.
    pub fn from_method(m: Method) -> Safety {
        match m {
            Method::Get | Method::Head | Method::Options | Method::Trace => {
                Safety { read_only: Some(true), destructive: Some(false), idempotent: Some(true) }
            }
            Method::Delete => Safety { read_only: Some(false), destructive: Some(true), idempotent: Some(true) },
            Method::Put => Safety { read_only: Some(false), destructive: Some(false), idempotent: Some(true) },
            Method::Post | Method::Patch => {
                Safety { read_only: Some(false), destructive: Some(false), idempotent: Some(false) }
            }
        }
    }

    /// Read-only only when known to be; a non-read-only operation is destructive unless
    /// known not to be (MCP's default for `destructiveHint` is true).
    pub fn class(&self) -> SafetyClass {
        match (self.read_only, self.destructive) {
            (Some(true), _) => SafetyClass::ReadOnly,
            (_, Some(false)) => SafetyClass::Write,
            _ => SafetyClass::Destructive,
        }
    }
}

/// One revision of an operation's documentation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Revision {
    /// 0 is the original; each accepted or rejected rewrite adds one.
    pub index: usize,
    pub description: String,
    /// Parameter name → description.
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
    pub accepted: bool,
    /// Why it was rejected (or what it was accepted on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub reason: Option<String>,
    /// Ids of the trails this revision drew on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}
