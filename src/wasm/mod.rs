//! The JavaScript boundary: the only module that names wasm-bindgen and js-sys.

use wasm_bindgen::prelude::*;

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}
