//! The `Refiner` class: `new Refiner(config)`, then `run(doc, {signal, onEvent,
//! onCheckpoint, resume})` → `Promise<{doc, text, report, state}>`, and `cancel()`.
//!
//! The class holds only its parsed configuration and the current run's stop switch, each
//! behind an `Rc`; `run` clones what it needs into the Promise's future and never holds a
//! `RefCell` borrow (or `&self`) across an `.await`, so `cancel()` works while a run is going.
//! Events leave through `onEvent` one by one, in order; a callback that throws is ignored
//! (the run goes on).
//!
//! ```ignore
//! // JS: const r = new Refiner({llm: {provider: 'host', call}, tools: {callTool}});
//! //     const {doc, report} = await r.run(text, {signal, onEvent: e => console.log(e.type)});
//! ```

use super::convert::{from_js, function_property, property, to_js, without_functions};
use super::error::{js_error, to_js_error};
use super::host::{Cancellation, JsHost};
use super::llm_host::HostChatModel;
use super::tool_host::HostToolCaller;
use crate::doc::{formats, ToolDoc};
use crate::host::Host;
use crate::llm::ChatModel;
use crate::refine::Event;
use crate::tools::ToolCaller;
use js_sys::{Function, Promise};
use serde::Deserialize;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// An OpenAI-compatible endpoint (`llm.provider = 'openai'`). No `Debug`: it holds a key.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenAiOptions {
    pub base_url: String,
    pub model: String,
    #[serde(default)]
    pub api_key: Option<String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub temperature: Option<f64>,
    #[serde(default)]
    pub max_tokens: Option<u32>,
}

/// The Anthropic Messages API (`llm.provider = 'anthropic'`). No `Debug`: it holds a key.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnthropicOptions {
    #[serde(default)]
    pub base_url: Option<String>,
    pub model: String,
    pub api_key: String,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub temperature: Option<f64>,
    #[serde(default)]
    pub max_tokens: Option<u32>,
}

/// Where the model's answers come from.
#[derive(Clone)]
pub enum LlmSetup {
    Host { call: Function },
    OpenAi(OpenAiOptions),
    Anthropic(AnthropicOptions),
}

/// Where tool calls go (`tools`). No `Debug`: headers may hold credentials.
#[derive(Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolsOptions {
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default)]
    pub mcp_url: Option<String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(skip)]
    pub call_tool: Option<Function>,
}

/// What the safety policy allows beyond read-only calls (`safety`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SafetyOptions {
    #[serde(default)]
    pub allow_writes: bool,
    #[serde(default)]
    pub allow_destructive: bool,
    /// Operation ids allowed whatever their class.
    #[serde(default)]
    pub allow: Vec<String>,
}

/// How much a run may do (`limits`).
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    #[serde(default = "default_max_episodes")]
    pub max_episodes: usize,
    #[serde(default = "default_concurrency")]
    pub concurrency: usize,
    #[serde(default)]
    pub budget_calls: Option<usize>,
    #[serde(default)]
    pub budget_calls_per_operation: Option<usize>,
    #[serde(default)]
    pub only: Vec<String>,
}

/// DRAFT's thresholds (`thresholds`): φ for diversity, τ for convergence.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Thresholds {
    #[serde(default = "default_diversity")]
    pub diversity: f64,
    #[serde(default = "default_convergence")]
    pub convergence: f64,
    #[serde(default = "default_diversity_retries")]
    pub diversity_retries: usize,
}

fn default_max_episodes() -> usize {
    5
}
fn default_concurrency() -> usize {
    4
}
fn default_diversity() -> f64 {
    0.9
}
fn default_convergence() -> f64 {
    0.75
}
fn default_diversity_retries() -> usize {
    3
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_episodes: default_max_episodes(),
            concurrency: default_concurrency(),
            budget_calls: None,
            budget_calls_per_operation: None,
            only: Vec::new(),
        }
    }
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            diversity: default_diversity(),
            convergence: default_convergence(),
            diversity_retries: default_diversity_retries(),
        }
    }
}

/// A whole `RefinerConfig`, checked.
#[derive(Clone)]
pub struct RefinerSetup {
    pub llm: LlmSetup,
    pub tools: ToolsOptions,
    pub safety: SafetyOptions,
    pub limits: Limits,
    pub thresholds: Thresholds,
    pub fetch: Option<Function>,
    pub timeout_ms: Option<u64>,
}

fn invalid(message: String) -> JsValue {
    js_error("InvalidConfig", &message)
}

fn section<T: for<'de> Deserialize<'de> + Default>(config: &JsValue, name: &str) -> Result<T, JsValue> {
    match property(config, name)? {
        None => Ok(T::default()),
        Some(v) if v.is_object() => from_js(without_functions(&v)?, name),
        Some(_) => Err(invalid(format!("{name} must be an object"))),
    }
}

impl RefinerSetup {
    /// Reads and checks a JS `RefinerConfig`.
    pub fn from_js(config: &JsValue) -> Result<RefinerSetup, JsValue> {
        if !config.is_object() {
            return Err(invalid("the config must be an object with at least `llm`".into()));
        }
        let llm = property(config, "llm")?.ok_or_else(|| invalid("llm is required".into()))?;
        let provider = property(&llm, "provider")?.and_then(|p| p.as_string()).unwrap_or_default();
        let llm = match provider.as_str() {
            "host" => LlmSetup::Host {
                call: function_property(&llm, "call", "llm.call")?
                    .ok_or_else(|| invalid("llm.call is required with provider 'host'".into()))?,
            },
            "openai" => LlmSetup::OpenAi(from_js(without_functions(&llm)?, "llm")?),
            "anthropic" => LlmSetup::Anthropic(from_js(without_functions(&llm)?, "llm")?),
            other => {
                return Err(invalid(format!("llm.provider must be 'openai', 'anthropic' or 'host', not '{other}'")))
            }
        };
        let mut tools: ToolsOptions = section(config, "tools")?;
        if let Some(t) = property(config, "tools")? {
            tools.call_tool = function_property(&t, "callTool", "tools.callTool")?;
        }
        let limits: Limits = section(config, "limits")?;
        let thresholds: Thresholds = section(config, "thresholds")?;
        if limits.max_episodes == 0 || limits.concurrency == 0 {
            return Err(invalid("limits.maxEpisodes and limits.concurrency must be at least 1".into()));
        }
        for (name, v) in [("diversity", thresholds.diversity), ("convergence", thresholds.convergence)] {
            if !(0.0..=1.0).contains(&v) {
                return Err(invalid(format!("thresholds.{name} must be between 0 and 1")));
            }
        }
        let timeout_ms = match property(config, "timeoutMs")? {
            None => None,
            Some(v) => match v.as_f64() {
                Some(ms) if ms.is_finite() && ms > 0.0 => Some(ms.ceil() as u64),
                _ => return Err(invalid("timeoutMs must be a positive number".into())),
            },
        };
        Ok(RefinerSetup {
            llm,
            tools,
            safety: section(config, "safety")?,
            limits,
            thresholds,
            fetch: function_property(config, "fetch", "fetch")?,
            timeout_ms,
        })
    }
}

/// The options of one `run`.
pub struct RunOptions {
    pub signal: Option<JsValue>,
    pub on_event: Option<Function>,
    pub on_checkpoint: Option<Function>,
    pub resume: Option<JsValue>,
}

impl RunOptions {
    fn from_js(options: &JsValue) -> Result<RunOptions, JsValue> {
        if !options.is_undefined() && !options.is_null() && !options.is_object() {
            return Err(js_error("InvalidArgument", "run options must be an object"));
        }
        Ok(RunOptions {
            signal: property(options, "signal")?,
            on_event: function_property(options, "onEvent", "onEvent")?,
            on_checkpoint: function_property(options, "onCheckpoint", "onCheckpoint")?,
            resume: property(options, "resume")?,
        })
    }
}

/// Hands events to `onEvent`, in order. A callback that throws does not stop the run.
pub struct EventSink {
    on_event: Option<Function>,
}

impl EventSink {
    pub fn new(on_event: Option<Function>) -> EventSink {
        EventSink { on_event }
    }

    /// Sends one event.
    pub fn emit(&self, event: &Event) {
        if let (Some(f), Ok(value)) = (&self.on_event, to_js(event)) {
            let _ = f.call1(&JsValue::UNDEFINED, &value);
        }
    }
}

/// Reads `run`'s document: text (any format, detected) or a document object.
fn read_doc(doc: JsValue) -> Result<ToolDoc, JsValue> {
    if let Some(text) = doc.as_string() {
        return formats::import(&text, None).map_err(|e| to_js_error(&e));
    }
    if doc.is_object() {
        return from_js(doc, "doc");
    }
    Err(js_error("InvalidArgument", "doc must be the document's text or a document object"))
}

/// Everything one run needs, assembled from the config and the run's options.
#[allow(dead_code)] // WIRE: every field is read by the engine call in `run`.
struct RunParts {
    doc: ToolDoc,
    host: Rc<JsHost>,
    model: Rc<dyn ChatModel>,
    caller: Option<Rc<dyn ToolCaller>>,
    events: EventSink,
    on_checkpoint: Option<Function>,
    resume: Option<JsValue>,
    setup: Rc<RefinerSetup>,
}

fn unsupported(what: &str) -> JsValue {
    js_error("Unsupported", &format!("{what} is not wired into this build yet"))
}

/// Clears the Refiner's running slot when the run ends, however it ends.
struct Running(Rc<RefCell<Option<Cancellation>>>);

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(mut slot) = self.0.try_borrow_mut() {
            *slot = None;
        }
    }
}

async fn run(
    setup: Rc<RefinerSetup>,
    slot: Rc<RefCell<Option<Cancellation>>>,
    doc: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let options = RunOptions::from_js(&options)?;
    let doc = read_doc(doc)?;
    let cancel = Cancellation::new(options.signal.clone())?;
    {
        let mut current = slot.borrow_mut();
        if current.is_some() {
            return Err(js_error("Busy", "this Refiner is already running; wait for run() to settle or cancel it"));
        }
        *current = Some(cancel.clone());
    }
    let _running = Running(slot);
    if cancel.is_cancelled() {
        return Err(to_js_error(&crate::host::HostError::Aborted));
    }
    let host = Rc::new(JsHost::new(setup.fetch.clone(), cancel.clone(), setup.timeout_ms));
    let model: Rc<dyn ChatModel> = match &setup.llm {
        LlmSetup::Host { call } => Rc::new(HostChatModel::new(call.clone(), cancel.clone())),
        // WIRE: Rc::new(crate::llm::OpenAiCompatible::new(host.clone() as Rc<dyn Host>, options…))
        LlmSetup::OpenAi(_) => return Err(unsupported("the 'openai' llm provider")),
        // WIRE: Rc::new(crate::llm::Anthropic::new(host.clone() as Rc<dyn Host>, options…))
        LlmSetup::Anthropic(_) => return Err(unsupported("the 'anthropic' llm provider")),
    };
    let caller: Option<Rc<dyn ToolCaller>> = match &setup.tools.call_tool {
        Some(call_tool) => {
            let clock_host = host.clone();
            // WIRE: permits = the SafetyPolicy built from setup.safety and setup.limits.
            let permits: super::tool_host::Permits = Box::new(|_operation| Ok(()));
            Some(Rc::new(HostToolCaller::new(
                call_tool.clone(),
                cancel.clone(),
                permits,
                Box::new(move || clock_host.now_ms()),
            )))
        }
        // WIRE: tools.mcpUrl → McpToolCaller, tools.baseUrl (or the doc's base URL) →
        // HttpToolCaller, both over `host` and guarded by the SafetyPolicy.
        None => None,
    };
    let parts = RunParts {
        doc,
        host,
        model,
        caller,
        events: EventSink::new(options.on_event),
        on_checkpoint: options.on_checkpoint,
        resume: options.resume,
        setup,
    };
    // WIRE: build crate::refine::Refiner from `parts`, run it (events → parts.events.emit,
    // each checkpoint → parts.on_checkpoint with the RunState as JS), then resolve with
    // {doc, text: formats::export(&doc, doc.format).text, report, state}.
    let _ = parts;
    Err(unsupported("the refinement engine"))
}

/// Refines a document's tool docs by letting a model use the tool (see the module docs).
#[wasm_bindgen(js_name = Refiner)]
pub struct JsRefiner {
    setup: Rc<RefinerSetup>,
    running: Rc<RefCell<Option<Cancellation>>>,
}

#[wasm_bindgen(js_class = Refiner)]
impl JsRefiner {
    /// Checks the config; throws `InvalidConfig` naming the field that is wrong.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<JsRefiner, JsValue> {
        Ok(JsRefiner { setup: Rc::new(RefinerSetup::from_js(&config)?), running: Rc::new(RefCell::new(None)) })
    }

    /// Runs the refinement; resolves with `{doc, text, report, state}`.
    pub fn run(&self, doc: JsValue, options: JsValue) -> Promise {
        future_to_promise(run(self.setup.clone(), self.running.clone(), doc, options))
    }

    /// Stops the current run (as its `AbortSignal` would); does nothing when idle.
    pub fn cancel(&self) {
        let current = self.running.borrow().clone();
        if let Some(c) = current {
            c.cancel();
        }
    }

    /// True while a run is going.
    #[wasm_bindgen(getter)]
    pub fn running(&self) -> bool {
        self.running.borrow().is_some()
    }
}
