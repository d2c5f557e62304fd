//! Reading tagged and flattened types in one pass. serde reads an internally tagged enum
//! (`#[serde(tag = "kind")]`) or a struct with a `#[serde(flatten)]` field by first buffering
//! the whole object in its private content buffer, then reading each type inside it a second
//! time from that buffer: every type nested in the run state and its errors gets a second
//! deserializer in the wasm (~22 KB gzip of the engine module; bench/size/RESULTS.md). The
//! types that cross the JS boundary therefore read through a flat struct of all their fields
//! (`#[serde(try_from = "…")]` / `#[serde(from = "…")]`) and keep their derived, tagged or
//! flattened, JSON when written: the same JSON both ways.
//!
//! ```
//! use tooldraft::host::HostError;
//! let e: HostError = serde_json::from_str(r#"{"kind": "timeout", "ms": 5}"#).unwrap();
//! assert_eq!(e, HostError::Timeout { ms: 5 });
//! assert_eq!(serde_json::to_string(&e).unwrap(), r#"{"kind":"timeout","ms":5}"#);
//! let bad = serde_json::from_str::<HostError>(r#"{"kind": "timeout"}"#).unwrap_err();
//! assert!(bad.to_string().contains("missing field `ms`"), "{bad}");
//! ```

use serde::Deserialize;

/// Every field of the call error enums (`LlmError`, `ToolError`) with their tag: each reads its
/// own from it (`TryFrom<ErrorWire>`, next to each). One struct for both, since a journal
/// entry's `error` is one or the other by the entry's kind. Not recursive: a transport error's
/// `source` is a [`HostErrorWire`], so no input nests it deeper.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ErrorWire {
    pub kind: String,
    pub ms: Option<u64>,
    pub message: Option<String>,
    pub endpoint: Option<String>,
    pub status: Option<u16>,
    pub schema: Option<String>,
    pub reason: Option<String>,
    pub operation: Option<String>,
    /// A transport error's cause.
    pub source: Option<HostErrorWire>,
}

/// `HostError`'s fields with its tag (a transport error's `source`, or a `HostError` alone).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct HostErrorWire {
    pub kind: String,
    pub ms: Option<u64>,
    pub message: Option<String>,
}

/// A field a variant needs, or serde's "missing field" message.
pub fn field<T>(value: Option<T>, name: &str) -> Result<T, String> {
    value.ok_or_else(|| format!("missing field `{name}`"))
}

/// serde's "unknown variant" message for a tag value.
pub fn unknown(tag: &str, value: &str, expected: &[&str]) -> String {
    format!(
        "unknown {tag} `{value}`, expected one of {}",
        expected.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ")
    )
}
