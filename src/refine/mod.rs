//! The refinement engine: DRAFT's explore → analyze → rewrite loop, diversity-promoting
//! exploration, tool-adaptive termination, evidence, the rewrite gate, events and checkpoints.
//!
//! Per operation, each episode:
//! 1. the [`explorer`] writes a natural user query and call arguments; the arguments are
//!    checked against the parameters (invalid ones go back with the reason, bounded), and the
//!    query's similarity to earlier ones must stay below φ ([`diversity`]);
//! 2. the tool is called; the call becomes a [`evidence::Trail`];
//! 3. the [`analyzer`] compares the current documentation with what happened;
//! 4. the [`rewriter`] proposes a new description and parameter descriptions, which the
//!    [`gate`] accepts or rejects; after an accepted one, Δ against the previous revision
//!    decides whether the operation has converged.
//!
//! Once a tool's operations are done, the [`summarizer`] rewrites the tool's description.
//! A revision that passes the gate is accepted only if a Caller model that reads it answers
//! held-out queries at least as well as with the current revision ([`verify`]).
//! [`evidence::Facts`] derived from the trails (a verified example, the observed response
//! schema, parameter values that worked) go into the document with no model involved; only
//! calls and values [`worth`] showing become examples (no placeholders, echoed identifiers,
//! empty values or empty results).
//!
//! ```
//! use std::rc::Rc;
//! use async_trait::async_trait;
//! use serde_json::{json, Value};
//! use tooldraft::doc::{Operation, Tool, ToolDoc};
//! use tooldraft::host::{Host, HostError, HttpRequest, HttpResponse};
//! use tooldraft::llm::{ChatModel, ChatRequest, ChatResponse, LlmError};
//! use tooldraft::refine::{RefineConfig, Refiner, RunOptions, TerminationReason};
//! use tooldraft::tools::{Observation, ToolCaller, ToolError};
//!
//! struct Model;
//! #[async_trait(?Send)]
//! impl ChatModel for Model {
//!     async fn chat(&self, r: &ChatRequest) -> Result<ChatResponse, LlmError> {
//!         let content = match r.purpose.as_str() {
//!             "explorer" => json!({"query": "Is the service up?", "arguments": {}}),
//!             "analyzer" => json!({"mismatches": [], "missing": ["the response"], "suggestions": ["Say it returns ok."]}),
//!             _ => json!({"description": "Checks the service; returns {\"ok\": true}.", "parameters": {}, "nextDirection": ""}),
//!         };
//!         Ok(ChatResponse { content: content.to_string(), usage: Default::default(), model: None })
//!     }
//! }
//! struct Tools;
//! #[async_trait(?Send)]
//! impl ToolCaller for Tools {
//!     async fn call(&self, _: &Operation, _: &Value) -> Result<Observation, ToolError> {
//!         Ok(Observation { status: Some(200), body: r#"{"ok":true}"#.into(), json: Some(json!({"ok": true})), ..Default::default() })
//!     }
//! }
//! struct NoHost;
//! #[async_trait(?Send)]
//! impl Host for NoHost {
//!     async fn fetch(&self, _: HttpRequest) -> Result<HttpResponse, HostError> { Err(HostError::Aborted) }
//!     async fn sleep(&self, _: u64) {}
//!     fn now_ms(&self) -> f64 { 0.0 }
//!     fn random(&self) -> f64 { 0.5 }
//! }
//!
//! let op = Operation { id: "health".into(), name: "health".into(), description: "Health.".into(), ..Default::default() };
//! let doc = ToolDoc { tools: vec![Tool { name: "svc".into(), operations: vec![op], ..Default::default() }], ..Default::default() };
//! let config = RefineConfig { max_episodes: 2, ..Default::default() };
//! let refiner = Refiner::new(Rc::new(Model), Rc::new(Tools), Rc::new(NoHost), None, config);
//! let out = futures::executor::block_on(refiner.run(&doc, RunOptions::default())).unwrap();
//! let op = out.doc.operation("health").unwrap();
//! assert!(op.description.starts_with("Checks the service"));
//! assert!(op.examples[0].verified);
//! assert!(matches!(out.report.operations[0].termination, Some(TerminationReason::Converged { .. })));
//! ```

pub mod analyzer;
pub mod cache;
mod config;
mod ctx;
pub mod diversity;
mod error;
pub mod events;
pub mod evidence;
pub mod explorer;
pub mod gate;
mod journal;
mod operation;
mod outcome;
pub mod prompt;
pub mod repair;
mod report;
mod resume;
pub mod rewriter;
mod run;
pub mod sanitize;
pub mod seed;
pub mod shape;
mod state;
pub mod summarizer;
mod summary;
pub mod verify;
pub mod words;
pub mod worth;

pub use cache::{CachedModel, ResponseCache};
pub use config::{Budget, LengthBudget, LimitsConfig, RefineConfig, RegressionRules, ThresholdsConfig, VerifyConfig};
pub use ctx::{Checkpoint, Refiner};
pub use error::RefineError;
pub use events::{Event, Phase, TerminationReason};
pub use outcome::Outcome;
pub use report::{OperationReport, OperationTimings, RunOutput, RunReport, ToolReport, Totals};
pub use run::{fingerprint, RunOptions};
pub use state::{
    AnalysisRecord, Candidate, ExploreProgress, JournalEntry, OperationState, QueryRecord, RevisionRecord, RoleUsage,
    RunState, Stage, StepError, SummaryRecord, ToolState, UsageByRole, STATE_VERSION,
};
