//! One trail as the rules read it ([`Call`]), and the helpers that turn a proposed change
//! into a proved one or a conflict with the trails behind it.

use super::{ChangeStatus, SchemaChange};
use serde_json::Value;

/// At most this many supporting trail ids are listed per change.
pub(super) const MAX_TRAILS: usize = 8;

/// One trail as the rules read it.
pub(super) struct Call<'t> {
    pub(super) id: &'t str,
    pub(super) ok: bool,
    pub(super) args: Option<&'t serde_json::Map<String, Value>>,
    /// The tool's own error text (a client error's body, a JSON-RPC error), if it failed so.
    pub(super) error: Option<String>,
}

impl Call<'_> {
    pub(super) fn value(&self, p: &str) -> Option<&Value> {
        self.args.and_then(|a| a.get(p))
    }
}

pub(super) fn ids<'a>(calls: impl Iterator<Item = &'a Call<'a>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in calls {
        if out.len() < MAX_TRAILS && !out.iter().any(|x| x == c.id) {
            out.push(c.id.to_string());
        }
    }
    out
}

pub(super) fn conflict(mut c: SchemaChange, trails: Vec<String>, reason: String) -> SchemaChange {
    c.after = Value::Null;
    c.status = ChangeStatus::Conflict;
    c.trails = trails;
    c.reason = reason;
    c
}

pub(super) fn proved(mut c: SchemaChange, trails: Vec<String>, reason: String) -> SchemaChange {
    c.trails = trails;
    c.reason = reason;
    c
}
