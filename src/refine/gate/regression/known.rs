//! What the tool itself says, for the regression rules: the words of its names, its original
//! documentation, its observed responses and the arguments its successful calls took. A
//! revision's text is on topic when it shares a word with it, and what it adds is backed when
//! it is one of these words.

use super::super::echo::add_phrases;
use crate::doc::Operation;
use crate::refine::evidence::Trail;
use crate::refine::words::{identifier_stems, root, stem, words};
use serde_json::Value;
use std::collections::HashSet;

/// Characters of each observed response read for known words (the model is shown 2,048 by
/// default: it cannot have learned a word from further on).
pub(super) const OBSERVED_CHARS: usize = 4096;

/// What the tool itself says: its words, their stems, its identifiers' stems and n-grams.
#[derive(Clone, Debug, PartialEq)]
pub struct Known {
    pub(super) words: HashSet<String>,
    /// Roots (see [`root`]) of the stems: what the documentation and the calls say.
    stems: HashSet<String>,
    /// Roots of what an accepted text of the same revision says (its description, for its
    /// parameters): on topic, but no evidence.
    revised: HashSet<String>,
    pub(super) ids: HashSet<String>,
    /// The tool's own wording, for `echo`'s allowed phrases.
    pub(super) phrases: String,
    /// Whether a call came back (a response, an error body): then the evidence is there and
    /// what a revision adds must be in it.
    pub(super) observed: bool,
}

impl Known {
    pub(super) fn new() -> Known {
        Known {
            words: HashSet::new(),
            stems: HashSet::new(),
            revised: HashSet::new(),
            ids: HashSet::new(),
            phrases: String::new(),
            observed: false,
        }
    }
    pub(super) fn add_text(&mut self, text: &str) {
        for w in words(text) {
            self.stems.insert(root(&stem(&w)).to_string());
            self.words.insert(w);
        }
        add_phrases(text, &mut self.phrases);
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
        !self.observed || self.stems.contains(root(stem))
    }
    pub(super) fn add_id(&mut self, id: &str) {
        let mut ids = HashSet::new();
        identifier_stems(id, &mut ids);
        self.stems.extend(ids.iter().map(|s| root(s).to_string()));
        self.ids.extend(ids);
        self.words.extend(words(id));
    }
    /// Adds what the responses of `trails` say.
    pub fn add_trails(&mut self, trails: &[Trail]) {
        for t in trails {
            if let Some(o) = &t.observation {
                self.observed = true;
                let (body, _) = crate::text::truncate_chars(&o.body, OBSERVED_CHARS);
                self.add_text(body);
                if o.is_success() {
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

fn value_texts(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| value_texts(x, out)),
        Value::Object(m) => m.values().for_each(|x| value_texts(x, out)),
        other => out.push(other.to_string()),
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
        // The schema's words too ("number", "date-time", property names).
        vals.push(p.schema.to_string());
        for v in vals {
            k.add_text(&v);
        }
    }
    k.add_trails(trails);
    k
}
