//! A weak model states a default, a bound, a value or the response's kind from the calls it
//! made or from habit; the schema and the calls say otherwise. The tool is a json-server
//! `GET /posts` with a bounded `_limit` (default 20), an `_order` enum and a required
//! `userId`, after one call that sent `_limit=10` and got an array of two posts.

use super::*;
use crate::doc::{HttpBinding, Location};
use crate::host::Method;
use crate::refine::evidence::Facts;
use crate::refine::gate::{check_all, check_all_keeping, GateInput, GateRule, GateViolation};
use crate::refine::rewriter::RewriteOutput;
use crate::refine::{LengthBudget, RegressionRules};
use serde_json::json;

const POSTS: &str =
    r#"[{"userId": 1, "id": 1, "title": "sunt aut facere"}, {"userId": 1, "id": 2, "title": "qui est esse"}]"#;
const BASE: &str = "Lists the posts of a user as an array of objects with userId, id and title.";

fn posts() -> Operation {
    let mut limit = Parameter::new("_limit", Location::Query);
    limit.schema = json!({"type": "integer", "minimum": 1, "maximum": 100});
    limit.default = Some(json!(20));
    limit.description = "How many posts to return.".into();
    let mut order = Parameter::new("_order", Location::Query);
    order.schema = json!({"type": "string", "enum": ["asc", "desc"]});
    order.description = "Sort order by id.".into();
    let mut title = Parameter::new("title_like", Location::Query);
    title.schema = json!({"type": "string", "maxLength": 40});
    title.description = "Only posts whose title matches this pattern.".into();
    let mut user = Parameter::new("userId", Location::Query);
    user.schema = json!({"type": "integer"});
    user.required = true;
    user.description = "Only the posts of this user.".into();
    Operation {
        id: "listPosts".into(),
        name: "listPosts".into(),
        description: "List the posts of a user.".into(),
        http: Some(HttpBinding { method: Method::Get, path: "/posts".into(), body_media_type: None }),
        parameters: vec![limit, order, title, user],
        ..Default::default()
    }
}

/// The gate's verdict on a rewrite of `op` after `trails`; with `keep`, as the loop runs it
/// ([`check_all_keeping`]: the parameters kept out, with why).
fn judged_keeping(
    op: &Operation,
    trails: &[Trail],
    text: &str,
    params: &[(&str, &str)],
    mismatches: &[String],
    keep: bool,
) -> (Vec<GateViolation>, Vec<(String, GateViolation)>) {
    let facts = Facts::derive(op, trails);
    let parameters = params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let proposal = RewriteOutput { description: text.into(), parameters, next_direction: String::new() };
    let input = GateInput {
        tool: "jsonserver",
        original: op,
        current: op,
        proposal: &proposal,
        facts: &facts,
        trails,
        known: None,
        budget: &LengthBudget::default(),
    };
    let rules = RegressionRules::default();
    if keep {
        check_all_keeping(&input, mismatches, &rules)
    } else {
        (check_all(&input, mismatches, &rules), Vec::new())
    }
}

fn judged(
    op: &Operation,
    trails: &[Trail],
    text: &str,
    params: &[(&str, &str)],
    mismatches: &[String],
) -> Vec<GateViolation> {
    judged_keeping(op, trails, text, params, mismatches, false).0
}

fn one_call() -> Vec<Trail> {
    vec![Trail::observed("listPosts#1", json!({"_limit": 10, "_order": "asc", "userId": 1}), 200, POSTS)]
}

fn verdict(text: &str, params: &[(&str, &str)]) -> Vec<GateViolation> {
    judged(&posts(), &one_call(), text, params, &[])
}

#[test]
fn a_default_a_bound_a_value_or_a_kind_the_schema_settles_otherwise_is_a_contradiction() {
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
    let cases: [Case; 8] = [
        // 10 is what the call sent, so no rule of backing catches it.
        (
            BASE,
            &[("_limit", "How many posts to return. Defaults to 10.")],
            "defaults to 10, but its schema's default is 20",
        ),
        (
            BASE,
            &[("_limit", "How many posts to return (maximum 10).")],
            "is at most 10, but its schema allows up to 100",
        ),
        (
            BASE,
            &[("_limit", "How many posts to return, between 10 and 100.")],
            "is at least 10, but its schema allows from 1",
        ),
        (BASE, &[("title_like", "A title pattern of up to 100 characters.")], "is at most 100"),
        (
            BASE,
            &[("_order", "Sort order by id: asc, desc or random.")],
            "lists \"random\" among the values of \"_order\"",
        ),
        (BASE, &[("_order", "Either 'asc', 'desc' or 'newest'.")], "lists \"newest\""),
        (
            "Returns a JSON object with the posts of a user.",
            &[],
            "the response is a JSON object, but every call returned a JSON array",
        ),
        ("Lists the posts of a user. The _limit parameter defaults to 50.", &[], "defaults to 50"),
    ];
    for (text, params, says) in cases {
        let v = verdict(text, params);
        assert!(
            v.iter().any(|v| v.rule == GateRule::Contradiction && v.message.contains(says)),
            "{text} {params:?}: {v:?}"
        );
    }
    let v = verdict("Returns a single post with its userId, id and title.", &[]);
    assert!(v.iter().any(|v| v.message.contains("JSON object, but every call returned a JSON array")), "{v:?}");
}

#[test]
fn what_the_schema_says_or_the_calls_showed_passes() {
    for (text, params) in [
        (BASE, vec![("_limit", "How many posts to return, from 1 to 100 (default 20).")]),
        (BASE, vec![("_limit", "How many posts to return (1-100, default 20).")]),
        (BASE, vec![("_limit", "Maximum number of posts to return; at most 100.")]),
        (BASE, vec![("_order", "Sort order by id: asc (oldest first) or desc (newest first).")]),
        (BASE, vec![("_order", "Sort order by id, asc or desc.")]),
        (BASE, vec![("_order", "Sort order by id, asc or desc, defaults to asc.")]),
        (BASE, vec![("title_like", "Only posts whose title matches this pattern, at most 40 characters.")]),
        (BASE, vec![("userId", "Only the posts of this user, e.g. 1 or 2.")]),
        // A bound of what each unit holds is not the parameter's.
        (BASE, vec![("_limit", "How many posts to return; each post has at most 3 tags.")]),
        ("Lists the posts of a user as a JSON array of objects.", vec![]),
        ("Returns an array of post objects; pass _limit to return up to 100 posts.", vec![]),
        ("Returns a single user's posts as an array.", vec![]),
        ("Returns the posts of a user. The _limit parameter defaults to 20.", vec![]),
    ] {
        let v: Vec<_> = verdict(text, &params).into_iter().filter(|v| v.rule == GateRule::Contradiction).collect();
        assert_eq!(v, vec![], "{text} {params:?}");
    }
}

#[test]
fn a_claim_the_calls_or_the_replaced_text_back_is_let_through() {
    let op = posts();
    // A call with 50 failed: the tool's real maximum is below the schema's.
    let mut trails = one_call();
    trails.push(Trail::observed(
        "listPosts#2",
        json!({"_limit": 50, "userId": 1}),
        400,
        r#"{"error": "_limit too large"}"#,
    ));
    let v = judged(&op, &trails, BASE, &[("_limit", "How many posts to return, at most 40.")], &[]);
    assert!(v.iter().all(|v| v.rule != GateRule::Contradiction), "{v:?}");
    // Without that call, the same claim is refused.
    let v = judged(&op, &one_call(), BASE, &[("_limit", "How many posts to return, at most 40.")], &[]);
    assert!(v.iter().any(|v| v.rule == GateRule::Contradiction), "{v:?}");
    // An analyzer's mismatch names the default the calls showed.
    let m = ["Without _limit the tool returned 10 posts, not 20: the default is 10.".to_string()];
    let v = judged(&op, &one_call(), BASE, &[("_limit", "How many posts to return. Defaults to 10.")], &m);
    assert!(v.iter().all(|v| v.rule != GateRule::Contradiction), "{v:?}");
    // A value a call sent and the tool took is no foreign value.
    let trails = vec![Trail::observed("listPosts#1", json!({"_order": "random", "userId": 1}), 200, POSTS)];
    let v = judged(&op, &trails, BASE, &[("_order", "Sort order: asc, desc or random.")], &[]);
    assert!(v.iter().all(|v| v.rule != GateRule::Contradiction), "{v:?}");
    // The replaced text already said it: keeping it is no regression.
    let mut said = posts();
    said.parameters[0].description = "How many posts to return. Defaults to 10.".into();
    said.description = "Returns a JSON object with the posts.".into();
    let v = judged(
        &said,
        &one_call(),
        "Returns a JSON object with the posts of a user.",
        &[("_limit", "How many posts. Defaults to 10.")],
        &[],
    );
    assert!(v.iter().all(|v| v.rule != GateRule::Contradiction), "{v:?}");
}

#[test]
fn in_the_loop_a_parameter_that_misstates_its_schema_keeps_its_text_and_the_rest_is_judged() {
    let (op, trails) = (posts(), one_call());
    let limit = [("_limit", "How many posts to return. Defaults to 10.")];
    let (violations, kept) = judged_keeping(&op, &trails, BASE, &limit, &[], true);
    assert_eq!(violations, vec![], "the description is sound");
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(kept[0].0, "_limit");
    assert_eq!(kept[0].1.rule, GateRule::Contradiction);
    // Said in the operation's description, it rejects the revision.
    let text = format!("{BASE} The _limit parameter defaults to 10.");
    let (violations, kept) = judged_keeping(&op, &trails, &text, &[], &[], true);
    assert!(violations.iter().any(|v| v.rule == GateRule::Contradiction), "{violations:?}");
    assert_eq!(kept, vec![]);
}

#[test]
fn in_the_loop_a_required_parameter_called_optional_in_its_own_text_keeps_its_text() {
    let (op, trails) = (posts(), one_call());
    let user = [("userId", "Optional: only the posts of this user.")];
    let (violations, kept) = judged_keeping(&op, &trails, BASE, &user, &[], true);
    assert_eq!(violations, vec![], "the description is sound");
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!((kept[0].0.as_str(), kept[0].1.rule), ("userId", GateRule::Contradiction));
    assert!(kept[0].1.message.contains("\"userId\" is optional, but the document marks it required"), "{kept:?}");
    // Outside the loop, and in the operation's description, it rejects the revision.
    let (violations, _) = judged_keeping(&op, &trails, BASE, &user, &[], false);
    assert!(violations.iter().any(|v| v.rule == GateRule::Contradiction), "{violations:?}");
    let text = format!("{BASE} The userId parameter is optional.");
    let (violations, kept) = judged_keeping(&op, &trails, &text, &[], &[], true);
    assert!(violations.iter().any(|v| v.rule == GateRule::Contradiction), "{violations:?}");
    assert_eq!(kept, vec![]);
    // An optional parameter called optional is no claim to keep out.
    let (violations, kept) = judged_keeping(&op, &trails, BASE, &[("_order", "Optional sort order.")], &[], true);
    assert_eq!(violations, vec![]);
    assert!(!kept.iter().any(|(_, v)| v.rule == GateRule::Contradiction), "{kept:?}");
}

#[test]
fn an_array_claimed_of_an_object_is_read_only_when_the_object_holds_no_array() {
    let mut op = posts();
    op.parameters.clear();
    let judge = |body: &str| {
        let trails = [Trail::observed("listPosts#1", json!({}), 200, body)];
        judged(&op, &trails, "Returns a JSON array of the posts of a user.", &[], &[])
            .into_iter()
            .filter(|v| v.rule == GateRule::Contradiction)
            .count()
    };
    assert_eq!(judge(r#"{"id": 1, "title": "sunt aut facere"}"#), 1);
    assert_eq!(judge(r#"{"total": 2, "items": [{"id": 1}, {"id": 2}]}"#), 0);
}

#[test]
fn claims_are_read_where_they_are_written() {
    let w = |s: &str| tokens(s);
    let bounds =
        |s: &str| claimed_bounds(&w(s)).into_iter().map(|c| (c.bound == Bound::Max, c.value)).collect::<Vec<_>>();
    assert_eq!(bounds("up to 1,000 items"), vec![(true, 1000.0)]);
    assert_eq!(bounds("must be <= 5 and >= -2"), vec![(true, 5.0), (false, -2.0)]);
    assert_eq!(bounds("no more than 3, no fewer than 1"), vec![(true, 3.0), (false, 1.0)]);
    assert_eq!(bounds("between 2 and 9"), vec![(false, 2.0), (true, 9.0)]);
    assert_eq!(bounds("less than 5; the maximum number of rows"), vec![]);
    assert_eq!(claimed_default(&w("(default: true)")), Some("true".into()));
    assert_eq!(claimed_default(&w("25 by default")), Some("25".into()));
    assert_eq!(claimed_default(&w("all posts by default")), None);
    let allowed = ["asc".to_string(), "desc".to_string()];
    assert_eq!(foreign_listed("asc, desc or random order", &allowed), Some("random".into()));
    assert_eq!(foreign_listed("Sort order by id, asc or desc.", &allowed), None);
    assert_eq!(foreign_listed("asc or desc, defaults to asc", &allowed), None);
    assert_eq!(foreign_listed("asc or random", &allowed), None, "one allowed value is no list of them");
    assert_eq!(claimed_top_kind(&w("Returns an array of objects")), Some("array"));
    assert_eq!(claimed_top_kind(&w("Returns a list of posts")), None);
    assert_eq!(claimed_top_kind(&w("Returns a single page of results")), None);
}

/// The paper's rewrites (ToolBench, 1,006 operations) state defaults and bounds in 79 of
/// them; none contradicts its schema.
#[test]
fn the_papers_rewrites_contradict_no_schema() {
    use crate::doc::formats::import;
    let read = |n: &str| {
        let path = format!("{}/data/draft-paper/{n}", env!("CARGO_MANIFEST_DIR"));
        import(&std::fs::read_to_string(path).unwrap(), None).unwrap()
    };
    let (before, after) = (read("ToolBench_docs_Initial.json"), read("ToolBench_docs_DRAFT.json"));
    let mut claims = 0;
    for (tb, ta) in before.tools.iter().zip(&after.tools) {
        for ob in &tb.operations {
            let oa = ta.operations.iter().find(|o| o.id == ob.id).unwrap();
            let params: BTreeMap<String, String> =
                oa.parameters.iter().map(|p| (p.name.clone(), p.description.clone())).collect();
            let all = format!("{} {}", oa.description, params.values().cloned().collect::<Vec<_>>().join(" "));
            let ws = tokens(&all);
            claims += usize::from(claimed_default(&ws).is_some() || !claimed_bounds(&ws).is_empty());
            let v = contradictions(ob, ob, &oa.description, &params, &[], &[]);
            assert_eq!(v, (vec![], vec![]), "{} / {}: {}", tb.name, ob.name, oa.description);
        }
    }
    assert!(claims >= 70, "the paper's rewrites state defaults or bounds: {claims}");
}
