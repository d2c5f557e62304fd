//! Keys never follow a redirect, through the real JS host (the global fetch) in Node, headless
//! Chromium and a dedicated worker (scripts/test-wasm.sh). A target on 127.0.0.1 redirects to
//! another origin (another port) that records every request (tests/servers/redirect-pair.mjs):
//! for tool calls over HTTP and MCP, both model providers and embeddings, the other origin must
//! never receive the request, its key or its headers, and the error must say what happened:
//! in Node, naming both origins; in a browser, which hides an opaque redirect's target, saying
//! so plainly.
//!
//! scripts/test-wasm.sh starts the pair and compiles its URLs in (TOOLDRAFT_REDIRECT_PAIR);
//! without it, the Node run starts the pair itself.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use js_sys::{Array, Function, Promise, Reflect};
use serde_json::{json, Value};
use std::rc::Rc;
use tooldraft::doc::{HttpBinding, Operation, Safety};
use tooldraft::host::{Host, HttpRequest, Method};
use tooldraft::llm::{
    Anthropic, AnthropicConfig, ChatMessage, ChatModel, ChatRequest, EmbeddingsConfig, LlmError, OpenAiCompatible,
    OpenAiConfig, OpenAiEmbeddings,
};
use tooldraft::tools::{Auth, HttpConfig, HttpToolCaller, McpClient, McpConfig, SafetyPolicy, ToolCaller, ToolError};
use tooldraft::wasm::host::{Cancellation, JsHost};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

fn js(args: &str, body: &str) -> Function {
    Function::new_with_args(args, body)
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn is_node() -> bool {
    js("", "return typeof process === 'object' && typeof process.getBuiltinModule === 'function'")
        .call0(&JsValue::NULL)
        .unwrap()
        .is_truthy()
}

async fn wait(p: JsValue) -> JsValue {
    JsFuture::from(Promise::from(p)).await.unwrap()
}

/// The two servers, and how to stop them when this test started them.
struct Pair {
    target: String,
    elsewhere: String,
    stop: Option<JsValue>,
}

impl Pair {
    async fn start() -> Pair {
        if let Some(urls) = option_env!("TOOLDRAFT_REDIRECT_PAIR") {
            let v: Value = serde_json::from_str(urls).unwrap();
            return Pair {
                target: v["target"].as_str().unwrap().into(),
                elsewhere: v["elsewhere"].as_str().unwrap().into(),
                stop: None,
            };
        }
        assert!(is_node(), "in a browser these tests need scripts/test-wasm.sh (it starts redirect-pair.mjs)");
        let module = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/servers/redirect-pair.mjs");
        let started = js("m", "return import('file://' + m).then((x) => x.startRedirectPair());")
            .call1(&JsValue::NULL, &module.into())
            .unwrap();
        let pair = wait(started).await;
        Pair {
            target: get(&pair, "target").as_string().unwrap(),
            elsewhere: get(&pair, "elsewhere").as_string().unwrap(),
            stop: Some(pair),
        }
    }

    /// Every request the other origin received whose URL contains `marker`, as JSON text.
    async fn seen_elsewhere(&self, marker: &str) -> Vec<Value> {
        let text = js("u", "return fetch(u, {cache: 'no-store'}).then((r) => r.text());")
            .call1(&JsValue::NULL, &format!("{}/__seen", self.target).into())
            .unwrap();
        let all: Vec<Value> = serde_json::from_str(&wait(text).await.as_string().unwrap()).unwrap();
        all.into_iter().filter(|e| e["url"].as_str().unwrap_or("").contains(marker)).collect()
    }

    /// Nothing reached the other origin for `marker`, and the secret is nowhere there.
    async fn assert_nothing_elsewhere(&self, marker: &str, secret: &str) {
        let seen = self.seen_elsewhere(marker).await;
        let everything = serde_json::to_string(&self.seen_elsewhere("").await).unwrap();
        assert!(!everything.contains(secret), "the key reached {}: {everything}", self.elsewhere);
        assert!(seen.is_empty(), "{marker}: requests reached {}: {seen:?}", self.elsewhere);
    }

    /// The error names both origins (Node) or says the browser hid the redirect.
    fn assert_explains(&self, message: &str, shown: &str, secret: &str) {
        assert!(!shown.contains(secret), "the error carries the key: {shown}");
        if is_node() {
            let said = format!("{} answered HTTP ", self.target);
            assert!(message.starts_with(&said), "names the configured origin: {message}");
            assert!(message.contains(&format!("a redirect to another origin, {};", self.elsewhere)), "{message}");
        } else {
            let said =
                format!("{} answered with a redirect that the browser does not let tooldraft inspect", self.target);
            assert!(message.starts_with(&said), "{message}");
            assert!(message.contains("nothing was sent on"), "{message}");
        }
    }

    async fn stop(self) {
        if let Some(pair) = self.stop {
            let stop: Function = get(&pair, "stop").unchecked_into();
            wait(stop.call0(&pair).unwrap()).await;
        }
    }
}

fn host() -> Rc<JsHost> {
    Rc::new(JsHost::new(None, Cancellation::new(None).unwrap(), Some(10_000)))
}

fn op(method: Method, path: &str) -> Operation {
    Operation {
        id: format!("{} {path}", method.as_str()),
        name: path.into(),
        http: Some(HttpBinding { method, path: path.into(), body_media_type: None }),
        safety: Safety::from_method(method),
        ..Default::default()
    }
}

fn secret(what: &str) -> String {
    format!("{what}-key-{}", (js_sys::Math::random() * 1e12) as u64)
}

#[wasm_bindgen_test]
async fn http_tool_calls_do_not_carry_their_headers_to_another_origin() {
    let pair = Pair::start().await;
    for (status, method) in [(302, Method::Get), (307, Method::Post), (308, Method::Put)] {
        let key = secret("tool");
        let marker = format!("tool-{status}");
        let mut config = HttpConfig::new(format!("{}/r{status}", pair.target));
        config.headers.insert("X-Api-Key".into(), key.clone());
        config.auth = Some(Auth::Bearer { token: format!("bearer-{key}") });
        let caller = HttpToolCaller::new(host(), config, SafetyPolicy::allow_all()).unwrap();
        let err = caller.call(&op(method, &format!("/{marker}")), &json!({})).await.unwrap_err();
        let ToolError::Redirect { message, .. } = &err else {
            panic!("{status}: expected a refused redirect: {err:?}")
        };
        pair.assert_explains(message, &format!("{err} {}", serde_json::to_string(&err).unwrap()), &key);
        assert_eq!(err.code(), "RedirectRefused");
        pair.assert_nothing_elsewhere(&marker, &key).await;
    }
    pair.stop().await;
}

#[wasm_bindgen_test]
async fn mcp_requests_do_not_carry_their_token_to_another_origin() {
    let pair = Pair::start().await;
    let key = secret("mcp");
    let mut config = McpConfig::new(format!("{}/r307/mcp-redirected", pair.target));
    config.auth = Some(Auth::Bearer { token: key.clone() });
    config.headers.insert("X-Api-Key".into(), key.clone());
    let client = McpClient::new(host(), config).unwrap();
    let err = client.list_tools().await.unwrap_err();
    let ToolError::Redirect { message, .. } = &err else { panic!("expected a refused redirect: {err:?}") };
    pair.assert_explains(message, &format!("{err} {}", serde_json::to_string(&err).unwrap()), &key);
    pair.assert_nothing_elsewhere("mcp-redirected", &key).await;
    pair.stop().await;
}

#[wasm_bindgen_test]
async fn model_and_embeddings_requests_do_not_carry_their_key_to_another_origin() {
    let pair = Pair::start().await;
    let chat = ChatRequest::new("explorer", vec![ChatMessage::user("hi")]);
    let key = secret("llm");
    let openai =
        OpenAiCompatible::new(OpenAiConfig::new(format!("{}/r307/openai/v1", pair.target), "m").api_key(&key), host());
    let mut ac = AnthropicConfig::new("claude", key.clone());
    ac.base_url = format!("{}/r308/anthropic", pair.target);
    let anthropic = Anthropic::new(ac, host());
    let mut ec = EmbeddingsConfig::new(format!("{}/r307/embeddings/v1", pair.target), "e");
    ec.api_key = Some(key.clone());
    let embeddings = OpenAiEmbeddings::new(ec, host());
    let results = [
        ("openai", openai.chat(&chat).await.map(|_| ())),
        ("anthropic", anthropic.chat(&chat).await.map(|_| ())),
        ("embeddings", embeddings.embed_counted(&["a".into()]).await.map(|_| ())),
    ];
    for (marker, result) in results {
        let err = result.unwrap_err();
        let LlmError::Redirect { message, .. } = &err else { panic!("{marker}: expected a refused redirect: {err:?}") };
        pair.assert_explains(message, &format!("{err} {}", serde_json::to_string(&err).unwrap()), &key);
        assert_eq!(err.code(), "RedirectRefused");
        pair.assert_nothing_elsewhere(marker, &key).await;
    }
    pair.stop().await;
}

#[wasm_bindgen_test]
async fn same_origin_redirects_are_followed_by_the_core_where_the_host_can_see_them() {
    let pair = Pair::start().await;
    let caller = HttpToolCaller::new(host(), HttpConfig::new(&pair.target), SafetyPolicy::default()).unwrap();
    let result = caller.call(&op(Method::Get, "/same/2/done"), &json!({})).await;
    if is_node() {
        let obs = result.unwrap();
        assert_eq!(obs.status, Some(200));
        assert_eq!(obs.json.as_ref().unwrap()["path"], "/same/0/done");
        let hops: Vec<u16> = obs.redirects().iter().map(|(s, _)| *s).collect();
        assert_eq!(hops, [302, 302]);
    } else {
        // A page or worker never sees where even a same-origin redirect leads.
        let err = result.unwrap_err();
        assert!(err.to_string().contains("browser does not let tooldraft inspect"), "{err:?}");
        assert_eq!(err.code(), "RedirectRefused");
    }
    pair.stop().await;
}

/// `[fetch, log]`: a fetch that records each init in `log` and answers with `answer`.
fn recording_fetch(answer: &str) -> (Function, Array) {
    let log = Array::new();
    let make = js("log", &format!("return (url, init) => {{ log.push(init); {answer} }}"));
    (make.call1(&JsValue::NULL, &log).unwrap().unchecked_into(), log)
}

#[wasm_bindgen_test]
async fn the_host_asks_fetch_not_to_follow_and_refuses_a_fetch_that_followed_anyway() {
    let (fetch, log) = recording_fetch("return new Response('{}', {status: 200});");
    let host = JsHost::new(Some(fetch), Cancellation::new(None).unwrap(), None);
    host.fetch(HttpRequest::new(Method::Get, "http://127.0.0.1:9/a").manual_redirect()).await.unwrap();
    host.fetch(HttpRequest::new(Method::Get, "http://127.0.0.1:9/b")).await.unwrap();
    assert_eq!(get(&log.get(0), "redirect").as_string().as_deref(), Some("manual"));
    assert!(get(&log.get(1), "redirect").is_undefined(), "only when asked");

    let (fetch, _) =
        recording_fetch("return {status: 200, redirected: true, headers: {}, text: async () => 'elsewhere'};");
    let host = JsHost::new(Some(fetch), Cancellation::new(None).unwrap(), None);
    let err = host.fetch(HttpRequest::new(Method::Get, "http://127.0.0.1:9/c").manual_redirect()).await.unwrap_err();
    assert!(err.to_string().contains("followed a redirect although asked not to"), "{err}");
}
