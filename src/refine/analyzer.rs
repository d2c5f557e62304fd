//! The analyzer: the CURRENT documentation (as the paper's released prompt does: its
//! `{Tool Description}` slot carries the description being judged; only a second
//! `{tool_description}` placeholder is left unfilled in DRAFT.py), the query, the call and the
//! observed response → where the
//! documentation disagrees with the behaviour, what is missing, and concrete suggestions.
//!
//! ```
//! use serde_json::json;
//! use tooldraft::refine::analyzer::parse;
//! let a = parse(&json!({"mismatches": [], "missing": ["units"], "suggestions": "Say the unit."})).unwrap();
//! assert_eq!(a.suggestions, vec!["Say the unit.".to_string()]);
//! ```

use super::config::RefineConfig;
use super::error::RefineError;
use super::evidence::{Facts, Trail};
use super::prompt::{self, chat_request, render};
use crate::doc::Operation;
use crate::llm::ChatRequest;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The request's purpose.
pub const PURPOSE: &str = "analyzer";

/// What the analyzer sees.
#[derive(Clone, Copy, Debug)]
pub struct AnalyzerInput<'a> {
    pub tool: &'a str,
    /// The operation with its current revision applied.
    pub operation: &'a Operation,
    /// The call of this episode.
    pub trail: &'a Trail,
    pub facts: &'a Facts,
    /// Earlier accepted descriptions, oldest first (the current one excluded).
    pub history: &'a [&'a str],
    pub config: &'a RefineConfig,
}

/// The analyzer's findings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    /// Where the documentation disagrees with what the tool did.
    pub mismatches: Vec<String>,
    /// What a caller needs that the documentation lacks.
    pub missing: Vec<String>,
    /// Concrete changes to make.
    pub suggestions: Vec<String>,
}

impl Analysis {
    /// The findings as a bulleted text for the rewriter.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        for (title, items) in
            [("Mismatches", &self.mismatches), ("Missing", &self.missing), ("Suggestions", &self.suggestions)]
        {
            s.push_str(title);
            s.push_str(":\n");
            if items.is_empty() {
                s.push_str("- none\n");
            }
            for i in items {
                s.push_str("- ");
                s.push_str(&prompt::clip(i.trim(), 600));
                s.push('\n');
            }
        }
        s.trim_end().to_string()
    }
}

/// The output schema.
pub fn schema() -> Value {
    let list = json!({"type": "array", "items": {"type": "string"}});
    json!({
        "type": "object",
        "properties": {"mismatches": list, "missing": list, "suggestions": list},
        "required": ["mismatches", "missing", "suggestions"],
        "additionalProperties": false
    })
}

/// The chat request.
pub fn request(input: &AnalyzerInput<'_>) -> Result<ChatRequest, RefineError> {
    let task = render(
        "analyzer",
        prompt::ANALYZER,
        &[
            ("tool", input.tool),
            ("operation", &prompt::operation_view(input.operation, input.config.description_chars)),
            ("query", &prompt::neutralize(&prompt::clip(&input.trail.query, 1000))),
            ("call", &prompt::neutralize(&prompt::call_view(input.trail))),
            ("observation", &prompt::observation_view(input.trail, input.config.observation_chars)),
            ("facts", &prompt::facts_view(input.facts)?),
            ("history", &prompt::history_view(input.history)?),
        ],
    )?;
    Ok(chat_request(PURPOSE, "analyzer_output", schema(), task, input.config))
}

fn strings(v: Option<&Value>) -> Result<Vec<String>, String> {
    match v {
        None | Some(Value::Null) => Ok(vec![]),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(vec![]),
        Some(Value::String(s)) => Ok(vec![s.trim().to_string()]),
        Some(Value::Array(a)) => Ok(a
            .iter()
            .filter_map(|x| match x {
                Value::String(s) => Some(s.trim().to_string()),
                Value::Null => None,
                other => Some(other.to_string()),
            })
            .filter(|s| !s.is_empty())
            .collect()),
        Some(_) => Err("the analyzer's lists are not lists of text".into()),
    }
}

/// Reads the model's answer (a single string is taken as a one-item list).
pub fn parse(v: &Value) -> Result<Analysis, String> {
    if !v.is_object() {
        return Err("the analyzer's answer is not a JSON object".into());
    }
    Ok(Analysis {
        mismatches: strings(v.get("mismatches"))?,
        missing: strings(v.get("missing"))?,
        suggestions: strings(v.get("suggestions"))?,
    })
}
