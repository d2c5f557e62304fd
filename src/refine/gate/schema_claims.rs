//! What a rewrite says that the operation's structured fields already settle: a parameter's
//! default ("Defaults to 10"), its bounds ("up to 50", "between 1 and 100", "at least 3
//! characters"), the values it takes ("asc, desc or random"), and the top-level kind of the
//! response ("Returns a JSON object" when every call returned an array). A weak model writes
//! these from the calls it made ("10" because it sent 10) or from habit; the schema and the
//! calls say otherwise, so each is a `contradiction`.
//!
//! A claim is let through when the text it replaces (or the original) says the same value,
//! when an analyzer's mismatch names it (the calls showed the schema wrong), and, for a bound,
//! when a call showed it: a failed call with a value between the claimed bound and the
//! schema's, or a successful one beyond the schema's bound and within the claimed one.

use super::text::sentences;
use super::{GateRule, GateViolation};
use crate::doc::{Operation, Parameter};
use crate::lowercase::Lowercase;
use crate::refine::evidence::{payload, Trail};
use serde_json::Value;
use std::collections::BTreeMap;

/// A word of a text, lowercased; numbers keep their inner `.` and `,` ("1,000", "2.5").
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let digit_next = chars.peek().is_some_and(char::is_ascii_digit);
        let inner_sep = matches!(c, '.' | ',') && cur.ends_with(|p: char| p.is_ascii_digit()) && digit_next;
        let sign = c == '-' && cur.is_empty() && digit_next;
        if c.is_alphanumeric() || c == '_' || inner_sep || sign {
            crate::lowercase::push_lowercase(&mut cur, c);
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            if matches!(c, '<' | '>' | '≤' | '≥' | '=') {
                out.push(c.to_string());
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn number(w: &str) -> Option<f64> {
    if !w.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    crate::decimal::decimal(&w.replace(',', ""))
}

/// Which of a parameter's bounds a claim names.
#[derive(Clone, Copy, PartialEq)]
enum Bound {
    Max,
    Min,
}

/// A bound a text claims: which, its value as written, and the word after it ("characters").
struct Claim {
    bound: Bound,
    value: f64,
    written: String,
    unit: String,
    range: bool,
}

/// The bounds a token stream claims: "maximum 50", "max: 50", "at most 50", "up to 50", "no
/// more than 50", "≤ 50", "<= 50", "cannot exceed 50", "minimum 1", "at least 1", "no less
/// than 1", "≥ 1", "between 1 and 100", "from 1 to 100". Exclusive words ("less than") are not
/// read.
fn claimed_bounds(ws: &[String]) -> Vec<Claim> {
    let mut out = Vec::new();
    let at = |i: usize| ws.get(i).map(String::as_str).unwrap_or("");
    let claim = |bound, j: usize, range| {
        number(at(j)).map(|value| Claim {
            bound,
            value,
            written: at(j).to_string(),
            unit: at(j + 1).to_string(),
            range,
        })
    };
    for i in 0..ws.len() {
        let (bound, next) = match (at(i), at(i + 1), at(i + 2)) {
            ("maximum" | "max", ..) | ("≤", ..) | ("at" | "no" | "not", "most", _) | ("up", "to", _) => {
                (Bound::Max, if at(i + 1) == "most" || at(i + 1) == "to" { i + 2 } else { i + 1 })
            }
            ("<", "=", _) => (Bound::Max, i + 2),
            ("cannot" | "never", "exceed", _) => (Bound::Max, i + 2),
            ("no" | "not", "more", "than") | ("must", "not", "exceed") => (Bound::Max, i + 3),
            ("minimum" | "min", ..) | ("≥", ..) => (Bound::Min, i + 1),
            (">", "=", _) | ("at", "least", _) => (Bound::Min, i + 2),
            ("no" | "not", "less" | "fewer", "than") => (Bound::Min, i + 3),
            ("between" | "from", _, "and" | "to") => {
                if let (Some(a), Some(b)) = (claim(Bound::Min, i + 1, true), claim(Bound::Max, i + 3, true)) {
                    out.push(a);
                    out.push(b);
                }
                continue;
            }
            _ => continue,
        };
        let mut j = next;
        while matches!(at(j), "of" | "is" | "value" | "the" | "=" | "allowed" | "permitted" | "be") {
            j += 1;
        }
        out.extend(claim(bound, j, false));
    }
    out
}

/// The value a token stream gives as a default: "defaults to 10", "default: 10", "(default
/// 10)", "default value is true", "10 by default".
fn claimed_default(ws: &[String]) -> Option<String> {
    for i in 0..ws.len() {
        if matches!(ws[i].as_str(), "default" | "defaults" | "defaulting") && !(i > 0 && ws[i - 1] == "by") {
            let mut j = i + 1;
            while ws
                .get(j)
                .is_some_and(|w| matches!(w.as_str(), "to" | "is" | "of" | "value" | "=" | "will" | "be" | "set"))
            {
                j += 1;
            }
            if let Some(w) = ws.get(j).filter(|w| number(w).is_some() || matches!(w.as_str(), "true" | "false")) {
                return Some(w.clone());
            }
        }
        if i >= 1 && ws[i] == "by" && ws.get(i + 1).is_some_and(|w| w == "default") {
            let v = &ws[i - 1];
            if number(v).is_some() || matches!(v.as_str(), "true" | "false") {
                return Some(v.clone());
            }
        }
    }
    None
}

fn same_value(claim: &str, v: &Value) -> bool {
    match v {
        Value::Number(n) => n.as_f64().is_some_and(|x| number(claim) == Some(x)),
        Value::Bool(b) => claim == if *b { "true" } else { "false" },
        Value::String(s) => s.eq_ignore_ascii_case(claim) || number(s).is_some_and(|x| number(claim) == Some(x)),
        _ => false,
    }
}

/// The schema's bound of a kind, as the unit the schema's type counts in.
fn schema_bound(schema: &Value, bound: Bound) -> Option<(f64, Option<f64>)> {
    let ty = schema.get("type").and_then(Value::as_str).unwrap_or("");
    let (inclusive, exclusive) = match (ty, bound) {
        ("string", Bound::Max) => ("maxLength", ""),
        ("string", Bound::Min) => ("minLength", ""),
        ("array", Bound::Max) => ("maxItems", ""),
        ("array", Bound::Min) => ("minItems", ""),
        ("integer" | "number", Bound::Max) => ("maximum", "exclusiveMaximum"),
        ("integer" | "number", Bound::Min) => ("minimum", "exclusiveMinimum"),
        _ => return None,
    };
    let f = |k: &str| schema.get(k).and_then(Value::as_f64);
    match (f(inclusive), f(exclusive)) {
        (Some(x), _) => Some((x, None)),
        (None, Some(e)) => {
            let step = if ty == "integer" { 1.0 } else { 0.0 };
            let inner = if bound == Bound::Max { e - step } else { e + step };
            Some((inner, Some(e)))
        }
        _ => None,
    }
}

/// What each call that reached the tool sent for `p`, counted as its schema's bounds count
/// (a number's value, a string's characters, an array's items), and whether it failed.
fn sent<'a>(trails: &'a [Trail], p: &'a Parameter) -> impl Iterator<Item = (f64, bool)> + 'a {
    let numeric = matches!(p.schema.get("type").and_then(Value::as_str), Some("integer" | "number"));
    trails.iter().filter_map(move |t| {
        let n = match t.arguments.get(&p.name)? {
            Value::Number(n) => n.as_f64()?,
            Value::String(s) if numeric => number(s)?,
            Value::String(s) => s.chars().count() as f64,
            Value::Array(a) => a.len() as f64,
            _ => return None,
        };
        Some((n, t.observation.as_ref()?.is_error))
    })
}

/// Whether a call showed the claimed bound rather than the schema's: a failed call inside a
/// tighter claim's cut, or a successful one inside a looser claim's extension.
fn calls_show(trails: &[Trail], p: &Parameter, bound: Bound, claim: f64, schema: f64) -> bool {
    sent(trails, p).any(|(v, failed)| match (bound, claim < schema) {
        (Bound::Max, true) => failed && claim < v && v <= schema,
        (Bound::Max, false) => !failed && schema < v && v <= claim,
        (Bound::Min, false) => failed && schema <= v && v < claim,
        (Bound::Min, true) => !failed && claim <= v && v < schema,
    })
}

/// Whether a claim's unit fits the schema's kind: a string's bounds count characters, a
/// number's are its value.
fn unit_fits(schema: &Value, c: &Claim) -> bool {
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => !c.range && matches!(c.unit.as_str(), "characters" | "chars" | "letters" | "symbols"),
        Some("array") => !c.range,
        Some("integer" | "number") => {
            !matches!(c.unit.as_str(), "characters" | "chars" | "digits" | "letters" | "items" | "elements" | "times")
        }
        _ => false,
    }
}

fn enum_strings(p: &Parameter) -> Vec<String> {
    let schema_enum = p.schema.get("enum").and_then(Value::as_array).into_iter().flatten();
    let item_enum = p.schema.pointer("/items/enum").and_then(Value::as_array).into_iter().flatten();
    p.enum_values
        .iter()
        .chain(schema_enum)
        .chain(item_enum)
        .filter_map(Value::as_str)
        .map(crate::lowercase::lowercase)
        .collect()
}

/// A value listed beside two or more of the schema's values that the schema does not allow:
/// "asc, desc or random". A list's items are split at commas, `/`, `|`, "or" and "and"; a
/// one-word item counts, and so do the last word before the list and the first word of its
/// last item after "or"/"and"; an item is read only next to one of the schema's values, and
/// the word before the list only as one of them.
fn foreign_listed(text: &str, allowed: &[String]) -> Option<String> {
    let mut plain = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    for sentence in sentences(&plain, true) {
        let clause = sentence.rsplit(':').next().unwrap_or(sentence);
        // Each item with whether a word ("or", "and") rather than a mark opened it.
        let mut items: Vec<(Vec<String>, bool)> = vec![(Vec::new(), false)];
        for w in clause.split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '.')) {
            for (k, part) in w.split([',', '/', '|']).enumerate() {
                if k > 0 {
                    items.push((Vec::new(), false));
                }
                let lw = part.lowercase();
                if matches!(lw.as_str(), "or" | "and" | "either") {
                    items.push((Vec::new(), true));
                } else if let Some(item) = items.last_mut().filter(|_| !lw.is_empty()) {
                    item.0.push(lw);
                }
            }
        }
        items.retain(|(it, _)| !it.is_empty());
        let n = items.len();
        let is_allowed = |w: &str| allowed.iter().any(|a| a == w);
        // (word, may be flagged)
        let single: Vec<Option<(&String, bool)>> = items
            .iter()
            .enumerate()
            .map(|(i, (it, by_word))| match (i, it.as_slice()) {
                (_, [one]) => Some((one, true)),
                (0, [.., last]) => Some((last, false)),
                (i, [first, ..]) if i + 1 == n && *by_word => Some((first, true)),
                _ => None,
            })
            .collect();
        let allowed_at = |j: usize| single.get(j).copied().flatten().is_some_and(|(w, _)| is_allowed(w));
        if (0..n).filter(|&j| allowed_at(j)).count() < 2 {
            continue;
        }
        for (i, item) in single.iter().enumerate() {
            let Some((w, true)) = *item else { continue };
            let listed_word = !is_allowed(w)
                && w.chars().any(char::is_alphanumeric)
                && !crate::refine::words::is_stopword(w)
                && !matches!(w.as_str(), "etc" | "others" | "more" | "similar" | "values" | "value");
            if listed_word && ((i > 0 && allowed_at(i - 1)) || allowed_at(i + 1)) {
                return Some(w.clone());
            }
        }
    }
    None
}

/// The top-level kind a sentence says the response is, right after a verb of returning:
/// "Returns a JSON object …", "Returns a single post …" (object); "Returns a JSON array …"
/// (array). "A list" is not read: a list wrapped in an object is one.
fn claimed_top_kind(ws: &[String]) -> Option<&'static str> {
    for (i, w) in ws.iter().enumerate() {
        if !matches!(w.as_str(), "returns" | "return" | "retrieves" | "yields" | "gives" | "outputs" | "fetches") {
            continue;
        }
        let mut single = false;
        for (k, x) in ws.iter().enumerate().skip(i + 1).take(4) {
            let possessive = ws.get(k + 1).is_some_and(|n| n == "s");
            match x.as_str() {
                "a" | "an" | "one" | "exactly" | "json" => {}
                "single" => single = true,
                "object" => return Some("object"),
                "array" => return Some("array"),
                _ if single
                    && !possessive
                    && !matches!(x.as_str(), "list" | "page" | "batch" | "set" | "collection") =>
                {
                    return Some("object")
                }
                _ => break,
            }
        }
    }
    None
}

/// Whether one of `texts` says `word` (a claim the replaced text or a mismatch already made).
fn said_in(word: &str, texts: &[&str], mismatches: &[String]) -> bool {
    let says = |t: &str| tokens(t).iter().any(|w| w == word);
    texts.iter().any(|t| says(t)) || mismatches.iter().any(|t| says(t))
}

/// The contradictions of `description` and `parameters` (the rewrite's texts) with `op`'s
/// structured fields and the calls; `current` holds the texts they replace. Those of a
/// parameter's own description come first, one per parameter with its name (the parameter
/// may keep its description instead); then those of the operation's description.
pub(super) fn contradictions(
    op: &Operation,
    current: &Operation,
    description: &str,
    parameters: &BTreeMap<String, String>,
    trails: &[Trail],
    mismatches: &[String],
) -> (Vec<(String, GateViolation)>, Vec<String>) {
    let mut own_out: Vec<(String, GateViolation)> = Vec::new();
    let mut out = Vec::new();
    let sentence_tokens: Vec<Vec<String>> = sentences(description, true).into_iter().map(tokens).collect();
    for p in &op.parameters {
        let old = current.parameter(&p.name).map_or("", |c| c.description.as_str());
        let said = [old, p.description.as_str(), current.description.as_str()];
        // The parameter's own description, then what the operation's description says right
        // after the parameter's name, in sentences that name no other parameter.
        let mut texts: Vec<Vec<String>> = parameters.get(&p.name).map(|t| tokens(t)).into_iter().collect();
        let own = texts.len();
        let lname = p.name.lowercase();
        for ws in &sentence_tokens {
            let others = op.parameters.iter().any(|q| q.name != p.name && ws.contains(&q.name.lowercase()));
            if let Some(at) = ws.iter().position(|w| *w == lname).filter(|_| !others) {
                texts.push(ws[at..ws.len().min(at + 9)].to_vec());
            }
        }
        let default = p.default.as_ref().or_else(|| p.schema.get("default"));
        let mut found: Vec<(bool, String)> = Vec::new();
        for (k, ws) in texts.iter().enumerate() {
            let mut out = Vec::new();
            if let (Some(d), Some(claim)) = (default, claimed_default(ws)) {
                if !same_value(&claim, d) && !said_in(&claim, &said, mismatches) {
                    out.push(format!("it says \"{}\" defaults to {claim}, but its schema's default is {d}", p.name));
                }
            }
            // "up to 20 posts per page" bounds what each page holds, not the page's number.
            let distributive = ws.iter().any(|w| matches!(w.as_str(), "per" | "each" | "every"));
            for c in claimed_bounds(ws).into_iter().filter(|_| !distributive) {
                let Some((limit, exclusive)) = schema_bound(&p.schema, c.bound) else { continue };
                if c.value == limit
                    || exclusive == Some(c.value)
                    || !unit_fits(&p.schema, &c)
                    || said_in(&c.written, &said, mismatches)
                    || calls_show(trails, p, c.bound, c.value, limit)
                {
                    continue;
                }
                let (word, schema_word) =
                    if c.bound == Bound::Max { ("at most", "up to") } else { ("at least", "from") };
                out.push(format!(
                    "it says \"{}\" is {word} {}, but its schema allows {schema_word} {limit} and no call showed otherwise",
                    p.name, c.written
                ));
            }
            found.extend(out.into_iter().map(|m| (k < own, m)));
        }
        let allowed = enum_strings(p);
        if let (1, Some(text)) = (own, parameters.get(&p.name).filter(|_| !allowed.is_empty())) {
            if let Some(w) = foreign_listed(text, &allowed) {
                let sent = trails.iter().any(|t| {
                    t.succeeded()
                        && t.arguments.get(&p.name).and_then(Value::as_str).is_some_and(|s| s.eq_ignore_ascii_case(&w))
                });
                if !sent && !said_in(&w, &said, mismatches) {
                    found.push((
                        true,
                        format!(
                            "it lists \"{w}\" among the values of \"{}\", but its schema allows only {}",
                            p.name,
                            allowed.join(", ")
                        ),
                    ));
                }
            }
        }
        for (in_own, message) in found {
            if !in_own {
                out.push(message);
            } else if !own_out.iter().any(|(n, _)| *n == p.name) {
                own_out.push((p.name.clone(), GateViolation { rule: GateRule::Contradiction, message }));
            }
        }
    }
    out.dedup();
    // The top-level kind every successful call returned: an array (true) or an object (false).
    // An object that wraps an array ({"items": […]}) is not read: "returns an array of items" is
    // loose about it, not wrong.
    let mut arrays = trails
        .iter()
        .filter_map(|t| t.observation.as_ref().filter(|o| o.is_success()).and_then(|o| payload(op, o)))
        .map(|v| match &v {
            Value::Array(_) => Some(true),
            Value::Object(m) if !m.values().any(Value::is_array) => Some(false),
            _ => None,
        });
    let Some(Some(array)) = arrays.next() else { return (own_out, out) };
    if !arrays.all(|k| k == Some(array)) {
        return (own_out, out);
    }
    let (first, other) = if array { ("array", "object") } else { ("object", "array") };
    let claims = |text: &str| sentences(text, true).into_iter().any(|s| claimed_top_kind(&tokens(s)) == Some(other));
    if claims(description) && !claims(&current.description) && !claims(&op.description) {
        out.push(format!("it says the response is a JSON {other}, but every call returned a JSON {first}"));
    }
    (own_out, out)
}

#[cfg(test)]
#[path = "schema_claims_tests.rs"]
mod tests;
