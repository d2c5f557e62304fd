//! The Anthropic provider, the embeddings client and the provider config over the fake host.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod llm_fake;

use llm_fake::{block_on, json, FakeHost};
use serde_json::json;
use std::rc::Rc;
use tooldraft::host::HostError;
use tooldraft::llm::structured::complete_json;
use tooldraft::llm::{
    Anthropic, AnthropicConfig, ChatMessage, ChatModel, ChatRequest, EmbeddingsConfig, LlmConfig, OpenAiEmbeddings,
    OutputSchema, StructuredMode,
};
use tooldraft::similarity::Embedder;

const KEY: &str = "sk-ant-api03-SECRETSECRET";

fn provider(host: &Rc<FakeHost>) -> Anthropic {
    let mut c = AnthropicConfig::new("claude-test", KEY).base_url("http://127.0.0.1:9/");
    c.temperature = Some(0.3);
    c.top_p = Some(0.8);
    Anthropic::new(c, host.clone())
}

fn schema() -> OutputSchema {
    OutputSchema {
        name: "rewriter.output".into(),
        schema: json!({"type": "object", "required": ["description"], "properties": {"description": {"type": "string"}}}),
    }
}

fn message(content: serde_json::Value) -> Result<tooldraft::host::HttpResponse, HostError> {
    json(
        200,
        json!({"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-test", "content": content,
               "stop_reason": "end_turn",
               "usage": {"input_tokens": 40, "output_tokens": 9, "cache_read_input_tokens": 2}}),
    )
}

fn request() -> ChatRequest {
    let mut r = ChatRequest::new(
        "rewriter",
        vec![
            ChatMessage::system("You rewrite docs."),
            ChatMessage::system("Be brief."),
            ChatMessage::user("Here is the doc."),
            ChatMessage::user("And the evidence."),
            ChatMessage::assistant("{\"description\": 1}"),
            ChatMessage::user("Fix it."),
        ],
    );
    r.schema = Some(schema());
    r
}

#[test]
fn builds_a_messages_request_with_a_forced_tool() {
    let host = Rc::new(FakeHost::with_queue(vec![message(
        json!([{"type": "tool_use", "id": "t1", "name": "rewriter_output", "input": {"description": "Gets the weather."}}]),
    )]));
    let p = provider(&host);
    assert_eq!(p.endpoint(), "http://127.0.0.1:9/v1/messages");
    let resp = block_on(p.chat(&request())).unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&resp.content).unwrap(),
        json!({"description": "Gets the weather."})
    );
    assert_eq!((resp.usage.prompt_tokens, resp.usage.completion_tokens), (42, 9));

    let req = &host.requests.borrow()[0];
    let h = |n: &str| req.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(n)).map(|(_, v)| v.clone());
    assert_eq!(h("x-api-key").as_deref(), Some(KEY));
    assert_eq!(h("anthropic-version").as_deref(), Some("2023-06-01"));
    assert_eq!(h("anthropic-dangerous-direct-browser-access").as_deref(), Some("true"));
    assert_eq!(h("authorization"), None);
    let body = host.body_json(0);
    assert_eq!(body["system"], "You rewrite docs.\n\nBe brief.");
    assert_eq!(
        body["messages"],
        json!([
            {"role": "user", "content": "Here is the doc.\n\nAnd the evidence."},
            {"role": "assistant", "content": "{\"description\": 1}"},
            {"role": "user", "content": "Fix it."}
        ])
    );
    assert_eq!(body["max_tokens"], 4096);
    assert_eq!(body["temperature"], 0.3);
    assert!(body.get("top_p").is_none(), "only one of temperature and top_p is sent");
    assert_eq!(body["tools"][0]["name"], "rewriter_output");
    assert_eq!(body["tools"][0]["input_schema"], schema().schema);
    assert_eq!(body["tool_choice"], json!({"type": "tool", "name": "rewriter_output"}));
}

#[test]
fn falls_back_to_instructions_when_tools_are_refused_and_remembers() {
    let host = Rc::new(FakeHost::with_queue(vec![
        json(
            400,
            json!({"type": "error", "error": {"type": "invalid_request_error", "message": "tools.0.input_schema: unsupported"}}),
        ),
        message(json!([{"type": "text", "text": "{\"description\": \"Lists pets.\"}"}])),
        message(json!([{"type": "text", "text": "{\"description\": \"Again.\"}"}])),
    ]));
    let p = provider(&host);
    let a = block_on(complete_json(&p, &request())).unwrap();
    assert_eq!(a.value, json!({"description": "Lists pets."}));
    assert_eq!(p.structured_mode(), StructuredMode::Instructions);
    let body = host.body_json(1);
    assert!(body.get("tools").is_none() && body.get("tool_choice").is_none());
    assert!(body["system"].as_str().unwrap().contains("JSON Schema"));
    block_on(complete_json(&p, &request())).unwrap();
    assert_eq!(host.request_count(), 3);
}

#[test]
fn non_object_schemas_and_plain_requests_use_text() {
    let host = Rc::new(FakeHost::with_queue(vec![
        message(json!([{"type": "text", "text": "[\"a\", \"b\"]"}])),
        message(json!([{"type": "text", "text": "Hello "}, {"type": "text", "text": "there."}])),
    ]));
    let p = provider(&host);
    let mut r = ChatRequest::new("x", vec![ChatMessage::assistant("previous"), ChatMessage::user("list")]);
    r.schema =
        Some(OutputSchema { name: "list".into(), schema: json!({"type": "array", "items": {"type": "string"}}) });
    assert_eq!(block_on(complete_json(&p, &r)).unwrap().value, json!(["a", "b"]));
    let body = host.body_json(0);
    assert!(body.get("tools").is_none());
    assert_eq!(body["messages"][0], json!({"role": "user", "content": "Continue."}), "turns must start with the user");
    let plain = block_on(p.chat(&ChatRequest::new("x", vec![ChatMessage::user("hi")]))).unwrap();
    assert_eq!(plain.content, "Hello there.");
    assert!(host.body_json(1).get("system").is_none());
}

#[test]
fn anthropic_errors_name_the_endpoint_and_hide_the_key() {
    let host = Rc::new(FakeHost::with_queue(vec![
        json(
            401,
            json!({"type": "error", "error": {"type": "authentication_error", "message": format!("invalid x-api-key {KEY}")}}),
        ),
        json(529, json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})),
        json(529, json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})),
        json(529, json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})),
        message(json!("not a list")),
    ]));
    let p = provider(&host);
    let r = ChatRequest::new("x", vec![ChatMessage::user("hi")]);
    let e = block_on(p.chat(&r)).unwrap_err();
    assert_eq!(e.code(), "LlmUnauthorized");
    assert_eq!(e.to_string(), "http://127.0.0.1:9/v1/messages answered HTTP 401: invalid x-api-key [redacted]");
    let e = block_on(p.chat(&r)).unwrap_err();
    assert_eq!(e.to_string(), "http://127.0.0.1:9/v1/messages answered HTTP 529: Overloaded");
    assert_eq!(host.sleeps.borrow().len(), 2, "529 is retried like any 5xx");
    let e = block_on(p.chat(&r)).unwrap_err();
    assert_eq!(e.code(), "LlmBadResponse");
    let dbg = format!("{:?}", AnthropicConfig::new("m", KEY));
    assert!(!dbg.contains(KEY));
}

#[test]
fn base_urls_ending_in_v1_are_not_doubled() {
    let host = Rc::new(FakeHost::new());
    let c = AnthropicConfig::new("m", "k").base_url("https://proxy.example.com/anthropic/v1/");
    assert_eq!(Anthropic::new(c, host).endpoint(), "https://proxy.example.com/anthropic/v1/messages");
}

#[test]
fn embeddings_batch_reorder_and_validate() {
    let host = Rc::new(FakeHost::with_handler(|req, _| {
        let body: serde_json::Value = serde_json::from_slice(req.body.as_deref().unwrap()).unwrap();
        let inputs = body["input"].as_array().unwrap().clone();
        // Answer in reverse order, each vector [len, index-in-batch].
        let data: Vec<_> = inputs
            .iter()
            .enumerate()
            .rev()
            .map(|(i, t)| json!({"index": i, "embedding": [t.as_str().unwrap().len() as f64, i as f64]}))
            .collect();
        json(200, json!({"data": data, "usage": {"prompt_tokens": inputs.len()}}))
    }));
    let mut c = EmbeddingsConfig::new("http://127.0.0.1:9/v1", "embed-1");
    c.batch_size = 2;
    c.api_key = Some("emb-key-123".into());
    c.dimensions = Some(2);
    let e = OpenAiEmbeddings::new(c, host.clone());
    assert_eq!(e.endpoint(), "http://127.0.0.1:9/v1/embeddings");
    let texts: Vec<String> = ["a", "bb", "ccc"].iter().map(|s| s.to_string()).collect();
    let vectors = block_on(e.embed(&texts)).unwrap();
    assert_eq!(vectors, vec![vec![1.0, 0.0], vec![2.0, 1.0], vec![3.0, 0.0]]);
    assert_eq!(host.request_count(), 2);
    assert_eq!(host.body_json(0), json!({"model": "embed-1", "input": ["a", "bb"], "dimensions": 2}));
    assert_eq!(e.usage().prompt_tokens, 3);

    let bad = Rc::new(FakeHost::with_queue(vec![json(200, json!({"data": [{"index": 5, "embedding": [1]}]}))]));
    let e = OpenAiEmbeddings::new(EmbeddingsConfig::new("http://127.0.0.1:9/v1", "m"), bad);
    let err = block_on(e.embed(&["x".to_string()])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "embeddings answer could not be used: http://127.0.0.1:9/v1/embeddings sent an answer that could not be read: item 0 has index 5 out of range"
    );
    let short = Rc::new(FakeHost::with_queue(vec![json(200, json!({"data": [{"index": 0, "embedding": [1]}]}))]));
    let e = OpenAiEmbeddings::new(EmbeddingsConfig::new("http://127.0.0.1:9/v1", "m"), short);
    let err = block_on(e.embed(&["x".to_string(), "y".to_string()])).unwrap_err();
    assert!(err.to_string().ends_with("1 embeddings for 2 inputs"), "{err}");
}

#[test]
fn llm_config_deserialises_builds_and_keeps_secrets_out() {
    let c: LlmConfig = serde_json::from_value(json!({
        "provider": "anthropic", "model": "claude-x", "apiKey": KEY, "headers": {"X-Proxy-Auth": "proxy-secret"},
        "retry": {"maxAttempts": 5}
    }))
    .unwrap();
    assert_eq!(c.endpoint(), "https://api.anthropic.com/v1/messages");
    assert_eq!(c.model(), "claude-x");
    assert_eq!(c.secrets(), vec![KEY.to_string(), "proxy-secret".to_string()]);
    let LlmConfig::Anthropic(a) = &c else { panic!("anthropic expected") };
    assert_eq!(a.retry.max_attempts, 5);
    assert_eq!(a.retry.base_delay_ms, 500, "unset retry fields keep their defaults");
    let shown = format!("{c:?} {}", serde_json::to_string(&c).unwrap());
    assert!(!shown.contains(KEY) && !shown.contains("proxy-secret"), "{shown}");

    let o: LlmConfig =
        serde_json::from_value(json!({"provider": "openai", "baseUrl": "http://127.0.0.1:9/v1", "model": "m",
        "concurrency": 2, "requestsPerMinute": 30, "structured": "jsonObject", "timeoutMs": 500}))
        .unwrap();
    let LlmConfig::OpenAi(oc) = &o else { panic!("openai expected") };
    assert_eq!(
        (oc.concurrency, oc.requests_per_minute, oc.structured, oc.timeout_ms),
        (Some(2), Some(30), StructuredMode::JsonObject, 500)
    );
    let host = Rc::new(FakeHost::with_queue(vec![llm_fake::json(429, json!({})), llm_fake::completion("fine")]));
    let seen = Rc::new(std::cell::RefCell::new(Vec::new()));
    let sink = seen.clone();
    let model = o.build_observed(host.clone(), Rc::new(move |n| sink.borrow_mut().push(n.reason.clone())));
    assert_eq!(block_on(model.chat(&ChatRequest::new("x", vec![ChatMessage::user("q")]))).unwrap().content, "fine");
    assert_eq!(host.requests.borrow()[0].timeout_ms, Some(500));
    assert_eq!(*seen.borrow(), vec!["HTTP 429".to_string()]);
    assert!(serde_json::from_value::<LlmConfig>(json!({"provider": "cohere", "model": "m"})).is_err());
}
