//! Scripted model and tools, a virtual-time host, and a driver that runs a future to the end
//! advancing the virtual clock whenever everything waits.

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{json, Value};
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use tooldraft::doc::{Operation, ToolDoc};
use tooldraft::host::{Host, HostError, HttpRequest, HttpResponse};
use tooldraft::llm::{ChatModel, ChatRequest, ChatResponse, LlmError, Usage};
use tooldraft::refine::{Checkpoint, Event, RefineConfig, Refiner, RunOptions, RunOutput, RunState};
use tooldraft::tools::{Observation, RecordedRequest, ToolCaller, ToolError};

/// A host with a virtual clock (sleeps register timers the driver fires), seeded randomness
/// and a cancel flag.
pub struct TestHost {
    clock: Cell<f64>,
    seed: Cell<u64>,
    cancelled: Cell<bool>,
    timers: RefCell<Vec<(f64, Waker)>>,
}

impl Default for TestHost {
    fn default() -> Self {
        TestHost {
            clock: Cell::new(0.0),
            seed: Cell::new(0x9e37_79b9_7f4a_7c15),
            cancelled: Cell::new(false),
            timers: RefCell::new(Vec::new()),
        }
    }
}

impl TestHost {
    pub fn cancel(&self) {
        self.cancelled.set(true);
    }
    pub fn uncancel(&self) {
        self.cancelled.set(false);
    }
    fn next_deadline(&self) -> Option<f64> {
        self.timers.borrow().iter().map(|(d, _)| *d).min_by(f64::total_cmp)
    }
    fn advance_to(&self, t: f64) {
        self.clock.set(t);
        let due: Vec<Waker> = {
            let mut timers = self.timers.borrow_mut();
            let (due, keep): (Vec<_>, Vec<_>) = timers.drain(..).partition(|(d, _)| *d <= t);
            *timers = keep;
            due.into_iter().map(|(_, w)| w).collect()
        };
        due.into_iter().for_each(Waker::wake);
    }
}

struct Sleep<'a> {
    host: &'a TestHost,
    deadline: f64,
}

impl Future for Sleep<'_> {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.host.clock.get() >= self.deadline {
            Poll::Ready(())
        } else {
            self.host.timers.borrow_mut().push((self.deadline, cx.waker().clone()));
            Poll::Pending
        }
    }
}

#[async_trait(?Send)]
impl Host for TestHost {
    async fn fetch(&self, _: HttpRequest) -> Result<HttpResponse, HostError> {
        Err(HostError::Network { message: "no network in these tests".into() })
    }
    async fn sleep(&self, ms: u64) {
        Sleep { host: self, deadline: self.clock.get() + ms as f64 }.await
    }
    fn now_ms(&self) -> f64 {
        self.clock.get()
    }
    fn random(&self) -> f64 {
        let mut x = self.seed.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.seed.set(x);
        (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
    fn cancelled(&self) -> bool {
        self.cancelled.get()
    }
}

/// Polls `fut` to completion; whenever it waits, jumps the virtual clock to the next timer.
pub fn drive<F: Future>(host: &TestHost, fut: F) -> F::Output {
    let mut fut = std::pin::pin!(fut);
    let waker = futures::task::noop_waker();
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
        let next = host.next_deadline().expect("the run waits for nothing: a deadlock");
        host.advance_to(next);
    }
}

type ModelFallback = Box<dyn Fn(&ChatRequest) -> Result<String, LlmError>>;
type ToolFallback = Box<dyn Fn(&Operation, &Value) -> ToolReply>;

/// Answers by `<operation name>/<purpose>` (the operation is read from the prompt's
/// "Operation: NAME" line; the summarizer's key is `<tool>/summarizer`), then by purpose,
/// each from a queue; then from the fallback.
#[derive(Default)]
pub struct ScriptedModel {
    queues: RefCell<HashMap<String, VecDeque<String>>>,
    fallback: Option<ModelFallback>,
    pub calls: Cell<usize>,
    pub log: RefCell<Vec<ChatRequest>>,
    pub delay: Option<(Rc<TestHost>, u64)>,
}

pub fn operation_of(r: &ChatRequest) -> Option<String> {
    let text = &r.messages.iter().find(|m| m.content.contains("Operation: "))?.content;
    let i = text.find("Operation: ")?;
    let rest = &text[i + "Operation: ".len()..];
    let end = rest.find([' ', '\n']).unwrap_or(rest.len());
    Some(rest[..end].to_string())
}

fn tool_of(r: &ChatRequest) -> Option<String> {
    let text = &r.messages.iter().find(|m| m.content.contains("Tool: "))?.content;
    let i = text.find("Tool: ")?;
    let rest = &text[i + "Tool: ".len()..];
    Some(rest[..rest.find('\n').unwrap_or(rest.len())].to_string())
}

impl ScriptedModel {
    pub fn new(script: &HashMap<String, Vec<Value>>) -> Self {
        let m = ScriptedModel::default();
        for (k, vs) in script {
            m.push_all(k, vs.iter().map(|v| if let Value::String(s) = v { s.clone() } else { v.to_string() }));
        }
        m
    }
    pub fn with_fallback(mut self, f: impl Fn(&ChatRequest) -> Result<String, LlmError> + 'static) -> Self {
        self.fallback = Some(Box::new(f));
        self
    }
    pub fn push(&self, key: &str, reply: Value) {
        self.push_all(key, std::iter::once(reply.to_string()));
    }
    pub fn push_all(&self, key: &str, replies: impl IntoIterator<Item = String>) {
        self.queues.borrow_mut().entry(key.to_string()).or_default().extend(replies);
    }
    pub fn remaining(&self) -> usize {
        self.queues.borrow().values().map(VecDeque::len).sum()
    }
    fn next(&self, r: &ChatRequest) -> Result<String, LlmError> {
        let owner = if r.purpose == "summarizer" { tool_of(r) } else { operation_of(r) };
        let mut q = self.queues.borrow_mut();
        if let Some(o) = owner {
            if let Some(v) = q.get_mut(&format!("{o}/{}", r.purpose)).and_then(VecDeque::pop_front) {
                return Ok(v);
            }
        }
        if let Some(v) = q.get_mut(&r.purpose).and_then(VecDeque::pop_front) {
            return Ok(v);
        }
        drop(q);
        match &self.fallback {
            Some(f) => f(r),
            None => Err(LlmError::Host {
                message: format!("the script has no reply for {:?} of {:?}", r.purpose, operation_of(r)),
            }),
        }
    }
}

#[async_trait(?Send)]
impl ChatModel for ScriptedModel {
    async fn chat(&self, r: &ChatRequest) -> Result<ChatResponse, LlmError> {
        self.calls.set(self.calls.get() + 1);
        self.log.borrow_mut().push(r.clone());
        if let Some((h, ms)) = &self.delay {
            h.sleep(*ms).await;
        }
        let content = self.next(r)?;
        let prompt_tokens = r.messages.iter().map(|m| m.content.len() as u64 / 4).sum();
        Ok(ChatResponse {
            content: content.clone(),
            usage: Usage { prompt_tokens, completion_tokens: content.len() as u64 / 4 },
            model: Some("scripted".into()),
        })
    }
}

/// A scripted tool response.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolReply {
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub body: Value,
    /// A transport failure instead of a response.
    #[serde(default)]
    pub fail: Option<String>,
}

/// Answers each operation from its queue (keyed by operation id), then from the fallback.
#[derive(Default)]
pub struct ScriptedTools {
    queues: RefCell<HashMap<String, VecDeque<ToolReply>>>,
    fallback: Option<ToolFallback>,
    pub deny: Vec<String>,
    pub calls: Cell<usize>,
    pub log: RefCell<Vec<(String, Value)>>,
    pub delay: Option<(Rc<TestHost>, u64)>,
}

impl ScriptedTools {
    pub fn new(script: &HashMap<String, Vec<ToolReply>>) -> Self {
        let t = ScriptedTools::default();
        for (k, v) in script {
            t.queues.borrow_mut().insert(k.clone(), v.iter().cloned().collect());
        }
        t
    }
    pub fn with_fallback(mut self, f: impl Fn(&Operation, &Value) -> ToolReply + 'static) -> Self {
        self.fallback = Some(Box::new(f));
        self
    }
}

pub fn observation(op: &Operation, args: &Value, reply: &ToolReply) -> Observation {
    let body = match &reply.body {
        Value::String(s) => s.clone(),
        v => v.to_string(),
    };
    let json = serde_json::from_str::<Value>(&body).ok();
    let query: Vec<String> = args
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())))
                .collect()
        })
        .unwrap_or_default();
    let path = op.http.as_ref().map(|h| h.path.clone()).unwrap_or_else(|| format!("/{}", op.name));
    let status = reply.status.unwrap_or(200);
    Observation {
        request: RecordedRequest {
            method: op.http.as_ref().map(|h| h.method.as_str()).unwrap_or("POST").into(),
            url: format!("http://127.0.0.1:9/api{path}{}{}", if query.is_empty() { "" } else { "?" }, query.join("&")),
            headers: vec![],
            body: None,
        },
        status: Some(status),
        content_type: Some(if json.is_some() { "application/json" } else { "text/plain" }.into()),
        headers: vec![],
        body_bytes: body.len() as u64,
        body,
        json,
        truncated: false,
        is_error: status >= 400,
        duration_ms: 5.0,
    }
}

#[async_trait(?Send)]
impl ToolCaller for ScriptedTools {
    fn permits(&self, op: &Operation) -> Result<(), ToolError> {
        if self.deny.contains(&op.id) {
            return Err(ToolError::Denied { reason: format!("{} is destructive and writes are not allowed", op.id) });
        }
        Ok(())
    }
    async fn call(&self, op: &Operation, args: &Value) -> Result<Observation, ToolError> {
        self.calls.set(self.calls.get() + 1);
        self.log.borrow_mut().push((op.id.clone(), args.clone()));
        if let Some((h, ms)) = &self.delay {
            h.sleep(*ms).await;
        }
        let popped = self.queues.borrow_mut().get_mut(&op.id).and_then(VecDeque::pop_front);
        let reply = match (popped, &self.fallback) {
            (Some(r), _) => r,
            (None, Some(f)) => f(op, args),
            (None, None) => {
                return Err(ToolError::Host { message: format!("the script has no response for {}", op.id) })
            }
        };
        if let Some(m) = &reply.fail {
            return Err(ToolError::Transport {
                endpoint: "http://127.0.0.1:9".into(),
                source: HostError::Network { message: m.clone() },
            });
        }
        Ok(observation(op, args, &reply))
    }
}

/// A recorded scenario: the document, the model's replies and the tool's responses.
#[derive(Deserialize)]
pub struct Scenario {
    pub doc: ToolDoc,
    #[serde(default)]
    pub config: Option<RefineConfig>,
    pub model: HashMap<String, Vec<Value>>,
    pub tools: HashMap<String, Vec<ToolReply>>,
}

pub fn scenario(json: &str) -> Scenario {
    serde_json::from_str(json).expect("the scenario fixture parses")
}

/// Everything a run needs, scripted.
pub struct Rig {
    pub host: Rc<TestHost>,
    pub model: Rc<ScriptedModel>,
    pub tools: Rc<ScriptedTools>,
    pub config: RefineConfig,
}

impl Rig {
    pub fn from_scenario(s: &Scenario) -> Rig {
        Rig {
            host: Rc::new(TestHost::default()),
            model: Rc::new(ScriptedModel::new(&s.model)),
            tools: Rc::new(ScriptedTools::new(&s.tools)),
            config: s.config.clone().unwrap_or_default(),
        }
    }
    pub fn refiner(&self) -> Refiner {
        Refiner::new(self.model.clone(), self.tools.clone(), self.host.clone(), None, self.config.clone())
    }
    /// Runs to the end, collecting events.
    pub fn run(&self, doc: &ToolDoc, resume: Option<RunState>) -> (RunOutput, Vec<Event>) {
        let events = RefCell::new(Vec::new());
        let on_event = |e: &Event| events.borrow_mut().push(e.clone());
        let refiner = self.refiner();
        let out =
            drive(&self.host, refiner.run(doc, RunOptions { resume, on_event: Some(&on_event), on_checkpoint: None }))
                .expect("the run starts");
        (out, events.into_inner())
    }
    /// Runs until checkpoint `k`, "kills" the run there and returns the state saved at `k`
    /// (None when the run finished before `k`).
    pub fn run_until(&self, doc: &ToolDoc, resume: Option<RunState>, k: usize) -> Option<RunState> {
        let saved: RefCell<Option<RunState>> = RefCell::new(None);
        let host = self.host.clone();
        let on_checkpoint = |c: &Checkpoint<'_>| {
            if c.step == k && saved.borrow().is_none() {
                *saved.borrow_mut() = Some(c.state.clone());
                host.cancel();
            }
        };
        let refiner = self.refiner();
        drive(&self.host, refiner.run(doc, RunOptions { resume, on_event: None, on_checkpoint: Some(&on_checkpoint) }))
            .expect("the run starts");
        self.host.uncancel();
        saved.into_inner()
    }
}

/// Counts events of a kind.
pub fn count(events: &[Event], f: impl Fn(&Event) -> bool) -> usize {
    events.iter().filter(|e| f(e)).count()
}

/// A JSON reply for the explorer.
pub fn explore(query: &str, arguments: Value) -> Value {
    json!({"query": query, "arguments": arguments})
}

/// A JSON reply for the rewriter.
pub fn rewrite(description: &str, parameters: Value, direction: &str) -> Value {
    json!({"description": description, "parameters": parameters, "nextDirection": direction})
}

/// Asserts two values serialise to the same JSON, showing the first differing line.
pub fn same_json<T: serde::Serialize>(a: &T, b: &T, what: &str) {
    let (a, b) = (serde_json::to_string_pretty(a).unwrap(), serde_json::to_string_pretty(b).unwrap());
    if a != b {
        let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
        let i = la.iter().zip(&lb).position(|(x, y)| x != y).unwrap_or(la.len().min(lb.len()));
        let from = i.saturating_sub(8);
        panic!(
            "{what} differs at line {i}:\n--- got\n{}\n--- expected\n{}",
            la[from..(i + 30).min(la.len())].join("\n"),
            lb[from..(i + 30).min(lb.len())].join("\n")
        );
    }
}

/// Varied user queries, so that generic explorers pass the diversity check.
pub const QUERIES: [&str; 6] = [
    "What is the status of order 1842 placed yesterday in Lyon?",
    "Show me every invoice above 300 euros from March",
    "Could you list the three newest users who signed up from Canada?",
    "I need the shipping label for parcel 77-B going to Hamburg",
    "Which warehouse in Texas still has blue umbrellas in stock?",
    "Cancel my dentist appointment next Tuesday at 9",
];

/// A model that answers every role sensibly for any operation: queries from [`QUERIES`] in
/// turn (per operation), arguments from the parameters' first enum value or "x", a rewrite
/// that grows by one sentence per episode.
pub fn generic_model() -> ScriptedModel {
    let counters: RefCell<HashMap<String, usize>> = RefCell::new(HashMap::new());
    ScriptedModel::default().with_fallback(move |r| {
        let op = operation_of(r).unwrap_or_default();
        let n = {
            let mut c = counters.borrow_mut();
            let e = c.entry(format!("{op}/{}", r.purpose)).or_default();
            *e += 1;
            *e
        };
        let v = match r.purpose.as_str() {
            "explorer" => json!({"query": QUERIES[(n - 1) % QUERIES.len()], "arguments": {}}),
            "analyzer" => json!({"mismatches": [], "missing": [format!("detail {n}")], "suggestions": [format!("Add detail {n}.")]}),
            "rewriter" => {
                let extra: Vec<String> = (1..=n).map(|i| format!("Detail number {i} about {op} is documented here.")).collect();
                json!({"description": format!("{op} does its job. {}", extra.join(" ")), "parameters": {}, "nextDirection": format!("Explore aspect {n}.")})
            }
            "caller" => json!({"arguments": {}}),
            _ => json!({"description": "A service of several operations, each answering ok with its details."}),
        };
        Ok(v.to_string())
    })
}

/// Tools that answer every call with 200 and a small JSON body naming the operation and the
/// details [`generic_model`]'s rewrites mention (a rewrite must add what a call showed).
pub fn generic_tools() -> ScriptedTools {
    ScriptedTools::default().with_fallback(|op, _| ToolReply {
        status: Some(200),
        body: json!({"operation": op.id, "ok": true, "details": [1, 2, 3, 4, 5, 6, 7, 8]}),
        fail: None,
    })
}

/// A document of `n` operations without parameters in one tool.
pub fn simple_doc(n: usize) -> ToolDoc {
    let ops: Vec<Value> = (0..n)
        .map(|i| json!({"id": format!("op{i}"), "name": format!("op{i}"), "description": format!("Operation {i}."), "parameters": []}))
        .collect();
    serde_json::from_value(
        json!({"format": "mcp", "tools": [{"name": "svc", "description": "A service.", "operations": ops}]}),
    )
    .unwrap()
}
