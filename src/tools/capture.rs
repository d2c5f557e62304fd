//! Turning a tool's response into evidence: the useful headers, the body as text up to an
//! evidence cap, parsed JSON, a summary instead of binary bytes, and a shorter view for the
//! model with a clear truncation marker.
//!
//! ```
//! use tooldraft::tools::capture::{summarize_binary, truncate_for_model};
//! let png = [0x89, b'P', b'N', b'G', 0, 0, 0, 0];
//! assert!(summarize_binary("image/png", &png).starts_with("<binary image/png, 8 bytes, fnv1a "));
//! assert_eq!(truncate_for_model("abcdef", 6, 4), "abcd\n[truncated: 4 of 6 bytes]");
//! ```

use crate::host::HttpResponse;
pub use crate::text::cut_at_boundary;
use crate::tools::Redactor;
use serde_json::Value;

/// How much of a body the evidence keeps by default (64 KB).
pub const DEFAULT_EVIDENCE_CAP: usize = 64 * 1024;
/// How much of a body the model sees by default (4 KB).
pub const DEFAULT_MODEL_VIEW: usize = 4 * 1024;

/// Response headers worth keeping as evidence (prefix matches end in `*`).
const USEFUL_HEADERS: &[&str] = &[
    "content-type",
    "content-length",
    "content-disposition",
    "content-encoding",
    "location",
    "retry-after",
    "allow",
    "www-authenticate",
    "link",
    "etag",
    "last-modified",
    "cache-control",
    "deprecation",
    "sunset",
    "warning",
    "x-total-count",
    "x-ratelimit-*",
    "x-rate-limit-*",
    "ratelimit*",
    "mcp-protocol-version",
];

/// The captured body of a response.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CapturedBody {
    pub text: String,
    pub json: Option<Value>,
    pub truncated: bool,
    pub bytes: u64,
}

/// Keeps the useful headers, redacted.
pub fn useful_headers(response: &HttpResponse, redactor: &Redactor) -> Vec<(String, String)> {
    let kept: Vec<(String, String)> = response
        .headers
        .iter()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            USEFUL_HEADERS.iter().any(|u| match u.strip_suffix('*') {
                Some(prefix) => k.starts_with(prefix),
                None => k == *u,
            })
        })
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
        .collect();
    redactor.redact_headers(&kept)
}

/// The media type without parameters, lower-cased (`application/json`).
pub fn media_essence(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// Whether this content type is text a model can read.
pub fn is_textual(content_type: &str) -> bool {
    let m = media_essence(content_type);
    m.starts_with("text/")
        || is_json_type(&m)
        || m.ends_with("+xml")
        || matches!(
            m.as_str(),
            "application/xml"
                | "application/javascript"
                | "application/ecmascript"
                | "application/x-www-form-urlencoded"
                | "application/yaml"
                | "application/x-yaml"
                | "application/graphql"
                | "application/x-ndjson"
                | "application/problem+xml"
        )
}

/// Whether this content type is JSON (`application/json`, `*/*+json`).
pub fn is_json_type(content_type: &str) -> bool {
    let m = media_essence(content_type);
    m == "application/json" || m.ends_with("+json") || m == "text/json"
}

/// Whether a body must be summarised instead of shown.
pub fn is_binary(content_type: &str, body: &[u8]) -> bool {
    let m = media_essence(content_type);
    let declared_binary = m.starts_with("image/")
        || m.starts_with("audio/")
        || m.starts_with("video/")
        || m.starts_with("font/")
        || matches!(
            m.as_str(),
            "application/octet-stream"
                | "application/pdf"
                | "application/zip"
                | "application/gzip"
                | "application/x-gzip"
                | "application/x-tar"
                | "application/wasm"
                | "application/x-protobuf"
                | "application/protobuf"
                | "application/msgpack"
        );
    if m == "image/svg+xml" {
        return std::str::from_utf8(body).is_err();
    }
    declared_binary || std::str::from_utf8(body).is_err() || body.contains(&0)
}

/// A 64-bit FNV-1a fingerprint: enough to tell two bodies apart, not a cryptographic hash.
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}")
}

/// `<binary image/png, 8090 bytes, fnv1a 1a2b…, starts 89504e47…>`: what a binary body is,
/// never its bytes.
pub fn summarize_binary(content_type: &str, body: &[u8]) -> String {
    let m = media_essence(content_type);
    let m = if m.is_empty() { "application/octet-stream".to_string() } else { m };
    let magic: String = body.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("<binary {m}, {} bytes, fnv1a {}, starts {magic}>", body.len(), fingerprint(body))
}

/// Captures a body: binary bodies are summarised; text is redacted and then kept up to `cap`
/// bytes; JSON is parsed (and redacted) when the whole body fits the cap.
pub fn capture_body(content_type: &str, body: &[u8], cap: usize, redactor: &Redactor) -> CapturedBody {
    let bytes = body.len() as u64;
    if body.is_empty() {
        return CapturedBody { bytes, ..Default::default() };
    }
    if is_binary(content_type, body) {
        return CapturedBody { text: summarize_binary(content_type, body), json: None, truncated: false, bytes };
    }
    let full = String::from_utf8_lossy(body);
    let looks_json = is_json_type(content_type)
        || (media_essence(content_type).is_empty() || media_essence(content_type) == "text/plain")
            && full.trim_start().starts_with(['{', '[']);
    let json = if looks_json && body.len() <= cap {
        serde_json::from_str::<Value>(&full).ok().map(|mut v| {
            redactor.redact_value(&mut v);
            v
        })
    } else {
        None
    };
    let (text, truncated) = redact_then_cut(&full, cap, redactor);
    CapturedBody { text, json, truncated, bytes }
}

/// `text` with every secret redacted, then cut to at most `cap` bytes (on a character
/// boundary), and whether it was cut. In this order: a secret that straddles the cap is
/// redacted whole, where cutting first would leave its first half behind.
pub fn redact_then_cut(text: &str, cap: usize, redactor: &Redactor) -> (String, bool) {
    let mut redacted = redactor.redact_str(text);
    let kept = cut_at_boundary(&redacted, cap).len();
    let truncated = kept < redacted.len();
    redacted.truncate(kept);
    (redacted, truncated)
}

/// Cuts `text` to at most `limit` bytes for a model, and says so:
/// `…\n[truncated: N of M bytes]`, where `M` is the full body size (`total_bytes`, which may
/// exceed `text` when the evidence was capped already).
pub fn truncate_for_model(text: &str, total_bytes: u64, limit: usize) -> String {
    let total = total_bytes.max(text.len() as u64);
    if text.len() <= limit && total <= text.len() as u64 {
        return text.to_string();
    }
    let shown = cut_at_boundary(text, limit);
    format!("{shown}\n[truncated: {} of {total} bytes]", shown.len())
}

/// Captures a whole HTTP response: headers, content type and body.
pub fn capture_response(
    response: &HttpResponse,
    cap: usize,
    redactor: &Redactor,
) -> (Option<String>, Vec<(String, String)>, CapturedBody) {
    let content_type = response.header("content-type").map(str::to_string);
    let body = capture_body(content_type.as_deref().unwrap_or(""), &response.body, cap, redactor);
    (content_type, useful_headers(response, redactor), body)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn resp(ct: &str, body: &[u8]) -> HttpResponse {
        HttpResponse {
            status: 200,
            headers: vec![
                ("content-type".into(), ct.into()),
                ("X-RateLimit-Remaining".into(), "9".into()),
                ("set-cookie".into(), "sid=1".into()),
                ("server".into(), "gunicorn".into()),
                ("retry-after".into(), "3".into()),
            ],
            body: body.to_vec(),
        }
    }

    #[test]
    fn keeps_useful_headers_only() {
        let (ct, headers, _) = capture_response(&resp("text/plain", b"hi"), 100, &Redactor::new());
        assert_eq!(ct.as_deref(), Some("text/plain"));
        let names: Vec<&str> = headers.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["content-type", "x-ratelimit-remaining", "retry-after"]);
    }

    #[test]
    fn binary_bodies_are_summarised() {
        let png: Vec<u8> = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a].into_iter().chain(0..=255u8).collect();
        let c = capture_body("image/png", &png, 10, &Redactor::new());
        assert_eq!(c.bytes, 264);
        assert!(!c.truncated && c.json.is_none());
        assert!(c.text.starts_with("<binary image/png, 264 bytes, fnv1a "), "{}", c.text);
        assert!(c.text.ends_with("starts 89504e470d0a1a0a>"), "{}", c.text);
        // Non-UTF-8 bytes under a text type are binary too.
        let c = capture_body("text/plain", &[0xff, 0xfe, 0x00, 0x41], 100, &Redactor::new());
        assert!(c.text.starts_with("<binary text/plain, 4 bytes"), "{}", c.text);
        assert!(is_binary("application/octet-stream", b"plain ascii"));
        assert!(!is_binary("image/svg+xml", b"<svg/>"));
    }

    #[test]
    fn text_is_capped_on_a_char_boundary_and_json_parsed_when_whole() {
        let c = capture_body("text/plain; charset=utf-8", "ééé".as_bytes(), 3, &Redactor::new());
        assert_eq!((c.text.as_str(), c.truncated, c.bytes), ("é", true, 6));
        let c = capture_body("application/json", br#"{"a":[1,2]}"#, 100, &Redactor::new());
        assert_eq!(c.json, Some(serde_json::json!({"a": [1, 2]})));
        let c = capture_body("application/json", br#"{"a":[1,2]}"#, 5, &Redactor::new());
        assert_eq!((c.json, c.truncated, c.text.as_str()), (None, true, "{\"a\":"));
        // Undeclared JSON is recognised; broken JSON stays text.
        assert!(capture_body("", b"[1]", 10, &Redactor::new()).json.is_some());
        let broken = capture_body("application/json", b"{\"a\":", 100, &Redactor::new());
        assert_eq!((broken.json, broken.text.as_str()), (None, "{\"a\":"));
    }

    #[test]
    fn bodies_are_redacted() {
        let r = Redactor::new().with_secret("sekrit-token");
        let c = capture_body("application/json", br#"{"echo":"Bearer sekrit-token"}"#, 100, &r);
        assert_eq!(c.text, r#"{"echo":"Bearer [REDACTED]"}"#);
        assert_eq!(c.json.unwrap()["echo"], "Bearer [REDACTED]");
    }

    /// No two consecutive characters of `secret` survive in `text` (the filler shares none).
    fn assert_no_piece_of(secret: &str, text: &str, context: &str) {
        for piece in secret.as_bytes().windows(2) {
            let piece = std::str::from_utf8(piece).unwrap();
            assert!(!text.contains(piece), "{context}: `{piece}` of the key survived in {text:?}");
        }
    }

    #[test]
    fn a_secret_straddling_the_cap_is_redacted_whole_at_every_offset() {
        let key = "sk-live-0123456789abcdef";
        let r = Redactor::new().with_secret(key);
        let cap = 64;
        for offset in (cap - key.len() - 2)..=(cap + 2) {
            for ct in ["text/plain", "application/json"] {
                let body = format!("{}{key}{}", "x".repeat(offset), "x".repeat(40));
                let c = capture_body(ct, body.as_bytes(), cap, &r);
                assert!(c.text.len() <= cap && c.truncated, "offset {offset}: {c:?}");
                assert_no_piece_of(key, &c.text, &format!("offset {offset}, {ct}"));
                // A JSON string longer than the cap, with the key across the cut.
                let json = format!("{{\"v\":\"{}{key}{}\"}}", "x".repeat(offset), "x".repeat(40));
                let c = capture_body("application/json", json.as_bytes(), 4 * cap, &r);
                assert_no_piece_of(key, &c.text, &format!("json, offset {offset}"));
            }
        }
        // Redaction can make a body fit: then nothing is cut.
        let (text, cut) = redact_then_cut(&format!("{key}{key}{key}"), 40, &r);
        assert_eq!((text.as_str(), cut), ("[REDACTED][REDACTED][REDACTED]", false));
    }

    #[test]
    fn model_view_marks_truncation() {
        assert_eq!(truncate_for_model("short", 5, 10), "short");
        assert_eq!(truncate_for_model("abcdef", 100, 10), "abcdef\n[truncated: 6 of 100 bytes]");
        assert_eq!(truncate_for_model("aéb", 4, 2), "a\n[truncated: 1 of 4 bytes]");
    }
}
