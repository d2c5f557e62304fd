//! The checkable facts of a documentation text, for the `loss` rule: numbers of two or
//! more characters (with their units), URLs, code-shaped identifiers, quoted values, documented enum values named in the
//! text, formats and units (ISO 8601, UTC, JSON, ms, …), conditions ("only when …",
//! "unless", "case-sensitive"), and rules for the caller (a sentence with "should", "must",
//! "never", "do not"…: kept while half its content words are). A fact is *kept* by a rewrite
//! that still says it, anywhere in the revision (the description or any parameter's
//! description).
//!
//! ```
//! use tooldraft::refine::gate::facts::{extract, FactKind};
//! let facts = extract("Returns 100 items, only when `include_all` is set. See https://x.test/a.", &[], &[]);
//! let kinds: Vec<FactKind> = facts.iter().map(|f| f.kind).collect();
//! assert!(kinds.contains(&FactKind::Number) && kinds.contains(&FactKind::Url));
//! assert!(kinds.contains(&FactKind::Identifier) && kinds.contains(&FactKind::Condition));
//! ```

use super::text::{code_shaped, sentences, tokens};
use crate::lowercase::Lowercase;
use crate::refine::words::{content_stems, root, stem, words};
use std::collections::HashSet;

/// What kind of fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FactKind {
    Number,
    Url,
    Identifier,
    Quoted,
    EnumValue,
    Format,
    Condition,
    /// A sentence telling the caller what to do or not to do ("Relations should be in active
    /// voice", "Never pass both ids"): kept while half its content words are still said.
    Rule,
}

/// One fact: how the text says it, and the groups of words any of which keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    pub kind: FactKind,
    /// As the text had it.
    pub text: String,
    /// Lower-case forms; the fact is kept when the new text contains any of them.
    keys: Vec<String>,
    /// Match whole words (stems) rather than substrings.
    by_word: bool,
}

/// Formats and units whose loss changes how a caller must write or read a value.
const FORMATS: [&str; 44] = [
    "iso",
    "8601",
    "utc",
    "gmt",
    "rfc",
    "uuid",
    "guid",
    "base64",
    "csv",
    "json",
    "xml",
    "yaml",
    "html",
    "markdown",
    "yyyy",
    "hh",
    "e164",
    "hex",
    "epoch",
    "unix",
    "timestamp",
    "milliseconds",
    "millisecond",
    "seconds",
    "second",
    "minutes",
    "hours",
    "days",
    "ms",
    "km",
    "kilometers",
    "miles",
    "meters",
    "celsius",
    "fahrenheit",
    "kelvin",
    "bytes",
    "kb",
    "mb",
    "gb",
    "usd",
    "eur",
    "percent",
    "utf",
];

/// Conditions: each group is one fact, kept when the new text has any of its phrases.
/// (Limits, defaults and requiredness are kept by their numbers and values, and by the
/// schema.)
const CONDITIONS: [&[&str]; 2] = [
    &["only when", "only if", "unless", "except when", "provided that"],
    &["case-sensitive", "case sensitive", "case-insensitive", "case insensitive"],
];

/// Words that make a sentence a rule for the caller.
const RULE_MARKERS: [&str; 10] =
    ["should", "must", "never", "always", "do not", "don't", "cannot", "can't", "avoid", "make sure"];

/// The rules of a text ([`FactKind::Rule`]): each sentence with a [`RULE_MARKERS`] word, with
/// the roots of its other content words (2 at least).
fn rules(text: &str, skip: &HashSet<String>) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for s in sentences(text, true) {
        let lower = s.lowercase();
        if !RULE_MARKERS.iter().any(|m| has_phrase(&lower, m)) {
            continue;
        }
        let mut roots: Vec<String> = content_stems(s)
            .iter()
            .filter(|w| !skip.contains(*w) && !RULE_MARKERS.iter().any(|m| stem(m) == **w))
            .map(|w| root(w).to_string())
            .collect();
        crate::order::sort(&mut roots);
        roots.dedup();
        if roots.len() >= 2 {
            out.push((crate::text::clip(s, 80), roots));
        }
    }
    out
}

fn has_phrase(lower: &str, phrase: &str) -> bool {
    let mut from = 0;
    while let Some(i) = lower[from..].find(phrase) {
        let at = from + i;
        let end = at + phrase.len();
        let ok_before = lower[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let ok_after = lower[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if ok_before && ok_after {
            return true;
        }
        from = at + phrase.len().max(1);
    }
    false
}

/// Quoted spans (`'…'`, `"…"`, `` `…` ``, typographic quotes) of at most 40 characters.
fn quoted(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let close = match c {
            '\'' => '\'',
            '"' => '"',
            '`' => '`',
            '‘' => '’',
            '“' => '”',
            _ => {
                i += 1;
                continue;
            }
        };
        let before_ok = i == 0 || !chars[i - 1].1.is_alphanumeric();
        let end = chars[i + 1..].iter().position(|&(_, d)| d == close).map(|k| i + 1 + k);
        match end {
            Some(j) if before_ok && j > i + 1 && j - i <= 41 => {
                let after_ok = chars.get(j + 1).is_none_or(|&(_, d)| !d.is_alphanumeric());
                if after_ok {
                    out.push(&text[at + c.len_utf8()..chars[j].0]);
                    i = j + 1;
                    continue;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// The facts of `text`. `enums` are the operation's documented enum values; `skip` are
/// parameter names (a parameter stays in the schema whatever the text says).
pub fn extract(text: &str, enums: &[String], skip: &[String]) -> Vec<Fact> {
    let mut out: Vec<Fact> = Vec::new();
    let mut push = |kind, shown: &str, keys: Vec<String>, by_word| {
        if !out.iter().any(|f: &Fact| f.keys == keys) {
            out.push(Fact { kind, text: shown.to_string(), keys, by_word });
        }
    };
    let lower = text.lowercase();
    let skip: HashSet<String> = skip.iter().map(|s| s.lowercase()).collect();
    // URLs.
    let mut url_spans = Vec::new();
    let mut at = 0;
    for part in text.split_inclusive(char::is_whitespace) {
        if let Some(i) = part.find("http://").or_else(|| part.find("https://")) {
            let url = part[i..].trim_end_matches(|c: char| !c.is_alphanumeric() && c != '/');
            url_spans.push((at + i, at + i + url.len()));
            let key = url.trim_end_matches('/').lowercase();
            if key.len() > 10 {
                push(FactKind::Url, url, vec![key], false);
            }
        }
        at += part.len();
    }
    // Numbers: words with a digit, except list markers ("1. ", "2) ") and URL parts.
    let bytes = text.as_bytes();
    for t in tokens(text) {
        if !t.text.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        let start = t.text.as_ptr() as usize - text.as_ptr() as usize;
        let end = start + t.text.len();
        let marker = t.text.len() <= 2
            && t.text.bytes().all(|b| b.is_ascii_digit())
            && matches!(bytes.get(end), Some(b'.' | b')'))
            && bytes.get(end + 1).is_none_or(u8::is_ascii_whitespace)
            && (start == 0 || bytes[start - 1].is_ascii_whitespace());
        // A lone digit (a count in prose, "1 of 2") is too weak a fact to keep.
        let lone_digit = t.text.len() == 1;
        if marker || lone_digit || url_spans.iter().any(|&(a, b)| (a..b).contains(&start)) {
            continue;
        }
        let digits: String = t.text.chars().filter(char::is_ascii_digit).collect();
        push(FactKind::Number, t.text, vec![t.text.lowercase(), digits], true);
    }
    // Identifiers and quoted values.
    for t in tokens(text) {
        let l = t.text.lowercase();
        if code_shaped(t.text, t.quoted) && !skip.contains(&l) {
            push(FactKind::Identifier, t.text, vec![l], false);
        }
    }
    for q in quoted(text) {
        let l = q.trim().lowercase();
        if !l.is_empty() && !skip.contains(&l) && l.chars().any(char::is_alphanumeric) {
            push(FactKind::Quoted, q, vec![l], false);
        }
    }
    // Enum values named in the text.
    let text_words: HashSet<String> = words(text).into_iter().collect();
    for e in enums {
        let l = e.lowercase();
        if l.chars().count() >= 2 && (text_words.contains(&l) || (l.contains(' ') && has_phrase(&lower, &l))) {
            push(FactKind::EnumValue, e, vec![l], false);
        }
    }
    // Formats and units.
    for w in &text_words {
        if FORMATS.contains(&w.as_str()) {
            push(FactKind::Format, w, vec![stem(w)], true);
        }
    }
    // Conditions and limits.
    for group in CONDITIONS {
        if let Some(p) = group.iter().find(|p| has_phrase(&lower, p)) {
            push(FactKind::Condition, p, group.iter().map(|s| s.to_string()).collect(), false);
        }
    }
    for (sentence, roots) in rules(text, &skip) {
        push(FactKind::Rule, &sentence, roots, true);
    }
    out
}

/// The new revision's text, prepared for [`Fact::kept_in`].
pub struct Said {
    lower: String,
    stems: HashSet<String>,
    /// The stems' roots, for a rule's words.
    roots: HashSet<String>,
    tokens: HashSet<String>,
    /// The words, for a format named more specifically (`base64` in `base64url`).
    words: Vec<String>,
}

impl Said {
    pub fn new(text: &str) -> Said {
        let lower = text.lowercase();
        let mut stems = HashSet::new();
        let mut toks = HashSet::new();
        let ws = words(text);
        for w in &ws {
            stems.insert(stem(w));
            let digits: String = w.chars().filter(char::is_ascii_digit).collect();
            if !digits.is_empty() {
                toks.insert(digits);
            }
            toks.insert(w.clone());
        }
        let roots = stems.iter().map(|s| root(s).to_string()).collect();
        Said { lower, stems, roots, tokens: toks, words: ws }
    }
}

impl Fact {
    /// Whether the new text still says it.
    pub fn kept_in(&self, said: &Said) -> bool {
        if self.kind == FactKind::Rule {
            let kept = self.keys.iter().filter(|k| said.roots.contains(*k)).count();
            return kept * 2 >= self.keys.len();
        }
        self.keys.iter().any(|k| match (self.kind, self.by_word) {
            (FactKind::Number, _) => said.tokens.contains(k),
            // A format said more specifically is kept: `base64url` says `base64`, `uuidv4` says `uuid`.
            (FactKind::Format, true) => {
                said.stems.contains(k)
                    || (k.len() >= 4
                        && said.words.iter().any(|w| {
                            w.strip_prefix(k.as_str())
                                .is_some_and(|rest| rest.len() <= 4 && rest.chars().all(|c| c.is_ascii_alphanumeric()))
                        }))
            }
            (_, true) => said.stems.contains(k),
            (FactKind::Condition, _) => has_phrase(&said.lower, k),
            _ => said.lower.contains(k.as_str()),
        })
    }

    /// Whether `lower` (an analyzer's finding, a schema; lower case) names it.
    pub fn named_in(&self, lower: &str) -> bool {
        if self.kind == FactKind::Rule {
            let named = self.keys.iter().filter(|k| lower.contains(k.as_str())).count();
            return named * 2 >= self.keys.len();
        }
        self.keys.iter().any(|k| !k.is_empty() && lower.contains(k.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> Vec<String> {
        extract(text, &["celsius".into(), "north".into()], &["user_id".into()]).into_iter().map(|f| f.text).collect()
    }

    #[test]
    fn facts_of_a_text() {
        let f = shown("Up to 50 results per page; dates in ISO 8601. Pass `user_id`, 'north' or \"south\".");
        for want in ["50", "8601", "iso", "north", "south"] {
            assert!(f.contains(&want.to_string()), "{want} in {f:?}");
        }
        assert!(!f.contains(&"user_id".to_string()), "parameter names are no facts: {f:?}");
        let f = shown("It has 12 operations: 1. get the user's name. 2. list them.");
        assert_eq!(f.iter().filter(|x| x.chars().all(|c| c.is_ascii_digit())).count(), 1, "{f:?}");
    }

    #[test]
    fn kept_anywhere_in_the_new_text() {
        let facts = extract("Returns at most 100 items as JSON, only when active.", &[], &[]);
        let said = Said::new("Lists active items (up to 100), unless archived; the body is json.");
        assert!(facts.iter().all(|f| f.kept_in(&said)), "{facts:?}");
        let said = Said::new("Lists items.");
        assert_eq!(facts.iter().filter(|f| !f.kept_in(&said)).count(), 3);
    }

    #[test]
    fn a_format_said_more_specifically_is_kept() {
        let facts = extract("Encodes a string as base64; ids are uuid.", &[], &[]);
        let kept = |t: &str| facts.iter().filter(|f| f.kind == FactKind::Format).all(|f| f.kept_in(&Said::new(t)));
        assert!(kept("Decodes a base64url-encoded string; ids are UUIDv4."));
        assert!(!kept("Decodes a string; ids are uuid."), "base64 dropped");
        assert!(!kept("Decodes a base64encodedpayloadthing string; ids are uuid."), "a longer word is another word");
    }

    #[test]
    fn a_rule_for_the_caller_is_kept_while_half_its_words_are() {
        let text = "Create multiple new relations between entities. Relations should be in active voice";
        let facts = extract(text, &[], &[]);
        let rule = facts.iter().find(|f| f.kind == FactKind::Rule).expect("a rule");
        assert_eq!(rule.text, "Relations should be in active voice");
        // What the embedded model wrote for server-memory's create_relations.
        let said = Said::new("The operation is created, and returns a list of relations between entities.");
        assert!(!rule.kept_in(&said));
        assert!(rule.kept_in(&Said::new("Creates relations, written in the active voice.")));
        assert!(rule.kept_in(&Said::new("Use active-voice relation types (\"works_at\").")));
        // An analyzer's mismatch names it only with half its words too.
        assert!(!rule.named_in("relations were created"));
        assert!(rule.named_in("passive voice was accepted for relations"));
        // Sentences without a rule word, and rules of one word, are no rule facts.
        for plain in ["Relations are in active voice.", "Never mind."] {
            assert!(extract(plain, &[], &[]).iter().all(|f| f.kind != FactKind::Rule), "{plain}");
        }
        let split = sentences("Pass an id. Do not pass a name; it is ignored!\nNever both. v1.2 is e.g. fine", true);
        assert_eq!(split, ["Pass an id.", "Do not pass a name;", "it is ignored!", "Never both.", "v1.2 is e.g. fine"]);
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        assert!(quoted("the user's name and the group's id").is_empty());
        assert_eq!(quoted("set 'small' or `large`"), vec!["small", "large"]);
    }
}
