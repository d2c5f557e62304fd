//! A tool caller that finds the live tool's safety hints differ from the document's (an MCP
//! server's `tools/list`): the run says so, as a warning event and in the report, once per
//! operation, before the operation's first step.

use crate::support::*;
use async_trait::async_trait;
use serde_json::Value;
use std::rc::Rc;
use tooldraft::doc::Operation;
use tooldraft::refine::{Event, RefineConfig, Refiner, RunOptions};
use tooldraft::tools::{Observation, ToolCaller, ToolError};

struct LiveAnnotated(ScriptedTools);

#[async_trait(?Send)]
impl ToolCaller for LiveAnnotated {
    async fn live_safety(&self, operation: &Operation) -> Option<String> {
        (operation.id == "op0").then(|| "readOnlyHint: the document says true, the server false".to_string())
    }
    async fn call(&self, operation: &Operation, arguments: &Value) -> Result<Observation, ToolError> {
        self.0.call(operation, arguments).await
    }
}

#[test]
fn a_difference_in_live_safety_hints_is_a_warning_and_in_the_report() {
    let host = Rc::new(TestHost::default());
    let tools = Rc::new(LiveAnnotated(generic_tools()));
    let config = RefineConfig { max_episodes: 1, ..Default::default() };
    let refiner = Refiner::new(Rc::new(generic_model()), tools, host.clone(), None, config);
    let events = std::cell::RefCell::new(Vec::new());
    let on_event = |e: &Event| events.borrow_mut().push(e.clone());
    let out = drive(&host, refiner.run(&simple_doc(2), RunOptions { on_event: Some(&on_event), ..Default::default() }))
        .unwrap();
    let warned: Vec<(Option<String>, String)> = events
        .into_inner()
        .into_iter()
        .filter_map(|e| match e {
            Event::Warning { operation, message } if message.contains("readOnlyHint") => Some((operation, message)),
            _ => None,
        })
        .collect();
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert_eq!(warned[0].0.as_deref(), Some("op0"));
    let report = &out.report.operations;
    assert!(report[0].warnings.iter().any(|w| w.contains("the server false")), "{:?}", report[0].warnings);
    assert!(report[1].warnings.iter().all(|w| !w.contains("readOnlyHint")));
}
