//! RestBench parameter entries, in both spellings the DRAFT paper's data uses:
//! `{"name", "schema", "description"}` (TMDB) and `{"in", "name", "required", "schema"}` with
//! the description inside `schema` (Spotify). Patching writes a description back where it was.

use crate::doc::formats::args::{parameter_from_property, patch_property, property_from_parameter};
use crate::doc::formats::json::{self, child};
use crate::doc::formats::lists::Codec;
use crate::doc::{DocError, Location, Parameter};
use serde_json::{json, Map, Value};

/// Parses an OpenAPI-style `in`.
pub(crate) fn location(s: &str) -> Option<Location> {
    Some(match s.to_ascii_lowercase().as_str() {
        "path" => Location::Path,
        "query" => Location::Query,
        "header" => Location::Header,
        "cookie" => Location::Cookie,
        "body" | "formdata" => Location::Body,
        _ => return None,
    })
}

fn location_name(l: Location) -> &'static str {
    match l {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
        Location::Body => "body",
    }
}

/// The RestBench entry codec.
pub(crate) struct RestBenchCodec;

impl Codec for RestBenchCodec {
    fn read(&self, e: &Value, listed_required: bool, path_params: &[String], ptr: &str) -> Result<Parameter, DocError> {
        let m = json::object(e, ptr)?;
        let name = json::req_str(m, "name", ptr)?;
        let loc = match json::opt_str(m, "in", ptr)? {
            Some(s) => location(s).ok_or_else(|| DocError::at(child(ptr, "in"), format!("unknown location `{s}`")))?,
            None if path_params.iter().any(|n| n == name) => Location::Path,
            None => Location::Query,
        };
        let said_required = match m.get("required") {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
            _ => false,
        };
        let schema = m.get("schema").cloned().unwrap_or(json!({}));
        let mut split = schema.clone();
        let example = match &mut split {
            Value::Object(s) if !s.contains_key("examples") => s.shift_remove("example"),
            _ => None,
        };
        let mut p =
            parameter_from_property(name, loc, &split, listed_required || said_required, &child(ptr, "schema"))?;
        if let Some(x) = example {
            p.examples = vec![x];
        }
        if let Some(d) = json::opt_str(m, "description", ptr)? {
            if let (Some(inner), Value::Object(s)) = (schema.get("description"), &mut p.schema) {
                s.insert("description".into(), inner.clone());
            }
            p.description = d.to_string();
        }
        Ok(p)
    }

    fn write(&self, p: &Parameter) -> Value {
        let mut schema = property_from_parameter(p);
        if let Value::Object(s) = &mut schema {
            s.shift_remove("description");
        }
        let mut m = Map::new();
        m.insert("name".into(), json!(p.name));
        m.insert("in".into(), json!(location_name(p.location)));
        m.insert("description".into(), json!(p.description));
        m.insert("schema".into(), schema);
        Value::Object(m)
    }

    fn patch(&self, e: &mut Value, b: &Parameter, p: &Parameter) {
        let Value::Object(m) = e else {
            *e = self.write(p);
            return;
        };
        if b.name != p.name {
            m.insert("name".into(), json!(p.name));
        }
        if b.location != p.location {
            m.insert("in".into(), json!(location_name(p.location)));
        }
        if b.description != p.description {
            let in_schema =
                !m.contains_key("description") && m.get("schema").and_then(|s| s.get("description")).is_some();
            match (in_schema, m.get_mut("schema")) {
                (true, Some(Value::Object(s))) => {
                    s.insert("description".into(), json!(p.description));
                }
                _ => {
                    m.insert("description".into(), json!(p.description));
                }
            }
        }
        let (mut b2, mut p2) = (b.clone(), p.clone());
        for x in [&mut b2, &mut p2] {
            x.description.clear();
            x.examples.clear();
        }
        if b2 == p2 && b.examples == p.examples {
            return;
        }
        let schema = m.entry("schema").or_insert_with(|| json!({}));
        let had_example = schema.get("example").cloned();
        patch_property(schema, &b2, &p2);
        if let Value::Object(s) = schema {
            if b.examples != p.examples {
                s.shift_remove("example");
                s.shift_remove("examples");
                match (p.examples.as_slice(), &had_example) {
                    ([], _) => {}
                    ([one], Some(_)) => {
                        s.insert("example".into(), one.clone());
                    }
                    (many, _) => {
                        s.insert("examples".into(), Value::Array(many.to_vec()));
                    }
                }
            } else if let Some(x) = had_example {
                s.entry("example").or_insert(x);
            }
        }
    }
}

/// Reads path parameter values from a filled URL by matching it against its template.
pub(crate) fn path_values(template: &str, url: &str) -> Map<String, Value> {
    let mut out = Map::new();
    let t: Vec<&str> = template.split('/').collect();
    let u: Vec<&str> = url.split(['?', '#']).next().unwrap_or("").split('/').collect();
    if t.len() != u.len() {
        return out;
    }
    for (ts, us) in t.iter().zip(&u) {
        let (Some(open), Some(close)) = (ts.find('{'), ts.rfind('}')) else { continue };
        if close < open {
            continue;
        }
        let (prefix, suffix) = (&ts[..open], &ts[close + 1..]);
        let name = &ts[open + 1..close];
        if name.contains(['{', '}']) || us.len() < prefix.len() + suffix.len() {
            continue;
        }
        if us.starts_with(prefix) && us.ends_with(suffix) {
            let v = &us[prefix.len()..us.len() - suffix.len()];
            if !v.is_empty() && !v.contains(['{', '}']) {
                out.insert(name.to_string(), json!(v));
            }
        }
    }
    out
}

/// Fills a URL template with the arguments' path values (placeholders without one stay).
pub(crate) fn fill(template: &str, args: &Value) -> String {
    let mut out = template.to_string();
    if let Value::Object(a) = args {
        for (k, v) in a {
            let s = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            out = out.replace(&format!("{{{k}}}"), &s);
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn path_values_match_the_template() {
        let v = path_values("http://h/3/movie/{movie_id}/keywords", "http://h/3/movie/13579/keywords");
        assert_eq!(Value::Object(v), json!({"movie_id": "13579"}));
        assert!(path_values("http://h/{a}", "http://h/x/y").is_empty());
        assert!(path_values("http://h/}a{", "http://h/x").is_empty());
        assert_eq!(fill("http://h/{a}/{b}", &json!({"a": 1, "c": 2})), "http://h/1/{b}");
    }

    #[test]
    fn description_is_written_back_where_it_was() {
        let e = json!({"in": "query", "name": "market", "required": "false",
            "schema": {"description": "old", "example": "ES", "type": "string"}});
        let p = RestBenchCodec.read(&e, false, &[], "/0/optional_parameters/0").unwrap();
        assert_eq!(p.description, "old");
        assert_eq!(p.examples, vec![json!("ES")]);
        let mut q = p.clone();
        q.description = "new".into();
        let mut patched = e.clone();
        RestBenchCodec.patch(&mut patched, &p, &q);
        assert_eq!(patched["schema"]["description"], json!("new"));
        assert_eq!(patched["schema"]["example"], json!("ES"));
        assert_eq!(patched.as_object().unwrap().len(), 4);
    }
}
