//! Usage accounting: tokens and calls summed per purpose (explorer, analyzer, rewriter, …),
//! and a [`MeteredModel`] that records every call of the model it wraps.
//!
//! ```
//! use tooldraft::llm::usage::UsageMeter;
//! use tooldraft::llm::Usage;
//! let meter = UsageMeter::new();
//! meter.record("explorer", Usage { prompt_tokens: 100, completion_tokens: 20 });
//! meter.record("explorer", Usage { prompt_tokens: 50, completion_tokens: 5 });
//! meter.record_failure("rewriter");
//! assert_eq!(meter.get("explorer").calls, 2);
//! assert_eq!(meter.total().usage.total(), 175);
//! assert_eq!(meter.total().failed_calls, 1);
//! ```

use super::{ChatModel, ChatRequest, ChatResponse, LlmError, Usage};
use async_trait::async_trait;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::rc::Rc;

/// Calls and tokens of one purpose (or of all).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PurposeUsage {
    /// Calls that returned an answer.
    pub calls: u64,
    /// Calls that ended in an error (no tokens known).
    pub failed_calls: u64,
    pub usage: Usage,
}

impl PurposeUsage {
    fn add(&mut self, other: &PurposeUsage) {
        self.calls += other.calls;
        self.failed_calls += other.failed_calls;
        self.usage.add(other.usage);
    }
}

/// Sums usage per purpose, in first-seen order. Shared through `&` (interior mutability).
#[derive(Debug, Default)]
pub struct UsageMeter {
    by_purpose: RefCell<IndexMap<String, PurposeUsage>>,
}

impl UsageMeter {
    /// An empty meter.
    pub fn new() -> Self {
        Self::default()
    }

    /// One answered call.
    pub fn record(&self, purpose: &str, usage: Usage) {
        let mut map = self.by_purpose.borrow_mut();
        let e = map.entry(purpose.to_string()).or_default();
        e.calls += 1;
        e.usage.add(usage);
    }

    /// One failed call.
    pub fn record_failure(&self, purpose: &str) {
        self.by_purpose.borrow_mut().entry(purpose.to_string()).or_default().failed_calls += 1;
    }

    /// Adds a whole tally (for example one restored from a checkpoint).
    pub fn absorb(&self, purpose: &str, tally: PurposeUsage) {
        self.by_purpose.borrow_mut().entry(purpose.to_string()).or_default().add(&tally);
    }

    /// The tally of one purpose (zero when never seen).
    pub fn get(&self, purpose: &str) -> PurposeUsage {
        self.by_purpose.borrow().get(purpose).copied().unwrap_or_default()
    }

    /// Every purpose's tally, in first-seen order.
    pub fn by_purpose(&self) -> IndexMap<String, PurposeUsage> {
        self.by_purpose.borrow().clone()
    }

    /// The sum over all purposes.
    pub fn total(&self) -> PurposeUsage {
        let mut t = PurposeUsage::default();
        for v in self.by_purpose.borrow().values() {
            t.add(v);
        }
        t
    }
}

/// A model that records each call's usage (by `request.purpose`) in a shared meter.
pub struct MeteredModel {
    inner: Rc<dyn ChatModel>,
    meter: Rc<UsageMeter>,
}

impl MeteredModel {
    /// Wraps `inner`; every call is recorded in `meter`.
    pub fn new(inner: Rc<dyn ChatModel>, meter: Rc<UsageMeter>) -> Self {
        MeteredModel { inner, meter }
    }

    /// The meter calls are recorded in.
    pub fn meter(&self) -> &Rc<UsageMeter> {
        &self.meter
    }
}

#[async_trait(?Send)]
impl ChatModel for MeteredModel {
    async fn chat(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError> {
        let result = self.inner.chat(request).await;
        match &result {
            Ok(resp) => self.meter.record(&request.purpose, resp.usage),
            Err(_) => self.meter.record_failure(&request.purpose),
        }
        result
    }
}
