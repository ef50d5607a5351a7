//! Names that collide once converted to Rust, and definitions rustc or
//! serde cannot live with.
//!
//! progenitor and typify turn spec names into Rust identifiers (snake case
//! for methods and fields, Pascal case for types, `_` after a keyword), so
//! `getThing` and `get-thing`, or schemas `foo` and `FOO`, or properties
//! `a-b` and `a b`, become one identifier and the code does not compile. A
//! schema named like a type the generated code uses unqualified (`Default`,
//! `Ok`, `String`) shadows it. A schema that is only a `$ref` to itself
//! (directly or round a cycle) is a type with no values, and decoding one
//! recurses without end. The rules here, each with a [`Note`]:
//! - schemas: the first (in key order) keeps its name, a later one
//!   whose type name is taken (or reserved) is renamed `<Name>Schema`
//!   (`<Name>Schema2`, …) and every `$ref` to it follows;
//! - properties: the first keeps its field, a later one whose field name is
//!   taken is left out of the generated type (its value is ignored);
//! - a `$ref` cycle becomes any JSON value.
//!
//! Operations whose method names collide are skipped by the caller, which
//! also uses [`snake_ident`] for the method names it reports.

use std::collections::{BTreeMap, BTreeSet};

use openapi_doc::pointer;
use serde_json::{Map, Value, json};

use crate::report::Note;

/// Words progenitor and typify do not take as identifiers (they append `_`).
const KEYWORDS: &[&str] = &[
    "_", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "Self", "self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names the generated code uses unqualified (the prelude, progenitor's
/// own items and modules), which a schema of that name would shadow.
const RESERVED_TYPES: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "ByteStream",
    "Client",
    "ClientHooks",
    "ClientInfo",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Deserialize",
    "Drop",
    "Eq",
    "Err",
    "Error",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "OperationInfo",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "RequestBuilderExt",
    "ResponseValue",
    "Result",
    "Send",
    "Serialize",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// An identifier as progenitor and typify make one: characters that cannot
/// be in one become word breaks, the case is converted, a leading digit gets
/// `_` before it and a keyword `_` after it.
fn ident(name: &str, case: fn(&str) -> String) -> String {
    let cleaned: String = name
        .replace('\'', "")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let converted = case(&cleaned);
    let converted = match converted.chars().next() {
        None => case("x"),
        Some(c) if c.is_alphabetic() || c == '_' => converted,
        Some(_) => format!("_{converted}"),
    };
    if KEYWORDS.contains(&converted.as_str()) {
        format!("{converted}_")
    } else {
        converted
    }
}

/// The snake-case identifier of a method or field named `name`.
pub(super) fn snake_ident(name: &str) -> String {
    ident(name, heck::ToSnakeCase::to_snake_case)
}

/// The Pascal-case identifier of a type named `name`.
fn type_ident(name: &str) -> String {
    ident(name, heck::ToPascalCase::to_pascal_case)
}

/// Renames the component schemas whose type names collide or are reserved,
/// and points every `$ref` to them at their new names.
/// `injected` names the schemas the generator adds.
pub(super) fn rename_schemas(doc: &mut Value, injected: &[&String], notes: &mut Vec<Note>) {
    let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
        return;
    };
    let mut taken: BTreeMap<String, String> = RESERVED_TYPES
        .iter()
        .map(std::string::ToString::to_string)
        .chain(injected.iter().map(|name| type_ident(name)))
        .map(|name| (name, String::new()))
        .collect();
    let mut losers = Vec::new();
    for name in schemas.keys() {
        let wanted = type_ident(name);
        match taken.get(&wanted) {
            Some(holder) => losers.push((name.clone(), wanted, holder.clone())),
            None => {
                taken.insert(wanted, name.clone());
            }
        }
    }
    let mut renames = BTreeMap::new();
    for (name, wanted, holder) in losers {
        let mut candidate = format!("{wanted}Schema");
        let mut counter = 2;
        while taken.contains_key(&type_ident(&candidate)) || schemas.contains_key(&candidate) {
            candidate = format!("{wanted}Schema{counter}");
            counter += 1;
        }
        taken.insert(type_ident(&candidate), candidate.clone());
        let why = if holder.is_empty() {
            format!("`{wanted}` is a name the generated code uses")
        } else {
            format!("its Rust name `{wanted}` is taken by schema `{holder}`")
        };
        notes.push(Note {
            pointer: pointer::join("/components/schemas", &name),
            message: format!("generated as type `{candidate}`: {why}"),
        });
        renames.insert(name, candidate);
    }
    if renames.is_empty() {
        return;
    }
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        for (old, new) in &renames {
            if let Some(schema) = schemas.remove(old) {
                schemas.insert(new.clone(), schema);
            }
        }
    }
    let refs: BTreeMap<String, String> = renames
        .iter()
        .map(|(old, new)| (schema_ref(old), schema_ref(new)))
        .collect();
    retarget_refs(doc, &refs);
}

fn schema_ref(name: &str) -> String {
    format!("#{}", pointer::join("/components/schemas", name))
}

/// Points every `$ref` that names (or points inside) a key of `refs` at its
/// value.
fn retarget_refs(value: &mut Value, refs: &BTreeMap<String, String>) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(target)) = object.get_mut("$ref") {
                let moved = refs.iter().find_map(|(old, new)| {
                    let rest = target.strip_prefix(old.as_str())?;
                    (rest.is_empty() || rest.starts_with('/')).then(|| format!("{new}{rest}"))
                });
                if let Some(moved) = moved {
                    *target = moved;
                }
            }
            object
                .values_mut()
                .for_each(|inner| retarget_refs(inner, refs));
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|inner| retarget_refs(inner, refs)),
        _ => {}
    }
}

/// Replaces each component schema that is only a `$ref` leading round a
/// cycle of such schemas by any JSON value.
pub(super) fn break_alias_cycles(doc: &mut Value, notes: &mut Vec<Note>) {
    let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else {
        return;
    };
    let alias_of = |schema: &Value| -> Option<String> {
        let object = schema.as_object()?;
        let target = object.get("$ref")?.as_str()?;
        let name = target.strip_prefix("#/components/schemas/")?;
        (!name.contains('/')).then(|| pointer::unescape(name))
    };
    let aliases: BTreeMap<String, String> = schemas
        .iter()
        .filter_map(|(name, schema)| Some((name.clone(), alias_of(schema)?)))
        .collect();
    for start in aliases.keys() {
        let mut seen = BTreeSet::from([start.as_str()]);
        let mut current = start.as_str();
        let cycles = loop {
            match aliases.get(current) {
                Some(next) if next == start => break true,
                Some(next) if seen.insert(next.as_str()) => current = next,
                _ => break false,
            }
        };
        if cycles && let Some(schema) = schemas.get_mut(start) {
            *schema = json!({});
            notes.push(Note {
                pointer: pointer::join("/components/schemas", start),
                message:
                    "a `$ref` that leads back to itself names no value; generated as any JSON value"
                        .into(),
            });
        }
    }
}

/// Leaves out of `schema` (at `at`), at any depth, each property whose field
/// name an earlier property of the same object already has.
pub(super) fn drop_colliding_properties(schema: &mut Value, at: &str, notes: &mut Vec<Note>) {
    let Value::Object(object) = schema else {
        return;
    };
    if let Some(Value::Object(properties)) = object.get_mut("properties") {
        let dropped = drop_collisions(properties, at, notes);
        if let Some(Value::Array(required)) = object.get_mut("required") {
            required.retain(|name| name.as_str().is_none_or(|name| !dropped.contains(name)));
        }
    }
    for (keyword, inner) in object.iter_mut() {
        let at = pointer::join(at, keyword);
        match (keyword.as_str(), inner) {
            ("properties" | "$defs" | "definitions", Value::Object(map)) => {
                for (name, value) in map.iter_mut() {
                    drop_colliding_properties(value, &pointer::join(&at, name), notes);
                }
            }
            ("allOf" | "anyOf" | "oneOf" | "prefixItems", Value::Array(list)) => {
                for (index, value) in list.iter_mut().enumerate() {
                    drop_colliding_properties(
                        value,
                        &pointer::join(&at, &index.to_string()),
                        notes,
                    );
                }
            }
            ("items" | "additionalProperties" | "not", value) => {
                drop_colliding_properties(value, &at, notes);
            }
            _ => {}
        }
    }
}

/// Removes the later of each pair of `properties` with one field name, and
/// returns the names removed.
fn drop_collisions(
    properties: &mut Map<String, Value>,
    at: &str,
    notes: &mut Vec<Note>,
) -> BTreeSet<String> {
    let mut fields: BTreeMap<String, String> = BTreeMap::new();
    let mut dropped = BTreeSet::new();
    for name in properties.keys() {
        let field = snake_ident(name);
        match fields.get(&field) {
            Some(holder) => {
                notes.push(Note {
                    pointer: pointer::join(&pointer::join(at, "properties"), name),
                    message: format!(
                        "its Rust field `{field}` is taken by property `{holder}`; left out of the generated type (its value is ignored)"
                    ),
                });
                dropped.insert(name.clone());
            }
            None => {
                fields.insert(field, name.clone());
            }
        }
    }
    properties.retain(|name, _| !dropped.contains(name));
    dropped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_follow_progenitor() {
        assert_eq!(
            snake_ident("createApplicationAccessToken"),
            "create_application_access_token"
        );
        assert_eq!(snake_ident("getKBA.questions"), "get_kba_questions");
        assert_eq!(snake_ident("2fa"), "_2fa");
        assert_eq!(snake_ident("type"), "type_");
        assert_eq!(snake_ident("a b"), snake_ident("a-b"));
        assert_eq!(type_ident("FOO"), type_ident("foo"));
    }

    #[test]
    fn refs_inside_a_renamed_schema_follow_it() {
        let mut doc = json!({ "components": { "schemas": {
            "Foo": { "type": "object" },
            "foo": { "properties": { "x": { "$ref": "#/components/schemas/foo/properties/y" } } },
            "Other": { "$ref": "#/components/schemas/foo" },
            "Foobar": { "type": "string" }
        } } });
        let mut notes = Vec::new();
        rename_schemas(&mut doc, &[], &mut notes);
        let schemas = &doc["components"]["schemas"];
        assert!(schemas.get("foo").is_none(), "{doc}");
        assert_eq!(schemas["Foo"]["type"], "object");
        assert_eq!(schemas["Other"]["$ref"], "#/components/schemas/FooSchema");
        assert_eq!(
            schemas["FooSchema"]["properties"]["x"]["$ref"],
            "#/components/schemas/FooSchema/properties/y"
        );
        assert_eq!(schemas["Foobar"]["type"], "string");
        assert_eq!(notes.len(), 1, "{notes:?}");
    }
}
