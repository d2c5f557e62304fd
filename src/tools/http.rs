//! Calling HTTP operations: builds a request from an operation's [`HttpBinding`] and
//! parameters, pins it to the configured target's origin, adds auth, sends it through the
//! [`Host`] (retrying read-only calls), and records the response as an [`Observation`] with
//! every secret redacted.
//!
//! ```
//! use std::rc::Rc;
//! use tooldraft::tools::{HttpConfig, HttpToolCaller, SafetyPolicy};
//! # use tooldraft::host::*;
//! # struct NoHost;
//! # #[async_trait::async_trait(?Send)]
//! # impl Host for NoHost {
//! #     async fn fetch(&self, _: HttpRequest) -> Result<HttpResponse, HostError> { Err(HostError::Aborted) }
//! #     async fn sleep(&self, _: u64) {}
//! #     fn now_ms(&self) -> f64 { 0.0 }
//! #     fn random(&self) -> f64 { 0.5 }
//! # }
//! let config = HttpConfig::new("http://127.0.0.1:8081");
//! let caller = HttpToolCaller::new(Rc::new(NoHost), config, SafetyPolicy::default()).unwrap();
//! assert_eq!(caller.target().origin_string(), "http://127.0.0.1:8081");
//! ```

use crate::doc::{HttpBinding, Operation, SafetyClass};
use crate::host::{Host, HostError, HttpRequest};
use crate::net::RetryPolicy;
use crate::net::{follow, FollowError, RedirectRules};
use crate::tools::auth::looks_secret_header;
use crate::tools::capture::{self, DEFAULT_EVIDENCE_CAP};
use crate::tools::params::{self, check_header_name, check_header_value, encode_component};
use crate::tools::policy::effective_class;
use crate::tools::target::Target;
use crate::tools::{
    Auth, Observation, RecordedRequest, Redactor, SafetyPolicy, ToolCaller, ToolError, REDIRECT_HEADER,
};
use async_trait::async_trait;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::rc::Rc;

/// The default per-request timeout for tool calls.
pub const DEFAULT_TOOL_TIMEOUT_MS: u64 = 30_000;

/// Where and how to call an HTTP tool.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpConfig {
    /// The target every request goes to (`http://127.0.0.1:8081`, `https://api.test/v1`).
    /// It wins over any host the document names.
    pub base_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<Auth>,
    /// Extra headers on every request. Values of headers whose names look like credentials
    /// (`*auth*`, `*key*`, `*token*`, …) are treated as secrets.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub headers: IndexMap<String, String>,
    /// Per-request timeout (default 30 s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
    /// How much of each body the evidence keeps (default 64 KB).
    #[serde(default = "default_cap")]
    pub evidence_cap: usize,
    /// How idempotent calls are retried (default [`RetryPolicy::for_tools`]).
    #[serde(default = "RetryPolicy::for_tools")]
    pub retry: RetryPolicy,
    /// More strings to redact wherever they appear (the LLM key, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<String>,
}

fn default_cap() -> usize {
    DEFAULT_EVIDENCE_CAP
}

impl HttpConfig {
    /// A config for this base URL with defaults for everything else.
    pub fn new(base_url: impl Into<String>) -> Self {
        HttpConfig {
            base_url: base_url.into(),
            auth: None,
            headers: IndexMap::new(),
            timeout_ms: None,
            evidence_cap: DEFAULT_EVIDENCE_CAP,
            retry: RetryPolicy::for_tools(),
            secrets: Vec::new(),
        }
    }

    /// The redactor for everything this config knows to be secret.
    pub fn redactor(&self) -> Redactor {
        let mut r = Redactor::new();
        if let Some(a) = &self.auth {
            a.register(&mut r);
        }
        for (k, v) in &self.headers {
            if looks_secret_header(k) {
                r.add_header(k);
                r.add_secret(v);
            }
        }
        for s in &self.secrets {
            r.add_secret(s);
        }
        r
    }
}

fn config_error(message: String) -> ToolError {
    ToolError::InvalidArguments { operation: "tool target configuration".into(), message }
}

/// Calls HTTP operations on one configured target.
pub struct HttpToolCaller {
    host: Rc<dyn Host>,
    config: HttpConfig,
    target: Target,
    policy: SafetyPolicy,
    redactor: Redactor,
}

impl HttpToolCaller {
    /// Checks the config (base URL, header names and values) and builds the caller.
    pub fn new(host: Rc<dyn Host>, config: HttpConfig, policy: SafetyPolicy) -> Result<Self, ToolError> {
        let target = Target::parse(&config.base_url).map_err(|m| config_error(format!("base URL: {m}")))?;
        for (k, v) in &config.headers {
            check_header_name(k).map_err(config_error)?;
            check_header_value(k, v).map_err(config_error)?;
        }
        if let Some((k, v)) = config.auth.as_ref().and_then(Auth::header) {
            check_header_name(&k).map_err(config_error)?;
            check_header_value(&k, &v)
                .map_err(|_| config_error(format!("the `{k}` auth value has invalid characters")))?;
        }
        let redactor = config.redactor();
        Ok(HttpToolCaller { host, config, target, policy, redactor })
    }

    /// Also redacts everything `other` knows (the engine's LLM key, …).
    pub fn with_redactor(mut self, other: &Redactor) -> Self {
        self.redactor.merge(other);
        self
    }

    /// The redactor applied to everything this caller records.
    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// The configured target.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// The safety policy.
    pub fn policy(&self) -> &SafetyPolicy {
        &self.policy
    }

    /// Builds the request `call` would send (after the policy check), without sending it.
    pub fn prepare(&self, operation: &Operation, arguments: &Value) -> Result<HttpRequest, ToolError> {
        let binding = binding(operation)?;
        let invalid = |message: String| ToolError::InvalidArguments { operation: operation.id.clone(), message };
        let path = self.target.resolve_template(&binding.path);
        let mut parts = params::serialize(operation, &path, arguments, self.host.random()).map_err(invalid)?;

        // Configured headers and auth win over same-named parameter headers.
        let mut fixed: Vec<(String, String)> =
            self.config.headers.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let auth = self.config.auth.as_ref();
        if let Some(h) = auth.and_then(Auth::header) {
            fixed.push(h);
        }
        parts.headers.retain(|(k, _)| !fixed.iter().any(|(f, _)| f.eq_ignore_ascii_case(k)));
        if let Some((k, v)) = auth.and_then(Auth::query) {
            let name = encode_component(&k);
            parts.query.retain(|pair| pair.split('=').next() != Some(name.as_str()));
            parts.query.push(format!("{name}={}", encode_component(&v)));
        }
        if let Some((k, v)) = auth.and_then(Auth::cookie) {
            parts.cookies.retain(|c| c.split('=').next() != Some(k.as_str()));
            parts.cookies.push(format!("{k}={}", encode_component(&v)));
        }

        let url = self.target.url_for(&parts.path_and_query()).map_err(|reason| ToolError::Denied { reason })?;
        let mut request = HttpRequest::new(binding.method, url)
            .timeout_ms(self.config.timeout_ms.unwrap_or(DEFAULT_TOOL_TIMEOUT_MS))
            .manual_redirect();
        request.headers = fixed;
        request.headers.extend(parts.headers);
        if !parts.cookies.is_empty() {
            request.headers.retain(|(k, _)| !k.eq_ignore_ascii_case("cookie"));
            request.headers.push(("Cookie".into(), parts.cookies.join("; ")));
        }
        if let Some((body, content_type)) = parts.body {
            if !request.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
                request.headers.push(("Content-Type".into(), content_type));
            }
            request.body = Some(body);
        }
        Ok(request)
    }

    /// The request as it is recorded: URL, headers and body redacted.
    pub fn record(&self, request: &HttpRequest) -> RecordedRequest {
        record_request(request, &self.redactor)
    }
}

/// Records a request with every secret redacted (binary bodies summarised).
pub fn record_request(request: &HttpRequest, redactor: &Redactor) -> RecordedRequest {
    let content_type =
        request.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-type")).map_or("", |(_, v)| v.as_str());
    RecordedRequest {
        method: request.method.as_str().to_string(),
        url: redactor.redact_url(&request.url),
        headers: redactor.redact_headers(&request.headers),
        body: request.body.as_ref().map(|b| {
            if capture::is_binary(content_type, b) {
                capture::summarize_binary(content_type, b)
            } else {
                redactor.redact_str(&String::from_utf8_lossy(b))
            }
        }),
    }
}

/// The endpoint named in errors: method and URL without the query, redacted.
pub fn endpoint_label(request: &HttpRequest, redactor: &Redactor) -> String {
    let url = request.url.split(['?', '#']).next().unwrap_or("");
    format!("{} {}", request.method.as_str(), redactor.redact_str(url))
}

/// A host error with secrets removed from its message.
pub fn redact_host_error(e: HostError, redactor: &Redactor) -> HostError {
    match e {
        HostError::Network { message } => HostError::Network { message: redactor.redact_str(&message) },
        other => other,
    }
}

fn binding(op: &Operation) -> Result<&HttpBinding, ToolError> {
    op.http.as_ref().ok_or_else(|| ToolError::NoTarget { operation: format!("{} (it has no HTTP binding)", op.id) })
}

#[async_trait(?Send)]
impl ToolCaller for HttpToolCaller {
    fn permits(&self, operation: &Operation) -> Result<(), ToolError> {
        binding(operation)?;
        self.policy.check(operation)
    }

    async fn call(&self, operation: &Operation, arguments: &Value) -> Result<Observation, ToolError> {
        self.permits(operation)?;
        let request = self.prepare(operation, arguments)?;
        let recorded = self.record(&request);
        let endpoint = endpoint_label(&request, &self.redactor);
        let idempotent = effective_class(operation) == SafetyClass::ReadOnly;
        let started = self.host.now_ms();
        let host = &*self.host;
        let retry = &self.config.retry.for_tool_call(idempotent);
        let followed = follow(request, &RedirectRules::fetch(), |r| async move { retry.send(host, r).await })
            .await
            .map_err(|e| match e {
                FollowError::Send(e) => {
                    ToolError::Transport { endpoint: endpoint.clone(), source: redact_host_error(e, &self.redactor) }
                }
                FollowError::Redirect(e) => ToolError::Redirect { endpoint: endpoint.clone(), message: e.to_string() },
            })?;
        let response = followed.response;
        let mut redirects: Vec<(String, String)> = followed
            .hops
            .iter()
            .map(|(status, url)| (REDIRECT_HEADER.to_string(), format!("{status} {}", self.redactor.redact_url(url))))
            .collect();
        let duration_ms = (self.host.now_ms() - started).max(0.0);
        let (content_type, headers, body) =
            capture::capture_response(&response, self.config.evidence_cap, &self.redactor);
        redirects.extend(headers);
        Ok(Observation {
            request: recorded,
            status: Some(response.status),
            content_type,
            headers: redirects,
            body: body.text,
            json: body.json,
            truncated: body.truncated,
            body_bytes: body.bytes,
            is_error: response.status >= 400,
            duration_ms,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
#[path = "http_tests.rs"]
mod tests;
