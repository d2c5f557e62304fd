//! Text embeddings: the [`Embedder`] trait (a remote embeddings endpoint implements it too)
//! and [`LocalEmbedder`], hashed word and character n-gram term-frequency vectors that need
//! no network, no model and no state.
//!
//! Features of a text (lower-cased, split into runs of letters and digits):
//! - each word, with weight `word_weight` per occurrence;
//! - each character 3- and 4-gram of each word padded as `<word>` (fastText-style), so that
//!   "query" and "queries" share features; a word's g grams weigh
//!   `(1 - word_weight) / sqrt(g)` each, so every word carries about as much n-gram mass as
//!   word mass, whatever its length.
//!
//! Features are hashed into `dims` buckets with the hash's top bit as a sign (which keeps
//! inner products unbiased despite collisions), and the vector is L2-normalised. Cosine of
//! two such vectors is 1 for equal texts and near 0 for unrelated ones.
//!
//! [`LocalEmbedder::embed_batch`] can also weight features by a smoothed inverse document
//! frequency computed over the batch itself (stateless TF-IDF). It is off by default: over a
//! pair of texts (termination) IDF only penalises what the two share, and the paper's
//! thresholds (φ = 0.9, τ = 0.75) were set for dense embeddings where shared words count.
//!
//! ```
//! use tooldraft::similarity::{cosine, LocalEmbedder};
//! let e = LocalEmbedder::default();
//! let a = e.embed_text("Find the weather in Paris tomorrow");
//! let b = e.embed_text("find the weather in paris tomorrow");
//! let c = e.embed_text("Convert 20 dollars to euros");
//! assert!((cosine(&a, &b) - 1.0).abs() < 1e-6);
//! assert!(cosine(&a, &c) < 0.3);
//! ```

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::words::Fnv;
use crate::lowercase::Lowercase;

/// Why texts could not be embedded.
#[derive(Clone, Debug, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum EmbedError {
    /// The embeddings endpoint failed (the message names the endpoint, never its key).
    #[error("embeddings endpoint {endpoint}: {message}")]
    Endpoint { endpoint: String, message: String },
    /// The endpoint answered with the wrong number of vectors or mismatched dimensions.
    #[error("embeddings answer could not be used: {message}")]
    BadAnswer { message: String },
    #[error("cancelled")]
    Cancelled,
}

impl EmbedError {
    /// A stable code for this error.
    pub fn code(&self) -> &'static str {
        match self {
            EmbedError::Endpoint { .. } => "EmbeddingsError",
            EmbedError::BadAnswer { .. } => "EmbeddingsBadAnswer",
            EmbedError::Cancelled => "Aborted",
        }
    }
}

/// What one [`Embedder::embed_texts`] call produced: the vectors and what they cost.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Embedded {
    /// One vector per text, in order.
    pub vectors: Vec<Vec<f32>>,
    /// Requests sent to an endpoint (0 for local embeddings and cache hits).
    pub requests: usize,
    /// Tokens the endpoint reported.
    pub prompt_tokens: u64,
}

/// φ and τ for one embedder family: the cosine at or above which a query repeats an earlier
/// one, and the Δ above which two revisions count as converged.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Thresholds {
    pub phi: f64,
    pub tau: f64,
}

impl Thresholds {
    /// The paper's (measured with text-embedding-ada-002): φ = 0.9, τ = 0.75.
    pub const PAPER: Thresholds = Thresholds { phi: 0.9, tau: 0.75 };
}

/// Anything that turns texts into vectors: [`LocalEmbedder`], an embeddings endpoint, a host
/// function.
#[async_trait(?Send)]
pub trait Embedder {
    /// A short name for reports (`local-hashed-512`, `openai:text-embedding-3-small`).
    fn name(&self) -> String;
    /// True when embedding costs no network call (calls are then not counted as usage).
    fn is_local(&self) -> bool {
        false
    }
    /// The calibrated φ and τ of this embedder's family (the paper's unless known better;
    /// see `bench/similarity/RESULTS.md`).
    fn thresholds(&self) -> Thresholds {
        Thresholds::PAPER
    }
    /// One vector per text, in order, with the requests and tokens spent. Implementations
    /// check what they return with [`check_vectors`].
    async fn embed_texts(&self, texts: &[String]) -> Result<Embedded, EmbedError>;
    /// One vector per text, in order.
    async fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, EmbedError> {
        Ok(self.embed_texts(texts).await?.vectors)
    }
}

/// Checks an answer before any decision uses it: one vector per text, all of one non-zero
/// length (`dims` when known), every component a finite number.
pub fn check_vectors(vectors: &[Vec<f32>], texts: usize, dims: Option<usize>) -> Result<(), EmbedError> {
    let bad = |message: String| Err(EmbedError::BadAnswer { message });
    if vectors.len() != texts {
        return bad(format!("{} vectors for {texts} texts", vectors.len()));
    }
    let want = dims.or_else(|| vectors.first().map(Vec::len));
    for (i, v) in vectors.iter().enumerate() {
        if v.is_empty() {
            return bad(format!("vector {i} is empty"));
        }
        if Some(v.len()) != want {
            return bad(format!("vector {i} has {} dimensions, expected {}", v.len(), want.unwrap_or(0)));
        }
        if let Some(j) = v.iter().position(|x| !x.is_finite()) {
            return bad(format!("vector {i} has a value that is not a finite number at {j}"));
        }
    }
    Ok(())
}

/// φ and τ for [`LocalEmbedder`] with its defaults, from `tooldraft calibrate` on the paper's
/// data (`bench/similarity/RESULTS.md`).
pub const LOCAL_THRESHOLDS: Thresholds = Thresholds { phi: 0.88, tau: 0.54 };

/// The calibrated φ and τ for a remote embedding model, by family (its name): the paper's for
/// OpenAI's models (the paper measured with text-embedding-ada-002), and the figures of
/// `tooldraft calibrate` for the families measured here (`bench/similarity/RESULTS.md`).
pub fn family_thresholds(model: &str) -> Thresholds {
    let m = model.to_ascii_lowercase();
    if m.contains("smollm2") {
        return SMOLLM2_THRESHOLDS;
    }
    Thresholds::PAPER
}

/// φ and τ for the embedded chat model's embeddings (`tooldraft serve-llm`, SmolLM2-135M's
/// pooled hidden states), from `tooldraft calibrate --llm local`: no cosine tells a lightly
/// edited repeat from another query for the same API (AUC of that split below 0.5), so φ is 1
/// (only identical queries count as repeats); τ 0.52 agrees with DRAFT's decisions on 95%.
pub const SMOLLM2_THRESHOLDS: Thresholds = Thresholds { phi: 1.0, tau: 0.52 };

/// Hashed word and character n-gram vectors; see the module docs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LocalEmbedder {
    /// Vector length (default 512).
    pub dims: usize,
    /// Weight of the word group against the character n-gram group (default 0.5).
    pub word_weight: f32,
    /// Weight features by inverse document frequency over each batch (default false).
    pub idf: bool,
}

impl Default for LocalEmbedder {
    fn default() -> Self {
        LocalEmbedder { dims: 512, word_weight: 0.5, idf: false }
    }
}

type FeatureCounts = HashMap<u64, f32, BuildHasherDefault<Fnv>>;

impl LocalEmbedder {
    /// The vector of one text (no IDF).
    pub fn embed_text(&self, text: &str) -> Vec<f32> {
        let mut v = vec![0f32; self.dims.max(1)];
        for_each_feature(text, self.word_weight, |f, w| add(&mut v, f, w));
        normalize(&mut v);
        v
    }

    /// Vectors of several texts; with `idf` on, features are weighted by the smoothed inverse
    /// document frequency `ln((1 + n) / (1 + df)) + 1` over this batch.
    pub fn embed_batch(&self, texts: &[String]) -> Vec<Vec<f32>> {
        if !self.idf || texts.len() < 2 {
            return texts.iter().map(|t| self.embed_text(t)).collect();
        }
        let per_text: Vec<FeatureCounts> = texts
            .iter()
            .map(|t| {
                let mut c = FeatureCounts::default();
                for_each_feature(t, self.word_weight, |f, w| *c.entry(f).or_default() += w);
                c
            })
            .collect();
        let mut df: FeatureCounts = FeatureCounts::default();
        for c in &per_text {
            for f in c.keys() {
                *df.entry(*f).or_default() += 1.0;
            }
        }
        let n = texts.len() as f32;
        per_text
            .iter()
            .map(|c| {
                let mut v = vec![0f32; self.dims.max(1)];
                for (f, tf) in c {
                    let idf = ((1.0 + n) / (1.0 + df.get(f).copied().unwrap_or(0.0))).ln() + 1.0;
                    add(&mut v, *f, tf * idf);
                }
                normalize(&mut v);
                v
            })
            .collect()
    }
}

#[async_trait(?Send)]
impl Embedder for LocalEmbedder {
    fn name(&self) -> String {
        format!("local-hashed-{}{}", self.dims, if self.idf { "-idf" } else { "" })
    }
    fn is_local(&self) -> bool {
        true
    }
    fn thresholds(&self) -> Thresholds {
        LOCAL_THRESHOLDS
    }
    async fn embed_texts(&self, texts: &[String]) -> Result<Embedded, EmbedError> {
        Ok(Embedded { vectors: self.embed_batch(texts), requests: 0, prompt_tokens: 0 })
    }
}

/// Cosine similarity of two vectors (0 when either is all zeros or lengths differ).
pub fn cosine(a: &[f32], b: &[f32]) -> f64 {
    if a.len() != b.len() || a.is_empty() {
        return 0.0;
    }
    let (dot, na, nb) = (lanes_dot(a, b), lanes_dot(a, a), lanes_dot(b, b));
    if na == 0.0 || nb == 0.0 {
        return 0.0;
    }
    (dot / (na.sqrt() * nb.sqrt())).clamp(-1.0, 1.0)
}

/// Σ x·y with eight independent f32 lanes (which the compiler turns into SIMD), finished
/// in f64.
fn lanes_dot(a: &[f32], b: &[f32]) -> f64 {
    let mut acc = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f64 = ca.remainder().iter().zip(cb.remainder()).map(|(x, y)| f64::from(*x) * f64::from(*y)).sum();
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            acc[i] += x[i] * y[i];
        }
    }
    acc.iter().map(|v| f64::from(*v)).sum::<f64>() + tail
}

const M1: u64 = 0x9e37_79b9_7f4a_7c15;
const M2: u64 = 0xff51_afd7_ed55_8ccd;

/// Calls `f(feature hash, weight)` for every feature of `text` (see the module docs).
fn for_each_feature(text: &str, word_weight: f32, mut f: impl FnMut(u64, f32)) {
    let ww = word_weight.clamp(0.0, 1.0);
    let lower;
    let text = if text.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        lower = text.lowercase();
        lower.as_str()
    } else {
        text
    };
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        let mut h = Fnv::default();
        h.write(word.as_bytes());
        f(h.finish(), ww);
        // Character 3- and 4-grams of `<word>`, by a rolling polynomial over code points.
        let chars = word.chars().count() + 2;
        let grams = chars.saturating_sub(2) + chars.saturating_sub(3);
        if grams == 0 || ww >= 1.0 {
            continue;
        }
        let gw = (1.0 - ww) / (grams as f32).sqrt();
        let mut last = [u64::from(b'<'), 0, 0, 0];
        let mut seen = 1usize;
        let emit = |last: &[u64; 4], seen: usize, f: &mut dyn FnMut(u64, f32)| {
            if seen >= 3 {
                f(((last[2].wrapping_mul(M1) ^ last[1]).wrapping_mul(M1) ^ last[0]).wrapping_mul(M2) ^ 3, gw);
            }
            if seen >= 4 {
                f(
                    (((last[3].wrapping_mul(M1) ^ last[2]).wrapping_mul(M1) ^ last[1]).wrapping_mul(M1) ^ last[0])
                        .wrapping_mul(M2)
                        ^ 4,
                    gw,
                );
            }
        };
        for c in word.chars().chain(std::iter::once('>')) {
            last = [u64::from(c as u32) + 1, last[0], last[1], last[2]];
            seen += 1;
            emit(&last, seen, &mut f);
        }
    }
}

/// Adds `w` at the feature's bucket with the sign from the hash's top bit.
fn add(v: &mut [f32], feature: u64, w: f32) {
    // Mix so that the bucket (high bits, multiply-shift) and the sign (low bit) are independent.
    let mut x = feature ^ (feature >> 31);
    x = x.wrapping_mul(M2);
    x ^= x >> 29;
    let bucket = ((u128::from(x) * v.len() as u128) >> 64) as usize;
    if x & 1 == 1 {
        v[bucket] -= w;
    } else {
        v[bucket] += w;
    }
}

fn normalize(v: &mut [f32]) {
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if n > 0.0 {
        v.iter_mut().for_each(|x| *x /= n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_have_cosine_one_and_empty_text_zero() {
        let e = LocalEmbedder::default();
        let a = e.embed_text("List the users of a project");
        assert!((cosine(&a, &a) - 1.0).abs() < 1e-6);
        let z = e.embed_text("   ");
        assert_eq!(cosine(&a, &z), 0.0);
        assert!(z.iter().all(|x| *x == 0.0));
    }

    #[test]
    fn morphology_and_word_order_are_close() {
        let e = LocalEmbedder::default();
        let a = e.embed_text("show me the queries for project alpha");
        let b = e.embed_text("for project alpha show me the query");
        let c = e.embed_text("translate this sentence into german please");
        assert!(cosine(&a, &b) > 0.75, "{}", cosine(&a, &b));
        assert!(cosine(&a, &c) < 0.25, "{}", cosine(&a, &c));
    }

    #[test]
    fn idf_downweights_what_every_text_shares() {
        let plain = LocalEmbedder::default();
        let idf = LocalEmbedder { idf: true, ..LocalEmbedder::default() };
        let texts: Vec<String> = ["weather in paris today", "weather in tokyo today", "weather in lima today"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let p = plain.embed_batch(&texts);
        let i = idf.embed_batch(&texts);
        assert!(cosine(&i[0], &i[1]) < cosine(&p[0], &p[1]));
        assert_eq!(p[0], plain.embed_text(&texts[0]));
    }

    #[test]
    fn vectors_are_unit_length_and_sized() {
        let e = LocalEmbedder { dims: 64, ..Default::default() };
        let v = e.embed_text("héllo wörld 東京");
        assert_eq!(v.len(), 64);
        let n: f32 = v.iter().map(|x| x * x).sum();
        assert!((n - 1.0).abs() < 1e-5);
    }
}
