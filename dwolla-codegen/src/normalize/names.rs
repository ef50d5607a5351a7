//! Type names never collide.
//!
//! typify names an inline schema after where it sits: the `amount` property
//! of component `Transfer` becomes type `TransferAmount`. When a component of
//! that name exists too (Dwolla's spec has both), typify emits two types of
//! one name and the client does not compile. Such an inline schema gets a
//! `title`, which typify uses as its name instead: `TransferAmountInline`.

use std::collections::BTreeSet;

use serde_json::Value;

use super::pascal_case;
use super::walk::component_schemas;

/// Titles the inline schemas under `schema` (a component named `stem`, or the
/// inline schema at `stem`) whose derived type name is taken.
pub(super) fn avoid_collisions(
    schema: &mut Value,
    stem: &str,
    taken: &mut BTreeSet<String>,
    is_root: bool,
) {
    let Value::Object(object) = schema else {
        return;
    };
    if object.contains_key("$ref") {
        return;
    }
    if !is_root {
        let name = object
            .get("title")
            .and_then(Value::as_str)
            .map_or_else(|| stem.to_string(), pascal_case);
        if taken.contains(&name) && becomes_a_type(object) {
            let mut title = format!("{name}Inline");
            let mut counter = 2;
            while taken.contains(&title) {
                title = format!("{name}Inline{counter}");
                counter += 1;
            }
            taken.insert(title.clone());
            object.insert("title".into(), Value::String(title));
        }
    }
    let stem = object
        .get("title")
        .and_then(Value::as_str)
        .map_or_else(|| stem.to_string(), pascal_case);
    if let Some(Value::Object(properties)) = object.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            avoid_collisions(
                property,
                &format!("{stem}{}", pascal_case(name)),
                taken,
                false,
            );
        }
    }
    if let Some(items) = object.get_mut("items") {
        avoid_collisions(items, &format!("{stem}Item"), taken, false);
    }
}

/// Whether typify generates a named type for the schema (rather than using a
/// built-in type such as `String` or `Vec<T>`).
fn becomes_a_type(object: &serde_json::Map<String, Value>) -> bool {
    ["properties", "enum", "oneOf", "anyOf", "allOf"]
        .iter()
        .any(|keyword| object.contains_key(*keyword))
}

/// Rule: the names of inline types a component schema would generate are
/// kept from colliding with each other and with the components'.
pub(super) fn avoid_name_collisions(doc: &mut Value) {
    let mut taken: BTreeSet<String> = component_schemas(doc)
        .keys()
        .map(|name| pascal_case(name))
        .collect();
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        for (name, schema) in schemas.iter_mut() {
            avoid_collisions(schema, &pascal_case(name), &mut taken, true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn inline_schema_named_like_a_component_gets_a_title() {
        let mut taken = ["Transfer", "TransferAmount"].map(String::from).into();
        let mut transfer = json!({ "properties": {
            "amount": { "type": "object", "properties": { "value": { "type": "string" } } },
            "id": { "type": "string" }
        } });
        avoid_collisions(&mut transfer, "Transfer", &mut taken, true);
        assert_eq!(
            transfer["properties"]["amount"]["title"],
            "TransferAmountInline"
        );
        assert!(transfer["properties"]["id"].get("title").is_none());
    }

    #[test]
    fn references_and_free_names_are_untouched() {
        let mut taken = ["A", "AB"].map(String::from).into();
        let mut schema = json!({ "properties": {
            "b": { "$ref": "#/components/schemas/AB" },
            "c": { "properties": {} }
        } });
        let before = schema.clone();
        avoid_collisions(&mut schema, "A", &mut taken, true);
        assert_eq!(schema, before);
    }

    #[test]
    fn nested_and_titled_collisions_are_found() {
        let mut taken = ["Outer", "OuterInnerItem", "Named"]
            .map(String::from)
            .into();
        let mut schema = json!({ "properties": {
            "inner": { "type": "array", "items": { "enum": ["x"] } },
            "other": { "title": "Named", "properties": {} }
        } });
        avoid_collisions(&mut schema, "Outer", &mut taken, true);
        assert_eq!(
            schema["properties"]["inner"]["items"]["title"],
            "OuterInnerItemInline"
        );
        assert_eq!(schema["properties"]["other"]["title"], "NamedInline");
    }
}
