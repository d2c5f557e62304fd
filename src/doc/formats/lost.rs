//! What a target format cannot carry: one line per operation (or tool), naming it.

use crate::doc::{Operation, Safety, Tool};

/// How a target format holds examples.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ExampleField {
    /// No field at all (MCP, OpenAI).
    None,
    /// A list of arguments only (Anthropic `input_examples`).
    ArgumentsOnly,
    /// One example with a query and arguments (ToolBench, RestBench).
    OneWithQuery,
}

/// What a target format can carry beyond names, descriptions and parameters.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Carries {
    pub title: bool,
    pub examples: ExampleField,
    pub response_schema: bool,
    /// Safety hints of their own (MCP annotations).
    pub safety: bool,
    /// An HTTP method and URL (safety then follows from the method).
    pub http: bool,
}

/// The lines of what could not be carried.
#[derive(Debug, Default)]
pub(crate) struct Lost {
    pub lines: Vec<String>,
}

impl Lost {
    /// Records what one operation loses (nothing when `items` is empty).
    pub fn op(&mut self, op: &Operation, items: Vec<String>) {
        if !items.is_empty() {
            self.lines.push(format!("{}: not carried: {}", op.id, items.join("; ")));
        }
    }

    /// Records what one tool loses.
    pub fn tool(&mut self, tool: &Tool, item: &str) {
        self.lines.push(format!("tool {}: not carried: {item}", tool.name));
    }

    /// Records what the operation loses in a target with these capabilities, plus `extra`.
    pub fn op_in(&mut self, op: &Operation, carries: Carries, mut extra: Vec<String>) {
        let mut items = losses(op, carries);
        items.append(&mut extra);
        self.op(op, items);
    }
}

/// What an operation loses in a target with these capabilities.
pub(crate) fn losses(op: &Operation, c: Carries) -> Vec<String> {
    let mut items = Vec::new();
    if op.title.is_some() && !c.title {
        items.push("the title".to_string());
    }
    let n = op.examples.len();
    match c.examples {
        ExampleField::None if n > 0 => items.push(format!("{n} example(s) (no field for examples)")),
        ExampleField::ArgumentsOnly => {
            let k = op.examples.iter().filter(|e| !e.query.is_empty() || e.result.is_some()).count();
            if k > 0 {
                items.push(format!("the query or result of {k} example(s) (only arguments are kept)"));
            }
        }
        ExampleField::OneWithQuery => {
            if n > 1 {
                items.push(format!("{} example(s) beyond the first (one per operation)", n - 1));
            }
            if op.examples.first().is_some_and(|e| e.result.is_some()) {
                items.push("the example's result".to_string());
            }
        }
        ExampleField::None => {}
    }
    if op.response_schema.is_some() && !c.response_schema {
        items.push("the response schema".to_string());
    }
    let implied = match (&op.http, c.http) {
        (Some(h), true) => Safety::from_method(h.method),
        _ => Safety::default(),
    };
    if !c.safety && op.safety != Safety::default() && op.safety != implied {
        items.push("the safety hints (read-only, destructive, idempotent)".to_string());
    }
    if let (Some(h), false) = (&op.http, c.http) {
        items.push(format!("the HTTP binding ({} {}) and parameter locations", h.method.as_str(), h.path));
    }
    items
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::doc::{Example, HttpBinding};
    use crate::host::Method;

    #[test]
    fn lists_what_a_bare_function_format_loses() {
        let op = Operation {
            id: "get".into(),
            title: Some("Get".into()),
            examples: vec![Example::default()],
            http: Some(HttpBinding { method: Method::Get, path: "/x".into(), body_media_type: None }),
            safety: Safety::from_method(Method::Get),
            ..Default::default()
        };
        let c =
            Carries { title: false, examples: ExampleField::None, response_schema: false, safety: false, http: false };
        let mut lost = Lost::default();
        lost.op_in(&op, c, vec![]);
        assert_eq!(lost.lines.len(), 1);
        let line = &lost.lines[0];
        assert!(line.starts_with("get: not carried: the title; 1 example(s)"), "{line}");
        assert!(line.contains("safety hints") && line.contains("GET /x"), "{line}");
        // With an HTTP binding, method-derived safety is not a loss.
        let c = Carries { http: true, title: true, ..c };
        assert_eq!(losses(&op, c), vec!["1 example(s) (no field for examples)".to_string()]);
    }
}
