//! The regression rules for a tool's summary: the text rules of [`super`] against the tool's
//! original description, over what the tool's documentation and calls say; of the original's
//! facts, only its links and version numbers must stay.

use super::{extract, judge_text, quote_list, FactKind, Field, GateRule, GateViolation, Known, RegressionRules, Said};

/// A tool summary to judge.
#[derive(Clone, Copy, Debug)]
pub struct Summarized<'a> {
    pub tool: &'a str,
    pub summary: &'a str,
    /// The tool's description as the document had it.
    pub original: &'a str,
    /// The operations' names and descriptions (original and refined).
    pub operations: &'a [(&'a str, &'a str)],
    pub observed: &'a [&'a str],
    pub rules: &'a RegressionRules,
}

/// The regression rules for a tool summary: `echo`, `uninformative`, `offTopic`, and the
/// `loss` of the original tool description's facts.
pub fn check_summary(s: &Summarized<'_>) -> Vec<GateViolation> {
    let rules = s.rules;
    let mut out = Vec::new();
    if !rules.enabled || s.summary.trim().is_empty() {
        return out;
    }
    let mut known = Known::new();
    known.add_id(s.tool);
    known.add_text(s.original);
    for (name, d) in s.operations {
        known.add_id(name);
        known.add_text(d);
    }
    // "Its 9 tools …": how many operations there are is the documentation's. (The caller
    // lists each operation's text before and after: its names are counted once.)
    let count = operation_count(s.operations);
    known.add_text(&count.to_string());
    for o in s.observed {
        known.add_response(o, None);
        known.observed = true;
    }
    let f = Field {
        label: "the summary".into(),
        new: s.summary,
        old: s.original,
        min_words: rules.min_description_words,
        mismatches: &[],
        overview: true,
    };
    judge_text(&f, &known, rules, &mut out);
    if let Some(n) = counted(s.summary).filter(|n| *n != count && counted(s.original) != Some(*n)) {
        out.push(GateViolation {
            rule: GateRule::Contradiction,
            message: format!("the summary says the tool has {n} operations, but it has {count}"),
        });
    }
    // A summary is an overview (the facts live in the operations): only the tool's links and
    // its version numbers (a dotted number such as "0.17" or "3.1.0") must stay.
    let said = Said::new(s.summary);
    let links: Vec<String> = extract(s.original, &[], &[])
        .into_iter()
        .filter(|f| f.kind == FactKind::Url && !f.kept_in(&said))
        .map(|f| f.text)
        .collect();
    let kept = versions(s.summary);
    let versions: Vec<String> = versions(s.original).into_iter().filter(|v| !kept.contains(v)).collect();
    for (what, dropped) in [("link", links), ("version", versions)] {
        if !dropped.is_empty() {
            out.push(GateViolation {
                rule: GateRule::Loss,
                message: format!("the summary drops the tool's {what} {}", quote_list(&dropped, 3)),
            });
        }
    }
    out
}

/// The dotted numbers of a text (`0.17`, `3.1.0`; a leading `v` dropped), as versions are
/// written; not part of a longer token (`1.2.3.4.example`, `x1.2`).
fn versions(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for raw in text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '"' | '\'')) {
        let t = raw.trim_end_matches(['.', ':', '!', '?']);
        let t = t.strip_prefix(['v', 'V']).unwrap_or(t);
        let parts: Vec<&str> = t.split('.').collect();
        if parts.len() >= 2
            && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            && !out.iter().any(|v| v == t)
        {
            out.push(t.to_string());
        }
    }
    out
}

/// How many operations the tool has: its distinct names.
fn operation_count(operations: &[(&str, &str)]) -> usize {
    let mut names: Vec<&str> = operations.iter().map(|(n, _)| *n).collect();
    crate::order::sort(&mut names);
    names.dedup();
    names.len()
}

/// How many operations a text says the tool has: "9 tools", "one built-in function", "three
/// endpoints" (after a word such as "has", "with", "its" or "of": a number, in digits or words
/// up to twelve, then up to two words such as "built-in", then a word for an operation).
fn counted(text: &str) -> Option<usize> {
    const NUMBERS: [&str; 12] =
        ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
    let ws = crate::refine::words::words(text);
    for (i, w) in ws.iter().enumerate() {
        let counts = i > 0
            && matches!(
                ws[i - 1].as_str(),
                "has"
                    | "have"
                    | "with"
                    | "offers"
                    | "offering"
                    | "provides"
                    | "providing"
                    | "exposes"
                    | "contains"
                    | "includes"
                    | "including"
                    | "its"
                    | "these"
                    | "all"
                    | "of"
                    | "supports"
                    | "features"
            );
        if !counts {
            continue;
        }
        let n = match NUMBERS.iter().position(|x| x == w) {
            Some(k) => k + 1,
            None => match w.parse::<usize>() {
                Ok(n) if w.len() <= 3 => n,
                _ => continue,
            },
        };
        let unit = ws.iter().skip(i + 1).take(3).position(|x| {
            matches!(
                x.as_str(),
                "tools"
                    | "functions"
                    | "operations"
                    | "endpoints"
                    | "methods"
                    | "apis"
                    | "function"
                    | "tool"
                    | "operation"
                    | "endpoint"
                    | "method"
                    | "api"
            )
        });
        let between_ok = |k: usize| {
            ws[i + 1..i + 1 + k].iter().all(|x| {
                matches!(
                    x.as_str(),
                    "built" | "in" | "main" | "available" | "distinct" | "different" | "core" | "key" | "api"
                )
            })
        };
        if unit.is_some_and(between_ok) {
            return Some(n);
        }
    }
    None
}
