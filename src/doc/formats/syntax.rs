//! Text → JSON value (JSON or YAML) with locations on errors, and back.

use crate::doc::{DocError, Syntax};
use serde_json::Value;
use std::fmt::Write;

/// Parses JSON or YAML text. Errors give the line and column.
pub fn parse_text(text: &str) -> Result<(Value, Syntax), DocError> {
    if text.contains('\0') {
        return Err(DocError::Binary);
    }
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(DocError::Empty);
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        // `Value`'s `FromStr` rather than the generic `serde_json::from_str`: it is compiled in
        // serde_json (optimised for speed, see Cargo.toml) instead of in this size-optimised crate.
        return trimmed.trim_start_matches('\u{feff}').parse::<Value>().map(|v| (v, Syntax::Json)).map_err(|e| {
            DocError::Syntax { syntax: "JSON", line: e.line(), column: e.column(), message: json_message(&e) }
        });
    }
    if let Some((line, column)) = deep_flow_nesting(trimmed, MAX_YAML_FLOW_DEPTH) {
        let message = format!("collections nested deeper than {MAX_YAML_FLOW_DEPTH} levels");
        return Err(DocError::Syntax { syntax: "YAML", line, column, message });
    }
    let value: Value = serde_yaml_ng::from_str(trimmed).map_err(|e| {
        let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((0, 0));
        DocError::Syntax { syntax: "YAML", line, column, message: e.to_string() }
    })?;
    Ok((value, Syntax::Yaml))
}

/// Deepest nesting of YAML flow collections (`[…]`, `{…}`) read. The YAML parser refuses
/// more than 128 levels anyway, but only after scanning the whole text in time that grows
/// with length × depth (a megabyte of `[` took minutes): this check refuses such text first.
const MAX_YAML_FLOW_DEPTH: usize = 128;

/// Where (1-based line and column) flow collections in YAML text first nest deeper than
/// `limit`, looking only at `[` and `{` that open a node (after a line start, `:`, `-`, `?`,
/// `,`, `[` or `{`, ignoring spaces) outside quoted scalars, block plain scalars and comments.
/// One pass.
fn deep_flow_nesting(text: &str, limit: usize) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    // Inside a plain scalar outside flow collections (`a: x[1]`), where brackets are text.
    let mut in_plain = false;
    // The last character that was not a space or tab on this line (`\n` at a line start).
    let mut before = '\n';
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        column += 1;
        let node_start = matches!(before, '\n' | ':' | '-' | '?' | ',' | '[' | '{');
        match c {
            '\n' => {
                (line, column, before, in_plain) = (line + 1, 0, '\n', false);
                continue;
            }
            ' ' | '\t' | '\r' => continue,
            '#' if node_start || before == ' ' => {
                // A comment: skip to the end of the line.
                for c in chars.by_ref() {
                    if c == '\n' {
                        (line, column, before, in_plain) = (line + 1, 0, '\n', false);
                        break;
                    }
                }
                continue;
            }
            '"' | '\'' if node_start => {
                // A quoted scalar (it may span lines): skip to its closing quote.
                let mut escaped = false;
                for q in chars.by_ref() {
                    column += 1;
                    if q == '\n' {
                        (line, column) = (line + 1, 0);
                    }
                    if c == '"' && !escaped && q == '\\' {
                        escaped = true;
                        continue;
                    }
                    if q == c && !escaped {
                        break;
                    }
                    escaped = false;
                }
            }
            '[' | '{' if node_start && !(depth == 0 && in_plain) => {
                depth += 1;
                if depth > limit {
                    return Some((line, column));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            ':' => in_plain = false,
            '-' | '?' | ',' => {}
            _ if node_start && depth == 0 => in_plain = true,
            _ => {}
        }
        before = c;
    }
    None
}

fn json_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    // serde_json appends " at line L column C"; we report those separately.
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Renders a value as pretty JSON or YAML.
pub fn render(value: &Value, syntax: Syntax) -> Result<String, DocError> {
    match syntax {
        Syntax::Json => {
            // `Value`'s pretty `Display` rather than the generic `to_string_pretty`: the same
            // text, from code compiled (optimised for speed) in serde_json.
            let mut s = String::new();
            write!(s, "{value:#}").map_err(|e| DocError::Export { format: "json", message: e.to_string() })?;
            s.push('\n');
            Ok(s)
        }
        Syntax::Yaml => {
            serde_yaml_ng::to_string(value).map_err(|e| DocError::Export { format: "yaml", message: e.to_string() })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_yaml_flow_nesting_is_found_outside_quotes_and_comments() {
        assert_eq!(deep_flow_nesting("a: [[[1]]]", 3), None);
        assert_eq!(deep_flow_nesting("a: [[[[1]]]]", 3), Some((1, 7)));
        assert_eq!(deep_flow_nesting("a:\n - {b: [{c: [1]}]}", 3), Some((2, 13)));
        assert_eq!(deep_flow_nesting("a: '[[[[['\nb: \"[[[[\\\"[[[\"\n# [[[[[\nc: x[[[[[ # [[[[", 3), None);
        assert_eq!(deep_flow_nesting("a: [1]\nb: [2]\nc: [[[3]]]", 3), None, "closed collections end");
        assert_eq!(deep_flow_nesting("a: x - [[[[\nb: http://x/[[[[", 3), None, "brackets in plain scalars");
        assert_eq!(deep_flow_nesting("x[[[[: [[[[1]]]]", 3), Some((1, 11)));
    }

    #[test]
    fn yaml_round_trips_scalars_that_look_like_other_types() {
        let value = serde_json::json!({
            "yes": "yes", "on": "on", "number": "1.0", "hex": "0x1F", "null": "null", "tilde": "~",
            "empty": "", "colon": "x: y", "dash": "- z", "hash": "#c", "at": "@at", "lines": "a\nb",
            "lead": " lead", "quotes": "'q' \"dq\"", "date": "2024-01-01", "inf": ".inf",
            "unicode": "é ünïcode", "int": 9007199254740993u64, "float": 1.5e300, "list": [], "map": {}
        });
        let text = render(&value, Syntax::Yaml).unwrap();
        assert_eq!(parse_text(&text).unwrap(), (value, Syntax::Yaml), "{text}");
    }

    #[test]
    fn yaml_errors_give_the_line_and_column() {
        for (text, at) in [("a: [1, 2\nb: 3", (2, 2)), ("a: b\n  c: d", (2, 4)), ("k: 'open\n", (1, 9))] {
            match parse_text(text) {
                Err(DocError::Syntax { syntax: "YAML", line, column, .. }) => assert_eq!((line, column), at, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_megabyte_of_yaml_flow_nesting_is_refused_at_once() {
        let text = format!("a: {}", "[".repeat(1 << 20));
        match parse_text(&text) {
            Err(DocError::Syntax { syntax: "YAML", line: 1, column: 132, message }) => {
                assert!(message.contains("nested deeper than 128"), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }
}
