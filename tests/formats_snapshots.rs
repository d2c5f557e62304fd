//! Snapshots: each format's import of a small fixture, and conversions between formats
//! (the written document and what was reported lost).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod formats_support;

use formats_support::fixture;
use serde_json::{json, Value};
use tooldraft::doc::{formats, Format};

const IMPORTS: [&str; 10] = [
    "mcp_small.json",
    "mcp_bare.yaml",
    "openai_chat.json",
    "openai_responses.json",
    "anthropic_tools.json",
    "toolbench_tool.json",
    "toolbench_tools_list.json",
    "toolbench_draft_dict.json",
    "restbench_tmdb_draft.json",
    "restbench_spotify_draft.json",
];

#[test]
fn imports() {
    for name in IMPORTS {
        let doc = formats::import(&fixture(name), None).unwrap();
        let model = json!({"format": doc.format, "syntax": doc.syntax, "tools": doc.tools, "warnings": doc.warnings});
        let snap = format!("import__{}", name.replace('.', "_"));
        insta::assert_json_snapshot!(snap, model);
    }
}

#[test]
fn conversions() {
    let cases: [(&str, &[Format]); 7] = [
        ("mcp_small.json", &[Format::OpenAi, Format::Anthropic, Format::ToolBench, Format::RestBench]),
        ("openai_chat.json", &[Format::Mcp, Format::Anthropic]),
        ("anthropic_tools.json", &[Format::Mcp, Format::OpenAi]),
        ("toolbench_tool.json", &[Format::Mcp, Format::RestBench]),
        ("toolbench_draft_dict.json", &[Format::OpenAi]),
        ("restbench_spotify_draft.json", &[Format::Mcp, Format::OpenAi, Format::ToolBench]),
        ("restbench_tmdb_draft.json", &[Format::Anthropic]),
    ];
    for (name, targets) in cases {
        let doc = formats::import(&fixture(name), None).unwrap();
        for to in targets {
            let out = formats::export(&doc, *to).unwrap();
            let written: Value = serde_json::from_str(&out.text).unwrap();
            let snap = format!("convert__{}__to_{}", name.trim_end_matches(".json"), to.name());
            insta::assert_json_snapshot!(snap, json!({"written": written, "lost": out.lost}));
        }
    }
}
