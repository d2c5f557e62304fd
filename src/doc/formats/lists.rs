//! `required_parameters` / `optional_parameters` lists, as ToolBench and RestBench write them.
//! The entry shape differs per format (a [`Codec`]); reading, patching and writing the pair
//! of lists does not.

use super::json::{self, child, index};
use crate::doc::{DocError, Example, Location, Parameter};
use serde_json::{json, Map, Value};

/// The lists' keys, required first.
pub(crate) const LISTS: [&str; 2] = ["required_parameters", "optional_parameters"];

/// How one parameter entry is read, written and patched.
pub(crate) trait Codec {
    /// Reads one entry. `listed_required` tells which list it came from; `path_params` are
    /// the names in the URL template.
    fn read(&self, e: &Value, listed_required: bool, path_params: &[String], ptr: &str) -> Result<Parameter, DocError>;
    /// A new entry for a parameter.
    fn write(&self, p: &Parameter) -> Value;
    /// Patches an entry in place: only what differs between `b` and `p` changes.
    fn patch(&self, e: &mut Value, b: &Parameter, p: &Parameter);
}

/// Reads both lists of an API entry.
pub(crate) fn read(
    m: &Map<String, Value>,
    ptr: &str,
    codec: &dyn Codec,
    path_params: &[String],
) -> Result<Vec<Parameter>, DocError> {
    let mut out = Vec::new();
    for (k, key) in LISTS.iter().enumerate() {
        if let Some(list) = json::opt_array(m, key, ptr)? {
            let lp = child(ptr, key);
            for (i, e) in list.iter().enumerate() {
                out.push(codec.read(e, k == 0, path_params, &index(&lp, i))?);
            }
        }
    }
    for name in path_params {
        if !out.iter().any(|p| &p.name == name) {
            out.push(Parameter::new(name.clone(), Location::Path));
        }
    }
    Ok(out)
}

/// Writes both lists for a set of parameters.
pub(crate) fn write(params: &[Parameter], codec: &dyn Codec) -> (Value, Value) {
    let req = params.iter().filter(|p| p.required).map(|p| codec.write(p)).collect();
    let opt = params.iter().filter(|p| !p.required).map(|p| codec.write(p)).collect();
    (Value::Array(req), Value::Array(opt))
}

fn find(m: &Map<String, Value>, name: &str) -> Option<(usize, usize)> {
    LISTS.iter().enumerate().find_map(|(k, key)| {
        m.get(*key)?
            .as_array()?
            .iter()
            .position(|e| e.get("name").and_then(Value::as_str) == Some(name))
            .map(|i| (k, i))
    })
}

fn list_mut(m: &mut Map<String, Value>, k: usize) -> Option<&mut Vec<Value>> {
    let v = m.entry(LISTS[k]).or_insert_with(|| json!([]));
    if !v.is_array() {
        *v = json!([]);
    }
    v.as_array_mut()
}

/// Patches both lists of an API entry from `baseline` to `params`.
pub(crate) fn patch(m: &mut Map<String, Value>, baseline: &[Parameter], params: &[Parameter], codec: &dyn Codec) {
    if baseline == params {
        return;
    }
    for b in baseline {
        if !params.iter().any(|p| p.name == b.name) {
            if let Some((k, i)) = find(m, &b.name) {
                if let Some(l) = list_mut(m, k) {
                    l.remove(i);
                }
            }
        }
    }
    for p in params {
        let b = baseline.iter().find(|b| b.name == p.name);
        if b == Some(p) {
            continue;
        }
        match (b, find(m, &p.name)) {
            (Some(b), Some((k, i))) => {
                if let Some(e) = list_mut(m, k).and_then(|l| l.get_mut(i)) {
                    codec.patch(e, b, p);
                }
                if b.required != p.required {
                    let moved = list_mut(m, k).map(|l| l.remove(i));
                    if let (Some(e), Some(to)) = (moved, list_mut(m, usize::from(!p.required))) {
                        to.push(e);
                    }
                }
            }
            _ => {
                if let Some(to) = list_mut(m, usize::from(!p.required)) {
                    to.push(codec.write(p));
                }
            }
        }
    }
}

/// The `{name}` placeholders of a URL template, in order.
pub(crate) fn template_params(url: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = url;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        let Some(j) = after.find('}') else { break };
        let name = &after[..j];
        if !name.is_empty() && !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
        rest = &after[j + 1..];
    }
    out
}

/// Reads an `example` object: `{"User Query": …, "Parameters": {…}}`.
pub(crate) fn read_example(m: &Map<String, Value>, ptr: &str) -> Result<Option<Example>, DocError> {
    let Some(x) = json::opt_object(m, "example", ptr)? else { return Ok(None) };
    let xp = child(ptr, "example");
    let query = json::opt_str(x, "User Query", &xp)?.unwrap_or_default().to_string();
    let arguments = json::opt_object(x, "Parameters", &xp)?.map(|a| Value::Object(a.clone())).unwrap_or(json!({}));
    Ok(Some(Example { query, arguments, ..Default::default() }))
}

/// Patches (or adds, or removes) the `example` object from the first example.
pub(crate) fn patch_example(m: &mut Map<String, Value>, first: Option<&Example>, arguments: Option<Value>) {
    match first {
        None => {
            m.shift_remove("example");
        }
        Some(e) => {
            let x = m.entry("example").or_insert_with(|| json!({}));
            if !x.is_object() {
                *x = json!({});
            }
            if let Value::Object(x) = x {
                x.insert("User Query".into(), json!(e.query));
                x.insert("Parameters".into(), arguments.unwrap_or_else(|| e.arguments.clone()));
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn template_params_in_order() {
        assert_eq!(template_params("http://x/{a}/b/{c}.json?{a}"), ["a", "c"]);
        assert!(template_params("http://x/{").is_empty());
    }
}
