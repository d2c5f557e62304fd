//! Every error code the core gives its callers, with its category: what kind of failure it is
//! and so what a command line makes of it. The one list: JS errors carry the category
//! (`error.category`, set in `src/wasm/error.rs`), `errorCodes()` exports the list, and the
//! CLI's exit code follows from the category (pkg/lib/exit-codes.mjs). tests/error_codes.rs
//! fails when a `code()` in the source names a code this list lacks.
//!
//! ```
//! use tooldraft::error::{category_of, ErrorCategory};
//! assert_eq!(category_of("SyntaxError"), ErrorCategory::Input);
//! assert_eq!(category_of("LlmInvalidOutput"), ErrorCategory::Endpoint);
//! assert_eq!(category_of("NoSuchCode"), ErrorCategory::Internal);
//! ```

use serde::Serialize;

/// What kind of failure an error code stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum ErrorCategory {
    /// The input or the options are wrong (a malformed document, a bad argument, a call the
    /// safety policy forbids): the caller can fix it. CLI exit 2.
    Input,
    /// An endpoint failed: the model, the tool or the embeddings endpoint could not be
    /// reached, refused, or kept answering with errors or unusable output. CLI exit 3.
    Endpoint,
    /// The run was cancelled. CLI exit 4.
    Interrupted,
    /// A bug in tooldraft. CLI exit 1.
    Internal,
}

impl ErrorCategory {
    /// The name JS sees (`input`, `endpoint`, `interrupted`, `internal`).
    pub fn name(self) -> &'static str {
        match self {
            ErrorCategory::Input => "input",
            ErrorCategory::Endpoint => "endpoint",
            ErrorCategory::Interrupted => "interrupted",
            ErrorCategory::Internal => "internal",
        }
    }
}

/// One error code and its category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ErrorCode {
    pub code: &'static str,
    pub category: ErrorCategory,
}

const fn code(code: &'static str, category: ErrorCategory) -> ErrorCode {
    ErrorCode { code, category }
}

use ErrorCategory::{Endpoint, Input, Internal, Interrupted};

/// Every code the core emits (the `code()` of its error types and the JS façade's own).
pub const ERROR_CODES: &[ErrorCode] = &[
    // documents
    code("EmptyDocument", Input),
    code("BinaryDocument", Input),
    code("SyntaxError", Input),
    code("StructureError", Input),
    code("UnknownFormat", Input),
    code("ExportError", Input),
    // runs
    code("InvalidConfig", Input),
    code("UnknownOperation", Input),
    code("StateMismatch", Input),
    code("StateVersion", Input),
    code("InvalidState", Input),
    code("NothingToRefine", Input),
    code("NothingToCheck", Input),
    // A built-in prompt template that does not render: a bug.
    code("PromptError", Internal),
    // evaluation
    code("EmptyQuerySet", Input),
    code("InvalidQuerySet", Input),
    code("NoVersions", Input),
    code("DifferentTools", Input),
    code("NoUsableItems", Input),
    // tools
    code("NoToolTarget", Input),
    code("PolicyDenied", Input),
    code("InvalidArguments", Input),
    code("ToolProtocolError", Endpoint),
    code("ToolHostError", Endpoint),
    // models and embeddings
    code("LlmUnauthorized", Endpoint),
    code("LlmHttpError", Endpoint),
    code("LlmBadResponse", Endpoint),
    code("LlmInvalidOutput", Endpoint),
    code("LlmHostError", Endpoint),
    code("EmbeddingsError", Endpoint),
    code("EmbeddingsBadAnswer", Endpoint),
    // transport
    code("NetworkError", Endpoint),
    code("Timeout", Endpoint),
    code("RedirectRefused", Endpoint),
    code("Aborted", Interrupted),
    // the JS façade
    code("InvalidArgument", Input),
    code("Busy", Input),
    code("ConversionError", Internal),
];

/// The category of a code; [`ErrorCategory::Internal`] for a code the core does not emit.
pub fn category_of(name: &str) -> ErrorCategory {
    ERROR_CODES.iter().find(|c| c.code == name).map_or(Internal, |c| c.category)
}
