//! Shared helpers for the tools integration tests: start the real servers through
//! tests/servers/testbed.mjs, record what a host sends, and run futures to completion.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)] // test code: real servers, real time
#![allow(dead_code)]

use async_trait::async_trait;
use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use tooldraft::host::{Host, HostError, HttpRequest, HttpResponse};

/// Real servers started by `node tests/servers/testbed.mjs start …`. They stop when this is
/// dropped or, for a `shared` testbed, when the test process exits (its stdin pipe closes).
pub struct Testbed {
    child: Child,
    stdin: Option<ChildStdin>,
    urls: HashMap<String, String>,
}

impl Testbed {
    /// Starts the named servers and waits until they answer.
    pub fn start(names: &[&str]) -> Testbed {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut child = Command::new("node")
            .arg(format!("{root}/tests/servers/testbed.mjs"))
            .arg("start")
            .args(names)
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("node must be installed to start the testbed");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("read the testbed's URLs");
        if line.trim().is_empty() {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            let _ = child.wait();
            panic!("the testbed did not start {names:?}: {err}");
        }
        let urls: HashMap<String, String> = serde_json::from_str(line.trim()).expect("testbed URLs are JSON");
        let stdin = child.stdin.take();
        Testbed { child, stdin, urls }
    }

    /// One testbed per test binary for these servers, started on first use.
    pub fn shared(names: &'static [&'static str]) -> &'static Testbed {
        static BEDS: OnceLock<Mutex<HashMap<String, &'static Testbed>>> = OnceLock::new();
        let key = names.join(",");
        let mut beds = BEDS.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner());
        beds.entry(key).or_insert_with(|| Box::leak(Box::new(Testbed::start(names))))
    }

    /// The URL of a started server (`http://127.0.0.1:P`, MCP ones end in `/mcp`).
    pub fn url(&self, name: &str) -> &str {
        self.urls.get(name).unwrap_or_else(|| panic!("{name} was not started"))
    }
}

impl Drop for Testbed {
    fn drop(&mut self) {
        drop(self.stdin.take()); // EOF: the testbed stops its servers and exits
        for _ in 0..100 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Wraps a host and keeps every request it is asked to send.
pub struct RecordingHost<H: Host> {
    pub inner: H,
    pub requests: RefCell<Vec<HttpRequest>>,
}

impl<H: Host> RecordingHost<H> {
    pub fn new(inner: H) -> Self {
        RecordingHost { inner, requests: RefCell::new(Vec::new()) }
    }

    pub fn requests(&self) -> Vec<HttpRequest> {
        self.requests.borrow().clone()
    }
}

#[async_trait(?Send)]
impl<H: Host> Host for RecordingHost<H> {
    async fn fetch(&self, request: HttpRequest) -> Result<HttpResponse, HostError> {
        self.requests.borrow_mut().push(request.clone());
        self.inner.fetch(request).await
    }
    async fn sleep(&self, ms: u64) {
        self.inner.sleep(ms).await
    }
    fn now_ms(&self) -> f64 {
        self.inner.now_ms()
    }
    fn random(&self) -> f64 {
        self.inner.random()
    }
}

/// Runs a future to completion on this thread. The native host blocks inside `fetch`, so
/// futures here never wait on a waker.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    use std::task::{Context, Poll, Wake, Waker};
    struct Noop;
    impl Wake for Noop {
        fn wake(self: std::sync::Arc<Self>) {}
    }
    let waker = Waker::from(std::sync::Arc::new(Noop));
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(v) = future.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// Header value by name (case-insensitive).
pub fn header<'a>(r: &'a HttpRequest, name: &str) -> Option<&'a str> {
    r.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}
