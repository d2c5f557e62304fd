//! A fresh OpenAPI 3.1 document from the model, for documents that came from another format.

use super::import::method_path_name;
use super::refs::unique;
use super::{safety_hints, EXAMPLES_KEY, SAFETY_KEY};
use crate::doc::{Location, Operation, Parameter, Safety, ToolDoc};
use crate::host::Method;
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};

/// Builds OpenAPI 3.1 from the model (see [`super::export`] for the mapping).
pub(super) fn fresh(doc: &ToolDoc) -> (Value, Vec<String>) {
    let mut lost = Vec::new();
    let multi = doc.tools.len() > 1;
    let first_base = doc.tools.iter().find_map(|t| t.base_url.clone());
    let mut info = Map::new();
    let title = match doc.tools.as_slice() {
        [t] if !t.name.is_empty() => t.name.clone(),
        [] | [_] => "api".to_string(),
        ts => ts.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", "),
    };
    info.insert("title".into(), title.into());
    info.insert("version".into(), "1.0.0".into());
    if let [t] = doc.tools.as_slice() {
        if !t.description.is_empty() {
            info.insert("description".into(), t.description.clone().into());
        }
    }
    let mut root = Map::new();
    root.insert("openapi".into(), "3.1.0".into());
    root.insert("info".into(), Value::Object(info));
    if let Some(b) = &first_base {
        root.insert("servers".into(), json!([{ "url": b }]));
    }
    if multi {
        let tags: Vec<Value> = doc
            .tools
            .iter()
            .map(|t| {
                let mut m = Map::new();
                m.insert("name".into(), t.name.clone().into());
                if !t.description.is_empty() {
                    m.insert("description".into(), t.description.clone().into());
                }
                Value::Object(m)
            })
            .collect();
        root.insert("tags".into(), Value::Array(tags));
    }
    let mut paths = Map::new();
    let mut ids = HashSet::new();
    let mut path_base: HashMap<String, Option<String>> = HashMap::new();
    for tool in &doc.tools {
        let slug = segment(&tool.name, "tool");
        for op in &tool.operations {
            let (method, path, server) = match &op.http {
                Some(h) => {
                    let (server, path) = split_url(&h.path);
                    (h.method, path, server)
                }
                None => {
                    let name = segment(&op.name, "operation");
                    let path = if multi { format!("/{slug}/{name}") } else { format!("/{name}") };
                    lost.push(format!(
                        "{}: has no HTTP binding; written as POST {path} with a JSON body of its arguments",
                        op.id
                    ));
                    (Method::Post, path, None)
                }
            };
            let base = server.or_else(|| tool.base_url.clone());
            let key = method.as_str().to_ascii_lowercase();
            let free = |p: &str, paths: &Map<String, Value>| {
                paths.get(p).is_none_or(|item| item.get(&key).is_none() && path_base.get(p) == Some(&base))
            };
            let mut chosen = path.clone();
            if !free(&chosen, &paths) {
                chosen = format!("/{slug}{path}");
                let mut n = 2;
                while !free(&chosen, &paths) {
                    chosen = format!("/{slug}{path}_{n}");
                    n += 1;
                }
                lost.push(format!("{}: {} {path} was taken; written as {chosen}", op.id, method.as_str()));
            }
            path_base.insert(chosen.clone(), base.clone());
            let item = paths.entry(chosen).or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(item) = item {
                if let Some(b) = base.as_ref().filter(|b| Some(*b) != first_base.as_ref()) {
                    item.insert("servers".into(), json!([{ "url": b }]));
                }
                let tag = multi.then_some(tool.name.as_str());
                item.insert(key, operation(op, method, tag, &mut ids, &mut lost));
            }
        }
    }
    root.insert("paths".into(), Value::Object(paths));
    (Value::Object(root), lost)
}

/// A path segment from a name: characters other than letters, digits, `-`, `_` and `.`
/// become `_`.
fn segment(name: &str, fallback: &str) -> String {
    let s: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
    if s.is_empty() {
        fallback.to_string()
    } else {
        s
    }
}

/// `https://host/x/{id}` → (`Some("https://host")`, `/x/{id}`); a path stays a path.
fn split_url(path: &str) -> (Option<String>, String) {
    if let Some(i) = path.find("://") {
        let after = &path[i + 3..];
        let cut = after.find('/').map_or(path.len(), |j| i + 3 + j);
        let rest = if cut < path.len() { path[cut..].to_string() } else { "/".to_string() };
        return (Some(path[..cut].to_string()), rest);
    }
    let p = if path.starts_with('/') { path.to_string() } else { format!("/{path}") };
    (None, p)
}

/// The operation's parameters, each (name, location) once: OpenAPI forbids listing one twice
/// (`inspect` flags it as a smell); the first is kept and the others are reported in `lost`.
fn distinct_parameters<'a>(op: &'a Operation, lost: &mut Vec<String>) -> Vec<&'a Parameter> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(op.parameters.len());
    for p in &op.parameters {
        if seen.insert((p.name.as_str(), p.location)) {
            out.push(p);
        } else {
            lost.push(format!("{}: {} parameter {} is listed twice; written once", op.id, place(p.location), p.name));
        }
    }
    out
}

fn operation(
    op: &Operation,
    method: Method,
    tag: Option<&str>,
    ids: &mut HashSet<String>,
    lost: &mut Vec<String>,
) -> Value {
    let mut m = Map::new();
    if let Some(t) = tag {
        m.insert("tags".into(), json!([t]));
    }
    if let Some(t) = &op.title {
        m.insert("summary".into(), t.clone().into());
    }
    if !op.description.is_empty() {
        m.insert("description".into(), op.description.clone().into());
    }
    let base = if op.name.is_empty() { method_path_name(method.as_str(), &op.id) } else { op.name.clone() };
    m.insert("operationId".into(), unique(&base, ids).into());
    let distinct = distinct_parameters(op, lost);
    let params: Vec<Value> = distinct.iter().filter(|p| p.location != Location::Body).map(|p| parameter(p)).collect();
    if !params.is_empty() {
        m.insert("parameters".into(), Value::Array(params));
    }
    let body: Vec<&Parameter> = distinct.into_iter().filter(|p| p.location == Location::Body).collect();
    if !body.is_empty() {
        let media =
            op.http.as_ref().and_then(|h| h.body_media_type.clone()).unwrap_or_else(|| "application/json".into());
        m.insert("requestBody".into(), request_body(op, &body, &media));
    }
    let mut ok = Map::new();
    ok.insert("description".into(), "Success".into());
    let mut media = Map::new();
    if let Some(s) = &op.response_schema {
        media.insert("schema".into(), s.clone());
    }
    if let Some(r) = op.examples.iter().find(|e| e.verified).and_then(|e| e.result.clone()) {
        media.insert("example".into(), r);
    }
    if !media.is_empty() {
        ok.insert("content".into(), json!({ "application/json": media }));
    }
    m.insert("responses".into(), json!({ "200": ok }));
    if !op.examples.is_empty() {
        if let Ok(v) = serde_json::to_value(&op.examples) {
            m.insert(EXAMPLES_KEY.into(), v);
        }
    }
    if let Some(h) = safety_hints(&op.safety, &Safety::from_method(method)) {
        m.insert(SAFETY_KEY.into(), h);
    }
    Value::Object(m)
}

/// The parameter's schema with its default and enum (when the schema lacks them).
fn schema_of(p: &Parameter) -> Map<String, Value> {
    let mut s = p.schema.as_object().cloned().unwrap_or_default();
    if let Some(d) = &p.default {
        s.entry("default").or_insert_with(|| d.clone());
    }
    if !p.enum_values.is_empty() {
        s.entry("enum").or_insert_with(|| Value::Array(p.enum_values.clone()));
    }
    s
}

/// OpenAPI's name of a parameter location (`in`).
fn place(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
        Location::Body => "body",
    }
}

fn parameter(p: &Parameter) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), p.name.clone().into());
    m.insert("in".into(), place(p.location).into());
    if !p.description.is_empty() {
        m.insert("description".into(), p.description.clone().into());
    }
    if p.required || p.location == Location::Path {
        m.insert("required".into(), true.into());
    }
    if let Some(s) = &p.style {
        m.insert("style".into(), s.clone().into());
    }
    if let Some(e) = p.explode {
        m.insert("explode".into(), e.into());
    }
    m.insert("schema".into(), Value::Object(schema_of(p)));
    match p.examples.as_slice() {
        [] => {}
        [one] => {
            m.insert("example".into(), one.clone());
        }
        many => {
            let map: Map<String, Value> =
                many.iter().enumerate().map(|(i, v)| (format!("example{}", i + 1), json!({ "value": v }))).collect();
            m.insert("examples".into(), Value::Object(map));
        }
    }
    Value::Object(m)
}

fn request_body(op: &Operation, body: &[&Parameter], media: &str) -> Value {
    let mut rb = Map::new();
    let mut content = Map::new();
    if let ([p], true) = (body, op.http.is_some()) {
        if p.name == "body" {
            // A whole (non-object) body read from an HTTP format.
            if !p.description.is_empty() {
                rb.insert("description".into(), p.description.clone().into());
            }
            let mut mt = Map::new();
            mt.insert("schema".into(), Value::Object(schema_of(p)));
            if let Some(e) = p.examples.first() {
                mt.insert("example".into(), e.clone());
            }
            content.insert(media.into(), Value::Object(mt));
            rb.insert("content".into(), Value::Object(content));
            if p.required {
                rb.insert("required".into(), true.into());
            }
            return Value::Object(rb);
        }
    }
    let mut props = Map::new();
    let mut required = Vec::new();
    for p in body {
        let mut s = schema_of(p);
        if !p.description.is_empty() {
            s.insert("description".into(), p.description.clone().into());
        }
        if !p.examples.is_empty() {
            s.insert("examples".into(), Value::Array(p.examples.clone()));
        }
        props.insert(p.name.clone(), Value::Object(s));
        if p.required {
            required.push(Value::String(p.name.clone()));
        }
    }
    let mut schema = Map::new();
    schema.insert("type".into(), "object".into());
    schema.insert("properties".into(), Value::Object(props));
    let any_required = !required.is_empty();
    if any_required {
        schema.insert("required".into(), Value::Array(required));
    }
    content.insert(media.into(), json!({ "schema": schema }));
    rb.insert("content".into(), Value::Object(content));
    if any_required {
        rb.insert("required".into(), true.into());
    }
    Value::Object(rb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_full_urls() {
        assert_eq!(split_url("https://api.x.com/v1/a/{id}"), (Some("https://api.x.com".into()), "/v1/a/{id}".into()));
        assert_eq!(split_url("http://h"), (Some("http://h".into()), "/".into()));
        assert_eq!(split_url("a/b"), (None, "/a/b".into()));
    }

    #[test]
    fn writes_a_parameter_listed_twice_once_with_a_warning() {
        let text = r#"{"tool_name": "Weather", "tool_description": "Weather.", "api_list": [{"name": "forecast",
            "url": "https://w.example/forecast", "method": "GET", "description": "A forecast.",
            "required_parameters": [{"name": "city", "type": "STRING", "description": "The city.", "default": ""}],
            "optional_parameters": [{"name": "city", "type": "STRING", "description": "Again.", "default": ""},
                                    {"name": "days", "type": "NUMBER", "description": "Days.", "default": ""}]}]}"#;
        let doc = crate::doc::formats::import(text, None).expect("a ToolBench tool");
        assert_eq!(doc.tools[0].operations[0].parameters.len(), 3, "the import keeps both (inspect flags it)");
        let (value, lost) = fresh(&doc);
        let params = value["paths"]["/forecast"]["get"]["parameters"].as_array().expect("parameters").clone();
        let names: Vec<&str> = params.iter().filter_map(|p| p["name"].as_str()).collect();
        assert_eq!(names, ["city", "days"]);
        assert_eq!(params[0]["description"], "The city.", "the first is kept");
        assert!(lost.iter().any(|l| l.contains("query parameter city is listed twice; written once")), "{lost:?}");
    }
}
