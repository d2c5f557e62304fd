//! What the model was told, so that a text that only repeats it can be recognised: the
//! word n-grams of every prompt template (`src/refine/prompts/*.txt`, the system message,
//! the answer templates with their `<placeholders>`) and of the output schemas' field
//! descriptions; the placeholders themselves; and the words of talk about documentation,
//! revisions and exploration ("the next operation you need to explore…").
//!
//! ```
//! use tooldraft::refine::gate::echo::{is_placeholder, prompt_phrase_share};
//! assert!(is_placeholder("The new operation description"));
//! assert!(!is_placeholder("Creates entities in the knowledge graph."));
//! let share = prompt_phrase_share("The new operation description", 4, "");
//! assert_eq!(share, 1.0);
//! ```

use super::super::prompt;
use crate::refine::words::words;
use std::collections::HashSet;
use std::sync::OnceLock;

/// Descriptions in the output schemas (explorer, analyzer, rewriter, summarizer).
const SCHEMA_TEXTS: [&str; 2] = ["the user's request", "parameter name to value"];

/// Placeholder-like answers that say nothing whatever the prompt was.
const NOTHING: [&str; 16] = [
    "todo",
    "tbd",
    "n a",
    "na",
    "none",
    "null",
    "undefined",
    "description",
    "placeholder",
    "lorem ipsum",
    "string",
    "text",
    "no description",
    "description here",
    "insert description here",
    "your description here",
];

/// Words that are about the documentation work, not about a tool.
const META: [&str; 24] = [
    "documentation",
    "documented",
    "docs",
    "revision",
    "revisions",
    "revised",
    "rewrite",
    "rewrites",
    "rewritten",
    "rewriter",
    "explore",
    "explored",
    "exploring",
    "exploration",
    "explorations",
    "explorer",
    "analysis",
    "analyzer",
    "analyse",
    "analyze",
    "mismatch",
    "mismatches",
    "prompt",
    "template",
];

struct Corpus {
    /// Every template text, as words, one entry per template.
    texts: Vec<Vec<String>>,
    /// The `<…>` placeholders of the answer templates, as words joined by spaces.
    placeholders: HashSet<String>,
}

fn templates() -> [&'static str; 10] {
    [
        prompt::SYSTEM,
        prompt::EXPLORER,
        prompt::EXPLORER_EXPLORED,
        prompt::EXPLORER_DIRECTION,
        prompt::EXPLORER_FEEDBACK,
        prompt::ANALYZER,
        prompt::REWRITER,
        prompt::HISTORY,
        prompt::FACTS,
        prompt::SUMMARIZER,
    ]
}

/// The template with its `{{variables}}` cut out (they are filled with data, not prompt text).
fn without_variables(t: &str) -> String {
    let mut out = String::new();
    let mut rest = t;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        out.push_str(" | ");
        rest = rest[i..].find("}}").map(|j| &rest[i + j + 2..]).unwrap_or("");
    }
    out.push_str(rest);
    out
}

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut texts = Vec::new();
        let mut placeholders = HashSet::new();
        for t in templates() {
            let t = without_variables(t);
            for part in t.split('<').skip(1) {
                if let Some(end) = part.find('>') {
                    let ws = words(&part[..end]);
                    if !ws.is_empty() && !part[..end].contains('/') {
                        placeholders.insert(ws.join(" "));
                    }
                }
            }
            // Sentences and placeholders are separate runs of words.
            for piece in t.split(['.', '\n', '<', '>', ':', '"', '|', ';', '(', ')']) {
                let ws = words(piece);
                if !ws.is_empty() {
                    texts.push(ws);
                }
            }
        }
        for s in SCHEMA_TEXTS {
            texts.push(words(s));
            placeholders.insert(words(s).join(" "));
        }
        Corpus { texts, placeholders }
    })
}

/// Word n-grams of every prompt text.
fn ngrams(n: usize) -> &'static HashSet<String> {
    static GRAMS: OnceLock<Vec<(usize, HashSet<String>)>> = OnceLock::new();
    let all = GRAMS.get_or_init(|| {
        (2..=8)
            .map(|n| {
                let mut set = HashSet::new();
                for ws in &corpus().texts {
                    for w in ws.windows(n) {
                        set.insert(w.join(" "));
                    }
                }
                (n, set)
            })
            .collect()
    });
    let n = n.clamp(2, 8);
    &all[n - 2].1
}

/// Whether the text is only a placeholder: one of the prompt's `<placeholders>` (with or
/// without "the"), or a stock non-answer ("TODO", "description", "N/A", "…").
pub fn is_placeholder(text: &str) -> bool {
    if text.len() > 120 {
        return false;
    }
    let ws = words(text);
    if ws.is_empty() {
        return !text.trim().is_empty();
    }
    let joined = ws.join(" ");
    let bare =
        ws.iter().skip_while(|w| matches!(w.as_str(), "the" | "a" | "an")).cloned().collect::<Vec<_>>().join(" ");
    let t = text.trim();
    let bracketed = t.starts_with('<') && t.ends_with('>') && !t[1..].contains('<');
    let c = corpus();
    bracketed
        || NOTHING.contains(&joined.as_str())
        || c.placeholders.contains(&joined)
        || c.placeholders.iter().any(|p| p.strip_prefix("the ").unwrap_or(p) == bare)
}

/// A template's slot inside a text: `{{description}}`, or one of the prompt's
/// `<placeholders>` ("Returns <the user's request>."), as written. (A text that is only a
/// placeholder is [`is_placeholder`]'s.)
pub fn slot(text: &str) -> Option<String> {
    let c = corpus();
    let mut rest = text;
    while let Some(i) = rest.find(['<', '{']) {
        let (open, close) = if rest[i..].starts_with("{{") { ("{{", "}}") } else { (&rest[i..i + 1], ">") };
        if open == "{" {
            rest = &rest[i + 1..];
            continue;
        }
        let inner_start = i + open.len();
        let Some(len) = rest[inner_start..].find(close) else { break };
        let inner = &rest[inner_start..inner_start + len];
        let ws = words(inner);
        let joined = ws.join(" ");
        let bare = joined.strip_prefix("the ").unwrap_or(&joined);
        let prompt_slot = c.placeholders.iter().any(|p| p == &joined || p.strip_prefix("the ").unwrap_or(p) == bare);
        if !ws.is_empty() && inner.len() <= 60 && (open == "{{" || prompt_slot) {
            return Some(rest[i..inner_start + len + close.len()].to_string());
        }
        rest = &rest[inner_start..];
    }
    None
}

/// The share of the text's word n-grams that occur in a prompt template or an output
/// schema and not in `allowed` (the original documentation and the observed responses, as
/// [`add_phrases`] writes them: a prompt phrase the tool's own docs also use is no echo),
/// with the first such phrase. A text shorter than `n` words counts as all echo when it is,
/// as a whole, a run of prompt words (at least 2).
pub fn prompt_phrases(text: &str, n: usize, allowed: &str) -> (f64, Option<String>) {
    let ws = words(text);
    let n = n.clamp(2, 8);
    let is_allowed = |g: &str| allowed.contains(&format!(" {g} "));
    if ws.len() < n {
        let joined = ws.join(" ");
        let found = ws.len() >= 2 && ngrams(ws.len()).contains(&joined) && !is_allowed(&joined);
        return if found { (1.0, Some(joined)) } else { (0.0, None) };
    }
    // The words joined once; each n-gram is a slice of it.
    let joined = ws.join(" ");
    let mut starts = Vec::with_capacity(ws.len() + 1);
    let mut at = 0;
    for w in &ws {
        starts.push(at);
        at += w.len() + 1;
    }
    starts.push(at);
    let set = ngrams(n);
    let mut hits = 0;
    let mut first = None;
    let total = ws.len() + 1 - n;
    for i in 0..total {
        let g = &joined[starts[i]..starts[i + n] - 1];
        if set.contains(g) && !is_allowed(g) {
            hits += 1;
            first.get_or_insert_with(|| g.to_string());
        }
    }
    (hits as f64 / total as f64, first)
}

/// [`prompt_phrases`]' share alone.
pub fn prompt_phrase_share(text: &str, n: usize, allowed: &str) -> f64 {
    prompt_phrases(text, n, allowed).0
}

/// Appends a text's words to `into` for [`prompt_phrases`]' `allowed` (a separator keeps
/// phrases from running across texts).
pub fn add_phrases(text: &str, into: &mut String) {
    if into.is_empty() {
        into.push(' ');
    }
    for w in words(text) {
        into.push_str(&w);
        into.push(' ');
    }
    into.push_str("| ");
}

/// The distinct words about documentation, revisions or exploration in `text` that
/// `known` (the tool's own words) does not have.
pub fn meta_words(text: &str, known: &HashSet<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words(text) {
        if META.contains(&w.as_str()) && !known.contains(&w) && !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_templates_placeholders_are_known() {
        for p in
            ["<the new operation description>", "what to explore next", "its new description", "the user's request"]
        {
            assert!(is_placeholder(p), "{p}");
        }
        for t in ["Open nodes by name.", "Creates entities.", "An array of entity names to retrieve"] {
            assert!(!is_placeholder(t), "{t}");
        }
    }

    #[test]
    fn a_templates_slot_inside_a_text_is_found() {
        assert_eq!(slot("Returns a UUID4. {{description}}").as_deref(), Some("{{description}}"));
        assert_eq!(slot("Sends <the user's request> to the tool.").as_deref(), Some("<the user's request>"));
        assert_eq!(slot("GET /users/{id} returns <b>one</b> user, e.g. {\"id\": 1}."), None);
        assert_eq!(slot("Compares a < b and c > d."), None);
    }

    #[test]
    fn prompt_sentences_are_echo_and_tool_prose_is_not() {
        let echo = "Say what the operation does, what it returns and how to call it.";
        assert!(prompt_phrase_share(echo, 4, "") > 0.9);
        let prose = "Creates multiple new entities in the knowledge graph and returns them.";
        assert_eq!(prompt_phrase_share(prose, 4, ""), 0.0);
        // A phrase the tool's own documentation uses is allowed.
        let mut allowed = String::new();
        add_phrases("It says what it returns and how to call it.", &mut allowed);
        assert!(prompt_phrase_share(echo, 4, &allowed) <= 0.5);
        add_phrases(echo, &mut allowed);
        assert_eq!(prompt_phrase_share(echo, 4, &allowed), 0.0);
    }

    #[test]
    fn meta_talk_is_found_unless_the_tool_is_about_it() {
        let t = "The next operation you need to explore is the next one that does not match the documentation.";
        assert_eq!(meta_words(t, &HashSet::new()), vec!["explore", "documentation"]);
        let known: HashSet<String> = ["documentation".to_string()].into();
        assert_eq!(meta_words(t, &known), vec!["explore"]);
    }
}
