//! Checks a run state read from outside (`--resume`, a browser's saved checkpoint) before a
//! run resumes from it: a state file is data anyone could have edited, so nothing in it is
//! used unchecked. Every revision it holds as accepted passes the rewrite gate again
//! ([`crate::refine::gate::check`], against the document's own operation and the trails
//! recorded up to that revision), revision 0 is the document's text, the current revision is
//! an accepted one, and every saved set of arguments (queries, trails, a call about to be made
//! or replayed from the journal) fits the operation's parameters; a tool summary it holds as
//! accepted passes the summary gate again. A state that fails any check is refused whole,
//! with the first problem found; none of it is used.

use super::evidence::{Facts, Trail};
use super::gate::{self, GateInput};
use super::rewriter::RewriteOutput;
use super::state::{OperationState, RunState, Stage};
use super::{explorer, LengthBudget, RefineError};
use crate::doc::{Operation, ToolDoc};

/// Checks every operation state against the document's operation of the same id
/// (`originals[i]` belongs to `state.operations[i]`, `tools[i]` is its tool's name), and every
/// accepted tool summary against the document's tool.
pub(crate) fn check_loaded(
    state: &RunState,
    doc: &ToolDoc,
    originals: &[&Operation],
    tools: &[&str],
    budget: &LengthBudget,
) -> Result<(), RefineError> {
    for ((op, original), tool) in state.operations.iter().zip(originals).zip(tools) {
        check_arguments(op, original)?;
        check_revisions(op, original, tool, budget)?;
    }
    check_summaries(state, doc, budget)
}

/// An accepted summary passes [`gate::check_summary`] as the summary step ran it: the same
/// length limit, the tool's own texts as the original, the recorded responses as observed.
fn check_summaries(state: &RunState, doc: &ToolDoc, budget: &LengthBudget) -> Result<(), RefineError> {
    for t in &state.tools {
        let (Some(summary), Some(doc_tool)) = (&t.summary, doc.tools.get(t.index)) else { continue };
        if !summary.accepted {
            continue;
        }
        let original = gate::summary_original(doc_tool);
        let mut observed = Vec::new();
        for o in &doc_tool.operations {
            let trails = state.operation(&o.id).map(|s| s.trails.as_slice()).unwrap_or_default();
            observed.extend(trails.iter().filter_map(|tr| tr.observation.as_ref()).map(|ob| ob.body.as_str()));
        }
        let limit = budget.summary_limit(doc_tool.description.chars().count(), doc_tool.operations.len());
        let violations = gate::check_summary(&summary.description, limit, &observed, &original);
        if !violations.is_empty() {
            let why = gate::reasons(&violations);
            return Err(RefineError::InvalidState(format!(
                "tool {}: its summary is marked accepted but {why}",
                t.name
            )));
        }
    }
    Ok(())
}

fn refuse(state: &OperationState, what: String) -> Result<(), RefineError> {
    Err(RefineError::InvalidState(format!("operation {}: {what}", state.id)))
}

/// Every saved set of arguments fits the operation's parameters, as the explorer checked
/// them before the first call.
fn check_arguments(state: &OperationState, original: &Operation) -> Result<(), RefineError> {
    let pending = match &state.stage {
        Stage::Call { candidate, .. } => Some(("the call to make", &candidate.arguments)),
        _ => None,
    };
    let saved = state
        .queries
        .iter()
        .map(|q| ("a saved query", &q.arguments))
        .chain(state.trails.iter().map(|t| ("a saved trail", &t.arguments)))
        .chain(pending);
    for (what, arguments) in saved {
        if let Err(why) = explorer::validate_arguments(original, arguments) {
            return refuse(state, format!("{what} has arguments that do not fit the operation: {why}"));
        }
    }
    Ok(())
}

/// Revision 0 is the document's own text; each later revision marked accepted passes the
/// gate against the operation as the revision before it left it; the current one is accepted.
fn check_revisions(
    state: &OperationState,
    original: &Operation,
    tool: &str,
    budget: &LengthBudget,
) -> Result<(), RefineError> {
    let Some(first) = state.revisions.first() else { return refuse(state, "it has no revisions".into()) };
    let same_params =
        original.parameters.iter().all(|p| first.revision.parameters.get(&p.name) == Some(&p.description))
            && first.revision.parameters.len() == original.parameters.len();
    if first.revision.description != original.description || !same_params || !first.revision.accepted {
        return refuse(state, "revision 0 is not the document's own text".into());
    }
    match state.revisions.get(state.current) {
        Some(r) if r.revision.accepted => {}
        _ => return refuse(state, format!("its current revision {} is not an accepted one", state.current)),
    }
    let mut current = original.clone();
    for (i, record) in state.revisions.iter().enumerate().skip(1) {
        let revision = &record.revision;
        if !revision.accepted {
            continue;
        }
        let proposal = RewriteOutput {
            description: revision.description.clone(),
            parameters: revision.parameters.clone(),
            next_direction: record.next_direction.clone(),
        };
        let trails = trails_seen(&state.trails, &revision.evidence);
        let facts = Facts::derive(original, trails);
        let violations = gate::check(&GateInput {
            tool,
            original,
            current: &current,
            proposal: &proposal,
            facts: &facts,
            trails,
            known: None,
            budget,
        });
        if !violations.is_empty() {
            return refuse(state, format!("revision {i} is marked accepted but {}", gate::reasons(&violations)));
        }
        current.description = revision.description.clone();
        for p in &mut current.parameters {
            if let Some(d) = revision.parameters.get(&p.name) {
                p.description = d.clone();
            }
        }
    }
    Ok(())
}

/// The trails recorded when a revision was made: up to the last one it names as evidence
/// (all of them when it names none).
fn trails_seen<'t>(trails: &'t [Trail], evidence: &[String]) -> &'t [Trail] {
    match trails.iter().rposition(|t| evidence.contains(&t.id)) {
        Some(last) => &trails[..=last],
        None => trails,
    }
}
