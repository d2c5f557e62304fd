//! The origin of a URL (scheme, host, port): what "the same server" means for the tool
//! target, for redirects and for every endpoint that receives a user's key.
//!
//! ```
//! use tooldraft::net::Origin;
//! let (o, rest) = Origin::parse("HTTP://LocalHost:8080/a?b").unwrap();
//! assert_eq!((o.to_url_prefix().as_str(), rest), ("http://localhost:8080", "/a?b"));
//! assert!(Origin::parse("http://user:pw@h/").is_err());
//! ```

/// Scheme, host and port: where requests may go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// `http` or `https`.
    pub scheme: String,
    /// Lower-cased host name or IP literal (IPv6 in brackets).
    pub host: String,
    pub port: u16,
}

impl Origin {
    /// Parses the origin of an absolute http(s) URL and returns it with the rest of the URL
    /// (path, query, fragment; may be empty). Rejects user info (`user@host`), empty or
    /// malformed hosts and ports, and other schemes.
    pub fn parse(url: &str) -> Result<(Origin, &str), String> {
        let (scheme, rest) = url.split_once("://").ok_or_else(|| format!("`{url}` is not an absolute http(s) URL"))?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            other => return Err(format!("unsupported URL scheme `{other}` (only http and https)")),
        };
        // The authority ends where WHATWG URL parsing ends it for special schemes.
        let end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        if authority.contains('@') {
            return Err("URLs with user info (`user@host`) are not accepted; configure auth instead".into());
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let close = v6.find(']').ok_or("unterminated IPv6 address in URL")?;
            let host = &v6[..close];
            if host.is_empty() || !host.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.') {
                return Err(format!("invalid IPv6 host `[{host}]`"));
            }
            let after = &v6[close + 1..];
            let port = match after.strip_prefix(':') {
                Some(p) => Some(p),
                None if after.is_empty() => None,
                None => return Err(format!("invalid authority `{authority}`")),
            };
            (format!("[{}]", host.to_ascii_lowercase()), port)
        } else {
            match authority.split_once(':') {
                Some((h, p)) => (h.to_ascii_lowercase(), Some(p)),
                None => (authority.to_ascii_lowercase(), None),
            }
        };
        if host.is_empty() {
            return Err(format!("no host in URL `{url}`"));
        }
        if !host.starts_with('[') && !host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')) {
            return Err(format!("invalid host `{host}` (use an ASCII or punycode host name)"));
        }
        let port = match port {
            None | Some("") => default_port,
            Some(p) if p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse::<u16>().map_err(|_| format!("invalid port `{p}`"))?
            }
            Some(p) => return Err(format!("invalid port `{p}`")),
        };
        Ok((Origin { scheme, host, port }, tail))
    }

    /// `scheme://host[:port]`, the port left out when it is the scheme's default.
    pub fn to_url_prefix(&self) -> String {
        let default = (self.scheme == "http" && self.port == 80) || (self.scheme == "https" && self.port == 443);
        if default {
            format!("{}://{}", self.scheme, self.host)
        } else {
            format!("{}://{}:{}", self.scheme, self.host, self.port)
        }
    }
}
