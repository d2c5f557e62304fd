//! The openai format. (Import and export land with the formats work.)

use crate::doc::{DocError, ToolDoc};
use serde_json::Value;

/// True when the value looks like this format.
pub fn detect(_value: &Value) -> bool {
    false
}

/// Reads the format.
pub fn import(_value: &Value) -> Result<ToolDoc, DocError> {
    Err(DocError::UnknownFormat("openai import is not implemented yet".into()))
}

/// Writes the format.
pub fn export(_doc: &ToolDoc) -> Result<(Value, Vec<String>), DocError> {
    Err(DocError::Export { format: "openai", message: "not implemented yet".into() })
}
