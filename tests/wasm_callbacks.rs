//! JS functions as the core's model and tool caller (`llm: {provider: 'host', call}`,
//! `tools: {callTool}`), the Refiner's config checks, and events out through `onEvent`.
//! Runs in Node, Chromium and a dedicated worker (scripts/test-wasm.sh).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use js_sys::{Array, Function, Promise, Reflect};
use serde_json::json;
use std::cell::Cell;
use std::rc::Rc;
use tooldraft::doc::{Location, Operation, Parameter, Safety};
use tooldraft::host::Method;
use tooldraft::llm::{ChatMessage, ChatModel, ChatRequest, LlmError, OutputSchema};
use tooldraft::refine::Event;
use tooldraft::tools::{ToolCaller, ToolError};
use tooldraft::wasm::convert::to_js;
use tooldraft::wasm::host::Cancellation;
use tooldraft::wasm::llm_host::HostChatModel;
use tooldraft::wasm::refiner::{EventSink, JsRefiner};
use tooldraft::wasm::setup::{LlmSetup, RefinerSetup};
use tooldraft::wasm::tool_host::HostToolCaller;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

fn js(args: &str, body: &str) -> Function {
    Function::new_with_args(args, body)
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn error_name(e: &JsValue) -> String {
    String::from(e.unchecked_ref::<js_sys::Error>().name())
}

fn json_of(v: &JsValue) -> serde_json::Value {
    serde_json::from_str(&js_sys::JSON::stringify(v).unwrap().as_string().unwrap()).unwrap()
}

/// `[f, log]`: a function that records its arguments in `log` and runs `body`.
fn recording(body: &str) -> (Function, Array) {
    let log = Array::new();
    let f =
        js("log", &format!("return (...args) => {{ log.push(args); {body} }}")).call1(&JsValue::NULL, &log).unwrap();
    (f.unchecked_into(), log)
}

fn request() -> ChatRequest {
    let mut r = ChatRequest::new("explorer", vec![ChatMessage::system("be brief"), ChatMessage::user("hi")]);
    r.schema = Some(OutputSchema { name: "explorer_output".into(), schema: json!({"type": "object"}) });
    r.max_tokens = Some(64);
    r
}

fn operation(method: Method) -> Operation {
    Operation {
        id: "getUser".into(),
        name: "getUser".into(),
        parameters: vec![Parameter::new("id", Location::Path)],
        safety: Safety::from_method(method),
        ..Default::default()
    }
}

#[wasm_bindgen_test]
async fn a_host_model_gets_the_request_as_plain_json_and_its_answer_is_read() {
    let (call, log) = recording(
        "return Promise.resolve({content: '{\"q\":1}', usage: {promptTokens: 12, completionTokens: 3}, model: 'editor-model'});",
    );
    let model = HostChatModel::new(call, Cancellation::new(None).unwrap());
    let answer = model.chat(&request()).await.unwrap();
    assert_eq!(answer.content, "{\"q\":1}");
    assert_eq!((answer.usage.prompt_tokens, answer.usage.completion_tokens), (12, 3));
    assert_eq!(answer.model.as_deref(), Some("editor-model"));
    let args: Array = log.get(0).unchecked_into();
    let sent = json_of(&args.get(0));
    assert_eq!(sent["purpose"], "explorer");
    assert_eq!(sent["messages"][1], json!({"role": "user", "content": "hi"}));
    assert_eq!(sent["schema"]["name"], "explorer_output");
    assert_eq!(sent["maxTokens"], 64);
    assert_eq!(get(&get(&args.get(1), "signal"), "aborted").as_bool(), Some(false), "the run's signal is passed on");
}

#[wasm_bindgen_test]
async fn a_host_model_may_answer_with_just_a_string() {
    let (call, _) = recording("return 'plain text';");
    let answer = HostChatModel::new(call, Cancellation::new(None).unwrap()).chat(&request()).await.unwrap();
    assert_eq!((answer.content.as_str(), answer.usage.total()), ("plain text", 0));
}

#[wasm_bindgen_test]
async fn a_host_model_that_fails_gives_an_llm_host_error_with_its_message() {
    let (call, _) = recording("return Promise.reject(new Error('quota exceeded'));");
    let err = HostChatModel::new(call, Cancellation::new(None).unwrap()).chat(&request()).await.unwrap_err();
    assert_eq!(err, LlmError::Host { message: "quota exceeded".into() });
    assert_eq!(err.code(), "LlmHostError");

    let (call, _) = recording("throw new TypeError('not configured');");
    let err = HostChatModel::new(call, Cancellation::new(None).unwrap()).chat(&request()).await.unwrap_err();
    assert_eq!(err, LlmError::Host { message: "TypeError: not configured".into() });

    let (call, _) = recording("return {text: 'wrong field'};");
    let err = HostChatModel::new(call, Cancellation::new(None).unwrap()).chat(&request()).await.unwrap_err();
    assert!(matches!(&err, LlmError::Host { message } if message.contains("{content: string")), "{err:?}");
}

#[wasm_bindgen_test]
async fn cancelling_stops_waiting_for_a_host_model_at_once() {
    let (call, log) = recording("return new Promise(() => {});");
    let cancel = Cancellation::new(None).unwrap();
    let model = HostChatModel::new(call, cancel.clone());
    let req = request();
    let (result, ()) = futures::join!(model.chat(&req), async {
        let p: Promise = js("", "return new Promise(r => setTimeout(r, 20))").call0(&JsValue::NULL).unwrap().into();
        JsFuture::from(p).await.unwrap();
        cancel.cancel();
    });
    assert_eq!(result.unwrap_err(), LlmError::Cancelled);
    let args: Array = log.get(0).unchecked_into();
    assert_eq!(
        get(&get(&args.get(1), "signal"), "aborted").as_bool(),
        Some(true),
        "the host's function sees the abort"
    );
    assert_eq!(model.chat(&req).await.unwrap_err(), LlmError::Cancelled);
    assert_eq!(log.length(), 1, "nothing is asked after cancel");
}

fn allow_all() -> tooldraft::wasm::tool_host::Permits {
    Box::new(|_| Ok(()))
}

fn fixed_clock() -> Box<dyn Fn() -> f64> {
    let t = Rc::new(Cell::new(0.0));
    Box::new(move || {
        t.set(t.get() + 5.0);
        t.get()
    })
}

#[wasm_bindgen_test]
async fn a_host_tool_caller_turns_results_into_observations() {
    let (call_tool, log) = recording("return Promise.resolve({json: {id: 7, name: 'Ada'}});");
    let caller = HostToolCaller::new(call_tool, Cancellation::new(None).unwrap(), allow_all(), fixed_clock());
    let obs = caller.call(&operation(Method::Get), &json!({"id": 7})).await.unwrap();
    assert!(obs.is_success());
    assert_eq!(obs.status, Some(200));
    assert_eq!(obs.json, Some(json!({"id": 7, "name": "Ada"})));
    assert_eq!(obs.body, r#"{"id":7,"name":"Ada"}"#);
    assert_eq!(obs.body_bytes, obs.body.len() as u64);
    assert_eq!(obs.content_type.as_deref(), Some("application/json"));
    assert_eq!(obs.duration_ms, 5.0);
    assert_eq!(obs.request.url, "getUser");
    let args: Array = log.get(0).unchecked_into();
    assert_eq!(json_of(&args.get(0))["id"], "getUser");
    assert_eq!(json_of(&args.get(1)), json!({"id": 7}));

    let (call_tool, _) =
        recording("return {body: '{\"ok\":false}', isError: true, status: 422, headers: {'retry-after': '1'}};");
    let caller = HostToolCaller::new(call_tool, Cancellation::new(None).unwrap(), allow_all(), fixed_clock());
    let obs = caller.call(&operation(Method::Get), &json!({})).await.unwrap();
    assert!(!obs.is_success());
    assert_eq!((obs.status, obs.is_error), (Some(422), true));
    assert_eq!(obs.json, Some(json!({"ok": false})), "a JSON body is parsed");
    assert_eq!(obs.headers, vec![("retry-after".to_string(), "1".to_string())]);

    let (call_tool, _) = recording("return {body: 'plain'};");
    let caller = HostToolCaller::new(call_tool, Cancellation::new(None).unwrap(), allow_all(), fixed_clock());
    let obs = caller.call(&operation(Method::Get), &json!({})).await.unwrap();
    assert_eq!((obs.body.as_str(), obs.json.is_none(), obs.content_type.is_none()), ("plain", true, true));
}

#[wasm_bindgen_test]
async fn a_host_tool_caller_reports_failures_and_bad_results() {
    for (body, expect) in [
        ("return Promise.reject(new Error('tool crashed'));", "tool crashed"),
        ("return 42;", "callTool must resolve to"),
        ("return {status: 200};", "with json or body"),
    ] {
        let (call_tool, _) = recording(body);
        let caller = HostToolCaller::new(call_tool, Cancellation::new(None).unwrap(), allow_all(), fixed_clock());
        let err = caller.call(&operation(Method::Get), &json!({})).await.unwrap_err();
        assert!(matches!(&err, ToolError::Host { message } if message.contains(expect)), "{body}: {err:?}");
        assert_eq!(err.code(), "ToolHostError");
    }
}

#[wasm_bindgen_test]
async fn the_safety_policy_is_checked_before_the_host_is_called() {
    let (call_tool, log) = recording("return {json: 1};");
    let deny_writes: tooldraft::wasm::tool_host::Permits = Box::new(|op: &Operation| match op.safety_class() {
        tooldraft::doc::SafetyClass::ReadOnly => Ok(()),
        _ => Err(ToolError::Denied { reason: format!("{} is not read-only", op.id) }),
    });
    let caller = HostToolCaller::new(call_tool, Cancellation::new(None).unwrap(), deny_writes, fixed_clock());
    assert!(caller.permits(&operation(Method::Get)).is_ok());
    assert!(caller.permits(&operation(Method::Delete)).is_err());
    let err = caller.call(&operation(Method::Delete), &json!({})).await.unwrap_err();
    assert_eq!(err.code(), "PolicyDenied");
    assert_eq!(log.length(), 0, "a denied call never reaches the host");
    caller.call(&operation(Method::Get), &json!({})).await.unwrap();
    assert_eq!(log.length(), 1);
}

#[wasm_bindgen_test]
async fn a_cancelled_run_calls_no_tool() {
    let (call_tool, log) = recording("return new Promise(() => {});");
    let cancel = Cancellation::new(None).unwrap();
    let caller = HostToolCaller::new(call_tool, cancel.clone(), allow_all(), fixed_clock());
    let op = operation(Method::Get);
    let args = json!({});
    let (result, ()) = futures::join!(caller.call(&op, &args), async {
        let p: Promise = js("", "return new Promise(r => setTimeout(r, 20))").call0(&JsValue::NULL).unwrap().into();
        JsFuture::from(p).await.unwrap();
        cancel.cancel();
    });
    assert_eq!(result.unwrap_err().code(), "Aborted");
    assert_eq!(caller.call(&op, &args).await.unwrap_err().code(), "Aborted");
    assert_eq!(log.length(), 1);
}

fn config(text: &str) -> JsValue {
    let f = js("", &format!("return {text};"));
    f.call0(&JsValue::NULL).unwrap()
}

#[wasm_bindgen_test]
fn the_refiner_config_is_checked_and_defaults_are_filled_in() {
    let setup = RefinerSetup::from_js(&config(
        "{llm: {provider: 'host', call: async () => 'x'}, tools: {callTool: async () => ({json: 1}), headers: {'X-Key': 'k'}}, timeoutMs: 2500.5}",
    ))
    .unwrap();
    assert_eq!((setup.limits.max_episodes, setup.limits.concurrency), (5, 4));
    assert_eq!((setup.limits.schema_repair, setup.limits.schema_probes), (true, 3));
    assert_eq!(
        (setup.thresholds.diversity, setup.thresholds.convergence, setup.thresholds.diversity_retries),
        (None, None, 3),
        "φ and τ left unset take the embedder's calibrated values"
    );
    assert!(!setup.safety.allow_writes && !setup.safety.allow_destructive);
    assert!(setup.tools.call_tool.is_some());
    assert_eq!(setup.tools.options.headers.get("X-Key").map(String::as_str), Some("k"));
    assert_eq!(setup.timeout_ms, Some(2501));
    assert!(setup.fetch.is_none());
    assert_eq!(setup.refine_config().regression, tooldraft::refine::RegressionRules::default());
    assert_eq!(setup.refine_config().verify.queries, 2, "replay verification is on by default");

    let setup = RefinerSetup::from_js(&config(
        "{llm: {provider: 'openai', baseUrl: 'http://127.0.0.1:8080/v1', model: 'm', apiKey: 'sk-1', temperature: 0.2}, \
          safety: {allowWrites: true, allow: ['deleteUser']}, limits: {maxEpisodes: 2, only: ['a', 'b'], schemaRepair: false, schemaProbes: 1}, \
          thresholds: {convergence: 0.5}, regression: {minRetention: 0.6, enabled: false}, verify: {queries: 0}, fetch: (u, i) => fetch(u, i)}",
    ))
    .unwrap();
    assert!(
        matches!(&setup.llm, LlmSetup::Provider(tooldraft::llm::config::LlmConfig::OpenAi(o)) if o.model == "m" && o.temperature == Some(0.2))
    );
    assert!(setup.safety.allow_writes && setup.safety.allow == vec!["deleteUser".to_string()]);
    assert_eq!((setup.limits.max_episodes, setup.limits.only.len()), (2, 2));
    let engine = setup.refine_config();
    assert_eq!((engine.schema_repair, engine.schema_probes), (false, 1));
    assert_eq!(setup.thresholds.convergence, Some(0.5));
    let regression = setup.refine_config().regression;
    assert!(!regression.enabled && regression.min_retention == 0.6 && regression.echo_ngram == 4);
    assert_eq!(setup.refine_config().verify.queries, 0);
    assert!(setup.fetch.is_some());
}

#[wasm_bindgen_test]
fn a_wrong_refiner_config_names_the_field() {
    for (text, expect) in [
        ("undefined", "the config must be an object"),
        ("{}", "llm is required"),
        ("{llm: {provider: 'gpt'}}", "llm.provider must be"),
        ("{llm: {provider: 'host'}}", "llm.call is required"),
        ("{llm: {provider: 'host', call: 'nope'}}", "llm.call must be a function"),
        ("{llm: {provider: 'openai', model: 'm'}}", "base"),
        ("{llm: {provider: 'anthropic', model: 'm'}}", "api"),
        ("{llm: {provider: 'host', call: () => 1}, limits: {concurrency: 0}}", "concurrency"),
        ("{llm: {provider: 'host', call: () => 1}, thresholds: {diversity: 1.5}}", "thresholds.diversity"),
        ("{llm: {provider: 'host', call: () => 1}, timeoutMs: -1}", "timeoutMs"),
        ("{llm: {provider: 'host', call: () => 1}, regression: {echoNgram: 9}}", "regression.echoNgram"),
        ("{llm: {provider: 'host', call: () => 1}, regression: 'off'}", "regression must be an object"),
        ("{llm: {provider: 'host', call: () => 1}, tools: {callTool: 3}}", "tools.callTool must be a function"),
        ("{llm: {provider: 'host', call: () => 1}, safety: 'all'}", "safety must be an object"),
        ("{llm: {provider: 'host', call: () => 1}, verify: 2}", "verify must be an object"),
    ] {
        let e = JsRefiner::new(config(text)).err().unwrap_or_else(|| panic!("{text} was accepted"));
        let message = String::from(e.unchecked_ref::<js_sys::Error>().message());
        assert!(message.contains(expect), "{text}: {message}");
        assert!(["InvalidConfig", "InvalidArgument"].contains(&error_name(&e).as_str()), "{text}: {}", error_name(&e));
    }
}

#[wasm_bindgen_test]
async fn run_rejects_a_bad_document_or_bad_options_and_is_free_again_after() {
    let r = JsRefiner::new(config("{llm: {provider: 'host', call: async () => 'x'}}")).unwrap();
    // The engine reads no text (pkg/index.js parses it with the document module first).
    let e = JsFuture::from(r.run("{\"tools\": []}".into(), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(error_name(&e), "InvalidArgument");
    let message = String::from(e.unchecked_ref::<js_sys::Error>().message());
    assert!(message.contains("document object"), "{message}");
    let e = JsFuture::from(r.run(JsValue::from_f64(3.0), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(error_name(&e), "InvalidArgument");
    let e = JsFuture::from(r.run(to_js(&tooldraft::doc::ToolDoc::default()).unwrap(), config("{onEvent: 1}")))
        .await
        .unwrap_err();
    assert_eq!(error_name(&e), "InvalidArgument");
    let e = JsFuture::from(
        r.run(to_js(&tooldraft::doc::ToolDoc::default()).unwrap(), config("{signal: AbortSignal.abort()}")),
    )
    .await
    .unwrap_err();
    assert_eq!(error_name(&e), "Aborted");
    assert!(!r.running(), "a settled run leaves the Refiner idle");
    r.cancel(); // idle: nothing to do, no error
}

#[wasm_bindgen_test]
fn events_reach_on_event_in_order_and_a_throwing_callback_is_ignored() {
    let (on_event, log) = recording("");
    let sink = EventSink::new(Some(on_event));
    sink.emit(&Event::OperationStarted { operation: "a".into() });
    sink.emit(&Event::RunFinished { cancelled: false });
    assert_eq!(log.length(), 2);
    assert_eq!(json_of(&Array::from(&log.get(0)).get(0)), json!({"type": "operationStarted", "operation": "a"}));
    assert_eq!(json_of(&Array::from(&log.get(1)).get(0)), json!({"type": "runFinished", "cancelled": false}));
    let (throwing, log) = recording("throw new Error('ui crashed');");
    let sink = EventSink::new(Some(throwing));
    sink.emit(&Event::Checkpoint { step: 1 });
    sink.emit(&Event::Checkpoint { step: 2 });
    assert_eq!(log.length(), 2, "every event is still delivered");
    EventSink::new(None).emit(&Event::Checkpoint { step: 3 });
}
