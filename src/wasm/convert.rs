//! Values across the boundary: one serializer for everything that leaves (plain objects,
//! `null` for missing values, numbers: the shapes `JSON.stringify` would give), and one way
//! in, with errors that say which argument was wrong.
//!
//! Integers beyond JavaScript's safe range (±(2^53 − 1), e.g. the int64 and uint64 limits
//! that generated OpenAPI documents are full of) leave as `BigInt`s, so they are exact, and
//! come back in exactly (a `BigInt` in a document given to `exportDoc` or a run is read as
//! the integer it holds). Every other number is a `number`. `JSON.stringify` refuses
//! `BigInt`s: `pkg/lib/json.mjs` writes and `parseJson` reads JSON with them exactly.
//!
//! ```ignore
//! let js = to_js(&tooldraft::doc::ToolDoc::default())?;     // {format: null, syntax: 'json', tools: [], source: null}
//! let doc: ToolDoc = from_js(js, "doc")?;
//! ```

use super::error::js_error;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Calls a host's listener with `value`, converted only when there is a listener (a run
/// makes thousands of events; converting each for nobody was a tenth of the engine's time).
pub fn notify<T: Serialize + ?Sized>(listener: Option<&js_sys::Function>, value: &T) {
    if let Some(f) = listener {
        if let Ok(js) = to_js(value) {
            let _ = f.call1(&JsValue::UNDEFINED, &js);
        }
    }
}

/// Converts a core value to a plain JS value: written as JSON by serde_json and read by the
/// host's `JSON.parse` (`json_text.rs` says why).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value)
        .map_err(|e| js_error("ConversionError", &format!("could not convert a result to JavaScript: {e}")))?;
    if super::json_text::has_unsafe_integer(&text) {
        // `JSON.parse` would round such an integer (rare): read the text here, where each
        // integer is exact, and build the value with it as a `BigInt`.
        let tree: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| js_error("ConversionError", &format!("could not convert a result to JavaScript: {e}")))?;
        return Ok(super::json_text::value_to_js(&tree));
    }
    js_sys::JSON::parse(&text)
}

/// Reads JSON text as `JSON.parse` would, except that integers beyond ±(2^53 − 1) are
/// `BigInt`s holding them exactly. Throws `SyntaxError` (with `line` and `column`).
#[cfg(feature = "document")]
#[wasm_bindgen(js_name = parseJson)]
pub fn parse_json(text: JsValue) -> Result<JsValue, JsValue> {
    let text = string_arg(&text, "text")?;
    let tree: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        super::error::to_js_error(&crate::doc::DocError::Syntax {
            syntax: "JSON",
            line,
            column,
            message: e.to_string(),
        })
    })?;
    to_js(&tree)
}

/// Converts a JS value to a core value; `what` names the argument in the error
/// (`TypeError`-like, with `name` = `InvalidArgument`).
pub fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    read_js(&value).map_err(|e| js_error("InvalidArgument", &format!("{what}: {e}")))
}

/// Reads a JS value into a core value; the error is serde's message.
pub fn read_js<T: DeserializeOwned>(value: &JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value.clone()).map_err(|e| e.to_string())
}

/// A required string argument.
pub fn string_arg(value: &JsValue, what: &str) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| js_error("InvalidArgument", &format!("{what} must be a string")))
}

/// An optional string argument (`undefined` and `null` are absent).
pub fn optional_string_arg(value: &JsValue, what: &str) -> Result<Option<String>, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        string_arg(value, what).map(Some)
    }
}

/// A property of an object, `None` when absent, `null` or `undefined`.
pub fn property(object: &JsValue, name: &str) -> Result<Option<JsValue>, JsValue> {
    if !object.is_object() && !object.is_function() {
        return Ok(None);
    }
    let v = js_sys::Reflect::get(object, &JsValue::from_str(name))?;
    Ok(if v.is_undefined() || v.is_null() { None } else { Some(v) })
}

/// An optional function property (`what` names it in the error when it is not a function).
pub fn function_property(object: &JsValue, name: &str, what: &str) -> Result<Option<js_sys::Function>, JsValue> {
    match property(object, name)? {
        None => Ok(None),
        Some(v) => v
            .dyn_into::<js_sys::Function>()
            .map(Some)
            .map_err(|_| js_error("InvalidArgument", &format!("{what} must be a function"))),
    }
}

/// A shallow copy of a plain object without its function-valued properties, so the rest
/// can go through serde.
pub fn without_functions(object: &JsValue) -> Result<JsValue, JsValue> {
    if !object.is_object() {
        return Ok(object.clone());
    }
    let out = js_sys::Object::new();
    let entries = js_sys::Object::entries(object.unchecked_ref());
    for entry in entries.iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        let value = pair.get(1);
        if !value.is_function() {
            js_sys::Reflect::set(&out, &pair.get(0), &value)?;
        }
    }
    Ok(out.into())
}
