//! Schemas in Swagger 2.0 form: full schemas (definitions, bodies, responses) and the inline
//! type, format and items of non-body parameters and headers.

use super::Down;
use crate::doc::formats::openapi::refs::join;
use serde_json::{json, Map, Value};

/// Schema keywords Swagger 2.0 knows.
const SCHEMA_KEYS: [&str; 30] = [
    "$ref",
    "format",
    "title",
    "description",
    "default",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "additionalProperties",
    "type",
    "items",
    "allOf",
    "properties",
    "discriminator",
    "readOnly",
    "xml",
    "externalDocs",
    "example",
];

/// Keywords a non-body parameter's (or header's) schema may carry inline.
const INLINE_KEYS: [&str; 14] = [
    "format",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
];

/// A Swagger 2.0 reference for an OpenAPI 3 one.
pub(super) fn ref2(r: &str) -> String {
    for (from, to) in [
        ("#/components/schemas/", "#/definitions/"),
        ("#/components/parameters/", "#/parameters/"),
        ("#/components/responses/", "#/responses/"),
    ] {
        if let Some(rest) = r.strip_prefix(from) {
            return format!("{to}{rest}");
        }
    }
    r.to_string()
}

impl<'a> Down<'a> {
    /// A schema in Swagger 2.0 form.
    pub(super) fn schema2(&mut self, v: &Value, at: &str, in_map: bool) -> Value {
        let Value::Object(m) = v else {
            return match v {
                Value::Array(a) => Value::Array(
                    a.iter().enumerate().map(|(i, x)| self.schema2(x, &format!("{at}/{i}"), false)).collect(),
                ),
                other => other.clone(),
            };
        };
        let mut out = Map::new();
        if in_map {
            for (k, child) in m {
                out.insert(k.clone(), self.schema2(child, &join(at, k), false));
            }
            return Value::Object(out);
        }
        let siblings = m.contains_key("$ref") && m.keys().any(|k| k != "$ref" && !k.starts_with("x-"));
        for (k, child) in m {
            let here = join(at, k);
            match (k.as_str(), child) {
                // Swagger 2.0 ignores keywords beside `$ref`; wrapped in `allOf` they count.
                ("$ref", Value::String(r)) if siblings => {
                    out.insert("allOf".into(), json!([{ "$ref": ref2(r) }]));
                }
                ("$ref", Value::String(r)) => {
                    out.insert(k.clone(), ref2(r).into());
                }
                ("nullable", Value::Bool(b)) => {
                    if *b {
                        out.insert("x-nullable".into(), true.into());
                    }
                }
                ("type", Value::Array(ts)) => {
                    let named: Vec<&str> = ts.iter().filter_map(Value::as_str).filter(|t| *t != "null").collect();
                    if let Some(t) = named.first() {
                        out.insert("type".into(), (*t).into());
                    }
                    if named.len() > 1 {
                        self.drop_kw("type lists", &here);
                    }
                    if named.len() < ts.len() {
                        out.insert("x-nullable".into(), true.into());
                    }
                }
                ("const", c) => {
                    out.insert("enum".into(), json!([c]));
                }
                ("examples", Value::Array(a)) => {
                    if let (Some(e), false) = (a.first(), m.contains_key("example")) {
                        out.insert("example".into(), e.clone());
                    }
                }
                ("exclusiveMinimum" | "exclusiveMaximum", Value::Number(n)) => {
                    let bound = if k == "exclusiveMinimum" { "minimum" } else { "maximum" };
                    out.insert(bound.into(), Value::Number(n.clone()));
                    out.insert(k.clone(), true.into());
                }
                ("discriminator", Value::Object(d)) => {
                    if let Some(p) = d.get("propertyName") {
                        out.insert(k.clone(), p.clone());
                    }
                    if d.contains_key("mapping") {
                        self.drop_kw("discriminator mapping", &here);
                    }
                }
                ("properties", _) => {
                    out.insert(k.clone(), self.schema2(child, &here, true));
                }
                ("example" | "default" | "enum", _) => {
                    out.insert(k.clone(), child.clone());
                }
                _ if k.starts_with("x-") => {
                    out.insert(k.clone(), child.clone());
                }
                _ if SCHEMA_KEYS.contains(&k.as_str()) => {
                    out.insert(k.clone(), self.schema2(child, &here, false));
                }
                _ => self.drop_kw(k, &here),
            }
        }
        Value::Object(out)
    }

    /// The type, format, items… of a schema written inline, for a non-body parameter or a
    /// header. Objects and compositions cannot be: they become strings (reported).
    pub(super) fn inline(&mut self, schema: &'a Value, at: &str, label: &str) -> Map<String, Value> {
        let s = self.r.follow(schema, at).value;
        let mut out = Map::new();
        let types: Vec<&str> = match s.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).filter(|t| *t != "null").collect(),
            _ => vec![],
        };
        let complex = ["oneOf", "anyOf", "allOf", "properties", "not"].iter().any(|k| s.get(k).is_some());
        let t = match types.first() {
            Some(&"object") => None,
            Some(t) if !complex => Some(*t),
            None if !complex => Some("string"),
            _ => None,
        };
        let Some(t) = t else {
            self.lost.push(format!("{label}: a schema that is an object or a composition cannot be inline in Swagger 2.0; written as a string"));
            out.insert("type".into(), "string".into());
            return out;
        };
        out.insert("type".into(), t.into());
        for k in INLINE_KEYS {
            if let Some(v) = s.get(k) {
                out.insert(k.into(), v.clone());
            }
        }
        if let Some(c) = s.get("const") {
            out.insert("enum".into(), json!([c]));
        }
        if t == "array" {
            let items = match s.get("items") {
                Some(i) => Value::Object(self.inline(i, &join(at, "items"), label)),
                None => json!({ "type": "string" }),
            };
            out.insert("items".into(), items);
        }
        out
    }
}
