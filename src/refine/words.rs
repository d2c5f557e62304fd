//! Words for the regression rules: lower-case words, a light stemmer (so "creates",
//! "created" and "create" meet), English function words, words too generic to say what a tool
//! is about ("operation", "returns", "value"), and the words of identifiers (`create_entities`
//! → create, entities; `openNodes` → open, nodes).
//!
//! ```
//! use tooldraft::refine::words::{identifier_words, stem};
//! assert_eq!(stem("creates"), stem("created"));
//! assert_eq!(stem("entities"), stem("entity"));
//! assert_eq!(identifier_words("openNodes"), vec!["open", "nodes"]);
//! ```

use crate::lowercase::Lowercase;
use std::collections::HashSet;
use std::sync::OnceLock;

/// English function words: never content.
const STOPWORDS: [&str; 119] = [
    "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
    "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does",
    "doing", "down", "during", "each", "either", "etc", "few", "for", "from", "further", "had", "has", "have",
    "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself",
    "just", "may", "me", "might", "more", "most", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "one",
    "only", "or", "other", "our", "out", "over", "own", "same", "shall", "she", "should", "so", "some", "such", "than",
    "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under",
    "until", "up", "very", "via", "was", "we", "were", "what", "when", "where", "which", "while", "who", "will",
    "with", "would",
];

/// Words any documentation uses whatever the tool does: not content for topic and
/// informativeness.
const GENERIC: [&str; 40] = [
    "operation",
    "tool",
    "api",
    "endpoint",
    "function",
    "method",
    "parameter",
    "param",
    "argument",
    "arg",
    "value",
    "data",
    "information",
    "info",
    "result",
    "return",
    "response",
    "request",
    "call",
    "use",
    "using",
    "specified",
    "specify",
    "given",
    "provide",
    "based",
    "allow",
    "used",
    "new",
    "next",
    "need",
    "want",
    "you",
    "your",
    "thing",
    "get",
    "set",
    "make",
    "string",
    "object",
];

/// Whether `w` (lower case) is an English function word.
pub fn is_stopword(w: &str) -> bool {
    STOPWORDS.binary_search(&w).is_ok()
}

/// Lower-case alphanumeric words of `text` (`_` and `-` split words).
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(crate::lowercase::lowercase).collect()
}

/// A light English stemmer: plural and verb endings off, a final `e` off.
pub fn stem(word: &str) -> String {
    let lowered;
    let w = if word.chars().any(char::is_uppercase) {
        lowered = word.lowercase();
        lowered.as_str()
    } else {
        word
    };
    let w = w.strip_suffix("'s").unwrap_or(w);
    let n = w.chars().count();
    let mut s = String::with_capacity(w.len());
    if n > 4 && w.ends_with("ies") {
        s.push_str(&w[..w.len() - 3]);
        s.push('y');
    } else if n > 4 && ["sses", "xes", "zes", "ches", "shes"].iter().any(|e| w.ends_with(e)) {
        s.push_str(&w[..w.len() - 2]);
    } else if n > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        s.push_str(&w[..w.len() - 1]);
    } else if n > 5 && w.ends_with("ing") {
        s.push_str(&w[..w.len() - 3]);
    } else if n > 4 && w.ends_with("ed") {
        s.push_str(&w[..w.len() - 2]);
    } else {
        s.push_str(w);
    }
    if s.len() > 3 && s.ends_with('e') {
        s.pop();
    }
    s
}

/// Whether the stem of a word is too generic to carry content.
pub fn is_generic_stem(s: &str) -> bool {
    static STEMS: OnceLock<HashSet<String>> = OnceLock::new();
    STEMS.get_or_init(|| GENERIC.iter().map(|g| stem(g)).collect()).contains(s)
}

/// The first 5 characters of a stem: "deployment" and "deploying" meet, as do "compiler"
/// and "compile" (used where a near miss costs less than a false alarm).
pub fn root(stem: &str) -> &str {
    match stem.char_indices().nth(5) {
        Some((i, _)) => &stem[..i],
        None => stem,
    }
}

/// Stems of the content words of `text`: no function words, no generic words, no single
/// letters (single digits are content: "from 1 to 7").
pub fn content_stems(text: &str) -> Vec<String> {
    words(text)
        .into_iter()
        .filter(|w| (w.chars().count() > 1 || w.bytes().all(|b| b.is_ascii_digit())) && !is_stopword(w))
        .map(|w| stem(&w))
        .filter(|s| !is_generic_stem(s))
        .collect()
}

/// The words of an identifier: split at `_`, `-`, `.`, `/`, spaces, braces and lower→upper
/// case changes.
pub fn identifier_words(id: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in id.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur).lowercase());
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur).lowercase());
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur.lowercase());
    }
    out
}

/// Stems of identifier words, for sets.
pub fn identifier_stems(id: &str, into: &mut HashSet<String>) {
    for w in identifier_words(id) {
        into.insert(stem(&w));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopwords_are_sorted_for_binary_search() {
        assert!(STOPWORDS.windows(2).all(|p| p[0] < p[1]));
        assert!(is_stopword("the") && is_stopword("with") && !is_stopword("graph"));
    }

    #[test]
    fn stems_meet() {
        for (a, b) in [("nodes", "node"), ("retrieves", "retrieve"), ("names", "name"), ("classes", "class")] {
            assert_eq!(stem(a), stem(b), "{a} {b}");
        }
        assert_eq!(stem("status"), "status");
        assert_eq!(content_stems("Open the nodes of the graph by their names"), vec!["open", "nod", "graph", "nam"]);
    }

    #[test]
    fn identifiers_split() {
        assert_eq!(identifier_words("create_entities"), vec!["create", "entities"]);
        assert_eq!(identifier_words("/users/{id}"), vec!["users", "id"]);
        assert_eq!(identifier_words("getHTTPStatus"), vec!["get", "httpstatus"]);
    }
}
