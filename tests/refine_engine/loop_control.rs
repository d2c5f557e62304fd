//! Diversity retries, termination by convergence and by maximum, and budgets.

use crate::support::*;
use serde_json::json;
use std::rc::Rc;
use tooldraft::refine::{Budget, Event, RefineConfig, TerminationReason};
use tooldraft::similarity::LOCAL_THRESHOLDS;

fn rig(model: ScriptedModel, tools: ScriptedTools, config: RefineConfig) -> Rig {
    Rig { host: Rc::new(TestHost::default()), model: Rc::new(model), tools: Rc::new(tools), config }
}

/// A model whose explorer always asks the same thing.
fn repetitive_model() -> ScriptedModel {
    let base = generic_model();
    for _ in 0..30 {
        base.push("explorer", explore("What is the status of my order 1842?", json!({})));
    }
    base
}

#[test]
fn too_similar_queries_are_regenerated_then_the_least_similar_is_used() {
    let model = repetitive_model();
    // In episode 2 the second try differs a little, the third a lot less: the second wins.
    model.push_all(
        "op0/explorer",
        [
            explore("What is the status of my order 1842?", json!({})).to_string(),
            explore("What is the status of my order 1842?", json!({})).to_string(),
            explore("What is the status of my order 1842 please?", json!({})).to_string(),
            explore("What is the status of my order 1842?", json!({})).to_string(),
        ],
    );
    let r = rig(
        model,
        generic_tools(),
        RefineConfig { max_episodes: 2, convergence_threshold: Some(1.1), ..Default::default() },
    );
    let (out, events) = r.run(&simple_doc(1), None);
    let q = &out.report.operations[0].queries;
    assert_eq!(q.len(), 2);
    assert!(!q[0].forced && q[0].similarity.is_none());
    assert!(q[1].forced, "every try was too similar");
    assert_eq!(q[1].query, "What is the status of my order 1842 please?");
    assert_eq!(q[1].rejected.len(), 2);
    assert!(q[1].similarity.unwrap() < q[1].rejected[0].similarity.unwrap());
    assert_eq!(count(&events, |e| matches!(e, Event::DiversityRetry { .. })), 2);
    let explorer_calls = out.report.operations[0].usage.0["explorer"].calls;
    assert_eq!(explorer_calls, 1 + 3, "one try in episode 1, three in episode 2");
    // The feedback names the too-similar query.
    let last = r.model.log.borrow().iter().rfind(|x| x.purpose == "explorer").unwrap().clone();
    assert!(last.messages[1]
        .content
        .contains("is too similar to the earlier request \"What is the status of my order 1842?\""));
    // The forced query is new (not a repeat): no warning about repeats.
    assert_eq!(
        count(&events, |e| matches!(e, Event::Warning { message, .. } if message.contains("could not write"))),
        0
    );
}

#[test]
fn a_query_that_only_names_the_operation_goes_back_and_a_model_that_never_does_better_is_reported() {
    // Tells and retries: the bare name, then a real request.
    let model = generic_model();
    model.push_all(
        "op0/explorer",
        [explore("op0", json!({})).to_string(), explore("Run op0 for the nightly report.", json!({})).to_string()],
    );
    let r = rig(model, generic_tools(), RefineConfig { max_episodes: 1, ..Default::default() });
    let (out, events) = r.run(&simple_doc(1), None);
    let q = &out.report.operations[0].queries;
    assert_eq!(q.iter().map(|x| x.query.as_str()).collect::<Vec<_>>(), ["Run op0 for the nightly report."]);
    let last = r.model.log.borrow().iter().rfind(|x| x.purpose == "explorer").unwrap().clone();
    assert!(last.messages[1].content.contains("\"op0\" only names the operation"), "{}", last.messages[1].content);
    assert_eq!(count(&events, |e| matches!(e, Event::Warning { .. })), 0);

    // A model that only ever names the operation: bounded retries, then a warning says so.
    let model = generic_model();
    for _ in 0..10 {
        model.push("op0/explorer", explore("OP0", json!({})));
    }
    let r = rig(model, generic_tools(), RefineConfig { max_episodes: 1, ..Default::default() });
    let (out, events) = r.run(&simple_doc(1), None);
    assert_eq!(out.report.operations[0].usage.0["explorer"].calls, 3, "1 try + 2 retries");
    assert_eq!(
        count(
            &events,
            |e| matches!(e, Event::Warning { message, .. } if message.contains("could not write a real query after 3 tries"))
        ),
        1
    );
}

#[test]
fn a_forced_repeat_of_an_earlier_query_is_reported() {
    let r = rig(repetitive_model(), generic_tools(), RefineConfig { max_episodes: 2, ..Default::default() });
    let (out, events) = r.run(&simple_doc(1), None);
    let q = &out.report.operations[0].queries;
    assert_eq!(q[0].query, q[1].query, "the model only ever asks one thing");
    assert_eq!(
        count(
            &events,
            |e| matches!(e, Event::Warning { message, .. } if message.contains("could not write a new query after 3 tries"))
        ),
        1
    );
}

#[test]
fn a_higher_threshold_or_more_tries_change_the_retries() {
    let r = rig(
        repetitive_model(),
        generic_tools(),
        RefineConfig { max_episodes: 2, diversity_threshold: Some(1.01), ..Default::default() },
    );
    let (_, events) = r.run(&simple_doc(1), None);
    assert_eq!(count(&events, |e| matches!(e, Event::DiversityRetry { .. })), 0);
    let r = rig(
        repetitive_model(),
        generic_tools(),
        RefineConfig { max_episodes: 2, diversity_tries: 5, ..Default::default() },
    );
    let (_, events) = r.run(&simple_doc(1), None);
    assert_eq!(count(&events, |e| matches!(e, Event::DiversityRetry { .. })), 4);
}

#[test]
fn convergence_stops_early_and_the_maximum_stops_the_rest() {
    // Same rewrite twice: Δ = 1 > τ at episode 2.
    let model = generic_model();
    for _ in 0..2 {
        model.push("op0/rewriter", rewrite("Does one thing: answers ok.", json!({}), "more"));
    }
    let r = rig(model, generic_tools(), RefineConfig::default());
    let (out, _) = r.run(&simple_doc(1), None);
    match &out.report.operations[0].termination {
        // τ is the local embedder's calibrated one (the paper's 0.75 was ada-002's).
        Some(TerminationReason::Converged { delta, threshold }) => {
            assert!(*delta > 0.99 && *threshold == LOCAL_THRESHOLDS.tau)
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(out.report.operations[0].episodes, 2);
    // Rewrites that keep changing run to the maximum.
    let model = generic_model();
    // Each on topic (it names op0, whose responses name it) and saying what a response shows,
    // so the gate accepts them all.
    let texts = [
        "op0 lists invoices by month.",
        "op0 returns shipping labels for parcels as PDF links.",
        "op0 cancels appointments; it answers with a confirmation number.",
        "op0 finds warehouses that stock an item, sorted by distance.",
        "op0 creates users from an email address and a display name.",
    ];
    for t in texts {
        model.push("op0/rewriter", rewrite(t, json!({}), "other"));
    }
    let tools = ScriptedTools::default().with_fallback(move |op, _| ToolReply {
        status: Some(200),
        body: json!({"operation": op.id, "ok": true, "shows": texts}),
        fail: None,
    });
    let r = rig(model, tools, RefineConfig::default());
    let (out, _) = r.run(&simple_doc(1), None);
    assert_eq!(out.report.operations[0].termination, Some(TerminationReason::MaxEpisodes { episodes: 5 }));
    assert_eq!(out.report.operations[0].revisions.len(), 6);
    assert!(out.report.operations[0].revisions.iter().skip(1).all(|r| r.delta.unwrap() <= LOCAL_THRESHOLDS.tau));
}

#[test]
fn the_operation_budget_ends_an_operation_and_the_run_budget_the_run() {
    let config = RefineConfig {
        operation_budget: Budget { model_calls: Some(4), ..Default::default() },
        convergence_threshold: Some(1.1),
        ..Default::default()
    };
    let r = rig(generic_model(), generic_tools(), config);
    let (out, _) = r.run(&simple_doc(2), None);
    for o in &out.report.operations {
        assert_eq!(o.model_calls, 4);
        match &o.termination {
            Some(TerminationReason::BudgetSpent { calls, budget }) => {
                assert_eq!(*calls, 4 + o.tool_calls);
                assert!(budget.contains("operation's budget of 4 model calls"), "{budget}");
            }
            other => panic!("{other:?}"),
        }
    }
    let config = RefineConfig {
        run_budget: Budget { tool_calls: Some(3), ..Default::default() },
        convergence_threshold: Some(1.1),
        concurrency: 1,
        ..Default::default()
    };
    let r = rig(generic_model(), generic_tools(), config);
    let (out, _) = r.run(&simple_doc(2), None);
    assert_eq!(r.tools.calls.get(), 3);
    assert_eq!(out.report.totals.tool_calls, 3);
    assert!(out.report.operations.iter().all(|o| matches!(o.termination, Some(TerminationReason::BudgetSpent { .. }))));
    let config = RefineConfig { run_budget: Budget { tokens: Some(1), ..Default::default() }, ..Default::default() };
    let r = rig(generic_model(), generic_tools(), config);
    let (out, _) = r.run(&simple_doc(2), None);
    assert_eq!(r.model.calls.get(), 1, "the first call spends the token budget");
    assert!(out.report.tools[0].summary.is_none());
}

#[test]
fn invalid_arguments_go_back_with_the_reason_a_bounded_number_of_times() {
    let s = scenario(include_str!("../fixtures/refine/weather.json"));
    let model = generic_model();
    for _ in 0..10 {
        model.push("getForecast/explorer", explore("Weather in Rome?", json!({"town": "Rome"})));
    }
    let config =
        RefineConfig { only: vec!["getForecast".into()], max_episodes: 2, schema_probes: 0, ..Default::default() };
    let r = rig(model, generic_tools(), config);
    let (out, events) = r.run(&s.doc, None);
    assert_eq!(r.tools.calls.get(), 0, "no call with invalid arguments (and no schema-driven ones)");
    let o = &out.report.operations[0];
    assert_eq!(o.usage.0["explorer"].calls, 2 * 3, "1 try + 2 retries per episode");
    assert_eq!(count(&events, |e| matches!(e, Event::ArgumentsRejected { .. })), 6);
    assert_eq!(o.errors.len(), 2);
    assert!(o.errors[0].message.contains("\"town\" is not a parameter"), "{}", o.errors[0].message);
    assert!(o.errors[0].message.contains("missing required property \"city\""), "{}", o.errors[0].message);
    assert_eq!(o.termination, Some(TerminationReason::MaxEpisodes { episodes: 2 }));
    let feedback = &r.model.log.borrow()[1].messages[1].content;
    assert!(feedback.contains("do not fit the parameters"), "{feedback}");
}
