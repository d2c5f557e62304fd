//! JSON Schemas inferred from real JSON values and merged across calls, and trimming of
//! large values for examples.
//!
//! Inference records types, object properties (with `required` = the keys present in every
//! observed object) and array items. Merging two schemas unions properties, intersects
//! `required`, merges items, widens `integer` + `number` to `number`, and turns other type
//! disagreements into a type list (`["null", "string"]`).
//!
//! ```
//! use serde_json::json;
//! use tooldraft::refine::shape::{infer, merge};
//! let a = infer(&json!({"id": 1, "name": "x"}));
//! let b = infer(&json!({"id": 2.5, "tags": []}));
//! let m = merge(&a, &b);
//! assert_eq!(m["properties"]["id"]["type"], "number");
//! assert_eq!(m["required"], json!(["id"]));
//! ```

use serde_json::{json, Map, Value};

/// Deeper values are described as `{}` (any).
const MAX_DEPTH: usize = 12;
/// Objects with more keys keep the first ones.
const MAX_PROPERTIES: usize = 200;

/// The JSON Schema of one value.
pub fn infer(v: &Value) -> Value {
    infer_at(v, 0)
}

fn infer_at(v: &Value, depth: usize) -> Value {
    if depth > MAX_DEPTH {
        return json!({});
    }
    match v {
        Value::Null => json!({"type": "null"}),
        Value::Bool(_) => json!({"type": "boolean"}),
        Value::Number(n) => {
            if n.is_i64() || n.is_u64() {
                json!({"type": "integer"})
            } else {
                json!({"type": "number"})
            }
        }
        Value::String(_) => json!({"type": "string"}),
        Value::Array(items) => {
            // Sampling keeps inference linear-ish on huge arrays.
            match merged(items.iter().take(50).map(|item| infer_at(item, depth + 1))) {
                Some(items) => json!({"type": "array", "items": items}),
                None => json!({"type": "array"}),
            }
        }
        Value::Object(obj) if is_map(obj) => map_of(merged(obj.values().take(50).map(|v| infer_at(v, depth + 1)))),
        Value::Object(obj) => {
            let mut props = Map::new();
            for (k, val) in obj.iter().take(MAX_PROPERTIES) {
                props.insert(k.clone(), infer_at(val, depth + 1));
            }
            let required: Vec<Value> = props.keys().map(|k| Value::String(k.clone())).collect();
            json!({"type": "object", "properties": props, "required": required})
        }
    }
}

/// Request headers a server echoes back (httpbin's `/headers`, a debugging tool's dump): keys of
/// a map that the caller's client chose, not fields of the tool's answer.
#[rustfmt::skip]
const HEADER_NAMES: [&str; 24] = [
    "accept", "accept-encoding", "accept-language", "authorization", "cache-control", "connection",
    "content-length", "content-type", "cookie", "dnt", "forwarded", "host", "if-none-match", "origin",
    "pragma", "priority", "referer", "te", "traceparent", "upgrade-insecure-requests", "user-agent", "via",
    "keep-alive", "x-forwarded-for",
];

fn header_name(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    HEADER_NAMES.contains(&k.as_str()) || k.starts_with("x-") || k.starts_with("sec-")
}

/// A key that is data: a number or a UUID.
fn data_key(key: &str) -> bool {
    let digits = !key.is_empty() && key.len() <= 20 && key.bytes().all(|b| b.is_ascii_digit());
    let uuid = key.len() == 36
        && key
            .bytes()
            .enumerate()
            .all(|(i, b)| if matches!(i, 8 | 13 | 18 | 23) { b == b'-' } else { b.is_ascii_hexdigit() });
    digits || uuid
}

/// Whether an object is a map whose keys are data, not a record whose keys are its fields:
/// two or more keys that are all numbers or UUIDs, or three or more of which two thirds are
/// request headers. Its schema is then `additionalProperties`, without `properties` or
/// `required`: one call's header names or ids are not fields every answer has.
fn is_map(obj: &Map<String, Value>) -> bool {
    let n = obj.len();
    (n >= 2 && obj.keys().all(|k| data_key(k)))
        || (n >= 3 && obj.keys().filter(|k| header_name(k)).count() * 3 >= n * 2)
}

/// The schemas merged, if any.
fn merged(schemas: impl Iterator<Item = Value>) -> Option<Value> {
    schemas.reduce(|m, s| merge(&m, &s))
}

/// The schema of a map whose values fit `values` (any, when there were none).
fn map_of(values: Option<Value>) -> Value {
    let mut m = Map::new();
    m.insert("type".into(), Value::from("object"));
    m.insert("additionalProperties".into(), values.unwrap_or_else(|| Value::Object(Map::new())));
    Value::Object(m)
}

fn types_of(s: &Value) -> Vec<String> {
    match s.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        _ => vec![],
    }
}

/// The schema of values that fit `a` or `b`, as inference would give for both samples.
pub fn merge(a: &Value, b: &Value) -> Value {
    let (ta, tb) = (types_of(a), types_of(b));
    if ta.is_empty() || tb.is_empty() {
        // `{}` (any) absorbs everything.
        return json!({});
    }
    let mut types: Vec<String> = ta.iter().chain(tb.iter()).cloned().collect();
    crate::order::sort(&mut types);
    types.dedup();
    if types.contains(&"number".to_string()) {
        types.retain(|t| t != "integer");
    }
    let mut out = Map::new();
    out.insert("type".into(), if types.len() == 1 { Value::String(types[0].clone()) } else { json!(types) });
    // Object facets.
    let (pa, pb) = (a.get("properties").and_then(Value::as_object), b.get("properties").and_then(Value::as_object));
    if pa.is_some() || pb.is_some() {
        let empty = Map::new();
        let (pa, pb) = (pa.unwrap_or(&empty), pb.unwrap_or(&empty));
        let mut props = Map::new();
        for (k, s) in pa {
            props.insert(
                k.clone(),
                match pb.get(k) {
                    Some(t) => merge(s, t),
                    None => s.clone(),
                },
            );
        }
        for (k, s) in pb {
            if !props.contains_key(k) && props.len() < MAX_PROPERTIES {
                props.insert(k.clone(), s.clone());
            }
        }
        let req = |s: &Value, has_obj: bool| -> Option<Vec<String>> {
            if !has_obj {
                return None;
            }
            Some(
                s.get("required")
                    .and_then(Value::as_array)
                    .map(|r| r.iter().filter_map(Value::as_str).map(str::to_string).collect())
                    .unwrap_or_default(),
            )
        };
        let a_obj = ta.iter().any(|t| t == "object");
        let b_obj = tb.iter().any(|t| t == "object");
        let required: Vec<Value> = match (req(a, a_obj), req(b, b_obj)) {
            (Some(ra), Some(rb)) => ra.into_iter().filter(|k| rb.contains(k)).map(Value::String).collect(),
            (Some(r), None) | (None, Some(r)) => r.into_iter().map(Value::String).collect(),
            (None, None) => vec![],
        };
        out.insert("properties".into(), Value::Object(props));
        out.insert("required".into(), Value::Array(required));
    }
    // A map on either side makes a map: the other side's properties are more of its values.
    let (ma, mb) = (a.get("additionalProperties"), b.get("additionalProperties"));
    if ma.is_some() || mb.is_some() {
        out.remove("required");
        let props = out.remove("properties");
        let from_props = props.iter().filter_map(Value::as_object).flat_map(|p| p.values().cloned());
        let values = merged(ma.into_iter().chain(mb).cloned().chain(from_props));
        out.insert("additionalProperties".into(), values.unwrap_or_else(|| Value::Object(Map::new())));
    }
    // Array facets.
    match (a.get("items"), b.get("items")) {
        (Some(x), Some(y)) => {
            out.insert("items".into(), merge(x, y));
        }
        (Some(x), None) | (None, Some(x)) => {
            out.insert("items".into(), x.clone());
        }
        (None, None) => {}
    }
    Value::Object(out)
}

/// A copy of `v` small enough for an example: arrays keep their first `items` elements,
/// strings their first 200 characters, objects their first 30 keys, and nesting stops at
/// depth 6 (deeper values become `"…"`).
pub fn trim(v: &Value, items: usize) -> Value {
    trim_at(v, items, 0)
}

fn trim_at(v: &Value, items: usize, depth: usize) -> Value {
    if depth >= 6 {
        return match v {
            Value::Array(_) | Value::Object(_) => Value::String("…".into()),
            other => other.clone(),
        };
    }
    match v {
        Value::String(s) => {
            let (head, cut) = crate::text::truncate_chars(s, 200);
            Value::String(if cut { format!("{head}…") } else { s.clone() })
        }
        Value::Array(a) => Value::Array(a.iter().take(items).map(|x| trim_at(x, items, depth + 1)).collect()),
        Value::Object(o) => {
            Value::Object(o.iter().take(30).map(|(k, x)| (k.clone(), trim_at(x, items, depth + 1))).collect())
        }
        other => other.clone(),
    }
}

/// Every property name anywhere in the schema (for the rewrite gate's known identifiers).
pub fn property_names(schema: &Value, out: &mut Vec<String>) {
    match schema {
        Value::Object(m) => {
            if let Some(Value::Object(props)) = m.get("properties") {
                out.extend(props.keys().cloned());
            }
            for v in m.values() {
                property_names(v, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| property_names(v, out)),
        _ => {}
    }
}

/// A one-line summary of a schema for prompts: `{id: integer, name: string, tags: [string]}`.
pub fn summary(schema: &Value, depth: usize) -> String {
    let types = types_of(schema);
    if depth > 3 {
        return "…".into();
    }
    if types.iter().any(|t| t == "object") {
        if let Some(values) = schema.get("additionalProperties").filter(|v| v.is_object()) {
            return format!("{{…: {}}}", summary(values, depth + 1));
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            let parts: Vec<String> =
                props.iter().take(25).map(|(k, s)| format!("{k}: {}", summary(s, depth + 1))).collect();
            let more = if props.len() > 25 { ", …" } else { "" };
            return format!("{{{}{more}}}", parts.join(", "));
        }
    }
    if types.iter().any(|t| t == "array") {
        return match schema.get("items") {
            Some(i) => format!("[{}]", summary(i, depth + 1)),
            None => "[]".into(),
        };
    }
    if types.is_empty() {
        "any".into()
    } else {
        types.join(" | ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_is_what_every_object_had() {
        let s = merge(&infer(&json!({"a": 1, "b": "x"})), &infer(&json!({"a": 2, "c": null})));
        assert_eq!(s["required"], json!(["a"]));
        assert_eq!(s["properties"]["c"]["type"], "null");
        assert_eq!(s["properties"]["b"]["type"], "string");
    }

    #[test]
    fn arrays_merge_their_items() {
        let s = infer(&json!([{"id": 1}, {"id": 2, "extra": true}, {"id": null}]));
        assert_eq!(s["items"]["required"], json!(["id"]));
        assert_eq!(s["items"]["properties"]["id"]["type"], json!(["integer", "null"]));
        assert_eq!(infer(&json!([])), json!({"type": "array"}));
    }

    #[test]
    fn differing_types_become_a_list() {
        let s = merge(&infer(&json!("x")), &infer(&json!({"a": 1})));
        assert_eq!(s["type"], json!(["object", "string"]));
        assert_eq!(s["required"], json!(["a"]));
    }

    #[test]
    fn a_map_keyed_by_request_headers_or_ids_has_no_fields() {
        // httpbin's /headers: the names are the client's, one call's, not fields of every answer.
        let echo = json!({"headers": {"Accept": "*/*", "Host": "127.0.0.1:8080", "User-Agent": "node",
            "Accept-Encoding": "gzip, deflate", "X-Api-Key": "[REDACTED]"}});
        let s = infer(&echo);
        assert_eq!(s["properties"]["headers"], json!({"type": "object", "additionalProperties": {"type": "string"}}));
        assert_eq!(s["required"], json!(["headers"]));
        assert_eq!(summary(&s, 0), "{headers: {…: string}}");
        let by_id = infer(&json!({"17": {"name": "a"}, "23": {"name": "b", "tag": "x"}}));
        assert_eq!(by_id["additionalProperties"]["required"], json!(["name"]));
        assert!(by_id.get("properties").is_none());
        let uuids = json!({"1b4e28ba-2fa1-11d2-883f-0016d3cca427": 1, "6fa459ea-ee8a-3ca4-894e-db77e160355e": 2});
        assert_eq!(infer(&uuids), json!({"type": "object", "additionalProperties": {"type": "integer"}}));
        // A map merged with a record of the same place is a map of both's values.
        let other = infer(&json!({"headers": {"Accept": "*/*"}}));
        let m = merge(&s, &other);
        assert_eq!(m["properties"]["headers"], json!({"type": "object", "additionalProperties": {"type": "string"}}));
        // A map that was sometimes null stays one that may be null.
        let m = merge(&infer(&Value::Null), &infer(&json!({"1": true, "2": false})));
        assert_eq!(m, json!({"type": ["null", "object"], "additionalProperties": {"type": "boolean"}}));
        // Records stay records: fields with hyphens, one header among other fields, one id.
        let record = infer(&json!({"first-name": "a", "last-name": "b", "content-type": "text/plain"}));
        assert_eq!(record["required"], json!(["first-name", "last-name", "content-type"]));
        assert!(infer(&json!({"host": "h", "port": 80, "path": "/"})).get("properties").is_some());
        assert!(infer(&json!({"42": "x"})).get("properties").is_some());
    }

    #[test]
    fn trim_and_summary() {
        let v = json!({"items": [1, 2, 3, 4, 5], "s": "x".repeat(300)});
        let t = trim(&v, 2);
        assert_eq!(t["items"], json!([1, 2]));
        assert_eq!(t["s"].as_str().unwrap().chars().count(), 201);
        assert_eq!(summary(&infer(&json!({"id": 1, "tags": ["a"]})), 0), "{id: integer, tags: [string]}");
    }
}
