//! The retry helper against real software: httpbin under gunicorn on 127.0.0.1 (installed by
//! scripts/setup.sh into .cache/venv), through the real-HTTP NativeHost.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

mod llm_fake;
mod support;

use llm_fake::block_on;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use support::NativeHost;
use tooldraft::host::{Host, HostError, HttpRequest, Method};
use tooldraft::net::{Limiter, RetryPolicy};

struct Httpbin {
    child: Child,
    base: String,
}

impl Httpbin {
    fn start() -> Httpbin {
        let bin = concat!(env!("CARGO_MANIFEST_DIR"), "/.cache/venv/bin/gunicorn");
        assert!(std::path::Path::new(bin).exists(), "{bin} is missing: run scripts/setup.sh");
        let mut child = Command::new(bin)
            .args(["-b", "127.0.0.1:0", "--workers", "1", "--log-level", "info", "httpbin:app"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let base = loop {
            let line = lines.next().expect("gunicorn printed its address").unwrap();
            if let Some(rest) = line.split("Listening at: ").nth(1) {
                break rest.split_whitespace().next().unwrap().to_string();
            }
        };
        // Keep draining stderr so gunicorn never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Httpbin { child, base }
    }
}

impl Drop for Httpbin {
    fn drop(&mut self) {
        // SIGTERM lets the gunicorn master stop its workers; SIGKILL would orphan them.
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        for _ in 0..50 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn retries_real_503_and_429_answers_and_stops_on_404() {
    let bin = Httpbin::start();
    let host = NativeHost::default();
    let policy = RetryPolicy { max_attempts: 3, base_delay_ms: 200, ..RetryPolicy::default() };
    let attempts = std::cell::Cell::new(0);
    let count = |_: &tooldraft::net::RetryNotice| attempts.set(attempts.get() + 1);
    let limiter = Limiter::unlimited();
    let get = |p: &str| HttpRequest::new(Method::Get, format!("{}{p}", bin.base)).timeout_ms(5_000);

    let resp = block_on(policy.send_limited(&host, get("/status/503"), &limiter, &count)).unwrap();
    assert_eq!(resp.status, 503);
    assert_eq!(attempts.get(), 2, "two retries after the first try");
    assert!(host.now_ms() >= 100.0 + 200.0, "backed off through Host::sleep: {}", host.now_ms());

    attempts.set(0);
    let resp = block_on(policy.send_limited(&host, get("/status/429"), &limiter, &count)).unwrap();
    assert_eq!((resp.status, attempts.get()), (429, 2));

    attempts.set(0);
    let resp = block_on(policy.send_limited(&host, get("/status/404"), &limiter, &count)).unwrap();
    assert_eq!((resp.status, attempts.get()), (404, 0));

    let resp = block_on(policy.send(&host, get("/response-headers?Retry-After=1"))).unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(tooldraft::net::retry_after_ms(&resp), Some(1000));
}

#[test]
fn a_slow_real_endpoint_times_out_within_its_budget() {
    let bin = Httpbin::start();
    let host = NativeHost::default();
    let policy = RetryPolicy { max_attempts: 2, base_delay_ms: 1, ..RetryPolicy::default() };
    let req = HttpRequest::new(Method::Get, format!("{}/delay/5", bin.base)).timeout_ms(400);
    let started = std::time::Instant::now();
    let err = block_on(policy.send(&host, req)).unwrap_err();
    assert_eq!(err, HostError::Timeout { ms: 400 });
    assert!(started.elapsed().as_millis() < 3_000, "{:?}", started.elapsed());
}
