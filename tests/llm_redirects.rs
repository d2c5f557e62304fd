//! Model and embeddings endpoints never carry the key through a redirect: every request asks
//! the host not to follow; same-origin 307/308 are followed by the core (POST and body kept,
//! with a hop limit); another origin, a change to GET and a browser's opaque redirect are
//! errors that name origins only. (The same through the real JS host: tests/wasm_redirects.rs.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod llm_fake;

use llm_fake::{block_on, json, text, FakeHost};
use serde_json::json;
use std::rc::Rc;
use tooldraft::host::{HostError, HttpResponse, Method};
use tooldraft::llm::{
    Anthropic, AnthropicConfig, ChatMessage, ChatModel, ChatRequest, EmbeddingsConfig, LlmError, OpenAiCompatible,
    OpenAiConfig, OpenAiEmbeddings,
};

const KEY: &str = "sk-test-REDIRECT-0123456789";
const BASE: &str = "http://127.0.0.1:9100";
const OTHER: &str = "http://127.0.0.1:9200";

/// Where the server sends a path: `Some((status, location))` for a redirect.
type Route = fn(&str) -> Option<(u16, String)>;

fn chat() -> ChatRequest {
    ChatRequest::new("explorer", vec![ChatMessage::user("hi")])
}

/// A server that redirects `/v1/...` as `route` says and answers `/v2/...` with `ok`.
fn host(route: Route, ok: fn() -> Result<HttpResponse, HostError>) -> Rc<FakeHost> {
    Rc::new(FakeHost::with_handler(move |r, _| {
        assert!(r.manual_redirect, "{}: the host must be told not to follow redirects", r.url);
        assert!(r.url.starts_with(BASE), "a request left the configured origin: {}", r.url);
        let path = r.url.trim_start_matches(BASE);
        match route(path) {
            Some((status, location)) => text(status, "", &[("Location", &location)]),
            None if path.starts_with("/v2/") => ok(),
            None => text(404, "no", &[]),
        }
    }))
}

async fn each_provider(h: &Rc<FakeHost>) -> Vec<(&'static str, Result<(), LlmError>)> {
    let openai = OpenAiCompatible::new(OpenAiConfig::new(format!("{BASE}/v1"), "m").api_key(KEY), h.clone());
    let mut ac = AnthropicConfig::new("claude", KEY);
    ac.base_url = format!("{BASE}/v1");
    let anthropic = Anthropic::new(ac, h.clone());
    let mut ec = EmbeddingsConfig::new(format!("{BASE}/v1"), "e");
    ec.api_key = Some(KEY.into());
    let embeddings = OpenAiEmbeddings::new(ec, h.clone());
    vec![
        ("openai", openai.chat(&chat()).await.map(|_| ())),
        ("anthropic", anthropic.chat(&chat()).await.map(|_| ())),
        ("embeddings", embeddings.embed_counted(&["a".into()]).await.map(|_| ())),
    ]
}

fn any_answer() -> Result<HttpResponse, HostError> {
    // Good enough for all three: chat completion, Anthropic message, embeddings list.
    json(
        200,
        json!({
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "hello"}}],
            "content": [{"type": "text", "text": "hello"}],
            "data": [{"index": 0, "embedding": [0.5, 0.25]}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "input_tokens": 1, "output_tokens": 1}
        }),
    )
}

#[test]
fn same_origin_307_and_308_are_followed_with_the_post_and_its_body() {
    let h = host(
        |p| match p {
            p if p.starts_with("/v1/") => Some((307, p.replacen("/v1/", "/mid/", 1))),
            p if p.starts_with("/mid/") => Some((308, format!("{BASE}{}", p.replacen("/mid/", "/v2/", 1)))),
            _ => None,
        },
        any_answer,
    );
    for (name, result) in block_on(each_provider(&h)) {
        assert!(result.is_ok(), "{name}: {result:?}");
    }
    let requests = h.requests.borrow();
    assert_eq!(requests.len(), 9, "three requests per provider");
    for chunk in requests.chunks(3) {
        assert!(chunk
            .iter()
            .all(|r| r.method == Method::Post && r.body == chunk[0].body && r.headers == chunk[0].headers));
        assert!(chunk[2].url.contains("/v2/"));
    }
}

#[test]
fn another_origin_a_change_to_get_a_loop_and_an_opaque_redirect_are_errors_without_the_key() {
    let cases: [(Route, &str); 4] = [
        (|p| p.starts_with("/v1/").then(|| (302, format!("{OTHER}{p}?key={KEY}"))), "another origin"),
        (|p| p.starts_with("/v1/").then(|| (303, p.replacen("/v1/", "/v2/", 1))), "a change to GET"),
        (|p| p.starts_with("/v1/").then(|| (307, p.to_string())), "a loop"),
        (|p| p.starts_with("/v1/").then(|| (0, String::new())), "an opaque redirect"),
    ];
    for (route, case) in cases {
        let h = host(route, any_answer);
        for (name, result) in block_on(each_provider(&h)) {
            let err = result.unwrap_err();
            let LlmError::Redirect { message, .. } = &err else { panic!("{case}, {name}: {err:?}") };
            let said = match case {
                "another origin" => format!("{BASE} answered HTTP 302, a redirect to another origin, {OTHER};"),
                "a change to GET" => {
                    format!("{BASE} answered a POST with HTTP 303, a redirect that would turn it into a GET")
                }
                "a loop" => format!("{BASE} redirected more than 5 times"),
                _ => format!("{BASE} answered with a redirect that the browser does not let tooldraft inspect"),
            };
            assert!(message.starts_with(&said), "{case}, {name}: {message}");
            let shown = format!("{err} {err:?} {}", serde_json::to_string(&err).unwrap());
            assert!(!shown.contains(KEY) && !shown.contains(&format!("{OTHER}/")), "{case}, {name}: {shown}");
            assert!(shown.contains(BASE), "{case}, {name}: names the origin: {shown}");
            assert_eq!(err.code(), "RedirectRefused");
        }
        // Only the first request and, for the loop, five same-origin hops were sent.
        let per_provider = if case == "a loop" { 6 } else { 1 };
        assert_eq!(h.request_count(), 3 * per_provider, "{case}");
    }
}
