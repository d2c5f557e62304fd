//! Bounded retries for tool calls: only idempotent (read-only) calls are retried, and only
//! on network errors, timeouts, 429 and 503, with exponential backoff, jitter from the host
//! and `Retry-After` honoured (capped).
//!
//! This is a deliberately small helper local to `tools`; the LLM layer has its own
//! (`send_with_retry` in `src/net/`), and the two are meant to be unified.
//!
//! ```
//! use tooldraft::tools::RetryPolicy;
//! let p = RetryPolicy::default();
//! assert_eq!(p.max_attempts, 3);
//! assert_eq!(p.delay_ms(1, None, 0.5), 500);
//! assert_eq!(p.delay_ms(1, Some("2"), 0.5), 2000);
//! ```

use crate::host::{Host, HostError, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

/// How tool calls are retried.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RetryPolicy {
    /// Attempts in all, including the first (1 disables retries).
    #[serde(default = "default_attempts")]
    pub max_attempts: u32,
    /// The first backoff; doubled on each retry.
    #[serde(default = "default_base")]
    pub base_delay_ms: u64,
    /// No wait is longer than this, whatever `Retry-After` says.
    #[serde(default = "default_max")]
    pub max_delay_ms: u64,
}

fn default_attempts() -> u32 {
    3
}
fn default_base() -> u64 {
    500
}
fn default_max() -> u64 {
    10_000
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_attempts: default_attempts(), base_delay_ms: default_base(), max_delay_ms: default_max() }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..Default::default() }
    }

    /// The wait before retry number `retry` (1-based): `Retry-After` seconds when given,
    /// else `base * 2^(retry-1)` scaled by a jitter factor in [0.5, 1.5); capped.
    pub fn delay_ms(&self, retry: u32, retry_after: Option<&str>, random: f64) -> u64 {
        if let Some(secs) = retry_after.and_then(|s| s.trim().parse::<f64>().ok()) {
            if secs.is_finite() && secs >= 0.0 {
                return ((secs * 1000.0) as u64).min(self.max_delay_ms);
            }
        }
        let exp = self.base_delay_ms.saturating_mul(1u64 << retry.saturating_sub(1).min(20));
        let jitter = 0.5 + random.clamp(0.0, 1.0);
        ((exp as f64 * jitter) as u64).min(self.max_delay_ms)
    }
}

/// Whether this outcome is worth another try.
fn retryable(outcome: &Result<HttpResponse, HostError>) -> bool {
    match outcome {
        Ok(r) => r.status == 429 || r.status == 503,
        Err(HostError::Network { .. } | HostError::Timeout { .. }) => true,
        Err(HostError::Aborted) => false,
    }
}

/// Sends `request`, retrying per `policy` when `idempotent`; returns the last outcome and
/// how many attempts were made. Stops early when the host is cancelled.
pub async fn send_with_retry(
    host: &dyn Host,
    request: HttpRequest,
    policy: &RetryPolicy,
    idempotent: bool,
) -> (Result<HttpResponse, HostError>, u32) {
    let attempts = if idempotent { policy.max_attempts.max(1) } else { 1 };
    let mut attempt = 1;
    loop {
        if host.cancelled() {
            return (Err(HostError::Aborted), attempt);
        }
        let outcome = host.fetch(request.clone()).await;
        if attempt >= attempts || !retryable(&outcome) {
            return (outcome, attempt);
        }
        let retry_after = outcome.as_ref().ok().and_then(|r| r.header("retry-after").map(str::to_string));
        host.sleep(policy.delay_ms(attempt, retry_after.as_deref(), host.random())).await;
        attempt += 1;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::tools::testing::ScriptedHost;

    #[test]
    fn delays() {
        let p = RetryPolicy { max_attempts: 5, base_delay_ms: 100, max_delay_ms: 1000 };
        assert_eq!(p.delay_ms(1, None, 0.0), 50);
        assert_eq!(p.delay_ms(3, None, 0.5), 400);
        assert_eq!(p.delay_ms(9, None, 0.99), 1000);
        assert_eq!(p.delay_ms(1, Some("60"), 0.5), 1000);
        assert_eq!(p.delay_ms(1, Some("Wed, 21 Oct 2015 07:28:00 GMT"), 0.5), 100);
    }

    #[test]
    fn retries_idempotent_calls_on_429_503_and_network_errors() {
        let host = ScriptedHost::new(vec![
            Err(HostError::Network { message: "refused".into() }),
            Ok(ScriptedHost::response(429, &[("retry-after", "1")], "")),
            Ok(ScriptedHost::response(503, &[], "")),
            Ok(ScriptedHost::response(200, &[], "ok")),
        ]);
        let p = RetryPolicy { max_attempts: 4, base_delay_ms: 10, max_delay_ms: 5000 };
        let (r, n) = crate::tools::testing::block_on(send_with_retry(
            &host,
            HttpRequest::new(crate::host::Method::Get, "http://h/"),
            &p,
            true,
        ));
        assert_eq!((r.unwrap().status, n), (200, 4));
        let slept = host.slept();
        assert_eq!(slept.len(), 3);
        assert_eq!(slept[1], 1000, "Retry-After honoured");
    }

    #[test]
    fn never_retries_non_idempotent_calls_or_other_statuses() {
        let host =
            ScriptedHost::new(vec![Ok(ScriptedHost::response(503, &[], "")), Ok(ScriptedHost::response(200, &[], ""))]);
        let (r, n) = crate::tools::testing::block_on(send_with_retry(
            &host,
            HttpRequest::new(crate::host::Method::Post, "http://h/"),
            &RetryPolicy::default(),
            false,
        ));
        assert_eq!((r.unwrap().status, n), (503, 1));
        let host =
            ScriptedHost::new(vec![Ok(ScriptedHost::response(500, &[], "")), Ok(ScriptedHost::response(200, &[], ""))]);
        let (r, n) = crate::tools::testing::block_on(send_with_retry(
            &host,
            HttpRequest::new(crate::host::Method::Get, "http://h/"),
            &RetryPolicy::default(),
            true,
        ));
        assert_eq!((r.unwrap().status, n), (500, 1));
        let host = ScriptedHost::new(vec![Ok(ScriptedHost::response(503, &[], "")); 5]);
        let (r, n) = crate::tools::testing::block_on(send_with_retry(
            &host,
            HttpRequest::new(crate::host::Method::Get, "http://h/"),
            &RetryPolicy::default(),
            true,
        ));
        assert_eq!((r.unwrap().status, n), (503, 3), "bounded");
    }
}
