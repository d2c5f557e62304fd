//! The `Refiner` class: `new Refiner(config)`, then `run(doc, {signal, onEvent,
//! onCheckpoint, resume})` → `Promise<{doc, report, state}>`, and `cancel()`. The document
//! is an object (as `parseDoc` returns it): the engine module reads and writes no format, so
//! `pkg/index.js` parses a text first and adds the refined document's `text` afterwards.
//!
//! The class holds only its parsed configuration and the current run's stop switch, each
//! behind an `Rc`; `run` clones what it needs into the Promise's future and never holds a
//! `RefCell` borrow (or `&self`) across an `.await`, so `cancel()` works while a run is going.
//! Events leave through `onEvent` one by one, in order; a callback that throws is ignored
//! (the run goes on).
//!
//! ```ignore
//! // JS: const r = new Refiner({llm: {provider: 'host', call}, tools: {callTool}});
//! //     const {doc, report} = await r.run(parseDoc(text), {signal, onEvent: e => console.log(e.type)});
//! ```

use super::convert::{from_js, function_property, property, to_js};
use super::error::{js_error, to_js_error};
use super::host::{Cancellation, JsHost};
use super::setup::RefinerSetup;
use crate::doc::ToolDoc;
use crate::refine::{Checkpoint, Event, Refiner, RunOptions as EngineOptions, RunState};
use js_sys::{Function, Promise};
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

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
        super::convert::notify(self.on_event.as_ref(), event);
    }
}

/// Reads an engine function's document: an object as `parseDoc` returns it (the engine module
/// reads no text; `pkg/index.js` parses texts with the document module first). `what` names
/// the argument in the error.
pub fn read_doc(doc: JsValue, what: &str) -> Result<ToolDoc, JsValue> {
    if doc.is_object() && !js_sys::Array::is_array(&doc) {
        return from_js(doc, what);
    }
    Err(js_error("InvalidArgument", &format!("{what} must be a document object (as parseDoc returns it)")))
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

/// What `run` resolves to (`pkg/index.js` adds the refined document's `text` in the input's
/// format, `lost` and `exportError`).
#[derive(Serialize)]
struct RunResult<'a> {
    doc: &'a ToolDoc,
    report: &'a crate::refine::RunReport,
    state: &'a RunState,
}

async fn run(
    setup: Rc<RefinerSetup>,
    slot: Rc<RefCell<Option<Cancellation>>>,
    doc: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let options = RunOptions::from_js(&options)?;
    let doc = read_doc(doc, "doc")?;
    let resume: Option<RunState> = match options.resume {
        Some(v) if !v.is_undefined() && !v.is_null() => Some(from_js(v, "resume")?),
        _ => None,
    };
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
    let model = setup.model(&host, &cancel);
    let caller = setup.tool_caller(&host, &cancel)?.ok_or_else(|| {
        js_error(
            "NoToolTarget",
            "no tool target: set tools.mcpUrl (an MCP server), tools.baseUrl (an HTTP API) or tools.callTool",
        )
    })?;
    let embedder = setup.embeddings.embedder(&host, &cancel);
    let engine = Refiner::new(model, caller, host, embedder, setup.refine_config());
    let events = EventSink::new(options.on_event);
    let on_event = |e: &Event| events.emit(e);
    let on_checkpoint_fn = options.on_checkpoint;
    let on_checkpoint = |c: &Checkpoint<'_>| {
        if let (Some(f), Ok(state)) = (&on_checkpoint_fn, to_js(c.state)) {
            let _ = f.call1(&JsValue::UNDEFINED, &state);
        }
    };
    let engine_options = EngineOptions {
        resume,
        on_event: Some(&on_event),
        on_checkpoint: if on_checkpoint_fn.is_some() { Some(&on_checkpoint) } else { None },
    };
    let output = engine.run(&doc, engine_options).await.map_err(|e| js_error(e.code(), &e.to_string()))?;
    to_js(&RunResult { doc: &output.doc, report: &output.report, state: &output.state })
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

    /// Runs the refinement; resolves with `{doc, report, state}`.
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
