//! What changed between two versions of a document, without any model: descriptions,
//! parameter descriptions, examples, response schemas, structural changes (required flags,
//! types, enums, formats, patterns), and how much the text grew.
//!
//! ```
//! use tooldraft::doc::{Operation, Tool, ToolDoc};
//! use tooldraft::eval::changes::compare_docs;
//! let op = |d: &str| Operation { id: "a".into(), name: "a".into(), description: d.into(), ..Default::default() };
//! let doc = |d: &str| ToolDoc { tools: vec![Tool { name: "t".into(), operations: vec![op(d)], ..Default::default() }], ..Default::default() };
//! let c = compare_docs(&doc("Gets."), &doc("Gets one user by its numeric id."));
//! assert_eq!(c.descriptions_changed, 1);
//! assert!(c.length_growth > 1.0);
//! assert!(c.smells_fixed.iter().any(|s| s.operation.as_deref() == Some("a")), "the short description is fixed");
//! ```

use crate::doc::{inspect, Operation, Smell, ToolDoc};
use crate::refine::repair::{structural_diff, SchemaChange};
use serde::{Deserialize, Serialize};

/// One operation's changes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct OperationChange {
    pub operation: String,
    pub description_changed: bool,
    pub description_before: usize,
    pub description_after: usize,
    /// Names of parameters whose description changed.
    pub parameters_changed: Vec<String>,
    pub examples_added: usize,
    pub response_schema_added: bool,
    /// Required flags, types, enums, formats, patterns and the response schema that differ.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schema_changes: Vec<SchemaChange>,
}

/// Changes between two versions of a document.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DocChanges {
    pub operations: usize,
    pub descriptions_changed: usize,
    pub parameter_descriptions_changed: usize,
    pub examples_added: usize,
    pub response_schemas_added: usize,
    /// Structural changes over all operations.
    #[serde(default)]
    pub schema_changes: usize,
    /// Operations of the first version missing from the second, and the reverse.
    pub removed: Vec<String>,
    pub added: Vec<String>,
    /// Characters of all descriptions (operations and parameters), after ÷ before.
    pub length_growth: f64,
    pub changed: Vec<OperationChange>,
    /// Doc smells of the first version that the second no longer has.
    pub smells_fixed: Vec<Smell>,
    /// Doc smells the second version has that the first did not.
    pub smells_introduced: Vec<Smell>,
}

fn doc_chars(op: &Operation) -> usize {
    op.description.chars().count() + op.parameters.iter().map(|p| p.description.chars().count()).sum::<usize>()
}

fn find<'a>(doc: &'a ToolDoc, op: &Operation) -> Option<&'a Operation> {
    doc.operation(&op.id).or_else(|| doc.operations().find(|o| o.name == op.name))
}

/// Compares `before` with `after`, matching operations by id (then by name).
pub fn compare_docs(before: &ToolDoc, after: &ToolDoc) -> DocChanges {
    let mut out = DocChanges { operations: before.operation_count(), ..Default::default() };
    let (mut chars_before, mut chars_after) = (0usize, 0usize);
    for a in before.operations() {
        let Some(b) = find(after, a) else {
            out.removed.push(a.id.clone());
            continue;
        };
        chars_before += doc_chars(a);
        chars_after += doc_chars(b);
        let parameters_changed: Vec<String> = b
            .parameters
            .iter()
            .filter(|p| a.parameter(&p.name).is_some_and(|q| q.description.trim() != p.description.trim()))
            .map(|p| p.name.clone())
            .collect();
        let change = OperationChange {
            operation: a.id.clone(),
            description_changed: a.description.trim() != b.description.trim(),
            description_before: a.description.chars().count(),
            description_after: b.description.chars().count(),
            examples_added: b.examples.len().saturating_sub(a.examples.len()),
            response_schema_added: a.response_schema.is_none() && b.response_schema.is_some(),
            parameters_changed,
            schema_changes: structural_diff(a, b),
        };
        out.descriptions_changed += usize::from(change.description_changed);
        out.parameter_descriptions_changed += change.parameters_changed.len();
        out.examples_added += change.examples_added;
        out.response_schemas_added += usize::from(change.response_schema_added);
        out.schema_changes += change.schema_changes.len();
        let any = change.description_changed
            || !change.parameters_changed.is_empty()
            || change.examples_added > 0
            || change.response_schema_added
            || !change.schema_changes.is_empty();
        if any {
            out.changed.push(change);
        }
    }
    for b in after.operations() {
        if find(before, b).is_none() {
            out.added.push(b.id.clone());
        }
    }
    let key = |s: &Smell| (s.kind, s.operation.clone(), s.parameter.clone());
    let (smells_before, smells_after) = (inspect(before).smells, inspect(after).smells);
    out.smells_fixed =
        smells_before.iter().filter(|s| !smells_after.iter().any(|t| key(t) == key(s))).cloned().collect();
    out.smells_introduced =
        smells_after.iter().filter(|s| !smells_before.iter().any(|t| key(t) == key(s))).cloned().collect();
    out.length_growth = if chars_before == 0 { chars_after as f64 } else { chars_after as f64 / chars_before as f64 };
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Location, Parameter, Tool};
    use crate::refine::repair::ChangeKind;
    use serde_json::json;

    #[test]
    fn structural_changes_are_listed_even_when_no_text_changed() {
        let doc = |required: bool, values: Vec<serde_json::Value>| {
            let mut p = Parameter::new("unit", Location::Query);
            p.required = required;
            p.enum_values = values;
            let op = Operation { id: "a".into(), name: "a".into(), parameters: vec![p], ..Default::default() };
            ToolDoc {
                tools: vec![Tool { name: "t".into(), operations: vec![op], ..Default::default() }],
                ..Default::default()
            }
        };
        let c = compare_docs(&doc(false, vec![]), &doc(true, vec![json!("metric"), json!("imperial")]));
        assert_eq!(c.schema_changes, 2);
        assert_eq!(c.changed.len(), 1);
        let kinds: Vec<ChangeKind> = c.changed[0].schema_changes.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, vec![ChangeKind::Required, ChangeKind::Enum]);
        assert_eq!(c.changed[0].schema_changes[1].after, json!(["metric", "imperial"]));
    }
}
