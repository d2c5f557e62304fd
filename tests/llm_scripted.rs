//! The providers against the real scripted-llm.mjs server over HTTP (through NativeHost):
//! every fault, the structured-output fallbacks as the server sees them, the auto mode's
//! schema-valid answers, embeddings, CORS and the test endpoints.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

mod llm_fake;
mod support;

use llm_fake::block_on;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::rc::Rc;
use support::NativeHost;
use tooldraft::host::{Host, HttpRequest, Method};
use tooldraft::llm::structured::complete_json;
use tooldraft::llm::{
    Anthropic, AnthropicConfig, ChatMessage, ChatModel, ChatRequest, EmbeddingsConfig, OpenAiCompatible, OpenAiConfig,
    OpenAiEmbeddings, OutputSchema, StructuredMode,
};
use tooldraft::net::RetryPolicy;
use tooldraft::schema::validate;
use tooldraft::similarity::Embedder;

/// A scripted-llm.mjs process on a free port, killed when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/servers/scripted-llm.mjs");
        let mut child = Command::new("node")
            .arg(script)
            .args(["--port", "0", "--exit-on-stdin-close"])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node runs");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let v: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("first line {line:?}: {e}"));
        Server { child, url: v["url"].as_str().unwrap().to_string() }
    }

    fn with_script(script: Value) -> Server {
        let s = Server::start(&[]);
        s.post("/__script", &script);
        s
    }

    fn root(&self) -> String {
        self.url.trim_end_matches("/v1").to_string()
    }

    fn post(&self, path: &str, body: &Value) -> Value {
        let resp = ureq::post(&format!("{}{path}", self.root()))
            .set("Content-Type", "application/json")
            .send_string(&body.to_string())
            .unwrap();
        serde_json::from_str(&resp.into_string().unwrap()).unwrap()
    }

    fn log(&self) -> Vec<Value> {
        let v = self.get("/__log");
        v.as_array().unwrap().clone()
    }

    fn get(&self, path: &str) -> Value {
        let text = ureq::get(&format!("{}{path}", self.root())).call().unwrap().into_string().unwrap();
        serde_json::from_str(&text).unwrap()
    }

    fn model_log(&self) -> Vec<Value> {
        self.log().into_iter().filter(|e| e["method"] == "POST").collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn host() -> Rc<NativeHost> {
    Rc::new(NativeHost::default())
}

fn openai(server: &Server, host: &Rc<NativeHost>) -> OpenAiCompatible {
    let mut c = OpenAiConfig::new(&server.url, "scripted").api_key("sk-scripted-KEY-42");
    c.retry = RetryPolicy { base_delay_ms: 100, ..RetryPolicy::default() };
    c.timeout_ms = 10_000;
    OpenAiCompatible::new(c, host.clone())
}

fn explorer_schema() -> OutputSchema {
    OutputSchema {
        name: "explorer_output".into(),
        schema: json!({
            "type": "object",
            "required": ["query", "rationale", "arguments", "expectations"],
            "additionalProperties": false,
            "properties": {
                "query": {"type": "string", "minLength": 3},
                "rationale": {"type": "string"},
                "operation": {"type": "string", "enum": ["list_pets", "get_pet", "create_pet"]},
                "arguments": {"type": "object", "properties": {"limit": {"type": "integer", "minimum": 1, "maximum": 50}, "tag": {"type": ["string", "null"]}}, "required": ["limit"]},
                "expectations": {"type": "array", "minItems": 2, "maxItems": 4, "items": {"$ref": "#/$defs/expectation"}},
                "confidence": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                "safe": {"type": "boolean"},
                "choice": {"oneOf": [{"type": "integer", "multipleOf": 5}, {"type": "string", "format": "date"}]},
                "combined": {"allOf": [{"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}, {"properties": {"b": {"const": 7}}, "required": ["b"]}]},
                "tags": {"type": "array", "items": {"enum": ["x", "y", "z"]}, "uniqueItems": true, "minItems": 2},
                "contact": {"type": "string", "format": "email"},
                "short": {"type": "string", "maxLength": 5, "minLength": 2}
            },
            "$defs": {"expectation": {"type": "object", "required": ["field", "description"], "properties": {"field": {"type": "string"}, "description": {"type": "string"}}}}
        }),
    }
}

fn ask(prompt: &str, schema: OutputSchema) -> ChatRequest {
    let mut r = ChatRequest::new(
        "explorer",
        vec![ChatMessage::system("You explore a tool and propose one call."), ChatMessage::user(prompt)],
    );
    r.schema = Some(schema);
    r
}

#[test]
fn auto_mode_answers_schemas_with_valid_varied_deterministic_instances() {
    let server = Server::start(&[]);
    let h = host();
    let p = openai(&server, &h);
    let prompts = [
        "List the pets of the store filtered by tag and limit",
        "Find a single pet by its identifier and show its owner",
        "Create a new pet called Rex with a vaccination record",
    ];
    let mut queries = Vec::new();
    for prompt in prompts {
        let a = block_on(complete_json(&p, &ask(prompt, explorer_schema()))).unwrap();
        assert_eq!(a.calls, 1, "auto mode answers fit at once: {}", a.value);
        assert!(validate(&explorer_schema().schema, &a.value).is_empty());
        assert!(a.usage.prompt_tokens > 0 && a.usage.completion_tokens > 0);
        let q = a.value["query"].as_str().unwrap().to_string();
        let words: Vec<String> = prompt.to_lowercase().split_whitespace().map(String::from).collect();
        assert!(
            q.split_whitespace().all(|w| words.contains(&w.to_string())
                || w == "propose"
                || w == "explore"
                || w == "call"
                || w == "tool"),
            "{q:?} from {prompt:?}"
        );
        let again = block_on(complete_json(&p, &ask(prompt, explorer_schema()))).unwrap();
        assert_eq!(again.value, a.value, "same prompt, same answer");
        queries.push(q);
    }
    queries.dedup();
    assert_eq!(queries.len(), 3, "different prompts give different queries: {queries:?}");
}

#[test]
fn every_fault_is_handled_against_the_real_server() {
    let server = Server::with_script(json!([
        {"fault": "429", "retryAfter": 2},
        {"fault": "500"},
        {"fault": "html"},
        {"content": "{\"query\": \"after three faults\", \"rationale\": \"r\", \"arguments\": {\"limit\": 1}, \"expectations\": [{\"field\": \"f\", \"description\": \"d\"}, {\"field\": \"g\", \"description\": \"e\"}]}"}
    ]));
    let h = host();
    let mut c = OpenAiConfig::new(&server.url, "scripted");
    c.retry = RetryPolicy { max_attempts: 4, base_delay_ms: 100, ..RetryPolicy::default() };
    let p = OpenAiCompatible::new(c, h.clone());
    let before = h.now_ms();
    let a = block_on(complete_json(&p, &ask("pets", explorer_schema()))).unwrap();
    assert_eq!(a.value["query"], "after three faults");
    assert!(h.now_ms() - before >= 2000.0, "Retry-After: 2 was honoured through Host::sleep");
    let log = server.model_log();
    let steps: Vec<&str> = log.iter().map(|e| e["step"].as_str().unwrap()).collect();
    assert_eq!(steps, ["429", "500", "html", "content"]);
    assert_eq!(log[0]["headers"]["authorization"], Value::Null, "no key configured, none sent");

    // Each fault that is not retried ends in a clear error naming the endpoint.
    let endpoint = format!("{}/chat/completions", server.url);
    let cases = [
        (json!({"fault": "emptyChoices"}), "LlmBadResponse", "the answer has no choices (empty list)"),
        (json!({"fault": "invalidBody"}), "LlmBadResponse", "the body is not JSON (application/json)"),
        (json!({"fault": "html", "status": 404}), "LlmHttpError", "answered HTTP 404: an HTML page (502 Bad Gateway)"),
        (
            json!({"fault": "500", "status": 503, "times": 4}),
            "LlmHttpError",
            "answered HTTP 503: The server had an error",
        ),
    ];
    for (step, code, text) in cases {
        server.post("/__script", &json!([step]));
        let e = block_on(p.chat(&ask("x", explorer_schema()))).unwrap_err();
        assert_eq!(e.code(), code, "{e}");
        let shown = e.to_string();
        assert!(shown.starts_with(&endpoint) && shown.contains(text), "{shown}");
    }
}

#[test]
fn broken_json_gets_one_corrective_retry_then_an_auto_answer() {
    let server = Server::with_script(json!([{"fault": "brokenJson"}]));
    let h = host();
    let p = openai(&server, &h);
    let a = block_on(complete_json(&p, &ask("pets", explorer_schema()))).unwrap();
    assert_eq!(a.calls, 2);
    assert!(validate(&explorer_schema().schema, &a.value).is_empty());
    let log = server.model_log();
    let msgs = log[1]["body"]["messages"].as_array().unwrap();
    let correction = msgs.last().unwrap()["content"].as_str().unwrap();
    assert!(
        correction.starts_with("Your previous answer could not be used: the answer contains no readable JSON object"),
        "{correction}"
    );

    // Truncated answers are repaired or corrected; two bad answers end the step.
    server.post("/__script", &json!([{"fault": "brokenJson"}, {"content": "no JSON here either"}]));
    let e = block_on(complete_json(&p, &ask("pets", explorer_schema()))).unwrap_err();
    assert_eq!(e.code(), "LlmInvalidOutput");
    assert!(e.to_string().contains("only prose"), "{e}");
    server.post("/__script", &json!([{"fault": "truncated"}]));
    let a = block_on(complete_json(&p, &ask("pets", explorer_schema()))).unwrap();
    assert!(validate(&explorer_schema().schema, &a.value).is_empty());
}

#[test]
fn slow_answers_time_out_and_the_retry_is_bounded() {
    let server = Server::with_script(json!([{"fault": "slow", "delayMs": 3000, "times": 2}]));
    let h = host();
    let mut c = OpenAiConfig::new(&server.url, "scripted");
    c.timeout_ms = 300;
    c.retry = RetryPolicy { max_attempts: 2, base_delay_ms: 10, ..RetryPolicy::default() };
    let p = OpenAiCompatible::new(c, h.clone());
    let started = std::time::Instant::now();
    let e = block_on(p.chat(&ChatRequest::new("x", vec![ChatMessage::user("hi")]))).unwrap_err();
    assert_eq!(e.code(), "Timeout", "{e}");
    assert!(e.to_string().starts_with(&server.url), "{e}");
    assert!(started.elapsed().as_millis() < 2500, "nothing hangs past its timeout: {:?}", started.elapsed());
    assert_eq!(server.model_log().len(), 2);
}

#[test]
fn a_dropped_connection_and_an_unreachable_endpoint_are_network_errors() {
    let server = Server::with_script(json!([{"fault": "disconnect", "times": 3}]));
    let h = host();
    let p = openai(&server, &h);
    let e = block_on(p.chat(&ChatRequest::new("x", vec![ChatMessage::user("hi")]))).unwrap_err();
    assert_eq!(e.code(), "NetworkError", "{e}");
    assert_eq!(server.model_log().len(), 3);

    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut c = OpenAiConfig::new(format!("http://127.0.0.1:{dead}/v1"), "m").api_key("sk-never-shown-999");
    c.retry = RetryPolicy { max_attempts: 2, base_delay_ms: 1, ..RetryPolicy::default() };
    let e =
        block_on(OpenAiCompatible::new(c, h).chat(&ChatRequest::new("x", vec![ChatMessage::user("hi")]))).unwrap_err();
    assert_eq!(e.code(), "NetworkError");
    let shown = e.to_string();
    assert!(shown.starts_with(&format!("http://127.0.0.1:{dead}/v1/chat/completions: network error")), "{shown}");
    assert!(!shown.contains("sk-never-shown-999"));
}

#[test]
fn refused_response_formats_step_down_and_the_provider_remembers() {
    let server = Server::with_script(json!({"steps": [], "rejectResponseFormat": ["json_schema", "json_object"]}));
    let h = host();
    let p = openai(&server, &h);
    let a = block_on(complete_json(&p, &ask("Find pets by tag", explorer_schema()))).unwrap();
    assert!(validate(&explorer_schema().schema, &a.value).is_empty(), "the schema in the prompt is answered");
    assert_eq!(p.structured_mode(), StructuredMode::Instructions);
    block_on(complete_json(&p, &ask("Again", explorer_schema()))).unwrap();
    let formats: Vec<Value> = server.model_log().iter().map(|e| e["body"]["response_format"]["type"].clone()).collect();
    assert_eq!(formats, [json!("json_schema"), json!("json_object"), Value::Null, Value::Null]);
    let statuses: Vec<u64> = server.model_log().iter().map(|e| e["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, [400, 400, 200, 200]);

    // The one-off fault: only json_schema is refused, json_object then works.
    let server = Server::with_script(json!([{"fault": "rejectResponseFormat"}]));
    let p = openai(&server, &h);
    let a = block_on(complete_json(&p, &ask("Find pets", explorer_schema()))).unwrap();
    assert!(validate(&explorer_schema().schema, &a.value).is_empty());
    assert_eq!(p.structured_mode(), StructuredMode::JsonObject);
}

#[test]
fn requests_carry_the_key_and_match_picks_steps_by_the_last_user_message() {
    let server = Server::with_script(json!([
        {"match": "second", "content": "{\"n\": 2}"},
        {"content": "{\"n\": 1}"}
    ]));
    let h = host();
    let p = openai(&server, &h);
    let r = |t: &str| ChatRequest::new("x", vec![ChatMessage::user(t)]);
    assert_eq!(block_on(p.chat(&r("the first one"))).unwrap().content, "{\"n\": 1}");
    assert_eq!(block_on(p.chat(&r("the second one"))).unwrap().content, "{\"n\": 2}");
    let log = server.model_log();
    assert_eq!(log[0]["headers"]["authorization"], "Bearer sk-scripted-KEY-42");
    assert_eq!(log[0]["body"]["model"], "scripted");
    let left = server.get("/__script");
    assert_eq!(left["steps"], json!([]));
}

#[test]
fn anthropic_against_the_scripted_messages_endpoint() {
    let server = Server::with_script(json!([{"fault": "429", "retryAfter": 1}]));
    let h = host();
    let mut c = AnthropicConfig::new("claude-scripted", "sk-ant-KEY").base_url(server.root());
    c.retry = RetryPolicy { base_delay_ms: 10, ..RetryPolicy::default() };
    let p = Anthropic::new(c, h.clone());
    let a = block_on(complete_json(&p, &ask("Describe the pet store", explorer_schema()))).unwrap();
    assert_eq!(a.calls, 1);
    assert!(validate(&explorer_schema().schema, &a.value).is_empty(), "{}", a.value);
    assert!(a.usage.prompt_tokens > 0);
    let log = server.model_log();
    assert_eq!(log.len(), 2);
    assert_eq!(log[1]["path"], "/v1/messages");
    assert_eq!(log[1]["headers"]["x-api-key"], "sk-ant-KEY");
    assert_eq!(log[1]["headers"]["anthropic-dangerous-direct-browser-access"], "true");
    assert_eq!(log[1]["body"]["tool_choice"]["name"], "explorer_output");
    let text = block_on(p.chat(&ChatRequest::new("x", vec![ChatMessage::user("Say hello")]))).unwrap();
    assert!(!text.content.is_empty() && !text.content.starts_with('{'));
}

#[test]
fn embeddings_from_the_scripted_server_rank_similar_texts_closer() {
    let server = Server::start(&[]);
    let mut c = EmbeddingsConfig::new(&server.url, "embed");
    c.batch_size = 2;
    let e = OpenAiEmbeddings::new(c, host());
    let texts: Vec<String> =
        ["get the weather forecast for a city", "weather forecast for the city", "delete a user account"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    let v = block_on(e.embed(&texts)).unwrap();
    assert_eq!(v.len(), 3);
    assert!(v.iter().all(|x| x.len() == 64));
    let cos = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
    assert!(cos(&v[0], &v[1]) > cos(&v[0], &v[2]) + 0.2, "{} vs {}", cos(&v[0], &v[1]), cos(&v[0], &v[2]));
    assert_eq!(server.model_log().len(), 2);
    assert!(e.usage().prompt_tokens > 0);
}

#[test]
fn cors_preflight_and_models_for_browsers() {
    let server = Server::start(&["--latency-ms", "1"]);
    let h = host();
    let pre = HttpRequest::new(Method::Options, format!("{}/chat/completions", server.url))
        .header("Origin", "http://localhost:5173")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization, content-type");
    let resp = block_on(h.fetch(pre)).unwrap();
    assert_eq!(resp.status, 204);
    assert_eq!(resp.header("access-control-allow-origin"), Some("http://localhost:5173"));
    assert_eq!(resp.header("access-control-allow-headers"), Some("authorization, content-type"));
    assert!(resp.header("access-control-expose-headers").unwrap().contains("Retry-After"));
    let models = block_on(h.fetch(HttpRequest::new(Method::Get, format!("{}/models", server.url)))).unwrap();
    let v: Value = serde_json::from_slice(&models.body).unwrap();
    assert_eq!(v["data"][0]["id"], "scripted-llm");
    assert_eq!(server.log()[0]["method"], "OPTIONS");
}

#[test]
fn auto_mode_fits_many_schema_shapes() {
    let server = Server::start(&[]);
    let h = host();
    let p = openai(&server, &h);
    let schemas = [
        json!({"type": "object", "properties": {"items": {"type": "array", "items": {"type": "array", "items": {"type": "integer", "enum": [1, 2, 3]}}}}, "required": ["items"]}),
        json!({"type": "object", "required": ["a", "b"], "additionalProperties": false, "properties": {"a": {"type": ["null", "string"]}, "b": {"type": "number", "multipleOf": 0.5, "minimum": 10, "maximum": 11}}}),
        json!({"type": "object", "required": ["undeclared"], "additionalProperties": {"type": "integer"}}),
        json!({"type": "object", "properties": {"empty": {"type": "array", "maxItems": 0}, "one": {"type": "array", "minItems": 1, "maxItems": 1, "items": {"const": {"k": "v"}}}}}),
        json!({"type": "object", "properties": {"tuple": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "boolean"}], "items": false, "minItems": 2}}, "required": ["tuple"]}),
        json!({"type": "object", "properties": {"long": {"type": "string", "minLength": 200}, "tiny": {"type": "string", "maxLength": 1}}, "required": ["long", "tiny"]}),
        json!({"type": "object", "properties": {"node": {"$ref": "#/definitions/node"}}, "required": ["node"], "definitions": {"node": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/definitions/node"}}}}}}),
        json!({"type": "object", "properties": {"n": {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 2}, "neg": {"type": "number", "maximum": -5}}, "required": ["n", "neg"]}),
        json!({"type": "object", "properties": {"v": {"anyOf": [{"type": "null"}, {"type": "object", "required": ["x"], "properties": {"x": {"type": "boolean"}}}]}}, "required": ["v"]}),
        json!({"type": "object", "minProperties": 3, "additionalProperties": {"type": "string"}}),
        json!({"properties": {"implicit": {"properties": {"deep": {"items": {"type": "string", "format": "date-time"}}}}}}),
        json!({"type": "object", "properties": {"uid": {"type": "string", "format": "uuid"}, "site": {"type": "string", "format": "uri"}, "created_date": {"type": "string"}}, "required": ["uid", "site", "created_date"]}),
    ];
    for (i, schema) in schemas.iter().enumerate() {
        let s = OutputSchema { name: format!("shape_{i}"), schema: schema.clone() };
        let a = block_on(complete_json(&p, &ask(&format!("Shape number {i} for the checker"), s))).unwrap();
        assert_eq!(a.calls, 1, "shape {i}: {}", a.value);
        let violations = validate(schema, &a.value);
        assert!(violations.is_empty(), "shape {i}: {} -> {violations:?}", a.value);
    }
}

#[test]
fn a_script_file_and_latency_flag_are_read_at_start() {
    let path = std::env::temp_dir().join(format!("scripted-llm-{}.json", std::process::id()));
    std::fs::write(&path, r#"{"model": "from-file", "steps": [{"json": {"from": "file"}}]}"#).unwrap();
    let server = Server::start(&["--script", path.to_str().unwrap(), "--latency-ms", "150"]);
    let h = host();
    let p = openai(&server, &h);
    let started = std::time::Instant::now();
    let resp = block_on(p.chat(&ChatRequest::new("x", vec![ChatMessage::user("hi")]))).unwrap();
    assert!(started.elapsed().as_millis() >= 150);
    assert_eq!(resp.content, r#"{"from":"file"}"#);
    assert_eq!(resp.model.as_deref(), Some("from-file"));
    let _ = std::fs::remove_file(path);

    let bad = Command::new("node")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/servers/scripted-llm.mjs"))
        .args(["--script", "/nonexistent/script.json"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("cannot read the script"));
}
