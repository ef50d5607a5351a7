//! Spec drift: one synthetic spec pair per rule, asserting its class, and a
//! snapshot of the report between the vendored spec and a drifted copy.

use conformance::vendored;
use openapi_doc::spec::Spec;
use serde_json::{Value, json};
use spec_drift::compare::{Scope, compare};
use spec_drift::report::{Class, to_text};

/// A small spec: `POST /things/{id}` with a request body, a 200 with a body
/// and a 404; `GET /things` listing them.
fn base() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": { "title": "t", "version": "1" },
        "paths": {
            "/things/{id}": { "post": {
                "operationId": "updateThing",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
                "requestBody": { "required": false, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ThingRequest" } } } },
                "responses": {
                    "200": { "description": "ok", "headers": { "Location": { "schema": { "type": "string" } } },
                             "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Thing" } } } },
                    "404": { "description": "missing" }
                }
            } },
            "/things": { "get": { "operationId": "listThings", "responses": { "200": { "description": "ok" } } } }
        },
        "components": { "schemas": {
            "ThingRequest": { "type": "object", "required": ["name"], "properties": {
                "name": { "type": "string" },
                "kind": { "type": "string", "enum": ["a", "b"] },
                "note": { "type": "string" }
            } },
            "Thing": { "type": "object", "required": ["id", "state"], "properties": {
                "id": { "type": "string" },
                "state": { "type": "string", "enum": ["on", "off"] },
                "created": { "type": "string", "format": "date-time" },
                "shape": { "oneOf": [{ "type": "string" }, { "type": "integer" }] }
            } }
        } }
    })
}

fn spec(value: Value) -> Spec {
    Spec::parse(&value.to_string(), "test").expect("a 3.1 spec")
}

/// The changes (rule, class) from `base()` to `base()` edited by `edit`.
fn drift(edit: impl FnOnce(&mut Value)) -> Vec<(&'static str, Class)> {
    let mut new = base();
    edit(&mut new);
    compare(&spec(base()), &spec(new), Scope::All, &json!({}))
        .changes
        .into_iter()
        .map(|change| (change.rule, change.class))
        .collect()
}

fn at<'a>(value: &'a mut Value, pointer: &str) -> &'a mut Value {
    value
        .pointer_mut(pointer)
        .unwrap_or_else(|| panic!("{pointer} in the base spec"))
}

/// Sets `key` in the object at `parent`, adding it if absent.
fn put(value: &mut Value, parent: &str, key: &str, new: Value) {
    at(value, parent)
        .as_object_mut()
        .expect("an object")
        .insert(key.into(), new);
}

const THING: &str = "/components/schemas/Thing";
const REQUEST: &str = "/components/schemas/ThingRequest";
const OP: &str = "/paths/~1things~1{id}/post";

#[test]
fn identical_specs_and_a_schema_moved_into_components_show_no_change() {
    assert!(drift(|_| {}).is_empty());
    let inlined = drift(|s| {
        let thing = s["components"]["schemas"]["Thing"].clone();
        *at(
            s,
            &format!("{OP}/responses/200/content/application~1json/schema"),
        ) = thing;
    });
    assert!(inlined.is_empty(), "{inlined:?}");
}

#[test]
fn operation_removed_is_breaking() {
    assert_eq!(
        drift(|s| {
            s["paths"].as_object_mut().unwrap().remove("/things");
        }),
        [("operation-removed", Class::Breaking)]
    );
}

#[test]
fn operation_added_is_compatible() {
    assert_eq!(
        drift(
            |s| s["paths"]["/other"] = json!({ "get": { "operationId": "other", "responses": { "200": { "description": "ok" } } } })
        ),
        [("operation-added", Class::Compatible)]
    );
}

#[test]
fn path_method_or_operation_id_changed_is_breaking() {
    assert_eq!(
        drift(|s| {
            let op = s["paths"]["/things"]
                .as_object_mut()
                .unwrap()
                .remove("get")
                .unwrap();
            s["paths"]["/things"]["put"] = op;
        }),
        [("operation-moved", Class::Breaking)]
    );
    let renamed = drift(|s| s["paths"]["/things"]["get"]["operationId"] = json!("listAllThings"));
    assert!(
        renamed.contains(&("operation-removed", Class::Breaking)),
        "{renamed:?}"
    );
}

#[test]
fn parameters_added_as_required_or_made_required_are_breaking() {
    assert_eq!(
        drift(|s| {
            at(s, &format!("{OP}/parameters")).as_array_mut().unwrap().push(json!({ "name": "v", "in": "query", "required": true, "schema": { "type": "string" } }))
        }),
        [("parameter-added-required", Class::Breaking)]
    );
    assert_eq!(
        drift(|s| at(s, &format!("{OP}/parameters"))
            .as_array_mut()
            .unwrap()
            .push(json!({ "name": "v", "in": "query", "schema": { "type": "string" } }))),
        [("parameter-added-optional", Class::Compatible)]
    );
}

#[test]
fn a_request_body_made_required_is_breaking() {
    assert_eq!(
        drift(|s| *at(s, &format!("{OP}/requestBody/required")) = json!(true)),
        [("request-body-made-required", Class::Breaking)]
    );
}

#[test]
fn a_documented_status_removed_is_breaking_and_added_is_compatible() {
    assert_eq!(
        drift(|s| {
            at(s, &format!("{OP}/responses"))
                .as_object_mut()
                .unwrap()
                .remove("404");
        }),
        [("status-removed", Class::Breaking)]
    );
    assert_eq!(
        drift(|s| put(
            s,
            &format!("{OP}/responses"),
            "409",
            json!({ "description": "conflict" })
        )),
        [("status-added", Class::Compatible)]
    );
}

#[test]
fn a_media_type_removed_is_breaking() {
    assert_eq!(
        drift(|s| {
            let content = at(s, &format!("{OP}/responses/200/content"))
                .as_object_mut()
                .unwrap();
            let schema = content.remove("application/json").unwrap();
            content.insert("application/vnd.other+json".into(), schema);
        }),
        [
            ("media-type-added", Class::Compatible),
            ("media-type-removed", Class::Breaking)
        ]
        .into_iter()
        .rev()
        .collect::<Vec<_>>()
    );
}

#[test]
fn a_response_header_removed_is_breaking() {
    assert_eq!(
        drift(|s| {
            at(s, &format!("{OP}/responses/200/headers"))
                .as_object_mut()
                .unwrap()
                .remove("Location");
        }),
        [("response-header-removed", Class::Breaking)]
    );
}

#[test]
fn a_response_property_removed_or_made_optional_is_breaking() {
    assert_eq!(
        drift(|s| {
            at(s, &format!("{THING}/properties"))
                .as_object_mut()
                .unwrap()
                .remove("created");
        }),
        [("response-property-removed", Class::Breaking)]
    );
    assert_eq!(
        drift(|s| *at(s, &format!("{THING}/required")) = json!(["id"])),
        [("response-property-made-optional", Class::Breaking)]
    );
}

#[test]
fn a_renamed_response_property_is_a_removal_and_an_addition() {
    let changes = drift(|s| {
        let properties = at(s, &format!("{THING}/properties"))
            .as_object_mut()
            .unwrap();
        let created = properties.remove("created").unwrap();
        properties.insert("createdAt".into(), created);
    });
    assert_eq!(
        changes,
        [
            ("response-property-removed", Class::Breaking),
            ("response-property-added", Class::Compatible)
        ]
    );
}

#[test]
fn a_retyped_property_is_breaking() {
    assert_eq!(
        drift(|s| *at(s, &format!("{THING}/properties/id/type")) = json!("integer")),
        [("type-changed", Class::Breaking)]
    );
}

#[test]
fn a_format_change_is_breaking() {
    assert_eq!(
        drift(|s| *at(s, &format!("{THING}/properties/created/format")) = json!("date")),
        [("format-changed", Class::Breaking)]
    );
}

#[test]
fn a_new_optional_response_property_is_compatible() {
    assert_eq!(
        drift(|s| put(
            s,
            &format!("{THING}/properties"),
            "color",
            json!({ "type": "string" })
        )),
        [("response-property-added", Class::Compatible)]
    );
}

#[test]
fn a_request_property_added_as_required_or_made_required_is_breaking() {
    assert_eq!(
        drift(|s| {
            put(
                s,
                &format!("{REQUEST}/properties"),
                "size",
                json!({ "type": "integer" }),
            );
            at(s, &format!("{REQUEST}/required"))
                .as_array_mut()
                .unwrap()
                .push(json!("size"));
        }),
        [("request-property-added-required", Class::Breaking)]
    );
    assert_eq!(
        drift(|s| at(s, &format!("{REQUEST}/required"))
            .as_array_mut()
            .unwrap()
            .push(json!("note"))),
        [("request-property-made-required", Class::Breaking)]
    );
    assert_eq!(
        drift(|s| put(
            s,
            &format!("{REQUEST}/properties"),
            "size",
            json!({ "type": "integer" })
        )),
        [("request-property-added-optional", Class::Compatible)]
    );
}

#[test]
fn enums_narrowed_in_requests_and_widened_in_responses_are_breaking() {
    assert_eq!(
        drift(|s| *at(s, &format!("{REQUEST}/properties/kind/enum")) = json!(["a"])),
        [("enum-narrowed", Class::Breaking)]
    );
    assert_eq!(
        drift(|s| *at(s, &format!("{REQUEST}/properties/kind/enum")) = json!(["a", "b", "c"])),
        [("enum-widened", Class::Compatible)]
    );
    assert_eq!(
        drift(
            |s| *at(s, &format!("{THING}/properties/state/enum")) = json!(["on", "off", "paused"])
        ),
        [("enum-widened", Class::Breaking)]
    );
    assert_eq!(
        drift(|s| *at(s, &format!("{THING}/properties/state/enum")) = json!(["on"])),
        [("enum-narrowed", Class::Compatible)]
    );
}

#[test]
fn a_new_response_branch_is_breaking() {
    assert_eq!(
        drift(|s| at(s, &format!("{THING}/properties/shape/oneOf"))
            .as_array_mut()
            .unwrap()
            .push(json!({ "type": "boolean" }))),
        [("branch-added", Class::Breaking)]
    );
}

#[test]
fn a_description_only_change_is_compatible() {
    assert_eq!(
        drift(|s| put(
            s,
            &format!("{THING}/properties/id"),
            "description",
            json!("The id.")
        )),
        [("description-changed", Class::Compatible)]
    );
}

#[test]
fn the_extension_can_retire_when_the_spec_defines_it_the_same_way() {
    let fragment = vendored::extras_fragment().unwrap();
    let vendored = vendored::published().unwrap();
    let report = compare(&vendored, &vendored, Scope::All, &fragment);
    assert_eq!(report.extensions[0].status, "not-in-spec");
    let with_it = vendored.clone().with_fragment(&fragment);
    let report = compare(&vendored, &with_it, Scope::All, &fragment);
    assert_eq!(report.extensions[0].status, "can-retire");
    let mut changed = with_it.clone();
    changed.document["paths"]["/exchanges/{id}/exchange-sessions"]["post"]["responses"]
        .as_object_mut()
        .unwrap()
        .remove("403");
    let report = compare(&vendored, &changed, Scope::All, &fragment);
    assert_eq!(report.extensions[0].status, "differs");
    assert_eq!(report.extensions[0].differences[0].rule, "status-removed");
}

#[test]
fn the_drift_report_between_the_vendored_spec_and_a_drifted_copy() {
    let old = vendored::published().unwrap();
    let new = Spec::load(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dwolla-drifted.json"),
    )
    .unwrap();
    let bound = vendored::bound_operations().unwrap();
    let report = compare(
        &old,
        &new,
        Scope::Bound(&bound),
        &vendored::extras_fragment().unwrap(),
    );
    assert!(report.count(Class::Breaking) >= 5);
    insta::assert_snapshot!("drift_report", to_text(&report));
}

/// The extension layer's fragment against Dwolla's own definition of the
/// operation in the reference spec beside the checkout (`../shared`, present
/// in CI; a developer without it gets a skip notice, CI a failure).
#[test]
fn the_extension_matches_dwollas_definition_of_the_operation() {
    let reference = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/reference/dwolla-openapi-d4901e4.yml");
    if !reference.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have the reference spec at {}",
            reference.display()
        );
        eprintln!("skipped: no reference spec at {}", reference.display());
        return;
    }
    let dwolla = Spec::load(&reference).unwrap();
    let report = compare(
        &vendored::published().unwrap(),
        &dwolla,
        Scope::Bound(&[]),
        &vendored::extras_fragment().unwrap(),
    );
    let extension = &report.extensions[0];
    assert_eq!(extension.operation, "createReAuthExchangeSession");
    assert_eq!(
        extension.status, "can-retire",
        "{:#?}",
        extension.differences
    );
}
