//! The calls a check makes for one operation: its stored verified examples (or the smallest
//! documented call), the response schema and stored result shape of what came back, a call
//! without each documented required parameter, and a call with each documented enum value.
//! Every call goes through the tool caller, so the safety policy, redaction and the network
//! layer's retries apply.
//!
//! ```
//! use serde_json::json;
//! use tooldraft::check::replay::shape_changes;
//! let stored = json!({"id": 1, "title": "a", "tags": ["x"]});
//! assert!(shape_changes(&stored, &json!({"id": 2, "title": "b", "tags": []})).is_empty());
//! assert_eq!(shape_changes(&stored, &json!({"id": "2", "tags": ["y"]})),
//!     vec!["/id was a number, now a string", "/title is gone"]);
//! ```

use super::{CheckConfig, CheckError, CheckItem, CheckKind, Verdict};
use crate::doc::{Location, Operation};
use crate::refine::evidence::payload;
use crate::refine::explorer::validate_arguments;
use crate::refine::prompt::clip;
use crate::refine::seed::next_seed;
use crate::schema::{json_equal, type_name, validate};
use crate::tools::{Observation, ToolCaller, ToolError};
use serde_json::{Map, Value};

/// Shape differences reported per result, at most.
const MAX_CHANGES: usize = 5;
/// Tool output quoted in a detail, at most (characters).
const QUOTE: usize = 160;

/// How one call ended.
enum Outcome {
    Success(Box<Observation>),
    /// The tool answered with an error of its own (HTTP 4xx, MCP `isError`).
    Refused(String),
    /// No usable answer: network, timeout, protocol, a 5xx after the retries.
    Unreachable(String),
    /// The call could not be made (the policy, arguments that cannot be sent).
    NotMade(String),
}

fn describe(o: &Observation) -> String {
    let status = o.status.map_or_else(|| "no status".to_string(), |s| format!("HTTP {s}"));
    let body = o.body.trim();
    if body.is_empty() {
        status
    } else {
        format!("{status}: {}", clip(body, QUOTE))
    }
}

async fn call(
    caller: &dyn ToolCaller,
    op: &Operation,
    arguments: &Value,
    calls: &mut usize,
) -> Result<Outcome, CheckError> {
    *calls += 1;
    Ok(match caller.call(op, arguments).await {
        Ok(o) if o.is_success() => Outcome::Success(Box::new(o)),
        Ok(o) if o.status.is_some_and(|s| s >= 500) => Outcome::Unreachable(format!("server error, {}", describe(&o))),
        Ok(o) => Outcome::Refused(describe(&o)),
        Err(e) if e.code() == "Aborted" => return Err(CheckError::Aborted),
        Err(e @ (ToolError::Denied { .. } | ToolError::InvalidArguments { .. })) => Outcome::NotMade(e.to_string()),
        Err(e) => Outcome::Unreachable(e.to_string()),
    })
}

/// Runs the replay checks of `op`, adding them to `items`; returns the calls made.
pub async fn operation(
    op: &Operation,
    caller: &dyn ToolCaller,
    config: &CheckConfig,
    items: &mut Vec<CheckItem>,
) -> Result<usize, CheckError> {
    if let Err(e) = caller.permits(op) {
        items.push(CheckItem::new(CheckKind::Policy, "(not called)", Verdict::Skipped, e.to_string()));
        return Ok(0);
    }
    let mut calls = 0;
    // The smallest documented call stands in only when no example is stored: when stored
    // ones fail, that is the finding.
    let base = match examples(op, caller, config, items, &mut calls).await? {
        Some(base) => Some(base),
        None if !op.examples.iter().any(|e| e.verified) => documented_call(op, caller, items, &mut calls).await?,
        None => None,
    };
    let Some((base_args, base_obs)) = base else {
        for (kind, what) in [(CheckKind::ResponseSchema, "schema"), (CheckKind::Required, "parameters")] {
            items.push(CheckItem::new(kind, what, Verdict::Skipped, "needs a call that works, and none did"));
        }
        return Ok(calls);
    };
    response_schema(op, &base_obs, items);
    required(op, caller, &base_args, items, &mut calls).await?;
    enums(op, caller, config, &base_args, items, &mut calls).await?;
    Ok(calls)
}

/// Replays the stored verified examples; returns the first that worked.
async fn examples(
    op: &Operation,
    caller: &dyn ToolCaller,
    config: &CheckConfig,
    items: &mut Vec<CheckItem>,
    calls: &mut usize,
) -> Result<Option<(Value, Observation)>, CheckError> {
    let verified: Vec<_> = op.examples.iter().filter(|e| e.verified).take(config.max_examples).collect();
    if verified.is_empty() {
        let why = if op.examples.is_empty() {
            "no stored examples".to_string()
        } else {
            format!("{} stored example(s), none verified by a call", op.examples.len())
        };
        items.push(CheckItem::new(CheckKind::Example, "(none)", Verdict::Skipped, why));
        return Ok(None);
    }
    let mut base = None;
    for (i, example) in verified.into_iter().enumerate() {
        let subject = format!("#{}", i + 1);
        if let Err(e) = validate_arguments(op, &example.arguments) {
            let detail = format!("its arguments no longer fit the documented parameters: {}", clip(&e, QUOTE));
            items.push(CheckItem::new(CheckKind::Example, subject, Verdict::Drift, detail));
            continue;
        }
        match call(caller, op, &example.arguments, calls).await? {
            Outcome::Success(o) => {
                items.push(CheckItem::new(
                    CheckKind::Example,
                    &subject,
                    Verdict::Ok,
                    format!("still succeeds ({})", status(&o)),
                ));
                if let (Some(stored), Some(now)) = (&example.result, payload(op, &o)) {
                    let changes = shape_changes(stored, &now);
                    let (verdict, detail) = if changes.is_empty() {
                        (Verdict::Ok, "the result keeps the stored result's keys and types".to_string())
                    } else {
                        (Verdict::Drift, format!("the result changed shape: {}", changes.join("; ")))
                    };
                    items.push(CheckItem::new(CheckKind::Example, format!("{subject} result"), verdict, detail));
                }
                base.get_or_insert((example.arguments.clone(), *o));
            }
            Outcome::Refused(d) => {
                items.push(CheckItem::new(CheckKind::Example, subject, Verdict::Drift, format!("now fails: {d}")))
            }
            Outcome::Unreachable(d) => items.push(CheckItem::new(CheckKind::Example, subject, Verdict::Unreachable, d)),
            Outcome::NotMade(d) => items.push(CheckItem::new(CheckKind::Example, subject, Verdict::Skipped, d)),
        }
    }
    Ok(base)
}

/// Without a stored example: the smallest call the document allows, as a stand-in.
async fn documented_call(
    op: &Operation,
    caller: &dyn ToolCaller,
    items: &mut Vec<CheckItem>,
    calls: &mut usize,
) -> Result<Option<(Value, Observation)>, CheckError> {
    let Some(seed) = next_seed(op, &[]) else {
        items.push(CheckItem::new(
            CheckKind::Example,
            "(documented call)",
            Verdict::Skipped,
            "the document gives no values to build a valid call from",
        ));
        return Ok(None);
    };
    let subject = "(documented call)";
    Ok(match call(caller, op, &seed.arguments, calls).await? {
        Outcome::Success(o) => {
            let detail = format!("the smallest call the document allows succeeds ({})", status(&o));
            items.push(CheckItem::new(CheckKind::Example, subject, Verdict::Ok, detail));
            Some((seed.arguments, *o))
        }
        // A call built from the schema alone may fairly be refused (an id that does not
        // exist): that is no evidence of drift.
        Outcome::Refused(d) | Outcome::NotMade(d) => {
            let detail = format!("the smallest call the document allows was refused ({d}); with no stored example, nothing that needs a working call could be checked");
            items.push(CheckItem::new(CheckKind::Example, subject, Verdict::Skipped, detail));
            None
        }
        Outcome::Unreachable(d) => {
            items.push(CheckItem::new(CheckKind::Example, subject, Verdict::Unreachable, d));
            None
        }
    })
}

fn status(o: &Observation) -> String {
    o.status.map_or_else(|| "no status".to_string(), |s| format!("HTTP {s}"))
}

fn response_schema(op: &Operation, obs: &Observation, items: &mut Vec<CheckItem>) {
    let subject = "schema";
    let Some(schema) = &op.response_schema else {
        items.push(CheckItem::new(
            CheckKind::ResponseSchema,
            subject,
            Verdict::Skipped,
            "no documented response schema",
        ));
        return;
    };
    let Some(data) = payload(op, obs) else {
        items.push(CheckItem::new(
            CheckKind::ResponseSchema,
            subject,
            Verdict::Skipped,
            "the response carries no JSON to check",
        ));
        return;
    };
    let violations = validate(schema, &data);
    if violations.is_empty() {
        items.push(CheckItem::new(CheckKind::ResponseSchema, subject, Verdict::Ok, "fits the documented schema"));
    } else {
        let shown: Vec<String> = violations.iter().take(3).map(ToString::to_string).collect();
        let more = if violations.len() > 3 { format!(" (and {} more)", violations.len() - 3) } else { String::new() };
        let detail = format!("no longer fits the documented schema: {}{more}", shown.join("; "));
        items.push(CheckItem::new(CheckKind::ResponseSchema, subject, Verdict::Drift, detail));
    }
}

fn without(args: &Value, name: &str) -> Value {
    let mut m = args.as_object().cloned().unwrap_or_default();
    m.remove(name);
    Value::Object(m)
}

fn with(args: &Value, name: &str, value: &Value) -> Value {
    let mut m: Map<String, Value> = args.as_object().cloned().unwrap_or_default();
    m.insert(name.to_string(), value.clone());
    Value::Object(m)
}

/// Each documented required parameter: a working call without it must fail.
async fn required(
    op: &Operation,
    caller: &dyn ToolCaller,
    base: &Value,
    items: &mut Vec<CheckItem>,
    calls: &mut usize,
) -> Result<(), CheckError> {
    for p in op.parameters.iter().filter(|p| p.required) {
        let subject = format!("`{}`", p.name);
        if p.location == Location::Path {
            let detail = "a path parameter cannot be left out of the URL";
            items.push(CheckItem::new(CheckKind::Required, subject, Verdict::Skipped, detail));
            continue;
        }
        if base.get(&p.name).is_none() {
            let detail = "documented as required, but a working call did without it";
            items.push(CheckItem::new(CheckKind::Required, subject, Verdict::Drift, detail));
            continue;
        }
        let item = match call(caller, op, &without(base, &p.name), calls).await? {
            Outcome::Refused(d) => (Verdict::Ok, format!("a call without it is refused ({})", clip(&d, 80))),
            Outcome::Success(o) => {
                (Verdict::Drift, format!("documented as required, but a call without it succeeded ({})", status(&o)))
            }
            Outcome::Unreachable(d) => (Verdict::Unreachable, d),
            Outcome::NotMade(d) => (Verdict::Skipped, d),
        };
        items.push(CheckItem::new(CheckKind::Required, subject, item.0, item.1));
    }
    Ok(())
}

/// Each documented enum value of each parameter (up to the configured number) is accepted.
async fn enums(
    op: &Operation,
    caller: &dyn ToolCaller,
    config: &CheckConfig,
    base: &Value,
    items: &mut Vec<CheckItem>,
    calls: &mut usize,
) -> Result<(), CheckError> {
    for p in &op.parameters {
        let values = if p.enum_values.is_empty() {
            p.schema.get("enum").and_then(Value::as_array).cloned().unwrap_or_default()
        } else {
            p.enum_values.clone()
        };
        for value in values.iter().take(config.max_enum_values) {
            let subject = format!("`{}` = {}", p.name, clip(&value.to_string(), 40));
            if base.get(&p.name).is_some_and(|b| json_equal(b, value)) {
                items.push(CheckItem::new(
                    CheckKind::Enum,
                    subject,
                    Verdict::Ok,
                    "accepted (the working call uses it)",
                ));
                continue;
            }
            let item = match call(caller, op, &with(base, &p.name, value), calls).await? {
                Outcome::Success(o) => (Verdict::Ok, format!("accepted ({})", status(&o))),
                Outcome::Refused(d) => (Verdict::Drift, format!("a documented value, now refused: {d}")),
                Outcome::Unreachable(d) => (Verdict::Unreachable, d),
                Outcome::NotMade(d) => (Verdict::Skipped, d),
            };
            items.push(CheckItem::new(CheckKind::Enum, subject, item.0, item.1));
        }
    }
    Ok(())
}

/// JSON kinds as a person says them: integers and other numbers are both numbers.
fn kind(v: &Value) -> &'static str {
    match type_name(v) {
        "integer" => "number",
        t => t,
    }
}

/// How `now` differs in shape from a stored result: keys that are gone and values whose JSON
/// type changed (a `null` on either side matches anything; arrays compare their first items,
/// since stored results are trimmed). At most [`MAX_CHANGES`].
pub fn shape_changes(stored: &Value, now: &Value) -> Vec<String> {
    let mut out = Vec::new();
    compare(stored, now, "", &mut out, 0);
    out.truncate(MAX_CHANGES);
    out
}

fn compare(stored: &Value, now: &Value, path: &str, out: &mut Vec<String>, depth: usize) {
    if out.len() >= MAX_CHANGES || depth > 12 || stored.is_null() || now.is_null() {
        return;
    }
    let shown = if path.is_empty() { "/" } else { path };
    if kind(stored) != kind(now) {
        out.push(format!("{shown} was a {}, now a {}", kind(stored), kind(now)));
        return;
    }
    match (stored, now) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                let p = format!("{path}/{}", k.replace('~', "~0").replace('/', "~1"));
                match b.get(k) {
                    Some(w) => compare(v, w, &p, out, depth + 1),
                    None => out.push(format!("{p} is gone")),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if let (Some(x), Some(y)) = (a.first(), b.first()) {
                compare(x, y, &format!("{path}/0"), out, depth + 1);
            }
        }
        _ => {}
    }
}
