//! The word-level diff of two texts (`diffText` in JS, the web app's review of each
//! description): runs of equal, inserted and deleted text, whitespace kept, adjacent changes
//! of one kind merged.
//!
//! ```
//! use tooldraft::doc::diff::{diff_words, DiffOp};
//! let chunks = diff_words("a b", "a c");
//! let ops: Vec<DiffOp> = chunks.iter().map(|c| c.op).collect();
//! assert_eq!(ops, [DiffOp::Equal, DiffOp::Delete, DiffOp::Insert]);
//! ```

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

/// What a run of a diff is: `equal`, `insert` or `delete` in JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename_all = "camelCase"))]
pub enum DiffOp {
    /// In both texts.
    Equal,
    /// Only in the second text.
    Insert,
    /// Only in the first text.
    Delete,
}

impl DiffOp {
    /// Its name in JSON.
    pub fn name(self) -> &'static str {
        match self {
            DiffOp::Equal => "equal",
            DiffOp::Insert => "insert",
            DiffOp::Delete => "delete",
        }
    }
}

/// As its name: a string is all the boundary's serializer needs (no variant machinery).
impl Serialize for DiffOp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// One run of a word-level diff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DiffChunk {
    pub op: DiffOp,
    pub text: String,
}

/// A word-level diff: runs of equal, inserted and deleted text (whitespace kept), adjacent
/// changes of one kind merged. Concatenating the `equal` and `delete` texts gives `before`;
/// the `equal` and `insert` texts give `after`.
pub fn diff_words(before: &str, after: &str) -> Vec<DiffChunk> {
    let diff = TextDiff::configure().algorithm(similar::Algorithm::Patience).diff_words(before, after);
    let mut chunks: Vec<DiffChunk> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => DiffOp::Equal,
            ChangeTag::Insert => DiffOp::Insert,
            ChangeTag::Delete => DiffOp::Delete,
        };
        match chunks.last_mut() {
            Some(last) if last.op == op => last.text.push_str(change.value()),
            _ => chunks.push(DiffChunk { op, text: change.value().to_string() }),
        }
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_diff_rebuilds_both_texts() {
        let before = "Gets a user by id.  Returns 404 if missing.";
        let after = "Gets one user by its numeric id.  Returns 404 if missing.";
        let chunks = diff_words(before, after);
        let rebuilt =
            |skip: DiffOp| chunks.iter().filter(|c| c.op != skip).map(|c| c.text.as_str()).collect::<String>();
        assert_eq!(rebuilt(DiffOp::Insert), before);
        assert_eq!(rebuilt(DiffOp::Delete), after);
        assert!(chunks.windows(2).all(|w| w[0].op != w[1].op), "adjacent runs of one kind are merged: {chunks:?}");
        assert!(chunks.iter().any(|c| c.op == DiffOp::Delete && c.text.contains('a')));
        assert!(chunks.iter().any(|c| c.op == DiffOp::Insert && c.text.contains("numeric")));
        assert_eq!(chunks.last().map(|c| c.op), Some(DiffOp::Equal));
        assert!(diff_words("", "").is_empty());
    }

    #[test]
    fn runs_serialise_as_op_and_text() {
        let json = serde_json::to_value(diff_words("a b", "a c")).unwrap();
        assert_eq!(
            json,
            serde_json::json!([{"op": "equal", "text": "a "}, {"op": "delete", "text": "b"}, {"op": "insert", "text": "c"}])
        );
    }
}
