//! The regression rules on the real failures of `make demo` (the embedded model against
//! server-memory), and good rewrites that must pass.

use super::*;
use crate::doc::{Location, Parameter};

fn memory_op(id: &str, description: &str, param: &str, param_description: &str) -> Operation {
    let mut p = Parameter::new(param, Location::Body);
    p.description = param_description.into();
    p.required = true;
    p.schema = serde_json::json!({"type": "array"});
    Operation {
        id: id.into(),
        name: id.into(),
        description: description.into(),
        parameters: vec![p],
        ..Default::default()
    }
}

fn create_entities() -> Operation {
    memory_op("create_entities", "Create multiple new entities in the knowledge graph", "entities", "")
}

fn open_nodes() -> Operation {
    memory_op(
        "open_nodes",
        "Open specific nodes in the knowledge graph by their names",
        "names",
        "An array of entity names to retrieve",
    )
}

fn judge_with(
    op: &Operation,
    description: &str,
    params: &[(&str, &str)],
    mismatches: &[String],
    rules: &RegressionRules,
) -> Vec<GateViolation> {
    let mut parameters: BTreeMap<String, String> =
        op.parameters.iter().map(|p| (p.name.clone(), p.description.clone())).collect();
    for (k, v) in params {
        parameters.insert(k.to_string(), v.to_string());
    }
    check(&Revised {
        tool: "memory",
        original: op,
        current: op,
        description,
        parameters: &parameters,
        trails: &[],
        known: None,
        mismatches,
        rules,
    })
}

fn judge(op: &Operation, description: &str, params: &[(&str, &str)]) -> Vec<GateViolation> {
    judge_with(op, description, params, &[], &RegressionRules::default())
}

fn rules_of(v: &[GateViolation]) -> Vec<GateRule> {
    v.iter().map(|x| x.rule).collect()
}

#[test]
fn the_echoed_answer_template_is_rejected() {
    let v = judge(&create_entities(), "The new operation description", &[]);
    assert_eq!(rules_of(&v)[0], GateRule::Echo, "{v:?}");
    assert!(v[0].message.contains("the new operation description"), "{}", v[0].message);
    // A prompt instruction repeated as the description.
    let v = judge(&create_entities(), "Say what the operation does, what it returns and how to call it.", &[]);
    assert_eq!(rules_of(&v)[0], GateRule::Echo, "{v:?}");
}

#[test]
fn an_operation_id_as_a_parameter_description_is_rejected() {
    let v = judge(
        &create_entities(),
        "Create multiple new entities in the knowledge graph",
        &[("entities", "create_entities")],
    );
    assert_eq!(rules_of(&v), vec![GateRule::Uninformative], "{v:?}");
    assert!(v[0].message.contains("\"entities\"") && v[0].message.contains("identifier"), "{}", v[0].message);
    let v =
        judge(&open_nodes(), "Open specific nodes in the knowledge graph by their names", &[("names", "open_nodes")]);
    assert_eq!(rules_of(&v), vec![GateRule::Uninformative], "{v:?}");
}

#[test]
fn talk_about_exploration_is_rejected_and_is_off_topic_too() {
    let text = "The next operation you need to explore is the next one that does not match the documentation.";
    let v = judge(&open_nodes(), text, &[]);
    assert_eq!(rules_of(&v)[0], GateRule::Echo, "{v:?}");
    assert!(v[0].message.contains("\"explore\", \"documentation\""), "{}", v[0].message);
    // With the meta-talk check out of the way, it shares nothing with the operation.
    let lax = RegressionRules { meta_words: 10, ..Default::default() };
    let v = judge_with(&open_nodes(), text, &[], &[], &lax);
    assert!(rules_of(&v).contains(&GateRule::OffTopic), "{v:?}");
}

#[test]
fn a_summary_that_repeats_one_word_is_rejected() {
    let rules = RegressionRules::default();
    let summary = "web-based, web-based, web-based, web-based, web-based, web-based, web-based, web-based";
    let ops = [("create_entities", "Create multiple new entities in the knowledge graph")];
    let v = check_summary(&Summarized {
        tool: "memory",
        summary,
        original: "A knowledge graph memory.",
        operations: &ops,
        observed: &[],
        rules: &rules,
    });
    assert_eq!(rules_of(&v)[0], GateRule::Uninformative, "{v:?}");
    assert!(v[0].message.contains("repeats itself"), "{}", v[0].message);
    let good =
        "memory is a tool that keeps a knowledge graph. It has 1 operation: 1. create_entities creates entities.";
    let v = check_summary(&Summarized {
        summary: good,
        tool: "memory",
        original: "A knowledge graph memory.",
        operations: &ops,
        observed: &[],
        rules: &rules,
    });
    assert!(v.is_empty(), "{v:?}");
}

#[test]
fn a_summary_that_miscounts_the_operations_is_a_contradiction() {
    let rules = RegressionRules::default();
    // The engine lists each operation's text before and after its refinement: 2 operations.
    let ops = [
        ("listPosts", "Lists the posts of the blog."),
        ("getPost", "Gets one post."),
        ("listPosts", "Lists the blog's posts as an array."),
        ("getPost", "Gets one post by its id."),
    ];
    let original = "A REST API over a small blog's posts.";
    let judge = |summary: &str| {
        check_summary(&Summarized { tool: "blog", summary, original, operations: &ops, observed: &[], rules: &rules })
    };
    for wrong in [
        "A REST API over a small blog's posts. This tool has one built-in function: listPosts lists the posts.",
        "A REST API over a small blog's posts with 4 endpoints: listPosts and getPost.",
        "A REST API over a small blog's posts; it offers three tools to list and get posts.",
    ] {
        let v = judge(wrong);
        assert!(
            v.iter().any(|x| x.rule == GateRule::Contradiction && x.message.contains("but it has 2")),
            "{wrong}: {v:?}"
        );
    }
    for right in [
        "A REST API over a small blog's posts with 2 endpoints: listPosts and getPost.",
        "A REST API over a small blog's posts. It has two functions: listPosts lists them, getPost gets one.",
        "A REST API over a small blog's posts: use one tool at a time, listPosts or getPost.",
    ] {
        let v = judge(right);
        assert!(v.iter().all(|x| x.rule != GateRule::Contradiction), "{right}: {v:?}");
    }
}

#[test]
fn a_summary_that_drops_the_tools_version_is_a_loss() {
    // The doc-quality benchmark's one regression: json-server's summary lost "0.17".
    let rules = RegressionRules::default();
    let ops = [("listPosts", "Lists the posts of the blog.")];
    let original = "A REST API served by json-server 0.17 over a small blog's posts and comments.";
    let judge = |summary: &str| {
        check_summary(&Summarized { tool: "blog", summary, original, operations: &ops, observed: &[], rules: &rules })
    };
    let v = judge("A REST API over a small blog's posts and comments, served by json-server: list the posts.");
    assert!(v.iter().any(|x| x.rule == GateRule::Loss && x.message.contains("version \"0.17\"")), "{v:?}");
    assert!(judge("A REST API served by json-server 0.17 over a blog's posts and comments: list the posts.").is_empty());
    // Plain numbers are the operations' business, not the summary's.
    let v = check_summary(&Summarized {
        tool: "blog",
        summary: "A REST API over a small blog's posts and comments: list the posts.",
        original: "A REST API over 2 tables of a small blog's posts and comments.",
        operations: &ops,
        observed: &[],
        rules: &rules,
    });
    assert!(v.is_empty(), "{v:?}");
}

#[test]
fn dropped_facts_are_a_loss_unless_a_mismatch_names_them() {
    let op = memory_op(
        "search_nodes",
        "Search nodes by a query; returns at most 100 nodes, only when the graph is loaded. Dates are ISO 8601.",
        "query",
        "The text to match against names, types and observations",
    );
    let v = judge(&op, "Search nodes of the knowledge graph by a query matching names, types and observations.", &[]);
    assert_eq!(rules_of(&v), vec![GateRule::Loss], "{v:?}");
    for f in ["100", "only when", "8601"] {
        assert!(v[0].message.contains(f), "{f}: {}", v[0].message);
    }
    let mismatches =
        vec!["It returned 140 nodes, not at most 100; no condition on loading; dates are ISO 8601 here".to_string()];
    let v = judge_with(
        &op,
        "Search nodes of the knowledge graph by a query matching names, types and observations, ISO 8601 dates.",
        &[],
        &mismatches,
        &RegressionRules::default(),
    );
    assert!(v.is_empty() || !v[0].message.contains("100"), "{v:?}");
}

#[test]
fn a_rewrite_that_shrinks_the_original_is_a_loss() {
    let op = memory_op(
        "create_relations",
        "Create multiple new relations between entities in the knowledge graph. Relations should be in active voice",
        "relations",
        "Relations, each with the source entity, the target entity and a relation type",
    );
    let v = judge(&op, "Creates relations.", &[("relations", "Relations to add.")]);
    assert!(rules_of(&v).contains(&GateRule::Loss), "{v:?}");
    assert!(v.iter().any(|x| x.message.contains("of the original's content words")), "{v:?}");
}

#[test]
fn good_rewrites_pass() {
    let v = judge(
        &create_entities(),
        "Creates one or more entities in the knowledge graph, each with a name, an entity type and observations; \
         returns the entities it created (names already present are skipped).",
        &[("entities", "The entities to create: objects with name, entityType and observations (strings).")],
    );
    assert!(v.is_empty(), "{v:?}");
    let v = judge(
        &open_nodes(),
        "Opens the nodes of the knowledge graph with the given names and returns those entities and the relations between them.",
        &[("names", "Entity names to retrieve, e.g. [\"Alice\"]; unknown names are ignored.")],
    );
    assert!(v.is_empty(), "{v:?}");
}

#[test]
fn parameters_may_use_the_schemas_and_the_new_descriptions_words() {
    // The IDE example's calculator: "number" is the schema's type, "sum" the description's.
    let mut a = Parameter::new("a", Location::Body);
    a.schema = serde_json::json!({"type": "number"});
    let mut b = a.clone();
    b.name = "b".into();
    let op = Operation {
        id: "add".into(),
        name: "add".into(),
        description: "Adds.".into(),
        parameters: vec![a, b],
        ..Default::default()
    };
    let v = judge(
        &op,
        "Adds two numbers a and b and returns their sum as text.",
        &[("a", "The first number."), ("b", "The second addend of the sum.")],
    );
    assert!(v.is_empty(), "{v:?}");
    // Not when the description itself is off-topic.
    let v = judge(&op, "Bakes sourdough bread at dawn.", &[("b", "The bread's second sourdough loaf.")]);
    assert_eq!(rules_of(&v), vec![GateRule::OffTopic, GateRule::OffTopic], "{v:?}");
}

#[test]
fn short_originals_may_stay_short_and_empty_ones_may_grow() {
    let mut p = Parameter::new("id", Location::Path);
    p.description = "The user id.".into();
    let op = Operation {
        id: "getUser".into(),
        name: "getUser".into(),
        description: "Get user.".into(),
        parameters: vec![p],
        ..Default::default()
    };
    assert!(judge(&op, "Gets one user by id.", &[("id", "Numeric user id.")]).is_empty());
    // Short, but only reworded: nothing gained, the original stays.
    assert_eq!(rules_of(&judge(&op, "Gets one user.", &[("id", "User id.")])), vec![GateRule::Uninformative; 2]);
    let empty = memory_op("read_graph", "", "depth", "");
    assert!(judge(
        &empty,
        "Reads the whole knowledge graph: every entity and relation.",
        &[("depth", "How deep to read.")]
    )
    .is_empty());
    // But the identifier alone says nothing, even where there was nothing.
    assert_eq!(rules_of(&judge(&empty, "read_graph", &[])), vec![GateRule::Uninformative]);
}

#[test]
fn stock_placeholders_are_uninformative() {
    for t in ["TODO", "N/A", "<description>", "Description"] {
        let v = judge(&open_nodes(), "Open specific nodes in the knowledge graph by their names", &[("names", t)]);
        assert_eq!(rules_of(&v), vec![GateRule::Uninformative], "{t}: {v:?}");
    }
}

#[test]
fn analyzer_findings_that_repeat_the_placeholders_are_flagged() {
    let findings = vec![
        "<where the documentation disagrees with the observed behaviour>".to_string(),
        "what a caller needs that the documentation lacks".to_string(),
        "The response lists entities and relations, which the description does not say.".to_string(),
    ];
    let echoed = echoed_findings(&findings, 4);
    assert_eq!(echoed, findings[..2].to_vec());
}

#[test]
fn the_rules_can_be_turned_off() {
    let off = RegressionRules { enabled: false, ..Default::default() };
    assert!(judge_with(&create_entities(), "The new operation description", &[], &[], &off).is_empty());
}

#[test]
fn a_rewording_that_says_nothing_new_is_rejected() {
    // `make demo`'s accepted "improvement" with the embedded model.
    let v = judge(
        &create_entities(),
        "The operation is created by creating multiple new entities in the knowledge graph.",
        &[],
    );
    assert_eq!(rules_of(&v), vec![GateRule::Uninformative], "{v:?}");
    assert!(v[0].message.contains("only rewords"), "{}", v[0].message);
    // Padding is no content of its own.
    for padded in [
        "The operation is designed to create multiple new entities in the knowledge graph.",
        "This tool allows you to simply create multiple new entities in the knowledge graph.",
    ] {
        assert_eq!(rules_of(&judge(&create_entities(), padded, &[])), vec![GateRule::Uninformative], "{padded}");
    }
    // The same for a parameter's description.
    let v = judge(
        &open_nodes(),
        "Open specific nodes in the knowledge graph by their names",
        &[("names", "The names of the entities to retrieve, as an array")],
    );
    assert_eq!(rules_of(&v), vec![GateRule::Uninformative], "{v:?}");
    assert!(v[0].message.contains("\"names\""), "{}", v[0].message);
    // A word or a number of its own is something new.
    let good =
        "Create multiple new entities in the knowledge graph; each needs a name, an entity type and observations.";
    assert!(judge(&create_entities(), good, &[]).is_empty());
    let v = judge(
        &open_nodes(),
        "Open specific nodes in the knowledge graph by their names",
        &[("names", "Up to 20 entity names to retrieve")],
    );
    assert!(v.is_empty(), "{v:?}");
}

#[test]
fn dropping_what_an_observation_contradicted_is_a_correction_not_a_rewording() {
    let op = memory_op(
        "open_nodes",
        "Open nodes of the knowledge graph by their exact names and archive them after reading",
        "names",
        "",
    );
    let fixed = "Open nodes of the knowledge graph by their exact names";
    let v = judge(&op, fixed, &[]);
    assert_eq!(rules_of(&v), vec![GateRule::Uninformative], "without a mismatch it only rewords: {v:?}");
    let mismatch = vec!["The nodes are not archived: a later search still finds them".to_string()];
    let v = judge_with(&op, fixed, &[], &mismatch, &RegressionRules::default());
    assert!(v.is_empty(), "{v:?}");
}

#[test]
fn a_summary_that_rewords_the_tools_description_is_rejected() {
    let rules = RegressionRules::default();
    let ops = [("create_entities", "Create multiple new entities in the knowledge graph")];
    let judge = |summary: &str| {
        check_summary(&Summarized {
            tool: "memory",
            summary,
            original: "A knowledge graph memory for entities.",
            operations: &ops,
            observed: &[],
            rules: &rules,
        })
    };
    assert_eq!(rules_of(&judge("A memory of entities, as a knowledge graph.")), vec![GateRule::Uninformative]);
    assert!(judge("A knowledge graph memory for entities and the relations between them.").is_empty());
}

#[test]
fn a_summary_that_goes_round_in_a_loop_is_rejected() {
    // What the embedded model wrote for server-memory before its token limit cut it off
    // (the cut itself is caught earlier: llm::repair drops a string the cut went through).
    let looping = "The tool is a knowledge graph manipulation and editing tool that allows users to create and edit knowledge graphs. It can also be used to edit and remove existing knowledge graphs, as well as to create new knowledge graphs from existing ones. It can also be used to create new knowledge graphs from existing ones, and to edit existing knowledge graphs. It can also be used to edit and remove existing knowledge graphs, as well as to create new knowledge graphs from existing ones. It can also be used to edit and remove existing knowledge graphs, as well as to create new knowledge graphs from existing ones. It can also be used to create new knowledge graphs from existing ones, and to edit existing knowledge graphs, as well as to create new knowledge graphs from existing ones. It can also be used to create new knowledge graphs from existing ones, and to edit existing knowledge graphs, as well as to create new knowledge graphs from existing ones. It can also be used to create new knowledge graphs from existing ones, and to edit existing knowledge graphs, as well as to create new knowledge graphs from existing ones. It can also be used to create new knowledge graphs from existing ones, and to edit existing knowledge graphs, as well as to create new knowledge graphs from existing ones. It";
    let rules = RegressionRules::default();
    let ops = [
        ("create_entities", "Create multiple new entities in the knowledge graph"),
        ("delete_entities", "Delete multiple entities and their associated relations from the knowledge graph"),
        ("read_graph", "Read the entire knowledge graph"),
    ];
    let judge = |summary: &str, original: &str| {
        check_summary(&Summarized { tool: "memory", summary, original, operations: &ops, observed: &[], rules: &rules })
    };
    let v = judge(looping, "");
    assert_eq!(rules_of(&v), vec![GateRule::Uninformative], "{v:?}");
    assert!(v[0].message.contains("repeats itself") && v[0].message.contains("times"), "{}", v[0].message);
    // A phrase said twice is no loop; a loop the original already had is no regression.
    let twice = "Keeps a knowledge graph of entities and relations. Create entities in the knowledge graph, \
                 read the entire knowledge graph, and delete entities with their relations from the knowledge graph.";
    assert!(judge(twice, "").is_empty(), "{:?}", judge(twice, ""));
    let again = judge(looping, looping);
    assert!(!again.iter().any(|v| v.message.contains("repeats itself")), "{again:?}");
}

#[test]
fn a_rewrite_that_drops_a_rule_for_the_caller_is_rejected() {
    // What the embedded model wrote for server-memory's create_relations (a tour at 2 episodes):
    // true enough, and it loses the one rule the caller needs.
    let op = memory_op(
        "create_relations",
        "Create multiple new relations between entities in the knowledge graph. Relations should be in active voice",
        "relations",
        "",
    );
    let junk = "The operation is created, and returns a list of relations between entities in the knowledge graph.";
    let v = judge(&op, junk, &[]);
    assert!(
        v.iter().any(|x| x.rule == GateRule::Loss && x.message.contains("\"Relations should be in active voice\"")),
        "{v:?}"
    );
    let kept = "Creates relations between entities of the knowledge graph, each written in the active voice \
                (\"works_at\", not \"employs\"); returns the relations created.";
    assert!(judge(&op, kept, &[]).is_empty(), "{:?}", judge(&op, kept, &[]));
    // A rule an observed call contradicted may go.
    let contradicted = ["relations in the passive voice were stored as given".to_string()];
    let v = judge_with(&op, junk, &[], &contradicted, &RegressionRules::default());
    assert!(!v.iter().any(|x| x.message.contains("active voice")), "{v:?}");
}

#[test]
fn a_rewrite_that_keeps_less_than_half_of_the_original_is_rejected() {
    // What `make demo`'s embedded model wrote for create_entities: 2 of its 5 content words
    // kept ("knowledge graph" gone), accepted while 40% was enough.
    let v = judge(
        &create_entities(),
        "The operation is a custom function that creates a new entity with a specified entity type and a list of entities.",
        &[],
    );
    assert!(v.iter().any(|x| x.rule == GateRule::Loss && x.message.contains("keeps 40%")), "{v:?}");
    let kept = "Creates new entities (each a name, an entity type and observations) in the knowledge graph.";
    assert!(judge(&create_entities(), kept, &[]).is_empty(), "{:?}", judge(&create_entities(), kept, &[]));
}

#[test]
fn a_parameter_description_copied_from_another_parameter_is_kept_out() {
    let mut delay = Parameter::new("delay", Location::Query);
    delay.description = "The amount of time (in seconds) to delay before responding".into();
    let numbytes = Parameter::new("numbytes", Location::Query);
    let op = Operation {
        id: "GET /drip".into(),
        name: "get_drip".into(),
        description: "Drips data over a duration after an optional initial delay.".into(),
        parameters: vec![delay, numbytes],
        ..Default::default()
    };
    let copied = "The amount of time (in seconds) to delay before responding";
    let v = judge(&op, &op.description, &[("numbytes", copied)]);
    assert_eq!(rules_of(&v), vec![GateRule::Uninformative], "{v:?}");
    assert!(v[0].message.contains("the same as that of \"delay\""), "{}", v[0].message);
    // Two new texts the same: each is held against the other.
    let v = judge(
        &op,
        &op.description,
        &[("numbytes", "How long to wait, in seconds."), ("delay", "How long to wait, in seconds.")],
    );
    assert!(!v.is_empty(), "{v:?}");
    assert_eq!(judge(&op, &op.description, &[("numbytes", "The number of bytes to respond with.")]), vec![]);
    // Another parameter's current description, moved over: two descriptions swapped.
    let mut a = Parameter::new("a", Location::Body);
    a.description = "First number".into();
    let mut b = Parameter::new("b", Location::Body);
    b.description = "Second number".into();
    let sum = Operation {
        id: "get-sum".into(),
        name: "get-sum".into(),
        description: "Returns the sum of two numbers".into(),
        parameters: vec![a, b],
        ..Default::default()
    };
    let v = judge(&sum, &sum.description, &[("a", "Second number"), ("b", "First number")]);
    assert!(v.iter().any(|x| x.message.contains("the one \"b\" has, moved over")), "{v:?}");
    assert!(v.iter().any(|x| x.message.contains("the one \"a\" has, moved over")), "{v:?}");
}

#[test]
fn a_parameter_described_by_its_name_or_as_a_kind_its_schema_does_not_take_is_kept_out() {
    let mut numbytes = Parameter::new("numbytes", Location::Query);
    numbytes.schema = serde_json::json!({"type": "integer"});
    let mut tags = Parameter::new("tags", Location::Query);
    tags.schema = serde_json::json!({"type": "array", "items": {"type": "string"}});
    let op = Operation {
        id: "GET /drip".into(),
        name: "get_drip".into(),
        description: "Drips data over a duration after an optional initial delay.".into(),
        parameters: vec![numbytes, tags],
        ..Default::default()
    };
    let trails = [Trail::observed("GET /drip#1", serde_json::json!({"numbytes": 3}), 200, "***")];
    let rules = RegressionRules::default();
    let judge = |name: &str, text: &str| {
        let mut parameters: BTreeMap<String, String> =
            op.parameters.iter().map(|p| (p.name.clone(), p.description.clone())).collect();
        parameters.insert(name.into(), text.into());
        check(&Revised {
            tool: "httpbin",
            original: &op,
            current: &op,
            description: &op.description,
            parameters: &parameters,
            trails: &trails,
            known: None,
            mismatches: &[],
            rules: &rules,
        })
    };
    for nothing in ["Returns data.", "It is used for the request.", "The given value of this parameter."] {
        let v = judge("numbytes", nothing);
        assert!(v.iter().any(|v| v.message.contains("has no content word")), "{nothing}: {v:?}");
    }
    let v = judge("numbytes", "The numbytes parameter.");
    assert!(v.iter().any(|v| v.message.contains("only names an identifier")), "{v:?}");
    let v = judge("numbytes", "The number of bytes as a string.");
    assert_eq!(rules_of(&v), vec![GateRule::Contradiction], "{v:?}");
    assert!(v[0].message.contains("says it is string, but it takes a number"), "{}", v[0].message);
    assert_eq!(judge("numbytes", "The number of bytes, an integer."), vec![]);
    assert_eq!(judge("tags", "Tags to match, as an array of strings."), vec![]);
    assert_eq!(rules_of(&judge("tags", "A boolean flag.")), vec![GateRule::Contradiction]);
}
