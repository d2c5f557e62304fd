//! ToolBench parameter entries: `{"name", "type", "description", "default"}`, where `type` is
//! RapidAPI's spelling ("STRING", "NUMBER", "BOOLEAN", "ENUM", "DATE (YYYY-MM-DD)", …).
//! Types map to JSON Schema; patching leaves the original spelling alone unless the schema
//! changed; `default: ""` means no default.

use crate::doc::formats::json;
use crate::doc::formats::lists::Codec;
use crate::doc::{DocError, Location, Operation, Parameter};
use serde_json::{json, Map, Value};

/// The JSON Schema for a ToolBench type name (`None` when the name is not known).
pub(crate) fn schema_for(type_name: &str) -> Option<Value> {
    let lower = type_name.trim().to_ascii_lowercase();
    let word: String = lower.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    Some(match word.as_str() {
        "string" | "str" | "text" | "enum" | "geopoint" | "time" | "credentials" => json!({"type": "string"}),
        "number" | "float" | "double" => json!({"type": "number"}),
        "integer" | "int" => json!({"type": "integer"}),
        "boolean" | "bool" => json!({"type": "boolean"}),
        "object" | "json" => json!({"type": "object"}),
        "array" | "list" => json!({"type": "array"}),
        "binary" | "file" => json!({"type": "string", "format": "binary"}),
        "date" => json!({"type": "string", "format": "date"}),
        _ => return None,
    })
}

/// The ToolBench type name for a schema (`None` when untyped).
pub(crate) fn type_for(p: &Parameter) -> Option<&'static str> {
    let format = p.schema.get("format").and_then(Value::as_str);
    Some(match (p.type_name()?, format) {
        ("string", Some("binary")) => "BINARY",
        ("string", Some("date")) => "DATE (YYYY-MM-DD)",
        ("string", _) if !p.enum_values.is_empty() => "ENUM",
        ("string", _) => "STRING",
        ("number", _) | ("integer", _) => "NUMBER",
        ("boolean", _) => "BOOLEAN",
        ("object", _) => "OBJECT",
        ("array", _) => "ARRAY",
        _ => return None,
    })
}

/// What ToolBench entries cannot hold of an operation's parameters, skipping those equal to
/// their twin in `baseline` (a patch leaves them as written).
pub(crate) fn losses(op: &Operation, baseline: Option<&Operation>) -> Vec<String> {
    let mut items = Vec::new();
    for p in &op.parameters {
        if baseline.and_then(|b| b.parameter(&p.name)) == Some(p) {
            continue;
        }
        let mut what = Vec::new();
        if !p.enum_values.is_empty() {
            what.push("enum values".to_string());
        }
        if !p.examples.is_empty() {
            what.push("examples".to_string());
        }
        if p.type_name() == Some("integer") {
            what.push("integer type (written as NUMBER)".to_string());
        }
        if let Value::Object(m) = &p.schema {
            let kept_format = matches!(m.get("format").and_then(Value::as_str), Some("binary" | "date"));
            let extra: Vec<&str> =
                m.keys().map(String::as_str).filter(|k| *k != "type" && !(*k == "format" && kept_format)).collect();
            if !extra.is_empty() {
                what.push(format!("schema keywords {}", extra.join(", ")));
            }
        }
        if matches!(p.location, Location::Header | Location::Cookie)
            || (p.location == Location::Body && op.http.is_some())
        {
            what.push(format!("its location ({:?})", p.location).to_lowercase());
        }
        if !what.is_empty() {
            items.push(format!("parameter `{}`: {}", p.name, what.join(", ")));
        }
    }
    items
}

/// The ToolBench entry codec.
#[derive(Default)]
pub(crate) struct ToolBenchCodec {
    /// Type names that did not map, with where they were (collected for warnings).
    pub unknown_types: std::cell::RefCell<Vec<String>>,
}

fn default_of(v: Option<&Value>) -> Option<Value> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(v) => Some(v.clone()),
    }
}

impl Codec for ToolBenchCodec {
    fn read(&self, e: &Value, listed_required: bool, path_params: &[String], ptr: &str) -> Result<Parameter, DocError> {
        let m = json::object(e, ptr)?;
        let name = json::req_str(m, "name", ptr)?;
        let location = if path_params.iter().any(|n| n == name) { Location::Path } else { Location::Query };
        let mut p = Parameter::new(name, location);
        p.required = listed_required || location == Location::Path;
        p.description = json::opt_str(m, "description", ptr)?.unwrap_or_default().to_string();
        if let Some(t) = json::opt_str(m, "type", ptr)? {
            match schema_for(t) {
                Some(s) => p.schema = s,
                None => {
                    self.unknown_types.borrow_mut().push(format!("{}: unknown type `{t}`", json::child(ptr, "type")))
                }
            }
        }
        p.default = default_of(m.get("default"));
        Ok(p)
    }

    fn write(&self, p: &Parameter) -> Value {
        let mut m = Map::new();
        m.insert("name".into(), json!(p.name));
        if let Some(t) = type_for(p) {
            m.insert("type".into(), json!(t));
        }
        m.insert("description".into(), json!(p.description));
        m.insert("default".into(), p.default.clone().unwrap_or(json!("")));
        Value::Object(m)
    }

    fn patch(&self, e: &mut Value, b: &Parameter, p: &Parameter) {
        let Value::Object(m) = e else {
            *e = self.write(p);
            return;
        };
        if b.name != p.name {
            m.insert("name".into(), json!(p.name));
        }
        if b.schema != p.schema || (b.enum_values.is_empty() != p.enum_values.is_empty()) {
            match type_for(p) {
                Some(t) => {
                    m.insert("type".into(), json!(t));
                }
                None => {
                    m.shift_remove("type");
                }
            }
        }
        if b.description != p.description {
            m.insert("description".into(), json!(p.description));
        }
        if b.default != p.default {
            m.insert("default".into(), p.default.clone().unwrap_or(json!("")));
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn types_map_both_ways() {
        for (t, back) in [
            ("STRING", "STRING"),
            ("string", "STRING"),
            ("NUMBER", "NUMBER"),
            ("BOOLEAN", "BOOLEAN"),
            ("BINARY", "BINARY"),
            ("DATE (YYYY-MM-DD)", "DATE (YYYY-MM-DD)"),
            ("OBJECT", "OBJECT"),
            ("ARRAY", "ARRAY"),
        ] {
            let p = Parameter { schema: schema_for(t).unwrap(), ..Default::default() };
            assert_eq!(type_for(&p), Some(back), "{t}");
        }
        assert_eq!(schema_for("ENUM"), Some(json!({"type": "string"})));
        assert_eq!(schema_for("WEIRD"), None);
    }

    #[test]
    fn empty_default_is_no_default() {
        let c = ToolBenchCodec::default();
        let p =
            c.read(&json!({"name": "q", "type": "STRING", "description": "", "default": ""}), true, &[], "/p").unwrap();
        assert_eq!(p.default, None);
        assert_eq!(c.write(&p), json!({"name": "q", "type": "STRING", "description": "", "default": ""}));
    }
}
