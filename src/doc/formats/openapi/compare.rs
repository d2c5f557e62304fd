//! Whether a schema in the model is still the one the source documents, without building
//! the inlined copy again: the model's schema is walked beside the source's, and a `$ref` in
//! the source is followed wherever the model holds something else there.

use super::refs::{is_data_keyword, is_schema_map, ref_in, ref_pointer, MAX_HOPS};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Compares schemas of one source document, remembering where its references point.
pub(super) struct Schemas<'a> {
    root: &'a Value,
    targets: HashMap<String, Option<&'a Value>>,
}

impl<'a> Schemas<'a> {
    pub fn new(root: &'a Value) -> Self {
        Schemas { root, targets: HashMap::new() }
    }

    /// True when `model` is `raw` (a schema as written in the document, or partly inlined)
    /// with any of its local `$ref`s replaced by what they name, as import inlines them: the
    /// target, with the reference's other keywords over it. Key order does not matter (as
    /// with `==`). `model` holding a `$ref` where `raw` holds the schema it names counts as a
    /// difference.
    pub fn same(&mut self, model: &Value, raw: &Value) -> bool {
        self.same_at(model, raw, false, 0)
    }

    fn target(&mut self, r: &str) -> Option<&'a Value> {
        if let Some(t) = self.targets.get(r) {
            return *t;
        }
        let root = self.root;
        let t = ref_pointer(r).and_then(|p| root.pointer(&p));
        self.targets.insert(r.to_string(), t);
        t
    }

    /// `in_map`: `raw` is a map of names to schemas (`properties`…), not a schema.
    fn same_at(&mut self, model: &Value, raw: &Value, in_map: bool, hops: usize) -> bool {
        match raw {
            Value::Object(s) => {
                if let (false, Some(r)) = (in_map, ref_in(s)) {
                    if model == raw {
                        return true;
                    }
                    let Some(target) = self.target(r) else { return false };
                    if hops >= MAX_HOPS {
                        return false;
                    }
                    return match target {
                        Value::Object(t) if s.len() > 1 => {
                            // Keywords beside `$ref` win over the target's.
                            let mut merged = t.clone();
                            for (k, v) in s.iter().filter(|(k, _)| k.as_str() != "$ref") {
                                merged.insert(k.clone(), v.clone());
                            }
                            self.same_at(model, &Value::Object(merged), false, hops + 1)
                        }
                        _ => self.same_at(model, target, false, hops + 1),
                    };
                }
                let Value::Object(m) = model else { return false };
                m.len() == s.len() && self.members(m, s, in_map)
            }
            Value::Array(s) => match model {
                Value::Array(m) => m.len() == s.len() && m.iter().zip(s).all(|(m, s)| self.same_at(m, s, false, 0)),
                _ => false,
            },
            _ => model == raw,
        }
    }

    /// The members of two objects of equal length match, key by key.
    fn members(&mut self, m: &Map<String, Value>, s: &Map<String, Value>, in_map: bool) -> bool {
        // Inlining keeps key order, so the same position usually holds the same key.
        m.iter().zip(s).all(|((mk, mv), (sk, sv))| {
            let (sk, sv) = if mk == sk {
                (sk, sv)
            } else {
                match s.get_key_value(mk) {
                    Some(kv) => kv,
                    None => return false,
                }
            };
            if !in_map && is_data_keyword(sk) {
                mv == sv
            } else {
                self.same_at(mv, sv, !in_map && is_schema_map(sk), 0)
            }
        })
    }
}

#[cfg(test)]
fn same_schema(model: &Value, raw: &Value, root: &Value) -> bool {
    Schemas::new(root).same(model, raw)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::refs::{Inline, Resolver};
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({"d": {
            "Node": {"type": "object", "properties": {"next": {"$ref": "#/d/Node"}, "v": {"$ref": "#/d/V"}}},
            "V": {"type": "integer", "description": "a value", "example": {"$ref": "#/d/Gone"}},
            "Chain": {"$ref": "#/d/V"},
            "Props": {"properties": {"$ref": {"type": "string"}, "example": {"$ref": "#/d/V"}}},
            "Loop": {"$ref": "#/d/Loop2"}, "Loop2": {"$ref": "#/d/Loop"}
        }})
    }

    #[test]
    fn inlined_copies_equal_their_source() {
        let doc = doc();
        for name in ["Node", "V", "Chain", "Props", "Loop"] {
            let raw = json!({"$ref": format!("#/d/{name}"), "title": "t"});
            let full = Resolver::new(&doc).schema(&raw, "/x");
            let root = Resolver::with(&doc, Inline::Root).schema(&raw, "/x");
            assert!(same_schema(&full, &raw, &doc), "{name}: full vs raw");
            assert!(same_schema(&full, &root, &doc), "{name}: full vs root-only");
            assert!(same_schema(&raw, &raw, &doc), "{name}: raw vs raw");
        }
    }

    #[test]
    fn changes_are_differences() {
        let doc = doc();
        let raw = json!({"$ref": "#/d/Node"});
        let mut full = Resolver::new(&doc).schema(&raw, "/x");
        full["properties"]["v"]["type"] = json!("string");
        assert!(!same_schema(&full, &raw, &doc));
        let mut full = Resolver::new(&doc).schema(&raw, "/x");
        full["properties"]["v"].as_object_mut().unwrap().remove("description");
        assert!(!same_schema(&full, &raw, &doc));
        let mut full = Resolver::new(&doc).schema(&raw, "/x");
        full["properties"]["w"] = json!({});
        assert!(!same_schema(&full, &raw, &doc));
        // Data keywords are compared as data, not followed.
        let raw = json!({"default": {"$ref": "#/d/V"}});
        assert!(!same_schema(&json!({"default": doc["d"]["V"]}), &raw, &doc));
        // A property named `$ref` is a schema, not a reference.
        let raw = json!({"$ref": "#/d/Props"});
        let full = Resolver::new(&doc).schema(&raw, "/x");
        assert_eq!(full["properties"]["example"]["type"], "integer");
        assert!(same_schema(&full, &raw, &doc));
        assert!(!same_schema(&json!({"$ref": "#/d/V"}), &json!({"type": "integer"}), &doc));
        assert!(!same_schema(&json!({}), &json!({"$ref": "#/nowhere"}), &doc));
    }
}
