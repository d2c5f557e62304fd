//! What a run explored, read from its report: the operations' queries (which held-out queries
//! must differ from) and their successful calls (the run's own verified explorations).
//!
//! [`ExploredRun`] reads only those fields of a [`RunReport`]'s JSON and ignores the rest.
//! `exploreHeldOut` takes the report from JS: reading all of it would bring a deserializer for
//! every type of the report (revisions, analyses, facts, errors…) into the engine module, about
//! 13 KB gzip, for the few fields used here.
//!
//! ```
//! use tooldraft::eval::explored::{explored_queries, ExploredRun};
//! let run: ExploredRun = serde_json::from_str(
//!     r#"{"operations": [{"id": "get", "queries": [{"query": "q", "episode": 0}], "trails": [], "usage": {}}]}"#,
//! ).unwrap();
//! assert_eq!(explored_queries(&run)["get"], ["q"]);
//! ```

use super::queries::{EvalItem, OpRef};
use crate::refine::RunReport;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The explored part of a run's report.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ExploredRun {
    #[serde(default)]
    pub operations: Vec<ExploredOperation>,
}

/// One operation's queries and calls.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ExploredOperation {
    pub id: String,
    #[serde(default)]
    pub queries: Vec<ExploredQuery>,
    #[serde(default)]
    pub trails: Vec<ExploredCall>,
}

/// A query the explorer wrote.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ExploredQuery {
    pub query: String,
}

/// A call: its trail id, query and arguments, and whether it succeeded.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct ExploredCall {
    pub id: String,
    pub query: String,
    #[serde(default)]
    pub arguments: Value,
    #[serde(default)]
    pub observation: Option<ExploredResponse>,
}

/// What a call's response says about its success.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExploredResponse {
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub is_error: bool,
}

impl ExploredCall {
    /// The call reached the tool and the tool reported no error (as [`crate::refine::Trail::succeeded`]).
    pub fn succeeded(&self) -> bool {
        self.observation.as_ref().is_some_and(|o| o.status.is_some() && !o.is_error)
    }
}

impl From<&RunReport> for ExploredRun {
    fn from(report: &RunReport) -> ExploredRun {
        let operations = report
            .operations
            .iter()
            .map(|op| ExploredOperation {
                id: op.id.clone(),
                queries: op.queries.iter().map(|q| ExploredQuery { query: q.query.clone() }).collect(),
                trails: op
                    .trails
                    .iter()
                    .map(|t| ExploredCall {
                        id: t.id.clone(),
                        query: t.query.clone(),
                        arguments: t.arguments.clone(),
                        observation: t
                            .observation
                            .as_ref()
                            .map(|o| ExploredResponse { status: o.status, is_error: o.is_error }),
                    })
                    .collect(),
            })
            .collect();
        ExploredRun { operations }
    }
}

/// Items from the run's successful calls: one per verified exploration.
pub fn explored_items(run: &ExploredRun) -> Vec<EvalItem> {
    run.operations
        .iter()
        .flat_map(|op| {
            op.trails.iter().filter(|t| t.succeeded()).map(move |t| EvalItem {
                id: format!("explored:{}", t.id),
                query: t.query.clone(),
                gold: vec![OpRef { tool: None, name: op.id.clone() }],
                candidates: Vec::new(),
                args: Some(t.arguments.clone()),
            })
        })
        .collect()
}

/// Every query a run explored, by operation id (what the held-out queries must differ from).
pub fn explored_queries(run: &ExploredRun) -> BTreeMap<String, Vec<String>> {
    crate::order::map_of(
        run.operations.iter().map(|o| (o.id.clone(), o.queries.iter().map(|q| q.query.clone()).collect())),
    )
}
