//! Swagger 2.0 → OpenAPI 3.0.3, structurally: servers from schemes + host + basePath,
//! components from definitions, parameters, responses and securityDefinitions, request
//! bodies from `in: body` and `formData` parameters, response content from `produces`.
//! Key order is kept wherever the field survives.

use super::import::METHODS;
use super::params::{swagger_schema, SWAGGER_SCHEMA_KEYS};
use super::refs::{ref_of, ref_pointer};
use serde_json::{json, Map, Value};

struct Ctx<'a> {
    root: &'a Map<String, Value>,
    lost: &'a mut Vec<String>,
    /// Path parameters not marked required (OpenAPI 3 requires them to be).
    path_required: usize,
}

/// Converts a Swagger 2.0 document; what has no place in OpenAPI 3 goes to `lost`.
pub(super) fn to_openapi3(src: &Value, lost: &mut Vec<String>) -> Value {
    let Some(root) = src.as_object() else { return src.clone() };
    let mut cx = Ctx { root, lost, path_required: 0 };
    let mut out = Map::new();
    for (k, v) in root {
        match k.as_str() {
            "swagger" => {
                out.insert("openapi".into(), "3.0.3".into());
            }
            "host" | "basePath" | "schemes" => {
                if !out.contains_key("servers") {
                    out.insert("servers".into(), servers(root, None));
                }
            }
            "consumes" | "produces" => {}
            "paths" => {
                let paths = cx.paths(v);
                out.insert("paths".into(), paths);
            }
            "definitions" | "parameters" | "responses" | "securityDefinitions" => {
                if !out.contains_key("components") {
                    let c = cx.components();
                    out.insert("components".into(), c);
                }
            }
            "info" | "tags" | "security" | "externalDocs" => {
                out.insert(k.clone(), v.clone());
            }
            _ if k.starts_with("x-") => {
                out.insert(k.clone(), v.clone());
            }
            _ => cx.lost.push(format!("the root field `{k}` has no place in OpenAPI 3; dropped")),
        }
    }
    if cx.path_required > 0 {
        let n = cx.path_required;
        cx.lost.push(format!("{n} path parameter(s) not marked required were marked required, as OpenAPI 3 demands"));
    }
    Value::Object(out)
}

/// One server per scheme (`https` when none are given).
fn servers(root: &Map<String, Value>, schemes: Option<&Value>) -> Value {
    let base = root.get("basePath").and_then(Value::as_str).unwrap_or("").trim_end_matches('/');
    let Some(host) = root.get("host").and_then(Value::as_str) else {
        return json!([{ "url": if base.is_empty() { "/" } else { base } }]);
    };
    let schemes: Vec<&str> = schemes
        .or_else(|| root.get("schemes"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .filter(|v: &Vec<&str>| !v.is_empty())
        .unwrap_or_else(|| vec!["https"]);
    Value::Array(schemes.iter().map(|s| json!({ "url": format!("{s}://{host}{base}") })).collect())
}

/// Rewrites a Swagger 2.0 local reference to its OpenAPI 3 place.
fn ref3(r: &str, root: &Map<String, Value>) -> String {
    if let Some(rest) = r.strip_prefix("#/definitions/") {
        return format!("#/components/schemas/{rest}");
    }
    if let Some(rest) = r.strip_prefix("#/responses/") {
        return format!("#/components/responses/{rest}");
    }
    if let Some(rest) = r.strip_prefix("#/parameters/") {
        let is_body = param_in(root, r) == Some("body");
        return format!("#/components/{}/{rest}", if is_body { "requestBodies" } else { "parameters" });
    }
    r.to_string()
}

/// The `in` of a parameter reference's target.
fn param_in<'a>(root: &'a Map<String, Value>, r: &str) -> Option<&'a str> {
    let name = r.strip_prefix("#/parameters/")?;
    let name = ref_pointer(&format!("#/{name}"))?;
    root.get("parameters")?.get(name.trim_start_matches('/'))?.get("in")?.as_str()
}

/// A Swagger 2.0 schema in OpenAPI 3.0 form.
pub(super) fn schema3(v: &Value, root: &Map<String, Value>, in_map: bool) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, child) in m {
                if in_map {
                    out.insert(k.clone(), schema3(child, root, false));
                    continue;
                }
                match (k.as_str(), child) {
                    ("$ref", Value::String(r)) => {
                        out.insert(k.clone(), ref3(r, root).into());
                    }
                    ("type", Value::String(t)) if t == "file" => {
                        out.insert("type".into(), "string".into());
                        out.insert("format".into(), "binary".into());
                    }
                    ("x-nullable", Value::Bool(b)) => {
                        out.insert("nullable".into(), (*b).into());
                    }
                    ("discriminator", Value::String(p)) => {
                        out.insert(k.clone(), json!({ "propertyName": p }));
                    }
                    ("example" | "default" | "enum", _) => {
                        out.insert(k.clone(), child.clone());
                    }
                    _ if k.starts_with("x-") => {
                        out.insert(k.clone(), child.clone());
                    }
                    _ => {
                        let map = matches!(k.as_str(), "properties" | "patternProperties" | "definitions");
                        out.insert(k.clone(), schema3(child, root, map));
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(|x| schema3(x, root, false)).collect()),
        other => other.clone(),
    }
}

impl<'a> Ctx<'a> {
    fn components(&mut self) -> Value {
        let root = self.root;
        let mut c = Map::new();
        if let Some(defs) = root.get("definitions").and_then(Value::as_object) {
            let s: Map<String, Value> = defs.iter().map(|(k, v)| (k.clone(), schema3(v, root, false))).collect();
            c.insert("schemas".into(), Value::Object(s));
        }
        if let Some(ps) = root.get("parameters").and_then(Value::as_object) {
            let mut params = Map::new();
            let mut bodies = Map::new();
            for (k, p) in ps {
                match p.get("in").and_then(Value::as_str) {
                    Some("body") => {
                        bodies.insert(k.clone(), self.body(p, None));
                    }
                    // Form fields cannot be components in OpenAPI 3: they are inlined where used.
                    Some("formData") => {}
                    _ => {
                        params.insert(k.clone(), self.param3(p));
                    }
                }
            }
            if !params.is_empty() {
                c.insert("parameters".into(), Value::Object(params));
            }
            if !bodies.is_empty() {
                c.insert("requestBodies".into(), Value::Object(bodies));
            }
        }
        if let Some(rs) = root.get("responses").and_then(Value::as_object) {
            let produces = root.get("produces");
            let r: Map<String, Value> = rs.iter().map(|(k, v)| (k.clone(), self.response(v, produces))).collect();
            c.insert("responses".into(), Value::Object(r));
        }
        if let Some(ss) = root.get("securityDefinitions").and_then(Value::as_object) {
            let s: Map<String, Value> = ss.iter().map(|(k, v)| (k.clone(), security3(v))).collect();
            c.insert("securitySchemes".into(), Value::Object(s));
        }
        Value::Object(c)
    }

    /// A non-body parameter in OpenAPI 3 form.
    fn param3(&mut self, p: &Value) -> Value {
        let Some(m) = p.as_object() else { return p.clone() };
        if let Some(r) = ref_of(p) {
            return json!({ "$ref": ref3(r, self.root) });
        }
        let mut out = Map::new();
        let path_param = m.get("in").and_then(Value::as_str) == Some("path");
        if path_param && m.get("required").and_then(Value::as_bool) != Some(true) {
            self.path_required += 1;
        }
        for (k, v) in m {
            match k.as_str() {
                "in" if path_param => {
                    out.insert(k.clone(), v.clone());
                    out.insert("required".into(), true.into());
                }
                "required" if path_param => {}
                k if SWAGGER_SCHEMA_KEYS.contains(&k) => {
                    if !out.contains_key("schema") {
                        out.insert("schema".into(), schema3(&swagger_schema(p), self.root, false));
                    }
                }
                "collectionFormat" => {
                    let simple = matches!(m.get("in").and_then(Value::as_str), Some("path" | "header"));
                    let (style, explode) = match v.as_str() {
                        Some("csv") if simple => ("simple", false),
                        Some("csv") => ("form", false),
                        Some("ssv") => ("spaceDelimited", false),
                        Some("pipes") => ("pipeDelimited", false),
                        Some("multi") => ("form", true),
                        other => {
                            let name = m.get("name").and_then(Value::as_str).unwrap_or("?");
                            self.lost.push(format!(
                                "parameter `{name}`: collectionFormat {} has no OpenAPI 3 style; dropped",
                                other.unwrap_or("?")
                            ));
                            continue;
                        }
                    };
                    out.insert("style".into(), style.into());
                    out.insert("explode".into(), explode.into());
                }
                "x-example" => {
                    out.insert("example".into(), v.clone());
                }
                _ => {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
        Value::Object(out)
    }

    /// A Request Body Object from an `in: body` parameter.
    fn body(&mut self, p: &Value, consumes: Option<&Value>) -> Value {
        let mut out = Map::new();
        let types = media_types(consumes.or_else(|| self.root.get("consumes")), "application/json");
        let schema = p.get("schema").map(|s| schema3(s, self.root, false)).unwrap_or_else(|| json!({}));
        for (k, v) in p.as_object().into_iter().flatten() {
            match k.as_str() {
                "description" => {
                    out.insert(k.clone(), v.clone());
                }
                "schema" => {
                    let mut content = Map::new();
                    for t in &types {
                        let mut mt = Map::new();
                        mt.insert("schema".into(), schema.clone());
                        if let Some(e) = p.get("x-example") {
                            mt.insert("example".into(), e.clone());
                        }
                        content.insert(t.clone(), Value::Object(mt));
                    }
                    out.insert("content".into(), Value::Object(content));
                }
                "required" => {
                    out.insert(k.clone(), v.clone());
                }
                "x-example" => {}
                _ if k.starts_with("x-") => {
                    out.insert(k.clone(), v.clone());
                }
                _ => {}
            }
        }
        if !out.contains_key("content") {
            out.insert("content".into(), json!({ "application/json": { "schema": {} } }));
        }
        Value::Object(out)
    }

    /// A Request Body Object from `formData` parameters.
    fn form(&mut self, fields: &[&Value], consumes: Option<&Value>) -> Value {
        let mut props = Map::new();
        let mut required = Vec::new();
        let mut file = false;
        for f in fields {
            let Some(name) = f.get("name").and_then(Value::as_str) else { continue };
            let mut s = schema3(&swagger_schema(f), self.root, false);
            file |= f.get("type").and_then(Value::as_str) == Some("file");
            if let (Value::Object(m), Some(d)) = (&mut s, f.get("description")) {
                m.insert("description".into(), d.clone());
            }
            if let (Value::Object(m), Some(e)) = (&mut s, f.get("x-example")) {
                m.insert("example".into(), e.clone());
            }
            props.insert(name.to_string(), s);
            if f.get("required").and_then(Value::as_bool) == Some(true) {
                required.push(Value::String(name.to_string()));
            }
        }
        let listed = media_types(consumes.or_else(|| self.root.get("consumes")), "");
        let mut types: Vec<String> = listed.into_iter().filter(|t| t.contains("form")).collect();
        if types.is_empty() {
            types.push(if file { "multipart/form-data" } else { "application/x-www-form-urlencoded" }.into());
        }
        let mut schema = json!({ "type": "object", "properties": props });
        if !required.is_empty() {
            schema["required"] = Value::Array(required.clone());
        }
        let content: Map<String, Value> = types.into_iter().map(|t| (t, json!({ "schema": schema.clone() }))).collect();
        let mut out = Map::new();
        out.insert("content".into(), Value::Object(content));
        if !required.is_empty() {
            out.insert("required".into(), true.into());
        }
        Value::Object(out)
    }

    fn response(&mut self, r: &Value, produces: Option<&Value>) -> Value {
        if let Some(rf) = ref_of(r) {
            return json!({ "$ref": ref3(rf, self.root) });
        }
        let mut out = Map::new();
        out.insert("description".into(), r.get("description").cloned().unwrap_or_else(|| "".into()));
        let types = media_types(produces.or_else(|| self.root.get("produces")), "application/json");
        for (k, v) in r.as_object().into_iter().flatten() {
            match k.as_str() {
                "description" | "examples" => {}
                "schema" => {
                    let s = schema3(v, self.root, false);
                    let content: Map<String, Value> =
                        types.iter().map(|t| (t.clone(), json!({ "schema": s.clone() }))).collect();
                    out.insert("content".into(), Value::Object(content));
                }
                "headers" => {
                    let hs: Map<String, Value> = v
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(name, h)| (name.clone(), header3(h, self.root)))
                        .collect();
                    out.insert("headers".into(), Value::Object(hs));
                }
                _ => {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
        if let Some(ex) = r.get("examples").and_then(Value::as_object) {
            let content = out.entry("content").or_insert_with(|| Value::Object(Map::new()));
            for (mime, e) in ex {
                if let Value::Object(c) = content {
                    let mt = c.entry(mime.clone()).or_insert_with(|| json!({}));
                    mt["example"] = e.clone();
                }
            }
        }
        Value::Object(out)
    }

    fn paths(&mut self, paths: &Value) -> Value {
        let Some(paths) = paths.as_object() else { return paths.clone() };
        let mut out = Map::new();
        for (path, item) in paths {
            let Some(item_m) = item.as_object() else {
                out.insert(path.clone(), item.clone());
                continue;
            };
            let shared: Vec<&Value> =
                item_m.get("parameters").and_then(Value::as_array).into_iter().flatten().collect();
            let mut o = Map::new();
            for (k, v) in item_m {
                if k == "parameters" {
                    let keep: Vec<&Value> = shared
                        .iter()
                        .copied()
                        .filter(|p| !matches!(self.place(p), Some("body" | "formData")))
                        .collect();
                    let kept: Vec<Value> = keep.into_iter().map(|p| self.param3(p)).collect();
                    if !kept.is_empty() {
                        o.insert(k.clone(), Value::Array(kept));
                    }
                } else if METHODS.contains(&k.as_str()) {
                    if k == "trace" {
                        self.lost.push(format!(
                            "TRACE {path}: not an operation in Swagger 2.0, but one in OpenAPI 3; converted as one"
                        ));
                    }
                    let op = self.operation(v, &shared);
                    o.insert(k.clone(), op);
                } else {
                    o.insert(k.clone(), v.clone());
                }
            }
            out.insert(path.clone(), Value::Object(o));
        }
        Value::Object(out)
    }

    /// The `in` of a parameter, through a reference.
    fn place<'v>(&self, p: &'v Value) -> Option<&'v str>
    where
        'a: 'v,
    {
        match ref_of(p) {
            Some(r) => param_in(self.root, r),
            None => p.get("in").and_then(Value::as_str),
        }
    }

    fn operation(&mut self, op: &Value, shared: &[&Value]) -> Value {
        let Some(m) = op.as_object() else { return op.clone() };
        let own: Vec<&Value> = m.get("parameters").and_then(Value::as_array).into_iter().flatten().collect();
        let resolve = |p: &Value| -> Value {
            ref_of(p)
                .and_then(|r| r.strip_prefix("#/parameters/"))
                .and_then(|name| self.root.get("parameters")?.get(name).cloned())
                .unwrap_or_else(|| p.clone())
        };
        // Effective body and form fields: the operation's win over the path's by name.
        let mut body: Option<&Value> = None;
        let mut form: Vec<(String, Value)> = Vec::new();
        for p in shared.iter().chain(own.iter()) {
            match self.place(p) {
                Some("body") => body = Some(p),
                Some("formData") => {
                    let v = resolve(p);
                    let name = v.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
                    form.retain(|(n, _)| *n != name);
                    form.push((name, v));
                }
                _ => {}
            }
        }
        let consumes = m.get("consumes");
        let request_body = match (body, form.is_empty()) {
            (Some(b), _) => Some(match ref_of(b) {
                Some(r) => json!({ "$ref": ref3(r, self.root) }),
                None => self.body(b, consumes),
            }),
            (None, false) => Some(self.form(&form.iter().map(|(_, v)| v).collect::<Vec<_>>(), consumes)),
            (None, true) => None,
        };
        let mut out = Map::new();
        let mut request_body = request_body;
        for (k, v) in m {
            match k.as_str() {
                "parameters" => {
                    let keep: Vec<&Value> =
                        own.iter().copied().filter(|p| !matches!(self.place(p), Some("body" | "formData"))).collect();
                    let kept: Vec<Value> = keep.into_iter().map(|p| self.param3(p)).collect();
                    if !kept.is_empty() {
                        out.insert(k.clone(), Value::Array(kept));
                    }
                    if let Some(rb) = request_body.take() {
                        out.insert("requestBody".into(), rb);
                    }
                }
                "consumes" | "produces" => {}
                "responses" => {
                    if let Some(rb) = request_body.take() {
                        out.insert("requestBody".into(), rb);
                    }
                    let produces = m.get("produces");
                    let rs: Map<String, Value> = v
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(code, r)| (code.clone(), self.response(r, produces)))
                        .collect();
                    out.insert(k.clone(), Value::Object(rs));
                }
                "schemes" => {
                    out.insert("servers".into(), servers(self.root, Some(v)));
                }
                _ => {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
        if let Some(rb) = request_body {
            out.insert("requestBody".into(), rb);
        }
        Value::Object(out)
    }
}

fn media_types(v: Option<&Value>, default: &str) -> Vec<String> {
    let listed: Vec<String> = v
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default();
    if listed.is_empty() && !default.is_empty() {
        return vec![default.to_string()];
    }
    listed
}

fn header3(h: &Value, root: &Map<String, Value>) -> Value {
    let mut out = Map::new();
    for (k, v) in h.as_object().into_iter().flatten() {
        if SWAGGER_SCHEMA_KEYS.contains(&k.as_str()) {
            if !out.contains_key("schema") {
                out.insert("schema".into(), schema3(&swagger_schema(h), root, false));
            }
        } else if k != "collectionFormat" {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

fn security3(s: &Value) -> Value {
    let Some(m) = s.as_object() else { return s.clone() };
    let mut out = Map::new();
    let t = m.get("type").and_then(Value::as_str).unwrap_or_default();
    match t {
        "basic" => {
            out.insert("type".into(), "http".into());
            out.insert("scheme".into(), "basic".into());
        }
        "oauth2" => {
            out.insert("type".into(), "oauth2".into());
            let flow = match m.get("flow").and_then(Value::as_str) {
                Some("application") => "clientCredentials",
                Some("accessCode") => "authorizationCode",
                Some("password") => "password",
                _ => "implicit",
            };
            let mut f = Map::new();
            for k in ["authorizationUrl", "tokenUrl"] {
                if let Some(v) = m.get(k) {
                    f.insert(k.into(), v.clone());
                }
            }
            f.insert("scopes".into(), m.get("scopes").cloned().unwrap_or_else(|| json!({})));
            out.insert("flows".into(), json!({ flow: f }));
        }
        _ => {
            for k in ["type", "name", "in"] {
                if let Some(v) = m.get(k) {
                    out.insert(k.into(), v.clone());
                }
            }
        }
    }
    for (k, v) in m {
        if k == "description" || k.starts_with("x-") {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}
