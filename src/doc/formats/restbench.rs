//! RestBench, in the DRAFT paper's form: a dict of id → `{"ID", "tool_name", "description",
//! "url", "required_parameters", "optional_parameters", "example"?}`, where `tool_name` is the
//! method and path (`GET_movie_movie_id_keywords`) and `url` a template (`…/movie/{movie_id}`).
//!
//! One [`Tool`] (named after the URLs' host, with their common prefix as `base_url`) holds one
//! operation per entry, its id the `tool_name`. The method comes from the `tool_name` prefix;
//! each `{name}` in the URL is a path parameter, always required in the model, also when the
//! document leaves it out of `required_parameters` (TMDB does, for 34 of 54 entries): such a
//! parameter is added to the model but not to the document unless it is changed, and
//! [`inspect`](crate::doc::inspect) reports the document's own marking. A parameter's `schema`
//! keeps its JSON Schema; its description may sit beside it or inside it (Spotify) and is
//! written back where it was. An `example`'s filled `url` gives the path arguments.
//!
//! Export in RestBench patches the source; from another format it writes the dict form.
//!
//! ```
//! use serde_json::json;
//! let doc = tooldraft::doc::formats::restbench::import(&json!({"0": {"ID": 0,
//!     "tool_name": "GET_movie_movie_id_keywords", "description": "Keywords of a movie.",
//!     "url": "http://api.themoviedb.org/3/movie/{movie_id}/keywords",
//!     "required_parameters": [], "optional_parameters": []}})).unwrap();
//! let op = &doc.tools[0].operations[0];
//! assert!(op.parameter("movie_id").unwrap().required);
//! assert_eq!(doc.tools[0].base_url.as_deref(), Some("http://api.themoviedb.org/3/movie"));
//! ```

mod params;

use super::args::unique_ids;
use super::json::{self, child};
use super::lists::{self, template_params};
use super::lost::{Carries, ExampleField, Lost};
use super::patch::patch_operations;
use crate::doc::{DocError, Example, Format, HttpBinding, Location, Operation, Safety, Tool, ToolDoc};
use crate::host::Method;
use params::{fill, path_values, RestBenchCodec};
use serde_json::{json, Map, Value};

const CARRIES: Carries =
    Carries { title: false, examples: ExampleField::OneWithQuery, response_schema: false, safety: false, http: true };

/// True when the value is RestBench's dict form.
pub fn detect(value: &Value) -> bool {
    let Value::Object(m) = value else { return false };
    m.values()
        .next()
        .is_some_and(|e| e.get("tool_name").is_some() && e.get("url").is_some() && e.get("tool_guidelines").is_none())
}

/// The method named by a `tool_name` prefix (`GET_…`).
fn method_of(tool_name: &str) -> Option<Method> {
    Method::parse(tool_name.split('_').next()?)
}

/// Reads RestBench's dict form.
pub fn import(value: &Value) -> Result<ToolDoc, DocError> {
    let m = json::object(value, "")?;
    let mut tool = Tool { name: "restbench".into(), ..Default::default() };
    let mut warnings = Vec::new();
    let mut urls = Vec::new();
    for (key, e) in m {
        let ptr = child("", key);
        let op = import_entry(e, &ptr, &mut warnings)?;
        if let Some(h) = &op.http {
            urls.push(h.path.clone());
        } else if let Some(url) = e.get("url").and_then(Value::as_str) {
            urls.push(url.to_string());
        }
        tool.operations.push(op);
    }
    if let Some(host) = urls.first().and_then(|u| host_of(u)) {
        tool.name = host.to_string();
    }
    tool.base_url = common_base(&urls);
    unique_ids(tool.operations.iter_mut());
    Ok(ToolDoc {
        format: Some(Format::RestBench),
        tools: vec![tool],
        source: value.clone(),
        warnings,
        ..Default::default()
    })
}

fn import_entry(e: &Value, ptr: &str, warnings: &mut Vec<String>) -> Result<Operation, DocError> {
    let m = json::object(e, ptr)?;
    let name = json::req_str(m, "tool_name", ptr)?;
    let url = json::req_str(m, "url", ptr)?;
    let method = method_of(name);
    if method.is_none() {
        warnings.push(format!("{}: no HTTP method prefix in `{name}`", child(ptr, "tool_name")));
    }
    let path_params = template_params(url);
    let parameters = lists::read(m, ptr, &RestBenchCodec, &path_params)?;
    let mut examples = Vec::new();
    if let Some(mut ex) = lists::read_example(m, ptr)? {
        let filled_url = match json::opt_object(m, "example", ptr)? {
            Some(x) => json::opt_str(x, "url", &child(ptr, "example"))?,
            None => None,
        };
        if let (Some(u), Value::Object(args)) = (filled_url, &mut ex.arguments) {
            for (k, v) in path_values(url, u) {
                args.entry(k).or_insert(v);
            }
        }
        examples.push(ex);
    }
    Ok(Operation {
        id: name.to_string(),
        name: name.to_string(),
        description: json::opt_str(m, "description", ptr)?.unwrap_or_default().to_string(),
        http: method.map(|method| HttpBinding { method, path: url.to_string(), body_media_type: None }),
        safety: method.map(Safety::from_method).unwrap_or_default(),
        parameters,
        examples,
        pointer: ptr.to_string(),
        ..Default::default()
    })
}

fn host_of(url: &str) -> Option<&str> {
    let rest = &url[url.find("://")? + 3..];
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then_some(host)
}

/// The longest common prefix of the URLs that ends at a `/` boundary before any `{`.
fn common_base(urls: &[String]) -> Option<String> {
    let first = urls.first()?;
    let mut len = first.find('{').unwrap_or(first.len());
    for u in &urls[1..] {
        let stop = u.find('{').unwrap_or(u.len());
        len = first.bytes().zip(u.bytes()).take(len.min(stop)).take_while(|(a, b)| a == b).count();
    }
    let prefix = first.get(..len)?;
    let base = match (prefix.len() == first.len() && urls.len() == 1, prefix.rfind('/')) {
        (true, _) => prefix,
        (false, Some(i)) => &prefix[..i],
        (false, None) => return None,
    };
    let host_end = base.find("://").map(|i| i + 3)?;
    (base.len() > host_end && host_of(base).is_some()).then(|| base.to_string())
}

/// Writes RestBench: patches the source when it is RestBench, else writes the dict form.
pub fn export(doc: &ToolDoc) -> Result<(Value, Vec<String>), DocError> {
    if doc.format == Some(Format::RestBench) {
        if let Ok(baseline) = import(&doc.source) {
            return Ok(patch(doc, &baseline));
        }
    }
    Ok(fresh(doc))
}

fn full_url(tool: &Tool, path: &str) -> String {
    match &tool.base_url {
        Some(base) if path.starts_with('/') => format!("{}{}", base.trim_end_matches('/'), path),
        _ => path.to_string(),
    }
}

/// `GET_movie_movie_id_keywords` for `GET {base}/movie/{movie_id}/keywords`.
fn tool_name(tool: &Tool, op: &Operation) -> String {
    let Some(h) = &op.http else { return op.name.clone() };
    let prefix = format!("{}_", h.method.as_str());
    if op.name.starts_with(&prefix) {
        return op.name.clone();
    }
    let url = full_url(tool, &h.path);
    let path = match (&tool.base_url, url.find("://")) {
        (Some(base), _) if url.starts_with(base.as_str()) => url[base.len()..].to_string(),
        (_, Some(i)) => url[i + 3..].split_once('/').map(|(_, p)| p.to_string()).unwrap_or_default(),
        _ => url.clone(),
    };
    let segments: Vec<String> =
        path.split(['/', '?']).map(|s| s.replace(['{', '}'], "")).filter(|s| !s.is_empty()).collect();
    format!("{prefix}{}", segments.join("_"))
}

/// The example's `Parameters`: the arguments without the path values (those go in its url).
fn example_parameters(op: &Operation, ex: &Example) -> Value {
    match &ex.arguments {
        Value::Object(a) => Value::Object(
            a.iter()
                .filter(|(k, _)| op.parameter(k).is_none_or(|p| p.location != Location::Path))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn patch_example(m: &mut Map<String, Value>, op: &Operation, url: Option<&str>) {
    let first = op.examples.first();
    lists::patch_example(m, first, first.map(|e| example_parameters(op, e)));
    if let (Some(ex), Some(url), Some(Value::Object(x))) = (first, url, m.get_mut("example")) {
        x.insert("url".into(), json!(fill(url, &ex.arguments)));
    }
}

fn entry(tool: &Tool, op: &Operation, id: usize) -> Value {
    let mut m = Map::new();
    m.insert("ID".into(), json!(id));
    m.insert("tool_name".into(), json!(tool_name(tool, op)));
    m.insert("description".into(), json!(op.description));
    let url = op.http.as_ref().map(|h| full_url(tool, &h.path));
    m.insert("url".into(), json!(url.clone().unwrap_or_default()));
    let (req, opt) = lists::write(&op.parameters, &RestBenchCodec);
    m.insert("required_parameters".into(), req);
    m.insert("optional_parameters".into(), opt);
    patch_example(&mut m, op, url.as_deref());
    Value::Object(m)
}

fn no_http(op: &Operation) -> Vec<String> {
    if op.http.is_none() {
        vec!["an HTTP method and URL (none known; RestBench needs both)".to_string()]
    } else {
        vec![]
    }
}

fn fresh(doc: &ToolDoc) -> (Value, Vec<String>) {
    let mut lost = Lost::default();
    let mut out = Map::new();
    for tool in &doc.tools {
        for op in &tool.operations {
            lost.op_in(op, CARRIES, no_http(op));
            let id = out.len();
            out.insert(id.to_string(), entry(tool, op, id));
        }
        if !tool.description.is_empty() {
            lost.tool(tool, "its description (RestBench lists endpoints only)");
        }
    }
    (Value::Object(out), lost.lines)
}

fn patch(doc: &ToolDoc, baseline: &ToolDoc) -> (Value, Vec<String>) {
    let mut out = doc.source.clone();
    let lost = patch_operations(
        doc,
        baseline,
        &mut out,
        |e, b, op, lost| {
            if let Value::Object(m) = e {
                patch_entry(m, b, op);
            }
            lost.op_in(op, CARRIES, if b.http.is_some() { no_http(op) } else { vec![] });
        },
        |out, tool, op, lost| {
            lost.op_in(op, CARRIES, no_http(op));
            if let Value::Object(m) = out {
                let next = m.keys().filter_map(|k| k.parse::<usize>().ok()).max().map_or(0, |n| n + 1);
                m.insert(next.to_string(), entry(tool, op, next));
            }
        },
    );
    (out, lost.lines)
}

fn patch_entry(m: &mut Map<String, Value>, b: &Operation, op: &Operation) {
    if b.name != op.name {
        m.insert("tool_name".into(), json!(op.name));
    }
    if b.description != op.description {
        m.insert("description".into(), json!(op.description));
    }
    if b.http != op.http {
        if let Some(h) = &op.http {
            m.insert("url".into(), json!(h.path));
            let name = m.get("tool_name").and_then(Value::as_str).unwrap_or_default().to_string();
            let rest = match method_of(&name) {
                Some(_) => name.split_once('_').map(|(_, r)| r.to_string()).unwrap_or_default(),
                None => name,
            };
            m.insert("tool_name".into(), json!(format!("{}_{rest}", h.method.as_str())));
        }
    }
    lists::patch(m, &b.parameters, &op.parameters, &RestBenchCodec);
    if b.examples.first() != op.examples.first() {
        let url = op.http.as_ref().map(|h| h.path.clone());
        patch_example(m, op, url.as_deref());
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn common_base_stops_at_a_segment() {
        let urls = vec!["http://h/3/movie/{id}".to_string(), "http://h/3/tv/popular".to_string()];
        assert_eq!(common_base(&urls).as_deref(), Some("http://h/3"));
        assert_eq!(common_base(&["http://a/x".into(), "https://b/y".into()]), None);
        assert_eq!(common_base(&[]), None);
    }

    #[test]
    fn tool_names_follow_restbench() {
        let tool = Tool { base_url: Some("http://h/3".into()), ..Default::default() };
        let op = Operation {
            name: "getKeywords".into(),
            http: Some(HttpBinding {
                method: Method::Get,
                path: "/movie/{movie_id}/keywords".into(),
                body_media_type: None,
            }),
            ..Default::default()
        };
        assert_eq!(tool_name(&tool, &op), "GET_movie_movie_id_keywords");
        assert_eq!(full_url(&tool, "/x"), "http://h/3/x");
    }
}
