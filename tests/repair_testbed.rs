//! Schema repair against a real tool: MCP server-everything (started by
//! tests/servers/testbed.mjs on 127.0.0.1) with defects planted in its own `tools/list`:
//! `get-structured-content` loses the enum of `location`, `echo` loses `required: ["message"]`.
//! A weak model whose every call fails is driving; the schema-driven calls and the tool's
//! own errors must put back exactly what the server declares.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)] // test code: real servers, real time

mod support;
mod tools_support;

use async_trait::async_trait;
use serde_json::{json, Value};
use std::rc::Rc;
use support::NativeHost;
use tooldraft::doc::{formats, Format};
use tooldraft::llm::{ChatModel, ChatRequest, ChatResponse, LlmError};
use tooldraft::refine::repair::{ChangeKind, ChangeStatus};
use tooldraft::refine::{RefineConfig, Refiner, RunOptions};
use tooldraft::tools::{McpClient, McpConfig, McpToolCaller, SafetyPolicy};
use tools_support::{block_on, Testbed};

/// A model that always proposes arguments the documented schema allows and the tool refuses.
struct WeakModel;

#[async_trait(?Send)]
impl ChatModel for WeakModel {
    async fn chat(&self, r: &ChatRequest) -> Result<ChatResponse, LlmError> {
        let prompt: String = r.messages.iter().map(|m| m.content.as_str()).collect();
        let content = match r.purpose.as_str() {
            "explorer" if prompt.contains("Operation: get-structured-content") => {
                json!({"query": "What is the weather in Paris?", "arguments": {"location": "Paris"}})
            }
            "explorer" => json!({"query": "Say something", "arguments": {}}),
            "analyzer" => json!({"mismatches": [], "missing": [], "suggestions": []}),
            _ => json!({"description": "The new operation description", "parameters": {}, "nextDirection": ""}),
        };
        Ok(ChatResponse { content: content.to_string(), usage: Default::default(), model: None })
    }
}

#[test]
fn evidence_repairs_defects_planted_in_server_everythings_schemas() {
    let bed = Testbed::start(&["everything"]);
    let host = Rc::new(NativeHost::default());
    let client = Rc::new(McpClient::new(host.clone(), McpConfig::new(bed.url("everything"))).unwrap());
    let truth = block_on(client.list_tools()).unwrap();
    let schema_of = |list: &Value, name: &str| {
        list["tools"].as_array().unwrap().iter().find(|t| t["name"] == name).unwrap()["inputSchema"].clone()
    };
    let mut planted = truth.clone();
    for tool in planted["tools"].as_array_mut().unwrap() {
        match tool["name"].as_str() {
            Some("get-structured-content") => {
                tool["inputSchema"]["properties"]["location"].as_object_mut().unwrap().remove("enum");
            }
            Some("echo") => {
                tool["inputSchema"].as_object_mut().unwrap().remove("required");
            }
            _ => {}
        }
    }
    let doc = formats::import(&planted.to_string(), Some(Format::Mcp)).unwrap();
    let config = RefineConfig {
        only: vec!["echo".into(), "get-structured-content".into()],
        max_episodes: 2,
        summarize_tools: false,
        ..Default::default()
    };
    let caller = Rc::new(McpToolCaller::new(client.clone(), SafetyPolicy::default()));
    let refiner = Refiner::new(Rc::new(WeakModel), caller, host, None, config);
    let out = block_on(refiner.run(&doc, RunOptions::default())).unwrap();

    let report = |id: &str| out.report.operations.iter().find(|o| o.id == id).unwrap();
    for id in ["echo", "get-structured-content"] {
        let o = report(id);
        assert!(o.trails.iter().filter(|t| !t.schema_driven).all(|t| !t.succeeded()), "{id}: the model's calls fail");
        assert!(o.trails.iter().any(|t| t.schema_driven && t.succeeded()), "{id}: a schema-driven call works");
    }
    let change = |id: &str, kind: ChangeKind| {
        let o = report(id);
        o.schema_changes
            .iter()
            .find(|c| c.kind == kind && c.status == ChangeStatus::Applied)
            .unwrap_or_else(|| panic!("{id}: no applied {kind:?} in {:#?}", o.schema_changes))
            .clone()
    };
    let e = change("get-structured-content", ChangeKind::Enum);
    assert_eq!(e.parameter.as_deref(), Some("location"));
    assert_eq!(e.after, schema_of(&truth, "get-structured-content")["properties"]["location"]["enum"]);
    let r = change("echo", ChangeKind::Required);
    assert_eq!(r.parameter.as_deref(), Some("message"));
    for c in [&e, &r] {
        assert!(!c.trails.is_empty(), "{c:?}");
    }

    let exported: Value = serde_json::from_str(&formats::export(&out.doc, Format::Mcp).unwrap().text).unwrap();
    for name in ["echo", "get-structured-content"] {
        let (got, want) = (schema_of(&exported, name), schema_of(&truth, name));
        assert_eq!(got["required"], want["required"], "{name}");
        for (p, s) in want["properties"].as_object().unwrap() {
            assert_eq!(got["properties"][p]["enum"], s["enum"], "{name}.{p}");
            assert_eq!(got["properties"][p]["type"], s["type"], "{name}.{p}");
        }
    }
    block_on(client.close()).unwrap();
}
