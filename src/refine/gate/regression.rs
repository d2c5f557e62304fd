//! The regression rules: a revision must be no worse than the text it replaces.
//!
//! - **echo**: a text that repeats what the model was told: a `<placeholder>` of an answer
//!   template ("The new operation description"), or at least `echoShare` (0.5) of its word
//!   `echoNgram`-grams (4) taken from the prompt templates or the output schemas and not
//!   from the tool's own documentation or responses; or talk about the work instead of the
//!   tool: `metaWords` (2) distinct words such as documentation, explore, revision, analysis
//!   that the tool's own documentation does not use.
//! - **uninformative**: a stock placeholder ("TODO", "description", "N/A"); a text whose
//!   every content word is a word of an identifier (the operation's id or name, the tool's
//!   name, a parameter's name: "create_entities" as the description of `entities`) when the
//!   text it replaces said more; fewer than `minDescriptionWords` (3) content words, or
//!   `minParameterWords` (2) for a parameter, when the text it replaces had more (a short
//!   original kept short is no regression); a text that repeats itself: over 6 or more
//!   content words, distinct ones below `minDistinctShare` (0.5) of them, or the same 8
//!   content words in a row 3 times (a loop); or a text that only rewords the one it
//!   replaces: no content word or number of its own and no correction (a dropped word that
//!   an analyzer's mismatch names). Once a call came back, what a text adds (a first text
//!   where there was none too) must be backed: a quarter of its new content words at least
//!   (and one) are words of
//!   the tool's documentation, names and schemas, of an observed response (outside its paths
//!   and links; its status, media type and headers; the words for the shapes its JSON shows
//!   and, for a call that failed, for the failure) or of the arguments of a call that worked
//!   ([`Known`]); padding ("simple", "allows") never counts. A correction that adds words
//!   is held to the same share. With [`check_keeping`], a parameter description that breaks
//!   `echo`, `uninformative` or `offTopic` keeps its current text instead of costing the
//!   whole revision.
//! - **loss**: a fact of the current revision (a number, URL, code-shaped identifier,
//!   quoted value, enum value, format or unit, a condition or limit: see [`super::facts`])
//!   that the new revision no longer says anywhere, unless an analyzer's mismatch (what the
//!   observed calls contradicted) names it; or, when the original has at least
//!   `retentionMinWords` (4) distinct content words, a revision that keeps fewer than
//!   `minRetention` (0.5) of them (words a mismatch names are excused).
//! - **offTopic**: a text of 2 or more content words that shares none with the operation's
//!   name, path, tool, original documentation or observed responses.
//!
//! Content words are words that are neither English function words nor words every API
//! doc uses ("operation", "returns", "value"), compared by a light stem. The same rules
//! (but retention) judge a tool's summary.
//!
//! ```
//! use std::collections::BTreeMap;
//! use tooldraft::doc::Operation;
//! use tooldraft::refine::gate::regression::{check, Revised};
//! use tooldraft::refine::gate::GateRule;
//! use tooldraft::refine::RegressionRules;
//! let op = Operation { id: "create_entities".into(), name: "create_entities".into(),
//!     description: "Create multiple new entities in the knowledge graph".into(), ..Default::default() };
//! let rules = RegressionRules::default();
//! let v = check(&Revised { tool: "memory", original: &op, current: &op,
//!     description: "The new operation description", parameters: &BTreeMap::new(),
//!     trails: &[], known: None, mismatches: &[], rules: &rules });
//! assert_eq!(v[0].rule, GateRule::Echo);
//! ```

use super::echo::{is_placeholder, meta_words, prompt_phrases, slot};
use super::facts::{extract, FactKind, Said};
use super::{GateRule, GateViolation};
use crate::doc::Operation;
use crate::lowercase::Lowercase;
use crate::refine::config::RegressionRules;
use crate::refine::evidence::Trail;
use crate::refine::words::{content_stems, is_generic_stem, is_stopword, root, stem, words};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

mod array_order;
mod known;
mod numbers;
mod sentences;
mod summary;
pub use known::{evidence_text, operation_known, Known};
pub use summary::{check_summary, Summarized};

/// A revision to judge against the one it replaces.
#[derive(Clone, Copy, Debug)]
pub struct Revised<'a> {
    pub tool: &'a str,
    /// Revision 0.
    pub original: &'a Operation,
    /// The revision it replaces (the original, for the end-of-run check).
    pub current: &'a Operation,
    pub description: &'a str,
    /// Every parameter's description after the rewrite.
    pub parameters: &'a BTreeMap<String, String>,
    pub trails: &'a [Trail],
    /// What the tool says over these trails, when the caller has it ([`operation_known`]);
    /// else it is derived here.
    pub known: Option<&'a Known>,
    /// The analyzers' mismatches so far (what the observed calls contradicted).
    pub mismatches: &'a [String],
    pub rules: &'a RegressionRules,
}

/// What the operation's structured fields (schemas, enums, defaults, examples) say: a fact
/// they carry reaches the caller whatever the text says.
fn structured_text(op: &Operation) -> String {
    let mut s = String::new();
    for p in &op.parameters {
        s.push_str(&p.schema.to_string());
        for v in p.enum_values.iter().chain(&p.examples).chain(p.default.iter()) {
            s.push(' ');
            s.push_str(&v.to_string());
        }
    }
    if let Some(r) = &op.response_schema {
        s.push_str(&r.to_string());
    }
    s
}

fn enum_values(op: &Operation) -> Vec<String> {
    let mut out = Vec::new();
    for p in &op.parameters {
        for v in p.enum_values.iter().chain(p.schema.get("enum").and_then(Value::as_array).into_iter().flatten()) {
            if let Some(s) = v.as_str() {
                out.push(s.to_string());
            }
        }
    }
    out
}

/// One text of a revision: what it is, its new and its replaced wording.
struct Field<'a> {
    label: String,
    new: &'a str,
    old: &'a str,
    min_words: usize,
    /// The analyzers' mismatches, lower case: dropping a word one names is a correction.
    mismatches: &'a [String],
    /// A tool summary: an overview of operations, two of which may do the same thing (the
    /// same sentence twice is no loop there).
    overview: bool,
}

fn informative(stems: &[String], ids: &HashSet<String>) -> Vec<String> {
    stems.iter().filter(|s| !ids.contains(*s)).cloned().collect()
}

fn quote_list(items: &[String], max: usize) -> String {
    let mut shown: Vec<String> = items.iter().take(max).map(|s| format!("\"{s}\"")).collect();
    if items.len() > max {
        shown.push(format!("{} more", items.len() - max));
    }
    shown.join(", ")
}

/// `echo`, `uninformative` and `offTopic` for one text.
fn judge_text(f: &Field<'_>, known: &Known, rules: &RegressionRules, out: &mut Vec<GateViolation>) {
    let mut push = |rule, message: String| out.push(GateViolation { rule, message });
    let (share, phrase) = prompt_phrases(f.new, rules.echo_ngram, &known.phrases);
    if share >= rules.echo_share && share > 0.0 {
        let phrase = phrase.unwrap_or_default();
        push(
            GateRule::Echo,
            format!(
                "{} repeats the prompt (\"{phrase}\"; {:.0}% of its wording) instead of describing the tool",
                f.label,
                share * 100.0
            ),
        );
        return;
    }
    let meta = meta_words(f.new, &known.words);
    if meta.len() >= rules.meta_words.max(1) {
        push(
            GateRule::Echo,
            format!(
                "{} talks about documentation or exploration instead of the tool ({})",
                f.label,
                quote_list(&meta, 4)
            ),
        );
        return;
    }
    if is_placeholder(f.new) {
        push(GateRule::Uninformative, format!("{} is a placeholder (\"{}\")", f.label, f.new.trim()));
        return;
    }
    if let Some(slot) = slot(f.new).filter(|s| !f.old.contains(s.as_str())) {
        push(GateRule::Echo, format!("{} has a slot of an answer template in it (\"{slot}\")", f.label));
        return;
    }
    let all = content_stems(f.new);
    let old_stems = content_stems(f.old);
    let old_loops = loops(&old_stems);
    let new_info = informative(&all, &known.ids);
    let old_info = informative(&old_stems, &known.ids);
    let old_all: HashSet<String> = old_stems.into_iter().collect();
    // Articles and words every doc uses aside: "The numbytes parameter." only names it too.
    let mut named = false;
    let only_identifier = words(f.new).iter().filter(|w| !matches!(w.as_str(), "the" | "a" | "an")).all(|w| {
        let s = stem(w);
        let id = known.ids.contains(&s);
        named |= id;
        id || is_generic_stem(&s)
    }) && named;
    if only_identifier && !all.iter().all(|s| old_all.contains(s)) {
        push(GateRule::Uninformative, format!("{} only names an identifier (\"{}\")", f.label, f.new.trim()));
        return;
    }
    // A first text (where there was none) with no content word of its own: "The value.",
    // "Returns data." say nothing an empty description does not.
    if f.old.trim().is_empty() && new_info.is_empty() {
        push(
            GateRule::Uninformative,
            format!("{} has no content word (\"{}\")", f.label, crate::text::clip(f.new.trim(), 80)),
        );
        return;
    }
    // Identifier words (the tool's and operations' names) and numbers recur in any good
    // text; a repetition the replaced text already had is no regression.
    let repeats = |stems: &[String]| -> Option<usize> {
        let plain: Vec<&String> = stems.iter().filter(|s| !s.bytes().any(|b| b.is_ascii_digit())).collect();
        plain
            .windows(6)
            .map(|w| w.iter().collect::<HashSet<_>>().len())
            .find(|d| (*d as f64) / 6.0 < rules.min_distinct_share)
    };
    if let (Some(distinct), None) = (repeats(&new_info), repeats(&old_info)) {
        push(
            GateRule::Uninformative,
            format!(
                "{} repeats itself (\"{}\": {} distinct of 6 content words in a row)",
                f.label,
                most_repeated(f.new),
                distinct
            ),
        );
        return;
    }
    if let (Some(times), None) = (loops(&all), old_loops) {
        push(
            GateRule::Uninformative,
            format!(
                "{} repeats itself (\"{}\": the same {LOOP_RUN} content words in a row {times} times)",
                f.label,
                most_repeated(f.new)
            ),
        );
        return;
    }
    if let Some(why) = sentences::repeated(f.new, f.old).filter(|_| !f.overview) {
        push(GateRule::Uninformative, format!("{} {why}", f.label));
        return;
    }
    if sentences::wrapped(f.new, f.old) {
        push(
            GateRule::Echo,
            format!(
                "{} is written as the answer's JSON or a code block, not as prose: \"{}\"",
                f.label,
                crate::text::clip(f.new.trim(), 80)
            ),
        );
        return;
    }
    let distinct_new: HashSet<&String> = new_info.iter().collect();
    let distinct_old: HashSet<&String> = old_info.iter().collect();
    if distinct_new.len() < f.min_words && distinct_new.len() < distinct_old.len() {
        push(
            GateRule::Uninformative,
            format!(
                "{} has {} content word{} (fewer than {} and than the {} of the text it replaces)",
                f.label,
                distinct_new.len(),
                if distinct_new.len() == 1 { "" } else { "s" },
                f.min_words,
                distinct_old.len()
            ),
        );
        return;
    }
    if all.len() >= 2 && !all.iter().any(|s| known.on_topic(root(s))) {
        push(
            GateRule::OffTopic,
            format!("{} shares no word with the operation's name, path, documentation or observed responses", f.label),
        );
        return;
    }
    match adds_content(&all, f, known) {
        // Each sentence it adds is backed on its own too.
        Added::Content => {
            if let Some((rule, why)) = known.observed.then(|| sentences::unbacked(f.new, f.old, known)).flatten() {
                push(rule, format!("{} {why}", f.label));
            }
        }
        // A first text (where there was none) rewords nothing; what it says is judged above
        // and, below, by what backs it.
        Added::Nothing if f.old.trim().is_empty() => {
            if let Some((rule, why)) = known.observed.then(|| sentences::unbacked(f.new, f.old, known)).flatten() {
                push(rule, format!("{} {why}", f.label));
            }
        }
        Added::Nothing => push(
            GateRule::Uninformative,
            format!(
                "{} only rewords the text it replaces (no content word of its own, no correction): \"{}\"",
                f.label,
                crate::text::clip(f.new.trim(), 120)
            ),
        ),
        Added::Unbacked { words, backed: 0, .. } => push(
            GateRule::Uninformative,
            format!(
                "{} adds only words that no call and no documentation back ({}), and no correction: \"{}\"",
                f.label,
                quote_list(&words, 4),
                crate::text::clip(f.new.trim(), 120)
            ),
        ),
        Added::Unbacked { words, backed, fresh } => push(
            GateRule::Uninformative,
            format!(
                "{} adds mostly words that no call and no documentation back ({}; {backed} of its {fresh} new words \
                 are backed, a quarter must be): \"{}\"",
                f.label,
                quote_list(&words, 4),
                crate::text::clip(f.new.trim(), 120)
            ),
        ),
    }
}

/// Content words in a row that make a phrase for [`loops`].
const LOOP_RUN: usize = 8;

/// How often a text says the same phrase when it goes round in a loop, as a small model
/// does until its token limit cuts it off ("It can also be used to create new knowledge
/// graphs from existing ones, and … It can also be used to create new knowledge graphs …"):
/// a run of [`LOOP_RUN`] content words said 3 times or more. `None` for a text that does not
/// loop: a sentence said twice (a one-operation tool's summary restating it), or a short
/// phrase in every item of a list ("1. SMS QR Code is to generate a Static QR Code …").
fn loops(stems: &[String]) -> Option<usize> {
    // Pairwise: a text is a few hundred words (the first 1,000 are read).
    let runs: Vec<&[String]> = stems[..stems.len().min(1_000)].windows(LOOP_RUN).collect();
    let mut most = 0;
    for (i, r) in runs.iter().enumerate() {
        let times = 1 + runs[i + 1..].iter().filter(|o| *o == r).count();
        most = most.max(times);
    }
    (most >= 3).then_some(most)
}

/// Padding that says nothing about a tool ("The operation is designed to…", "This tool
/// allows you to…"): not a content word of its own for [`adds_content`].
const FILLER: &[&str] = &[
    "ability",
    "able",
    "allows",
    "basically",
    "certain",
    "designed",
    "easily",
    "easy",
    "enables",
    "functionality",
    "given",
    "helps",
    "intended",
    "lets",
    "particular",
    "performs",
    "provides",
    "purpose",
    "simple",
    "simply",
    "specific",
    "used",
    "useful",
    "various",
];

/// Whether a stem is one of [`FILLER`]'s.
fn is_filler_stem(s: &str) -> bool {
    static STEMS: OnceLock<HashSet<String>> = OnceLock::new();
    STEMS.get_or_init(|| FILLER.iter().map(|w| stem(w)).collect()).contains(s)
}

/// Whether a changed text says something the text it replaces does not: content words (or
/// numbers) of its own, a quarter of them backed, or a correction that adds nothing (it
/// drops a word an analyzer's mismatch names, in any inflection). A rewording of the same
/// words ("Create new entities" → "The operation is created by creating new entities")
/// changes what an agent reads and tells it nothing more; a correction that also adds words
/// must have them backed like any other text.
fn adds_content(new_stems: &[String], f: &Field<'_>, known: &Known) -> Added {
    let old = content_stems(f.old);
    let old_roots: HashSet<&str> = old.iter().map(|s| root(s)).collect();
    let (mut backed, mut unbacked) = (0usize, Vec::<String>::new());
    let mut seen: HashSet<&str> = HashSet::new();
    for s in new_stems.iter().filter(|s| !old_roots.contains(root(s)) && !is_filler_stem(s)) {
        if !seen.insert(s.as_str()) {
            continue;
        }
        if known.backs(s) {
            backed += 1;
        } else {
            unbacked.push(s.clone());
        }
    }
    let fresh = backed + unbacked.len();
    if fresh == 0 {
        let new_roots: HashSet<&str> = new_stems.iter().map(|s| root(s)).collect();
        let named: HashSet<String> =
            f.mismatches.iter().flat_map(|m| words(m)).map(|w| root(&stem(&w)).to_string()).collect();
        let corrects = words(f.old).iter().any(|w| {
            let r = stem(w);
            !is_stopword(w) && !new_roots.contains(root(&r)) && named.contains(root(&r))
        });
        return if corrects { Added::Content } else { Added::Nothing };
    }
    // A quarter of what it adds must be backed at least. A weak model's long invention ("a
    // simple command-line tool … easy to use … a variety of sources") finds a word or two of
    // the response ("users" in User-Agent) among a dozen of its own (2 of 11); the scripted
    // bench's sound rewrites back 2 of 7 and more (bench/quality/RESULTS.md).
    if backed > 0 && backed * BACKED_SHARE_DENOMINATOR >= fresh {
        Added::Content
    } else {
        Added::Unbacked { words: words_of(f.new, &unbacked), backed, fresh }
    }
}

/// At least 1 in this many of the content words a revision adds must be backed.
const BACKED_SHARE_DENOMINATOR: usize = 4;

/// What a changed text adds to the one it replaces.
enum Added {
    /// Words the evidence backs (a quarter of what it adds at least), or a correction.
    Content,
    /// Nothing: the same words again, or padding.
    Nothing,
    /// Words no call and no documentation back (as written), `backed` of the `fresh` new ones
    /// being backed.
    Unbacked { words: Vec<String>, backed: usize, fresh: usize },
}

/// The words of `text` whose stems are among `stems`, as written, once each.
fn words_of(text: &str, stems: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words(text) {
        if stems.contains(&stem(&w)) && !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

fn most_repeated(text: &str) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for w in words(text).into_iter().filter(|w| w.chars().count() > 1 && !is_stopword(w)) {
        *counts.entry(w).or_default() += 1;
    }
    counts.into_iter().max_by_key(|(_, c)| *c).map(|(w, _)| w).unwrap_or_default()
}

fn merged_text(description: &str, parameters: &BTreeMap<String, String>) -> String {
    let mut s = description.to_string();
    for d in parameters.values() {
        s.push('\n');
        s.push_str(d);
    }
    s
}

fn parameters_of(op: &Operation) -> BTreeMap<String, String> {
    crate::order::map_of(op.parameters.iter().map(|p| (p.name.clone(), p.description.clone())))
}

/// Every regression rule the revision breaks (see the module docs).
pub fn check(r: &Revised<'_>) -> Vec<GateViolation> {
    judge(r, false).violations
}

/// The regression rules' verdict when weak parameter descriptions are kept out rather than
/// held against the whole revision.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Judged {
    /// What the revision breaks, once the parameters in `kept` have their current descriptions.
    pub violations: Vec<GateViolation>,
    /// Parameters whose new description broke `echo`, `uninformative` or `offTopic` (each with
    /// the first rule it broke): they keep the description they had.
    pub kept: Vec<(String, GateViolation)>,
}

/// [`check`], except that a parameter whose new description breaks a rule of its own text
/// (`echo`, `uninformative`, `offTopic`) keeps its current description, and the rest of the
/// revision is judged without that change: a weak model's reworded parameter does not cost
/// its sound description.
pub fn check_keeping(r: &Revised<'_>) -> Judged {
    judge(r, true)
}

/// [`check`] (`keep` false) or [`check_keeping`] (`keep` true).
pub fn judge(r: &Revised<'_>, keep: bool) -> Judged {
    let rules = r.rules;
    let mut out = Vec::new();
    let mut kept_params = Vec::new();
    if !rules.enabled {
        return Judged::default();
    }
    let mut known = r.known.cloned().unwrap_or_else(|| operation_known(r.tool, r.original, r.trails));
    let current_params = parameters_of(r.current);
    let mismatches: Vec<String> = r.mismatches.iter().map(|m| m.lowercase()).collect();
    if r.description.trim() != r.current.description.trim() && !r.description.trim().is_empty() {
        let f = Field {
            label: "the description".into(),
            new: r.description,
            old: &r.current.description,
            min_words: rules.min_description_words,
            mismatches: &mismatches,
            overview: false,
        };
        judge_text(&f, &known, rules, &mut out);
    }
    // A parameter may be described in the words of the (sound) new description.
    if out.is_empty() {
        known.add_revised(r.description);
    }
    let mut parameters = r.parameters.clone();
    for (name, new) in r.parameters {
        let old = current_params.get(name).map(String::as_str).unwrap_or("");
        if new.trim() == old.trim() || new.trim().is_empty() {
            continue;
        }
        let f = Field {
            label: format!("the description of \"{name}\""),
            new,
            old,
            min_words: rules.min_parameter_words,
            mismatches: &mismatches,
            overview: false,
        };
        let mut broken = Vec::new();
        // Another parameter's description, copied: one of the two is wrong ("The number of
        // seconds to wait." for `numbytes` beside `delay`).
        let copied = r.parameters.iter().find(|(other, d)| {
            *other != name
                && d.trim() == new.trim()
                && (old.trim().is_empty() || current_params.get(*other).map(|o| o.trim()) != Some(old.trim()))
        });
        // Or the one another parameter has now, moved over ("First number" and "Second
        // number" swapped): nothing a call of a symmetric tool shows can back it, so only an
        // analyzer's mismatch that names the parameter does.
        let lname = name.lowercase();
        let moved = current_params.iter().find(|(other, d)| {
            *other != name && !d.trim().is_empty() && d.trim() == new.trim() && d.trim() != old.trim()
        });
        if let Some((other, _)) = copied.filter(|_| content_stems(new).len() >= 2) {
            broken.push(GateViolation {
                rule: GateRule::Uninformative,
                message: format!("the description of \"{name}\" is the same as that of \"{other}\""),
            });
        } else if let Some((other, _)) = moved.filter(|_| !mismatches.iter().any(|m| words(m).contains(&lname))) {
            broken.push(GateViolation {
                rule: GateRule::Uninformative,
                message: format!("the description of \"{name}\" is the one \"{other}\" has, moved over"),
            });
        }
        if let Some(p) = r.original.parameter(name) {
            let worked: Vec<&Value> =
                r.trails.iter().filter(|t| t.succeeded()).filter_map(|t| t.arguments.get(name)).collect();
            if let Some(why) = sentences::parameter_kind(new, &p.schema, &worked) {
                broken.push(GateViolation {
                    rule: GateRule::Contradiction,
                    message: format!("the description of \"{name}\" {why}"),
                });
            }
        }
        judge_text(&f, &known, rules, &mut broken);
        match broken.into_iter().next() {
            Some(v) if keep => {
                parameters.insert(name.clone(), old.to_string());
                kept_params.push((name.clone(), v));
            }
            Some(v) => out.push(v),
            None => {}
        }
    }
    // Loss, over the whole revision.
    let before = merged_text(&r.current.description, &current_params);
    let after = merged_text(r.description, &parameters);
    if before.trim() == after.trim() {
        return Judged { violations: out, kept: kept_params };
    }
    let said = Said::new(&after);
    let names: Vec<String> = r.original.parameters.iter().map(|p| p.name.clone()).collect();
    let excused = |word: &str| mismatches.iter().any(|m| m.contains(word));
    let structured = structured_text(r.original).lowercase();
    let dropped: Vec<String> = extract(&before, &enum_values(r.original), &names)
        .into_iter()
        .filter(|f| !f.kept_in(&said) && !f.named_in(&structured) && !mismatches.iter().any(|m| f.named_in(m)))
        .map(|f| f.text)
        .collect();
    if !dropped.is_empty() {
        out.push(GateViolation {
            rule: GateRule::Loss,
            message: format!(
                "it drops what the current revision says and no observation contradicted: {}",
                quote_list(&dropped, 5)
            ),
        });
    }
    let original = merged_text(&r.original.description, &parameters_of(r.original));
    let mut orig_words: Vec<String> = Vec::new();
    let mut orig_roots = HashSet::new();
    for w in words(&original) {
        let s = stem(&w);
        if w.chars().count() > 1 && !is_stopword(&w) && !is_generic_stem(&s) && orig_roots.insert(root(&s).to_string())
        {
            orig_words.push(w);
        }
    }
    if orig_words.len() >= rules.retention_min_words.max(1) {
        let new_roots: HashSet<String> = content_stems(&after).iter().map(|s| root(s).to_string()).collect();
        let lost: Vec<String> =
            orig_words.iter().filter(|w| !new_roots.contains(root(&stem(w))) && !excused(w)).cloned().collect();
        let kept = 1.0 - lost.len() as f64 / orig_words.len() as f64;
        if kept < rules.min_retention {
            out.push(GateViolation {
                rule: GateRule::Loss,
                message: format!(
                    "it keeps {:.0}% of the original's content words (at least {:.0}% must stay); it drops {}",
                    kept * 100.0,
                    rules.min_retention * 100.0,
                    quote_list(&lost, 6)
                ),
            });
        }
    }
    Judged { violations: out, kept: kept_params }
}

/// Removes from an analysis the findings that only repeat the prompt's placeholders or
/// instructions (see [`echoed_findings`]) and returns them.
pub fn drop_echoed(analysis: &mut super::super::analyzer::Analysis, n: usize) -> Vec<String> {
    let mut echoed = Vec::new();
    for list in [&mut analysis.mismatches, &mut analysis.missing, &mut analysis.suggestions] {
        let bad = echoed_findings(list.iter(), n);
        list.retain(|f| !bad.contains(f));
        echoed.extend(bad);
    }
    echoed
}

/// The findings of an analysis that only repeat the prompt (its placeholders, its
/// instructions) and say nothing about the call.
pub fn echoed_findings<'a>(findings: impl IntoIterator<Item = &'a String>, n: usize) -> Vec<String> {
    findings
        .into_iter()
        .filter(|f| is_placeholder(f) || (words(f).len() >= n && prompt_phrases(f, n, "").0 >= 0.5))
        .cloned()
        .collect()
}

#[cfg(test)]
mod backed_tests;
#[cfg(test)]
mod grounded_tests;
#[cfg(test)]
mod invented_tests;
#[cfg(test)]
mod tests;
