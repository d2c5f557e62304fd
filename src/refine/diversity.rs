//! Diversity-promoting exploration and tool-adaptive termination, the two uses of text
//! similarity in the loop.
//!
//! - Diversity: a new query's cosine similarity (embeddings) to every earlier query of the
//!   operation must be below φ; [`nearest`] finds the most similar earlier query.
//! - Termination: after each accepted rewrite, Δ = (BLEU + cosine) / 2 between the previous
//!   and the new revision ([`revision_delta`]). The text compared is the description followed
//!   by one `name: description` line per parameter (sorted by name), because ours rewrites
//!   parameter descriptions too: an operation converges when its whole documentation stops
//!   changing. (The paper's code stops when Δ < 0.75, the reverse of the paper's text; we
//!   follow the paper: stop when Δ > τ, i.e. when consecutive revisions barely differ.)
//!
//! ```
//! use std::collections::BTreeMap;
//! use tooldraft::refine::diversity::revision_text;
//! let mut p = BTreeMap::new();
//! p.insert("id".to_string(), "The user id.".to_string());
//! assert_eq!(revision_text("Gets a user.", &p), "Gets a user.\nid: The user id.");
//! ```

use crate::similarity::{bleu, cosine, EmbedError, Embedder};
use std::collections::BTreeMap;

/// The text Δ compares: the description, then `name: description` per parameter.
pub fn revision_text(description: &str, parameters: &BTreeMap<String, String>) -> String {
    let mut s = description.trim().to_string();
    for (k, v) in parameters {
        s.push('\n');
        s.push_str(k);
        s.push_str(": ");
        s.push_str(v.trim());
    }
    s
}

/// The highest cosine similarity of `query` to any of `earlier`, and its index (None when
/// there are no earlier queries). One embedder call for all texts.
pub async fn nearest(
    embedder: &dyn Embedder,
    query: &str,
    earlier: &[String],
) -> Result<Option<(f64, usize)>, EmbedError> {
    if earlier.is_empty() {
        return Ok(None);
    }
    let mut texts = Vec::with_capacity(earlier.len() + 1);
    texts.push(query.to_string());
    texts.extend(earlier.iter().cloned());
    let v = embedder.embed(&texts).await?;
    if v.len() != texts.len() {
        return Err(EmbedError::BadAnswer { message: format!("{} vectors for {} texts", v.len(), texts.len()) });
    }
    let mut best: Option<(f64, usize)> = None;
    for (i, e) in v[1..].iter().enumerate() {
        let s = cosine(&v[0], e);
        if best.is_none_or(|(b, _)| s > b) {
            best = Some((s, i));
        }
    }
    Ok(best)
}

/// Δ = (BLEU(previous, new) + max(0, cosine)) / 2 over [`revision_text`]s.
pub async fn revision_delta(embedder: &dyn Embedder, previous: &str, new: &str) -> Result<f64, EmbedError> {
    let v = embedder.embed(&[previous.to_string(), new.to_string()]).await?;
    if v.len() != 2 {
        return Err(EmbedError::BadAnswer { message: format!("{} vectors for 2 texts", v.len()) });
    }
    Ok((bleu(previous, new) + cosine(&v[0], &v[1]).max(0.0)) / 2.0)
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
        let (s, i) = block_on(nearest(&e, "what is the weather in paris tomorrow", &earlier)).unwrap().unwrap();
        assert_eq!(i, 1);
        assert!(s > 0.7, "{s}");
        assert_eq!(block_on(nearest(&e, "x", &[])).unwrap(), None);
    }

    #[test]
    fn delta_of_equal_revisions_is_one() {
        let e = LocalEmbedder::default();
        let d = block_on(revision_delta(&e, "Gets a user by id.", "Gets a user by id.")).unwrap();
        assert!((d - 1.0).abs() < 1e-6);
    }
}
