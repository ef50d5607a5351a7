//! Walking a document as the rules need: its operations, its top-level
//! schemas, a response's schemas; removing operations; making sure an object
//! is there.

use openapi_doc::pointer;
use openapi_doc::spec::METHODS;
use serde_json::{Map, Value, json};

pub(super) fn component_schemas(doc: &Value) -> Map<String, Value> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// The body and header schemas of one response.
pub(super) fn response_schemas_mut(response: &mut Value) -> Vec<&mut Value> {
    let mut found = Vec::new();
    let Some(response) = response.as_object_mut() else {
        return found;
    };
    for (key, value) in response.iter_mut() {
        let Some(entries) = value.as_object_mut() else {
            continue;
        };
        if key == "content" || key == "headers" {
            for entry in entries.values_mut() {
                if let Some(schema) = entry.get_mut("schema") {
                    found.push(schema);
                }
            }
        }
    }
    found
}

/// Every `(path, method, operation)` of the document.
pub(super) fn operations_mut(
    doc: &mut Value,
) -> impl Iterator<Item = (String, String, &mut Map<String, Value>)> {
    doc.get_mut("paths")
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|paths| paths.iter_mut())
        .filter_map(|(path, item)| Some((path.clone(), item.as_object_mut()?)))
        .flat_map(|(path, item)| {
            item.iter_mut()
                .filter(|(method, _)| METHODS.contains(&method.as_str()))
                .filter_map(move |(method, op)| {
                    Some((path.clone(), method.clone(), op.as_object_mut()?))
                })
        })
}

/// Removes the `(path, method)` operations from `doc`; a path item left
/// without operations is dropped too.
pub(super) fn remove_operations(
    doc: &mut Value,
    removed: impl IntoIterator<Item = (String, String)>,
) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    for (path, method) in removed {
        if let Some(Value::Object(item)) = paths.get_mut(&path) {
            item.remove(&method);
        }
    }
    paths.retain(|_, item| {
        item.as_object()
            .is_some_and(|item| item.keys().any(|k| METHODS.contains(&k.as_str())))
    });
}

/// Calls `visit` with every top-level schema of the document (component
/// schemas, parameter, body and response schemas) and its pointer.
pub(super) fn for_each_schema_root(doc: &mut Value, mut visit: impl FnMut(&mut Value, &str)) {
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        for (name, schema) in schemas.iter_mut() {
            visit(schema, &pointer::join("/components/schemas", name));
        }
    }
    for (path, method, op) in operations_mut(doc) {
        let at = pointer::join(&pointer::join("/paths", &path), &method);
        if let Some(Value::Array(parameters)) = op.get_mut("parameters") {
            for (index, parameter) in parameters.iter_mut().enumerate() {
                if let Some(schema) = parameter.get_mut("schema") {
                    visit(schema, &format!("{at}/parameters/{index}/schema"));
                }
            }
        }
        if let Some(Value::Object(content)) = op
            .get_mut("requestBody")
            .and_then(|body| body.get_mut("content"))
        {
            for (media, entry) in content.iter_mut() {
                if let Some(schema) = entry.get_mut("schema") {
                    visit(
                        schema,
                        &format!("{at}/requestBody/content/{}/schema", pointer::escape(media)),
                    );
                }
            }
        }
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            for (status, response) in responses.iter_mut() {
                let response_at = format!("{at}/responses/{status}");
                for schema in response_schemas_mut(response) {
                    visit(schema, &response_at);
                }
            }
        }
    }
}

pub(super) fn ensure_object<'a>(doc: &'a mut Value, path: &[&str]) -> &'a mut Map<String, Value> {
    let mut current = doc;
    for key in path {
        let object = match current {
            Value::Object(object) => object,
            other => {
                *other = json!({});
                other.as_object_mut().expect("just made an object")
            }
        };
        current = object.entry(key.to_string()).or_insert_with(|| json!({}));
        if !current.is_object() {
            *current = json!({});
        }
    }
    match current {
        Value::Object(object) => object,
        _ => unreachable!("ensured an object above"),
    }
}
