//! OpenAPI 3.x and Swagger 2.0 → the model: one tool per document, one operation per path
//! and method. Also records where each parameter's documentation lives, for export.

use super::params::{self, Origin, Param};
use super::refs::{join, unique, Inline, Resolver, INLINE_BUDGET};
use super::{apply_safety_hints, Flavor, EXAMPLES_KEY};
use crate::doc::{DocError, Example, Format, HttpBinding, Operation, Safety, Tool, ToolDoc};
use crate::host::Method;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// Operation keys of a path item in OpenAPI 3.x (Swagger 2.0 has all but `trace`).
pub(super) const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// A read document with the origins of every parameter (`origins[i][j]` belongs to the
/// `j`th parameter of the `i`th operation).
pub(super) struct Imported {
    pub doc: ToolDoc,
    pub origins: Vec<Vec<Origin>>,
}

/// The document's flavour and version, or a structure error when it is neither.
pub(super) fn flavor_of(root: &Value) -> Result<(Flavor, String, Option<String>), DocError> {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if !root.is_object() {
        return Err(DocError::at("", "expected an OpenAPI or Swagger document (an object)"));
    }
    if let Some(v) = root.get("openapi") {
        let version = text(v);
        if version.starts_with("3.0") {
            return Ok((Flavor::OpenApi30, version, None));
        }
        let note = (!version.starts_with("3.")).then(|| format!("unknown OpenAPI version `{version}`; read as 3.1"));
        return Ok((Flavor::OpenApi31, version, note));
    }
    if let Some(v) = root.get("swagger") {
        let version = text(v);
        let note = (version != "2.0").then(|| format!("unknown Swagger version `{version}`; read as 2.0"));
        return Ok((Flavor::Swagger2, version, note));
    }
    Err(DocError::at("", "expected an `openapi` or `swagger` field"))
}

/// Reads a document.
pub(super) fn read(root: &Value) -> Result<Imported, DocError> {
    read_with(root, Inline::All)
}

/// Reads a document as export's baseline: as [`read`] does, but schemas keep their nested
/// `$ref`s (see [`Inline::Root`]); compare them with [`super::compare::Schemas::same`].
pub(super) fn read_baseline(root: &Value) -> Result<Imported, DocError> {
    read_with(root, Inline::Root)
}

fn read_with(root: &Value, inline: Inline) -> Result<Imported, DocError> {
    let (flavor, version, note) = flavor_of(root)?;
    let mut r = Resolver::with(root, inline);
    if let Some(n) = note {
        r.warn(n);
    }
    let info = root.get("info");
    let text = |v: Option<&Value>, k: &str| v.and_then(|v| v.get(k)).and_then(Value::as_str).map(str::to_string);
    let mut tool = Tool {
        name: text(info, "title").unwrap_or_else(|| "api".into()),
        description: text(info, "description").unwrap_or_default(),
        base_url: base_url(root, flavor),
        operations: Vec::new(),
        pointer: String::new(),
    };
    let mut origins = Vec::new();
    match root.get("paths") {
        None | Some(Value::Null) => r.warn("the document has no `paths`, so no operations".into()),
        Some(Value::Object(paths)) => {
            for (path, item) in paths {
                if path.starts_with("x-") {
                    continue;
                }
                let item_at = join("/paths", path);
                read_path(&mut r, flavor, root, path, item, &item_at, &mut tool.operations, &mut origins);
            }
            if tool.operations.is_empty() {
                r.warn("the document has no operations (`paths` lists none)".into());
            }
        }
        Some(_) => return Err(DocError::at("/paths", "expected an object")),
    }
    finish_names(&mut r, &mut tool.operations);
    if r.kept_for_size > 0 {
        let n = r.kept_for_size;
        r.warn(format!(
            "{n} schema references were left as `$ref`s into the document to keep each inlined schema under {INLINE_BUDGET} nodes"
        ));
    }
    let format = if flavor == Flavor::Swagger2 { Format::Swagger } else { Format::OpenApi };
    let doc = ToolDoc {
        format: Some(format),
        version: Some(version),
        tools: vec![tool],
        warnings: r.into_warnings(),
        ..Default::default()
    };
    Ok(Imported { doc, origins })
}

#[allow(clippy::too_many_arguments)]
fn read_path<'a>(
    r: &mut Resolver<'a>,
    flavor: Flavor,
    root: &'a Value,
    path: &str,
    item: &'a Value,
    item_at: &str,
    ops: &mut Vec<Operation>,
    origins: &mut Vec<Vec<Origin>>,
) {
    let followed = r.follow(item, item_at);
    let (item, item_at) = (followed.value, followed.pointer);
    let Some(obj) = item.as_object() else {
        r.warn(format!("at {item_at}: expected a path item object; skipped"));
        return;
    };
    for (key, op) in obj {
        if !METHODS.contains(&key.as_str()) {
            continue;
        }
        let op_at = join(&item_at, key);
        if flavor == Flavor::Swagger2 && key == "trace" {
            r.warn(format!("at {op_at}: Swagger 2.0 has no `trace` operations; skipped"));
            continue;
        }
        if !op.is_object() {
            r.warn(format!("at {op_at}: expected an operation object; skipped"));
            continue;
        }
        let Some(method) = Method::parse(key) else { continue };
        let (operation, op_origins) = read_operation(r, flavor, root, path, method, item, &item_at, op, &op_at);
        ops.push(operation);
        origins.push(op_origins);
    }
}

#[allow(clippy::too_many_arguments)]
fn read_operation<'a>(
    r: &mut Resolver<'a>,
    flavor: Flavor,
    root: &'a Value,
    path: &str,
    method: Method,
    item: &'a Value,
    item_at: &str,
    op: &'a Value,
    op_at: &str,
) -> (Operation, Vec<Origin>) {
    let s = |k: &str| op.get(k).and_then(Value::as_str).map(str::to_string);
    let summary = s("summary");
    let description = s("description").or_else(|| summary.clone()).unwrap_or_default();
    let mut list: Vec<Param> = Vec::new();
    let mut body: Option<params::BodySource<'a>> = None;
    for (holder, at) in [(item, item_at), (op, op_at)] {
        if let Some(ps) = holder.get("parameters") {
            params::read_list(r, flavor, ps, &join(at, "parameters"), &mut list, &mut body);
        }
    }
    let media = match flavor {
        Flavor::Swagger2 => params::swagger_body(r, root, op, body, &mut list),
        _ => op
            .get("requestBody")
            .and_then(|rb| params::request_body(r, flavor, rb, &join(op_at, "requestBody"), &mut list)),
    };
    warn_name_clashes(r, op_at, &list);
    let response_schema = params::response_schema(r, flavor, op, op_at);
    let mut safety = Safety::from_method(method);
    apply_safety_hints(op, &mut safety);
    let examples = read_examples(r, op, op_at);
    let (parameters, origins): (Vec<_>, Vec<_>) = list.into_iter().map(|p| (p.param, p.origin)).unzip();
    let operation = Operation {
        id: s("operationId").unwrap_or_else(|| format!("{} {path}", method.as_str())),
        name: s("operationId").unwrap_or_default(),
        title: summary,
        description,
        http: Some(HttpBinding { method, path: path.to_string(), body_media_type: media }),
        parameters,
        response_schema,
        examples,
        safety,
        pointer: op_at.to_string(),
        history: Vec::new(),
    };
    (operation, origins)
}

fn warn_name_clashes(r: &mut Resolver, op_at: &str, list: &[Param]) {
    if !r.warns() {
        return;
    }
    let mut seen = HashSet::new();
    for p in list {
        if !seen.insert(p.param.name.as_str()) {
            r.warn(format!("at {op_at}: more than one parameter is named `{}`", p.param.name));
        }
    }
}

fn read_examples(r: &mut Resolver, op: &Value, op_at: &str) -> Vec<Example> {
    let Some(v) = op.get(EXAMPLES_KEY) else { return Vec::new() };
    let Some(items) = v.as_array() else {
        r.warn(format!("at {op_at}/{EXAMPLES_KEY}: expected a list of examples; ignored"));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match serde_json::from_value::<Example>(item.clone()) {
            Ok(e) => out.push(e),
            Err(e) => r.warn(format!("at {op_at}/{EXAMPLES_KEY}/{i}: not an example ({e}); ignored")),
        }
    }
    out
}

/// Makes ids unique, derives names where there is no `operationId`, and warns about
/// `operationId`s used twice.
fn finish_names(r: &mut Resolver, ops: &mut [Operation]) {
    let mut ids = HashSet::new();
    let mut first_at: HashMap<String, String> = HashMap::new();
    for op in ops.iter_mut() {
        op.id = unique(&op.id, &mut ids);
        if !op.name.is_empty() {
            if let Some(prev) = first_at.get(&op.name) {
                r.warn(format!("operationId `{}` is used at {prev} and at {}", op.name, op.pointer));
            } else {
                first_at.insert(op.name.clone(), op.pointer.clone());
            }
        }
    }
    let mut names: HashSet<String> = first_at.into_keys().collect();
    for op in ops.iter_mut().filter(|o| o.name.is_empty()) {
        let (method, path) = op.http.as_ref().map(|h| (h.method.as_str(), h.path.as_str())).unwrap_or(("op", ""));
        op.name = unique(&method_path_name(method, path), &mut names);
    }
}

/// `GET /users/{id}` → `get_users_id`.
pub(super) fn method_path_name(method: &str, path: &str) -> String {
    let mut out = method.to_ascii_lowercase();
    let mut gap = true;
    for c in path.chars() {
        if c.is_ascii_alphanumeric() {
            if gap {
                out.push('_');
            }
            out.push(c);
            gap = false;
        } else {
            gap = true;
        }
    }
    out
}

/// `servers[0].url` with its variables' defaults, or Swagger's scheme + host + basePath.
fn base_url(root: &Value, flavor: Flavor) -> Option<String> {
    if flavor != Flavor::Swagger2 {
        let server = root.get("servers")?.as_array()?.first()?;
        let mut url = server.get("url")?.as_str()?.to_string();
        if let Some(vars) = server.get("variables").and_then(Value::as_object) {
            for (k, v) in vars {
                if let Some(d) = v.get("default").and_then(Value::as_str) {
                    url = url.replace(&format!("{{{k}}}"), d);
                }
            }
        }
        return Some(url);
    }
    let base_path = root.get("basePath").and_then(Value::as_str).unwrap_or("");
    let Some(host) = root.get("host").and_then(Value::as_str) else {
        return (!base_path.is_empty()).then(|| base_path.to_string());
    };
    let schemes: Vec<&str> = root
        .get("schemes")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let scheme = if schemes.is_empty() || schemes.contains(&"https") { "https" } else { schemes[0] };
    let base_path = if base_path == "/" { "" } else { base_path };
    Some(format!("{scheme}://{host}{base_path}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_method_and_path() {
        assert_eq!(method_path_name("GET", "/users/{id}/repos"), "get_users_id_repos");
        assert_eq!(method_path_name("POST", "/"), "post");
        let mut taken = HashSet::new();
        assert_eq!(unique("a", &mut taken), "a");
        assert_eq!(unique("a", &mut taken), "a_2");
    }
}
