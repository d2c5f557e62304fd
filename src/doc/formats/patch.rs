//! Same-format export: patch the original document instead of writing a new one.
//!
//! The source is imported again to a *baseline*; each operation of the document is matched to
//! its baseline twin by JSON pointer, and only the fields that differ are written back. So an
//! unmodified import → export gives a value equal to the original, and changing one
//! description changes only that string. Operations the baseline has but the document no
//! longer has are removed; operations with no twin are appended in the format's fresh form.

use super::json;
use super::lost::Lost;
use crate::doc::{Operation, Tool, ToolDoc};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// Patches `out` (a clone of the source) operation by operation.
///
/// `patch_one(entry, baseline_op, op, lost)` patches one source entry in place;
/// `append(out, tool, op, lost)` adds an operation the source does not have.
pub(crate) fn patch_operations<P, A>(
    doc: &ToolDoc,
    baseline: &ToolDoc,
    out: &mut Value,
    mut patch_one: P,
    mut append: A,
) -> Lost
where
    P: FnMut(&mut Value, &Operation, &Operation, &mut Lost),
    A: FnMut(&mut Value, &Tool, &Operation, &mut Lost),
{
    let mut lost = Lost::default();
    let twins: HashMap<&str, &Operation> = baseline.operations().map(|o| (o.pointer.as_str(), o)).collect();
    let mut kept: HashSet<&str> = HashSet::new();
    let mut new_ops = Vec::new();
    for tool in &doc.tools {
        for op in &tool.operations {
            match twins.get(op.pointer.as_str()) {
                Some(b) if kept.insert(op.pointer.as_str()) => {
                    if let Some(entry) = out.pointer_mut(&op.pointer) {
                        patch_one(entry, b, op, &mut lost);
                    }
                }
                _ => new_ops.push((tool, op)),
            }
        }
    }
    let removed: Vec<String> =
        baseline.operations().filter(|o| !kept.contains(o.pointer.as_str())).map(|o| o.pointer.clone()).collect();
    json::remove_all(out, &removed);
    for (tool, op) in new_ops {
        append(out, tool, op, &mut lost);
    }
    lost
}
