//! The retry loop against a scripted host: LLM endpoints' and tool calls' rules, and every
//! form of the server's wait.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::host::Method;
use crate::tools::testing::{block_on, ScriptedHost};

fn get() -> HttpRequest {
    HttpRequest::new(Method::Get, "http://h/")
}

fn fast(max_attempts: u32) -> RetryPolicy {
    RetryPolicy { max_attempts, base_delay_ms: 10, ..RetryPolicy::for_tools() }
}

#[test]
fn tool_calls_retry_idempotent_calls_on_429_503_and_network_errors() {
    let host = ScriptedHost::new(vec![
        Err(HostError::Network { message: "refused".into() }),
        Ok(ScriptedHost::response(429, &[("retry-after", "1")], "")),
        Ok(ScriptedHost::response(503, &[], "")),
        Ok(ScriptedHost::response(200, &[], "ok")),
    ]);
    let r = block_on(fast(4).for_tool_call(true).send(&host, get()));
    assert_eq!((r.unwrap().status, host.requests().len()), (200, 4));
    let slept = host.slept();
    assert_eq!(slept.len(), 3);
    assert_eq!(slept[1], 1000, "Retry-After honoured");
}

#[test]
fn tool_calls_honour_retry_after_ms_and_http_dates() {
    let host = ScriptedHost::new(vec![
        Ok(ScriptedHost::response(429, &[("retry-after-ms", "250")], "")),
        Ok(ScriptedHost::response(
            503,
            &[("date", "Sun, 06 Nov 1994 08:49:37 GMT"), ("retry-after", "Sun, 06 Nov 1994 08:49:39 GMT")],
            "",
        )),
        Ok(ScriptedHost::response(429, &[("retry-after", "3600")], "")),
        Ok(ScriptedHost::response(200, &[], "ok")),
    ]);
    let r = block_on(fast(4).for_tool_call(true).send(&host, get()));
    assert_eq!(r.unwrap().status, 200);
    assert_eq!(host.slept(), vec![250, 2000, 10_000], "no wait beyond maxDelayMs");
}

#[test]
fn tool_calls_never_retry_writes_or_other_statuses() {
    let tools = RetryPolicy::for_tools();
    let host =
        ScriptedHost::new(vec![Ok(ScriptedHost::response(503, &[], "")), Ok(ScriptedHost::response(200, &[], ""))]);
    let r = block_on(tools.for_tool_call(false).send(&host, HttpRequest::new(Method::Post, "http://h/")));
    assert_eq!((r.unwrap().status, host.requests().len()), (503, 1));
    for status in [500, 502, 504, 408] {
        let host = ScriptedHost::new(vec![
            Ok(ScriptedHost::response(status, &[], "")),
            Ok(ScriptedHost::response(200, &[], "")),
        ]);
        let r = block_on(tools.for_tool_call(true).send(&host, get()));
        assert_eq!((r.unwrap().status, host.requests().len()), (status, 1), "{status}");
    }
    let host = ScriptedHost::new(vec![Ok(ScriptedHost::response(503, &[], "")); 5]);
    let r = block_on(tools.for_tool_call(true).send(&host, get()));
    assert_eq!((r.unwrap().status, host.requests().len()), (503, 3), "bounded");
}

#[test]
fn llm_endpoints_retry_transient_statuses_with_backoff() {
    let host = ScriptedHost::new(vec![
        Ok(ScriptedHost::response(500, &[], "")),
        Ok(ScriptedHost::response(408, &[], "")),
        Ok(ScriptedHost::response(200, &[], "ok")),
    ]);
    let policy = RetryPolicy { base_delay_ms: 100, ..RetryPolicy::default() };
    let r = block_on(policy.send(&host, get()));
    assert_eq!((r.unwrap().status, host.requests().len()), (200, 3));
    // Upper half random (the scripted host's random is 0.5): 100 → 75, 200 → 150.
    assert_eq!(host.slept(), vec![75, 150]);
}
