//! An in-memory host for the llm and net tests: answers come from a handler (or a queue),
//! every request and every sleep is recorded, the clock is virtual, randomness is fixed, and
//! `block_on` runs a future on the current thread.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use async_trait::async_trait;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use tooldraft::host::{Host, HostError, HttpRequest, HttpResponse};

type Handler = Box<dyn Fn(&HttpRequest, usize) -> Result<HttpResponse, HostError>>;

/// A scripted host. `fetch` yields once before answering, so concurrent callers interleave.
pub struct FakeHost {
    queue: RefCell<VecDeque<Result<HttpResponse, HostError>>>,
    handler: RefCell<Option<Handler>>,
    pub requests: RefCell<Vec<HttpRequest>>,
    pub sleeps: RefCell<Vec<u64>>,
    pub clock: Cell<f64>,
    pub random_value: Cell<f64>,
    pub cancel: Cell<bool>,
    /// Cancel the run once this many requests were sent.
    pub cancel_after: Cell<Option<usize>>,
    in_flight: Cell<usize>,
    pub max_in_flight: Cell<usize>,
    /// Virtual milliseconds each fetch takes.
    pub fetch_ms: Cell<f64>,
    /// Clock readings at the start of each fetch.
    pub fetch_starts: RefCell<Vec<f64>>,
}

impl Default for FakeHost {
    fn default() -> Self {
        FakeHost {
            queue: RefCell::new(VecDeque::new()),
            handler: RefCell::new(None),
            requests: RefCell::new(Vec::new()),
            sleeps: RefCell::new(Vec::new()),
            clock: Cell::new(0.0),
            random_value: Cell::new(0.5),
            cancel: Cell::new(false),
            cancel_after: Cell::new(None),
            in_flight: Cell::new(0),
            max_in_flight: Cell::new(0),
            fetch_ms: Cell::new(0.0),
            fetch_starts: RefCell::new(Vec::new()),
        }
    }
}

impl FakeHost {
    pub fn new() -> Self {
        Self::default()
    }

    /// Answers from this queue, in order (an empty queue answers a network error).
    pub fn with_queue(items: Vec<Result<HttpResponse, HostError>>) -> Self {
        let h = Self::default();
        h.queue.borrow_mut().extend(items);
        h
    }

    /// Answers every request through `f(request, index)`.
    pub fn with_handler(f: impl Fn(&HttpRequest, usize) -> Result<HttpResponse, HostError> + 'static) -> Self {
        let h = Self::default();
        *h.handler.borrow_mut() = Some(Box::new(f));
        h
    }

    pub fn push(&self, item: Result<HttpResponse, HostError>) {
        self.queue.borrow_mut().push_back(item);
    }

    pub fn request_count(&self) -> usize {
        self.requests.borrow().len()
    }

    /// The JSON body of request `i`.
    pub fn body_json(&self, i: usize) -> serde_json::Value {
        let reqs = self.requests.borrow();
        serde_json::from_slice(reqs[i].body.as_deref().unwrap_or(b"null")).unwrap()
    }
}

/// A response with a JSON body.
pub fn json(status: u16, body: serde_json::Value) -> Result<HttpResponse, HostError> {
    Ok(HttpResponse {
        status,
        headers: vec![("content-type".into(), "application/json".into())],
        body: serde_json::to_vec(&body).unwrap(),
    })
}

/// A response with a text body and extra headers.
pub fn text(status: u16, body: &str, headers: &[(&str, &str)]) -> Result<HttpResponse, HostError> {
    Ok(HttpResponse {
        status,
        headers: headers.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.to_string())).collect(),
        body: body.as_bytes().to_vec(),
    })
}

/// An OpenAI chat completion whose message content is `content`.
pub fn completion(content: &str) -> Result<HttpResponse, HostError> {
    json(
        200,
        serde_json::json!({
            "id": "chatcmpl-1", "object": "chat.completion", "model": "fake-model",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
        }),
    )
}

#[async_trait(?Send)]
impl Host for FakeHost {
    async fn fetch(&self, request: HttpRequest) -> Result<HttpResponse, HostError> {
        let index = self.requests.borrow().len();
        self.requests.borrow_mut().push(request.clone());
        if self.cancel_after.get().is_some_and(|n| index + 1 >= n) {
            self.cancel.set(true);
        }
        self.fetch_starts.borrow_mut().push(self.clock.get());
        self.in_flight.set(self.in_flight.get() + 1);
        self.max_in_flight.set(self.max_in_flight.get().max(self.in_flight.get()));
        YieldNow(false).await;
        self.clock.set(self.clock.get() + self.fetch_ms.get());
        self.in_flight.set(self.in_flight.get() - 1);
        if let Some(h) = self.handler.borrow().as_ref() {
            return h(&request, index);
        }
        self.queue
            .borrow_mut()
            .pop_front()
            .unwrap_or_else(|| Err(HostError::Network { message: "fake host: no more answers".into() }))
    }

    async fn sleep(&self, ms: u64) {
        self.sleeps.borrow_mut().push(ms);
        self.clock.set(self.clock.get() + ms as f64);
        YieldNow(false).await;
    }

    fn now_ms(&self) -> f64 {
        self.clock.get()
    }

    fn random(&self) -> f64 {
        self.random_value.get()
    }

    fn cancelled(&self) -> bool {
        self.cancel.get()
    }
}

/// Returns Pending once (waking itself), then Ready.
struct YieldNow(bool);

impl Future for YieldNow {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

struct ThreadWaker(std::thread::Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs a future to completion on this thread.
pub fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = std::pin::pin!(fut);
    let waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::park_timeout(std::time::Duration::from_millis(50));
    }
}
