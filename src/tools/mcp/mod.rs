//! MCP over Streamable HTTP: [`McpClient`] negotiates a protocol revision (a session with
//! `initialize` for 2025-03-26 … 2025-11-25; the stateless form with a per-request envelope
//! for 2026-07-28), lists tools and calls them; [`McpToolCaller`] puts it behind the
//! [`ToolCaller`](crate::tools::ToolCaller) trait with the safety policy.
//!
//! Negotiation: `initialize` is sent with the latest session revision we speak. When the
//! server answers, its choice must be one we support; when it rejects `initialize` (or
//! answers with a stateless revision), the client probes `server/discover` with the
//! stateless envelope and, if that works, sends the version in every request
//! (`MCP-Protocol-Version` header and `_meta`) without a session. A revision can also be
//! pinned in [`McpConfig::protocol_version`].
//!
//! ```no_run
//! # async fn demo(host: std::rc::Rc<dyn tooldraft::host::Host>) -> Result<(), tooldraft::tools::ToolError> {
//! use tooldraft::tools::{McpClient, McpConfig};
//! let client = McpClient::new(host, McpConfig::new("http://127.0.0.1:3001/mcp"))?;
//! let tools = client.list_tools().await?; // the raw `tools/list` result
//! let obs = client.call_tool("echo", &serde_json::json!({"message": "hi"}), true).await?;
//! client.close().await?;
//! # Ok(()) }
//! ```

pub mod annotations;
mod caller;
mod config;
mod negotiate;
pub mod wire;

pub use caller::McpToolCaller;
pub use config::{McpConfig, McpSessionInfo};

use crate::host::{Host, HttpRequest, HttpResponse, Method};
use crate::net::{follow, FollowError, RedirectRules};
use crate::tools::capture::{cut_at_boundary, media_essence};
use crate::tools::http::{record_request, redact_host_error, DEFAULT_TOOL_TIMEOUT_MS};
use crate::tools::params::{check_header_name, check_header_value, encode_component};
use crate::tools::target::Origin;
use crate::tools::{Auth, Observation, RecordedRequest, Redactor, ToolError};
use serde_json::{json, Map, Value};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wire::Reply;

/// Protocol revisions this client speaks, newest first.
pub const SUPPORTED_PROTOCOL_VERSIONS: [&str; 4] = ["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26"];
/// The newest revision that uses `initialize` and sessions.
pub const LATEST_SESSION_VERSION: &str = "2025-11-25";
/// The newest stateless revision.
pub const LATEST_STATELESS_VERSION: &str = "2026-07-28";

const MAX_PAGES: usize = 100;

#[derive(Clone)]
struct Session {
    info: McpSessionInfo,
    id: Option<String>,
}

/// How one request is sent.
#[derive(Clone, Copy, Default)]
struct Ctx<'a> {
    version: Option<&'a str>,
    stateless: bool,
    session_id: Option<&'a str>,
}

impl<'a> Ctx<'a> {
    fn of(s: &'a Session) -> Self {
        Ctx { version: Some(&s.info.protocol_version), stateless: s.info.stateless, session_id: s.id.as_deref() }
    }
}

/// One request and what came back.
pub(crate) struct Exchange {
    pub reply: Option<Reply>,
    pub response: HttpResponse,
    pub recorded: RecordedRequest,
    pub duration_ms: f64,
    /// Set when the body is not JSON-RPC at all.
    pub not_json_rpc: bool,
}

/// An MCP client over Streamable HTTP.
pub struct McpClient {
    host: Rc<dyn Host>,
    config: McpConfig,
    redactor: Redactor,
    next_id: Cell<u64>,
    session: RefCell<Option<Session>>,
    /// Input schemas from the last `tools/list`, for `Mcp-Param-*` headers.
    schemas: RefCell<HashMap<String, Value>>,
}

impl McpClient {
    /// Checks the config (an absolute http(s) URL, valid headers) and builds the client.
    /// Nothing is sent until the first call.
    pub fn new(host: Rc<dyn Host>, config: McpConfig) -> Result<Self, ToolError> {
        let bad =
            |message: String| ToolError::InvalidArguments { operation: "MCP endpoint configuration".into(), message };
        Origin::parse(&config.url).map_err(|m| bad(format!("url: {m}")))?;
        for (k, v) in &config.headers {
            check_header_name(k).map_err(bad)?;
            check_header_value(k, v).map_err(bad)?;
        }
        if let Some(v) = &config.protocol_version {
            if !SUPPORTED_PROTOCOL_VERSIONS.contains(&v.as_str()) {
                return Err(bad(format!(
                    "protocol version `{v}` is not supported (supported: {})",
                    SUPPORTED_PROTOCOL_VERSIONS.join(", ")
                )));
            }
        }
        let redactor = config.redactor();
        Ok(McpClient {
            host,
            config,
            redactor,
            next_id: Cell::new(1),
            session: RefCell::new(None),
            schemas: RefCell::new(HashMap::new()),
        })
    }

    /// Also redacts everything `other` knows.
    pub fn with_redactor(mut self, other: &Redactor) -> Self {
        self.redactor.merge(other);
        self
    }

    /// The redactor applied to everything this client records.
    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// The endpoint URL (redacted).
    pub fn url(&self) -> String {
        self.redactor.redact_url(&self.config.url)
    }

    /// What negotiation settled on, once connected.
    pub fn session_info(&self) -> Option<McpSessionInfo> {
        self.session.borrow().as_ref().map(|s| s.info.clone())
    }

    /// Negotiates (once) and returns what was agreed.
    pub async fn connect(&self) -> Result<McpSessionInfo, ToolError> {
        Ok(self.ensure_session().await?.info)
    }

    /// The `tools/list` result, all pages merged into one `tools` array.
    pub async fn list_tools(&self) -> Result<Value, ToolError> {
        let mut all = Vec::new();
        let mut first: Option<Map<String, Value>> = None;
        let mut cursor: Option<String> = None;
        let mut seen = Vec::new();
        for _ in 0..MAX_PAGES {
            let params = cursor.as_ref().map(|c| json!({ "cursor": c }));
            let (result, _) = self.request("tools/list", params, true, Vec::new()).await?;
            let Value::Object(mut page) = result else {
                return Err(self.protocol("tools/list: the result is not an object".into()));
            };
            match page.remove("tools") {
                Some(Value::Array(tools)) => all.extend(tools),
                _ => return Err(self.protocol("tools/list: the result has no `tools` array".into())),
            }
            let next = page.remove("nextCursor").and_then(|v| v.as_str().map(str::to_string));
            first.get_or_insert(page);
            match next {
                Some(c) if !seen.contains(&c) => {
                    seen.push(c.clone());
                    cursor = Some(c);
                }
                _ => break,
            }
        }
        {
            let mut schemas = self.schemas.borrow_mut();
            for t in &all {
                if let (Some(name), Some(schema)) = (t.get("name").and_then(Value::as_str), t.get("inputSchema")) {
                    schemas.insert(name.to_string(), schema.clone());
                }
            }
        }
        let mut out = first.unwrap_or_default();
        out.insert("tools".into(), Value::Array(all));
        Ok(Value::Object(out))
    }

    /// Calls a tool. `idempotent` allows retries on network errors, 429 and 503 (pass true
    /// only for read-only tools). A result with `isError: true` is an observation with
    /// `is_error`; a JSON-RPC error is [`ToolError::Protocol`].
    pub async fn call_tool(&self, name: &str, arguments: &Value, idempotent: bool) -> Result<Observation, ToolError> {
        let arguments = match arguments {
            Value::Null => json!({}),
            Value::Object(_) => arguments.clone(),
            _ => {
                return Err(ToolError::InvalidArguments {
                    operation: name.to_string(),
                    message: "MCP tool arguments must be a JSON object".into(),
                })
            }
        };
        let session = self.ensure_session().await?;
        let mut extra = Vec::new();
        if session.info.stateless {
            if !self.schemas.borrow().contains_key(name) {
                // Best effort: without the schema no `Mcp-Param-*` headers are sent.
                let _ = self.list_tools().await;
            }
            if let Some(schema) = self.schemas.borrow().get(name) {
                extra = wire::param_headers(schema, &arguments);
            }
        }
        let params = json!({ "name": name, "arguments": arguments });
        let (result, exchange) = self.request("tools/call", Some(params), idempotent, extra).await?;
        Ok(caller::observation(&result, &exchange, self.config.evidence_cap, &self.redactor))
    }

    /// Sends any other request (`resources/list`, `prompts/list`, …) on the session and
    /// returns its result; a JSON-RPC error is [`ToolError::Protocol`] naming the method.
    /// Not retried.
    pub async fn request_raw(&self, method: &str, params: Option<Value>) -> Result<Value, ToolError> {
        Ok(self.request(method, params, false, Vec::new()).await?.0)
    }

    /// Ends the session (`DELETE` with the session id). A server that does not allow that
    /// (405) or already forgot the session (404) is fine. Stateless connections just reset.
    pub async fn close(&self) -> Result<(), ToolError> {
        let Some(session) = self.session.borrow_mut().take() else {
            return Ok(());
        };
        self.delete_session(&session).await
    }

    async fn delete_session(&self, session: &Session) -> Result<(), ToolError> {
        let Some(id) = &session.id else {
            return Ok(());
        };
        let mut req = HttpRequest::new(Method::Delete, self.request_url())
            .timeout_ms(self.config.timeout_ms.unwrap_or(DEFAULT_TOOL_TIMEOUT_MS))
            .manual_redirect();
        req.headers = self.base_headers();
        req.headers.push(("Mcp-Session-Id".into(), id.clone()));
        req.headers.push(("MCP-Protocol-Version".into(), session.info.protocol_version.clone()));
        let response = self.host.fetch(req).await.map_err(|e| self.transport(e))?;
        match response.status {
            200..=299 | 404 | 405 => Ok(()),
            s => Err(self.protocol(format!("ending the session: HTTP {s}"))),
        }
    }

    fn forget_session(&self) {
        self.session.borrow_mut().take();
    }

    async fn ensure_session(&self) -> Result<Session, ToolError> {
        if let Some(s) = self.session.borrow().clone() {
            return Ok(s);
        }
        let negotiated = self.negotiate().await?;
        let existing = self.session.borrow().clone();
        if let Some(other) = existing {
            // Another call connected while we negotiated: keep theirs, end ours.
            let _ = self.delete_session(&negotiated).await;
            return Ok(other);
        }
        *self.session.borrow_mut() = Some(negotiated.clone());
        Ok(negotiated)
    }

    /// Sends a request on the current session, reconnecting once when the server has
    /// forgotten the session.
    async fn request(
        &self,
        method: &str,
        params: Option<Value>,
        idempotent: bool,
        extra: Vec<(String, String)>,
    ) -> Result<(Value, Exchange), ToolError> {
        for attempt in 0..2 {
            let session = self.ensure_session().await?;
            let ex = self.send(Ctx::of(&session), method, params.clone(), false, idempotent, extra.clone()).await?;
            let status = ex.response.status;
            let gone = |message: &str| {
                session.id.is_some()
                    && (status == 404 || status == 400 && message.to_ascii_lowercase().contains("session"))
            };
            match &ex.reply {
                Some(Reply::Result(r)) => {
                    if r.get("resultType").and_then(Value::as_str) == Some("input_required") {
                        return Err(self.protocol(format!(
                            "{method}: the server asked for more input (elicitation/sampling), which tooldraft cannot give"
                        )));
                    }
                    return Ok((r.clone(), ex));
                }
                Some(Reply::Error { message, .. }) if attempt == 0 && gone(message) => self.forget_session(),
                Some(Reply::Error { code, message, .. }) => return Err(self.rpc_error(method, *code, message)),
                None if attempt == 0 && gone("session") => self.forget_session(),
                None => return Err(self.http_failure(method, &ex, false)),
            }
        }
        Err(self.protocol(format!("{method}: the session expired twice in a row")))
    }

    fn request_url(&self) -> String {
        match self.config.auth.as_ref().and_then(Auth::query) {
            Some((k, v)) => {
                let sep = if self.config.url.contains('?') { '&' } else { '?' };
                format!("{}{sep}{}={}", self.config.url, encode_component(&k), encode_component(&v))
            }
            None => self.config.url.clone(),
        }
    }

    fn base_headers(&self) -> Vec<(String, String)> {
        let mut h: Vec<(String, String)> = self.config.headers.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        if let Some(a) = &self.config.auth {
            if let Some(header) = a.header() {
                h.push(header);
            }
            if let Some((k, v)) = a.cookie() {
                h.push(("Cookie".into(), format!("{k}={}", encode_component(&v))));
            }
        }
        h
    }

    async fn send(
        &self,
        ctx: Ctx<'_>,
        method: &str,
        params: Option<Value>,
        notification: bool,
        idempotent: bool,
        extra: Vec<(String, String)>,
    ) -> Result<Exchange, ToolError> {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        let params = match (ctx.stateless, ctx.version) {
            (true, Some(v)) => Some(wire::with_envelope(params, v)),
            _ => params,
        };
        let message = if notification {
            let mut n = wire::notification(method);
            if let (Some(p), Value::Object(m)) = (params.clone(), &mut n) {
                m.insert("params".into(), p);
            }
            n
        } else {
            wire::request(id, method, params.clone())
        };
        let mut req = HttpRequest::new(Method::Post, self.request_url())
            .timeout_ms(self.config.timeout_ms.unwrap_or(DEFAULT_TOOL_TIMEOUT_MS))
            .manual_redirect()
            .body(message.to_string());
        req.headers = self.base_headers();
        req.headers.push(("Content-Type".into(), "application/json".into()));
        req.headers.push(("Accept".into(), "application/json, text/event-stream".into()));
        if let Some(v) = ctx.version {
            req.headers.push(("MCP-Protocol-Version".into(), v.to_string()));
        }
        if let Some(s) = ctx.session_id {
            req.headers.push(("Mcp-Session-Id".into(), s.to_string()));
        }
        if ctx.stateless {
            req.headers.push(("Mcp-Method".into(), method.to_string()));
            if let Some(name) = params.as_ref().and_then(|p| p.get("name")).and_then(Value::as_str) {
                req.headers.push(("Mcp-Name".into(), wire::mirror_header_value(name)));
            }
        }
        req.headers.extend(extra);
        let recorded = record_request(&req, &self.redactor);
        let started = self.host.now_ms();
        let (host, retry) = (&*self.host, &self.config.retry.for_tool_call(idempotent));
        // Same-origin 307/308 are followed (the POST and its body kept); anything else is an error.
        let response = follow(req, &RedirectRules::keep_method(), |r| async move { retry.send(host, r).await })
            .await
            .map_err(|e| match e {
                FollowError::Send(e) => self.transport(e),
                FollowError::Redirect(e) => ToolError::Redirect { endpoint: self.url(), message: e.to_string() },
            })?
            .response;
        let duration_ms = (self.host.now_ms() - started).max(0.0);
        let (reply, not_json_rpc) = if notification {
            (None, false)
        } else {
            let ct = response.header("content-type").unwrap_or("");
            match wire::find_reply(ct, &response.text(), id) {
                Ok(r) => (r, false),
                Err(_) => (None, true),
            }
        };
        Ok(Exchange { reply, response, recorded, duration_ms, not_json_rpc })
    }

    fn transport(&self, e: crate::host::HostError) -> ToolError {
        ToolError::Transport { endpoint: self.url(), source: redact_host_error(e, &self.redactor) }
    }

    fn protocol(&self, message: String) -> ToolError {
        ToolError::Protocol { endpoint: self.url(), message: self.redactor.redact_str(&message) }
    }

    fn rpc_error(&self, method: &str, code: i64, message: &str) -> ToolError {
        self.protocol(format!("{method}: JSON-RPC error {code}: {message}"))
    }

    fn http_failure(&self, method: &str, ex: &Exchange, first_contact: bool) -> ToolError {
        let status = ex.response.status;
        let ct = ex.response.header("content-type").unwrap_or("");
        let text = self.redactor.redact_str(&ex.response.text());
        let snippet = cut_at_boundary(text.trim(), 200).replace('\n', " ");
        if status == 401 || status == 403 {
            return self.protocol(format!(
                "{method}: the server requires authorization (HTTP {status}); configure auth for this MCP endpoint"
            ));
        }
        if (300..400).contains(&status) {
            return self.protocol(format!(
                "{method}: the endpoint answered HTTP {status} without a usable `Location`; configure the final URL"
            ));
        }
        let html = media_essence(ct) == "text/html" || snippet.starts_with('<');
        if first_contact && (matches!(status, 404 | 405) || html || ex.not_json_rpc) {
            let what =
                if ct.is_empty() { format!("HTTP {status}") } else { format!("HTTP {status}, {}", media_essence(ct)) };
            return self.protocol(format!(
                "{method}: this URL did not answer like an MCP Streamable HTTP endpoint ({what}). Check the path \
                 (endpoints are usually at /mcp). If the server only speaks stdio, run it behind a bridge, e.g. \
                 `npx supergateway --stdio \"<command>\" --outputTransport streamableHttp --port 8000`, and use \
                 http://127.0.0.1:8000/mcp"
            ));
        }
        if status == 406 {
            return self.protocol(format!("{method}: the server refused our Accept header (HTTP 406): {snippet}"));
        }
        if (200..300).contains(&status) {
            return self
                .protocol(format!("{method}: no JSON-RPC reply to our request in the response (HTTP {status})"));
        }
        self.protocol(format!("{method}: HTTP {status} without a JSON-RPC reply: {snippet}"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
#[path = "tests.rs"]
mod tests;
