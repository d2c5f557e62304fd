//! Parameters, request bodies and response schemas of one operation, in OpenAPI 3.x and
//! Swagger 2.0, each with the [`Origin`] of its documentation.

use super::refs::{join, ref_of, Resolver};
use super::Flavor;
use crate::doc::{Location, Parameter};
use serde_json::{Map, Value};

/// Where a parameter's documentation lives in the source, so export can patch it.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Origin {
    /// The object whose `description` documents the parameter.
    pub desc_at: String,
    /// The object whose example keywords hold its examples.
    pub example_at: String,
    pub kind: ExampleKind,
    /// The shared component the documentation lives in, when it was reached through a `$ref`.
    pub shared: Option<String>,
}

/// How examples are written at [`Origin::example_at`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ExampleKind {
    /// An OpenAPI 3 Parameter Object: `example`, or an `examples` map of Example Objects.
    Parameter,
    /// A Swagger 2.0 parameter: the `x-example` extension.
    XExample,
    /// A Schema Object: `example` (and in 3.1 an `examples` array).
    Schema,
    /// A Media Type Object: `example`, or an `examples` map.
    Media,
}

static NULL: Value = Value::Null;

/// A parameter and where it was documented.
pub(super) struct Param {
    pub param: Parameter,
    pub origin: Origin,
}

/// A Swagger 2.0 `in: body` parameter, kept until the operation's parameters are all read.
pub(super) struct BodySource<'a> {
    value: &'a Value,
    pointer: String,
    shared: Option<String>,
}

/// Swagger 2.0 parameter keywords that make up its schema.
pub(super) const SWAGGER_SCHEMA_KEYS: [&str; 16] = [
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
];

/// Reads a `parameters` list; a later parameter with the same name and location replaces an
/// earlier one (operation-level over path-level). A Swagger body parameter goes to `body`.
pub(super) fn read_list<'a>(
    r: &mut Resolver<'a>,
    flavor: Flavor,
    list: &'a Value,
    at: &str,
    out: &mut Vec<Param>,
    body: &mut Option<BodySource<'a>>,
) {
    let Some(items) = list.as_array() else {
        r.warn(format!("at {at}: expected a list of parameters; ignored"));
        return;
    };
    for (i, item) in items.iter().enumerate() {
        let item_at = format!("{at}/{i}");
        let f = r.follow(item, &item_at);
        if ref_of(f.value).is_some() {
            continue; // dangling or cyclic: already warned
        }
        let shared = f.via.is_some().then(|| f.pointer.clone());
        let pv = f.value;
        let (Some(name), Some(place)) = (pv.get("name").and_then(Value::as_str), pv.get("in").and_then(Value::as_str))
        else {
            r.warn(format!("at {}: parameter without `name` or `in`; skipped", f.pointer));
            continue;
        };
        let location = match (place, flavor) {
            ("path", _) => Location::Path,
            ("query", _) => Location::Query,
            ("header", _) => Location::Header,
            ("cookie", _) => Location::Cookie,
            ("body", Flavor::Swagger2) => {
                *body = Some(BodySource { value: pv, pointer: f.pointer, shared });
                continue;
            }
            ("formData", Flavor::Swagger2) => Location::Body,
            _ => {
                r.warn(format!("at {}: parameter `{name}` has unknown location `{place}`; skipped", f.pointer));
                continue;
            }
        };
        let param = if flavor == Flavor::Swagger2 {
            swagger_param(r, pv, &f.pointer, name, location)
        } else {
            openapi_param(r, pv, &f.pointer, name, location)
        };
        let kind = if flavor == Flavor::Swagger2 { ExampleKind::XExample } else { ExampleKind::Parameter };
        let origin = Origin { desc_at: f.pointer.clone(), example_at: f.pointer, kind, shared };
        let p = Param { param, origin };
        match out.iter_mut().find(|q| q.param.name == p.param.name && q.param.location == p.param.location) {
            Some(q) => *q = p,
            None => out.push(p),
        }
    }
}

fn base_param(pv: &Value, name: &str, location: Location, schema: Value) -> Parameter {
    let schema = if schema.is_null() { Value::Object(Map::new()) } else { schema };
    Parameter {
        name: name.to_string(),
        location,
        required: pv.get("required").and_then(Value::as_bool).unwrap_or(false),
        description: text(pv, "description"),
        schema,
        ..Default::default()
    }
}

fn openapi_param<'a>(r: &mut Resolver<'a>, pv: &'a Value, at: &str, name: &str, location: Location) -> Parameter {
    let schema = if let Some(s) = pv.get("schema") {
        r.schema(s, &join(at, "schema"))
    } else if let Some((key, media)) = pv.get("content").and_then(Value::as_object).and_then(|c| c.iter().next()) {
        media.get("schema").map(|s| r.schema(s, &join(&join(&join(at, "content"), key), "schema"))).unwrap_or_default()
    } else {
        Value::Object(Map::new())
    };
    let mut p = base_param(pv, name, location, schema);
    p.style = pv.get("style").and_then(Value::as_str).map(str::to_string);
    p.explode = pv.get("explode").and_then(Value::as_bool);
    p.examples = example_values(r, pv, at);
    fill_from_schema(&mut p);
    p
}

fn swagger_param(r: &mut Resolver, pv: &Value, at: &str, name: &str, location: Location) -> Parameter {
    let schema = r.schema(&swagger_schema(pv), at);
    let mut p = base_param(pv, name, location, schema);
    if let Some(cf) = pv.get("collectionFormat").and_then(Value::as_str) {
        let simple = matches!(location, Location::Path | Location::Header);
        (p.style, p.explode) = match cf {
            "csv" if simple => (Some("simple".into()), Some(false)),
            "csv" => (Some("form".into()), Some(false)),
            "ssv" => (Some("spaceDelimited".into()), Some(false)),
            "pipes" => (Some("pipeDelimited".into()), Some(false)),
            "multi" => (Some("form".into()), Some(true)),
            _ => (None, None),
        };
    }
    if let Some(e) = pv.get("x-example") {
        p.examples.push(e.clone());
    }
    fill_from_schema(&mut p);
    p
}

/// The JSON Schema a Swagger 2.0 parameter (or items object) describes with its own keywords.
pub(super) fn swagger_schema(pv: &Value) -> Value {
    let mut m = Map::new();
    for k in SWAGGER_SCHEMA_KEYS {
        if let Some(v) = pv.get(k) {
            m.insert(k.to_string(), if k == "items" { swagger_schema(v) } else { v.clone() });
        }
    }
    if pv.get("$ref").is_some() {
        m.insert("$ref".into(), pv["$ref"].clone());
    }
    if m.get("type").and_then(Value::as_str) == Some("file") {
        m.insert("type".into(), "string".into());
        m.insert("format".into(), "binary".into());
    }
    Value::Object(m)
}

/// Default, enum and (when none were given elsewhere) examples from the schema.
fn fill_from_schema(p: &mut Parameter) {
    p.default = p.schema.get("default").cloned();
    p.enum_values = p.schema.get("enum").and_then(Value::as_array).cloned().unwrap_or_default();
    if p.examples.is_empty() {
        p.examples = schema_examples(&p.schema);
    }
}

/// `examples` (a JSON Schema list) then `example` of a schema.
pub(super) fn schema_examples(s: &Value) -> Vec<Value> {
    let mut out: Vec<Value> = s.get("examples").and_then(Value::as_array).cloned().unwrap_or_default();
    if let Some(e) = s.get("example") {
        if !out.contains(e) {
            out.push(e.clone());
        }
    }
    out
}

/// `example`, or the values of an `examples` map of Example Objects (3.x parameters and
/// media types).
fn example_values<'a>(r: &mut Resolver<'a>, v: &'a Value, at: &str) -> Vec<Value> {
    if let Some(e) = v.get("example") {
        return vec![e.clone()];
    }
    let mut out = Vec::new();
    if let Some(m) = v.get("examples").and_then(Value::as_object) {
        for (k, ex) in m {
            let f = r.follow(ex, &join(&join(at, "examples"), k));
            if let Some(value) = f.value.get("value") {
                out.push(value.clone());
            }
        }
    }
    out
}

fn text(v: &Value, k: &str) -> String {
    v.get(k).and_then(Value::as_str).unwrap_or_default().to_string()
}

/// The media type to read a request body from: JSON, then forms, then the first.
pub(super) fn body_media(content: &Map<String, Value>) -> Option<&String> {
    json_media(content)
        .or_else(|| content.keys().find(|k| k.starts_with("application/x-www-form-urlencoded")))
        .or_else(|| content.keys().find(|k| k.starts_with("multipart/form-data")))
        .or_else(|| content.keys().next())
}

/// `application/json`, then any JSON media type, then `*/*`.
pub(super) fn json_media(content: &Map<String, Value>) -> Option<&String> {
    content
        .keys()
        .find(|k| k.as_str() == "application/json")
        .or_else(|| content.keys().find(|k| k.to_ascii_lowercase().contains("json")))
        .or_else(|| content.keys().find(|k| k.as_str() == "*/*"))
}

/// Reads an OpenAPI 3 `requestBody`; returns its media type.
pub(super) fn request_body<'a>(
    r: &mut Resolver<'a>,
    flavor: Flavor,
    rb: &'a Value,
    at: &str,
    out: &mut Vec<Param>,
) -> Option<String> {
    let f = r.follow(rb, at);
    let shared = f.via.is_some().then(|| f.pointer.clone());
    let content = f.value.get("content").and_then(Value::as_object)?;
    let media_key = body_media(content)?.clone();
    let media = &content[&media_key];
    let media_at = join(&join(&f.pointer, "content"), &media_key);
    let schema = media.get("schema").unwrap_or(&NULL);
    let schema_at = join(&media_at, "schema");
    if !object_body(r, flavor, schema, &schema_at, shared.clone(), out) {
        let mut p = base_param(f.value, "body", Location::Body, r.schema(schema, &schema_at));
        p.examples = example_values(r, media, &media_at);
        fill_from_schema(&mut p);
        let origin = Origin { desc_at: f.pointer, example_at: media_at, kind: ExampleKind::Media, shared };
        out.push(Param { param: p, origin });
    }
    Some(media_key)
}

/// Reads a Swagger 2.0 body (an `in: body` parameter or `formData` parameters already in
/// `out`); returns the body's media type.
pub(super) fn swagger_body<'a>(
    r: &mut Resolver<'a>,
    root: &'a Value,
    op: &'a Value,
    body: Option<BodySource<'a>>,
    out: &mut Vec<Param>,
) -> Option<String> {
    let consumes: Vec<&str> = op
        .get("consumes")
        .or_else(|| root.get("consumes"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(b) = body else {
        if !out.iter().any(|p| p.param.location == Location::Body) {
            return None;
        }
        let multipart = consumes.iter().any(|c| c.starts_with("multipart/form-data"))
            || out.iter().any(|p| p.param.schema.get("format").and_then(Value::as_str) == Some("binary"));
        return Some(if multipart { "multipart/form-data" } else { "application/x-www-form-urlencoded" }.into());
    };
    let media = consumes
        .iter()
        .find(|c| c.to_ascii_lowercase().contains("json"))
        .or(consumes.first())
        .map_or("application/json".to_string(), |c| c.to_string());
    let schema = b.value.get("schema").unwrap_or(&NULL);
    let schema_at = join(&b.pointer, "schema");
    if !object_body(r, Flavor::Swagger2, schema, &schema_at, b.shared.clone(), out) {
        let mut p = base_param(b.value, "body", Location::Body, r.schema(schema, &schema_at));
        if let Some(e) = b.value.get("x-example") {
            p.examples.push(e.clone());
        }
        fill_from_schema(&mut p);
        let origin =
            Origin { desc_at: b.pointer.clone(), example_at: b.pointer, kind: ExampleKind::XExample, shared: b.shared };
        out.push(Param { param: p, origin });
    }
    Some(media)
}

struct Prop<'a> {
    name: &'a str,
    value: &'a Value,
    at: String,
    shared: Option<String>,
}

/// When the body schema is an object with properties (its own or through `allOf`), adds one
/// body parameter per property and returns true.
fn object_body<'a>(
    r: &mut Resolver<'a>,
    flavor: Flavor,
    schema: &'a Value,
    at: &str,
    shared: Option<String>,
    out: &mut Vec<Param>,
) -> bool {
    let mut props = Vec::new();
    let mut required = Vec::new();
    collect_properties(r, schema, at, shared, &mut props, &mut required, 0);
    if props.is_empty() {
        return false;
    }
    for prop in props {
        let p = property_param(r, flavor, &prop, required.contains(&prop.name));
        out.push(p);
    }
    true
}

fn collect_properties<'a>(
    r: &mut Resolver<'a>,
    schema: &'a Value,
    at: &str,
    shared: Option<String>,
    props: &mut Vec<Prop<'a>>,
    required: &mut Vec<&'a str>,
    depth: usize,
) {
    if depth > 16 {
        return;
    }
    let f = r.follow(schema, at);
    let shared = if f.via.is_some() { Some(f.pointer.clone()) } else { shared };
    if let Some(m) = f.value.get("properties").and_then(Value::as_object) {
        let props_at = join(&f.pointer, "properties");
        for (name, value) in m {
            if !props.iter().any(|p| p.name == name) {
                props.push(Prop { name, value, at: join(&props_at, name), shared: shared.clone() });
            }
        }
    }
    if let Some(req) = f.value.get("required").and_then(Value::as_array) {
        required.extend(req.iter().filter_map(Value::as_str));
    }
    if let Some(all) = f.value.get("allOf").and_then(Value::as_array) {
        let all_at = join(&f.pointer, "allOf");
        for (i, member) in all.iter().enumerate() {
            collect_properties(r, member, &format!("{all_at}/{i}"), shared.clone(), props, required, depth + 1);
        }
    }
}

fn property_param<'a>(r: &mut Resolver<'a>, flavor: Flavor, prop: &Prop<'a>, required: bool) -> Param {
    let mut schema = r.schema(prop.value, &prop.at);
    let mut origin = Origin {
        desc_at: prop.at.clone(),
        example_at: prop.at.clone(),
        kind: ExampleKind::Schema,
        shared: prop.shared.clone(),
    };
    let description = if ref_of(prop.value).is_some() && prop.value.get("description").is_none() {
        let f = r.follow(prop.value, &prop.at);
        if flavor != Flavor::OpenApi31 && f.via.is_some() {
            // Before 3.1 keywords beside `$ref` are ignored: the description is the target's.
            origin.desc_at = f.pointer.clone();
            origin.example_at = f.pointer.clone();
            origin.shared = Some(f.pointer);
        }
        text(f.value, "description")
    } else {
        text(prop.value, "description")
    };
    if let Value::Object(m) = &mut schema {
        m.shift_remove("description");
    }
    let mut param = Parameter {
        name: prop.name.to_string(),
        location: Location::Body,
        schema,
        required,
        description,
        ..Default::default()
    };
    fill_from_schema(&mut param);
    Param { param, origin }
}

/// The first success response (lowest 2xx code; `2XX` after the numbered ones).
pub(super) fn success_response(responses: &Map<String, Value>) -> Option<(&String, &Value)> {
    responses
        .iter()
        .filter_map(|(k, v)| {
            let b = k.as_bytes();
            if b.len() != 3 || b[0] != b'2' {
                return None;
            }
            let rank = if k.eq_ignore_ascii_case("2xx") { 300 } else { k.parse::<u32>().ok()? };
            Some((rank, k, v))
        })
        .min_by_key(|(rank, _, _)| *rank)
        .map(|(_, k, v)| (k, v))
}

/// The success response's JSON schema.
pub(super) fn response_schema<'a>(r: &mut Resolver<'a>, flavor: Flavor, op: &'a Value, op_at: &str) -> Option<Value> {
    let responses = op.get("responses")?.as_object()?;
    let (code, resp) = success_response(responses)?;
    let f = r.follow(resp, &join(&join(op_at, "responses"), code));
    if flavor == Flavor::Swagger2 {
        let s = f.value.get("schema")?;
        return Some(r.compared_schema(s, &join(&f.pointer, "schema")));
    }
    let content = f.value.get("content")?.as_object()?;
    let key = json_media(content)?;
    let s = content[key].get("schema")?;
    let at = join(&join(&join(&f.pointer, "content"), key), "schema");
    Some(r.compared_schema(s, &at))
}
