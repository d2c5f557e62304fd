//! The declarations of what JavaScript passes in (configs, options, what a host's callbacks
//! resolve to) checked against what serde reads: a field serde fills in by default must be
//! optional in TypeScript, a field it requires must not be, and the hand-written parts of
//! `pkg/index.d.ts` must name the Rust fields they stand for.
//!
//! ts-rs declares a field optional only when serde may also leave it out on output, so an input
//! field with `#[serde(default)]` says `#[cfg_attr(test, ts(optional = nullable))]` (on a field
//! that is not an `Option` that is `field?: T`: ts-rs adds `| null` only to an `Option`'s type).

use super::properties;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use ts_rs::{Config, TS};

/// What is wrong with `T`'s declaration as an input, given `minimal`, the smallest JSON serde
/// accepts for it (exactly the fields serde requires): it must be read, each of its fields
/// must be needed, and they must be the fields the declaration requires.
fn input_problems<T: TS + DeserializeOwned>(minimal: Value) -> Vec<String> {
    let name = T::ident(&Config::new());
    let mut out = Vec::new();
    if let Err(e) = serde_json::from_value::<T>(minimal.clone()) {
        out.push(format!("{name}: serde refuses the minimal input {minimal}: {e} (a new required field?)"));
    }
    let given: Vec<String> = minimal.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    for key in &given {
        let mut less = minimal.clone();
        less.as_object_mut().map(|o| o.remove(key));
        if serde_json::from_value::<T>(less).is_ok() {
            out.push(format!("{name}.{key}: serde fills it in, the minimal input should not give it"));
        }
    }
    let decl = T::decl(&Config::new().with_large_int("number"));
    let mut required: Vec<String> =
        properties(&decl).into_iter().filter(|(_, optional)| !optional).map(|(n, _)| n).collect();
    let mut given = given;
    required.sort();
    given.sort();
    if required != given {
        out.push(format!(
            "{name}: the declaration requires {required:?}, serde requires {given:?} \
             (a field with `#[serde(default)]` needs `#[cfg_attr(test, ts(optional = nullable))]`)"
        ));
    }
    out
}

#[test]
fn input_declarations_require_what_serde_requires() {
    use crate::llm;
    let mut problems = Vec::new();
    problems.extend(input_problems::<llm::openai::OpenAiConfig>(json!({"baseUrl": "u", "model": "m"})));
    problems.extend(input_problems::<llm::anthropic::AnthropicConfig>(json!({"model": "m"})));
    problems.extend(input_problems::<llm::EmbeddingsConfig>(json!({"baseUrl": "u", "model": "m"})));
    problems.extend(input_problems::<crate::net::RetryPolicy>(json!({})));
    problems.extend(input_problems::<llm::ChatResponse>(json!({"content": ""})));
    problems.extend(input_problems::<crate::calibrate::CalibrationSet>(json!({"texts": [], "pairs": []})));
    problems.extend(input_problems::<crate::refine::LimitsConfig>(json!({})));
    problems.extend(input_problems::<crate::refine::ThresholdsConfig>(json!({})));
    problems.extend(input_problems::<crate::tools::ToolsOptions>(json!({})));
    problems.extend(input_problems::<crate::tools::SafetyOptions>(json!({})));
    assert!(problems.is_empty(), "input declarations that do not match serde:\n{}", problems.join("\n"));
}
