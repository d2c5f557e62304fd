//! [`CachedEmbedder`]: one cache of vectors, keyed by (embedder name, text hash), in front of
//! a remote embedder, shared by the diversity check (φ) and the termination score (Δ). Each
//! call sends only the texts not seen before, in one batch (one request per explore step and
//! per accepted revision), and checks every answer with [`check_vectors`] — the count, one
//! length for the whole run, finite numbers — before any decision uses it.
//!
//! ```
//! use std::rc::Rc;
//! use tooldraft::similarity::{CachedEmbedder, Embedder, LocalEmbedder};
//! let e = CachedEmbedder::new(Rc::new(LocalEmbedder::default()));
//! let texts = vec!["a query".to_string()];
//! let first = futures::executor::block_on(e.embed(&texts)).unwrap();
//! assert_eq!(first, futures::executor::block_on(e.embed(&texts)).unwrap());
//! assert_eq!(e.cached(), 1);
//! ```

use super::embed::{check_vectors, EmbedError, Embedded, Embedder, Thresholds};
use super::words::Fnv;
use async_trait::async_trait;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hash::Hasher;
use std::rc::Rc;

/// Vectors kept at most (about 12 MB at 1,536 dimensions); the cache is emptied when full.
const MAX_ENTRIES: usize = 2048;

/// (embedder name's hash, text hash, text length).
type Key = (u64, u64, usize);

/// A caching, checking wrapper around an [`Embedder`]; see the module docs.
pub struct CachedEmbedder {
    inner: Rc<dyn Embedder>,
    name_hash: u64,
    vectors: RefCell<HashMap<Key, Rc<Vec<f32>>>>,
    dims: Cell<Option<usize>>,
}

fn hash(text: &str) -> u64 {
    let mut h = Fnv::default();
    h.write(text.as_bytes());
    h.finish()
}

impl CachedEmbedder {
    /// Wraps `inner`.
    pub fn new(inner: Rc<dyn Embedder>) -> Self {
        let name_hash = hash(&inner.name());
        CachedEmbedder { inner, name_hash, vectors: RefCell::new(HashMap::new()), dims: Cell::new(None) }
    }

    /// Vectors held.
    pub fn cached(&self) -> usize {
        self.vectors.borrow().len()
    }

    fn key(&self, text: &str) -> Key {
        (self.name_hash, hash(text), text.len())
    }
}

#[async_trait(?Send)]
impl Embedder for CachedEmbedder {
    fn name(&self) -> String {
        self.inner.name()
    }
    fn is_local(&self) -> bool {
        self.inner.is_local()
    }
    fn thresholds(&self) -> Thresholds {
        self.inner.thresholds()
    }

    async fn embed_texts(&self, texts: &[String]) -> Result<Embedded, EmbedError> {
        let mut missing: Vec<String> = Vec::new();
        {
            let cache = self.vectors.borrow();
            for t in texts {
                if !cache.contains_key(&self.key(t)) && !missing.contains(t) {
                    missing.push(t.clone());
                }
            }
        }
        let (mut requests, mut prompt_tokens) = (0, 0);
        let mut fresh: HashMap<Key, Rc<Vec<f32>>> = HashMap::new();
        if !missing.is_empty() {
            // No borrow is held across this await: other operations use the cache meanwhile.
            let got = self.inner.embed_texts(&missing).await?;
            check_vectors(&got.vectors, missing.len(), self.dims.get())?;
            self.dims.set(self.dims.get().or_else(|| got.vectors.first().map(Vec::len)));
            requests = got.requests;
            prompt_tokens = got.prompt_tokens;
            for (t, v) in missing.iter().zip(got.vectors) {
                fresh.insert(self.key(t), Rc::new(v));
            }
        }
        let mut cache = self.vectors.borrow_mut();
        let vectors = texts
            .iter()
            .map(|t| {
                let k = self.key(t);
                fresh.get(&k).or_else(|| cache.get(&k)).map(|v| v.as_ref().clone())
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| EmbedError::BadAnswer { message: "a vector went missing from the cache".into() })?;
        if cache.len() + fresh.len() > MAX_ENTRIES {
            cache.clear();
        }
        cache.extend(fresh);
        Ok(Embedded { vectors, requests, prompt_tokens })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use futures::executor::block_on;

    /// Answers with vectors set by the test, counting calls.
    struct Scripted {
        answer: RefCell<Vec<Vec<f32>>>,
        calls: Cell<usize>,
    }

    #[async_trait(?Send)]
    impl Embedder for Scripted {
        fn name(&self) -> String {
            "scripted".into()
        }
        async fn embed_texts(&self, texts: &[String]) -> Result<Embedded, EmbedError> {
            self.calls.set(self.calls.get() + 1);
            let _ = texts;
            Ok(Embedded { vectors: self.answer.borrow().clone(), requests: 1, prompt_tokens: 3 })
        }
    }

    fn texts(t: &[&str]) -> Vec<String> {
        t.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn sends_only_unseen_texts_once() {
        let s = Rc::new(Scripted { answer: RefCell::new(vec![vec![1.0, 0.0], vec![0.0, 1.0]]), calls: Cell::new(0) });
        let e = CachedEmbedder::new(s.clone());
        let a = block_on(e.embed_texts(&texts(&["a", "b", "a"]))).unwrap();
        assert_eq!((a.vectors.len(), a.requests, s.calls.get()), (3, 1, 1));
        assert_eq!(a.vectors[0], a.vectors[2]);
        *s.answer.borrow_mut() = vec![vec![0.5, 0.5]];
        let b = block_on(e.embed_texts(&texts(&["b", "c"]))).unwrap();
        assert_eq!((b.requests, s.calls.get()), (1, 2));
        assert_eq!(b.vectors, vec![vec![0.0, 1.0], vec![0.5, 0.5]]);
        let c = block_on(e.embed_texts(&texts(&["a", "c"]))).unwrap();
        assert_eq!((c.requests, c.prompt_tokens, s.calls.get()), (0, 0, 2));
    }

    #[test]
    fn wrong_count_length_or_nan_is_an_error_and_never_cached() {
        let s = Rc::new(Scripted { answer: RefCell::new(vec![vec![1.0, 0.0]]), calls: Cell::new(0) });
        let e = CachedEmbedder::new(s.clone());
        block_on(e.embed_texts(&texts(&["a"]))).unwrap();
        for (answer, texts_asked, says) in [
            (vec![vec![1.0, 0.0, 0.0]], vec!["b"], "dimensions"),
            (vec![vec![f32::NAN, 0.0]], vec!["b"], "finite"),
            (vec![vec![1.0, 0.0]], vec!["b", "c"], "1 vectors for 2 texts"),
            (vec![vec![1.0, 0.0], vec![1.0, 0.0]], vec!["b"], "2 vectors for 1 texts"),
        ] {
            *s.answer.borrow_mut() = answer;
            let err = block_on(e.embed_texts(&texts(&texts_asked))).unwrap_err();
            assert_eq!(err.code(), "EmbeddingsBadAnswer");
            assert!(err.to_string().contains(says), "{err}");
            assert_eq!(e.cached(), 1);
        }
    }
}
