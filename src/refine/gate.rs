//! The rewrite gate: a proposed revision is accepted only if it breaks none of these rules
//! (a rejected one stays in the history with the reasons; the previous revision stays
//! current).
//!
//! - **empty**: the description has text.
//! - **tooLong**: the description fits the length budget relative to the ORIGINAL
//!   description (default max(4 × original, 600) characters); each parameter description
//!   fits max(4 × its original, 300).
//! - **unknownParameter**: the `parameters` map names only existing parameters; and the text
//!   names no identifier that exists nowhere. An identifier is a token of ASCII letters,
//!   digits and `_` that is *code-shaped*: it has an underscore between letters or digits
//!   (`user_id`), or it is camelCase (`userId`) inside backticks or quotes. Plain words,
//!   bare camelCase (`iPhone`, `eBay`) and numbers are never identifiers, so ordinary prose
//!   cannot trip the rule. A code-shaped identifier must be a parameter, a `{placeholder}` of
//!   the path, or occur in the original documentation (descriptions, schemas, enums,
//!   examples, names) or in an observed request or response (JSON keys and body text).
//!   A token directly before or after the word parameter/param/argument (`the 'city'
//!   parameter`, `parameter user_id`) that is quoted or code-shaped must be a parameter, a
//!   placeholder or a word of the original documentation: the text calls it a parameter.
//! - **droppedDescription**: no parameter that had a description is given an empty one (the
//!   required ones above all).
//! - **injection**: no instruction-like text copied from tool output (the `injection`
//!   module: text is folded first, so zero-width, fullwidth and homoglyph variants match; its
//!   words are in `phrases`, and in `other_languages` for French, German, Spanish, Portuguese,
//!   Italian, Dutch, Russian, Chinese, Japanese and Korean). An
//!   override phrase ("ignore previous instructions", "system prompt", …), text addressed to
//!   an agent ("note to AI agents", "before answering, …"), a call to a code-shaped name or a
//!   link to an origin other than the target's that occurs in a response and in the rewrite
//!   but not in the original documentation rejects it; a weak one
//!   ("you must", "respond with", "act as", …) rejects it when the rewrite also copies six or
//!   more consecutive words of the response sentence that carries it.
//! - **contradiction**: the rewrite calls a parameter optional (`P is optional`,
//!   `P (optional)`, `optional parameter P`, or "optional" in P's own description, not
//!   negated) when the tool rejected a call without P with an error naming P, or when the
//!   document marks P required and no call without P succeeded; it names a response field
//!   (a quoted or code-shaped token next to field/property/key) that no observed response,
//!   documented schema or original text has, once a response schema was observed; or it
//!   claims an HTTP status (`HTTP 404`, `status 500`, `a 404 error`, `429 Too Many …`) that
//!   no call returned and the original documentation does not mention; or it states what the
//!   schema settles otherwise (the `schema_claims` module): a parameter's default
//!   ("Defaults to 10" when the schema says 20), a bound ("at most 10", "between 1 and 50",
//!   "up to 100 characters") the schema does not have and no call showed, a value listed
//!   beside the schema's own ("asc, desc or random") that it does not allow, or the
//!   response's top-level kind ("Returns a JSON object" when every call returned an array).
//!   In the loop ([`check_all_keeping`]), a parameter whose own description misstates its
//!   schema keeps its current description instead of costing the revision.
//! - **echo**, **uninformative**, **loss**, **offTopic**: the regression rules, a revision
//!   no worse than the text it replaces (see [`regression`]; thresholds in
//!   [`RegressionRules`]). [`check_all`] applies every rule.
//!
//! ```
//! use tooldraft::refine::gate::code_shaped;
//! assert!(code_shaped("user_id", false));
//! assert!(!code_shaped("userId", false) && code_shaped("userId", true));
//! assert!(!code_shaped("iPhone", false) && !code_shaped("_", true) && !code_shaped("the", true));
//! ```

use super::config::{LengthBudget, RegressionRules};
use super::evidence::{payload, Facts, Trail};
use super::rewriter::RewriteOutput;
use super::shape;
use crate::doc::Operation;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

mod consent;
pub mod echo;
pub mod facts;
mod fold;
mod injection;
mod other_languages;
mod phrases;
pub mod regression;
mod schema_claims;
mod text;

pub use fold::fold;
pub use injection::{
    findings, hostile, injection, injection_with_origins, instruction_like, origin_of, Finding, OutputContext,
};
pub use text::code_shaped;
use text::{calls_optional, claimed_statuses, tokens};

/// Which rule a rewrite broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum GateRule {
    Empty,
    TooLong,
    UnknownParameter,
    DroppedDescription,
    Injection,
    Contradiction,
    /// The text repeats the prompt or talks about the documentation work (see [`regression`]).
    Echo,
    /// A placeholder, an identifier alone, too few words, or a text that repeats itself.
    Uninformative,
    /// Facts or content of the text it replaces dropped without an observation against them.
    Loss,
    /// Nothing in common with the operation, its documentation or its observed responses.
    OffTopic,
    /// Replay verification: the Caller did worse with the candidate than with the current
    /// revision (see `refine::verify`).
    Verification,
}

impl GateRule {
    /// Every rule of the text gate, in the order it applies them (replay verification, which
    /// runs after them, is not one of them).
    pub const ALL: [GateRule; 10] = [
        GateRule::Empty,
        GateRule::TooLong,
        GateRule::UnknownParameter,
        GateRule::DroppedDescription,
        GateRule::Injection,
        GateRule::Contradiction,
        GateRule::Echo,
        GateRule::Uninformative,
        GateRule::Loss,
        GateRule::OffTopic,
    ];

    /// The rule's stable name (as serialised).
    pub fn name(self) -> &'static str {
        match self {
            GateRule::Empty => "empty",
            GateRule::TooLong => "tooLong",
            GateRule::UnknownParameter => "unknownParameter",
            GateRule::DroppedDescription => "droppedDescription",
            GateRule::Injection => "injection",
            GateRule::Contradiction => "contradiction",
            GateRule::Echo => "echo",
            GateRule::Uninformative => "uninformative",
            GateRule::Loss => "loss",
            GateRule::OffTopic => "offTopic",
            GateRule::Verification => "verification",
        }
    }
}

/// One broken rule, with a message naming what broke it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct GateViolation {
    pub rule: GateRule,
    pub message: String,
}

/// What the gate judges a rewrite against.
#[derive(Clone, Copy, Debug)]
pub struct GateInput<'a> {
    pub tool: &'a str,
    /// The operation as the document had it (revision 0).
    pub original: &'a Operation,
    /// The operation with its current revision applied.
    pub current: &'a Operation,
    pub proposal: &'a RewriteOutput,
    pub facts: &'a Facts,
    pub trails: &'a [Trail],
    /// What the tool says over `trails` ([`regression::operation_known`]), when the caller
    /// keeps it from one revision to the next; else derived again.
    pub known: Option<&'a regression::Known>,
    pub budget: &'a LengthBudget,
}

const PARAM_WORDS: [&str; 8] = ["parameter", "parameters", "param", "params", "argument", "arguments", "arg", "args"];
const FIELD_WORDS: [&str; 8] = ["field", "fields", "property", "properties", "key", "keys", "attribute", "attributes"];
fn add_words(set: &mut HashSet<String>, text: &str) {
    for t in tokens(text) {
        set.insert(t.text.to_ascii_lowercase());
    }
}

fn add_json_keys(set: &mut HashSet<String>, v: &Value) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                add_words(set, k);
                set.insert(k.to_ascii_lowercase());
                add_json_keys(set, x);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| add_json_keys(set, x)),
        _ => {}
    }
}

/// Lower-case words of everything the original documentation says about the operation.
fn documented_words(tool: &str, op: &Operation) -> HashSet<String> {
    let mut s = HashSet::new();
    for t in [tool, &op.id, &op.name, op.title.as_deref().unwrap_or(""), &op.description] {
        add_words(&mut s, t);
    }
    if let Some(h) = &op.http {
        add_words(&mut s, &h.path);
    }
    for p in &op.parameters {
        s.insert(p.name.to_ascii_lowercase());
        add_words(&mut s, &p.description);
        add_words(&mut s, &p.schema.to_string());
        for v in p.enum_values.iter().chain(&p.examples).chain(p.default.iter()) {
            add_words(&mut s, &v.to_string());
        }
    }
    if let Some(r) = &op.response_schema {
        add_words(&mut s, &r.to_string());
    }
    for e in &op.examples {
        add_words(&mut s, &e.arguments.to_string());
        if let Some(r) = &e.result {
            add_json_keys(&mut s, r);
        }
    }
    s
}

fn placeholders(op: &Operation) -> HashSet<String> {
    let mut s = HashSet::new();
    if let Some(h) = &op.http {
        for part in h.path.split('{').skip(1) {
            if let Some(end) = part.find('}') {
                s.insert(part[..end].to_ascii_lowercase());
            }
        }
    }
    s
}

/// Texts of every response and request recorded (bodies as the tool returned them).
fn observed_texts(trails: &[Trail]) -> Vec<&str> {
    let mut out = Vec::new();
    for t in trails {
        if let Some(o) = &t.observation {
            out.push(o.body.as_str());
            out.push(o.request.url.as_str());
            if let Some(b) = &o.request.body {
                out.push(b.as_str());
            }
        }
    }
    out
}

/// Every rule the proposal breaks (empty: accepted).
pub fn check(input: &GateInput<'_>) -> Vec<GateViolation> {
    let mut v = Vec::new();
    let mut push = |rule, message: String| v.push(GateViolation { rule, message });
    let prop = input.proposal;
    let op = input.original;
    if prop.description.trim().is_empty() {
        push(GateRule::Empty, "the description is empty".into());
    }
    for name in prop.parameters.keys() {
        if op.parameter(name).is_none() {
            push(
                GateRule::UnknownParameter,
                format!("it describes a parameter \"{name}\" that the operation does not have"),
            );
        }
    }
    for p in &input.current.parameters {
        if let Some(new) = prop.parameters.get(&p.name) {
            if new.trim().is_empty() && !p.description.trim().is_empty() {
                let kind = if p.required { "required parameter" } else { "parameter" };
                push(GateRule::DroppedDescription, format!("it empties the description of {kind} \"{}\"", p.name));
            }
        }
    }
    let limit = input.budget.description_limit(op.description.chars().count());
    let len = prop.description.chars().count();
    if len > limit {
        push(GateRule::TooLong, format!("the description has {len} characters; the budget is {limit}"));
    }
    for (name, text) in &prop.parameters {
        if let Some(p) = op.parameter(name) {
            let limit = input.budget.parameter_limit(p.description.chars().count());
            let len = text.chars().count();
            if len > limit {
                push(
                    GateRule::TooLong,
                    format!("the description of \"{name}\" has {len} characters; the budget is {limit}"),
                );
            }
        }
    }

    // Identifiers.
    let params: HashSet<String> = op.parameters.iter().map(|p| p.name.to_ascii_lowercase()).collect();
    let holes = placeholders(op);
    let doc = documented_words(input.tool, op);
    let observed = observed_texts(input.trails);
    let mut seen = doc.clone();
    for t in &observed {
        add_words(&mut seen, t);
    }
    let mut response_fields: HashSet<String> = HashSet::new();
    for t in input.trails {
        if let Some(data) = t.observation.as_ref().filter(|o| o.is_success()).and_then(|o| payload(op, o)) {
            add_json_keys(&mut seen, &data);
        }
    }
    if let Some(s) = &input.facts.response_schema {
        let mut names = Vec::new();
        shape::property_names(s, &mut names);
        response_fields.extend(names.iter().map(|n| n.to_ascii_lowercase()));
    }
    let texts: Vec<&str> =
        std::iter::once(prop.description.as_str()).chain(prop.parameters.values().map(String::as_str)).collect();
    let mut flagged: HashSet<String> = HashSet::new();
    for text in &texts {
        for t in tokens(text) {
            let lower = t.text.to_ascii_lowercase();
            if flagged.contains(&lower) || params.contains(&lower) || holes.contains(&lower) {
                continue;
            }
            let shaped = code_shaped(t.text, t.quoted);
            let marked = t.quoted || shaped;
            let near = |words: &[&str]| {
                t.prev.is_some_and(|w| words.contains(&w.to_ascii_lowercase().as_str()))
                    || t.next.is_some_and(|w| words.contains(&w.to_ascii_lowercase().as_str()))
            };
            if marked && near(&PARAM_WORDS) && !doc.contains(&lower) {
                flagged.insert(lower);
                push(
                    GateRule::UnknownParameter,
                    format!("it calls \"{}\" a parameter, but the operation has no such parameter", t.text),
                );
            } else if shaped && !seen.contains(&lower) {
                flagged.insert(lower);
                push(
                    GateRule::UnknownParameter,
                    format!("it names \"{}\", which is no parameter and appears nowhere in the documentation or the observed calls", t.text),
                );
            } else if marked
                && near(&FIELD_WORDS)
                && input.facts.response_schema.is_some()
                && !response_fields.contains(&lower)
                && !doc.contains(&lower)
            {
                flagged.insert(lower);
                push(
                    GateRule::Contradiction,
                    format!("it names a response field \"{}\" that no observed response had", t.text),
                );
            }
        }
    }

    // Injection.
    let original_text = {
        let mut s = op.description.clone();
        for p in &op.parameters {
            s.push('\n');
            s.push_str(&p.description);
        }
        s
    };
    let all = texts.join("\n");
    let origins: Vec<String> =
        input.trails.iter().filter_map(|t| t.request().and_then(|r| origin_of(&r.url))).collect();
    let names: Vec<&str> =
        op.parameters.iter().map(|p| p.name.as_str()).chain([op.id.as_str(), op.name.as_str()]).collect();
    let known = format!("{original_text}\n{}", names.join(" "));
    if let Some(why) = injection_with_origins(&all, &observed, &known, &origins) {
        push(GateRule::Injection, why);
    }

    // Facts.
    for p in &op.parameters {
        let Some(why) = required_because(input, &p.name, p.required) else {
            continue;
        };
        let own = prop.parameters.get(&p.name).is_some_and(|d| calls_optional(d, &p.name, true));
        if own || calls_optional(&prop.description, &p.name, false) {
            push(GateRule::Contradiction, format!("it says \"{}\" is optional, but {why}", p.name));
        }
    }
    let mut doc_numbers = HashSet::new();
    add_words(&mut doc_numbers, &original_text);
    let mut reported = Vec::new();
    for text in &texts {
        for s in claimed_statuses(text) {
            if !input.facts.statuses.contains(&s) && !doc_numbers.contains(&s.to_string()) && !reported.contains(&s) {
                reported.push(s);
                push(
                    GateRule::Contradiction,
                    format!("it claims HTTP status {s}, which no call returned and the documentation does not mention"),
                );
            }
        }
    }
    v
}

/// Why `name` must be sent, if it must: the tool rejected a call without it, or the document
/// marks it required and no call without it succeeded.
fn required_because(input: &GateInput<'_>, name: &str, documented: bool) -> Option<&'static str> {
    if input.facts.required_in_practice.iter().any(|n| n == name) {
        Some("the tool rejected a call without it")
    } else if documented && !input.facts.optional_in_practice.iter().any(|n| n == name) {
        Some("the document marks it required and no call without it succeeded")
    } else {
        None
    }
}

/// The parameters whose own new description calls them optional when they must be sent, with
/// the violation each would be.
fn optional_in_own_text(input: &GateInput<'_>) -> Vec<(String, GateViolation)> {
    let mut out = Vec::new();
    for p in &input.original.parameters {
        let Some(why) = required_because(input, &p.name, p.required) else {
            continue;
        };
        if input.proposal.parameters.get(&p.name).is_some_and(|d| calls_optional(d, &p.name, true)) {
            let message = format!("it says \"{}\" is optional, but {why}", p.name);
            out.push((p.name.clone(), GateViolation { rule: GateRule::Contradiction, message }));
        }
    }
    out
}

/// The rules for a tool summary: not empty, within `limit` characters, no instruction-like
/// text copied from tool output.
pub fn check_summary(summary: &str, limit: usize, observed: &[&str], original: &str) -> Vec<GateViolation> {
    let mut v = Vec::new();
    if summary.trim().is_empty() {
        v.push(GateViolation { rule: GateRule::Empty, message: "the description is empty".into() });
    }
    let len = summary.chars().count();
    if len > limit {
        v.push(GateViolation {
            rule: GateRule::TooLong,
            message: format!("the description has {len} characters; the budget is {limit}"),
        });
    }
    if let Some(why) = injection(summary, observed, original) {
        v.push(GateViolation { rule: GateRule::Injection, message: why });
    }
    v
}

/// What a tool's own documentation says, for its summary's rules: its name and description,
/// and each operation's name and description, and its parameters' names, descriptions and
/// values (enum, default, examples).
pub fn summary_original(tool: &crate::doc::Tool) -> String {
    let mut s = format!("{}\n{}", tool.name, tool.description);
    for o in &tool.operations {
        for text in [&o.name, &o.description] {
            s.push('\n');
            s.push_str(text);
        }
        for p in &o.parameters {
            for text in [&p.name, &p.description] {
                s.push('\n');
                s.push_str(text);
            }
            for v in p.enum_values.iter().chain(&p.default).chain(&p.examples) {
                s.push(' ');
                s.push_str(&v.to_string());
            }
        }
    }
    s
}

/// The code-shaped names a tool summary gives that are no operation or parameter of the tool
/// and that its documentation (`original`, see [`summary_original`], and the refined
/// descriptions) and the observed calls never wrote: a weak model's list of the tool's
/// operations with one invented ("4. update_entities"), which an agent would then try to
/// call. Of the DRAFT paper's 282 summaries, one names such an operation: api.video's
/// "GET_video", which is `GET-video`.
pub fn summary_unknown_names(summary: &str, observed: &[&str], original: &str) -> Vec<GateViolation> {
    let mut known = HashSet::new();
    add_words(&mut known, original);
    for o in observed {
        add_words(&mut known, o);
    }
    let mut flagged: Vec<&str> = Vec::new();
    for t in tokens(summary) {
        let lower = t.text.to_ascii_lowercase();
        if code_shaped(t.text, t.quoted) && !known.contains(&lower) && !flagged.contains(&t.text) {
            flagged.push(t.text);
        }
    }
    flagged
        .into_iter()
        .map(|n| GateViolation {
            rule: GateRule::UnknownParameter,
            message: format!(
                "the summary names \"{n}\", which is no operation or parameter of the tool and appears nowhere in its documentation or the observed calls"
            ),
        })
        .collect()
}

/// Every rule: [`check`], then the regression rules ([`regression::check`]) of the proposal
/// against `input.current`. `mismatches` are the analyzers' findings of where the observed
/// calls contradicted the documentation.
pub fn check_all(input: &GateInput<'_>, mismatches: &[String], rules: &RegressionRules) -> Vec<GateViolation> {
    judge_all(input, mismatches, rules, false).0
}

/// [`check_all`] for a rewrite in the loop: a parameter whose new description breaks a rule of
/// its own text keeps its current description ([`regression::check_keeping`]); returns what
/// the rest breaks and the parameters kept, with why. Rules over the whole proposal (length,
/// unknown names, injection, contradiction) still judge every text it wrote.
pub fn check_all_keeping(
    input: &GateInput<'_>,
    mismatches: &[String],
    rules: &RegressionRules,
) -> (Vec<GateViolation>, Vec<(String, GateViolation)>) {
    judge_all(input, mismatches, rules, true)
}

fn judge_all(
    input: &GateInput<'_>,
    mismatches: &[String],
    rules: &RegressionRules,
    keep: bool,
) -> (Vec<GateViolation>, Vec<(String, GateViolation)>) {
    // In the loop, a parameter whose own text calls it optional when it must be sent keeps its
    // current text, as the other rules of a parameter's own text do.
    let mut kept = Vec::new();
    let trimmed;
    let input = match keep.then(|| optional_in_own_text(input)).filter(|o| !o.is_empty()) {
        Some(optional) => {
            let mut proposal = input.proposal.clone();
            for (name, _) in &optional {
                proposal.parameters.remove(name);
            }
            trimmed = proposal;
            kept = optional;
            &GateInput { proposal: &trimmed, ..*input }
        }
        None => input,
    };
    let mut v = check(input);
    let mut parameters = merged_parameters(input.current, input.proposal);
    let (own, claims) = schema_claims::contradictions(
        input.original,
        input.current,
        &input.proposal.description,
        &parameters,
        input.trails,
        mismatches,
    );
    v.extend(claims.into_iter().map(|message| GateViolation { rule: GateRule::Contradiction, message }));
    // A parameter's own description that misstates its schema keeps its current text, as one
    // that breaks a rule of its own text does; without `keep`, it rejects the revision.
    for (name, violation) in own {
        if keep {
            let current = input.current.parameter(&name).map(|p| p.description.clone()).unwrap_or_default();
            parameters.insert(name.clone(), current);
            kept.push((name, violation));
        } else {
            v.push(violation);
        }
    }
    let judged = regression::judge(
        &regression::Revised {
            tool: input.tool,
            original: input.original,
            current: input.current,
            description: &input.proposal.description,
            parameters: &parameters,
            trails: input.trails,
            known: input.known,
            mismatches,
            rules,
        },
        keep,
    );
    v.extend(judged.violations);
    kept.extend(judged.kept);
    (v, kept)
}

/// The names of the rules a text passed, for an acceptance's reason.
pub fn rules_passed(rules: &RegressionRules) -> String {
    let n = if rules.enabled { GateRule::ALL.len() } else { GateRule::ALL.len() - 4 };
    GateRule::ALL[..n].iter().map(|r| r.name()).collect::<Vec<_>>().join(", ")
}

/// The reasons as one line.
pub fn reasons(v: &[GateViolation]) -> String {
    v.iter().map(|x| x.message.as_str()).collect::<Vec<_>>().join("; ")
}

/// Parameter descriptions after applying a proposal to the current ones.
pub fn merged_parameters(current: &Operation, proposal: &RewriteOutput) -> BTreeMap<String, String> {
    crate::order::map_of(
        current.parameters.iter().map(|p| {
            (p.name.clone(), proposal.parameters.get(&p.name).cloned().unwrap_or_else(|| p.description.clone()))
        }),
    )
}
