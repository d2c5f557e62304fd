//! Which observed calls are worth showing as examples. A call that succeeded is not, by that
//! alone, an example an agent should copy: a weak explorer fills arguments with the names it
//! was shown (`"create_entities"` as an entity's name, `"query"` as a search query), stock
//! placeholders (`"example"`, `"string"`, `"foo"`) and the prompt's slots (`"<the user's
//! request>"`), empty strings and lists, or the same item
//! eight times; and a search that succeeded with nothing found shows nothing. Such values stay
//! evidence (the call still proves what it proves) but never become a verified example or a
//! parameter's `examples`: an agent reading them would learn to send junk.
//!
//! ```
//! use serde_json::json;
//! use tooldraft::doc::{Location, Operation, Parameter};
//! use tooldraft::refine::worth::Worth;
//! let op = Operation { id: "search_nodes".into(), name: "search_nodes".into(),
//!     parameters: vec![Parameter::new("query", Location::Body)], ..Default::default() };
//! let worth = Worth::new(&op);
//! assert!(worth.value("query", &json!("graph databases")));
//! assert!(!worth.value("query", &json!("search_nodes")));
//! assert!(!worth.value("query", &json!("example")));
//! assert!(!worth.result(&json!({"entities": [], "relations": []})));
//! ```

use super::words::identifier_words;
use crate::doc::Operation;
use serde_json::Value;
use std::collections::HashSet;

/// Words that stand in for a value instead of being one: stock placeholders and the names of
/// JSON types and generic fields, which weak models copy from schemas.
const PLACEHOLDERS: &[&str] = &[
    "abc",
    "array",
    "bar",
    "baz",
    "boolean",
    "data",
    "dummy",
    "example",
    "field",
    "foo",
    "foobar",
    "id",
    "input",
    "integer",
    "ipsum",
    "key",
    "lorem",
    "na",
    "none",
    "null",
    "number",
    "object",
    "param",
    "parameter",
    "placeholder",
    "qux",
    "sample",
    "string",
    "tbd",
    "test",
    "text",
    "todo",
    "undefined",
    "username",
    "value",
    "xxx",
    "xyz",
];

/// Words of the explorer's prompt and of talk about tools, and function words: a query made
/// only of these and the operation's identifiers ("assistant tools call", "call the api for
/// the user") is a weak model's salad of the prompt it was given, not a user's request.
const PROMPT_WORDS: &[&str] = &[
    "a",
    "about",
    "agent",
    "ai",
    "an",
    "and",
    "answer",
    "api",
    "argument",
    "assistant",
    "call",
    "called",
    "calling",
    "different",
    "do",
    "documentation",
    "endpoint",
    "explore",
    "for",
    "from",
    "function",
    "i",
    "in",
    "is",
    "it",
    "json",
    "me",
    "my",
    "new",
    "of",
    "on",
    "operation",
    "or",
    "please",
    "query",
    "real",
    "realistic",
    "request",
    "response",
    "result",
    "return",
    "schema",
    "some",
    "task",
    "that",
    "the",
    "this",
    "to",
    "tool",
    "use",
    "user",
    "using",
    "want",
    "what",
    "with",
    "write",
    "you",
];

/// How deep a value is read (deeper parts are not judged: they are rare in arguments).
const MAX_DEPTH: usize = 16;

/// The identifiers of one operation and the test of its values.
pub struct Worth<'a> {
    op: &'a Operation,
    /// Lower-case words (a plural `s` off) of the operation's id and name, its parameters'
    /// names and the property names of their schemas.
    words: HashSet<String>,
    /// The same identifiers with only their letters and digits (`createentities`).
    whole: HashSet<String>,
}

/// Lower-case letters and digits of `s`.
fn squash(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).fold(String::new(), |mut out, c| {
        crate::lowercase::push_lowercase(&mut out, c);
        out
    })
}

/// `s`'s words in lower case, split as an identifier's are ([`identifier_words`]: at anything
/// but letters and digits and at lower→upper case changes), a plural `s` off (`entityNames` →
/// `entity`, `name`).
fn split_words(s: &str) -> Vec<String> {
    identifier_words(s)
        .into_iter()
        .map(|w| match w.strip_suffix('s') {
            Some(base) if base.chars().count() >= 3 && !base.ends_with('s') => base.to_string(),
            _ => w,
        })
        .collect()
}

/// Every property name in a JSON Schema (of `properties`, at any depth).
fn property_names(schema: &Value, depth: usize, out: &mut Vec<String>) {
    if depth > MAX_DEPTH {
        return;
    }
    match schema {
        Value::Object(m) => {
            if let Some(Value::Object(props)) = m.get("properties") {
                out.extend(props.keys().cloned());
            }
            m.values().for_each(|v| property_names(v, depth + 1, out));
        }
        Value::Array(a) => a.iter().for_each(|v| property_names(v, depth + 1, out)),
        _ => {}
    }
}

impl<'a> Worth<'a> {
    pub fn new(op: &'a Operation) -> Worth<'a> {
        let mut ids = vec![op.id.clone(), op.name.clone()];
        for p in &op.parameters {
            ids.push(p.name.clone());
            property_names(&p.schema, 0, &mut ids);
        }
        let words = ids.iter().flat_map(|id| split_words(id)).collect();
        let whole = ids.iter().map(|id| squash(id)).filter(|s| !s.is_empty()).collect();
        Worth { op, words, whole }
    }

    /// Whether a user's query says something of its own: two words at least (a request, not
    /// a name: "httpbin.org" is the tool's), not a placeholder, not only the operation's
    /// identifiers.
    pub fn query(&self, s: &str) -> bool {
        sentence_words(s) >= 2
            && self.text(s)
            && !split_words(s).iter().all(|w| {
                self.words.contains(w)
                    || PLACEHOLDERS.binary_search(&w.as_str()).is_ok()
                    || PROMPT_WORDS.binary_search(&w.as_str()).is_ok()
            })
    }

    fn text(&self, s: &str) -> bool {
        let t = s.trim();
        // A template's slot echoed as a value: "<the user's request>", "{{query}}".
        let slot = (t.starts_with('<') && t.ends_with('>')) || (t.starts_with("{{") && t.ends_with("}}"));
        let squashed = squash(s);
        if slot {
            return false;
        }
        if squashed.is_empty() || self.whole.contains(&squashed) {
            return false;
        }
        let ws = split_words(s);
        !ws.iter().all(|w| self.words.contains(w) || PLACEHOLDERS.binary_search(&w.as_str()).is_ok())
    }

    fn judge(&self, v: &Value, depth: usize) -> bool {
        match v {
            Value::String(s) => self.text(s),
            // An empty list or object shows nothing as the whole value; inside one it may be
            // the real thing (an entity with no observations yet).
            Value::Array(items) => {
                (depth > 0 || !items.is_empty())
                    && depth < MAX_DEPTH
                    && items.iter().all(|x| self.judge(x, depth + 1))
                    && items.iter().enumerate().all(|(i, x)| !items[..i].contains(x))
            }
            Value::Object(m) => {
                (depth > 0 || !m.is_empty()) && depth < MAX_DEPTH && m.values().all(|x| self.judge(x, depth + 1))
            }
            Value::Null => false,
            Value::Bool(_) | Value::Number(_) => true,
        }
    }

    /// Whether `value`, sent as `parameter`, is worth showing as an example: one of the
    /// parameter's enum values, or a value whose every string says something of its own
    /// (see the module docs): not empty, with no blank string in it and no item twice.
    pub fn value(&self, parameter: &str, value: &Value) -> bool {
        let p = self.op.parameter(parameter);
        let in_enum = |p: &crate::doc::Parameter| {
            p.enum_values.contains(value)
                || p.schema.get("enum").and_then(Value::as_array).is_some_and(|e| e.contains(value))
        };
        p.is_some_and(in_enum) || (self.judge(value, 0) && shows_something(value, 0))
    }

    /// Whether every argument of a call is worth showing.
    pub fn arguments(&self, arguments: &Value) -> bool {
        match arguments {
            Value::Object(m) => m.iter().all(|(k, v)| self.value(k, v)),
            _ => false,
        }
    }

    /// Whether a response shows something: some string, number or boolean in it (a search
    /// that found nothing, `{"entities": [], "relations": []}`, shows nothing).
    pub fn result(&self, payload: &Value) -> bool {
        shows_something(payload, 0)
    }
}

/// Whether a value has a string, number or boolean in it: `{"response-headers": {}}` (a weak
/// explorer's argument: the path's words over an empty object) has none.
fn shows_something(v: &Value, depth: usize) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Bool(_) | Value::Number(_) => true,
        Value::Array(a) => depth < MAX_DEPTH && a.iter().any(|x| shows_something(x, depth + 1)),
        Value::Object(m) => depth < MAX_DEPTH && m.values().any(|x| shows_something(x, depth + 1)),
    }
}

/// The words of a text that have a letter, split at whitespace (`httpbin.org` is one). A text
/// in a script written without spaces (Chinese, Japanese, Thai) counts its characters there:
/// "东京的天气" is a request, not one word.
pub fn sentence_words(s: &str) -> usize {
    let spaced = s.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count();
    let unspaced = s
        .chars()
        .filter(|&c| matches!(c, '\u{0E00}'..='\u{0E7F}' | '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}'))
        .count();
    spaced.max(unspaced / 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Location, Parameter};
    use serde_json::json;

    fn memory_op(id: &str, param: &str, schema: Value) -> Operation {
        let mut p = Parameter::new(param, Location::Body);
        p.schema = schema;
        Operation { id: id.into(), name: id.into(), parameters: vec![p], ..Default::default() }
    }

    #[test]
    fn placeholders_are_sorted_for_binary_search() {
        assert!(PLACEHOLDERS.windows(2).all(|p| p[0] < p[1]));
    }

    /// The values a weak explorer sent to the MCP memory server in `make demo`.
    #[test]
    fn a_weak_explorers_values_are_no_examples() {
        let entity = json!({"type": "object", "properties": {"name": {}, "entityType": {}, "observations": {}}});
        let create = memory_op("create_entities", "entities", json!({"type": "array", "items": entity}));
        let w = Worth::new(&create);
        let junk = json!({"name": "create_entities", "entityType": "list", "observations": [""]});
        assert!(!w.value("entities", &json!([])));
        assert!(!w.value("entities", &json!([junk.clone(), junk.clone()])));
        assert!(!w.value("entities", &json!([junk])));
        let real = json!({"name": "Ada Lovelace", "entityType": "person", "observations": ["wrote the first program"]});
        assert!(w.value("entities", &json!([real])));
        let no_observations = json!({"name": "Ada Lovelace", "entityType": "person", "observations": []});
        assert!(w.value("entities", &json!([no_observations])), "an empty list inside is a real value");
        assert!(!w.value("entities", &json!({})));
        let twice = json!([real, real]);
        assert!(!w.value("entities", &twice), "the same item twice");

        let open = memory_op("open_nodes", "names", json!({"type": "array", "items": {"type": "string"}}));
        let w = Worth::new(&open);
        assert!(!w.value("names", &json!(["name", "username", "key", "id", "value"])));
        assert!(!w.value("names", &json!(["name"])));
        assert!(!w.value("names", &json!(["openNodes"])));
        assert!(w.value("names", &json!(["Ada Lovelace", "Charles Babbage"])));

        let search = memory_op("search_nodes", "query", json!({"type": "string"}));
        let w = Worth::new(&search);
        for junk in [
            "example",
            "search_nodes",
            "Search Nodes",
            "",
            "  ",
            "query",
            "string",
            "test",
            "<the user's request>",
            "{{q}}",
        ] {
            assert!(!w.value("query", &json!(junk)), "{junk:?}");
        }
        for good in ["Lovelace", "graph databases", "nodes about Paris", "42"] {
            assert!(w.value("query", &json!(good)), "{good:?}");
        }
        // A user's request is more than one word; a value may be one ("Lovelace").
        assert!(!w.query("Lovelace") && !w.query("httpbin.org") && !w.query("search_nodes"));
        assert!(w.query("nodes about Paris"));
        // The prompt's words strung together are no request; a request with a word of its own is.
        for salad in
            ["assistant tools call", "Call the API for the user", "a realistic user request", "search the nodes"]
        {
            assert!(!w.query(salad), "{salad:?}");
        }
        assert!(w.query("Use the tool to find nodes about graph databases"));
        assert!(w.query("What do you know about Ada Lovelace?"));
        // Scripts written without spaces: a sentence is one run of characters.
        assert!(w.query("东京的天气") && w.query("ノードを検索して") && !w.query("東"));
    }

    #[test]
    fn the_word_lists_are_sorted_for_binary_search() {
        assert!(PLACEHOLDERS.windows(2).all(|w| w[0] < w[1]));
        assert!(PROMPT_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn a_value_with_nothing_in_it_is_no_example() {
        // httpbin's GET /response-headers takes a free-form `freeform` object: the embedded
        // model sent the path's words over an empty object.
        let op = memory_op("GET /response-headers", "freeform", json!({}));
        let w = Worth::new(&op);
        assert!(!w.value("freeform", &json!({"response-headers": {}})));
        assert!(!w.value("freeform", &json!({"a": {"b": []}, "c": null})));
        assert!(w.value("freeform", &json!({"Cache-Control": "no-store"})));
    }

    #[test]
    fn scalars_and_enum_values_are_examples() {
        let mut op = memory_op("list_items", "order", json!({"type": "string", "enum": ["order", "name"]}));
        op.parameters[0].enum_values = vec![json!("id")];
        let w = Worth::new(&op);
        assert!(w.value("order", &json!("name")), "an enum value of the schema");
        assert!(w.value("order", &json!("id")), "an enum value of the parameter");
        assert!(w.value("limit", &json!(10)) && w.value("flag", &json!(false)));
        assert!(!w.value("limit", &Value::Null));
        assert!(w.arguments(&json!({"order": "name", "limit": 3})));
        assert!(!w.arguments(&json!({"order": "name", "q": "list_items"})));
        assert!(!w.arguments(&json!("not an object")));
    }

    #[test]
    fn a_result_with_nothing_in_it_shows_nothing() {
        let op = memory_op("search_nodes", "query", json!({}));
        let w = Worth::new(&op);
        assert!(!w.result(&json!({"entities": [], "relations": []})));
        assert!(!w.result(&json!({"items": [{"note": " "}], "next": null})));
        assert!(w.result(&json!({"entities": [{"name": "Ada"}]})));
        assert!(w.result(&json!({"count": 0})), "a number is something");
        assert!(w.result(&json!(true)));
    }

    #[test]
    fn deep_values_do_not_overflow() {
        let op = memory_op("op", "p", json!({}));
        let w = Worth::new(&op);
        let mut v = json!("deep text");
        for _ in 0..1_000 {
            v = json!([v]);
        }
        assert!(!w.value("p", &v));
        assert!(!w.result(&v));
    }
}
