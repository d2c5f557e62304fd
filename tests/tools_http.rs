//! HttpToolCaller against the real httpbin (started by tests/servers/testbed.mjs): parameter
//! serialisation in every location, bodies, auth, errors, binary and large bodies.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)] // test code: real servers, real time

mod support;
mod tools_support;

use serde_json::{json, Value};
use std::rc::Rc;
use support::NativeHost;
use tooldraft::doc::{HttpBinding, Location, Operation, Parameter, Safety};
use tooldraft::host::Method;
use tooldraft::tools::{Auth, HttpConfig, HttpToolCaller, KeyLocation, Observation, SafetyPolicy, ToolCaller};
use tools_support::{block_on, Testbed};

fn httpbin() -> String {
    Testbed::shared(&["httpbin"]).url("httpbin").to_string()
}

fn op(method: Method, path: &str, params: Vec<Parameter>, media: Option<&str>) -> Operation {
    Operation {
        id: format!("{} {path}", method.as_str()),
        name: path.into(),
        http: Some(HttpBinding { method, path: path.into(), body_media_type: media.map(String::from) }),
        parameters: params,
        safety: Safety::from_method(method),
        ..Default::default()
    }
}

fn p(name: &str, loc: Location) -> Parameter {
    Parameter::new(name, loc)
}

fn styled(name: &str, loc: Location, style: &str, explode: bool) -> Parameter {
    Parameter { style: Some(style.into()), explode: Some(explode), ..Parameter::new(name, loc) }
}

fn caller_with(config: HttpConfig, policy: SafetyPolicy) -> HttpToolCaller {
    HttpToolCaller::new(Rc::new(NativeHost::default()), config, policy).unwrap()
}

fn call(c: &HttpToolCaller, o: &Operation, args: Value) -> Observation {
    block_on(c.call(o, &args)).unwrap_or_else(|e| panic!("{} failed: {e}", o.id))
}

#[test]
fn query_parameters_in_every_style() {
    let c = caller_with(HttpConfig::new(httpbin()), SafetyPolicy::default());
    let o = op(
        Method::Get,
        "/get",
        vec![
            p("tags", Location::Query),
            styled("ids", Location::Query, "form", false),
            styled("filter", Location::Query, "deepObject", true),
            styled("piped", Location::Query, "pipeDelimited", false),
            p("q", Location::Query),
        ],
        None,
    );
    let obs = call(
        &c,
        &o,
        json!({"tags": ["a", "b"], "ids": [1, 2], "filter": {"color": "red"}, "piped": ["x", "y"], "q": "a b&c=d/é", "extra": true}),
    );
    assert_eq!(obs.status, Some(200));
    let args = &obs.json.as_ref().unwrap()["args"];
    assert_eq!(
        args,
        &json!({"tags": ["a", "b"], "ids": "1,2", "filter[color]": "red", "piped": "x|y", "q": "a b&c=d/é", "extra": "true"})
    );
}

#[test]
fn path_values_stay_one_segment_and_never_add_a_query() {
    let c = caller_with(HttpConfig::new(httpbin()), SafetyPolicy::default());
    let o = op(Method::Get, "/anything/{x}", vec![p("x", Location::Path)], None);
    let obs = call(&c, &o, json!({"x": "../../etc/passwd?admin=1#frag"}));
    assert_eq!(obs.status, Some(200));
    let echo = obs.json.unwrap();
    assert_eq!(echo["args"], json!({}), "the `?` was encoded, not a query");
    assert!(obs.request.url.contains("/anything/..%2F..%2Fetc%2Fpasswd%3Fadmin%3D1%23frag"), "{}", obs.request.url);
}

#[test]
fn headers_cookies_and_undeclared_arguments() {
    let c = caller_with(HttpConfig::new(httpbin()), SafetyPolicy::default());
    let headers =
        op(Method::Get, "/headers", vec![p("X-Trace-Id", Location::Header), p("X-Ids", Location::Header)], None);
    let obs = call(&c, &headers, json!({"X-Trace-Id": "t-1", "X-Ids": [1, 2]}));
    let h = &obs.json.unwrap()["headers"];
    assert_eq!((h["X-Trace-Id"].as_str(), h["X-Ids"].as_str()), (Some("t-1"), Some("1,2")));

    let cookies = op(Method::Get, "/cookies", vec![p("session", Location::Cookie), p("theme", Location::Cookie)], None);
    let obs = call(&c, &cookies, json!({"session": "abc-123:x/y", "theme": "dark"}));
    assert_eq!(obs.json.unwrap()["cookies"], json!({"session": "abc-123:x/y", "theme": "dark"}));
    // Outside the cookie-octet set values are percent-encoded; httpbin does not decode them.
    let obs = call(&c, &cookies, json!({"session": "a b;theme=light"}));
    assert_eq!(obs.json.unwrap()["cookies"], json!({"session": "a%20b%3Btheme=light"}));

    let bad = call_err(&c, &headers, json!({"X-Trace-Id": "a\r\nX-Injected: 1"}));
    assert_eq!(bad.code(), "InvalidArguments");
}

fn call_err(c: &HttpToolCaller, o: &Operation, args: Value) -> tooldraft::tools::ToolError {
    block_on(c.call(o, &args)).err().unwrap_or_else(|| panic!("{} should fail", o.id))
}

#[test]
fn json_and_form_bodies_need_a_write_allowance() {
    let strict = caller_with(HttpConfig::new(httpbin()), SafetyPolicy::default());
    let json_op = op(Method::Post, "/anything", vec![p("name", Location::Body), p("tags", Location::Body)], None);
    assert_eq!(call_err(&strict, &json_op, json!({"name": "n"})).code(), "PolicyDenied");

    let c = caller_with(
        HttpConfig::new(httpbin()),
        SafetyPolicy { allow_operations: vec!["POST /anything".into()], ..Default::default() },
    );
    let obs = call(&c, &json_op, json!({"name": "Ada", "tags": ["x"], "n": 1}));
    let echo = obs.json.unwrap();
    assert_eq!(echo["json"], json!({"name": "Ada", "tags": ["x"], "n": 1}));
    assert_eq!(echo["method"], "POST");

    let form_op = Operation {
        id: "POST /anything".into(),
        ..op(Method::Post, "/anything", vec![p("name", Location::Body)], Some("application/x-www-form-urlencoded"))
    };
    let obs = call(&c, &form_op, json!({"name": "a b&c", "tags": ["x", "y"]}));
    assert_eq!(obs.json.unwrap()["form"], json!({"name": "a b&c", "tags": ["x", "y"]}));

    let multipart = Operation {
        id: "POST /anything".into(),
        ..op(Method::Post, "/anything", vec![p("note", Location::Body)], Some("multipart/form-data"))
    };
    let obs = call(&c, &multipart, json!({"note": "hello", "n": 2}));
    assert_eq!(obs.json.unwrap()["form"], json!({"note": "hello", "n": "2"}));
}

#[test]
fn status_codes_become_observations() {
    let c = caller_with(HttpConfig::new(httpbin()), SafetyPolicy::default());
    let o = op(Method::Get, "/status/{code}", vec![p("code", Location::Path)], None);
    let obs = call(&c, &o, json!({"code": 500}));
    assert_eq!((obs.status, obs.is_error, obs.is_success()), (Some(500), true, false));
    let obs = call(&c, &o, json!({"code": 418}));
    assert_eq!(obs.status, Some(418));
    assert!(obs.body.contains("teapot"), "{}", obs.body);
    let obs = call(&c, &o, json!({"code": 204}));
    assert_eq!((obs.status, obs.body.as_str(), obs.is_success()), (Some(204), "", true));
    // HEAD and OPTIONS are read-only too.
    assert_eq!(call(&c, &op(Method::Head, "/get", vec![], None), json!({})).status, Some(200));
    let options = call(&c, &op(Method::Options, "/get", vec![], None), json!({}));
    assert!(options.headers.iter().any(|(k, _)| k == "allow"), "{:?}", options.headers);
}

#[test]
fn basic_bearer_and_api_key_auth() {
    let basic_op = op(
        Method::Get,
        "/basic-auth/{user}/{passwd}",
        vec![p("user", Location::Path), p("passwd", Location::Path)],
        None,
    );
    let mut config = HttpConfig::new(httpbin());
    config.auth = Some(Auth::Basic { username: "tooldraft".into(), password: "correct-horse".into() });
    let c = caller_with(config, SafetyPolicy::default());
    let ok = call(&c, &basic_op, json!({"user": "tooldraft", "passwd": "correct-horse"}));
    assert_eq!((ok.status, ok.json.unwrap()["authenticated"].as_bool()), (Some(200), Some(true)));
    let wrong = call(&c, &basic_op, json!({"user": "tooldraft", "passwd": "other-password"}));
    assert_eq!((wrong.status, wrong.is_error), (Some(401), true));
    assert!(wrong.headers.iter().any(|(k, _)| k == "www-authenticate"), "{:?}", wrong.headers);

    let bearer_op = op(Method::Get, "/bearer", vec![], None);
    let anonymous = caller_with(HttpConfig::new(httpbin()), SafetyPolicy::default());
    assert_eq!(call(&anonymous, &bearer_op, json!({})).status, Some(401));
    let mut config = HttpConfig::new(httpbin());
    config.auth = Some(Auth::Bearer { token: "bearer-token-123".into() });
    let obs = call(&caller_with(config, SafetyPolicy::default()), &bearer_op, json!({}));
    assert_eq!(obs.status, Some(200));
    assert_eq!(obs.json.unwrap()["token"], "[REDACTED]", "httpbin echoes the token; the evidence does not");

    let mut config = HttpConfig::new(httpbin());
    config.auth =
        Some(Auth::ApiKey { name: "X-Api-Key".into(), value: "header-key-456".into(), location: KeyLocation::Header });
    let obs =
        call(&caller_with(config, SafetyPolicy::default()), &op(Method::Get, "/headers", vec![], None), json!({}));
    assert_eq!(obs.json.unwrap()["headers"]["X-Api-Key"], "[REDACTED]");
}

#[test]
fn a_documented_production_host_is_replaced_by_the_target() {
    let c = caller_with(HttpConfig::new(httpbin()), SafetyPolicy::default());
    let o = op(Method::Get, "https://httpbin.org/get", vec![p("page", Location::Query)], None);
    let obs = call(&c, &o, json!({"page": 3}));
    assert_eq!(obs.status, Some(200));
    assert_eq!(obs.request.url, format!("{}/get?page=3", httpbin()));
    assert_eq!(obs.json.unwrap()["args"], json!({"page": "3"}));
}

#[test]
fn binary_bodies_are_summarised_and_long_ones_capped() {
    let c = caller_with(HttpConfig::new(httpbin()), SafetyPolicy::default());
    let png = call(&c, &op(Method::Get, "/image/png", vec![], None), json!({}));
    assert_eq!(png.content_type.as_deref(), Some("image/png"));
    assert!(png.body.starts_with(&format!("<binary image/png, {} bytes, fnv1a ", png.body_bytes)), "{}", png.body);
    assert!(png.body.ends_with("starts 89504e470d0a1a0a>"), "{}", png.body);
    assert!(png.body_bytes > 1000 && png.json.is_none());

    // httpbin's /bytes/{n} closes the connection before its body here; /stream-bytes works.
    let bytes =
        call(&c, &op(Method::Get, "/stream-bytes/{n}", vec![p("n", Location::Path)], None), json!({"n": 102400}));
    assert_eq!(bytes.body_bytes, 102_400);
    assert!(bytes.body.starts_with("<binary application/octet-stream, 102400 bytes"), "{}", bytes.body);
    assert!(bytes.body.len() < 200);

    let mut config = HttpConfig::new(httpbin());
    config.evidence_cap = 1000;
    let capped = caller_with(config, SafetyPolicy::default());
    let html = call(&capped, &op(Method::Get, "/html", vec![], None), json!({}));
    assert!(
        html.truncated && html.body.len() == 1000 && html.body_bytes > 3000,
        "{} {}",
        html.body.len(),
        html.body_bytes
    );
    let view = html.model_body(200);
    assert!(view.ends_with(&format!("\n[truncated: 200 of {} bytes]", html.body_bytes)), "{view}");
}

#[test]
fn redirects_are_followed_on_the_target_only() {
    let bed = Testbed::shared(&["httpbin", "recorder"]);
    let host = Rc::new(NativeHost::default());
    let c = HttpToolCaller::new(host, HttpConfig::new(bed.url("httpbin")), SafetyPolicy::default()).unwrap();
    let redirect =
        op(Method::Get, "/redirect-to", vec![p("url", Location::Query), p("status_code", Location::Query)], None);
    let obs = call(&c, &redirect, json!({"url": "/get?followed=1", "status_code": 302}));
    assert_eq!(obs.status, Some(200));
    assert_eq!(obs.json.as_ref().unwrap()["args"], json!({"followed": "1"}));
    assert_eq!(obs.redirects(), [(302, format!("{}/get?followed=1", bed.url("httpbin")))]);

    // An open redirect to another origin (the recorder, standing in for any other host): an
    // error naming both origins, and no observation.
    let elsewhere = format!("{}/stolen", bed.url("recorder"));
    let err = block_on(c.call(&redirect, &json!({"url": elsewhere, "status_code": 307}))).unwrap_err();
    assert_eq!(err.code(), "RedirectRefused");
    let message = err.to_string();
    assert!(message.contains(bed.url("httpbin")) && message.contains(bed.url("recorder")), "{message}");
    assert!(!message.contains("stolen"), "{message}");
    let seen: Value = serde_json::from_str(
        &ureq::get(&format!("{}/__requests", bed.url("recorder"))).call().unwrap().into_string().unwrap(),
    )
    .unwrap();
    assert_eq!(seen, json!([]), "nothing reached the other origin");
}

#[test]
fn json_server_filters_pages_and_takes_an_allowed_write() {
    let base = Testbed::shared(&["jsonserver"]).url("jsonserver").to_string();
    let list = op(
        Method::Get,
        "/posts",
        vec![p("author", Location::Query), p("_sort", Location::Query), p("_limit", Location::Query)],
        None,
    );
    let c = caller_with(HttpConfig::new(&base), SafetyPolicy::default());
    let obs = call(&c, &list, json!({"author": "ada", "_sort": "views", "_limit": 1}));
    assert_eq!(
        obs.json.unwrap(),
        json!([{"id": 1, "title": "Exploring tools with a model", "author": "ada", "views": 120, "tags": ["llm", "docs"]}])
    );
    assert!(obs.headers.iter().any(|(k, v)| k == "x-total-count" && v == "2"), "{:?}", obs.headers);

    let create = op(Method::Post, "/comments", vec![p("body", Location::Body), p("postId", Location::Body)], None);
    assert_eq!(call_err(&c, &create, json!({"body": "x", "postId": 2})).code(), "PolicyDenied");
    let writer = caller_with(HttpConfig::new(&base), SafetyPolicy { allow_writes: true, ..Default::default() });
    let created = call(&writer, &create, json!({"body": "from a test", "postId": 2}));
    assert_eq!(created.status, Some(201));
    let id = created.json.unwrap()["id"].clone();
    let one = op(Method::Get, "/comments/{id}", vec![p("id", Location::Path)], None);
    assert_eq!(call(&c, &one, json!({"id": id})).json.unwrap()["body"], "from a test");
}
