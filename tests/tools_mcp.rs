//! McpClient and McpToolCaller against real MCP servers (started by
//! tests/servers/testbed.mjs): server-everything over Streamable HTTP, and server-memory
//! behind supergateway (stateful sessions, and its stateless 2026-07-28 front).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)] // test code: real servers, real time

mod support;
mod tools_support;

use serde_json::{json, Value};
use std::rc::Rc;
use support::NativeHost;
use tooldraft::doc::{Operation, Safety};
use tooldraft::tools::{McpClient, McpConfig, McpToolCaller, SafetyPolicy, ToolCaller};
use tools_support::{block_on, header, RecordingHost, Testbed};

const SERVERS: &[&str] = &["everything", "memory", "httpbin"];

fn bed() -> &'static Testbed {
    Testbed::shared(SERVERS)
}

fn client(url: &str) -> (Rc<RecordingHost<NativeHost>>, McpClient) {
    let host = Rc::new(RecordingHost::new(NativeHost::default()));
    let client = McpClient::new(host.clone(), McpConfig::new(url)).unwrap();
    (host, client)
}

fn tool_names(list: &Value) -> Vec<String> {
    list["tools"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap().to_string()).collect()
}

fn annotated(tool: &Value) -> Operation {
    let a = &tool["annotations"];
    Operation {
        id: tool["name"].as_str().unwrap().into(),
        name: tool["name"].as_str().unwrap().into(),
        safety: Safety {
            read_only: a["readOnlyHint"].as_bool(),
            destructive: a["destructiveHint"].as_bool(),
            idempotent: a["idempotentHint"].as_bool(),
        },
        ..Default::default()
    }
}

#[test]
fn server_everything_session() {
    let (host, client) = client(bed().url("everything"));
    let info = block_on(client.connect()).unwrap();
    assert_eq!((info.protocol_version.as_str(), info.stateless, info.has_session), ("2025-11-25", false, true));
    assert_eq!(info.server_info.as_ref().unwrap()["name"], "mcp-servers/everything");

    let list = block_on(client.list_tools()).unwrap();
    let names = tool_names(&list);
    assert!((12..=16).contains(&names.len()), "{names:?}");
    for expected in ["echo", "get-sum", "get-tiny-image", "get-env"] {
        assert!(names.iter().any(|n| n == expected), "{expected} missing from {names:?}");
    }
    assert!(list["tools"][0]["inputSchema"].is_object());

    let echo = block_on(client.call_tool("echo", &json!({"message": "hello tooldraft"}), true)).unwrap();
    assert_eq!((echo.status, echo.is_error), (Some(200), false));
    assert_eq!(echo.body, "Echo: hello tooldraft");
    assert_eq!(echo.content_type.as_deref(), Some("text/event-stream"));

    let sum = block_on(client.call_tool("get-sum", &json!({"a": 2, "b": 40}), true)).unwrap();
    assert!(sum.body.contains("42"), "{}", sum.body);

    // A tool failure comes back as a result with isError, not a JSON-RPC error.
    let bad = block_on(client.call_tool("echo", &json!({"message": 5}), true)).unwrap();
    assert!(bad.is_error && !bad.is_success());
    assert!(bad.body.contains("Invalid arguments"), "{}", bad.body);

    // The testbed starts servers with a minimal environment: nothing of ours leaks to them.
    let env = block_on(client.call_tool("get-env", &json!({}), true)).unwrap();
    assert!(env.body.contains("\"HOME\"") && env.body.contains("NODE_OPTIONS"), "{}", env.body);
    assert!(!env.body.contains("CARGO") && !env.body.contains("RUST"), "{}", env.body);

    let image = block_on(client.call_tool("get-tiny-image", &json!({}), true)).unwrap();
    assert!(image.body.contains("<binary image image/png, ~"), "{}", image.body);
    let image_json = image.json.unwrap().to_string();
    assert!(!image_json.contains("iVBORw0KGgo"), "base64 payload left in the evidence");

    // Any other method: a JSON-RPC error names it.
    let e = block_on(client.request_raw("foo/bar", None)).unwrap_err();
    assert_eq!(e.code(), "ToolProtocolError");
    assert!(e.to_string().ends_with("foo/bar: JSON-RPC error -32601: Method not found"), "{e}");
    assert!(block_on(client.request_raw("resources/list", None)).unwrap()["resources"].is_array());

    // Every request after initialize carried the session id and the protocol version.
    let reqs = host.requests();
    let sid = header(&reqs[1], "mcp-session-id").unwrap().to_string();
    assert!(reqs[1..].iter().all(|r| header(r, "mcp-session-id") == Some(sid.as_str())));
    assert!(reqs[1..].iter().all(|r| header(r, "mcp-protocol-version") == Some("2025-11-25")));

    block_on(client.close()).unwrap();
    let delete = host.requests().pop().unwrap();
    assert_eq!((delete.method.as_str(), header(&delete, "mcp-session-id")), ("DELETE", Some(sid.as_str())));
    // The server forgot the session; the next call negotiates a new one.
    let again = block_on(client.call_tool("echo", &json!({"message": "again"}), true)).unwrap();
    assert_eq!(again.body, "Echo: again");
    let last = host.requests().pop().unwrap();
    assert_ne!(header(&last, "mcp-session-id"), Some(sid.as_str()));
    block_on(client.close()).unwrap();
}

#[test]
fn the_safety_policy_reads_mcp_annotations() {
    let (host, client) = client(bed().url("everything"));
    let client = Rc::new(client);
    let list = block_on(client.list_tools()).unwrap();
    let by_name = |n: &str| annotated(list["tools"].as_array().unwrap().iter().find(|t| t["name"] == n).unwrap());
    let caller = McpToolCaller::new(client.clone(), SafetyPolicy::default());
    assert!(caller.permits(&by_name("echo")).is_ok(), "readOnlyHint: true");
    let before = host.requests().len();
    let e = block_on(caller.call(&by_name("toggle-simulated-logging"), &json!({}))).unwrap_err();
    assert_eq!(e.code(), "PolicyDenied");
    assert_eq!(host.requests().len(), before, "a denied call sends nothing");
    let obs = block_on(caller.call(&by_name("echo"), &json!({"message": "policy ok"}))).unwrap();
    assert_eq!(obs.body, "Echo: policy ok");
    block_on(client.close()).unwrap();
}

/// A document that claims a tool of the real server is safer than the server says (or
/// stricter): the stricter hints apply, and the difference is described.
#[test]
fn the_live_server_everything_annotations_override_a_laxer_document() {
    let (host, client) = client(bed().url("everything"));
    let client = Rc::new(client);
    let list = block_on(client.list_tools()).unwrap();
    let tools = list["tools"].as_array().unwrap();
    let not_read_only = tools
        .iter()
        .find(|t| {
            t["annotations"]["readOnlyHint"] == json!(false) || t["annotations"]["destructiveHint"] == json!(true)
        })
        .expect("server-everything annotates a tool as not read-only");
    let mut claimed = annotated(not_read_only);
    claimed.safety = Safety { read_only: Some(true), destructive: Some(false), idempotent: Some(true) };
    let caller = McpToolCaller::new(client.clone(), SafetyPolicy::default());
    assert!(caller.permits(&claimed).is_ok(), "the document alone would allow {}", claimed.name);
    let note = block_on(caller.live_safety(&claimed)).expect("a difference");
    assert!(note.contains("the document says true, the server false"), "{note}");
    assert_eq!(caller.permits(&claimed).unwrap_err().code(), "PolicyDenied");
    let before = host.requests().len();
    assert_eq!(block_on(caller.call(&claimed, &json!({}))).unwrap_err().code(), "PolicyDenied");
    assert_eq!(host.requests().len(), before, "a denied call sends nothing");
    // The document stricter than the server: it stays stricter, and that is said too.
    let mut echo = annotated(tools.iter().find(|t| t["name"] == "echo").unwrap());
    assert_eq!(echo.safety.read_only, Some(true));
    echo.safety = Safety { read_only: Some(false), destructive: Some(true), idempotent: None };
    let note = block_on(caller.live_safety(&echo)).expect("a difference");
    assert!(note.contains("readOnlyHint: the document says false, the server true"), "{note}");
    assert_eq!(caller.permits(&echo).unwrap_err().code(), "PolicyDenied");
    block_on(client.close()).unwrap();
}

#[test]
fn server_memory_through_supergateway_keeps_state_in_its_session() {
    let (host, client) = client(bed().url("memory"));
    let client = Rc::new(client);
    let list = block_on(client.list_tools()).unwrap();
    assert_eq!(tool_names(&list).len(), 9, "{:?}", tool_names(&list));
    assert!(list["tools"].as_array().unwrap().iter().all(|t| t["outputSchema"].is_object()));
    let tool = |n: &str| annotated(list["tools"].as_array().unwrap().iter().find(|t| t["name"] == n).unwrap());

    let strict = McpToolCaller::new(client.clone(), SafetyPolicy::default());
    let create = tool("create_entities");
    let entity = json!({"entities": [{"name": "tooldraft-session-test", "entityType": "project", "observations": ["created by a test"]}]});
    assert_eq!(block_on(strict.call(&create, &entity)).unwrap_err().code(), "PolicyDenied");

    let writer = McpToolCaller::new(
        client.clone(),
        SafetyPolicy { allow_operations: vec!["create_entities".into()], ..Default::default() },
    );
    let created = block_on(writer.call(&create, &entity)).unwrap();
    assert!(!created.is_error, "{}", created.body);
    let read = block_on(strict.call(&tool("open_nodes"), &json!({"names": ["tooldraft-session-test"]}))).unwrap();
    assert!(read.body.contains("created by a test"), "{}", read.body);
    assert_eq!(read.json.unwrap()["structuredContent"]["entities"][0]["entityType"], "project");

    let sids: Vec<_> =
        host.requests().iter().skip(1).filter_map(|r| header(r, "mcp-session-id").map(String::from)).collect();
    assert!(!sids.is_empty() && sids.iter().all(|s| s == &sids[0]), "one session throughout");
    block_on(client.close()).unwrap();
}

#[test]
fn supergateway_stateless_front_with_a_pinned_2026_revision() {
    let host = Rc::new(RecordingHost::new(NativeHost::default()));
    let mut config = McpConfig::new(bed().url("memory"));
    config.protocol_version = Some("2026-07-28".into());
    let client = McpClient::new(host.clone(), config).unwrap();
    let info = block_on(client.connect()).unwrap();
    assert_eq!((info.protocol_version.as_str(), info.stateless, info.has_session), ("2026-07-28", true, false));
    let list = block_on(client.list_tools()).unwrap();
    assert_eq!(tool_names(&list).len(), 9);
    let graph = block_on(client.call_tool("read_graph", &json!({}), true)).unwrap();
    assert!(!graph.is_error, "{}", graph.body);
    assert!(graph.json.unwrap()["structuredContent"]["entities"].is_array());
    for r in host.requests() {
        assert_eq!(header(&r, "mcp-protocol-version"), Some("2026-07-28"));
        assert!(header(&r, "mcp-session-id").is_none());
        let body: Value = serde_json::from_slice(r.body.as_deref().unwrap()).unwrap();
        assert_eq!(header(&r, "mcp-method"), body["method"].as_str());
        assert_eq!(body["params"]["_meta"]["io.modelcontextprotocol/protocolVersion"], "2026-07-28");
    }
    let n = host.requests().len();
    block_on(client.close()).unwrap();
    assert_eq!(host.requests().len(), n, "no session to delete");
}

#[test]
fn a_url_that_is_not_mcp_gets_a_clear_error() {
    let (_, client) = client(&format!("{}/get", bed().url("httpbin")));
    let e = block_on(client.connect()).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("did not answer like an MCP Streamable HTTP endpoint (HTTP 405, text/html)"), "{text}");
    assert!(text.contains("supergateway --stdio"), "{text}");

    // The right server on the wrong path.
    let wrong = bed().url("everything").replace("/mcp", "/nope");
    let e = block_on(client_for(&wrong).connect()).unwrap_err();
    assert!(e.to_string().contains("(HTTP 404"), "{e}");

    // Nothing listening at all.
    let e = block_on(client_for("http://127.0.0.1:9/mcp").connect()).unwrap_err();
    assert_eq!(e.code(), "NetworkError", "{e}");
    assert!(e.to_string().starts_with("http://127.0.0.1:9/mcp: network error"), "{e}");
}

fn client_for(url: &str) -> McpClient {
    let mut config = McpConfig::new(url);
    config.retry = tooldraft::tools::RetryPolicy::none();
    McpClient::new(Rc::new(NativeHost::default()), config).unwrap()
}
