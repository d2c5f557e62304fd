//! The TypeScript declarations of the types that cross the JavaScript boundary, derived from
//! the Rust types themselves so that `pkg/index.d.ts` cannot drift from them.
//!
//! The boundary types derive `ts_rs::TS` under `cfg(test)` only (ts-rs is a dev-dependency):
//! nothing of it reaches the library or the wasm. The test below writes every declaration
//! reachable from [`roots`] (and the error codes' union) into one file and fails when the checked-in
//! `pkg/types/generated.d.ts` differs; `UPDATE_TYPES=1 cargo test --lib typescript` rewrites it.
//! `pkg/index.d.ts` re-exports the generated types instead of declaring copies.
//!
//! What JavaScript passes in is declared from the Rust types that read it too; [`inputs`]
//! checks that those declarations require exactly what serde requires (a field serde defaults
//! says `#[cfg_attr(test, ts(optional = nullable))]`, which ts-rs writes `field?: T` for a
//! type that is not an `Option`). What only the wasm façade reads (src/wasm, which native tests
//! cannot compile) stays hand-written in `pkg/index.d.ts`, next to the callbacks, and
//! [`handwritten`] checks its member names against that Rust source.
//!
//! Integers are `number` (the boundary's serializer writes counts as numbers; only JSON values
//! beyond ±(2^53 − 1) become `BigInt`s, and those are `JsonValue`s, declared by hand in
//! `pkg/types/json.d.ts` and imported here).

mod handwritten;
mod inputs;

use std::any::TypeId;
use std::collections::{BTreeMap, HashSet};
use ts_rs::{Config, TypeVisitor, TS};

/// The file the declarations are checked against, from the crate root.
const GENERATED: &str = "pkg/types/generated.d.ts";

/// Declared by hand in `pkg/types/json.d.ts` (ts-rs would declare JSON numbers without
/// `BigInt`, and object members as optional).
const HAND_WRITTEN: &[&str] = &["JsonValue"];

/// Collects the declaration of each exportable type once, by its TypeScript name.
struct Declarations<'a> {
    cfg: &'a Config,
    seen: HashSet<TypeId>,
    by_name: BTreeMap<String, String>,
}

impl Declarations<'_> {
    fn add<T: TS + ?Sized + 'static>(&mut self) {
        if T::output_path().is_none() || !self.seen.insert(TypeId::of::<T>()) {
            return;
        }
        let name = T::ident(self.cfg);
        if !HAND_WRITTEN.contains(&name.as_str()) {
            let docs = T::docs().unwrap_or_default();
            // One variant of a tagged union a line, so that diffs show which one changed.
            let decl = format!("{docs}export {}", T::decl(self.cfg).replace("} | {", "}\n  | {"));
            if let Some(other) = self.by_name.insert(name.clone(), decl.clone()) {
                assert_eq!(
                    other, decl,
                    "two Rust types are declared as `{name}` in TypeScript: rename one (#[ts(rename)])"
                );
            }
        }
        T::visit_dependencies(self);
    }
}

impl TypeVisitor for Declarations<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        self.add::<T>();
    }
}

/// The types `pkg/index.d.ts` re-exports; every type they use is declared with them.
fn roots(d: &mut Declarations<'_>) {
    d.add::<crate::doc::ToolDoc>();
    d.add::<crate::refine::RunReport>();
    d.add::<crate::refine::Event>();
    d.add::<crate::doc::InspectReport>();
    d.add::<crate::doc::formats::Exported>();
    d.add::<crate::eval::changes::DocChanges>();
    d.add::<crate::eval::EvalReport>();
    d.add::<crate::eval::QuerySet>();
    d.add::<crate::eval::EvalProgress>();
    d.add::<crate::check::CheckReport>();
    d.add::<crate::calibrate::Calibration>();
    d.add::<crate::llm::ChatRequest>();
    d.add::<crate::error::ErrorCategory>();
    d.add::<crate::llm::config::LlmConfig>();
    d.add::<crate::llm::ChatResponse>();
    d.add::<crate::llm::EmbeddingsConfig>();
    d.add::<crate::calibrate::CalibrationSet>();
    d.add::<crate::refine::RunState>();
    d.add::<crate::doc::diff::DiffChunk>();
    d.add::<crate::eval::holdout::HeldOutResult<'static>>();
    d.add::<crate::refine::LimitsConfig>();
    d.add::<crate::refine::ThresholdsConfig>();
    d.add::<crate::tools::ToolsOptions>();
    d.add::<crate::tools::SafetyOptions>();
}

/// The generated file's text.
fn generate() -> String {
    let cfg = Config::new().with_large_int("number");
    let mut d = Declarations { cfg: &cfg, seen: HashSet::new(), by_name: BTreeMap::new() };
    roots(&mut d);
    let mut out = String::from(
        "// GENERATED from the Rust types by src/typescript.rs: do not edit.\n\
         // Regenerate: UPDATE_TYPES=1 cargo test --lib typescript\n\n\
         import type { JsonValue } from './json.js';\n",
    );
    for decl in d.by_name.values() {
        out.push('\n');
        out.push_str(decl);
        out.push('\n');
    }
    out.push_str(&error_codes());
    out.push_str(&union(
        "The label of a calibration pair (src/calibrate.rs).",
        "CalibrationLabel",
        &crate::calibrate::LABELS,
    ));
    out
}

/// A union of string literals, one a line.
fn union(doc: &str, name: &str, values: &[&str]) -> String {
    let values: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
    format!("\n/**\n * {doc}\n */\nexport type {name} =\n  | {};\n", values.join("\n  | "))
}

/// The union of the codes in [`crate::error::ERROR_CODES`] (not a Rust type: a table).
fn error_codes() -> String {
    let codes: Vec<&str> = crate::error::ERROR_CODES.iter().map(|c| c.code).collect();
    union(
        "Every error code the core emits (src/error.rs): an `Error`'s `name`, an error event's `code`.",
        "CoreErrorCode",
        &codes,
    )
}

/// TypeScript without its comments (`/* … */` and `// …` to the end of the line).
fn without_comments(ts: &str) -> String {
    let mut out = String::with_capacity(ts.len());
    let mut rest = ts;
    while let Some(i) = rest.find("/*").into_iter().chain(rest.find("//")).min() {
        out.push_str(&rest[..i]);
        let end = if rest[i..].starts_with("/*") { rest[i..].find("*/").map(|e| e + 2) } else { rest[i..].find('\n') };
        rest = end.map_or("", |e| &rest[i + e..]);
    }
    out.push_str(rest);
    out
}

/// The members of the first object type (`{ … }`) in a declaration, each with whether it is
/// optional (`name?:`): `{ a: string, b?: { c: number } }` gives `[("a", false), ("b", true)]`.
/// Members end at a `,`, `;` or line end outside brackets; methods (`name(…)`) count too.
fn properties(decl: &str) -> Vec<(String, bool)> {
    let code = without_comments(decl);
    let Some(open) = code.find('{') else { return Vec::new() };
    let mut out = Vec::new();
    let (mut depth, mut member, mut prev) = (0usize, String::new(), ' ');
    for c in code[open + 1..].chars() {
        match c {
            '{' | '[' | '(' | '<' => depth += 1,
            '>' if prev == '=' => {}
            '}' | ']' | ')' | '>' if depth > 0 => depth -= 1,
            '}' => break,
            _ => {}
        }
        if depth == 0 && matches!(c, ',' | ';' | '\n') {
            out.extend(member_name(&member));
            member.clear();
        } else {
            member.push(c);
        }
        prev = c;
    }
    out.extend(member_name(&member));
    out
}

/// The name of one member (`readonly "a"?: T` gives `("a", true)`), if it is one.
fn member_name(member: &str) -> Option<(String, bool)> {
    let m = member.trim().trim_start_matches("readonly ").trim_start();
    let end = m.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$' || c == '"' || c == '\''))?;
    let name = m[..end].trim_matches(|c| c == '"' || c == '\'');
    let after = m[end..].trim_start();
    let optional = after.starts_with('?');
    let kind = after.trim_start_matches('?').trim_start();
    (!name.is_empty() && (kind.starts_with(':') || kind.starts_with('('))).then(|| (name.to_string(), optional))
}

#[test]
fn members_are_read_from_declarations() {
    let decl = "type X = { /** a, b */ a: string, \"b\"?: { c: number, d: Array<[number, string]> }, \
                e: (x: number) => Promise<void>, };";
    assert_eq!(properties(decl), [("a".into(), false), ("b".into(), true), ("e".into(), false)]);
    let interface =
        "interface Y {\n  // f: no\n  f?: Record<string, string>;\n  readonly g: boolean;\n  h(x: string): void;\n}";
    assert_eq!(properties(interface), [("f".into(), true), ("g".into(), false), ("h".into(), false)]);
}

#[test]
fn the_checked_in_declarations_match_the_rust_types() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(GENERATED);
    let want = generate();
    if std::env::var_os("UPDATE_TYPES").is_some() {
        std::fs::write(&path, &want).expect("pkg/types is writable");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    if have != want {
        let first = have
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(have.lines().count().min(want.lines().count()));
        panic!(
            "{GENERATED} differs from the Rust types (first at line {}):\n  checked in: {}\n  from Rust:  {}\n\
             regenerate with `UPDATE_TYPES=1 cargo test --lib typescript` and review the diff",
            first + 1,
            have.lines().nth(first).unwrap_or("(end of file)"),
            want.lines().nth(first).unwrap_or("(end of file)"),
        );
    }
}

/// ts-rs declares a field optional only when its `skip_serializing_if` comes with `default`,
/// and then as `field?: T | null` for an `Option`. The core never writes such a field as
/// `null`, so each says `#[cfg_attr(test, ts(optional))]` (`field?: T`, as consumers read it);
/// any other field serde may leave out needs `default`, or the declaration promises a field
/// that is not there.
#[test]
fn fields_serde_may_leave_out_are_optional() {
    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).expect("src is readable").flatten() {
            let p = e.path();
            if p.is_dir() {
                files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut paths = Vec::new();
    files(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut paths);
    let mut wrong = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("readable");
        let lines: Vec<&str> = text.lines().collect();
        let mut in_ts_type = false;
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            if t.starts_with("#[derive(") {
                in_ts_type = false;
            }
            if t.contains("derive(ts_rs::TS)") {
                in_ts_type = true;
            }
            let said = |j: usize| lines.get(j).is_some_and(|l| l.contains("ts(optional"));
            let skippable = t.contains("skip_serializing_if");
            let needs_optional = t.contains("\"Option::is_none\"") || !t.contains("default");
            if in_ts_type && skippable && needs_optional && !said(i + 1) && !said(i.wrapping_sub(1)) {
                wrong.push(format!("{}:{}", path.display(), i + 1));
            }
        }
    }
    assert!(wrong.is_empty(), "fields serde may leave out, declared as always present:\n{}", wrong.join("\n"));
}
