//! Tests of the secret finder: every shape it knows, the values it must leave alone, and
//! what a scrubbed response looks like. Fake secrets are built at run time (no real key, and
//! nothing for a secret scanner to trip on).

use super::*;
use serde_json::json;

fn rep(unit: &str, n: usize) -> String {
    unit.repeat(n)
}

/// One fake value of every provider shape, with the kind it must be taken for.
fn shapes() -> Vec<(String, SecretKind)> {
    vec![
        (format!("sk-proj-{}", rep("aB3x", 10)), SecretKind::OpenAiKey),
        (format!("sk-{}", rep("Q7m", 16)), SecretKind::OpenAiKey),
        (format!("sk-ant-api03-{}", rep("Zk9_", 12)), SecretKind::AnthropicKey),
        (format!("ghp_{}", rep("A1b2", 9)), SecretKind::GitHubToken),
        (format!("gho_{}", rep("c3D4", 9)), SecretKind::GitHubToken),
        (format!("github_pat_11AB{}", rep("x9Y_", 14)), SecretKind::GitHubToken),
        (format!("xoxb-1234567890-{}", rep("aZ", 12)), SecretKind::SlackToken),
        (format!("xoxp-{}", rep("9-8aB", 5)), SecretKind::SlackToken),
        (format!("AKIA{}", "IOSFODNN7EXAMPLE"), SecretKind::AwsAccessKey),
        (format!("AIza{}", rep("Sy9_k", 7)), SecretKind::GoogleApiKey),
        (format!("ya29.{}", rep("a0AfH6", 6)), SecretKind::GoogleOAuthToken),
        (format!("glpat-{}", rep("xY7-", 6)), SecretKind::GitLabToken),
        (format!("sk_live_{}", rep("51Hx", 6)), SecretKind::StripeKey),
        (format!("hf_{}", rep("AbCd", 9)), SecretKind::HuggingFaceToken),
        (format!("npm_{}", rep("a1B2c3", 6)), SecretKind::NpmToken),
        (format!("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.{}", rep("dBjftJeZ4CVP", 3)), SecretKind::Jwt),
        ("Zx8vQ2mN7pL4kR9tW3yB6cF1hJ5gD0sAq".into(), SecretKind::HighEntropy),
    ]
}

#[test]
fn every_provider_shape_is_withheld_in_text_and_in_json() {
    for (secret, kind) in shapes() {
        for text in [
            format!("key {secret} here"),
            format!("export TOKEN_VALUE_X={secret}\n"),
            format!("{{\"value\": \"{secret}\"}}"),
            format!("line1\\n{secret}\\nline3"),
        ] {
            let (clean, kinds) = scrub_text(&text);
            assert!(!clean.contains(&secret), "{kind:?} left in {clean}");
            assert_eq!(kinds, vec![kind], "{text}");
            assert_eq!(markers_in(&clean), vec![kind]);
            assert_eq!(scrub_text(&clean), (clean.clone(), vec![]), "scrubbing twice changes nothing");
        }
        let mut v = json!({"data": {"note": format!("use {secret}")}});
        let found = scrub_value(&mut v);
        assert_eq!(found, vec![("/data/note".to_string(), kind)]);
        assert!(!v.to_string().contains(&secret));
    }
}

#[test]
fn credentials_urls_keys_and_private_keys() {
    let (t, k) = scrub_text("DATABASE_URL=postgres://admin:s3cr3t-pw@db.local:5432/app?sslmode=require");
    assert_eq!(t, "DATABASE_URL=postgres://admin:[withheld: password in URL]@db.local:5432/app?sslmode=require");
    assert_eq!(k, vec![SecretKind::UrlPassword]);
    let (t, _) = scrub_text("GET https://h.example/x?api_key=abc123&page=2");
    assert_eq!(t, "GET https://h.example/x?api_key=[withheld: secret-named field]&page=2");
    let (t, k) = scrub_text("Authorization: Bearer abc.DEF-123_456 and Basic dXNlcjpwYXNz");
    assert_eq!(t, "Authorization: Bearer [withheld: bearer credential] and Basic [withheld: basic credential]");
    assert_eq!(scrub_text(&t).1, vec![], "scrubbing twice changes nothing");
    let url = "postgres://admin:[withheld: password in URL]@db.local:5432/app";
    assert_eq!(scrub_text(url).1, vec![]);
    assert_eq!(k, vec![SecretKind::BearerCredential, SecretKind::BasicCredential]);
    let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabc\n-----END RSA PRIVATE KEY-----";
    let (t, k) = scrub_text(&format!("key:\n{pem}\ndone"));
    assert_eq!((t.as_str(), k), ("key:\n[withheld: private key]\ndone", vec![SecretKind::PrivateKey]));
    let (t, _) = scrub_text(r#"{"password": "correct horse battery", "user": "ada"}"#);
    assert_eq!(t, r#"{"password": "[withheld: secret-named field]", "user": "ada"}"#);
    let (t, _) = scrub_text("client_secret: hunter22\nname: demo");
    assert_eq!(t, "client_secret: [withheld: secret-named field]\nname: demo");
    // A public key is no secret.
    let public = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----";
    assert_eq!(scrub_text(public).1, vec![]);
}

#[test]
fn an_environment_dump_keeps_everything_but_the_secrets() {
    // server-everything's get-env: the environment as JSON text inside an MCP result.
    let env = json!({
        "PATH": "/usr/local/bin:/usr/bin", "HOME": "/home/ada", "NODE_VERSION": "20.19.2",
        "OPENAI_API_KEY": format!("sk-proj-{}", rep("aB3x", 10)), "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCY",
        "DB_PASSWORD": "pw", "GITHUB_TOKEN": format!("ghp_{}", rep("A1b2", 9)), "LANG": "C.UTF-8",
        "SESSION_ID": "f47ac10b-58cc-4372-a567-0e02b2c3d479",
    });
    let text = serde_json::to_string_pretty(&env).unwrap();
    let mut result = json!({"content": [{"type": "text", "text": text}]});
    let found = scrub_value(&mut result);
    let inner: Value = serde_json::from_str(result["content"][0]["text"].as_str().unwrap()).unwrap();
    for k in ["OPENAI_API_KEY", "AWS_SECRET_ACCESS_KEY", "DB_PASSWORD", "GITHUB_TOKEN", "SESSION_ID"] {
        assert!(inner[k].as_str().unwrap().starts_with(MARKER_PREFIX), "{k}: {}", inner[k]);
    }
    for k in ["PATH", "HOME", "NODE_VERSION", "LANG"] {
        assert_eq!(inner[k], env[k], "{k}");
    }
    assert_eq!(found.len(), 5);
    assert!(found.iter().all(|(p, _)| p.starts_with("/content/0/text/")), "{found:?}");
    // The same dump as raw body text (JSON-escaped inside a JSON-RPC reply).
    let body = serde_json::to_string(&json!({"result": {"content": [{"text": text}]}})).unwrap();
    let (clean, kinds) = scrub_text(&body);
    assert_eq!(kinds.len(), 5, "{clean}");
    for k in ["OPENAI_API_KEY", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN"] {
        assert!(!clean.contains(env[k].as_str().unwrap()), "{k} in {clean}");
    }
    assert!(clean.contains("/usr/local/bin") && clean.contains("20.19.2"));
}

#[test]
fn ids_hashes_uuids_dates_and_plain_urls_pass() {
    let benign = json!({
        "id": "cus_9s6XKzkNRiz8i3", "uuid": "f47ac10b-58cc-4372-a567-0e02b2c3d479",
        "sha": "e83c5163316f89bfbde7d9ab23ca2e25604af290",
        "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "etag": "W/\"5eb63bbbe01eeed093cb22bb8f5acdc3\"", "node_id": "MDQ6VXNlcjU4MzIzMQ9x8vQ2mN7pL4kR9tW3yB6",
        "created_at": "2026-12-06T15:27:31Z", "date": "2026-12-06",
        "html_url": "https://github.com/octocat/Hello-World/pull/1347?page=2&per_page=30",
        "avatar": "https://avatars.githubusercontent.com/u/583231?v=4",
        "max_tokens": 4096, "token_type": "bearer", "nextPageToken": "CAoQAA", "tokens": ["a", "b"],
        "token_url": "https://auth.example/oauth/token", "password_required": true, "has_secret": false,
        "description": "Returns the user's API key metadata (never the key itself): name, scopes, created.",
        "camel": "ThisIsAVeryLongCamelCaseIdentifierNameForTests",
        "path": "/usr/lib/x86_64-linux-gnu/libssl.so.3", "version": "v1.2.3-rc.4+build.567",
        "mime": "application/vnd.github.v3+json", "uuid_list": ["123e4567-e89b-12d3-a456-426614174000"],
        "words": "Bearer tokens are accepted; basic authentication is not.",
        "time": "15:27:31", "ratio": "16:9", "email": "ada@example.com",
        "masked": {"password": "********", "api_key": "[REDACTED]", "secret": ""},
    });
    let mut v = benign.clone();
    let found = scrub_value(&mut v);
    assert_eq!(found, vec![], "nothing withheld");
    assert_eq!(v, benign);
    let (t, k) = scrub_text(&benign.to_string());
    assert_eq!(k, vec![], "{t}");
}

#[test]
fn key_names() {
    for n in [
        "password",
        "DB_PASSWORD",
        "client_secret",
        "x-api-key",
        "apiKey",
        "OPENAI_API_KEY",
        "authorization",
        "X-Auth-Token",
        "refresh_token",
        "credentials",
        "private_key",
        "AWS_SECRET_ACCESS_KEY",
        "set-cookie",
        "sessionId",
        "passphrase",
    ] {
        assert!(secret_key_name(n), "{n}");
    }
    for n in [
        "max_tokens",
        "token_type",
        "nextPageToken",
        "token_url",
        "tokens",
        "author",
        "id",
        "name",
        "key_count",
        "password_required",
        "expires_in",
        "usage",
        "input_tokens",
    ] {
        assert!(!secret_key_name(n), "{n}");
    }
}

#[test]
fn observations_are_scrubbed_everywhere_and_markers_name_known_kinds_only() {
    let key = format!("ghp_{}", rep("A1b2", 9));
    let mut o = Observation {
        status: Some(200),
        body: format!("{{\"token\":\"{key}\"}}"),
        json: Some(json!({"token": key})),
        headers: vec![("location".into(), format!("https://u:{key}@h/x"))],
        ..Default::default()
    };
    assert_eq!(scrub_observation(&mut o), 2);
    let all = serde_json::to_string(&o).unwrap();
    assert!(!all.contains(&key), "{all}");
    assert_eq!(markers_in("[withheld: made up] [withheld: JWT]"), vec![SecretKind::Jwt]);
    assert_eq!(SecretKind::from_label("GitHub token"), Some(SecretKind::GitHubToken));
}

#[test]
#[allow(clippy::disallowed_methods)] // a wall-clock measurement, in a test
fn a_100_kb_response_is_scanned_quickly() {
    let item = json!({"id": 1, "name": "Ada Lovelace", "email": "ada@example.com", "created": "2026-12-06T10:00:00Z",
        "bio": "Wrote the first algorithm intended for a machine; notes on the Analytical Engine.",
        "url": "https://api.example.com/users/1?expand=teams", "sha": "e83c5163316f89bfbde7d9ab23ca2e25604af290"});
    let items: Vec<Value> = (0..400).map(|_| item.clone()).collect();
    let mut v = json!({"items": items});
    let body = v.to_string();
    assert!(body.len() > 100_000, "{}", body.len());
    let t0 = std::time::Instant::now();
    let (_, kinds) = scrub_text(&body);
    let found = scrub_value(&mut v);
    let ms = t0.elapsed().as_secs_f64() * 1000.0;
    assert!(kinds.is_empty() && found.is_empty());
    eprintln!("scanned {} bytes as text and as JSON in {ms:.1} ms", body.len());
    assert!(ms < 1000.0, "{ms} ms");
}
