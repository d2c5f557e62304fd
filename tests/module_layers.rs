//! Dependencies among the modules of one folder run one way: no module of `src/a/` uses a
//! sibling that (directly or through others) uses it back. Read from the source: every
//! `super::…` and `crate::…` path of every file (tests and comments left out) is resolved to
//! the module it names, and each use becomes an edge between the two children of the folder
//! that holds both. A cycle is reported with the files and lines that make it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module's path from the crate root: `["refine", "operation", "verify"]`.
type ModPath = Vec<String>;

/// One use of another module: where it is, and what it names.
struct Use {
    from: ModPath,
    to: ModPath,
    at: String,
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("src is readable") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module a file is: `src/refine/operation/verify.rs` → refine::operation::verify.
fn module_of(src: &Path, file: &Path) -> ModPath {
    let rel = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = rel.iter().map(|s| s.to_string_lossy().trim_end_matches(".rs").to_string()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The file's code without comments and without its test module (tests may reach anywhere).
fn code(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") {
            break;
        }
        if t.starts_with("//") {
            continue;
        }
        let line = line.split(" //").next().unwrap_or(line);
        out.push((i + 1, line.to_string()));
    }
    out
}

fn ident_at(s: &str) -> Option<&str> {
    let end = s.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(s.len());
    (end > 0).then(|| &s[..end])
}

/// The paths a piece of code names: each `crate::a::b` / `super::super::a` prefix, resolved
/// against `here` (the file's module), as the first named segment after the prefix (and each
/// first segment of a `{…}` group).
fn named(here: &ModPath, line: &str) -> Vec<ModPath> {
    let mut out = Vec::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        let boundary =
            i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_' || bytes[i - 1] == b':');
        let start = if boundary && rest.starts_with("crate::") {
            Some((Vec::new(), 7))
        } else if boundary && rest.starts_with("super::") {
            let mut base = here.clone();
            base.pop();
            let mut k = 7;
            while line[i + k..].starts_with("super::") {
                base.pop();
                k += 7;
            }
            Some((base, k))
        } else {
            None
        };
        let Some((mut base, mut k)) = start else {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        // Walk `a::b::` segments, then a group or a last name.
        loop {
            let tail = &line[i + k..];
            if let Some(group) = tail.strip_prefix('{') {
                let mut depth = 0;
                let mut item_start = true;
                for (j, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => item_start = true,
                        c if item_start && (c.is_alphanumeric() || c == '_') => {
                            if let Some(id) = ident_at(&group[j..]) {
                                let mut p = base.clone();
                                p.push(id.to_string());
                                out.push(p);
                            }
                            item_start = false;
                        }
                        _ => {}
                    }
                }
                break;
            }
            let Some(id) = ident_at(tail) else { break };
            base.push(id.to_string());
            k += id.len();
            if line[i + k..].starts_with("::") {
                k += 2;
                continue;
            }
            out.push(base.clone());
            break;
        }
        out.push(base);
        i += k.max(1);
    }
    out
}

#[test]
fn the_modules_of_each_folder_depend_on_each_other_one_way() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let modules: BTreeSet<ModPath> = all.iter().map(|f| module_of(&src, f)).collect();
    // The longest known module that a named path starts with.
    let resolve =
        |p: &ModPath| -> Option<ModPath> { (1..=p.len()).rev().map(|n| p[..n].to_vec()).find(|m| modules.contains(m)) };
    let mut uses = Vec::new();
    for f in &all {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.ends_with("_tests.rs") || name == "tests.rs" {
            continue;
        }
        let here = module_of(&src, f);
        let text = std::fs::read_to_string(f).expect("readable");
        for (n, line) in code(&text) {
            for p in named(&here, &line) {
                if let Some(to) = resolve(&p) {
                    uses.push(Use {
                        from: here.clone(),
                        to,
                        at: format!("{}:{n}", f.strip_prefix(&src).unwrap().display()),
                    });
                }
            }
        }
    }
    // Edges between siblings: the children of the deepest folder holding both ends.
    let mut edges: BTreeMap<ModPath, BTreeMap<(String, String), String>> = BTreeMap::new();
    for u in &uses {
        let common = u.from.iter().zip(&u.to).take_while(|(a, b)| a == b).count();
        if common >= u.from.len() || common >= u.to.len() {
            continue; // a module and its own parent or child
        }
        let (a, b) = (u.from[common].clone(), u.to[common].clone());
        edges.entry(u.from[..common].to_vec()).or_default().entry((a, b)).or_insert_with(|| u.at.clone());
    }
    let mut cycles = Vec::new();
    for (folder, es) in &edges {
        let nodes: BTreeSet<&String> = es.keys().flat_map(|(a, b)| [a, b]).collect();
        for start in &nodes {
            // A path back to `start`, by depth-first search over the folder's edges.
            let mut stack = vec![(vec![(*start).clone()], BTreeSet::new())];
            while let Some((path, seen)) = stack.pop() {
                let last = path.last().unwrap();
                for ((a, b), _) in es.range((last.clone(), String::new())..) {
                    if a != last {
                        break;
                    }
                    if b == *start {
                        let mut ring = path.clone();
                        ring.push(b.clone());
                        // Report each cycle once, from its smallest member.
                        if ring.iter().min() == Some(*start) {
                            let hops: Vec<String> = ring
                                .windows(2)
                                .map(|w| format!("{} -> {} ({})", w[0], w[1], es[&(w[0].clone(), w[1].clone())]))
                                .collect();
                            cycles.push(format!("in src/{}: {}", folder.join("/"), hops.join(", ")));
                        }
                    } else if !seen.contains(b) && !path.contains(b) {
                        let mut p = path.clone();
                        p.push(b.clone());
                        let mut s = seen.clone();
                        s.insert(b.clone());
                        stack.push((p, s));
                    }
                }
            }
        }
    }
    cycles.sort();
    cycles.dedup();
    assert!(cycles.is_empty(), "{} module cycles:\n{}", cycles.len(), cycles.join("\n"));
}

#[test]
fn the_reader_resolves_paths_as_rustc_does() {
    let m = |s: &str| s.split("::").map(str::to_string).collect::<ModPath>();
    let here = m("refine::operation::verify");
    assert!(named(&here, "use super::{current_operation, Step};").contains(&m("refine::operation::current_operation")));
    assert!(named(&here, "use super::super::gate::check;").contains(&m("refine::gate::check")));
    assert!(named(&m("refine::operation"), "use super::run::Ctx;").contains(&m("refine::run::Ctx")));
    assert!(named(&m("refine::run"), "use crate::refine::{config::RefineConfig, report};")
        .iter()
        .any(|p| p == &m("refine::report")));
}
