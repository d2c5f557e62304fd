//! The object schemas inside a parameter's schema (an array's `items`, an object's
//! `properties`, a few levels down), named by JSON pointers relative to that schema
//! (`""`, `/items`, `/properties/filter`): where a nested `required` list lives, for the
//! schema repair that proves one and the exporters that write it back.

use serde_json::{Map, Value};

/// How deep (in `items` / `properties` steps) object schemas are looked for.
const MAX_DEPTH: usize = 4;

/// Escapes a key for a JSON pointer (`~` → `~0`, `/` → `~1`).
pub(crate) fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Every object schema (one with `properties`) inside `schema`, `schema` included, with its
/// JSON pointer relative to `schema` (`""`, `/items`, `/properties/filter`).
pub(crate) fn object_schemas<'s>(
    schema: &'s Value,
    at: String,
    depth: usize,
    out: &mut Vec<(String, &'s Map<String, Value>)>,
) {
    let Some(m) = schema.as_object().filter(|_| depth <= MAX_DEPTH) else { return };
    if let Some(props) = m.get("properties").and_then(Value::as_object) {
        out.push((at.clone(), m));
        for (name, sub) in props {
            object_schemas(sub, format!("{at}/properties/{}", escape(name)), depth + 1, out);
        }
    }
    if let Some(items) = m.get("items") {
        object_schemas(items, format!("{at}/items"), depth + 1, out);
    }
}

/// The pointers (relative to a parameter's schema) of every nested object schema's
/// `required` list in either of two versions of that schema, the schema itself included
/// (for `tooldraft diff` and the exporters).
pub(crate) fn required_pointers(a: &Value, b: &Value) -> Vec<String> {
    let mut found = Vec::new();
    object_schemas(a, String::new(), 0, &mut found);
    object_schemas(b, String::new(), 0, &mut found);
    let mut out: Vec<String> = Vec::new();
    for (at, _) in found {
        let at = at + "/required";
        if !out.contains(&at) {
            out.push(at);
        }
    }
    out
}
