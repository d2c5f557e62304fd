//! Rules over a text's sentences. The whole text's backed share (a quarter of its new words)
//! lets an invented sentence ride on a backed one: "Returns a UUID4 in the uuid field. Rate
//! limited to 100 requests per minute." backs 3 of its 7 new words, all of them in the first
//! sentence. So, once a call came back, each sentence a revision adds is judged on its own:
//! one whose new words no call and no documentation back, or that states a number nothing
//! shows, is an invention, whatever the sentence beside it says. And a weak model's answer
//! shapes that are no prose (the answer's JSON or a code fence as the description, a sentence
//! said twice) are refused whether or not a call came back.

use super::super::text::sentences;
use super::{is_filler_stem, GateRule, Known};
use crate::lowercase::Lowercase;
use crate::refine::words::{content_stems, is_stopword, root, stem, words};
use std::collections::HashSet;

/// Words before a number that make it a standard's name, not a claim about the tool: "ISO
/// 8601", "RFC 3339", "UTF-8", "SHA-256".
const STANDARDS: [&str; 9] = ["ansi", "ecma", "ieee", "iso", "rfc", "sha", "unicode", "utf", "x"];

/// Verbs that say a text is fetched or shown, in any wording: a rewrite that says
/// "Retrieves" for "Lists" adds no claim.
const FETCH_VERBS: [&str; 12] =
    ["display", "fetch", "find", "give", "list", "look", "obtain", "output", "query", "read", "retrieve", "show"];

fn is_fetch_verb(stem: &str) -> bool {
    static ROOTS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let roots =
        ROOTS.get_or_init(|| FETCH_VERBS.iter().map(|v| root(&crate::refine::words::stem(v)).to_string()).collect());
    roots.iter().any(|r| r == root(stem))
}

/// The numbers of a numbered list ("1. getForecast … 2. getAlerts …"): `N.` or `N)` after a
/// line start, a space or a colon, where `N - 1` is one too.
fn list_markers(text: &str) -> HashSet<String> {
    let mut found: Vec<usize> = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let starts = i == 0 || b[i - 1].is_ascii_whitespace() || b[i - 1] == b':';
        let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if starts
            && (1..=2).contains(&digits)
            && matches!(b.get(i + digits), Some(b'.' | b')'))
            && b.get(i + digits + 1).is_none_or(|c| c.is_ascii_whitespace())
        {
            found.push(text[i..i + digits].parse::<usize>().unwrap_or(0));
        }
        i += digits.max(1);
    }
    found.iter().filter(|&&n| n == 1 || found.contains(&(n - 1))).map(|n| n.to_string()).collect()
}

/// Words before a number that make it a limit ("at most 100", "max 5", "every 10").
const LIMIT_BEFORE: [&str; 7] = ["every", "limit", "limited", "max", "maximum", "min", "minimum"];
/// Two words before a number that make it a limit ("up to 100", "no more than 5").
const LIMIT_BEFORE_TWO: [(&str, &str); 6] =
    [("up", "to"), ("at", "most"), ("at", "least"), ("more", "than"), ("fewer", "than"), ("less", "than")];
/// Words after a number that make it a duration or a rate ("5 minutes", "100 requests").
const LIMIT_AFTER: [&str; 17] = [
    "call",
    "calls",
    "day",
    "days",
    "hour",
    "hours",
    "millisecond",
    "milliseconds",
    "minute",
    "minutes",
    "ms",
    "per",
    "request",
    "requests",
    "second",
    "seconds",
    "times",
];

/// Whether the number at `i` is said as a limit, a duration or a rate.
fn is_limit(ws: &[String], i: usize) -> bool {
    let before = |k: usize| i.checked_sub(k).map(|j| ws[j].as_str());
    before(1).is_some_and(|w| LIMIT_BEFORE.contains(&w))
        || before(2).zip(before(1)).is_some_and(|pair| LIMIT_BEFORE_TWO.contains(&pair))
        || ws.get(i + 1).is_some_and(|w| LIMIT_AFTER.contains(&w.as_str()))
}

/// Whether a word is a number written in digits.
fn is_number(w: &str) -> bool {
    !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit())
}

/// Why a sentence that `new` adds to `old` is not backed by what the tool says, if one is
/// not (asked once a call came back):
/// - a number that no call and no documentation shows: not 0 or 1, a standard's ("ISO
///   8601"), a list's ("2. getAlerts"), one in an illustration ("e.g. 'The sum of 2 and 3 is
///   5.'"), nor one a failed call sent;
/// - a claim of [`CLAIMS`] nothing shows (credentials, deprecation, rate limits);
/// - a field said to hold a kind of value no call showed it hold ([`contradicted_kind`]);
/// - two or more new content words, none backed: padding, verbs of fetching ("Retrieves a
///   list of blog posts" for "List posts" adds one word, an inference) and a sentence of
///   purpose ("Useful for …") aside.
pub(super) fn unbacked(new: &str, old: &str, known: &Known) -> Option<(GateRule, String)> {
    let old_roots: HashSet<String> = content_stems(old).iter().map(|s| root(s).to_string()).collect();
    let markers = list_markers(new);
    for sentence in sentences(new, false) {
        let ws = words(sentence);
        // Numbers in an illustration ("e.g. 'The sum of 2 and 3 is 5.'") show a format, not a
        // claim about the tool.
        let example = (0..ws.len())
            .find(|&i| {
                matches!(ws[i].as_str(), "eg" | "example" | "examples" | "instance")
                    || (ws[i] == "e" && ws.get(i + 1).is_some_and(|w| w == "g"))
                    || (ws[i] == "such" && ws.get(i + 1).is_some_and(|w| w == "as"))
            })
            .unwrap_or(ws.len());
        for (i, w) in ws.iter().enumerate().take(example) {
            let standard = i > 0 && STANDARDS.contains(&ws[i - 1].as_str());
            if is_number(w)
                && !matches!(w.as_str(), "0" | "1")
                && !standard
                && !markers.contains(w)
                && !old_roots.contains(root(w))
                && !known.shows_number(w)
            {
                return Some((GateRule::Uninformative, format!("says {w}, which no call and no documentation shows")));
            }
            if is_number(w)
                && !matches!(w.as_str(), "0" | "1")
                && !standard
                && !old_roots.contains(root(w))
                && is_limit(&ws, i)
                && !known.shows_limit(w)
            {
                return Some((
                    GateRule::Uninformative,
                    format!("says {w} as a limit or a duration, but {w} is only a value a response held"),
                ));
            }
        }
        if let Some(claim) = unbacked_claim(&ws, &old_roots, known) {
            return Some((GateRule::Uninformative, claim));
        }
        if let Some(why) = contradicted_kind(&ws, known) {
            return Some((GateRule::Contradiction, why));
        }
        if let Some(fields) = invented_fields(sentence, &old_roots, known) {
            return Some((
                GateRule::Uninformative,
                format!("lists {fields} among the response's fields, which no response had and nothing says"),
            ));
        }
        if let Some(name) = unbacked_name(sentence, &old_roots, known) {
            return Some((GateRule::Uninformative, format!("names {name}, which no call and no documentation says")));
        }
        if is_purpose(&ws) {
            continue;
        }
        let mut seen = HashSet::new();
        let fresh: Vec<String> = content_stems(sentence)
            .into_iter()
            .filter(|s| {
                !old_roots.contains(root(s))
                    && !is_filler_stem(s)
                    && !is_fetch_verb(s)
                    && seen.insert(root(s).to_string())
            })
            .collect();
        if fresh.len() >= 2 && !fresh.iter().any(|s| known.backs(s)) {
            return Some((
                GateRule::Uninformative,
                format!(
                    "adds a sentence that no call and no documentation back: \"{}\"",
                    crate::text::clip(sentence, 120)
                ),
            ));
        }
    }
    None
}

/// Names of things every API document may say without evidence: formats, protocols,
/// methods, standards.
const COMMON_NAMES: [&str; 40] = [
    "api", "apis", "ascii", "base64", "cli", "cors", "csv", "delete", "get", "gif", "gmt", "head", "html", "http",
    "https", "id", "ids", "ip", "iso", "jpeg", "jpg", "json", "mcp", "ok", "options", "patch", "pdf", "png", "post",
    "put", "rest", "rfc", "sdk", "svg", "url", "urls", "utc", "utf", "uuid", "xml",
];

/// The name of a product or service a sentence brings in that nothing backs, in quotes as
/// written ("stores entities in a PostgreSQL database", "data from OpenWeatherMap", "hosted
/// on AWS"): a word with a capital after its first letter, before any illustration ("e.g.",
/// "such as") and outside quotes (a quoted value is an example).
fn unbacked_name(sentence: &str, old_roots: &HashSet<String>, known: &Known) -> Option<String> {
    let mut quoted = false;
    for raw in sentence.split_whitespace() {
        let lower = raw.lowercase();
        if lower.starts_with("e.g") || lower == "eg" || lower.starts_with("example") || lower == "such" {
            return None;
        }
        let opens = raw.starts_with(['"', '\'', '`', '“', '‘']);
        let closes = raw.ends_with(['"', '\'', '`', '”', '’'])
            || raw.trim_end_matches(['.', ',', ';', ':', ')']).ends_with(['"', '\'', '`', '”', '’']);
        let inside = quoted || opens;
        quoted = (quoted || opens) && !closes;
        if inside {
            continue;
        }
        // "PostgreSQL", "OpenWeatherMap", "AWS"; not "English" or "Lisbon", which an
        // illustration of the values may well say. Each part of "GZip-encoded" apart.
        for w in raw.split(|c: char| !c.is_alphanumeric()) {
            let named = w.len() >= 2
                && w.starts_with(|c: char| c.is_ascii_uppercase())
                && w.chars().skip(1).any(|c| c.is_ascii_uppercase());
            let lw = w.lowercase();
            let common = |x: &str| COMMON_NAMES.contains(&x) || COMMON_NAMES.contains(&x.trim_end_matches('s'));
            if !named || common(&lw) || is_stopword(&lw) {
                continue;
            }
            // A name's letters back it apart from its digits, as the tool's own do ("UUID4").
            let backed = |x: &str| {
                let st = stem(x);
                old_roots.contains(root(&st)) || known.backs(&st)
            };
            let letters = lw.trim_end_matches(|c: char| c.is_ascii_digit());
            if !backed(&lw) && (letters.len() < 2 || !backed(letters)) {
                return Some(format!("\"{w}\""));
            }
        }
    }
    None
}

/// Claims an agent acts on that a model invents from habit: that the tool needs credentials,
/// that it is deprecated, that it is rate limited, that it answers with nothing ("Returns an
/// empty response if no UUID is available": a condition no call met). Each is a name, the roots that say it,
/// and the roots of what shows it (one backed is enough): "key" alone never shows a
/// credential, since every JSON object has keys.
const CLAIMS: [(&str, &[&str], &[&str]); 7] = [
    (
        "needs credentials",
        &["authe", "autho", "crede", "beare", "oauth", "apike"],
        &["authe", "autho", "crede", "beare", "oauth", "apike", "token", "passw", "login", "secre", "401", "403"],
    ),
    ("is deprecated", &["depre", "obsol", "sunse"], &["depre", "obsol", "sunse", "410"]),
    ("is rate limited", &["ratel", "throt", "quota"], &["ratel", "throt", "quota", "429", "retry"]),
    // An empty answer is shown by one (its shape says "empty") or by a 204.
    ("answers with nothing", &["empty"], &["empty", "204"]),
    // An order is shown by a sorted array of three or more (`known::order_of`) or by the
    // documentation's words ("sort", an `orderBy` parameter, `asc`/`desc` values).
    (
        "returns its results in a set order",
        &["sort", "newes", "oldes", "chron"],
        &["sort", "order", "rank", "newes", "oldes", "chron", "ascen", "desce"],
    ),
    ("returns its results in ascending order", &["ascen"], &["ascen", "asc"]),
    ("returns its results in descending order", &["desce"], &["desce", "desc"]),
];

/// The first claim of [`CLAIMS`] a sentence makes that the replaced text did not and that
/// nothing shows.
fn unbacked_claim(ws: &[String], old_roots: &HashSet<String>, known: &Known) -> Option<String> {
    for (what, says_it, shows_it) in CLAIMS {
        // Each word, and two words that name one thing ("API key", "rate limit").
        for (i, w) in ws.iter().enumerate() {
            for (stem, len) in [(crate::refine::words::stem(w), 1), (ws[i..ws.len().min(i + 2)].concat(), 2)] {
                let r = root(&stem);
                if i + len <= ws.len() && says_it.contains(&r) && !old_roots.contains(r) {
                    if shows_it.iter().any(|r| known.backs(r)) {
                        break;
                    }
                    let word = ws[i..i + len].join(" ");
                    return Some(format!(
                        "says the tool {what} (\"{word}\"), which no call and no documentation shows"
                    ));
                }
            }
        }
    }
    None
}

/// Words that say what kind of value a field holds, with its [`super::known::kind_of`] bit
/// (words with other senses, "object", "list", "number", are left out).
const KIND_WORDS: [(&str, usize); 9] = [
    ("null", 1),
    ("boolean", 2),
    ("bool", 2),
    ("integer", 4),
    ("int", 4),
    ("float", 4),
    ("string", 8),
    ("strings", 8),
    ("array", 16),
];

/// A parameter's description that says it takes a kind of value its schema's `type` does not
/// allow and no call that worked sent ("A string." for an integer `numbytes`): the kind word
/// named, and the kinds allowed.
pub(super) fn parameter_kind(text: &str, schema: &serde_json::Value, worked: &[&serde_json::Value]) -> Option<String> {
    let own = type_kinds(schema);
    let container = own & (16 | 32) != 0;
    // No type, or a list or an object whose contents are not described: anything may be said.
    if own == 0 || (container && schema.get("items").is_none() && schema.get("properties").is_none()) {
        return None;
    }
    let allowed = worked.iter().fold(schema_kinds(schema, 0), |a, v| a | super::known::kind_of(v));
    let kind = |w: &str| KIND_WORDS.iter().find(|(k, _)| *k == w).map(|(_, b)| *b);
    let ws = words(text);
    let fits = ws.iter().any(|w| kind(w).is_some_and(|b| b & allowed != 0));
    let word = ws.iter().find(|w| kind(w).is_some()).filter(|_| !fits)?;
    let names = ["null", "a boolean", "a number", "a string", "an array", "an object"];
    let kinds: Vec<&str> = (0..6).filter(|b| allowed & (1 << b) != 0).map(|b| names[b]).collect();
    Some(format!("says it is {word}, but it takes {}", kinds.join(" or ")))
}

/// The kinds ([`super::known::kind_of`] bits) a schema's own `type` names.
fn type_kinds(v: &serde_json::Value) -> usize {
    let bit = |t: &str| match t {
        "null" => 1,
        "boolean" | "bool" => 2,
        "integer" | "number" | "int" | "float" | "double" | "long" => 4,
        "string" => 8,
        "array" => 16,
        "object" => 32,
        _ => 0,
    };
    match v.get("type") {
        Some(serde_json::Value::String(t)) => bit(t),
        Some(serde_json::Value::Array(ts)) => ts.iter().filter_map(|t| t.as_str()).fold(0, |a, t| a | bit(t)),
        _ => 0,
    }
}

/// The kinds a schema and the schemas inside it (items, properties: "a list of strings") name.
fn schema_kinds(v: &serde_json::Value, depth: usize) -> usize {
    let inner = match v {
        serde_json::Value::Object(m) if depth < 8 => m.values().fold(0, |a, x| a | schema_kinds(x, depth + 1)),
        serde_json::Value::Array(a) if depth < 8 => a.iter().fold(0, |b, x| b | schema_kinds(x, depth + 1)),
        _ => 0,
    };
    type_kinds(v) | inner
}

/// Words that say what format a field's string is written in, with its
/// [`super::known::kind_of`] bit: for a response field only (a parameter's "email" says
/// what to send, whatever a call sent).
const FORMAT_WORDS: [(&str, usize); 5] = [("uuid", 64), ("guid", 64), ("email", 128), ("url", 256), ("uri", 256)];

/// Words that link a field's name to what is said of it.
#[rustfmt::skip]
const LINKS: [&str; 21] = [
    "a", "an", "always", "as", "be", "contains", "containing", "field", "holding", "holds", "is", "it", "its",
    "key", "of", "property", "the", "type", "value", "will", "with",
];

/// A sentence that says a response field holds a kind of value every call showed it does
/// not: "The uuid field is always null" when each `uuid` came back a string, "the id is a
/// UUID" when each `id` was a number, "the author field is an email address" when no
/// `author` was one. The kind word read is the one right before the field's name or after it
/// across [`LINKS`] only.
fn contradicted_kind(ws: &[String], known: &Known) -> Option<String> {
    let kind = |w: &str| KIND_WORDS.iter().chain(FORMAT_WORDS.iter()).find(|(k, _)| *k == w).map(|(_, b)| *b);
    for (i, w) in ws.iter().enumerate() {
        let Some(&seen) = known.key_kinds.get(w.as_str()) else { continue };
        // A key named by a kind word ("string") says nothing; one named by a format word
        // ("uuid", "url") is a field like any other.
        if w.chars().count() < 2 || KIND_WORDS.iter().any(|(k, _)| k == w) {
            continue;
        }
        // The kind word right before the name ("an integer id"), or after it across linking
        // words only ("uuid field is always null"; not "entityType and an observations array").
        let mut near: Vec<&String> = ws[..i].last().into_iter().collect();
        for x in ws[i + 1..].iter().take(5) {
            if kind(x).is_some() {
                near.push(x);
                break;
            }
            if !LINKS.contains(&x.as_str()) {
                break;
            }
        }
        let fits = near.iter().any(|x| kind(x).is_some_and(|b| b & seen != 0));
        if let Some(word) = near.iter().find(|x| kind(x).is_some()).filter(|_| !fits) {
            if FORMAT_WORDS.iter().any(|(k, _)| k == word) {
                return Some(format!("says `{w}` holds {word} values, but no `{w}` a call that worked showed was one"));
            }
            let names = ["null", "a boolean", "a number", "a string", "an array", "an object"];
            let shown: Vec<&str> = (0..6).filter(|b| seen & (1 << b) != 0).map(|b| names[b]).collect();
            return Some(format!("says `{w}` is {word}, but every call that worked showed {}", shown.join(" or ")));
        }
    }
    None
}

/// Fields a sentence lists beside the response's own that no response had: "Each post has
/// an id, a title, a body and a date" when the posts came back with `id`, `title`, `author`
/// and `views`. A list is read between commas, semicolons, "and" and "or", with what is in
/// parentheses left out (a gloss: "origin (the caller's address)"); an item is a part of three
/// words at most, articles aside, or the last word of a longer part ("each post has an id")
/// when that names a key. It is a list of fields when two of its items name response keys,
/// and a short item that names none, and whose every word nothing backs, is invented.
fn invented_fields(sentence: &str, old_roots: &HashSet<String>, known: &Known) -> Option<String> {
    if known.key_kinds.is_empty() {
        return None;
    }
    let key = |item: &[String]| {
        item.iter().any(|w| known.key_kinds.contains_key(w.as_str()))
            || known.key_kinds.contains_key(&item.join("_"))
            || known.key_kinds.contains_key(&item.concat())
    };
    // The parts between commas, semicolons and colons outside parentheses, each with the
    // words of the parentheses that end it (its gloss).
    let mut parts: Vec<(String, String)> = vec![(String::new(), String::new())];
    let mut depth = 0usize;
    for c in sentence.lowercase().chars() {
        let last = parts.len() - 1;
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' | ';' | ':' if depth == 0 => parts.push((String::new(), String::new())),
            _ if depth == 0 => parts[last].0.push(c),
            _ => {
                parts[last].1.push(c);
                parts[last].1.push(' ');
            }
        }
    }
    // Each item, whether it names a key (or its gloss does), and whether it may be an
    // invented one (a short part). A part's "and" and "or" split it; the gloss goes with its
    // last item.
    let mut items: Vec<(Vec<String>, bool, bool)> = Vec::new();
    for (text, gloss) in &parts {
        let glossed = key(&words(gloss));
        let pieces: Vec<String> =
            text.replace(" and ", "\u{1}").replace(" or ", "\u{1}").split('\u{1}').map(str::to_string).collect();
        let n = pieces.len();
        for (i, piece) in pieces.iter().enumerate() {
            let ws: Vec<String> = words(piece)
                .into_iter()
                .filter(|w| !matches!(w.as_str(), "a" | "an" | "the" | "its" | "their" | "each" | "every"))
                .collect();
            let keyed = key(&ws) || (i + 1 == n && glossed);
            match ws.len() {
                0 => {}
                1..=3 => items.push((ws, keyed, true)),
                // A longer part leads into the list: its last word may name a key.
                k => {
                    let last = ws[k - 1..].to_vec();
                    if key(&last) {
                        items.push((last, true, false));
                    }
                }
            }
        }
    }
    if items.iter().filter(|(_, keyed, _)| *keyed).count() < 2 {
        return None;
    }
    let invented: Vec<String> = items
        .iter()
        .filter(|(item, keyed, short)| {
            *short
                && !keyed
                && item.iter().all(|w| {
                    let st = stem(w);
                    !is_stopword(w) && !is_number(w) && !old_roots.contains(root(&st)) && !known.backs(&st)
                })
        })
        .map(|(item, _, _)| format!("\"{}\"", item.join(" ")))
        .collect();
    (!invented.is_empty()).then(|| invented.join(", "))
}

/// Whether a sentence only says what the operation is good for ("Useful for debugging HTTP
/// clients.", "Use this to check a deployment."): advice a capable model adds from what it
/// knows, not a claim about how the tool behaves. Its words are not held to the evidence.
fn is_purpose(ws: &[String]) -> bool {
    let first = ws.first().map(String::as_str).unwrap_or("");
    matches!(first, "useful" | "helpful" | "handy" | "ideal" | "suitable")
        || (first == "use"
            && ws.get(1).is_some_and(|w| matches!(w.as_str(), "this" | "it"))
            && ws
                .get(2)
                .is_some_and(|w| matches!(w.as_str(), "to" | "for" | "when" | "tool" | "operation" | "endpoint")))
}

/// The content words of each sentence of 3 or more, in order.
fn sentence_keys(text: &str) -> Vec<Vec<String>> {
    sentences(text, false).into_iter().map(content_stems).filter(|k| k.len() >= 3).collect()
}

/// A sentence said twice ("Returns a UUID4 in the uuid field. Returns a UUID4 in the uuid
/// field."), unless the replaced text already did that.
pub(super) fn repeated(new: &str, old: &str) -> Option<String> {
    let twice = |text: &str| -> Option<usize> {
        let keys = sentence_keys(text);
        (0..keys.len()).find(|&i| keys[i + 1..].contains(&keys[i]))
    };
    // Most texts have no two sentences of the same length in words: only those are stemmed.
    let lengths: Vec<usize> = sentences(new, false).iter().map(|s| s.split_whitespace().count()).collect();
    if !(0..lengths.len()).any(|i| lengths[i] >= 3 && lengths[i + 1..].contains(&lengths[i])) {
        return None;
    }
    let i = twice(new)?;
    if twice(old).is_some() {
        return None;
    }
    let sentence = sentences(new, false).into_iter().filter(|s| content_stems(s).len() >= 3).nth(i)?;
    Some(format!("says the same sentence twice (\"{}\")", crate::text::clip(sentence, 80)))
}

/// Whether a text is an answer's wrapping rather than prose: it opens with a code fence, or
/// it is a JSON object (a model that wrote its whole answer, `{"description": …}`, into the
/// description). A replaced text that was already written so is no regression.
pub(super) fn wrapped(new: &str, old: &str) -> bool {
    let is_wrapped = |t: &str| {
        let t = t.trim();
        t.starts_with("```")
            || t.starts_with("~~~")
            || (t.starts_with('{') && serde_json::from_str::<serde_json::Value>(t).is_ok_and(|v| v.is_object()))
    };
    is_wrapped(new) && !is_wrapped(old)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_their_ends_and_lines_only() {
        assert_eq!(sentences("Returns 1.5 km. Then more!\nNext", false), vec!["Returns 1.5 km.", "Then more!", "Next"]);
        assert_eq!(sentences("See example.com/a. Done.", false), vec!["See example.com/a.", "Done."]);
        assert_eq!(
            sentences("A sentence (e.g. 'The sum is 5.'), i.e. text.", false),
            vec!["A sentence (e.g. 'The sum is 5.'), i.e. text."]
        );
        assert!(sentences("  \n ", false).is_empty());
    }

    #[test]
    fn a_numbered_lists_numbers_are_markers() {
        let listed = list_markers("It has 3 operations: 1. getForecast … 2. getAlerts …\n3) ping");
        assert_eq!(listed, ["1", "2", "3"].map(String::from).into());
        assert!(list_markers("Returns 404. Retries 5. times").is_empty(), "no 1. before them");
    }

    #[test]
    fn a_sentence_said_twice_is_found_and_one_said_once_is_not() {
        let twice = "Returns a UUID4 in the uuid field. Returns a UUID4 in the uuid field.";
        assert!(repeated(twice, "Return a UUID4.").unwrap().contains("the same sentence twice"));
        assert_eq!(repeated(twice, twice), None, "the replaced text said it twice already");
        assert_eq!(repeated("Returns a UUID4 in the uuid field. Each call returns a new one.", ""), None);
        // Short sentences ("See below.") may recur.
        assert_eq!(repeated("Lists users. See below. Lists groups. See below.", ""), None);
    }

    #[test]
    fn an_answer_written_as_json_or_a_code_fence_is_wrapped() {
        assert!(wrapped("```json\n{\"description\": \"Returns a UUID4.\"}\n```", "Return a UUID4."));
        assert!(wrapped("{\"description\": \"Returns a UUID4.\"}", "Return a UUID4."));
        assert!(!wrapped("Returns a UUID4, e.g. {\"uuid\": \"…\"}.", "Return a UUID4."));
        assert!(!wrapped("{id} of the user to fetch.", "The user id."), "not JSON");
        assert!(!wrapped("```\nGET /x\n```", "```\nGET /y\n```"), "already so");
    }
}
