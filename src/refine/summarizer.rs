//! The tool-level summary, the paper's last step: once a tool's operations are refined, a new
//! description of the whole tool from its operations' refined descriptions.
//!
//! ```
//! use serde_json::json;
//! use tooldraft::refine::summarizer::parse;
//! assert_eq!(parse(&json!({"description": " Weather tool. "})).unwrap(), "Weather tool.");
//! assert!(parse(&json!({"description": ""})).is_err());
//! ```

use super::config::RefineConfig;
use super::error::RefineError;
use super::prompt::{self, chat_request, render};
use crate::llm::ChatRequest;
use serde_json::{json, Value};

/// The request's purpose.
pub const PURPOSE: &str = "summarizer";

/// What the summarizer sees.
#[derive(Clone, Copy, Debug)]
pub struct SummarizerInput<'a> {
    pub tool: &'a str,
    /// The tool's description as the document has it.
    pub description: &'a str,
    /// (operation name, refined description) of each refined operation.
    pub operations: &'a [(&'a str, &'a str)],
    pub max_chars: usize,
    pub config: &'a RefineConfig,
}

/// The output schema.
pub fn schema() -> Value {
    json!({
        "type": "object",
        "properties": {"description": {"type": "string"}},
        "required": ["description"],
        "additionalProperties": false
    })
}

/// The chat request.
pub fn request(input: &SummarizerInput<'_>) -> Result<ChatRequest, RefineError> {
    let per_op = (input.config.description_chars / input.operations.len().max(1)).clamp(200, 2000);
    let ops: Vec<String> = input
        .operations
        .iter()
        .enumerate()
        .map(|(i, (name, d))| format!("{}. {name}: {}", i + 1, prompt::clip(d.trim(), per_op)))
        .collect();
    let task = render(
        "summarizer",
        prompt::SUMMARIZER,
        &[
            ("tool", input.tool),
            (
                "description",
                &prompt::neutralize(&prompt::clip(input.description.trim(), input.config.description_chars)),
            ),
            ("operations", &prompt::neutralize(&ops.join("\n"))),
            ("max_chars", &input.max_chars.to_string()),
        ],
    )?;
    Ok(chat_request(PURPOSE, "summarizer_output", schema(), task, input.config))
}

/// Reads the model's answer.
pub fn parse(v: &Value) -> Result<String, String> {
    match v.get("description").and_then(Value::as_str).map(str::trim) {
        Some(d) if !d.is_empty() => Ok(d.to_string()),
        _ => Err("the summarizer gave no description".into()),
    }
}
