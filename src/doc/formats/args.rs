//! Parameters ↔ JSON Schema, shared by the formats that describe arguments as one object
//! schema (MCP `inputSchema`, OpenAI `parameters`, Anthropic `input_schema`) and by the
//! formats that give each parameter its own schema (RestBench).
//!
//! A property schema is split into the model's fields: `description`, `enum`, `default` and
//! `examples` go to [`Parameter`]'s own fields, everything else stays in `Parameter::schema`.
//! Writing back is diff-based: only what differs from the parameters the source would import
//! to (the *baseline*) is touched, so an unmodified document comes back equal.

use super::json::{self, child};
use crate::doc::{DocError, Location, Operation, Parameter, ToolDoc};
use serde_json::{Map, Value};
use std::collections::HashSet;

/// Keys of a property schema the model keeps in its own fields.
pub(crate) const FIELD_KEYS: [&str; 4] = ["description", "enum", "default", "examples"];

/// Reads one property schema as a parameter.
pub(crate) fn parameter_from_property(
    name: &str,
    location: Location,
    prop: &Value,
    required: bool,
    pointer: &str,
) -> Result<Parameter, DocError> {
    let mut p = Parameter::new(name, location);
    p.required = required || location == Location::Path;
    match prop {
        Value::Bool(_) => p.schema = prop.clone(),
        Value::Object(m) => {
            p.description = json::opt_str(m, "description", pointer)?.unwrap_or_default().to_string();
            p.enum_values = json::opt_array(m, "enum", pointer)?.cloned().unwrap_or_default();
            p.default = m.get("default").cloned();
            p.examples = json::opt_array(m, "examples", pointer)?.cloned().unwrap_or_default();
            let rest: Map<String, Value> = m
                .iter()
                .filter(|(k, _)| !FIELD_KEYS.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            p.schema = Value::Object(rest);
        }
        other => {
            return Err(DocError::at(pointer, format!("expected a schema object, found {}", json::type_name(other))))
        }
    }
    Ok(p)
}

/// The property schema for a parameter: its schema plus description, enum, default, examples.
pub(crate) fn property_from_parameter(p: &Parameter) -> Value {
    let mut m = match &p.schema {
        Value::Object(m) => m.clone(),
        Value::Bool(true) | Value::Null => Map::new(),
        other if p.description.is_empty() && p.enum_values.is_empty() && p.default.is_none() => return other.clone(),
        _ => Map::new(),
    };
    if !p.description.is_empty() {
        m.insert("description".into(), Value::String(p.description.clone()));
    }
    if !p.enum_values.is_empty() && !m.contains_key("enum") {
        m.insert("enum".into(), Value::Array(p.enum_values.clone()));
    }
    if let Some(d) = &p.default {
        m.entry("default").or_insert_with(|| d.clone());
    }
    if !p.examples.is_empty() && !m.contains_key("examples") {
        m.insert("examples".into(), Value::Array(p.examples.clone()));
    }
    Value::Object(m)
}

/// Reads an object schema's `properties` and `required` as body parameters.
pub(crate) fn parameters_from_object_schema(schema: &Value, pointer: &str) -> Result<Vec<Parameter>, DocError> {
    let m = json::object(schema, pointer)?;
    let mut required = HashSet::new();
    if let Some(req) = json::opt_array(m, "required", pointer)? {
        let rp = child(pointer, "required");
        for (i, r) in req.iter().enumerate() {
            let name = r.as_str().ok_or_else(|| {
                DocError::at(json::index(&rp, i), format!("expected a string, found {}", json::type_name(r)))
            })?;
            required.insert(name);
        }
    }
    let mut out = Vec::new();
    if let Some(props) = json::opt_object(m, "properties", pointer)? {
        let pp = child(pointer, "properties");
        for (name, prop) in props {
            out.push(parameter_from_property(
                name,
                Location::Body,
                prop,
                required.contains(name.as_str()),
                &child(&pp, name),
            )?);
        }
    }
    Ok(out)
}

/// Top-level keywords of an arguments schema the model does not carry (everything but
/// `type`, `properties`, `required`, `$schema`, `title`, `description`): kept when the
/// document is written in its own format, lost in any other. Importers warn about them.
pub(crate) fn unmodeled_keys(schema: &Value) -> Vec<&str> {
    const MODELED: [&str; 6] = ["type", "properties", "required", "$schema", "title", "description"];
    match schema {
        Value::Object(m) => m.keys().map(String::as_str).filter(|k| !MODELED.contains(k)).collect(),
        _ => Vec::new(),
    }
}

/// The import warning for [`unmodeled_keys`], if any.
pub(crate) fn unmodeled_warning(op_name: &str, field: &str, schema: &Value) -> Option<String> {
    let keys = unmodeled_keys(schema);
    (!keys.is_empty()).then(|| {
        format!("{op_name}: {field} has {} at the top level, kept only when writing this format", keys.join(", "))
    })
}

/// An object schema with one property per parameter (`required` left out when empty).
pub(crate) fn object_schema(params: &[Parameter]) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for p in params {
        props.insert(p.name.clone(), property_from_parameter(p));
        if p.required {
            required.push(Value::String(p.name.clone()));
        }
    }
    let mut m = Map::new();
    m.insert("type".into(), Value::String("object".into()));
    m.insert("properties".into(), Value::Object(props));
    if !required.is_empty() {
        m.insert("required".into(), Value::Array(required));
    }
    Value::Object(m)
}

/// Patches an object schema in place so that it describes `params`, touching only the
/// properties that differ from `baseline` (what the schema imported to).
pub(crate) fn patch_object_schema(schema: &mut Value, baseline: &[Parameter], params: &[Parameter]) {
    if baseline == params {
        return;
    }
    let Value::Object(m) = schema else {
        *schema = object_schema(params);
        return;
    };
    if !matches!(m.get("properties"), Some(Value::Object(_))) {
        m.insert("properties".into(), Value::Object(Map::new()));
    }
    if let Some(Value::Object(props)) = m.get_mut("properties") {
        for b in baseline {
            if !params.iter().any(|p| p.name == b.name) {
                props.shift_remove(&b.name);
            }
        }
        for p in params {
            match baseline.iter().find(|b| b.name == p.name) {
                Some(b) if b == p => {}
                Some(b) => match props.get_mut(&p.name) {
                    Some(prop) => patch_property(prop, b, p),
                    None => {
                        props.insert(p.name.clone(), property_from_parameter(p));
                    }
                },
                None => {
                    props.insert(p.name.clone(), property_from_parameter(p));
                }
            }
        }
    }
    let was: Vec<&str> = baseline.iter().filter(|b| b.required).map(|b| b.name.as_str()).collect();
    let now: Vec<&str> = params.iter().filter(|p| p.required).map(|p| p.name.as_str()).collect();
    if was.iter().collect::<HashSet<_>>() != now.iter().collect::<HashSet<_>>() {
        let mut list: Vec<Value> = match m.get("required") {
            Some(Value::Array(a)) => {
                a.iter().filter(|v| v.as_str().is_some_and(|s| now.contains(&s))).cloned().collect()
            }
            _ => Vec::new(),
        };
        for n in &now {
            if !list.iter().any(|v| v.as_str() == Some(n)) {
                list.push(Value::String((*n).to_string()));
            }
        }
        if list.is_empty() {
            m.shift_remove("required");
        } else {
            m.insert("required".into(), Value::Array(list));
        }
    }
}

/// Patches one property schema: only the fields where `p` differs from `b` change.
pub(crate) fn patch_property(prop: &mut Value, b: &Parameter, p: &Parameter) {
    let Value::Object(m) = prop else {
        *prop = property_from_parameter(p);
        return;
    };
    if b.schema != p.schema {
        let Value::Object(new_schema) = &p.schema else {
            *prop = property_from_parameter(p);
            return;
        };
        let mut rebuilt = new_schema.clone();
        for k in FIELD_KEYS {
            if let (Some(v), false) = (m.get(k), rebuilt.contains_key(k)) {
                rebuilt.insert(k.to_string(), v.clone());
            }
        }
        *m = rebuilt;
    }
    if b.description != p.description {
        json::set_or_remove_str(m, "description", &p.description);
    }
    if b.enum_values != p.enum_values {
        set_or_remove_list(m, "enum", &p.enum_values);
    }
    if b.default != p.default {
        match &p.default {
            Some(d) => {
                m.insert("default".into(), d.clone());
            }
            None => {
                m.shift_remove("default");
            }
        }
    }
    if b.examples != p.examples {
        set_or_remove_list(m, "examples", &p.examples);
    }
}

fn set_or_remove_list(m: &mut Map<String, Value>, key: &str, list: &[Value]) {
    if list.is_empty() {
        m.shift_remove(key);
    } else {
        m.insert(key.into(), Value::Array(list.to_vec()));
    }
}

/// Function names for formats that restrict them (OpenAI, Anthropic: `[A-Za-z0-9_-]{1,64}`;
/// MCP also allows `.`, up to 128). One entry per operation in document order: the name to
/// write, and whether it differs from the operation's name. Colliding names get the tool's
/// name (`name_for_tool`, as ToolBench does), then a number.
pub(crate) fn function_names(doc: &ToolDoc, max_len: usize, allow_dot: bool) -> Vec<(String, bool)> {
    let mut used = HashSet::new();
    let mut out = Vec::new();
    for tool in &doc.tools {
        for op in &tool.operations {
            let mut name = sanitize(&op.name, max_len, allow_dot);
            if used.contains(&name) && doc.tools.len() > 1 {
                name = sanitize(&format!("{}_for_{}", op.name, tool.name), max_len, allow_dot);
            }
            let base = name.clone();
            let mut n = 2;
            while used.contains(&name) {
                let suffix = format!("_{n}");
                let keep = max_len.saturating_sub(suffix.len()).min(base.len());
                name = format!("{}{suffix}", &base[..keep]);
                n += 1;
            }
            used.insert(name.clone());
            let renamed = name != op.name;
            out.push((name, renamed));
        }
    }
    out
}

/// Makes operation ids unique (`name`, `name#2`, …) without touching names.
pub(crate) fn unique_ids<'a>(ops: impl IntoIterator<Item = &'a mut Operation>) {
    let mut seen = HashSet::new();
    for op in ops {
        let base = op.id.clone();
        let mut n = 2;
        while !seen.insert(op.id.clone()) {
            op.id = format!("{base}#{n}");
            n += 1;
        }
    }
}

/// Replaces characters a function name may not hold with `_`, collapses runs of `_`, trims
/// them from the ends, and truncates (the result is ASCII, so byte slicing is safe).
fn sanitize(name: &str, max_len: usize, allow_dot: bool) -> String {
    let mut s = String::new();
    for c in name.chars() {
        let ok = c.is_ascii_alphanumeric() || c == '_' || c == '-' || (allow_dot && c == '.');
        let c = if ok { c } else { '_' };
        if !(c == '_' && s.ends_with('_')) {
            s.push(c);
        }
    }
    let s = s.trim_matches('_');
    let s = if s.is_empty() { "operation" } else { s };
    s[..s.len().min(max_len)].to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn property_round_trip() {
        let prop = json!({"type": "string", "description": "d", "enum": ["a"], "default": "a", "minLength": 1});
        let p = parameter_from_property("x", Location::Body, &prop, true, "/p").unwrap();
        assert_eq!(p.schema, json!({"type": "string", "minLength": 1}));
        assert_eq!(p.enum_values, vec![json!("a")]);
        assert_eq!(
            property_from_parameter(&p),
            json!({"type": "string", "minLength": 1, "description": "d", "enum": ["a"], "default": "a"})
        );
    }

    #[test]
    fn bad_property_is_a_structure_error() {
        let e = parameter_from_property("x", Location::Body, &json!(3), false, "/p/x").unwrap_err();
        assert_eq!(e.code(), "StructureError");
        let e = parameters_from_object_schema(&json!({"required": [1]}), "/s").unwrap_err();
        assert_eq!(e, DocError::at("/s/required/0", "expected a string, found a number"));
    }

    #[test]
    fn patch_touches_only_what_changed() {
        let mut schema = json!({"type": "object", "properties": {
            "a": {"description": "old", "type": "string", "x-keep": 1},
            "b": {"type": "number"}
        }, "required": ["a"], "additionalProperties": false});
        let base = parameters_from_object_schema(&schema, "").unwrap();
        let mut now = base.clone();
        now[0].description = "new".into();
        now[1].required = true;
        patch_object_schema(&mut schema, &base, &now);
        assert_eq!(
            schema,
            json!({"type": "object", "properties": {
                "a": {"description": "new", "type": "string", "x-keep": 1},
                "b": {"type": "number"}
            }, "required": ["a", "b"], "additionalProperties": false})
        );
    }

    #[test]
    fn names_are_sanitized_and_unique() {
        assert_eq!(sanitize("/status/200", 64, false), "status_200");
        assert_eq!(sanitize("a.b c", 128, true), "a.b_c");
        assert_eq!(sanitize("$$$", 64, false), "operation");
        assert_eq!(sanitize(&"x".repeat(80), 64, false).len(), 64);
    }
}
