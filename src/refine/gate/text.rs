//! Reading rewrites: identifier-like tokens and their neighbours, words and shingles,
//! "optional" claims about a parameter, and claimed HTTP statuses. (Instruction-like text is
//! the concern of the sibling `injection` module.)

use crate::lowercase::Lowercase;
use std::collections::HashSet;

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

pub(super) fn words(text: &str) -> Vec<String> {
    text.lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

pub(super) fn shingles(ws: &[String], n: usize) -> HashSet<String> {
    ws.windows(n).map(|w| w.join(" ")).collect()
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
        .lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let p = param.lowercase();
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
    let ws: Vec<String> =
        text.lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect();
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

/// The sentences of a text, trimmed, each with its end: split after `.`, `!` or `?` (and `;`
/// too with `at_semicolons`: a rule's clauses) before a space or the end, and at line breaks;
/// not after an abbreviation that does not end
/// a sentence ("e.g.", "i.e.", "vs."), so that "e.g. 'The sum of 2 and 3 is 5.'" stays with
/// what it illustrates.
pub(crate) fn sentences(text: &str, at_semicolons: bool) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let ends = c == '\n'
            || ((matches!(c, '.' | '!' | '?') || (at_semicolons && c == ';'))
                && next.is_none_or(char::is_whitespace)
                && !(c == '.' && abbreviation(&text[..i])));
        if ends {
            out.push(&text[start..i + c.len_utf8()]);
            start = i + c.len_utf8();
        }
    }
    out.push(&text[start..]);
    out.into_iter().map(str::trim).filter(|s| !s.is_empty()).collect()
}

/// Whether the text before a `.` ends with an abbreviation that does not end a sentence.
fn abbreviation(before: &str) -> bool {
    let word = before.rsplit(|c: char| !(c.is_alphanumeric() || c == '.')).next().unwrap_or("");
    matches!(word.to_ascii_lowercase().as_str(), "e.g" | "i.e" | "eg" | "ie" | "vs" | "cf" | "approx" | "incl" | "resp")
}
