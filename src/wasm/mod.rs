//! The JavaScript boundary: the only module that names wasm-bindgen and js-sys.
//!
//! Everything exported here is camelCase in JS, typed in `pkg/index.d.ts` and described in
//! `pkg/README.md`; `pkg/index.js` wraps it lightly (initialisation checks).
//! Values cross as plain JSON-like objects through one serializer ([`convert`]); errors
//! cross as JS `Error`s whose `name` is the core error's stable code ([`error`]).
//!
//! - [`check`]: `check`, doc drift detection against the live tool (no model).
//! - [`doc`]: `parseDoc`, `inspect`, `convert`, `exportDoc`, `diffText`, `escapeHtml`, `version`.
//! - [`host`]: [`host::JsHost`], the core's [`crate::host::Host`] over `fetch` and timers,
//!   with per-request timeouts and run-level cancellation ([`host::Cancellation`]).
//! - [`llm_host`] / [`tool_host`]: a chat model and a tool caller backed by JS functions
//!   that return Promises (for hosts such as IDE extensions with their own model and tools).
//! - [`embeddings`]: the `embeddings` config (endpoint, host function, local), `calibrate`.
//! - [`mcp`]: `listMcpTools`, an MCP server's tools as a document.
//! - [`refiner`]: the `Refiner` class (`new Refiner(config).run(doc, {signal, onEvent})`).
//! - [`eval_report`]: `parseQueries`, `evaluationHtml`, `evaluationChart` (no model involved).
//!
//! Two features split the exports into the package's two modules (`scripts/build.sh`):
//! `document` ([`doc`], [`convert`]'s `parseJson`, [`error_codes`], [`eval_report`]'s
//! exports) is the document module; `engine` (the rest) is the engine module, which reads and
//! writes no format: its functions take document objects, and `pkg/index.js` parses texts
//! with the document module before calling them and writes the refined document with it
//! afterwards. `version` is in both. Native and test builds have both features.
//!
//! ```ignore
//! // In JS, after `await init()`:
//! // const report = inspect(text);           // throws Error{name: 'SyntaxError', ...}
//! ```

#[cfg(feature = "engine")]
pub mod check;
pub mod convert;
#[cfg(feature = "document")]
pub mod doc;
#[cfg(feature = "engine")]
pub mod embeddings;
pub mod error;
#[cfg(feature = "document")]
pub mod error_codes;
#[cfg(feature = "engine")]
pub mod eval;
pub mod eval_report;
#[cfg(feature = "engine")]
pub mod host;
pub mod json_text;
#[cfg(feature = "engine")]
pub mod llm_host;
#[cfg(feature = "engine")]
pub mod mcp;
#[cfg(feature = "engine")]
pub mod refiner;
#[cfg(feature = "engine")]
pub mod setup;
#[cfg(feature = "engine")]
pub mod tool_host;

use wasm_bindgen::prelude::*;

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}
