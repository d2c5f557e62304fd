//! The kinds of secret the finder knows, their names, and the `[withheld: …]` marker that
//! replaces a withheld value (reports find withheld values again by it).
//!
//! ```
//! use tooldraft::tools::secrets::{markers_in, SecretKind};
//! assert_eq!(SecretKind::GitHubToken.marker(), "[withheld: GitHub token]");
//! assert_eq!(markers_in("a [withheld: JWT] b [withheld: made up]"), vec![SecretKind::Jwt]);
//! ```

/// What a withheld value was taken for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SecretKind {
    OpenAiKey,
    AnthropicKey,
    GitHubToken,
    GitLabToken,
    SlackToken,
    AwsAccessKey,
    GoogleApiKey,
    GoogleOAuthToken,
    StripeKey,
    HuggingFaceToken,
    NpmToken,
    Jwt,
    BearerCredential,
    BasicCredential,
    PrivateKey,
    UrlPassword,
    SecretField,
    HighEntropy,
}

#[rustfmt::skip]
const KINDS: [SecretKind; 18] = [
    SecretKind::OpenAiKey, SecretKind::AnthropicKey, SecretKind::GitHubToken, SecretKind::GitLabToken,
    SecretKind::SlackToken, SecretKind::AwsAccessKey, SecretKind::GoogleApiKey, SecretKind::GoogleOAuthToken,
    SecretKind::StripeKey, SecretKind::HuggingFaceToken, SecretKind::NpmToken, SecretKind::Jwt,
    SecretKind::BearerCredential, SecretKind::BasicCredential, SecretKind::PrivateKey,
    SecretKind::UrlPassword, SecretKind::SecretField, SecretKind::HighEntropy,
];

impl SecretKind {
    /// A short human name (`GitHub token`), as it appears in the `[withheld: …]` marker.
    pub fn label(self) -> &'static str {
        match self {
            SecretKind::OpenAiKey => "OpenAI API key",
            SecretKind::AnthropicKey => "Anthropic API key",
            SecretKind::GitHubToken => "GitHub token",
            SecretKind::GitLabToken => "GitLab token",
            SecretKind::SlackToken => "Slack token",
            SecretKind::AwsAccessKey => "AWS access key id",
            SecretKind::GoogleApiKey => "Google API key",
            SecretKind::GoogleOAuthToken => "Google OAuth token",
            SecretKind::StripeKey => "Stripe key",
            SecretKind::HuggingFaceToken => "Hugging Face token",
            SecretKind::NpmToken => "npm token",
            SecretKind::Jwt => "JWT",
            SecretKind::BearerCredential => "bearer credential",
            SecretKind::BasicCredential => "basic credential",
            SecretKind::PrivateKey => "private key",
            SecretKind::UrlPassword => "password in URL",
            SecretKind::SecretField => "secret-named field",
            SecretKind::HighEntropy => "high-entropy string",
        }
    }

    /// A stable camelCase code (`gitHubToken`), as reports name the kind.
    pub fn code(self) -> &'static str {
        match self {
            SecretKind::OpenAiKey => "openAiKey",
            SecretKind::AnthropicKey => "anthropicKey",
            SecretKind::GitHubToken => "gitHubToken",
            SecretKind::GitLabToken => "gitLabToken",
            SecretKind::SlackToken => "slackToken",
            SecretKind::AwsAccessKey => "awsAccessKey",
            SecretKind::GoogleApiKey => "googleApiKey",
            SecretKind::GoogleOAuthToken => "googleOAuthToken",
            SecretKind::StripeKey => "stripeKey",
            SecretKind::HuggingFaceToken => "huggingFaceToken",
            SecretKind::NpmToken => "npmToken",
            SecretKind::Jwt => "jwt",
            SecretKind::BearerCredential => "bearerCredential",
            SecretKind::BasicCredential => "basicCredential",
            SecretKind::PrivateKey => "privateKey",
            SecretKind::UrlPassword => "urlPassword",
            SecretKind::SecretField => "secretField",
            SecretKind::HighEntropy => "highEntropy",
        }
    }

    /// The marker that replaces a withheld value.
    pub fn marker(self) -> String {
        format!("{MARKER_PREFIX}{}]", self.label())
    }

    /// The kind a marker names (only the known labels: a tool cannot invent kinds).
    pub fn from_label(label: &str) -> Option<SecretKind> {
        KINDS.into_iter().find(|k| k.label() == label)
    }
}

/// How every withheld-value marker starts.
pub const MARKER_PREFIX: &str = "[withheld: ";

/// The kinds named by the markers in `text`, in order.
pub fn markers_in(text: &str) -> Vec<SecretKind> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(MARKER_PREFIX) {
        rest = &rest[i + MARKER_PREFIX.len()..];
        if let Some(end) = rest.find(']') {
            if let Some(k) = SecretKind::from_label(&rest[..end]) {
                out.push(k);
            }
        }
    }
    out
}
