//! The end-of-run guarantee: an operation's final text is its last accepted revision only
//! if that revision also passes every gate rule against the ORIGINAL and some call of the
//! tool succeeded (evidence); otherwise the original text stays. Facts from evidence
//! (verified examples, observed response schemas) apply either way.
//!
//! Each operation's report says what happened and why: `improved`, `unchanged` or
//! `originalKept`, with `outcomeReason`.
//!
//! ```
//! use tooldraft::refine::Outcome;
//! assert_eq!(serde_json::to_string(&Outcome::OriginalKept).unwrap(), "\"originalKept\"");
//! ```

use super::config::RefineConfig;
use super::events::TerminationReason;
use super::evidence::Facts;
use super::gate::{self, GateInput};
use super::rewriter::RewriteOutput;
use super::state::OperationState;
use crate::doc::Operation;
use serde::{Deserialize, Serialize};

/// What a run did to an operation's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// The final revision replaces the original.
    Improved,
    /// No revision was accepted (or the accepted ones end where the original was).
    #[default]
    Unchanged,
    /// A revision was accepted, but the final one is not provably no worse than the
    /// original: the original text stays.
    OriginalKept,
}

/// The verdict on one operation: what its final text is, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub outcome: Outcome,
    pub reason: String,
}

fn plural(n: usize, one: &str) -> String {
    format!("{n} {one}{}", if n == 1 { "" } else { "s" })
}

/// Judges the operation's final revision against the original.
pub fn judge(tool: &str, original: &Operation, os: &OperationState, facts: &Facts, cfg: &RefineConfig) -> Verdict {
    let succeeded = os.trails.iter().filter(|t| t.succeeded()).count();
    let failed = os.trails.len() - succeeded;
    let rejected: Vec<&str> = os
        .revisions
        .iter()
        .filter(|r| r.episode.is_some() && !r.revision.accepted)
        .filter_map(|r| r.revision.reason.as_deref())
        .collect();
    let kept = |reason: String| Verdict { outcome: Outcome::Unchanged, reason };
    let Some(last) = os.revisions.get(os.current).filter(|_| os.current > 0) else {
        return kept(match (&os.termination, os.trails.is_empty(), succeeded) {
            (Some(TerminationReason::NotAllowed { reason }), _, _) => {
                format!("not explored: {reason}; the original stays")
            }
            (_, false, 0) => format!(
                "no call to the tool succeeded ({} failed), so nothing was learned; the original stays",
                plural(failed, "call")
            ),
            (_, true, _) => "no call to the tool was made, so nothing was learned; the original stays".into(),
            _ if !rejected.is_empty() => format!(
                "every rewrite was rejected ({}; the last: {}); the original stays",
                plural(rejected.len(), "rewrite"),
                rejected[rejected.len() - 1]
            ),
            _ => "no rewrite was made; the original stays".into(),
        });
    };
    let rev = &last.revision;
    let same = rev.description.trim() == original.description.trim()
        && original
            .parameters
            .iter()
            .all(|p| rev.parameters.get(&p.name).is_none_or(|d| d.trim() == p.description.trim()));
    if same {
        return kept(format!("revision {} says what the original said", rev.index));
    }
    let keep_original = |why: String| Verdict {
        outcome: Outcome::OriginalKept,
        reason: format!(
            "revision {} was accepted, but {why}; the original stays{}",
            rev.index,
            if facts.verified_example.is_some() || facts.response_schema.is_some() {
                " (the verified example and observed schema still apply)"
            } else {
                ""
            }
        ),
    };
    if succeeded == 0 {
        return keep_original(format!(
            "no call to the tool succeeded ({}), so it is not backed by evidence",
            plural(failed, "failed call")
        ));
    }
    if !cfg.regression.enabled {
        return Verdict {
            outcome: Outcome::Improved,
            reason: format!("revision {} (the regression rules are off)", rev.index),
        };
    }
    let proposal = RewriteOutput {
        description: rev.description.clone(),
        parameters: rev.parameters.clone(),
        next_direction: String::new(),
    };
    let mismatches: Vec<String> = os.analyses.iter().flat_map(|a| a.analysis.mismatches.iter().cloned()).collect();
    let violations = gate::check_all(
        &GateInput {
            tool,
            original,
            current: original,
            proposal: &proposal,
            facts,
            trails: &os.trails,
            known: None,
            budget: &cfg.length_budget,
        },
        &mismatches,
        &cfg.regression,
    );
    if violations.is_empty() {
        Verdict {
            outcome: Outcome::Improved,
            reason: format!(
                "revision {} passes every rule against the original ({}) and rests on {}",
                rev.index,
                gate::rules_passed(&cfg.regression),
                plural(succeeded, "successful call")
            ),
        }
    } else {
        let mut names: Vec<&str> = violations.iter().map(|v| v.rule.name()).collect();
        names.dedup();
        keep_original(format!("against the original it breaks {}: {}", names.join(", "), gate::reasons(&violations)))
    }
}
