//! A scripted host for unit tests: answers from a queue or a handler, records every request
//! and every sleep, and keeps a virtual clock.

use crate::host::{Host, HostError, HttpRequest, HttpResponse};
use async_trait::async_trait;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

type Handler = Box<dyn Fn(&HttpRequest) -> Result<HttpResponse, HostError>>;

pub(crate) struct ScriptedHost {
    handler: Handler,
    requests: RefCell<Vec<HttpRequest>>,
    slept: RefCell<Vec<u64>>,
    clock: Cell<f64>,
    /// Milliseconds each fetch takes on the virtual clock.
    pub fetch_ms: f64,
}

impl ScriptedHost {
    /// Answers with these outcomes in order (then with network errors).
    pub fn new(outcomes: Vec<Result<HttpResponse, HostError>>) -> Self {
        let queue = RefCell::new(VecDeque::from(outcomes));
        ScriptedHost::with_handler(move |_| {
            queue.borrow_mut().pop_front().unwrap_or(Err(HostError::Network { message: "script exhausted".into() }))
        })
    }

    /// Answers every request through `handler`.
    pub fn with_handler(handler: impl Fn(&HttpRequest) -> Result<HttpResponse, HostError> + 'static) -> Self {
        ScriptedHost {
            handler: Box::new(handler),
            requests: RefCell::new(Vec::new()),
            slept: RefCell::new(Vec::new()),
            clock: Cell::new(1000.0),
            fetch_ms: 7.0,
        }
    }

    pub fn response(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    pub fn requests(&self) -> Vec<HttpRequest> {
        self.requests.borrow().clone()
    }

    pub fn slept(&self) -> Vec<u64> {
        self.slept.borrow().clone()
    }
}

#[async_trait(?Send)]
impl Host for ScriptedHost {
    async fn fetch(&self, request: HttpRequest) -> Result<HttpResponse, HostError> {
        self.requests.borrow_mut().push(request.clone());
        self.clock.set(self.clock.get() + self.fetch_ms);
        (self.handler)(&request)
    }

    async fn sleep(&self, ms: u64) {
        self.slept.borrow_mut().push(ms);
        self.clock.set(self.clock.get() + ms as f64);
    }

    fn now_ms(&self) -> f64 {
        self.clock.get()
    }

    fn random(&self) -> f64 {
        0.5
    }
}

/// Runs a future whose awaits all complete at once (the scripted host never waits).
pub(crate) fn block_on<F: std::future::Future>(future: F) -> F::Output {
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
