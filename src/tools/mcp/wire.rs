//! The MCP wire format over Streamable HTTP: JSON-RPC messages, replies as JSON or as an
//! event stream, the per-request envelope of the stateless revisions, and header values.
//!
//! ```
//! use tooldraft::tools::mcp::wire::{find_reply, Reply};
//! let stream = "id: 1\ndata: \n\nevent: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}\n\n";
//! assert_eq!(find_reply("text/event-stream", stream, 7).unwrap(), Some(Reply::Result(serde_json::json!({}))));
//! ```

use crate::tools::auth::base64;
use crate::tools::capture::media_essence;
use serde_json::{json, Map, Value};

/// A JSON-RPC reply to one of our requests.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    Result(Value),
    Error { code: i64, message: String, data: Option<Value> },
}

/// The `data` of each event in an event stream, in order. Events without data (keep-alives,
/// a priming event with an empty `data:` line) are skipped; several `data:` lines of one
/// event are joined with newlines; comments and other fields are ignored.
pub fn event_stream_data(text: &str) -> Vec<String> {
    let mut events = Vec::new();
    let mut data: Option<String> = None;
    let flush = |data: &mut Option<String>, events: &mut Vec<String>| {
        if let Some(d) = data.take() {
            if !d.trim().is_empty() {
                events.push(d);
            }
        }
    };
    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    for line in normalized.split('\n') {
        if line.is_empty() {
            flush(&mut data, &mut events);
            continue;
        }
        if line.starts_with(':') {
            continue;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        if field == "data" {
            match &mut data {
                Some(d) => {
                    d.push('\n');
                    d.push_str(value);
                }
                None => data = Some(value.to_string()),
            }
        }
    }
    // A stream that ends without a blank line still delivers its last event.
    flush(&mut data, &mut events);
    events
}

/// Looks for the reply to request `id` in a response body (`application/json`: one message
/// or a batch; `text/event-stream`: any event). Other messages (notifications, requests from
/// the server, replies to other ids) are skipped. `Err` when the body is not JSON-RPC at all.
pub fn find_reply(content_type: &str, body: &str, id: u64) -> Result<Option<Reply>, String> {
    let essence = media_essence(content_type);
    let payloads: Vec<String> = if essence == "text/event-stream" {
        event_stream_data(body)
    } else if body.trim().is_empty() {
        return Ok(None);
    } else {
        vec![body.to_string()]
    };
    let mut parsed_any = false;
    for p in payloads {
        let Ok(v) = serde_json::from_str::<Value>(&p) else {
            continue;
        };
        let messages = match v {
            Value::Array(items) => items,
            other => vec![other],
        };
        for m in messages {
            if m.get("jsonrpc").is_some() || m.get("result").is_some() || m.get("error").is_some() {
                parsed_any = true;
            }
            if let Some(r) = reply_for(&m, id) {
                return Ok(Some(r));
            }
        }
    }
    if parsed_any || essence == "text/event-stream" {
        Ok(None)
    } else {
        Err("the body is not a JSON-RPC message".into())
    }
}

fn reply_for(m: &Value, id: u64) -> Option<Reply> {
    let matches = match m.get("id") {
        Some(Value::Number(n)) => n.as_u64() == Some(id),
        Some(Value::String(s)) => s == &id.to_string(),
        _ => false,
    };
    if let Some(e) = m.get("error") {
        // An error without an id answers the request it failed to parse: ours.
        if matches || matches!(m.get("id"), None | Some(Value::Null)) {
            return Some(parse_error(e));
        }
    }
    if matches {
        if m.get("method").is_some() {
            return None; // a server request that happens to reuse the id
        }
        return m.get("result").map(|r| Reply::Result(r.clone()));
    }
    None
}

fn parse_error(e: &Value) -> Reply {
    Reply::Error {
        code: e.get("code").and_then(Value::as_i64).unwrap_or(0),
        message: e.get("message").and_then(Value::as_str).unwrap_or("(no message)").to_string(),
        data: e.get("data").cloned(),
    }
}

/// A JSON-RPC request.
pub fn request(id: u64, method: &str, params: Option<Value>) -> Value {
    let mut m = json!({"jsonrpc": "2.0", "id": id, "method": method});
    if let (Some(p), Value::Object(map)) = (params, &mut m) {
        map.insert("params".into(), p);
    }
    m
}

/// A JSON-RPC notification.
pub fn notification(method: &str) -> Value {
    json!({"jsonrpc": "2.0", "method": method})
}

/// The `_meta` envelope every request carries in the stateless revisions (2026-07-28+).
pub fn envelope(protocol_version: &str) -> Value {
    json!({
        "io.modelcontextprotocol/protocolVersion": protocol_version,
        "io.modelcontextprotocol/clientInfo": {"name": "tooldraft", "version": crate::VERSION},
        "io.modelcontextprotocol/clientCapabilities": {},
    })
}

/// `params` with the envelope merged into its `_meta`.
pub fn with_envelope(params: Option<Value>, protocol_version: &str) -> Value {
    let mut p = match params {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let mut meta = match p.remove("_meta") {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    if let Value::Object(env) = envelope(protocol_version) {
        meta.extend(env);
    }
    p.insert("_meta".into(), Value::Object(meta));
    Value::Object(p)
}

/// A header value that mirrors a body value: plain when it is visible ASCII without
/// surrounding spaces, else the `=?base64?…?=` form the stateless revisions define.
pub fn mirror_header_value(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes().all(|b| (0x20..0x7f).contains(&b))
        && !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.starts_with("=?base64?");
    if plain {
        s.to_string()
    } else {
        format!("=?base64?{}?=", base64(s.as_bytes()))
    }
}

/// `Mcp-Param-*` headers for a tool's arguments: one per top-level property whose schema
/// names an `x-mcp-header`, for scalar values.
pub fn param_headers(input_schema: &Value, arguments: &Value) -> Vec<(String, String)> {
    let Some(props) = input_schema.get("properties").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, schema) in props {
        let Some(header) = schema.get("x-mcp-header").and_then(Value::as_str) else { continue };
        let valid = !header.is_empty() && header.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !valid {
            continue;
        }
        let value = match arguments.get(key) {
            Some(Value::String(s)) => mirror_header_value(s),
            Some(v @ (Value::Number(_) | Value::Bool(_))) => v.to_string(),
            _ => continue,
        };
        out.push((format!("Mcp-Param-{header}"), value));
    }
    out
}

/// Whether a protocol revision is one of the stateless ones (2026-07-28 and later).
pub fn is_stateless_revision(version: &str) -> bool {
    version >= "2026-07-28"
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn event_streams() {
        let s = "id: a\r\ndata: \r\n\r\n: comment\r\nevent: message\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\nretry: 10\n\ndata:x";
        assert_eq!(event_stream_data(s), vec!["{\"a\":\n1}".to_string(), "x".to_string()]);
        assert!(event_stream_data("data:\n\ndata: \n\n").is_empty());
    }

    #[test]
    fn finds_our_reply_among_other_messages() {
        let s = concat!(
            "data: \n\n",
            "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{}}\n\n",
            "data: {\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"sampling/createMessage\"}\n\n",
            "data: {\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"other\":true}}\n\n",
            "data: not json\n\n",
            "data: {\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"ok\":1}}\n\n",
        );
        assert_eq!(find_reply("text/event-stream", s, 3).unwrap(), Some(Reply::Result(json!({"ok": 1}))));
        assert_eq!(find_reply("text/event-stream", s, 9).unwrap(), None);
        let batch = r#"[{"jsonrpc":"2.0","id":1,"result":{}},{"jsonrpc":"2.0","id":"2","error":{"code":-32601,"message":"Method not found"}}]"#;
        assert_eq!(
            find_reply("application/json", batch, 2).unwrap(),
            Some(Reply::Error { code: -32601, message: "Method not found".into(), data: None })
        );
        let anonymous =
            r#"{"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"Bad Request: Server not initialized"}}"#;
        assert!(matches!(
            find_reply("application/json; charset=utf-8", anonymous, 5).unwrap(),
            Some(Reply::Error { code: -32000, .. })
        ));
        assert!(find_reply("text/html", "<html>nope</html>", 1).is_err());
        assert_eq!(find_reply("application/json", "", 1).unwrap(), None);
    }

    #[test]
    fn envelopes_and_headers() {
        let p = with_envelope(Some(json!({"name": "echo", "_meta": {"progressToken": 1}})), "2026-07-28");
        assert_eq!(p["name"], "echo");
        assert_eq!(p["_meta"]["progressToken"], 1);
        assert_eq!(p["_meta"]["io.modelcontextprotocol/protocolVersion"], "2026-07-28");
        assert_eq!(mirror_header_value("echo"), "echo");
        assert_eq!(mirror_header_value("héllo"), "=?base64?aMOpbGxv?=");
        assert_eq!(mirror_header_value("a\r\nb"), "=?base64?YQ0KYg==?=");
        let schema = json!({"properties": {"region": {"type": "string", "x-mcp-header": "Region"}, "n": {"x-mcp-header": "N"}, "o": {"x-mcp-header": "O"}, "bad": {"x-mcp-header": "a b"}}});
        assert_eq!(
            param_headers(&schema, &json!({"region": "eu", "n": 3, "o": {"x": 1}, "bad": "v"})),
            vec![("Mcp-Param-Region".to_string(), "eu".to_string()), ("Mcp-Param-N".to_string(), "3".to_string())]
        );
        assert!(is_stateless_revision("2026-07-28") && !is_stateless_revision("2025-11-25"));
    }
}
