//! Redaction against real echo servers: httpbin and server-everything send our secrets
//! straight back; nothing recorded (observations, errors, their JSON) may contain them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)] // test code: real servers, real time

mod support;
mod tools_support;

use serde_json::{json, Value};
use std::rc::Rc;
use support::NativeHost;
use tooldraft::doc::{HttpBinding, Location, Operation, Parameter, Safety};
use tooldraft::host::Method;
use tooldraft::tools::{
    Auth, HttpConfig, HttpToolCaller, KeyLocation, McpClient, McpConfig, Redactor, SafetyPolicy, ToolCaller,
};
use tools_support::{block_on, Testbed};

const BEARER: &str = "bearer-Zx81-secret-token";
const API_KEY: &str = "apikey-Q77-secret/with+chars";
const PASSWORD: &str = "pw-K3y-secret";
const LLM_KEY: &str = "sk-llm-1234567890abcdef";
const ALL: [&str; 4] = [BEARER, API_KEY, PASSWORD, LLM_KEY];

fn op(method: Method, path: &str, params: Vec<Parameter>) -> Operation {
    Operation {
        id: path.into(),
        name: path.into(),
        http: Some(HttpBinding { method, path: path.into(), body_media_type: None }),
        parameters: params,
        safety: Safety::from_method(method),
        ..Default::default()
    }
}

/// Every way a secret could be spelled in a record.
fn assert_clean(what: &str, text: &str) {
    for s in ALL {
        let encoded: String = url_encode(s);
        for form in [s.to_string(), encoded, tooldraft::tools::auth::base64(format!("tooldraft:{s}").as_bytes())] {
            assert!(!text.contains(&form), "{what} leaks `{form}`: {text}");
        }
    }
}

fn url_encode(s: &str) -> String {
    tooldraft::tools::params::encode_component(s)
}

#[test]
fn nothing_recorded_from_http_calls_holds_a_secret() {
    let httpbin = Testbed::shared(&["httpbin", "everything"]).url("httpbin").to_string();
    // The run's redactor knows every secret configured anywhere in the run (as the engine's
    // does): the LLM key and all four targets' credentials.
    let llm = ALL.iter().fold(Redactor::new(), |r, s| r.with_secret(s));
    let mut records: Vec<(String, Value)> = Vec::new();

    let configs = [
        Auth::Bearer { token: BEARER.into() },
        Auth::ApiKey { name: "api_key".into(), value: API_KEY.into(), location: KeyLocation::Query },
        Auth::ApiKey { name: "X-Service-Key".into(), value: API_KEY.into(), location: KeyLocation::Header },
        Auth::Basic { username: "tooldraft".into(), password: PASSWORD.into() },
    ];
    for auth in configs {
        let mut config = HttpConfig::new(&httpbin);
        config.auth = Some(auth.clone());
        let caller = HttpToolCaller::new(Rc::new(NativeHost::default()), config, SafetyPolicy::default())
            .unwrap()
            .with_redactor(&llm);
        let calls = [
            // The model pasted the LLM key into an argument; httpbin echoes it back.
            (
                op(
                    Method::Get,
                    "/anything/{x}",
                    vec![Parameter::new("x", Location::Path), Parameter::new("note", Location::Query)],
                ),
                json!({"x": LLM_KEY, "note": LLM_KEY}),
            ),
            (op(Method::Get, "/bearer", vec![]), json!({})),
            (op(Method::Get, "/headers", vec![]), json!({})),
            (
                op(
                    Method::Get,
                    "/basic-auth/{user}/{passwd}",
                    vec![Parameter::new("user", Location::Path), Parameter::new("passwd", Location::Path)],
                ),
                json!({"user": "tooldraft", "passwd": PASSWORD}),
            ),
        ];
        for (o, args) in calls {
            let obs = block_on(caller.call(&o, &args)).unwrap();
            assert!(obs.status.is_some());
            records.push((format!("{auth:?} {}", o.id), serde_json::to_value(&obs).unwrap()));
        }
    }
    // The echoes really came back (so the test could fail), and were redacted.
    let all = serde_json::to_string(&records).unwrap();
    assert!(all.matches("[REDACTED]").count() > 20, "{all}");
    let bearer = records.iter().find(|(k, _)| k.starts_with("Bearer") && k.ends_with("/bearer")).unwrap();
    assert_eq!(bearer.1["json"]["authenticated"], true);
    assert_eq!(bearer.1["json"]["token"], "[REDACTED]");
    let basic = records.iter().find(|(k, _)| k.starts_with("Basic") && k.contains("basic-auth")).unwrap();
    assert_eq!(basic.1["status"], 200, "the real password was sent");
    for (what, record) in &records {
        assert_clean(what, &record.to_string());
    }

    // Errors too: a refused connection with the key in the query string.
    let mut config = HttpConfig::new("http://127.0.0.1:9");
    config.auth = Some(Auth::ApiKey { name: "api_key".into(), value: API_KEY.into(), location: KeyLocation::Query });
    config.retry = tooldraft::tools::RetryPolicy::none();
    let caller = HttpToolCaller::new(Rc::new(NativeHost::default()), config, SafetyPolicy::default())
        .unwrap()
        .with_redactor(&llm);
    let e = block_on(caller.call(&op(Method::Get, "/x", vec![]), &json!({"q": LLM_KEY}))).unwrap_err();
    assert_clean("error", &format!("{e} {}", serde_json::to_string(&e).unwrap()));
    assert!(format!("{:?}", caller.redactor()).len() < 400, "Debug stays short and secret-free");
    assert_clean("redactor debug", &format!("{:?}", caller.redactor()));
}

#[test]
fn nothing_recorded_from_mcp_calls_holds_a_secret() {
    let url = Testbed::shared(&["httpbin", "everything"]).url("everything").to_string();
    let mut config = McpConfig::new(url);
    config.auth = Some(Auth::Bearer { token: BEARER.into() });
    config.secrets.push(LLM_KEY.into());
    let client = McpClient::new(Rc::new(NativeHost::default()), config).unwrap();
    let obs = block_on(client.call_tool("echo", &json!({"message": format!("my key is {LLM_KEY}")}), true)).unwrap();
    assert_eq!(obs.body, "Echo: my key is [REDACTED]");
    let record = serde_json::to_string(&obs).unwrap();
    assert!(record.contains("[REDACTED]"));
    assert_clean("mcp observation", &record);
    let info = serde_json::to_string(&block_on(client.connect()).unwrap()).unwrap();
    assert_clean("session info", &info);
    block_on(client.close()).unwrap();
}
