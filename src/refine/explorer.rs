//! The explorer: from the current documentation, the queries explored so far, the last
//! rewrite's direction and any feedback, a request for one natural user query that needs the
//! operation plus the call's arguments; and the checks on those arguments before any call.
//!
//! ```
//! use serde_json::json;
//! use tooldraft::doc::{Location, Operation, Parameter};
//! use tooldraft::refine::explorer::{parse, validate_arguments};
//! let mut p = Parameter::new("city", Location::Query);
//! p.required = true;
//! p.schema = json!({"type": "string"});
//! let op = Operation { id: "weather".into(), name: "weather".into(), parameters: vec![p], ..Default::default() };
//! let out = parse(&json!({"query": "Weather in Oslo?", "arguments": {"city": "Oslo"}})).unwrap();
//! assert!(validate_arguments(&op, &out.arguments).is_ok());
//! assert!(validate_arguments(&op, &json!({"town": "Oslo"})).unwrap_err().contains("town"));
//! ```

use super::config::RefineConfig;
use super::error::RefineError;
use super::prompt::{self, chat_request, render};
use crate::doc::Operation;
use crate::llm::ChatRequest;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The request's purpose (usage accounting, cache, scripted models).
pub const PURPOSE: &str = "explorer";

/// What the explorer sees.
#[derive(Clone, Copy, Debug)]
pub struct ExplorerInput<'a> {
    pub tool: &'a str,
    /// The operation with its current revision applied.
    pub operation: &'a Operation,
    /// Queries already explored for this operation, oldest first.
    pub explored: &'a [String],
    /// The last accepted rewrite's direction for the next exploration.
    pub direction: Option<&'a str>,
    /// Why earlier attempts in this episode were not used.
    pub feedback: &'a [String],
    pub config: &'a RefineConfig,
}

/// A query and the arguments to call the operation with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExplorerOutput {
    pub query: String,
    pub arguments: Value,
}

/// The output schema. The arguments carry the operation's parameters (names, types,
/// descriptions), so that a model with schema-constrained decoding writes arguments of the
/// right shape. What is required, allowed values and unknown names are left to [`validate_arguments`]
/// before the call, so that arguments that do not fit go back to the model with the exact
/// reason instead of failing the structured-output step.
pub fn schema(op: &Operation) -> Value {
    json!({
        "type": "object",
        "properties": {
            "query": {"type": "string", "description": "the user's request"},
            "arguments": arguments_schema(op)
        },
        "required": ["query", "arguments"],
        "additionalProperties": false
    })
}

/// The schema of a model's `arguments`: the parameters' names, types and descriptions, with
/// `required` and `enum` left to [`validate_arguments`] (see [`schema`]).
pub fn arguments_schema(op: &Operation) -> Value {
    let mut arguments = op.arguments_schema();
    if let Value::Object(m) = &mut arguments {
        m.remove("required");
        if let Some(Value::Object(props)) = m.get_mut("properties") {
            for p in props.values_mut() {
                if let Value::Object(p) = p {
                    p.remove("enum");
                }
            }
        }
        m.insert("description".into(), json!("parameter name to value"));
    }
    arguments
}

/// The chat request for one explorer attempt.
pub fn request(input: &ExplorerInput<'_>) -> Result<ChatRequest, RefineError> {
    let explored = if input.explored.is_empty() {
        String::new()
    } else {
        let list: Vec<String> =
            input.explored.iter().enumerate().map(|(i, q)| format!("{}. {}", i + 1, prompt::clip(q, 500))).collect();
        render("explorer_explored", prompt::EXPLORER_EXPLORED, &[("queries", &prompt::neutralize(&list.join("\n")))])?
    };
    let direction = match input.direction.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => render(
            "explorer_direction",
            prompt::EXPLORER_DIRECTION,
            &[("direction", &prompt::neutralize(&prompt::clip(d, 1000)))],
        )?,
        None => String::new(),
    };
    let feedback = if input.feedback.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = input.feedback.iter().map(|f| format!("- {}", prompt::clip(f, 800))).collect();
        render("explorer_feedback", prompt::EXPLORER_FEEDBACK, &[("feedback", &prompt::neutralize(&list.join("\n")))])?
    };
    let task = render(
        "explorer",
        prompt::EXPLORER,
        &[
            ("tool", input.tool),
            ("operation", &prompt::operation_view(input.operation, input.config.description_chars)),
            ("explored", &explored),
            ("direction", &direction),
            ("feedback", &feedback),
        ],
    )?;
    Ok(chat_request(PURPOSE, "explorer_output", schema(input.operation), task, input.config))
}

/// Reads the model's answer. Arguments given as a JSON string are parsed; `null` arguments
/// count as none; arguments whose value is `null` are dropped (left out of the call).
pub fn parse(v: &Value) -> Result<ExplorerOutput, String> {
    let query = v.get("query").and_then(Value::as_str).map(str::trim).unwrap_or_default();
    if query.is_empty() {
        return Err("the explorer gave no query".into());
    }
    let arguments = parse_arguments(v.get("arguments")).map_err(|m| format!("the explorer's {m}"))?;
    Ok(ExplorerOutput { query: query.to_string(), arguments })
}

/// Reads a model's `arguments` field: a JSON object, or a string holding one; none or `null`
/// is `{}`; members whose value is `null` are dropped (left out of the call).
pub fn parse_arguments(v: Option<&Value>) -> Result<Value, String> {
    let not_object = || "arguments are not a JSON object".to_string();
    let arguments = match v {
        None | Some(Value::Null) => return Ok(json!({})),
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(m)) => m,
            _ => return Err(not_object()),
        },
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err(not_object()),
    };
    Ok(Value::Object(arguments.into_iter().filter(|(_, v)| !v.is_null()).collect()))
}

/// A query's words without case, spacing and punctuation, for telling repeats apart.
fn query_key(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).fold(String::new(), |mut out, c| {
        crate::lowercase::push_lowercase(&mut out, c);
        out
    })
}

/// Why a query is no real user request, as feedback for the explorer's next try: it only
/// names the operation (`create_entities`, a weak model's favourite), it is a placeholder of
/// the prompt (`<the user's request>`), it is a single word (`httpbin.org`, the tool's
/// name), or its words are all the operation's and its parameters' names (`post_post (POST
/// /post)`). `None` when fine.
/// (Queries too close to earlier ones are the diversity check's: `diversity.rs`.)
pub fn query_problem(op: &Operation, query: &str) -> Option<String> {
    let q = query_key(query);
    let t = query.trim();
    let what = if q == query_key(&op.name) || q == query_key(&op.id) {
        "only names the operation"
    } else if crate::refine::gate::echo::is_placeholder(query)
        || crate::refine::gate::echo::slot(query).is_some()
        || (t.starts_with('<') && t.ends_with('>'))
    {
        "is a placeholder copied from the instructions, not a request"
    } else if crate::refine::worth::sentence_words(query) < 2 {
        "is a single word"
    } else if !crate::refine::worth::Worth::new(op).query(query) {
        // "post_post (POST /post)", "GET /links/{n}/{offset} ({n})": the operation's and its
        // parameters' names, written out.
        "only names the operation and its parameters"
    } else {
        return None;
    };
    Some(format!(
        "Your request \"{}\" {what}. Write what a user would actually ask for, in a full sentence with concrete values.",
        crate::refine::prompt::clip(query, 200)
    ))
}

/// Whether `query` is one of `explored` again (compared as [`query_problem`] compares).
pub fn repeats(query: &str, explored: &[String]) -> bool {
    let q = query_key(query);
    explored.iter().any(|e| query_key(e) == q)
}

/// Checks call arguments against the operation's parameters: only known names, every
/// required one, and each value fitting its schema. The error lists every problem.
pub fn validate_arguments(op: &Operation, arguments: &Value) -> Result<(), String> {
    let Some(obj) = arguments.as_object() else {
        return Err("the arguments must be a JSON object".into());
    };
    let mut problems = Vec::new();
    let names: Vec<&str> = op.parameters.iter().map(|p| p.name.as_str()).collect();
    for k in obj.keys() {
        if op.parameter(k).is_none() {
            let known = if names.is_empty() {
                "it takes no parameters".to_string()
            } else {
                format!("its parameters are {}", names.join(", "))
            };
            problems.push(format!("\"{k}\" is not a parameter of {} ({known})", op.name));
        }
    }
    let violations = crate::schema::validate(&op.arguments_schema(), arguments);
    for v in &violations {
        problems.push(v.to_string());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_is_lenient_where_it_is_safe() {
        let o = parse(&json!({"query": " hi ", "arguments": "{\"a\": 1, \"b\": null}"})).unwrap();
        assert_eq!(o.query, "hi");
        assert_eq!(o.arguments, json!({"a": 1}));
        assert_eq!(parse(&json!({"query": "x", "arguments": null})).unwrap().arguments, json!({}));
        assert!(parse(&json!({"query": "", "arguments": {}})).is_err());
        assert!(parse(&json!({"query": "x", "arguments": [1]})).is_err());
    }

    #[test]
    fn allowed_values_are_checked() {
        let mut p = crate::doc::Parameter::new("region", crate::doc::Location::Query);
        p.schema = json!({"type": "string", "enum": ["north", "south"]});
        let op = Operation { id: "a".into(), name: "a".into(), parameters: vec![p], ..Default::default() };
        let e = validate_arguments(&op, &json!({"region": "east"})).unwrap_err();
        assert!(e.contains("/region") && e.contains("north") && e.contains("south"), "{e}");
        assert!(validate_arguments(&op, &json!({"region": "north"})).is_ok());
    }

    #[test]
    fn a_query_that_only_names_the_operation_or_repeats_is_refused() {
        let op = Operation { id: "create_entities".into(), name: "create_entities".into(), ..Default::default() };
        for bare in ["create_entities", " Create Entities. ", "\"create-entities\""] {
            let why = query_problem(&op, bare).unwrap_or_default();
            assert!(why.contains("only names the operation"), "{bare}: {why}");
        }
        assert_eq!(query_problem(&op, "Create an entity for the city of Lyon."), None);
        // The tool's name, a single word (numbers aside): no request either.
        for single in ["httpbin.org", "Lyon", "42 Lyon"] {
            let why = query_problem(&op, single).unwrap_or_default();
            assert!(why.contains("is a single word"), "{single}: {why}");
        }
        assert_eq!(query_problem(&op, "在知识图谱中为里昂创建一个实体"), None, "Chinese has no spaces");
        // Names written out, as the embedded model sent them to httpbin.
        let links = Operation {
            id: "GET /links/{n}/{offset}".into(),
            name: "get_links_n_offset".into(),
            parameters: vec![
                crate::doc::Parameter::new("n", crate::doc::Location::Path),
                crate::doc::Parameter::new("offset", crate::doc::Location::Path),
            ],
            ..Default::default()
        };
        for names in ["GET /links/{n}/{offset} ({n})", "get_links_n_offset (GET /links)", "links offset"] {
            let why = query_problem(&links, names).unwrap_or_default();
            assert!(why.contains("only names the operation"), "{names}: {why}");
        }
        assert_eq!(query_problem(&links, "Give me a page with 3 links, starting at offset 1"), None);
        // The prompt's placeholder, as the embedded model sent it to httpbin's GET /xml.
        for slot in ["<the user's request>", "the user's request", "{{query}}", "<a request about entities>"] {
            let why = query_problem(&op, slot).unwrap_or_default();
            assert!(why.contains("is a placeholder"), "{slot}: {why}");
        }
        let earlier = vec!["Add a person named Ada to the graph.".to_string()];
        assert!(repeats("add a person named ada to the graph", &earlier));
        assert!(!repeats("Add a person named Grace to the graph.", &earlier));
    }

    #[test]
    fn no_parameters_means_empty_arguments_only() {
        let op = Operation { id: "ping".into(), name: "ping".into(), ..Default::default() };
        assert!(validate_arguments(&op, &json!({})).is_ok());
        let e = validate_arguments(&op, &json!({"x": 1})).unwrap_err();
        assert!(e.contains("takes no parameters"), "{e}");
    }
}
