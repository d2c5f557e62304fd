//! The tool-level summary step: once every refined operation of a tool is done, one request
//! for a new tool description, judged by the summary gate (empty, tooLong, injection, and
//! the regression rules: echo, uninformative, loss of the tool's links, offTopic). Skipped (no call) when no
//! operation of the tool got an accepted revision or summaries are turned off.

use super::ctx::Ctx;
use super::ctx::Owner;
use super::events::Event;
use super::gate;
use super::journal::{StepModel, Stop};
use super::operation::StepEnd;
use super::state::{StepError, SummaryRecord, ToolState};
use super::summarizer::{self, SummarizerInput};
use crate::llm::structured::complete_json;

/// Runs the tool's summary step and commits it.
pub(crate) async fn tool_step(ctx: &Ctx<'_>, t: usize) -> StepEnd {
    if ctx.stopped() {
        return StepEnd::Stop;
    }
    let mut tool: ToolState = ctx.state.borrow().tools[t].clone();
    if tool.done {
        return StepEnd::Stop;
    }
    let cfg = &ctx.refiner.config;
    let doc_tool = &ctx.doc.tools[tool.index];
    let mut events = Vec::new();
    // (name, description now) of every operation of the tool, and whether any changed.
    let (operations, changed, observed): (Vec<(String, String)>, bool, Vec<String>) = {
        let s = ctx.state.borrow();
        let mut changed = false;
        let mut observed = Vec::new();
        let ops = doc_tool
            .operations
            .iter()
            .map(|o| match s.operation(&o.id) {
                Some(st) => {
                    changed |= st.current > 0;
                    for tr in &st.trails {
                        if let Some(ob) = &tr.observation {
                            observed.push(ob.body.clone());
                        }
                    }
                    (o.name.clone(), st.revisions[st.current].revision.description.clone())
                }
                None => (o.name.clone(), o.description.clone()),
            })
            .collect();
        (ops, changed, observed)
    };
    let run_spent = {
        let c = ctx.counters.get();
        cfg.run_budget.model_calls.is_some_and(|l| c.model_calls >= l)
            || cfg.run_budget.tokens.is_some_and(|l| c.tokens >= l)
    };
    if !cfg.summarize_tools || !changed || run_spent {
        tool.done = true;
        ctx.commit_tool(t, tool, events);
        return StepEnd::Stop;
    }
    let pairs: Vec<(&str, &str)> = operations.iter().map(|(n, d)| (n.as_str(), d.as_str())).collect();
    let max_chars = cfg.length_budget.summary_limit(doc_tool.description.chars().count(), pairs.len());
    let input = SummarizerInput {
        tool: &doc_tool.name,
        description: &doc_tool.description,
        operations: &pairs,
        max_chars,
        config: cfg,
    };
    let request = match summarizer::request(&input) {
        Ok(r) => r,
        Err(e) => {
            tool.errors.push(StepError {
                episode: 0,
                step: "summarizer".into(),
                code: e.code().into(),
                message: e.to_string(),
            });
            tool.done = true;
            ctx.commit_tool(t, tool, events);
            return StepEnd::Stop;
        }
    };
    let model = StepModel::new(ctx, Owner::Tool(t), &tool.journal, &tool.usage);
    let result = complete_json(&model, &request).await;
    let usage = model.usage();
    for (purpose, u) in &usage.0 {
        events.push(Event::Usage {
            purpose: purpose.clone(),
            usage: crate::llm::Usage { prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens },
            calls: u.calls,
            operation: None,
        });
    }
    tool.usage.merge(&usage);
    match model.stop() {
        Some(Stop::Interrupted) => return StepEnd::Stop,
        Some(Stop::Budget(which)) => {
            tool.errors.push(StepError {
                episode: 0,
                step: "summarizer".into(),
                code: "BudgetSpent".into(),
                message: which,
            });
            tool.done = true;
            ctx.commit_tool(t, tool, events);
            return StepEnd::Stop;
        }
        None => {}
    }
    let parsed = result
        .map_err(|e| (e.code().to_string(), e.to_string()))
        .and_then(|a| summarizer::parse(&a.value).map_err(|m| ("LlmInvalidOutput".to_string(), m)));
    match parsed {
        Ok(description) => {
            let original = gate::summary_original(doc_tool);
            let observed: Vec<&str> = observed.iter().map(String::as_str).collect();
            let mut violations = gate::check_summary(&description, max_chars, &observed, &original);
            // The refined descriptions name only what the docs or the calls showed.
            let mut named = original.clone();
            for (_, d) in &pairs {
                named.push('\n');
                named.push_str(d);
            }
            violations.extend(gate::summary_unknown_names(&description, &observed, &named));
            let mut texts: Vec<(&str, &str)> = pairs.clone();
            texts.extend(doc_tool.operations.iter().map(|o| (o.name.as_str(), o.description.as_str())));
            violations.extend(gate::regression::check_summary(&gate::regression::Summarized {
                tool: &doc_tool.name,
                summary: &description,
                original: &doc_tool.description,
                operations: &texts,
                observed: &observed,
                rules: &cfg.regression,
            }));
            let accepted = violations.is_empty();
            let reason = (!accepted).then(|| gate::reasons(&violations));
            events.push(Event::ToolSummary {
                tool: tool.name.clone(),
                description: description.clone(),
                accepted,
                reason: reason.clone(),
            });
            tool.summary =
                Some(SummaryRecord { original: doc_tool.description.clone(), description, accepted, reason });
            tool.done = true;
        }
        Err((code, message)) => {
            tool.failures += 1;
            events.push(Event::Error { operation: None, code: code.clone(), message: message.clone() });
            tool.errors.push(StepError { episode: 0, step: "summarizer".into(), code, message });
            if tool.failures >= cfg.max_failures {
                tool.done = true;
            }
        }
    }
    let done = tool.done;
    ctx.commit_tool(t, tool, events);
    if done {
        StepEnd::Stop
    } else {
        StepEnd::Continue
    }
}
