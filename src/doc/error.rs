//! Errors from reading and writing documents.

/// Why a document could not be read or written. Messages name where it went wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DocError {
    #[error("the document is empty")]
    Empty,
    #[error("the document is binary, not text")]
    Binary,
    #[error("invalid {syntax} at line {line}, column {column}: {message}")]
    Syntax { syntax: &'static str, line: usize, column: usize, message: String },
    #[error("at {pointer}: {message}")]
    Structure { pointer: String, message: String },
    #[error("unknown document format: {0}")]
    UnknownFormat(String),
    #[error("cannot write {format}: {message}")]
    Export { format: &'static str, message: String },
}

impl DocError {
    /// A stable code, used as the JS error's `name`.
    pub fn code(&self) -> &'static str {
        match self {
            DocError::Empty => "EmptyDocument",
            DocError::Binary => "BinaryDocument",
            DocError::Syntax { .. } => "SyntaxError",
            DocError::Structure { .. } => "StructureError",
            DocError::UnknownFormat(_) => "UnknownFormat",
            DocError::Export { .. } => "ExportError",
        }
    }

    /// A structure error at a JSON pointer.
    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        DocError::Structure { pointer: pointer.into(), message: message.into() }
    }
}
