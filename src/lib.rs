//! tooldraft refines tool documentation for LLM agents by letting a model use the tool and
//! learn from what happens (the DRAFT method: explore, analyze, rewrite), then goes further:
//! parameter docs, verified examples, observed response shapes, a safety policy, resumable
//! concurrent runs and an evaluation of whether the new docs help.
//!
//! The core is plain Rust and reaches the world only through [`host::Host`]; `src/wasm/` is
//! the only module that knows about JavaScript.
//!
//! ```
//! let text = r#"{"tools":[{"name":"echo","description":"Echoes.","inputSchema":{"type":"object","properties":{"message":{"type":"string"}}}}]}"#;
//! let doc = tooldraft::doc::formats::import(text, None).unwrap();
//! assert_eq!(doc.format, Some(tooldraft::doc::Format::Mcp));
//! assert_eq!(doc.operation_count(), 1);
//! ```
//!
//! Module map:
//! - [`doc`]: the tool-documentation model and its formats (import, export, inspect).
//! - [`llm`]: chat requests, providers, structured output and its repair, usage.
//! - [`tools`]: calling operations over HTTP and MCP, the safety policy, redaction.
//! - [`similarity`]: BLEU, local text embeddings and cosine, all offline.
//! - [`eval`]: does a doc version help a model pick and call tools? Scores, intervals, tests.
//! - [`check`]: doc drift detection: replays what a refined doc claims against the live tool.
//! - [`refine`]: the explore → analyze → rewrite loop, its events and checkpoints.
//! - [`net`]: shared HTTP helpers: retries with backoff and `Retry-After`, per-endpoint limits.
//! - [`schema`]: a small JSON Schema validator for model output and call arguments.
//! - [`host`]: what the core needs from the world (HTTP, sleep, clock, randomness).
//! - [`decimal`]: reading a number written in text through serde_json (one float reader).
//! - [`lowercase`]: lower-casing as the standard library does, from a compact table.
//! - [`order`]: sorting and ordered maps with one compiled sort (a smaller wasm).
//! - [`text`]: cutting text to a size (by characters or bytes), the one way the crate does it.
//! - [`wire`]: reading tagged and flattened types in one pass (smaller wasm, same JSON).
//!
//! Within each folder, modules depend on each other one way (no cycles; checked by
//! `tests/module_layers.rs`). In `refine`, `ctx` holds what the steps share; `run` builds it
//! and schedules `operation` and `summary` steps, which call through `journal`; `report` reads
//! the finished state.
//! - [`error`]: every error code the core emits and its category (input, endpoint, …).
//!
//! Two features, both on by default, make the package's two wasm modules (`scripts/build.sh`).
//! `engine` holds everything that calls a model, a tool or an embedder: `refine`, `eval`'s
//! runner, `check`, `llm`, `tools`, `net`, `similarity`, `calibrate` and their JS exports: the
//! *engine module*, which reads and writes no format (its exports take document objects).
//! `document` holds the JS exports of the document layer (`doc` and its formats, query sets,
//! evaluation reports, diffs, error codes): the small *document module*, which `parseDoc` and
//! the web app's first paint load, and which reads and writes documents for the engine.

#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

#[cfg(feature = "engine")]
pub mod calibrate;
#[cfg(feature = "engine")]
pub mod check;
pub mod decimal;
pub mod doc;
pub mod error;
pub mod eval;
pub mod host;
#[cfg(feature = "engine")]
pub mod llm;
pub mod lowercase;
#[cfg(feature = "engine")]
pub mod net;
pub mod order;
#[cfg(feature = "engine")]
pub mod refine;
pub mod schema;
#[cfg(feature = "engine")]
pub mod similarity;
pub mod text;
#[cfg(feature = "engine")]
pub mod tools;
pub mod wire;

// The declarations cover the engine's types too: generated from the full build.
#[cfg(all(test, feature = "engine"))]
mod typescript;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

/// The crate version, as shown by the CLI and the web app.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
