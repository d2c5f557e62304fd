//! The live server's safety annotations against the document's. A document is only what
//! someone wrote about a tool; when the server's own `tools/list` can be read, its
//! `readOnlyHint`, `destructiveHint` and `idempotentHint` are compared with the document's,
//! hint by hint the stricter one is used by the safety policy (not read-only over read-only,
//! destructive over not, not idempotent over idempotent; a hint only one side gives is
//! taken from it), and every difference is described so the run can report it.
//! (`openWorldHint` is not compared: it does not bear on what the policy allows, and the
//! document model does not keep it.)
//!
//! ```
//! use serde_json::json;
//! use tooldraft::doc::Safety;
//! use tooldraft::tools::mcp::annotations::{live_hints, stricter};
//! let list = json!({"tools": [{"name": "wipe", "annotations": {"readOnlyHint": false, "destructiveHint": true}}]});
//! let live = live_hints(&list);
//! let doc = Safety { read_only: Some(true), destructive: Some(false), idempotent: None };
//! let (merged, differences) = stricter(&doc, &live["wipe"]);
//! assert_eq!((merged.read_only, merged.destructive), (Some(false), Some(true)));
//! assert_eq!(differences.len(), 2);
//! ```

use crate::doc::Safety;
use serde_json::Value;
use std::collections::HashMap;

/// The annotations of every tool in a `tools/list` result, by tool name. Hints that are not
/// booleans count as not given.
pub fn live_hints(list: &Value) -> HashMap<String, Safety> {
    let tools = list.get("tools").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    tools
        .iter()
        .filter_map(|t| {
            let name = t.get("name")?.as_str()?.to_string();
            let a = t.get("annotations");
            let hint = |k: &str| a.and_then(|a| a.get(k)).and_then(Value::as_bool);
            let safety = Safety {
                read_only: hint("readOnlyHint"),
                destructive: hint("destructiveHint"),
                idempotent: hint("idempotentHint"),
            };
            Some((name, safety))
        })
        .collect()
}

/// Hint by hint the stricter of the document's and the live server's safety, and a line for
/// each hint on which they differ (`readOnlyHint: the document says true, the server false`).
pub fn stricter(doc: &Safety, live: &Safety) -> (Safety, Vec<String>) {
    let mut differences = Vec::new();
    let mut pick = |name: &str, d: Option<bool>, l: Option<bool>, strict: bool| -> Option<bool> {
        match (d, l) {
            (Some(d), Some(l)) if d != l => {
                differences.push(format!("{name}: the document says {d}, the server {l}"));
                Some(strict)
            }
            (None, Some(l)) => {
                differences.push(format!("{name}: the document does not say, the server says {l}"));
                Some(l)
            }
            (d, l) => d.or(l),
        }
    };
    let merged = Safety {
        read_only: pick("readOnlyHint", doc.read_only, live.read_only, false),
        destructive: pick("destructiveHint", doc.destructive, live.destructive, true),
        idempotent: pick("idempotentHint", doc.idempotent, live.idempotent, false),
    };
    (merged, differences)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_stricter_hint_wins_and_each_difference_is_named() {
        let s = |r, d, i| Safety { read_only: r, destructive: d, idempotent: i };
        let (m, diff) = stricter(&s(Some(true), Some(false), Some(true)), &s(Some(true), Some(false), Some(true)));
        assert_eq!((m, diff.len()), (s(Some(true), Some(false), Some(true)), 0));
        let (m, diff) = stricter(&s(Some(false), Some(true), Some(false)), &s(Some(true), Some(false), Some(true)));
        assert_eq!(m, s(Some(false), Some(true), Some(false)), "the document stricter: it stays");
        assert_eq!(diff.len(), 3);
        let (m, diff) = stricter(&s(None, None, None), &s(Some(true), None, None));
        assert_eq!(m, s(Some(true), None, None), "a hint only the server gives is taken");
        assert_eq!(diff, ["readOnlyHint: the document does not say, the server says true"]);
        let (m, diff) = stricter(&s(Some(true), None, None), &s(None, None, None));
        assert_eq!((m, diff.len()), (s(Some(true), None, None), 0), "a server that says nothing changes nothing");
    }

    #[test]
    fn reads_annotations_leniently() {
        let list = json!({"tools": [
            {"name": "a", "annotations": {"readOnlyHint": "yes", "destructiveHint": true}},
            {"name": "b"}, {"annotations": {}}, 7
        ]});
        let live = live_hints(&list);
        assert_eq!(live.len(), 2);
        assert_eq!(live["a"], Safety { read_only: None, destructive: Some(true), idempotent: None });
        assert_eq!(live["b"], Safety::default());
        assert!(live_hints(&json!({"tools": "x"})).is_empty());
    }
}
