use super::*;
use crate::doc::{Location, Parameter, Safety};
use crate::host::{HttpResponse, Method};
use crate::tools::testing::{block_on, ScriptedHost};
use crate::tools::{auth, KeyLocation, DEFAULT_MODEL_VIEW};
use serde_json::json;

const SECRET: &str = "sk-test-9f8e7d6c5b4a";

fn op(id: &str, method: Method, path: &str, params: Vec<Parameter>) -> Operation {
    Operation {
        id: id.into(),
        name: id.into(),
        http: Some(HttpBinding { method, path: path.into(), body_media_type: None }),
        parameters: params,
        safety: Safety::from_method(method),
        ..Default::default()
    }
}

fn ok_json(body: &str) -> HttpResponse {
    ScriptedHost::response(200, &[("content-type", "application/json")], body)
}

fn caller(host: &Rc<ScriptedHost>, config: HttpConfig, policy: SafetyPolicy) -> HttpToolCaller {
    HttpToolCaller::new(host.clone(), config, policy).unwrap()
}

#[test]
fn the_configured_base_url_wins_over_the_documented_host() {
    let host = Rc::new(ScriptedHost::new(vec![Ok(ok_json("{}")), Ok(ok_json("{}"))]));
    let c = caller(&host, HttpConfig::new("http://127.0.0.1:9000/3"), SafetyPolicy::default());
    let restbench = op("kw", Method::Get, "http://api.themoviedb.org/3/movie/{movie_id}/keywords", vec![]);
    block_on(c.call(&restbench, &json!({"movie_id": 550}))).unwrap();
    let relative = op("pop", Method::Get, "/tv/popular", vec![Parameter::new("page", Location::Query)]);
    block_on(c.call(&relative, &json!({"page": 2}))).unwrap();
    let urls: Vec<String> = host.requests().iter().map(|r| r.url.clone()).collect();
    assert_eq!(urls, ["http://127.0.0.1:9000/3/movie/550/keywords", "http://127.0.0.1:9000/3/tv/popular?page=2"]);
    assert_eq!(host.requests()[0].timeout_ms, Some(DEFAULT_TOOL_TIMEOUT_MS));
}

#[test]
fn hostile_arguments_never_reach_another_origin() {
    let host = Rc::new(ScriptedHost::with_handler(|_| Ok(ok_json("{}"))));
    let c = caller(&host, HttpConfig::new("http://127.0.0.1:9000"), SafetyPolicy::default());
    let o = op(
        "get",
        Method::Get,
        "/items/{id}",
        vec![
            Parameter::new("id", Location::Path),
            Parameter::new("next", Location::Query),
            Parameter::new("X-Note", Location::Header),
        ],
    );
    let hostile = [
        json!({"id": "../../x"}),
        json!({"id": "http://evil.test/"}),
        json!({"id": "//evil.com"}),
        json!({"id": "@evil.com"}),
        json!({"id": "x", "next": "http://evil.test/?a=1#f"}),
        json!({"id": "x\\..\\..\\evil"}),
    ];
    for args in &hostile {
        block_on(c.call(&o, args)).unwrap();
    }
    for r in host.requests() {
        assert!(r.url.starts_with("http://127.0.0.1:9000/items/"), "{}", r.url);
        c.target().check_same_origin(&r.url).unwrap();
        assert!(!r.url.contains("//evil") && !r.url.contains("@"), "{}", r.url);
    }
    let n = host.requests().len();
    // `%2e%2e` is sent as `%252e%252e`, which a server or proxy that decodes twice reads as `..`.
    for bad in [json!({"id": ".."}), json!({"id": "%2e%2e"}), json!({"id": "x", "X-Note": "a\r\nHost: evil.test"})] {
        let e = block_on(c.call(&o, &bad)).unwrap_err();
        assert_eq!(e.code(), "InvalidArguments", "{e}");
    }
    assert_eq!(host.requests().len(), n, "rejected calls send nothing");
}

#[test]
fn the_policy_is_checked_before_anything_is_sent() {
    let host = Rc::new(ScriptedHost::with_handler(|_| Ok(ok_json("{}"))));
    let post = op("create", Method::Post, "/items", vec![Parameter::new("name", Location::Body)]);
    let del = op("remove", Method::Delete, "/items/{id}", vec![Parameter::new("id", Location::Path)]);
    let strict = caller(&host, HttpConfig::new("http://127.0.0.1:9000"), SafetyPolicy::default());
    assert_eq!(strict.permits(&post).unwrap_err().code(), "PolicyDenied");
    assert_eq!(block_on(strict.call(&post, &json!({"name": "n"}))).unwrap_err().code(), "PolicyDenied");
    assert_eq!(block_on(strict.call(&del, &json!({"id": 1}))).unwrap_err().code(), "PolicyDenied");
    assert!(host.requests().is_empty());

    let writes = caller(
        &host,
        HttpConfig::new("http://127.0.0.1:9000"),
        SafetyPolicy { allow_writes: true, ..Default::default() },
    );
    let obs = block_on(writes.call(&post, &json!({"name": "n"}))).unwrap();
    assert_eq!(obs.request.body.as_deref(), Some(r#"{"name":"n"}"#));
    assert!(obs.request.headers.contains(&("Content-Type".into(), "application/json".into())));
    assert!(block_on(writes.call(&del, &json!({"id": 1}))).is_err());
    assert_eq!(host.requests().len(), 1);

    let no_http = Operation { id: "fn".into(), ..Default::default() };
    assert_eq!(strict.permits(&no_http).unwrap_err().code(), "NoToolTarget");
}

#[test]
fn auth_goes_where_configured_and_is_redacted_when_recorded() {
    let cases = [
        (Auth::ApiKey { name: "X-Api-Key".into(), value: SECRET.into(), location: KeyLocation::Header }, "header"),
        (Auth::ApiKey { name: "api_key".into(), value: SECRET.into(), location: KeyLocation::Query }, "query"),
        (Auth::ApiKey { name: "sid".into(), value: SECRET.into(), location: KeyLocation::Cookie }, "cookie"),
        (Auth::Bearer { token: SECRET.into() }, "bearer"),
        (Auth::Basic { username: "user".into(), password: SECRET.into() }, "basic"),
    ];
    for (auth, kind) in cases {
        // The server echoes the request, as httpbin does.
        let host = Rc::new(ScriptedHost::with_handler(|r| {
            let echo = json!({"url": r.url, "headers": r.headers.iter().cloned().collect::<std::collections::BTreeMap<_, _>>()});
            Ok(ok_json(&echo.to_string()))
        }));
        let mut config = HttpConfig::new("http://127.0.0.1:9000");
        config.auth = Some(auth);
        let c = caller(&host, config, SafetyPolicy::default());
        let o = op("get", Method::Get, "/anything", vec![Parameter::new("X-Api-Key", Location::Header)]);
        let obs = block_on(c.call(&o, &json!({"q": 1, "X-Api-Key": "model-wrote-this"}))).unwrap();
        let sent = &host.requests()[0];
        let sent_text = format!("{} {:?}", sent.url, sent.headers);
        match kind {
            "header" => {
                assert!(sent.headers.contains(&("X-Api-Key".into(), SECRET.into())), "config wins: {sent_text}")
            }
            "query" => assert!(sent.url.ends_with(&format!("?q=1&api_key={SECRET}")), "{sent_text}"),
            "cookie" => assert!(sent.headers.contains(&("Cookie".into(), format!("sid={SECRET}"))), "{sent_text}"),
            "bearer" => assert!(sent.headers.contains(&("Authorization".into(), format!("Bearer {SECRET}")))),
            _ => assert!(sent.headers.iter().any(|(k, v)| k == "Authorization" && v.starts_with("Basic "))),
        }
        let recorded = serde_json::to_string(&obs).unwrap();
        assert!(!recorded.contains(SECRET), "{kind}: {recorded}");
        assert!(!recorded.contains(&auth::base64(format!("user:{SECRET}").as_bytes())), "{kind}: {recorded}");
        assert!(recorded.contains("[REDACTED]"), "{kind}: {recorded}");
    }
}

#[test]
fn observations_capture_status_headers_json_and_duration() {
    let host = Rc::new(ScriptedHost::new(vec![
        Ok(ScriptedHost::response(
            201,
            &[
                ("content-type", "application/json"),
                ("location", "/items/7"),
                ("x-ratelimit-remaining", "41"),
                ("server", "x"),
            ],
            r#"{"id":7}"#,
        )),
        Ok(ScriptedHost::response(500, &[("content-type", "text/html")], "<h1>boom</h1>")),
    ]));
    let c = caller(&host, HttpConfig::new("http://127.0.0.1:9000"), SafetyPolicy::allow_all());
    let o = op("create", Method::Post, "/items", vec![]);
    let obs = block_on(c.call(&o, &json!({}))).unwrap();
    assert_eq!(obs.status, Some(201));
    assert!(obs.is_success());
    assert_eq!(obs.json, Some(json!({"id": 7})));
    assert_eq!(
        obs.headers,
        vec![
            ("content-type".to_string(), "application/json".to_string()),
            ("location".to_string(), "/items/7".to_string()),
            ("x-ratelimit-remaining".to_string(), "41".to_string()),
        ]
    );
    assert_eq!(obs.duration_ms, 7.0, "one fetch on the scripted clock");
    assert_eq!(obs.request.body, None, "an empty argument object sends no body");
    let obs = block_on(c.call(&o, &json!({}))).unwrap();
    assert!(obs.is_error && !obs.is_success());
    assert_eq!((obs.body.as_str(), obs.json), ("<h1>boom</h1>", None));
}

#[test]
fn large_and_binary_bodies() {
    let big = "x".repeat(100_000);
    let png: Vec<u8> = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13].to_vec();
    let png2 = png.clone();
    let host = Rc::new(ScriptedHost::new(vec![
        Ok(ScriptedHost::response(200, &[("content-type", "text/plain")], &big)),
        Ok(HttpResponse { status: 200, headers: vec![("content-type".into(), "image/png".into())], body: png2 }),
    ]));
    let mut config = HttpConfig::new("http://127.0.0.1:9000");
    config.evidence_cap = 1000;
    let c = caller(&host, config, SafetyPolicy::default());
    let o = op("get", Method::Get, "/data", vec![]);
    let obs = block_on(c.call(&o, &json!({}))).unwrap();
    assert_eq!((obs.body.len(), obs.truncated, obs.body_bytes), (1000, true, 100_000));
    assert!(obs.model_body(DEFAULT_MODEL_VIEW).ends_with("\n[truncated: 1000 of 100000 bytes]"));
    assert_eq!(obs.model_body(10), "xxxxxxxxxx\n[truncated: 10 of 100000 bytes]");
    let obs = block_on(c.call(&o, &json!({}))).unwrap();
    assert!(obs.body.starts_with("<binary image/png, 12 bytes, fnv1a "), "{}", obs.body);
    assert!(!obs.truncated);
    assert_eq!(obs.model_body(DEFAULT_MODEL_VIEW), obs.body, "a summary is not cut");
}

#[test]
fn transport_errors_name_the_endpoint_without_secrets() {
    let host = Rc::new(ScriptedHost::with_handler(|r| {
        Err(HostError::Network { message: format!("connection refused: {}", r.url) })
    }));
    let mut config = HttpConfig::new("http://127.0.0.1:9");
    config.auth = Some(Auth::ApiKey { name: "key".into(), value: SECRET.into(), location: KeyLocation::Query });
    config.retry = RetryPolicy { max_attempts: 2, base_delay_ms: 1, max_delay_ms: 1, ..RetryPolicy::for_tools() };
    let c = caller(&host, config, SafetyPolicy::default());
    let e = block_on(c.call(&op("get", Method::Get, "/x", vec![]), &json!({}))).unwrap_err();
    let text = e.to_string();
    assert_eq!(e.code(), "NetworkError");
    assert!(text.starts_with("GET http://127.0.0.1:9/x: network error: connection refused"), "{text}");
    assert!(!text.contains(SECRET), "{text}");
    assert_eq!(host.requests().len(), 2, "a read-only call is retried");
}

#[test]
fn writes_are_not_retried() {
    let host = Rc::new(ScriptedHost::with_handler(|_| Ok(ScriptedHost::response(503, &[], ""))));
    let c = caller(&host, HttpConfig::new("http://127.0.0.1:9000"), SafetyPolicy::allow_all());
    let obs = block_on(c.call(&op("p", Method::Post, "/x", vec![]), &json!({}))).unwrap();
    assert_eq!((obs.status, host.requests().len()), (Some(503), 1));
    block_on(c.call(&op("g", Method::Get, "/x", vec![]), &json!({}))).unwrap();
    assert_eq!(host.requests().len(), 4, "GET: three attempts");
}

#[test]
fn config_is_checked() {
    let host: Rc<dyn Host> = Rc::new(ScriptedHost::new(vec![]));
    for bad in ["ftp://x", "http://u:p@x.test", "not a url", "http://x.test/?q=1"] {
        let e = HttpToolCaller::new(host.clone(), HttpConfig::new(bad), SafetyPolicy::default()).err().unwrap();
        assert_eq!(e.code(), "InvalidArguments", "{bad}");
    }
    let mut config = HttpConfig::new("http://x.test");
    config.headers.insert("X-Ok".into(), "a\r\nb".into());
    assert!(HttpToolCaller::new(host.clone(), config, SafetyPolicy::default()).is_err());
    let mut config = HttpConfig::new("http://x.test");
    config.headers.insert("X-Api-Token".into(), "header-secret-value".into());
    config.secrets.push("llm-key-abcdef".into());
    let c = HttpToolCaller::new(host, config, SafetyPolicy::default()).unwrap();
    assert_eq!(c.redactor().redact_str("header-secret-value llm-key-abcdef"), "[REDACTED] [REDACTED]");
    assert!(c.redactor().is_sensitive_header("x-api-token"));
    let parsed: HttpConfig = serde_json::from_value(json!({"baseUrl": "http://x.test"})).unwrap();
    assert_eq!((parsed.evidence_cap, parsed.retry.max_attempts), (DEFAULT_EVIDENCE_CAP, 3));
}

#[test]
fn only_same_origin_redirects_are_followed() {
    let host = Rc::new(ScriptedHost::with_handler(|r| {
        assert!(r.manual_redirect, "the host must not follow redirects itself");
        let path = r.url.trim_start_matches("http://127.0.0.1:9000");
        Ok(match path {
            "/start" => ScriptedHost::response(302, &[("location", "next?step=2")], ""),
            "/next?step=2" => ScriptedHost::response(301, &[("location", "http://127.0.0.1:9000/final")], ""),
            "/final" => ok_json(r#"{"done":true}"#),
            "/away" => ScriptedHost::response(302, &[("location", "http://evil.test/steal?k=1")], ""),
            "/sneaky" => ScriptedHost::response(307, &[("location", "/\\evil.test/x")], ""),
            "/loop" => ScriptedHost::response(302, &[("location", "/loop")], ""),
            "/write" => ScriptedHost::response(303, &[("location", "/final")], ""),
            "/opaque" => ScriptedHost::response(0, &[], ""),
            other => panic!("unexpected {other}"),
        })
    }));
    let mut config = HttpConfig::new("http://127.0.0.1:9000");
    config.headers.insert("X-Api-Key".into(), "key-0123456789".into());
    let c = caller(&host, config, SafetyPolicy::allow_all());
    let obs = block_on(c.call(&op("s", Method::Get, "/start", vec![]), &json!({}))).unwrap();
    assert_eq!((obs.status, obs.json.clone()), (Some(200), Some(json!({"done": true}))));
    assert_eq!(
        obs.redirects(),
        [(302, "http://127.0.0.1:9000/next?step=2".to_string()), (301, "http://127.0.0.1:9000/final".to_string())]
    );
    assert_eq!(obs.request.url, "http://127.0.0.1:9000/start", "the request as the model asked for it");
    // Another origin: an error naming both origins, with no secret, and no observation.
    for (path, status) in [("/away", 302), ("/sneaky", 307)] {
        let err = block_on(c.call(&op("a", Method::Get, path, vec![]), &json!({}))).unwrap_err();
        let ToolError::Redirect { message, .. } = &err else { panic!("{err:?}") };
        let said =
            format!("http://127.0.0.1:9000 answered HTTP {status}, a redirect to another origin, http://evil.test;");
        assert!(message.starts_with(&said), "{message}");
        let message = err.to_string();
        assert!(message.contains("http://127.0.0.1:9000") && message.contains("http://evil.test"), "{message}");
        assert!(!message.contains("key-0123456789") && !message.contains("steal"), "{message}");
        assert_eq!(err.code(), "RedirectRefused");
    }
    let err = block_on(c.call(&op("l", Method::Get, "/loop", vec![]), &json!({}))).unwrap_err();
    assert!(matches!(&err, ToolError::Redirect { message, .. } if message.contains("more than 5 times")), "{err}");
    let err = block_on(c.call(&op("o", Method::Get, "/opaque", vec![]), &json!({}))).unwrap_err();
    assert!(err.to_string().contains("browser does not let tooldraft inspect"), "{err}");
    // A write answered with 303 (post/redirect/get): the result is fetched with a GET, no body.
    let obs = block_on(c.call(&op("p", Method::Post, "/write", vec![]), &json!({}))).unwrap();
    assert_eq!((obs.status, obs.redirects().len()), (Some(200), 1));
    let last = host.requests().last().cloned().unwrap();
    assert_eq!((last.method, last.body), (Method::Get, None));
    assert!(host.requests().iter().all(|r| r.url.starts_with("http://127.0.0.1:9000/")));
}
