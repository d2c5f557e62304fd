//! Retrying HTTP requests, for every caller (LLM endpoints, embeddings, tool calls): which
//! answers are worth another try ([`RetryStatuses`], the per-status switch), how long to wait
//! (exponential backoff with jitter from [`Host::random`], or what the server asked for in
//! `retry-after-ms` or `Retry-After`, seconds or HTTP date), and the loop itself
//! ([`RetryPolicy::send`], [`RetryPolicy::send_limited`]).

use super::limit::Limiter;
use crate::host::{Host, HostError, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

/// Which HTTP statuses are worth another try.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum RetryStatuses {
    /// 408, 429, and 5xx other than 501/505 when `retry_server_errors` is on (LLM endpoints).
    #[default]
    Transient,
    /// Only 429 and 503, the answers of a server that asks us to come back (tool calls: a 500
    /// from the tool under study is evidence, not a hiccup).
    Overloaded,
}

/// How often and how patiently to retry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default)]
pub struct RetryPolicy {
    /// Tries in all, the first included (0 is treated as 1).
    #[cfg_attr(test, ts(optional = nullable))]
    pub max_attempts: u32,
    /// The backoff before the second try; doubled for each further try.
    #[cfg_attr(test, ts(optional = nullable))]
    pub base_delay_ms: u64,
    /// The longest computed backoff.
    #[cfg_attr(test, ts(optional = nullable))]
    pub max_delay_ms: u64,
    /// The longest wait granted to a server's `Retry-After`.
    #[cfg_attr(test, ts(optional = nullable))]
    pub max_retry_after_ms: u64,
    /// Retry 5xx answers (except 501 and 505, which will not change).
    #[cfg_attr(test, ts(optional = nullable))]
    pub retry_server_errors: bool,
    /// Retry refused connections, DNS failures and other network errors.
    #[cfg_attr(test, ts(optional = nullable))]
    pub retry_network_errors: bool,
    /// Retry requests that timed out.
    #[cfg_attr(test, ts(optional = nullable))]
    pub retry_timeouts: bool,
    /// Which statuses are retried.
    #[cfg_attr(test, ts(optional = nullable))]
    pub statuses: RetryStatuses,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay_ms: 500,
            max_delay_ms: 20_000,
            max_retry_after_ms: 60_000,
            retry_server_errors: true,
            retry_network_errors: true,
            retry_timeouts: true,
            statuses: RetryStatuses::Transient,
        }
    }
}

impl RetryPolicy {
    /// One try, no retries.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// The defaults of tool calls: only 429 and 503 retried, no wait longer than 10 s.
    pub fn for_tools() -> Self {
        RetryPolicy {
            max_delay_ms: 10_000,
            max_retry_after_ms: 10_000,
            statuses: RetryStatuses::Overloaded,
            ..RetryPolicy::default()
        }
    }

    /// This policy under the tool calls' rule: only idempotent (read-only) calls are retried,
    /// only on 429, 503, network errors and timeouts, and no wait (`Retry-After` included) is
    /// longer than `max_delay_ms`.
    pub fn for_tool_call(&self, idempotent: bool) -> Self {
        RetryPolicy {
            max_attempts: if idempotent { self.max_attempts } else { 1 },
            max_retry_after_ms: self.max_retry_after_ms.min(self.max_delay_ms),
            statuses: RetryStatuses::Overloaded,
            ..self.clone()
        }
    }

    /// Whether an answer with this status is worth another try, as `statuses` says. Other 4xx
    /// never are.
    pub fn retries_status(&self, status: u16) -> bool {
        match (self.statuses, status) {
            (RetryStatuses::Overloaded, s) => s == 429 || s == 503,
            (RetryStatuses::Transient, 408 | 429) => true,
            (RetryStatuses::Transient, 501 | 505) => false,
            (RetryStatuses::Transient, 500..=599) => self.retry_server_errors,
            (RetryStatuses::Transient, _) => false,
        }
    }

    /// Whether a transport error is worth another try.
    pub fn retries_error(&self, error: &HostError) -> bool {
        match error {
            HostError::Timeout { .. } => self.retry_timeouts,
            HostError::Network { .. } => self.retry_network_errors,
            HostError::Aborted => false,
        }
    }

    /// The wait before try number `next_attempt` (2 for the first retry): the server's
    /// `Retry-After` when it gave one (capped at `max_retry_after_ms`), otherwise
    /// `base · 2^(n-2)` capped at `max_delay_ms`, of which the upper half is random.
    pub fn delay_ms(&self, next_attempt: u32, response: Option<&HttpResponse>, host: &dyn Host) -> u64 {
        if let Some(ms) = response.and_then(retry_after_ms) {
            return ms.min(self.max_retry_after_ms);
        }
        let exp = next_attempt.saturating_sub(2).min(30);
        let full = self.base_delay_ms.saturating_mul(1u64 << exp).min(self.max_delay_ms);
        let jitter = host.random().clamp(0.0, 1.0);
        full / 2 + ((full - full / 2) as f64 * jitter) as u64
    }
}

/// Told before each wait between tries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RetryNotice {
    /// The try that just failed (1 for the first).
    pub attempt: u32,
    /// How long we wait before the next one.
    pub delay_ms: u64,
    /// Why: `HTTP 429`, `timed out after 1000 ms`, …
    pub reason: String,
}

impl RetryPolicy {
    /// Sends `request`, retrying as this policy says. Returns the last response (whatever its
    /// status) or the last transport error; `HostError::Aborted` as soon as the host is
    /// cancelled.
    pub async fn send(&self, host: &dyn Host, request: HttpRequest) -> Result<HttpResponse, HostError> {
        run(host, request, self, None, &|_| {}).await
    }

    /// [`RetryPolicy::send`] under a [`Limiter`] (one permit per try, released while
    /// waiting), calling `on_retry` before each wait.
    pub async fn send_limited(
        &self,
        host: &dyn Host,
        request: HttpRequest,
        limiter: &Limiter,
        on_retry: &dyn Fn(&RetryNotice),
    ) -> Result<HttpResponse, HostError> {
        run(host, request, self, Some(limiter), on_retry).await
    }
}

async fn run(
    host: &dyn Host,
    request: HttpRequest,
    policy: &RetryPolicy,
    limiter: Option<&Limiter>,
    on_retry: &dyn Fn(&RetryNotice),
) -> Result<HttpResponse, HostError> {
    let attempts = policy.max_attempts.max(1);
    let mut attempt = 1;
    loop {
        if host.cancelled() {
            return Err(HostError::Aborted);
        }
        let result = {
            let _permit = match limiter {
                Some(l) => Some(l.acquire(host).await?),
                None => None,
            };
            if host.cancelled() {
                return Err(HostError::Aborted);
            }
            host.fetch(request.clone()).await
        };
        let reason = match &result {
            Ok(resp) if policy.retries_status(resp.status) => format!("HTTP {}", resp.status),
            Err(e) if policy.retries_error(e) => e.to_string(),
            _ => return result,
        };
        if attempt >= attempts {
            return result;
        }
        let delay_ms = policy.delay_ms(attempt + 1, result.as_ref().ok(), host);
        on_retry(&RetryNotice { attempt, delay_ms, reason });
        host.sleep(delay_ms).await;
        attempt += 1;
    }
}

/// How long the server asked us to wait: `retry-after-ms`, or `Retry-After` as seconds or as
/// an HTTP date (measured against the response's own `Date` header, since the host's clock
/// has no fixed origin). `None` when absent or unreadable.
pub fn retry_after_ms(response: &HttpResponse) -> Option<u64> {
    if let Some(ms) = response.header("retry-after-ms").and_then(|v| crate::decimal::decimal(v.trim())) {
        if ms >= 0.0 {
            return Some(ms as u64);
        }
    }
    let value = response.header("retry-after")?.trim();
    if let Some(secs) = crate::decimal::decimal(value) {
        return (secs >= 0.0).then_some((secs * 1000.0) as u64);
    }
    let at = parse_http_date(value)?;
    let now = parse_http_date(response.header("date")?)?;
    Some((at - now).max(0) as u64 * 1000)
}

/// Seconds since the Unix epoch of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), also
/// accepting the obsolete RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime forms.
fn parse_http_date(s: &str) -> Option<i64> {
    let s = s.trim();
    let rest = s.split_once(',').map_or(s, |(_, r)| r).trim();
    let parts: Vec<&str> = rest.split([' ', '-']).filter(|p| !p.is_empty()).collect();
    // IMF / RFC 850: day month year time [GMT]; asctime: wkday month day time year.
    let (day, month, year, time) = match parts.as_slice() {
        [d, m, y, t, ..] if d.chars().all(|c| c.is_ascii_digit()) => (*d, *m, *y, *t),
        [_, m, d, t, y] => (*d, *m, *y, *t),
        _ => return None,
    };
    let month = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        .iter()
        .position(|n| month.len() >= 3 && month[..3].eq_ignore_ascii_case(n))? as i64
        + 1;
    let mut year: i64 = year.parse().ok()?;
    if year < 100 {
        year += if year < 70 { 2000 } else { 1900 };
    }
    let day: i64 = day.parse().ok()?;
    let hms: Vec<i64> = time.split(':').map(|p| p.parse().ok()).collect::<Option<_>>()?;
    let [h, m, sec] = hms.as_slice() else { return None };
    if !(1..=31).contains(&day) || *h > 23 || *m > 59 || *sec > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + sec)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(headers: &[(&str, &str)]) -> HttpResponse {
        HttpResponse {
            status: 429,
            headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            body: vec![],
        }
    }

    #[test]
    fn parses_http_dates() {
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), Some(784_111_777));
        assert_eq!(parse_http_date("Wed, 29 Feb 2024 23:59:59 GMT"), Some(1_709_251_199));
        assert_eq!(parse_http_date("yesterday"), None);
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 25:49:37 GMT"), None);
    }

    #[test]
    fn reads_retry_after_in_every_form() {
        assert_eq!(retry_after_ms(&resp(&[("retry-after", "3")])), Some(3000));
        assert_eq!(retry_after_ms(&resp(&[("Retry-After", " 1.5 ")])), Some(1500));
        assert_eq!(retry_after_ms(&resp(&[("retry-after-ms", "250")])), Some(250));
        let dated =
            resp(&[("date", "Sun, 06 Nov 1994 08:49:37 GMT"), ("retry-after", "Sun, 06 Nov 1994 08:50:07 GMT")]);
        assert_eq!(retry_after_ms(&dated), Some(30_000));
        let past = resp(&[("date", "Sun, 06 Nov 1994 08:49:37 GMT"), ("retry-after", "Sun, 06 Nov 1994 08:00:00 GMT")]);
        assert_eq!(retry_after_ms(&past), Some(0));
        assert_eq!(retry_after_ms(&resp(&[("retry-after", "Sun, 06 Nov 1994 08:50:07 GMT")])), None);
        assert_eq!(retry_after_ms(&resp(&[("retry-after", "-4")])), None);
        assert_eq!(retry_after_ms(&resp(&[])), None);
    }

    #[test]
    fn classifies_statuses_and_errors() {
        let p = RetryPolicy::default();
        for s in [408, 429, 500, 502, 503, 504, 529] {
            assert!(p.retries_status(s), "{s}");
        }
        for s in [200, 301, 400, 401, 403, 404, 409, 422, 501, 505] {
            assert!(!p.retries_status(s), "{s}");
        }
        let no5xx = RetryPolicy { retry_server_errors: false, ..p.clone() };
        assert!(!no5xx.retries_status(503) && no5xx.retries_status(429));
        let tools = RetryPolicy::for_tools();
        for (s, retried) in [(429, true), (503, true), (408, false), (500, false), (502, false), (504, false)] {
            assert_eq!(tools.retries_status(s), retried, "{s}");
        }
        assert!(p.retries_error(&HostError::Timeout { ms: 5 }));
        assert!(p.retries_error(&HostError::Network { message: "refused".into() }));
        assert!(!p.retries_error(&HostError::Aborted));
    }
}

#[cfg(test)]
#[path = "retry_tests.rs"]
mod loop_tests;
