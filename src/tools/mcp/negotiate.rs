//! Protocol negotiation: `initialize` for the session revisions, `server/discover` with the
//! per-request envelope for the stateless ones.

use super::wire::{is_stateless_revision, Reply};
use super::{
    Ctx, McpClient, McpSessionInfo, Session, LATEST_SESSION_VERSION, LATEST_STATELESS_VERSION,
    SUPPORTED_PROTOCOL_VERSIONS,
};
use crate::tools::ToolError;
use serde_json::{json, Value};

/// Why `initialize` did not give a session.
pub(super) enum InitFailure {
    /// The server answered `initialize` with a JSON-RPC error (maybe naming the revisions
    /// it supports): worth probing the stateless form.
    Rejected {
        error: ToolError,
        supported: Vec<String>,
    },
    Fatal(ToolError),
}

impl McpClient {
    pub(super) async fn negotiate(&self) -> Result<Session, ToolError> {
        if let Some(v) = self.config.protocol_version.clone() {
            if is_stateless_revision(&v) {
                return self.start_stateless(&v, true).await;
            }
            return self.initialize(&v, true).await.map_err(|f| match f {
                InitFailure::Rejected { error, .. } | InitFailure::Fatal(error) => error,
            });
        }
        match self.initialize(LATEST_SESSION_VERSION, false).await {
            Ok(s) => Ok(s),
            Err(InitFailure::Fatal(e)) => Err(e),
            Err(InitFailure::Rejected { error, supported }) => {
                let version = supported
                    .iter()
                    .find(|v| is_stateless_revision(v) && SUPPORTED_PROTOCOL_VERSIONS.contains(&v.as_str()))
                    .map_or(LATEST_STATELESS_VERSION, String::as_str)
                    .to_string();
                match self.start_stateless(&version, false).await {
                    Ok(s) => Ok(s),
                    Err(probe) => Err(match error {
                        ToolError::Protocol { endpoint, message } => ToolError::Protocol {
                            endpoint,
                            message: format!("{message} (the stateless {version} probe failed too: {probe})"),
                        },
                        other => other,
                    }),
                }
            }
        }
    }

    async fn initialize(&self, version: &str, strict: bool) -> Result<Session, InitFailure> {
        let params = json!({
            "protocolVersion": version,
            "capabilities": {},
            "clientInfo": {"name": "tooldraft", "version": crate::VERSION},
        });
        let ex = self
            .send(Ctx::default(), "initialize", Some(params), false, true, Vec::new())
            .await
            .map_err(InitFailure::Fatal)?;
        let result = match ex.reply.clone() {
            Some(Reply::Result(r)) => r,
            Some(Reply::Error { code, message, data }) => {
                let supported = data
                    .as_ref()
                    .and_then(|d| d.get("supported"))
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                    .unwrap_or_default();
                return Err(InitFailure::Rejected { error: self.rpc_error("initialize", code, &message), supported });
            }
            None => return Err(InitFailure::Fatal(self.http_failure("initialize", &ex, true))),
        };
        let chosen = result.get("protocolVersion").and_then(Value::as_str).unwrap_or("").to_string();
        if !SUPPORTED_PROTOCOL_VERSIONS.contains(&chosen.as_str()) || (strict && chosen != version) {
            return Err(InitFailure::Fatal(self.protocol(format!(
                "initialize: the server chose protocol version `{chosen}`; tooldraft speaks {}",
                if strict { version.to_string() } else { SUPPORTED_PROTOCOL_VERSIONS.join(", ") }
            ))));
        }
        let id = ex.response.header("mcp-session-id").map(str::to_string);
        if let Some(id) = &id {
            if id.is_empty() || !id.bytes().all(|b| (0x21..0x7f).contains(&b)) {
                return Err(InitFailure::Fatal(
                    self.protocol("initialize: the session id has invalid characters".into()),
                ));
            }
        }
        let stateless = is_stateless_revision(&chosen);
        let session = Session {
            info: McpSessionInfo {
                protocol_version: chosen,
                stateless,
                has_session: id.is_some() && !stateless,
                server_info: result.get("serverInfo").cloned(),
                capabilities: result.get("capabilities").cloned(),
                instructions: result.get("instructions").and_then(Value::as_str).map(str::to_string),
            },
            id: if stateless { None } else { id },
        };
        if !stateless {
            let note = self
                .send(Ctx::of(&session), "notifications/initialized", None, true, true, Vec::new())
                .await
                .map_err(InitFailure::Fatal)?;
            if note.response.status >= 400 {
                return Err(InitFailure::Fatal(self.http_failure("notifications/initialized", &note, false)));
            }
        }
        Ok(session)
    }

    async fn start_stateless(&self, first: &str, pinned: bool) -> Result<Session, ToolError> {
        let mut version = first.to_string();
        for attempt in 0..2 {
            let ctx = Ctx { version: Some(&version), stateless: true, session_id: None };
            let ex = self.send(ctx, "server/discover", None, false, true, Vec::new()).await?;
            let offered = |list: Option<&Value>| -> Vec<String> {
                list.and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                    .unwrap_or_default()
            };
            let mutual = |offered: &[String]| {
                SUPPORTED_PROTOCOL_VERSIONS
                    .iter()
                    .find(|v| is_stateless_revision(v) && offered.iter().any(|o| o == *v))
                    .map(|v| v.to_string())
            };
            let info = |discover: Option<&Value>| McpSessionInfo {
                protocol_version: version.clone(),
                stateless: true,
                has_session: false,
                server_info: discover
                    .and_then(|d| d.get("_meta"))
                    .and_then(|m| m.get("io.modelcontextprotocol/serverInfo"))
                    .cloned(),
                capabilities: discover.and_then(|d| d.get("capabilities")).cloned(),
                instructions: discover.and_then(|d| d.get("instructions")).and_then(Value::as_str).map(str::to_string),
            };
            match &ex.reply {
                Some(Reply::Result(r)) => {
                    let offered = offered(r.get("supportedVersions"));
                    if offered.is_empty() || offered.contains(&version) {
                        return Ok(Session { info: info(Some(r)), id: None });
                    }
                    match mutual(&offered) {
                        Some(v) if attempt == 0 && !pinned => version = v,
                        _ => {
                            return Err(self.protocol(format!(
                                "server/discover: the server speaks {}; tooldraft speaks {}",
                                offered.join(", "),
                                SUPPORTED_PROTOCOL_VERSIONS.join(", ")
                            )))
                        }
                    }
                }
                // A gateway relaying to an older server may not know `server/discover`; a
                // pinned stateless revision goes ahead without it.
                Some(Reply::Error { code: -32601, .. }) if pinned => {
                    return Ok(Session { info: info(None), id: None });
                }
                Some(Reply::Error { code: -32022, data, message }) => {
                    let offered = offered(data.as_ref().and_then(|d| d.get("supported")));
                    match mutual(&offered) {
                        Some(v) if attempt == 0 && !pinned && v != version => version = v,
                        _ => return Err(self.rpc_error("server/discover", -32022, message)),
                    }
                }
                Some(Reply::Error { code, message, .. }) => {
                    return Err(self.rpc_error("server/discover", *code, message))
                }
                None => return Err(self.http_failure("server/discover", &ex, true)),
            }
        }
        Err(self.protocol("server/discover: no protocol version agreed".into()))
    }
}
