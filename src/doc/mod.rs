//! The tool-documentation model: tools → operations → parameters, with examples, response
//! schemas, safety hints and a revision history; [`formats`], which reads and writes the
//! formats people use; [`diff`], the word-level diff of two descriptions; and [`inspect()`],
//! which counts a document and lists its doc smells.
//!
//! ```
//! use tooldraft::doc::{Location, Parameter};
//! let p = Parameter::new("id", Location::Path);
//! assert!(p.required, "path parameters are always required");
//! ```

pub mod diff;
mod error;
pub mod formats;
mod inspect;
mod model;
pub(crate) mod object_schemas;

pub use error::DocError;
pub use inspect::{inspect, InspectReport, Smell, SmellKind, SHORT_DESCRIPTION_CHARS};
pub use model::*;
