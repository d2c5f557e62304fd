//! Serialising call arguments into the parts of an HTTP request, following OpenAPI's
//! `style` / `explode` rules for the common cases: path (`simple`, `label`, `matrix`),
//! query (`form` exploded or not, `spaceDelimited`, `pipeDelimited`, `deepObject`),
//! headers (`simple`), cookies (`form`), and JSON, form-urlencoded or multipart bodies.
//!
//! Every value a model writes is percent-encoded (path and query) or checked (headers,
//! cookies): it can never add a path segment, a query parameter of its own or a header line.
//!
//! ```
//! use serde_json::json;
//! use tooldraft::doc::{HttpBinding, Location, Operation, Parameter};
//! use tooldraft::host::Method;
//! use tooldraft::tools::params::serialize;
//! let mut op = Operation { id: "get".into(), ..Default::default() };
//! op.http = Some(HttpBinding { method: Method::Get, path: "/items/{id}".into(), body_media_type: None });
//! op.parameters = vec![Parameter::new("id", Location::Path), Parameter::new("tag", Location::Query)];
//! let parts = serialize(&op, "/items/{id}", &json!({"id": "a/b", "tag": ["x", "y"]}), 0.5).unwrap();
//! assert_eq!(parts.path_and_query(), "/items/a%2Fb?tag=x&tag=y");
//! ```

use crate::doc::{Location, Operation, Parameter};
use crate::host::Method;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{Map, Value};

/// RFC 3986 unreserved characters stay; everything else is encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Header names a parameter may not set: the transport owns them.
const FORBIDDEN_HEADERS: &[&str] = &["host", "content-length", "transfer-encoding", "connection", "upgrade", "te"];

/// The serialised parts of a request, before auth is added.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RequestParts {
    /// The path with parameters substituted (starts with `/`; may carry a literal query
    /// from the template).
    pub path: String,
    /// Encoded `name=value` query pairs, in order.
    pub query: Vec<String>,
    pub headers: Vec<(String, String)>,
    /// Encoded `name=value` cookie pairs.
    pub cookies: Vec<String>,
    /// Body bytes and their content type.
    pub body: Option<(Vec<u8>, String)>,
}

impl RequestParts {
    /// The path with the query string appended.
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        let sep = if self.path.contains('?') { '&' } else { '?' };
        format!("{}{sep}{}", self.path, self.query.join("&"))
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

fn form_encode(s: &str) -> String {
    encode_component(s).replace("%20", "+")
}

/// A scalar as text; arrays and objects nested where a scalar is expected become JSON.
fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Serialises `arguments` for `op`. `path_template` is the resolved path (see
/// `Target::resolve_template`); `random` (from the host) seeds a multipart boundary.
/// Arguments the operation does not declare go to the query for GET, HEAD, DELETE and
/// OPTIONS and to the body otherwise, so exploration can find undocumented parameters.
/// Fails with a message naming the parameter when a value cannot be sent safely.
pub fn serialize(op: &Operation, path_template: &str, arguments: &Value, random: f64) -> Result<RequestParts, String> {
    let empty = Map::new();
    let args = match arguments {
        Value::Object(m) => m,
        Value::Null => &empty,
        other => return Err(format!("arguments must be a JSON object, got {}", type_name(other))),
    };
    let method = op.http.as_ref().map_or(Method::Get, |h| h.method);
    let mut parts = RequestParts::default();
    let mut used: Vec<&str> = Vec::new();

    parts.path = substitute_path(op, path_template, args, &mut used)?;

    let mut body_fields: Map<String, Value> = Map::new();
    for p in &op.parameters {
        if p.location == Location::Path {
            continue;
        }
        let Some(v) = args.get(&p.name) else { continue };
        used.push(p.name.as_str());
        if v.is_null() {
            continue;
        }
        match p.location {
            Location::Query => query_pairs(p, v, &mut parts.query),
            Location::Header => parts.headers.push((check_header_name(&p.name)?, header_value(p, v)?)),
            Location::Cookie => cookie_pairs(p, v, &mut parts.cookies)?,
            Location::Body => {
                body_fields.insert(p.name.clone(), v.clone());
            }
            Location::Path => {}
        }
    }
    let undeclared = args.iter().filter(|(k, _)| !used.contains(&k.as_str()));
    let query_method = matches!(method, Method::Get | Method::Head | Method::Delete | Method::Options | Method::Trace);
    for (k, v) in undeclared {
        if v.is_null() {
            continue;
        }
        if query_method {
            query_pairs(&Parameter::new(k.clone(), Location::Query), v, &mut parts.query);
        } else {
            body_fields.insert(k.clone(), v.clone());
        }
    }
    if !body_fields.is_empty() {
        let media =
            op.http.as_ref().and_then(|h| h.body_media_type.clone()).unwrap_or_else(|| "application/json".into());
        parts.body = Some(encode_body(&media, body_fields, random)?);
    }
    Ok(parts)
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn substitute_path<'a>(
    op: &'a Operation,
    template: &str,
    args: &'a Map<String, Value>,
    used: &mut Vec<&'a str>,
) -> Result<String, String> {
    let mut out = String::with_capacity(template.len() + 16);
    // Where each substituted value landed in `out`, to name it if it makes a dot segment.
    let mut placed: Vec<(std::ops::Range<usize>, &str)> = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let name = &after[..close];
        let param = op.parameters.iter().find(|p| p.name == name && p.location == Location::Path);
        let (key, value) = match args.get_key_value(name) {
            Some((k, v)) if !v.is_null() => (Some(k.as_str()), v.clone()),
            _ => match param.and_then(|p| p.default.clone()) {
                Some(d) => (None, d),
                None => return Err(format!("missing path parameter `{name}`")),
            },
        };
        if let Some(k) = key {
            used.push(k);
        }
        let fallback = Parameter::new(name, Location::Path);
        let start = out.len();
        out.push_str(&path_value(param.unwrap_or(&fallback), &value)?);
        placed.push((start..out.len(), name));
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    refuse_dot_segments(&out, &placed)?;
    Ok(out)
}

/// Refuses a serialised path with a `.` or `..` segment (also percent-encoded, in any case,
/// once or more, or followed by `;parameters`): a server or proxy that normalises the path
/// would route the call elsewhere. `placed` names the parameters substituted where.
fn refuse_dot_segments(path: &str, placed: &[(std::ops::Range<usize>, &str)]) -> Result<(), String> {
    let path_end = path.find(['?', '#']).unwrap_or(path.len());
    let mut start = 0;
    for segment in path[..path_end].split('/') {
        let range = start..start + segment.len();
        start = range.end + 1;
        if !is_dot_segment(segment) {
            continue;
        }
        let names: Vec<String> = placed
            .iter()
            .filter(|(r, _)| r.start < range.end.max(range.start + 1) && range.start < r.end)
            .map(|(_, n)| format!("`{n}`"))
            .collect();
        let what = if names.is_empty() {
            "the path template".to_string()
        } else {
            format!("path parameter {}", names.join(", "))
        };
        return Err(format!("{what} would make the path segment `{segment}`, which changes the route"));
    }
    Ok(())
}

/// Whether a path segment means "this" or "parent" to a server that decodes it (up to three
/// times: proxies decode too) and drops `;parameters`.
fn is_dot_segment(segment: &str) -> bool {
    let mut text = segment.to_string();
    for _ in 0..4 {
        let bare = text.split(';').next().unwrap_or("");
        if bare == "." || bare == ".." {
            return true;
        }
        if !text.contains('%') {
            return false;
        }
        let decoded = percent_encoding::percent_decode_str(&text).decode_utf8_lossy().into_owned();
        if decoded == text {
            return false;
        }
        text = decoded;
    }
    false
}

fn path_value(p: &Parameter, v: &Value) -> Result<String, String> {
    let raw = scalar(v);
    if !v.is_array() && !v.is_object() && (raw.is_empty() || raw == "." || raw == "..") {
        return Err(format!("path parameter `{}` cannot be `{raw}` (it would change the route)", p.name));
    }
    let explode = p.explode.unwrap_or(false);
    let style = p.style.as_deref().unwrap_or("simple");
    let name = encode_component(&p.name);
    let items: Vec<String> = match v {
        Value::Array(a) => a.iter().map(|x| encode_component(&scalar(x))).collect(),
        _ => Vec::new(),
    };
    let pairs: Vec<(String, String)> = match v {
        Value::Object(m) => m.iter().map(|(k, x)| (encode_component(k), encode_component(&scalar(x)))).collect(),
        _ => Vec::new(),
    };
    let joined = |sep: &str, kv: &str| -> String {
        if explode {
            pairs.iter().map(|(k, x)| format!("{k}={x}")).collect::<Vec<_>>().join(sep)
        } else {
            pairs.iter().map(|(k, x)| format!("{k}{kv}{x}")).collect::<Vec<_>>().join(",")
        }
    };
    let out = match (style, v) {
        ("label", Value::Array(_)) => format!(".{}", items.join(if explode { "." } else { "," })),
        ("label", Value::Object(_)) => format!(".{}", joined(".", ",")),
        ("label", _) => format!(".{}", encode_component(&raw)),
        ("matrix", Value::Array(_)) if explode => items.iter().map(|x| format!(";{name}={x}")).collect(),
        ("matrix", Value::Array(_)) => format!(";{name}={}", items.join(",")),
        ("matrix", Value::Object(_)) if explode => pairs.iter().map(|(k, x)| format!(";{k}={x}")).collect(),
        ("matrix", Value::Object(_)) => format!(";{name}={}", joined(",", ",")),
        ("matrix", _) => format!(";{name}={}", encode_component(&raw)),
        (_, Value::Array(_)) => items.join(","),
        (_, Value::Object(_)) => joined(",", ","),
        _ => encode_component(&raw),
    };
    if out.is_empty() {
        return Err(format!("path parameter `{}` is empty", p.name));
    }
    Ok(out)
}

fn query_pairs(p: &Parameter, v: &Value, out: &mut Vec<String>) {
    let style = p.style.as_deref().unwrap_or("form");
    let explode = p.explode.unwrap_or(style == "form");
    let name = encode_component(&p.name);
    match v {
        Value::Array(items) => {
            let vals: Vec<String> = items.iter().map(|x| encode_component(&scalar(x))).collect();
            match style {
                "spaceDelimited" if !explode => out.push(format!("{name}={}", vals.join("%20"))),
                "pipeDelimited" if !explode => out.push(format!("{name}={}", vals.join("|"))),
                _ if explode => out.extend(vals.iter().map(|x| format!("{name}={x}"))),
                _ => out.push(format!("{name}={}", vals.join(","))),
            }
        }
        Value::Object(map) => match style {
            "deepObject" => {
                for (k, x) in map {
                    deep_object(&format!("{name}[{}]", encode_component(k)), x, out);
                }
            }
            _ if explode => {
                out.extend(map.iter().map(|(k, x)| format!("{}={}", encode_component(k), encode_component(&scalar(x)))))
            }
            _ => {
                let flat: Vec<String> =
                    map.iter().flat_map(|(k, x)| [encode_component(k), encode_component(&scalar(x))]).collect();
                out.push(format!("{name}={}", flat.join(",")));
            }
        },
        _ => out.push(format!("{name}={}", encode_component(&scalar(v)))),
    }
}

fn deep_object(prefix: &str, v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                deep_object(&format!("{prefix}[{}]", encode_component(k)), x, out);
            }
        }
        Value::Array(items) => {
            for x in items {
                out.push(format!("{prefix}={}", encode_component(&scalar(x))));
            }
        }
        _ => out.push(format!("{prefix}={}", encode_component(&scalar(v)))),
    }
}

/// Checks a header name is an RFC 9110 token and not one the transport owns.
pub fn check_header_name(name: &str) -> Result<String, String> {
    let valid = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if !valid {
        return Err(format!("`{}` is not a valid header name", name.escape_debug()));
    }
    if FORBIDDEN_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
        return Err(format!("the `{name}` header cannot be set by a parameter"));
    }
    Ok(name.to_string())
}

/// Checks a header value has no line breaks, control characters or non-ASCII text.
pub fn check_header_value(name: &str, value: &str) -> Result<(), String> {
    if let Some(c) = value.chars().find(|c| (c.is_control() && *c != '\t') || !c.is_ascii()) {
        return Err(format!("header `{name}` cannot contain {c:?} (only visible ASCII, spaces and tabs)"));
    }
    Ok(())
}

fn header_value(p: &Parameter, v: &Value) -> Result<String, String> {
    let explode = p.explode.unwrap_or(false);
    let s = match v {
        Value::Array(items) => items.iter().map(scalar).collect::<Vec<_>>().join(","),
        Value::Object(map) if explode => {
            map.iter().map(|(k, x)| format!("{k}={}", scalar(x))).collect::<Vec<_>>().join(",")
        }
        Value::Object(map) => map.iter().flat_map(|(k, x)| [k.clone(), scalar(x)]).collect::<Vec<_>>().join(","),
        _ => scalar(v),
    };
    check_header_value(&p.name, &s)?;
    Ok(s)
}

/// Cookie values keep RFC 6265 cookie-octets as they are; everything else (spaces, `;`, `,`,
/// `"`, `\`, `%`, control characters, non-ASCII text) is percent-encoded, so a value can never
/// end its cookie or the header. Servers differ on decoding it: some see `a%20b`.
fn cookie_encode(s: &str) -> String {
    const COOKIE: &AsciiSet = &percent_encoding::CONTROLS.add(b' ').add(b';').add(b',').add(b'"').add(b'\\').add(b'%');
    utf8_percent_encode(s, COOKIE).to_string()
}

fn cookie_pairs(p: &Parameter, v: &Value, out: &mut Vec<String>) -> Result<(), String> {
    let name = check_header_name(&p.name).map_err(|_| format!("`{}` is not a valid cookie name", p.name))?;
    let explode = p.explode.unwrap_or(true);
    match v {
        Value::Array(items) if explode => {
            out.extend(items.iter().map(|x| format!("{name}={}", cookie_encode(&scalar(x)))))
        }
        Value::Array(items) => out
            .push(format!("{name}={}", items.iter().map(|x| cookie_encode(&scalar(x))).collect::<Vec<_>>().join(","))),
        Value::Object(map) if explode => {
            out.extend(map.iter().map(|(k, x)| format!("{}={}", cookie_encode(k), cookie_encode(&scalar(x)))))
        }
        Value::Object(map) => out.push(format!(
            "{name}={}",
            map.iter().flat_map(|(k, x)| [cookie_encode(k), cookie_encode(&scalar(x))]).collect::<Vec<_>>().join(",")
        )),
        _ => out.push(format!("{name}={}", cookie_encode(&scalar(v)))),
    }
    Ok(())
}

fn media_essence(media: &str) -> String {
    media.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

fn encode_body(media: &str, fields: Map<String, Value>, random: f64) -> Result<(Vec<u8>, String), String> {
    let essence = media_essence(media);
    if essence == "application/x-www-form-urlencoded" {
        let mut pairs = Vec::new();
        for (k, v) in &fields {
            match v {
                Value::Array(items) => {
                    pairs.extend(items.iter().map(|x| format!("{}={}", form_encode(k), form_encode(&scalar(x)))))
                }
                Value::Object(map) => {
                    pairs.extend(map.iter().map(|(sk, x)| format!("{}={}", form_encode(sk), form_encode(&scalar(x)))))
                }
                _ => pairs.push(format!("{}={}", form_encode(k), form_encode(&scalar(v)))),
            }
        }
        return Ok((pairs.join("&").into_bytes(), media.to_string()));
    }
    if essence == "multipart/form-data" {
        let boundary = format!("tooldraft-{:016x}", (random.clamp(0.0, 1.0) * (u64::MAX >> 11) as f64) as u64);
        let mut body = String::new();
        for (k, v) in &fields {
            let values: Vec<&Value> = match v {
                Value::Array(items) => items.iter().collect(),
                other => vec![other],
            };
            for x in values {
                let name = k.replace(['"', '\r', '\n'], "_");
                body.push_str(&format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{}\r\n",
                    scalar(x)
                ));
            }
        }
        body.push_str(&format!("--{boundary}--\r\n"));
        return Ok((body.into_bytes(), format!("multipart/form-data; boundary={boundary}")));
    }
    let is_json = essence == "application/json" || essence.ends_with("+json") || essence.is_empty();
    if !is_json && fields.len() == 1 {
        if let Some(Value::String(s)) = fields.values().next() {
            return Ok((s.clone().into_bytes(), media.to_string()));
        }
    }
    let bytes = serde_json::to_vec(&Value::Object(fields)).map_err(|e| format!("cannot encode the body: {e}"))?;
    let content_type = if essence.is_empty() { "application/json".to_string() } else { media.to_string() };
    Ok((bytes, content_type))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
#[path = "params_tests.rs"]
mod tests;
