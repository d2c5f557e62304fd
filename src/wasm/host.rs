//! The core's [`Host`] in JavaScript: HTTP through `fetch` (the global one, looked up on
//! `globalThis` so it works in a page, a Worker, Node 20+ and extension hosts, or one the
//! caller injects), per-request timeouts, and run-level cancellation. The browser types are
//! web-sys's (`RequestInit`, `Response`, `Headers`, `AbortController`, `AbortSignal`), taken
//! with `unchecked_into` so polyfills and objects from another realm work as well.
//!
//! A [`Cancellation`] is one run's stop switch: an internal `AbortController` that the
//! caller's `AbortSignal` and [`Cancellation::cancel`] both trip. Every request in flight
//! listens to it, as does every sleep and every call into a host function, so a cancel is
//! felt at once everywhere. Nothing here uses `Closure::forget`: listeners are bound JS
//! functions, removed when the request (or the run) is over.
//!
//! ```ignore
//! let cancel = Cancellation::new(signal_from_js)?;
//! let host = JsHost::new(None, cancel.clone(), Some(30_000));
//! let resp = host.fetch(HttpRequest::new(Method::Get, "http://127.0.0.1:8081/get")).await?;
//! ```

use super::error::describe;
use crate::host::{Host, HostError, HttpRequest, HttpResponse};
use async_trait::async_trait;
use js_sys::{Array, Function, Promise, Reflect, Uint8Array};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, Headers, RequestInit, RequestRedirect, Response};

#[wasm_bindgen]
extern "C" {
    // Timers are globals of every JS environment we support, but web-sys binds them only as
    // methods of `Window` and `WorkerGlobalScope`, neither of which Node has.
    #[wasm_bindgen(js_namespace = globalThis, js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_namespace = globalThis, js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// The reason a request's own controller is aborted with when its timer fires.
const TIMEOUT_REASON: &str = "tooldraft:timeout";
/// The reason a request's own controller is aborted with when the run is cancelled.
const CANCEL_REASON: &str = "tooldraft:cancelled";

/// `controller.abort(reason)` as a JS function, to hand to timers and listeners.
fn abort_function(controller: &AbortController, reason: &str) -> Result<Function, JsValue> {
    let abort: Function = Reflect::get(controller, &JsValue::from_str("abort"))?
        .dyn_into()
        .map_err(|_| JsValue::from_str("AbortController has no abort()"))?;
    Ok(abort.bind1(controller, &JsValue::from_str(reason)).unchecked_into())
}

/// Listens to `signal`'s abort event (duck-typed: a caller's signal from another realm or a
/// polyfill works as long as it has `addEventListener`).
fn listen(signal: &AbortSignal, listener: &Function) {
    let _ = signal.add_event_listener_with_callback("abort", listener);
}

fn unlisten(signal: &AbortSignal, listener: &Function) {
    let _ = signal.remove_event_listener_with_callback("abort", listener);
}

/// A delay for `setTimeout`, which fires at once for anything above 2^31 - 1 ms.
fn timer_ms(ms: u64) -> f64 {
    ms.min(i32::MAX as u64) as f64
}

/// One run's stop switch. Cheap to clone; all clones share the switch.
#[derive(Clone)]
pub struct Cancellation(Rc<CancelInner>);

struct CancelInner {
    controller: AbortController,
    /// The caller's signal and the listener that links it to `controller`.
    link: Option<(AbortSignal, Function)>,
}

impl Drop for CancelInner {
    fn drop(&mut self) {
        if let Some((signal, listener)) = &self.link {
            unlisten(signal, listener);
        }
    }
}

impl Cancellation {
    /// A switch tripped by `cancel()` and, when given, by the caller's `AbortSignal`
    /// (already aborted → already cancelled). Errors when `signal` is not an `AbortSignal`.
    pub fn new(signal: Option<JsValue>) -> Result<Cancellation, JsValue> {
        let controller = AbortController::new()?;
        allow_many_listeners(&controller.signal());
        let mut link = None;
        if let Some(signal) = signal {
            if !is_abort_signal(&signal) {
                return Err(super::error::js_error("InvalidArgument", "signal must be an AbortSignal"));
            }
            let signal: AbortSignal = signal.unchecked_into();
            let listener = abort_function(&controller, CANCEL_REASON)?;
            if signal.aborted() {
                listener.call0(&JsValue::UNDEFINED)?;
            } else {
                listen(&signal, &listener);
                link = Some((signal, listener));
            }
        }
        Ok(Cancellation(Rc::new(CancelInner { controller, link })))
    }

    /// Trips the switch: requests in flight are aborted, sleeps end, `is_cancelled` is true.
    pub fn cancel(&self) {
        if let Ok(abort) = abort_function(&self.0.controller, CANCEL_REASON) {
            let _ = abort.call0(&JsValue::UNDEFINED);
        }
    }

    /// True once the run has been cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.0.controller.signal().aborted()
    }

    /// The run's signal (aborted when the run is cancelled), to pass on to host functions.
    pub fn signal(&self) -> AbortSignal {
        self.0.controller.signal()
    }

    /// Waits for `promise`, or for the cancellation, whichever comes first. `Err(None)` means
    /// cancelled; `Err(Some(e))` is the promise's own rejection.
    pub async fn race(&self, promise: &Promise) -> Result<JsValue, Option<JsValue>> {
        let signal = self.signal();
        match AbortWatch::new(&signal).race(promise).await {
            Ok(v) => Ok(v),
            Err(_) if signal.aborted() => Err(None),
            Err(e) => Err(Some(e)),
        }
    }
}

/// Every request in flight listens on the run's signal; Node warns past 10 listeners on an
/// `AbortSignal` ("possible memory leak") although they are all removed when requests end.
/// Lift the limit on this one signal, where Node offers the way (`events.setMaxListeners`
/// through `process.getBuiltinModule`, Node ≥ 20.16); elsewhere nothing to do.
fn allow_many_listeners(signal: &AbortSignal) {
    let global: JsValue = js_sys::global().into();
    let get =
        |target: &JsValue, key: &str| Reflect::get(target, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined());
    let Some(process) = get(&global, "process") else { return };
    let Some(get_builtin) = get(&process, "getBuiltinModule").and_then(|f| f.dyn_into::<Function>().ok()) else {
        return;
    };
    let Ok(events) = get_builtin.call1(&process, &JsValue::from_str("node:events")) else { return };
    if let Some(set_max) = get(&events, "setMaxListeners").and_then(|f| f.dyn_into::<Function>().ok()) {
        let _ = set_max.call2(&events, &JsValue::from_f64(0.0), signal);
    }
}

fn is_abort_signal(value: &JsValue) -> bool {
    value.is_object()
        && ["aborted", "addEventListener", "removeEventListener"]
            .iter()
            .all(|k| Reflect::has(value, &JsValue::from_str(k)).unwrap_or(false))
}

/// Removes a listener from a signal when dropped (also when the future is dropped midway).
struct Listening {
    signal: AbortSignal,
    listener: Function,
}

impl Drop for Listening {
    fn drop(&mut self) {
        unlisten(&self.signal, &self.listener);
    }
}

/// Clears a timer when dropped.
struct Timer(JsValue);

impl Drop for Timer {
    fn drop(&mut self) {
        clear_timeout(&self.0);
    }
}

/// A promise that rejects (with the abort event) when `signal` aborts; the listener goes when
/// the watch is dropped. One watch serves every wait of a request (adding and removing a
/// listener is not cheap on Node's `EventTarget`).
struct AbortWatch {
    signal: AbortSignal,
    aborted: Promise,
    _listening: Option<Listening>,
}

impl AbortWatch {
    fn new(signal: &AbortSignal) -> AbortWatch {
        let mut reject_fn: Option<Function> = None;
        let aborted = Promise::new(&mut |_resolve, reject| reject_fn = Some(reject));
        let _listening = reject_fn.filter(|_| !signal.aborted()).map(|listener| {
            listen(signal, &listener);
            Listening { signal: signal.clone(), listener }
        });
        AbortWatch { signal: signal.clone(), aborted, _listening }
    }

    /// Waits for `promise` unless the signal aborts first (then rejects with the abort event).
    async fn race(&self, promise: &Promise) -> Result<JsValue, JsValue> {
        if self.signal.aborted() {
            return Err(self.signal.reason());
        }
        JsFuture::from(Promise::race(&Array::of2(promise, &self.aborted))).await
    }
}

thread_local! {
    /// `performance` and its `now`, looked up once: every model and tool call reads the clock
    /// twice, and each lookup made JS strings of the names.
    static CLOCK: Option<(JsValue, Function)> = {
        let performance = Reflect::get(&js_sys::global(), &"performance".into()).ok().filter(|p| p.is_object());
        performance.and_then(|p| {
            let now = Reflect::get(&p, &"now".into()).ok()?.dyn_into::<Function>().ok()?;
            Some((p, now))
        })
    };
}

/// The core's [`Host`] over `fetch`, timers and `Math.random`.
pub struct JsHost {
    fetch: Option<Function>,
    cancel: Cancellation,
    default_timeout_ms: Option<u64>,
}

impl JsHost {
    /// A host using `fetch` when given (an injected `typeof fetch`) or else `globalThis.fetch`,
    /// stopped by `cancel`, with a timeout for requests that carry none of their own.
    pub fn new(fetch: Option<Function>, cancel: Cancellation, default_timeout_ms: Option<u64>) -> JsHost {
        JsHost { fetch, cancel, default_timeout_ms }
    }

    /// The run's stop switch.
    pub fn cancellation(&self) -> &Cancellation {
        &self.cancel
    }

    fn fetch_function(&self) -> Result<(Function, JsValue), HostError> {
        if let Some(f) = &self.fetch {
            return Ok((f.clone(), JsValue::UNDEFINED));
        }
        let global: JsValue = js_sys::global().into();
        match Reflect::get(&global, &JsValue::from_str("fetch")).ok().and_then(|f| f.dyn_into::<Function>().ok()) {
            Some(f) => Ok((f, global)),
            None => Err(HostError::Network {
                message: "this JavaScript environment has no global fetch; pass one in the `fetch` option".into(),
            }),
        }
    }

    async fn send(&self, request: &HttpRequest, controller: &AbortController) -> Result<HttpResponse, JsValue> {
        let (fetch, this) = self.fetch_function().map_err(|e| JsValue::from_str(&e.to_string()))?;
        let signal = controller.signal();
        let init = request_init(request, &signal);
        let pending = fetch.call2(&this, &JsValue::from_str(&request.url), &init)?;
        let watch = AbortWatch::new(&signal);
        let response = watch.race(&Promise::resolve(&pending)).await?;
        if !response.is_object() {
            return Err(JsValue::from_str("fetch resolved to something that is not a Response"));
        }
        // Not `dyn_into`: an injected fetch may answer with a polyfill's object, one from
        // another realm or a plain object; every use below is duck-typed.
        let response: Response = response.unchecked_into();
        if request.manual_redirect && Reflect::get(&response, &"redirected".into())?.is_truthy() {
            // An injected fetch that ignored `redirect: "manual"`: whatever it reached, its
            // answer is not the endpoint's.
            return Err(JsValue::from_str(
                "the fetch function followed a redirect although asked not to (redirect: \"manual\"); its answer is not used",
            ));
        }
        let headers = response_headers(&response)?;
        let body = watch.race(&read_body(&response)?).await?;
        let body = if let Some(text) = body.as_string() { text.into_bytes() } else { Uint8Array::new(&body).to_vec() };
        Ok(HttpResponse { status: response.status(), headers, body })
    }
}

fn request_init(request: &HttpRequest, signal: &AbortSignal) -> RequestInit {
    let init = RequestInit::new();
    init.set_method(request.method.as_str());
    // Pairs rather than a `Headers` object: every fetch (injected ones too) takes them, and
    // repeated names keep their order.
    let headers = Array::new();
    for (name, value) in &request.headers {
        headers.push(&Array::of2(&name.into(), &value.into()));
    }
    init.set_headers(&headers);
    if let Some(body) = &request.body {
        init.set_body(&Uint8Array::from(body.as_slice()));
    }
    init.set_signal(Some(signal));
    if request.manual_redirect {
        // A 3xx comes back as it is (in a browser: an opaque redirect, status 0) and the core
        // decides; fetch must never carry the request's headers to wherever it points.
        init.set_redirect(RequestRedirect::Manual);
    }
    init
}

/// The response's headers, names lower-cased: from a `Headers` object (iterable of pairs)
/// or, for an injected fetch that returns something simpler, a plain object.
fn response_headers(response: &Response) -> Result<Vec<(String, String)>, JsValue> {
    let headers = Reflect::get(response, &"headers".into())?;
    if !headers.is_object() {
        return Ok(Vec::new());
    }
    let headers: Headers = headers.unchecked_into();
    let iterable = Reflect::has(&headers, &js_sys::Symbol::iterator().into()).unwrap_or(false);
    let entries = if iterable { Array::from(&headers) } else { js_sys::Object::entries(headers.unchecked_ref()) };
    Ok(entries
        .iter()
        .filter_map(|pair| {
            let pair: Array = pair.dyn_into().ok()?;
            Some((pair.get(0).as_string()?.to_ascii_lowercase(), pair.get(1).as_string()?))
        })
        .collect())
}

/// `response.arrayBuffer()`, or `response.text()` for a fetch that has only that.
fn read_body(response: &Response) -> Result<Promise, JsValue> {
    if Reflect::get(response, &"arrayBuffer".into())?.is_function() {
        return Ok(Promise::resolve(&response.array_buffer()?));
    }
    if Reflect::get(response, &"text".into())?.is_function() {
        return Ok(Promise::resolve(&response.text()?));
    }
    Ok(Promise::resolve(&JsValue::from_str("")))
}

/// What went wrong, from the request's controller (timeout or cancel) or the error itself.
fn classify(error: &JsValue, controller: &AbortController, timeout_ms: Option<u64>, url: &str) -> HostError {
    let signal = controller.signal();
    if signal.aborted() {
        if signal.reason().as_string().as_deref() == Some(TIMEOUT_REASON) {
            return HostError::Timeout { ms: timeout_ms.unwrap_or(0) };
        }
        return HostError::Aborted;
    }
    let (name, message) = describe(error);
    // Some fetch implementations print the URL; its query may hold a key.
    let message = hide_query(&message, url);
    match name.as_str() {
        "AbortError" => HostError::Aborted,
        "TimeoutError" => HostError::Timeout { ms: timeout_ms.unwrap_or(0) },
        "TypeError" => HostError::Network {
            message: format!(
                "{message} (refused connection, unknown host or, in a browser, a CORS rejection or blocked mixed content)"
            ),
        },
        _ => HostError::Network { message: format!("{name}: {message}") },
    }
}

fn hide_query(message: &str, url: &str) -> String {
    match url.split_once('?') {
        Some((base, query)) if !query.is_empty() => message.replace(url, &format!("{base}?…")),
        _ => message.to_string(),
    }
}

#[async_trait(?Send)]
impl Host for JsHost {
    async fn fetch(&self, request: HttpRequest) -> Result<HttpResponse, HostError> {
        if self.cancel.is_cancelled() {
            return Err(HostError::Aborted);
        }
        let timeout_ms = request.timeout_ms.or(self.default_timeout_ms);
        // Each request has its own controller: its timer and the run's switch both abort it.
        let controller = match AbortController::new() {
            Ok(c) => c,
            Err(e) => return Err(HostError::Network { message: describe(&e).1 }),
        };
        let (on_cancel, on_timeout) =
            match (abort_function(&controller, CANCEL_REASON), abort_function(&controller, TIMEOUT_REASON)) {
                (Ok(c), Ok(t)) => (c, t),
                (Err(e), _) | (_, Err(e)) => return Err(classify(&e, &controller, timeout_ms, &request.url)),
            };
        listen(&self.cancel.signal(), &on_cancel);
        let _link = Listening { signal: self.cancel.signal(), listener: on_cancel };
        let _timer = timeout_ms.map(|ms| Timer(set_timeout(&on_timeout, timer_ms(ms))));
        self.send(&request, &controller).await.map_err(|e| classify(&e, &controller, timeout_ms, &request.url))
    }

    async fn sleep(&self, ms: u64) {
        if self.cancel.is_cancelled() {
            return;
        }
        let mut parts: Option<(Timer, Listening)> = None;
        let signal = self.cancel.signal();
        let done = Promise::new(&mut |resolve, _reject| {
            let timer = Timer(set_timeout(&resolve, timer_ms(ms)));
            listen(&signal, &resolve);
            parts = Some((timer, Listening { signal: signal.clone(), listener: resolve }));
        });
        let _ = JsFuture::from(done).await;
        drop(parts);
    }

    fn now_ms(&self) -> f64 {
        CLOCK
            .with(|clock| clock.as_ref().and_then(|(performance, now)| now.call0(performance).ok()?.as_f64()))
            .unwrap_or_else(js_sys::Date::now)
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }

    fn cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }
}
