//! A state file is data anyone could have edited: `--resume` refuses one whose accepted
//! revisions fail the rewrite gate or whose saved arguments fail the operation's schema,
//! before any call, and uses none of it. An untouched state resumes as before.

use crate::support::*;
use serde_json::json;
use tooldraft::refine::{RefineConfig, RunOptions, RunState, Stage};

fn rig() -> Rig {
    Rig {
        host: std::rc::Rc::new(TestHost::default()),
        model: std::rc::Rc::new(generic_model()),
        tools: std::rc::Rc::new(generic_tools()),
        config: RefineConfig { max_episodes: 2, ..Default::default() },
    }
}

/// Resumes `state` on a fresh rig; the error's code and message, after checking that the
/// refused resume made no model or tool call.
fn refused(state: RunState) -> (String, String) {
    let rig = rig();
    let e =
        drive(&rig.host, rig.refiner().run(&simple_doc(2), RunOptions { resume: Some(state), ..Default::default() }))
            .expect_err("the edited state is refused");
    assert_eq!(rig.model.calls.get(), 0, "no model call");
    assert_eq!(rig.tools.calls.get(), 0, "no tool call");
    (e.code().to_string(), e.to_string())
}

/// A change made to a saved state by hand.
type Edit = Box<dyn Fn(&mut RunState)>;

fn finished_state() -> RunState {
    let (out, _) = rig().run(&simple_doc(2), None);
    assert!(out.state.operations[0].current > 0, "the generic model's rewrites are accepted");
    out.state
}

#[test]
fn an_untouched_state_resumes() {
    let state = finished_state();
    let (out, _) = rig().run(&simple_doc(2), Some(state.clone()));
    assert_eq!(out.state.operations, state.operations);
}

#[test]
fn an_edited_accepted_revision_is_refused() {
    let state = finished_state();
    let cur = state.operations[0].current;
    let edits: [(&str, Edit); 5] = [
        ("too long", Box::new(move |s| s.operations[0].revisions[cur].revision.description = "Fine. ".repeat(400))),
        ("empty", Box::new(move |s| s.operations[0].revisions[cur].revision.description = " ".into())),
        (
            "unknown parameter",
            Box::new(move |s| {
                s.operations[0].revisions[cur].revision.parameters.insert("ghost".into(), "A ghost.".into());
            }),
        ),
        ("original text", Box::new(|s| s.operations[0].revisions[0].revision.description = "Rewritten.".into())),
        (
            "a rejected revision made current",
            Box::new(|s| {
                let o = &mut s.operations[1];
                let mut r = o.revisions[o.current].clone();
                r.revision.accepted = false;
                r.revision.index = o.revisions.len();
                o.revisions.push(r);
                o.current = o.revisions.len() - 1;
            }),
        ),
    ];
    for (what, edit) in edits {
        let mut s = state.clone();
        edit(&mut s);
        let (code, message) = refused(s);
        assert_eq!(code, "InvalidState", "{what}: {message}");
        assert!(message.contains("operation op"), "{what}: {message}");
    }
}

#[test]
fn an_edited_accepted_summary_is_refused() {
    let state = finished_state();
    assert!(state.tools[0].summary.as_ref().is_some_and(|s| s.accepted), "the generic model's summary is accepted");
    let mut s = state.clone();
    s.tools[0].summary.as_mut().unwrap().description = "A service. ".repeat(300);
    let (code, message) = refused(s);
    assert_eq!(code, "InvalidState");
    assert!(message.contains("tool svc: its summary is marked accepted but"), "{message}");
    let mut s = state;
    s.tools[0].summary.as_mut().unwrap().description = String::new();
    assert!(refused(s).1.contains("the description is empty"));
}

#[test]
fn saved_arguments_that_fail_the_schema_are_refused() {
    // A state saved just before a call: its arguments would be sent (or replayed) on resume.
    let doc = simple_doc(2);
    let at_call = (1..40)
        .filter_map(|k| rig().run_until(&doc, None, k))
        .find(|s| s.operations.iter().any(|o| matches!(o.stage, Stage::Call { .. })))
        .expect("a checkpoint before a call");
    let mut s = at_call.clone();
    for o in &mut s.operations {
        if let Stage::Call { candidate, .. } = &mut o.stage {
            candidate.arguments = json!({"path": "../../admin"});
        }
    }
    let (code, message) = refused(s);
    assert_eq!(code, "InvalidState");
    assert!(message.contains("the call to make") && message.contains("\"path\" is not a parameter"), "{message}");

    let finished = finished_state();
    let mut s = finished.clone();
    s.operations[0].queries[0].arguments = json!("not an object");
    assert!(refused(s).1.contains("a saved query"));
    let mut s = finished;
    s.operations[1].trails[0].arguments = json!({"extra": 1});
    assert!(refused(s).1.contains("a saved trail"));
}
