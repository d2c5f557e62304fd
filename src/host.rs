//! What the core needs from the world: send an HTTP request, sleep, read the clock, draw a
//! random number. The wasm façade fills this with `fetch` and timers; native tests fill it
//! with a scripted host, so every behaviour of the core is deterministic under test.
//!
//! ```
//! use tooldraft::host::{HttpRequest, Method};
//! let req = HttpRequest::new(Method::Get, "http://127.0.0.1:8081/get").header("Accept", "application/json");
//! assert_eq!(req.headers.len(), 1);
//! ```

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// An HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "HttpMethod"))]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Head,
    Options,
    Post,
    Put,
    Patch,
    Delete,
    Trace,
}

impl Method {
    /// Parses a method name in any case.
    pub fn parse(s: &str) -> Option<Method> {
        Some(match s.to_ascii_uppercase().as_str() {
            "GET" => Method::Get,
            "HEAD" => Method::Head,
            "OPTIONS" => Method::Options,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            "TRACE" => Method::Trace,
            _ => return None,
        })
    }

    /// The upper-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Trace => "TRACE",
        }
    }

    /// GET, HEAD, OPTIONS and TRACE change nothing on the server.
    pub fn is_safe(self) -> bool {
        matches!(self, Method::Get | Method::Head | Method::Options | Method::Trace)
    }
}

/// An HTTP request as the core builds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Vec<u8>>,
    /// Abort the request after this many milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
    /// Do not follow redirects: hand a 3xx response back as it is (fetch's
    /// `redirect: "manual"`). Tool calls set this so that a redirect can never take a request
    /// to another origin; the tool caller follows same-origin redirects itself. A browser's
    /// opaque redirect comes back as status 0 with no headers.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub manual_redirect: bool,
}

impl HttpRequest {
    /// A request with no headers, no body and no timeout.
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        HttpRequest {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: None,
            timeout_ms: None,
            manual_redirect: false,
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Sets the timeout.
    pub fn timeout_ms(mut self, ms: u64) -> Self {
        self.timeout_ms = Some(ms);
        self
    }

    /// Asks the host not to follow redirects.
    pub fn manual_redirect(mut self) -> Self {
        self.manual_redirect = true;
        self
    }
}

/// An HTTP response: status, headers (names lower-cased) and the whole body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The body as text, lossily.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Why a request produced no response.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "camelCase", try_from = "crate::wire::HostErrorWire")]
pub enum HostError {
    #[error("timed out after {ms} ms")]
    Timeout { ms: u64 },
    #[error("cancelled")]
    Aborted,
    /// Refused connection, DNS failure, CORS rejection (browsers cannot tell these apart).
    #[error("network error: {message}")]
    Network { message: String },
}

impl TryFrom<crate::wire::HostErrorWire> for HostError {
    type Error = String;
    fn try_from(w: crate::wire::HostErrorWire) -> Result<HostError, String> {
        use crate::wire::field;
        Ok(match w.kind.as_str() {
            "timeout" => HostError::Timeout { ms: field(w.ms, "ms")? },
            "aborted" => HostError::Aborted,
            "network" => HostError::Network { message: field(w.message, "message")? },
            other => return Err(crate::wire::unknown("kind", other, &["timeout", "aborted", "network"])),
        })
    }
}

impl HostError {
    /// A stable code for this error.
    pub fn code(&self) -> &'static str {
        match self {
            HostError::Timeout { .. } => "Timeout",
            HostError::Aborted => "Aborted",
            HostError::Network { .. } => "NetworkError",
        }
    }
}

/// What the core needs from the world. Async, without `Send` bounds: JS futures are `!Send`.
#[async_trait(?Send)]
pub trait Host {
    /// Sends one HTTP request and reads the whole response.
    async fn fetch(&self, request: HttpRequest) -> Result<HttpResponse, HostError>;
    /// Waits this many milliseconds (or returns early when the run is cancelled).
    async fn sleep(&self, ms: u64);
    /// Milliseconds since an arbitrary, fixed origin.
    fn now_ms(&self) -> f64;
    /// A uniformly distributed number in [0, 1).
    fn random(&self) -> f64;
    /// True once the caller has asked the run to stop.
    fn cancelled(&self) -> bool {
        false
    }
}
