//! Shared HTTP helpers over [`crate::host::Host`]: retries with exponential backoff and jitter
//! that honour `Retry-After`, and per-endpoint limits (concurrent requests, requests per
//! minute). Single-threaded, built on `futures`, no `Send` bounds, no clock or randomness
//! except through the host.
//!
//! API (stable; used by `llm` and `tools`):
//! - [`RetryPolicy`]`::send(&self, host: &dyn Host, request: HttpRequest) -> Result<HttpResponse, HostError>`:
//!   sends, retrying the statuses `policy.statuses` names and network errors/timeouts up to
//!   `policy.max_attempts` tries in all. Returns the last response even when its status is
//!   still an error (the caller decides what it means), or the last transport error. The one
//!   retry loop of the crate: LLM endpoints, embeddings and tool calls all use it.
//! - `policy.send_limited(host, request, limiter: &Limiter, on_retry: &dyn Fn(&RetryNotice))`:
//!   the same, taking a [`Permit`] from `limiter` for each attempt (never held while backing
//!   off) and telling `on_retry` before each wait.
//! - [`RetryPolicy`] (serde camelCase, every field defaulted): `maxAttempts` 3, `baseDelayMs`
//!   500, `maxDelayMs` 20 000, `maxRetryAfterMs` 60 000, `retryServerErrors` true,
//!   `retryNetworkErrors` true, `retryTimeouts` true, `statuses` `"transient"` (408, 429, 5xx
//!   but 501/505) or `"overloaded"` (429, 503 only). [`RetryPolicy::none`] tries once;
//!   [`RetryPolicy::for_tools`] is the tool calls' default and
//!   [`RetryPolicy::for_tool_call`]`(idempotent)` their rule (only idempotent calls retried).
//! - [`Limiter`]`::new(Limits { concurrency, requests_per_minute })`, cheap to clone (shared
//!   state); `limiter.acquire(host).await -> Result<Permit, HostError>`; the slot is freed when
//!   the [`Permit`] drops. [`LimiterSet`] hands out one shared limiter per endpoint key.
//! - [`retry_after_ms`]`(response) -> Option<u64>`: `Retry-After` (seconds or an HTTP date,
//!   measured against the response's `Date`) or `retry-after-ms`.
//! - [`redact_url`]`(url) -> String`: the URL without user info, query or fragment, for
//!   naming an endpoint in errors and events.
//! - [`follow`]`(request, rules: &RedirectRules, send) -> Result<Followed, FollowError<E>>`:
//!   sends with `send` and follows same-origin redirects itself (hop limit, Fetch's method
//!   rules); a redirect to another origin, or a browser's opaque redirect, is a
//!   [`RedirectError`] naming origins only. See the `redirect` module.
//! - [`Origin`]`::parse(url)`: scheme, host and port of an http(s) URL.
//!
//! ```
//! use tooldraft::net::{redact_url, RetryPolicy};
//! assert_eq!(redact_url("https://user:pw@api.example.com/v1?key=secret"), "https://api.example.com/v1");
//! let policy = RetryPolicy::default();
//! assert!(policy.retries_status(429) && policy.retries_status(503) && !policy.retries_status(404));
//! ```

mod limit;
mod origin;
mod redirect;
mod retry;

pub use limit::{Limiter, LimiterSet, Limits, Permit};
pub use origin::Origin;
pub use redirect::{
    follow, is_redirect, next_request, resolve_location, FollowError, Followed, RedirectError, RedirectRules,
    MAX_REDIRECT_HOPS,
};
pub use retry::{retry_after_ms, RetryNotice, RetryPolicy, RetryStatuses};

/// The URL without user info (`user:pass@`), query string or fragment: safe to show in errors,
/// events and reports. Text that is not a URL is returned up to its first `?` or `#`.
pub fn redact_url(url: &str) -> String {
    let cut = url.find(['?', '#']).unwrap_or(url.len());
    let url = &url[..cut];
    let Some(scheme_end) = url.find("://") else { return url.to_string() };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match authority.rfind('@') {
        Some(at) => format!("{}{}{}", &url[..scheme_end + 3], &authority[at + 1..], &rest[authority_end..]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn redacts_credentials_query_and_fragment() {
        assert_eq!(redact_url("http://127.0.0.1:8080/v1"), "http://127.0.0.1:8080/v1");
        assert_eq!(redact_url("http://a:b@h/x?api_key=1#f"), "http://h/x");
        assert_eq!(redact_url("https://tok@h"), "https://h");
        assert_eq!(redact_url("not a url?x=1"), "not a url");
        assert_eq!(redact_url("http://h/p@q"), "http://h/p@q");
    }
}
