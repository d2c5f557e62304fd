//! Embeddings from JS: the `embeddings` section of a `RefinerConfig` (the local n-gram
//! embedding when absent; an OpenAI-compatible endpoint `{baseUrl, model, apiKey?, …}`; or a
//! host function `{provider: 'host', embed, name?}` where
//! `embed(texts, {signal}) => Promise<number[][] | {vectors, promptTokens?}>`), the
//! [`HostEmbedder`] behind the last, and `calibrate(set, {embeddings?, signal?})`.
//!
//! ```ignore
//! // JS: new Refiner({llm, tools, embeddings: {baseUrl: 'http://127.0.0.1:11434/v1', model: 'nomic-embed-text'}})
//! //     new Refiner({llm, tools, embeddings: {provider: 'host', embed: texts => editor.embed(texts)}})
//! //     const c = await calibrate(set, {embeddings: {...}});  // {queryAuc, thresholds: {phi, tau}, ...}
//! ```

use super::convert::{from_js, function_property, property, to_js, without_functions};
use super::error::{describe, js_error};
use super::host::{Cancellation, JsHost};
use crate::calibrate::{calibrate as run_calibration, CalibrationSet};
use crate::host::Host;
use crate::llm::{EmbeddingsConfig, OpenAiEmbeddings};
use crate::similarity::{family_thresholds, EmbedError, Embedded, Embedder, LocalEmbedder, Thresholds};
use async_trait::async_trait;
use js_sys::{Function, Promise, Reflect};
use serde::Deserialize;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// Which embedder measures φ and Δ (`embeddings`).
#[derive(Clone)]
pub enum EmbeddingsSetup {
    Local,
    Host { embed: Function, name: String },
    Provider(EmbeddingsConfig),
}

fn invalid(message: &str) -> JsValue {
    js_error("InvalidConfig", message)
}

impl EmbeddingsSetup {
    /// Reads `config.embeddings` (absent or null: local).
    pub fn from_js(config: &JsValue) -> Result<EmbeddingsSetup, JsValue> {
        let Some(e) = property(config, "embeddings")?.filter(|v| !v.is_null() && !v.is_undefined()) else {
            return Ok(EmbeddingsSetup::Local);
        };
        if !e.is_object() {
            return Err(invalid("embeddings must be an object"));
        }
        let provider = property(&e, "provider")?.and_then(|p| p.as_string()).unwrap_or_default();
        let embed = function_property(&e, "embed", "embeddings.embed")?;
        match (provider.as_str(), embed) {
            ("local", _) => Ok(EmbeddingsSetup::Local),
            ("host" | "", Some(embed)) => {
                let name = property(&e, "name")?.and_then(|n| n.as_string()).unwrap_or_else(|| "host".into());
                Ok(EmbeddingsSetup::Host { embed, name })
            }
            ("host", None) => Err(invalid("embeddings.embed is required with provider 'host'")),
            ("openai" | "", None) => {
                let c: EmbeddingsConfig = from_js(without_functions(&e)?, "embeddings")?;
                if c.base_url.trim().is_empty() || c.model.trim().is_empty() {
                    return Err(invalid("embeddings.baseUrl and embeddings.model are required"));
                }
                Ok(EmbeddingsSetup::Provider(c))
            }
            (other, _) => {
                Err(invalid(&format!("embeddings.provider must be 'openai', 'host' or 'local', not '{other}'")))
            }
        }
    }

    /// The key and header values, for redaction lists.
    pub fn secrets(&self) -> Vec<String> {
        match self {
            EmbeddingsSetup::Provider(c) => c.api_key.iter().chain(c.headers.values()).cloned().collect(),
            _ => Vec::new(),
        }
    }

    /// The embedder (None: the engine's default, the local one).
    pub fn embedder(&self, host: &Rc<JsHost>, cancel: &Cancellation) -> Option<Rc<dyn Embedder>> {
        match self {
            EmbeddingsSetup::Local => None,
            EmbeddingsSetup::Host { embed, name } => {
                Some(Rc::new(HostEmbedder { embed: embed.clone(), name: name.clone(), cancel: cancel.clone() }))
            }
            EmbeddingsSetup::Provider(c) => {
                Some(Rc::new(OpenAiEmbeddings::new(c.clone(), host.clone() as Rc<dyn Host>)))
            }
        }
    }
}

/// An [`Embedder`] that is a JS function returning a Promise.
pub struct HostEmbedder {
    embed: Function,
    name: String,
    cancel: Cancellation,
}

/// What the function may resolve to besides a bare list of vectors.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HostAnswer {
    vectors: Vec<Vec<f32>>,
    #[serde(default)]
    prompt_tokens: u64,
}

fn host_error(value: &JsValue) -> EmbedError {
    let (name, message) = describe(value);
    EmbedError::Endpoint { endpoint: "the host's embed function".into(), message: format!("{name}: {message}") }
}

#[async_trait(?Send)]
impl Embedder for HostEmbedder {
    fn name(&self) -> String {
        format!("host:{}", self.name)
    }
    fn thresholds(&self) -> Thresholds {
        family_thresholds(&self.name)
    }
    async fn embed_texts(&self, texts: &[String]) -> Result<Embedded, EmbedError> {
        if self.cancel.is_cancelled() {
            return Err(EmbedError::Cancelled);
        }
        let js_texts = to_js(&texts).map_err(|e| host_error(&e))?;
        let options = js_sys::Object::new();
        Reflect::set(&options, &"signal".into(), &self.cancel.signal()).map_err(|e| host_error(&e))?;
        let pending = self.embed.call2(&JsValue::UNDEFINED, &js_texts, &options).map_err(|e| host_error(&e))?;
        let value = self.cancel.race(&Promise::resolve(&pending)).await.map_err(|e| match e {
            None => EmbedError::Cancelled,
            Some(e) => host_error(&e),
        })?;
        // Numbers that are not finite (NaN) arrive as null: refuse them with the rest.
        let answer = match super::convert::read_js::<Vec<Vec<f32>>>(&value) {
            Ok(vectors) => HostAnswer { vectors, prompt_tokens: 0 },
            Err(_) => super::convert::read_js::<HostAnswer>(&value).map_err(|e| EmbedError::BadAnswer {
                message: format!("the embed function must resolve to number[][] or {{vectors: number[][]}}: {e}"),
            })?,
        };
        Ok(Embedded { vectors: answer.vectors, requests: 1, prompt_tokens: answer.prompt_tokens })
    }
}

async fn calibrate_impl(set: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let set: CalibrationSet = from_js(set, "set")?;
    let options = if options.is_object() { options } else { js_sys::Object::new().into() };
    let setup = EmbeddingsSetup::from_js(&options)?;
    let cancel = Cancellation::new(property(&options, "signal")?)?;
    let fetch = function_property(&options, "fetch", "fetch")?;
    let host = Rc::new(JsHost::new(fetch, cancel.clone(), None));
    let embedder = setup.embedder(&host, &cancel).unwrap_or_else(|| Rc::new(LocalEmbedder::default()));
    let c = run_calibration(embedder.as_ref(), &set).await.map_err(|e| match e {
        crate::calibrate::CalibrateError::Embed(e) => js_error(e.code(), &e.to_string()),
        other => js_error("InvalidArgument", &other.to_string()),
    })?;
    to_js(&c)
}

/// `calibrate(set, {embeddings?, signal?, fetch?})`: the separation (ROC AUC) and the φ and τ
/// that reproduce DRAFT's decisions on `set` for an embedder (see [`crate::calibrate`]).
#[wasm_bindgen(js_name = calibrate)]
pub fn calibrate(set: JsValue, options: JsValue) -> Promise {
    future_to_promise(calibrate_impl(set, options))
}
