//! What the HTTP providers share: the endpoint's safe name, scrubbing secrets out of server
//! messages, reading an error body (JSON, HTML or text) into one line, and sending a JSON
//! request through the retry helper and the endpoint's limiter, following only same-origin
//! redirects that keep the POST (the key never reaches another origin).

use super::LlmError;
use crate::host::{Host, HttpRequest, HttpResponse, Method};
use crate::net::{follow, redact_url, FollowError, Limiter, Limits, RedirectRules, RetryNotice, RetryPolicy};
use std::rc::Rc;

/// Told before each wait between tries of a request.
pub type RetryObserver = Rc<dyn Fn(&RetryNotice)>;
use serde_json::Value;

/// One HTTP endpoint of a provider, with what must never be shown.
pub(crate) struct Endpoint {
    /// The URL requests go to.
    pub url: String,
    /// The URL as shown in errors (no credentials, no query).
    pub label: String,
    /// Values scrubbed from every message (keys, secret header values).
    secrets: Vec<String>,
    pub limiter: Limiter,
    pub on_retry: Option<RetryObserver>,
}

impl Endpoint {
    pub fn new(url: String, secrets: Vec<String>, limits: Limits) -> Self {
        let label = redact_url(&url);
        let secrets = secrets.into_iter().filter(|s| s.len() >= 4).collect();
        Endpoint { url, label, secrets, limiter: Limiter::new(limits), on_retry: None }
    }

    /// `text` with every secret replaced by `[redacted]`.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.secrets {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), "[redacted]");
            }
        }
        out
    }

    pub fn bad_response(&self, message: impl Into<String>) -> LlmError {
        LlmError::BadResponse { endpoint: self.label.clone(), message: self.scrub(&message.into()) }
    }

    pub fn http_error(&self, resp: &HttpResponse) -> LlmError {
        LlmError::Http { endpoint: self.label.clone(), status: resp.status, message: self.describe_error(resp) }
    }

    /// [`error_message`] of the body with every secret scrubbed from the whole body first:
    /// the message is cut short, and cutting before scrubbing could leave half a key.
    fn describe_error(&self, resp: &HttpResponse) -> String {
        let text = resp.text();
        let scrubbed = self.scrub(&text);
        if scrubbed == text {
            return error_message(resp);
        }
        error_message(&HttpResponse { status: resp.status, headers: resp.headers.clone(), body: scrubbed.into_bytes() })
    }

    /// POSTs `body` as JSON with `headers`, retrying and limiting; a transport failure becomes
    /// [`LlmError::Transport`] (or `Cancelled`).
    pub async fn post_json(
        &self,
        host: &dyn Host,
        headers: &[(String, String)],
        body: &Value,
        timeout_ms: u64,
        retry: &RetryPolicy,
    ) -> Result<HttpResponse, LlmError> {
        let bytes = serde_json::to_vec(body).map_err(|e| self.bad_response(format!("could not encode: {e}")))?;
        let mut req = HttpRequest::new(Method::Post, self.url.clone())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .body(bytes)
            .manual_redirect();
        if timeout_ms > 0 {
            req = req.timeout_ms(timeout_ms);
        }
        req.headers.extend(headers.iter().cloned());
        let notify = |n: &RetryNotice| {
            if let Some(f) = &self.on_retry {
                f(n);
            }
        };
        // The key never follows a redirect: same-origin 307/308 are followed here, the rest
        // (another origin, a browser's opaque redirect, a change to GET) is an error.
        let rules = RedirectRules::keep_method();
        match follow(req, &rules, |r| retry.send_limited(host, r, &self.limiter, &notify)).await {
            Ok(followed) => Ok(followed.response),
            Err(FollowError::Redirect(e)) => {
                Err(LlmError::Redirect { endpoint: self.label.clone(), message: e.to_string() })
            }
            Err(FollowError::Send(crate::host::HostError::Aborted)) => Err(LlmError::Cancelled),
            Err(FollowError::Send(source)) => {
                // Hosts may quote the request (and so its headers) in their messages.
                let source = match source {
                    crate::host::HostError::Network { message } => {
                        crate::host::HostError::Network { message: self.scrub(&message) }
                    }
                    other => other,
                };
                Err(LlmError::Transport { endpoint: self.label.clone(), source })
            }
        }
    }

    /// The body as JSON, or a [`LlmError::BadResponse`] that says what came instead.
    pub fn json_body(&self, resp: &HttpResponse) -> Result<Value, LlmError> {
        serde_json::from_slice(&resp.body).map_err(|_| {
            self.bad_response(format!("the body is not JSON ({}): {}", describe_type(resp), self.describe_error(resp)))
        })
    }
}

fn describe_type(resp: &HttpResponse) -> String {
    match resp.header("content-type") {
        Some(ct) => ct.split(';').next().unwrap_or(ct).trim().to_string(),
        None => "no content type".into(),
    }
}

/// One line saying what an error body says: `error.message` (OpenAI, Anthropic), `error`,
/// `message` or `detail` of a JSON body; the title of an HTML page; else the text's start.
pub(crate) fn error_message(resp: &HttpResponse) -> String {
    let text = resp.text();
    if let Ok(v) = serde_json::from_str::<Value>(&text) {
        let picked = [
            v.pointer("/error/message"),
            v.get("error").filter(|e| e.is_string()),
            v.get("message"),
            v.get("detail"),
            v.pointer("/error/type"),
        ]
        .into_iter()
        .flatten()
        .find_map(|m| match m {
            Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
            Value::Null => None,
            other if !other.is_string() => Some(other.to_string()),
            _ => None,
        });
        if let Some(m) = picked {
            return one_line(&m, 300);
        }
    }
    let lower = text.to_ascii_lowercase();
    if lower.contains("<html") || lower.contains("<!doctype") || lower.contains("<body") {
        let title = between(&text, &lower, "<title", "</title>").or_else(|| between(&text, &lower, "<h1", "</h1>"));
        let shown = title.map(|t| strip_tags(&t)).filter(|t| !t.trim().is_empty());
        return format!("an HTML page{}", shown.map(|t| format!(" ({})", one_line(&t, 120))).unwrap_or_default());
    }
    if text.trim().is_empty() {
        return "an empty body".into();
    }
    one_line(&text, 300)
}

fn between(text: &str, lower: &str, open: &str, close: &str) -> Option<String> {
    let start = lower.find(open)?;
    let gt = lower[start..].find('>')? + start + 1;
    let end = lower[gt..].find(close)? + gt;
    Some(text[gt..end].to_string())
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whitespace collapsed, at most `max` characters.
pub(crate) fn one_line(s: &str, max: usize) -> String {
    // Only the start matters; do not collapse a 10 MB body to show 300 characters of it.
    let mut cut = s.len().min(max.saturating_mul(8));
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    let collapsed = s[..cut].split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= max {
        collapsed
    } else {
        format!("{}…", collapsed.chars().take(max).collect::<String>())
    }
}

/// `base` + `suffix`: a trailing slash, or the suffix itself when the user pasted the full
/// path, is not doubled; a query string on the base (`?api-version=…`) stays at the end.
pub(crate) fn join_url(base: &str, suffix: &str) -> String {
    let base = base.trim();
    let (path, query) = match base.find('?') {
        Some(i) => (&base[..i], &base[i..]),
        None => (base, ""),
    };
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix(suffix).unwrap_or(path).trim_end_matches('/');
    format!("{path}{suffix}{query}")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn a_key_echoed_in_an_error_body_is_scrubbed_before_the_message_is_cut() {
        let key = "sk-live-0123456789abcdef";
        let endpoint = Endpoint::new("http://127.0.0.1:9/v1".into(), vec![key.into()], Limits::default());
        for offset in 270..=310 {
            let body = format!("{}{key} and more", "x".repeat(offset));
            for resp in [
                HttpResponse { status: 401, headers: vec![], body: body.clone().into_bytes() },
                HttpResponse { status: 200, headers: vec![], body: format!("{{\"message\":\"{body}\"}}").into_bytes() },
            ] {
                let shown = [endpoint.http_error(&resp).to_string(), endpoint.describe_error(&resp)].join(" ");
                // Three characters: "HTTP 401" holds two of the key's ("01").
                for piece in key.as_bytes().windows(3) {
                    let piece = std::str::from_utf8(piece).unwrap();
                    assert!(!shown.contains(piece), "offset {offset}: `{piece}` survived in {shown}");
                }
            }
        }
    }
}
