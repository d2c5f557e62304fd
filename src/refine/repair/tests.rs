use super::*;
use crate::doc::{HttpBinding, Location, Parameter};
use crate::host::Method;
use crate::refine::evidence::Trail;
use crate::tools::{Observation, ToolError};
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
    Trail {
        id: format!("events#{n}"),
        operation: "events".into(),
        episode: 0,
        query: "q".into(),
        arguments: args,
        observation: Some(Observation {
            status: Some(status),
            body: body.into(),
            json: serde_json::from_str(body).ok(),
            is_error: status >= 400,
            ..Default::default()
        }),
        error: None,
        started_ms: 0.0,
        duration_ms: 1.0,
        schema_driven: false,
    }
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
