use super::*;
use crate::doc::{Example, HttpBinding, Location, Operation, Parameter, Safety, Tool, ToolDoc};
use crate::host::{HostError, Method};
use crate::tools::testing::{block_on, ScriptedHost};
use crate::tools::{HttpConfig, HttpToolCaller, Observation, SafetyPolicy, ToolError};
use async_trait::async_trait;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::rc::Rc;

type Answer = Box<dyn Fn(&Operation, &Value) -> Result<Observation, ToolError>>;

/// A tool caller answering from a function, with the default safety policy and an optional
/// live listing; records every call's arguments.
struct Scripted {
    answer: Answer,
    listing: Option<Result<Value, ToolError>>,
    calls: RefCell<Vec<Value>>,
}

impl Scripted {
    fn new(answer: impl Fn(&Operation, &Value) -> Result<Observation, ToolError> + 'static) -> Scripted {
        Scripted { answer: Box::new(answer), listing: None, calls: RefCell::new(Vec::new()) }
    }
}

#[async_trait(?Send)]
impl ToolCaller for Scripted {
    fn permits(&self, operation: &Operation) -> Result<(), ToolError> {
        SafetyPolicy::default().check(operation)
    }
    async fn call(&self, operation: &Operation, arguments: &Value) -> Result<Observation, ToolError> {
        self.permits(operation)?;
        self.calls.borrow_mut().push(arguments.clone());
        (self.answer)(operation, arguments)
    }
    async fn live_tools(&self) -> Option<Result<Value, ToolError>> {
        self.listing.clone()
    }
}

fn ok(body: Value) -> Result<Observation, ToolError> {
    Ok(Observation { status: Some(200), body: body.to_string(), json: Some(body), ..Default::default() })
}

fn refused(status: u16, body: &str) -> Result<Observation, ToolError> {
    Ok(Observation { status: Some(status), body: body.into(), is_error: true, ..Default::default() })
}

fn param(name: &str, required: bool, schema: Value) -> Parameter {
    let mut p = Parameter::new(name, Location::Query);
    p.required = required;
    p.schema = schema;
    p
}

/// `GET /posts` with a required `userId`, an enum `sort`, a stored verified example and a
/// response schema, as a refined document carries them.
fn posts() -> Operation {
    Operation {
        id: "listPosts".into(),
        name: "listPosts".into(),
        http: Some(HttpBinding { method: Method::Get, path: "/posts".into(), body_media_type: None }),
        parameters: vec![
            param("userId", true, json!({"type": "integer"})),
            param("sort", false, json!({"type": "string", "enum": ["id", "title"]})),
        ],
        response_schema: Some(json!({"type": "array", "items": {"type": "object", "required": ["id", "title"],
            "properties": {"id": {"type": "integer"}, "title": {"type": "string"}}}})),
        examples: vec![Example {
            query: "posts of user 1".into(),
            arguments: json!({"userId": 1}),
            result: Some(json!([{"id": 1, "title": "hello"}])),
            verified: true,
        }],
        safety: Safety::from_method(Method::Get),
        ..Default::default()
    }
}

fn doc(ops: Vec<Operation>) -> ToolDoc {
    ToolDoc { tools: vec![Tool { name: "api".into(), operations: ops, ..Default::default() }], ..Default::default() }
}

/// The behaviour the document describes: `userId` required, `sort` in {id, title}.
fn faithful(_: &Operation, args: &Value) -> Result<Observation, ToolError> {
    if args.get("userId").is_none() {
        return refused(400, r#"{"error": "userId is required"}"#);
    }
    ok(json!([{"id": 1, "title": "hello"}]))
}

fn run(d: &ToolDoc, caller: &dyn ToolCaller, config: &CheckConfig) -> Result<CheckReport, CheckError> {
    let host = ScriptedHost::new(vec![]);
    block_on(check(d, caller, &host, config, None))
}

fn item(r: &CheckReport, kind: CheckKind) -> Vec<&CheckItem> {
    r.operations[0].items.iter().filter(|i| i.kind == kind).collect()
}

#[test]
fn a_tool_that_still_does_what_the_doc_says_is_ok() {
    let caller = Scripted::new(faithful);
    let r = run(&doc(vec![posts()]), &caller, &CheckConfig::default()).unwrap();
    assert_eq!(r.verdict, Verdict::Ok, "{:#?}", r.operations);
    assert_eq!(r.operations[0].verdict, Verdict::Ok);
    // The example, a call without userId, and the enum value "id" and "title".
    assert_eq!(
        *caller.calls.borrow(),
        vec![
            json!({"userId": 1}),
            json!({}),
            json!({"userId": 1, "sort": "id"}),
            json!({"userId": 1, "sort": "title"})
        ]
    );
    assert_eq!(r.totals, CheckTotals { ok: 1, calls: 4, ..Default::default() });
}

#[test]
fn each_kind_of_drift_is_found_and_named() {
    // The response lost `title`, userId became optional, and "title" is no longer a sort key.
    let caller = Scripted::new(|_, args| {
        if args.get("sort") == Some(&json!("title")) {
            return refused(400, "sort must be one of: id, date");
        }
        ok(json!([{"id": 1, "headline": "hello"}]))
    });
    let r = run(&doc(vec![posts()]), &caller, &CheckConfig::default()).unwrap();
    assert_eq!(r.verdict, Verdict::Drift);
    let op = &r.operations[0];
    assert_eq!(op.verdict, Verdict::Drift);
    let shape = item(&r, CheckKind::Example).into_iter().find(|i| i.subject == "#1 result").unwrap();
    assert_eq!(shape.verdict, Verdict::Drift);
    assert!(shape.detail.contains("/0/title is gone"), "{}", shape.detail);
    let schema = item(&r, CheckKind::ResponseSchema)[0];
    assert_eq!(schema.verdict, Verdict::Drift);
    assert!(schema.detail.contains("/0") && schema.detail.contains("title"), "{}", schema.detail);
    let req = item(&r, CheckKind::Required)[0];
    assert_eq!((req.verdict, req.subject.as_str()), (Verdict::Drift, "`userId`"));
    let enums = item(&r, CheckKind::Enum);
    assert_eq!(enums.iter().map(|i| i.verdict).collect::<Vec<_>>(), vec![Verdict::Ok, Verdict::Drift]);
    assert!(enums[1].detail.contains("sort must be one of"), "{}", enums[1].detail);
    assert!(op.summary.contains("`userId`") && op.summary.contains("\"title\""), "{}", op.summary);
}

#[test]
fn an_example_that_now_fails_is_drift_but_a_server_error_is_unreachable() {
    let caller = Scripted::new(|_, _| refused(404, "Not Found"));
    let r = run(&doc(vec![posts()]), &caller, &CheckConfig::default()).unwrap();
    assert_eq!(r.operations[0].verdict, Verdict::Drift);
    assert!(r.operations[0].summary.contains("example #1: now fails: HTTP 404"), "{}", r.operations[0].summary);

    let caller = Scripted::new(|_, _| refused(500, "boom"));
    let r = run(&doc(vec![posts()]), &caller, &CheckConfig::default()).unwrap();
    assert_eq!(r.operations[0].verdict, Verdict::Unreachable, "{:#?}", r.operations[0]);
    assert_eq!(r.verdict, Verdict::Unreachable);
}

#[test]
fn a_target_that_is_down_is_unreachable_not_drift() {
    let caller = Scripted::new(|_, _| {
        Err(ToolError::Transport {
            endpoint: "GET http://127.0.0.1:9/posts".into(),
            source: HostError::Network { message: "connection refused".into() },
        })
    });
    let r = run(&doc(vec![posts()]), &caller, &CheckConfig::default()).unwrap();
    assert_eq!(r.verdict, Verdict::Unreachable);
    assert_eq!(r.totals.unreachable, 1);
    assert!(r.operations[0].summary.contains("connection refused"), "{}", r.operations[0].summary);
    // A stored example that cannot be reached is the finding: no stand-in call follows it.
    assert_eq!(r.operations[0].calls, 1);
}

#[test]
fn without_stored_examples_it_checks_what_it_can_and_says_what_it_could_not() {
    let mut op = posts();
    op.examples.clear();
    op.parameters[0].examples = vec![json!(1)];
    // The smallest documented call works: everything else is checked with it.
    let caller = Scripted::new(faithful);
    let r = run(&doc(vec![op.clone()]), &caller, &CheckConfig::default()).unwrap();
    assert_eq!(r.operations[0].verdict, Verdict::Ok);
    assert_eq!(caller.calls.borrow()[0], json!({"userId": 1}));
    assert!(r.operations[0].summary.contains("no stored examples"), "{}", r.operations[0].summary);

    // It is refused: nothing that needs a working call is checked, and the report says why.
    let caller = Scripted::new(|_, _| refused(404, "no such user"));
    let r = run(&doc(vec![op]), &caller, &CheckConfig::default()).unwrap();
    assert_eq!(r.operations[0].verdict, Verdict::Skipped, "{:#?}", r.operations[0]);
    assert_eq!(r.verdict, Verdict::Skipped);
    let s = &r.operations[0].summary;
    assert!(s.contains("no stored examples") && s.contains("needs a call that works"), "{s}");
}

#[test]
fn operations_the_policy_forbids_are_skipped_uncalled() {
    let mut op = posts();
    op.id = "createPost".into();
    op.http = Some(HttpBinding { method: Method::Post, path: "/posts".into(), body_media_type: None });
    op.safety = Safety::from_method(Method::Post);
    let caller = Scripted::new(faithful);
    let r = run(&doc(vec![op]), &caller, &CheckConfig::default()).unwrap();
    assert_eq!(r.operations[0].verdict, Verdict::Skipped);
    assert!(r.operations[0].summary.contains("not read-only"), "{}", r.operations[0].summary);
    assert!(caller.calls.borrow().is_empty());
}

#[test]
fn a_flaky_tool_is_retried_by_the_network_layer_then_judged() {
    let host = Rc::new(ScriptedHost::new(vec![
        Ok(ScriptedHost::response(503, &[], "busy")),
        Ok(ScriptedHost::response(200, &[("content-type", "application/json")], r#"[{"id": 1, "title": "hello"}]"#)),
    ]));
    let caller =
        HttpToolCaller::new(host.clone(), HttpConfig::new("http://127.0.0.1:8082"), SafetyPolicy::default()).unwrap();
    let mut op = posts();
    op.parameters.truncate(0);
    op.examples[0].arguments = json!({});
    let r = block_on(check(&doc(vec![op]), &caller, &*host, &CheckConfig::default(), None)).unwrap();
    assert_eq!(r.operations[0].verdict, Verdict::Ok, "{:#?}", r.operations[0]);
    assert_eq!(host.requests().len(), 2);
    assert_eq!(host.slept().len(), 1);
}

fn mcp_op(name: &str, required: &[&str]) -> Operation {
    let params = ["query", "limit"]
        .iter()
        .map(|n| {
            let mut p = Parameter::new(*n, Location::Body);
            p.required = required.contains(n);
            p
        })
        .collect();
    Operation {
        id: name.into(),
        name: name.into(),
        parameters: params,
        safety: Safety { read_only: Some(true), ..Default::default() },
        ..Default::default()
    }
}

#[test]
fn the_live_listing_is_compared_with_the_document() {
    let listing = json!({"tools": [
        {"name": "search", "inputSchema": {"type": "object", "required": ["query", "limit"],
            "properties": {"query": {"type": "string"}, "limit": {"type": "integer"}}}},
        {"name": "brand_new", "inputSchema": {"type": "object"}}
    ]});
    let mut caller = Scripted::new(|_, _| ok(json!({"content": [{"type": "text", "text": "hi"}]})));
    caller.listing = Some(Ok(listing));
    let d = doc(vec![mcp_op("search", &["query"]), mcp_op("gone", &[])]);
    let r = run(&d, &caller, &CheckConfig::default()).unwrap();
    assert_eq!(r.verdict, Verdict::Drift);
    assert_eq!(r.undocumented, vec!["brand_new"]);
    let search = &r.operations[0];
    assert_eq!(search.verdict, Verdict::Drift);
    assert!(search.summary.contains("`limit`: the live server requires it"), "{}", search.summary);
    let gone = &r.operations[1];
    assert_eq!(gone.verdict, Verdict::Drift);
    assert!(gone.summary.contains("no longer lists"), "{}", gone.summary);
    assert_eq!(gone.calls, 0);
    // With `only`, tools outside it are not reported.
    let only = CheckConfig { only: vec!["search".into()], ..Default::default() };
    assert!(run(&d, &caller, &only).unwrap().undocumented.is_empty());

    let mut down = Scripted::new(|_, _| ok(json!({})));
    down.listing = Some(Err(ToolError::Transport {
        endpoint: "http://127.0.0.1:9/mcp".into(),
        source: HostError::Timeout { ms: 30_000 },
    }));
    let r = run(&d, &down, &CheckConfig::default()).unwrap();
    assert_eq!(r.verdict, Verdict::Unreachable);
    assert!(r.listing_error.is_some());
    assert!(down.calls.borrow().is_empty());
}

#[test]
fn bad_requests_are_clear_errors() {
    let caller = Scripted::new(faithful);
    let only = CheckConfig { only: vec!["nope".into()], ..Default::default() };
    assert_eq!(run(&doc(vec![posts()]), &caller, &only).unwrap_err().code(), "UnknownOperation");
    assert_eq!(run(&doc(vec![]), &caller, &CheckConfig::default()).unwrap_err().code(), "NothingToCheck");
}
