//! The live MCP server's `tools/list` against the document: is each documented tool still
//! listed, and do its parameters, required ones and enums match the live `inputSchema`?
//! No call is made for this: the listing is read once.
//!
//! ```
//! use serde_json::json;
//! use tooldraft::check::listing::LiveTools;
//! use tooldraft::check::{CheckKind, Verdict};
//! use tooldraft::doc::{Location, Operation, Parameter};
//! let live = LiveTools::read(&json!({"tools": [{"name": "echo", "inputSchema":
//!     {"type": "object", "properties": {"message": {"type": "string"}}, "required": ["message"]}}]}));
//! let op = Operation { id: "echo".into(), name: "echo".into(),
//!     parameters: vec![Parameter::new("message", Location::Body)], ..Default::default() };
//! let mut items = Vec::new();
//! assert!(live.check(&op, &mut items));
//! let drift: Vec<_> = items.iter().filter(|i| i.verdict == Verdict::Drift).collect();
//! assert_eq!(drift.len(), 1);
//! assert_eq!(drift[0].kind, CheckKind::InputSchema);
//! assert!(drift[0].detail.contains("requires"), "{}", drift[0].detail);
//! ```

use super::{CheckItem, CheckKind, Verdict};
use crate::doc::Operation;
use crate::schema::json_equal;
use serde_json::{Map, Value};

/// What the live server lists, or why it could not be read.
pub struct LiveTools {
    /// By name, in the server's order.
    tools: Map<String, Value>,
    error: Option<String>,
}

impl LiveTools {
    /// A `tools/list` result (`{tools: [...]}`).
    pub fn read(list: &Value) -> LiveTools {
        let tools = list
            .get("tools")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|t| Some((t.get("name")?.as_str()?.to_string(), t.clone())))
            .collect();
        LiveTools { tools, error: None }
    }

    /// The listing failed with this message.
    pub fn failed(message: String) -> LiveTools {
        LiveTools { tools: Map::new(), error: Some(message) }
    }

    /// Why the listing failed, if it did.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The live tool names, in the server's order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.tools.keys().map(String::as_str)
    }

    /// Adds the listing's checks of `op` to `items`; false when the operation should not be
    /// called (the server does not list it, or could not be asked).
    pub fn check(&self, op: &Operation, items: &mut Vec<CheckItem>) -> bool {
        if let Some(e) = &self.error {
            items.push(CheckItem::new(
                CheckKind::Listed,
                "tools/list",
                Verdict::Unreachable,
                format!("the live server's tool list could not be read: {e}"),
            ));
            return false;
        }
        let Some(tool) = self.tools.get(&op.name) else {
            items.push(CheckItem::new(
                CheckKind::Listed,
                format!("`{}`", op.name),
                Verdict::Drift,
                "the live server no longer lists this tool",
            ));
            return false;
        };
        items.push(CheckItem::new(
            CheckKind::Listed,
            format!("`{}`", op.name),
            Verdict::Ok,
            "listed by the live server",
        ));
        let before = items.len();
        input_differences(op, tool.get("inputSchema").unwrap_or(&Value::Null), items);
        if items.len() == before {
            items.push(CheckItem::new(
                CheckKind::InputSchema,
                "parameters",
                Verdict::Ok,
                "the live inputSchema has the documented parameters, required ones and enums",
            ));
        }
        true
    }
}

fn drift(subject: &str, detail: String) -> CheckItem {
    CheckItem::new(CheckKind::InputSchema, format!("`{subject}`"), Verdict::Drift, detail)
}

/// The live input schema's properties, required names and enums against the document's.
fn input_differences(op: &Operation, live: &Value, items: &mut Vec<CheckItem>) {
    let Some(props) = live.get("properties").and_then(Value::as_object) else {
        return;
    };
    let required: Vec<&str> =
        live.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    for p in &op.parameters {
        let Some(live_schema) = props.get(&p.name) else {
            items.push(drift(&p.name, "documented, but the live inputSchema has no such parameter".into()));
            continue;
        };
        let live_required = required.contains(&p.name.as_str());
        if live_required && !p.required {
            items.push(drift(&p.name, "the live server requires it; the document says it is optional".into()));
        } else if p.required && !live_required {
            items.push(drift(&p.name, "documented as required; the live server says it is optional".into()));
        }
        let doc_enum = if p.enum_values.is_empty() {
            p.schema.get("enum").and_then(Value::as_array).cloned().unwrap_or_default()
        } else {
            p.enum_values.clone()
        };
        if let Some(live_enum) = live_schema.get("enum").and_then(Value::as_array) {
            let missing: Vec<String> =
                doc_enum.iter().filter(|v| !live_enum.iter().any(|l| json_equal(l, v))).map(Value::to_string).collect();
            if !missing.is_empty() {
                items.push(drift(
                    &p.name,
                    format!("documented value(s) {} are no longer in the live enum", missing.join(", ")),
                ));
            }
        }
    }
    for name in props.keys().filter(|k| op.parameter(k).is_none()) {
        let how = if required.contains(&name.as_str()) { "requires" } else { "takes" };
        items.push(drift(name, format!("the live tool {how} this parameter, which the document does not describe")));
    }
}
