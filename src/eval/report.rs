//! Scores per item, aggregated per doc version with bootstrap intervals, and paired
//! comparisons between the first version and each other one.

use super::config::{DocVersion, EvalConfig};
use super::queries::QuerySet;
use super::stats::{bootstrap_ci, mcnemar_exact, mean, paired_bootstrap_ci, paired_permutation};
use serde::{Deserialize, Serialize};

/// One item's outcome under one doc version.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "EvalItemResult"))]
#[serde(rename_all = "camelCase")]
pub struct ItemResult {
    pub item: String,
    /// Gold operations, as labelled for the model.
    pub gold: Vec<String>,
    /// Operations the model chose, in order.
    pub chosen: Vec<String>,
    /// Chosen names that were not among the candidates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outside: Vec<String>,
    /// Every gold operation chosen (the paper's Correct Path).
    pub cp: bool,
    /// Gold operations chosen in their order.
    pub cp_ordered: bool,
    /// The chosen set equals the gold set.
    pub selection: bool,
    /// Share of calls to candidates whose arguments fit the parameter schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub args_valid: Option<f64>,
    /// Share of read-only calls that succeeded against the tool target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub call_success: Option<f64>,
    pub tokens: u64,
    pub model_calls: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub error: Option<String>,
}

impl ItemResult {
    pub(crate) fn new(item: &str, gold: Vec<String>) -> Self {
        ItemResult { item: item.to_string(), gold, ..Default::default() }
    }

    /// Fills cp, cp_ordered and selection from gold and chosen.
    pub(crate) fn score(&mut self) {
        self.cp = self.gold.iter().all(|g| self.chosen.contains(g));
        let mut rest = self.chosen.iter();
        self.cp_ordered = self.gold.iter().all(|g| rest.any(|c| c == g));
        let chosen = crate::order::set_of(self.chosen.iter());
        let gold = crate::order::set_of(self.gold.iter());
        self.selection = chosen == gold;
    }
}

/// An item left out of scoring, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SkippedItem {
    pub item: String,
    pub version: String,
    pub reason: String,
}

/// A metric's mean with its 95% bootstrap interval, over `n` items.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Metric {
    pub mean: f64,
    pub low: f64,
    pub high: f64,
    pub n: usize,
}

/// All scores of one doc version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct VersionScores {
    pub label: String,
    pub cp: Metric,
    pub cp_ordered: Metric,
    pub selection: Metric,
    pub args_valid: Metric,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub call_success: Option<Metric>,
    pub tokens_per_item: Metric,
    /// Items where the model named operations outside the candidates.
    pub outside_candidates: usize,
    /// Items where the model gave no usable answer.
    pub errors: usize,
    pub items: Vec<ItemResult>,
}

/// The first version against another, on the same items.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    pub baseline: String,
    pub candidate: String,
    pub metric: String,
    /// candidate mean − baseline mean, with its paired-bootstrap 95% interval.
    pub difference: f64,
    pub low: f64,
    pub high: f64,
    /// Two-sided p-value (exact McNemar for pass/fail metrics, paired permutation otherwise).
    pub p_value: f64,
    pub test: String,
}

/// A whole evaluation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct EvalReport {
    pub query_set: String,
    pub items: usize,
    pub scored_items: usize,
    pub skipped: Vec<SkippedItem>,
    pub versions: Vec<VersionScores>,
    pub comparisons: Vec<Comparison>,
    /// The words for the metric and test ids (reports written before they existed get
    /// this version's).
    #[serde(default)]
    pub labels: super::labels::EvalLabels,
}

fn metric(xs: &[f64], cfg: &EvalConfig, salt: u64) -> Metric {
    let (low, high) = bootstrap_ci(xs, cfg.resamples, cfg.seed ^ salt);
    Metric { mean: mean(xs), low, high, n: xs.len() }
}

fn bools(items: &[ItemResult], f: fn(&ItemResult) -> bool) -> Vec<f64> {
    items.iter().map(|i| if f(i) { 1.0 } else { 0.0 }).collect()
}

pub(crate) fn aggregate(
    versions: &[DocVersion],
    per_version: Vec<Vec<ItemResult>>,
    skipped: Vec<SkippedItem>,
    set: &QuerySet,
    cfg: &EvalConfig,
) -> EvalReport {
    let scored_items = per_version.first().map_or(0, Vec::len);
    let scores: Vec<VersionScores> = versions
        .iter()
        .zip(per_version)
        .map(|(v, items)| {
            let args: Vec<f64> = items.iter().map(|i| i.args_valid.unwrap_or(0.0)).collect();
            let calls: Vec<f64> = items.iter().filter_map(|i| i.call_success).collect();
            let tokens: Vec<f64> = items.iter().map(|i| i.tokens as f64).collect();
            VersionScores {
                label: v.label.clone(),
                cp: metric(&bools(&items, |i| i.cp), cfg, 1),
                cp_ordered: metric(&bools(&items, |i| i.cp_ordered), cfg, 2),
                selection: metric(&bools(&items, |i| i.selection), cfg, 3),
                args_valid: metric(&args, cfg, 4),
                call_success: (!calls.is_empty()).then(|| metric(&calls, cfg, 5)),
                tokens_per_item: metric(&tokens, cfg, 6),
                outside_candidates: items.iter().filter(|i| !i.outside.is_empty()).count(),
                errors: items.iter().filter(|i| i.error.is_some()).count(),
                items,
            }
        })
        .collect();
    let mut comparisons = Vec::new();
    if let Some((base, rest)) = scores.split_first() {
        for other in rest {
            for (name, f) in [
                ("cp", (|i: &ItemResult| i.cp) as fn(&ItemResult) -> bool),
                ("cpOrdered", |i| i.cp_ordered),
                ("selection", |i| i.selection),
            ] {
                let a = bools(&base.items, f);
                let b = bools(&other.items, f);
                let only_a = a.iter().zip(&b).filter(|(x, y)| **x > **y).count();
                let only_b = a.iter().zip(&b).filter(|(x, y)| **y > **x).count();
                comparisons.push(compare(
                    base,
                    other,
                    name,
                    &a,
                    &b,
                    mcnemar_exact(only_a, only_b),
                    "mcnemarExact",
                    cfg,
                ));
            }
            let a: Vec<f64> = base.items.iter().map(|i| i.args_valid.unwrap_or(0.0)).collect();
            let b: Vec<f64> = other.items.iter().map(|i| i.args_valid.unwrap_or(0.0)).collect();
            let p = paired_permutation(&a, &b, cfg.resamples, cfg.seed);
            comparisons.push(compare(base, other, "argsValid", &a, &b, p, "pairedPermutation", cfg));
            let a: Vec<f64> = base.items.iter().map(|i| i.tokens as f64).collect();
            let b: Vec<f64> = other.items.iter().map(|i| i.tokens as f64).collect();
            let p = paired_permutation(&a, &b, cfg.resamples, cfg.seed);
            comparisons.push(compare(base, other, "tokensPerItem", &a, &b, p, "pairedPermutation", cfg));
        }
    }
    EvalReport {
        query_set: set.kind.clone(),
        items: set.items.len(),
        scored_items,
        skipped,
        versions: scores,
        comparisons,
        labels: super::labels::EvalLabels::standard(),
    }
}

#[allow(clippy::too_many_arguments)]
fn compare(
    base: &VersionScores,
    other: &VersionScores,
    metric: &str,
    a: &[f64],
    b: &[f64],
    p_value: f64,
    test: &str,
    cfg: &EvalConfig,
) -> Comparison {
    let (low, high) = paired_bootstrap_ci(a, b, cfg.resamples, cfg.seed ^ 0x5eed);
    Comparison {
        baseline: base.label.clone(),
        candidate: other.label.clone(),
        metric: metric.into(),
        difference: mean(b) - mean(a),
        low,
        high,
        p_value,
        test: test.into(),
    }
}
