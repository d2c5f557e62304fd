//! A small JSON Schema validator: enough of draft 2020-12 / draft-07 to check a model's
//! structured output and a call's arguments, with messages that name the failing path.
//!
//! ```
//! use serde_json::json;
//! let schema = json!({"type": "object", "required": ["q"], "properties": {"q": {"type": "string"}}});
//! assert!(tooldraft::schema::validate(&schema, &json!({"q": "hi"})).is_empty());
//! assert_eq!(tooldraft::schema::validate(&schema, &json!({})).len(), 1);
//! ```

use serde_json::Value;

/// One way a value fails its schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer to the failing value (`""` is the root).
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = if self.path.is_empty() { "/" } else { &self.path };
        write!(f, "{path}: {}", self.message)
    }
}

/// Every violation of `schema` by `value` (empty when valid).
pub fn validate(schema: &Value, value: &Value) -> Vec<Violation> {
    let mut out = Vec::new();
    check(schema, value, "", &mut out);
    out
}

fn type_matches(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.as_f64().is_some_and(|f| f.fract() == 0.0),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        _ => true,
    }
}

fn check(schema: &Value, value: &Value, path: &str, out: &mut Vec<Violation>) {
    let Some(s) = schema.as_object() else { return };
    let types: Vec<&str> = match s.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if !types.is_empty() && !types.iter().any(|t| type_matches(t, value)) {
        out.push(Violation { path: path.into(), message: format!("expected {}", types.join(" or ")) });
        return;
    }
    if let (Some(req), Some(obj)) = (s.get("required").and_then(Value::as_array), value.as_object()) {
        for r in req.iter().filter_map(Value::as_str) {
            if !obj.contains_key(r) {
                out.push(Violation { path: path.into(), message: format!("missing required property \"{r}\"") });
            }
        }
    }
    if let (Some(props), Some(obj)) = (s.get("properties").and_then(Value::as_object), value.as_object()) {
        for (k, sub) in props {
            if let Some(v) = obj.get(k) {
                check(sub, v, &format!("{path}/{k}"), out);
            }
        }
    }
    if let (Some(items), Some(arr)) = (s.get("items"), value.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            check(items, v, &format!("{path}/{i}"), out);
        }
    }
}
