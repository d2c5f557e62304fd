//! Checks a run state read from outside (`--resume`, a browser's saved checkpoint) before a
//! run resumes from it: a state file is data anyone could have edited, so nothing in it is
//! used unchecked. Every revision it holds as accepted passes the rewrite gate again
//! ([`crate::refine::gate::check`], against the document's own operation and the trails
//! recorded up to that revision), revision 0 is the document's text, the current revision is
//! an accepted one, and every saved set of arguments (queries, trails, a call about to be made
//! or replayed from the journal) fits the operation's parameters. A state that fails any
//! check is refused whole, with the first problem found; none of it is used.

use super::evidence::{Facts, Trail};
use super::gate::{self, GateInput};
use super::rewriter::RewriteOutput;
use super::state::{OperationState, Stage};
use super::{explorer, LengthBudget, RefineError};
use crate::doc::Operation;

/// Checks every operation state against the document's operation of the same id
/// (`originals[i]` belongs to `states[i]`, `tools[i]` is its tool's name).
pub(crate) fn check_loaded(
    states: &[OperationState],
    originals: &[&Operation],
    tools: &[&str],
    budget: &LengthBudget,
) -> Result<(), RefineError> {
    for ((state, original), tool) in states.iter().zip(originals).zip(tools) {
        check_arguments(state, original)?;
        check_revisions(state, original, tool, budget)?;
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
