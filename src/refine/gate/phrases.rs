//! The injection rules' English words and phrases (the other languages' are in
//! [`other_languages`](super::other_languages)): what [`injection`](super::injection) matches
//! a folded text against.

/// Weak phrases: rejected in a rewrite only together with six copied words of the response
/// sentence that carries them.
#[rustfmt::skip]
pub(super) const WEAK_PHRASES: [&str; 12] = [
    "you must", "you should", "act as", "pretend to be", "respond with", "reply with", "do not mention",
    "tell the user", "always answer", "always respond", "do not tell", "instead,",
];

/// Phrases taken for an instruction wherever they occur (matched on whole words).
#[rustfmt::skip]
pub(super) const OVERRIDE_PHRASES: [&str; 30] = [
    "system prompt", "you are now", "new instructions", "new instruction", "updated instructions",
    "real instructions", "actual instructions", "hidden instructions", "developer mode", "jailbreak",
    "jailbroken", "do anything now", "dan mode", "your instructions", "your programming", "your guidelines",
    "your system", "your rules", "reveal your", "instead follow", "follow these instructions",
    "following instructions instead", "no longer bound", "without any restrictions", "unrestricted mode",
    "god mode", "override security", "system override", "admin override", "injection successful",
];

/// Letters run together: catches `i g n o r e`, `ig-nore` and the like.
#[rustfmt::skip]
pub(super) const SQUEEZED_PHRASES: [&str; 12] = [
    "ignorepreviousinstructions", "ignoreallpreviousinstructions", "ignoreallinstructions",
    "ignoreyourinstructions", "ignoretheaboveinstructions", "disregardpreviousinstructions",
    "disregardallinstructions", "forgetpreviousinstructions", "forgetallinstructions", "forgetyourinstructions",
    "notetoaiagents", "doanythingnow",
];

#[rustfmt::skip]
pub(super) const ROLE_TAGS: [&str; 24] = [
    "<|im_start|>", "<|im_end|>", "<|system|>", "<|assistant|>", "<|user|>", "<|endoftext|>", "[inst]",
    "[/inst]", "<<sys>>", "<system>", "</system>", "[system]", "### instruction", "### system",
    // Chat templates' turn and end markers, which a small model also leaks into its answer.
    "</s>", "<|eot_id|>", "<|end_of_text|>", "<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>",
    "<|end|>", "<start_of_turn>", "<end_of_turn>", "<|im_sep|>",
];

pub(super) const LINE_ROLES: [&str; 5] = ["system:", "assistant:", "ai:", "instruction:", "instructions:"];

#[rustfmt::skip]
pub(super) const HIDDEN_MARKUP: [&str; 9] = [
    "<!--", "<script", "<iframe", "display:none", "display: none", "[//]:", "javascript:", "data:text/html",
    "font-size:0",
];

pub(super) const OVERRIDE_VERBS: [&str; 6] = ["ignore", "disregard", "forget", "neglect", "overlook", "discard"];
#[rustfmt::skip]
pub(super) const OVERRIDE_OBJECTS: [&str; 22] = [
    "guidance", "earlier", "context", "constraints", "restrictions", "safeguards", "instructions",
    "instruction", "directions", "directives", "guidelines", "guardrails", "prompt", "prompts", "programming",
    "orders", "above", "everything", "told", "previous", "prior", "preceding",
];

#[rustfmt::skip]
pub(super) const AGENTS: [&str; 22] = [
    "ai", "ais", "llm", "llms", "assistant", "assistants", "agent", "agents", "model", "models", "bot", "bots",
    "chatbot", "chatbots", "gpt", "chatgpt", "claude", "copilot", "gemini", "language", "automated",
    "autonomous",
];
#[rustfmt::skip]
pub(super) const NOTE_WORDS: [&str; 11] = [
    "note", "message", "notice", "instruction", "instructions", "attention", "important", "reminder", "warning",
    "memo", "directive",
];
pub(super) const GREETINGS: [&str; 7] = ["dear", "hey", "hi", "hello", "attention", "calling", "psst"];
pub(super) const BEFORE_WHAT: [&str; 6] = ["answering", "responding", "replying", "you", "summarizing", "summarising"];
pub(super) const MODALS: [&str; 6] = ["must", "should", "need", "needs", "have", "shall"];
#[rustfmt::skip]
pub(super) const ACTIONS: [&str; 26] = [
    "call", "invoke", "run", "execute", "use", "send", "email", "forward", "post", "upload", "visit", "open",
    "fetch", "transfer", "delete", "remove", "grant", "share", "reveal", "disclose", "print", "output", "say",
    "tell", "respond", "reply",
];
/// Verbs that, before a code-shaped name or another operation, make a call instruction.
pub(super) const CALL_VERBS: [&str; 5] = ["call", "invoke", "run", "execute", "trigger"];
/// Verbs that make one only before another operation's name.
pub(super) const USE_VERBS: [&str; 3] = ["use", "hit", "query"];
#[rustfmt::skip]
pub(super) const CALL_FILLERS: [&str; 16] = [
    "the", "a", "an", "tool", "function", "operation", "endpoint", "api", "method", "action", "command", "now",
    "immediately", "first", "also", "then",
];
/// What a reader is told to do "from now on".
pub(super) const REGIME_VERBS: [&str; 8] =
    ["respond", "reply", "answer", "act", "behave", "pretend", "obey", "roleplay"];
/// What "do not … the user" hides from the user.
#[rustfmt::skip]
pub(super) const SECRECY_VERBS: [&str; 12] = [
    "tell", "inform", "mention", "reveal", "show", "disclose", "telling", "informing", "mentioning", "revealing",
    "showing", "disclosing",
];
pub(super) const EXFIL_VERBS: [&str; 10] =
    ["send", "email", "forward", "post", "upload", "transfer", "leak", "exfiltrate", "share", "mail"];

/// What a tool, an operation or an API is called in an instruction about it.
#[rustfmt::skip]
pub(super) const TOOLISH: [&str; 16] = [
    "tool", "tools", "function", "functions", "operation", "operations", "endpoint", "endpoints", "api", "apis",
    "method", "methods", "action", "actions", "command", "commands",
];
