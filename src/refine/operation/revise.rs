//! The analyze and rewrite steps of an operation.

use super::{Interrupted, Step};
use crate::doc::Revision;
use crate::refine::analyzer::{self, AnalyzerInput};
use crate::refine::diversity::{revision_delta, revision_text, Measures};
use crate::refine::events::{Event, Phase, TerminationReason};
use crate::refine::evidence::Trail;
use crate::refine::gate::{self, GateInput};
use crate::refine::rewriter::{self, RewriterInput};
use crate::refine::state::{AnalysisRecord, RevisionRecord, Stage};

impl Step<'_, '_> {
    fn trail(&self, id: &str) -> Option<Trail> {
        self.op.trails.iter().find(|t| t.id == id).cloned()
    }

    /// Accepted descriptions before the current one, oldest first.
    fn history(&self) -> Vec<String> {
        self.op.revisions[..self.op.current.min(self.op.revisions.len())]
            .iter()
            .filter(|r| r.revision.accepted)
            .map(|r| r.revision.description.clone())
            .collect()
    }

    pub(super) async fn analyze(&mut self, trail_id: &str) -> Result<(), Interrupted> {
        if self.model_budget_spent() {
            return Ok(());
        }
        self.phase(Phase::Analyze);
        let Some(trail) = self.trail(trail_id) else {
            self.failure("analyzer", "StateError", format!("no trail {trail_id} in the state"));
            self.next_episode();
            return Ok(());
        };
        let current = super::current_operation(self.original, &self.op);
        let facts = self.ctx.facts(self.index, &self.op.trails);
        let history = self.history();
        let history: Vec<&str> = history.iter().map(String::as_str).collect();
        let input = AnalyzerInput {
            tool: self.tool,
            operation: &current,
            trail: &trail,
            facts: &facts,
            history: &history,
            config: self.cfg(),
        };
        let request = match analyzer::request(&input) {
            Ok(r) => r,
            Err(e) => {
                self.failure("analyzer", e.code(), e.to_string());
                return Ok(());
            }
        };
        let Some(value) = self.ask("analyzer", request).await? else { return Ok(()) };
        match analyzer::parse(&value) {
            Ok(mut analysis) => {
                self.op.failures = 0;
                let echoed =
                    super::super::gate::regression::drop_echoed(&mut analysis, self.cfg().regression.echo_ngram);
                if !echoed.is_empty() {
                    self.warn(format!(
                        "{} of the analyzer's findings only repeat the prompt and are not given to the rewriter: {}",
                        echoed.len(),
                        echoed
                            .iter()
                            .map(|f| format!("\"{}\"", crate::refine::prompt::clip(f, 80)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                self.events.push(Event::Analysis {
                    operation: self.op.id.clone(),
                    episode: self.op.episode,
                    findings: serde_json::to_value(&analysis).unwrap_or_default(),
                });
                self.op.analyses.push(AnalysisRecord {
                    episode: self.op.episode,
                    trail: trail_id.to_string(),
                    analysis,
                    echoed,
                });
                self.op.stage = Stage::Rewrite { trail: trail_id.to_string() };
            }
            Err(m) => self.failure("analyzer", "LlmInvalidOutput", m),
        }
        Ok(())
    }

    pub(super) async fn rewrite(&mut self, trail_id: &str) -> Result<(), Interrupted> {
        if self.model_budget_spent() {
            return Ok(());
        }
        self.phase(Phase::Rewrite);
        let (Some(trail), Some(analysis)) = (
            self.trail(trail_id),
            self.op.analyses.iter().rev().find(|a| a.trail == trail_id).map(|a| a.analysis.clone()),
        ) else {
            self.failure("rewriter", "StateError", format!("no trail or analysis {trail_id} in the state"));
            self.next_episode();
            return Ok(());
        };
        let current = super::current_operation(self.original, &self.op);
        let facts = self.ctx.facts(self.index, &self.op.trails);
        let history = self.history();
        let history: Vec<&str> = history.iter().map(String::as_str).collect();
        let max_chars = self.cfg().length_budget.description_limit(self.original.description.chars().count());
        let input = RewriterInput {
            tool: self.tool,
            operation: &current,
            trail: &trail,
            analysis: &analysis,
            facts: &facts,
            history: &history,
            max_chars,
            config: self.cfg(),
        };
        let request = match rewriter::request(&input) {
            Ok(r) => r,
            Err(e) => {
                self.failure("rewriter", e.code(), e.to_string());
                return Ok(());
            }
        };
        let Some(value) = self.ask("rewriter", request).await? else { return Ok(()) };
        let mut proposal = match rewriter::parse(&value) {
            Ok(p) => p,
            Err(m) => {
                self.failure("rewriter", "LlmInvalidOutput", m);
                return Ok(());
            }
        };
        self.op.failures = 0;
        let mismatches: Vec<String> =
            self.op.analyses.iter().flat_map(|a| a.analysis.mismatches.iter().cloned()).collect();
        let (mut violations, kept) = gate::check_all_keeping(
            &GateInput {
                tool: self.tool,
                original: self.original,
                current: &current,
                proposal: &proposal,
                facts: &facts,
                trails: &self.op.trails,
                known: Some(&self.ctx.known(self.index, self.tool, &self.op.trails)),
                budget: &self.cfg().length_budget,
            },
            &mismatches,
            &self.cfg().regression,
        );
        let episode = self.op.episode;
        for (name, why) in &kept {
            proposal.parameters.remove(name);
            self.warn(format!("episode {}: parameter \"{name}\" keeps its description ({})", episode + 1, why.message));
        }
        let verification = self.verify_candidate(&violations, &proposal, trail_id).await?;
        violations.extend(verification.as_ref().and_then(|v| v.violation()));
        let index = self.op.revisions.len();
        let parameters = gate::merged_parameters(&current, &proposal);
        let mut evidence = vec![trail_id.to_string()];
        for id in facts.trail_ids() {
            if !evidence.contains(&id) {
                evidence.push(id);
            }
        }
        if violations.is_empty() {
            let prev = &self.op.revisions[self.op.current].revision;
            let what = self.cfg().delta_text;
            let before = revision_text(&prev.description, &prev.parameters, what);
            let after = revision_text(&proposal.description, &parameters, what);
            let mut tau = f64::INFINITY;
            let delta = match self.ctx.refiner.measures.for_operation(self.op.embedder.as_deref()) {
                None => {
                    self.warn(super::GIVEN_UP.replace("{what}", "Δ was not computed"));
                    None
                }
                Some(embedder) => match revision_delta(embedder.as_ref(), &before, &after).await {
                    Ok(d) => {
                        self.embedded(embedder.as_ref(), d.requests, d.prompt_tokens);
                        tau = Measures::thresholds(embedder.as_ref(), None, self.cfg().convergence_threshold).tau;
                        Some(d.value)
                    }
                    Err(e) => {
                        self.embedder_failed(embedder.as_ref(), "Δ was not computed", &e);
                        None
                    }
                },
            };
            let passed = gate::rules_passed(&self.cfg().regression);
            let reason = match delta {
                Some(d) => format!(
                    "accepted in episode {} (Δ {d:.3} against revision {}); passed {passed}",
                    episode + 1,
                    self.op.current
                ),
                None => format!("accepted in episode {}; passed {passed}", episode + 1),
            };
            self.op.revisions.push(RevisionRecord {
                revision: Revision {
                    index,
                    description: proposal.description.clone(),
                    parameters,
                    accepted: true,
                    reason: Some(reason),
                    evidence,
                },
                episode: Some(episode),
                delta,
                violations: vec![],
                next_direction: proposal.next_direction.clone(),
                verification,
            });
            self.op.current = index;
            if !proposal.next_direction.is_empty() {
                self.op.direction = Some(proposal.next_direction.clone());
            }
            self.events.push(Event::RevisionAccepted {
                operation: self.op.id.clone(),
                episode,
                revision: index,
                delta,
            });
            if let Some(d) = delta.filter(|d| *d > tau) {
                self.terminate(TerminationReason::Converged { delta: d, threshold: tau });
                return Ok(());
            }
        } else {
            let reason = gate::reasons(&violations);
            self.op.revisions.push(RevisionRecord {
                revision: Revision {
                    index,
                    description: proposal.description.clone(),
                    parameters,
                    accepted: false,
                    reason: Some(reason.clone()),
                    evidence,
                },
                episode: Some(episode),
                delta: None,
                violations,
                next_direction: proposal.next_direction.clone(),
                verification,
            });
            self.events.push(Event::RevisionRejected {
                operation: self.op.id.clone(),
                episode,
                revision: index,
                reason,
            });
        }
        self.next_episode();
        Ok(())
    }
}
