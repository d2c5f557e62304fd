//! A capable model's grounded rewrites must pass the rule that what a revision adds is
//! backed. Such a model names what the evidence *shows* without copying its words: "a JSON
//! array of objects", "rejected with an error", "a version 4 UUID" for `UUID4`. The texts
//! are written the way strong models write descriptions after seeing these responses (the
//! responses are the testbed tools' own); 4 of these 11 were refused before the shape and
//! failure words and the letter/digit runs of names counted as evidence.

use super::*;
use serde_json::json;

fn trail(n: usize, args: Value, status: u16, body: &str) -> Trail {
    Trail::observed(&format!("op#{n}"), args, status, body)
}

fn verdict(id: &str, old: &str, trails: &[Trail], new: &str) -> Vec<GateViolation> {
    let op = super::backed_tests::op(id, old);
    let rules = RegressionRules::default();
    let none = BTreeMap::new();
    check(&Revised {
        tool: "testbed",
        original: &op,
        current: &op,
        description: new,
        parameters: &none,
        trails,
        known: None,
        mismatches: &[],
        rules: &rules,
    })
}

fn mcp_text(text: &str) -> String {
    json!({"content": [{"type": "text", "text": text}]}).to_string()
}

#[test]
fn a_capable_models_grounded_rewrites_pass() {
    let uuid = [trail(1, json!({}), 200, r#"{"uuid": "0b7e8a3c-5f0e-4c1f-9a55-2a7f5e3c1d11"}"#)];
    let get = [trail(
        1,
        json!({"q": "test"}),
        200,
        r#"{"args": {"q": "test"}, "headers": {"Accept": "*/*", "User-Agent": "tooldraft/0.1"}, "origin": "127.0.0.1", "url": "http://127.0.0.1:8080/get?q=test"}"#,
    )];
    let env = [trail(1, json!({}), 200, &mcp_text(r#"{"PATH": "/usr/bin:/bin", "HOME": "/tmp/x", "PORT": "3001"}"#))];
    let posts = [trail(
        1,
        json!({"_limit": 2}),
        200,
        r#"[{"id": 1, "title": "json-server", "author": "typicode", "views": 100}, {"id": 2, "title": "hello", "author": "alice", "views": 5}]"#,
    )];
    let sum = [
        trail(1, json!({"a": 2, "b": 3}), 200, &mcp_text("The sum of 2 and 3 is 5.")),
        trail(2, json!({"a": "12", "b": 3}), 400, &mcp_text("expected number, received string at a")),
    ];
    let cases: [(&str, &str, &[Trail], &str); 8] = [
        (
            "GET /uuid",
            "Return a UUID4.",
            &uuid,
            "Generates and returns a random version 4 UUID. Takes no parameters. Responds with a JSON object \
             containing a single `uuid` field holding the UUID as a string.",
        ),
        (
            "GET /uuid",
            "Return a UUID4.",
            &uuid,
            "Returns a newly generated random UUID (version 4) in a JSON object: {\"uuid\": \"<uuid>\"}. Each call \
             returns a different value.",
        ),
        (
            "GET /get",
            "The request's query parameters.",
            &get,
            "Echoes back the details of the GET request as JSON: the query string parameters under `args`, the \
             request headers under `headers`, the caller's IP address under `origin`, and the full request URL \
             under `url`. Useful for debugging HTTP clients.",
        ),
        (
            "get-env",
            "Returns all environment variables, helpful for debugging MCP server configuration",
            &env,
            "Returns the MCP server process's environment variables as a JSON object mapping each variable name \
             to its string value (for example PATH and HOME). Useful for debugging server configuration; the \
             output may include sensitive values.",
        ),
        (
            "listPosts",
            "List posts.",
            &posts,
            "Retrieves a list of blog posts. Each post includes its numeric id, title, author and view count. \
             Supports pagination via `_limit` to cap the number of results returned.",
        ),
        (
            "listPosts",
            "List posts.",
            &posts,
            "Fetches all posts from the database and returns them as a JSON array of objects with id, title, \
             author, and views fields.",
        ),
        (
            "get-sum",
            "Returns the sum of two numbers",
            &sum,
            "Adds two numbers and returns the result as a text message of the form 'The sum of {a} and {b} is \
             {result}.' Both `a` and `b` must be JSON numbers; string values such as \"12\" are rejected with an \
             error.",
        ),
        (
            "get-sum",
            "Returns the sum of two numbers",
            &sum,
            "Calculates the sum of two numeric values, a and b, and returns a human-readable sentence with the \
             result (e.g. 'The sum of 2 and 3 is 5.').",
        ),
    ];
    for (id, old, trails, new) in cases {
        assert_eq!(verdict(id, old, trails, new), vec![], "{id}: {new}");
    }
}

#[test]
fn shape_words_back_only_the_shape_that_was_seen_and_puffery_stays_unbacked() {
    let posts = [trail(1, json!({}), 200, r#"[{"id": 1, "title": "json-server", "author": "typicode"}]"#)];
    // An array was seen: "array" is backed, the praise around it is not.
    let puffery = "Lets developers retrieve an array of posts in an efficient and secure manner with high performance.";
    let v = verdict("getPosts", "Get posts.", &posts, puffery);
    assert_eq!(v.len(), 1, "{v:?}");
    assert!(
        v[0].message.contains("(\"developers\", \"retrieve\", \"efficient\", \"secure\", 3 more; 1 of its 8"),
        "{}",
        v[0].message
    );
    // An object was seen, no array, no failure: "list" and "rejected" back nothing.
    let one = [trail(1, json!({}), 200, r#"{"id": 1, "title": "json-server"}"#)];
    let v = verdict("getPost", "Get a post.", &one, "Get a post; a list of posts, rejected when missing.");
    assert!(v.iter().any(|v| v.message.contains("\"list\"") && v.message.contains("\"rejected\"")), "{v:?}");
    let failed = [trail(1, json!({}), 404, r#"{"id": 1}"#)];
    assert_eq!(verdict("getPost", "Get a post.", &failed, "Get a post; rejected with an error when missing."), vec![]);
}

#[test]
fn the_letter_and_digit_runs_of_a_name_back_what_they_say_apart() {
    let t = [trail(1, json!({}), 200, r#"{"value": 9007199254740993}"#)];
    let new = "Get the counter as a 64-bit integer.";
    assert_eq!(verdict("getInt64", "Get the counter.", &t, new), vec![]);
    let v = verdict("getCounter", "Get the counter.", &t, "Get the counter as a 64-bit value.");
    assert!(v.iter().any(|v| v.message.contains("\"64\"")), "{v:?}");
}

#[test]
fn an_mcp_results_envelope_shows_no_shape_of_the_tools() {
    // Every MCP result is an object with an array of content blocks: that is the protocol's
    // shape. A tool that answers a sentence does not back "a JSON array".
    let sentence = [trail(1, json!({}), 200, &mcp_text("The sum of 2 and 3 is 5."))];
    let array = "Returns the sum of two numbers as a JSON array.";
    let v = verdict("get-sum", "Returns the sum of two numbers", &sentence, array);
    assert!(v.iter().any(|v| v.message.contains("(\"json\", \"array\")")), "{v:?}");
    let text = "Returns the sum of two numbers as a sentence of text.";
    assert_eq!(verdict("get-sum", "Returns the sum of two numbers", &sentence, text), vec![]);
    // A text block that holds a JSON array shows one, and so does structured content.
    let listed = [trail(1, json!({}), 200, &mcp_text(r#"[{"name": "a"}]"#))];
    assert_eq!(verdict("get-sum", "Returns the sum of two numbers", &listed, array), vec![]);
    let body = json!({"content": [{"type": "text", "text": "5"}], "structuredContent": {"sum": [5]}}).to_string();
    let structured = [trail(1, json!({}), 200, &body)];
    assert_eq!(verdict("get-sum", "Returns the sum of two numbers", &structured, array), vec![]);
}
