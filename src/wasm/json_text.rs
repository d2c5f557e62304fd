//! How a value leaves for JS (`convert::to_js`): serde_json writes it as JSON text and the
//! host's `JSON.parse` reads it, so each type has one serializer in the module (the one that
//! also writes it into prompts, checkpoints and reports) and none of its own for the boundary:
//! −7 KB gzip for the engine module (bench/size/RESULTS.md). `JSON.parse` rounds integers
//! beyond ±(2^53 − 1); text that holds one (rare) is read here instead and built with it as
//! a `BigInt`.
//!
//! ```ignore
//! has_unsafe_integer("[9007199254740993]")   // true: JSON.parse would round it
//! value_to_js(&tree)                          // a plain object, that integer a BigInt
//! ```

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

/// The largest integer every JS number holds exactly (2^53 − 1).
const MAX_SAFE: u64 = (1 << 53) - 1;

/// Whether JSON text written by serde_json holds an integer beyond ±(2^53 − 1), which
/// `JSON.parse` would round. Floats are written with a `.` or an exponent, integers without.
pub fn has_unsafe_integer(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let c = bytes[i];
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if c == b'"' {
            in_string = true;
        } else if c == b'-' || c.is_ascii_digit() {
            let start = i;
            i += 1;
            while i < bytes.len() && matches!(bytes[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') {
                i += 1;
            }
            let digits = text[start..i].trim_start_matches('-');
            if digits.len() >= 16
                && digits.bytes().all(|d| d.is_ascii_digit())
                && digits.parse::<u64>().map_or(true, |n| n > MAX_SAFE)
            {
                return true;
            }
            continue;
        }
        i += 1;
    }
    false
}

/// A JSON tree as a plain JS value, with every integer beyond ±(2^53 − 1) a `BigInt` holding
/// it exactly. Object members are defined, not assigned, as `JSON.parse` does (a member named
/// `__proto__` is a member).
pub fn value_to_js(value: &serde_json::Value) -> JsValue {
    use serde_json::Value;
    match value {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64().filter(|i| i.unsigned_abs() > MAX_SAFE) {
                js_sys::BigInt::from(i).into()
            } else if let Some(u) = n.as_u64().filter(|u| *u > MAX_SAFE) {
                js_sys::BigInt::from(u).into()
            } else {
                JsValue::from_f64(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(value_to_js).collect::<Array>().into(),
        Value::Object(members) => {
            let entries: Array =
                members.iter().map(|(k, v)| Array::of2(&JsValue::from_str(k), &value_to_js(v))).collect();
            // `Object.fromEntries` of pairs we made cannot fail.
            Object::from_entries(&entries).map(JsValue::from).unwrap_or(JsValue::NULL)
        }
    }
}
