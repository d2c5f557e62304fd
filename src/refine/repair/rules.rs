//! The rules that turn trails into [`SchemaChange`]s, one function per kind of change.

use super::call::{conflict, ids, proved, Call, MAX_TRAILS};
use super::messages::{claims, Claim};
use super::{field, ChangeKind, SchemaChange};
use crate::doc::{Location, Operation, Parameter};
use crate::refine::evidence::{mentions_word, schema_payload, Trail};
use crate::refine::shape;
use crate::schema::{is_valid, json_equal, validate};
use crate::tools::ToolError;
use serde_json::{json, Value};

/// The text of a failure the tool itself reported (a 4xx body or an MCP error result, or a
/// JSON-RPC error); `None` for server errors and failures that never reached the tool.
pub(crate) fn error_text(t: &Trail) -> Option<String> {
    if t.succeeded() {
        return None;
    }
    match (&t.observation, &t.error) {
        (Some(o), _) if o.status.is_none_or(|s| s < 500) => {
            let mut text = o.body.clone();
            if let Some(j) = &o.json {
                let mut leaves = Vec::new();
                string_leaves(j, &mut leaves, 0);
                if !leaves.is_empty() {
                    text = leaves.join("\n");
                }
            }
            Some(text)
        }
        (None, Some(ToolError::Protocol { message, .. })) => Some(message.clone()),
        _ => None,
    }
}

fn string_leaves(v: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 8 || out.len() > 50 {
        return;
    }
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| string_leaves(x, out, depth + 1)),
        Value::Object(m) => m.values().for_each(|x| string_leaves(x, out, depth + 1)),
        _ => {}
    }
}

/// Every change the trails prove for `op`, and every conflict, in parameter order; then the
/// response schema.
pub fn propose(op: &Operation, trails: &[Trail]) -> Vec<SchemaChange> {
    let mut out = propose_parameters(op, trails);
    out.extend(response_schema(op, trails));
    out
}

/// The changes and conflicts of [`propose`] about parameters only: what the models are shown
/// during a run (inferring the response schema from every response is the dear part, and the
/// run needs it only for the report).
pub fn propose_parameters(op: &Operation, trails: &[Trail]) -> Vec<SchemaChange> {
    let calls: Vec<Call<'_>> = trails
        .iter()
        .map(|t| Call { id: &t.id, ok: t.succeeded(), args: t.arguments.as_object(), error: error_text(t) })
        .collect();
    let names: Vec<&str> = op.parameters.iter().map(|p| p.name.as_str()).collect();
    let said: Vec<Vec<(String, Claim)>> =
        calls.iter().map(|c| c.error.as_deref().map(|e| claims(e, &names)).unwrap_or_default()).collect();
    let mut out = Vec::new();
    for p in &op.parameters {
        let about: Vec<(&Call<'_>, &Claim)> = calls
            .iter()
            .zip(&said)
            .flat_map(|(c, cl)| cl.iter().filter(|(n, _)| *n == p.name).map(move |(_, claim)| (c, claim)))
            .collect();
        out.extend(required(p, &calls));
        out.extend(super::nested::required(p, &calls));
        let typed = type_change(op, p, &calls, &about);
        out.extend(enum_change(op, p, &calls, &about, typed.as_ref()));
        out.extend(typed);
        out.extend(string_rule(op, p, &calls, &about, ChangeKind::Format));
        out.extend(string_rule(op, p, &calls, &about, ChangeKind::Pattern));
    }
    out
}

fn required(p: &Parameter, calls: &[Call<'_>]) -> Option<SchemaChange> {
    let omitted = |c: &&Call<'_>| c.value(&p.name).is_none();
    let failed_naming: Vec<&Call<'_>> = calls
        .iter()
        .filter(omitted)
        .filter(|c| !c.ok && c.error.as_deref().is_some_and(|e| mentions_word(e, &p.name)))
        .collect();
    let ok_without: Vec<&Call<'_>> = calls.iter().filter(omitted).filter(|c| c.ok).collect();
    let with: Vec<&Call<'_>> = calls.iter().filter(|c| c.ok && c.value(&p.name).is_some()).collect();
    let base = |after: bool| {
        SchemaChange::new(ChangeKind::Required, Some(&p.name), "/required", json!(p.required), json!(after))
    };
    match (p.required, failed_naming.is_empty(), ok_without.is_empty()) {
        (_, false, false) => Some(conflict(
            base(!p.required),
            ids(failed_naming.iter().chain(&ok_without).copied()),
            format!("a call without {} failed naming it, but another call without it succeeded", p.name),
        )),
        (false, false, true) => Some(proved(
            base(true),
            ids(failed_naming.iter().chain(&with).copied()),
            format!("calls without {} failed with an error naming it; every successful call had it", p.name),
        )),
        (true, true, false) if p.location != Location::Path => Some(proved(
            base(false),
            ids(ok_without.iter().copied()),
            format!("a call without {} succeeded, so it is not required", p.name),
        )),
        _ => None,
    }
}

/// The documented types of a parameter (`[]`: any).
fn doc_types(p: &Parameter) -> Vec<String> {
    match p.schema.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        _ => vec![],
    }
}

fn type_change(
    _op: &Operation,
    p: &Parameter,
    calls: &[Call<'_>],
    about: &[(&Call<'_>, &Claim)],
) -> Option<SchemaChange> {
    let claimed: Vec<(&Call<'_>, &str)> = about
        .iter()
        .filter_map(|(c, cl)| match cl {
            Claim::Type(t) => Some((*c, t.as_str())),
            _ => None,
        })
        .collect();
    let nulls: Vec<&Call<'_>> = calls.iter().filter(|c| c.ok && c.value(&p.name).is_some_and(Value::is_null)).collect();
    let documented = doc_types(p);
    let before = field(_op, Some(&p.name), "/schema/type");
    let mut t: Option<String> = None;
    if let Some((_, first)) = claimed.first() {
        let mut kinds: Vec<&str> = claimed.iter().map(|(_, t)| *t).collect();
        crate::order::sort(&mut kinds);
        kinds.dedup();
        if kinds == ["integer", "number"] {
            kinds = vec!["integer"];
        }
        let base = SchemaChange::new(ChangeKind::Type, Some(&p.name), "/schema/type", before.clone(), Value::Null);
        if kinds.len() > 1 {
            return Some(conflict(
                base,
                ids(claimed.iter().map(|(c, _)| *c)),
                format!("errors disagree on the type of {}: {}", p.name, kinds.join(", ")),
            ));
        }
        let want = if kinds.is_empty() { *first } else { kinds[0] };
        let misfit: Vec<&Call<'_>> = calls
            .iter()
            .filter(|c| c.ok && c.value(&p.name).is_some_and(|v| !v.is_null() && !is_valid(&json!({"type": want}), v)))
            .collect();
        if !misfit.is_empty() {
            return Some(conflict(
                base,
                ids(claimed.iter().map(|(c, _)| *c).chain(misfit)),
                format!("an error said {} must be {want}, but a call with another type succeeded", p.name),
            ));
        }
        let same = documented.iter().any(|d| d == want || (d == "integer" && want == "number"));
        if !same {
            t = Some(want.to_string());
        }
    }
    let nullable = !nulls.is_empty() && !documented.is_empty() && !documented.iter().any(|d| d == "null");
    let nullable = nullable && p.schema.get("nullable").and_then(Value::as_bool) != Some(true);
    match (t, nullable) {
        (None, false) => None,
        (Some(t), false) => Some(proved(
            SchemaChange::new(ChangeKind::Type, Some(&p.name), "/schema/type", before, json!(t)),
            ids(claimed.iter().map(|(c, _)| *c)),
            format!("the tool's error said {} must be {t}", p.name),
        )),
        (t, true) => {
            let base = t.clone().unwrap_or_else(|| documented[0].clone());
            let mut list: Vec<Value> = match &t {
                Some(t) => vec![json!(t)],
                None => documented.iter().map(|d| json!(d)).collect(),
            };
            list.push(json!("null"));
            let kind = if t.is_some() { ChangeKind::Type } else { ChangeKind::Nullable };
            Some(proved(
                SchemaChange::new(kind, Some(&p.name), "/schema/type", before, Value::Array(list)),
                ids(claimed.iter().map(|(c, _)| *c).chain(nulls)),
                format!("a call with {} = null succeeded, so it is a nullable {base}", p.name),
            ))
        }
    }
}

fn enum_change(
    op: &Operation,
    p: &Parameter,
    calls: &[Call<'_>],
    about: &[(&Call<'_>, &Claim)],
    typed: Option<&SchemaChange>,
) -> Option<SchemaChange> {
    let listed: Vec<(&Call<'_>, &Vec<String>)> = about
        .iter()
        .filter_map(|(c, cl)| match cl {
            Claim::Enum(v) => Some((*c, v)),
            _ => None,
        })
        .collect();
    let (_, first) = listed.first()?;
    let before = field(op, Some(&p.name), "/enumValues");
    let base = SchemaChange::new(ChangeKind::Enum, Some(&p.name), "/enumValues", before.clone(), Value::Null);
    let set = |v: &Vec<String>| {
        let mut s = v.clone();
        crate::order::sort(&mut s);
        s
    };
    if listed.iter().any(|(_, v)| set(v) != set(first)) {
        return Some(conflict(
            base,
            ids(listed.iter().map(|(c, _)| *c)),
            format!("errors list different allowed values for {}", p.name),
        ));
    }
    let numeric = match typed.map(|c| &c.after) {
        Some(Value::String(t)) => t == "integer" || t == "number",
        _ => doc_types(p).iter().any(|t| t == "integer" || t == "number"),
    };
    let values: Vec<Value> = first
        .iter()
        .map(|s| match (numeric, crate::decimal::decimal(s)) {
            (true, Some(_)) => serde_json::from_str::<Value>(s).unwrap_or_else(|_| json!(s)),
            _ => json!(s),
        })
        .collect();
    let misfit: Vec<&Call<'_>> = calls
        .iter()
        .filter(|c| c.ok && c.value(&p.name).is_some_and(|v| !v.is_null() && !values.iter().any(|e| json_equal(e, v))))
        .collect();
    if !misfit.is_empty() {
        return Some(conflict(
            base,
            ids(listed.iter().map(|(c, _)| *c).chain(misfit)),
            format!("an error listed the allowed values of {}, but a call with another value succeeded", p.name),
        ));
    }
    let documented = &p.enum_values;
    let same = documented.len() == values.len() && values.iter().all(|v| documented.iter().any(|d| json_equal(d, v)));
    if same {
        return None;
    }
    let with: Vec<&Call<'_>> = calls.iter().filter(|c| c.ok && c.value(&p.name).is_some()).collect();
    Some(proved(
        SchemaChange { after: Value::Array(values), ..base },
        ids(listed.iter().map(|(c, _)| *c).chain(with)),
        format!("the tool's error listed the allowed values of {}", p.name),
    ))
}

/// True when a string fits a JSON Schema format (the common ones; others are not checked).
fn fits_format(format: &str, s: &str) -> bool {
    let digits = |x: &str, n: usize| x.len() == n && x.bytes().all(|b| b.is_ascii_digit());
    let date = |x: &str| {
        let parts: Vec<&str> = x.split('-').collect();
        parts.len() == 3 && digits(parts[0], 4) && digits(parts[1], 2) && digits(parts[2], 2)
    };
    match format {
        "date" => date(s),
        "date-time" => s.len() > 11 && date(&s[..10.min(s.len())]) && matches!(s.as_bytes()[10], b'T' | b't' | b' '),
        "time" => s.len() >= 5 && digits(&s[..2], 2) && s.as_bytes()[2] == b':' && digits(&s[3..5], 2),
        "email" => s.split_once('@').is_some_and(|(a, b)| !a.is_empty() && b.contains('.')),
        "uri" => s.split_once(':').is_some_and(|(scheme, _)| !scheme.is_empty()),
        "uuid" => s.len() == 36 && s.char_indices().all(|(i, c)| matches!(i, 8 | 13 | 18 | 23) == (c == '-')),
        "ipv4" => s.split('.').filter(|x| x.parse::<u8>().is_ok()).count() == 4 && s.split('.').count() == 4,
        _ => true,
    }
}

/// A format or a pattern an error asked for: `kind` is [`ChangeKind::Format`] or
/// [`ChangeKind::Pattern`]. Values that worked must fit a format (patterns are not checked:
/// the core has no regex engine).
fn string_rule(
    op: &Operation,
    p: &Parameter,
    calls: &[Call<'_>],
    about: &[(&Call<'_>, &Claim)],
    kind: ChangeKind,
) -> Option<SchemaChange> {
    let (pointer, what) =
        if kind == ChangeKind::Format { ("/schema/format", "format") } else { ("/schema/pattern", "pattern") };
    let asked: Vec<(&Call<'_>, &str)> = about
        .iter()
        .filter_map(|(c, cl)| match (cl, kind) {
            (Claim::Format(f), ChangeKind::Format) | (Claim::Pattern(f), ChangeKind::Pattern) => Some((*c, f.as_str())),
            _ => None,
        })
        .collect();
    let (_, first) = asked.first()?;
    let before = field(op, Some(&p.name), pointer);
    let base = SchemaChange::new(kind, Some(&p.name), pointer, before.clone(), Value::Null);
    if asked.iter().any(|(_, f)| f != first) {
        return Some(conflict(
            base,
            ids(asked.iter().map(|(c, _)| *c)),
            format!("errors ask for different {what}s of {}", p.name),
        ));
    }
    let misfit: Vec<&Call<'_>> = calls
        .iter()
        .filter(|c| kind == ChangeKind::Format && c.ok)
        .filter(|c| c.value(&p.name).and_then(Value::as_str).is_some_and(|s| !fits_format(first, s)))
        .collect();
    if !misfit.is_empty() {
        return Some(conflict(
            base,
            ids(asked.iter().map(|(c, _)| *c).chain(misfit)),
            format!("an error asked for {} in {first} format, but a call with another form succeeded", p.name),
        ));
    }
    if before.as_str() == Some(first) {
        return None;
    }
    let with = calls.iter().filter(|c| c.ok && c.value(&p.name).is_some());
    Some(proved(
        SchemaChange { after: json!(first), ..base },
        ids(asked.iter().map(|(c, _)| *c).chain(with)),
        format!("the tool's error asked for {} in this {what}: {first}", p.name),
    ))
}

/// The response schema inferred from successful responses where the document has none; a
/// documented one that an observed response does not fit is listed as a conflict.
fn response_schema(op: &Operation, trails: &[Trail]) -> Option<SchemaChange> {
    let seen: Vec<(&str, Value)> = trails
        .iter()
        .filter(|t| t.succeeded())
        .filter_map(|t| t.observation.as_ref().and_then(|o| schema_payload(op, o)).map(|v| (t.id.as_str(), v)))
        .collect();
    if seen.is_empty() {
        return None;
    }
    let base = SchemaChange::new(
        ChangeKind::ResponseSchema,
        None,
        "/responseSchema",
        field(op, None, "/responseSchema"),
        Value::Null,
    );
    match &op.response_schema {
        None => {
            let mut merged: Option<Value> = None;
            for (_, v) in &seen {
                let s = shape::infer(v);
                merged = Some(match merged {
                    Some(m) => shape::merge(&m, &s),
                    None => s,
                });
            }
            let trail_ids = seen.iter().take(MAX_TRAILS).map(|(id, _)| id.to_string()).collect();
            Some(proved(
                SchemaChange { after: merged.unwrap_or(Value::Null), ..base },
                trail_ids,
                "inferred from the successful responses (the document has no response schema)".into(),
            ))
        }
        Some(documented) => {
            let misfit: Vec<(&str, String)> = seen
                .iter()
                .filter_map(|(id, v)| validate(documented, v).first().map(|x| (*id, x.to_string())))
                .collect();
            let (_, first) = misfit.first()?;
            Some(conflict(
                base,
                misfit.iter().take(MAX_TRAILS).map(|(id, _)| id.to_string()).collect(),
                format!("an observed response does not fit the documented schema ({first}); the schema is kept"),
            ))
        }
    }
}
