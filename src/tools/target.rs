//! The configured tool target: its origin (scheme, host, port) and base path, and the one
//! function that turns a path into a URL on that origin. Nothing a model writes can move a
//! request to another origin: the origin is fixed first, the path always starts with `/`,
//! and the finished URL is parsed again and compared before it is sent. [`ToolsOptions`] is
//! the `tools` section a JavaScript caller passes: which target, MCP server or HTTP API.
//!
//! ```
//! use tooldraft::tools::target::Target;
//! let t = Target::parse("http://127.0.0.1:8081/api/").unwrap();
//! assert_eq!(t.origin_string(), "http://127.0.0.1:8081");
//! assert_eq!(t.base_path(), "/api");
//! assert_eq!(t.url_for("/users?x=1").unwrap(), "http://127.0.0.1:8081/users?x=1");
//! ```

pub use crate::net::Origin;
use serde::Deserialize;

/// A configured base URL: the origin every request goes to, and a path prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    origin: Origin,
    /// Without a trailing slash; empty for the root.
    base_path: String,
}

impl Target {
    /// Parses a base URL such as `http://127.0.0.1:8081` or `https://api.example.com/v1/`.
    /// A query or fragment in the base URL is rejected.
    pub fn parse(base_url: &str) -> Result<Target, String> {
        let (origin, rest) = Origin::parse(base_url.trim())?;
        if rest.contains(['?', '#']) {
            return Err(format!("the base URL `{base_url}` must not have a query or fragment"));
        }
        let base_path = rest.replace('\\', "/").trim_end_matches('/').to_string();
        if base_path.split('/').any(|seg| seg == "." || seg == "..") {
            return Err(format!("the base URL `{base_url}` must not contain `.` or `..` segments"));
        }
        Ok(Target { origin, base_path })
    }

    /// The origin requests are pinned to.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// `scheme://host[:port]`.
    pub fn origin_string(&self) -> String {
        self.origin.to_url_prefix()
    }

    /// The base path without a trailing slash (`""` for the root).
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// The path part of an operation's path template: a full URL template (RestBench's
    /// `http://api.themoviedb.org/3/movie/{movie_id}`) loses its origin, which the target
    /// replaces; a relative template gets the base path in front unless it already starts
    /// with it. Always starts with `/`.
    pub fn resolve_template(&self, template: &str) -> String {
        let template = template.trim();
        let after_authority = |rest: &str| match rest.find(['/', '?']) {
            Some(j) => rest[j..].to_string(),
            None => "/".to_string(),
        };
        let path = match template.find("://") {
            Some(i) if template[..i].chars().all(|c| c.is_ascii_alphabetic()) => after_authority(&template[i + 3..]),
            _ => match template.strip_prefix("//") {
                // Scheme-relative (`//api.example.com/v1/x`): the authority goes too.
                Some(rest) => after_authority(rest),
                None => template.to_string(),
            },
        };
        let path = if path.starts_with('/') { path } else { format!("/{path}") };
        if self.base_path.is_empty() || path == self.base_path || path.starts_with(&format!("{}/", self.base_path)) {
            path
        } else if path == "/" {
            format!("{}/", self.base_path)
        } else {
            format!("{}{}", self.base_path, path)
        }
    }

    /// The absolute URL for a path (with query) on this target's origin. Fails when the
    /// path does not start with `/` or when the result would leave the origin.
    pub fn url_for(&self, path_and_query: &str) -> Result<String, String> {
        if !path_and_query.starts_with('/') {
            return Err(format!("the request path `{path_and_query}` does not start with `/`"));
        }
        let url = format!("{}{}", self.origin_string(), path_and_query);
        self.check_same_origin(&url)?;
        Ok(url)
    }

    /// Resolves a redirect's `Location` against the URL that answered
    /// ([`crate::net::resolve_location`]). `Err` (naming the other origin) when it leads off
    /// this target's origin.
    pub fn resolve_location(&self, current_url: &str, location: &str) -> Result<String, String> {
        let url = crate::net::resolve_location(current_url, location)?;
        self.check_same_origin(&url)?;
        Ok(url)
    }

    /// Fails unless `url` is on this target's origin.
    pub fn check_same_origin(&self, url: &str) -> Result<(), String> {
        let (origin, _) = Origin::parse(url)?;
        if origin != self.origin {
            return Err(format!(
                "refusing a request to {} (only {} is allowed)",
                origin.to_url_prefix(),
                self.origin.to_url_prefix()
            ));
        }
        Ok(())
    }
}

/// Where tool calls go (`tools`). No `Debug`: headers may hold credentials.
#[derive(Clone, Default, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ToolsOptions {
    /// Where HTTP operations are sent (overrides the document's servers).
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub base_url: Option<String>,
    /// An MCP server (Streamable HTTP).
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub mcp_url: Option<String>,
    /// Sent with every tool call (auth); never recorded.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub headers: std::collections::BTreeMap<String, String>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_origins() {
        let (o, rest) = Origin::parse("HTTP://LocalHost:8080/a?b").unwrap();
        assert_eq!(o, Origin { scheme: "http".into(), host: "localhost".into(), port: 8080 });
        assert_eq!(rest, "/a?b");
        assert_eq!(Origin::parse("https://x.test").unwrap().0.port, 443);
        assert_eq!(Origin::parse("http://[::1]:9/").unwrap().0.host, "[::1]");
        for bad in [
            "ftp://x/",
            "x.test/a",
            "http://user:pw@x.test/",
            "http://evil.com@127.0.0.1/",
            "http://x.test:99999/",
            "http://x.test:8a/",
            "http:///path",
            "http://ex ample/",
            "http://[::1/",
        ] {
            assert!(Origin::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn resolves_templates() {
        let root = Target::parse("http://127.0.0.1:1").unwrap();
        assert_eq!(root.resolve_template("/users/{id}"), "/users/{id}");
        assert_eq!(root.resolve_template("users"), "/users");
        assert_eq!(root.resolve_template("http://api.themoviedb.org/3/movie/{movie_id}"), "/3/movie/{movie_id}");
        assert_eq!(root.resolve_template("https://{region}.api.test"), "/");
        assert_eq!(root.resolve_template("//evil.test/steal"), "/steal");
        let v3 = Target::parse("http://127.0.0.1:1/3/").unwrap();
        assert_eq!(v3.resolve_template("http://api.themoviedb.org/3/movie/{id}"), "/3/movie/{id}");
        assert_eq!(v3.resolve_template("/tv/popular"), "/3/tv/popular");
        assert_eq!(v3.resolve_template("/3"), "/3");
        assert_eq!(v3.resolve_template("/"), "/3/");
    }

    #[test]
    fn urls_stay_on_the_origin() {
        let t = Target::parse("http://127.0.0.1:8081").unwrap();
        assert_eq!(t.url_for("/get").unwrap(), "http://127.0.0.1:8081/get");
        // A path that looks like an authority stays a path.
        assert_eq!(t.url_for("//evil.com/x").unwrap(), "http://127.0.0.1:8081//evil.com/x");
        assert!(t.url_for("@evil.com/x").is_err());
        assert!(t.url_for("evil.com").is_err());
        assert!(t.check_same_origin("http://127.0.0.1:8082/").is_err());
        assert!(t.check_same_origin("https://127.0.0.1:8081/").is_err());
        assert!(Target::parse("http://x.test/a?q=1").is_err());
        let here = "http://127.0.0.1:8081/a/b?x=1";
        assert_eq!(t.resolve_location(here, "/get").unwrap(), "http://127.0.0.1:8081/get");
        assert_eq!(t.resolve_location(here, "c?d=1").unwrap(), "http://127.0.0.1:8081/a/c?d=1");
        assert_eq!(t.resolve_location(here, "?y=2").unwrap(), "http://127.0.0.1:8081/a/b?y=2");
        assert_eq!(t.resolve_location(here, "http://127.0.0.1:8081/z").unwrap(), "http://127.0.0.1:8081/z");
        for off in [
            "http://evil.test/",
            "//evil.test/x",
            "/\\evil.test/x",
            "\\\\evil.test",
            "https://127.0.0.1:8081/",
            "javascript:alert(1)",
        ] {
            assert!(t.resolve_location(here, off).is_err(), "{off}");
        }
        assert!(Target::parse("http://x.test/a/../b").is_err());
    }
}
