//! The safety policy and origin pinning against recording servers of our own (std::net on
//! 127.0.0.1): no non-read-only call without an allowance, no request to any other host,
//! whatever the document or the model writes. Also the bad-input cases of the HTTP caller:
//! a 10 MB body, a non-JSON JSON body, a refused connection, a server that never answers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)] // test code: real servers, real time

mod support;
mod tools_support;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use support::NativeHost;
use tooldraft::doc::{HttpBinding, Location, Operation, Parameter, Safety};
use tooldraft::host::Method;
use tooldraft::tools::{HttpConfig, HttpToolCaller, RetryPolicy, SafetyPolicy, ToolCaller};
use tools_support::block_on;

/// What a recording server saw: method and request target.
type Log = Arc<Mutex<Vec<(String, String)>>>;

/// A tiny HTTP/1.1 server on 127.0.0.1 that records every request and answers by path.
struct Recorder {
    base: String,
    log: Log,
}

impl Recorder {
    fn start() -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let log: Log = Arc::default();
        let l = log.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let l = l.clone();
                std::thread::spawn(move || serve(stream, l));
            }
        });
        Recorder { base, log }
    }

    fn seen(&self) -> Vec<(String, String)> {
        self.log.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, log: Log) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or("").to_string(), parts.next().unwrap_or("").to_string());
    let mut length = 0;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    log.lock().unwrap().push((method.clone(), target.clone()));
    let (ct, payload): (&str, Vec<u8>) = match target.as_str() {
        "/big" => ("text/plain", vec![b'x'; 10 * 1024 * 1024]),
        "/notjson" => ("application/json", b"{\"truncated\": [1, 2".to_vec()),
        "/slow" => {
            std::thread::sleep(std::time::Duration::from_millis(3000));
            ("text/plain", b"late".to_vec())
        }
        _ => ("application/json", json!({"method": method, "target": target}).to_string().into_bytes()),
    };
    let mut out = stream;
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        payload.len()
    );
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(&payload);
}

fn op(id: &str, method: Method, path: &str, params: Vec<Parameter>, safety: Safety) -> Operation {
    Operation {
        id: id.into(),
        name: id.into(),
        http: Some(HttpBinding { method, path: path.into(), body_media_type: None }),
        parameters: params,
        safety,
        ..Default::default()
    }
}

fn operations(decoy: &str) -> Vec<Operation> {
    let by = Safety::from_method;
    let any = |n: &str, loc| Parameter::new(n, loc);
    vec![
        op(
            "get",
            Method::Get,
            "/items/{id}",
            vec![
                any("id", Location::Path),
                any("q", Location::Query),
                any("X-Next", Location::Header),
                any("c", Location::Cookie),
            ],
            by(Method::Get),
        ),
        op("head", Method::Head, "/items", vec![], by(Method::Head)),
        op("options", Method::Options, "/items", vec![], by(Method::Options)),
        // A document naming another host, RestBench style, and a scheme-relative one.
        op(
            "documented-host",
            Method::Get,
            &format!("{decoy}/steal/{{id}}"),
            vec![any("id", Location::Path)],
            by(Method::Get),
        ),
        op("scheme-relative", Method::Get, "//evil.test/steal", vec![], by(Method::Get)),
        op("create", Method::Post, "/items", vec![any("name", Location::Body)], by(Method::Post)),
        op("replace", Method::Put, "/items/{id}", vec![any("id", Location::Path)], by(Method::Put)),
        op("patch", Method::Patch, "/items/{id}", vec![any("id", Location::Path)], by(Method::Patch)),
        op("delete", Method::Delete, "/items/{id}", vec![any("id", Location::Path)], by(Method::Delete)),
        // A document that lies: a DELETE marked read-only.
        op(
            "lying-delete",
            Method::Delete,
            "/items/{id}",
            vec![any("id", Location::Path)],
            Safety { read_only: Some(true), destructive: Some(false), idempotent: Some(true) },
        ),
        op("trace", Method::Trace, "/items", vec![], by(Method::Trace)),
        op("unknown-safety", Method::Post, "/items", vec![], Safety::default()),
    ]
}

fn hostile_arguments(decoy: &str) -> Vec<Value> {
    vec![
        json!({"id": "1"}),
        json!({"id": format!("{decoy}/steal")}),
        json!({"id": "//evil.test/x", "q": format!("{decoy}/?x=1#y")}),
        json!({"id": "../../../steal", "X-Next": decoy}),
        json!({"id": "@127.0.0.1:1", "c": format!("{decoy}; Domain=evil.test")}),
        json!({"id": "x\\..\\..\\steal", "name": decoy, "url": decoy}),
        json!({"id": "%2e%2e%2fsteal"}),
    ]
}

fn run_all(policy: SafetyPolicy, target: &Recorder, decoy: &Recorder) -> Vec<(String, Result<u16, String>)> {
    let caller = HttpToolCaller::new(Rc::new(NativeHost::default()), HttpConfig::new(&target.base), policy).unwrap();
    let mut outcomes = Vec::new();
    for o in operations(&decoy.base) {
        for args in hostile_arguments(&decoy.base) {
            let r =
                block_on(caller.call(&o, &args)).map(|obs| obs.status.unwrap_or(0)).map_err(|e| e.code().to_string());
            outcomes.push((o.id.clone(), r));
        }
    }
    outcomes
}

#[test]
fn the_default_policy_sends_only_reads_and_only_to_the_target() {
    let (target, decoy) = (Recorder::start(), Recorder::start());
    let outcomes = run_all(SafetyPolicy::default(), &target, &decoy);
    let seen = target.seen();
    assert!(!seen.is_empty());
    for (method, path) in &seen {
        assert!(["GET", "HEAD", "OPTIONS"].contains(&method.as_str()), "{method} {path} was sent");
        assert!(path.starts_with('/') && !path.starts_with("//"), "{path}");
    }
    assert_eq!(decoy.seen(), vec![], "nothing reached the other host");
    for (id, r) in &outcomes {
        let read = ["get", "head", "options", "documented-host", "scheme-relative"].contains(&id.as_str());
        match r {
            Ok(status) => assert!(read && *status == 200, "{id}: {status}"),
            Err(code) => assert!(code == "PolicyDenied" || (read && code == "InvalidArguments"), "{id}: {code}"),
        }
    }
    let denied = outcomes.iter().filter(|(_, r)| r.as_ref().err().map(String::as_str) == Some("PolicyDenied")).count();
    assert_eq!(denied, 7 * 7, "every write, delete, trace and unknown operation, for every argument set");
    // The documented host's path went to the target.
    assert!(seen.iter().any(|(_, p)| p.starts_with("/steal/")), "{seen:?}");
}

#[test]
fn allowances_open_exactly_what_they_name() {
    let (target, decoy) = (Recorder::start(), Recorder::start());
    let policy = SafetyPolicy { allow_operations: vec!["create".into()], ..Default::default() };
    run_all(policy, &target, &decoy);
    let methods: std::collections::BTreeSet<String> = target.seen().into_iter().map(|(m, _)| m).collect();
    assert_eq!(methods, ["GET", "HEAD", "OPTIONS", "POST"].into_iter().map(String::from).collect());
    assert!(target.seen().iter().filter(|(m, _)| m == "POST").all(|(_, p)| p == "/items"));

    let writes = SafetyPolicy { allow_writes: true, ..Default::default() };
    let (target2, decoy2) = (Recorder::start(), Recorder::start());
    run_all(writes, &target2, &decoy2);
    let methods: std::collections::BTreeSet<String> = target2.seen().into_iter().map(|(m, _)| m).collect();
    // TRACE counts as a write; DELETE needs a destructive allowance.
    assert!(!methods.contains("DELETE") && methods.contains("TRACE") && methods.contains("PUT"), "{methods:?}");
    let unknown_sent = target2.seen().iter().filter(|(m, _)| m == "POST").count();
    assert_eq!(unknown_sent, 14, "for HTTP the method is known: a POST without hints is a write");

    let destroy = SafetyPolicy { allow_destructive_operations: vec!["delete".into()], ..Default::default() };
    let (target3, decoy3) = (Recorder::start(), Recorder::start());
    run_all(destroy, &target3, &decoy3);
    let deletes = target3.seen().iter().filter(|(m, _)| m == "DELETE").count();
    assert!(deletes > 0 && deletes <= 7, "only `delete`, not `lying-delete`: {deletes}");
    for d in [decoy, decoy2, decoy3] {
        assert!(d.seen().is_empty());
    }
}

fn get(caller: &HttpToolCaller, path: &str) -> Result<tooldraft::tools::Observation, tooldraft::tools::ToolError> {
    block_on(caller.call(&op(path, Method::Get, path, vec![], Safety::from_method(Method::Get)), &json!({})))
}

#[test]
fn bad_responses_are_evidence_not_failures() {
    let server = Recorder::start();
    let caller =
        HttpToolCaller::new(Rc::new(NativeHost::default()), HttpConfig::new(&server.base), SafetyPolicy::default())
            .unwrap();
    let big = get(&caller, "/big").unwrap();
    assert_eq!((big.body.len(), big.truncated, big.body_bytes), (64 * 1024, true, 10 * 1024 * 1024));
    assert!(big.model_body(4096).ends_with("[truncated: 4096 of 10485760 bytes]"));
    let broken = get(&caller, "/notjson").unwrap();
    assert_eq!((broken.json, broken.body.as_str(), broken.is_error), (None, "{\"truncated\": [1, 2", false));
}

#[test]
fn unreachable_and_silent_servers_fail_clearly_and_in_time() {
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap(); // bound, then dropped
    let mut config = HttpConfig::new(format!("http://{closed}"));
    config.auth = Some(tooldraft::tools::Auth::ApiKey {
        name: "api_key".into(),
        value: "never-in-errors-123".into(),
        location: tooldraft::tools::KeyLocation::Query,
    });
    let host = Rc::new(tools_support::RecordingHost::new(NativeHost::default()));
    let caller = HttpToolCaller::new(host.clone(), config, SafetyPolicy::default()).unwrap();
    let e = get(&caller, "/x").unwrap_err();
    assert_eq!(e.code(), "NetworkError");
    let text = e.to_string();
    assert!(text.starts_with(&format!("GET http://{closed}/x: network error")), "{text}");
    assert!(!text.contains("never-in-errors-123"), "{text}");
    assert_eq!(host.requests().len(), 3, "bounded retries for a read-only call");

    let server = Recorder::start();
    let mut config = HttpConfig::new(&server.base);
    config.timeout_ms = Some(300);
    config.retry = RetryPolicy::none();
    let caller = HttpToolCaller::new(Rc::new(NativeHost::default()), config, SafetyPolicy::default()).unwrap();
    let started = std::time::Instant::now();
    let e = get(&caller, "/slow").unwrap_err();
    assert_eq!(e.code(), "Timeout", "{e}");
    assert!(started.elapsed() < std::time::Duration::from_millis(2500), "{:?}", started.elapsed());
}
