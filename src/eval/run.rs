//! Running an evaluation: every item against every doc version, concurrently, scored side by
//! side on the same items.

use super::config::{DocVersion, EvalConfig};
use super::queries::{EvalItem, QuerySet};
use super::report::{aggregate, EvalReport, ItemResult, SkippedItem};
use super::selector;
use super::EvalError;
use crate::doc::{Operation, SafetyClass, ToolDoc};
use crate::llm::{structured, ChatModel};
use crate::tools::ToolCaller;
use futures::stream::{self, StreamExt};
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// Progress of an evaluation, one per finished (item, version).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct EvalProgress {
    pub done: usize,
    pub total: usize,
    pub version: String,
    pub item: String,
}

/// Evaluates doc versions on a query set with a model, and, when a tool caller is given,
/// also calls the chosen read-only operations to see whether the calls succeed.
pub struct Evaluator {
    model: Rc<dyn ChatModel>,
    tools: Option<Rc<dyn ToolCaller>>,
    config: EvalConfig,
}

impl Evaluator {
    pub fn new(model: Rc<dyn ChatModel>, tools: Option<Rc<dyn ToolCaller>>, config: EvalConfig) -> Self {
        Evaluator { model, tools, config }
    }

    /// Runs every item against every version and scores them.
    pub async fn run(
        &self,
        versions: &[DocVersion],
        set: &QuerySet,
        on_progress: &dyn Fn(&EvalProgress),
    ) -> Result<EvalReport, EvalError> {
        if versions.is_empty() {
            return Err(EvalError::NoVersions);
        }
        if set.items.is_empty() {
            return Err(EvalError::EmptyQuerySet);
        }
        check_same_tool(versions)?;
        let (usable, skipped) = split_usable(versions, &set.items);
        if usable.is_empty() {
            let example = skipped.first().map(|s| s.reason.clone()).unwrap_or_default();
            return Err(EvalError::NoUsableItems { skipped: skipped.len(), example });
        }
        let total = usable.len() * versions.len();
        // Results go back by position: ids come from the query set and need not be unique.
        let jobs = usable.iter().enumerate().flat_map(|(i, item)| (0..versions.len()).map(move |v| (i, item, v)));
        let done = std::cell::Cell::new(0usize);
        let mut results: Vec<Vec<Option<ItemResult>>> = vec![vec![None; usable.len()]; versions.len()];
        let mut stream = stream::iter(jobs)
            .map(|(i, item, v)| async move { (i, v, self.evaluate_item(&versions[v], item).await) })
            .buffer_unordered(self.config.concurrency.max(1));
        while let Some((i, v, result)) = stream.next().await {
            done.set(done.get() + 1);
            on_progress(&EvalProgress {
                done: done.get(),
                total,
                version: versions[v].label.clone(),
                item: result.item.clone(),
            });
            results[v][i] = Some(result);
        }
        let per_version: Vec<Vec<ItemResult>> =
            results.into_iter().map(|rs| rs.into_iter().flatten().collect()).collect();
        Ok(aggregate(versions, per_version, skipped, set, &self.config))
    }

    async fn evaluate_item(&self, version: &DocVersion, item: &EvalItem) -> ItemResult {
        let candidates = candidates(&version.doc, item).unwrap_or_default();
        let labels = selector::labels(&candidates);
        let gold: Vec<String> = item
            .gold
            .iter()
            .filter_map(|g| g.resolve(&version.doc))
            .filter_map(|op| candidates.iter().position(|c| c.id == op.id).map(|i| labels[i].clone()))
            .collect();
        let request = selector::request(&item.query, &candidates);
        let mut result = ItemResult::new(&item.id, gold);
        match structured::complete_json(self.model.as_ref(), &request).await {
            Ok(answer) => {
                result.tokens = answer.usage.total();
                result.model_calls = answer.calls;
                let choices = selector::parse(&answer.value);
                let mut valid = Vec::new();
                let mut succeeded = Vec::new();
                for choice in &choices {
                    result.chosen.push(choice.label.clone());
                    let Some(i) = labels.iter().position(|l| *l == choice.label) else {
                        result.outside.push(choice.label.clone());
                        continue;
                    };
                    let op = candidates[i];
                    valid.push(crate::schema::validate(&op.arguments_schema(), &choice.arguments).is_empty());
                    if let Some(ok) = self.try_call(op, &choice.arguments).await {
                        succeeded.push(ok);
                    }
                }
                result.args_valid = fraction(&valid);
                result.call_success = fraction(&succeeded);
                result.score();
            }
            Err(e) => result.error = Some(format!("{}: {e}", e.code())),
        }
        result
    }

    async fn try_call(&self, op: &Operation, args: &serde_json::Value) -> Option<bool> {
        let tools = self.tools.as_ref()?;
        if op.safety_class() != SafetyClass::ReadOnly || tools.permits(op).is_err() {
            return None;
        }
        Some(tools.call(op, args).await.is_ok_and(|o| o.is_success()))
    }
}

fn fraction(xs: &[bool]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().filter(|x| **x).count() as f64 / xs.len() as f64)
}

/// The operations an item offers: its candidates resolved in the doc, or every operation.
fn candidates<'a>(doc: &'a ToolDoc, item: &EvalItem) -> Result<Vec<&'a Operation>, String> {
    if item.candidates.is_empty() {
        return Ok(doc.operations().collect());
    }
    item.candidates.iter().map(|c| c.resolve(doc).ok_or_else(|| format!("candidate {c} is not in the docs"))).collect()
}

fn split_usable<'a>(versions: &[DocVersion], items: &'a [EvalItem]) -> (Vec<&'a EvalItem>, Vec<SkippedItem>) {
    let mut usable = Vec::new();
    let mut skipped = Vec::new();
    'items: for item in items {
        for v in versions {
            let problem = match candidates(&v.doc, item) {
                Err(e) => Some(e),
                Ok(c) => item.gold.iter().find_map(|g| match g.resolve(&v.doc) {
                    None => Some(format!("gold operation {g} is not in the docs")),
                    Some(op) if !c.iter().any(|o| o.id == op.id) => {
                        Some(format!("gold operation {g} is not a candidate"))
                    }
                    Some(_) => None,
                }),
            };
            if let Some(reason) = problem {
                skipped.push(SkippedItem { item: item.id.clone(), version: v.label.clone(), reason });
                continue 'items;
            }
        }
        usable.push(item);
    }
    (usable, skipped)
}

/// Versions must document the same tool: most operation names of each must match the first's.
fn check_same_tool(versions: &[DocVersion]) -> Result<(), EvalError> {
    let names = |d: &ToolDoc| crate::order::set_of(d.operations().map(|o| o.name.clone()));
    let first = names(&versions[0].doc);
    for v in &versions[1..] {
        let other = names(&v.doc);
        let shared = first.intersection(&other).count();
        let larger = first.len().max(other.len()).max(1);
        if shared * 2 < larger {
            return Err(EvalError::DifferentTools {
                first: versions[0].label.clone(),
                other: v.label.clone(),
                shared,
                total: larger,
            });
        }
    }
    Ok(())
}
