//! The core's error codes and their categories, for JS (`errorCodes()`, `errorCategory()`):
//! the CLI's exit codes follow from them.

use wasm_bindgen::prelude::*;

/// Every error code the core emits, with its category: `[{code, category}]`.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Result<JsValue, JsValue> {
    super::convert::to_js(crate::error::ERROR_CODES)
}

/// The category of an error code (`internal` for a code the core does not emit).
#[wasm_bindgen(js_name = errorCategory)]
pub fn error_category(code: &str) -> String {
    crate::error::category_of(code).name().to_string()
}
