//! `listMcpTools(url, {headers?, signal?, fetch?, timeoutMs?})`: asks an MCP server (Streamable
//! HTTP) for its tools and returns them as a document (`format: 'mcp'`).
//!
//! ```ignore
//! // JS: const doc = await listMcpTools('http://127.0.0.1:3001/mcp', {signal});
//! ```

use super::convert::{from_js, function_property, property, string_arg, without_functions};
use super::error::{js_error, to_js_error};
use super::host::{Cancellation, JsHost};
use js_sys::Promise;
use serde::Deserialize;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// The options of `listMcpTools`. No `Debug`: headers may hold credentials.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListOptions {
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    timeout_ms: Option<u64>,
}

fn http_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")) && url.len() > "https://".len()
}

async fn list(url: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let url = string_arg(&url, "url")?;
    if !http_url(&url) {
        return Err(js_error("InvalidArgument", "url must be an http:// or https:// URL of an MCP endpoint"));
    }
    let parsed: ListOptions =
        if options.is_object() { from_js(without_functions(&options)?, "options")? } else { ListOptions::default() };
    let cancel = Cancellation::new(property(&options, "signal")?)?;
    if cancel.is_cancelled() {
        return Err(to_js_error(&crate::host::HostError::Aborted));
    }
    let host = JsHost::new(function_property(&options, "fetch", "fetch")?, cancel, parsed.timeout_ms.or(Some(30_000)));
    let mut config = crate::tools::McpConfig::new(url.clone());
    config.headers = parsed.headers.into_iter().collect();
    config.secrets = config.headers.values().cloned().collect();
    let client = crate::tools::McpClient::new(std::rc::Rc::new(host), config).map_err(|e| to_js_error(&e))?;
    let listed = client.list_tools().await;
    // End the session whatever the listing gave; a failed DELETE changes nothing for the caller.
    let _ = client.close().await;
    let listed = listed.map_err(|e| to_js_error(&e))?;
    // The MCP reader alone (not the generic importer, which would bring every format into the
    // engine module).
    let mut doc = crate::doc::formats::mcp::import(&listed).map_err(|e| to_js_error(&e))?;
    doc.syntax = crate::doc::Syntax::Json;
    if let Some(tool) = doc.tools.first_mut() {
        if tool.base_url.is_none() {
            tool.base_url = Some(url);
        }
    }
    super::convert::to_js(&doc)
}

/// Lists an MCP server's tools as a document.
#[wasm_bindgen(js_name = listMcpTools)]
pub fn list_mcp_tools(url: JsValue, options: JsValue) -> Promise {
    future_to_promise(list(url, options))
}
