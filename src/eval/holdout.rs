//! Test items from a refinement run, split so that a run can be validated on queries its
//! rewrites never saw.
//!
//! - [`super::explored::explored_items`]: the run's verified explorations (a successful call and the query
//!   behind it). The analyzer and rewriter saw these: they measure fit, not generalisation.
//! - [`explore_held_out`]: new queries from the Explorer role, against the ORIGINAL docs,
//!   told to differ from every query the run explored (and rejected when they are too
//!   similar anyway, by the same φ as the run), each verified by a real call. No analyzer or
//!   rewriter ever sees them, so the refined docs can be validated on them honestly.
//!
//! Both give [`EvalItem`]s (gold = the operation explored) and render as our JSONL query form.
//!
//! ```
//! use tooldraft::eval::holdout::to_jsonl;
//! use tooldraft::eval::{EvalItem, OpRef};
//! let item = EvalItem { id: "h1".into(), query: "q".into(), gold: vec![OpRef { tool: None, name: "op".into() }], candidates: vec![], args: None };
//! assert_eq!(to_jsonl(&[item]), "{\"id\":\"h1\",\"query\":\"q\",\"gold\":[\"op\"]}\n");
//! ```

use super::queries::{EvalItem, OpRef};
use crate::doc::ToolDoc;
use crate::llm::{structured, ChatModel};
use crate::refine::{explorer, RefineConfig};
use crate::similarity::{Embedder, LocalEmbedder};
use crate::tools::ToolCaller;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// What happened to each held-out attempt (for the report; nothing is silently dropped).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HeldOut {
    pub items: Vec<EvalItem>,
    /// Operations skipped, or attempts that gave no item, with the reason.
    pub skipped: Vec<String>,
    pub model_calls: usize,
    pub tool_calls: usize,
}

/// What `exploreHeldOut` resolves to: the held-out items, and them and the run's own verified
/// explorations as JSONL, ready for `evaluate({queries})`.
// The fields of `HeldOut` are spelt out, not flattened: a flattened struct serialises through a
// map, which costs the wasm more.
#[derive(Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct HeldOutResult<'a> {
    /// New queries, each verified by a successful call; no analyzer or rewriter saw them.
    pub items: &'a [EvalItem],
    /// Operations skipped and attempts that gave no item, with the reason.
    pub skipped: &'a [String],
    pub model_calls: usize,
    pub tool_calls: usize,
    /// The items as JSONL.
    pub jsonl: String,
    /// The run's own verified explorations (seen by its rewrites), as JSONL.
    pub explored_jsonl: String,
}

impl HeldOutResult<'_> {
    /// The result of `held_out`, with `explored` (the run's verified explorations) as JSONL.
    pub fn new<'a>(held_out: &'a HeldOut, explored: &[EvalItem]) -> HeldOutResult<'a> {
        HeldOutResult {
            items: &held_out.items,
            skipped: &held_out.skipped,
            model_calls: held_out.model_calls,
            tool_calls: held_out.tool_calls,
            jsonl: to_jsonl(&held_out.items),
            explored_jsonl: to_jsonl(explored),
        }
    }
}

/// Asks the Explorer for up to `per_operation` new queries per operation of `original`
/// (limited to `only` when not empty), keeps those whose call succeeds.
pub async fn explore_held_out(
    model: &dyn ChatModel,
    tools: &dyn ToolCaller,
    original: &ToolDoc,
    seen: &BTreeMap<String, Vec<String>>,
    per_operation: usize,
    config: &RefineConfig,
) -> HeldOut {
    let embedder = LocalEmbedder::default();
    let mut out = HeldOut::default();
    for tool in &original.tools {
        for op in &tool.operations {
            if !config.only.is_empty() && !config.only.contains(&op.id) {
                continue;
            }
            if let Err(e) = tools.permits(op) {
                out.skipped.push(format!("{}: {e}", op.id));
                continue;
            }
            // Everything the run explored for this operation, plus what this pass adds.
            let mut explored: Vec<String> = seen.get(&op.id).cloned().unwrap_or_default();
            let mut feedback: Vec<String> = Vec::new();
            let mut made = 0;
            for attempt in 0..per_operation * 2 {
                if made == per_operation {
                    break;
                }
                let input = explorer::ExplorerInput {
                    tool: &tool.name,
                    operation: op,
                    explored: &explored,
                    direction: Some("a different kind of request from every query listed, as a real user would ask it"),
                    feedback: &feedback,
                    config,
                };
                let Ok(request) = explorer::request(&input) else { break };
                out.model_calls += 1;
                let answer = match structured::complete_json(model, &request).await {
                    Ok(a) => a,
                    Err(e) => {
                        out.skipped.push(format!("{} attempt {}: {e}", op.id, attempt + 1));
                        continue;
                    }
                };
                out.model_calls += answer.calls.saturating_sub(1);
                let proposal = match explorer::parse(&answer.value) {
                    Ok(p) => p,
                    Err(e) => {
                        out.skipped.push(format!("{} attempt {}: {e}", op.id, attempt + 1));
                        continue;
                    }
                };
                let found =
                    crate::refine::diversity::nearest(&embedder as &dyn Embedder, &proposal.query, &explored).await;
                if let Ok(Some((similarity, i))) = found.map(|m| m.value) {
                    if similarity >= config.diversity_threshold.unwrap_or(embedder.thresholds().phi) {
                        feedback.push(format!("\"{}\" is too similar to \"{}\"", proposal.query, explored[i]));
                        out.skipped.push(format!(
                            "{} attempt {}: too similar to an explored query",
                            op.id,
                            attempt + 1
                        ));
                        continue;
                    }
                }
                if let Err(reason) = explorer::validate_arguments(op, &proposal.arguments) {
                    feedback.push(reason.clone());
                    out.skipped.push(format!("{} attempt {}: {reason}", op.id, attempt + 1));
                    continue;
                }
                out.tool_calls += 1;
                match tools.call(op, &proposal.arguments).await {
                    Ok(obs) if obs.is_success() => {
                        made += 1;
                        explored.push(proposal.query.clone());
                        out.items.push(EvalItem {
                            id: format!("held-out:{}#{made}", op.id),
                            query: proposal.query,
                            gold: vec![OpRef { tool: None, name: op.id.clone() }],
                            candidates: Vec::new(),
                            args: Some(proposal.arguments),
                        });
                    }
                    Ok(obs) => out.skipped.push(format!(
                        "{} attempt {}: the call failed (status {})",
                        op.id,
                        attempt + 1,
                        obs.status.map_or("none".into(), |s| s.to_string())
                    )),
                    Err(e) => out.skipped.push(format!("{} attempt {}: {e}", op.id, attempt + 1)),
                }
            }
        }
    }
    out
}

/// Items as our JSONL query form (`{"id", "query", "gold", "args"?}` per line).
pub fn to_jsonl(items: &[EvalItem]) -> String {
    let mut s = String::new();
    for i in items {
        let mut v =
            json!({"id": i.id, "query": i.query, "gold": i.gold.iter().map(|g| g.name.clone()).collect::<Vec<_>>()});
        if let (Some(args), Value::Object(m)) = (&i.args, &mut v) {
            m.insert("args".into(), args.clone());
        }
        s.push_str(&v.to_string());
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_result_spells_out_the_held_out_fields_and_adds_jsonl() {
        let item = EvalItem {
            id: "h1".into(),
            query: "q".into(),
            gold: vec![OpRef { tool: None, name: "op".into() }],
            candidates: vec![],
            args: None,
        };
        let held_out =
            HeldOut { items: vec![item.clone()], skipped: vec!["x: no".into()], model_calls: 3, tool_calls: 2 };
        let json = serde_json::to_value(HeldOutResult::new(&held_out, &[item])).unwrap();
        let line = "{\"id\":\"h1\",\"query\":\"q\",\"gold\":[\"op\"]}\n";
        assert_eq!(
            json,
            json!({"items": [{"id": "h1", "query": "q", "gold": [{"name": "op"}]}], "skipped": ["x: no"],
                   "modelCalls": 3, "toolCalls": 2, "jsonl": line, "exploredJsonl": line})
        );
    }
}
