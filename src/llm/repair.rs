//! Reading JSON out of what real models write: reasoning blocks, code fences and prose around
//! it, several objects in a row, trailing commas, comments, single quotes, unquoted keys,
//! Python literals, missing commas between members, raw newlines in strings, and a tail cut
//! off mid-way (closed where the part already written is usable: complete members and
//! items are kept, a string or number the cut went through is dropped).
//!
//! ```
//! use tooldraft::llm::repair::candidates;
//! let found = candidates("Sure! ```json\n{'q': 'weather', tags: ['a', 'b',],}\n``` Hope this helps {x}");
//! assert_eq!(found[0].value, serde_json::json!({"q": "weather", "tags": ["a", "b"]}));
//! assert!(found[0].repaired && !found[0].truncated);
//! ```

use serde_json::{Map, Number, Value};

/// A JSON value found in a model's text.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub value: Value,
    /// Byte offset of its first character in the text searched.
    pub offset: usize,
    /// Byte offset just after it.
    pub end: usize,
    /// It needed repairs (it is not strict JSON as written).
    pub repaired: bool,
    /// The text ended before the value did; what was there was closed.
    pub truncated: bool,
    /// It came from a code fence.
    pub fenced: bool,
}

/// Text longer than this is only searched up to here.
const MAX_TEXT: usize = 2_000_000;
/// Start positions tried per region.
const MAX_STARTS: usize = 200;
const MAX_NESTING: usize = 256;

/// Every JSON object and array found in `text`, best first: fenced before unfenced, complete
/// before cut-off, objects before arrays, then in order of appearance. Values nested in a
/// found one of the same kind are not listed separately.
pub fn candidates(text: &str) -> Vec<Candidate> {
    // Fast path: the whole answer is strict JSON, however long.
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.starts_with(['{', '[']) {
        if let Ok(value) = serde_json::from_str::<Value>(trimmed) {
            let offset = text.len() - text.trim_start_matches('\u{feff}').trim_start().len();
            let end = offset + trimmed.len();
            return vec![Candidate { value, offset, end, repaired: false, truncated: false, fenced: false }];
        }
    }
    let cut = crate::text::cut_at_boundary(text, MAX_TEXT);
    let visible = strip_reasoning(cut);
    let mut out = search(&visible);
    if out.is_empty() && visible.len() != cut.len() {
        // The JSON may sit inside an unclosed reasoning block.
        out = search(cut);
    }
    if cut.len() < text.len() {
        // What reaches our own cut is not what the model wrote: leave it out.
        out.retain(|c| !c.truncated);
    }
    out
}

fn search(text: &str) -> Vec<Candidate> {
    let trimmed = text.trim();
    // A JSON string that holds the JSON (double-encoded answers).
    if trimmed.starts_with('"') {
        if let Ok(Value::String(inner)) = serde_json::from_str::<Value>(trimmed) {
            if inner.trim_start().starts_with(['{', '[']) {
                return search(&inner);
            }
        }
    }
    let mut out = Vec::new();
    for opener in [b'{', b'['] {
        // Arrays inside objects already found are not candidates of their own.
        let spans: Vec<(usize, usize)> = out.iter().map(|c: &Candidate| (c.offset, c.end)).collect();
        for (start, body) in fences(text) {
            scan(body, start, opener, true, &spans, &mut out);
        }
        scan(text, 0, opener, false, &spans, &mut out);
    }
    // Fenced first, complete before truncated, objects before arrays, then position.
    crate::order::sort_by_key(&mut out, |c| (!c.fenced, c.truncated, c.value.is_array(), c.offset));
    let mut unique: Vec<Candidate> = Vec::new();
    for c in out {
        if !unique.iter().any(|u| u.value == c.value) {
            unique.push(c);
        }
    }
    unique
}

/// The bodies of Markdown code fences (an unclosed last fence runs to the end).
fn fences(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(rel) = text[pos..].find("```") {
        let open = pos + rel;
        // Skip the info string (```json) up to the end of the line.
        let after = open + 3;
        let body_start = match text[after..].find('\n') {
            Some(nl) if text[after..after + nl].trim().chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => {
                after + nl + 1
            }
            _ => after,
        };
        match text[body_start..].find("```") {
            Some(rel_close) => {
                out.push((body_start, &text[body_start..body_start + rel_close]));
                pos = body_start + rel_close + 3;
            }
            None => {
                out.push((body_start, &text[body_start..]));
                break;
            }
        }
    }
    out
}

/// Removes `<think>…</think>` / `<thinking>…</thinking>` blocks (an unclosed one to the end).
fn strip_reasoning(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let lower = rest.to_ascii_lowercase();
        let open = ["<think>", "<thinking>"].iter().filter_map(|t| lower.find(t).map(|i| (i, *t))).min();
        let Some((i, tag)) = open else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..i]);
        let close = tag.replace('<', "</");
        match lower[i..].find(&close) {
            Some(j) => rest = &rest[i + j + close.len()..],
            None => return out,
        }
    }
}

fn scan(region: &str, base: usize, opener: u8, fenced: bool, skip: &[(usize, usize)], out: &mut Vec<Candidate>) {
    let bytes = region.as_bytes();
    let mut pos = 0;
    let mut tries = 0;
    while tries < MAX_STARTS {
        let Some(rel) = bytes[pos..].iter().position(|b| *b == opener) else { return };
        let start = pos + rel;
        if let Some((_, end)) = skip.iter().find(|(s, e)| (*s..*e).contains(&(base + start))) {
            pos = end.saturating_sub(base).max(start + 1);
            if pos >= bytes.len() {
                return;
            }
            continue;
        }
        tries += 1;
        let mut p = Parser { s: bytes, i: start, depth: 0, repaired: false, truncated: false };
        match p.value() {
            Ok(Some(value)) => {
                out.push(Candidate {
                    value,
                    offset: base + start,
                    end: base + p.i,
                    repaired: p.repaired,
                    truncated: p.truncated,
                    fenced,
                });
                pos = p.i.max(start + 1);
            }
            _ => pos = start + 1,
        }
        if pos >= bytes.len() {
            return;
        }
    }
}

/// Parses one JSON value leniently from the start of `text`: the value, the byte offset after
/// it, and whether it was repaired / cut off.
pub fn parse_lenient(text: &str) -> Result<(Value, usize, bool, bool), String> {
    let mut p = Parser { s: text.as_bytes(), i: 0, depth: 0, repaired: false, truncated: false };
    p.skip_ws();
    match p.value() {
        Ok(Some(v)) => Ok((v, p.i, p.repaired, p.truncated)),
        Ok(None) => Err("the text ended before any value".into()),
        Err(e) => Err(e),
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    depth: usize,
    repaired: bool,
    truncated: bool,
}

type Parsed = Result<Option<Value>, String>;

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn err<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at byte {}", self.i))
    }

    /// Skips whitespace and comments; true when it crossed a line break.
    fn skip_ws(&mut self) -> bool {
        let mut newline = false;
        loop {
            match self.peek() {
                Some(b'\n') => {
                    newline = true;
                    self.i += 1;
                }
                Some(b' ' | b'\t' | b'\r') => self.i += 1,
                Some(b'/') if self.s.get(self.i + 1) == Some(&b'/') => {
                    self.repaired = true;
                    while self.peek().is_some_and(|c| c != b'\n') {
                        self.i += 1;
                    }
                }
                Some(b'/') if self.s.get(self.i + 1) == Some(&b'*') => {
                    self.repaired = true;
                    self.i += 2;
                    while self.i < self.s.len() && !self.s[self.i..].starts_with(b"*/") {
                        self.i += 1;
                    }
                    self.i = (self.i + 2).min(self.s.len());
                }
                _ => return newline,
            }
        }
    }

    /// A value, `None` when the text ended before anything usable.
    fn value(&mut self) -> Parsed {
        self.skip_ws();
        let Some(c) = self.peek() else {
            self.truncated = true;
            return Ok(None);
        };
        match c {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' | b'\'' => Ok(self.string(c)?.map(Value::String)),
            b'-' | b'+' | b'.' | b'0'..=b'9' => self.number(),
            c if c.is_ascii_alphabetic() => self.literal(),
            _ => self.err("unexpected character"),
        }
    }

    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return self.err("nested too deeply");
        }
        self.i += 1;
        Ok(())
    }

    fn object(&mut self) -> Parsed {
        self.enter()?;
        let mut map = Map::new();
        loop {
            self.skip_ws();
            let Some(c) = self.peek() else {
                self.truncated = true;
                break;
            };
            if c == b'}' {
                self.i += 1;
                break;
            }
            let key = match c {
                b'"' | b'\'' => match self.string(c)? {
                    Some(k) if !self.truncated => k,
                    _ => break, // cut off inside a key: drop it
                },
                c if c.is_ascii_alphabetic() || c == b'_' || c == b'$' => {
                    self.repaired = true;
                    self.ident()
                }
                _ => return self.err("expected a property name"),
            };
            self.skip_ws();
            match self.peek() {
                None => {
                    self.truncated = true;
                    break;
                }
                Some(b':') => self.i += 1,
                Some(_) => return self.err("expected ':' after a property name"),
            }
            match self.value()? {
                // A string cut off is part of a text, not the text: dropped, like a number
                // cut off (a cut-off container keeps its complete members).
                Some(v) if !(self.truncated && v.is_string()) => {
                    map.insert(key, v);
                }
                _ => break,
            }
            if self.truncated {
                break;
            }
            if !self.separator(b'}')? {
                break;
            }
        }
        self.depth -= 1;
        Ok(Some(Value::Object(map)))
    }

    fn array(&mut self) -> Parsed {
        self.enter()?;
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            let Some(c) = self.peek() else {
                self.truncated = true;
                break;
            };
            if c == b']' {
                self.i += 1;
                break;
            }
            let v = self.value()?;
            if self.truncated {
                // A cut-off last item is dropped: the list is just shorter.
                break;
            }
            if let Some(v) = v {
                items.push(v);
            }
            if !self.separator(b']')? {
                break;
            }
        }
        self.depth -= 1;
        Ok(Some(Value::Array(items)))
    }

    /// After a member: `,` (a trailing one before `close` is allowed), `close`, or a missing
    /// comma before the next member. False when the container ended (closed or cut off).
    fn separator(&mut self, close: u8) -> Result<bool, String> {
        let newline = self.skip_ws();
        match self.peek() {
            None => {
                self.truncated = true;
                Ok(false)
            }
            Some(b',') => {
                self.i += 1;
                self.skip_ws();
                match self.peek() {
                    Some(c) if c == close => {
                        self.repaired = true;
                        self.i += 1;
                        Ok(false)
                    }
                    Some(b',') => self.err("two commas in a row"),
                    _ => Ok(true),
                }
            }
            Some(c) if c == close => {
                self.i += 1;
                Ok(false)
            }
            // A missing comma, forgiven only at a line break before something that can start
            // the next member.
            Some(c) if newline && (matches!(c, b'"' | b'\'' | b'{' | b'[' | b'-') || c.is_ascii_alphanumeric()) => {
                self.repaired = true;
                Ok(true)
            }
            Some(_) => self.err(if close == b'}' { "expected ',' or '}'" } else { "expected ',' or ']'" }),
        }
    }

    fn ident(&mut self) -> String {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$' | b'-')) {
            self.i += 1;
        }
        String::from_utf8_lossy(&self.s[start..self.i]).into_owned()
    }

    /// A quoted string; `None` when cut off right after the opening quote.
    fn string(&mut self, quote: u8) -> Result<Option<String>, String> {
        if quote == b'\'' {
            self.repaired = true;
        }
        self.i += 1;
        let mut buf: Vec<u8> = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                self.truncated = true;
                if buf.is_empty() {
                    return Ok(None);
                }
                return Ok(Some(String::from_utf8_lossy(&buf).into_owned()));
            };
            self.i += 1;
            match c {
                c if c == quote => {
                    if self.closes_string() {
                        return Ok(Some(String::from_utf8_lossy(&buf).into_owned()));
                    }
                    // An unescaped quote inside the text ("He said "hi" to me").
                    self.repaired = true;
                    buf.push(c);
                }
                b'\\' => {
                    let Some(e) = self.peek() else { continue };
                    self.i += 1;
                    match e {
                        b'n' => buf.push(b'\n'),
                        b't' => buf.push(b'\t'),
                        b'r' => buf.push(b'\r'),
                        b'b' => buf.push(8),
                        b'f' => buf.push(12),
                        b'u' => self.unicode_escape(&mut buf),
                        b'"' | b'\\' | b'/' => buf.push(e),
                        other => {
                            self.repaired = true;
                            buf.push(other);
                        }
                    }
                }
                b'\n' | b'\r' | b'\t' => {
                    self.repaired = true;
                    buf.push(c);
                }
                c => buf.push(c),
            }
        }
    }

    /// Whether the quote just read ends the string: only if what follows can follow a string.
    fn closes_string(&self) -> bool {
        let mut j = self.i;
        while matches!(self.s.get(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        matches!(self.s.get(j), None | Some(b',' | b'}' | b']' | b':' | b'\n' | b'\r' | b'/'))
    }

    fn hex4(&mut self) -> Option<u32> {
        let h = self.s.get(self.i..self.i + 4)?;
        let v = u32::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()?;
        self.i += 4;
        Some(v)
    }

    fn unicode_escape(&mut self, buf: &mut Vec<u8>) {
        let Some(hi) = self.hex4() else {
            self.repaired = true;
            buf.push(b'u');
            return;
        };
        let code = if (0xD800..0xDC00).contains(&hi) && self.s[self.i..].starts_with(b"\\u") {
            self.i += 2;
            match self.hex4() {
                Some(lo) if (0xDC00..0xE000).contains(&lo) => 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00),
                _ => 0xFFFD,
            }
        } else {
            hi
        };
        let ch = char::from_u32(code).unwrap_or('\u{FFFD}');
        let mut tmp = [0u8; 4];
        buf.extend_from_slice(ch.encode_utf8(&mut tmp).as_bytes());
    }

    fn number(&mut self) -> Parsed {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E')) {
            self.i += 1;
        }
        let raw = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("");
        if self.i >= self.s.len() {
            // The number may be cut off ("20" sent as "2"): drop it.
            self.truncated = true;
            return Ok(None);
        }
        let mut text = raw.trim_start_matches('+').to_string();
        if text.len() != raw.len() {
            self.repaired = true;
        }
        if text.ends_with('.') {
            text.pop();
            self.repaired = true;
        }
        if text.starts_with('.') || text.starts_with("-.") {
            text = text.replacen('.', "0.", 1);
            self.repaired = true;
        }
        if let Ok(Value::Number(n)) = serde_json::from_str::<Value>(&text) {
            return Ok(Some(Value::Number(n)));
        }
        if let Some(n) = crate::decimal::decimal(&text).and_then(Number::from_f64) {
            self.repaired = true;
            return Ok(Some(Value::Number(n)));
        }
        self.i = start;
        self.err("invalid number")
    }

    fn literal(&mut self) -> Parsed {
        let start = self.i;
        let word = self.ident();
        let v = match word.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "null" => Value::Null,
            "True" | "False" | "None" | "undefined" => {
                self.repaired = true;
                match word.as_str() {
                    "True" => Value::Bool(true),
                    "False" => Value::Bool(false),
                    _ => Value::Null,
                }
            }
            w if self.i >= self.s.len() && ["true", "false", "null"].iter().any(|l| l.starts_with(w)) => {
                self.truncated = true;
                return Ok(None);
            }
            _ => {
                self.i = start;
                return self.err("unexpected word");
            }
        };
        Ok(Some(v))
    }
}
