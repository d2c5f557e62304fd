use super::*;
use crate::host::{HostError, HttpRequest, HttpResponse, Method};
use crate::tools::testing::{block_on, ScriptedHost};
use std::cell::RefCell;

const BASE: &str = "http://127.0.0.1:9000";

fn to(status: u16, location: &str) -> HttpResponse {
    ScriptedHost::response(status, &[("location", location)], "")
}

fn post(url: &str) -> HttpRequest {
    HttpRequest::new(Method::Post, url)
        .header("Authorization", "Bearer sk-secret-1234")
        .header("Content-Type", "application/json")
        .body(b"{\"q\":1}".to_vec())
}

#[test]
fn locations_resolve_like_a_browser() {
    let cur = "http://127.0.0.1:9000/a/b/c?x=1";
    for (loc, want) in [
        ("http://127.0.0.1:9000/z", "http://127.0.0.1:9000/z"),
        ("/z?k=2", "http://127.0.0.1:9000/z?k=2"),
        ("d", "http://127.0.0.1:9000/a/b/d"),
        ("?y=2", "http://127.0.0.1:9000/a/b/c?y=2"),
        ("//evil.test/x", "http://evil.test/x"),
        ("/\\evil.test/x", "http://evil.test/x"),
        ("  /z#frag ", "http://127.0.0.1:9000/z"),
        ("HTTPS://Other.Test:8443/p", "HTTPS://Other.Test:8443/p"),
    ] {
        assert_eq!(resolve_location(cur, loc).unwrap(), want, "{loc}");
    }
    for bad in ["javascript:alert(1)", "http://user:pw@127.0.0.1:9000/", "ftp://h/x", "http:relative"] {
        assert!(resolve_location(cur, bad).is_err(), "{bad}");
    }
}

#[test]
fn same_origin_redirects_keep_or_change_the_method_as_fetch_does() {
    let rules = RedirectRules::fetch();
    for status in [307, 308] {
        let next = next_request(&post(&format!("{BASE}/a")), &to(status, "/b"), &rules).unwrap().unwrap();
        assert_eq!((next.method, next.body.as_deref()), (Method::Post, Some(&b"{\"q\":1}"[..])), "{status}");
        assert!(next.manual_redirect && next.headers.len() == 2);
    }
    for status in [301, 302, 303] {
        let next = next_request(&post(&format!("{BASE}/a")), &to(status, "/b"), &rules).unwrap().unwrap();
        assert_eq!((next.method, next.body.clone()), (Method::Get, None), "{status}: no body is re-sent to a GET");
        assert_eq!(next.headers, [("Authorization".to_string(), "Bearer sk-secret-1234".to_string())]);
    }
    // A PUT keeps its method on 301/302 (fetch changes only POST), becomes a GET on 303.
    let put = HttpRequest::new(Method::Put, format!("{BASE}/a")).body(b"x".to_vec());
    assert_eq!(next_request(&put, &to(302, "/b"), &rules).unwrap().unwrap().method, Method::Put);
    assert_eq!(next_request(&put, &to(303, "/b"), &rules).unwrap().unwrap().method, Method::Get);
    let head = HttpRequest::new(Method::Head, format!("{BASE}/a"));
    assert_eq!(next_request(&head, &to(303, "/b"), &rules).unwrap().unwrap().method, Method::Head);
    // Callers that cannot use a GET refuse the change instead.
    let err = next_request(&post(&format!("{BASE}/a")), &to(303, "/b"), &RedirectRules::keep_method()).unwrap_err();
    assert_eq!(err, RedirectError::MethodChange { origin: BASE.into(), method: "POST".into(), status: 303 });
    // Not a redirect, or a redirect without a Location: the final answer.
    let get = HttpRequest::new(Method::Get, format!("{BASE}/a"));
    for r in [to(200, "/b"), to(304, "/b"), ScriptedHost::response(302, &[], "")] {
        assert_eq!(next_request(&get, &r, &rules).unwrap(), None);
    }
}

#[test]
fn other_origins_and_opaque_redirects_are_refused_without_secrets() {
    let req = post(&format!("{BASE}/v1/chat?api_key=QUERYKEY"));
    for (loc, other) in [
        ("http://127.0.0.1:9001/steal?api_key=QUERYKEY", "http://127.0.0.1:9001"),
        ("https://127.0.0.1:9000/x", "https://127.0.0.1:9000"),
        ("//evil.test/x", "http://evil.test"),
        ("/\\evil.test/x", "http://evil.test"),
        ("http://LOCALHOST:9000/x", "http://localhost:9000"),
    ] {
        let err = next_request(&req, &to(302, loc), &RedirectRules::fetch()).unwrap_err();
        assert_eq!(err, RedirectError::CrossOrigin { status: 302, from: BASE.into(), to: other.into() }, "{loc}");
        let message = err.to_string();
        assert!(message.contains(BASE) && message.contains(other), "{message}");
        assert!(!message.contains("QUERYKEY") && !message.contains("sk-secret") && !message.contains("steal"));
    }
    let opaque = next_request(&req, &ScriptedHost::response(0, &[], ""), &RedirectRules::fetch()).unwrap_err();
    assert_eq!(opaque, RedirectError::Opaque { origin: BASE.into() });
    assert!(opaque.to_string().contains("browser does not let tooldraft inspect"), "{opaque}");
    assert!(opaque.to_string().contains("nothing was sent on"), "{opaque}");
    let bad = next_request(&req, &to(302, "javascript:x"), &RedirectRules::fetch()).unwrap_err();
    assert_eq!(bad, RedirectError::BadLocation { origin: BASE.into(), status: 302 });
    assert_eq!(bad.code(), "RedirectRefused");
}

/// `follow` over a scripted server: what it sent, in order.
fn run(
    handler: impl Fn(&HttpRequest) -> HttpResponse + 'static,
    rules: RedirectRules,
    first: HttpRequest,
) -> (Result<Followed, FollowError<HostError>>, Vec<HttpRequest>) {
    let host = ScriptedHost::with_handler(move |r| Ok(handler(r)));
    let sent = RefCell::new(Vec::new());
    let result = block_on(follow(first, &rules, |r| {
        sent.borrow_mut().push(r.clone());
        crate::host::Host::fetch(&host, r)
    }));
    (result, sent.into_inner())
}

#[test]
fn follow_takes_same_origin_hops_up_to_the_limit_and_never_leaves_the_origin() {
    let hop = |r: &HttpRequest| match r.url.trim_start_matches(BASE) {
        "/start" => to(302, "next"),
        "/next" => to(308, "/final?x=1"),
        "/final?x=1" => ScriptedHost::response(200, &[], "done"),
        "/loop" => to(307, "/loop"),
        "/away" => to(307, "http://127.0.0.1:9001/away"),
        other => panic!("unexpected {other}"),
    };
    let (result, sent) = run(hop, RedirectRules::fetch(), HttpRequest::new(Method::Get, format!("{BASE}/start")));
    let followed = result.unwrap();
    assert_eq!(followed.response.text(), "done");
    assert_eq!(followed.hops, [(302, format!("{BASE}/next")), (308, format!("{BASE}/final?x=1"))]);
    assert!(sent.iter().all(|r| r.manual_redirect), "the host is always told not to follow");

    let (result, sent) = run(hop, RedirectRules::fetch(), HttpRequest::new(Method::Get, format!("{BASE}/loop")));
    assert_eq!(result.unwrap_err(), FollowError::Redirect(RedirectError::TooMany { origin: BASE.into(), max: 5 }));
    assert_eq!(sent.len(), MAX_REDIRECT_HOPS + 1, "the first request and five hops");
    let (result, _) = run(
        hop,
        RedirectRules { max_hops: 0, ..RedirectRules::fetch() },
        HttpRequest::new(Method::Get, format!("{BASE}/start")),
    );
    assert!(matches!(result, Err(FollowError::Redirect(RedirectError::TooMany { max: 0, .. }))));

    let (result, sent) = run(hop, RedirectRules::fetch(), post(&format!("{BASE}/away")));
    assert!(matches!(result, Err(FollowError::Redirect(RedirectError::CrossOrigin { status: 307, .. }))));
    assert!(sent.iter().all(|r| r.url.starts_with(BASE)), "nothing went to the other origin");
}

#[test]
fn transport_errors_pass_through() {
    let host = ScriptedHost::new(vec![Err(HostError::Timeout { ms: 5 })]);
    let result = block_on(follow(HttpRequest::new(Method::Get, format!("{BASE}/")), &RedirectRules::fetch(), |r| {
        crate::host::Host::fetch(&host, r)
    }));
    assert_eq!(result.unwrap_err(), FollowError::Send(HostError::Timeout { ms: 5 }));
}
