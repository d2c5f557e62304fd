//! The injection check against a corpus: at least 50 hostile strings (public prompt-injection
//! patterns, paraphrased, and disguises: zero-width, bidi, tag characters, fullwidth,
//! homoglyphs, role tags, markdown, HTML comments) and at least 50 benign tool descriptions
//! (server-everything, server-memory, httpbin, ToolBench). Not one hostile string may pass,
//! not one benign one may be withheld.

use serde::Deserialize;
use tooldraft::refine::gate::{hostile, injection, OutputContext};

#[derive(Deserialize)]
struct Item {
    source: String,
    text: String,
}

#[derive(Deserialize, Default)]
struct Context {
    #[serde(default)]
    operations: Vec<String>,
    #[serde(default)]
    origins: Vec<String>,
}

#[derive(Deserialize)]
struct Corpus {
    #[serde(default)]
    context: Context,
    items: Vec<Item>,
}

fn load(name: &str) -> Corpus {
    let path = format!("{}/tests/fixtures/injection/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("the corpus exists")).expect("the corpus parses")
}

fn context() -> (OutputContext, Vec<String>) {
    let c = load("hostile.json").context;
    (OutputContext::new("", &c.operations, c.origins.clone()), c.origins)
}

#[test]
fn no_hostile_string_passes_as_tool_output_or_copied_into_a_rewrite() {
    let corpus = load("hostile.json");
    assert!(corpus.items.len() >= 50, "{} hostile strings", corpus.items.len());
    let (ctx, origins) = context();
    let mut passed = Vec::new();
    for item in &corpus.items {
        if hostile(&item.text, &ctx).is_none() {
            passed.push(format!("as tool output ({}): {:?}", item.source, item.text));
        }
        let rewrite = format!("Returns the records. {}", item.text);
        let copied =
            tooldraft::refine::gate::injection_with_origins(&rewrite, &[&item.text], "Returns the records.", &origins);
        if copied.is_none() {
            passed.push(format!("copied into a rewrite ({}): {:?}", item.source, item.text));
        }
    }
    assert!(passed.is_empty(), "{} of {} accepted:\n{}", passed.len(), corpus.items.len(), passed.join("\n"));
}

#[test]
fn no_benign_description_is_withheld() {
    let corpus = load("benign.json");
    assert!(corpus.items.len() >= 50, "{} benign strings", corpus.items.len());
    let (ctx, _) = context();
    let rejected: Vec<String> = corpus
        .items
        .iter()
        .filter_map(|i| {
            hostile(&i.text, &ctx).map(|f| format!("{} ({}: {:?}): {:?}", i.source, f.rule, f.phrase, i.text))
        })
        .collect();
    assert!(rejected.is_empty(), "{} of {} rejected:\n{}", rejected.len(), corpus.items.len(), rejected.join("\n"));
    // Documentation that says it itself is never "copied from the tool's output".
    for i in &corpus.items {
        assert_eq!(injection(&i.text, &[&i.text], &i.text), None, "{}", i.text);
    }
}
