//! The `RefinerConfig` a JS caller passes (`llm`, `tools`, `embeddings`, `safety`, `limits`, `thresholds`,
//! `regression` (the core's [`RegressionRules`], as is), `verify`, `fetch`, `timeoutMs`), read
//! and checked once, and turned into the core's model, tool
//! caller, safety policy and engine configuration.
//!
//! ```ignore
//! // JS: new Refiner({llm: {provider: 'openai', baseUrl, model}, tools: {mcpUrl}, limits: {maxEpisodes: 2}})
//! ```

use super::convert::{from_js, function_property, property, without_functions};
use super::embeddings::EmbeddingsSetup;
use super::error::{js_error, to_js_error};
use super::host::{Cancellation, JsHost};
use super::llm_host::HostChatModel;
use super::tool_host::HostToolCaller;
use crate::host::Host;
use crate::llm::ChatModel;
use crate::llm::{AnthropicConfig, LlmConfig};
use crate::refine::{Budget, LimitsConfig, RefineConfig, RegressionRules, ThresholdsConfig, VerifyConfig};
use crate::tools::{HttpConfig, HttpToolCaller, McpClient, McpConfig, McpToolCaller, SafetyPolicy, ToolCaller};
use crate::tools::{SafetyOptions, ToolsOptions};
use js_sys::Function;
use serde::Deserialize;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// Where the model's answers come from.
#[derive(Clone)]
pub enum LlmSetup {
    Host { call: Function },
    Provider(LlmConfig),
}

/// Where tool calls go (`tools`): the core's options and the host's own `callTool`.
#[derive(Clone, Default)]
pub struct ToolsSetup {
    pub options: ToolsOptions,
    pub call_tool: Option<Function>,
}

impl ToolsSetup {
    /// Reads `config.tools` (absent: no tool target).
    pub fn from_js(config: &JsValue) -> Result<ToolsSetup, JsValue> {
        let options: ToolsOptions = section(config, "tools")?;
        let call_tool = match property(config, "tools")? {
            Some(t) => function_property(&t, "callTool", "tools.callTool")?,
            None => None,
        };
        Ok(ToolsSetup { options, call_tool })
    }
}

/// A whole `RefinerConfig`, checked.
#[derive(Clone)]
pub struct RefinerSetup {
    pub llm: LlmSetup,
    pub tools: ToolsSetup,
    pub safety: SafetyOptions,
    pub limits: LimitsConfig,
    pub thresholds: ThresholdsConfig,
    /// Which embedder measures φ and Δ.
    pub embeddings: EmbeddingsSetup,
    /// Replay verification (`verify: {queries}`).
    pub verify: VerifyConfig,
    /// The gate's regression rules and thresholds.
    pub regression: RegressionRules,
    pub fetch: Option<Function>,
    pub timeout_ms: Option<u64>,
}

fn invalid(message: String) -> JsValue {
    js_error("InvalidConfig", &message)
}

/// An optional object-valued option (`tools`, `safety`, …), its functions left out; the
/// default when absent.
pub fn section<T: for<'de> Deserialize<'de> + Default>(config: &JsValue, name: &str) -> Result<T, JsValue> {
    match property(config, name)? {
        None => Ok(T::default()),
        Some(v) if v.is_object() => from_js(without_functions(&v)?, name),
        Some(_) => Err(invalid(format!("{name} must be an object"))),
    }
}

/// `timeoutMs` (per request), when given: a positive number of milliseconds.
pub fn timeout_ms(config: &JsValue) -> Result<Option<u64>, JsValue> {
    match property(config, "timeoutMs")?.map(|v| v.as_f64()) {
        None => Ok(None),
        Some(Some(ms)) if ms.is_finite() && ms > 0.0 => Ok(Some(ms.ceil() as u64)),
        Some(_) => Err(invalid("timeoutMs must be a positive number".into())),
    }
}

impl RefinerSetup {
    /// Reads and checks a JS `RefinerConfig`.
    pub fn from_js(config: &JsValue) -> Result<RefinerSetup, JsValue> {
        if !config.is_object() {
            return Err(invalid("the config must be an object with at least `llm`".into()));
        }
        let llm = property(config, "llm")?.ok_or_else(|| invalid("llm is required".into()))?;
        let provider = property(&llm, "provider")?.and_then(|p| p.as_string()).unwrap_or_default();
        let llm = match provider.as_str() {
            "host" => LlmSetup::Host {
                call: function_property(&llm, "call", "llm.call")?
                    .ok_or_else(|| invalid("llm.call is required with provider 'host'".into()))?,
            },
            // Each provider's settings read as their own struct (`provider` is ignored there),
            // not as the tagged `LlmConfig`: see `crate::wire`.
            "openai" => LlmSetup::Provider(LlmConfig::OpenAi(from_js(without_functions(&llm)?, "llm")?)),
            "anthropic" => {
                let c: AnthropicConfig = from_js(without_functions(&llm)?, "llm")?;
                let keyed = c.api_key.as_deref().is_some_and(|k| !k.is_empty())
                    || c.headers.keys().any(|h| h.eq_ignore_ascii_case("x-api-key"));
                if !keyed {
                    return Err(invalid("llm.apiKey is required with provider 'anthropic'".into()));
                }
                LlmSetup::Provider(LlmConfig::Anthropic(c))
            }
            other => {
                return Err(invalid(format!("llm.provider must be 'openai', 'anthropic' or 'host', not '{other}'")))
            }
        };
        let tools = ToolsSetup::from_js(config)?;
        let limits: LimitsConfig = section(config, "limits")?;
        let thresholds: ThresholdsConfig = section(config, "thresholds")?;
        if limits.max_episodes == 0 || limits.concurrency == 0 {
            return Err(invalid("limits.maxEpisodes and limits.concurrency must be at least 1".into()));
        }
        for (name, v) in [("diversity", thresholds.diversity), ("convergence", thresholds.convergence)] {
            if v.is_some_and(|v| !(0.0..=1.0).contains(&v)) {
                return Err(invalid(format!("thresholds.{name} must be between 0 and 1")));
            }
        }
        let regression: RegressionRules = section(config, "regression")?;
        RefineConfig { regression: regression.clone(), ..RefineConfig::default() }
            .validate()
            .map_err(|e| invalid(e.to_string().trim_start_matches("invalid configuration: ").to_string()))?;
        let timeout_ms = timeout_ms(config)?;
        Ok(RefinerSetup {
            llm,
            tools,
            safety: section(config, "safety")?,
            limits,
            thresholds,
            embeddings: EmbeddingsSetup::from_js(config)?,
            verify: section(config, "verify")?,
            regression,
            fetch: function_property(config, "fetch", "fetch")?,
            timeout_ms,
        })
    }
}

impl RefinerSetup {
    /// Every secret of the configuration (the LLM key, LLM and tool header values), so that
    /// the tool callers' redactor scrubs them from everything recorded.
    pub fn secrets(&self) -> Vec<String> {
        let mut out = match &self.llm {
            LlmSetup::Provider(c) => c.secrets(),
            LlmSetup::Host { .. } => Vec::new(),
        };
        out.extend(self.tools.options.headers.values().cloned());
        out.extend(self.embeddings.secrets());
        out.retain(|s| !s.is_empty());
        out
    }

    /// The safety policy: read-only unless writes or destructive calls are allowed, globally
    /// or for the listed operations.
    pub fn policy(&self) -> SafetyPolicy {
        self.safety.policy()
    }

    /// The engine's configuration.
    pub fn refine_config(&self) -> RefineConfig {
        let l = &self.limits;
        RefineConfig {
            max_episodes: l.max_episodes,
            concurrency: l.concurrency,
            run_budget: Budget {
                model_calls: l.budget_calls,
                tool_calls: l.budget_tool_calls,
                tokens: l.budget_tokens,
            },
            operation_budget: Budget {
                model_calls: l.budget_calls_per_operation,
                tool_calls: l.budget_tool_calls_per_operation,
                tokens: None,
            },
            diversity_threshold: self.thresholds.diversity,
            diversity_tries: self.thresholds.diversity_retries.max(1),
            convergence_threshold: self.thresholds.convergence,
            delta_text: self.thresholds.delta_text,
            regression: self.regression.clone(),
            only: l.only.clone(),
            schema_repair: l.schema_repair,
            schema_probes: l.schema_probes,
            verify: self.verify.clone(),
            ..RefineConfig::default()
        }
    }

    /// The chat model: a provider over `host`, or the host's own function.
    pub fn model(&self, host: &Rc<JsHost>, cancel: &Cancellation) -> Rc<dyn ChatModel> {
        match &self.llm {
            LlmSetup::Host { call } => Rc::new(HostChatModel::new(call.clone(), cancel.clone())),
            LlmSetup::Provider(c) => c.clone().build(host.clone() as Rc<dyn Host>),
        }
    }

    /// The tool caller, guarded by the safety policy (see [`tool_caller`]).
    pub fn tool_caller(&self, host: &Rc<JsHost>, cancel: &Cancellation) -> Result<Option<Rc<dyn ToolCaller>>, JsValue> {
        tool_caller(&self.tools, self.policy(), self.secrets(), self.timeout_ms, host, cancel)
    }
}

/// The tool caller, guarded by `policy`: the host's `callTool`, an MCP server, or an HTTP
/// API. `None` when no target is configured. `secrets` are scrubbed from everything recorded.
pub fn tool_caller(
    tools: &ToolsSetup,
    policy: SafetyPolicy,
    secrets: Vec<String>,
    timeout_ms: Option<u64>,
    host: &Rc<JsHost>,
    cancel: &Cancellation,
) -> Result<Option<Rc<dyn ToolCaller>>, JsValue> {
    let headers: indexmap::IndexMap<String, String> =
        tools.options.headers.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    if let Some(call_tool) = &tools.call_tool {
        let clock_host = host.clone();
        let permits: super::tool_host::Permits = Box::new(move |op| policy.check(op));
        return Ok(Some(Rc::new(HostToolCaller::new(
            call_tool.clone(),
            cancel.clone(),
            permits,
            Box::new(move || clock_host.now_ms()),
        ))));
    }
    if let Some(url) = &tools.options.mcp_url {
        let mut config = McpConfig::new(url.clone());
        config.headers = headers;
        config.secrets = secrets;
        config.timeout_ms = timeout_ms.or(config.timeout_ms);
        let client = McpClient::new(host.clone() as Rc<dyn Host>, config).map_err(|e| to_js_error(&e))?;
        return Ok(Some(Rc::new(McpToolCaller::new(Rc::new(client), policy))));
    }
    if let Some(url) = &tools.options.base_url {
        let mut config = HttpConfig::new(url.clone());
        config.headers = headers;
        config.secrets = secrets;
        config.timeout_ms = timeout_ms.or(config.timeout_ms);
        let caller = HttpToolCaller::new(host.clone() as Rc<dyn Host>, config, policy).map_err(|e| to_js_error(&e))?;
        return Ok(Some(Rc::new(caller)));
    }
    Ok(None)
}
