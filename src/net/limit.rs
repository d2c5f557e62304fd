//! Per-endpoint limits: at most N requests in flight and at most M started in any sliding
//! minute. Single-threaded (`Rc`/`RefCell`, no locks): waiters queue in order and are handed a
//! slot directly when one frees, so no one starves.

use crate::host::{Host, HostError};
use futures::channel::oneshot;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

/// The limits of one endpoint; `None` means unlimited.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Limits {
    /// Requests in flight at once (0 is treated as 1).
    pub concurrency: Option<usize>,
    /// Requests started in any 60-second window (0 is treated as 1).
    pub requests_per_minute: Option<u32>,
}

const WINDOW_MS: f64 = 60_000.0;

struct State {
    limits: Limits,
    in_flight: usize,
    waiters: VecDeque<oneshot::Sender<()>>,
    /// Start times (host clock) of the requests granted in the last window.
    started: VecDeque<f64>,
}

/// A shared limiter for one endpoint. Cloning shares the state.
#[derive(Clone)]
pub struct Limiter {
    state: Rc<RefCell<State>>,
}

impl std::fmt::Debug for Limiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.state.borrow();
        f.debug_struct("Limiter").field("limits", &s.limits).field("in_flight", &s.in_flight).finish()
    }
}

/// A granted slot; dropping it frees the slot for the next waiter.
pub struct Permit {
    state: Option<Rc<RefCell<State>>>,
}

impl Drop for Permit {
    fn drop(&mut self) {
        if let Some(state) = self.state.take() {
            release(&state);
        }
    }
}

/// Frees one slot: hands it straight to the oldest waiter still waiting, or lowers the count.
fn release(state: &RefCell<State>) {
    let mut s = state.borrow_mut();
    while let Some(tx) = s.waiters.pop_front() {
        if tx.send(()).is_ok() {
            return;
        }
    }
    s.in_flight = s.in_flight.saturating_sub(1);
}

/// A place in the queue; if the waiting future is dropped after a slot was handed to it, the
/// slot is passed on instead of leaking.
struct Ticket {
    rx: Option<oneshot::Receiver<()>>,
    state: Rc<RefCell<State>>,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if let Some(mut rx) = self.rx.take() {
            rx.close();
            if let Ok(Some(())) = rx.try_recv() {
                release(&self.state);
            }
        }
    }
}

impl Limiter {
    /// A limiter with these limits.
    pub fn new(limits: Limits) -> Self {
        Limiter {
            state: Rc::new(RefCell::new(State {
                limits,
                in_flight: 0,
                waiters: VecDeque::new(),
                started: VecDeque::new(),
            })),
        }
    }

    /// A limiter that never waits.
    pub fn unlimited() -> Self {
        Limiter::new(Limits::default())
    }

    /// The limits it enforces.
    pub fn limits(&self) -> Limits {
        self.state.borrow().limits
    }

    /// Requests holding a permit right now.
    pub fn in_flight(&self) -> usize {
        self.state.borrow().in_flight
    }

    /// Waits for a slot (concurrency first, then the per-minute window, sleeping through the
    /// host). `Err(Aborted)` when the host is cancelled while waiting for the window.
    pub async fn acquire(&self, host: &dyn Host) -> Result<Permit, HostError> {
        let waiting = {
            let mut s = self.state.borrow_mut();
            match s.limits.concurrency {
                Some(max) if s.in_flight >= max.max(1) => {
                    let (tx, rx) = oneshot::channel();
                    s.waiters.push_back(tx);
                    Some(rx)
                }
                _ => {
                    s.in_flight += 1;
                    None
                }
            }
        };
        if let Some(rx) = waiting {
            // The slot is handed over by the dropping permit (in_flight unchanged).
            let mut ticket = Ticket { rx: Some(rx), state: self.state.clone() };
            let handed = match ticket.rx.as_mut() {
                Some(rx) => rx.await.is_ok(),
                None => false,
            };
            ticket.rx = None;
            if !handed {
                return Err(HostError::Aborted);
            }
        }
        let permit = Permit { state: Some(self.state.clone()) };
        loop {
            let wait_ms = {
                let mut s = self.state.borrow_mut();
                let Some(rpm) = s.limits.requests_per_minute else { break };
                let now = host.now_ms();
                while s.started.front().is_some_and(|t| now - t >= WINDOW_MS) {
                    s.started.pop_front();
                }
                if s.started.len() < rpm.max(1) as usize {
                    s.started.push_back(now);
                    break;
                }
                let oldest = s.started.front().copied().unwrap_or(now);
                (oldest + WINDOW_MS - now).ceil().max(1.0) as u64
            };
            if host.cancelled() {
                return Err(HostError::Aborted);
            }
            host.sleep(wait_ms).await;
        }
        Ok(permit)
    }
}

/// One [`Limiter`] per endpoint key (an origin, a base URL), all with the same limits.
#[derive(Debug, Default)]
pub struct LimiterSet {
    limits: Limits,
    map: RefCell<HashMap<String, Limiter>>,
}

impl LimiterSet {
    /// Limiters with these limits, created on first use.
    pub fn new(limits: Limits) -> Self {
        LimiterSet { limits, map: RefCell::new(HashMap::new()) }
    }

    /// The limiter of this endpoint (shared with every other caller of the same key).
    pub fn get(&self, endpoint: &str) -> Limiter {
        self.map.borrow_mut().entry(endpoint.to_string()).or_insert_with(|| Limiter::new(self.limits)).clone()
    }
}
