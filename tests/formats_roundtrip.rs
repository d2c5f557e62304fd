//! Round trips: every document of the DRAFT paper's data and every fixture comes back EQUAL
//! after import → export in its own format, and changing one description changes only that.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod formats_support;

use formats_support::{diff, fixtures, paper_docs};
use serde_json::Value;
use tooldraft::doc::{formats, Format, ToolDoc};

fn expected_format(name: &str) -> Format {
    let lower = name.to_ascii_lowercase();
    [
        ("mcp_", Format::Mcp),
        ("openai_", Format::OpenAi),
        ("anthropic_", Format::Anthropic),
        ("toolbench_", Format::ToolBench),
        ("restbench_", Format::RestBench),
    ]
    .into_iter()
    .find(|(p, _)| lower.starts_with(p))
    .map(|(_, f)| f)
    .unwrap_or_else(|| panic!("no expected format for {name}"))
}

/// Imports with detection, exports in the same format, and checks equality and no losses.
fn assert_round_trip(name: &str, text: &str) -> ToolDoc {
    let format = expected_format(name);
    let (original, syntax) = formats::parse_text(text).unwrap();
    let doc = formats::import(text, None).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(doc.format, Some(format), "{name}: detected format");
    assert_eq!(doc.syntax, syntax);
    assert!(doc.operation_count() > 0, "{name}: no operations");
    let (value, lost) = formats::export_value(&doc, format).unwrap();
    assert!(lost.is_empty(), "{name}: lost {lost:?}");
    assert_eq!(value, original, "{name}: differs at {:?}", diff(&original, &value));
    // Through text too (YAML stays YAML), and the re-import gives the same model.
    let out = formats::export(&doc, format).unwrap();
    let again = formats::import(&out.text, None).unwrap();
    assert_eq!(again.syntax, syntax, "{name}");
    let (a, b) = (serde_json::to_value(&again.tools).unwrap(), serde_json::to_value(&doc.tools).unwrap());
    assert!(a == b, "{name}: re-import differs at {:?}", diff(&b, &a));
    doc
}

/// Where an operation's description lives, relative to its pointer.
fn description_pointer(doc: &ToolDoc, op_pointer: &str) -> String {
    match doc.format {
        Some(Format::OpenAi) if doc.source.pointer(&format!("{op_pointer}/function")).is_some() => {
            format!("{op_pointer}/function/description")
        }
        _ => format!("{op_pointer}/description"),
    }
}

/// Changing one operation's description changes exactly that string in the export.
fn assert_one_change(name: &str, mut doc: ToolDoc) {
    let format = doc.format.unwrap();
    let original = doc.source.clone();
    let (index, op) = doc.operations().enumerate().last().map(|(i, o)| (i, o.pointer.clone())).unwrap();
    let target = description_pointer(&doc, &op);
    let edited = doc.operations_mut().nth(index).unwrap();
    edited.description = format!("{} (refined)", edited.description);
    let expected = edited.description.clone();
    let (value, lost) = formats::export_value(&doc, format).unwrap();
    assert!(lost.is_empty(), "{name}: {lost:?}");
    assert_eq!(diff(&original, &value), vec![target.clone()], "{name}");
    assert_eq!(value.pointer(&target), Some(&Value::String(expected)), "{name}");
}

#[test]
fn every_paper_document_round_trips_equal() {
    let docs = paper_docs();
    let names: Vec<&str> = docs.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "RestBench_docs_Spotify_DRAFT.json",
            "RestBench_docs_Spotify_Initial.json",
            "RestBench_docs_TMDB_DRAFT.json",
            "RestBench_docs_TMDB_Initial.json",
            "ToolBench_docs_DRAFT.json",
            "ToolBench_docs_Initial.json",
        ]
    );
    for (name, text) in &docs {
        let doc = assert_round_trip(name, text);
        let counts = (doc.tools.len(), doc.operation_count(), doc.parameter_count());
        let expected = match name.as_str() {
            n if n.starts_with("ToolBench") => (282, 1006, 2209),
            n if n.contains("TMDB") => (1, 54, 145),
            _ => (1, 40, 81),
        };
        assert_eq!(counts, expected, "{name}: tools, operations, parameters");
        assert_one_change(name, doc);
    }
}

#[test]
fn every_fixture_round_trips_equal() {
    let all = fixtures();
    assert!(all.len() >= 12, "fixtures: {}", all.len());
    for (name, text) in &all {
        let doc = assert_round_trip(name, text);
        assert_one_change(name, doc);
    }
}

#[test]
fn ids_are_unique_across_every_document() {
    for (name, text) in paper_docs().iter().chain(fixtures().iter()) {
        let doc = formats::import(text, None).unwrap();
        let mut ids: Vec<&str> = doc.operations().map(|o| o.id.as_str()).collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n, "{name}");
    }
}
