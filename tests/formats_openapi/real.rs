//! Real documents: httpbin's Swagger 2.0 (fetched once from a local httpbin and committed)
//! and GitHub's REST description from npm `@octokit/openapi` (read when installed).

use super::{diff, load};
use serde_json::Value;
use std::time::Instant;
use tooldraft::doc::formats::{self, openapi, openapi::Target};
use tooldraft::doc::{Format, Location};

#[test]
fn httpbin_spec_imports_73_operations() {
    let doc = load("httpbin.swagger.json");
    assert_eq!(doc.format, Some(Format::Swagger));
    assert_eq!(doc.operation_count(), 73);
    assert_eq!(doc.tools[0].name, "httpbin.org");
    assert_eq!(doc.tools[0].base_url.as_deref(), Some("https://httpbin.org"));
    // Swagger 2.0 has no `trace`; httpbin lists five anyway.
    assert_eq!(doc.warnings.iter().filter(|w| w.contains("no `trace` operations")).count(), 5);
    let drip = doc.operation("GET /drip").unwrap();
    assert_eq!(drip.name, "get_drip");
    let names: Vec<_> = drip.parameters.iter().map(|p| (p.name.as_str(), p.location)).collect();
    assert_eq!(
        names,
        [
            ("duration", Location::Query),
            ("numbytes", Location::Query),
            ("code", Location::Query),
            ("delay", Location::Query)
        ]
    );
    assert_eq!(drip.parameters[1].default, Some(serde_json::json!(10)));
    let post = doc.operation("POST /redirect-to").unwrap();
    assert_eq!(post.http.as_ref().unwrap().body_media_type.as_deref(), Some("application/x-www-form-urlencoded"));
    assert!(post.parameter("url").unwrap().required);
}

fn github_text() -> Option<String> {
    let path = format!("{}/node_modules/@octokit/openapi/generated/api.github.com.json", env!("CARGO_MANIFEST_DIR"));
    match std::fs::read_to_string(&path) {
        Ok(t) => Some(t),
        Err(e) => {
            println!("skipped: GitHub's OpenAPI description is not installed at {path} ({e})");
            None
        }
    }
}

/// Counts path + method pairs directly, independent of the importer.
fn count_operations(doc: &Value) -> usize {
    const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| item.as_object().unwrap().keys().filter(|k| METHODS.contains(&k.as_str())).count())
        .sum()
}

#[test]
fn github_description_imports_fast_and_round_trips() {
    let Some(text) = github_text() else { return };
    let t0 = Instant::now();
    let (value, syntax) = formats::parse_text(&text).unwrap();
    let parsed = t0.elapsed();
    let t1 = Instant::now();
    let doc = formats::import_value(value, syntax, None).unwrap();
    let imported = t1.elapsed();
    let t2 = Instant::now();
    let (out, lost) = openapi::export(&doc, Target::OpenApi3).unwrap();
    let exported = t2.elapsed();
    let schema_bytes: usize = doc
        .operations()
        .map(|o| {
            let params: usize = o.parameters.iter().map(|p| serde_json::to_string(&p.schema).unwrap().len()).sum();
            params + o.response_schema.as_ref().map_or(0, |s| serde_json::to_string(s).unwrap().len())
        })
        .sum();
    println!(
        "GitHub ({} MB, {} operations, {} parameters): parse {parsed:?}, import {imported:?}, export {exported:?}; \
         inlined schemas {:.1} MB; {} warnings",
        text.len() / 1_000_000,
        doc.operation_count(),
        doc.parameter_count(),
        schema_bytes as f64 / 1e6,
        doc.warnings.len()
    );
    assert_eq!(doc.operation_count(), count_operations(&doc.source));
    assert!(doc.operation_count() > 1000);
    assert_eq!(diff(&doc.source, &out), Vec::<String>::new());
    assert!(lost.is_empty(), "{lost:?}");
    // Shared schemas are not copied everywhere: fully dereferenced, this description is 73 MB.
    assert!(schema_bytes < 20_000_000, "{schema_bytes} bytes of inlined schemas");
    let limit = if cfg!(debug_assertions) { 15.0 } else { 1.0 };
    assert!(imported.as_secs_f64() < limit, "import took {imported:?}");
    // Ids are unique, every operation has a name.
    let mut ids = std::collections::HashSet::new();
    assert!(doc.operations().all(|o| ids.insert(o.id.clone()) && !o.name.is_empty()));

    // One changed description: exactly one place changes in 13 MB.
    let mut changed = doc.clone();
    let op = changed.tools[0].operations.iter_mut().find(|o| o.id == "repos/get").unwrap();
    op.description = "Gets a repository.".into();
    let (out, _) = openapi::export(&changed, Target::OpenApi3).unwrap();
    assert_eq!(diff(&doc.source, &out), ["/paths/~1repos~1{owner}~1{repo}/get/description"]);

    // Schemas with references kept into the document can be made to stand alone.
    let t4 = Instant::now();
    let mut bundled = 0;
    for op in doc.operations() {
        let schemas = op.parameters.iter().map(|p| &p.schema).chain(op.response_schema.as_ref());
        for s in schemas {
            let alone = openapi::self_contained(s, &doc.source);
            assert_eq!(outside_refs(&alone), Vec::<String>::new(), "{}", op.id);
            bundled += usize::from(alone.get("$defs").is_some());
        }
    }
    println!("{bundled} schemas made self-contained in {:?}", t4.elapsed());
    assert!(bundled > 0);

    let t3 = Instant::now();
    let (swagger, lost) = openapi::export(&doc, Target::Swagger2).unwrap();
    println!("GitHub to Swagger 2.0 in {:?}; {} things reported lost", t3.elapsed(), lost.len());
    assert_eq!(swagger["swagger"], "2.0");
    assert!(lost.iter().any(|l| l.contains("`oneOf` has no Swagger 2.0 equivalent")));
}

/// `$ref`s that do not point into the schema's own `$defs` (data keywords skipped).
fn outside_refs(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(v: &Value, in_map: bool, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let (false, Some(Value::String(r))) = (in_map, m.get("$ref")) {
                    if !r.starts_with("#/$defs/") {
                        out.push(r.clone());
                    }
                }
                for (k, c) in m {
                    let data = !in_map
                        && (matches!(k.as_str(), "example" | "examples" | "default" | "enum" | "const")
                            || k.starts_with("x-"));
                    if !data {
                        walk(c, !in_map && matches!(k.as_str(), "properties" | "patternProperties" | "$defs"), out);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|c| walk(c, false, out)),
            _ => {}
        }
    }
    walk(v, false, &mut out);
    out
}
