//! Doc drift detection: replays what a refined document claims against the live tool, with
//! no model, and gives each operation a verdict (`tooldraft check`, `check()` in JS).
//!
//! For each operation (within the safety policy: read-only calls only unless allowed):
//! - its stored **verified examples** (`x-tooldraft-examples` and the formats' own example
//!   fields) are called again and must still succeed, and a result they stored must keep
//!   its shape (keys and JSON types);
//! - a successful response must still fit the documented **response schema** (MCP
//!   `outputSchema`), checked by [`crate::schema`];
//! - each documented **required parameter** must still be required: a working call without it
//!   must fail;
//! - each documented **enum value** must still be accepted;
//! - against an MCP server, its `tools/list` is compared with the document: tools it lists
//!   that the document lacks (and the reverse), and each tool's parameters, required ones and
//!   enums ([`listing`]).
//!
//! With no stored example, the smallest call the document allows ([`crate::refine::seed`])
//! stands in; when it is refused, the checks that need a working call say so and are skipped.
//! Retries for slow or flaky tools are the tool layer's ([`crate::tools::RetryPolicy`]); what
//! still fails to answer is `unreachable`, never `drift`.
//!
//! ```
//! use tooldraft::check::{Verdict, CheckItem, CheckKind};
//! let items = vec![
//!     CheckItem::new(CheckKind::Example, "#1", Verdict::Ok, "still succeeds (HTTP 200)"),
//!     CheckItem::new(CheckKind::Enum, "`unit` = \"kg\"", Verdict::Drift, "refused: HTTP 400"),
//! ];
//! assert_eq!(Verdict::of(&items), Verdict::Drift);
//! assert_eq!(items[1].title(), "enum `unit` = \"kg\"");
//! ```

pub mod listing;
pub mod replay;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;

use crate::doc::ToolDoc;
use crate::host::Host;
use crate::tools::ToolCaller;
use serde::Serialize;

/// An operation's (or one check's, or the whole run's) outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "CheckVerdict"))]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    /// What the document claims still holds.
    Ok,
    /// The tool no longer does what the document says.
    Drift,
    /// The tool could not be reached or kept failing (network, timeout, 5xx): nothing known.
    Unreachable,
    /// Not checked (the safety policy, no working call, nothing documented to check).
    Skipped,
}

impl Verdict {
    /// The verdict of a set of checks: any drift is drift; else any unreachable is
    /// unreachable; else any success is ok; else skipped.
    pub fn of(items: &[CheckItem]) -> Verdict {
        let has = |v: Verdict| items.iter().any(|i| i.verdict == v);
        if has(Verdict::Drift) {
            Verdict::Drift
        } else if has(Verdict::Unreachable) {
            Verdict::Unreachable
        } else if has(Verdict::Ok) {
            Verdict::Ok
        } else {
            Verdict::Skipped
        }
    }
}

/// What one check looked at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum CheckKind {
    /// The live server lists the operation.
    Listed,
    /// The live server's input schema matches the documented parameters.
    InputSchema,
    /// A stored verified example (or, without one, the smallest documented call) succeeds.
    Example,
    /// A response fits the documented response schema.
    ResponseSchema,
    /// A documented required parameter is still required.
    Required,
    /// A documented enum value is still accepted.
    Enum,
    /// The safety policy lets the operation be called.
    Policy,
}

/// One check of one operation.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CheckItem {
    pub kind: CheckKind,
    /// What was checked, after the kind's label: `#1`, `` `limit` ``, `` `unit` = "kg" ``.
    pub subject: String,
    pub verdict: Verdict,
    /// What happened, or why it was skipped. Tool output in it is clipped and was redacted
    /// by the tool caller.
    pub detail: String,
}

impl CheckKind {
    /// How a person names this check in one line (`required`, `response`, …).
    pub fn label(self) -> &'static str {
        match self {
            CheckKind::Listed => "listing",
            CheckKind::InputSchema => "input schema",
            CheckKind::Example => "example",
            CheckKind::ResponseSchema => "response",
            CheckKind::Required => "required",
            CheckKind::Enum => "enum",
            CheckKind::Policy => "policy",
        }
    }
}

impl CheckItem {
    /// The check in a few words: its kind's label and its subject (`required `limit``).
    pub fn title(&self) -> String {
        format!("{} {}", self.kind.label(), self.subject)
    }

    /// A check result.
    pub fn new(kind: CheckKind, subject: impl Into<String>, verdict: Verdict, detail: impl Into<String>) -> CheckItem {
        CheckItem { kind, subject: subject.into(), verdict, detail: detail.into() }
    }
}

/// One operation's checks and verdict.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct OperationCheck {
    /// The operation id.
    pub operation: String,
    /// The name it is called by (the MCP tool name).
    pub name: String,
    pub verdict: Verdict,
    /// One line: the drift found, why it is unreachable, or what could not be checked.
    pub summary: String,
    pub items: Vec<CheckItem>,
    /// Tool calls made.
    pub calls: usize,
}

impl OperationCheck {
    /// Sets the verdict and summary from the items.
    pub fn conclude(operation: String, name: String, items: Vec<CheckItem>, calls: usize) -> OperationCheck {
        let verdict = Verdict::of(&items);
        let pick = |v: Verdict| -> Vec<String> {
            items.iter().filter(|i| i.verdict == v).map(|i| format!("{}: {}", i.title(), i.detail)).collect()
        };
        let summary = match verdict {
            Verdict::Drift | Verdict::Unreachable => pick(verdict).join("; "),
            Verdict::Ok => {
                let passed = items.iter().filter(|i| i.verdict == Verdict::Ok).count();
                let skipped = pick(Verdict::Skipped);
                if skipped.is_empty() {
                    format!("{passed} check(s) passed")
                } else {
                    format!("{passed} check(s) passed; not checked: {}", skipped.join("; "))
                }
            }
            Verdict::Skipped => format!("not checked: {}", pick(Verdict::Skipped).join("; ")),
        };
        OperationCheck { operation, name, verdict, summary, items, calls }
    }
}

/// How many operations got each verdict.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CheckTotals {
    pub ok: usize,
    pub drift: usize,
    pub unreachable: usize,
    pub skipped: usize,
    /// Tool calls made in all.
    pub calls: usize,
}

/// The whole check.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CheckReport {
    /// Drift when any operation drifted or the live server lists undocumented tools; else
    /// unreachable when any operation (or the listing) could not be reached; else ok when
    /// anything was checked; else skipped.
    pub verdict: Verdict,
    pub operations: Vec<OperationCheck>,
    /// Tools the live MCP server lists that the document lacks, in the server's order (not
    /// reported with `only`).
    pub undocumented: Vec<String>,
    /// Why the live server's tool list could not be read, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub listing_error: Option<String>,
    pub totals: CheckTotals,
    pub duration_ms: f64,
}

/// What to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckConfig {
    /// Check only these operation ids (all when empty).
    pub only: Vec<String>,
    /// Documented enum values tried per parameter (default 5).
    pub max_enum_values: usize,
    /// Stored verified examples replayed per operation (default 3).
    pub max_examples: usize,
}

fn default_enum_values() -> usize {
    5
}
fn default_examples() -> usize {
    3
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig { only: Vec::new(), max_enum_values: default_enum_values(), max_examples: default_examples() }
    }
}

/// Why a check could not run at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    #[error("operation {0:?} given in `only` is not in the document")]
    UnknownOperation(String),
    #[error("the document has no operations to check")]
    NothingToCheck,
    #[error("the check was cancelled")]
    Aborted,
}

impl CheckError {
    /// A stable code, used as the JS error's `name`.
    pub fn code(&self) -> &'static str {
        match self {
            CheckError::UnknownOperation(_) => "UnknownOperation",
            CheckError::NothingToCheck => "NothingToCheck",
            CheckError::Aborted => "Aborted",
        }
    }
}

/// Checks `doc` against the live tool behind `caller` (see the module docs). Operations are
/// checked one after another; `on_operation` hears each verdict as it is reached.
pub async fn check(
    doc: &ToolDoc,
    caller: &dyn ToolCaller,
    host: &dyn Host,
    config: &CheckConfig,
    on_operation: Option<&dyn Fn(&OperationCheck)>,
) -> Result<CheckReport, CheckError> {
    let started = host.now_ms();
    if doc.operation_count() == 0 {
        return Err(CheckError::NothingToCheck);
    }
    if let Some(unknown) = config.only.iter().find(|id| doc.operation(id).is_none()) {
        return Err(CheckError::UnknownOperation(unknown.clone()));
    }
    let live = match caller.live_tools().await {
        None => None,
        Some(Ok(list)) => Some(listing::LiveTools::read(&list)),
        Some(Err(e)) if e.code() == "Aborted" => return Err(CheckError::Aborted),
        Some(Err(e)) => Some(listing::LiveTools::failed(e.to_string())),
    };
    let mut operations = Vec::new();
    for op in doc.operations().filter(|o| config.only.is_empty() || config.only.contains(&o.id)) {
        if host.cancelled() {
            return Err(CheckError::Aborted);
        }
        let mut items = Vec::new();
        let mut calls = 0;
        let listed = match &live {
            Some(l) => l.check(op, &mut items),
            None => true,
        };
        if listed {
            calls = replay::operation(op, caller, config, &mut items).await?;
        }
        let result = OperationCheck::conclude(op.id.clone(), op.name.clone(), items, calls);
        if let Some(f) = on_operation {
            f(&result);
        }
        operations.push(result);
    }
    let undocumented = match &live {
        Some(l) if config.only.is_empty() => {
            let names: Vec<&str> = doc.operations().map(|o| o.name.as_str()).collect();
            l.names().filter(|n| !names.contains(n)).map(str::to_string).collect()
        }
        _ => Vec::new(),
    };
    let listing_error = live.as_ref().and_then(|l| l.error().map(str::to_string));
    let count = |v: Verdict| operations.iter().filter(|o| o.verdict == v).count();
    let totals = CheckTotals {
        ok: count(Verdict::Ok),
        drift: count(Verdict::Drift),
        unreachable: count(Verdict::Unreachable),
        skipped: count(Verdict::Skipped),
        calls: operations.iter().map(|o| o.calls).sum(),
    };
    let verdict = if totals.drift > 0 || !undocumented.is_empty() {
        Verdict::Drift
    } else if totals.unreachable > 0 || listing_error.is_some() {
        Verdict::Unreachable
    } else if totals.ok > 0 {
        Verdict::Ok
    } else {
        Verdict::Skipped
    };
    Ok(CheckReport {
        verdict,
        operations,
        undocumented,
        listing_error,
        totals,
        duration_ms: (host.now_ms() - started).max(0.0),
    })
}
