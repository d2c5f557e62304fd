//! Secrets in what a tool returns: values that look like credentials are withheld before a
//! response is recorded anywhere (events, the journal, the saved state, the report, model
//! prompts and the refined document).
//!
//! [`Redactor`](super::Redactor) removes the secrets the user configured; this module finds
//! the ones nobody configured, by shape: API keys and tokens of the common providers by their
//! prefixes (`sk-`, `sk-ant-`, `ghp_`, `github_pat_`, `xoxb-`, `AKIA…`, `AIza…`, `glpat-`,
//! `hf_`, `npm_`, `sk_live_`, `ya29.`), JWTs, bearer and basic credentials, PEM private keys,
//! passwords in URLs (and secret-named query parameters), values of keys named like a secret
//! (`password`, `secret`, `token`, `api_key`, `authorization`, `credential`, …) and
//! high-entropy strings. Ids, hashes named as such, UUIDs, dates and URLs without
//! credentials pass. A withheld value becomes `[withheld: <kind>]`; the kind, never the
//! value, is what reports show.
//!
//! ```
//! use tooldraft::tools::secrets::{scrub_text, scrub_value, SecretKind};
//! let (text, kinds) = scrub_text("token ghp_0123456789abcdefghijABCDEFGHIJ012345 ok");
//! assert_eq!(text, "token [withheld: GitHub token] ok");
//! assert_eq!(kinds, vec![SecretKind::GitHubToken]);
//! let mut v = serde_json::json!({"user": "ada", "password": "hunter22", "id": "4f9a2c"});
//! let found = scrub_value(&mut v);
//! assert_eq!(v["password"], "[withheld: secret-named field]");
//! assert_eq!(found[0].0, "/password");
//! ```

use crate::tools::Observation;
use serde_json::Value;

mod kind;
pub use kind::{markers_in, SecretKind, MARKER_PREFIX};

fn all_in(s: &str, ok: impl Fn(u8) -> bool) -> bool {
    s.bytes().all(ok)
}
fn b64url(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_'
}

/// The provider key or token shape `t` has, if any (entropy not considered).
fn prefix_kind(t: &str) -> Option<SecretKind> {
    // Every shape below is at least 20 characters and starts with one of these letters.
    if t.len() < 20 || !matches!(t.as_bytes()[0], b's' | b'r' | b'g' | b'x' | b'A' | b'y' | b'h' | b'n' | b'e') {
        return None;
    }
    let tail =
        |p: &str, min: usize, ok: fn(u8) -> bool| t.strip_prefix(p).is_some_and(|r| r.len() >= min && all_in(r, ok));
    fn alnum(c: u8) -> bool {
        c.is_ascii_alphanumeric()
    }
    if tail("sk-ant-", 20, b64url) {
        return Some(SecretKind::AnthropicKey);
    }
    if tail("sk-", 20, b64url) && t.bytes().any(|c| c.is_ascii_digit()) {
        return Some(SecretKind::OpenAiKey);
    }
    if ["sk_live_", "sk_test_", "rk_live_", "rk_test_"].iter().any(|p| tail(p, 16, alnum)) {
        return Some(SecretKind::StripeKey);
    }
    if ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"].iter().any(|p| tail(p, 30, alnum)) || tail("github_pat_", 22, b64url) {
        return Some(SecretKind::GitHubToken);
    }
    if ["xoxa-", "xoxb-", "xoxp-", "xoxr-", "xoxs-", "xoxe-"].iter().any(|p| tail(p, 10, |c| alnum(c) || c == b'-')) {
        return Some(SecretKind::SlackToken);
    }
    if t.len() == 20
        && ["AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA"]
            .iter()
            .any(|p| tail(p, 16, |c| c.is_ascii_uppercase() || c.is_ascii_digit()))
    {
        return Some(SecretKind::AwsAccessKey);
    }
    if t.len() == 39 && tail("AIza", 35, b64url) {
        return Some(SecretKind::GoogleApiKey);
    }
    if tail("ya29.", 20, |c| b64url(c) || c == b'.') {
        return Some(SecretKind::GoogleOAuthToken);
    }
    if tail("glpat-", 20, b64url) {
        return Some(SecretKind::GitLabToken);
    }
    if tail("hf_", 30, |c| c.is_ascii_alphabetic()) {
        return Some(SecretKind::HuggingFaceToken);
    }
    if tail("npm_", 36, alnum) {
        return Some(SecretKind::NpmToken);
    }
    if !t.starts_with("eyJ") {
        return None;
    }
    let parts: Vec<&str> = t.split('.').collect();
    if parts.len() == 3
        && parts[0].starts_with("eyJ")
        && parts[1].starts_with("eyJ")
        && parts[0].len() >= 10
        && parts[1].len() >= 10
        && parts.iter().all(|p| all_in(p, b64url))
    {
        return Some(SecretKind::Jwt);
    }
    None
}

fn uuid_like(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 36
        && b.iter()
            .enumerate()
            .all(|(i, c)| if [8, 13, 18, 23].contains(&i) { *c == b'-' } else { c.is_ascii_hexdigit() })
}

/// Shannon entropy of the characters of `t`, in bits per character.
fn entropy(t: &str) -> f64 {
    let mut counts = [0u32; 128];
    for c in t.bytes() {
        counts[usize::from(c & 0x7f)] += 1;
    }
    let n = t.len() as f64;
    counts.iter().filter(|c| **c > 0).map(|c| f64::from(*c) / n).map(|p| -p * p.log2()).sum()
}

/// A random-looking string: 32 to 256 characters of base64/base62, upper and lower case
/// and digits mixed, at least 4.2 bits of entropy per character. Hex digests, UUIDs and
/// words glued together do not qualify.
fn high_entropy(t: &str) -> bool {
    let n = t.len();
    if !(32..=256).contains(&n) || uuid_like(t) || !all_in(t, |c| b64url(c) || c == b'+' || c == b'/' || c == b'=') {
        return false;
    }
    let core = t.trim_end_matches('=');
    let (upper, lower, digit) = core.bytes().fold((0, 0, 0), |(u, l, d), c| {
        (
            u + usize::from(c.is_ascii_uppercase()),
            l + usize::from(c.is_ascii_lowercase()),
            d + usize::from(c.is_ascii_digit()),
        )
    });
    if upper < 2 || lower < 2 || digit < 2 || core.contains("//") || core.starts_with('/') {
        return false;
    }
    entropy(core) >= 4.2
}

/// What a free-standing token is taken for; `harmless_key` (an id or hash named as such)
/// turns off the entropy test.
pub fn classify_token(t: &str, harmless_key: bool) -> Option<SecretKind> {
    prefix_kind(t).or_else(|| (!harmless_key && high_entropy(t)).then_some(SecretKind::HighEntropy))
}

fn normalized_name(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

/// Whether a key or variable name says its value is a secret (`password`, `client_secret`,
/// `OPENAI_API_KEY`, `X-Auth-Token`, …). Counters, types, cursors and URLs of tokens
/// (`max_tokens`, `token_type`, `nextPageToken`, `token_url`) are not.
pub fn secret_key_name(name: &str) -> bool {
    let n = normalized_name(name);
    if n.is_empty() {
        return false;
    }
    const NOT: [&str; 18] = [
        "page",
        "next",
        "continuation",
        "cursor",
        "count",
        "type",
        "length",
        "limit",
        "expires",
        "url",
        "uri",
        "hint",
        "policy",
        "required",
        "enabled",
        "field",
        "tokens",
        "usage",
    ];
    if NOT.iter().any(|x| n.contains(x)) {
        return false;
    }
    const CONTAINS: [&str; 6] = ["password", "passwd", "passphrase", "secret", "apikey", "privatekey"];
    const ENDS: [&str; 9] =
        ["pwd", "token", "accesskey", "authorization", "credential", "credentials", "cookie", "sessionid", "auth"];
    CONTAINS.iter().any(|x| n.contains(x)) || ENDS.iter().any(|x| n.ends_with(x))
}

/// Whether a key names an id or a hash, whose random-looking values are expected.
pub fn harmless_key_name(name: &str) -> bool {
    let n = normalized_name(name);
    const ENDS: [&str; 17] = [
        "id",
        "ids",
        "uuid",
        "guid",
        "hash",
        "sha",
        "sha1",
        "sha256",
        "sha512",
        "md5",
        "digest",
        "etag",
        "checksum",
        "fingerprint",
        "commit",
        "nonce",
        "integrity",
    ];
    ENDS.iter().any(|x| n.ends_with(x))
}

/// Whether a value under a secret-named key is a real value (not empty, not a mask).
fn meaningful(v: &str) -> bool {
    let t = v.trim();
    !t.is_empty()
        && !t.chars().all(|c| matches!(c, '*' | 'x' | 'X' | '•' | '·' | '.' | '-'))
        && !t.starts_with(MARKER_PREFIX)
        && !t.trim_matches(['[', ']', '<', '>']).eq_ignore_ascii_case("redacted")
        && !t.get(..8).is_some_and(|w| w.eq_ignore_ascii_case("withheld"))
        && !t.eq_ignore_ascii_case("null")
}

#[derive(Clone, Copy, Debug)]
struct Span {
    start: usize,
    end: usize,
}

fn is_delim(c: u8) -> bool {
    c.is_ascii_whitespace()
        || matches!(
            c,
            b'"' | b'\'' | b'`' | b',' | b';' | b'{' | b'}' | b'[' | b']' | b'(' | b')' | b'<' | b'>' | b'\\' | b'|'
        )
}

/// Tokens of `text` (byte spans), skipping JSON escapes such as `\n` and `\u0041`.
fn tokenize(text: &str) -> Vec<Span> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut start: Option<usize> = None;
    while i < b.len() {
        let c = b[i];
        if is_delim(c) {
            if let Some(s) = start.take() {
                out.push(Span { start: s, end: i });
            }
            if c == b'\\' && i + 1 < b.len() {
                i += match b[i + 1] {
                    b'n' | b'r' | b't' | b'"' | b'\\' | b'/' | b'b' | b'f' => 2,
                    b'u' if i + 6 <= b.len() => 6,
                    _ => 1,
                };
                continue;
            }
        } else if start.is_none() {
            start = Some(i);
        }
        i += 1;
    }
    if let Some(s) = start {
        out.push(Span { start: s, end: b.len() });
    }
    out
}

/// The end of a quoted value starting at `start`, when the value opens right after a quote
/// (`"…"` or an escaped `\"…\"`): up to the matching closing quote on the same line.
fn quoted_end(text: &str, start: usize) -> Option<usize> {
    let b = text.as_bytes();
    let escaped = start >= 2 && b[start - 1] == b'"' && b[start - 2] == b'\\';
    let plain = start >= 1 && b[start - 1] == b'"' && !escaped;
    if !escaped && !plain {
        return None;
    }
    let mut i = start;
    while i < b.len() && b[i] != b'\n' {
        if escaped && b[i] == b'\\' && b.get(i + 1) == Some(&b'"') {
            return Some(i);
        }
        if plain && b[i] == b'"' && b[i - 1] != b'\\' {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// PEM blocks, whole: private keys are secrets; other blocks (public keys, certificates)
/// are skipped by the token scan, their base64 being no secret.
fn pem_blocks(text: &str, secrets: &mut Vec<(Span, SecretKind)>, skip: &mut Vec<Span>) {
    let mut from = 0;
    while let Some(i) = text[from..].find("-----BEGIN ") {
        let start = from + i;
        let header_end = text[start + 11..].find("-----").map(|j| start + 11 + j + 5);
        let Some(header_end) = header_end else { break };
        let end = text[header_end..]
            .find("-----END ")
            .and_then(|j| {
                let e = header_end + j + 9;
                text[e..].find("-----").map(|k| e + k + 5)
            })
            .unwrap_or(text.len());
        let span = Span { start, end };
        if text[start..header_end].contains("PRIVATE KEY") {
            secrets.push((span, SecretKind::PrivateKey));
        }
        skip.push(span);
        from = end;
    }
}

/// Secret spans of a URL token: the password of its userinfo and secret-named query values.
fn url_secrets(text: &str, s: Span, out: &mut Vec<(Span, SecretKind)>) -> bool {
    let t = &text[s.start..s.end];
    let Some(scheme_end) = t.find("://") else { return false };
    let auth_start = scheme_end + 3;
    let auth_end = t[auth_start..].find(['/', '?', '#']).map(|i| auth_start + i).unwrap_or(t.len());
    if let Some(at) = t[auth_start..auth_end].rfind('@') {
        let userinfo = &t[auth_start..auth_start + at];
        if let Some(colon) = userinfo.find(':') {
            let (ps, pe) = (auth_start + colon + 1, auth_start + at);
            if pe > ps && meaningful(&t[ps..pe]) {
                out.push((Span { start: s.start + ps, end: s.start + pe }, SecretKind::UrlPassword));
            }
        }
    }
    if let Some(q) = t.find('?') {
        let mut pos = q + 1;
        for pair in t[q + 1..].split(['&', '#']) {
            if let Some((k, v)) = pair.split_once('=') {
                if secret_key_name(k) && meaningful(v) {
                    let vs = pos + k.len() + 1;
                    out.push((Span { start: s.start + vs, end: s.start + vs + v.len() }, SecretKind::SecretField));
                }
            }
            pos += pair.len() + 1;
        }
    }
    true
}

fn trim_token(text: &str, s: Span) -> Span {
    let t = &text[s.start..s.end];
    let trimmed = t.trim_end_matches(['.', ':']);
    Span { start: s.start, end: s.start + trimmed.len() }
}

/// Every secret span in `text`, with its kind; spans do not overlap and are in order.
pub fn find_secrets(text: &str) -> Vec<(usize, usize, SecretKind)> {
    let mut found: Vec<(Span, SecretKind)> = Vec::new();
    let mut pem = Vec::new();
    let mut private_keys = Vec::new();
    pem_blocks(text, &mut private_keys, &mut pem);
    let tokens: Vec<Span> =
        tokenize(text).into_iter().filter(|t| !pem.iter().any(|p| t.start < p.end && t.end > p.start)).collect();
    let word = |i: usize| &text[tokens[i].start..tokens[i].end];
    // The key a token is the value of: `key: v`, `"key": "v"`, `key = v`, `key: v` (YAML).
    let key_of = |i: usize| -> Option<&str> {
        let prev = word(i.checked_sub(1)?);
        if matches!(prev, ":" | "=" | "=>") {
            return Some(word(i.checked_sub(2)?));
        }
        prev.strip_suffix(':').or_else(|| prev.strip_suffix('=')).filter(|k| !k.is_empty())
    };
    let mut skip_next = false;
    for i in 0..tokens.len() {
        if std::mem::take(&mut skip_next) {
            continue;
        }
        let s = trim_token(text, tokens[i]);
        let t = &text[s.start..s.end];
        if t.is_empty() || matches!(t, ":" | "=" | "=>") {
            continue;
        }
        if url_secrets(text, s, &mut found) {
            continue;
        }
        let bearer = t.eq_ignore_ascii_case("bearer");
        if bearer || t.eq_ignore_ascii_case("basic") {
            if let Some(n) = tokens.get(i + 1).map(|n| trim_token(text, *n)) {
                let next = &text[n.start..n.end];
                let spaced = text[s.end..n.start].bytes().all(|c| c == b' ' || c == b'\t') && n.start > s.end;
                let credential_like = next.len() >= 8 && !next.bytes().all(|c| c.is_ascii_lowercase());
                if spaced && credential_like && meaningful(next) {
                    let kind = if bearer { SecretKind::BearerCredential } else { SecretKind::BasicCredential };
                    found.push((n, kind));
                    skip_next = true;
                }
            }
            continue;
        }
        // `NAME=value` / `name:value` in one token.
        if let Some(sep) = t.find(['=', ':']) {
            let (name, value) = (&t[..sep], &t[sep + 1..]);
            let ident =
                !name.is_empty() && name.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'));
            if ident && value.bytes().any(|c| c != b'=') {
                let vs = Span { start: s.start + sep + 1, end: s.end };
                if secret_key_name(name) && meaningful(value) {
                    found.push((vs, SecretKind::SecretField));
                } else if let Some(k) = classify_token(value, harmless_key_name(name)) {
                    found.push((vs, k));
                }
                continue;
            }
        }
        let key = key_of(i);
        if key.is_some_and(secret_key_name) {
            if meaningful(t) {
                let end = quoted_end(text, s.start).unwrap_or(s.end);
                found.push((Span { start: s.start, end: end.max(s.end) }, SecretKind::SecretField));
            }
            continue;
        }
        if let Some(k) = classify_token(t, key.is_some_and(harmless_key_name)) {
            found.push((s, k));
        }
    }
    // Both lists are in order of their starts (a quoted value only reaches further right):
    // merge them, joining overlaps.
    let mut out: Vec<(usize, usize, SecretKind)> = Vec::new();
    let (mut a, mut b) = (private_keys.into_iter().peekable(), found.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x.0.start <= y.0.start => a.next(),
            (Some(_), None) => a.next(),
            _ => b.next(),
        };
        let Some((s, k)) = next else { break };
        match out.last_mut() {
            Some(last) if s.start < last.1 => last.1 = last.1.max(s.end),
            _ => out.push((s.start, s.end, k)),
        }
    }
    out
}

/// `text` with every secret replaced by its `[withheld: kind]` marker, and the kinds found.
pub fn scrub_text(text: &str) -> (String, Vec<SecretKind>) {
    let found = find_secrets(text);
    if found.is_empty() {
        return (text.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut kinds = Vec::with_capacity(found.len());
    for (s, e, k) in found {
        out.push_str(&text[at..s]);
        out.push_str(&k.marker());
        kinds.push(k);
        at = e;
    }
    out.push_str(&text[at..]);
    (out, kinds)
}

fn pointer_token(k: &str) -> String {
    k.replace('~', "~0").replace('/', "~1")
}

fn scrub_at(v: &mut Value, key: Option<&str>, pointer: &str, out: &mut Vec<(String, SecretKind)>) {
    match v {
        Value::String(s) => {
            if key.is_some_and(secret_key_name) && meaningful(s) {
                *s = SecretKind::SecretField.marker();
                out.push((pointer.to_string(), SecretKind::SecretField));
                return;
            }
            let trimmed = s.trim_start();
            if trimmed.starts_with(['{', '[']) {
                if let Ok(mut inner) = serde_json::from_str::<Value>(s) {
                    let before = out.len();
                    scrub_at(&mut inner, None, pointer, out);
                    if out.len() > before {
                        let pretty = s.contains('\n');
                        let text =
                            if pretty { serde_json::to_string_pretty(&inner) } else { serde_json::to_string(&inner) };
                        *s = text.unwrap_or_else(|_| SecretKind::SecretField.marker());
                    }
                    return;
                }
            }
            // Nothing shorter than 8 characters has a secret's shape.
            if s.len() < 8 || key.is_some_and(harmless_key_name) && prefix_kind(s).is_none() {
                return;
            }
            let (clean, kinds) = scrub_text(s);
            if !kinds.is_empty() {
                *s = clean;
                out.extend(kinds.into_iter().map(|k| (pointer.to_string(), k)));
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter_mut().enumerate() {
                scrub_at(x, None, &format!("{pointer}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                scrub_at(x, Some(k), &format!("{pointer}/{}", pointer_token(k)), out);
            }
        }
        _ => {}
    }
}

/// Withholds secrets in a JSON value in place; returns `(JSON pointer, kind)` for each
/// (a pointer into a string that held JSON continues into that JSON).
pub fn scrub_value(v: &mut Value) -> Vec<(String, SecretKind)> {
    let mut out = Vec::new();
    scrub_at(v, None, "", &mut out);
    out
}

/// Withholds secrets from a tool's response (parsed JSON, body text, kept headers); returns
/// how many values were withheld.
pub fn scrub_observation(o: &mut Observation) -> usize {
    let mut n = 0;
    if let Some(j) = &mut o.json {
        n += scrub_value(j).len();
    }
    let (body, kinds) = scrub_text(&o.body);
    if !kinds.is_empty() {
        o.body = body;
        n = n.max(kinds.len());
    }
    for (_, v) in &mut o.headers {
        let (clean, kinds) = scrub_text(v);
        if !kinds.is_empty() {
            *v = clean;
            n += kinds.len();
        }
    }
    n
}

#[cfg(test)]
#[path = "secrets_tests.rs"]
mod tests;
