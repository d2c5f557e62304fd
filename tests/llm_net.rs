//! The shared HTTP helpers over the fake host: which answers are retried, how long we wait,
//! cancellation, and the per-endpoint limits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod llm_fake;

use futures::future::join_all;
use llm_fake::{block_on, json, text, FakeHost};
use std::cell::RefCell;
use std::future::Future;
use tooldraft::host::{HostError, HttpRequest, Method};
use tooldraft::net::{Limiter, LimiterSet, Limits, RetryPolicy};

fn req() -> HttpRequest {
    HttpRequest::new(Method::Post, "http://127.0.0.1:9/v1/chat/completions").body("{}")
}

fn ok() -> Result<tooldraft::host::HttpResponse, HostError> {
    json(200, serde_json::json!({"ok": true}))
}

#[test]
fn retries_429_honouring_retry_after_seconds() {
    let host = FakeHost::with_queue(vec![text(429, "slow down", &[("Retry-After", "7")]), ok()]);
    let resp = block_on(RetryPolicy::default().send(&host, req())).unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(host.request_count(), 2);
    assert_eq!(*host.sleeps.borrow(), vec![7000]);
}

#[test]
fn retry_after_as_http_date_is_measured_against_the_date_header() {
    let host = FakeHost::with_queue(vec![
        text(429, "", &[("Date", "Tue, 15 Nov 1994 08:12:31 GMT"), ("Retry-After", "Tue, 15 Nov 1994 08:12:43 GMT")]),
        ok(),
    ]);
    block_on(RetryPolicy::default().send(&host, req())).unwrap();
    assert_eq!(*host.sleeps.borrow(), vec![12_000]);
}

#[test]
fn retry_after_is_capped() {
    let host = FakeHost::with_queue(vec![text(429, "", &[("retry-after", "3600")]), ok()]);
    let policy = RetryPolicy { max_retry_after_ms: 5_000, ..RetryPolicy::default() };
    block_on(policy.send(&host, req())).unwrap();
    assert_eq!(*host.sleeps.borrow(), vec![5_000]);
}

#[test]
fn backoff_doubles_with_jitter_from_the_host() {
    let host = FakeHost::with_queue(vec![
        text(500, "", &[]),
        text(502, "", &[]),
        text(503, "", &[]),
        Err(HostError::Network { message: "connection refused".into() }),
        ok(),
    ]);
    host.random_value.set(0.0);
    let policy = RetryPolicy { max_attempts: 5, base_delay_ms: 100, ..RetryPolicy::default() };
    let resp = block_on(policy.send(&host, req())).unwrap();
    assert_eq!(resp.status, 200);
    // random 0 → the lower half of each full delay: 100, 200, 400, 800 → 50, 100, 200, 400.
    assert_eq!(*host.sleeps.borrow(), vec![50, 100, 200, 400]);

    let host = FakeHost::with_queue(vec![text(500, "", &[]), text(500, "", &[]), ok()]);
    host.random_value.set(0.999_999);
    let policy = RetryPolicy { base_delay_ms: 1000, max_delay_ms: 1500, ..RetryPolicy::default() };
    block_on(policy.send(&host, req())).unwrap();
    assert_eq!(*host.sleeps.borrow(), vec![999, 1499]);
}

#[test]
fn gives_up_after_max_attempts_and_returns_the_last_answer() {
    let host = FakeHost::with_queue(vec![text(503, "a", &[]), text(503, "b", &[]), text(503, "c", &[]), ok()]);
    let resp = block_on(RetryPolicy::default().send(&host, req())).unwrap();
    assert_eq!((resp.status, resp.text().as_str()), (503, "c"));
    assert_eq!(host.request_count(), 3);
    assert_eq!(host.sleeps.borrow().len(), 2);

    let host = FakeHost::with_queue(vec![Err(HostError::Timeout { ms: 10 }), Err(HostError::Timeout { ms: 10 })]);
    let policy = RetryPolicy { max_attempts: 2, ..RetryPolicy::default() };
    let err = block_on(policy.send(&host, req())).unwrap_err();
    assert_eq!(err, HostError::Timeout { ms: 10 });
    assert_eq!(host.request_count(), 2);
}

#[test]
fn never_retries_other_4xx_or_success() {
    for status in [200, 400, 401, 403, 404, 409, 422, 501] {
        let host = FakeHost::with_queue(vec![text(status, "", &[]), ok()]);
        let resp = block_on(RetryPolicy::default().send(&host, req())).unwrap();
        assert_eq!(resp.status, status);
        assert_eq!(host.request_count(), 1, "status {status}");
        assert!(host.sleeps.borrow().is_empty());
    }
    let host = FakeHost::with_queue(vec![text(408, "", &[]), ok()]);
    assert_eq!(block_on(RetryPolicy::default().send(&host, req())).unwrap().status, 200);
}

#[test]
fn policy_switches_are_respected() {
    let host = FakeHost::with_queue(vec![text(500, "", &[]), ok()]);
    let policy = RetryPolicy { retry_server_errors: false, ..RetryPolicy::default() };
    assert_eq!(block_on(policy.send(&host, req())).unwrap().status, 500);

    let host = FakeHost::with_queue(vec![Err(HostError::Timeout { ms: 1 }), ok()]);
    let policy = RetryPolicy { retry_timeouts: false, ..RetryPolicy::default() };
    assert!(block_on(policy.send(&host, req())).is_err());

    let host = FakeHost::with_queue(vec![Err(HostError::Network { message: "dns".into() }), ok()]);
    let policy = RetryPolicy { retry_network_errors: false, ..RetryPolicy::default() };
    assert!(block_on(policy.send(&host, req())).is_err());

    let host = FakeHost::with_queue(vec![text(429, "", &[]), ok()]);
    assert_eq!(block_on(RetryPolicy::none().send(&host, req())).unwrap().status, 429);
}

#[test]
fn cancellation_stops_retrying() {
    let host = FakeHost::with_queue(vec![text(500, "", &[]), ok()]);
    host.cancel_after.set(Some(1));
    let err = block_on(RetryPolicy::default().send(&host, req())).unwrap_err();
    assert_eq!(err, HostError::Aborted);
    assert_eq!(host.request_count(), 1);
}

#[test]
fn send_limited_reports_each_retry() {
    let host =
        FakeHost::with_queue(vec![text(429, "", &[("retry-after", "2")]), Err(HostError::Timeout { ms: 100 }), ok()]);
    let notices = RefCell::new(Vec::new());
    let limiter = Limiter::unlimited();
    let resp = block_on(
        RetryPolicy::default().send_limited(&host, req(), &limiter, &|n| notices.borrow_mut().push(n.clone())),
    )
    .unwrap();
    assert_eq!(resp.status, 200);
    let n = notices.borrow();
    assert_eq!(n.len(), 2);
    assert_eq!((n[0].attempt, n[0].delay_ms, n[0].reason.as_str()), (1, 2000, "HTTP 429"));
    assert_eq!((n[1].attempt, n[1].reason.as_str()), (2, "timed out after 100 ms"));
    assert_eq!(limiter.in_flight(), 0);
}

#[test]
fn concurrency_limit_holds_under_many_callers() {
    let host = FakeHost::with_handler(|_, _| ok());
    let limiter = Limiter::new(Limits { concurrency: Some(2), requests_per_minute: None });
    let policy = RetryPolicy::default();
    let calls = (0..7).map(|_| policy.send_limited(&host, req(), &limiter, &|_| {}));
    let results = block_on(join_all(calls));
    assert!(results.iter().all(|r| r.as_ref().unwrap().status == 200));
    assert_eq!(host.request_count(), 7);
    assert_eq!(host.max_in_flight.get(), 2);
    assert_eq!(limiter.in_flight(), 0);

    let host = FakeHost::with_handler(|_, _| ok());
    let calls = (0..5).map(|_| policy.send(&host, req()));
    block_on(join_all(calls));
    assert_eq!(host.max_in_flight.get(), 5, "without a limiter the fake host does interleave");
}

#[test]
fn requests_per_minute_spreads_starts_over_the_window() {
    let host = FakeHost::with_handler(|_, _| ok());
    host.fetch_ms.set(10.0);
    let limiter = Limiter::new(Limits { concurrency: None, requests_per_minute: Some(3) });
    let policy = RetryPolicy::default();
    let calls = (0..7).map(|_| policy.send_limited(&host, req(), &limiter, &|_| {}));
    block_on(join_all(calls));
    let starts = host.fetch_starts.borrow().clone();
    assert_eq!(starts.len(), 7);
    for (i, t) in starts.iter().enumerate() {
        // No more than 3 starts in any 60 s window.
        let in_window = starts.iter().filter(|s| **s >= *t && **s < t + 60_000.0).count();
        assert!(in_window <= 3, "start {i} at {t}: {in_window} in its window ({starts:?})");
    }
    assert!(starts[6] >= 120_000.0, "{starts:?}");
}

#[test]
fn dropped_waiter_does_not_leak_a_slot() {
    let host = FakeHost::with_handler(|_, _| ok());
    let limiter = Limiter::new(Limits { concurrency: Some(1), requests_per_minute: None });
    let first = block_on(limiter.acquire(&host)).unwrap();
    {
        // Start waiting, then give up.
        let mut waiting = Box::pin(limiter.acquire(&host));
        let waker = futures::task::noop_waker();
        let mut cx = std::task::Context::from_waker(&waker);
        assert!(waiting.as_mut().poll(&mut cx).is_pending());
        drop(first); // hands the slot to the waiter...
    } // ...which is dropped without taking it.
    assert_eq!(limiter.in_flight(), 0);
    let again = block_on(limiter.acquire(&host)).unwrap();
    assert_eq!(limiter.in_flight(), 1);
    drop(again);
}

#[test]
fn limiter_set_shares_one_limiter_per_endpoint() {
    let set = LimiterSet::new(Limits { concurrency: Some(1), requests_per_minute: None });
    let host = FakeHost::new();
    let a = set.get("http://a");
    let _p = block_on(a.acquire(&host)).unwrap();
    assert_eq!(set.get("http://a").in_flight(), 1);
    assert_eq!(set.get("http://b").in_flight(), 0);
}
