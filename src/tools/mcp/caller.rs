//! [`McpToolCaller`]: MCP tools behind the `ToolCaller` trait, and how a `tools/call` result
//! becomes an [`Observation`] (text content as the body, binary content summarised).

use super::{annotations, Exchange, McpClient};
use crate::doc::{Operation, Safety, SafetyClass};
use crate::tools::capture::{cut_at_boundary, fingerprint, redact_then_cut, useful_headers};
use crate::tools::policy::effective_class;
use crate::tools::{Observation, Redactor, SafetyPolicy, ToolCaller, ToolError};
use async_trait::async_trait;
use futures::future::{FutureExt, LocalBoxFuture, Shared};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// The live server's annotations by tool name, read once (`None`: `tools/list` failed).
type LiveAnnotations = Shared<LocalBoxFuture<'static, Option<Rc<HashMap<String, Safety>>>>>;

/// Calls MCP tools (by their operation's `name`) through a shared [`McpClient`], after the
/// safety policy allows it. MCP annotations decide (`readOnlyHint: true` is read-only): the
/// document's, and once the live server's `tools/list` has been read (the first call, or
/// [`ToolCaller::live_safety`]), hint by hint the stricter of the two (see [`annotations`]).
pub struct McpToolCaller {
    client: Rc<McpClient>,
    policy: SafetyPolicy,
    live: RefCell<Option<LiveAnnotations>>,
}

impl McpToolCaller {
    /// A caller over `client` with `policy`.
    pub fn new(client: Rc<McpClient>, policy: SafetyPolicy) -> Self {
        McpToolCaller { client, policy, live: RefCell::new(None) }
    }

    /// The live annotations, reading `tools/list` the first time (concurrent callers share
    /// one read; no borrow is held across the wait).
    async fn live(&self) -> Option<Rc<HashMap<String, Safety>>> {
        let read = {
            let mut slot = self.live.borrow_mut();
            let client = self.client.clone();
            let read =
                async move { client.list_tools().await.ok().map(|list| Rc::new(annotations::live_hints(&list))) };
            slot.get_or_insert_with(|| read.boxed_local().shared()).clone()
        };
        read.await
    }

    /// `operation` with the stricter of its own and the live server's hints, when the live
    /// ones are known, and the differences.
    fn with_live_hints(&self, operation: &Operation) -> (Operation, Vec<String>) {
        let live = self.live.borrow().as_ref().and_then(|f| f.peek().cloned()).flatten();
        let mut op = operation.clone();
        let Some(hints) = live.as_ref().and_then(|m| m.get(&operation.name)) else { return (op, Vec::new()) };
        let (merged, differences) = annotations::stricter(&operation.safety, hints);
        op.safety = merged;
        (op, differences)
    }

    /// The client (to list tools or close the session).
    pub fn client(&self) -> &Rc<McpClient> {
        &self.client
    }

    /// The safety policy.
    pub fn policy(&self) -> &SafetyPolicy {
        &self.policy
    }
}

#[async_trait(?Send)]
impl ToolCaller for McpToolCaller {
    fn permits(&self, operation: &Operation) -> Result<(), ToolError> {
        self.policy.check(&self.with_live_hints(operation).0)
    }

    async fn live_safety(&self, operation: &Operation) -> Option<String> {
        self.live().await?;
        let (_, differences) = self.with_live_hints(operation);
        (!differences.is_empty()).then(|| {
            format!(
                "the live server's annotations differ from the document's ({}); the stricter ones apply",
                differences.join("; ")
            )
        })
    }

    async fn call(&self, operation: &Operation, arguments: &Value) -> Result<Observation, ToolError> {
        // The document alone already forbids it: nothing is sent, not even `tools/list`.
        self.policy.check(operation)?;
        self.live().await;
        let (operation, _) = self.with_live_hints(operation);
        self.policy.check(&operation)?;
        let idempotent = effective_class(&operation) == SafetyClass::ReadOnly;
        self.client.call_tool(&operation.name, arguments, idempotent).await
    }

    async fn live_tools(&self) -> Option<Result<Value, ToolError>> {
        Some(self.client.list_tools().await)
    }
}

/// Approximate decoded size of base64 text.
fn base64_len(data: &str) -> usize {
    let trimmed = data.trim_end_matches('=');
    trimmed.len() * 3 / 4
}

/// The first bytes of base64 text, as hex (`89504e47…` for a PNG).
fn base64_magic(data: &str) -> String {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = String::new();
    for chunk in data.as_bytes().chunks(4).take(2) {
        let Some(vals) = chunk.iter().take_while(|c| **c != b'=').map(|c| value(*c)).collect::<Option<Vec<u32>>>()
        else {
            break;
        };
        let n = vals.iter().fold(0u32, |acc, v| (acc << 6) | v) << (6 * (4 - vals.len() as u32));
        for i in 0..vals.len().saturating_sub(1) {
            out.push_str(&format!("{:02x}", (n >> (16 - 8 * i)) & 0xff));
        }
    }
    out
}

fn binary_summary(kind: &str, mime: &str, data: &str) -> String {
    let magic = base64_magic(data);
    format!(
        "<binary {kind} {}, ~{} bytes (base64), fnv1a {}, starts {magic}>",
        if mime.is_empty() { "application/octet-stream" } else { mime },
        base64_len(data),
        fingerprint(data.as_bytes())
    )
}

/// Replaces base64 payloads (`data` of image/audio content, `blob` of resources) with
/// summaries, and cuts any string longer than `cap`.
fn summarize_in_place(v: &mut Value, cap: usize) {
    match v {
        Value::Object(map) => {
            let kind = map.get("type").and_then(Value::as_str).unwrap_or("").to_string();
            let mime = map.get("mimeType").and_then(Value::as_str).unwrap_or("").to_string();
            let mut replaced = Vec::new();
            for key in ["data", "blob"] {
                let is_payload = key == "blob" || matches!(kind.as_str(), "image" | "audio");
                if let (true, Some(Value::String(s))) = (is_payload, map.get(key)) {
                    let summary = binary_summary(if key == "blob" { "blob" } else { &kind }, &mime, s);
                    map.insert(key.into(), Value::String(summary));
                    replaced.push(key);
                }
            }
            for (k, x) in map.iter_mut() {
                if !replaced.contains(&k.as_str()) {
                    summarize_in_place(x, cap);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|x| summarize_in_place(x, cap)),
        Value::String(s) if s.len() > cap => {
            let cut = cut_at_boundary(s, cap).to_string();
            *s = format!("{cut}…[truncated]");
        }
        _ => {}
    }
}

/// The readable text of a `tools/call` result: text blocks as they are, other blocks
/// described; the structured content or the whole result when there are no blocks.
pub fn render_result(result: &Value) -> String {
    let blocks = result.get("content").and_then(Value::as_array).filter(|b| !b.is_empty());
    let Some(blocks) = blocks else {
        return match result.get("structuredContent") {
            Some(s) => s.to_string(),
            None => result.to_string(),
        };
    };
    let parts: Vec<String> = blocks
        .iter()
        .map(|b| {
            let kind = b.get("type").and_then(Value::as_str).unwrap_or("");
            let mime = b.get("mimeType").and_then(Value::as_str).unwrap_or("");
            match kind {
                "text" => b.get("text").and_then(Value::as_str).unwrap_or("").to_string(),
                "image" | "audio" => binary_summary(kind, mime, b.get("data").and_then(Value::as_str).unwrap_or("")),
                "resource" => {
                    let r = b.get("resource").cloned().unwrap_or(Value::Null);
                    let uri = r.get("uri").and_then(Value::as_str).unwrap_or("?");
                    match (r.get("text").and_then(Value::as_str), r.get("blob").and_then(Value::as_str)) {
                        (Some(t), _) => format!("[resource {uri}]\n{t}"),
                        (None, Some(blob)) => {
                            let m = r.get("mimeType").and_then(Value::as_str).unwrap_or("");
                            format!("[resource {uri}] {}", binary_summary("blob", m, blob))
                        }
                        _ => format!("[resource {uri}]"),
                    }
                }
                "resource_link" => {
                    let uri = b.get("uri").and_then(Value::as_str).unwrap_or("?");
                    let name = b.get("name").and_then(Value::as_str).unwrap_or("");
                    format!("[resource link {uri} {name}]").replace(" ]", "]")
                }
                _ => b.to_string(),
            }
        })
        .collect();
    parts.join("\n")
}

/// The observation of a `tools/call` exchange.
pub(crate) fn observation(result: &Value, ex: &Exchange, cap: usize, redactor: &Redactor) -> Observation {
    let text = render_result(result);
    // Redact first, then cut: a secret straddling the cap must not leave half of itself.
    let (body, truncated) = redact_then_cut(&text, cap, redactor);
    let mut json = result.clone();
    redactor.redact_value(&mut json);
    summarize_in_place(&mut json, cap);
    Observation {
        request: ex.recorded.clone(),
        status: Some(ex.response.status),
        content_type: ex.response.header("content-type").map(str::to_string),
        headers: useful_headers(&ex.response, redactor),
        body,
        json: Some(json),
        truncated,
        body_bytes: text.len() as u64,
        is_error: result.get("isError").and_then(Value::as_bool).unwrap_or(false),
        duration_ms: ex.duration_ms,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_content_blocks() {
        let r = json!({"content": [
            {"type": "text", "text": "Here:"},
            {"type": "image", "data": "iVBORw0KGgoAAAANSUhEUg==", "mimeType": "image/png"},
            {"type": "resource", "resource": {"uri": "test://a", "text": "hello"}},
            {"type": "resource", "resource": {"uri": "test://b", "blob": "AAAA", "mimeType": "application/gzip"}},
            {"type": "resource_link", "uri": "test://c", "name": "c"},
        ]});
        let text = render_result(&r);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Here:");
        assert!(lines[1].starts_with("<binary image image/png, ~16 bytes (base64), fnv1a "), "{}", lines[1]);
        assert!(!text.contains("iVBORw0KGgoAAAANSUhEUg=="));
        assert_eq!(&lines[2..4], ["[resource test://a]", "hello"]);
        assert!(lines[4].starts_with("[resource test://b] <binary blob application/gzip, ~3 bytes"), "{}", lines[4]);
        assert_eq!(lines[5], "[resource link test://c c]");
        assert_eq!(render_result(&json!({"structuredContent": {"a": 1}, "content": []})), r#"{"a":1}"#);
        assert!(lines[1].ends_with("starts 89504e470d0a>"), "{}", lines[1]);
        assert_eq!(base64_magic("QUJD"), "414243");
        assert_eq!(base64_magic("QQ=="), "41");
        assert_eq!(base64_magic("not base64!"), "");
    }

    #[test]
    fn summarises_payloads_and_long_strings_in_json() {
        let mut v = json!({"content": [
            {"type": "image", "data": "QUJD", "mimeType": "image/png"},
            {"type": "text", "text": "x".repeat(50), "data": "kept: not a payload"},
        ]});
        summarize_in_place(&mut v, 10);
        assert!(v["content"][0]["data"].as_str().unwrap().starts_with("<binary image image/png, ~3 bytes"));
        assert_eq!(v["content"][1]["text"], format!("{}…[truncated]", "x".repeat(10)));
        assert_eq!(v["content"][1]["data"], "kept: not …[truncated]");
    }

    #[test]
    fn a_secret_straddling_the_cap_is_redacted_whole_in_text_and_json() {
        let key = "sk-live-0123456789abcdef";
        let redactor = Redactor::new().with_secret(key);
        let cap = 64;
        for offset in (cap - key.len() - 2)..=(cap + 2) {
            let text = format!("{}{key}{}", "x".repeat(offset), "x".repeat(40));
            let result = json!({"content": [{"type": "text", "text": text}], "structuredContent": {"v": text}});
            let ex = Exchange {
                reply: None,
                response: crate::host::HttpResponse { status: 200, headers: vec![], body: vec![] },
                recorded: crate::tools::RecordedRequest {
                    method: "POST".into(),
                    url: "http://h/mcp".into(),
                    headers: vec![],
                    body: None,
                },
                duration_ms: 1.0,
                not_json_rpc: false,
            };
            let obs = observation(&result, &ex, cap, &redactor);
            let shown = format!("{} {}", obs.body, obs.json.unwrap());
            assert!(obs.truncated, "offset {offset}");
            for piece in key.as_bytes().windows(2) {
                let piece = std::str::from_utf8(piece).unwrap();
                assert!(!shown.contains(piece), "offset {offset}: `{piece}` survived in {shown}");
            }
        }
    }
}
