//! The providers over the in-memory fake host: request shapes, every fault path, the
//! structured-output fallbacks, Retry-After, and that no key ever shows in an error.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod llm_fake;

use llm_fake::{block_on, completion, json, text, FakeHost};
use serde_json::json;
use std::rc::Rc;
use tooldraft::host::HostError;
use tooldraft::llm::structured::complete_json;
use tooldraft::llm::{
    ChatMessage, ChatModel, ChatRequest, LlmError, OpenAiCompatible, OpenAiConfig, OutputSchema, StructuredMode,
};
use tooldraft::net::RetryPolicy;

type Answer = Result<tooldraft::host::HttpResponse, HostError>;

const KEY: &str = "sk-test-SECRET-0123456789";

fn config() -> OpenAiConfig {
    let mut c = OpenAiConfig::new("http://127.0.0.1:9/v1/", "m-1").api_key(KEY);
    c.temperature = Some(0.2);
    c.max_tokens = Some(300);
    c.timeout_ms = 4_000;
    c.headers.insert("X-Team".into(), "team-token-abcdef".into());
    c
}

fn provider(host: &Rc<FakeHost>, c: OpenAiConfig) -> OpenAiCompatible {
    OpenAiCompatible::new(c, host.clone())
}

fn schema() -> OutputSchema {
    OutputSchema {
        name: "explorer output".into(),
        schema: json!({"type": "object", "required": ["query"], "properties": {"query": {"type": "string"}}}),
    }
}

fn structured_request() -> ChatRequest {
    let mut r =
        ChatRequest::new("explorer", vec![ChatMessage::system("You explore."), ChatMessage::user("Try the tool.")]);
    r.schema = Some(schema());
    r
}

fn header<'a>(req: &'a tooldraft::host::HttpRequest, name: &str) -> Option<&'a str> {
    req.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

fn assert_no_secret(e: &LlmError) {
    let shown = format!("{e} {e:?} {}", serde_json::to_string(e).unwrap());
    assert!(!shown.contains(KEY), "key leaked: {shown}");
    assert!(!shown.contains("team-token-abcdef"), "header secret leaked: {shown}");
}

fn reject(message: &str) -> Result<tooldraft::host::HttpResponse, HostError> {
    json(400, json!({"error": {"message": message, "type": "invalid_request_error", "param": "response_format"}}))
}

#[test]
fn sends_an_openai_request_and_reads_content_usage_and_model() {
    let host = Rc::new(FakeHost::with_queue(vec![completion(r#"{"query": "hi"}"#)]));
    let p = provider(&host, config());
    let resp = block_on(p.chat(&structured_request())).unwrap();
    assert_eq!(resp.content, r#"{"query": "hi"}"#);
    assert_eq!((resp.usage.prompt_tokens, resp.usage.completion_tokens), (10, 5));
    assert_eq!(resp.model.as_deref(), Some("fake-model"));

    let reqs = host.requests.borrow();
    assert_eq!(reqs[0].url, "http://127.0.0.1:9/v1/chat/completions");
    assert_eq!(reqs[0].method.as_str(), "POST");
    assert_eq!(reqs[0].timeout_ms, Some(4_000));
    assert_eq!(header(&reqs[0], "authorization"), Some(format!("Bearer {KEY}").as_str()));
    assert_eq!(header(&reqs[0], "x-team"), Some("team-token-abcdef"));
    assert_eq!(header(&reqs[0], "content-type"), Some("application/json"));
    drop(reqs);
    let body = host.body_json(0);
    assert_eq!(body["model"], "m-1");
    assert_eq!(body["temperature"], 0.2);
    assert_eq!(body["max_tokens"], 300);
    assert_eq!(body["messages"][0], json!({"role": "system", "content": "You explore."}));
    assert_eq!(body["response_format"]["type"], "json_schema");
    assert_eq!(body["response_format"]["json_schema"]["name"], "explorer_output");
    assert_eq!(body["response_format"]["json_schema"]["schema"], schema().schema);
    assert!(body["response_format"]["json_schema"].get("strict").is_none());
    assert!(!body.to_string().contains("explorer\""), "purpose is never sent: {body}");
}

#[test]
fn request_settings_override_the_config_and_no_schema_means_no_response_format() {
    let host = Rc::new(FakeHost::with_queue(vec![completion("plain")]));
    let mut c = config();
    c.strict = Some(true);
    c.top_p = Some(0.9);
    let p = provider(&host, c);
    let mut r = ChatRequest::new("summarizer", vec![ChatMessage::user("hi")]);
    r.temperature = Some(0.7);
    r.max_tokens = Some(12);
    block_on(p.chat(&r)).unwrap();
    let body = host.body_json(0);
    assert_eq!(
        (body["temperature"].as_f64(), body["top_p"].as_f64(), body["max_tokens"].as_u64()),
        (Some(0.7), Some(0.9), Some(12))
    );
    assert!(body.get("response_format").is_none());
}

#[test]
fn falls_back_json_schema_then_json_object_then_instructions_and_remembers() {
    let host = Rc::new(FakeHost::with_queue(vec![
        reject("Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model."),
        reject("'response_format.type' must be 'json_schema' or 'text'"),
        completion(r#"{"query": "a"}"#),
        completion(r#"{"query": "b"}"#),
    ]));
    let p = provider(&host, config());
    assert_eq!(p.structured_mode(), StructuredMode::Native);
    let first = block_on(complete_json(&p, &structured_request())).unwrap();
    assert_eq!(first.value, json!({"query": "a"}));
    assert_eq!(first.calls, 1, "fallbacks are not corrective retries");
    assert_eq!(p.structured_mode(), StructuredMode::Instructions);

    let b0 = host.body_json(0);
    assert_eq!(b0["response_format"]["type"], "json_schema");
    let b1 = host.body_json(1);
    assert_eq!(b1["response_format"], json!({"type": "json_object"}));
    let sys1 = b1["messages"][0]["content"].as_str().unwrap();
    assert!(sys1.starts_with("You explore.") && sys1.contains("JSON Schema") && sys1.contains("\"query\""), "{sys1}");
    let b2 = host.body_json(2);
    assert!(b2.get("response_format").is_none());
    assert!(b2["messages"][0]["content"].as_str().unwrap().contains("```json"));
    assert_eq!(b2["messages"].as_array().unwrap().len(), 2, "instructions join the system message");

    // Remembered: the next call goes straight to instructions.
    block_on(complete_json(&p, &structured_request())).unwrap();
    assert_eq!(host.request_count(), 4);
    assert!(host.body_json(3).get("response_format").is_none());
    assert!(host.sleeps.borrow().is_empty(), "a refusal is adapted to at once");
}

#[test]
fn a_schema_is_put_in_a_new_system_message_when_there_is_none() {
    let host = Rc::new(FakeHost::with_queue(vec![completion(r#"{"query": "x"}"#)]));
    let mut c = config();
    c.structured = StructuredMode::Instructions;
    let p = provider(&host, c);
    let mut r = ChatRequest::new("explorer", vec![ChatMessage::user("go")]);
    r.schema = Some(schema());
    block_on(p.chat(&r)).unwrap();
    let body = host.body_json(0);
    assert_eq!(body["messages"][0]["role"], "system");
    assert_eq!(body["messages"][1], json!({"role": "user", "content": "go"}));
}

#[test]
fn a_400_not_about_the_format_is_an_error_and_changes_nothing() {
    let host = Rc::new(FakeHost::with_queue(vec![
        json(400, json!({"error": {"message": "The model `m-1` does not exist", "type": "invalid_request_error"}})),
        completion("never read"),
    ]));
    let p = provider(&host, config());
    let e = block_on(p.chat(&structured_request())).unwrap_err();
    assert_eq!(e.code(), "LlmHttpError");
    assert_eq!(
        e.to_string(),
        "http://127.0.0.1:9/v1/chat/completions answered HTTP 400: The model `m-1` does not exist"
    );
    assert_eq!(host.request_count(), 1);
    assert_eq!(p.structured_mode(), StructuredMode::Native);
}

#[test]
fn learns_max_completion_tokens_and_dropping_sampling() {
    let host = Rc::new(FakeHost::with_queue(vec![
        json(
            400,
            json!({"error": {"message": "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead."}}),
        ),
        json(
            400,
            json!({"error": {"message": "Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported."}}),
        ),
        completion("ok"),
    ]));
    let p = provider(&host, config());
    let r = ChatRequest::new("analyzer", vec![ChatMessage::user("hi")]);
    assert_eq!(block_on(p.chat(&r)).unwrap().content, "ok");
    let last = host.body_json(2);
    assert_eq!(last["max_completion_tokens"], 300);
    assert!(last.get("max_tokens").is_none() && last.get("temperature").is_none());
}

#[test]
fn honours_retry_after_on_429_through_the_hosts_sleep() {
    let host = Rc::new(FakeHost::with_queue(vec![
        text(429, r#"{"error": {"message": "Rate limit reached"}}"#, &[("Retry-After", "3")]),
        text(503, "busy", &[]),
        completion("done"),
    ]));
    host.random_value.set(0.0);
    let mut c = config();
    c.retry = RetryPolicy { base_delay_ms: 400, ..RetryPolicy::default() };
    let p = provider(&host, c);
    let resp = block_on(p.chat(&ChatRequest::new("explorer", vec![ChatMessage::user("x")]))).unwrap();
    assert_eq!(resp.content, "done");
    assert_eq!(*host.sleeps.borrow(), vec![3000, 400], "Retry-After, then backoff (2nd retry: 800 halved by jitter 0)");
}

#[test]
fn exhausted_retries_and_every_fault_give_clear_errors() {
    let cases: Vec<(Vec<Answer>, &str, &str)> = vec![
        (
            vec![text(500, "", &[]), text(500, "", &[]), json(500, json!({"error": {"message": "The server had an error"}}))],
            "LlmHttpError",
            "http://127.0.0.1:9/v1/chat/completions answered HTTP 500: The server had an error",
        ),
        (
            vec![
                text(502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", &[]),
                text(502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", &[]),
                text(502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", &[("content-type", "text/html")]),
            ],
            "LlmHttpError",
            "http://127.0.0.1:9/v1/chat/completions answered HTTP 502: an HTML page (502 Bad Gateway)",
        ),
        (
            vec![text(200, "<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>", &[("content-type", "text/html")])],
            "LlmBadResponse",
            "http://127.0.0.1:9/v1/chat/completions sent an answer that could not be read: the body is not JSON (text/html): an HTML page (Welcome to nginx!)",
        ),
        (
            vec![text(200, r#"{"id": "x", "choices": [{"message": {"ro"#, &[])],
            "LlmBadResponse",
            "http://127.0.0.1:9/v1/chat/completions sent an answer that could not be read: the body is not JSON (no content type): {\"id\": \"x\", \"choices\": [{\"message\": {\"ro",
        ),
        (
            vec![json(200, json!({"choices": [], "usage": {"prompt_tokens": 1}}))],
            "LlmBadResponse",
            "http://127.0.0.1:9/v1/chat/completions sent an answer that could not be read: the answer has no choices (empty list)",
        ),
        (
            vec![json(200, json!({"object": "list"}))],
            "LlmBadResponse",
            "http://127.0.0.1:9/v1/chat/completions sent an answer that could not be read: the answer has no `choices`",
        ),
        (
            vec![json(200, json!({"error": {"message": "upstream overloaded"}}))],
            "LlmBadResponse",
            "http://127.0.0.1:9/v1/chat/completions sent an answer that could not be read: the answer is an error: upstream overloaded",
        ),
        (
            vec![json(200, json!({"choices": [{"message": {"role": "assistant", "content": null, "refusal": "I can't help with that."}}]}))],
            "LlmBadResponse",
            "http://127.0.0.1:9/v1/chat/completions sent an answer that could not be read: the model refused: I can't help with that.",
        ),
        (
            vec![json(401, json!({"error": {"message": format!("Incorrect API key provided: {KEY}. You can find your API key at https://platform.openai.com.")}}))],
            "LlmUnauthorized",
            "http://127.0.0.1:9/v1/chat/completions answered HTTP 401: Incorrect API key provided: [redacted]. You can find your API key at https://platform.openai.com.",
        ),
        (
            vec![json(404, json!({"detail": "Not Found"}))],
            "LlmHttpError",
            "http://127.0.0.1:9/v1/chat/completions answered HTTP 404: Not Found",
        ),
        (
            vec![Err(HostError::Network { message: "connection refused".into() }); 3],
            "NetworkError",
            "http://127.0.0.1:9/v1/chat/completions: network error: connection refused",
        ),
        (
            vec![Err(HostError::Timeout { ms: 4000 }); 3],
            "Timeout",
            "http://127.0.0.1:9/v1/chat/completions: timed out after 4000 ms",
        ),
        (
            vec![Err(HostError::Network { message: format!("POST failed with header Bearer {KEY}") }); 3],
            "NetworkError",
            "http://127.0.0.1:9/v1/chat/completions: network error: POST failed with header Bearer [redacted]",
        ),
    ];
    for (answers, code, message) in cases {
        let n = answers.len();
        let host = Rc::new(FakeHost::with_queue(answers));
        let p = provider(&host, config());
        let e = block_on(p.chat(&ChatRequest::new("explorer", vec![ChatMessage::user("x")]))).unwrap_err();
        assert_eq!((e.code(), e.to_string().as_str()), (code, message));
        assert_eq!(host.request_count(), n, "{message}");
        assert_no_secret(&e);
    }
}

#[test]
fn cancellation_is_reported_as_cancelled() {
    let host = Rc::new(FakeHost::with_queue(vec![text(503, "", &[]), completion("x")]));
    host.cancel_after.set(Some(1));
    let p = provider(&host, config());
    let e = block_on(p.chat(&ChatRequest::new("explorer", vec![ChatMessage::user("x")]))).unwrap_err();
    assert_eq!(e, LlmError::Cancelled);
    assert_eq!(e.code(), "Aborted");
}

#[test]
fn the_endpoint_label_drops_credentials_and_query_and_the_config_hides_the_key() {
    let host = Rc::new(FakeHost::with_queue(vec![json(500, json!({}))]));
    let mut c = config();
    c.base_url = "https://user:pa55word@llm.example.com/v1?api-key=q-secret".into();
    c.retry = RetryPolicy::none();
    let p = provider(&host, c.clone());
    assert_eq!(p.endpoint(), "https://llm.example.com/v1/chat/completions");
    let e = block_on(p.chat(&ChatRequest::new("x", vec![ChatMessage::user("x")]))).unwrap_err();
    let shown = e.to_string();
    assert!(!shown.contains("pa55word") && !shown.contains("q-secret"), "{shown}");
    let dbg = format!("{c:?}");
    assert!(!dbg.contains(KEY) && !dbg.contains("team-token") && !dbg.contains("pa55word"), "{dbg}");
    let ser = serde_json::to_string(&c).unwrap();
    assert!(!ser.contains(KEY) && !ser.contains("team-token"), "{ser}");
}

#[test]
fn reads_content_parts_and_tool_call_arguments() {
    let host = Rc::new(FakeHost::with_queue(vec![
        json(
            200,
            json!({"choices": [{"message": {"content": [{"type": "text", "text": "{\"query\":"}, {"type": "text", "text": " \"p\"}"}]}}]}),
        ),
        json(
            200,
            json!({"choices": [{"message": {"content": null, "tool_calls": [{"function": {"name": "x", "arguments": "{\"query\": \"t\"}"}}]}}]}),
        ),
    ]));
    let p = provider(&host, config());
    let r = ChatRequest::new("x", vec![ChatMessage::user("x")]);
    assert_eq!(block_on(p.chat(&r)).unwrap().content, r#"{"query": "p"}"#);
    let resp = block_on(p.chat(&r)).unwrap();
    assert_eq!(resp.content, r#"{"query": "t"}"#);
    assert_eq!(resp.usage.total(), 0, "no usage reported means zero, not a guess");
}

#[test]
fn corrective_retry_names_the_problem_and_sums_usage() {
    let host = Rc::new(FakeHost::with_queue(vec![
        completion(r#"{"query": 42}"#),
        completion("```json\n{\"query\": \"forty-two\"}\n```"),
    ]));
    let p = provider(&host, config());
    let answer = block_on(complete_json(&p, &structured_request())).unwrap();
    assert_eq!(answer.value, json!({"query": "forty-two"}));
    assert_eq!(answer.calls, 2);
    assert_eq!((answer.usage.prompt_tokens, answer.usage.completion_tokens), (20, 10));
    let second = host.body_json(1);
    let msgs = second["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 4);
    assert_eq!(msgs[2], json!({"role": "assistant", "content": "{\"query\": 42}"}));
    let correction = msgs[3]["content"].as_str().unwrap();
    insta::assert_snapshot!("corrective_message", correction);
}

#[test]
fn two_unusable_answers_end_in_invalid_output() {
    let host = Rc::new(FakeHost::with_queue(vec![
        completion("I would rather explain in prose."),
        completion("Still prose, sorry."),
    ]));
    let p = provider(&host, config());
    let e = block_on(complete_json(&p, &structured_request())).unwrap_err();
    assert_eq!(e.code(), "LlmInvalidOutput");
    assert_eq!(
        e.to_string(),
        "the model's output did not fit the explorer output schema: the answer contains no JSON object, only prose (it begins: \"Still prose, sorry.\")"
    );
    assert_eq!(host.request_count(), 2);
}

#[test]
fn a_transport_error_on_the_corrective_retry_is_returned_as_is() {
    let mut c = config();
    c.retry = RetryPolicy::none();
    let host = Rc::new(FakeHost::with_queue(vec![completion("nope"), Err(HostError::Timeout { ms: 4000 })]));
    let p = provider(&host, c);
    let e = block_on(complete_json(&p, &structured_request())).unwrap_err();
    assert_eq!(e.code(), "Timeout");
}

#[test]
fn metered_model_counts_calls_failures_and_tokens_per_purpose() {
    use tooldraft::llm::{MeteredModel, UsageMeter};
    let host = Rc::new(FakeHost::with_queue(vec![
        completion(r#"{"query": 1}"#),
        completion(r#"{"query": "ok"}"#),
        json(400, json!({"error": {"message": "bad"}})),
    ]));
    let meter = Rc::new(UsageMeter::new());
    let m = MeteredModel::new(Rc::new(provider(&host, config())), meter.clone());
    block_on(complete_json(&m, &structured_request())).unwrap();
    let _ = block_on(m.chat(&ChatRequest::new("rewriter", vec![ChatMessage::user("x")])));
    let explorer = meter.get("explorer");
    assert_eq!((explorer.calls, explorer.failed_calls, explorer.usage.total()), (2, 0, 30));
    assert_eq!((meter.get("rewriter").calls, meter.get("rewriter").failed_calls), (0, 1));
    assert_eq!(meter.by_purpose().keys().collect::<Vec<_>>(), ["explorer", "rewriter"]);
    assert_eq!(meter.total().calls, 2);
}

#[test]
fn concurrency_limit_applies_across_calls_of_one_provider() {
    let host = Rc::new(FakeHost::with_handler(|_, _| completion("x")));
    let mut c = config();
    c.concurrency = Some(2);
    let p = provider(&host, c);
    let r = ChatRequest::new("x", vec![ChatMessage::user("x")]);
    let all = futures::future::join_all((0..6).map(|_| p.chat(&r)));
    assert!(block_on(all).iter().all(Result::is_ok));
    assert_eq!(host.max_in_flight.get(), 2);
}

#[test]
fn ten_megabyte_answers_end_quickly_with_short_errors() {
    let page = format!("<html><head><title>Oops</title></head><body>{}</body></html>", "x ".repeat(5_000_000));
    let prose = "All work and no play. ".repeat(500_000);
    let host = Rc::new(FakeHost::with_queue(vec![
        text(200, &page, &[("content-type", "text/html")]),
        json(500, json!({"error": {"message": "y".repeat(10_000_000)}})),
        completion(&prose),
        completion(&format!("{{\"query\": \"{}\"}}", "z".repeat(10_000_000))),
    ]));
    let mut c = config();
    c.retry = RetryPolicy::none();
    let p = provider(&host, c);
    let plain = ChatRequest::new("x", vec![ChatMessage::user("x")]);
    let e = block_on(p.chat(&plain)).unwrap_err();
    assert!(e.to_string().ends_with("the body is not JSON (text/html): an HTML page (Oops)"), "{e}");
    let e = block_on(p.chat(&plain)).unwrap_err();
    assert!(e.to_string().len() < 400, "{} characters", e.to_string().len());
    // Prose: the corrective retry gets a shortened echo, then the long JSON answer is used.
    let a = block_on(complete_json(&p, &structured_request())).unwrap();
    assert_eq!(a.value["query"].as_str().unwrap().len(), 10_000_000);
    let echoed = host.body_json(3)["messages"][2]["content"].as_str().unwrap().to_string();
    assert!(echoed.len() < 9_000 && echoed.ends_with("[… answer shortened]"), "{}", echoed.len());
}
