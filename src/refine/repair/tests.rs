use super::*;
use crate::doc::{HttpBinding, Location, Parameter};
use crate::host::Method;
use crate::refine::evidence::Trail;
use crate::tools::ToolError;
use serde_json::json;

fn op() -> Operation {
    let mut date = Parameter::new("date", Location::Query);
    date.schema = json!({"type": "string"});
    let mut limit = Parameter::new("limit", Location::Query);
    limit.schema = json!({"type": "string"});
    let mut sort = Parameter::new("sort", Location::Query);
    sort.schema = json!({"type": "string"});
    Operation {
        id: "events".into(),
        name: "events".into(),
        http: Some(HttpBinding { method: Method::Get, path: "/events".into(), body_media_type: None }),
        parameters: vec![date, limit, sort],
        ..Default::default()
    }
}

fn trail(n: usize, args: Value, status: u16, body: &str) -> Trail {
    Trail::observed(&format!("events#{n}"), args, status, body)
}

fn kinds(changes: &[SchemaChange]) -> Vec<(ChangeKind, Option<&str>, ChangeStatus)> {
    changes.iter().map(|c| (c.kind, c.parameter.as_deref(), c.status)).collect()
}

fn only(changes: &[SchemaChange], kind: ChangeKind) -> &SchemaChange {
    changes.iter().find(|c| c.kind == kind).unwrap_or_else(|| panic!("no {kind:?} in {changes:#?}"))
}

#[test]
fn required_from_an_error_naming_the_missing_parameter() {
    let trails = [
        trail(1, json!({"limit": "5"}), 400, r#"{"error": "missing required parameter: date"}"#),
        trail(2, json!({"date": "2024-01-02"}), 200, "[]"),
    ];
    let c = propose(&op(), &trails);
    let r = only(&c, ChangeKind::Required);
    assert_eq!((r.parameter.as_deref(), &r.before, &r.after), (Some("date"), &json!(false), &json!(true)));
    assert_eq!(r.trails, vec!["events#1", "events#2"]);
    assert_eq!(r.status, ChangeStatus::Proposed);
}

#[test]
fn required_conflicts_when_a_call_without_it_succeeded() {
    let trails = [trail(1, json!({}), 400, "date is missing"), trail(2, json!({"limit": "1"}), 200, "[]")];
    let c = propose(&op(), &trails);
    let r = only(&c, ChangeKind::Required);
    assert_eq!((r.status, &r.after), (ChangeStatus::Conflict, &Value::Null));
    assert_eq!(r.trails, vec!["events#1", "events#2"]);
}

#[test]
fn an_error_not_naming_the_parameter_proves_nothing() {
    let trails =
        [trail(1, json!({}), 400, "bad request"), trail(2, json!({"date": "2024-01-02"}), 500, "date exploded")];
    assert!(
        propose(&op(), &trails).iter().all(|c| c.kind == ChangeKind::ResponseSchema),
        "{:#?}",
        propose(&op(), &trails)
    );
}

#[test]
fn type_from_an_error_and_conflict_with_an_accepted_value() {
    let trails = [
        trail(1, json!({"limit": "five"}), 422, "limit: expected integer, received string"),
        trail(2, json!({"limit": 5}), 200, "[]"),
    ];
    let c = propose(&op(), &trails);
    let t = only(&c, ChangeKind::Type);
    assert_eq!((&t.before, &t.after, t.status), (&json!("string"), &json!("integer"), ChangeStatus::Proposed));
    let trails = [
        trail(1, json!({"limit": "five"}), 422, "limit: expected integer, received string"),
        trail(2, json!({"limit": "7"}), 200, "[]"),
    ];
    let t = propose(&op(), &trails).into_iter().find(|c| c.kind == ChangeKind::Type).unwrap();
    assert_eq!(t.status, ChangeStatus::Conflict, "a string value worked: the error's type is not the whole truth");
}

#[test]
fn enum_only_from_a_listed_set_never_from_observed_values() {
    let observed: Vec<Trail> =
        ["asc", "desc", "asc"].iter().enumerate().map(|(i, v)| trail(i + 1, json!({"sort": v}), 200, "[]")).collect();
    assert!(
        !propose(&op(), &observed).iter().any(|c| c.kind == ChangeKind::Enum),
        "observed values alone are not an enum"
    );
    let trails = [
        trail(1, json!({"sort": "up"}), 400, r#"{"message": "sort must be one of: asc, desc"}"#),
        trail(2, json!({"sort": "asc"}), 200, "[]"),
    ];
    let c = propose(&op(), &trails);
    let e = only(&c, ChangeKind::Enum);
    assert_eq!((&e.before, &e.after), (&json!([]), &json!(["asc", "desc"])));
    assert_eq!(e.trails, vec!["events#1", "events#2"]);
}

#[test]
fn enum_conflicts() {
    let lists = [
        trail(1, json!({"sort": "up"}), 400, "sort must be one of: asc, desc"),
        trail(2, json!({"sort": "x"}), 400, "sort must be one of: asc, desc, random"),
    ];
    assert_eq!(only(&propose(&op(), &lists), ChangeKind::Enum).status, ChangeStatus::Conflict);
    let outside = [
        trail(1, json!({"sort": "up"}), 400, "sort must be one of: asc, desc"),
        trail(2, json!({"sort": "newest"}), 200, "[]"),
    ];
    let e = propose(&op(), &outside).into_iter().find(|c| c.kind == ChangeKind::Enum).unwrap();
    assert_eq!((e.status, e.trails.len()), (ChangeStatus::Conflict, 2));
}

#[test]
fn documented_enum_that_matches_is_no_change_and_numbers_stay_numbers() {
    let mut o = op();
    o.parameters[2].enum_values = vec![json!("desc"), json!("asc")];
    let trails = [trail(1, json!({"sort": "up"}), 400, "sort must be one of: asc, desc")];
    assert!(!propose(&o, &trails).iter().any(|c| c.kind == ChangeKind::Enum));
    o.parameters[1].schema = json!({"type": "integer"});
    let trails = [trail(1, json!({"limit": 7}), 400, "limit must be one of 10, 20, 50")];
    assert_eq!(only(&propose(&o, &trails), ChangeKind::Enum).after, json!([10, 20, 50]));
}

#[test]
fn format_from_an_error_and_its_conflict() {
    let trails = [
        trail(1, json!({"date": "yesterday"}), 400, "invalid date format for date, expected YYYY-MM-DD"),
        trail(2, json!({"date": "2024-03-01"}), 200, "[]"),
    ];
    let c = propose(&op(), &trails);
    let f = only(&c, ChangeKind::Format);
    assert_eq!((&f.before, &f.after, f.status), (&Value::Null, &json!("date"), ChangeStatus::Proposed));
    let trails = [
        trail(1, json!({"date": "yesterday"}), 400, "date: expected YYYY-MM-DD"),
        trail(2, json!({"date": "03/01/2024"}), 200, "[]"),
    ];
    assert_eq!(only(&propose(&op(), &trails), ChangeKind::Format).status, ChangeStatus::Conflict);
}

#[test]
fn nullable_from_an_observed_null() {
    let trails = [trail(1, json!({"sort": null}), 200, "[]")];
    let c = propose(&op(), &trails);
    let n = only(&c, ChangeKind::Nullable);
    assert_eq!((&n.before, &n.after), (&json!("string"), &json!(["string", "null"])));
}

#[test]
fn an_mcp_tool_gets_an_output_schema_only_from_structured_content() {
    let mut o = op();
    o.http = None;
    let text = json!({"content": [{"type": "text", "text": "{\"PATH\": \"/usr/bin\"}"}]}).to_string();
    assert!(propose(&o, &[trail(1, json!({}), 200, &text)]).iter().all(|c| c.kind != ChangeKind::ResponseSchema));
    let structured = json!({"content": [], "structuredContent": {"sum": 3}}).to_string();
    let c = propose(&o, &[trail(1, json!({}), 200, &structured)]);
    assert_eq!(only(&c, ChangeKind::ResponseSchema).after["properties"]["sum"]["type"], "integer");
}

#[test]
fn response_schema_where_none_is_documented_and_a_conflict_where_it_misfits() {
    let trails = [trail(1, json!({}), 200, r#"{"items": [1]}"#), trail(2, json!({}), 200, r#"{"items": []}"#)];
    let c = propose(&op(), &trails);
    let r = only(&c, ChangeKind::ResponseSchema);
    assert_eq!(r.after["properties"]["items"]["type"], "array");
    assert_eq!(r.trails, vec!["events#1", "events#2"]);
    let mut o = op();
    o.response_schema = Some(json!({"type": "array"}));
    let r = propose(&o, &trails).into_iter().find(|c| c.kind == ChangeKind::ResponseSchema).unwrap();
    assert_eq!(r.status, ChangeStatus::Conflict);
    assert!(r.reason.contains("does not fit"), "{}", r.reason);
}

#[test]
fn json_rpc_errors_count_and_transport_failures_do_not() {
    let mut t = trail(1, json!({"sort": "x"}), 400, "");
    t.observation = None;
    t.error = Some(ToolError::Protocol { endpoint: "e".into(), message: "sort must be one of: a, b".into() });
    assert_eq!(only(&propose(&op(), &[t.clone()]), ChangeKind::Enum).after, json!(["a", "b"]));
    t.error = Some(ToolError::Host { message: "sort must be one of: a, b".into() });
    assert!(propose(&op(), &[t]).is_empty());
}

#[test]
fn apply_writes_the_models_fields_and_skips_conflicts() {
    let trails = [
        trail(1, json!({"sort": "up", "limit": "x"}), 400, "sort must be one of: asc, desc; limit: expected integer"),
        trail(2, json!({"sort": "asc", "date": "2024-01-01", "limit": 3}), 200, "{\"n\": 1}"),
        trail(3, json!({"sort": "desc"}), 400, "date is missing"),
        trail(4, json!({"sort": "asc", "limit": 2}), 200, "{\"n\": 2}"),
    ];
    let mut changes = propose(&op(), &trails);
    assert_eq!(
        kinds(&changes),
        vec![
            (ChangeKind::Required, Some("date"), ChangeStatus::Conflict),
            (ChangeKind::Type, Some("limit"), ChangeStatus::Proposed),
            (ChangeKind::Enum, Some("sort"), ChangeStatus::Proposed),
            (ChangeKind::ResponseSchema, None, ChangeStatus::Proposed),
        ]
    );
    let mut o = op();
    apply(&mut o, &mut changes);
    assert!(!o.parameters[0].required, "a conflict changes nothing");
    assert_eq!(o.parameters[1].schema, json!({"type": "integer"}));
    assert_eq!(o.parameters[2].enum_values, vec![json!("asc"), json!("desc")]);
    assert!(o.response_schema.is_some());
    assert_eq!(changes.iter().filter(|c| c.status == ChangeStatus::Applied).count(), 3);
    let diff = structural_diff(&op(), &o);
    assert_eq!(
        diff.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        vec!["limit/schema/type", "sort/enumValues", "/responseSchema"]
    );
}

/// server-memory's `create_entities`, its `entities[].observations` left out of `required`.
fn create_entities() -> Operation {
    let mut entities = Parameter::new("entities", Location::Body);
    entities.required = true;
    entities.schema = json!({"type": "array", "items": {"type": "object", "properties": {
        "name": {"type": "string"}, "entityType": {"type": "string"},
        "observations": {"type": "array", "items": {"type": "string"}}},
        "required": ["name", "entityType"]}});
    Operation {
        id: "create_entities".into(),
        name: "create_entities".into(),
        parameters: vec![entities],
        ..Default::default()
    }
}

/// A `tools/call` result as server-memory 0.6.3 answers it (`isError` with zod's text).
fn mcp_trail(n: usize, args: Value, error: Option<&str>) -> Trail {
    let body = match error {
        Some(text) => json!({"content": [{"type": "text", "text": text}], "isError": true}),
        None => json!({"content": [{"type": "text", "text": "[]"}]}),
    };
    let mut t = trail(n, args, 200, &body.to_string());
    t.observation.as_mut().unwrap().is_error = error.is_some();
    t
}

/// The real reply of server-memory 0.6.3 to `create_entities` without `observations`.
const MEMORY_ZOD_ERROR: &str = "MCP error -32602: Input validation error: Invalid arguments for tool create_entities: Invalid input: expected array, received undefined at entities[0].observations";

#[test]
fn nested_required_from_a_zod_error_naming_the_item_field() {
    let trails = [
        mcp_trail(1, json!({"entities": [{"name": "a", "entityType": "t"}]}), Some(MEMORY_ZOD_ERROR)),
        mcp_trail(2, json!({"entities": [{"name": "b", "entityType": "t", "observations": ["x"]}]}), None),
    ];
    let mut changes = propose_parameters(&create_entities(), &trails);
    let r = only(&changes, ChangeKind::Required);
    assert_eq!((r.id.as_str(), r.pointer.as_str()), ("entities/schema/items/required", "/schema/items/required"));
    assert_eq!((&r.before, &r.after), (&json!(["name", "entityType"]), &json!(["name", "entityType", "observations"])));
    assert_eq!(
        (r.trails.clone(), r.status),
        (vec!["events#1".to_string(), "events#2".to_string()], ChangeStatus::Proposed)
    );
    let mut op = create_entities();
    apply(&mut op, &mut changes);
    assert_eq!(op.parameters[0].schema["items"]["required"], json!(["name", "entityType", "observations"]));
    assert_eq!(field(&op, Some("entities"), "/schema/items/required"), json!(["name", "entityType", "observations"]));
    let diff = structural_diff(&create_entities(), &op);
    assert_eq!(diff.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), vec!["entities/schema/items/required"]);
}

#[test]
fn nested_required_from_a_plain_error_one_level_deeper() {
    let mut op = create_entities();
    op.parameters[0].schema = json!({"type": "object", "properties": {"filter": {"type": "object",
        "properties": {"from": {"type": "string"}, "to": {"type": "string"}}}}});
    let trails = [
        trail(1, json!({"entities": {"filter": {"from": "a"}}}), 400, r#"{"error": "entities.filter.to is required"}"#),
        trail(2, json!({"entities": {"filter": {"from": "a", "to": "b"}}}), 200, "[]"),
        trail(3, json!({"entities": {}}), 200, "[]"),
    ];
    let r = only(&propose_parameters(&op, &trails), ChangeKind::Required).clone();
    assert_eq!(
        (r.pointer.as_str(), &r.before, &r.after),
        ("/schema/properties/filter/required", &Value::Null, &json!(["to"]))
    );
    assert_eq!(r.trails, vec!["events#1", "events#2"]);
}

#[test]
fn nested_required_needs_an_error_naming_it_and_no_success_without_it() {
    let bare = json!({"entities": [{"name": "a", "entityType": "t"}]});
    let full = json!({"entities": [{"name": "b", "entityType": "t", "observations": []}]});
    let none = |trails: &[Trail]| {
        !propose_parameters(&create_entities(), trails).iter().any(|c| c.kind == ChangeKind::Required)
    };
    // Successes without the field: nothing says it is required.
    assert!(none(&[mcp_trail(1, bare.clone(), None), mcp_trail(2, full.clone(), None)]));
    // An error that does not name the field proves nothing.
    let vague = "MCP error -32602: Input validation error: Invalid arguments for tool create_entities";
    assert!(none(&[mcp_trail(1, bare.clone(), Some(vague)), mcp_trail(2, full.clone(), None)]));
    // The error names it, but the failed call had it: not this field's fault.
    assert!(none(&[mcp_trail(1, full.clone(), Some(MEMORY_ZOD_ERROR))]));
    // The error names it and another call without it succeeded: a conflict, nothing changed.
    let mixed = [mcp_trail(1, bare.clone(), Some(MEMORY_ZOD_ERROR)), mcp_trail(2, bare, None)];
    let mut changes = propose_parameters(&create_entities(), &mixed);
    let c = only(&changes, ChangeKind::Required).clone();
    assert_eq!(
        (c.status, &c.after, c.id.as_str()),
        (ChangeStatus::Conflict, &Value::Null, "entities/schema/items/required/observations")
    );
    assert_eq!(c.trails, vec!["events#1", "events#2"]);
    let mut op = create_entities();
    apply(&mut op, &mut changes);
    assert_eq!(op, create_entities(), "a conflict changes nothing");
}

/// Proposes and applies the nested change for the first operation of `text`, and exports
/// the document back to its own format.
fn repaired_export(text: &str, format: crate::doc::Format) -> Value {
    let mut doc = crate::doc::formats::import(text, None).unwrap();
    let op = &mut doc.tools[0].operations[0];
    let trails = [
        mcp_trail(1, json!({"entities": [{"name": "a"}]}), Some(MEMORY_ZOD_ERROR)),
        mcp_trail(2, json!({"entities": [{"name": "b", "observations": []}]}), None),
    ];
    let mut changes = propose_parameters(op, &trails);
    assert_eq!(only(&changes, ChangeKind::Required).after, json!(["name", "observations"]));
    apply(op, &mut changes);
    let out = crate::doc::formats::export(&doc, format).unwrap();
    assert!(out.lost.is_empty(), "{:?}", out.lost);
    serde_json::from_str(&out.text).unwrap()
}

const ENTITIES: &str = r#"{"type": "array", "items": {"type": "object", "required": ["name"],
    "properties": {"name": {"type": "string"}, "observations": {"type": "array", "items": {"type": "string"}}}}}"#;

#[test]
fn nested_required_is_written_into_the_formats_own_schema() {
    let mcp = format!(
        r#"{{"tools": [{{"name": "create_entities", "inputSchema": {{"type": "object",
        "properties": {{"entities": {ENTITIES}}}, "required": ["entities"]}}}}]}}"#
    );
    let out = repaired_export(&mcp, crate::doc::Format::Mcp);
    assert_eq!(
        out["tools"][0]["inputSchema"]["properties"]["entities"]["items"]["required"],
        json!(["name", "observations"])
    );
    let openapi = format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "m", "version": "1"}}, "paths": {{"/entities": {{"post": {{
        "operationId": "create_entities", "requestBody": {{"content": {{"application/json": {{"schema": {{
        "type": "object", "properties": {{"entities": {ENTITIES}}}}}}}}}}}, "responses": {{"200": {{"description": "ok"}}}}}}}}}}}}"#
    );
    let out = repaired_export(&openapi, crate::doc::Format::OpenApi);
    let body = &out["paths"]["/entities"]["post"]["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(body["properties"]["entities"]["items"]["required"], json!(["name", "observations"]));
}
