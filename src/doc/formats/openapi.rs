//! OpenAPI 3.0 / 3.1 and Swagger 2.0, JSON or YAML.
//!
//! **Import** makes one [`Tool`](crate::doc::Tool) per document (`info.title`,
//! `info.description`, `servers[0].url` or Swagger's scheme + host + basePath) and one
//! operation per path and method:
//! - `id` is the `operationId`, or `METHOD /path` when there is none, made unique with a
//!   `_2`, `_3`… suffix; `name` is the `operationId`, or `method_path` made of the method and
//!   the path's alphanumeric runs (`get_users_id`, also made unique);
//! - `title` is the summary, `description` the description (the summary when there is none);
//! - parameters come from the path item and the operation (the operation's win by name and
//!   location); a JSON or form body that is an object with properties (its own or through
//!   `allOf`) gives one `body` parameter per property, any other body one parameter named
//!   `body`; Swagger's `in: body` and `formData` likewise;
//! - the response schema is the lowest 2xx response's JSON (or `*/*`) schema;
//! - safety comes from the method, overridden field by field by an `x-tooldraft-safety`
//!   object (`readOnly`, `destructive`, `idempotent`, or MCP's `readOnlyHint`,
//!   `destructiveHint`, `idempotentHint`; `true`/`false`, or `null` for unknown): no wider
//!   convention exists, so this is ours, and export writes it only where the hints differ
//!   from the method's;
//! - examples come from `x-tooldraft-examples` (a list of `{query, arguments, result,
//!   verified}`), which is where export writes them.
//!
//! Local `$ref`s are followed (chains too); schemas are inlined nearest-first under a size
//! budget, so shared schemas are never copied exponentially: a reference that would recur
//! inside itself, or that would grow the copy past the budget, stays a `$ref` into the
//! document ([`self_contained`] makes such a schema stand alone with `$defs`). A reference at
//! the top (the root, or a root array's `items`) is always followed, so a schema's own
//! keywords are there. A dangling or external `$ref` is a warning in [`ToolDoc::warnings`], as
//! is a document without operations (an empty tool, not an error).
//!
//! **Export** in the document's own flavour patches [`ToolDoc::source`]: only what the model
//! changed is written (descriptions and summaries, `info.title`/`info.description`, examples,
//! a response schema where the source has none, safety hints), so everything else (`x-`
//! extensions, tags, servers, security, components, key order) comes back equal. A
//! description read from a shared component (a `$ref`'d parameter, a property of a shared
//! schema) is written there, and the returned list says so. Other changes (schemas,
//! `required`, added or removed operations) are not written and are listed. Swagger 2.0 converts to
//! OpenAPI 3.0.3 and OpenAPI 3 back to Swagger 2.0, reporting what cannot be carried. A
//! document from another format becomes a fresh OpenAPI 3.1 document (see [`export`]).
//!
//! ```
//! use tooldraft::doc::formats::{self, openapi};
//! let text = "openapi: 3.1.0\ninfo: {title: Pets, version: '1'}\npaths:\n  /pets/{id}:\n    get:\n      summary: Get a pet\n      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]\n      responses: {'200': {description: OK}}\n";
//! let mut doc = formats::import(text, None).unwrap();
//! let op = &doc.tools[0].operations[0];
//! assert_eq!((op.id.as_str(), op.name.as_str()), ("GET /pets/{id}", "get_pets_id"));
//! assert_eq!(op.pointer, "/paths/~1pets~1{id}/get");
//! doc.tools[0].operations[0].description = "Fetches one pet by its id.".into();
//! let (out, lost) = openapi::export(&doc, openapi::Target::OpenApi3).unwrap();
//! assert_eq!(out["paths"]["/pets/{id}"]["get"]["description"], "Fetches one pet by its id.");
//! assert!(lost.is_empty());
//! ```

mod build;
mod compare;
mod downgrade;
mod import;
mod params;
mod patch;
mod refs;
mod upgrade;

use crate::doc::{DocError, Safety, ToolDoc};
use serde_json::Value;
use std::borrow::Cow;

/// Which OpenAPI flavour to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    OpenApi3,
    Swagger2,
}

/// The operation extension holding tooldraft's examples.
pub const EXAMPLES_KEY: &str = "x-tooldraft-examples";
/// The operation extension holding safety hints.
pub const SAFETY_KEY: &str = "x-tooldraft-safety";

/// The flavour of a source document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flavor {
    Swagger2,
    OpenApi30,
    OpenApi31,
}

/// Reads OpenAPI 3.x or Swagger 2.0 (sets `format` and `version`; the caller keeps the value
/// as `source`).
pub fn import(value: &Value) -> Result<ToolDoc, DocError> {
    import::read(value).map(|i| i.doc)
}

/// Writes OpenAPI 3.x or Swagger 2.0, with what could not be carried (one line each).
///
/// - A document read from OpenAPI or Swagger is patched in place (see the module docs), then
///   converted when the target is the other flavour. Notes about shared components written
///   through a `$ref` are in the list too.
/// - Any other document becomes OpenAPI 3.1 (then Swagger 2.0 if asked): operations with an
///   HTTP binding keep their method and path; others become `POST /{name}` with a JSON body
///   of their parameters (listed as lost, since the call is not really HTTP). With several
///   tools, each tool is a tag (its description kept), operations without a binding go to
///   `POST /{tool}/{name}`, a path already taken by an earlier tool is prefixed with
///   `/{tool}`, and a tool whose base URL differs from the first tool's gets path-level
///   `servers`.
pub fn export(doc: &ToolDoc, target: Target) -> Result<(Value, Vec<String>), DocError> {
    export_cow(doc, target).map(|(v, lost)| (v.into_owned(), lost))
}

/// [`export`], borrowing the source when it is written back unchanged (no copy to render).
pub(crate) fn export_cow(doc: &ToolDoc, target: Target) -> Result<(Cow<'_, Value>, Vec<String>), DocError> {
    let from_openapi = matches!(doc.format, Some(crate::doc::Format::OpenApi | crate::doc::Format::Swagger));
    let flavor = if from_openapi { import::flavor_of(&doc.source).ok().map(|f| f.0) } else { None };
    let Some(flavor) = flavor else {
        let (fresh, mut lost) = build::fresh(doc);
        return Ok(match target {
            Target::OpenApi3 => (Cow::Owned(fresh), lost),
            Target::Swagger2 => (Cow::Owned(downgrade::to_swagger2(&fresh, &mut lost)), lost),
        });
    };
    let (patched, mut lost) = patch::patch(doc, flavor)?;
    Ok(match (flavor, target) {
        (Flavor::Swagger2, Target::Swagger2) | (Flavor::OpenApi30 | Flavor::OpenApi31, Target::OpenApi3) => {
            (patched, lost)
        }
        (Flavor::Swagger2, Target::OpenApi3) => (Cow::Owned(upgrade::to_openapi3(&patched, &mut lost)), lost),
        (_, Target::Swagger2) => (Cow::Owned(downgrade::to_swagger2(&patched, &mut lost)), lost),
    })
}

/// A copy of a schema from an imported OpenAPI or Swagger document (a parameter's or a
/// response's) that stands alone. Import keeps a `$ref` into the document where a schema
/// contains itself or would pass the inline budget; formats without a document around the
/// schema (MCP, OpenAI…) need it self-contained: those references become `#/$defs/<name>`
/// and the schemas they name are copied once each into `$defs`.
///
/// ```
/// use serde_json::json;
/// use tooldraft::doc::formats::openapi::self_contained;
/// let source = json!({"definitions": {"Node": {"type": "object", "properties": {"next": {"$ref": "#/definitions/Node"}}}}});
/// let s = self_contained(&json!({"$ref": "#/definitions/Node"}), &source);
/// assert_eq!(s["$ref"], "#/$defs/Node");
/// assert_eq!(s["$defs"]["Node"]["properties"]["next"]["$ref"], "#/$defs/Node");
/// ```
pub fn self_contained(schema: &Value, source: &Value) -> Value {
    refs::self_contained(schema, source)
}

/// Applies an operation's `x-tooldraft-safety` hints over the method's.
fn apply_safety_hints(op: &Value, safety: &mut Safety) {
    let Some(h) = op.get(SAFETY_KEY).and_then(Value::as_object) else { return };
    for (keys, field) in [
        (["readOnly", "readOnlyHint"], &mut safety.read_only),
        (["destructive", "destructiveHint"], &mut safety.destructive),
        (["idempotent", "idempotentHint"], &mut safety.idempotent),
    ] {
        match keys.iter().find_map(|k| h.get(*k)) {
            Some(Value::Bool(b)) => *field = Some(*b),
            Some(Value::Null) => *field = None,
            _ => {}
        }
    }
}

/// The `x-tooldraft-safety` value for a safety that differs from `default` (only the fields
/// that differ; `null` for unknown), if it does.
fn safety_hints(safety: &Safety, default: &Safety) -> Option<Value> {
    if safety == default {
        return None;
    }
    let mut m = serde_json::Map::new();
    for (k, v, d) in [
        ("readOnly", safety.read_only, default.read_only),
        ("destructive", safety.destructive, default.destructive),
        ("idempotent", safety.idempotent, default.idempotent),
    ] {
        if v != d {
            m.insert(k.into(), v.map_or(Value::Null, Value::Bool));
        }
    }
    Some(Value::Object(m))
}
