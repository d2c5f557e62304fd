//! How requests to a tool authenticate: an API key in a header, query parameter or cookie, a
//! bearer token, or HTTP basic. The secrets it holds are registered with the [`Redactor`] and
//! never shown by `Debug`.
//!
//! ```
//! use tooldraft::tools::{Auth, Redactor};
//! let auth: Auth = serde_json::from_str(r#"{"type":"apiKey","in":"query","name":"api_key","value":"k-123456"}"#).unwrap();
//! let mut r = Redactor::new();
//! auth.register(&mut r);
//! assert_eq!(r.redact_url("http://h/?api_key=k-123456"), "http://h/?api_key=[REDACTED]");
//! assert!(!format!("{auth:?}").contains("k-123456"));
//! ```

use crate::tools::Redactor;
use serde::{Deserialize, Serialize};

/// Where an API key goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyLocation {
    #[default]
    Header,
    Query,
    Cookie,
}

/// Credentials for a tool target.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase", try_from = "AuthWire")]
pub enum Auth {
    /// An API key: `{"type":"apiKey","in":"header","name":"X-Api-Key","value":"…"}`.
    ApiKey {
        name: String,
        value: String,
        #[serde(default, rename = "in")]
        location: KeyLocation,
    },
    /// `Authorization: Bearer <token>`.
    Bearer { token: String },
    /// `Authorization: Basic base64(username:password)`.
    Basic { username: String, password: String },
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::ApiKey { name, location, .. } => {
                write!(f, "ApiKey {{ name: {name:?}, in: {location:?}, value: [REDACTED] }}")
            }
            Auth::Bearer { .. } => write!(f, "Bearer {{ token: [REDACTED] }}"),
            Auth::Basic { username, .. } => write!(f, "Basic {{ username: {username:?}, password: [REDACTED] }}"),
        }
    }
}

/// [`Auth`] as read (see [`crate::wire`]).
#[derive(Deserialize)]
struct AuthWire {
    #[serde(rename = "type")]
    kind: String,
    name: Option<String>,
    value: Option<String>,
    #[serde(default, rename = "in")]
    location: KeyLocation,
    token: Option<String>,
    username: Option<String>,
    password: Option<String>,
}

impl TryFrom<AuthWire> for Auth {
    type Error = String;
    fn try_from(w: AuthWire) -> Result<Auth, String> {
        use crate::wire::field;
        let AuthWire { kind, name, value, location, token, username, password } = w;
        Ok(match kind.as_str() {
            "apiKey" => Auth::ApiKey { name: field(name, "name")?, value: field(value, "value")?, location },
            "bearer" => Auth::Bearer { token: field(token, "token")? },
            "basic" => Auth::Basic { username: field(username, "username")?, password: field(password, "password")? },
            other => return Err(crate::wire::unknown("type", other, &["apiKey", "bearer", "basic"])),
        })
    }
}

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

impl Auth {
    /// The header this auth sets, if any: `(name, value)`.
    pub fn header(&self) -> Option<(String, String)> {
        match self {
            Auth::ApiKey { name, value, location: KeyLocation::Header } => Some((name.clone(), value.clone())),
            Auth::ApiKey { .. } => None,
            Auth::Bearer { token } => Some(("Authorization".into(), format!("Bearer {token}"))),
            Auth::Basic { username, password } => {
                Some(("Authorization".into(), format!("Basic {}", base64(format!("{username}:{password}").as_bytes()))))
            }
        }
    }

    /// The query parameter this auth adds, if any: `(name, value)`, not yet encoded.
    pub fn query(&self) -> Option<(String, String)> {
        match self {
            Auth::ApiKey { name, value, location: KeyLocation::Query } => Some((name.clone(), value.clone())),
            _ => None,
        }
    }

    /// The cookie this auth adds, if any: `(name, value)`.
    pub fn cookie(&self) -> Option<(String, String)> {
        match self {
            Auth::ApiKey { name, value, location: KeyLocation::Cookie } => Some((name.clone(), value.clone())),
            _ => None,
        }
    }

    /// Teaches a redactor this auth's secrets and where they travel.
    pub fn register(&self, r: &mut Redactor) {
        match self {
            Auth::ApiKey { name, value, location } => {
                r.add_secret(value);
                match location {
                    KeyLocation::Header => r.add_header(name),
                    KeyLocation::Query => r.add_query_param(name),
                    KeyLocation::Cookie => r.add_header("cookie"),
                }
            }
            Auth::Bearer { token } => {
                r.add_secret(token);
                r.add_header("authorization");
            }
            Auth::Basic { username, password } => {
                r.add_secret(password);
                r.add_secret(&base64(format!("{username}:{password}").as_bytes()));
                r.add_header("authorization");
            }
        }
    }
}

/// Whether a configured extra header looks like it carries a credential (its value is then
/// treated as a secret).
pub fn looks_secret_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["auth", "key", "token", "secret", "cookie", "session", "password", "signature"].iter().any(|w| n.contains(w))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), want);
        }
    }

    #[test]
    fn headers_and_parsing() {
        let basic: Auth = serde_json::from_str(r#"{"type":"basic","username":"user","password":"passwd"}"#).unwrap();
        assert_eq!(basic.header(), Some(("Authorization".into(), "Basic dXNlcjpwYXNzd2Q=".into())));
        let bearer: Auth = serde_json::from_str(r#"{"type":"bearer","token":"t0k3n-xyz"}"#).unwrap();
        assert_eq!(bearer.header().unwrap().1, "Bearer t0k3n-xyz");
        let key: Auth = serde_json::from_str(r#"{"type":"apiKey","name":"X-Key","value":"v"}"#).unwrap();
        assert_eq!(key.header(), Some(("X-Key".into(), "v".into())));
        let cookie: Auth = serde_json::from_str(r#"{"type":"apiKey","in":"cookie","name":"sid","value":"v"}"#).unwrap();
        assert_eq!((cookie.header(), cookie.cookie()), (None, Some(("sid".into(), "v".into()))));
        for a in [basic, bearer] {
            assert!(!format!("{a:?}").contains("passwd") && !format!("{a:?}").contains("t0k3n"));
        }
    }

    #[test]
    fn every_kind_reads_back_as_written_and_a_broken_one_says_why() {
        let all = [
            Auth::ApiKey { name: "X-Key".into(), value: "v".into(), location: KeyLocation::Query },
            Auth::Bearer { token: "t".into() },
            Auth::Basic { username: "u".into(), password: "p".into() },
        ];
        for a in &all {
            match a {
                Auth::ApiKey { .. } | Auth::Bearer { .. } | Auth::Basic { .. } => {}
            }
            let written = serde_json::to_string(a).unwrap();
            assert_eq!(&serde_json::from_str::<Auth>(&written).unwrap(), a, "{written}");
        }
        assert_eq!(
            serde_json::to_value(&all[0]).unwrap(),
            serde_json::json!({"type": "apiKey", "name": "X-Key", "value": "v", "in": "query"})
        );
        let e = serde_json::from_str::<Auth>(r#"{"type":"bearer"}"#).unwrap_err().to_string();
        assert!(e.contains("missing field `token`"), "{e}");
        let e = serde_json::from_str::<Auth>(r#"{"type":"digest"}"#).unwrap_err().to_string();
        assert!(e.contains("unknown type `digest`"), "{e}");
    }

    #[test]
    fn registers_secrets() {
        let mut r = Redactor::new();
        Auth::Basic { username: "user".into(), password: "passwd".into() }.register(&mut r);
        assert_eq!(r.redact_str("Basic dXNlcjpwYXNzd2Q= and passwd"), "Basic [REDACTED] and [REDACTED]");
        assert!(
            looks_secret_header("X-Api-Key") && looks_secret_header("X-Auth") && !looks_secret_header("User-Agent")
        );
    }
}
