//! Query sets: the DRAFT paper's ToolBench (G2/G3) and RestBench (TMDB/Spotify) test items,
//! and a JSONL form of our own (`{"query", "gold": [operation ids], "args"?}` per line).
//!
//! ```
//! let set = tooldraft::eval::parse_queries(r#"{"query": "weather in Paris?", "gold": ["getWeather"]}"#).unwrap();
//! assert_eq!(set.items.len(), 1);
//! assert_eq!(set.items[0].gold[0].name, "getWeather");
//! ```

use super::EvalError;
use crate::doc::{Operation, ToolDoc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A reference to an operation by name, optionally within a named tool.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct OpRef {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub tool: Option<String>,
    pub name: String,
}

impl std::fmt::Display for OpRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.tool {
            Some(t) => write!(f, "{t}/{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

impl OpRef {
    /// Finds the operation in a document: by id, by `tool/name`, or by name within the tool.
    pub fn resolve<'a>(&self, doc: &'a ToolDoc) -> Option<&'a Operation> {
        let full = self.to_string();
        if let Some(op) = doc.operations().find(|o| o.id == full || o.id == self.name) {
            return Some(op);
        }
        doc.tools
            .iter()
            .filter(|t| self.tool.as_ref().is_none_or(|name| &t.name == name))
            .flat_map(|t| t.operations.iter())
            .find(|o| o.name == self.name || o.title.as_deref() == Some(self.name.as_str()))
    }
}

/// One test item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct EvalItem {
    pub id: String,
    pub query: String,
    /// The operations a correct answer calls, in order.
    pub gold: Vec<OpRef>,
    /// The operations offered to the model; empty means every operation of the document.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<OpRef>,
    /// Expected arguments per gold operation, where the set gives them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub args: Option<Value>,
}

/// A parsed query set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct QuerySet {
    /// `toolbench`, `restbench` or `jsonl`.
    pub kind: String,
    pub items: Vec<EvalItem>,
}

/// Reads a query set: the paper's JSON arrays, or JSONL (one object per line).
pub fn parse_queries(text: &str) -> Result<QuerySet, EvalError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(EvalError::EmptyQuerySet);
    }
    let set = if trimmed.starts_with('[') {
        let value: Value = serde_json::from_str(trimmed).map_err(|e| EvalError::Queries {
            location: format!("line {}, column {}", e.line(), e.column()),
            message: e.to_string(),
        })?;
        parse_paper(&value)?
    } else {
        parse_jsonl(trimmed)?
    };
    if set.items.is_empty() {
        return Err(EvalError::EmptyQuerySet);
    }
    Ok(set)
}

fn str_at<'a>(v: &'a Value, key: &str, pointer: &str) -> Result<&'a str, EvalError> {
    v.get(key).and_then(Value::as_str).ok_or_else(|| EvalError::Queries {
        location: pointer.to_string(),
        message: format!("expected a string \"{key}\""),
    })
}

fn parse_paper(value: &Value) -> Result<QuerySet, EvalError> {
    let items = value
        .as_array()
        .ok_or_else(|| EvalError::Queries { location: "/".into(), message: "expected an array".into() })?;
    let toolbench = items
        .iter()
        .filter_map(|i| i.get("api_list").and_then(Value::as_array))
        .flatten()
        .any(|a| a.get("api_name").is_some());
    let mut out = Vec::with_capacity(items.len());
    for (n, item) in items.iter().enumerate() {
        let at = format!("/{n}");
        let query = str_at(item, "query", &at)?.to_string();
        let id = match item.get("query_id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(x)) => x.to_string(),
            _ => n.to_string(),
        };
        let gold_v = item.get("relevant APIs").and_then(Value::as_array).ok_or_else(|| EvalError::Queries {
            location: format!("{at}/relevant APIs"),
            message: "expected a list of gold APIs".into(),
        })?;
        let mut gold = Vec::new();
        for (g, entry) in gold_v.iter().enumerate() {
            let r = match entry {
                Value::String(name) => OpRef { tool: None, name: name.clone() },
                Value::Array(pair) if pair.len() == 2 => match (pair[0].as_str(), pair[1].as_str()) {
                    (Some(t), Some(a)) => OpRef { tool: Some(t.to_string()), name: a.to_string() },
                    _ => return Err(bad_gold(&at, g)),
                },
                _ => return Err(bad_gold(&at, g)),
            };
            gold.push(r);
        }
        let mut candidates = Vec::new();
        for (c, api) in item.get("api_list").and_then(Value::as_array).into_iter().flatten().enumerate() {
            let cat = format!("{at}/api_list/{c}");
            candidates.push(if toolbench {
                OpRef {
                    tool: Some(str_at(api, "tool_name", &cat)?.to_string()),
                    name: str_at(api, "api_name", &cat)?.to_string(),
                }
            } else {
                OpRef { tool: None, name: str_at(api, "tool_name", &cat)?.to_string() }
            });
        }
        out.push(EvalItem { id, query, gold, candidates, args: None });
    }
    Ok(QuerySet { kind: if toolbench { "toolbench" } else { "restbench" }.into(), items: out })
}

fn bad_gold(at: &str, g: usize) -> EvalError {
    EvalError::Queries {
        location: format!("{at}/relevant APIs/{g}"),
        message: "expected an API name or a [tool, api] pair".into(),
    }
}

fn parse_jsonl(text: &str) -> Result<QuerySet, EvalError> {
    let mut items = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        let at = format!("line {}", n + 1);
        let v: Value = serde_json::from_str(line).map_err(|e| EvalError::Queries {
            location: format!("{at}, column {}", e.column()),
            message: e.to_string(),
        })?;
        let query = str_at(&v, "query", &at)?.to_string();
        let gold = v
            .get("gold")
            .and_then(Value::as_array)
            .filter(|g| !g.is_empty())
            .ok_or_else(|| EvalError::Queries {
                location: at.clone(),
                message: "expected a non-empty \"gold\" list".into(),
            })?
            .iter()
            .map(|g| g.as_str().map(|s| OpRef { tool: None, name: s.to_string() }))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| EvalError::Queries {
                location: at.clone(),
                message: "gold entries must be strings".into(),
            })?;
        let candidates = v
            .get("candidates")
            .and_then(Value::as_array)
            .map(|c| c.iter().filter_map(Value::as_str).map(|s| OpRef { tool: None, name: s.to_string() }).collect())
            .unwrap_or_default();
        let id = v.get("id").and_then(Value::as_str).map(String::from).unwrap_or_else(|| (items.len() + 1).to_string());
        items.push(EvalItem { id, query, gold, candidates, args: v.get("args").cloned() });
    }
    Ok(QuerySet { kind: "jsonl".into(), items })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_papers_sets() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/data/draft-paper/");

        for (file, kind, n) in [
            ("ToolBench_queries_G2.json", "toolbench", 199),
            ("ToolBench_queries_G3.json", "toolbench", 100),
            ("RestBench_queries_TMDB.json", "restbench", 100),
            ("RestBench_queries_Spotify.json", "restbench", 57),
        ] {
            let text = std::fs::read_to_string(format!("{root}{file}")).unwrap();
            let set = parse_queries(&text).unwrap();
            assert_eq!(set.kind, kind, "{file}");
            assert_eq!(set.items.len(), n, "{file}");
            assert!(set.items.iter().all(|i| !i.gold.is_empty() && !i.candidates.is_empty()), "{file}");
        }
    }

    #[test]
    fn jsonl_errors_name_the_line() {
        let err = parse_queries("{\"query\": \"a\", \"gold\": [\"x\"]}\n{\"query\": \"b\"}\n").unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
        assert_eq!(parse_queries("  \n").unwrap_err(), EvalError::EmptyQuerySet);
        assert_eq!(parse_queries("[]").unwrap_err(), EvalError::EmptyQuerySet);
        let err = parse_queries("{\"query\": 1").unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
    }
}
