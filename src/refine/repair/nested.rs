//! *required* below the top level: a property P of an object inside a parameter (an array's
//! items, an object's properties, a few levels down) is proved required when a call whose
//! instance lacked P failed with an error naming P (zod's `… at entities[0].observations`,
//! "entities[0].observations is required") and no successful call had an instance without P.
//! A success with an instance lacking P as well makes no change: a conflict, one per property.
//! The change's pointer is the nested schema's own `required` field
//! (`/schema/items/required`), its value that list with the proved properties added; the
//! nested schemas are found, and their instances in a call's value reached, by that pointer.

use super::call::{conflict, ids, proved, Call};
use super::{ChangeKind, SchemaChange};
use crate::doc::object_schemas::{escape, object_schemas};
use crate::doc::Parameter;
use crate::refine::evidence::mentions_word;
use serde_json::{Map, Value};

/// The key a JSON pointer segment stands for.
pub(super) fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// The first segment of a pointer and the rest (`/items/x` → `items`, `/x`).
fn split(at: &str) -> (&str, &str) {
    let s = at.get(1..).unwrap_or("");
    s.find('/').map_or((s, ""), |i| (&s[..i], &s[i..]))
}

/// The objects a value holds where the schema pointer `at` leads (`items`: every element,
/// `properties/<name>`: that property); non-objects are skipped.
fn instances<'v>(v: &'v Value, at: &str, out: &mut Vec<&'v Map<String, Value>>) {
    match split(at) {
        ("", _) => out.extend(v.as_object()),
        ("items", rest) => v.as_array().into_iter().flatten().for_each(|x| instances(x, rest, out)),
        ("properties", rest) => {
            let (name, rest) = split(rest);
            if let Some(x) = v.get(unescape(name)) {
                instances(x, rest, out);
            }
        }
        _ => {}
    }
}

/// The nested `required` changes (one per object schema with proved properties) and the
/// conflicts (one per property) that the calls prove for `p`.
pub(super) fn required(p: &Parameter, calls: &[Call<'_>]) -> Vec<SchemaChange> {
    let mut schemas = Vec::new();
    object_schemas(&p.schema, String::new(), 0, &mut schemas);
    let mut out = Vec::new();
    for (at, schema) in schemas {
        let listed: &[Value] = schema.get("required").and_then(Value::as_array).map_or(&[], Vec::as_slice);
        let Some(props) = schema.get("properties").and_then(Value::as_object) else { continue };
        let pointer = format!("/schema{at}/required");
        let before = schema.get("required").cloned().unwrap_or(Value::Null);
        let (mut after, mut proven, mut trails) = (listed.to_vec(), Vec::new(), Vec::new());
        for prop in props.keys().filter(|k| !listed.iter().any(|v| v == k.as_str())) {
            let (mut failed, mut ok_without, mut with) = (Vec::new(), Vec::new(), Vec::new());
            for c in calls {
                let mut found = Vec::new();
                if let Some(v) = c.value(&p.name) {
                    instances(v, &at, &mut found);
                }
                let lacks = found.iter().any(|i| !i.contains_key(prop));
                match (c.ok, lacks) {
                    _ if found.is_empty() => {}
                    (true, true) => ok_without.push(c),
                    (true, false) => with.push(c),
                    (false, true) if c.error.as_deref().is_some_and(|e| mentions_word(e, prop)) => failed.push(c),
                    _ => {}
                }
            }
            if failed.is_empty() {
                continue;
            }
            if ok_without.is_empty() {
                after.push(Value::String(prop.clone()));
                proven.push(prop.as_str());
                trails.append(&mut failed);
                trails.append(&mut with);
                continue;
            }
            failed.append(&mut ok_without);
            let mut c = conflict(
                SchemaChange::new(ChangeKind::Required, Some(&p.name), &pointer, before.clone(), Value::Null),
                ids(failed.iter().copied()),
                format!("a call without {prop} in {}{at} failed naming it, but another such call succeeded", p.name),
            );
            c.id = format!("{}{pointer}/{}", p.name, escape(prop));
            out.push(c);
        }
        if !proven.is_empty() {
            out.push(proved(
                SchemaChange::new(ChangeKind::Required, Some(&p.name), &pointer, before, Value::Array(after)),
                ids(trails.iter().copied()),
                format!(
                    "calls without {} in {}{at} failed with an error naming it; every successful call had it",
                    proven.join(", "),
                    p.name
                ),
            ));
        }
    }
    out
}
