//! Reading rewrites: identifier-like tokens and their neighbours, injection phrases copied
//! from tool output, "optional" claims about a parameter, and claimed HTTP statuses.

use std::collections::HashSet;

const STRONG_PHRASES: [&str; 27] = [
    "ignore previous instructions",
    "ignore all previous",
    "ignore the previous",
    "ignore prior",
    "ignore the above",
    "ignore all instructions",
    "ignore your instructions",
    "disregard previous",
    "disregard all",
    "disregard the above",
    "disregard your",
    "forget previous",
    "forget all previous",
    "forget your instructions",
    "system prompt",
    "you are now",
    "new instructions",
    "from now on",
    "developer mode",
    "jailbreak",
    "<|im_start|>",
    "<|system|>",
    "[inst]",
    "### instruction",
    "assistant:",
    "system:",
    "do anything now",
];
const WEAK_PHRASES: [&str; 12] = [
    "you must",
    "you should",
    "act as",
    "pretend to be",
    "respond with",
    "reply with",
    "do not mention",
    "tell the user",
    "always answer",
    "always respond",
    "do not tell",
    "instead,",
];

/// Whether `t` looks like a code identifier (see the module docs); `quoted` says whether it
/// stood inside backticks or quotes.
pub fn code_shaped(t: &str, quoted: bool) -> bool {
    let b = t.as_bytes();
    if !b.iter().any(u8::is_ascii_alphabetic) {
        return false;
    }
    let snake = (1..b.len().saturating_sub(1))
        .any(|i| b[i] == b'_' && b[i - 1].is_ascii_alphanumeric() && b[i + 1].is_ascii_alphanumeric());
    let camel = b[0].is_ascii_lowercase() && b.iter().any(u8::is_ascii_uppercase);
    snake || (quoted && camel)
}

/// An identifier-like token of a text, with its neighbours.
#[derive(Debug)]
pub(super) struct Token<'a> {
    pub text: &'a str,
    pub quoted: bool,
    pub prev: Option<&'a str>,
    pub next: Option<&'a str>,
}

pub(super) fn tokens(text: &str) -> Vec<Token<'_>> {
    let is_tok = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_tok(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    let quote_open = |c: char| matches!(c, '`' | '\'' | '"' | '‘' | '“');
    let quote_close = |c: char| matches!(c, '`' | '\'' | '"' | '’' | '”');
    spans
        .iter()
        .enumerate()
        .map(|(i, &(s, e))| {
            let before = text[..s].chars().next_back();
            let after = text[e..].chars().next();
            Token {
                text: &text[s..e],
                quoted: before.is_some_and(quote_open) && after.is_some_and(quote_close),
                prev: i.checked_sub(1).map(|j| &text[spans[j].0..spans[j].1]),
                next: spans.get(i + 1).map(|&(a, b)| &text[a..b]),
            }
        })
        .collect()
}

/// Lower-case, whitespace collapsed, typographic quotes made plain.
pub(super) fn normalize(text: &str) -> String {
    let t: String = text
        .chars()
        .map(|c| match c {
            '‘' | '’' => '\'',
            '“' | '”' => '"',
            c if c.is_whitespace() => ' ',
            c => c,
        })
        .collect();
    t.to_lowercase().split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

pub(super) fn words(text: &str) -> Vec<String> {
    text.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

pub(super) fn shingles(ws: &[String], n: usize) -> HashSet<String> {
    ws.windows(n).map(|w| w.join(" ")).collect()
}

/// Instruction-like text the rewrite copied from tool output (see the module docs).
pub fn injection(rewrite: &str, observed: &[&str], original: &str) -> Option<String> {
    let rw = normalize(rewrite);
    let orig = normalize(original);
    let obs: Vec<String> = observed.iter().map(|o| normalize(o)).collect();
    for p in STRONG_PHRASES {
        if rw.contains(p) && !orig.contains(p) && obs.iter().any(|o| o.contains(p)) {
            return Some(format!("it repeats \"{p}\" from the tool's output"));
        }
    }
    let rw_words = words(&rw);
    let rw6 = shingles(&rw_words, 6);
    let orig6 = shingles(&words(&orig), 6);
    for p in WEAK_PHRASES {
        if !rw.contains(p) || orig.contains(p) {
            continue;
        }
        for o in &obs {
            for sentence in o.split(['.', '!', '?', '\n']).filter(|s| s.contains(p)) {
                let sw = words(sentence);
                let copied = if sw.len() >= 6 {
                    shingles(&sw, 6).iter().any(|s| rw6.contains(s) && !orig6.contains(s))
                } else {
                    sw.len() >= 3 && rw_words.windows(sw.len()).any(|w| w == sw.as_slice())
                };
                if copied {
                    return Some(format!("it copies the instruction \"{}\" from the tool's output", sentence.trim()));
                }
            }
        }
    }
    None
}

const LINKING: [&str; 16] = [
    "is",
    "are",
    "an",
    "a",
    "the",
    "parameter",
    "param",
    "argument",
    "remains",
    "stays",
    "be",
    "can",
    "may",
    "completely",
    "entirely",
    "also",
];

/// Whether `text` calls `param` optional (un-negated).
pub(super) fn calls_optional(text: &str, param: &str, own_description: bool) -> bool {
    let ws: Vec<String> = text
        .to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let p = param.to_lowercase();
    for (i, w) in ws.iter().enumerate() {
        if w != "optional" {
            continue;
        }
        let negated =
            ws[i.saturating_sub(2)..i].iter().any(|x| matches!(x.as_str(), "not" | "non" | "never" | "isn" | "t"));
        if negated {
            continue;
        }
        if own_description {
            return true;
        }
        // `P is (an) optional`, `P (optional)`: P before, only linking words between.
        let mut j = i;
        while j > 0 && i - j < 5 {
            j -= 1;
            if ws[j] == p {
                return true;
            }
            if !LINKING.contains(&ws[j].as_str()) {
                break;
            }
        }
        // `optional parameter P`, `optional: P`.
        let mut k = i + 1;
        while k < ws.len() && k - i <= 3 {
            if ws[k] == p {
                return true;
            }
            if !LINKING.contains(&ws[k].as_str()) {
                break;
            }
            k += 1;
        }
    }
    false
}

/// HTTP statuses the text claims (`HTTP 404`, `status 500`, `a 404 error`, `429 Too Many`).
pub(super) fn claimed_statuses(text: &str) -> Vec<u16> {
    let ws: Vec<String> = text
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let mut out = Vec::new();
    for (i, w) in ws.iter().enumerate() {
        let Ok(n) = w.parse::<u16>() else { continue };
        if w.len() != 3 || !(100..600).contains(&n) {
            continue;
        }
        let prev = i.checked_sub(1).map(|j| ws[j].as_str());
        let next = ws.get(i + 1).map(String::as_str);
        let prev_ok = matches!(prev, Some("http" | "status" | "code"));
        let next_ok = matches!(
            next,
            Some(
                "status"
                    | "error"
                    | "errors"
                    | "response"
                    | "not"
                    | "bad"
                    | "unauthorized"
                    | "forbidden"
                    | "ok"
                    | "too"
                    | "internal"
                    | "created"
                    | "no"
                    | "conflict"
            )
        );
        if prev_ok || next_ok {
            out.push(n);
        }
    }
    out
}
