//! Diversity-promoting exploration and tool-adaptive termination, the two uses of text
//! similarity in the loop, and which embedder measures them.
//!
//! - Diversity: a new query's cosine similarity (embeddings) to every earlier query of the
//!   operation must be below φ; [`nearest`] finds the most similar earlier query.
//! - Termination: after each accepted rewrite, Δ = (BLEU + cosine) / 2 between the previous
//!   and the new revision ([`revision_delta`]); the operation stops when Δ > τ, i.e. when
//!   consecutive revisions barely differ (the paper's text, and DRAFT.py line 378:
//!   `if score > 0.75`). What Δ compares is [`DeltaText`]: the description alone by default,
//!   as the paper's code does (`bench/refine/RESULTS.md` has the comparison with the
//!   description plus one `name: description` line per parameter).
//! - [`Measures`]: each operation pins one embedder at its first measurement and makes every
//!   decision with it. When a remote embedder fails, that decision is not made (said in a
//!   warning), and operations that have not measured anything yet fall back to the local
//!   embedder (said in events and the report): never two embedders in one operation's decisions.
//!
//! ```
//! use std::collections::BTreeMap;
//! use tooldraft::refine::diversity::{revision_text, DeltaText};
//! let mut p = BTreeMap::new();
//! p.insert("id".to_string(), "The user id.".to_string());
//! assert_eq!(revision_text("Gets a user.", &p, DeltaText::DescriptionAndParameters), "Gets a user.\nid: The user id.");
//! assert_eq!(revision_text("Gets a user.", &p, DeltaText::Description), "Gets a user.");
//! ```

use crate::similarity::{bleu, cosine, CachedEmbedder, EmbedError, Embedded, Embedder, LocalEmbedder, Thresholds};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// The usage role remote embedding calls and tokens are counted under.
pub const EMBEDDINGS_ROLE: &str = "embeddings";

/// What Δ compares between two revisions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum DeltaText {
    /// The description only (the paper's).
    #[default]
    Description,
    /// The description, then `name: description` per parameter (sorted by name).
    DescriptionAndParameters,
}

/// The text Δ compares (see [`DeltaText`]).
pub fn revision_text(description: &str, parameters: &BTreeMap<String, String>, what: DeltaText) -> String {
    let mut s = description.trim().to_string();
    if what == DeltaText::Description {
        return s;
    }
    for (k, v) in parameters {
        s.push('\n');
        s.push_str(k);
        s.push_str(": ");
        s.push_str(v.trim());
    }
    s
}

/// A measurement and what it cost (requests to the embedder, tokens it reported).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Measured<T> {
    pub value: T,
    pub requests: usize,
    pub prompt_tokens: u64,
}

async fn embed_checked(embedder: &dyn Embedder, texts: &[String]) -> Result<Embedded, EmbedError> {
    let got = embedder.embed_texts(texts).await?;
    crate::similarity::check_vectors(&got.vectors, texts.len(), None)?;
    Ok(got)
}

/// The highest cosine similarity of `query` to any of `earlier`, and its index (None when
/// there are no earlier queries). One embedder call for all texts.
pub async fn nearest(
    embedder: &dyn Embedder,
    query: &str,
    earlier: &[String],
) -> Result<Measured<Option<(f64, usize)>>, EmbedError> {
    if earlier.is_empty() {
        return Ok(Measured { value: None, requests: 0, prompt_tokens: 0 });
    }
    let mut texts = Vec::with_capacity(earlier.len() + 1);
    texts.push(query.to_string());
    texts.extend(earlier.iter().cloned());
    let got = embed_checked(embedder, &texts).await?;
    let v = &got.vectors;
    let mut best: Option<(f64, usize)> = None;
    for (i, e) in v[1..].iter().enumerate() {
        let s = cosine(&v[0], e);
        if best.is_none_or(|(b, _)| s > b) {
            best = Some((s, i));
        }
    }
    Ok(Measured { value: best, requests: got.requests, prompt_tokens: got.prompt_tokens })
}

/// Δ = (BLEU(previous, new) + max(0, cosine)) / 2 over [`revision_text`]s. One embedder call.
pub async fn revision_delta(embedder: &dyn Embedder, previous: &str, new: &str) -> Result<Measured<f64>, EmbedError> {
    let got = embed_checked(embedder, &[previous.to_string(), new.to_string()]).await?;
    let v = &got.vectors;
    let value = (bleu(previous, new) + cosine(&v[0], &v[1]).max(0.0)) / 2.0;
    Ok(Measured { value, requests: got.requests, prompt_tokens: got.prompt_tokens })
}

/// The embedders of a run (see the module docs): the configured one behind a cache, the local
/// fallback, and why the configured one was given up, once it was.
pub struct Measures {
    primary: Rc<dyn Embedder>,
    local: Rc<dyn Embedder>,
    given_up: RefCell<Option<String>>,
}

impl Measures {
    /// `primary` (cached when remote), with [`LocalEmbedder`] as the fallback.
    pub fn new(primary: Rc<dyn Embedder>) -> Measures {
        let local: Rc<dyn Embedder> = Rc::new(LocalEmbedder::default());
        let primary: Rc<dyn Embedder> =
            if primary.is_local() { primary } else { Rc::new(CachedEmbedder::new(primary)) };
        Measures { primary, local, given_up: RefCell::new(None) }
    }

    /// The configured embedder.
    pub fn primary(&self) -> &Rc<dyn Embedder> {
        &self.primary
    }

    /// Why the configured embedder was given up in this run, if it was.
    pub fn given_up(&self) -> Option<String> {
        self.given_up.borrow().clone()
    }

    /// Starts a run afresh (the configured embedder gets another chance).
    pub fn reset(&self) {
        *self.given_up.borrow_mut() = None;
    }

    /// The embedder an operation measures with: the one its measurements so far used
    /// (`pinned`), else the configured one, or the local one once the configured one was
    /// given up. None when the operation's embedder was given up: its decisions are then not
    /// made rather than made with another embedder. The caller pins the embedder's name after
    /// its first successful measurement.
    pub fn for_operation(&self, pinned: Option<&str>) -> Option<Rc<dyn Embedder>> {
        let given_up = self.given_up.borrow().is_some();
        match pinned {
            Some(name) if name == self.primary.name() => (!given_up).then(|| self.primary.clone()),
            Some(_) => Some(self.local.clone()),
            None if given_up => Some(self.local.clone()),
            None => Some(self.primary.clone()),
        }
    }

    /// Records that the configured embedder failed (`error`, after the network layer's
    /// retries); returns the message to tell when this gives it up (the first failure), None
    /// afterwards or for the local embedder.
    pub fn failed(&self, embedder: &dyn Embedder, error: &EmbedError) -> Option<String> {
        if embedder.is_local() || matches!(error, EmbedError::Cancelled) || self.given_up.borrow().is_some() {
            return None;
        }
        let message = format!(
            "the embedder {} failed ({error}); operations that have not measured yet use {} from now on",
            embedder.name(),
            self.local.name()
        );
        *self.given_up.borrow_mut() = Some(message.clone());
        Some(message)
    }

    /// φ and τ for `embedder`: the configured values, else its family's calibrated ones.
    pub fn thresholds(embedder: &dyn Embedder, phi: Option<f64>, tau: Option<f64>) -> Thresholds {
        let t = embedder.thresholds();
        Thresholds { phi: phi.unwrap_or(t.phi), tau: tau.unwrap_or(t.tau) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::similarity::LocalEmbedder;
    use futures::executor::block_on;

    #[test]
    fn nearest_finds_the_closest_query() {
        let e = LocalEmbedder::default();
        let earlier = vec!["convert 10 usd to eur".to_string(), "weather in paris tomorrow".to_string()];
        let (s, i) = block_on(nearest(&e, "what is the weather in paris tomorrow", &earlier)).unwrap().value.unwrap();
        assert_eq!(i, 1);
        assert!(s > 0.7, "{s}");
        assert_eq!(block_on(nearest(&e, "x", &[])).unwrap().value, None);
    }

    #[test]
    fn delta_of_equal_revisions_is_one() {
        let e = LocalEmbedder::default();
        let d = block_on(revision_delta(&e, "Gets a user by id.", "Gets a user by id.")).unwrap();
        assert!((d.value - 1.0).abs() < 1e-6);
        assert_eq!(d.requests, 0);
    }
}
