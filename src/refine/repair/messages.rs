//! What a tool's error message says about one parameter, read without a model: the type it
//! expected, the values it allows, the format or pattern it wants, or that it is missing.
//!
//! An error is split into clauses (lines, `;`, sentences); a clause speaks about a parameter
//! when it names it as a whole word (`… at messageType`, `'date' must be …`), or when the
//! operation has a single parameter. Only that parameter's claims are read from the clause.
//!
//! ```
//! use tooldraft::refine::repair::messages::{claims, Claim};
//! let text = r#"Invalid option: expected one of "error"|"success"|"debug" at messageType"#;
//! let found = claims(text, &["messageType", "includeImage"]);
//! assert_eq!(found, vec![("messageType".to_string(), Claim::Enum(vec!["error".into(), "success".into(), "debug".into()]))]);
//! ```

use crate::lowercase::Lowercase;
use crate::refine::evidence::mentions_word;

/// One thing an error message says about a parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// The parameter was missing and must be given.
    Missing,
    /// The JSON type it expected (`string`, `number`, `integer`, `boolean`, `array`, `object`).
    Type(String),
    /// The values it allows, as written (numbers are typed later, against the schema).
    Enum(Vec<String>),
    /// A JSON Schema `format` (`date`, `date-time`, `email`, `uri`, `uuid`, `time`, `ipv4`).
    Format(String),
    /// A regular expression the value must match.
    Pattern(String),
}

/// At most this many allowed values are read from one list.
const MAX_ENUM: usize = 50;

/// The claims `text` makes, each with the parameter (one of `params`) it is about.
pub fn claims(text: &str, params: &[&str]) -> Vec<(String, Claim)> {
    let mut out: Vec<(String, Claim)> = Vec::new();
    for clause in clauses(text) {
        let named: Vec<&str> = params.iter().copied().filter(|p| mentions_word(clause, p)).collect();
        let about = match (named.as_slice(), params) {
            ([one], _) => *one,
            ([], [only]) => *only,
            _ => continue,
        };
        for c in clause_claims(clause, about) {
            let item = (about.to_string(), c);
            if !out.contains(&item) {
                out.push(item);
            }
        }
    }
    out
}

/// Lines, then `;`-separated parts, then sentences (". " followed by a capital letter).
fn clauses(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        for part in line.split(';') {
            let mut rest = part;
            while let Some(i) = sentence_end(rest) {
                out.push(&rest[..i]);
                rest = &rest[i + 2..];
            }
            if !rest.trim().is_empty() {
                out.push(rest);
            }
        }
    }
    out
}

fn sentence_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(2)).find(|&i| b[i] == b'.' && b[i + 1] == b' ' && b[i + 2].is_ascii_uppercase())
}

fn clause_claims(clause: &str, param: &str) -> Vec<Claim> {
    let lower = clause.lowercase();
    let mut out = Vec::new();
    if let Some(values) = allowed_values(clause, &lower) {
        out.push(Claim::Enum(values));
    } else if let Some(t) = expected_type(&lower, param) {
        out.push(Claim::Type(t));
    }
    if let Some(f) = format_of(&lower) {
        out.push(Claim::Format(f.into()));
    } else if let Some(p) = pattern_of(clause, &lower) {
        out.push(Claim::Pattern(p));
    }
    let missing =
        ["received undefined", "is required", "required property", "missing", "must be provided", "must be specified"];
    if missing.iter().any(|m| lower.contains(m)) {
        out.push(Claim::Missing);
    }
    out
}

/// "must be one of: a, b, c", `expected one of "a"|"b"`, "Expected 'a' | 'b', received 'c'",
/// "allowed values: a, b", "valid values are a or b".
fn allowed_values(clause: &str, lower: &str) -> Option<Vec<String>> {
    let markers =
        ["one of", "allowed values", "valid values", "possible values", "valid options", "allowed:", "accepted values"];
    let start = markers.iter().filter_map(|m| lower.find(m).map(|i| i + m.len())).min();
    let list = match start {
        Some(i) => &clause[i..],
        None => {
            // zod's older form: `Expected 'a' | 'b', received 'c'`
            let i = lower.find("expected ")? + "expected ".len();
            let rest = &clause[i..];
            if !rest.contains('|') {
                return None;
            }
            rest
        }
    };
    let list = list.trim_start_matches([':', ' ', '[', '(', '{']);
    let lower_list = list.lowercase();
    let end = [", received", " received", " but ", ", got", " got ", " at ", " instead"]
        .iter()
        .filter_map(|m| lower_list.find(m))
        .min()
        .unwrap_or(list.len());
    let list = list[..end].trim_end_matches([']', ')', '}', '.', ' ']);
    let pieces: Vec<&str> = if list.contains('|') {
        list.split('|').collect()
    } else {
        list.split(',').flat_map(|p| p.split(" or ")).collect()
    };
    let values: Vec<String> = pieces
        .iter()
        .map(|p| {
            p.trim().trim_start_matches("and ").trim().trim_matches(|c| c == '"' || c == '\'' || c == '`').to_string()
        })
        .filter(|v| !v.is_empty())
        .collect();
    let sane = values.len() >= 2 && values.len() <= MAX_ENUM && values.iter().all(|v| v.chars().count() <= 60);
    sane.then_some(values)
}

const TYPE_WORDS: [(&str, &str); 13] = [
    ("integer", "integer"),
    ("int", "integer"),
    ("number", "number"),
    ("numeric", "number"),
    ("float", "number"),
    ("string", "string"),
    ("str", "string"),
    ("text", "string"),
    ("boolean", "boolean"),
    ("bool", "boolean"),
    ("array", "array"),
    ("list", "array"),
    ("object", "object"),
];

/// "expected number", "must be an integer", "is not of type 'string'", "should be boolean",
/// "not a valid integer".
fn expected_type(lower: &str, param: &str) -> Option<String> {
    let param = param.lowercase();
    for lead in ["expected ", "must be ", "should be ", "is not of type ", "not a valid ", "to be "] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(lead) {
            let rest = &lower[from + i + lead.len()..];
            let rest = rest.trim_start_matches(['\'', '"', '`']);
            let rest = rest.strip_prefix("an ").or_else(|| rest.strip_prefix("a ")).unwrap_or(rest);
            let word: String = rest.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
            if word != param {
                if let Some((_, t)) = TYPE_WORDS.iter().find(|(w, _)| *w == word) {
                    return Some((*t).to_string());
                }
            }
            from += i + lead.len();
        }
    }
    None
}

/// A JSON Schema format the clause asks for.
fn format_of(lower: &str) -> Option<&'static str> {
    let asks = ["format", "invalid", "expected", "must", "valid", "should"].iter().any(|w| lower.contains(w));
    if !asks {
        return None;
    }
    let has = |w: &str| lower.contains(w);
    if has("yyyy-mm-ddthh") || has("date-time") || has("datetime") || has("iso 8601 timestamp") {
        Some("date-time")
    } else if has("yyyy-mm-dd") || has("iso 8601 date") || has("iso8601 date") {
        Some("date")
    } else if has("email") {
        Some("email")
    } else if has("valid url") || has("valid uri") || has("invalid url") || has("invalid uri") {
        Some("uri")
    } else if has("uuid") {
        Some("uuid")
    } else if has("hh:mm") {
        Some("time")
    } else if has("ipv4") {
        Some("ipv4")
    } else {
        None
    }
}

/// "must match pattern "^[a-z]+$"", "does not match '…'", "must match /…/".
fn pattern_of(clause: &str, lower: &str) -> Option<String> {
    let i = ["match pattern", "match the pattern", "must match", "does not match", "should match"]
        .iter()
        .filter_map(|m| lower.find(m).map(|i| i + m.len()))
        .min()?;
    let rest = &clause[i..];
    let at = rest.find(['"', '\'', '`', '/'])?;
    let open = rest[at..].chars().next()?;
    let body = &rest[at + 1..];
    let end = body.rfind(open)?;
    let pattern = &body[..end];
    (!pattern.is_empty() && pattern.len() <= 200).then(|| pattern.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str, params: &[&str]) -> Vec<Claim> {
        claims(text, params).into_iter().map(|(_, c)| c).collect()
    }

    #[test]
    fn zod_messages_from_server_everything() {
        let t = "MCP error -32602: Input validation error: Invalid arguments for tool get-sum: Invalid input: expected number, received string at a";
        assert_eq!(claims(t, &["a", "b"]), vec![("a".into(), Claim::Type("number".into()))]);
        let t = "Invalid input: expected string, received undefined at message";
        assert_eq!(one(t, &["message"]), vec![Claim::Type("string".into()), Claim::Missing]);
        let t = r#"Invalid option: expected one of "New York"|"Chicago"|"Los Angeles" at location"#;
        assert_eq!(
            one(t, &["location"]),
            vec![Claim::Enum(vec!["New York".into(), "Chicago".into(), "Los Angeles".into()])]
        );
    }

    #[test]
    fn plain_english_messages() {
        assert_eq!(
            one("status must be one of: available, pending, sold", &["status", "limit"]),
            vec![Claim::Enum(vec!["available".into(), "pending".into(), "sold".into()])]
        );
        assert_eq!(
            one("Invalid enum value. Expected 'asc' | 'desc', received 'up'", &["order"]),
            vec![Claim::Enum(vec!["asc".into(), "desc".into()])]
        );
        assert_eq!(
            one("invalid date format for since, expected YYYY-MM-DD", &["since", "q"]),
            vec![Claim::Format("date".into())]
        );
        assert_eq!(one("email must be a valid email", &["email"]), vec![Claim::Format("email".into())]);
        assert_eq!(one("'limit' is not of type 'integer'", &["limit", "q"]), vec![Claim::Type("integer".into())]);
        assert_eq!(
            one(r#"code must match pattern "^[A-Z]{3}$""#, &["code"]),
            vec![Claim::Pattern("^[A-Z]{3}$".into())]
        );
        assert_eq!(one("Missing required parameter 'q'.", &["q", "limit"]), vec![Claim::Missing]);
    }

    #[test]
    fn a_clause_naming_no_parameter_says_nothing_about_any() {
        assert!(claims("expected number", &["a", "b"]).is_empty());
        assert!(claims("something went wrong with a and b: expected number", &["a", "b"]).is_empty());
        assert!(claims("limit must be a positive integer. Also the server is busy", &["limit", "q"])
            .iter()
            .all(|(p, _)| p == "limit"));
        assert!(claims("The value 'a' must be one of", &["a"]).is_empty(), "no list, no enum");
    }

    #[test]
    fn a_parameter_named_like_a_type_word_is_not_its_type() {
        assert!(claims("expected text", &["text"]).is_empty());
    }
}
