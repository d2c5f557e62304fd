//! The provider a user configures, as it crosses the JS boundary
//! (`{provider: "openai", baseUrl, model, apiKey?, …}` or `{provider: "anthropic", …}`), and
//! building the model from it. The host-function provider is built by the wasm façade.
//!
//! ```
//! use tooldraft::llm::config::LlmConfig;
//! let c: LlmConfig = serde_json::from_str(
//!     r#"{"provider": "openai", "baseUrl": "http://127.0.0.1:8080/v1", "model": "m", "apiKey": "sk-1"}"#,
//! ).unwrap();
//! assert_eq!(c.endpoint(), "http://127.0.0.1:8080/v1/chat/completions");
//! assert!(!serde_json::to_string(&c).unwrap().contains("sk-1"));
//! ```

use super::anthropic::{Anthropic, AnthropicConfig};
use super::openai::{OpenAiCompatible, OpenAiConfig};
use super::ChatModel;
use crate::host::Host;
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// Which provider, with its settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ProviderLlmConfig"))]
#[serde(tag = "provider")]
pub enum LlmConfig {
    #[serde(rename = "openai")]
    OpenAi(OpenAiConfig),
    #[serde(rename = "anthropic")]
    Anthropic(AnthropicConfig),
}

impl LlmConfig {
    /// The model, sending through `host`.
    pub fn build(self, host: Rc<dyn Host>) -> Rc<dyn ChatModel> {
        match self {
            LlmConfig::OpenAi(c) => Rc::new(OpenAiCompatible::new(c, host)),
            LlmConfig::Anthropic(c) => Rc::new(Anthropic::new(c, host)),
        }
    }

    /// [`LlmConfig::build`], telling `on_retry` before each wait between tries.
    pub fn build_observed(
        self,
        host: Rc<dyn Host>,
        on_retry: Rc<dyn Fn(&crate::net::RetryNotice)>,
    ) -> Rc<dyn ChatModel> {
        match self {
            LlmConfig::OpenAi(c) => Rc::new(OpenAiCompatible::new(c, host).with_retry_observer(on_retry)),
            LlmConfig::Anthropic(c) => Rc::new(Anthropic::new(c, host).with_retry_observer(on_retry)),
        }
    }

    /// The URL requests go to, as shown in errors and reports (no credentials, no query).
    pub fn endpoint(&self) -> String {
        let url = match self {
            LlmConfig::OpenAi(c) => super::endpoint::join_url(&c.base_url, "/chat/completions"),
            LlmConfig::Anthropic(c) => super::anthropic::messages_url(&c.base_url),
        };
        crate::net::redact_url(&url)
    }

    /// The model name.
    pub fn model(&self) -> &str {
        match self {
            LlmConfig::OpenAi(c) => &c.model,
            LlmConfig::Anthropic(c) => &c.model,
        }
    }

    /// The key, if one is set (for redaction lists; never display it).
    pub fn api_key(&self) -> Option<&str> {
        match self {
            LlmConfig::OpenAi(c) => c.api_key.as_deref(),
            LlmConfig::Anthropic(c) => c.api_key.as_deref(),
        }
    }

    /// Every secret of this configuration (the key, header values), for redaction lists.
    pub fn secrets(&self) -> Vec<String> {
        let (key, headers) = match self {
            LlmConfig::OpenAi(c) => (&c.api_key, &c.headers),
            LlmConfig::Anthropic(c) => (&c.api_key, &c.headers),
        };
        key.iter().chain(headers.values()).filter(|s| !s.is_empty()).cloned().collect()
    }
}
