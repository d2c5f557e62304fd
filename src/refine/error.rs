//! Errors that stop a run before it starts. Everything that goes wrong during a run (a model
//! that answers nonsense, a tool that fails) is recorded in the report and ends only the
//! operation concerned.

/// Why a run could not start (or could not resume).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RefineError {
    #[error("invalid configuration: {0}")]
    Config(String),
    #[error("operation {0:?} given in `only` is not in the document")]
    UnknownOperation(String),
    #[error("the run state is for another document (state {state}, document {doc})")]
    StateMismatch { state: String, doc: String },
    #[error("the run state has version {found}; this tooldraft reads version {expected}")]
    StateVersion { found: u32, expected: u32 },
    #[error("prompt template {template}: {message}")]
    Prompt { template: &'static str, message: String },
    #[error("the document has no operations to refine")]
    NothingToRefine,
    #[error("the run state is damaged: {0}")]
    InvalidState(String),
}

impl RefineError {
    /// A stable code, used as the JS error's `name`.
    pub fn code(&self) -> &'static str {
        match self {
            RefineError::Config(_) => "InvalidConfig",
            RefineError::UnknownOperation(_) => "UnknownOperation",
            RefineError::StateMismatch { .. } => "StateMismatch",
            RefineError::StateVersion { .. } => "StateVersion",
            RefineError::Prompt { .. } => "PromptError",
            RefineError::NothingToRefine => "NothingToRefine",
            RefineError::InvalidState(_) => "InvalidState",
        }
    }
}
