//! Documents in JS: `parseDoc`, `inspect`, `convert`, `exportDoc`, `diffText` and `escapeHtml`. Each
//! takes plain values and returns plain objects (the serde shapes of the core types), and
//! throws an `Error` whose `name` is a stable code (`SyntaxError`, `StructureError`,
//! `UnknownFormat`, `EmptyDocument`, `BinaryDocument`, `ExportError`, `InvalidArgument`).
//!
//! ```ignore
//! // JS: convert(text, 'openai')  → {format: 'openai', text: '…', lost: ['…']}
//! ```

use super::convert::{from_js, optional_string_arg, string_arg, to_js};
use super::error::{js_error, to_js_error};
use crate::doc::diff::diff_words;
use crate::doc::{formats, Format, ToolDoc};
use wasm_bindgen::prelude::*;

fn format_arg(value: &JsValue, what: &str) -> Result<Option<Format>, JsValue> {
    match optional_string_arg(value, what)? {
        None => Ok(None),
        Some(name) => Format::parse(&name).map(Some).ok_or_else(|| {
            let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
            js_error(
                "UnknownFormat",
                &format!("{what}: unknown format \"{name}\"; expected one of {}", names.join(", ")),
            )
        }),
    }
}

fn required_format(value: &JsValue, what: &str) -> Result<Format, JsValue> {
    format_arg(value, what)?.ok_or_else(|| js_error("InvalidArgument", &format!("{what} must be a format name")))
}

fn import(text: &JsValue, format: &JsValue) -> Result<ToolDoc, JsValue> {
    let text = string_arg(text, "text")?;
    let format = format_arg(format, "format")?;
    reserve_heap(text.len().saturating_mul(8));
    formats::import(&text, format).map_err(|e| to_js_error(&e))
}

/// Reads a document (JSON or YAML), detecting its format unless one is given.
#[wasm_bindgen(js_name = parseDoc)]
pub fn parse_doc(text: JsValue, format: JsValue) -> Result<JsValue, JsValue> {
    to_js(&import(&text, &format)?)
}

/// Reads a document and reports its format, counts and doc smells.
#[wasm_bindgen]
pub fn inspect(text: JsValue, format: JsValue) -> Result<JsValue, JsValue> {
    let doc = import(&text, &format)?;
    to_js(&crate::doc::inspect(&doc))
}

/// Grows the wasm heap by about `bytes` in one step (a no-op once it is that large). Reading
/// a document takes several times its size in memory; growing the heap to that allocation
/// by allocation makes a first call take about twice as long as later ones.
fn reserve_heap(bytes: usize) {
    drop(Vec::<u8>::with_capacity(bytes));
}

/// Reads a document and writes it in another format: `{format, text, lost}`. A document
/// that comes back unchanged in its own format is the same text (see [`formats::convert`]).
#[wasm_bindgen]
pub fn convert(text: JsValue, to: JsValue, from: JsValue) -> Result<JsValue, JsValue> {
    let to = required_format(&to, "to")?;
    let input = string_arg(&text, "text")?;
    let from = format_arg(&from, "format")?;
    reserve_heap(input.len().saturating_mul(8));
    let (converted, lost) = formats::convert_text(&input, from, to).map_err(|e| to_js_error(&e))?;
    drop(input);
    let js = to_js(&formats::Exported { format: to, text: String::new(), lost })?;
    // The text the caller passed in is already a JS string: hand it back rather than copy
    // megabytes across the boundary again.
    let text = match converted {
        formats::Converted::Same => text,
        formats::Converted::Text(t) => JsValue::from_str(&t),
    };
    js_sys::Reflect::set(&js, &JsValue::from_str("text"), &text)?;
    Ok(js)
}

/// Writes a document (as `parseDoc` returns it, possibly edited) in a format.
#[wasm_bindgen(js_name = exportDoc)]
pub fn export_doc(doc: JsValue, to: JsValue) -> Result<JsValue, JsValue> {
    let to = required_format(&to, "to")?;
    if !doc.is_object() {
        return Err(js_error("InvalidArgument", "doc must be a document object (as parseDoc returns)"));
    }
    let doc: ToolDoc = from_js(doc, "doc")?;
    to_js(&formats::export(&doc, to).map_err(|e| to_js_error(&e))?)
}

/// A word-level diff of two texts (see [`diff_words`]).
#[wasm_bindgen(js_name = diffText)]
pub fn diff_text(before: JsValue, after: JsValue) -> Result<JsValue, JsValue> {
    let before = string_arg(&before, "before")?;
    let after = string_arg(&after, "after")?;
    to_js(&diff_words(&before, &after))
}

/// HTML-escapes text for element content and attribute values alike (`&`, `<`, `>`, `"`, `'`):
/// the core's one escaper (the evaluation's HTML and charts use it too), for the package's and
/// the web app's HTML reports.
#[wasm_bindgen(js_name = escapeHtml)]
pub fn escape_html(text: &str) -> String {
    crate::eval::html::escape(text)
}
