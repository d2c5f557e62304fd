//! Hosts for native integration tests: a real HTTP host (blocking, through ureq) for tests
//! against servers on 127.0.0.1, with a virtual clock and seeded randomness.
#![allow(dead_code)]

use async_trait::async_trait;
use std::cell::Cell;
use tooldraft::host::{Host, HostError, HttpRequest, HttpResponse};

/// Sends real HTTP requests (blocking); sleeps advance a virtual clock instead of waiting.
pub struct NativeHost {
    clock: Cell<f64>,
    seed: Cell<u64>,
}

impl Default for NativeHost {
    fn default() -> Self {
        NativeHost { clock: Cell::new(0.0), seed: Cell::new(0x9e3779b97f4a7c15) }
    }
}

#[async_trait(?Send)]
impl Host for NativeHost {
    async fn fetch(&self, req: HttpRequest) -> Result<HttpResponse, HostError> {
        let agent = ureq::AgentBuilder::new()
            .timeout(std::time::Duration::from_millis(req.timeout_ms.unwrap_or(30_000)))
            .redirects(if req.manual_redirect { 0 } else { 5 })
            .build();
        let mut r = agent.request(req.method.as_str(), &req.url);
        for (k, v) in &req.headers {
            r = r.set(k, v);
        }
        let result = match &req.body {
            Some(b) => r.send_bytes(b),
            None => r.call(),
        };
        let resp = match result {
            Ok(resp) | Err(ureq::Error::Status(_, resp)) => resp,
            Err(ureq::Error::Transport(t)) => {
                let message = t.to_string();
                if message.contains("timed out") {
                    return Err(HostError::Timeout { ms: req.timeout_ms.unwrap_or(30_000) });
                }
                return Err(HostError::Network { message });
            }
        };
        let status = resp.status();
        let headers = resp
            .headers_names()
            .into_iter()
            .filter_map(|n| resp.header(&n).map(|v| (n.to_ascii_lowercase(), v.to_string())))
            .collect();
        let mut body = Vec::new();
        std::io::Read::read_to_end(&mut resp.into_reader(), &mut body)
            .map_err(|e| HostError::Network { message: e.to_string() })?;
        Ok(HttpResponse { status, headers, body })
    }

    async fn sleep(&self, ms: u64) {
        self.clock.set(self.clock.get() + ms as f64);
    }

    fn now_ms(&self) -> f64 {
        self.clock.get()
    }

    fn random(&self) -> f64 {
        // xorshift64*
        let mut x = self.seed.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.seed.set(x);
        (x.wrapping_mul(0x2545f4914f6cdd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}
