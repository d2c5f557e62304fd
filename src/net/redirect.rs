//! Redirects, followed by the core and never by the host. Every request that carries a user's
//! key or headers (tool calls, MCP, model and embeddings endpoints) is sent with
//! [`HttpRequest::manual_redirect`], so the host hands a 3xx back as it is; [`follow`] then
//! decides:
//!
//! - a redirect on the same origin is followed, up to [`RedirectRules::max_hops`] hops, with
//!   the method rules of the Fetch standard: 307/308 keep the method and body; 303 (for
//!   anything but GET/HEAD) and 301/302 on a POST become a GET without a body (and without
//!   `Content-*` headers): a body is never re-sent to a GET. Callers that cannot use a GET
//!   (JSON-RPC, model APIs) refuse that change instead;
//! - a redirect to another origin is refused with an error that names both origins and
//!   nothing else (no path, no query, no header value): nothing is sent there;
//! - a browser's opaque redirect (`redirect: "manual"` in a page or worker gives status 0 and
//!   hides the `Location`) is an error that says so plainly.
//!
//! ```
//! use tooldraft::host::{HttpRequest, HttpResponse, Method};
//! use tooldraft::net::{next_request, RedirectError, RedirectRules};
//! let req = HttpRequest::new(Method::Post, "http://127.0.0.1:8080/v1/chat").header("Authorization", "Bearer k");
//! let to = |status, location: &str| HttpResponse { status, headers: vec![("location".into(), location.into())], body: vec![] };
//! let rules = RedirectRules::keep_method();
//! let next = next_request(&req, &to(307, "/v2/chat"), &rules).unwrap().unwrap();
//! assert_eq!((next.method, next.url.as_str()), (Method::Post, "http://127.0.0.1:8080/v2/chat"));
//! let err = next_request(&req, &to(302, "http://127.0.0.1:9999/steal?k=1"), &rules).unwrap_err();
//! assert_eq!(err, RedirectError::CrossOrigin { status: 302, from: "http://127.0.0.1:8080".into(), to: "http://127.0.0.1:9999".into() });
//! ```

use super::Origin;
use crate::host::{HttpRequest, HttpResponse, Method};
use std::future::Future;

/// How many same-origin redirects a request follows by default.
pub const MAX_REDIRECT_HOPS: usize = 5;

/// What a caller accepts when following a redirect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RedirectRules {
    /// Hops followed before giving up with [`RedirectError::TooMany`].
    pub max_hops: usize,
    /// Whether a redirect may turn the request into a GET (303, or 301/302 on a POST). When
    /// false such a redirect is [`RedirectError::MethodChange`].
    pub allow_get_instead: bool,
}

impl RedirectRules {
    /// Fetch's rules: a 303 (or 301/302 on a POST) becomes a GET. For REST tool calls.
    pub fn fetch() -> Self {
        RedirectRules { max_hops: MAX_REDIRECT_HOPS, allow_get_instead: true }
    }

    /// Only redirects that keep the method and body (307, 308, or any redirect of a GET).
    /// For JSON-RPC and model APIs, where a GET could never be the answer.
    pub fn keep_method() -> Self {
        RedirectRules { max_hops: MAX_REDIRECT_HOPS, allow_get_instead: false }
    }
}

/// A redirect that was not followed. Messages name origins only: never a path, a query or
/// a header value, so they carry no secret. Tool and model errors keep its message
/// ([`crate::tools::ToolError::Redirect`], [`crate::llm::LlmError::Redirect`]): a typed field
/// there would cost the wasm about 6 KB gzipped of serde code for nested tagged enums.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RedirectError {
    #[error(
        "{from} answered HTTP {status}, a redirect to another origin, {to}; tooldraft does not follow \
         redirects to other origins, so nothing was sent to {to} (configure the final URL if that server is meant)"
    )]
    CrossOrigin { status: u16, from: String, to: String },
    #[error(
        "{origin} answered with a redirect that the browser does not let tooldraft inspect (an opaque \
         redirect: where it leads is hidden from the page), so it was not followed and nothing was sent on; \
         configure the URL the server redirects to"
    )]
    Opaque { origin: String },
    #[error("{origin} redirected more than {max} times in a row (a loop?); stopped")]
    TooMany { origin: String, max: usize },
    #[error(
        "{origin} answered a {method} with HTTP {status}, a redirect that would turn it into a GET; \
         not followed: configure the final URL"
    )]
    MethodChange { origin: String, method: String, status: u16 },
    #[error("{origin} answered HTTP {status} with a `Location` tooldraft cannot read; not followed")]
    BadLocation { origin: String, status: u16 },
}

impl RedirectError {
    /// A stable code for this error.
    pub fn code(&self) -> &'static str {
        "RedirectRefused"
    }
}

/// The origin of `url` as `scheme://host[:port]`, or a placeholder when it has none.
fn origin_of(url: &str) -> String {
    Origin::parse(url).map(|(o, _)| o.to_url_prefix()).unwrap_or_else(|_| "the endpoint".into())
}

/// Whether `status` asks the client to go elsewhere.
pub fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// Resolves a `Location` against the URL that answered, as a browser does for http(s):
/// absolute (`https://h/x`), scheme-relative (`//h/x`, also written `/\h/x`), absolute path,
/// query only, or relative path. The fragment is dropped. `Err` when it cannot be read.
pub fn resolve_location(current_url: &str, location: &str) -> Result<String, String> {
    let loc = location.trim().replace('\\', "/");
    let loc = loc.split('#').next().unwrap_or("");
    let (origin, rest) = Origin::parse(current_url)?;
    let scheme_end = loc.find(':');
    let first_delim = loc.find(['/', '?']);
    let absolute = match (scheme_end, first_delim) {
        (Some(c), Some(d)) => c < d,
        (Some(_), None) => true,
        _ => false,
    };
    let url = if absolute {
        loc.to_string()
    } else if loc.starts_with("//") {
        format!("{}:{loc}", origin.scheme)
    } else if loc.starts_with('/') {
        format!("{}{loc}", origin.to_url_prefix())
    } else {
        let path = rest.split(['?', '#']).next().filter(|p| !p.is_empty()).unwrap_or("/");
        if loc.is_empty() {
            format!("{}{}", origin.to_url_prefix(), rest.split('#').next().unwrap_or("/"))
        } else if loc.starts_with('?') {
            format!("{}{path}{loc}", origin.to_url_prefix())
        } else {
            let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
            let dir = if dir.is_empty() { "/" } else { dir };
            format!("{}{dir}{loc}", origin.to_url_prefix())
        }
    };
    Origin::parse(&url)?;
    Ok(url)
}

/// The request to send next when `response` (to `request`) is a redirect that may be
/// followed; `Ok(None)` when it is the final answer (not a redirect, or a redirect without a
/// `Location`, which fetch also hands back as it is).
pub fn next_request(
    request: &HttpRequest,
    response: &HttpResponse,
    rules: &RedirectRules,
) -> Result<Option<HttpRequest>, RedirectError> {
    let from = origin_of(&request.url);
    if response.status == 0 {
        return Err(RedirectError::Opaque { origin: from });
    }
    if !is_redirect(response.status) {
        return Ok(None);
    }
    let Some(location) = response.header("location") else { return Ok(None) };
    let status = response.status;
    let url = resolve_location(&request.url, location)
        .map_err(|_| RedirectError::BadLocation { origin: from.clone(), status })?;
    let to = origin_of(&url);
    let same = match (Origin::parse(&request.url), Origin::parse(&url)) {
        (Ok((a, _)), Ok((b, _))) => a == b,
        _ => false,
    };
    if !same {
        return Err(RedirectError::CrossOrigin { status, from, to });
    }
    let becomes_get = match status {
        303 => !matches!(request.method, Method::Get | Method::Head),
        301 | 302 => request.method == Method::Post,
        _ => false,
    };
    let mut next = request.clone();
    next.url = url;
    next.manual_redirect = true;
    if becomes_get {
        if !rules.allow_get_instead {
            return Err(RedirectError::MethodChange { origin: from, method: request.method.as_str().into(), status });
        }
        next.method = Method::Get;
        next.body = None;
        next.headers.retain(|(k, _)| !k.to_ascii_lowercase().starts_with("content-"));
    }
    Ok(Some(next))
}

/// The final answer of a request and the redirects followed to get it.
#[derive(Clone, Debug, PartialEq)]
pub struct Followed {
    pub response: HttpResponse,
    /// `(status, url)` of each redirect followed, in order; the URLs are as sent (the caller
    /// redacts them before recording).
    pub hops: Vec<(u16, String)>,
}

/// Why [`follow`] produced no answer: the transport's own error, or a refused redirect.
#[derive(Clone, Debug, PartialEq)]
pub enum FollowError<E> {
    Send(E),
    Redirect(RedirectError),
}

/// Sends `request` with `send` (which retries as the caller likes) and follows same-origin
/// redirects as [`next_request`] allows. The request is always marked
/// [`HttpRequest::manual_redirect`], so the host never follows anything itself.
pub async fn follow<E, F, Fut>(
    request: HttpRequest,
    rules: &RedirectRules,
    mut send: F,
) -> Result<Followed, FollowError<E>>
where
    F: FnMut(HttpRequest) -> Fut,
    Fut: Future<Output = Result<HttpResponse, E>>,
{
    let mut request = request.manual_redirect();
    let mut hops = Vec::new();
    loop {
        let response = send(request.clone()).await.map_err(FollowError::Send)?;
        match next_request(&request, &response, rules).map_err(FollowError::Redirect)? {
            None => return Ok(Followed { response, hops }),
            Some(_) if hops.len() >= rules.max_hops => {
                return Err(FollowError::Redirect(RedirectError::TooMany {
                    origin: origin_of(&request.url),
                    max: rules.max_hops,
                }))
            }
            Some(next) => {
                hops.push((response.status, next.url.clone()));
                request = next;
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
#[path = "redirect_tests.rs"]
mod tests;
