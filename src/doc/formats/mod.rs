//! Reading and writing the formats people use. One file per format, each with `import`
//! (from parsed JSON) and `export` (to JSON); this module parses the text (JSON or YAML, with
//! line and column on errors), detects the format, and dispatches.
//!
//! ```
//! use tooldraft::doc::{formats, Format};
//! let doc = formats::import(r#"{"tools":[{"name":"t","inputSchema":{"type":"object"}}]}"#, None).unwrap();
//! let out = formats::export(&doc, Format::OpenAi).unwrap();
//! assert!(out.text.contains("\"function\""));
//! ```

pub mod anthropic;
mod args;
pub(crate) mod json;
pub(crate) mod lists;
mod lost;
pub mod mcp;
pub mod openai;
pub mod openapi;
mod patch;
pub mod restbench;
mod syntax;
pub mod toolbench;

use super::{DocError, Format, Syntax, ToolDoc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Cow;

pub use syntax::parse_text;

/// The result of writing a document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Exported {
    pub format: Format,
    pub text: String,
    /// What the target format could not carry (one line each, naming the operation).
    pub lost: Vec<String>,
}

/// Reads a document, detecting its format unless one is given.
pub fn import(text: &str, format: Option<Format>) -> Result<ToolDoc, DocError> {
    let (value, syntax) = parse_text(text)?;
    import_value(value, syntax, format)
}

/// Reads an already parsed document.
pub fn import_value(value: Value, syntax: Syntax, format: Option<Format>) -> Result<ToolDoc, DocError> {
    let format = match format {
        Some(f) => f,
        None => detect(&value)?,
    };
    let mut doc = match format {
        Format::OpenApi | Format::Swagger => openapi::import(&value)?,
        Format::Mcp => mcp::import(&value)?,
        Format::OpenAi => openai::import(&value)?,
        Format::Anthropic => anthropic::import(&value)?,
        Format::ToolBench => toolbench::import(&value)?,
        Format::RestBench => restbench::import(&value)?,
    };
    doc.syntax = syntax;
    doc.source = value;
    Ok(doc)
}

/// Writes a document in a format. Writing in the document's own format patches its source,
/// so fields tooldraft does not model survive.
pub fn export(doc: &ToolDoc, format: Format) -> Result<Exported, DocError> {
    let (value, lost) = export_cow(doc, format)?;
    let text = syntax::render(&value, if doc.format == Some(format) { doc.syntax } else { Syntax::Json })?;
    Ok(Exported { format, text, lost })
}

/// Reads a document and writes it in a format. When the document goes back to its own
/// format unchanged (as an OpenAPI document read and written unmodified does), the text
/// comes back as it was, byte for byte: comments, key order and layout included.
///
/// ```
/// use tooldraft::doc::{formats, Format};
/// let text = "openapi: 3.1.0  # ours\ninfo: {title: Pets, version: '1'}\npaths: {}\n";
/// assert_eq!(formats::convert(text, None, Format::OpenApi).unwrap().text, text);
/// ```
pub fn convert(text: &str, from: Option<Format>, to: Format) -> Result<Exported, DocError> {
    let (converted, lost) = convert_text(text, from, to)?;
    let text = match converted {
        Converted::Same => text.to_string(),
        Converted::Text(t) => t,
    };
    Ok(Exported { format: to, text, lost })
}

/// The text [`convert`] writes.
pub(crate) enum Converted {
    /// The input text, unchanged.
    Same,
    Text(String),
}

/// [`convert`], saying when the text is the input itself rather than copying it, and what
/// could not be carried.
pub(crate) fn convert_text(text: &str, from: Option<Format>, to: Format) -> Result<(Converted, Vec<String>), DocError> {
    let doc = import(text, from)?;
    let (value, lost) = export_cow(&doc, to)?;
    let converted = match value {
        // Borrowed: the source itself, which `text` is, with nothing written into it.
        Cow::Borrowed(_) if doc.format == Some(to) => Converted::Same,
        value => {
            Converted::Text(syntax::render(&value, if doc.format == Some(to) { doc.syntax } else { Syntax::Json })?)
        }
    };
    Ok((converted, lost))
}

/// Writes a document as a JSON value, with what could not be carried.
pub fn export_value(doc: &ToolDoc, format: Format) -> Result<(Value, Vec<String>), DocError> {
    export_cow(doc, format).map(|(v, lost)| (v.into_owned(), lost))
}

/// [`export_value`], borrowing the source where it is written back unchanged.
fn export_cow(doc: &ToolDoc, format: Format) -> Result<(Cow<'_, Value>, Vec<String>), DocError> {
    let owned = |r: Result<(Value, Vec<String>), DocError>| r.map(|(v, lost)| (Cow::Owned(v), lost));
    match format {
        Format::OpenApi => openapi::export_cow(doc, openapi::Target::OpenApi3),
        Format::Swagger => openapi::export_cow(doc, openapi::Target::Swagger2),
        Format::Mcp => owned(mcp::export(doc).map(|r| standalone_schemas(doc, format, r))),
        Format::OpenAi => owned(openai::export(doc).map(|r| standalone_schemas(doc, format, r))),
        Format::Anthropic => owned(anthropic::export(doc).map(|r| standalone_schemas(doc, format, r))),
        Format::ToolBench => owned(toolbench::export(doc)),
        Format::RestBench => owned(restbench::export(doc)),
    }
}

/// Schemas imported from OpenAPI or Swagger may keep `$ref`s into the source document
/// (`#/components/schemas/…`), which a function-tool or MCP consumer cannot follow. When such
/// a document is written as MCP, OpenAI or Anthropic tools, each tool's input (and output)
/// schema is made to stand alone: the referenced schemas are copied once into its own
/// `$defs` and the references rewritten to them.
fn standalone_schemas(doc: &ToolDoc, target: Format, exported: (Value, Vec<String>)) -> (Value, Vec<String>) {
    let (mut value, lost) = exported;
    if !matches!(doc.format, Some(Format::OpenApi | Format::Swagger)) {
        return (value, lost);
    }
    let entries: Vec<&mut Value> = match (target, &mut value) {
        (Format::Mcp, Value::Object(m)) => {
            m.get_mut("tools").and_then(Value::as_array_mut).into_iter().flatten().collect()
        }
        (Format::OpenAi | Format::Anthropic, Value::Array(a)) => a.iter_mut().collect(),
        _ => Vec::new(),
    };
    let keys: &[&str] = match target {
        Format::Mcp => &["inputSchema", "outputSchema"],
        Format::Anthropic => &["input_schema"],
        _ => &["parameters"],
    };
    for entry in entries {
        let holder = match entry.get_mut("function") {
            Some(f) if target == Format::OpenAi => f,
            _ => entry,
        };
        for key in keys {
            if let Some(schema) = holder.get_mut(*key) {
                if has_ref(schema) {
                    *schema = openapi::self_contained(schema, &doc.source);
                }
            }
        }
    }
    (value, lost)
}

fn has_ref(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.contains_key("$ref") || m.values().any(has_ref),
        Value::Array(a) => a.iter().any(has_ref),
        _ => false,
    }
}

/// Tells which format a parsed document is in.
pub fn detect(value: &Value) -> Result<Format, DocError> {
    if value.get("openapi").is_some() {
        return Ok(Format::OpenApi);
    }
    if value.get("swagger").is_some() {
        return Ok(Format::Swagger);
    }
    for (f, test) in [
        (Format::Mcp, mcp::detect as fn(&Value) -> bool),
        (Format::OpenAi, openai::detect),
        (Format::Anthropic, anthropic::detect),
        (Format::ToolBench, toolbench::detect),
        (Format::RestBench, restbench::detect),
    ] {
        if test(value) {
            return Ok(f);
        }
    }
    Err(DocError::UnknownFormat(
        "expected OpenAPI, Swagger 2.0, an MCP tools/list result, OpenAI or Anthropic tools, ToolBench or RestBench"
            .into(),
    ))
}
