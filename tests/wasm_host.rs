//! The fetch-backed host: the global fetch (data: URLs, a refused connection, and in Node a
//! real HTTP server on 127.0.0.1), an injected fetch, per-request timeouts, run-level
//! cancellation by AbortSignal and by cancel(), sleep, clock and randomness. Runs in Node,
//! Chromium and a dedicated worker (scripts/test-wasm.sh).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use js_sys::{Array, Function, Promise, Reflect};
use tooldraft::host::{Host, HostError, HttpRequest, Method};
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

async fn delay(ms: u32) {
    let p: Promise =
        js("ms", "return new Promise(r => setTimeout(r, ms))").call1(&JsValue::NULL, &ms.into()).unwrap().into();
    JsFuture::from(p).await.unwrap();
}

fn host_with(fetch: Option<Function>, timeout_ms: Option<u64>) -> JsHost {
    JsHost::new(fetch, Cancellation::new(None).unwrap(), timeout_ms)
}

/// `[fetch, log]`: a fetch that records (url, init) in `log` and answers with `answer(url, init)`.
fn recording_fetch(answer: &str) -> (Function, Array) {
    let log = Array::new();
    let make = js("log", &format!("return (url, init) => {{ log.push([url, init]); {answer} }}"));
    (make.call1(&JsValue::NULL, &log).unwrap().unchecked_into(), log)
}

/// A fetch that never answers but rejects with the signal's reason when aborted, like a real one.
fn hanging_fetch() -> (Function, Array) {
    recording_fetch(
        "return new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason)));",
    )
}

fn is_node() -> bool {
    js("", "return typeof process === 'object' && typeof process.getBuiltinModule === 'function'")
        .call0(&JsValue::NULL)
        .unwrap()
        .is_truthy()
}

#[wasm_bindgen_test]
async fn the_global_fetch_reads_status_headers_and_body() {
    let host = host_with(None, Some(5_000));
    let resp = host.fetch(HttpRequest::new(Method::Get, "data:application/json,%7B%22a%22%3A1%7D")).await.unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.header("Content-Type"), Some("application/json"));
    assert_eq!(resp.text(), r#"{"a":1}"#);
}

#[wasm_bindgen_test]
async fn an_injected_fetch_gets_the_method_headers_body_and_a_signal() {
    let (fetch, log) = recording_fetch(
        "return new Response('created', {status: 201, headers: {'X-Trace': 'abc', 'Content-Type': 'text/plain'}});",
    );
    let host = host_with(Some(fetch), None);
    let req = HttpRequest::new(Method::Post, "http://127.0.0.1:9/items")
        .header("Content-Type", "application/json")
        .header("X-Key", "k")
        .body(b"{\"n\":1}".to_vec());
    let resp = host.fetch(req).await.unwrap();
    assert_eq!(resp.status, 201);
    assert_eq!(resp.header("x-trace"), Some("abc"));
    assert!(resp.headers.iter().all(|(k, _)| k == &k.to_ascii_lowercase()), "names are lower-cased");
    assert_eq!(resp.text(), "created");
    assert_eq!(log.length(), 1);
    let call: Array = log.get(0).unchecked_into();
    assert_eq!(call.get(0).as_string().as_deref(), Some("http://127.0.0.1:9/items"));
    let init = call.get(1);
    assert_eq!(get(&init, "method").as_string().as_deref(), Some("POST"));
    let headers: Array = get(&init, "headers").unchecked_into();
    let first: Array = headers.get(0).unchecked_into();
    assert_eq!(
        (first.get(0).as_string().unwrap(), first.get(1).as_string().unwrap()),
        ("Content-Type".into(), "application/json".into())
    );
    assert_eq!(headers.length(), 2);
    assert_eq!(js_sys::Uint8Array::new(&get(&init, "body")).to_vec(), b"{\"n\":1}");
    assert_eq!(get(&get(&init, "signal"), "aborted").as_bool(), Some(false));
}

#[wasm_bindgen_test]
async fn a_fetch_that_returns_a_plain_object_is_read_too() {
    let (fetch, _) =
        recording_fetch("return {status: 404, headers: {'Content-Type': 'text/plain'}, text: async () => 'nope'};");
    let resp = host_with(Some(fetch), None).fetch(HttpRequest::new(Method::Get, "http://x.test/")).await.unwrap();
    assert_eq!((resp.status, resp.header("content-type"), resp.text().as_str()), (404, Some("text/plain"), "nope"));
}

#[wasm_bindgen_test]
async fn a_request_past_its_timeout_is_aborted_and_reported_as_a_timeout() {
    let (fetch, log) = hanging_fetch();
    let host = host_with(Some(fetch), Some(60_000));
    let started = host.now_ms();
    let err = host.fetch(HttpRequest::new(Method::Get, "http://x.test/slow").timeout_ms(40)).await.unwrap_err();
    let waited = host.now_ms() - started;
    assert_eq!(err, HostError::Timeout { ms: 40 });
    assert!((30.0..5_000.0).contains(&waited), "waited {waited} ms");
    let init = Array::from(&log.get(0)).get(1);
    assert_eq!(get(&get(&init, "signal"), "aborted").as_bool(), Some(true), "the fetch's own signal is aborted");
    assert!(!host.cancelled(), "a timeout does not cancel the run");
}

#[wasm_bindgen_test]
async fn the_default_timeout_applies_and_a_fetch_that_ignores_its_signal_still_times_out() {
    let (fetch, _) = recording_fetch("return new Promise(() => {});");
    let host = host_with(Some(fetch), Some(30));
    assert_eq!(
        host.fetch(HttpRequest::new(Method::Get, "http://x.test/")).await.unwrap_err(),
        HostError::Timeout { ms: 30 }
    );
}

#[wasm_bindgen_test]
async fn the_timeout_covers_a_body_that_never_arrives() {
    let (fetch, _) = recording_fetch("return {status: 200, headers: {}, arrayBuffer: () => new Promise(() => {})};");
    let host = host_with(Some(fetch), None);
    let err = host.fetch(HttpRequest::new(Method::Get, "http://x.test/").timeout_ms(30)).await.unwrap_err();
    assert_eq!(err, HostError::Timeout { ms: 30 });
}

#[wasm_bindgen_test]
async fn the_callers_abort_signal_stops_requests_in_flight_and_cancels_the_run() {
    let controller = js("", "const c = new AbortController(); setTimeout(() => c.abort(), 30); return c;")
        .call0(&JsValue::NULL)
        .unwrap();
    let cancel = Cancellation::new(Some(get(&controller, "signal"))).unwrap();
    let (fetch, _) = hanging_fetch();
    let host = JsHost::new(Some(fetch), cancel, Some(60_000));
    assert!(!host.cancelled());
    let err = host.fetch(HttpRequest::new(Method::Get, "http://x.test/")).await.unwrap_err();
    assert_eq!(err, HostError::Aborted);
    assert!(host.cancelled());
    // Once cancelled, nothing more is sent.
    let (fetch2, log2) = recording_fetch("return new Response('x');");
    let host2 = JsHost::new(Some(fetch2), host.cancellation().clone(), None);
    assert_eq!(host2.fetch(HttpRequest::new(Method::Get, "http://x.test/")).await.unwrap_err(), HostError::Aborted);
    assert_eq!(log2.length(), 0);
}

#[wasm_bindgen_test]
async fn cancel_stops_requests_in_flight() {
    let (fetch, _) = hanging_fetch();
    let host = host_with(Some(fetch), None);
    let cancel = host.cancellation().clone();
    let (result, ()) = futures::join!(host.fetch(HttpRequest::new(Method::Get, "http://x.test/a")), async {
        delay(20).await;
        cancel.cancel();
    });
    assert_eq!(result.unwrap_err(), HostError::Aborted);
    assert!(host.cancelled());
}

#[wasm_bindgen_test]
async fn an_already_aborted_signal_cancels_before_anything_is_sent() {
    let signal = js("", "return AbortSignal.abort();").call0(&JsValue::NULL).unwrap();
    let cancel = Cancellation::new(Some(signal)).unwrap();
    assert!(cancel.is_cancelled());
    let (fetch, log) = recording_fetch("return new Response('x');");
    let host = JsHost::new(Some(fetch), cancel, None);
    assert_eq!(host.fetch(HttpRequest::new(Method::Get, "http://x.test/")).await.unwrap_err(), HostError::Aborted);
    assert_eq!(log.length(), 0);
}

#[wasm_bindgen_test]
fn something_that_is_not_a_signal_is_refused() {
    let e = Cancellation::new(Some(JsValue::from_str("stop"))).err().unwrap();
    assert_eq!(String::from(e.unchecked_ref::<js_sys::Error>().name()), "InvalidArgument");
}

#[wasm_bindgen_test]
async fn a_refused_connection_is_a_network_error_that_mentions_cors() {
    let host = host_with(None, Some(10_000));
    // Port 9 (discard) is closed on test machines, and browsers refuse it outright: either way a TypeError.
    let err = host.fetch(HttpRequest::new(Method::Get, "http://127.0.0.1:9/")).await.unwrap_err();
    match &err {
        HostError::Network { message } => assert!(message.contains("CORS"), "{message}"),
        other => panic!("expected a network error, got {other:?}"),
    }
    assert_eq!(err.code(), "NetworkError");
}

#[wasm_bindgen_test]
async fn error_messages_do_not_repeat_a_query_string() {
    let (fetch, _) = recording_fetch("throw new TypeError('Failed to parse URL from ' + url);");
    let url = "http://x.test/a?api_key=SECRET123";
    let err = host_with(Some(fetch), None).fetch(HttpRequest::new(Method::Get, url)).await.unwrap_err();
    let message = err.to_string();
    assert!(!message.contains("SECRET123"), "{message}");
    assert!(message.contains("http://x.test/a?…"), "{message}");
}

#[wasm_bindgen_test]
async fn a_fetch_that_throws_synchronously_is_a_network_error() {
    let (fetch, _) = recording_fetch("throw new RangeError('bad init');");
    let err = host_with(Some(fetch), None).fetch(HttpRequest::new(Method::Get, "http://x.test/")).await.unwrap_err();
    assert_eq!(err, HostError::Network { message: "RangeError: bad init".into() });
}

#[wasm_bindgen_test]
async fn sleep_waits_and_ends_early_when_the_run_is_cancelled() {
    let host = host_with(None, None);
    let t0 = host.now_ms();
    host.sleep(40).await;
    let slept = host.now_ms() - t0;
    assert!((35.0..5_000.0).contains(&slept), "slept {slept} ms");
    let cancel = host.cancellation().clone();
    let t1 = host.now_ms();
    futures::join!(host.sleep(60_000), async {
        delay(20).await;
        cancel.cancel();
    });
    assert!(host.now_ms() - t1 < 5_000.0);
    let t2 = host.now_ms();
    host.sleep(60_000).await; // already cancelled: returns at once
    assert!(host.now_ms() - t2 < 1_000.0);
}

#[wasm_bindgen_test]
fn the_clock_moves_forward_and_random_is_in_range() {
    let host = host_with(None, None);
    let a = host.now_ms();
    let b = host.now_ms();
    assert!(a.is_finite() && b >= a);
    for _ in 0..100 {
        let r = host.random();
        assert!((0.0..1.0).contains(&r), "{r}");
    }
    assert_ne!(host.random(), host.random());
}

/// Node only: a real HTTP server on 127.0.0.1 (the test runner cannot spawn one for browsers).
fn node_server() -> JsValue {
    js(
        "",
        r#"
        const http = process.getBuiltinModule('node:http');
        const seen = [];
        const server = http.createServer((req, res) => {
          let body = '';
          req.on('data', (c) => (body += c));
          req.on('end', () => {
            seen.push(req.url);
            if (req.url === '/slow') return; // never answers
            res.writeHead(200, {'content-type': 'application/json', 'x-seen': String(seen.length)});
            res.end(JSON.stringify({method: req.method, auth: req.headers['authorization'] || null, body}));
          });
        });
        return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
          url: 'http://127.0.0.1:' + server.address().port,
          seen,
          close: () => { server.closeAllConnections(); server.close(); },
        })));
        "#,
    )
    .call0(&JsValue::NULL)
    .unwrap()
}

#[wasm_bindgen_test]
async fn in_node_the_global_fetch_talks_to_a_real_server_with_timeouts() {
    if !is_node() {
        return;
    }
    let server = JsFuture::from(Promise::from(node_server())).await.unwrap();
    let base = get(&server, "url").as_string().unwrap();
    let host = host_with(None, Some(10_000));
    let resp = host
        .fetch(
            HttpRequest::new(Method::Put, format!("{base}/echo"))
                .header("Authorization", "Bearer t")
                .body(b"hello".to_vec()),
        )
        .await
        .unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.header("x-seen"), Some("1"));
    let echoed: serde_json::Value = serde_json::from_slice(&resp.body).unwrap();
    assert_eq!(echoed, serde_json::json!({"method": "PUT", "auth": "Bearer t", "body": "hello"}));

    let err = host.fetch(HttpRequest::new(Method::Get, format!("{base}/slow")).timeout_ms(50)).await.unwrap_err();
    assert_eq!(err, HostError::Timeout { ms: 50 });

    // No listener is left on the run's signal after requests (no leak per request).
    let listeners = js("s", "return process.getBuiltinModule('node:events').getEventListeners(s, 'abort').length;")
        .call1(&JsValue::NULL, &host.cancellation().signal())
        .unwrap();
    assert_eq!(listeners.as_f64(), Some(0.0));

    js("s", "s.close()").call1(&JsValue::NULL, &server).unwrap();
    // A port nobody listens on (bound, then closed): refused, a network error naming the reason.
    let closed = js(
        "",
        "const s = process.getBuiltinModule('node:net').createServer(); \
         return new Promise((r) => s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }));",
    )
    .call0(&JsValue::NULL)
    .unwrap();
    let port = JsFuture::from(Promise::from(closed)).await.unwrap().as_f64().unwrap();
    let err = host.fetch(HttpRequest::new(Method::Get, format!("http://127.0.0.1:{port}/"))).await.unwrap_err();
    match err {
        HostError::Network { message } => assert!(message.contains("ECONNREFUSED"), "{message}"),
        other => panic!("expected a network error, got {other:?}"),
    }
}

/// scripts/test-wasm.sh compiles with TOOLDRAFT_WASM_ENV = node | chromium | worker | firefox: check
/// that the tests really ran there (a page has `window`, Firefox says so in its user agent; a
/// worker has `WorkerGlobalScope`, no `window`).
#[wasm_bindgen_test]
fn the_tests_run_in_the_environment_asked_for() {
    let scope = js(
        "",
        "if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) return 'worker'; \
         if (typeof window === 'object') return /Firefox\\//.test(navigator.userAgent) ? 'firefox' : 'chromium'; \
         if (typeof process === 'object' && process.versions && process.versions.node) return 'node'; \
         return 'unknown';",
    )
    .call0(&JsValue::NULL)
    .unwrap()
    .as_string()
    .unwrap();
    match option_env!("TOOLDRAFT_WASM_ENV") {
        Some(expected) => assert_eq!(scope, expected),
        None => assert_ne!(scope, "unknown"),
    }
}
