//! *required* below the top level: a property P of an object inside a parameter (an array's
//! items, an object's properties, a few levels down) is proved required when a call whose
//! instance lacked P failed with an error naming P (zod's `… at entities[0].observations`,
//! "entities[0].observations is required") and no successful call had an instance without P.
//! A success with an instance lacking P as well makes no change: a conflict, one per property.
//! The change's pointer is the nested schema's own `required` field
//! (`/schema/items/required`), its value that list with the proved properties added.

use super::rules::{conflict, ids, proved, Call};
use super::{ChangeKind, SchemaChange};
use crate::doc::Parameter;
use crate::refine::evidence::mentions_word;
use serde_json::{json, Value};

/// How deep (in `items` / `properties` steps) object schemas are looked for.
const MAX_DEPTH: usize = 4;

/// One step from a value down to the instances of a nested schema.
#[derive(Clone)]
enum Step {
    /// Every element of an array (`items`).
    Items,
    /// One property of an object (`properties/<name>`).
    Property(String),
}

/// An object schema inside a parameter's schema: its JSON pointer relative to the schema,
/// the steps to its instances, and the schema itself.
struct ObjectSchema<'s> {
    pointer: String,
    steps: Vec<Step>,
    schema: &'s serde_json::Map<String, Value>,
}

/// Escapes a key for a JSON pointer (`~` → `~0`, `/` → `~1`).
pub(super) fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn object_schemas<'s>(
    schema: &'s Value,
    pointer: String,
    steps: Vec<Step>,
    depth: usize,
    out: &mut Vec<ObjectSchema<'s>>,
) {
    let Some(m) = schema.as_object() else { return };
    if depth > MAX_DEPTH {
        return;
    }
    if let Some(props) = m.get("properties").and_then(Value::as_object) {
        out.push(ObjectSchema { pointer: pointer.clone(), steps: steps.clone(), schema: m });
        for (name, sub) in props {
            let mut s = steps.clone();
            s.push(Step::Property(name.clone()));
            object_schemas(sub, format!("{pointer}/properties/{}", escape(name)), s, depth + 1, out);
        }
    }
    if let Some(items) = m.get("items") {
        let mut s = steps;
        s.push(Step::Items);
        object_schemas(items, format!("{pointer}/items"), s, depth + 1, out);
    }
}

/// The pointers (relative to a parameter's schema) of every nested object schema's
/// `required` list, the parameter's own schema included (for `tooldraft diff`).
pub(super) fn required_pointers(schema: &Value) -> Vec<String> {
    let mut found = Vec::new();
    object_schemas(schema, String::new(), Vec::new(), 0, &mut found);
    found.into_iter().map(|o| format!("{}/required", o.pointer)).collect()
}

/// The objects a value holds at `steps` (non-objects are skipped).
fn instances<'v>(v: &'v Value, steps: &[Step]) -> Vec<&'v serde_json::Map<String, Value>> {
    let Some((first, rest)) = steps.split_first() else {
        return v.as_object().into_iter().collect();
    };
    match (first, v) {
        (Step::Items, Value::Array(a)) => a.iter().flat_map(|x| instances(x, rest)).collect(),
        (Step::Property(n), Value::Object(m)) => m.get(n).map(|x| instances(x, rest)).unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// A readable path for reasons: `entities[]`, `filter.range`.
fn readable(param: &str, steps: &[Step]) -> String {
    steps.iter().fold(param.to_string(), |acc, s| match s {
        Step::Items => format!("{acc}[]"),
        Step::Property(n) => format!("{acc}.{n}"),
    })
}

/// The nested `required` changes (one per object schema with proved properties) and the
/// conflicts (one per property) that the calls prove for `p`.
pub(super) fn required(p: &Parameter, calls: &[Call<'_>]) -> Vec<SchemaChange> {
    let mut schemas = Vec::new();
    object_schemas(&p.schema, String::new(), Vec::new(), 0, &mut schemas);
    let mut out = Vec::new();
    for o in &schemas {
        let listed: Vec<&str> = o
            .schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let Some(props) = o.schema.get("properties").and_then(Value::as_object) else { continue };
        let pointer = format!("/schema{}/required", o.pointer);
        let before = o.schema.get("required").cloned().unwrap_or(Value::Null);
        let at = readable(&p.name, &o.steps);
        let mut proven: Vec<&str> = Vec::new();
        let mut trails: Vec<&Call<'_>> = Vec::new();
        for prop in props.keys().filter(|k| !listed.contains(&k.as_str())) {
            // Per call: did it give instances, and did one of them lack the property?
            let lacked = |c: &Call<'_>| {
                let found = c.value(&p.name).map(|v| instances(v, &o.steps)).unwrap_or_default();
                (!found.is_empty()).then(|| found.iter().any(|i| !i.contains_key(prop)))
            };
            let failed_naming: Vec<&Call<'_>> = calls
                .iter()
                .filter(|c| !c.ok && lacked(c) == Some(true))
                .filter(|c| c.error.as_deref().is_some_and(|e| mentions_word(e, prop)))
                .collect();
            if failed_naming.is_empty() {
                continue;
            }
            let ok_without: Vec<&Call<'_>> = calls.iter().filter(|c| c.ok && lacked(c) == Some(true)).collect();
            if !ok_without.is_empty() {
                let mut c = conflict(
                    SchemaChange::new(ChangeKind::Required, Some(&p.name), &pointer, before.clone(), Value::Null),
                    ids(failed_naming.iter().chain(&ok_without).copied()),
                    format!("a call whose {at} lacked {prop} failed naming it, but another such call succeeded"),
                );
                c.id = format!("{}{pointer}/{}", p.name, escape(prop));
                out.push(c);
                continue;
            }
            proven.push(prop);
            trails.extend(failed_naming);
            trails.extend(calls.iter().filter(|c| c.ok && lacked(c) == Some(false)));
        }
        if proven.is_empty() {
            continue;
        }
        let after: Vec<Value> = listed.iter().chain(&proven).map(|s| json!(s)).collect();
        out.push(proved(
            SchemaChange::new(ChangeKind::Required, Some(&p.name), &pointer, before, Value::Array(after)),
            ids(trails.into_iter()),
            format!(
                "calls whose {at} lacked {} failed with an error naming it; every successful call had it in every item",
                proven.join(", ")
            ),
        ));
    }
    out
}
