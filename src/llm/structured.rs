//! Structured output: ask for JSON that fits a schema, read it out of whatever the model
//! wrote, validate it, and retry once with a correction.

use super::{ChatMessage, ChatModel, ChatRequest, LlmError, Usage};
use serde_json::Value;

/// A validated structured answer.
#[derive(Clone, Debug, PartialEq)]
pub struct StructuredAnswer {
    pub value: Value,
    /// Tokens over all attempts.
    pub usage: Usage,
    /// Model calls made (1, or 2 after a corrective retry).
    pub calls: usize,
}

/// Sends `request` (which must carry a schema), extracts the JSON, validates it, and on
/// failure retries once telling the model exactly what was wrong.
pub async fn complete_json(model: &dyn ChatModel, request: &ChatRequest) -> Result<StructuredAnswer, LlmError> {
    let schema_name = request.schema.as_ref().map(|s| s.name.clone()).unwrap_or_else(|| "json".into());
    let mut usage = Usage::default();
    let mut req = request.clone();
    let mut last_error = String::new();
    for attempt in 1..=2 {
        let resp = model.chat(&req).await?;
        usage.add(resp.usage);
        match extract(&resp.content).and_then(|v| check(request, v)) {
            Ok(value) => return Ok(StructuredAnswer { value, usage, calls: attempt }),
            Err(e) => {
                last_error = e.clone();
                req.messages.push(ChatMessage::assistant(resp.content));
                req.messages.push(ChatMessage::user(format!(
                    "That answer could not be used: {e}. Reply again with only one JSON object that fits the schema."
                )));
            }
        }
    }
    Err(LlmError::InvalidOutput { schema: schema_name, message: last_error })
}

fn check(request: &ChatRequest, value: Value) -> Result<Value, String> {
    if let Some(s) = &request.schema {
        let violations = crate::schema::validate(&s.schema, &value);
        if !violations.is_empty() {
            return Err(violations.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "));
        }
    }
    Ok(value)
}

/// Finds the JSON object in a model's text (code fences and prose around it are skipped).
pub fn extract(text: &str) -> Result<Value, String> {
    let start = text.find('{').ok_or("no JSON object in the answer")?;
    let end = text.rfind('}').ok_or("the JSON object is not closed")?;
    if end < start {
        return Err("no JSON object in the answer".into());
    }
    serde_json::from_str(&text[start..=end]).map_err(|e| format!("invalid JSON: {e}"))
}
