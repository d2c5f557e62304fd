//! OpenAPI 3.0 / 3.1 and Swagger 2.0: import, round trips, patching, conversions, real
//! documents (httpbin, GitHub) and bad input. Fixtures are in tests/fixtures/openapi/.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)] // tests unwrap, read fixtures, time themselves

#[path = "formats_openapi/bad_input.rs"]
mod bad_input;
#[path = "formats_openapi/convert.rs"]
mod convert;
#[path = "formats_openapi/real.rs"]
mod real;

use serde_json::{json, Value};
use tooldraft::doc::formats::{self, openapi, openapi::Target};
use tooldraft::doc::{Example, Format, Location, ToolDoc};

pub const FIXTURES: [&str; 4] =
    ["petstore-3.0.json", "petstore-3.1.yaml", "petstore-swagger2.json", "httpbin.swagger.json"];

pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/openapi/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

pub fn load(name: &str) -> ToolDoc {
    formats::import(&fixture(name), None).unwrap()
}

/// The document without its source, as the snapshots show it.
pub fn model(doc: &ToolDoc) -> Value {
    let mut v = serde_json::to_value(doc).unwrap();
    v.as_object_mut().unwrap().remove("source");
    v
}

/// Every JSON pointer at which `a` and `b` differ (the deepest place each difference shows).
pub fn diff(a: &Value, b: &Value) -> Vec<String> {
    fn walk(a: &Value, b: &Value, at: String, out: &mut Vec<String>) {
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                for k in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                    let next = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                    match (x.get(k), y.get(k)) {
                        (Some(p), Some(q)) => walk(p, q, next, out),
                        _ => out.push(next),
                    }
                }
            }
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
                for (i, (p, q)) in x.iter().zip(y).enumerate() {
                    walk(p, q, format!("{at}/{i}"), out);
                }
            }
            _ if a != b => out.push(at),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(a, b, String::new(), &mut out);
    out
}

fn own_target(doc: &ToolDoc) -> Target {
    if doc.format == Some(Format::Swagger) {
        Target::Swagger2
    } else {
        Target::OpenApi3
    }
}

#[test]
fn openapi_30_json_model() {
    let doc = load("petstore-3.0.json");
    assert_eq!((doc.format, doc.version.as_deref()), (Some(Format::OpenApi), Some("3.0.3")));
    insta::assert_json_snapshot!(model(&doc));
}

#[test]
fn openapi_31_yaml_model() {
    let doc = load("petstore-3.1.yaml");
    assert_eq!(doc.syntax, tooldraft::doc::Syntax::Yaml);
    insta::assert_json_snapshot!(model(&doc));
}

#[test]
fn swagger_2_model() {
    let doc = load("petstore-swagger2.json");
    assert_eq!((doc.format, doc.version.as_deref()), (Some(Format::Swagger), Some("2.0")));
    insta::assert_json_snapshot!(model(&doc));
}

#[test]
fn ids_names_and_pointers() {
    let doc = load("petstore-3.0.json");
    let op = doc.operation("GET /pets/{petId}").unwrap();
    assert_eq!(op.name, "get_pets_petId");
    assert_eq!(op.pointer, "/paths/~1pets~1{petId}/get");
    assert_eq!(op.description, "Get a pet", "the summary stands in for a missing description");
    // Operation-level parameters override path-level ones by name and location.
    let upload = doc.operation("uploadPhoto").unwrap();
    let ids: Vec<_> = upload.parameters.iter().filter(|p| p.name == "petId").collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(ids[0].description, "The pet to attach the photo to.");
    // x-tooldraft-safety overrides the method's hints field by field.
    let del = doc.operation("deletePet").unwrap();
    assert_eq!((del.safety.destructive, del.safety.idempotent), (Some(true), Some(false)));
    // The operation's examples come from x-tooldraft-examples.
    assert_eq!(doc.operation("search").unwrap().examples[0].query, "find dogs");
}

#[test]
fn refs_cycles_and_dangling_refs_are_warnings() {
    let doc = load("petstore-3.0.json");
    let w = doc.warnings.join("\n");
    assert!(w.contains("`#/components/schemas/Node` contains itself"), "{w}");
    assert!(w.contains("`#/components/parameters/Missing` points to nowhere"), "{w}");
    assert!(w.contains("`#/components/schemas/DoesNotExist` points to nowhere"), "{w}");
    let tree = doc.operation("getTree").unwrap().response_schema.clone().unwrap();
    assert_eq!(tree["properties"]["children"]["items"], json!({"$ref": "#/components/schemas/Node"}));
    let alone = openapi::self_contained(&tree, &doc.source);
    assert_eq!(alone["properties"]["children"]["items"], json!({"$ref": "#/$defs/Node"}));
    assert_eq!(
        alone["$defs"]["Node"],
        doc.source["components"]["schemas"]["Node"]
            .pointer("")
            .cloned()
            .map(|mut n| {
                n["properties"]["children"]["items"]["$ref"] = json!("#/$defs/Node");
                n
            })
            .unwrap()
    );
    let doc31 = load("petstore-3.1.yaml");
    assert!(doc31.warnings.iter().any(|w| w.contains("external $ref `common.yaml#/components/schemas/Thing`")));
}

#[test]
fn unmodified_export_gives_back_the_source() {
    for name in FIXTURES {
        let doc = load(name);
        let (out, lost) = openapi::export(&doc, own_target(&doc)).unwrap();
        assert_eq!(diff(&doc.source, &out), Vec::<String>::new(), "{name}");
        assert!(lost.is_empty(), "{name}: {lost:?}");
        // Through text too, in the document's own syntax.
        let format = doc.format.unwrap();
        let text = formats::export(&doc, format).unwrap().text;
        let (again, syntax) = formats::parse_text(&text).unwrap();
        assert_eq!(syntax, doc.syntax, "{name}");
        assert_eq!(again, doc.source, "{name}");
    }
}

#[test]
fn converting_unchanged_to_the_own_format_gives_back_the_text() {
    for name in FIXTURES {
        let text = fixture(name);
        let doc = load(name);
        let own = doc.format.unwrap();
        let out = formats::convert(&text, None, own).unwrap();
        assert_eq!(out.text, text, "{name}: byte for byte, layout included");
        assert!(out.lost.is_empty(), "{name}: {:?}", out.lost);
        // Into the other flavour it is written out, as export writes it.
        let other = if own == Format::Swagger { Format::OpenApi } else { Format::Swagger };
        let out = formats::convert(&text, None, other).unwrap();
        assert_eq!(out.text, formats::export(&doc, other).unwrap().text, "{name}");
        assert_ne!(out.text, text, "{name}");
    }
}

#[test]
fn schema_changes_deep_inside_inlined_references_are_reported() {
    let doc = load("petstore-3.0.json");
    let id = "GET /pets/{petId}";
    let response = doc.operation(id).unwrap().response_schema.as_ref().unwrap();
    assert_eq!(response["properties"]["category"]["properties"]["name"]["type"], "string", "inlined from Category");
    let mut changed = doc.clone();
    let schema = changed.operation_mut(id).unwrap().response_schema.as_mut().unwrap();
    schema["properties"]["category"]["properties"]["name"]["type"] = json!("integer");
    let (out, lost) = openapi::export(&changed, Target::OpenApi3).unwrap();
    assert_eq!(out, doc.source);
    assert_eq!(lost, [format!("{id}: the documented response schema is kept")]);

    let mut changed = doc.clone();
    let op = changed.operation_mut("updatePet").unwrap();
    let category = op.parameters.iter_mut().find(|p| p.name == "category").unwrap();
    assert_eq!(category.schema["properties"]["id"]["type"], "integer", "inlined from Category");
    category.schema["properties"]["id"]["type"] = json!("string");
    let (out, lost) = openapi::export(&changed, Target::OpenApi3).unwrap();
    assert_eq!(out, doc.source);
    assert_eq!(lost.len(), 1, "{lost:?}");
    assert!(lost[0].contains("parameter `category`: only description, examples, required, enum"), "{lost:?}");
}

#[test]
fn one_changed_description_changes_only_that() {
    for (name, id, at) in [
        ("petstore-3.0.json", "listPets", "/paths/~1pets/get/description"),
        ("petstore-3.1.yaml", "replacePet", "/paths/~1pets~1{id}/put/description"),
        ("petstore-swagger2.json", "getPetById", "/paths/~1pet~1{petId}/get/description"),
    ] {
        let mut doc = load(name);
        doc.operation_mut(id).unwrap().description = "Rewritten.".into();
        let (out, lost) = openapi::export(&doc, own_target(&doc)).unwrap();
        assert_eq!(diff(&doc.source, &out), vec![at.to_string()], "{name}");
        assert_eq!(out.pointer(at), Some(&json!("Rewritten.")));
        assert!(lost.is_empty(), "{lost:?}");
        let again = openapi::import(&out).unwrap();
        assert_eq!(again.operation(id).unwrap().description, "Rewritten.");
    }
}

#[test]
fn parameter_descriptions_go_where_they_were_read() {
    let mut doc = load("petstore-3.0.json");
    let set = |doc: &mut ToolDoc, op: &str, p: &str, loc: Location, text: &str| {
        let o = doc.operation_mut(op).unwrap();
        o.parameters.iter_mut().find(|q| q.name == p && q.location == loc).unwrap().description = text.into();
    };
    set(&mut doc, "listPets", "status", Location::Query, "Only pets in this state.");
    set(&mut doc, "listPets", "limit", Location::Query, "Page size, 1 to 100.");
    set(&mut doc, "updatePet", "name", Location::Body, "New name.");
    set(&mut doc, "updatePet", "category", Location::Body, "Where the pet is filed.");
    set(&mut doc, "createPet", "photoUrls", Location::Body, "Links to photos.");
    let (out, lost) = openapi::export(&doc, Target::OpenApi3).unwrap();
    let mut changed = diff(&doc.source, &out);
    changed.sort();
    assert_eq!(
        changed,
        [
            "/components/parameters/Limit/description",
            // 3.0 ignores keywords beside $ref: the referenced schema is patched.
            "/components/schemas/Category/description",
            "/components/schemas/NewPet/allOf/1/properties/photoUrls/description",
            "/paths/~1pets/get/parameters/1/description",
            "/paths/~1pets~1{petId}/patch/requestBody/content/application~1json/schema/properties/name/description",
        ]
    );
    let lost = lost.join("\n");
    assert!(lost.contains("listPets: parameter `limit`'s description was written to the shared component /components/parameters/Limit"), "{lost}");
    assert!(lost.contains("/components/schemas/Category"), "{lost}");
    let again = openapi::import(&out).unwrap();
    assert_eq!(again.operation("listPets").unwrap().parameter("limit").unwrap().description, "Page size, 1 to 100.");
    assert_eq!(again.operation("createPet").unwrap().parameter("photoUrls").unwrap().description, "Links to photos.");

    // In 3.1 a description beside $ref is allowed, so the shared schema stays untouched.
    let mut doc = load("petstore-3.1.yaml");
    set(&mut doc, "createPet", "owner", Location::Body, "Who owns it.");
    let (out, lost) = openapi::export(&doc, Target::OpenApi3).unwrap();
    assert_eq!(
        diff(&doc.source, &out),
        ["/paths/~1pets/post/requestBody/content/application~1json/schema/properties/owner/description"]
    );
    assert!(lost.is_empty(), "{lost:?}");
}

#[test]
fn two_operations_disagreeing_on_a_shared_parameter_are_reported() {
    let mut doc = load("petstore-3.0.json");
    for (op, text) in [("GET /pets/{petId}", "Pet id."), ("deletePet", "The pet to delete.")] {
        doc.operation_mut(op).unwrap().parameters[0].description = text.into();
    }
    let (out, lost) = openapi::export(&doc, Target::OpenApi3).unwrap();
    assert_eq!(out["components"]["parameters"]["PetId"]["description"], "The pet to delete.");
    assert!(lost.iter().any(|l| l.contains("conflicts with GET /pets/{petId}'s")), "{lost:?}");
}

#[test]
fn examples_are_written_and_read_back() {
    let mut doc = load("petstore-3.0.json");
    let op = doc.operation_mut("GET /pets/{petId}").unwrap();
    op.examples.push(Example {
        query: "show pet 7".into(),
        arguments: json!({"petId": 7}),
        result: Some(json!({"id": 7, "name": "Tom"})),
        verified: true,
    });
    op.parameters[0].examples = vec![json!(7)];
    let status = doc.operation_mut("listPets").unwrap().parameters.iter_mut().find(|p| p.name == "status").unwrap();
    status.examples = vec![json!("sold"), json!("pending")];
    doc.operation_mut("updatePet").unwrap().parameters[1].examples = vec![json!("Rex")];
    // An existing `examples` map keeps the entries still wanted, by name.
    doc.operation_mut("search").unwrap().parameters[0].examples = vec![json!(["bird"]), json!(["dog", "cat"])];
    let (out, lost) = openapi::export(&doc, Target::OpenApi3).unwrap();
    assert_eq!(
        out["paths"]["/search"]["get"]["parameters"][0]["examples"],
        json!({"two": {"value": ["dog", "cat"]}, "example1": {"value": ["bird"]}})
    );
    let mut changed = diff(&doc.source, &out);
    changed.sort();
    assert_eq!(
        changed,
        [
            "/components/parameters/PetId/example",
            "/paths/~1pets/get/parameters/1/example",
            "/paths/~1pets/get/parameters/1/examples",
            "/paths/~1pets~1{petId}/get/responses/200/content/application~1json/example",
            "/paths/~1pets~1{petId}/get/x-tooldraft-examples",
            "/paths/~1pets~1{petId}/patch/requestBody/content/application~1json/schema/properties/name/example",
            "/paths/~1search/get/parameters/0/examples/example1",
            "/paths/~1search/get/parameters/0/examples/one",
        ]
    );
    assert_eq!(
        out["paths"]["/pets"]["get"]["parameters"][1]["examples"],
        json!({"example1": {"value": "sold"}, "example2": {"value": "pending"}})
    );
    assert!(lost.iter().any(|l| l.contains("/components/parameters/PetId")), "{lost:?}");
    let again = openapi::import(&out).unwrap();
    for id in ["GET /pets/{petId}", "listPets"] {
        assert_eq!(again.operation(id).unwrap().examples, doc.operation(id).unwrap().examples, "{id}");
        let params =
            |d: &ToolDoc| d.operation(id).unwrap().parameters.iter().map(|p| p.examples.clone()).collect::<Vec<_>>();
        assert_eq!(params(&again), params(&doc), "{id}");
    }
    let update = again.operation("updatePet").unwrap();
    assert_eq!(update.parameter("name").unwrap().examples, [json!("Rex")]);
    // The shared PetId component now carries the example for every operation using it.
    assert_eq!(update.parameter("petId").unwrap().examples, [json!(7)]);
}

#[test]
fn swagger_examples_use_x_example_and_response_examples() {
    let mut doc = load("petstore-swagger2.json");
    let op = doc.operation_mut("deletePet").unwrap();
    op.parameters[1].examples = vec![json!("secret-key-example")];
    let op = doc.operation_mut("categoryTree").unwrap();
    op.examples =
        vec![Example { query: "q".into(), arguments: json!({}), result: Some(json!({"id": 1})), verified: true }];
    let (out, _) = openapi::export(&doc, Target::Swagger2).unwrap();
    let mut changed = diff(&doc.source, &out);
    changed.sort();
    assert_eq!(
        changed,
        [
            "/paths/~1categories/get/responses/200/examples",
            "/paths/~1categories/get/x-tooldraft-examples",
            "/paths/~1pet~1{petId}/delete/parameters/0/x-example",
        ]
    );
    assert_eq!(
        out["paths"]["/categories"]["get"]["responses"]["200"]["examples"],
        json!({"application/json": {"id": 1}})
    );
}

#[test]
fn response_schema_is_written_only_where_the_source_has_none() {
    let mut doc = load("petstore-3.0.json");
    let observed = json!({"type": "object", "properties": {"ok": {"type": "boolean"}}});
    doc.operation_mut("deletePet").unwrap().response_schema = Some(observed.clone());
    doc.operation_mut("listPets").unwrap().response_schema = Some(observed.clone());
    let (out, lost) = openapi::export(&doc, Target::OpenApi3).unwrap();
    assert_eq!(diff(&doc.source, &out), ["/paths/~1pets~1{petId}/delete/responses/204/content"]);
    assert_eq!(
        out["paths"]["/pets/{petId}"]["delete"]["responses"]["204"]["content"]["application/json"]["schema"],
        observed
    );
    assert_eq!(lost, ["listPets: the documented response schema is kept"]);
}

#[test]
fn what_is_not_written_back_is_reported() {
    let mut doc = load("petstore-3.0.json");
    let op = doc.operation_mut("listPets").unwrap();
    op.parameters[1].required = true;
    op.parameters.pop();
    doc.tools[0].operations.remove(0);
    let (out, lost) = openapi::export(&doc, Target::OpenApi3).unwrap();
    assert_eq!(out, doc.source);
    assert_eq!(lost, ["listPets: missing from the model but kept in the document"]);
    let mut doc = load("petstore-3.0.json");
    let op = doc.operation_mut("listPets").unwrap();
    op.parameters[1].default = Some(json!(20));
    op.parameters.pop();
    let (_, lost) = openapi::export(&doc, Target::OpenApi3).unwrap();
    assert_eq!(lost.len(), 2, "{lost:?}");
    assert!(lost[0].contains("parameter `limit`: only description, examples, required, enum"), "{lost:?}");
    assert!(lost[1].contains("parameter `status` is missing from the model but kept"));
}

#[test]
fn required_enum_type_and_format_are_written_where_the_source_keeps_them() {
    let doc = load("petstore-3.0.json");
    let mut changed = doc.clone();
    let op = changed.operation_mut("listPets").unwrap();
    let status = op.parameters.iter_mut().find(|p| p.name == "status").unwrap();
    status.required = true;
    status.enum_values = vec![json!("available"), json!("sold")];
    status.schema["format"] = json!("word");
    let op = changed.operation_mut("updatePet").unwrap();
    let tags = op.parameters.iter_mut().find(|p| p.name == "tags").unwrap();
    tags.required = true;
    tags.schema["type"] = json!(["array", "null"]);
    let (out, lost) = openapi::export(&changed, Target::OpenApi3).unwrap();
    assert!(lost.is_empty(), "{lost:?}");
    let status = &out["paths"]["/pets"]["get"]["parameters"][1];
    assert_eq!(status["required"], true);
    assert_eq!(status["schema"]["enum"], json!(["available", "sold"]));
    assert_eq!(status["schema"]["format"], "word");
    let body = &out["paths"]["/pets/{petId}"]["patch"]["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(body["required"], json!(["name", "tags"]));
    assert_eq!(
        (&body["properties"]["tags"]["type"], &body["properties"]["tags"]["nullable"]),
        (&json!("array"), &json!(true))
    );
    let again = formats::import(&serde_json::to_string(&out).unwrap(), None).unwrap();
    let tags = again.operation("updatePet").unwrap().parameter("tags").unwrap().clone();
    assert!(tags.required);
}
