//! Calibration of φ and τ for an embedder: how well its similarities separate same-intent
//! from different-intent pairs (ROC AUC), and the thresholds that reproduce DRAFT's decisions
//! on a labelled set built from the paper's data (`bench/similarity/calibration_set.py`,
//! shipped as `pkg/lib/calibration-set.json`).
//!
//! Labels are `query:repeat` / `query:sameApi` / `query:otherApi` and `description:revision` /
//! `description:rewrite` / `description:otherApi`:
//! - separation: cosine of `sameApi` against `otherApi` query pairs, and Δ of `rewrite`
//!   (a description and its DRAFT rewrite) against `otherApi` description pairs;
//! - φ: the cosine that best tells `repeat` (DRAFT regenerates the query) from `sameApi`
//!   (a different query for the same API, which DRAFT keeps), by balanced accuracy;
//! - τ: the Δ that best tells `revision` (consecutive revisions that converged) from
//!   `rewrite` (a change DRAFT did not stop at).
//!
//! ```
//! use tooldraft::calibrate::{auc, best_threshold};
//! assert_eq!(auc(&[0.9, 0.8], &[0.1, 0.2]), 1.0);
//! let (t, agreement) = best_threshold(&[0.9, 0.8], &[0.1, 0.2]);
//! assert!(t > 0.2 && t <= 0.8 && agreement == 1.0);
//! ```

use crate::similarity::{bleu, check_vectors, cosine, EmbedError, Embedder, Thresholds};
use serde::{Deserialize, Serialize};

/// Texts (stored once) and labelled pairs `[i, j, label]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CalibrationSet {
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub source: String,
    pub texts: Vec<String>,
    #[cfg_attr(test, ts(type = "Array<[number, number, CalibrationLabel]>"))]
    pub pairs: Vec<(usize, usize, String)>,
}

/// Mean and count of one label's scores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LabelStats {
    pub label: String,
    pub pairs: usize,
    pub mean: f64,
}

/// What `calibrate` found for one embedder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Calibration {
    pub embedder: String,
    pub pairs: usize,
    /// Requests sent to a remote embedder.
    pub requests: usize,
    /// ROC AUC of cosine, same-API against other-API query pairs.
    pub query_auc: f64,
    /// ROC AUC of Δ, description-vs-rewrite against other-API description pairs.
    pub description_auc: f64,
    /// The calibrated thresholds.
    pub thresholds: Thresholds,
    /// Balanced accuracy of φ (repeat vs same-API queries) and τ (revision vs rewrite).
    pub phi_agreement: f64,
    pub tau_agreement: f64,
    /// The same accuracies with the paper's φ = 0.9 and τ = 0.75.
    pub paper_phi_agreement: f64,
    pub paper_tau_agreement: f64,
    /// The embedder's shipped defaults (its family's), for comparison.
    pub shipped: Thresholds,
    pub labels: Vec<LabelStats>,
}

/// Why calibration failed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CalibrateError {
    #[error("the calibration set is not usable: {0}")]
    BadSet(String),
    #[error(transparent)]
    Embed(#[from] EmbedError),
}

/// The labels a calibration pair may carry.
pub(crate) const LABELS: [&str; 6] = [
    "query:repeat",
    "query:sameApi",
    "query:otherApi",
    "description:revision",
    "description:rewrite",
    "description:otherApi",
];

/// Texts embedded per request.
const BATCH: usize = 64;

/// ROC AUC: the probability that a random positive scores above a random negative (ties
/// count half). 0.5 when either side is empty.
pub fn auc(positives: &[f64], negatives: &[f64]) -> f64 {
    if positives.is_empty() || negatives.is_empty() {
        return 0.5;
    }
    let mut wins = 0.0;
    for p in positives {
        for n in negatives {
            wins += if p > n {
                1.0
            } else if p == n {
                0.5
            } else {
                0.0
            };
        }
    }
    wins / (positives.len() * negatives.len()) as f64
}

/// Share of positives at or above `t` and negatives below it, averaged.
fn balanced_accuracy(positives: &[f64], negatives: &[f64], t: f64) -> f64 {
    let share =
        |xs: &[f64], f: &dyn Fn(f64) -> bool| xs.iter().filter(|x| f(**x)).count() as f64 / xs.len().max(1) as f64;
    (share(positives, &|x| x >= t) + share(negatives, &|x| x < t)) / 2.0
}

/// The threshold (a midpoint between two observed scores, rounded to 0.01) with the best
/// balanced accuracy for "score ≥ t means positive", and that accuracy.
pub fn best_threshold(positives: &[f64], negatives: &[f64]) -> (f64, f64) {
    let mut scores: Vec<f64> = positives.iter().chain(negatives).copied().filter(|x| x.is_finite()).collect();
    crate::order::sort_by(&mut scores, f64::total_cmp);
    scores.dedup();
    let mut best = (1.0, balanced_accuracy(positives, negatives, 1.0));
    for w in scores.windows(2) {
        let t = ((w[0] + w[1]) / 2.0 * 100.0).ceil() / 100.0;
        let a = balanced_accuracy(positives, negatives, t);
        if a > best.1 {
            best = (t, a);
        }
    }
    best
}

impl CalibrationSet {
    fn check(&self) -> Result<(), CalibrateError> {
        for (i, j, label) in &self.pairs {
            if *i >= self.texts.len() || *j >= self.texts.len() {
                return Err(CalibrateError::BadSet(format!("pair ({i}, {j}) points past {} texts", self.texts.len())));
            }
            if !LABELS.contains(&label.as_str()) {
                return Err(CalibrateError::BadSet(format!("unknown label `{label}`")));
            }
        }
        for needed in LABELS {
            if !self.pairs.iter().any(|p| p.2 == needed) {
                return Err(CalibrateError::BadSet(format!("no `{needed}` pair")));
            }
        }
        Ok(())
    }
}

/// Embeds every text of `set` (in batches of 64) and measures; see the module docs.
pub async fn calibrate(embedder: &dyn Embedder, set: &CalibrationSet) -> Result<Calibration, CalibrateError> {
    set.check()?;
    let mut vectors = Vec::with_capacity(set.texts.len());
    let mut requests = 0;
    for chunk in set.texts.chunks(BATCH) {
        let got = embedder.embed_texts(chunk).await?;
        check_vectors(&got.vectors, chunk.len(), vectors.first().map(|v: &Vec<f32>| v.len()))?;
        requests += got.requests;
        vectors.extend(got.vectors);
    }
    let score = |label: &str| -> Vec<f64> {
        set.pairs
            .iter()
            .filter(|p| p.2 == label)
            .map(|(i, j, _)| {
                let c = cosine(&vectors[*i], &vectors[*j]);
                if label.starts_with("query:") {
                    c
                } else {
                    (bleu(&set.texts[*i], &set.texts[*j]) + c.max(0.0)) / 2.0
                }
            })
            .collect()
    };
    let scores: Vec<Vec<f64>> = LABELS.iter().map(|l| score(l)).collect();
    let [repeat, same, other_q, revision, rewrite, other_d] = [0, 1, 2, 3, 4, 5].map(|i| &scores[i]);
    let (phi, phi_agreement) = best_threshold(repeat, same);
    let (tau, tau_agreement) = best_threshold(revision, rewrite);
    let paper = Thresholds::PAPER;
    Ok(Calibration {
        embedder: embedder.name(),
        pairs: set.pairs.len(),
        requests,
        query_auc: auc(same, other_q),
        description_auc: auc(rewrite, other_d),
        thresholds: Thresholds { phi, tau },
        phi_agreement,
        tau_agreement,
        paper_phi_agreement: balanced_accuracy(repeat, same, paper.phi),
        // Converged is Δ > τ; the scores are continuous, so ≥ reads the same.
        paper_tau_agreement: balanced_accuracy(revision, rewrite, paper.tau),
        shipped: embedder.thresholds(),
        labels: LABELS
            .iter()
            .zip(&scores)
            .map(|(l, s)| LabelStats {
                label: l.to_string(),
                pairs: s.len(),
                mean: s.iter().sum::<f64>() / s.len().max(1) as f64,
            })
            .collect(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::similarity::LocalEmbedder;
    use futures::executor::block_on;

    #[test]
    fn auc_counts_ties_half_and_threshold_separates() {
        assert_eq!(auc(&[0.5], &[0.5]), 0.5);
        assert_eq!(auc(&[0.1], &[0.9]), 0.0);
        let (t, a) = best_threshold(&[0.95, 0.9, 0.7], &[0.6, 0.5, 0.8]);
        assert!((a - 5.0 / 6.0).abs() < 1e-9, "{t} {a}");
    }

    #[test]
    fn a_bad_set_is_refused_with_a_reason() {
        let e = LocalEmbedder::default();
        let set = CalibrationSet {
            source: String::new(),
            texts: vec!["a".into()],
            pairs: vec![(0, 3, "query:repeat".into())],
        };
        let err = block_on(calibrate(&e, &set)).unwrap_err();
        assert!(err.to_string().contains("points past 1 texts"), "{err}");
        let set =
            CalibrationSet { source: String::new(), texts: vec!["a".into()], pairs: vec![(0, 0, "query:x".into())] };
        assert!(block_on(calibrate(&e, &set)).unwrap_err().to_string().contains("unknown label"));
    }

    #[test]
    fn a_tiny_set_calibrates() {
        let texts: Vec<String> = [
            "list the movies of a director",
            "list the movies of the director",
            "which films did this director make",
            "play a song on my speaker",
            "Returns the movies a person directed.",
            "Returns the movies a person directed, newest first.",
            "Searches people by name.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let p = |i, j, l: &str| (i, j, l.to_string());
        let set = CalibrationSet {
            source: String::new(),
            texts,
            pairs: vec![
                p(0, 1, "query:repeat"),
                p(0, 2, "query:sameApi"),
                p(0, 3, "query:otherApi"),
                p(4, 5, "description:revision"),
                p(6, 4, "description:rewrite"),
                p(4, 3, "description:otherApi"),
            ],
        };
        let c = block_on(calibrate(&LocalEmbedder::default(), &set)).unwrap();
        assert_eq!((c.pairs, c.requests, c.query_auc), (6, 0, 1.0));
        assert_eq!((c.phi_agreement, c.tau_agreement), (1.0, 1.0));
        assert!(c.thresholds.phi > c.labels[1].mean && c.thresholds.phi <= c.labels[0].mean);
    }
}
