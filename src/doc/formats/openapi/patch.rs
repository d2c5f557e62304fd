//! Export in the source's own flavour: re-read the source, compare each operation with what
//! the model holds now, and write only the differences at their places in the source.
//!
//! The re-read is a baseline that inlines no nested `$ref`s ([`import::read_baseline`]):
//! schemas are compared by following the source's references beside the model's copy
//! ([`Schemas::same`]), which costs a walk rather than a second inlined copy of every schema.

use super::compare::Schemas;
use super::import;
use super::params::{json_media, success_response};
use super::params::{ExampleKind, Origin};
use super::refs::{join, object_at, ref_of, ref_pointer, Resolver};
use super::{safety_hints, Flavor, EXAMPLES_KEY, SAFETY_KEY};
use crate::doc::object_schemas::required_pointers;
use crate::doc::{DocError, Operation, Parameter, Safety, ToolDoc};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Schema keywords written back beside `enum` and `required` (the structural changes
/// evidence can prove).
const STRUCTURE_KEYS: [&str; 3] = ["type", "format", "pattern"];

/// Where a parameter's schema is in the source (none for a body as a whole).
fn schema_at(origin: &Origin) -> Option<String> {
    match origin.kind {
        ExampleKind::Parameter => Some(join(&origin.desc_at, "schema")),
        ExampleKind::XExample | ExampleKind::Schema => Some(origin.desc_at.clone()),
        ExampleKind::Media => None,
    }
}

struct Patcher<'a> {
    source: &'a Value,
    /// The patched copy, made at the first write (an unchanged document is not copied).
    out: Option<Value>,
    flavor: Flavor,
    lost: Vec<String>,
    /// Shared pointer → (written value, operation that wrote it).
    shared: HashMap<String, (Value, String)>,
    schemas: Schemas<'a>,
}

/// The source with the model's changes written in (the source itself when there are none),
/// and notes on what was not written.
pub(super) fn patch(doc: &ToolDoc, flavor: Flavor) -> Result<(Cow<'_, Value>, Vec<String>), DocError> {
    let orig = import::read_baseline(&doc.source)?;
    let mut p = Patcher {
        source: &doc.source,
        out: None,
        flavor,
        lost: Vec::new(),
        shared: HashMap::new(),
        schemas: Schemas::new(&doc.source),
    };
    if let (Some(t), Some(o)) = (doc.tools.first(), orig.doc.tools.first()) {
        if t.description != o.description {
            p.set("/info", "description", Value::String(t.description.clone()));
        }
        if t.name != o.name {
            p.set("/info", "title", Value::String(t.name.clone()));
        }
        if t.base_url != o.base_url {
            p.lost.push(format!("tool `{}`: the base URL change is not written (edit the servers)", t.name));
        }
    }
    let orig_ops: Vec<&Operation> = orig.doc.operations().collect();
    let index: HashMap<&str, usize> = orig_ops.iter().enumerate().map(|(i, o)| (o.pointer.as_str(), i)).collect();
    let mut present = HashSet::new();
    for op in doc.operations() {
        match index.get(op.pointer.as_str()) {
            Some(&i) if present.insert(i) => p.operation(op, orig_ops[i], &orig.origins[i]),
            _ => p.lost.push(format!("{}: not in the source document; not written", op.id)),
        }
    }
    for (i, o) in orig_ops.iter().enumerate() {
        if !present.contains(&i) {
            p.lost.push(format!("{}: missing from the model but kept in the document", o.id));
        }
    }
    let out = match p.out {
        Some(v) => Cow::Owned(v),
        None => Cow::Borrowed(p.source),
    };
    Ok((out, p.lost))
}

impl Patcher<'_> {
    /// The document as patched so far.
    fn view(&self) -> &Value {
        self.out.as_ref().unwrap_or(self.source)
    }

    fn out_mut(&mut self) -> &mut Value {
        let source = self.source;
        self.out.get_or_insert_with(|| source.clone())
    }

    fn set(&mut self, at: &str, key: &str, value: Value) {
        if let Some(m) = object_at(self.out_mut(), at) {
            m.insert(key.to_string(), value);
        }
    }

    fn remove(&mut self, at: &str, key: &str) {
        if self.view().pointer(at).and_then(|v| v.get(key)).is_none() {
            return;
        }
        if let Some(m) = self.out_mut().pointer_mut(at).and_then(Value::as_object_mut) {
            m.shift_remove(key);
        }
    }

    fn operation(&mut self, op: &Operation, o: &Operation, origins: &[Origin]) {
        let at = op.pointer.as_str();
        if op.description != o.description {
            self.set(at, "description", Value::String(op.description.clone()));
        }
        if op.title != o.title {
            match &op.title {
                Some(t) => self.set(at, "summary", Value::String(t.clone())),
                None => self.remove(at, "summary"),
            }
        }
        if op.name != o.name || op.id != o.id || op.http != o.http {
            self.lost.push(format!("{}: a changed id, name, method, path or media type is not written", op.id));
        }
        for p in &op.parameters {
            match o.parameters.iter().position(|q| q.name == p.name && q.location == p.location) {
                Some(j) => self.parameter(op, p, &o.parameters[j], &origins[j]),
                None => self.lost.push(format!("{}: parameter `{}` is not in the source; not written", op.id, p.name)),
            }
        }
        for q in &o.parameters {
            if !op.parameters.iter().any(|p| p.name == q.name && p.location == q.location) {
                self.lost.push(format!("{}: parameter `{}` is missing from the model but kept", op.id, q.name));
            }
        }
        if op.examples != o.examples {
            if op.examples.is_empty() {
                self.remove(at, EXAMPLES_KEY);
            } else if let Ok(v) = serde_json::to_value(&op.examples) {
                self.set(at, EXAMPLES_KEY, v);
            }
            if let Some(result) = op.examples.iter().find(|e| e.verified).and_then(|e| e.result.as_ref()) {
                self.response_example(op, result);
            }
        }
        match (&o.response_schema, &op.response_schema) {
            (None, None) => {}
            (Some(s), Some(m)) if self.schemas.same(m, s) => {}
            (None, Some(s)) => self.response_schema(op, s),
            _ => self.lost.push(format!("{}: the documented response schema is kept", op.id)),
        }
        if op.safety != o.safety {
            let default = op.http.as_ref().map(|h| Safety::from_method(h.method)).unwrap_or_default();
            match safety_hints(&op.safety, &default) {
                Some(v) => self.set(at, SAFETY_KEY, v),
                None => self.remove(at, SAFETY_KEY),
            }
        }
    }

    fn parameter(&mut self, op: &Operation, p: &Parameter, o: &Parameter, origin: &Origin) {
        if p.description != o.description {
            let v = Value::String(p.description.clone());
            self.note_shared(op, p, origin, "description", &v);
            self.set(&origin.desc_at, "description", v);
        }
        if p.examples != o.examples {
            self.note_shared(op, p, origin, "examples", &Value::Array(p.examples.clone()));
            self.examples(op, p, origin);
        }
        let structural = self.structure(op, p, o, origin);
        // What is left after required, enum, type, format, pattern and nested required lists.
        let mut rest = p.schema.clone();
        for at in self.nested_required(op, p, o, origin) {
            let Some((parent, _)) = at.rsplit_once('/') else { continue };
            if let Some(m) = rest.pointer_mut(parent).and_then(Value::as_object_mut) {
                match o.schema.pointer(&at) {
                    Some(v) => m.insert("required".into(), v.clone()),
                    None => m.shift_remove("required"),
                };
            }
        }
        if let Value::Object(m) = &mut rest {
            for k in STRUCTURE_KEYS.iter().chain(&["enum"]) {
                match o.schema.get(*k).filter(|_| structural) {
                    Some(v) => m.insert(k.to_string(), v.clone()),
                    None if structural => m.shift_remove(*k),
                    None => None,
                };
            }
        }
        let enum_left = !structural && p.enum_values != o.enum_values;
        let required_left = !structural && p.required != o.required;
        if !self.schemas.same(&rest, &o.schema)
            || required_left
            || enum_left
            || p.default != o.default
            || p.style != o.style
            || p.explode != o.explode
        {
            self.lost.push(format!(
                "{}: parameter `{}`: only description, examples, required, enum, type, format and pattern are written back, not other schema keywords, default or style",
                op.id, p.name
            ));
        }
    }

    /// Writes a parameter's required flag, enum, type, format and pattern where the source
    /// keeps them (the parameter object, its schema, or the body schema's `required` list).
    /// False when they cannot be written there (a body as a whole, a referenced schema).
    fn structure(&mut self, op: &Operation, p: &Parameter, o: &Parameter, origin: &Origin) -> bool {
        let keys: Vec<&str> = STRUCTURE_KEYS.iter().copied().filter(|k| p.schema.get(k) != o.schema.get(k)).collect();
        let enum_changed = p.enum_values != o.enum_values;
        if keys.is_empty() && !enum_changed && p.required == o.required {
            return true;
        }
        let Some(schema_at) = schema_at(origin) else { return false };
        let Some(schema) = self.view().pointer(&schema_at).and_then(Value::as_object) else { return false };
        if schema.contains_key("$ref") {
            return false;
        }
        if origin.shared.is_some() {
            self.note_shared(op, p, origin, "schema", &p.schema);
        }
        for k in keys {
            match (k, p.schema.get(k)) {
                ("type", Some(Value::Array(ts))) if self.flavor != Flavor::OpenApi31 => {
                    let one = ts.iter().find(|t| t.as_str() != Some("null")).cloned().unwrap_or(Value::Null);
                    self.set(&schema_at, "type", one);
                    let key = if self.flavor == Flavor::Swagger2 { "x-nullable" } else { "nullable" };
                    self.set(&schema_at, key, Value::Bool(ts.iter().any(|t| t.as_str() == Some("null"))));
                }
                (_, Some(v)) => self.set(&schema_at, k, v.clone()),
                (_, None) => self.remove(&schema_at, k),
            }
        }
        if enum_changed {
            if p.enum_values.is_empty() {
                self.remove(&schema_at, "enum");
            } else {
                self.set(&schema_at, "enum", Value::Array(p.enum_values.clone()));
            }
        }
        if p.required != o.required {
            match origin.kind {
                ExampleKind::Schema => {
                    let suffix = join(&join("", "properties"), &p.name);
                    let Some(parent) = origin.desc_at.strip_suffix(&suffix).map(str::to_string) else { return false };
                    let mut list: Vec<Value> = self
                        .view()
                        .pointer(&parent)
                        .and_then(|v| v.get("required"))
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    list.retain(|v| v.as_str() != Some(&p.name));
                    if p.required {
                        list.push(Value::String(p.name.clone()));
                    }
                    if list.is_empty() {
                        self.remove(&parent, "required");
                    } else {
                        self.set(&parent, "required", Value::Array(list));
                    }
                }
                _ => self.set(&origin.desc_at, "required", Value::Bool(p.required)),
            }
        }
        true
    }

    /// Writes the `required` lists inside the parameter's schema that changed (an array's
    /// items, an object's properties) where the source keeps them inline; the pointers
    /// (relative to the schema) written.
    fn nested_required(&mut self, op: &Operation, p: &Parameter, o: &Parameter, origin: &Origin) -> Vec<String> {
        let Some(schema_at) = schema_at(origin) else { return Vec::new() };
        let mut written = Vec::new();
        for at in required_pointers(&p.schema, &o.schema) {
            let now = p.schema.pointer(&at);
            let Some((parent, _)) = at.rsplit_once('/').filter(|_| now != o.schema.pointer(&at)) else { continue };
            let target = format!("{schema_at}{parent}");
            if self.view().pointer(&target).and_then(Value::as_object).is_none_or(|m| m.contains_key("$ref")) {
                continue;
            }
            match now {
                Some(v) => self.set(&target, "required", v.clone()),
                None => self.remove(&target, "required"),
            }
            written.push(at);
        }
        if !written.is_empty() && origin.shared.is_some() {
            self.note_shared(op, p, origin, "schema", &p.schema);
        }
        written
    }

    /// Notes a write into a shared component, and a conflict when two operations want
    /// different values there.
    fn note_shared(&mut self, op: &Operation, p: &Parameter, origin: &Origin, what: &str, v: &Value) {
        let Some(component) = &origin.shared else { return };
        let key = format!("{what} {component}");
        match self.shared.get(&key) {
            None => {
                self.lost.push(format!(
                    "{}: parameter `{}`'s {what} was written to the shared component {component}, which other operations may use",
                    op.id, p.name
                ));
                self.shared.insert(key, (v.clone(), op.id.clone()));
            }
            Some((prev, by)) if prev != v => {
                self.lost.push(format!(
                    "{}: parameter `{}`'s {what} conflicts with {by}'s in the shared component {component}; the last one written wins",
                    op.id, p.name
                ));
            }
            Some(_) => {}
        }
    }

    fn examples(&mut self, op: &Operation, p: &Parameter, origin: &Origin) {
        let at = origin.example_at.as_str();
        let ex = &p.examples;
        let has = |s: &Self, k: &str| s.view().pointer(at).is_some_and(|v| v.get(k).is_some());
        match origin.kind {
            ExampleKind::Parameter | ExampleKind::Media => {
                if ex.len() <= 1 && !has(self, "examples") {
                    match ex.first() {
                        Some(v) => self.set(at, "example", v.clone()),
                        None => self.remove(at, "example"),
                    }
                    return;
                }
                let existing =
                    self.view().pointer(at).and_then(|v| v.get("examples")).and_then(Value::as_object).cloned();
                let source = self.source;
                let map = example_map(existing.unwrap_or_default(), ex, |e| {
                    let target = ref_of(e).and_then(ref_pointer).and_then(|p| source.pointer(&p)).unwrap_or(e);
                    target.get("value").cloned()
                });
                self.remove(at, "example");
                if map.is_empty() {
                    self.remove(at, "examples");
                } else {
                    self.set(at, "examples", Value::Object(map));
                }
            }
            ExampleKind::Schema if self.flavor == Flavor::OpenApi31 && (ex.len() > 1 || has(self, "examples")) => {
                self.remove(at, "example");
                self.set(at, "examples", Value::Array(ex.clone()));
            }
            ExampleKind::XExample | ExampleKind::Schema => {
                let key = if origin.kind == ExampleKind::XExample { "x-example" } else { "example" };
                match ex.first() {
                    Some(v) => self.set(at, key, v.clone()),
                    None => self.remove(at, key),
                }
                if ex.len() > 1 {
                    self.lost.push(format!("{}: parameter `{}`: only the first example fits here", op.id, p.name));
                }
            }
        }
    }

    /// The pointer of the success response (following a `$ref`, noted as shared), creating a
    /// `200` response when there is none.
    fn success_at(&mut self, op: &Operation) -> String {
        let responses_at = join(&op.pointer, "responses");
        let found = self
            .source
            .pointer(&responses_at)
            .and_then(Value::as_object)
            .and_then(success_response)
            .map(|(code, v)| (join(&responses_at, code), v));
        let Some((at, v)) = found else {
            let at = join(&responses_at, "200");
            self.set(&at, "description", Value::String("Success".into()));
            return at;
        };
        let f = Resolver::new(self.source).follow(v, &at);
        if f.via.is_some() {
            self.lost.push(format!(
                "{}: the response example or schema was written to the shared response {}",
                op.id, f.pointer
            ));
        }
        f.pointer
    }

    fn json_media_at(&mut self, resp_at: &str) -> String {
        let content_at = join(resp_at, "content");
        let key = self
            .view()
            .pointer(&content_at)
            .and_then(Value::as_object)
            .and_then(json_media)
            .cloned()
            .unwrap_or_else(|| "application/json".into());
        join(&content_at, &key)
    }

    fn response_example(&mut self, op: &Operation, result: &Value) {
        let resp_at = self.success_at(op);
        if self.flavor == Flavor::Swagger2 {
            let at = join(&resp_at, "examples");
            let has = self.view().pointer(&at).and_then(Value::as_object).is_some_and(|m| !m.is_empty());
            if !has {
                self.set(&at, "application/json", result.clone());
            }
            return;
        }
        let media_at = self.json_media_at(&resp_at);
        let has =
            self.view().pointer(&media_at).is_some_and(|m| m.get("example").is_some() || m.get("examples").is_some());
        if !has {
            self.set(&media_at, "example", result.clone());
        }
    }

    fn response_schema(&mut self, op: &Operation, schema: &Value) {
        let resp_at = self.success_at(op);
        let at = if self.flavor == Flavor::Swagger2 { resp_at } else { self.json_media_at(&resp_at) };
        self.set(&at, "schema", schema.clone());
    }
}

/// An `examples` map holding exactly `values`: entries already there are kept by name,
/// new values are added as `example1`, `example2`…
fn example_map(
    existing: Map<String, Value>,
    values: &[Value],
    value_of: impl Fn(&Value) -> Option<Value>,
) -> Map<String, Value> {
    let mut out = Map::new();
    let mut placed = vec![false; values.len()];
    for (k, ex) in existing {
        let v = value_of(&ex);
        if let Some(i) = values.iter().enumerate().position(|(i, x)| !placed[i] && Some(x) == v.as_ref()) {
            placed[i] = true;
            out.insert(k, ex);
        }
    }
    let mut n = 1;
    for (i, v) in values.iter().enumerate() {
        if placed[i] {
            continue;
        }
        while out.contains_key(&format!("example{n}")) {
            n += 1;
        }
        let mut ex = Map::new();
        ex.insert("value".into(), v.clone());
        out.insert(format!("example{n}"), Value::Object(ex));
    }
    out
}
