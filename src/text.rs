//! Cutting text to a size, the one way the crate does it: by characters for what a model or a
//! person reads ([`truncate_chars`], [`clip`], [`json_clip`]), by bytes for what a buffer holds
//! ([`cut_at_boundary`]). Every cut ends on a character boundary.
//!
//! ```
//! use tooldraft::text::{clip, cut_at_boundary, truncate_chars};
//! assert_eq!(truncate_chars("héllo", 2), ("hé", true));
//! assert_eq!(clip("abcdef", 3), "abc [… 3 more characters not shown]");
//! assert_eq!(cut_at_boundary("é", 1), "");
//! ```

use serde_json::Value;

/// The first `max` characters of `s` (on a character boundary), and whether it was cut.
pub fn truncate_chars(s: &str, max: usize) -> (&str, bool) {
    match s.char_indices().nth(max) {
        Some((i, _)) => (&s[..i], true),
        None => (s, false),
    }
}

/// `s` cut to `max` characters with a marker saying how much was left out.
pub fn clip(s: &str, max: usize) -> String {
    let (head, cut) = truncate_chars(s, max);
    if cut {
        format!("{head} [… {} more characters not shown]", s.chars().count() - max)
    } else {
        head.to_string()
    }
}

/// A value as compact JSON, cut to `max` characters.
pub fn json_clip(v: &Value, max: usize) -> String {
    clip(&serde_json::to_string(v).unwrap_or_default(), max)
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
pub fn cut_at_boundary(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}
