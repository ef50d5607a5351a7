//! Specs written to break the generator: names that collide once converted
//! to Rust (operationIds, schemas, properties), a schema named like a type
//! the generated code uses, a self-referencing alias, a keyword operationId,
//! a path without its leading `/`, a composition cycle. Each generates code with no duplicate or
//! self-referencing definition (what rustc would refuse), renaming with a
//! note or skipping with the operation's JSON pointer; none fails the whole
//! build.

use std::collections::BTreeSet;
use std::path::Path;

use dwolla_codegen::{GenerateOptions, Generated, generate};
use quote::ToTokens;
use serde_json::{Value, json};

fn spec(paths: Value, schemas: Value) -> Value {
    json!({
        "openapi": "3.1.0",
        "info": { "title": "t", "version": "1" },
        "paths": paths,
        "components": { "schemas": schemas }
    })
}

fn get(id: &str, schema: &str) -> Value {
    json!({ "get": {
        "operationId": id,
        "responses": { "200": { "description": "ok", "content": { "application/json": {
            "schema": { "$ref": format!("#/components/schemas/{schema}") } } } } }
    } })
}

fn generated(doc: Value) -> Generated {
    let generated = generate(doc, Path::new("hostile.yml"), &GenerateOptions::default())
        .unwrap_or_else(|e| panic!("the whole build failed: {e}"));
    assert_compiles_as_far_as_names_go(&generated.code);
    generated
}

/// What rustc would refuse for names: two items of one name in a module, two
/// methods of one name in an impl, two fields of one name in a struct, a type
/// alias naming itself.
fn assert_compiles_as_far_as_names_go(code: &str) {
    let file: syn::File = syn::parse_str(code).expect("the code parses");
    check_items(&file.items, "crate");
}

fn check_items(items: &[syn::Item], module: &str) {
    let mut names = BTreeSet::new();
    for item in items {
        let name = match item {
            syn::Item::Struct(s) => {
                let mut fields = BTreeSet::new();
                for field in &s.fields {
                    if let Some(ident) = &field.ident {
                        assert!(
                            fields.insert(ident.to_string()),
                            "{module}::{}: field `{ident}` twice",
                            s.ident
                        );
                    }
                }
                Some(s.ident.to_string())
            }
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            syn::Item::Type(t) => {
                let target = t.ty.to_token_stream().to_string();
                assert_ne!(target, t.ident.to_string(), "{module}: alias names itself");
                Some(t.ident.to_string())
            }
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    check_items(inner, &format!("{module}::{}", m.ident));
                }
                Some(m.ident.to_string())
            }
            syn::Item::Impl(i) if i.trait_.is_none() => {
                let mut methods = BTreeSet::new();
                for item in &i.items {
                    if let syn::ImplItem::Fn(f) = item {
                        let method = f.sig.ident.to_string();
                        assert!(
                            methods.insert(method.clone()),
                            "{module}: method `{method}` twice in one impl"
                        );
                    }
                }
                None
            }
            _ => None,
        };
        if let Some(name) = name {
            assert!(
                names.insert(name.clone()),
                "{module}: `{name}` defined twice"
            );
        }
    }
}

fn skipped_pointers(generated: &Generated) -> Vec<&str> {
    generated
        .skipped
        .iter()
        .map(|s| s.pointer.as_str())
        .collect()
}

fn noted(generated: &Generated, pointer: &str) -> bool {
    generated.notes.iter().any(|note| note.pointer == pointer)
}

#[test]
fn operation_ids_that_collide_in_snake_case_skip_the_later_ones_by_pointer() {
    let mut paths = serde_json::Map::new();
    for (path, id) in [
        ("/a", "getThing"),
        ("/b", "get_thing"),
        ("/c", "GetThing"),
        ("/d", "get-thing"),
    ] {
        paths.insert(path.into(), get(id, "Thing"));
    }
    let generated = generated(spec(
        Value::Object(paths),
        json!({ "Thing": { "type": "object", "properties": { "x": { "type": "string" } } } }),
    ));
    assert_eq!(generated.operations.len(), 1, "{:?}", generated.operations);
    assert_eq!(
        skipped_pointers(&generated),
        ["/paths/~1b/get", "/paths/~1c/get", "/paths/~1d/get"]
    );
}

#[test]
fn schemas_that_collide_in_pascal_case_are_renamed_with_a_note() {
    let object = |p: &str| json!({ "type": "object", "properties": { p: { "type": "string" } } });
    let generated = generated(spec(
        json!({
            "/a": get("getA", "foo"),
            "/b": get("getB", "Foo"),
            "/c": get("getC", "FOO"),
        }),
        json!({ "foo": object("a"), "Foo": object("b"), "FOO": object("c") }),
    ));
    assert_eq!(generated.operations.len(), 3);
    assert!(generated.skipped.is_empty(), "{:?}", generated.skipped);
    let renamed = generated
        .notes
        .iter()
        .filter(|note| note.pointer.starts_with("/components/schemas/"))
        .count();
    assert_eq!(renamed, 2, "{:?}", generated.notes);
}

#[test]
fn a_schema_named_like_a_type_the_code_uses_is_renamed() {
    let generated = generated(spec(
        json!({ "/a": get("getA", "Default") }),
        json!({ "Default": { "type": "object", "properties": {
            "a": { "type": "string", "default": "x" } } } }),
    ));
    assert!(noted(&generated, "/components/schemas/Default"));
    assert!(!generated.code.contains("pub struct Default "));
}

#[test]
fn properties_that_collide_in_snake_case_keep_the_first_with_a_note() {
    let generated = generated(spec(
        json!({ "/a": get("getA", "Thing") }),
        json!({ "Thing": { "type": "object", "properties": {
            "Name": { "type": "string" }, "name": { "type": "string" },
            "a-b": { "type": "string" }, "a b": { "type": "string" }
        } } }),
    ));
    assert_eq!(generated.operations.len(), 1);
    assert!(
        generated.notes.iter().any(|n| n
            .pointer
            .starts_with("/components/schemas/Thing/properties/")),
        "{:?}",
        generated.notes
    );
}

#[test]
fn a_self_referencing_alias_becomes_any_json_with_a_note() {
    let generated = generated(spec(
        json!({ "/a": get("getA", "Loop"), "/b": get("getB", "Ping") }),
        json!({
            "Loop": { "$ref": "#/components/schemas/Loop" },
            "Ping": { "$ref": "#/components/schemas/Pong" },
            "Pong": { "$ref": "#/components/schemas/Ping" }
        }),
    ));
    assert_eq!(generated.operations.len(), 2, "{:?}", generated.skipped);
    assert!(noted(&generated, "/components/schemas/Loop"));
}

#[test]
fn a_keyword_operation_id_is_generated() {
    let generated = generated(spec(
        json!({ "/a": get("type", "Thing"), "/b": get("self", "Thing") }),
        json!({ "Thing": { "type": "object" } }),
    ));
    let ids: Vec<&str> = generated
        .operations
        .iter()
        .map(|o| o.operation_id.as_str())
        .collect();
    assert_eq!(ids, ["type", "self"], "{:?}", generated.skipped);
}

#[test]
fn a_path_without_a_leading_slash_is_skipped_by_pointer() {
    let generated = generated(spec(
        json!({ "things/{id}": { "get": {
            "operationId": "getThing",
            "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
            "responses": { "200": { "description": "ok" } }
        } }, "/ok": get("getOk", "Thing") }),
        json!({ "Thing": { "type": "object" } }),
    ));
    assert_eq!(skipped_pointers(&generated), ["/paths/things~1{id}/get"]);
    assert!(
        generated.skipped[0].reason.contains("`/`"),
        "{}",
        generated.skipped[0].reason
    );
    assert_eq!(generated.operations.len(), 1);
}

/// typify expands compositions eagerly: `B: allOf [C, {…}]`, `C: anyOf [B]`
/// overflowed the stack (a SIGABRT no `catch_unwind` stops) before the
/// normalizer found the cycle. Every mix of compositions is left out with
/// the operations that use it, by pointer; the rest is generated.
#[test]
fn a_composition_cycle_skips_its_operations_never_overflows_the_stack() {
    for (first, second) in [("allOf", "anyOf"), ("oneOf", "allOf"), ("anyOf", "anyOf")] {
        let generated = generated(spec(
            json!({ "/b": get("getB", "B"), "/ok": get("getOk", "Thing") }),
            json!({
                "B": { first: [
                    { "$ref": "#/components/schemas/C" },
                    { "type": "object", "properties": { "x": { "type": "string" } } }
                ] },
                "C": { second: [{ "$ref": "#/components/schemas/B" }] },
                "Thing": { "type": "object" }
            }),
        ));
        assert_eq!(
            skipped_pointers(&generated),
            ["/paths/~1b/get"],
            "{first}/{second}"
        );
        assert!(
            generated.skipped[0].reason.contains("composition cycle"),
            "{}",
            generated.skipped[0].reason
        );
        assert_eq!(generated.operations.len(), 1);
        assert!(noted(&generated, "/components/schemas/B"));
    }
}
