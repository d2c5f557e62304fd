//! Core errors as JS errors: one `Error` per failure, whose `name` is the core error's
//! stable `code()`, whose `message` is its Display text and whose `category` says what kind
//! of failure it is (`input`, `endpoint`, `interrupted`, `internal`: [`crate::error`]).
//! Document errors also carry where they happened (`line` and `column`, or `pointer`), so a
//! UI can point at the spot. `errorCodes()` lists every code with its category and
//! `errorCategory(code)` looks one up (for the `code` of an event).
//!
//! ```ignore
//! let e = to_js_error(&DocError::Empty);   // Error { name: 'EmptyDocument', message: 'the document is empty' }
//! ```

use crate::doc::DocError;
use crate::host::HostError;
#[cfg(feature = "engine")]
use crate::llm::LlmError;
#[cfg(feature = "engine")]
use crate::tools::ToolError;
use std::fmt::Display;
use wasm_bindgen::prelude::*;

/// A core error with a stable code.
pub trait Coded: Display {
    /// The stable code, used as the JS error's `name`.
    fn code(&self) -> &'static str;
    /// Adds fields that locate the error (line, column, pointer) to the JS error.
    fn locate(&self, _error: &js_sys::Error) {}
}

impl Coded for DocError {
    fn code(&self) -> &'static str {
        DocError::code(self)
    }
    fn locate(&self, error: &js_sys::Error) {
        match self {
            DocError::Syntax { line, column, .. } => {
                set(error, "line", &JsValue::from_f64(*line as f64));
                set(error, "column", &JsValue::from_f64(*column as f64));
            }
            DocError::Structure { pointer, .. } => set(error, "pointer", &JsValue::from_str(pointer)),
            _ => {}
        }
    }
}

impl Coded for HostError {
    fn code(&self) -> &'static str {
        HostError::code(self)
    }
}

#[cfg(feature = "engine")]
impl Coded for LlmError {
    fn code(&self) -> &'static str {
        LlmError::code(self)
    }
}

#[cfg(feature = "engine")]
impl Coded for ToolError {
    fn code(&self) -> &'static str {
        ToolError::code(self)
    }
}

/// The one conversion from a core error to a JS `Error`.
pub fn to_js_error<E: Coded + ?Sized>(error: &E) -> JsValue {
    let js = new_error(error.code(), &error.to_string());
    error.locate(&js);
    js.into()
}

/// A JS `Error` raised by the façade itself (a bad argument, a run already going).
pub fn js_error(name: &str, message: &str) -> JsValue {
    new_error(name, message).into()
}

fn new_error(name: &str, message: &str) -> js_sys::Error {
    let e = js_sys::Error::new(message);
    e.set_name(name);
    set(&e, "category", &JsValue::from_str(crate::error::category_of(name).name()));
    e
}

fn set(error: &js_sys::Error, key: &str, value: &JsValue) {
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(error, &JsValue::from_str(key), value);
}

/// The `name` and `message` of whatever a JS function threw or rejected with.
pub fn describe(value: &JsValue) -> (String, String) {
    if let Some(e) = value.dyn_ref::<js_sys::Error>() {
        let name = String::from(e.name());
        let mut message = String::from(e.message());
        // Node's fetch says "fetch failed" and puts the reason (ECONNREFUSED, …) in `cause`.
        if let Ok(cause) = js_sys::Reflect::get(e, &JsValue::from_str("cause")) {
            if !cause.is_undefined() && !cause.is_null() {
                let (_, cause_message) = describe(&cause);
                if !cause_message.is_empty() && cause_message != message {
                    message = format!("{message}: {cause_message}");
                }
            }
        }
        return (name, message);
    }
    if let Some(s) = value.as_string() {
        return ("Error".into(), s);
    }
    if value.is_object() {
        let name = string_field(value, "name").unwrap_or_else(|| "Error".into());
        if let Some(message) = string_field(value, "message") {
            return (name, message);
        }
    }
    let text =
        js_sys::JSON::stringify(value).ok().and_then(|s| s.as_string()).unwrap_or_else(|| "unknown error".into());
    ("Error".into(), text)
}

fn string_field(value: &JsValue, key: &str) -> Option<String> {
    js_sys::Reflect::get(value, &JsValue::from_str(key)).ok()?.as_string()
}
