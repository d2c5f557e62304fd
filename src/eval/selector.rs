//! The evaluated model's task: given candidate operations' docs and a user query, pick the
//! operations to call, in order, with arguments. A pure function from docs to a request and
//! from the model's JSON to a typed answer.
//!
//! ```
//! use tooldraft::doc::Operation;
//! use tooldraft::eval::selector::{labels, request};
//! let op = Operation { id: "get".into(), name: "get".into(), description: "Gets.".into(), ..Default::default() };
//! let req = request("fetch it", &[&op]);
//! assert!(req.messages[1].content.contains("fetch it"));
//! assert_eq!(labels(&[&op]), vec!["get".to_string()]);
//! ```

use crate::doc::Operation;
use crate::llm::{ChatMessage, ChatRequest, OutputSchema};
use serde_json::{json, Value};

/// One call the model chose.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub label: String,
    pub arguments: Value,
}

/// The label each candidate is shown under: its name, or `tool name / name` when two share a
/// name (labels depend only on names, so every doc version shows the same labels).
pub fn labels(candidates: &[&Operation]) -> Vec<String> {
    candidates
        .iter()
        .map(|o| {
            let dup = candidates.iter().filter(|c| c.name == o.name).count() > 1;
            if dup {
                o.id.clone()
            } else {
                o.name.clone()
            }
        })
        .collect()
}

const SYSTEM: &str = "You are an assistant that answers user requests by calling tools. You are given the \
documentation of the available operations and a user query. Choose the operations needed to fulfil the query, \
in the order they should be called, with the arguments for each call. Use only the listed operations. Reply with \
JSON only.";

/// The chat request for one item.
pub fn request(query: &str, candidates: &[&Operation]) -> ChatRequest {
    let labels = labels(candidates);
    let mut docs = String::new();
    for (label, op) in labels.iter().zip(candidates) {
        docs.push_str(&format!("### {label}\n{}\n", one_line(&op.description)));
        if op.parameters.is_empty() {
            docs.push_str("Parameters: none\n");
        } else {
            docs.push_str("Parameters:\n");
            for p in &op.parameters {
                let ty = p.type_name().unwrap_or("any");
                let req = if p.required { "required" } else { "optional" };
                docs.push_str(&format!("- {} ({ty}, {req}): {}\n", p.name, one_line(&p.description)));
            }
        }
        docs.push('\n');
    }
    let user = format!(
        "Available operations:\n\n{docs}User query: {query}\n\nAnswer as {{\"calls\": [{{\"operation\": <one of the \
         operation names above>, \"arguments\": {{...}}}}]}}, calls in order."
    );
    let schema = json!({
        "type": "object",
        "required": ["calls"],
        "properties": {"calls": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "required": ["operation", "arguments"],
            "properties": {
                // No enum: a name outside the candidates is scored (and shown), not retried away.
                "operation": {"type": "string"},
                "arguments": {"type": "object"}
            }
        }}}
    });
    let mut req = ChatRequest::new("evaluator", vec![ChatMessage::system(SYSTEM), ChatMessage::user(user)]);
    req.schema = Some(OutputSchema { name: "tool_selection".into(), schema });
    req.temperature = Some(0.0);
    req
}

fn one_line(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.is_empty() {
        "(no description)".into()
    } else {
        s
    }
}

/// Reads the model's answer. Labels outside the candidates are kept (and scored as wrong).
pub fn parse(value: &Value) -> Vec<Choice> {
    value
        .get("calls")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| {
            let label = c.get("operation").and_then(Value::as_str)?.to_string();
            let arguments = c.get("arguments").cloned().unwrap_or_else(|| json!({}));
            Some(Choice { label, arguments })
        })
        .collect()
}
