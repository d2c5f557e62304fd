//! The regression rules on the DRAFT paper's own rewrites (ToolBench, 1,006 operations and
//! 282 tool descriptions, `data/draft-paper/`): good rewrites must mostly pass. The
//! false-rejection rate is measured here (and printed by the ignored benchmark, with the
//! cost per revision: `cargo test --release --test gate_paper -- --ignored --nocapture`).

use std::collections::BTreeMap;
use std::time::Instant;
use tooldraft::doc::formats::import;
use tooldraft::doc::{Operation, ToolDoc};
use tooldraft::refine::gate::regression::{check, check_summary, Revised, Summarized};
use tooldraft::refine::gate::GateRule;
use tooldraft::refine::RegressionRules;

fn paper(name: &str) -> ToolDoc {
    let path = format!("{}/data/draft-paper/{name}", env!("CARGO_MANIFEST_DIR"));
    import(&std::fs::read_to_string(path).unwrap(), None).unwrap()
}

/// A tool's description before and after, with its operations' (name, rewritten description).
struct ToolPair {
    name: String,
    before: String,
    after: String,
    operations: Vec<(String, String)>,
}

/// (tool, original, rewritten) operations and the tools' descriptions.
struct Pairs {
    ops: Vec<(String, Operation, Operation)>,
    tools: Vec<ToolPair>,
}

fn pairs() -> Pairs {
    let (before, after) = (paper("ToolBench_docs_Initial.json"), paper("ToolBench_docs_DRAFT.json"));
    let mut ops = Vec::new();
    let mut tools = Vec::new();
    for (tb, ta) in before.tools.iter().zip(&after.tools) {
        assert_eq!(tb.name, ta.name);
        let mut listed = Vec::new();
        for ob in &tb.operations {
            let oa = ta.operations.iter().find(|o| o.id == ob.id).expect("the same operations");
            ops.push((tb.name.clone(), ob.clone(), oa.clone()));
            listed.push((ob.name.clone(), oa.description.clone()));
        }
        tools.push(ToolPair {
            name: tb.name.clone(),
            before: tb.description.clone(),
            after: ta.description.clone(),
            operations: listed,
        });
    }
    Pairs { ops, tools }
}

/// Rejections per rule over the operations, and over the tool summaries.
fn measure(p: &Pairs, rules: &RegressionRules) -> (BTreeMap<&'static str, usize>, usize, usize) {
    let mut by_rule = BTreeMap::new();
    let mut rejected = 0;
    for (tool, before, after) in &p.ops {
        let params: BTreeMap<String, String> =
            after.parameters.iter().map(|x| (x.name.clone(), x.description.clone())).collect();
        let v = check(&Revised {
            tool,
            original: before,
            current: before,
            description: &after.description,
            parameters: &params,
            trails: &[],
            known: None,
            mismatches: &[],
            rules,
        });
        if !v.is_empty() {
            rejected += 1;
            if std::env::var_os("GATE_PAPER_SHOW").is_some() {
                eprintln!("{} | {:?}\n  before: {}\n  after: {}", before.id, v, before.description, after.description);
            }
        }
        let mut seen: Vec<GateRule> = v.iter().map(|x| x.rule).collect();
        seen.dedup();
        for r in seen {
            *by_rule.entry(r.name()).or_default() += 1;
        }
    }
    let mut summaries = 0;
    for ToolPair { name: tool, before, after, operations } in &p.tools {
        let ops: Vec<(&str, &str)> = operations.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let v = check_summary(&Summarized {
            tool,
            summary: after,
            original: before,
            operations: &ops,
            observed: &[],
            rules,
        });
        if !v.is_empty() {
            summaries += 1;
            if std::env::var_os("GATE_PAPER_SHOW").is_some() {
                eprintln!("TOOL {tool} | {v:?}\n  before: {before}\n  after: {after}");
            }
        }
    }
    (by_rule, rejected, summaries)
}

/// This thread's CPU time in ns (Linux), so that a busy machine does not inflate the cost.
fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat").ok()?.split_whitespace().next()?.parse().ok()
}

#[test]
fn the_papers_rewrites_mostly_pass() {
    let p = pairs();
    assert_eq!(p.ops.len(), 1006);
    let (by_rule, rejected, summaries) = measure(&p, &RegressionRules::default());
    let rate = rejected as f64 / p.ops.len() as f64;
    let summary_rate = summaries as f64 / p.tools.len() as f64;
    // 143 of 1,006 (14.2%). 120 with a revision keeping 40% of the original's content words;
    // rules for the caller as facts of their own: +1 ("The caller of this API must be the
    // provider himself." dropped, oDesk); half of the words kept: +22, about half of them
    // sound condensations (a Spanish description translated) and half real losses ("If there
    // are no images hosted, an empty array is returned." gone). A refused rewrite leaves the
    // original; an accepted loss is what the gate is for (`make demo`'s create_entities kept
    // 2 of 5 words and lost "knowledge graph").
    assert!(rate <= 0.143, "{rejected} of {} rewrites rejected ({by_rule:?})", p.ops.len());
    assert!(summary_rate <= 0.06, "{summaries} of {} summaries rejected", p.tools.len());
}

#[test]
#[ignore = "a benchmark: run with --release --ignored --nocapture"]
#[allow(clippy::disallowed_methods)] // a benchmark times itself; the engine never does
fn bench_regression_rules_on_the_papers_rewrites() {
    let p = pairs();
    let rules = RegressionRules::default();
    let (by_rule, rejected, summaries) = measure(&p, &rules);
    let reps = 5;
    let (start, cpu_start) = (Instant::now(), thread_cpu_ns());
    for _ in 0..reps {
        measure(&p, &rules);
    }
    let texts = (reps * (p.ops.len() + p.tools.len())) as f64;
    let per = start.elapsed().as_secs_f64() * 1e6 / texts;
    let cpu = match (cpu_start, thread_cpu_ns()) {
        (Some(a), Some(b)) => format!("{:.1} µs CPU", (b - a) as f64 / 1e3 / texts),
        _ => "CPU time not available".into(),
    };
    println!("regression rules over the DRAFT paper's ToolBench rewrites (Initial -> DRAFT)");
    println!(
        "operations: {} of {} rejected ({:.1}% false rejections); by rule: {by_rule:?}",
        rejected,
        p.ops.len(),
        100.0 * rejected as f64 / p.ops.len() as f64
    );
    println!(
        "tool summaries: {} of {} rejected ({:.1}%)",
        summaries,
        p.tools.len(),
        100.0 * summaries as f64 / p.tools.len() as f64
    );
    println!(
        "cost: {cpu} per revision ({per:.1} µs wall on a shared machine; mean of {reps} passes over {} texts)",
        p.ops.len() + p.tools.len()
    );
}

/// The paper's 282 tool summaries name the tool's operations and parameters as its docs and
/// refined descriptions write them: only api.video's "GET_video" and "POST_video" (its
/// operations are `GET-video` and `POST-video`) are names the tool does not have.
#[test]
fn the_papers_summaries_name_no_operation_the_tool_lacks_but_one() {
    use tooldraft::refine::gate::{summary_original, summary_unknown_names};
    let (before, after) = (paper("ToolBench_docs_Initial.json"), paper("ToolBench_docs_DRAFT.json"));
    let mut flagged = Vec::new();
    for (tb, ta) in before.tools.iter().zip(&after.tools) {
        let mut known = summary_original(tb);
        for o in &ta.operations {
            known.push('\n');
            known.push_str(&o.description);
        }
        if !summary_unknown_names(&ta.description, &[], &known).is_empty() {
            flagged.push(tb.name.clone());
        }
    }
    assert_eq!(flagged, vec!["api.video".to_string()]);
}
