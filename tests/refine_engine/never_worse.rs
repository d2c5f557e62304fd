//! Never worse: the regression rules in whole runs (the real failures of `make demo`
//! replayed by a scripted model), the end-of-run guarantee and its outcomes, echoed analyzer
//! findings, and the summary gate.

use crate::support::*;
use serde_json::json;
use std::rc::Rc;
use tooldraft::doc::ToolDoc;
use tooldraft::refine::{Event, Outcome, RefineConfig, RegressionRules};

fn rig(model: ScriptedModel, tools: ScriptedTools, config: RefineConfig) -> Rig {
    Rig { host: Rc::new(TestHost::default()), model: Rc::new(model), tools: Rc::new(tools), config }
}

/// server-memory's `create_entities` and `open_nodes`, as `make demo` reads them.
fn memory_doc() -> ToolDoc {
    serde_json::from_value(json!({"format": "mcp", "tools": [{"name": "memory", "description": "A knowledge graph memory.", "operations": [
        {"id": "create_entities", "name": "create_entities", "description": "Create multiple new entities in the knowledge graph",
         "parameters": [{"name": "entities", "location": "body", "schema": {"type": "array"}, "required": true, "description": ""}]},
        {"id": "open_nodes", "name": "open_nodes", "description": "Open specific nodes in the knowledge graph by their names",
         "parameters": [{"name": "names", "location": "body", "schema": {"type": "array"}, "required": true, "description": "An array of entity names to retrieve"}]}
    ]}]}))
    .unwrap()
}

fn memory_tools() -> ScriptedTools {
    ScriptedTools::default().with_fallback(|op, _| ToolReply {
        status: Some(200),
        body: json!({"entities": [{"name": "Alice", "entityType": "person", "observations": ["likes tea"]}], "relations": [], "op": op.id}),
        fail: None,
    })
}

/// The generic model, with explorer answers whose arguments fit the memory operations.
fn memory_model() -> ScriptedModel {
    let model = generic_model();
    for q in QUERIES {
        model.push(
            "create_entities/explorer",
            explore(q, json!({"entities": [{"name": "Alice", "entityType": "person", "observations": []}]})),
        );
        model.push("open_nodes/explorer", explore(q, json!({"names": ["Alice"]})));
    }
    model
}

/// A model that answers like the embedded one did: the rewriter's answer template echoed,
/// parameters described by the operation's id, talk about exploration.
fn echoing_model() -> ScriptedModel {
    let model = memory_model();
    for _ in 0..5 {
        model.push(
            "create_entities/rewriter",
            rewrite("The new operation description", json!({"entities": "create_entities"}), "x"),
        );
        model.push(
            "open_nodes/rewriter",
            rewrite(
                "The next operation you need to explore is the next one that does not match the documentation.",
                json!({"names": "open_nodes"}),
                "x",
            ),
        );
    }
    model
}

fn config() -> RefineConfig {
    RefineConfig { max_episodes: 2, convergence_threshold: Some(1.1), ..Default::default() }
}

#[test]
fn the_demos_echoed_rewrites_are_rejected_and_the_original_stays() {
    let doc = memory_doc();
    let r = rig(echoing_model(), memory_tools(), config());
    let (out, events) = r.run(&doc, None);
    for o in &out.report.operations {
        assert_eq!(o.revisions.len(), 3, "{}", o.id);
        assert!(o.revisions[1..].iter().all(|x| !x.revision.accepted), "{:?}", o.revisions);
        assert_eq!(o.outcome, Outcome::Unchanged, "{}", o.outcome_reason);
        assert!(o.outcome_reason.contains("every rewrite was rejected"), "{}", o.outcome_reason);
    }
    let ce = &out.report.operations[0].revisions[1];
    let names: Vec<&str> = ce.violations.iter().map(|v| v.rule.name()).collect();
    assert!(names.contains(&"echo"), "{names:?}");
    // The parameter described by its operation's name alone is kept out of the revision (its
    // description stays), with why.
    let warnings = &out.report.operations[0].warnings;
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("parameter \"entities\" keeps its description")
                && w.contains("only names an identifier")),
        "{warnings:?}"
    );
    let on = &out.report.operations[1].revisions[1];
    assert!(on.revision.reason.as_deref().unwrap().contains("talks about documentation or exploration"));
    for (a, b) in doc.tools[0].operations.iter().zip(&out.doc.tools[0].operations) {
        assert_eq!(a.description, b.description);
        assert_eq!(a.parameters[0].description, b.parameters[0].description);
    }
    let rejected = count(
        &events,
        |e| matches!(e, Event::RevisionRejected { reason, .. } if reason.contains("repeats the prompt")),
    );
    assert_eq!(rejected, 2, "the timeline says why");
}

#[test]
fn an_off_topic_model_changes_nothing() {
    let model = memory_model();
    for _ in 0..4 {
        model.push("open_nodes/rewriter", rewrite("Bakes sourdough bread in a wood oven at dawn.", json!({}), "x"));
    }
    let r = rig(model, memory_tools(), RefineConfig { only: vec!["open_nodes".into()], ..config() });
    let (out, _) = r.run(&memory_doc(), None);
    let o = &out.report.operations[0];
    assert!(o.revisions[1].violations.iter().any(|v| v.rule.name() == "offTopic"), "{:?}", o.revisions[1]);
    assert_eq!(o.outcome, Outcome::Unchanged);
}

#[test]
fn a_tool_that_errors_on_every_call_keeps_the_original_and_says_so() {
    let tools = ScriptedTools::default().with_fallback(|_, _| ToolReply {
        status: Some(500),
        body: json!({"error": "internal error"}),
        fail: None,
    });
    // A rewrite in the words of the error passes the gate; the end-of-run check keeps the
    // original. Without schema-driven calls: the reason counts the failed calls.
    let model = generic_model();
    for _ in 0..2 {
        model.push("op0/rewriter", rewrite("op0 answers with an internal error for now.", json!({}), "again"));
    }
    let r = rig(model, tools, RefineConfig { max_failed_calls: 2, schema_probes: 0, ..config() });
    let doc = simple_doc(1);
    let (out, _) = r.run(&doc, None);
    let o = &out.report.operations[0];
    assert!(o.revisions.iter().skip(1).any(|x| x.revision.accepted), "the model's rewrites passed the gate");
    assert_eq!(o.outcome, Outcome::OriginalKept);
    assert!(
        o.outcome_reason.contains("no call to the tool succeeded (2 failed calls), so it is not backed by evidence"),
        "{}",
        o.outcome_reason
    );
    assert_eq!(out.doc.tools[0].operations[0].description, "Operation 0.");
    assert_eq!(out.report.totals.original_kept, 1);
}

#[test]
fn an_empty_original_is_improved_by_anything_informative_and_evidenced() {
    let mut doc = simple_doc(1);
    doc.tools[0].operations[0].description = String::new();
    let r = rig(generic_model(), generic_tools(), config());
    let (out, _) = r.run(&doc, None);
    let o = &out.report.operations[0];
    assert_eq!(o.outcome, Outcome::Improved, "{}", o.outcome_reason);
    assert!(
        o.outcome_reason.contains("passes every rule against the original")
            && o.outcome_reason.contains("successful call")
    );
    assert!(out.doc.tools[0].operations[0].description.starts_with("op0 does its job."));
    let accepted = o.revisions.iter().find(|x| x.revision.index == 1).unwrap();
    assert!(
        accepted.revision.reason.as_deref().unwrap().contains("passed empty, tooLong"),
        "acceptances say which checks passed"
    );
}

#[test]
fn the_final_revision_must_pass_against_the_original_at_the_end() {
    // A state whose accepted revision the rules (off in that run) would have refused: resumed
    // with the rules on, the end-of-run check keeps the original.
    let doc = memory_doc();
    let off = RefineConfig { regression: RegressionRules { enabled: false, ..Default::default() }, ..config() };
    let r = rig(echoing_model(), memory_tools(), off);
    let (first, _) = r.run(&doc, None);
    assert!(
        first.report.operations.iter().all(|o| o.outcome == Outcome::Improved),
        "without the rules the echo goes through"
    );
    assert_eq!(first.doc.tools[0].operations[0].description, "The new operation description");
    let on = rig(echoing_model(), memory_tools(), config());
    let (out, _) = on.run(&doc, Some(first.state));
    for o in &out.report.operations {
        assert_eq!(o.outcome, Outcome::OriginalKept, "{}", o.id);
        assert!(o.outcome_reason.contains("against the original it breaks"), "{}", o.outcome_reason);
    }
    assert_eq!(out.doc.tools[0].operations[0].description, "Create multiple new entities in the knowledge graph");
    assert_eq!(out.doc.tools[0].operations[1].parameters[0].description, "An array of entity names to retrieve");
    assert!(out.doc.tools[0].operations[0].examples.iter().any(|e| e.verified), "evidence still applies");
}

#[test]
fn analyzer_findings_that_echo_the_prompt_are_flagged_and_not_given_to_the_rewriter() {
    let model = memory_model();
    model.push(
        "open_nodes/analyzer",
        json!({"mismatches": ["<where the documentation disagrees with the observed behaviour>"],
               "missing": ["what a caller needs that the documentation lacks"],
               "suggestions": ["Say that unknown names are ignored."]}),
    );
    let r = rig(model, memory_tools(), RefineConfig { only: vec!["open_nodes".into()], max_episodes: 1, ..config() });
    let (out, events) = r.run(&memory_doc(), None);
    let a = &out.report.operations[0].analyses[0];
    assert_eq!(a.echoed.len(), 2, "{a:?}");
    assert!(a.analysis.mismatches.is_empty() && a.analysis.missing.is_empty());
    assert_eq!(a.analysis.suggestions, vec!["Say that unknown names are ignored.".to_string()]);
    assert!(out.report.operations[0].warnings.iter().any(|w| w.contains("only repeat the prompt")));
    assert!(
        count(&events, |e| matches!(e, Event::Warning { message, .. } if message.contains("only repeat the prompt")))
            == 1
    );
    let log = r.model.log.borrow();
    let rewriter = log.iter().find(|q| q.purpose == "rewriter").unwrap();
    assert!(!rewriter.messages[1].content.contains("disagrees with the observed behaviour"));
    assert!(rewriter.messages[1].content.contains("unknown names are ignored"));
}

#[test]
fn a_summary_that_repeats_one_word_is_refused() {
    let model = generic_model();
    model.push(
        "svc/summarizer",
        json!({"description": "web-based, web-based, web-based, web-based, web-based, web-based, web-based"}),
    );
    let r = rig(model, generic_tools(), RefineConfig { max_episodes: 1, ..Default::default() });
    let (out, events) = r.run(&simple_doc(1), None);
    let s = out.report.tools[0].summary.as_ref().unwrap();
    assert!(!s.accepted && s.reason.as_deref().unwrap().contains("repeats itself"), "{s:?}");
    assert_eq!(out.doc.tools[0].description, "A service.");
    assert!(events.iter().any(|e| matches!(e, Event::ToolSummary { accepted: false, .. })));
}

#[test]
fn a_weak_models_junk_values_and_rewordings_do_not_reach_the_doc() {
    // What `make demo` wrote with the embedded model: placeholder and identifier values as
    // parameter examples, and a rewording of the description accepted as an improvement.
    let model = generic_model();
    model.push("open_nodes/explorer", explore("example", json!({"names": ["name", "key", "id"]})));
    model.push("open_nodes/explorer", explore("Show me everything stored about Alice", json!({"names": ["Alice"]})));
    for _ in 0..3 {
        model.push(
            "open_nodes/rewriter",
            rewrite(
                "The operation opens specific nodes of the knowledge graph by their names.",
                json!({"names": "An array of the names of the entities to retrieve"}),
                "x",
            ),
        );
    }
    let r = rig(model, memory_tools(), RefineConfig { only: vec!["open_nodes".into()], ..config() });
    let (out, _) = r.run(&memory_doc(), None);
    let op = &out.doc.tools[0].operations[1];
    let o = &out.report.operations[0];
    assert!(o.revisions[1..].iter().all(|x| !x.revision.accepted), "{:?}", o.revisions);
    assert!(o.revisions[1].revision.reason.as_deref().unwrap().contains("only rewords"), "{:?}", o.revisions[1]);
    assert_eq!(op.description, "Open specific nodes in the knowledge graph by their names");
    assert_eq!(op.parameters[0].description, "An array of entity names to retrieve");
    assert_eq!(op.parameters[0].examples, vec![json!(["Alice"])], "only the value of its own");
    let verified: Vec<&str> = op.examples.iter().filter(|e| e.verified).map(|e| e.query.as_str()).collect();
    assert_eq!(verified, vec!["Show me everything stored about Alice"]);
}
