//! The tool-documentation model: tools → operations → parameters, with examples, response
//! schemas, safety hints and a revision history; and [`formats`], which reads and writes the
//! formats people use.
//!
//! ```
//! use tooldraft::doc::{Location, Parameter};
//! let p = Parameter::new("id", Location::Path);
//! assert!(p.required, "path parameters are always required");
//! ```

mod error;
pub mod formats;
mod model;

pub use error::DocError;
pub use model::*;
