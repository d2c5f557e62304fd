//! Reading JSON out of messy, real-world model output, and choosing the answer that fits a
//! schema.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use serde_json::{json, Value};
use tooldraft::llm::repair::{candidates, parse_lenient};
use tooldraft::llm::structured::{extract, interpret};
use tooldraft::llm::OutputSchema;

/// (what a model wrote, what must be read out of it)
fn corpus() -> Vec<(&'static str, Value)> {
    vec![
        (
            "Sure! Here's the JSON you asked for:\n\n```json\n{\n  \"query\": \"weather in Oslo\",\n  \"limit\": 3\n}\n```\n\nLet me know if you need anything else!",
            json!({"query": "weather in Oslo", "limit": 3}),
        ),
        ("```\n{\"a\": [1, 2]}\n```", json!({"a": [1, 2]})),
        ("```JSON\r\n{\"a\": true}\r\n```", json!({"a": true})),
        ("{\"tags\": [\"x\", \"y\",], \"n\": 1,}", json!({"tags": ["x", "y"], "n": 1})),
        ("{'query': 'pets', 'ok': True, 'missing': None, 'bad': False}", json!({"query": "pets", "ok": true, "missing": null, "bad": false})),
        ("{'note': 'it's fine', 'n': 2}", json!({"note": "it's fine", "n": 2})),
        (
            "{\n  // the search text\n  \"q\": \"x\", /* how many */ \"limit\": 2\n}",
            json!({"q": "x", "limit": 2}),
        ),
        ("{query: \"status\", max_results: 5, $meta: null}", json!({"query": "status", "max_results": 5, "$meta": null})),
        ("First: {\"a\": 1}. Alternatively: {\"b\": 2}", json!({"a": 1})),
        ("Use {placeholders} like {this one}. Answer: {\"a\": 1}", json!({"a": 1})),
        ("{\"text\": \"use } and { freely, even \\\"quoted\\\"\", \"n\": 1}", json!({"text": "use } and { freely, even \"quoted\"", "n": 1})),
        ("<think>Maybe {\"a\": 0}? No, better:</think>\n{\"a\": 1}", json!({"a": 1})),
        ("<THINKING>the user wants {x}</THINKING>```json\n{\"a\": 3}\n```", json!({"a": 3})),
        ("<think>I will answer {\"a\": 2}", json!({"a": 2})),
        ("\"{\\\"a\\\": 1, \\\"b\\\": [true]}\"", json!({"a": 1, "b": [true]})),
        ("{\"text\": \"line one\nline two\ttabbed\"}", json!({"text": "line one\nline two\ttabbed"})),
        ("{\"text\": \"He said \"hi\" to me\", \"n\": 1}", json!({"text": "He said \"hi\" to me", "n": 1})),
        ("{\n  \"a\": 1\n  \"b\": \"two\"\n  \"c\": [1\n 2]\n}", json!({"a": 1, "b": "two", "c": [1, 2]})),
        ("{\"a\": +1, \"b\": .5, \"c\": 2., \"d\": -0.25e2, \"e\": 12345678901234567890}", json!({"a": 1, "b": 0.5, "c": 2, "d": -25.0, "e": 12345678901234567890u64})),
        ("{\"emoji\": \"\\ud83d\\ude00 \\u00e9\", \"lone\": \"\\ud83d\", \"bad\": \"\\uZZ\"}", json!({"emoji": "😀 é", "lone": "\u{fffd}", "bad": "uZZ"})),
        ("{\"it\": \"don\\'t\"}", json!({"it": "don't"})),
        ("<answer>{\"a\": 1}</answer>", json!({"a": 1})),
        ("\u{feff}  \n {\"a\": 1}", json!({"a": 1})),
        ("```json\n{\"a\": 1}\n```\nNote: {b} is optional, see {\"c\": 3}.", json!({"a": 1})),
        ("Result:\n[1, 2, 3]", json!([1, 2, 3])),
        ("{\"nested\": {\"deep\": {\"x\": [1, {\"y\": null}]}}}", json!({"nested": {"deep": {"x": [1, {"y": null}]}}})),
        ("{\"unicode\": \"Grüße, 東京\", \"k\": \"v\"}", json!({"unicode": "Grüße, 東京", "k": "v"})),
        ("Here: { \"a\" : 1 , \"b\" : [ ] , \"c\" : { } }", json!({"a": 1, "b": [], "c": {}})),
    ]
}

/// (a cut-off answer, what is recovered)
fn cut_off() -> Vec<(&'static str, Value)> {
    vec![
        ("{\"query\": \"weather in Osl", json!({})),
        ("{\"limit\": 2, \"query\": \"weather in Osl", json!({"limit": 2})),
        ("{\"items\": [\"a\", \"b\", \"c", json!({"items": ["a", "b"]})),
        ("{\"a\": 1, \"be", json!({"a": 1})),
        ("{\"a\": 1, \"b\":", json!({"a": 1})),
        ("{\"a\": 1, \"b\": tr", json!({"a": 1})),
        ("{\"a\": 1, \"b\": 2", json!({"a": 1})),
        ("{\"a\": {\"b\": [{\"c\": 1}, {\"c\":", json!({"a": {"b": [{"c": 1}]}})),
        ("{\"a\": \"x\\", json!({})),
        (
            "```json\n{\"steps\": [\"open\", \"read\"], \"summary\": \"Reads the file and",
            json!({"steps": ["open", "read"]}),
        ),
        ("{\"a\": 1,", json!({"a": 1})),
        // A string closed before the cut is whole: kept.
        (
            "{\"steps\": [\"open\"], \"summary\": \"Reads the file.\"",
            json!({"steps": ["open"], "summary": "Reads the file."}),
        ),
        ("{", json!({})),
    ]
}

#[test]
fn reads_every_messy_answer_in_the_corpus() {
    for (text, want) in corpus() {
        let got = extract(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(got, want, "from {text:?}");
        let first = &candidates(text)[0];
        assert!(!first.truncated, "{text:?} is complete");
    }
}

#[test]
fn strict_json_is_not_marked_repaired_and_messy_json_is() {
    let clean = candidates("{\"a\": [1, {\"b\": \"c\"}]}");
    assert!(!clean[0].repaired && !clean[0].truncated && !clean[0].fenced);
    let fenced = candidates("```json\n{\"a\": 1}\n```");
    assert!(fenced[0].fenced && !fenced[0].repaired);
    for messy in ["{'a': 1}", "{\"a\": 1,}", "{a: 1}", "{\"a\": True}", "{\"a\": 1 // c\n}"] {
        assert!(candidates(messy)[0].repaired, "{messy}");
    }
}

#[test]
fn closes_a_cut_off_tail_where_the_rest_is_usable() {
    for (text, want) in cut_off() {
        let found = candidates(text);
        assert!(!found.is_empty(), "{text:?}: nothing found");
        assert_eq!(found[0].value, want, "from {text:?}");
        assert!(found[0].truncated, "{text:?} is cut off");
    }
}

#[test]
fn a_cut_off_top_level_array_is_found_after_its_complete_items() {
    let found = candidates("[{\"a\": 1}, {\"a\": 2}, {\"a\"");
    assert_eq!(found[0].value, json!({"a": 1}));
    let array = found.iter().find(|c| c.value.is_array()).unwrap();
    assert_eq!(array.value, json!([{"a": 1}, {"a": 2}]));
    assert!(array.truncated);
    let list = OutputSchema { name: "l".into(), schema: json!({"type": "array"}) };
    assert_eq!(interpret(Some(&list), "[{\"a\": 1}, {\"a\": 2}, {\"a\"").unwrap(), json!([{"a": 1}, {"a": 2}]));
}

#[test]
fn complete_candidates_come_before_cut_off_ones() {
    let found = candidates("Draft: {\"a\": {\"b\": 1}} and final {\"c\": [1, 2");
    assert_eq!(found[0].value, json!({"a": {"b": 1}}));
    assert_eq!(found[1].value, json!({"c": [1]}), "a number cut off at the end may be incomplete");
    assert!(found[1].truncated);
}

#[test]
fn says_why_nothing_was_found() {
    assert_eq!(extract("").unwrap_err(), "the answer was empty");
    assert_eq!(
        extract("I cannot help with that request.").unwrap_err(),
        "the answer contains no JSON object, only prose (it begins: \"I cannot help with that request.\")"
    );
    assert_eq!(
        extract("{this is not json at all}").unwrap_err(),
        "the answer contains no readable JSON object (it begins: \"{this is not json at all}\")"
    );
    assert!(extract("{\"result\": oops, this is not json").is_err());
    assert!(extract("{\"a\": 1,, \"b\": 2}").is_err(), "two commas are not guessed at");
    let long = "word ".repeat(100);
    assert!(extract(&long).unwrap_err().ends_with("…\")"));
}

#[test]
fn deep_nesting_and_huge_inputs_stay_bounded() {
    let deep = "[".repeat(100_000);
    assert!(extract(&deep).is_err() || extract(&deep).is_ok()); // no stack overflow is the point
    let deep_obj = "{\"a\":".repeat(10_000) + "1" + &"}".repeat(10_000);
    let _ = extract(&deep_obj);
    let braces = "{ ".repeat(200_000);
    let started = std::time::Instant::now();
    let _ = extract(&braces);
    let many_objects = "{\"k\": 1} ".repeat(50_000);
    assert_eq!(extract(&many_objects).unwrap(), json!({"k": 1}));
    assert!(started.elapsed().as_secs() < 20, "took {:?}", started.elapsed());
}

#[test]
fn lenient_parse_reports_where_it_ended() {
    let (v, end, repaired, truncated) = parse_lenient("{'a': 1} trailing").unwrap();
    assert_eq!(v, json!({"a": 1}));
    assert_eq!(end, 8);
    assert!(repaired && !truncated);
    assert!(parse_lenient("").is_err());
    assert!(parse_lenient("@").unwrap_err().contains("unexpected character at byte 0"));
}

fn schema() -> OutputSchema {
    OutputSchema {
        name: "explorer".into(),
        schema: json!({
            "type": "object",
            "required": ["query", "limit"],
            "properties": {"query": {"type": "string", "minLength": 1}, "limit": {"type": "integer", "maximum": 10}},
            "additionalProperties": false
        }),
    }
}

#[test]
fn interpret_picks_the_first_answer_that_fits() {
    let s = schema();
    let text = "Example format: {\"query\": \"...\"}\nMy answer: {\"query\": \"pets\", \"limit\": 2}";
    assert_eq!(interpret(Some(&s), text).unwrap(), json!({"query": "pets", "limit": 2}));
    // Wrapped one level deep.
    let wrapped = "{\"answer\": {\"query\": \"pets\", \"limit\": 2}}";
    assert_eq!(interpret(Some(&s), wrapped).unwrap(), json!({"query": "pets", "limit": 2}));
    let listed = "[{\"query\": \"pets\", \"limit\": 2}]";
    assert_eq!(interpret(Some(&s), listed).unwrap(), json!({"query": "pets", "limit": 2}));
    // A cut-off answer that still fits is used, without the string the cut went through: a
    // cut-off text ("weather in Osl", a summary ending "… It") is never taken for the text.
    let cut = "{\"query\": \"pets\", \"limit\": 1, \"note\": \"weather in Osl";
    assert_eq!(interpret(Some(&s), cut).unwrap(), json!({"query": "pets", "limit": 1}));
    let err = interpret(Some(&s), "{\"limit\": 1, \"query\": \"weather in Osl").unwrap_err();
    assert!(err.starts_with("the answer was cut off before the JSON ended"), "{err}");
    assert!(err.contains("missing required property \"query\""), "{err}");
    // Without a schema, the first object.
    assert_eq!(interpret(None, "{\"x\": 1} {\"y\": 2}").unwrap(), json!({"x": 1}));
}

#[test]
fn interpret_names_every_violation_of_the_closest_answer() {
    let s = schema();
    let err = interpret(Some(&s), "{\"query\": \"\", \"limit\": 50, \"extra\": 1}").unwrap_err();
    assert_eq!(
        err,
        "the JSON does not fit the schema:\n\
         - /query: must be at least 1 characters long (is 0)\n\
         - /limit: must be at most 10\n\
         - /: unexpected property \"extra\" (allowed: query, limit)"
    );
    let err = interpret(Some(&s), "{\"query\": \"weather in Osl").unwrap_err();
    assert!(err.starts_with("the answer was cut off before the JSON ended"), "{err}");
    assert!(err.contains("missing required property \"limit\""), "{err}");
    // Many violations are summarised.
    let many = OutputSchema { name: "m".into(), schema: json!({"type": "array", "items": {"type": "string"}}) };
    let err = interpret(Some(&many), &format!("[{}]", ["1"; 20].join(","))).unwrap_err();
    assert!(err.ends_with("- … and 8 more"), "{err}");
}

#[test]
fn random_json_like_text_never_panics_and_strict_json_always_round_trips() {
    let alphabet: Vec<char> = "{}[]\"':,\\/*-+.0123456789eEtrufalsnNTF \n\tabcxyzé😀<>`#u".chars().collect();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..20_000 {
        let len = (next() % 60) as usize;
        let text: String = (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect();
        let _ = candidates(&text);
        let _ = parse_lenient(&text);
    }
    // Any strict JSON value embedded in prose is read back exactly.
    for i in 0..500 {
        let v = json!({"i": i, "s": format!("text {} with \"quotes\" and {{braces}}", next() % 1000), "a": [next() % 7, null, true], "n": {"f": (next() % 1000) as f64 / 8.0}});
        let text = format!("Answer {i}:\n{}\nThanks.", serde_json::to_string_pretty(&v).unwrap());
        assert_eq!(extract(&text).unwrap(), v);
    }
}
