//! Schema-driven arguments: calls built from the document itself and from what the tool's
//! errors said, with no model, so that a weak model still yields evidence.
//!
//! [`next_seed`] proposes, in order, the first candidate not already called:
//! 1. *learned*: the last failed call's arguments, repaired by what its error said (an
//!    allowed value, a value in the expected format or type, a missing parameter added, a
//!    path moved into a directory the error says is allowed);
//! 2. *minimal*: the smallest valid instance of the arguments schema, with documented
//!    values (examples, defaults, enum values, formats), and one item in a list of objects.
//!    For a read-only operation it holds only the required parameters, so it also tests the
//!    doc's "optional" claims;
//! 3. *documented*: every parameter that has a documented value.
//!
//! Documented candidates must validate against the documented schema ([`crate::schema`]);
//! learned ones may not (the error is the better evidence). The safety policy still decides
//! whether any call is made: seeds go through the same tool caller as the model's calls.
//!
//! ```
//! use serde_json::json;
//! use tooldraft::doc::{Location, Operation, Parameter, Safety};
//! use tooldraft::refine::seed::next_seed;
//! let mut day = Parameter::new("day", Location::Query);
//! day.schema = json!({"type": "string", "format": "date"});
//! day.required = true;
//! let op = Operation { id: "d".into(), name: "d".into(), parameters: vec![day],
//!     safety: Safety { read_only: Some(true), ..Default::default() }, ..Default::default() };
//! let seed = next_seed(&op, &[]).unwrap();
//! assert_eq!(seed.arguments, json!({"day": "2024-01-15"}));
//! ```

use super::evidence::Trail;
use super::explorer::validate_arguments;
use super::repair::error_text;
use super::repair::messages::{claims, Claim};
use crate::doc::{Operation, Parameter, SafetyClass};
use crate::lowercase::Lowercase;
use crate::schema::json_equal;
use serde_json::{json, Map, Value};

/// Arguments to call with, and the query a trail records for them.
#[derive(Clone, Debug, PartialEq)]
pub struct Seed {
    pub query: String,
    pub arguments: Value,
}

/// A value in a JSON Schema `format`.
fn format_sample(format: &str) -> Option<Value> {
    Some(json!(match format {
        "date" => "2024-01-15",
        "date-time" => "2024-01-15T09:30:00Z",
        "time" => "09:30:00",
        "email" => "user@example.com",
        "uri" | "url" | "uri-reference" => "https://example.com/",
        "uuid" => "00000000-0000-4000-8000-000000000000",
        "ipv4" => "127.0.0.1",
        "hostname" => "localhost",
        _ => return None,
    }))
}

/// A value of a JSON type.
fn type_sample(t: &str, schema: &Value, depth: usize) -> Value {
    let num = |k: &str| schema.get(k).and_then(Value::as_f64);
    match t {
        "integer" => {
            let lo = num("minimum").map(f64::ceil).unwrap_or(1.0);
            let v = num("maximum").map_or(lo, |hi| lo.min(hi));
            json!(v as i64)
        }
        "number" => json!(num("minimum").unwrap_or(1.0).min(num("maximum").unwrap_or(f64::MAX))),
        "boolean" => json!(false),
        "array" => {
            let n = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0).min(3) as usize;
            let item = schema.get("items").map(|s| sample(s, depth + 1)).unwrap_or(json!("example"));
            Value::Array(vec![item; n])
        }
        "object" => {
            let mut m = Map::new();
            let props = schema.get("properties").and_then(Value::as_object);
            for r in schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
                let s = props.and_then(|p| p.get(r)).cloned().unwrap_or(json!({}));
                m.insert(r.to_string(), sample(&s, depth + 1));
            }
            Value::Object(m)
        }
        "null" => Value::Null,
        _ => {
            if let Some(v) = schema.get("format").and_then(Value::as_str).and_then(format_sample) {
                return v;
            }
            let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
            let max = schema.get("maxLength").and_then(Value::as_u64).map_or(usize::MAX, |m| m as usize);
            let mut s = "example".to_string();
            while s.len() < min {
                s.push('x');
            }
            s.truncate(max.max(min));
            json!(s)
        }
    }
}

/// The smallest valid instance of a schema, preferring documented values.
pub fn sample(schema: &Value, depth: usize) -> Value {
    if depth > 6 {
        return json!({});
    }
    let first = |k: &str| schema.get(k).and_then(Value::as_array).and_then(|a| a.first()).cloned();
    if let Some(c) = schema.get("const") {
        return c.clone();
    }
    if let Some(v) = first("enum").or_else(|| schema.get("example").cloned()).or_else(|| first("examples")) {
        return v;
    }
    if let Some(d) = schema.get("default") {
        return d.clone();
    }
    for k in ["anyOf", "oneOf", "allOf"] {
        if let Some(s) = schema.get(k).and_then(Value::as_array).and_then(|a| a.first()) {
            return sample(s, depth + 1);
        }
    }
    let t = match schema.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => {
            ts.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap_or("string").to_string()
        }
        _ if schema.get("properties").is_some() => "object".into(),
        _ => "string".into(),
    };
    type_sample(&t, schema, depth)
}

/// The best documented value of a parameter. A list of objects gets one item (the smallest
/// valid one) rather than none: an empty list is valid but says nothing about its items,
/// while one item tests which of their properties the tool requires (what
/// `repair::nested` proves from the error when the doc left one out).
fn parameter_value(p: &Parameter) -> Value {
    if let Some(v) = p.examples.first().or(p.default.as_ref()).or(p.enum_values.first()) {
        return v.clone();
    }
    let value = sample(&p.schema, 0);
    let items = p.schema.get("items").filter(|i| i.get("properties").is_some());
    match (value, items) {
        (Value::Array(a), Some(items)) if a.is_empty() && p.schema.get("maxItems") != Some(&json!(0)) => {
            Value::Array(vec![sample(items, 1)])
        }
        (value, _) => value,
    }
}

fn has_documented_value(p: &Parameter) -> bool {
    !p.examples.is_empty() || p.default.is_some() || !p.enum_values.is_empty()
}

fn tried(trails: &[Trail], args: &Value) -> bool {
    trails.iter().any(|t| json_equal(&t.arguments, args))
}

/// The last failed call's arguments, repaired by what its error said.
fn learned(op: &Operation, trails: &[Trail]) -> Option<Value> {
    let names: Vec<&str> = op.parameters.iter().map(|p| p.name.as_str()).collect();
    for t in trails.iter().rev().filter(|t| !t.succeeded()).take(3) {
        let Some(text) = error_text(t) else { continue };
        let mut args = t.arguments.as_object().cloned().unwrap_or_default();
        let mut changed = false;
        if let Some(dir) = allowed_directories(&text).into_iter().next() {
            for v in args.values_mut() {
                let outside = v.as_str().is_some_and(|s| s.contains('/') && !s.starts_with(dir.as_str()));
                if outside {
                    *v = json!(dir);
                    changed = true;
                }
            }
        }
        for (name, claim) in claims(&text, &names) {
            let Some(p) = op.parameter(&name) else { continue };
            let value = match &claim {
                Claim::Enum(values) => values
                    .iter()
                    .map(|v| typed_like(p, v))
                    .find(|v| !trails.iter().any(|t| t.arguments.get(&name).is_some_and(|x| json_equal(x, v)))),
                Claim::Format(f) => format_sample(f),
                Claim::Type(ty) => Some(type_sample(ty, &p.schema, 0)),
                Claim::Missing if !args.contains_key(&name) => Some(parameter_value(p)),
                _ => None,
            };
            if let Some(v) = value.filter(|v| args.get(&name) != Some(v)) {
                args.insert(name, v);
                changed = true;
            }
        }
        let args = Value::Object(args);
        if changed && !tried(trails, &args) {
            return Some(args);
        }
    }
    None
}

/// Directories an error says are allowed ("Allowed directories: /srv/data, /tmp/x", "path
/// outside allowed directories: /a/b not in /srv/data").
fn allowed_directories(text: &str) -> Vec<String> {
    let lower = text.lowercase();
    let Some(i) = lower.find("allowed director") else { return Vec::new() };
    let rest = &text[i..];
    let rest = match rest.lowercase().find(" not in ") {
        Some(j) => &rest[j + " not in ".len()..],
        None => rest.split_once(':').map_or("", |(_, r)| r),
    };
    rest.split(|c: char| c == ',' || c.is_whitespace() || c == '[' || c == ']' || c == '"' || c == '\'')
        .map(|s| s.trim_end_matches(['.', ';']))
        .filter(|s| s.starts_with('/') && s.len() > 1)
        .take(10)
        .map(str::to_string)
        .collect()
}

/// An allowed value as written in an error, typed like the parameter.
fn typed_like(p: &Parameter, s: &str) -> Value {
    let numeric = matches!(p.type_name(), Some("integer" | "number"));
    match (numeric, serde_json::from_str::<Value>(s)) {
        (true, Ok(v)) if v.is_number() => v,
        _ => json!(s),
    }
}

/// Required parameters (and, unless the operation is read-only, those with a documented
/// value), or every parameter with a documented value.
fn documented(op: &Operation, all: bool) -> Value {
    let read_only = op.safety_class() == SafetyClass::ReadOnly;
    let mut m = Map::new();
    for p in &op.parameters {
        let include = p.required || (has_documented_value(p) && (all || !read_only));
        if include {
            m.insert(p.name.clone(), parameter_value(p));
        }
    }
    Value::Object(m)
}

/// The next schema-driven call for `op`, or `None` when every candidate was called already.
pub fn next_seed(op: &Operation, trails: &[Trail]) -> Option<Seed> {
    if let Some(arguments) = learned(op, trails) {
        return Some(Seed { query: "(schema-driven) the last call, corrected by the tool's error".into(), arguments });
    }
    let candidates = [
        ("(schema-driven) the smallest valid call the documentation allows", documented(op, false)),
        ("(schema-driven) a call with every documented example, default or allowed value", documented(op, true)),
    ];
    candidates
        .into_iter()
        .find(|(_, args)| !tried(trails, args) && validate_arguments(op, args).is_ok())
        .map(|(query, arguments)| Seed { query: query.into(), arguments })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Location, Safety};
    use crate::tools::Observation;

    fn param(name: &str, schema: Value, required: bool) -> Parameter {
        let mut p = Parameter::new(name, Location::Body);
        p.schema = schema;
        p.required = required;
        p
    }

    fn op(read_only: bool, params: Vec<Parameter>) -> Operation {
        Operation {
            id: "t".into(),
            name: "t".into(),
            parameters: params,
            safety: Safety { read_only: Some(read_only), destructive: Some(false), idempotent: None },
            ..Default::default()
        }
    }

    fn failed(args: Value, body: &str) -> Trail {
        Trail {
            id: "t#1".into(),
            operation: "t".into(),
            episode: 0,
            query: "q".into(),
            arguments: args,
            observation: Some(Observation {
                status: Some(200),
                body: body.into(),
                is_error: true,
                ..Default::default()
            }),
            error: None,
            started_ms: 0.0,
            duration_ms: 1.0,
            schema_driven: true,
        }
    }

    #[test]
    fn smallest_valid_instances() {
        assert_eq!(sample(&json!({"type": "integer", "minimum": 3}), 0), json!(3));
        assert_eq!(sample(&json!({"type": "string", "minLength": 9}), 0), json!("examplexx"));
        assert_eq!(sample(&json!({"type": "array", "minItems": 1, "items": {"type": "boolean"}}), 0), json!([false]));
        assert_eq!(
            sample(
                &json!({"type": "object", "required": ["a"], "properties": {"a": {"enum": ["x", "y"]}, "b": {}}}),
                0
            ),
            json!({"a": "x"})
        );
        assert_eq!(sample(&json!({"type": ["null", "number"]}), 0), json!(1.0));
    }

    #[test]
    fn a_list_of_objects_gets_one_item_that_tests_its_required_properties() {
        // server-memory's create_entities with `observations` left out of the items' required.
        let items = json!({"type": "object", "required": ["name", "entityType"],
            "properties": {"name": {"type": "string"}, "entityType": {"type": "string"}, "observations": {"type": "array"}}});
        let o = op(false, vec![param("entities", json!({"type": "array", "items": items}), true)]);
        assert_eq!(
            next_seed(&o, &[]).unwrap().arguments,
            json!({"entities": [{"name": "example", "entityType": "example"}]})
        );
        // Lists of plain values, and lists that must stay empty, stay minimal.
        let o = op(true, vec![param("names", json!({"type": "array", "items": {"type": "string"}}), true)]);
        assert_eq!(next_seed(&o, &[]).unwrap().arguments, json!({"names": []}));
        let none = json!({"type": "array", "maxItems": 0, "items": {"properties": {"a": {}}}});
        let o = op(true, vec![param("x", none, true)]);
        assert_eq!(next_seed(&o, &[]).unwrap().arguments, json!({"x": []}));
    }

    #[test]
    fn read_only_minimal_call_leaves_optional_parameters_out() {
        let mut limit = param("limit", json!({"type": "integer"}), false);
        limit.default = Some(json!(10));
        let o = op(true, vec![param("q", json!({"type": "string"}), true), limit]);
        assert_eq!(next_seed(&o, &[]).unwrap().arguments, json!({"q": "example"}));
        let done = failed(json!({"q": "example"}), "boom");
        assert_eq!(next_seed(&o, &[done]).unwrap().arguments, json!({"q": "example", "limit": 10}));
        let w = op(false, o.parameters.clone());
        assert_eq!(
            next_seed(&w, &[]).unwrap().arguments,
            json!({"q": "example", "limit": 10}),
            "writes keep documented values"
        );
    }

    #[test]
    fn errors_teach_the_next_call() {
        let o = op(true, vec![param("location", json!({"type": "string"}), true)]);
        let t = failed(
            json!({"location": "example"}),
            r#"Invalid option: expected one of "New York"|"Chicago" at location"#,
        );
        assert_eq!(next_seed(&o, std::slice::from_ref(&t)).unwrap().arguments, json!({"location": "New York"}));
        let mut t2 = failed(
            json!({"location": "New York"}),
            r#"Invalid option: expected one of "New York"|"Chicago" at location"#,
        );
        t2.id = "t#2".into();
        assert_eq!(
            next_seed(&o, &[t, t2]).unwrap().arguments,
            json!({"location": "Chicago"}),
            "a value already tried is skipped"
        );
        let o = op(true, vec![param("day", json!({}), false)]);
        let t = failed(json!({"day": "monday"}), "day: invalid date format, expected YYYY-MM-DD");
        assert_eq!(next_seed(&o, &[t]).unwrap().arguments, json!({"day": "2024-01-15"}));
    }

    #[test]
    fn a_path_moves_into_a_directory_the_error_allows() {
        let o = op(true, vec![param("path", json!({"type": "string"}), true)]);
        let t = failed(
            json!({"path": "/etc/passwd"}),
            "Access denied - path outside allowed directories: /etc/passwd not in /srv/data, /tmp/x",
        );
        assert_eq!(next_seed(&o, &[t]).unwrap().arguments, json!({"path": "/srv/data"}));
        assert_eq!(allowed_directories("Allowed directories:\n/a/b\n/c"), vec!["/a/b", "/c"]);
        assert!(allowed_directories("not found").is_empty());
    }

    #[test]
    fn nothing_new_to_try_is_none() {
        let o = op(true, vec![]);
        assert_eq!(next_seed(&o, &[]).unwrap().arguments, json!({}));
        assert_eq!(next_seed(&o, &[failed(json!({}), "no")]), None);
    }
}
