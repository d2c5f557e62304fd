//! OpenAPI 3.x → Swagger 2.0, where possible: one host from the first server, definitions
//! from component schemas, `in: body` or `formData` parameters from request bodies,
//! `produces`/`consumes` from content types. What Swagger 2.0 cannot say (more servers,
//! cookies, `oneOf`, links, callbacks…) is reported.

mod schema;

use super::import::METHODS;
use super::params::{body_media, json_media};
use super::refs::{join, ref_of, Resolver};
use schema::ref2;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

struct Down<'a> {
    r: Resolver<'a>,
    lost: &'a mut Vec<String>,
    /// Keyword → (places, first place) for schema keywords dropped.
    dropped: BTreeMap<String, (usize, String)>,
}

/// Converts an OpenAPI 3 document; what Swagger 2.0 cannot carry goes to `lost`.
pub(super) fn to_swagger2(src: &Value, lost: &mut Vec<String>) -> Value {
    let Some(root) = src.as_object() else { return src.clone() };
    let mut d = Down { r: Resolver::new(src), lost, dropped: BTreeMap::new() };
    let mut out = Map::new();
    for (k, v) in root {
        match k.as_str() {
            "openapi" => {
                out.insert("swagger".into(), "2.0".into());
            }
            "info" => {
                let mut info = v.clone();
                if let Some(m) = info.as_object_mut() {
                    if m.shift_remove("summary").is_some() {
                        d.lost.push("info.summary has no place in Swagger 2.0; dropped".into());
                    }
                    if let Some(l) = m.get_mut("license").and_then(Value::as_object_mut) {
                        l.shift_remove("identifier");
                    }
                }
                out.insert(k.clone(), info);
            }
            "servers" => d.servers(v, &mut out),
            "paths" => {
                let p = d.paths(v);
                out.insert(k.clone(), p);
            }
            "components" => d.components(v, &mut out),
            "security" | "tags" | "externalDocs" => {
                out.insert(k.clone(), v.clone());
            }
            _ if k.starts_with("x-") => {
                out.insert(k.clone(), v.clone());
            }
            _ => d.lost.push(format!("`{k}` has no place in Swagger 2.0; dropped")),
        }
    }
    for (k, (n, first)) in std::mem::take(&mut d.dropped) {
        d.lost.push(format!("`{k}` has no Swagger 2.0 equivalent; dropped in {n} place(s), first at {first}"));
    }
    Value::Object(out)
}

/// `https://h:1/b` → (`https`, `h:1`, `/b`); a relative URL is only a base path.
fn split_server(url: &str) -> (Option<&str>, Option<&str>, &str) {
    let Some(i) = url.find("://") else { return (None, None, url.trim_end_matches('/')) };
    let rest = &url[i + 3..];
    let cut = rest.find('/').unwrap_or(rest.len());
    (Some(&url[..i]), Some(&rest[..cut]), rest[cut..].trim_end_matches('/'))
}

impl<'a> Down<'a> {
    fn drop_kw(&mut self, k: &str, at: &str) {
        self.dropped.entry(k.to_string()).or_insert((0, at.to_string())).0 += 1;
    }

    /// Swagger 2.0 has no `2XX` ranges: `2XX` becomes `200`.
    fn status_code(&mut self, code: &str, label: &str) -> String {
        let b = code.as_bytes();
        if b.len() == 3 && b[0].is_ascii_digit() && code[1..].eq_ignore_ascii_case("xx") {
            let exact = format!("{}00", &code[..1]);
            self.lost.push(format!("{label}: response range {code} written as {exact}"));
            return exact;
        }
        code.to_string()
    }

    fn servers(&mut self, v: &Value, out: &mut Map<String, Value>) {
        let list: Vec<&Value> = v.as_array().into_iter().flatten().collect();
        let url_of = |s: &Value| {
            let mut url = s.get("url").and_then(Value::as_str).unwrap_or("/").to_string();
            for (k, var) in s.get("variables").and_then(Value::as_object).into_iter().flatten() {
                url = url.replace(&format!("{{{k}}}"), var.get("default").and_then(Value::as_str).unwrap_or(""));
            }
            url
        };
        let Some(first) = list.first() else { return };
        if first.get("variables").is_some() {
            self.lost.push("server variables were replaced by their defaults".into());
        }
        let first_url = url_of(first);
        let (_, host, base) = split_server(&first_url);
        if let Some(h) = host {
            out.insert("host".into(), h.into());
        }
        if !base.is_empty() {
            out.insert("basePath".into(), base.into());
        }
        let mut schemes: Vec<String> = Vec::new();
        for s in &list {
            let url = url_of(s);
            let (scheme, h, b) = split_server(&url);
            if h == host && b == base {
                if let Some(sc) = scheme.filter(|sc| !schemes.iter().any(|x| x == sc)) {
                    schemes.push(sc.to_string());
                }
            } else {
                self.lost.push(format!("server {url} dropped: Swagger 2.0 has one host and base path"));
            }
        }
        if !schemes.is_empty() {
            out.insert("schemes".into(), json!(schemes));
        }
    }

    fn components(&mut self, v: &'a Value, out: &mut Map<String, Value>) {
        let Some(c) = v.as_object() else { return };
        for (k, v) in c {
            let items = v.as_object().into_iter().flatten();
            match k.as_str() {
                "schemas" => {
                    let defs: Map<String, Value> = items
                        .map(|(name, s)| (name.clone(), self.schema2(s, &format!("/components/schemas/{name}"), false)))
                        .collect();
                    out.insert("definitions".into(), Value::Object(defs));
                }
                "parameters" => {
                    let ps: Map<String, Value> = items
                        .filter_map(|(name, p)| Some((name.clone(), self.param2(p, &format!("component {name}"))?)))
                        .collect();
                    out.insert("parameters".into(), Value::Object(ps));
                }
                "responses" => {
                    let rs: Map<String, Value> = items
                        .map(|(name, r)| (name.clone(), self.response2(r, &format!("/components/responses/{name}"))))
                        .collect();
                    out.insert("responses".into(), Value::Object(rs));
                }
                "securitySchemes" => {
                    let ss: Map<String, Value> =
                        items.filter_map(|(name, s)| Some((name.clone(), self.security2(name, s)?))).collect();
                    out.insert("securityDefinitions".into(), Value::Object(ss));
                }
                // Inlined where they are used.
                "requestBodies" | "headers" | "examples" => {}
                _ if v.as_object().is_some_and(|m| m.is_empty()) => {}
                _ => self.lost.push(format!("components.{k} has no place in Swagger 2.0; dropped")),
            }
        }
    }

    fn security2(&mut self, name: &str, s: &Value) -> Option<Value> {
        let m = s.as_object()?;
        let mut out = Map::new();
        match (m.get("type").and_then(Value::as_str), m.get("scheme").and_then(Value::as_str)) {
            (Some("http"), Some(sc)) if sc.eq_ignore_ascii_case("basic") => {
                out.insert("type".into(), "basic".into());
            }
            (Some("http"), sc) => {
                self.lost.push(format!(
                    "security scheme `{name}` (http {}) written as an apiKey in the Authorization header",
                    sc.unwrap_or("?")
                ));
                out.insert("type".into(), "apiKey".into());
                out.insert("name".into(), "Authorization".into());
                out.insert("in".into(), "header".into());
            }
            (Some("apiKey"), _) if m.get("in").and_then(Value::as_str) != Some("cookie") => {
                for k in ["type", "name", "in"] {
                    if let Some(v) = m.get(k) {
                        out.insert(k.into(), v.clone());
                    }
                }
            }
            (Some("oauth2"), _) => {
                let flows: Vec<(&String, &Value)> =
                    m.get("flows").and_then(Value::as_object).into_iter().flatten().collect();
                let (flow, f) = flows.first()?;
                if flows.len() > 1 {
                    self.lost.push(format!("security scheme `{name}`: only its first OAuth2 flow ({flow}) is kept"));
                }
                out.insert("type".into(), "oauth2".into());
                let flow2 = match flow.as_str() {
                    "clientCredentials" => "application",
                    "authorizationCode" => "accessCode",
                    other => other,
                };
                out.insert("flow".into(), flow2.into());
                for k in ["authorizationUrl", "tokenUrl", "scopes"] {
                    if let Some(v) = f.get(k) {
                        out.insert(k.into(), v.clone());
                    }
                }
            }
            (t, _) => {
                self.lost
                    .push(format!("security scheme `{name}` ({}) has no Swagger 2.0 form; dropped", t.unwrap_or("?")));
                return None;
            }
        }
        for (k, v) in m {
            if k == "description" || k.starts_with("x-") {
                out.insert(k.clone(), v.clone());
            }
        }
        Some(Value::Object(out))
    }

    /// A non-body parameter (`None` for cookies, which Swagger 2.0 lacks).
    fn param2(&mut self, p: &'a Value, label: &str) -> Option<Value> {
        let f = self.r.follow(p, label);
        if f.value.get("in").and_then(Value::as_str) == Some("cookie") {
            let name = f.value.get("name").and_then(Value::as_str).unwrap_or("?");
            self.lost.push(format!("{label}: cookie parameter `{name}` has no place in Swagger 2.0; dropped"));
            return None;
        }
        if let Some(r) = ref_of(p) {
            return Some(json!({ "$ref": ref2(r) }));
        }
        let m = p.as_object()?;
        let name = m.get("name").and_then(Value::as_str).unwrap_or("?");
        let label = format!("{label}: parameter `{name}`");
        let mut out = Map::new();
        let mut is_array = false;
        for (k, v) in m {
            match k.as_str() {
                "name" | "in" | "description" | "required" | "allowEmptyValue" => {
                    out.insert(k.clone(), v.clone());
                }
                "schema" => {
                    let inline = self.inline(v, &label, &label);
                    is_array = inline.get("type").and_then(Value::as_str) == Some("array");
                    out.extend(inline);
                }
                "content" => {
                    self.lost.push(format!("{label}: a parameter with `content` is written as a string"));
                    out.insert("type".into(), "string".into());
                }
                "example" => {
                    out.insert("x-example".into(), v.clone());
                }
                "examples" if !m.contains_key("example") => {
                    let first = v.as_object().and_then(|e| e.values().next());
                    if let Some(value) = first.map(|e| self.r.follow(e, &label).value).and_then(|e| e.get("value")) {
                        out.insert("x-example".into(), value.clone());
                    }
                }
                "style" | "explode" | "examples" => {}
                _ if k.starts_with("x-") => {
                    out.insert(k.clone(), v.clone());
                }
                _ => self.drop_kw(k, &label),
            }
        }
        if !out.contains_key("type") {
            out.insert("type".into(), "string".into());
        }
        if !out.contains_key("x-example") {
            let schema = m.get("schema").map(|s| self.r.follow(s, &label).value);
            let first = schema.and_then(|s| s.get("example").or_else(|| s.get("examples")?.as_array()?.first()));
            if let Some(e) = first {
                out.insert("x-example".into(), e.clone());
            }
        }
        if is_array {
            let place = m.get("in").and_then(Value::as_str).unwrap_or("query");
            let style = m.get("style").and_then(Value::as_str).unwrap_or(match place {
                "path" | "header" => "simple",
                _ => "form",
            });
            let explode = m.get("explode").and_then(Value::as_bool).unwrap_or(style == "form");
            let cf = match style {
                "form" if explode && matches!(place, "query" | "formData") => "multi",
                "form" | "simple" => "csv",
                "spaceDelimited" => "ssv",
                "pipeDelimited" => "pipes",
                other => {
                    self.lost.push(format!("{label}: style {other} has no collectionFormat; written as csv"));
                    "csv"
                }
            };
            out.insert("collectionFormat".into(), cf.into());
        }
        Some(Value::Object(out))
    }

    fn paths(&mut self, v: &'a Value) -> Value {
        let Some(paths) = v.as_object() else { return v.clone() };
        let mut out = Map::new();
        for (path, item) in paths {
            if path.starts_with("x-") {
                out.insert(path.clone(), item.clone());
                continue;
            }
            let item = self.r.follow(item, &join("/paths", path)).value;
            let mut o = Map::new();
            for (k, v) in item.as_object().into_iter().flatten() {
                let label = format!("{} {path}", k.to_ascii_uppercase());
                match k.as_str() {
                    "parameters" => {
                        let ps: Vec<Value> = v
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(|p| self.param2(p, &format!("path {path}")))
                            .collect();
                        o.insert(k.clone(), Value::Array(ps));
                    }
                    "trace" => self.lost.push(format!("{label}: Swagger 2.0 has no TRACE; dropped")),
                    m if METHODS.contains(&m) => {
                        let op = self.operation(v, &label);
                        o.insert(k.clone(), op);
                    }
                    _ if k.starts_with("x-") => {
                        o.insert(k.clone(), v.clone());
                    }
                    _ => self.lost.push(format!("path {path}: `{k}` has no place in Swagger 2.0; dropped")),
                }
            }
            out.insert(path.clone(), Value::Object(o));
        }
        Value::Object(out)
    }

    fn operation(&mut self, op: &'a Value, label: &str) -> Value {
        let Some(m) = op.as_object() else { return op.clone() };
        let mut produces: Vec<String> = Vec::new();
        for r in m.get("responses").and_then(Value::as_object).into_iter().flatten().map(|(_, r)| r) {
            let r = self.r.follow(r, label).value;
            for t in r.get("content").and_then(Value::as_object).into_iter().flatten().map(|(t, _)| t) {
                if !produces.contains(t) {
                    produces.push(t.clone());
                }
            }
        }
        let (consumes, body) = match m.get("requestBody") {
            Some(rb) => self.request_body(rb, label),
            None => (Vec::new(), Vec::new()),
        };
        let mut out = Map::new();
        let mut media_written = false;
        let mut body = Some(body);
        for (k, v) in m {
            if !media_written && matches!(k.as_str(), "parameters" | "requestBody" | "responses") {
                media_written = true;
                if !consumes.is_empty() {
                    out.insert("consumes".into(), json!(consumes));
                }
                if !produces.is_empty() {
                    out.insert("produces".into(), json!(produces));
                }
            }
            match k.as_str() {
                "parameters" => {
                    let mut ps: Vec<Value> =
                        v.as_array().into_iter().flatten().filter_map(|p| self.param2(p, label)).collect();
                    ps.extend(body.take().into_iter().flatten());
                    out.insert(k.clone(), Value::Array(ps));
                }
                "requestBody" => {
                    if !m.contains_key("parameters") {
                        out.insert("parameters".into(), Value::Array(body.take().unwrap_or_default()));
                    }
                }
                "responses" => {
                    let rs: Map<String, Value> = v
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(code, r)| {
                            let resp = match ref_of(r) {
                                Some(rf) => json!({ "$ref": ref2(rf) }),
                                None => self.response2(r, &format!("{label} response {code}")),
                            };
                            (self.status_code(code, label), resp)
                        })
                        .collect();
                    out.insert(k.clone(), Value::Object(rs));
                }
                "tags" | "summary" | "description" | "externalDocs" | "operationId" | "deprecated" | "security" => {
                    out.insert(k.clone(), v.clone());
                }
                _ if k.starts_with("x-") => {
                    out.insert(k.clone(), v.clone());
                }
                _ => self.lost.push(format!("{label}: `{k}` has no place in Swagger 2.0; dropped")),
            }
        }
        Value::Object(out)
    }

    /// A request body as Swagger 2.0 parameters, with its media types.
    fn request_body(&mut self, rb: &'a Value, label: &str) -> (Vec<String>, Vec<Value>) {
        let rb = self.r.follow(rb, label).value;
        let Some(content) = rb.get("content").and_then(Value::as_object) else { return (Vec::new(), Vec::new()) };
        let consumes: Vec<String> = content.keys().cloned().collect();
        let Some(key) = body_media(content) else { return (consumes, Vec::new()) };
        let media = &content[key];
        let empty = &Value::Null;
        let schema = media.get("schema").unwrap_or(empty);
        if key.contains("form") {
            let s = self.r.follow(schema, label).value;
            let required: Vec<&str> =
                s.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
            let mut fields = Vec::new();
            for (name, prop) in s.get("properties").and_then(Value::as_object).into_iter().flatten() {
                let mut f = Map::new();
                f.insert("name".into(), name.clone().into());
                f.insert("in".into(), "formData".into());
                let target = self.r.follow(prop, label).value;
                if let Some(d) = prop.get("description").or_else(|| target.get("description")) {
                    f.insert("description".into(), d.clone());
                }
                if required.contains(&name.as_str()) {
                    f.insert("required".into(), true.into());
                }
                if target.get("format").and_then(Value::as_str) == Some("binary") {
                    f.insert("type".into(), "file".into());
                } else {
                    let inline = self.inline(prop, label, &format!("{label}: form field `{name}`"));
                    f.extend(inline);
                }
                fields.push(Value::Object(f));
            }
            return (consumes, fields);
        }
        let mut p = Map::new();
        p.insert("name".into(), rb.get("x-codegen-request-body-name").cloned().unwrap_or_else(|| "body".into()));
        p.insert("in".into(), "body".into());
        for k in ["description", "required"] {
            if let Some(v) = rb.get(k) {
                p.insert(k.into(), v.clone());
            }
        }
        let s =
            if schema.is_null() { json!({}) } else { self.schema2(schema, &format!("{label} request body"), false) };
        p.insert("schema".into(), s);
        if let Some(e) = media.get("example") {
            p.insert("x-example".into(), e.clone());
        }
        (consumes, vec![Value::Object(p)])
    }

    fn response2(&mut self, r: &'a Value, label: &str) -> Value {
        let mut out = Map::new();
        out.insert("description".into(), r.get("description").cloned().unwrap_or_else(|| "".into()));
        for (k, v) in r.as_object().into_iter().flatten() {
            match k.as_str() {
                "description" => {}
                "content" => {
                    let Some(content) = v.as_object() else { continue };
                    let key = json_media(content).or_else(|| content.keys().next());
                    if let Some(s) = key.and_then(|k| content[k].get("schema")) {
                        let s = self.schema2(s, label, false);
                        out.insert("schema".into(), s);
                    }
                    let mut examples = Map::new();
                    for (t, mt) in content {
                        let ex = mt.get("example").cloned().or_else(|| {
                            let first = mt.get("examples")?.as_object()?.values().next()?;
                            self.r.follow(first, label).value.get("value").cloned()
                        });
                        if let Some(e) = ex {
                            examples.insert(t.clone(), e);
                        }
                    }
                    if !examples.is_empty() {
                        out.insert("examples".into(), Value::Object(examples));
                    }
                }
                "headers" => {
                    let mut hs = Map::new();
                    for (name, h) in v.as_object().into_iter().flatten() {
                        let h = self.r.follow(h, label).value;
                        let mut o = Map::new();
                        if let Some(d) = h.get("description") {
                            o.insert("description".into(), d.clone());
                        }
                        let inline = match h.get("schema") {
                            Some(s) => self.inline(s, label, &format!("{label}: header `{name}`")),
                            None => [("type".to_string(), Value::from("string"))].into_iter().collect(),
                        };
                        o.extend(inline);
                        hs.insert(name.clone(), Value::Object(o));
                    }
                    out.insert(k.clone(), Value::Object(hs));
                }
                "links" => self.lost.push(format!("{label}: links have no place in Swagger 2.0; dropped")),
                _ if k.starts_with("x-") => {
                    out.insert(k.clone(), v.clone());
                }
                _ => self.drop_kw(k, label),
            }
        }
        out.into()
    }
}
