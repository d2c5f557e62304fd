//! The rewriter: a new operation description, new parameter descriptions (name → text) and a
//! direction for the next exploration. The paper's released code rewrote only the operation
//! description; parameters are where agents go wrong most, so ours rewrites both.
//!
//! The output schema lists the operation's parameters by name (no others allowed), so a
//! provider that enforces schemas cannot even express an unknown parameter.
//!
//! ```
//! use serde_json::json;
//! use tooldraft::refine::rewriter::parse;
//! let r = parse(&json!({"description": "Gets a user.", "parameters": {"id": "The user id."}, "nextDirection": "Try an unknown id."})).unwrap();
//! assert_eq!(r.parameters["id"], "The user id.");
//! ```

use super::analyzer::Analysis;
use super::config::RefineConfig;
use super::error::RefineError;
use super::evidence::{Facts, Trail};
use super::prompt::{self, chat_request, render};
use crate::doc::Operation;
use crate::llm::ChatRequest;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The request's purpose.
pub const PURPOSE: &str = "rewriter";

/// What the rewriter sees.
#[derive(Clone, Copy, Debug)]
pub struct RewriterInput<'a> {
    pub tool: &'a str,
    /// The operation with its current revision applied.
    pub operation: &'a Operation,
    pub trail: &'a Trail,
    pub analysis: &'a Analysis,
    pub facts: &'a Facts,
    /// Earlier accepted descriptions, oldest first (the current one excluded).
    pub history: &'a [&'a str],
    /// The length budget of the description, in characters.
    pub max_chars: usize,
    pub config: &'a RefineConfig,
}

/// A proposed revision.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RewriteOutput {
    pub description: String,
    /// Parameter name → new description (parameters left out keep theirs).
    pub parameters: BTreeMap<String, String>,
    pub next_direction: String,
}

/// The output schema for `op`: `parameters` has one optional string property per parameter.
pub fn schema(op: &Operation) -> Value {
    let mut props = Map::new();
    for p in &op.parameters {
        props.insert(p.name.clone(), json!({"type": "string"}));
    }
    json!({
        "type": "object",
        "properties": {
            "description": {"type": "string"},
            "parameters": {"type": "object", "properties": props, "additionalProperties": false},
            "nextDirection": {"type": "string"}
        },
        "required": ["description", "parameters", "nextDirection"],
        "additionalProperties": false
    })
}

/// The chat request.
pub fn request(input: &RewriterInput<'_>) -> Result<ChatRequest, RefineError> {
    let names: Vec<&str> = input.operation.parameters.iter().map(|p| p.name.as_str()).collect();
    let parameter_names =
        if names.is_empty() { "none (the operation takes no parameters)".to_string() } else { names.join(", ") };
    let task = render(
        "rewriter",
        prompt::REWRITER,
        &[
            ("tool", input.tool),
            ("operation", &prompt::operation_view(input.operation, input.config.description_chars)),
            ("query", &prompt::neutralize(&prompt::clip(&input.trail.query, 1000))),
            ("call", &prompt::neutralize(&prompt::call_view(input.trail))),
            ("observation", &prompt::observation_view(input.trail, input.config.observation_chars)),
            ("analysis", &prompt::neutralize(&input.analysis.to_text())),
            ("facts", &prompt::facts_view(input.facts)?),
            ("history", &prompt::history_view(input.history)?),
            ("max_chars", &input.max_chars.to_string()),
            ("parameter_names", &parameter_names),
        ],
    )?;
    Ok(chat_request(PURPOSE, "rewriter_output", schema(input.operation), task, input.config))
}

/// Reads the model's answer. Parameter descriptions must be text; `null` ones are ignored.
pub fn parse(v: &Value) -> Result<RewriteOutput, String> {
    let Some(obj) = v.as_object() else { return Err("the rewriter's answer is not a JSON object".into()) };
    let description = match obj.get("description") {
        Some(Value::String(s)) => s.trim().to_string(),
        _ => return Err("the rewriter gave no description text".into()),
    };
    let mut parameters = BTreeMap::new();
    match obj.get("parameters") {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => {
            for (k, val) in m {
                match val {
                    Value::String(s) => {
                        parameters.insert(k.clone(), s.trim().to_string());
                    }
                    Value::Null => {}
                    _ => return Err(format!("the rewriter's description of parameter \"{k}\" is not text")),
                }
            }
        }
        Some(_) => return Err("the rewriter's parameters are not an object of texts".into()),
    }
    let next_direction = obj.get("nextDirection").and_then(Value::as_str).unwrap_or_default().trim().to_string();
    Ok(RewriteOutput { description, parameters, next_direction })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Location, Parameter};

    #[test]
    fn schema_names_exactly_the_parameters() {
        let op = Operation {
            parameters: vec![Parameter::new("a", Location::Query), Parameter::new("b", Location::Path)],
            ..Default::default()
        };
        let s = schema(&op);
        let props = s["properties"]["parameters"]["properties"].as_object().unwrap();
        assert_eq!(props.keys().collect::<Vec<_>>(), vec!["a", "b"]);
        assert!(crate::schema::validate(
            &s,
            &json!({"description": "d", "parameters": {"a": "x"}, "nextDirection": ""})
        )
        .is_empty());
    }

    #[test]
    fn parse_rejects_non_text() {
        assert!(parse(&json!({"description": 3})).is_err());
        assert!(parse(&json!({"description": "d", "parameters": {"a": 1}})).is_err());
        let r = parse(&json!({"description": " d ", "parameters": {"a": null}})).unwrap();
        assert_eq!((r.description.as_str(), r.parameters.len(), r.next_direction.as_str()), ("d", 0, ""));
    }
}
