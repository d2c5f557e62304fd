//! Structured output: ask for JSON that fits a schema, read it out of whatever the model
//! wrote ([`super::repair`]), validate it, and retry once telling the model exactly what was
//! wrong.
//!
//! ```
//! use tooldraft::llm::structured::extract;
//! let v = extract("Here you go:\n```json\n{\"query\": \"rain in Oslo\",}\n```").unwrap();
//! assert_eq!(v["query"], "rain in Oslo");
//! assert!(extract("I cannot help with that.").is_err());
//! ```

use super::repair::{candidates, Candidate};
use super::{ChatMessage, ChatModel, ChatRequest, ChatRole, LlmError, OutputSchema, Usage};
use crate::schema::{validate, Violation};
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

/// How much of a rejected answer is sent back with the correction.
const MAX_ECHO_CHARS: usize = 8_000;
/// Violations named in a correction.
const MAX_NAMED: usize = 12;

/// Sends `request` (which should carry a schema), extracts the JSON, validates it, and on
/// failure retries once telling the model exactly what was wrong. A transport or HTTP error
/// ends it at once; two unusable answers end it with [`LlmError::InvalidOutput`].
pub async fn complete_json(model: &dyn ChatModel, request: &ChatRequest) -> Result<StructuredAnswer, LlmError> {
    let schema_name = request.schema.as_ref().map_or_else(|| "json".to_string(), |s| s.name.clone());
    let mut usage = Usage::default();
    let mut req = request.clone();
    let mut last_problem = String::new();
    for attempt in 1..=2 {
        let resp = model.chat(&req).await?;
        usage.add(resp.usage);
        match interpret(request.schema.as_ref(), &resp.content) {
            Ok(value) => return Ok(StructuredAnswer { value, usage, calls: attempt }),
            Err(problem) => {
                req.messages.push(ChatMessage::assistant(echo(&resp.content)));
                req.messages.push(ChatMessage::user(correction(&problem, request.schema.as_ref())));
                last_problem = problem;
            }
        }
    }
    Err(LlmError::InvalidOutput { schema: schema_name, message: last_problem })
}

/// Finds the JSON object in a model's text: code fences, prose and reasoning blocks around
/// it are skipped, the first balanced object wins, and common slips (trailing commas, single
/// quotes, comments, a cut-off tail) are repaired. The error says why nothing was found.
pub fn extract(text: &str) -> Result<Value, String> {
    candidates(text).into_iter().next().map(|c| c.value).ok_or_else(|| no_json(text))
}

/// The value to use from a model's answer, or what was wrong with it (said so that the model
/// can fix it).
pub fn interpret(schema: Option<&OutputSchema>, text: &str) -> Result<Value, String> {
    let found = candidates(text);
    let Some(first) = found.first() else { return Err(no_json(text)) };
    let Some(schema) = schema else { return Ok(first.value.clone()) };
    let mut best: Option<(&Candidate, Vec<Violation>)> = None;
    for c in &found {
        let violations = validate(&schema.schema, &c.value);
        if violations.is_empty() {
            return Ok(c.value.clone());
        }
        if best.as_ref().is_none_or(|(_, b)| violations.len() < b.len()) {
            best = Some((c, violations));
        }
    }
    // A valid answer wrapped one level deep ({"answer": {...}} or [{...}]).
    for c in found.iter().filter(|c| !c.truncated) {
        let inner: Vec<&Value> = match &c.value {
            Value::Object(m) if m.len() == 1 => m.values().collect(),
            Value::Array(a) if a.len() == 1 => a.iter().collect(),
            _ => continue,
        };
        if let Some(v) = inner.into_iter().find(|v| validate(&schema.schema, v).is_empty()) {
            return Ok(v.clone());
        }
    }
    let Some((cand, violations)) = best else { return Err(no_json(text)) };
    let mut lines: Vec<String> = violations.iter().take(MAX_NAMED).map(|v| format!("- {v}")).collect();
    if violations.len() > MAX_NAMED {
        lines.push(format!("- … and {} more", violations.len() - MAX_NAMED));
    }
    let head = if cand.truncated {
        "the answer was cut off before the JSON ended, and what was there does not fit the schema"
    } else {
        "the JSON does not fit the schema"
    };
    Err(format!("{head}:\n{}", lines.join("\n")))
}

fn no_json(text: &str) -> String {
    let t = text.trim();
    if t.is_empty() {
        return "the answer was empty".into();
    }
    let mut snippet: String = t.chars().take(80).collect();
    if t.chars().count() > 80 {
        snippet.push('…');
    }
    if t.contains('{') {
        format!("the answer contains no readable JSON object (it begins: {snippet:?})")
    } else {
        format!("the answer contains no JSON object, only prose (it begins: {snippet:?})")
    }
}

fn echo(content: &str) -> String {
    if content.chars().count() <= MAX_ECHO_CHARS {
        return content.to_string();
    }
    let head: String = content.chars().take(MAX_ECHO_CHARS).collect();
    format!("{head}\n[… answer shortened]")
}

/// The user message of the corrective retry.
fn correction(problem: &str, schema: Option<&OutputSchema>) -> String {
    let mut msg = format!("Your previous answer could not be used: {problem}\n\n");
    if problem.contains("cut off") {
        msg.push_str("Keep the answer shorter so that it fits. ");
    }
    msg.push_str("Reply again with only the corrected JSON object: no prose, no code fences.");
    if let Some(s) = schema {
        msg.push_str(&format!(
            " It must fit this JSON Schema (named \"{}\"):\n```json\n{}\n```",
            s.name,
            serde_json::to_string(&s.schema).unwrap_or_default()
        ));
    }
    msg
}

/// The instructions that ask for JSON fitting `schema` when the endpoint cannot be told
/// through its API (instructions-only and `json_object` modes). The schema is in a fenced
/// `json` block after the words "JSON Schema".
pub fn schema_instructions(schema: &OutputSchema) -> String {
    let pretty = serde_json::to_string_pretty(&schema.schema).unwrap_or_default();
    format!(
        "Answer with a single JSON object and nothing else (no prose before or after it). \
         The object must fit this JSON Schema (named \"{}\"):\n```json\n{pretty}\n```",
        schema.name
    )
}

/// `messages` with `extra` added to the system message (appended to the first one, or as a
/// new first message).
pub fn with_system_text(messages: &[ChatMessage], extra: &str) -> Vec<ChatMessage> {
    let mut out = messages.to_vec();
    match out.iter_mut().find(|m| m.role == ChatRole::System) {
        Some(m) => {
            m.content.push_str("\n\n");
            m.content.push_str(extra);
        }
        None => out.insert(0, ChatMessage::system(extra)),
    }
    out
}
