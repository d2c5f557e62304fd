//! The safety policy: which operations tooldraft may call. On by default, it allows only
//! read-only operations (HTTP GET, HEAD and OPTIONS; MCP tools with `readOnlyHint: true`).
//! Writes need an allowance, globally or per operation id; destructive operations
//! (DELETE, `destructiveHint: true`, or nothing known) need their own. [`SafetyOptions`] is
//! the `safety` section a JavaScript caller passes, from which the policy is made.
//!
//! ```
//! use tooldraft::doc::{HttpBinding, Operation, Safety};
//! use tooldraft::host::Method;
//! use tooldraft::tools::SafetyPolicy;
//! let mut op = Operation { id: "deletePet".into(), ..Default::default() };
//! op.http = Some(HttpBinding { method: Method::Delete, path: "/pets/{id}".into(), body_media_type: None });
//! op.safety = Safety::from_method(Method::Delete);
//! assert!(SafetyPolicy::default().check(&op).is_err());
//! assert!(SafetyPolicy { allow_writes: true, ..Default::default() }.check(&op).is_err());
//! let allowed = SafetyPolicy { allow_destructive_operations: vec!["deletePet".into()], ..Default::default() };
//! assert!(allowed.check(&op).is_ok());
//! let s: tooldraft::tools::SafetyOptions = serde_json::from_str(r#"{"allowDestructive": true}"#).unwrap();
//! assert!(s.policy().allow_writes, "destructive calls imply writes");
//! ```

use crate::doc::{Operation, Safety, SafetyClass};
use crate::host::Method;
use crate::tools::ToolError;
use serde::{Deserialize, Serialize};

/// Which operations may be called. The default allows read-only operations only.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SafetyPolicy {
    /// Allow every write (POST, PUT, PATCH; MCP tools not marked read-only but marked
    /// `destructiveHint: false`).
    #[serde(default)]
    pub allow_writes: bool,
    /// Allow every destructive operation too (DELETE, `destructiveHint: true`, unknown).
    /// Implies `allow_writes`.
    #[serde(default)]
    pub allow_destructive: bool,
    /// Operation ids whose writes are allowed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_operations: Vec<String>,
    /// Operation ids allowed even when destructive (implies their writes too).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_destructive_operations: Vec<String>,
}

impl SafetyPolicy {
    /// A policy that allows everything (for trusted sandboxes; never the default).
    pub fn allow_all() -> Self {
        SafetyPolicy { allow_writes: true, allow_destructive: true, ..Default::default() }
    }

    /// `Ok` when the policy lets this operation be called, else [`ToolError::Denied`] with
    /// a reason that says which allowance would permit it.
    pub fn check(&self, op: &Operation) -> Result<(), ToolError> {
        let class = effective_class(op);
        let id = op.id.as_str();
        let destructive_ok = self.allow_destructive || self.allow_destructive_operations.iter().any(|o| o == id);
        let write_ok = destructive_ok || self.allow_writes || self.allow_operations.iter().any(|o| o == id);
        match class {
            SafetyClass::ReadOnly => Ok(()),
            SafetyClass::Write if write_ok => Ok(()),
            SafetyClass::Destructive if destructive_ok => Ok(()),
            SafetyClass::Write => Err(ToolError::Denied {
                reason: format!(
                    "`{id}` ({}) is not read-only; allow writes globally or for this operation to call it",
                    describe(op)
                ),
            }),
            SafetyClass::Destructive => Err(ToolError::Denied {
                reason: format!(
                    "`{id}` ({}) may be destructive; it needs an explicit destructive allowance, globally or for this operation",
                    describe(op)
                ),
            }),
        }
    }
}

/// The class the policy uses. For HTTP operations the method decides at least as strictly
/// as the document's hints: a document cannot make a DELETE read-only. GET, HEAD and
/// OPTIONS are read-only; TRACE is treated as a write. Without an HTTP binding (MCP,
/// function tools) the hints decide, and unknown means destructive.
pub fn effective_class(op: &Operation) -> SafetyClass {
    let hinted = op.safety.class();
    let Some(http) = &op.http else {
        return hinted;
    };
    let by_method = match http.method {
        Method::Get | Method::Head | Method::Options => SafetyClass::ReadOnly,
        Method::Trace => SafetyClass::Write,
        m => Safety::from_method(m).class(),
    };
    let hints_known = op.safety.read_only.is_some() || op.safety.destructive.is_some();
    if !hints_known {
        return by_method;
    }
    stricter(by_method, hinted)
}

fn rank(c: SafetyClass) -> u8 {
    match c {
        SafetyClass::ReadOnly => 0,
        SafetyClass::Write => 1,
        SafetyClass::Destructive => 2,
    }
}

fn stricter(a: SafetyClass, b: SafetyClass) -> SafetyClass {
    if rank(a) >= rank(b) {
        a
    } else {
        b
    }
}

fn describe(op: &Operation) -> String {
    match &op.http {
        Some(h) => format!("{} {}", h.method.as_str(), h.path),
        None => match (op.safety.read_only, op.safety.destructive) {
            (None, None) => "no safety hints".to_string(),
            (r, d) => format!(
                "readOnlyHint {}, destructiveHint {}",
                r.map_or("unset".into(), |b| b.to_string()),
                d.map_or("unset".into(), |b| b.to_string())
            ),
        },
    }
}

/// What the safety policy allows beyond read-only calls (`safety`).
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "SafetyConfig"))]
#[serde(rename_all = "camelCase")]
pub struct SafetyOptions {
    /// Allow writes (POST, PUT, PATCH; MCP tools not marked read-only but marked
    /// non-destructive).
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub allow_writes: bool,
    /// Allow destructive calls too (DELETE; MCP tools marked or presumed destructive).
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub allow_destructive: bool,
    /// Operation ids allowed to write (and, when not destructive, be called) beyond the
    /// global switches.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub allow: Vec<String>,
    /// Operation ids allowed even when destructive.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub allow_destructive_operations: Vec<String>,
}

impl SafetyOptions {
    /// The safety policy: read-only unless writes or destructive calls are allowed, globally
    /// or for the listed operations.
    pub fn policy(&self) -> SafetyPolicy {
        SafetyPolicy {
            allow_writes: self.allow_writes || self.allow_destructive,
            allow_destructive: self.allow_destructive,
            allow_operations: self.allow.clone(),
            allow_destructive_operations: self.allow_destructive_operations.clone(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::doc::HttpBinding;

    fn http(id: &str, m: Method, safety: Safety) -> Operation {
        Operation {
            id: id.into(),
            http: Some(HttpBinding { method: m, path: "/x".into(), body_media_type: None }),
            safety,
            ..Default::default()
        }
    }

    fn mcp(id: &str, read_only: Option<bool>, destructive: Option<bool>) -> Operation {
        Operation { id: id.into(), safety: Safety { read_only, destructive, idempotent: None }, ..Default::default() }
    }

    #[test]
    fn default_allows_only_read_only() {
        let p = SafetyPolicy::default();
        for m in [Method::Get, Method::Head, Method::Options] {
            assert!(p.check(&http("r", m, Safety::default())).is_ok(), "{m:?}");
        }
        for m in [Method::Post, Method::Put, Method::Patch, Method::Delete, Method::Trace] {
            let e = p.check(&http("w", m, Safety::default())).unwrap_err();
            assert_eq!(e.code(), "PolicyDenied", "{m:?}");
        }
        assert!(p.check(&mcp("ro", Some(true), None)).is_ok());
        assert!(p.check(&mcp("w", Some(false), Some(false))).is_err());
        assert!(p.check(&mcp("unknown", None, None)).is_err());
    }

    #[test]
    fn writes_and_destructive_need_separate_allowances() {
        let writes = SafetyPolicy { allow_writes: true, ..Default::default() };
        assert!(writes.check(&http("post", Method::Post, Safety::default())).is_ok());
        assert!(writes.check(&mcp("w", Some(false), Some(false))).is_ok());
        let e = writes.check(&http("del", Method::Delete, Safety::default())).unwrap_err();
        assert!(e.to_string().contains("destructive"), "{e}");
        assert!(writes.check(&mcp("unknown", None, None)).is_err());
        assert!(writes.check(&mcp("d", Some(false), Some(true))).is_err());

        let per_op = SafetyPolicy { allow_operations: vec!["post".into()], ..Default::default() };
        assert!(per_op.check(&http("post", Method::Post, Safety::default())).is_ok());
        assert!(per_op.check(&http("other", Method::Post, Safety::default())).is_err());
        assert!(per_op.check(&http("post", Method::Delete, Safety::default())).is_err());

        let destroy_one = SafetyPolicy { allow_destructive_operations: vec!["del".into()], ..Default::default() };
        assert!(destroy_one.check(&http("del", Method::Delete, Safety::default())).is_ok());
        assert!(destroy_one.check(&http("del2", Method::Delete, Safety::default())).is_err());
        assert!(SafetyPolicy::allow_all().check(&mcp("unknown", None, None)).is_ok());
    }

    #[test]
    fn a_document_cannot_make_a_delete_read_only() {
        let lying = Safety { read_only: Some(true), destructive: Some(false), idempotent: Some(true) };
        assert_eq!(effective_class(&http("d", Method::Delete, lying.clone())), SafetyClass::Destructive);
        assert_eq!(effective_class(&http("p", Method::Post, lying)), SafetyClass::Write);
        // …but a hint can make a GET stricter.
        let destructive_get = Safety { read_only: Some(false), destructive: Some(true), idempotent: None };
        assert_eq!(effective_class(&http("g", Method::Get, destructive_get)), SafetyClass::Destructive);
    }
}
