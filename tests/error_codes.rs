//! The list of error codes (src/error.rs) is complete and has no stale entry: every string a
//! `fn code(&self)` returns and every code the JS façade raises (`js_error("…"`) is in it,
//! and every code in it is emitted somewhere. The CLI's exit code for each is checked in
//! pkg/test/exit-codes.test.mjs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;
use tooldraft::error::{category_of, ErrorCategory, ERROR_CODES};

fn sources(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(std::fs::read_to_string(&path).unwrap());
        }
    }
}

/// The quoted identifiers after `=> ` in the body of each `fn code(&self)`, and the first
/// argument of each `js_error("…"`.
fn emitted() -> BTreeSet<String> {
    let mut texts = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut texts);
    let mut codes = BTreeSet::new();
    for text in &texts {
        let mut rest = text.as_str();
        while let Some(at) = rest.find("fn code(&self) -> &'static str {") {
            let body = &rest[at..];
            let end = body.find("\n    }").unwrap_or(body.len());
            for piece in body[..end].split("=> \"").skip(1) {
                codes.insert(piece.split('"').next().unwrap().to_string());
            }
            rest = &body[end..];
        }
        for piece in text.split("js_error(\"").skip(1) {
            codes.insert(piece.split('"').next().unwrap().to_string());
        }
    }
    codes
}

#[test]
fn every_emitted_code_is_listed_with_a_category_and_none_is_stale() {
    let emitted = emitted();
    assert!(emitted.len() >= 30, "the scan found the codes: {emitted:?}");
    let listed: BTreeSet<String> = ERROR_CODES.iter().map(|c| c.code.to_string()).collect();
    assert_eq!(listed.len(), ERROR_CODES.len(), "no code listed twice");
    let missing: Vec<_> = emitted.difference(&listed).collect();
    assert!(missing.is_empty(), "emitted but not in src/error.rs ERROR_CODES: {missing:?}");
    let stale: Vec<_> = listed.difference(&emitted).collect();
    assert!(stale.is_empty(), "listed but never emitted: {stale:?}");
}

#[test]
fn the_six_codes_once_missed_by_the_cli_have_their_categories() {
    for code in ["LlmInvalidOutput", "LlmHostError", "ToolHostError", "EmbeddingsError"] {
        assert_eq!(category_of(code), ErrorCategory::Endpoint, "{code}");
    }
    assert_eq!(category_of("PolicyDenied"), ErrorCategory::Input);
    assert_eq!(category_of("PromptError"), ErrorCategory::Internal, "built-in templates: a bug");
    assert_eq!(category_of("Aborted"), ErrorCategory::Interrupted);
}
