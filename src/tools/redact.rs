//! Redaction of secrets from everything recorded: request and response headers, URLs
//! (API keys in query strings), bodies, error messages, events and reports.
//!
//! A [`Redactor`] knows the configured secrets (auth header values, API keys, bearer
//! tokens, the LLM key) and the names of headers and query parameters that carry secrets.
//!
//! ```
//! use tooldraft::tools::Redactor;
//! let mut r = Redactor::new();
//! r.add_secret("sk-live-123456");
//! r.add_query_param("api_key");
//! assert_eq!(r.redact_str("key sk-live-123456 leaked"), "key [REDACTED] leaked");
//! assert_eq!(r.redact_url("http://h/x?api_key=abc&q=1"), "http://h/x?api_key=[REDACTED]&q=1");
//! let mut v = serde_json::json!({"headers": {"Authorization": "Basic abc"}, "n": 1});
//! r.redact_value(&mut v);
//! assert_eq!(v["headers"]["Authorization"], "[REDACTED]");
//! ```

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;

/// What a redacted value is replaced with.
pub const REDACTED: &str = "[REDACTED]";

/// Secrets shorter than this are redacted only where they sit (a sensitive header or query
/// parameter), not as substrings everywhere: replacing every `p` of a password `p` would
/// destroy the evidence and still say what the secret was.
pub const MIN_SECRET_LEN: usize = 4;

const SENSITIVE_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
    "api-key",
    "x-auth-token",
    "mcp-session-id",
];

const SENSITIVE_QUERY_PARAMS: &[&str] =
    &["api_key", "apikey", "api-key", "access_token", "client_secret", "password", "x-api-key"];

/// RFC 3986 unreserved characters stay; everything else is encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Removes configured secrets from recorded text and values. Cheap to clone; its `Debug`
/// output never shows a secret.
#[derive(Clone)]
pub struct Redactor {
    /// Every form of every secret (raw, percent-encoded, JSON-escaped), longest first.
    secrets: Vec<String>,
    /// Lower-cased header names whose values are always redacted.
    headers: Vec<String>,
    /// Lower-cased query parameter names whose values are always redacted.
    query_params: Vec<String>,
}

impl Default for Redactor {
    fn default() -> Self {
        Redactor::new()
    }
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactor")
            .field("secrets", &self.secrets.len())
            .field("headers", &self.headers)
            .field("query_params", &self.query_params)
            .finish()
    }
}

impl Redactor {
    /// A redactor that knows the usual sensitive headers (Authorization, Proxy-Authorization,
    /// Cookie, Set-Cookie, X-Api-Key, Mcp-Session-Id, …) and query parameters (`api_key`,
    /// `access_token`, …), and no secrets yet.
    pub fn new() -> Self {
        Redactor {
            secrets: Vec::new(),
            headers: SENSITIVE_HEADERS.iter().map(|s| s.to_string()).collect(),
            query_params: SENSITIVE_QUERY_PARAMS.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Adds a secret; its percent-encoded and JSON-escaped forms are redacted too.
    pub fn add_secret(&mut self, secret: &str) {
        let secret = secret.trim();
        if secret.chars().count() < MIN_SECRET_LEN {
            return;
        }
        let encoded = utf8_percent_encode(secret, COMPONENT).to_string();
        let form = encoded.replace("%20", "+");
        let json = serde_json::to_string(secret).unwrap_or_default();
        let json = json.strip_prefix('"').and_then(|j| j.strip_suffix('"')).unwrap_or("").to_string();
        for form in [secret.to_string(), encoded, form, json] {
            if form.len() >= MIN_SECRET_LEN && !self.secrets.contains(&form) {
                self.secrets.push(form);
            }
        }
        crate::order::sort_by_key(&mut self.secrets, |s| std::cmp::Reverse(s.len()));
    }

    /// Builder form of [`Redactor::add_secret`].
    pub fn with_secret(mut self, secret: &str) -> Self {
        self.add_secret(secret);
        self
    }

    /// Always redacts the value of this header (case-insensitive).
    pub fn add_header(&mut self, name: &str) {
        let name = name.trim().to_ascii_lowercase();
        if !name.is_empty() && !self.headers.contains(&name) {
            self.headers.push(name);
        }
    }

    /// Always redacts the value of this query parameter (case-insensitive).
    pub fn add_query_param(&mut self, name: &str) {
        let name = name.trim().to_ascii_lowercase();
        if !name.is_empty() && !self.query_params.contains(&name) {
            self.query_params.push(name);
        }
    }

    /// Adds everything another redactor knows.
    pub fn merge(&mut self, other: &Redactor) {
        for s in &other.secrets {
            if !self.secrets.contains(s) {
                self.secrets.push(s.clone());
            }
        }
        crate::order::sort_by_key(&mut self.secrets, |s| std::cmp::Reverse(s.len()));
        for h in &other.headers {
            self.add_header(h);
        }
        for q in &other.query_params {
            self.add_query_param(q);
        }
    }

    /// How many secret forms it redacts.
    pub fn secret_count(&self) -> usize {
        self.secrets.len()
    }

    /// Whether this header's value is always redacted.
    pub fn is_sensitive_header(&self, name: &str) -> bool {
        let name = name.trim().to_ascii_lowercase();
        self.headers.contains(&name)
    }

    /// Whether this query parameter's value is always redacted.
    pub fn is_sensitive_query_param(&self, name: &str) -> bool {
        let name = name.trim().to_ascii_lowercase();
        self.query_params.contains(&name)
    }

    /// The text with every occurrence of a secret replaced by `[REDACTED]`.
    pub fn redact_str(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.secrets {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), REDACTED);
            }
        }
        out
    }

    /// Redacts a JSON value in place: secrets inside strings, and the values of keys that
    /// name a sensitive header (an echo server's `{"headers": {"Authorization": …}}`).
    pub fn redact_value(&self, value: &mut Value) {
        match value {
            Value::String(s) => {
                let r = self.redact_str(s);
                if r != *s {
                    *s = r;
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.redact_value(v)),
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    if v.is_string() && (self.is_sensitive_header(k) || self.is_sensitive_query_param(k)) {
                        *v = Value::String(REDACTED.into());
                    } else {
                        self.redact_value(v);
                    }
                }
            }
            _ => {}
        }
    }

    /// Headers with sensitive values replaced and secrets removed from the rest.
    pub fn redact_headers(&self, headers: &[(String, String)]) -> Vec<(String, String)> {
        headers
            .iter()
            .map(|(k, v)| {
                let v = if self.is_sensitive_header(k) { REDACTED.to_string() } else { self.redact_str(v) };
                (k.clone(), v)
            })
            .collect()
    }

    /// A URL with sensitive query parameter values replaced and secrets removed.
    pub fn redact_url(&self, url: &str) -> String {
        let (before_fragment, fragment) = match url.split_once('#') {
            Some((a, f)) => (a, Some(f)),
            None => (url, None),
        };
        let out = match before_fragment.split_once('?') {
            Some((path, query)) => {
                let pairs: Vec<String> = query
                    .split('&')
                    .map(|pair| {
                        let (k, _) = pair.split_once('=').unwrap_or((pair, ""));
                        let decoded = percent_encoding::percent_decode_str(k).decode_utf8_lossy();
                        if pair.contains('=') && self.is_sensitive_query_param(&decoded) {
                            format!("{k}={REDACTED}")
                        } else {
                            pair.to_string()
                        }
                    })
                    .collect();
                format!("{path}?{}", pairs.join("&"))
            }
            None => before_fragment.to_string(),
        };
        let out = match fragment {
            Some(f) => format!("{out}#{f}"),
            None => out,
        };
        self.redact_str(&out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn redacts_every_form_of_a_secret() {
        let r = Redactor::new().with_secret("p@ss word/\"q\"");
        assert_eq!(r.redact_str("raw p@ss word/\"q\" end"), "raw [REDACTED] end");
        assert_eq!(r.redact_str("url p%40ss%20word%2F%22q%22"), "url [REDACTED]");
        assert_eq!(r.redact_str("form p%40ss+word%2F%22q%22"), "form [REDACTED]");
        assert_eq!(r.redact_str(r#"json "p@ss word/\"q\"""#), r#"json "[REDACTED]""#);
        assert!(!format!("{r:?}").contains("ss word"));
    }

    #[test]
    fn short_secrets_are_not_substring_redacted() {
        let r = Redactor::new().with_secret("pw");
        assert_eq!(r.secret_count(), 0);
        assert_eq!(r.redact_str("upward pw"), "upward pw");
        assert_eq!(r.redact_headers(&[("Authorization".into(), "Basic pw".into())])[0].1, REDACTED);
    }

    #[test]
    fn redacts_headers_urls_and_values() {
        let mut r = Redactor::new().with_secret("tok-123456");
        r.add_header("X-Custom-Auth");
        r.add_query_param("Key");
        let h = r.redact_headers(&[
            ("x-custom-auth".into(), "anything".into()),
            ("Cookie".into(), "a=b".into()),
            ("Accept".into(), "text/plain; tok-123456".into()),
        ]);
        assert_eq!(h[0].1, REDACTED);
        assert_eq!(h[1].1, REDACTED);
        assert_eq!(h[2].1, "text/plain; [REDACTED]");
        assert_eq!(
            r.redact_url("http://h/p?key=abc&KEY=d&q=tok-123456&flag#frag"),
            "http://h/p?key=[REDACTED]&KEY=[REDACTED]&q=[REDACTED]&flag#frag"
        );
        let mut v = json!({"headers": {"Authorization": "Bearer tok-123456", "Host": "h"}, "args": {"key": "x"}, "list": ["tok-123456"]});
        r.redact_value(&mut v);
        assert_eq!(
            v,
            json!({"headers": {"Authorization": REDACTED, "Host": "h"}, "args": {"key": REDACTED}, "list": [REDACTED]})
        );
    }

    #[test]
    fn merge_combines_knowledge() {
        let mut a = Redactor::new().with_secret("alpha-secret");
        let mut b = Redactor::new().with_secret("beta-secret");
        b.add_header("X-B");
        a.merge(&b);
        assert_eq!(a.redact_str("alpha-secret beta-secret"), "[REDACTED] [REDACTED]");
        assert!(a.is_sensitive_header("x-b"));
    }
}
