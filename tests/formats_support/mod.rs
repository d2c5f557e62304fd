//! Shared helpers for the format tests: fixtures, the DRAFT paper's data, JSON diffs.
#![allow(dead_code, clippy::disallowed_methods, clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::path::PathBuf;

/// tests/fixtures/formats.
pub fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats")
}

/// Reads one fixture's text.
pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixture_dir().join(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// Every fixture document (JSON and YAML), by file name, sorted.
pub fn fixtures() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") || n.ends_with(".yaml"))
        .map(|n| {
            let text = fixture(&n);
            (n, text)
        })
        .collect();
    out.sort();
    out
}

/// The DRAFT paper's released data, kept in the repository at `data/draft-paper`.
pub fn paper_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/draft-paper");
    assert!(dir.join("ToolBench_docs_Initial.json").exists(), "data/draft-paper is missing from the checkout");
    dir
}

/// Every `*_docs_*.json` of the paper's data, by file name, sorted.
pub fn paper_docs() -> Vec<(String, String)> {
    let dir = paper_dir();
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("_docs_") && n.ends_with(".json"))
        .map(|n| {
            let text = std::fs::read_to_string(dir.join(&n)).unwrap();
            (n, text)
        })
        .collect();
    out.sort();
    out
}

/// JSON pointers of every place where two values differ (leaves, or the smallest differing
/// node when shapes differ).
pub fn diff(a: &Value, b: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(a, b, String::new(), &mut out);
    out
}

fn esc(k: &str) -> String {
    k.replace('~', "~0").replace('/', "~1")
}

fn walk(a: &Value, b: &Value, at: String, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) => walk(v, w, format!("{at}/{}", esc(k)), out),
                    None => out.push(format!("{at}/{}", esc(k))),
                }
            }
            for k in y.keys().filter(|k| !x.contains_key(*k)) {
                out.push(format!("{at}/{}", esc(k)));
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                walk(v, w, format!("{at}/{i}"), out);
            }
        }
        _ if a != b => out.push(at),
        _ => {}
    }
}

/// Every node of a value with its pointer (pre-order).
pub fn nodes(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect(v, String::new(), &mut out);
    out
}

fn collect(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, w) in m {
                collect(w, format!("{at}/{}", esc(k)), out);
            }
        }
        Value::Array(a) => {
            for (i, w) in a.iter().enumerate() {
                collect(w, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}
