//! Secret properties become one named type.
//!
//! Generated types derive `Debug`, which would print an access token or a
//! payment session secret into any log. Properties the options name as
//! secret (by property name, wherever they occur) are replaced by a `$ref` to
//! one injected string schema, which the build replaces with a hand-written
//! type whose `Debug` redacts the value.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::schema::children;

/// The injected schema every secret property refers to.
pub fn secret_schema() -> Value {
    json!({
        "type": "string",
        "description": "A credential or session secret; never printed."
    })
}

/// Replaces, under `schema`, every string property whose name is in `names`
/// by a reference to `target`. Returns how many were replaced.
pub fn mark_secrets(schema: &mut Value, names: &BTreeSet<String>, target: &str) -> usize {
    let Value::Object(object) = schema else {
        return 0;
    };
    let mut replaced = 0;
    if let Some(Value::Object(properties)) = object.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            let is_string = property
                .get("type")
                .is_some_and(|t| t == "string" || t == &json!(["string"]));
            if names.contains(name) && is_string && property.get("enum").is_none() {
                *property = json!({ "$ref": target });
                replaced += 1;
            }
        }
    }
    for (child, _) in children(object, "") {
        replaced += mark_secrets(child, names, target);
    }
    replaced
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_string_properties_anywhere_become_references() {
        let names = ["access_token", "secret"].map(String::from).into();
        let mut schema = json!({ "type": "object", "properties": {
            "access_token": { "type": "string", "example": "x" },
            "expires_in": { "type": "integer" },
            "data": { "properties": { "secret": { "type": "string" }, "id": { "type": "string" } } },
            "list": { "items": { "properties": { "secret": { "type": "string" } } } }
        } });
        assert_eq!(
            mark_secrets(&mut schema, &names, "#/components/schemas/S"),
            3
        );
        let reference = json!({ "$ref": "#/components/schemas/S" });
        assert_eq!(schema["properties"]["access_token"], reference);
        assert_eq!(
            schema["properties"]["data"]["properties"]["secret"],
            reference
        );
        assert_eq!(
            schema["properties"]["data"]["properties"]["id"],
            json!({ "type": "string" })
        );
        assert_eq!(
            schema["properties"]["list"]["items"]["properties"]["secret"],
            reference
        );
    }

    #[test]
    fn non_string_and_enum_properties_are_left_alone() {
        let names = ["token"].map(String::from).into();
        let mut schema = json!({ "properties": {
            "token": { "type": "object" }
        } });
        assert_eq!(mark_secrets(&mut schema, &names, "#/S"), 0);
        let mut schema = json!({ "properties": { "token": { "type": "string", "enum": ["a"] } } });
        assert_eq!(mark_secrets(&mut schema, &names, "#/S"), 0);
    }
}
