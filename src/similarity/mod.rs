//! Text similarity with no network: sentence BLEU-4 (NLTK's smoothing method 4), local text
//! embeddings (hashed n-grams) and cosine. Used by diversity-promoting exploration and
//! tool-adaptive termination.
//!
//! Δ, the paper's convergence measure between two revisions of a description, is the mean of
//! BLEU and cosine: [`delta`]. A negative cosine (possible with signed feature hashing for
//! unrelated texts) counts as 0, so Δ stays in [0, 1].
//!
//! ```
//! use tooldraft::similarity::{delta, LocalEmbedder};
//! let e = LocalEmbedder::default();
//! let (a, b) = ("Returns the user with this id.", "Returns the user with this id.");
//! let d = delta(a, b, &e.embed_text(a), &e.embed_text(b));
//! assert!((d - 1.0).abs() < 1e-6);
//! ```

mod bleu;
mod cache;
mod embed;
mod ngrams;
mod words;

pub use bleu::{bleu, sentence_bleu, tokenize};
pub use cache::CachedEmbedder;
pub use embed::{
    check_vectors, cosine, family_thresholds, EmbedError, Embedded, Embedder, LocalEmbedder, Thresholds,
    LOCAL_THRESHOLDS,
};
pub use words::is_python_whitespace;

/// Δ = (BLEU(previous, new) + max(0, cosine(previous, new))) / 2, with `previous` as the
/// reference, as the paper's `compute_similarity_and_bleu`.
pub fn delta(previous: &str, new: &str, previous_vec: &[f32], new_vec: &[f32]) -> f64 {
    (bleu(previous, new) + cosine(previous_vec, new_vec).max(0.0)) / 2.0
}
