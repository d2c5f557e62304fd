//! The declarations `pkg/index.d.ts` still writes by hand, checked against the Rust that reads
//! (or writes) them. They describe what the wasm façade (src/wasm, which native tests cannot
//! compile) takes property by property or through a private struct, next to JavaScript-only
//! members (callbacks, `signal`, `fetch`). Each check reads that Rust source: every member
//! the Rust reads is declared, every declared member is read (or listed as JavaScript's own),
//! and a struct's optional fields are the declaration's optional members.

use super::properties;
use std::collections::BTreeMap;

/// Where the Rust names a declaration's members.
enum Source {
    /// A struct's serde fields: (file under src/wasm, struct name).
    Struct(&'static str, &'static str),
    /// The options a function reads by name from one variable: (file under src/wasm, text
    /// that starts the function or impl, the variable).
    Reads(&'static str, &'static str, &'static str),
}

/// Calls that read one option of the variable they are given (their own code is elsewhere).
const READERS: &[(&str, &str)] =
    &[("ToolsSetup::from_js(", "tools"), ("EmbeddingsSetup::from_js(", "embeddings"), ("timeout_ms(", "timeoutMs")];

/// One hand-written interface and where the Rust names its members; `own` are members no
/// Rust reads by that name (JavaScript's own, or narrowed from an interface it extends).
struct Check {
    interface: &'static str,
    sources: &'static [Source],
    own: &'static [&'static str],
}

const CHECKS: &[Check] = &[
    Check { interface: "ToolCallResult", sources: &[Source::Struct("tool_host.rs", "ToolCallResult")], own: &[] },
    Check { interface: "HostEmbeddings", sources: &[Source::Struct("embeddings.rs", "HostAnswer")], own: &[] },
    Check {
        interface: "ListMcpToolsOptions",
        sources: &[Source::Struct("mcp.rs", "ListOptions"), Source::Reads("mcp.rs", "async fn list(", "options")],
        own: &[],
    },
    Check {
        interface: "RefinerConfig",
        sources: &[Source::Reads("setup.rs", "impl RefinerSetup {", "config")],
        own: &[],
    },
    Check {
        interface: "RunOptions",
        sources: &[Source::Reads("refiner.rs", "impl RunOptions {", "options")],
        own: &[],
    },
    // The refined document's text in its format: written by pkg/index.js with the document
    // module (the engine module reads and writes no format).
    Check {
        interface: "RunResult",
        sources: &[Source::Struct("refiner.rs", "RunResult")],
        own: &["text", "exportError", "lost"],
    },
    Check {
        interface: "CalibrateOptions",
        sources: &[Source::Reads("embeddings.rs", "async fn calibrate_impl(", "options")],
        own: &[],
    },
    Check {
        interface: "EvaluateOptions",
        sources: &[Source::Reads("eval.rs", "async fn evaluate_impl(", "options")],
        own: &["limits"],
    },
    Check {
        interface: "EvaluateRunOptions",
        sources: &[Source::Reads("eval.rs", "async fn evaluate_impl(", "run_options")],
        own: &[],
    },
    Check {
        interface: "HeldOutOptions",
        sources: &[
            Source::Struct("eval.rs", "HeldOutOptions"),
            Source::Reads("eval.rs", "async fn held_out_impl(", "options"),
        ],
        own: &[],
    },
    Check { interface: "CheckOptions", sources: &[Source::Reads("check.rs", "async fn run(", "options")], own: &[] },
];

/// The text from `start` to the end of the item it starts (the next `}` in column 0).
fn item<'a>(text: &'a str, start: &str) -> &'a str {
    let Some(from) = text.find(start) else { panic!("`{start}` is not in the file") };
    let rest = &text[from..];
    &rest[..rest.find("\n}\n").map_or(rest.len(), |e| e + 2)]
}

/// `snake_case` as serde's `rename_all = "camelCase"` writes it.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else {
            out.extend(if upper { c.to_uppercase().collect::<Vec<_>>() } else { vec![c] });
            upper = false;
        }
    }
    out
}

/// A struct's serde fields (JSON name, optional), from its source: optional on input when
/// serde fills it in (`default`, an `Option`), on output when serde may leave it out.
fn struct_fields(text: &str, name: &str) -> Vec<(String, bool)> {
    let body = item(text, &format!("struct {name}"));
    let head = &text[..text.find(&format!("struct {name}")).unwrap_or(0)];
    let derive = head.rfind("#[derive(").map_or("", |i| &head[i..]);
    let input = derive.contains("Deserialize");
    let camel_case = derive.contains("rename_all = \"camelCase\"");
    let mut out = Vec::new();
    let mut attrs = String::new();
    for line in body.lines().skip(1).map(str::trim) {
        if line.starts_with("#[") || line.starts_with("///") {
            attrs.push_str(line);
            continue;
        }
        let field = line.trim_start_matches("pub ");
        if let Some((ident, ty)) =
            field.split_once(':').filter(|(i, _)| i.chars().all(|c| c.is_alphanumeric() || c == '_'))
        {
            assert!(!attrs.contains("flatten"), "{name}.{ident}: flattened fields are not read here");
            if !attrs.contains("serde(skip)") {
                let optional = if input {
                    attrs.contains("default") || ty.trim().starts_with("Option<")
                } else {
                    attrs.contains("skip_serializing_if")
                };
                out.push((if camel_case { camel(ident) } else { ident.to_string() }, optional));
            }
        }
        attrs.clear();
    }
    out
}

/// The option names a function reads from `var`: `property(&var, "name")`, `section(var,
/// "name")`, `count(…)`, `function_property(…)`, and the [`READERS`].
fn reads(text: &str, start: &str, var: &str) -> Vec<String> {
    let body = item(text, start);
    let mut out = Vec::new();
    for call in [format!("(&{var}, \""), format!("({var}, \"")] {
        for (i, _) in body.match_indices(&call) {
            let rest = &body[i + call.len()..];
            out.extend(rest.split('"').next().map(str::to_string));
        }
    }
    for (reader, option) in READERS {
        if body.contains(&format!("{reader}&{var})")) || body.contains(&format!("{reader}{var})")) {
            out.push(option.to_string());
        }
    }
    out
}

/// The members of `export interface NAME` in `dts`.
fn interface_members(dts: &str, name: &str) -> BTreeMap<String, bool> {
    let Some(at) = dts.find(&format!("export interface {name} ")) else { panic!("{name} is not declared") };
    properties(&dts[at..]).into_iter().collect()
}

#[test]
fn hand_written_declarations_name_what_the_rust_reads() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dts = std::fs::read_to_string(root.join("pkg/index.d.ts")).expect("pkg/index.d.ts is readable");
    let source = |file: &str| std::fs::read_to_string(root.join("src/wasm").join(file)).expect("src/wasm is readable");
    let mut wrong = Vec::new();
    for check in CHECKS {
        let declared = interface_members(&dts, check.interface);
        let mut expected: BTreeMap<String, Option<bool>> = check.own.iter().map(|m| (m.to_string(), None)).collect();
        for s in check.sources {
            match s {
                Source::Struct(file, name) => {
                    expected.extend(struct_fields(&source(file), name).into_iter().map(|(f, o)| (f, Some(o))))
                }
                Source::Reads(file, start, var) => {
                    for r in reads(&source(file), start, var) {
                        expected.entry(r).or_insert(None);
                    }
                }
            }
        }
        for (member, optional) in &expected {
            match (declared.get(member), optional) {
                (None, _) => wrong.push(format!("{}.{member}: read by the Rust, not declared", check.interface)),
                (Some(d), Some(o)) if d != o => wrong.push(format!(
                    "{}.{member}: {} in the declaration, {} in the Rust",
                    check.interface,
                    if *d { "optional" } else { "required" },
                    if *o { "optional" } else { "required" }
                )),
                _ => {}
            }
        }
        for member in declared.keys().filter(|m| !expected.contains_key(*m)) {
            wrong.push(format!("{}.{member}: declared, never read by the Rust", check.interface));
        }
    }
    assert!(wrong.is_empty(), "pkg/index.d.ts and the Rust that reads it disagree:\n{}", wrong.join("\n"));
}

#[test]
fn struct_fields_and_reads_are_found_in_source() {
    let text = "#[derive(Deserialize)]\n#[serde(rename_all = \"camelCase\")]\nstruct A {\n    \
                #[serde(default)]\n    per_operation: usize,\n    /// Doc.\n    pub name: String,\n    \
                #[serde(skip)]\n    f: Option<Function>,\n    maybe: Option<u8>,\n}\n\
                fn go(options: &JsValue) {\n    let a = property(&options, \"signal\")?;\n    \
                let b = count(options, \"maxExamples\")?;\n    let c = property(&run_options, \"no\")?;\n    \
                let t = ToolsSetup::from_js(&options)?;\n}\n";
    assert_eq!(
        struct_fields(text, "A"),
        [("perOperation".into(), true), ("name".into(), false), ("maybe".into(), true)]
    );
    assert_eq!(reads(text, "fn go(", "options"), ["signal", "maxExamples", "tools"]);
}
