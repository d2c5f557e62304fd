//! What the tool itself says, for the regression rules: the words of its names, its original
//! documentation, its observed responses and the arguments its successful calls took. A
//! revision's text is on topic when it shares a word with it, and what it adds is backed when
//! it is one of these words, or a word for what a response shows without writing it: its
//! shape ("a JSON array of objects", "an integer", "empty") and, for a call that failed, the
//! failure ("rejected with an error"). A name's letter and digit runs count apart ("UUID4"
//! backs "a version 4 UUID").

use super::super::echo::add_phrases;
use super::super::instruction_like;
use super::array_order::Direction;
use super::numbers::{lengths, number_sources, OBSERVED_CHARS};
use crate::doc::Operation;
use crate::lowercase::Lowercase;
use crate::refine::evidence::Trail;
use crate::refine::words::{identifier_stems, root, stem, words};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

/// What the tool itself says: its words, their stems, its identifiers' stems and n-grams.
#[derive(Clone, Debug, PartialEq)]
pub struct Known {
    pub(super) words: HashSet<String>,
    /// Roots (see [`root`]) of the stems: what the documentation and the calls say.
    stems: HashSet<String>,
    /// Roots of what an accepted text of the same revision says (its description, for its
    /// parameters): on topic, but no evidence.
    revised: HashSet<String>,
    /// Roots of the words that back what a revision adds: the documentation's, the names', and
    /// the responses' outside file paths and URLs ([`evidence_text`]).
    evidence: HashSet<String>,
    pub(super) ids: HashSet<String>,
    /// The tool's own wording, for `echo`'s allowed phrases.
    pub(super) phrases: String,
    /// Whether a call came back (a response, an error body): then the evidence is there and
    /// what a revision adds must be in it.
    pub(super) observed: bool,
    /// Numbers a call shows without writing them down: those of every call's arguments, the
    /// failed ones' too ("string values such as \"12\" are rejected" states what a call
    /// sent), and the lengths of a successful response's arrays and one-token strings ("a string of
    /// 36 characters", "3 items").
    sent_numbers: HashSet<String>,
    /// Each JSON key of a successful response (lower case) and the kinds of value it held
    /// ([`kind_of`] bits), for a sentence that says what a field holds.
    pub(super) key_kinds: BTreeMap<String, usize>,
    /// Numbers a response held as JSON numbers (a post's `views: 100`), and numbers written
    /// as text anywhere (documentation, strings, keys, headers): a limit ("up to 100 per
    /// request") is not shown by a field's value alone.
    value_numbers: HashSet<String>,
    text_numbers: HashSet<String>,
}

impl Known {
    pub(super) fn new() -> Known {
        Known {
            words: HashSet::new(),
            stems: HashSet::new(),
            revised: HashSet::new(),
            evidence: HashSet::new(),
            ids: HashSet::new(),
            phrases: String::new(),
            observed: false,
            sent_numbers: HashSet::new(),
            key_kinds: BTreeMap::new(),
            value_numbers: HashSet::new(),
            text_numbers: HashSet::new(),
        }
    }
    pub(super) fn add_text(&mut self, text: &str) {
        for w in words(text) {
            self.add_text_number(&w);
            let r = root(&stem(&w)).to_string();
            self.evidence.insert(r.clone());
            self.stems.insert(r);
            self.add_runs(&w);
            self.words.insert(w);
        }
        add_phrases(text, &mut self.phrases);
    }
    /// Adds a response: all its words are the tool's (on topic, allowed phrases); only those of
    /// [`evidence_text`] back a revision's new words.
    pub(super) fn add_response(&mut self, body: &str, json: Option<&Value>) {
        let (head, _) = crate::text::truncate_chars(body, OBSERVED_CHARS);
        for w in words(head) {
            self.stems.insert(root(&stem(&w)).to_string());
            self.words.insert(w);
        }
        add_phrases(head, &mut self.phrases);
        let parsed;
        let json = match json {
            Some(v) => Some(v),
            None => {
                parsed = serde_json::from_str::<Value>(body).ok();
                parsed.as_ref()
            }
        };
        for w in words(&evidence_text(body, json)) {
            if json.is_none() {
                self.add_text_number(&w);
            }
            self.back(&w);
        }
        if let Some(v) = json {
            number_sources(v, &mut self.value_numbers, &mut self.text_numbers, 0);
        }
        let mut shapes = Shapes::default();
        if let Some(v) = json {
            response_shape_words(v, &mut shapes);
        }
        self.add_said(&shapes.words);
    }
    /// Words that the evidence shows without writing them: a shape ("a JSON array of
    /// objects"), a failure ("rejected with an error").
    fn add_said(&mut self, said: &[&str]) {
        for w in said {
            self.back(w);
        }
    }
    /// Makes a word back what a revision adds.
    fn back(&mut self, word: &str) {
        self.evidence.insert(root(&stem(word)).to_string());
    }
    /// Adds an accepted text of the revision being judged: on topic, not evidence.
    pub(super) fn add_revised(&mut self, text: &str) {
        for w in words(text) {
            self.revised.insert(root(&stem(&w)).to_string());
            self.words.insert(w);
        }
        add_phrases(text, &mut self.phrases);
    }
    /// Whether a word's root is the tool's or the revision's (for `offTopic`).
    pub(super) fn on_topic(&self, root: &str) -> bool {
        self.stems.contains(root) || self.revised.contains(root)
    }
    /// Whether a stem is backed: a word of the documentation, of an identifier, of an observed
    /// response or of arguments a successful call took. Without any observation, everything is.
    pub(super) fn backs(&self, stem: &str) -> bool {
        !self.observed || self.evidence.contains(root(stem))
    }
    /// Whether a number (digits) is shown: backed ([`Known::backs`]) or sent by a call.
    pub(super) fn shows_number(&self, number: &str) -> bool {
        self.backs(number) || self.sent_numbers.contains(number)
    }
    /// Whether a number said as a limit or a duration ("up to 100", "5 minutes") is shown:
    /// as [`Known::shows_number`], but not by a value a response held and nothing wrote.
    pub(super) fn shows_limit(&self, number: &str) -> bool {
        self.sent_numbers.contains(number)
            || self.text_numbers.contains(number)
            || (!self.value_numbers.contains(number) && self.backs(number))
    }
    fn add_text_number(&mut self, word: &str) {
        if !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()) {
            self.text_numbers.insert(word.to_string());
        }
    }
    /// The letter and digit runs of a word back what they say apart: "UUID4" backs "UUID
    /// (version 4)", "int64" a "64-bit integer".
    fn add_runs(&mut self, word: &str) {
        let digit = |c: char| c.is_ascii_digit();
        if !word.contains(digit) || word.chars().all(digit) {
            return;
        }
        let (mut start, mut in_digits) = (0, word.starts_with(digit));
        for (i, c) in word.char_indices() {
            if digit(c) != in_digits {
                self.back(&word[start..i]);
                (start, in_digits) = (i, digit(c));
            }
        }
        self.back(&word[start..]);
    }
    pub(super) fn add_id(&mut self, id: &str) {
        for w in words(id) {
            self.add_runs(&w);
        }
        let mut ids = HashSet::new();
        identifier_stems(id, &mut ids);
        self.stems.extend(ids.iter().map(|s| root(s).to_string()));
        self.evidence.extend(ids.iter().map(|s| root(s).to_string()));
        self.ids.extend(ids);
        self.words.extend(words(id));
    }
    /// Adds what the responses of `trails` say.
    pub fn add_trails(&mut self, trails: &[Trail]) {
        for t in trails {
            if let Some(o) = &t.observation {
                self.observed = true;
                let mut sent = Vec::new();
                value_texts(&t.arguments, &mut sent);
                for w in sent.iter().flat_map(|v| words(v)) {
                    if w.bytes().all(|b| b.is_ascii_digit()) {
                        self.sent_numbers.insert(w);
                    }
                }
                self.add_response(&o.body, o.json.as_ref());
                // What came back besides the body: its status ("returns 204"), its media type
                // ("a PNG image") and its headers ("X-RateLimit-Limit").
                let mut meta = String::new();
                meta.extend(o.status.map(|s| s.to_string()));
                for (name, value) in o
                    .content_type
                    .iter()
                    .map(|c| ("", c.as_str()))
                    .chain(o.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())))
                {
                    if !instruction_like(value) {
                        statement(name, &mut meta);
                        statement(value, &mut meta);
                    }
                }
                for w in words(&meta) {
                    self.add_text_number(&w);
                    self.back(&w);
                }
                if !o.is_success() {
                    self.add_said(FAILURE_WORDS);
                } else {
                    let parsed;
                    let json = match &o.json {
                        Some(v) => Some(v),
                        None => {
                            parsed = serde_json::from_str::<Value>(&o.body).ok();
                            parsed.as_ref()
                        }
                    };
                    if let Some(v) = json {
                        key_kinds(v, &mut self.key_kinds, 0);
                        lengths(v, &mut self.sent_numbers, 0);
                    }
                    let mut vals = Vec::new();
                    value_texts(&t.arguments, &mut vals);
                    for v in vals {
                        self.add_text(crate::text::truncate_chars(&v, OBSERVED_CHARS).0);
                    }
                }
            }
        }
    }
}

/// What in a response may back a revision's words: its JSON keys and the words of its values
/// (JSON written into a string is read as JSON), without file paths and URLs (a token with
/// `://` or with two or more slashes) and without tokens over 80 bytes (base64, hashes). A
/// word inside `/work/app/tests/run.sh` or a link says nothing about what the tool does, yet
/// a weak model's "not yet tested" would find it there.
/// Reads about [`OBSERVED_CHARS`] characters; a body that is not JSON is read as text.
pub fn evidence_text(body: &str, json: Option<&Value>) -> String {
    let mut out = String::new();
    match json {
        Some(v) => walk(v, &mut out, 0),
        None => match serde_json::from_str::<Value>(body) {
            Ok(v) => walk(&v, &mut out, 0),
            Err(_) => {
                for line in crate::text::truncate_chars(body, OBSERVED_CHARS).0.lines() {
                    if !instruction_like(line) {
                        statement(line, &mut out);
                    }
                }
            }
        },
    }
    out
}

/// The kind of a JSON value as a bit: null 1, boolean 2, number 4, string 8, array 16,
/// object 32; a string also has the bit of the format it is written in, if any: a UUID 64,
/// an email address 128, a URL 256.
pub(super) fn kind_of(v: &Value) -> usize {
    match v {
        Value::Null => 1,
        Value::Bool(_) => 2,
        Value::Number(_) => 4,
        Value::String(s) => 8 | format_of(s),
        Value::Array(_) => 16,
        Value::Object(_) => 32,
    }
}

/// The format bit of a string ([`kind_of`]): a UUID (8-4-4-4-12 hex digits), an email
/// address (a local part, `@`, a domain with a dot), a URL (`scheme://…`, or a path from the
/// root, `/posts/1`).
fn format_of(s: &str) -> usize {
    let t = s.trim();
    let uuid = t.len() == 36
        && t.char_indices().all(|(i, c)| if matches!(i, 8 | 13 | 18 | 23) { c == '-' } else { c.is_ascii_hexdigit() });
    let email = !t.contains(char::is_whitespace)
        && t.split_once('@').is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
    let scheme = t.split_once("://").is_some_and(|(s, rest)| {
        !s.is_empty()
            && !rest.is_empty()
            && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
    });
    let url = scheme || (t.starts_with('/') && !t.starts_with("//") && !t.contains(char::is_whitespace));
    if uuid {
        64
    } else if email {
        128
    } else if url {
        256
    } else {
        0
    }
}

/// Records the kinds of value each key holds, at any depth (JSON written into a string, as
/// an MCP text block holds it, is read as JSON).
fn key_kinds(v: &Value, out: &mut BTreeMap<String, usize>, depth: usize) {
    if depth > 16 || out.len() > 500 {
        return;
    }
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let parsed = match x {
                    Value::String(t) if t.trim_start().starts_with(['{', '[']) => serde_json::from_str::<Value>(t).ok(),
                    _ => None,
                };
                *out.entry(k.lowercase()).or_default() |= kind_of(parsed.as_ref().unwrap_or(x));
                key_kinds(parsed.as_ref().unwrap_or(x), out, depth + 1);
            }
        }
        Value::Array(a) => a.iter().take(50).for_each(|x| key_kinds(x, out, depth + 1)),
        Value::String(t) if t.trim_start().starts_with(['{', '[']) => {
            if let Ok(x) = serde_json::from_str::<Value>(t) {
                key_kinds(&x, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// What a call that failed shows, in the words a description uses for it.
const FAILURE_WORDS: &[&str] = &["error", "fails", "failure", "rejected", "refused", "invalid"];

/// The words for the shapes a JSON value (and JSON written inside its strings) shows: "json",
/// "object" and "field" for an object, "array" and "list" for an array, "number", "integer",
/// "boolean", "null", "empty".
fn shape_words(v: &Value, out: &mut Shapes, depth: usize) {
    if depth > 32 || out.visited >= SHAPE_NODES {
        return;
    }
    out.visited += 1;
    match v {
        Value::Object(m) => {
            say(out, OBJECT_WORDS);
            if m.is_empty() {
                say(out, &["empty"]);
            }
            m.values().for_each(|x| shape_words(x, out, depth + 1));
        }
        Value::Array(a) => {
            say(out, ARRAY_WORDS);
            if a.is_empty() {
                say(out, &["empty"]);
            }
            match super::array_order::order_of(a) {
                Some(Direction::Ascending) => say(out, &["sorted", "ordered", "ascending"]),
                Some(Direction::Descending) => say(out, &["sorted", "ordered", "descending"]),
                None => {}
            }
            a.iter().take(8).for_each(|x| shape_words(x, out, depth + 1));
        }
        Value::String(s) => text_shape_words(s, out, depth),
        Value::Number(n) => {
            say(out, &["number", "numeric"]);
            say(out, if n.is_f64() { &["decimal", "float"] } else { &["integer"] });
        }
        Value::Bool(_) => say(out, &["boolean", "flag"]),
        Value::Null => say(out, &["null"]),
    }
}

/// What an object is called.
const OBJECT_WORDS: &[&str] = &["object", "field", "key", "property", "map", "mapping", "dictionary", "record"];
/// What an array is called.
const ARRAY_WORDS: &[&str] = &["array", "list", "item", "entry", "element", "collection"];

/// The shape words said so far, and how many values were looked at.
#[derive(Default)]
struct Shapes {
    words: Vec<&'static str>,
    visited: usize,
}

/// Values of a response looked at for its shape words (its first parts show its shape).
const SHAPE_NODES: usize = 2_000;

fn say(out: &mut Shapes, words: &[&'static str]) {
    for w in words {
        if !out.words.contains(w) {
            out.words.push(w);
        }
    }
}

/// A string is text, and JSON when it holds JSON.
fn text_shape_words(s: &str, out: &mut Shapes, depth: usize) {
    say(out, &["text"]);
    if s.is_empty() {
        say(out, &["empty"]);
    }
    let t = s.trim_start();
    if (t.starts_with('{') || t.starts_with('[')) && s.len() <= NESTED_JSON_BYTES {
        if let Ok(inner) = serde_json::from_str::<Value>(s) {
            say(out, &["json"]);
            shape_words(&inner, out, depth + 1);
        }
    }
}

/// The shape words of a JSON response. An MCP tool result's envelope (an object with an array
/// of `content` blocks) is the protocol's, not the tool's: only its `structuredContent` and
/// what its text blocks hold count, so that "returns a list" is not backed for every MCP tool.
fn response_shape_words(v: &Value, out: &mut Shapes) {
    let blocks = v.get("content").and_then(Value::as_array).filter(|b| b.iter().all(|b| b.get("type").is_some()));
    let Some(blocks) = blocks else {
        say(out, &["json"]);
        return shape_words(v, out, 0);
    };
    if let Some(s) = v.get("structuredContent") {
        say(out, &["json"]);
        shape_words(s, out, 0);
    }
    for t in blocks.iter().filter_map(|b| b.get("text").and_then(Value::as_str)) {
        text_shape_words(t, out, 0);
    }
}

/// JSON text inside a string is read as JSON up to this size.
const NESTED_JSON_BYTES: usize = 256 * 1024;

fn walk(v: &Value, out: &mut String, depth: usize) {
    if out.len() >= OBSERVED_CHARS || depth > 32 {
        return;
    }
    match v {
        Value::String(s) => {
            let t = s.trim_start();
            if (t.starts_with('{') || t.starts_with('[')) && s.len() <= NESTED_JSON_BYTES {
                if let Ok(inner) = serde_json::from_str::<Value>(s) {
                    return walk(&inner, out, depth + 1);
                }
            }
            if !instruction_like(s) {
                statement(s, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| walk(x, out, depth + 1)),
        Value::Object(m) => {
            for (k, x) in m {
                if !instruction_like(k) {
                    statement(k, out);
                }
                walk(x, out, depth + 1);
            }
        }
        other => statement(&other.to_string(), out),
    }
}

/// Longer tokens of a response back nothing.
const MAX_TOKEN_BYTES: usize = 80;

/// The tokens of `s` that are not paths, links or blobs, onto `out`.
fn statement(s: &str, out: &mut String) {
    for token in s.split_whitespace() {
        if out.len() >= OBSERVED_CHARS {
            return;
        }
        // Paths and links; and tokens too long to be words (base64, hashes, minified data).
        if token.len() > MAX_TOKEN_BYTES || token.contains("://") || token.matches(['/', '\\']).count() >= 2 {
            continue;
        }
        out.push_str(token);
        out.push(' ');
    }
    out.push_str(", ");
}

fn value_texts(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| value_texts(x, out)),
        Value::Object(m) => m.values().for_each(|x| value_texts(x, out)),
        other => out.push(other.to_string()),
    }
}

/// What a JSON Schema says, as texts: its property names and its values (types and the words
/// for them, formats, enum values, descriptions, bounds), and what its constraint keywords
/// mean ("required", "minimum", "default"…). Its other keywords ("description",
/// "properties", "additionalProperties", "$ref") name the schema's parts, not the tool's: a
/// rewrite's "providing a description of the entity" is not backed by a schema that has
/// descriptions.
fn schema_texts(schema: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 32 {
        return;
    }
    let Value::Object(m) = schema else {
        if let Value::Array(a) = schema {
            a.iter().for_each(|x| schema_texts(x, out, depth + 1));
        }
        return;
    };
    for (key, v) in m {
        let meaning: &[&str] = match key.as_str() {
            "properties" | "patternProperties" | "$defs" | "definitions" => {
                for (name, s) in v.as_object().into_iter().flatten() {
                    out.push(name.clone());
                    schema_texts(s, out, depth + 1);
                }
                continue;
            }
            "type" => {
                value_texts(v, out);
                for t in v.as_array().map_or_else(|| vec![v], |a| a.iter().collect()) {
                    out.extend(type_words(t.as_str().unwrap_or("")).iter().map(|w| w.to_string()));
                }
                continue;
            }
            "description" | "title" | "format" | "pattern" | "enum" | "const" | "examples" | "example" => {
                value_texts(v, out);
                continue;
            }
            "required" if v.as_array().is_some_and(|a| !a.is_empty()) => &["required"],
            "minimum" | "exclusiveMinimum" | "minLength" | "minItems" | "minProperties" => &["minimum", "least"],
            "maximum" | "exclusiveMaximum" | "maxLength" | "maxItems" | "maxProperties" => &["maximum", "most"],
            "default" => &["default"],
            "uniqueItems" if v == &Value::Bool(true) => &["unique"],
            "nullable" if v == &Value::Bool(true) => &["null"],
            _ => {
                schema_texts(v, out, depth + 1);
                continue;
            }
        };
        out.extend(meaning.iter().map(|w| w.to_string()));
        // A bound's number, a default's value.
        if key == "default" || (!v.is_object() && !v.is_array()) {
            value_texts(v, out);
        }
    }
}

/// The words for a JSON Schema type.
fn type_words(t: &str) -> &'static [&'static str] {
    match t {
        "object" => OBJECT_WORDS,
        "array" => ARRAY_WORDS,
        "integer" => &["integer", "number", "numeric"],
        "number" => &["number", "numeric", "decimal", "float"],
        "boolean" => &["boolean", "flag"],
        "string" => &["text"],
        _ => &[],
    }
}

/// What the tool says: its names, `op`'s documentation and the responses of `trails`.
pub fn operation_known(tool: &str, op: &Operation, trails: &[Trail]) -> Known {
    let mut k = Known::new();
    k.add_id(tool);
    k.add_id(&op.id);
    k.add_id(&op.name);
    if let Some(h) = &op.http {
        k.add_id(&h.path);
    }
    k.add_text(op.title.as_deref().unwrap_or(""));
    k.add_text(&op.description);
    for p in &op.parameters {
        k.add_id(&p.name);
        k.add_text(&p.description);
        let mut vals = Vec::new();
        for v in p.enum_values.iter().chain(&p.examples).chain(p.default.iter()) {
            value_texts(v, &mut vals);
        }
        // The schema's words too ("number", "date-time", property names), not its keywords.
        schema_texts(&p.schema, &mut vals, 0);
        for v in vals {
            k.add_text(&v);
        }
    }
    k.add_trails(trails);
    k
}
