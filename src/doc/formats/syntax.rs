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
    let value: Value = serde_yaml::from_str(trimmed).map_err(|e| {
        let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((0, 0));
        DocError::Syntax { syntax: "YAML", line, column, message: e.to_string() }
    })?;
    Ok((value, Syntax::Yaml))
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
            serde_yaml::to_string(value).map_err(|e| DocError::Export { format: "yaml", message: e.to_string() })
        }
    }
}
