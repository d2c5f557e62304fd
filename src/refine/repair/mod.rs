//! Schema repair from evidence, without a model: the calls' [`Trail`]s prove structural
//! changes to an operation's schema, and [`propose`] lists each with the trails behind it.
//!
//! - *required*: a call without P failed with an error naming P, and no call without P
//!   succeeded (and the reverse: a documented-required P left out of a successful call);
//! - *type*: an error said which type P expects, and every value of P that worked fits it;
//! - *enum*: an error listed P's allowed values, and every value of P that worked is one of
//!   them (values merely observed are never an enum);
//! - *format* / *pattern*: an error asked for a format (`YYYY-MM-DD`, a valid email…) or a
//!   pattern, and every value that worked fits it;
//! - *nullable*: a call with P = null succeeded (folded into a type change when there is one);
//! - *response schema*: inferred from the successful responses where the document has none.
//!
//! Evidence that disagrees (two errors listing different values, a value that worked but is
//! not in the list, a parameter both required and left out of a success) makes no change: it
//! is listed as a [`ChangeStatus::Conflict`]. [`apply`] writes changes into the document
//! model's own fields (`required`, `enumValues`, `schema.type/format/pattern`,
//! `responseSchema`), which every exporter writes in its format's own place.
//!
//! ```
//! use serde_json::json;
//! use tooldraft::doc::{Location, Operation, Parameter};
//! use tooldraft::refine::evidence::Trail;
//! use tooldraft::refine::repair::{apply, propose, ChangeKind};
//! use tooldraft::tools::Observation;
//! let mut op = Operation { id: "list".into(), name: "list".into(), parameters: vec![Parameter::new("sort", Location::Query)], ..Default::default() };
//! let obs = |status: u16, body: &str| Some(Observation { status: Some(status), body: body.into(), is_error: status >= 400, ..Default::default() });
//! let trail = |n: usize, sort: &str, o| Trail { id: format!("list#{n}"), operation: "list".into(), episode: 0, query: "q".into(),
//!     arguments: json!({"sort": sort}), observation: o, error: None, started_ms: 0.0, duration_ms: 1.0, schema_driven: false };
//! let trails = [trail(1, "up", obs(400, "sort must be one of: asc, desc")), trail(2, "asc", obs(200, "[]"))];
//! let mut changes = propose(&op, &trails);
//! assert_eq!(changes[0].kind, ChangeKind::Enum);
//! assert_eq!(changes[0].trails, vec!["list#1", "list#2"]);
//! apply(&mut op, &mut changes);
//! assert_eq!(op.parameters[0].enum_values, vec![json!("asc"), json!("desc")]);
//! ```

mod call;
pub mod messages;
mod nested;
mod rules;

use super::sanitize::{DocGuard, Withheld};
use crate::doc::Operation;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub(crate) use rules::error_text;
pub use rules::{propose, propose_parameters};

/// What a change is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum ChangeKind {
    Required,
    Type,
    Enum,
    Format,
    Pattern,
    Nullable,
    ResponseSchema,
}

/// Where a change stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum ChangeStatus {
    /// Backed by evidence, not written (schema repair is off).
    Proposed,
    /// Backed by evidence and written into the refined document.
    Applied,
    /// The evidence disagrees: nothing is changed.
    Conflict,
}

/// One structural change to an operation's schema and the trails that prove it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SchemaChange {
    /// Unique within the operation: the parameter (if any) and the pointer (`date/schema/format`).
    pub id: String,
    pub kind: ChangeKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub parameter: Option<String>,
    /// The field in the document model, relative to the parameter (`/required`,
    /// `/enumValues`, `/schema/type`, `/schema/format`, `/schema/pattern`, a nested
    /// object's `/schema/items/required`) or to the operation (`/responseSchema`).
    pub pointer: String,
    /// The field's value before (`null`: absent).
    pub before: Value,
    /// The field's value after (`null`: absent; for a conflict, nothing is changed).
    pub after: Value,
    /// Ids of the trails that prove it (for a conflict: the ones that disagree).
    pub trails: Vec<String>,
    pub status: ChangeStatus,
    /// Why, in a sentence.
    pub reason: String,
}

impl SchemaChange {
    pub(crate) fn new(kind: ChangeKind, parameter: Option<&str>, pointer: &str, before: Value, after: Value) -> Self {
        SchemaChange {
            id: format!("{}{pointer}", parameter.unwrap_or("")),
            kind,
            parameter: parameter.map(str::to_string),
            pointer: pointer.to_string(),
            before,
            after,
            trails: Vec::new(),
            status: ChangeStatus::Proposed,
            reason: String::new(),
        }
    }
}

/// The value of a change's field in `op` (`null` when absent or unknown).
pub fn field(op: &Operation, parameter: Option<&str>, pointer: &str) -> Value {
    match parameter {
        None if pointer == "/responseSchema" => op.response_schema.clone().unwrap_or(Value::Null),
        None => Value::Null,
        Some(name) => {
            let Some(p) = op.parameter(name) else { return Value::Null };
            match pointer {
                "/required" => Value::Bool(p.required),
                "/enumValues" => Value::Array(p.enum_values.clone()),
                // `/schema/<JSON pointer into the parameter's schema>`: `/schema/type`, `/schema/items/required`.
                _ => pointer.strip_prefix("/schema").and_then(|k| p.schema.pointer(k)).cloned().unwrap_or(Value::Null),
            }
        }
    }
}

/// Sets a change's field in `op` (`null` removes it). Unknown fields are left alone.
fn set_field(op: &mut Operation, parameter: Option<&str>, pointer: &str, value: &Value) {
    match parameter {
        None if pointer == "/responseSchema" => op.response_schema = (!value.is_null()).then(|| value.clone()),
        None => {}
        Some(name) => {
            let Some(p) = op.parameters.iter_mut().find(|p| p.name == name) else { return };
            match pointer {
                "/required" => p.required = value.as_bool().unwrap_or(p.required),
                "/enumValues" => {
                    p.enum_values = value.as_array().cloned().unwrap_or_default();
                    // A schema that lists the values itself lists the new ones.
                    if let Some(m) = p.schema.as_object_mut().filter(|m| m.contains_key("enum")) {
                        match p.enum_values.is_empty() {
                            true => m.shift_remove("enum"),
                            false => m.insert("enum".into(), value.clone()),
                        };
                    }
                }
                _ => {
                    let Some((parent, key)) = pointer.strip_prefix("/schema").and_then(|k| k.rsplit_once('/')) else {
                        return;
                    };
                    if parent.is_empty() && !p.schema.is_object() {
                        p.schema = Value::Object(Default::default());
                    }
                    // A nested field is written only where its object schema exists.
                    let Some(m) = p.schema.pointer_mut(parent).and_then(Value::as_object_mut) else { return };
                    let key = nested::unescape(key);
                    if value.is_null() {
                        m.shift_remove(&key);
                    } else {
                        m.insert(key, value.clone());
                    }
                }
            }
        }
    }
}

/// Writes every change that is not a conflict into `op`, and marks it applied.
pub fn apply(op: &mut Operation, changes: &mut [SchemaChange]) {
    for c in changes.iter_mut().filter(|c| c.status != ChangeStatus::Conflict) {
        set_field(op, c.parameter.as_deref(), &c.pointer, &c.after);
        c.status = ChangeStatus::Applied;
    }
}

/// Drops the changes whose new value holds a string the injection check or the secret
/// finder withholds (tool output must not become an enum, a format or a pattern), listing
/// each under `/schemaChanges/<id>/after`.
pub(crate) fn withhold_suspicious(changes: &mut Vec<SchemaChange>, guard: &DocGuard, withheld: &mut Vec<Withheld>) {
    changes.retain(|c| {
        if c.kind == ChangeKind::ResponseSchema {
            return true; // cleaned with the facts
        }
        let mut found = Vec::new();
        let mut after = c.after.clone();
        let id = c.id.replace('~', "~0").replace('/', "~1");
        guard.clean_value(&mut after, &format!("/schemaChanges/{id}/after"), &mut found);
        let clean = found.is_empty();
        withheld.append(&mut found);
        clean
    });
}

/// The structural differences between two versions of an operation (for `tooldraft diff`):
/// required flags, types, enums, formats, patterns and the response schema. They carry no
/// trails: they are differences, not proposals.
pub fn structural_diff(before: &Operation, after: &Operation) -> Vec<SchemaChange> {
    let mut out = Vec::new();
    let mut push = |kind, parameter: Option<&str>, pointer: &str| {
        let (a, b) = (field(before, parameter, pointer), field(after, parameter, pointer));
        if a != b {
            let mut c = SchemaChange::new(kind, parameter, pointer, a, b);
            c.status = ChangeStatus::Applied;
            c.reason = "the two documents differ here".into();
            out.push(c);
        }
    };
    for p in &after.parameters {
        if before.parameter(&p.name).is_none() {
            continue;
        }
        let name = Some(p.name.as_str());
        push(ChangeKind::Required, name, "/required");
        push(ChangeKind::Type, name, "/schema/type");
        push(ChangeKind::Enum, name, "/enumValues");
        push(ChangeKind::Format, name, "/schema/format");
        push(ChangeKind::Pattern, name, "/schema/pattern");
        let b = before.parameter(&p.name).map_or(&Value::Null, |b| &b.schema);
        for at in crate::doc::object_schemas::required_pointers(&p.schema, b) {
            push(ChangeKind::Required, name, &format!("/schema{at}"));
        }
    }
    push(ChangeKind::ResponseSchema, None, "/responseSchema");
    out
}

#[cfg(test)]
mod tests;
