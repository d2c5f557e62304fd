//! An OpenAI-compatible embeddings client (`POST {base}/embeddings`: OpenAI, Ollama, vLLM,
//! llama.cpp server, LM Studio, `tooldraft serve-llm`), an [`Embedder`] used for similarity
//! only when the user configures it (the default similarity needs no network). Requests go
//! through the one network layer (retries, limits, same-origin redirects only: the key never
//! reaches another origin); an answer with the wrong number of vectors is an error.
//!
//! ```
//! use tooldraft::llm::embeddings::EmbeddingsConfig;
//! let config: EmbeddingsConfig =
//!     serde_json::from_str(r#"{"baseUrl": "http://127.0.0.1:11434/v1", "model": "nomic-embed-text"}"#).unwrap();
//! assert_eq!(config.batch_size, 64);
//! ```

use super::endpoint::{join_url, Endpoint};
use super::{LlmError, Usage};
use crate::host::Host;
use crate::net::{Limits, RetryPolicy};
use crate::similarity::{family_thresholds, EmbedError, Embedded, Embedder, Thresholds};
use async_trait::async_trait;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::cell::Cell;
use std::rc::Rc;

/// Settings of an embeddings endpoint. The key and header values are never serialised.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "EmbeddingsEndpointConfig"))]
#[serde(rename_all = "camelCase")]
pub struct EmbeddingsConfig {
    pub base_url: String,
    pub model: String,
    #[serde(default, skip_serializing)]
    #[cfg_attr(test, ts(optional))]
    pub api_key: Option<String>,
    #[serde(default, skip_serializing)]
    pub headers: IndexMap<String, String>,
    /// Ask for vectors of this size (`dimensions`), when the model supports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub dimensions: Option<u32>,
    /// Texts per request.
    #[serde(default = "default_batch")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub batch_size: usize,
    #[serde(default = "super::openai::default_timeout")]
    #[cfg_attr(test, ts(optional = nullable))]
    pub timeout_ms: u64,
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub retry: RetryPolicy,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub concurrency: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub requests_per_minute: Option<u32>,
}

fn default_batch() -> usize {
    64
}

impl std::fmt::Debug for EmbeddingsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddingsConfig")
            .field("base_url", &crate::net::redact_url(&self.base_url))
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field("batch_size", &self.batch_size)
            .finish_non_exhaustive()
    }
}

impl EmbeddingsConfig {
    /// An endpoint and model with default settings.
    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> Self {
        EmbeddingsConfig {
            base_url: base_url.into(),
            model: model.into(),
            api_key: None,
            headers: IndexMap::new(),
            dimensions: None,
            batch_size: default_batch(),
            timeout_ms: super::openai::default_timeout(),
            retry: RetryPolicy::default(),
            concurrency: None,
            requests_per_minute: None,
        }
    }
}

/// Turns texts into vectors through an OpenAI-compatible endpoint.
pub struct OpenAiEmbeddings {
    config: EmbeddingsConfig,
    host: Rc<dyn Host>,
    endpoint: Endpoint,
    usage: Cell<Usage>,
}

impl OpenAiEmbeddings {
    pub fn new(config: EmbeddingsConfig, host: Rc<dyn Host>) -> Self {
        let url = join_url(&config.base_url, "/embeddings");
        let mut secrets: Vec<String> = config.headers.values().cloned().collect();
        secrets.extend(config.api_key.clone());
        let limits = Limits { concurrency: config.concurrency, requests_per_minute: config.requests_per_minute };
        OpenAiEmbeddings {
            endpoint: Endpoint::new(url, secrets, limits),
            config,
            host,
            usage: Cell::new(Usage::default()),
        }
    }

    /// Calls `f` before each wait between tries (429, 5xx, network errors), e.g. to report it.
    pub fn with_retry_observer(mut self, f: super::endpoint::RetryObserver) -> Self {
        self.endpoint.on_retry = Some(f);
        self
    }

    /// The embeddings URL as shown in errors.
    pub fn endpoint(&self) -> &str {
        &self.endpoint.label
    }

    /// Tokens spent so far (prompt tokens only).
    pub fn usage(&self) -> Usage {
        self.usage.get()
    }

    /// One vector per text, in order, sent in batches of `batch_size`; errors as the chat
    /// providers' (the [`Embedder`] implementation maps them to [`EmbedError`]).
    pub async fn embed_counted(&self, texts: &[String]) -> Result<Embedded, LlmError> {
        let mut out = Embedded::default();
        for batch in texts.chunks(self.config.batch_size.max(1)) {
            let (vectors, tokens) = self.embed_batch(batch).await?;
            out.vectors.extend(vectors);
            out.requests += 1;
            out.prompt_tokens += tokens;
        }
        Ok(out)
    }

    async fn embed_batch(&self, batch: &[String]) -> Result<(Vec<Vec<f32>>, u64), LlmError> {
        let mut body = json!({"model": self.config.model, "input": batch});
        if let Some(d) = self.config.dimensions {
            body["dimensions"] = json!(d);
        }
        let mut headers = Vec::new();
        if let Some(k) = self.config.api_key.as_deref().filter(|k| !k.is_empty()) {
            headers.push(("Authorization".to_string(), format!("Bearer {k}")));
        }
        headers.extend(self.config.headers.iter().map(|(k, v)| (k.clone(), v.clone())));
        let resp = self
            .endpoint
            .post_json(self.host.as_ref(), &headers, &body, self.config.timeout_ms, &self.config.retry)
            .await?;
        if !(200..300).contains(&resp.status) {
            return Err(self.endpoint.http_error(&resp));
        }
        let v = self.endpoint.json_body(&resp)?;
        let Some(data) = v.get("data").and_then(Value::as_array) else {
            return Err(self.endpoint.bad_response("the answer has no `data` list"));
        };
        let mut slots: Vec<Option<Vec<f32>>> = vec![None; batch.len()];
        for (pos, item) in data.iter().enumerate() {
            let index = item.get("index").and_then(Value::as_u64).map_or(pos, |i| i as usize);
            let Some(raw) = item.get("embedding").and_then(Value::as_array) else {
                return Err(self.endpoint.bad_response(format!("item {pos} has no `embedding` list")));
            };
            let vector: Option<Vec<f32>> = raw.iter().map(|x| x.as_f64().map(|f| f as f32)).collect();
            let Some(vector) = vector else {
                return Err(self.endpoint.bad_response(format!("item {pos} has a non-number in its embedding")));
            };
            match slots.get_mut(index) {
                Some(slot) => *slot = Some(vector),
                None => return Err(self.endpoint.bad_response(format!("item {pos} has index {index} out of range"))),
            }
        }
        if data.len() != batch.len() {
            return Err(self.endpoint.bad_response(format!("{} embeddings for {} inputs", data.len(), batch.len())));
        }
        let tokens = v.pointer("/usage/prompt_tokens").and_then(Value::as_u64).unwrap_or(0);
        let mut u = self.usage.get();
        u.prompt_tokens += tokens;
        self.usage.set(u);
        let vectors = slots
            .into_iter()
            .enumerate()
            .map(|(i, s)| s.ok_or_else(|| self.endpoint.bad_response(format!("no embedding for input {i}"))))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((vectors, tokens))
    }
}

fn embed_error(e: LlmError) -> EmbedError {
    match e {
        LlmError::Cancelled => EmbedError::Cancelled,
        LlmError::Transport { endpoint, source } => EmbedError::Endpoint { endpoint, message: source.to_string() },
        LlmError::Http { endpoint, status, message } => {
            EmbedError::Endpoint { endpoint, message: format!("HTTP {status}: {message}") }
        }
        bad @ LlmError::BadResponse { .. } => EmbedError::BadAnswer { message: bad.to_string() },
        LlmError::Redirect { endpoint, message } => EmbedError::Endpoint { endpoint, message },
        other => EmbedError::Endpoint { endpoint: String::new(), message: other.to_string() },
    }
}

#[async_trait(?Send)]
impl Embedder for OpenAiEmbeddings {
    fn name(&self) -> String {
        format!("openai-compatible:{}", self.config.model)
    }
    fn thresholds(&self) -> Thresholds {
        family_thresholds(&self.config.model)
    }
    /// Sent in batches of `batch_size` (one request for the texts of one step).
    async fn embed_texts(&self, texts: &[String]) -> Result<Embedded, EmbedError> {
        self.embed_counted(texts).await.map_err(embed_error)
    }
}
