//! Where the numbers of a response come from, for the regression rules: the lengths it
//! shows without writing them (an array of 3, a 36-character id), the integers it holds as
//! values (a post's `views: 100`) and those it writes as text or under a key that names a
//! limit (`"limit": 100`). A limit a revision states ("up to 100 per request") is not shown
//! by a record's value.

use crate::refine::words::{identifier_words, words};
use serde_json::Value;
use std::collections::HashSet;

/// Characters of each observed response read for known words (the model is shown 2,048 by
/// default: it cannot have learned a word from further on).
pub(super) const OBSERVED_CHARS: usize = 4096;

/// The lengths of a value's arrays and of its strings that are one token (up to 128
/// characters), at any depth.
pub(super) fn lengths(v: &Value, out: &mut HashSet<String>, depth: usize) {
    if depth > 16 || out.len() > 1_000 {
        return;
    }
    match v {
        // Only a token's (an id, a code, a hash): a sentence's length is no claim anyone makes.
        Value::String(t) if t.len() <= 512 && !t.is_empty() && !t.contains(char::is_whitespace) => {
            let n = t.chars().count();
            if n <= 128 {
                out.insert(n.to_string());
            }
        }
        Value::Array(a) => {
            out.insert(a.len().to_string());
            a.iter().take(50).for_each(|x| lengths(x, out, depth + 1));
        }
        Value::Object(m) => m.values().for_each(|x| lengths(x, out, depth + 1)),
        _ => {}
    }
}

/// The integers a JSON value holds as numbers, onto `values`, and the numbers its strings and
/// keys write, onto `texts` (the first parts of it, as [`lengths`] reads).
pub(super) fn number_sources(v: &Value, values: &mut HashSet<String>, texts: &mut HashSet<String>, depth: usize) {
    if depth > 32 {
        return;
    }
    fn text(s: &str, texts: &mut HashSet<String>) {
        texts.extend(words(s).into_iter().filter(|w| w.bytes().all(|b| b.is_ascii_digit())));
    }
    match v {
        Value::Number(n) if !n.is_f64() => {
            values.insert(n.to_string());
        }
        Value::String(s) => text(crate::text::truncate_chars(s, OBSERVED_CHARS).0, texts),
        Value::Array(a) => a.iter().take(50).for_each(|x| number_sources(x, values, texts, depth + 1)),
        Value::Object(m) => {
            for (k, x) in m {
                text(k, texts);
                match x {
                    // A limit the response states (`"limit": 100`, `"retryAfterSeconds": 5`).
                    Value::Number(n) if !n.is_f64() && names_a_limit(k) => {
                        texts.insert(n.to_string());
                    }
                    _ => number_sources(x, values, texts, depth + 1),
                }
            }
        }
        _ => {}
    }
}

/// Words of a key whose number is a limit, a size or a duration, not a record's value
/// (`per_page`, `maxResults`, `retryAfterSeconds`; not `person_id` or `admin`).
const LIMIT_KEYS: [&str; 22] = [
    "delay", "duration", "expires", "interval", "limit", "limits", "max", "maximum", "min", "minimum", "ms", "page",
    "per", "quota", "rate", "retry", "second", "seconds", "size", "timeout", "ttl", "window",
];

fn names_a_limit(key: &str) -> bool {
    identifier_words(key).iter().any(|w| LIMIT_KEYS.contains(&w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::names_a_limit;

    #[test]
    fn a_limit_is_named_by_a_word_of_the_key_not_a_part_of_one() {
        for key in ["limit", "per_page", "maxResults", "retryAfterSeconds", "ttl", "page-size", "rateLimit"] {
            assert!(names_a_limit(key), "{key}");
        }
        for key in ["person_id", "admin", "generated", "views", "summary", "properties", "pageviews"] {
            assert!(!names_a_limit(key), "{key}");
        }
    }
}
