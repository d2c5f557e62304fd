//! Replay verification: a Caller model that reads only a candidate's documentation answers
//! held-out queries; a candidate that leads it to worse calls than the current revision is
//! rejected. Policy refusals are skipped, K=0 turns it off, resume replays it, budgets count it.

use crate::support::*;
use async_trait::async_trait;
use serde_json::{json, Value};
use std::rc::Rc;
use tooldraft::doc::{Operation, ToolDoc};
use tooldraft::llm::ChatRequest;
use tooldraft::refine::gate::GateRule;
use tooldraft::refine::verify::CallOutcome;
use tooldraft::refine::{Budget, Event, RefineConfig, RunOutput, TerminationReason, VerifyConfig};
use tooldraft::tools::{Observation, ToolCaller, ToolError};

const FICTION: &str = "Find me some good fiction books for the summer";
const POETRY: &str = "I want a list of poetry collections to read aloud";
const NOVELS: &str = "Show novels my book club could discuss next month";

fn books_doc() -> ToolDoc {
    serde_json::from_value(json!({
        "format": "openapi",
        "tools": [{"name": "library", "description": "A library.", "operations": [{
            "id": "search", "name": "search", "description": "Search books by genre.",
            "http": {"method": "GET", "path": "/books"},
            "parameters": [{"name": "genre", "location": "query", "required": true,
                "schema": {"type": "string", "enum": ["fiction", "poetry"]}, "description": "Genre: fiction or poetry."}]
        }]}]
    }))
    .unwrap()
}

/// The Caller follows the documentation it is shown: a doc that speaks of numeric genre
/// codes gets a number; a request that names poetry or novels gets that genre; else a doc
/// that makes poetry the default gets "poetry", any other "fiction".
fn caller_answer(r: &ChatRequest) -> String {
    let task = &r.messages[1].content;
    let doc = &task[task.find("<documentation>").unwrap()..task.find("</documentation>").unwrap()];
    let query = &task[task.find("The user's request:").unwrap()..];
    let genre = if doc.contains("numeric genre code") {
        json!("3")
    } else if query.contains("poetry") {
        json!("poetry")
    } else if query.contains("novels") {
        json!("fiction")
    } else if doc.contains("poetry by default") {
        json!("poetry")
    } else {
        json!("fiction")
    };
    json!({"arguments": {"genre": genre}}).to_string()
}

/// Explorer, analyzer and rewriter replies for three episodes; the Caller from the docs.
fn books_model(rewrites: [Value; 3], queries: [(&str, &str); 3]) -> ScriptedModel {
    let m = ScriptedModel::default().with_fallback(|r| match r.purpose.as_str() {
        "caller" => Ok(caller_answer(r)),
        "analyzer" => Ok(
            json!({"mismatches": [], "missing": ["what a book entry holds"], "suggestions": ["Say what comes back."]})
                .to_string(),
        ),
        other => Err(tooldraft::llm::LlmError::Host { message: format!("no reply for {other}") }),
    });
    for (q, genre) in queries {
        m.push("search/explorer", explore(q, json!({"genre": genre})));
    }
    for r in rewrites {
        m.push("search/rewriter", r);
    }
    m
}

fn good(n: usize) -> Value {
    let text = [
        "Finds books of one genre, fiction or poetry, and returns a list of titles with their authors.",
        "Lists the books of a genre: pass fiction or poetry as genre; each entry has the title, the author and the year.",
    ];
    rewrite(text[n], json!({"genre": "The genre to list: fiction or poetry."}), "Try the other genre.")
}

/// Keeps every fact and adds one the calls show (the year) but misleads a caller: genres as
/// numbers.
fn misleading() -> Value {
    rewrite(
        "Finds books of one genre (fiction or poetry), given as its numeric genre code; returns titles and authors, each with its year.",
        json!({"genre": "The numeric genre code of fiction or poetry, e.g. 3."}),
        "Try another code.",
    )
}

fn books_tools() -> ScriptedTools {
    ScriptedTools::default().with_fallback(|_, args| match args["genre"].as_str() {
        Some(g @ ("fiction" | "poetry")) => ToolReply {
            status: Some(200),
            body: json!({"genre": g, "books": [{"title": "T", "author": "A", "year": 1999}], "total": 1}),
            fail: None,
        },
        _ => ToolReply { status: Some(400), body: json!({"error": "unknown genre"}), fail: None },
    })
}

/// Only the explorer's calls (no schema-driven ones): the cases count every call.
fn config(queries: usize) -> RefineConfig {
    RefineConfig {
        max_episodes: 3,
        convergence_threshold: Some(1.1),
        verify: VerifyConfig { queries },
        schema_probes: 0,
        ..Default::default()
    }
}

fn books_rig(rewrites: [Value; 3], queries: usize) -> Rig {
    Rig {
        host: Rc::new(TestHost::default()),
        model: Rc::new(books_model(rewrites, [(FICTION, "fiction"), (POETRY, "poetry"), (NOVELS, "fiction")])),
        tools: Rc::new(books_tools()),
        config: config(queries),
    }
}

fn caller_requests(rig: &Rig) -> usize {
    rig.model.log.borrow().iter().filter(|r| r.purpose == "caller").count()
}

fn check_counts(rig: &Rig, out: &RunOutput) {
    let t = &out.report.totals;
    assert_eq!(t.model_calls, rig.model.calls.get(), "every model call is counted");
    assert_eq!(t.tool_calls, rig.tools.calls.get(), "every tool call is counted");
    assert_eq!(t.usage.0.get("caller").map_or(0, |u| u.calls), caller_requests(rig), "caller calls under `caller`");
}

#[test]
fn a_candidate_that_misleads_the_caller_is_rejected_and_a_good_one_accepted() {
    let rig = books_rig([good(0), misleading(), good(1)], 2);
    let (out, events) = rig.run(&books_doc(), None);
    let op = &out.report.operations[0];
    let revs = &op.revisions;
    assert_eq!(revs.len(), 4, "{revs:#?}");
    // Episode 1: no other successful call yet, so nothing to test with: said, and accepted.
    let v1 = revs[1].verification.as_ref().unwrap();
    assert!(revs[1].revision.accepted && v1.passed && v1.candidate.is_empty());
    assert!(v1.summary.starts_with("not verified: no successful call other than"), "{}", v1.summary);
    // Episode 2: the numeric-code doc leads to an invalid call where revision 1 led to a good one.
    let r2 = &revs[2];
    assert!(!r2.revision.accepted, "the misleading candidate is rejected");
    assert_eq!(r2.violations.len(), 1);
    assert_eq!(r2.violations[0].rule, GateRule::Verification);
    let reason = r2.revision.reason.as_deref().unwrap();
    assert!(
        reason.contains("replay verification") && reason.contains("0/1") && reason.contains("revision 1"),
        "{reason}"
    );
    let v2 = r2.verification.as_ref().unwrap();
    assert_eq!((v2.candidate_score, v2.current_score, v2.counted, v2.current_revision), (0, 1, 1, 1));
    assert_eq!(v2.candidate[0].query, FICTION, "the held-out query is the first call's, not the one rewritten");
    assert_eq!(v2.candidate[0].arguments, Some(json!({"genre": "3"})));
    assert_eq!(v2.candidate[0].outcome, CallOutcome::Failed);
    assert!(v2.candidate[0].reason.contains("do not fit the parameters"), "{}", v2.candidate[0].reason);
    assert_eq!(v2.current[0].outcome, CallOutcome::Passed);
    assert!(!v2.candidate[0].executed && v2.current[0].executed, "only valid calls are made");
    // Episode 3: two held-out queries (the first two calls); revision 1's answer to the first
    // is reused, not asked again.
    let r3 = &revs[3];
    assert!(r3.revision.accepted, "{:?}", r3.revision.reason);
    let v3 = r3.verification.as_ref().unwrap();
    assert_eq!((v3.candidate_score, v3.current_score, v3.counted), (2, 2, 2));
    let queries: Vec<&str> = v3.candidate.iter().map(|c| c.query.as_str()).collect();
    assert_eq!(queries, [FICTION, POETRY]);
    assert_eq!(v3.current.iter().map(|c| c.cached).collect::<Vec<_>>(), [true, false]);
    assert_eq!(out.doc.operation("search").unwrap().description, good(1)["description"].as_str().unwrap());
    // Caller calls: 1 + 1 in episode 2, 2 + 1 in episode 3; the valid ones are made.
    assert_eq!(caller_requests(&rig), 5);
    assert_eq!(rig.tools.calls.get(), 3 + 1 + 3, "3 explorations, 1 in episode 2, 3 in episode 3");
    check_counts(&rig, &out);
    let t = &out.report.totals;
    assert_eq!((t.revisions_verified, t.revisions_held_back), (2, 1), "episode 1's was not scored");
    // Events: a verdict per candidate, a call event per call made (cached ones are not).
    let verdicts: Vec<bool> = events
        .iter()
        .filter_map(|e| if let Event::Verification { passed, .. } = e { Some(*passed) } else { None })
        .collect();
    assert_eq!(verdicts, [true, false, true]);
    assert_eq!(count(&events, |e| matches!(e, Event::VerificationCall { .. })), 5);
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::RevisionRejected { reason, .. } if reason.contains("replay verification"))));
}

#[test]
fn zero_queries_turn_verification_off() {
    let rig = books_rig([good(0), misleading(), good(1)], 0);
    let (out, events) = rig.run(&books_doc(), None);
    let revs = &out.report.operations[0].revisions;
    assert!(revs[2].revision.accepted, "without verification the misleading candidate gets through");
    assert!(revs.iter().all(|r| r.verification.is_none()));
    assert_eq!(caller_requests(&rig), 0);
    assert_eq!(rig.tools.calls.get(), 3);
    assert_eq!(count(&events, |e| matches!(e, Event::Verification { .. } | Event::VerificationCall { .. })), 0);
}

/// A host tool function with a policy of its own: it refuses to look up poetry.
struct NoPoetry(ScriptedTools);

#[async_trait(?Send)]
impl ToolCaller for NoPoetry {
    async fn call(&self, op: &Operation, args: &Value) -> Result<Observation, ToolError> {
        if args["genre"] == "poetry" {
            return Err(ToolError::Denied { reason: "poetry lookups are not allowed".into() });
        }
        self.0.call(op, args).await
    }
}

#[test]
fn a_call_refused_by_the_policy_is_skipped_not_counted_as_a_failure() {
    // The candidate says poetry is the default: for the fiction query its Caller asks for
    // poetry, which the policy refuses. Counted as a failure it would lose 1 to 2.
    let poetry_default = rewrite(
        "Finds books of one genre, fiction or poetry by default; returns titles and authors, each with its year, and the total.",
        json!({"genre": "The genre: fiction, or poetry by default."}),
        "",
    );
    let host = Rc::new(TestHost::default());
    let queries = [(FICTION, "fiction"), (NOVELS, "fiction"), ("Any new crime fiction this week?", "fiction")];
    let model = Rc::new(books_model([good(0), good(1), poetry_default], queries));
    let refiner =
        tooldraft::refine::Refiner::new(model, Rc::new(NoPoetry(books_tools())), host.clone(), None, config(2));
    let out = drive(&host, refiner.run(&books_doc(), Default::default())).unwrap();
    let revs = &out.report.operations[0].revisions;
    let last = revs.last().unwrap();
    let v = last.verification.as_ref().unwrap();
    assert_eq!(v.candidate.len(), 2, "{v:#?}");
    assert_eq!(v.candidate[0].outcome, CallOutcome::Refused);
    assert!(v.candidate[0].reason.contains("poetry lookups are not allowed"), "{}", v.candidate[0].reason);
    assert_eq!((v.candidate_score, v.current_score, v.counted), (1, 1, 1));
    assert!(v.passed && last.revision.accepted, "{:?}", last.revision.reason);
}

#[test]
fn a_run_killed_anywhere_in_verification_resumes_to_the_same_result() {
    let full = books_rig([good(0), misleading(), good(1)], 2);
    let (expected, _) = full.run(&books_doc(), None);
    let (model_calls, tool_calls) = (full.model.calls.get(), full.tools.calls.get());
    let steps = expected.state.step;
    for k in 1..=steps {
        let rig = books_rig([good(0), misleading(), good(1)], 2);
        let saved = rig.run_until(&books_doc(), None, k).unwrap_or_else(|| panic!("no checkpoint {k}"));
        let saved: tooldraft::refine::RunState = serde_json::from_str(&serde_json::to_string(&saved).unwrap()).unwrap();
        let (resumed, _) = rig.run(&books_doc(), Some(saved));
        assert_eq!(rig.model.calls.get(), model_calls, "model calls after a kill at step {k}");
        assert_eq!(rig.tools.calls.get(), tool_calls, "tool calls after a kill at step {k}");
        same_json(&resumed.report, &expected.report, &format!("report after a kill at step {k}"));
        same_json(&resumed.state, &expected.state, &format!("state after a kill at step {k}"));
    }
}

#[test]
fn verification_calls_count_against_the_budgets() {
    // Episodes 1 and 2 spend 3 + 3 model calls before the verification of episode 2's
    // candidate; a budget of 7 lets its first Caller call through and no more.
    let mut rig = books_rig([good(0), good(1), good(0)], 2);
    rig.config.operation_budget = Budget { model_calls: Some(7), ..Default::default() };
    rig.config.summarize_tools = false;
    let (out, _) = rig.run(&books_doc(), None);
    let op = &out.report.operations[0];
    assert_eq!(rig.model.calls.get(), 7, "no call past the budget");
    assert_eq!(op.usage.0["caller"].calls, 1);
    let r2 = &op.revisions[2];
    assert!(!r2.revision.accepted, "an unverified candidate is held back");
    let reason = r2.revision.reason.as_deref().unwrap();
    assert!(reason.contains("could not finish") && reason.contains("budget of 7 model calls"), "{reason}");
    assert!(
        matches!(&op.termination, Some(TerminationReason::BudgetSpent { budget, .. }) if budget.contains("7 model calls"))
    );
    check_counts(&rig, &out);
}
