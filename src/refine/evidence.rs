//! Evidence: every tool call is a [`Trail`]; [`Facts`] are derived from the trails with no
//! model (a verified example, the observed response schema, rejected arguments and why, the
//! values that worked, parameters the tool turned out to require) and are written into the
//! refined document's own fields by [`apply_facts`].
//!
//! ```
//! use serde_json::json;
//! use tooldraft::doc::Operation;
//! use tooldraft::refine::evidence::{Facts, Trail};
//! use tooldraft::tools::Observation;
//! let op = Operation { id: "echo".into(), name: "echo".into(), ..Default::default() };
//! let obs = Observation { status: Some(200), json: Some(json!({"ok": true})), ..Default::default() };
//! let trail = Trail { id: "echo#1".into(), operation: "echo".into(), episode: 0, query: "echo hello".into(),
//!     arguments: json!({}), observation: Some(obs), error: None, started_ms: 0.0, duration_ms: 1.0, schema_driven: false };
//! let facts = Facts::derive(&op, &[trail]);
//! assert_eq!(facts.verified_example.unwrap().trail, "echo#1");
//! assert_eq!(facts.response_schema.unwrap()["properties"]["ok"]["type"], "boolean");
//! ```

use super::shape;
use super::worth::Worth;
use crate::doc::{Example, Operation};
use crate::lowercase::Lowercase;
use crate::text::{clip, json_clip};
use crate::tools::{Observation, RecordedRequest, ToolError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// One call of the tool, with what led to it and what came back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Trail {
    /// `<operation id>#<n>`, n from 1; unique in a run.
    pub id: String,
    pub operation: String,
    /// 0-based episode.
    pub episode: usize,
    /// The explorer's user query.
    pub query: String,
    pub arguments: Value,
    /// The response (its `request` is the request as sent, secrets redacted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub observation: Option<Observation>,
    /// Why no response came back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub error: Option<ToolError>,
    /// When the call started (host clock, ms).
    pub started_ms: f64,
    pub duration_ms: f64,
    /// Arguments built from the document and the tool's errors, not by the model.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub schema_driven: bool,
}

impl Trail {
    /// The request as sent, when the call got that far.
    pub fn request(&self) -> Option<&RecordedRequest> {
        self.observation.as_ref().map(|o| &o.request)
    }

    /// The call reached the tool and the tool reported no error.
    pub fn succeeded(&self) -> bool {
        self.observation.as_ref().is_some_and(Observation::is_success)
    }

    /// A test's call: `id` (`<operation>#<n>`) with `args`, answered `status` and `body` (JSON
    /// when it parses); episode 0, query "a user's request".
    #[cfg(test)]
    pub(crate) fn observed(id: &str, args: Value, status: u16, body: &str) -> Trail {
        Trail {
            id: id.into(),
            operation: id.split('#').next().unwrap_or(id).into(),
            episode: 0,
            query: "a user's request".into(),
            arguments: args,
            observation: Some(Observation {
                status: Some(status),
                body: body.into(),
                json: serde_json::from_str(body).ok(),
                is_error: status >= 400,
                ..Default::default()
            }),
            error: None,
            started_ms: 0.0,
            duration_ms: 1.0,
            schema_driven: false,
        }
    }

    /// The HTTP status, if any.
    pub fn status(&self) -> Option<u16> {
        self.observation.as_ref().and_then(|o| o.status)
    }

    /// A short description of the outcome: `HTTP 200`, `HTTP 404: {"error": …}`, `failed: …`.
    pub fn outcome(&self, max: usize) -> String {
        match (&self.observation, &self.error) {
            (Some(o), _) => {
                let status = o.status.map(|s| format!("HTTP {s}")).unwrap_or_else(|| "no status".into());
                if o.is_success() {
                    status
                } else {
                    format!("{status} (error): {}", clip(o.body.trim(), max))
                }
            }
            (None, Some(e)) => format!("failed: {}", clip(&e.to_string(), max)),
            (None, None) => "no response".into(),
        }
    }
}

/// The data a successful call returned: the JSON body of an HTTP call; an MCP result's
/// `structuredContent`, or its single text block when that is JSON.
pub fn payload(op: &Operation, obs: &Observation) -> Option<Value> {
    let json = obs.json.as_ref()?;
    if op.http.is_some() {
        return Some(json.clone());
    }
    let Some(obj) = json.as_object() else { return Some(json.clone()) };
    if let Some(s) = obj.get("structuredContent") {
        return Some(s.clone());
    }
    match obj.get("content") {
        Some(Value::Array(blocks)) => {
            let texts: Vec<&str> = blocks.iter().filter_map(|b| b.get("text").and_then(Value::as_str)).collect();
            match texts.as_slice() {
                [one] => serde_json::from_str::<Value>(one).ok().filter(|v| v.is_object() || v.is_array()),
                _ => None,
            }
        }
        Some(_) => None,
        None => Some(json.clone()),
    }
}

/// An MCP tool result (`content` blocks, maybe `structuredContent`), when `obs` is one.
fn mcp_result<'a>(op: &Operation, obs: &'a Observation) -> Option<&'a serde_json::Map<String, Value>> {
    if op.http.is_some() {
        return None;
    }
    obs.json.as_ref()?.as_object().filter(|o| o.contains_key("content") || o.contains_key("structuredContent"))
}

/// What a response schema may describe: [`payload`], except that of an MCP result only its
/// `structuredContent` counts. An MCP `outputSchema` promises structured content (servers
/// must send it, and clients reject a result without it), so JSON that a tool writes into
/// a text block is an example's result, never an `outputSchema`.
pub fn schema_payload(op: &Operation, obs: &Observation) -> Option<Value> {
    match mcp_result(op, obs) {
        Some(result) => result.get("structuredContent").cloned(),
        None => payload(op, obs),
    }
}

/// A successful call and the query behind it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct VerifiedExample {
    pub trail: String,
    pub query: String,
    pub arguments: Value,
    /// The result, trimmed (arrays to 3 items, long strings cut).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub result: Option<Value>,
}

/// A call the tool refused, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RejectedCall {
    pub trail: String,
    pub arguments: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub status: Option<u16>,
    /// The error body or message, cut to 300 characters.
    pub reason: String,
}

/// What the recorded calls establish, derived without a model.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Facts {
    /// The first successful call worth showing as an example ([`super::worth`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub verified_example: Option<VerifiedExample>,
    /// Inferred from every successful JSON response, merged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub response_schema: Option<Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<RejectedCall>,
    /// Parameter → distinct values used in successful calls, those worth showing.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub working_values: BTreeMap<String, Vec<Value>>,
    /// Parameters left out of a call that was rejected with an error naming them, and never
    /// left out of a successful call.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_in_practice: Vec<String>,
    /// Parameters left out of a successful call.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub optional_in_practice: Vec<String>,
    /// Every status code observed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<u16>,
}

/// True when `word` occurs in `text` as a whole identifier (case-insensitive).
pub fn mentions_word(text: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let (t, w) = (text.lowercase(), word.lowercase());
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut start = 0;
    while let Some(i) = t[start..].find(&w) {
        let a = start + i;
        let b = a + w.len();
        let before_ok = t[..a].chars().next_back().is_none_or(|c| !is_ident(c));
        let after_ok = t[b..].chars().next().is_none_or(|c| !is_ident(c));
        if before_ok && after_ok {
            return true;
        }
        start = a + w.len().max(1);
        while start < t.len() && !t.is_char_boundary(start) {
            start += 1;
        }
    }
    false
}

impl Facts {
    /// The facts the trails establish about `op`.
    pub fn derive(op: &Operation, trails: &[Trail]) -> Facts {
        Facts::derive_after(op, trails, 0, None)
    }

    /// [`Facts::derive`] when the response schema of the first `known` trails is already
    /// merged (`schema`): only the responses of the trails after them are inferred. The
    /// result is the same (the schemas are merged in trail order either way).
    pub fn derive_after(op: &Operation, trails: &[Trail], known: usize, schema: Option<Value>) -> Facts {
        let mut f = Facts { response_schema: schema, ..Facts::default() };
        let worth = Worth::new(op);
        let mut driven_example = None;
        let mut omitted_ok: Vec<String> = Vec::new();
        let mut omitted_rejected: Vec<String> = Vec::new();
        for (i, t) in trails.iter().enumerate() {
            if let Some(s) = t.status() {
                if !f.statuses.contains(&s) {
                    f.statuses.push(s);
                }
            }
            let args = t.arguments.as_object();
            let omitted: Vec<&str> = op
                .parameters
                .iter()
                .map(|p| p.name.as_str())
                .filter(|n| args.is_none_or(|a| !a.contains_key(*n)))
                .collect();
            if t.succeeded() {
                // The first call worth showing (`worth`): a user's real query, arguments of
                // its own and a response with something in it; a schema-driven call (its
                // query is a note) only when no user's call is. The response is read only
                // for a candidate (or a new trail's schema).
                let candidate = f.verified_example.is_none()
                    && !(t.schema_driven && driven_example.is_some())
                    && (t.schema_driven || worth.query(&t.query))
                    && worth.arguments(&t.arguments);
                let data = t.observation.as_ref().filter(|_| candidate || i >= known).and_then(|o| payload(op, o));
                // An example shows something: a result worth showing, or (when the response is
                // no JSON: a page, an image) the arguments that worked. No arguments and no
                // result is an empty shell.
                let example = candidate
                    && match &data {
                        Some(d) => worth.result(d),
                        None => t.arguments.as_object().is_none_or(|a| !a.is_empty()) && !t.arguments.is_null(),
                    };
                if example {
                    // A schema-driven call's query is tooldraft's note, not a user's request:
                    // formats whose examples are user queries (ToolBench's `User Query`) would
                    // show it as one, so such an example has no query.
                    let e = VerifiedExample {
                        trail: t.id.clone(),
                        query: if t.schema_driven { String::new() } else { t.query.clone() },
                        arguments: t.arguments.clone(),
                        result: data.as_ref().map(|v| shape::trim(v, 3)),
                    };
                    if !t.schema_driven {
                        f.verified_example = Some(e);
                    } else {
                        driven_example = Some(e);
                    }
                }
                let mcp = match t.observation.as_ref() {
                    Some(o) if i >= known && mcp_result(op, o).is_some() => Some(schema_payload(op, o)),
                    _ => None,
                };
                let shaped = match &mcp {
                    Some(structured) => structured.as_ref(),
                    None => data.as_ref().filter(|_| i >= known),
                };
                if let Some(v) = shaped {
                    let s = shape::infer(v);
                    f.response_schema = Some(match &f.response_schema {
                        Some(m) => shape::merge(m, &s),
                        None => s,
                    });
                }
                if let Some(a) = args {
                    for (k, v) in a {
                        let full = f.working_values.get(k).is_some_and(|vals| vals.len() >= 5 || vals.contains(v));
                        if !full && op.parameter(k).is_some() && worth.value(k, v) {
                            f.working_values.entry(k.clone()).or_default().push(v.clone());
                        }
                    }
                }
                omitted_ok.extend(omitted.iter().map(|s| s.to_string()));
            } else {
                let (status, reason) = match (&t.observation, &t.error) {
                    (Some(o), _) => (o.status, clip(o.body.trim(), 300)),
                    (None, Some(e)) => (None, clip(&e.to_string(), 300)),
                    (None, None) => (None, "no response".into()),
                };
                // Only a response that names the missing parameter says it is required.
                let client_error = t.observation.as_ref().is_some_and(|o| o.status.is_none_or(|s| s < 500));
                if client_error {
                    for n in &omitted {
                        if mentions_word(&reason, n) {
                            omitted_rejected.push(n.to_string());
                        }
                    }
                }
                f.rejected.push(RejectedCall { trail: t.id.clone(), arguments: t.arguments.clone(), status, reason });
            }
        }
        if f.verified_example.is_none() {
            f.verified_example = driven_example;
        }
        for p in &op.parameters {
            if omitted_ok.contains(&p.name) {
                f.optional_in_practice.push(p.name.clone());
            } else if omitted_rejected.contains(&p.name) {
                f.required_in_practice.push(p.name.clone());
            }
        }
        crate::order::sort(&mut f.statuses);
        f
    }

    /// True when nothing was established.
    pub fn is_empty(&self) -> bool {
        self.verified_example.is_none()
            && self.response_schema.is_none()
            && self.rejected.is_empty()
            && self.working_values.is_empty()
    }

    /// The facts as lines for a prompt ("" when there are none).
    pub fn prompt_lines(&self) -> String {
        let mut lines = Vec::new();
        if let Some(e) = &self.verified_example {
            let request = match e.query.trim() {
                "" => "made from the documentation, not a user's request".to_string(),
                q => format!("for the request \"{}\"", clip(q, 200)),
            };
            lines.push(format!(
                "- A call that worked ({}): arguments {} {request}.",
                e.trail,
                json_clip(&e.arguments, 300)
            ));
        }
        if let Some(s) = &self.response_schema {
            lines.push(format!("- Successful responses are JSON shaped like: {}", clip(&shape::summary(s, 0), 800)));
        }
        for r in self.rejected.iter().rev().take(3).rev() {
            let status = r.status.map(|s| format!("HTTP {s}")).unwrap_or_else(|| "no response".into());
            lines.push(format!(
                "- Rejected ({}): arguments {} → {status}: {}",
                r.trail,
                json_clip(&r.arguments, 200),
                clip(&r.reason, 200)
            ));
        }
        for (k, vs) in &self.working_values {
            let list: Vec<String> = vs.iter().map(|v| json_clip(v, 60)).collect();
            lines.push(format!("- Values of {k} that worked: {}", list.join(", ")));
        }
        for p in &self.required_in_practice {
            lines.push(format!(
                "- {p} is required in practice: a call without it was rejected with an error naming it."
            ));
        }
        for p in &self.optional_in_practice {
            lines.push(format!("- {p} can be left out: a call without it succeeded."));
        }
        lines.join("\n")
    }

    /// The trail ids the facts rest on.
    pub fn trail_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.verified_example.iter().map(|e| e.trail.clone()).collect();
        ids.extend(self.rejected.iter().map(|r| r.trail.clone()));
        ids
    }
}

/// Writes the facts into the operation: the verified example into `examples` (verified,
/// result trimmed; skipped when an example with that query exists) and up to three values
/// that worked into each parameter's `examples`. (The observed response schema is a
/// structural change: [`super::repair`] proposes it with its trails.)
pub fn apply_facts(op: &mut Operation, facts: &Facts) {
    if let Some(e) = &facts.verified_example {
        if !op.examples.iter().any(|x| x.query == e.query && x.arguments == e.arguments) {
            op.examples.push(Example {
                query: e.query.clone(),
                arguments: e.arguments.clone(),
                result: e.result.clone(),
                verified: true,
            });
        }
    }
    for p in &mut op.parameters {
        if let Some(vals) = facts.working_values.get(&p.name) {
            let mut added = 0;
            for v in vals {
                if added < 3 && !p.examples.contains(v) {
                    p.examples.push(v.clone());
                    added += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{HttpBinding, Location, Parameter};
    use crate::host::Method;
    use serde_json::json;

    fn op() -> Operation {
        let mut q = Parameter::new("q", Location::Query);
        q.description = "Search text.".into();
        Operation {
            id: "search".into(),
            name: "search".into(),
            http: Some(HttpBinding { method: Method::Get, path: "/search".into(), body_media_type: None }),
            parameters: vec![q, Parameter::new("limit", Location::Query)],
            ..Default::default()
        }
    }

    fn trail(n: usize, args: Value, status: u16, body: &str) -> Trail {
        Trail {
            episode: n - 1,
            query: format!("request number {n}"),
            ..Trail::observed(&format!("search#{n}"), args, status, body)
        }
    }

    #[test]
    fn the_example_is_the_first_call_worth_copying() {
        let junk = trail(1, json!({"q": "search"}), 200, r#"{"results": [{"id": 1}]}"#);
        let found_nothing = trail(2, json!({"q": "lima"}), 200, r#"{"results": [], "total": null}"#);
        let mut driven = trail(3, json!({"q": "rome"}), 200, r#"{"results": [{"id": 3}]}"#);
        driven.schema_driven = true;
        driven.query = "(schema-driven) the smallest valid call the documentation allows".into();
        let good = trail(4, json!({"q": "paris"}), 200, r#"{"results": [{"id": 4}]}"#);
        let all = [junk, found_nothing, driven, good];
        let f = Facts::derive(&op(), &all);
        assert_eq!(f.verified_example.as_ref().unwrap().trail, "search#4");
        assert_eq!(f.working_values["q"], vec![json!("lima"), json!("rome"), json!("paris")], "not the identifier");
        let f = Facts::derive(&op(), &all[..3]);
        let e = f.verified_example.as_ref().unwrap();
        assert_eq!(e.trail, "search#3", "a schema-driven call when no user's call is worth it");
        assert_eq!(e.query, "", "tooldraft's note is no user's query");
        assert!(f.prompt_lines().contains("made from the documentation, not a user's request"), "{}", f.prompt_lines());
        let mut with = op();
        apply_facts(&mut with, &f);
        assert_eq!(with.examples[0].query, "", "the exported example carries no note as a query");
        assert!(with.examples[0].verified);
        assert!(Facts::derive(&op(), &all[..2]).verified_example.is_none());
    }

    #[test]
    fn derives_every_kind_of_fact() {
        let trails = vec![
            trail(1, json!({"limit": 2}), 400, r#"{"error": "missing parameter q"}"#),
            trail(2, json!({"q": "paris"}), 200, r#"{"results": [{"id": 1}], "total": 1}"#),
            trail(3, json!({"q": "lima", "limit": 1}), 200, r#"{"results": [], "total": 0, "next": null}"#),
        ];
        let f = Facts::derive(&op(), &trails);
        assert_eq!(f.verified_example.as_ref().unwrap().trail, "search#2");
        let s = f.response_schema.as_ref().unwrap();
        assert_eq!(s["required"], json!(["results", "total"]));
        assert_eq!(f.rejected.len(), 1);
        assert_eq!(f.rejected[0].status, Some(400));
        assert_eq!(f.working_values["q"], vec![json!("paris"), json!("lima")]);
        assert_eq!(f.required_in_practice, vec!["q".to_string()]);
        assert_eq!(f.optional_in_practice, vec!["limit".to_string()]);
        assert_eq!(f.statuses, vec![200, 400]);
        let lines = f.prompt_lines();
        assert!(lines.contains("q is required in practice") && lines.contains("search#2"), "{lines}");
    }

    #[test]
    fn facts_derived_after_a_known_prefix_are_the_facts_of_all_trails() {
        let trails = vec![
            trail(1, json!({"q": "a"}), 200, r#"{"results": [{"id": 1}], "total": 1}"#),
            trail(2, json!({"limit": 2}), 400, r#"{"error": "missing parameter q"}"#),
            trail(3, json!({"q": "b"}), 200, r#"{"results": [], "total": 0, "next": null}"#),
            trail(4, json!({"q": "c"}), 200, r#"{"results": [{"id": "x", "tags": ["t"]}], "total": 1}"#),
        ];
        let all = Facts::derive(&op(), &trails);
        for k in 0..=trails.len() {
            let prefix = Facts::derive(&op(), &trails[..k]).response_schema;
            assert_eq!(Facts::derive_after(&op(), &trails, k, prefix), all, "after {k} known trails");
        }
    }

    #[test]
    fn facts_go_into_the_documents_own_fields() {
        let trails = vec![trail(1, json!({"q": "paris"}), 200, r#"{"ok": true}"#)];
        let f = Facts::derive(&op(), &trails);
        let mut o = op();
        o.response_schema = None;
        apply_facts(&mut o, &f);
        apply_facts(&mut o, &f);
        assert_eq!(o.examples.len(), 1, "applying twice adds nothing");
        assert!(o.examples[0].verified);
        assert_eq!(o.response_schema, None, "a schema change goes through schema repair");
        assert_eq!(o.parameters[0].examples, vec![json!("paris")]);
    }

    #[test]
    fn mcp_payload_is_structured_content_or_json_text() {
        let mut o = op();
        o.http = None;
        let obs = |j: Value| Observation { status: Some(200), json: Some(j), ..Default::default() };
        assert_eq!(payload(&o, &obs(json!({"content": [], "structuredContent": {"a": 1}}))), Some(json!({"a": 1})));
        assert_eq!(payload(&o, &obs(json!({"content": [{"type": "text", "text": "[1,2]"}]}))), Some(json!([1, 2])));
        assert_eq!(payload(&o, &obs(json!({"content": [{"type": "text", "text": "hello"}]}))), None);
    }

    #[test]
    fn an_mcp_results_json_text_is_an_example_but_never_a_response_schema() {
        // server-everything's get-env writes the environment as JSON text: no structured
        // content, so no outputSchema may promise one (clients reject a result without it).
        let mut o = op();
        o.http = None;
        let text = json!({"content": [{"type": "text", "text": "{\"PATH\": \"/usr/bin\", \"HOME\": \"/tmp/h\"}"}]});
        let mut t = trail(1, json!({"q": "paris"}), 200, &text.to_string());
        t.query = "What does the server's environment hold?".into();
        let f = Facts::derive(&o, std::slice::from_ref(&t));
        assert_eq!(f.verified_example.unwrap().result, Some(json!({"PATH": "/usr/bin", "HOME": "/tmp/h"})));
        assert_eq!(f.response_schema, None);
        let structured = json!({"content": [{"type": "text", "text": "3"}], "structuredContent": {"sum": 3}});
        let t = trail(2, json!({"q": "paris"}), 200, &structured.to_string());
        let f = Facts::derive(&o, &[t]);
        assert_eq!(f.response_schema.unwrap()["properties"]["sum"]["type"], "integer");
    }

    #[test]
    fn a_call_without_arguments_whose_response_is_no_json_is_no_example() {
        // httpbin's GET /html: the call worked, but an example of `{}` and no result shows nothing.
        let page = trail(1, json!({}), 200, "<!DOCTYPE html><html><body><h1>Herman Melville</h1></body></html>");
        assert_eq!(Facts::derive(&op(), std::slice::from_ref(&page)).verified_example, None);
        let with_args = trail(2, json!({"q": "paris"}), 200, "<html>Paris</html>");
        assert_eq!(Facts::derive(&op(), &[with_args]).verified_example.unwrap().result, None);
        let json_result = trail(3, json!({}), 200, r#"{"slideshow": {"title": "Sample"}}"#);
        assert!(Facts::derive(&op(), &[json_result]).verified_example.is_some());
    }

    #[test]
    fn whole_word_mentions() {
        assert!(mentions_word("Missing parameter 'q'.", "q"));
        assert!(!mentions_word("query required", "q"));
        assert!(mentions_word("user_id is required", "USER_ID"));
        assert!(!mentions_word("the_user_id", "user_id"));
    }
}
