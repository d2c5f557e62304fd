//! Typed access to parsed documents: every wrong type becomes a [`DocError::Structure`] naming
//! the JSON pointer where it was found, so importers never panic and never guess.

use crate::doc::DocError;
use serde_json::{Map, Value};

/// Appends one reference token to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub(crate) fn child(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    out.push('/');
    if !token.bytes().any(|b| b == b'~' || b == b'/') {
        out.push_str(token);
        return out;
    }
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// Appends an array index to a JSON pointer.
pub(crate) fn index(pointer: &str, i: usize) -> String {
    format!("{pointer}/{i}")
}

/// The name of a JSON value's type, for messages.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn wrong(pointer: &str, expected: &str, v: &Value) -> DocError {
    DocError::at(pointer, format!("expected {expected}, found {}", type_name(v)))
}

/// The value as an object, or a structure error at `pointer`.
pub(crate) fn object<'a>(v: &'a Value, pointer: &str) -> Result<&'a Map<String, Value>, DocError> {
    v.as_object().ok_or_else(|| wrong(pointer, "an object", v))
}

/// The value as an array, or a structure error at `pointer`.
pub(crate) fn array<'a>(v: &'a Value, pointer: &str) -> Result<&'a Vec<Value>, DocError> {
    v.as_array().ok_or_else(|| wrong(pointer, "an array", v))
}

/// A field that must be present and a string.
pub(crate) fn req_str<'a>(m: &'a Map<String, Value>, key: &str, pointer: &str) -> Result<&'a str, DocError> {
    match m.get(key) {
        Some(Value::String(s)) => Ok(s),
        Some(v) => Err(wrong(&child(pointer, key), "a string", v)),
        None => Err(DocError::at(pointer, format!("missing `{key}`"))),
    }
}

/// A field that may be absent (or null) but otherwise must be a string.
pub(crate) fn opt_str<'a>(m: &'a Map<String, Value>, key: &str, pointer: &str) -> Result<Option<&'a str>, DocError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(v) => Err(wrong(&child(pointer, key), "a string", v)),
    }
}

/// A field that may be absent (or null) but otherwise must be a boolean.
pub(crate) fn opt_bool(m: &Map<String, Value>, key: &str, pointer: &str) -> Result<Option<bool>, DocError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(v) => Err(wrong(&child(pointer, key), "a boolean", v)),
    }
}

/// A field that may be absent (or null) but otherwise must be an object.
pub(crate) fn opt_object<'a>(
    m: &'a Map<String, Value>,
    key: &str,
    pointer: &str,
) -> Result<Option<&'a Map<String, Value>>, DocError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(v) => Err(wrong(&child(pointer, key), "an object", v)),
    }
}

/// A field that may be absent (or null) but otherwise must be an array.
pub(crate) fn opt_array<'a>(
    m: &'a Map<String, Value>,
    key: &str,
    pointer: &str,
) -> Result<Option<&'a Vec<Value>>, DocError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(a)) => Ok(Some(a)),
        Some(v) => Err(wrong(&child(pointer, key), "an array", v)),
    }
}

/// Sets `key` to a string, or removes it when the string is empty.
pub(crate) fn set_or_remove_str(m: &mut Map<String, Value>, key: &str, value: &str) {
    if value.is_empty() {
        m.remove(key);
    } else {
        m.insert(key.to_string(), Value::String(value.to_string()));
    }
}

/// Removes the values at these pointers (array elements or object members). Array elements
/// are removed from the highest index down, so earlier removals do not shift later ones.
pub(crate) fn remove_all(root: &mut Value, pointers: &[String]) {
    let mut sorted: Vec<(String, String)> =
        pointers.iter().filter_map(|p| p.rfind('/').map(|i| (p[..i].to_string(), p[i + 1..].to_string()))).collect();
    // Highest index first within one parent; object keys in any order.
    sorted.sort_by(|a, b| {
        a.0.cmp(&b.0).then_with(|| match (a.1.parse::<usize>(), b.1.parse::<usize>()) {
            (Ok(x), Ok(y)) => y.cmp(&x),
            _ => a.1.cmp(&b.1),
        })
    });
    for (parent, last) in sorted {
        match root.pointer_mut(&parent) {
            Some(Value::Array(a)) => {
                if let Ok(i) = last.parse::<usize>() {
                    if i < a.len() {
                        a.remove(i);
                    }
                }
            }
            Some(Value::Object(o)) => {
                let key = last.replace("~1", "/").replace("~0", "~");
                o.shift_remove(&key);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn child_escapes_tokens() {
        assert_eq!(child("/a", "x/y~z"), "/a/x~1y~0z");
        let v = json!({"a": {"x/y~z": 1}});
        assert_eq!(v.pointer(&child("/a", "x/y~z")), Some(&json!(1)));
    }

    #[test]
    fn typed_access_names_the_pointer() {
        let v = json!({"name": 3});
        let m = object(&v, "").unwrap();
        let e = req_str(m, "name", "/tools/0").unwrap_err();
        assert_eq!(e, DocError::at("/tools/0/name", "expected a string, found a number"));
        assert_eq!(req_str(m, "other", "/t").unwrap_err(), DocError::at("/t", "missing `other`"));
        assert!(opt_str(m, "missing", "").unwrap().is_none());
        assert!(array(&v, "/x").is_err());
    }

    #[test]
    fn remove_all_keeps_indices_right() {
        let mut v = json!({"a": [0, 1, 2, 3], "o": {"k/1": 1, "j": 2}});
        remove_all(&mut v, &["/a/1".into(), "/a/3".into(), "/o/k~11".into(), "/a/9".into()]);
        assert_eq!(v, json!({"a": [0, 2], "o": {"j": 2}}));
    }
}
