//! A content-addressed cache of model responses: [`CachedModel`] wraps any [`ChatModel`] and
//! answers a request it has seen before (same purpose, messages, schema and sampling) from
//! memory, so re-running the same inputs costs no model calls. The cache is an in-memory map
//! the caller exports to JSON and imports again (a file, IndexedDB, …).
//!
//! A cached answer reports zero tokens: it cost nothing this time.
//!
//! ```
//! use std::rc::Rc;
//! use tooldraft::refine::cache::{request_key, ResponseCache};
//! use tooldraft::llm::{ChatMessage, ChatRequest};
//! let cache = ResponseCache::default();
//! let a = ChatRequest::new("explorer", vec![ChatMessage::user("hi")]);
//! assert_eq!(request_key(&a), request_key(&a.clone()));
//! assert_eq!(cache.len(), 0);
//! let copy = ResponseCache::default();
//! assert_eq!(copy.import(&cache.export()).unwrap(), 0);
//! ```

use crate::llm::{ChatModel, ChatRequest, ChatResponse, LlmError, Usage};
use async_trait::async_trait;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(2 * digest.len());
    for b in digest {
        hex.push(DIGITS[usize::from(b >> 4)].into());
        hex.push(DIGITS[usize::from(b & 15)].into());
    }
    hex
}

/// The stable key of a request: SHA-256 of its JSON (fields in declaration order, schema
/// objects in their insertion order).
pub fn request_key(request: &ChatRequest) -> String {
    sha256_hex(&serde_json::to_vec(request).unwrap_or_default())
}

/// Responses by request key.
#[derive(Debug, Default)]
pub struct ResponseCache {
    entries: RefCell<BTreeMap<String, ChatResponse>>,
    hits: Cell<usize>,
    misses: Cell<usize>,
}

impl ResponseCache {
    /// Entries held.
    pub fn len(&self) -> usize {
        self.entries.borrow().len()
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Requests answered from the cache.
    pub fn hits(&self) -> usize {
        self.hits.get()
    }

    /// Requests passed on to the model.
    pub fn misses(&self) -> usize {
        self.misses.get()
    }

    /// The response cached for this key.
    pub fn get(&self, key: &str) -> Option<ChatResponse> {
        self.entries.borrow().get(key).cloned()
    }

    /// Stores a response.
    pub fn insert(&self, key: String, response: ChatResponse) {
        self.entries.borrow_mut().insert(key, response);
    }

    /// `{"version": 1, "entries": {key: response}}`.
    pub fn export(&self) -> Value {
        json!({"version": 1, "entries": &*self.entries.borrow()})
    }

    /// Adds the entries of an export; returns how many were read.
    pub fn import(&self, exported: &Value) -> Result<usize, String> {
        if exported.get("version").and_then(Value::as_u64) != Some(1) {
            return Err("the cache export is not version 1".into());
        }
        let entries: BTreeMap<String, ChatResponse> =
            serde_json::from_value(exported.get("entries").cloned().unwrap_or_else(|| json!({})))
                .map_err(|e| format!("the cache export's entries could not be read: {e}"))?;
        let n = entries.len();
        self.entries.borrow_mut().extend(entries);
        Ok(n)
    }
}

/// A [`ChatModel`] that answers repeated requests from a [`ResponseCache`].
pub struct CachedModel {
    inner: Rc<dyn ChatModel>,
    cache: Rc<ResponseCache>,
}

impl CachedModel {
    /// Wraps `inner`; the cache may be shared and pre-filled with [`ResponseCache::import`].
    pub fn new(inner: Rc<dyn ChatModel>, cache: Rc<ResponseCache>) -> Self {
        CachedModel { inner, cache }
    }

    /// The cache.
    pub fn cache(&self) -> &Rc<ResponseCache> {
        &self.cache
    }
}

#[async_trait(?Send)]
impl ChatModel for CachedModel {
    async fn chat(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError> {
        let key = request_key(request);
        if let Some(mut hit) = self.cache.get(&key) {
            self.cache.hits.set(self.cache.hits.get() + 1);
            hit.usage = Usage::default();
            return Ok(hit);
        }
        self.cache.misses.set(self.cache.misses.get() + 1);
        let response = self.inner.chat(request).await?;
        self.cache.insert(key, response.clone());
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::llm::ChatMessage;

    struct Counting(Cell<usize>);

    #[async_trait(?Send)]
    impl ChatModel for Counting {
        async fn chat(&self, r: &ChatRequest) -> Result<ChatResponse, LlmError> {
            self.0.set(self.0.get() + 1);
            Ok(ChatResponse {
                content: format!("echo {}", r.messages[0].content),
                usage: Usage { prompt_tokens: 3, completion_tokens: 2 },
                model: None,
            })
        }
    }

    #[test]
    fn repeated_requests_cost_nothing_and_survive_export() {
        let inner = Rc::new(Counting(Cell::new(0)));
        let cache = Rc::new(ResponseCache::default());
        let m = CachedModel::new(inner.clone(), cache.clone());
        let a = ChatRequest::new("explorer", vec![ChatMessage::user("a")]);
        let b = ChatRequest::new("analyzer", vec![ChatMessage::user("a")]);
        let r1 = futures::executor::block_on(m.chat(&a)).unwrap();
        let r2 = futures::executor::block_on(m.chat(&a)).unwrap();
        futures::executor::block_on(m.chat(&b)).unwrap();
        assert_eq!(inner.0.get(), 2, "a different purpose is a different request");
        assert_eq!((r1.content, r1.usage.total(), r2.usage.total()), ("echo a".to_string(), 5, 0));
        assert_eq!((cache.hits(), cache.misses()), (1, 2));
        let fresh = Rc::new(ResponseCache::default());
        assert_eq!(fresh.import(&cache.export()).unwrap(), 2);
        let m2 = CachedModel::new(inner.clone(), fresh);
        futures::executor::block_on(m2.chat(&b)).unwrap();
        assert_eq!(inner.0.get(), 2);
        assert!(ResponseCache::default().import(&json!({"version": 2})).is_err());
    }
}
