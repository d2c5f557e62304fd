//! Values across the boundary: one serializer for everything that leaves (plain objects,
//! `null` for missing values, numbers rather than BigInts: the shapes `JSON.stringify` would
//! give), and one way in, with errors that say which argument was wrong.
//!
//! ```ignore
//! let js = to_js(&tooldraft::doc::ToolDoc::default())?;     // {format: null, syntax: 'json', tools: [], source: null}
//! let doc: ToolDoc = from_js(js, "doc")?;
//! ```

use super::error::js_error;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_wasm_bindgen::Serializer;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The one serializer used for every value that leaves Rust.
const SERIALIZER: Serializer = Serializer::json_compatible();

/// Converts a core value to a plain JS value.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&SERIALIZER)
        .map_err(|e| js_error("ConversionError", &format!("could not convert a result to JavaScript: {e}")))
}

/// Converts a JS value to a core value; `what` names the argument in the error
/// (`TypeError`-like, with `name` = `InvalidArgument`).
pub fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| js_error("InvalidArgument", &format!("{what}: {e}")))
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
