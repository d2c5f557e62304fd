//! A small JSON Schema validator: enough of draft 2020-12 / draft-07 (and OpenAPI 3.0's
//! `nullable`) to check a model's structured output and a call's arguments, with messages
//! that name the failing path and say what was expected.
//!
//! Supported: boolean schemas, `type` (one or a list; `integer` accepts `1.0`), `nullable`,
//! `enum`, `const`, `minimum`/`maximum`/`exclusiveMinimum`/`exclusiveMaximum` (numbers, or the
//! draft-04 booleans), `multipleOf`, `minLength`/`maxLength` (in characters),
//! `minItems`/`maxItems`/`uniqueItems`/`contains`, `items` (a schema, or a tuple list with
//! `additionalItems`), `prefixItems`, `required`, `properties`, `additionalProperties`
//! (`false` or a schema), `minProperties`/`maxProperties`, `propertyNames`, `dependentRequired`,
//! `allOf`/`anyOf`/`oneOf`/`not`, `if`/`then`/`else`, and local `$ref` (`#`, `#/$defs/…`,
//! `#/definitions/…`, any JSON pointer into the same schema). Not checked: `pattern` and
//! `patternProperties` (no regex engine in the core; `additionalProperties` is not enforced
//! next to `patternProperties`), `format`, remote `$ref`s.
//!
//! ```
//! use serde_json::json;
//! let schema = json!({"type": "object", "required": ["q"], "properties": {"q": {"type": "string"}}});
//! assert!(tooldraft::schema::validate(&schema, &json!({"q": "hi"})).is_empty());
//! assert_eq!(tooldraft::schema::validate(&schema, &json!({})).len(), 1);
//! let v = tooldraft::schema::validate(&json!({"enum": ["a", "b"]}), &json!("c"));
//! assert_eq!(v[0].to_string(), r#"/: must be one of "a", "b""#);
//! ```

use serde_json::{Map, Value};
use std::cell::Cell;

/// One way a value fails its schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer to the failing value (`""` is the root).
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = if self.path.is_empty() { "/" } else { &self.path };
        write!(f, "{path}: {}", self.message)
    }
}

/// Every violation of `schema` by `value` (empty when valid), at most 100.
pub fn validate(schema: &Value, value: &Value) -> Vec<Violation> {
    let steps = Cell::new(0);
    let mut cx = Cx { root: schema, out: Vec::new(), steps: &steps };
    cx.check(schema, value, "", 0);
    if steps.get() > MAX_STEPS {
        // Cut short: the value is not known to fit, so it does not.
        cx.out.truncate(MAX_VIOLATIONS - 1);
        let message = format!("the schema is too complex to check (more than {MAX_STEPS} steps)");
        cx.out.push(Violation { path: String::new(), message });
    }
    cx.out
}

/// True when `value` fits `schema`.
pub fn is_valid(schema: &Value, value: &Value) -> bool {
    validate(schema, value).is_empty()
}

const MAX_VIOLATIONS: usize = 100;
const MAX_DEPTH: usize = 64;
/// Most schema nodes one validation visits: `anyOf`s of references back to the root branch
/// at every level, so without a budget a 60-byte schema takes 2^32 steps.
const MAX_STEPS: usize = 200_000;

/// The name of a value's JSON type (`integer` for whole numbers).
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn type_matches(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => is_integer(v),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        _ => true,
    }
}

fn is_integer(v: &Value) -> bool {
    match v {
        Value::Number(n) => n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.is_finite() && f.fract() == 0.0),
        _ => false,
    }
}

/// JSON equality where `1` equals `1.0`.
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_equal(a, b)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

/// A short rendering of a value for messages.
fn show(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(57).collect::<String>())
    } else {
        s
    }
}

fn escape_token(k: &str) -> String {
    k.replace('~', "~0").replace('/', "~1")
}

fn num(v: Option<&Value>) -> Option<f64> {
    v.and_then(Value::as_f64)
}

fn fmt_num(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

struct Cx<'a> {
    root: &'a Value,
    out: Vec<Violation>,
    /// Schema nodes visited so far, shared with the sub-checks of combinators.
    steps: &'a Cell<usize>,
}

impl<'a> Cx<'a> {
    fn fail(&mut self, path: &str, message: String) {
        if self.out.len() < MAX_VIOLATIONS {
            self.out.push(Violation { path: path.to_string(), message });
        }
    }

    /// Resolves a local `$ref` (`#` or a JSON pointer fragment).
    fn resolve(&self, reference: &str) -> Option<&'a Value> {
        let pointer = reference.strip_prefix('#')?;
        if pointer.is_empty() {
            return Some(self.root);
        }
        let decoded = percent_encoding::percent_decode_str(pointer).decode_utf8().ok()?;
        self.root.pointer(&decoded)
    }

    /// Violations of `schema` by `value`, as a separate list (for anyOf/oneOf/not/if).
    fn sub(&self, schema: &Value, value: &Value, path: &str, depth: usize) -> Vec<Violation> {
        let mut cx = Cx { root: self.root, out: Vec::new(), steps: self.steps };
        cx.check(schema, value, path, depth);
        cx.out
    }

    fn check(&mut self, schema: &Value, value: &Value, path: &str, depth: usize) {
        let s = match schema {
            Value::Bool(true) => return,
            Value::Bool(false) => return self.fail(path, "no value is allowed here".into()),
            Value::Object(s) => s,
            _ => return,
        };
        if depth > MAX_DEPTH || self.out.len() >= MAX_VIOLATIONS {
            return;
        }
        self.steps.set(self.steps.get() + 1);
        if self.steps.get() > MAX_STEPS {
            return;
        }
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            if let Some(target) = self.resolve(r) {
                self.check(target, value, path, depth + 1);
            }
        }
        if value.is_null() && s.get("nullable").and_then(Value::as_bool) == Some(true) {
            return;
        }
        if !self.check_type(s, value, path) {
            return;
        }
        if let Some(allowed) = s.get("enum").and_then(Value::as_array) {
            if !allowed.iter().any(|a| json_equal(a, value)) {
                let list: Vec<String> = allowed.iter().take(20).map(show).collect();
                let more = if allowed.len() > 20 { ", …" } else { "" };
                self.fail(path, format!("must be one of {}{more}", list.join(", ")));
            }
        }
        if let Some(c) = s.get("const") {
            if !json_equal(c, value) {
                self.fail(path, format!("must be {}", show(c)));
            }
        }
        match value {
            Value::Number(_) => self.check_number(s, value, path),
            Value::String(text) => self.check_string(s, text, path),
            Value::Array(items) => self.check_array(s, items, path, depth),
            Value::Object(obj) => self.check_object(s, obj, path, depth),
            _ => {}
        }
        self.check_combinators(s, value, path, depth);
    }

    /// False (after recording it) when the value has none of the allowed types.
    fn check_type(&mut self, s: &Map<String, Value>, value: &Value, path: &str) -> bool {
        let mut types: Vec<&str> = match s.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => return true,
        };
        if types.is_empty() || types.iter().any(|t| type_matches(t, value)) {
            return true;
        }
        types.dedup();
        self.fail(path, format!("expected {}, got {}", types.join(" or "), type_name(value)));
        false
    }

    fn check_number(&mut self, s: &Map<String, Value>, value: &Value, path: &str) {
        let Some(x) = value.as_f64() else { return };
        let excl_min_flag = s.get("exclusiveMinimum").and_then(Value::as_bool) == Some(true);
        let excl_max_flag = s.get("exclusiveMaximum").and_then(Value::as_bool) == Some(true);
        if let Some(min) = num(s.get("minimum")) {
            if excl_min_flag && x <= min {
                self.fail(path, format!("must be greater than {}", fmt_num(min)));
            } else if x < min {
                self.fail(path, format!("must be at least {}", fmt_num(min)));
            }
        }
        if let Some(max) = num(s.get("maximum")) {
            if excl_max_flag && x >= max {
                self.fail(path, format!("must be less than {}", fmt_num(max)));
            } else if x > max {
                self.fail(path, format!("must be at most {}", fmt_num(max)));
            }
        }
        if let Some(min) = num(s.get("exclusiveMinimum")) {
            if x <= min {
                self.fail(path, format!("must be greater than {}", fmt_num(min)));
            }
        }
        if let Some(max) = num(s.get("exclusiveMaximum")) {
            if x >= max {
                self.fail(path, format!("must be less than {}", fmt_num(max)));
            }
        }
        if let Some(m) = num(s.get("multipleOf")).filter(|m| *m > 0.0) {
            let q = x / m;
            if (q - q.round()).abs() > 1e-9 {
                self.fail(path, format!("must be a multiple of {}", fmt_num(m)));
            }
        }
    }

    fn check_string(&mut self, s: &Map<String, Value>, text: &str, path: &str) {
        let len = text.chars().count() as f64;
        if let Some(min) = num(s.get("minLength")) {
            if len < min {
                self.fail(path, format!("must be at least {} characters long (is {})", fmt_num(min), len));
            }
        }
        if let Some(max) = num(s.get("maxLength")) {
            if len > max {
                self.fail(path, format!("must be at most {} characters long (is {})", fmt_num(max), len));
            }
        }
    }

    fn check_array(&mut self, s: &Map<String, Value>, items: &[Value], path: &str, depth: usize) {
        let n = items.len() as f64;
        if let Some(min) = num(s.get("minItems")) {
            if n < min {
                self.fail(path, format!("must have at least {} items (has {})", fmt_num(min), n));
            }
        }
        if let Some(max) = num(s.get("maxItems")) {
            if n > max {
                self.fail(path, format!("must have at most {} items (has {})", fmt_num(max), n));
            }
        }
        if s.get("uniqueItems").and_then(Value::as_bool) == Some(true) {
            'outer: for i in 0..items.len() {
                for j in 0..i {
                    if json_equal(&items[i], &items[j]) {
                        self.fail(path, format!("items {j} and {i} are equal; items must be unique"));
                        break 'outer;
                    }
                }
            }
        }
        // Tuple forms: prefixItems (2020-12) or items as a list (draft-07).
        let (prefix, rest): (&[Value], Option<&Value>) = match (s.get("prefixItems"), s.get("items")) {
            (Some(Value::Array(p)), rest) => (p, rest),
            (_, Some(Value::Array(p))) => (p, s.get("additionalItems")),
            (_, rest) => (&[], rest),
        };
        for (i, v) in items.iter().enumerate() {
            let sub = match prefix.get(i) {
                Some(p) => p,
                None => match rest {
                    Some(r) => r,
                    None => continue,
                },
            };
            if matches!(sub, Value::Bool(false)) && i >= prefix.len() {
                self.fail(path, format!("must have at most {} items (has {})", prefix.len(), items.len()));
                break;
            }
            self.check(sub, v, &format!("{path}/{i}"), depth + 1);
        }
        if let Some(c) = s.get("contains") {
            if !items.iter().enumerate().any(|(i, v)| self.sub(c, v, &format!("{path}/{i}"), depth + 1).is_empty()) {
                self.fail(path, "must contain at least one item matching the `contains` schema".into());
            }
        }
    }

    fn check_object(&mut self, s: &Map<String, Value>, obj: &Map<String, Value>, path: &str, depth: usize) {
        if let Some(req) = s.get("required").and_then(Value::as_array) {
            for r in req.iter().filter_map(Value::as_str) {
                if !obj.contains_key(r) {
                    self.fail(path, format!("missing required property \"{r}\""));
                }
            }
        }
        let n = obj.len() as f64;
        if let Some(min) = num(s.get("minProperties")) {
            if n < min {
                self.fail(path, format!("must have at least {} properties (has {})", fmt_num(min), n));
            }
        }
        if let Some(max) = num(s.get("maxProperties")) {
            if n > max {
                self.fail(path, format!("must have at most {} properties (has {})", fmt_num(max), n));
            }
        }
        let props = s.get("properties").and_then(Value::as_object);
        if let Some(props) = props {
            for (k, sub) in props {
                if let Some(v) = obj.get(k) {
                    self.check(sub, v, &format!("{path}/{}", escape_token(k)), depth + 1);
                }
            }
        }
        if let Some(dep) = s.get("dependentRequired").and_then(Value::as_object) {
            for (k, needs) in dep {
                if obj.contains_key(k) {
                    for r in needs.as_array().into_iter().flatten().filter_map(Value::as_str) {
                        if !obj.contains_key(r) {
                            self.fail(path, format!("property \"{r}\" is required when \"{k}\" is present"));
                        }
                    }
                }
            }
        }
        if let Some(names) = s.get("propertyNames") {
            for k in obj.keys() {
                let v = Value::String(k.clone());
                for viol in self.sub(names, &v, path, depth + 1) {
                    self.fail(path, format!("property name \"{k}\": {}", viol.message));
                }
            }
        }
        let extra = match s.get("additionalProperties") {
            Some(extra) if !s.contains_key("patternProperties") => extra,
            _ => return,
        };
        let unknown: Vec<&String> = obj.keys().filter(|k| !props.is_some_and(|p| p.contains_key(*k))).collect();
        if matches!(extra, Value::Bool(false)) {
            if !unknown.is_empty() {
                let names: Vec<String> = unknown.iter().map(|k| format!("\"{k}\"")).collect();
                let allowed = match props {
                    Some(p) if !p.is_empty() => {
                        format!(" (allowed: {})", p.keys().map(String::as_str).collect::<Vec<_>>().join(", "))
                    }
                    _ => " (no properties are allowed)".into(),
                };
                let noun = if names.len() == 1 { "property" } else { "properties" };
                self.fail(path, format!("unexpected {noun} {}{allowed}", names.join(", ")));
            }
        } else {
            for k in unknown {
                if let Some(v) = obj.get(k) {
                    self.check(extra, v, &format!("{path}/{}", escape_token(k)), depth + 1);
                }
            }
        }
    }

    fn check_combinators(&mut self, s: &Map<String, Value>, value: &Value, path: &str, depth: usize) {
        if let Some(all) = s.get("allOf").and_then(Value::as_array) {
            for sub in all {
                self.check(sub, value, path, depth + 1);
            }
        }
        if let Some(any) = s.get("anyOf").and_then(Value::as_array).filter(|a| !a.is_empty()) {
            let results: Vec<Vec<Violation>> = any.iter().map(|sub| self.sub(sub, value, path, depth + 1)).collect();
            if results.iter().all(|r| !r.is_empty()) {
                self.fail(path, none_matched("anyOf", &results));
            }
        }
        if let Some(one) = s.get("oneOf").and_then(Value::as_array).filter(|a| !a.is_empty()) {
            let results: Vec<Vec<Violation>> = one.iter().map(|sub| self.sub(sub, value, path, depth + 1)).collect();
            let matched = results.iter().filter(|r| r.is_empty()).count();
            if matched == 0 {
                self.fail(path, none_matched("oneOf", &results));
            } else if matched > 1 {
                self.fail(path, format!("matches {matched} of the oneOf alternatives; exactly one is allowed"));
            }
        }
        if let Some(not) = s.get("not") {
            if self.sub(not, value, path, depth + 1).is_empty() {
                self.fail(path, "matches the schema under `not`, which is forbidden".into());
            }
        }
        if let Some(cond) = s.get("if") {
            let branch = if self.sub(cond, value, path, depth + 1).is_empty() { s.get("then") } else { s.get("else") };
            if let Some(b) = branch {
                self.check(b, value, path, depth + 1);
            }
        }
    }
}

/// "matches none of the N anyOf alternatives (closest: …)".
fn none_matched(keyword: &str, results: &[Vec<Violation>]) -> String {
    // Closest: an alternative of the right type with the fewest violations.
    let wrong_type = |r: &Vec<Violation>| r.iter().any(|v| v.message.starts_with("expected "));
    let closest = results.iter().min_by_key(|r| (wrong_type(r), r.len())).and_then(|r| r.first());
    match closest {
        Some(v) => format!("matches none of the {} {keyword} alternatives (closest: {v})", results.len()),
        None => format!("matches none of the {} {keyword} alternatives", results.len()),
    }
}
