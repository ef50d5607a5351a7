//! What changes between two versions of a spec, for the operations the
//! client binds, classified by what it does to a generated client.
//!
//! Operations are matched by operationId; schemas are compared with every
//! local `$ref` followed, so moving a schema into `components` is no change.
//! A schema change is judged by direction: the client writes request bodies
//! and reads response bodies, so a narrower request enum breaks it while a
//! narrower response enum does not, and the other way round for a wider one.

use std::collections::{BTreeMap, BTreeSet};

use openapi_doc::pointer::escape;
use openapi_doc::resolve::resolve_at;
use openapi_doc::spec::{Operation, Spec};
use serde_json::{Map, Value};

use crate::report::{Change, Class, ExtensionStatus, Report};

/// Which operations to compare.
pub enum Scope<'a> {
    /// Those with these operationIds.
    Bound(&'a [String]),
    /// Every operation of either spec.
    All,
}

/// Compares `old` and `new` for the operations in `scope`, and the extension
/// layer's `fragment` with `new`.
pub fn compare(old: &Spec, new: &Spec, scope: Scope<'_>, fragment: &Value) -> Report {
    let old_ops: BTreeMap<String, Operation> = old
        .operations()
        .into_iter()
        .map(|op| (op.id.clone(), op))
        .collect();
    let new_ops: BTreeMap<String, Operation> = new
        .operations()
        .into_iter()
        .map(|op| (op.id.clone(), op))
        .collect();
    let ids: BTreeSet<String> = match scope {
        Scope::Bound(ids) => ids.iter().cloned().collect(),
        Scope::All => old_ops.keys().chain(new_ops.keys()).cloned().collect(),
    };
    let mut changes = Vec::new();
    for id in &ids {
        match (old_ops.get(id), new_ops.get(id)) {
            (Some(before), Some(after)) => {
                Differ::new(old, new, id).operation(before, after, &mut changes)
            }
            (Some(before), None) => changes.push(Change {
                class: Class::Breaking,
                rule: "operation-removed",
                operation: id.clone(),
                old_pointer: before.pointer.clone(),
                new_pointer: String::new(),
                message: format!(
                    "{} {} is gone: its generated method disappears",
                    before.method, before.path
                ),
            }),
            (None, Some(after)) => changes.push(Change {
                class: Class::Compatible,
                rule: "operation-added",
                operation: id.clone(),
                old_pointer: String::new(),
                new_pointer: after.pointer.clone(),
                message: format!("new operation {} {}", after.method, after.path),
            }),
            (None, None) => {}
        }
    }
    changes.sort();
    Report {
        changes,
        extensions: extensions(new, fragment),
    }
}

fn extensions(new: &Spec, fragment: &Value) -> Vec<ExtensionStatus> {
    let Ok(base) = Spec::parse("openapi: 3.1.0\npaths: {}\n", "extension fragment") else {
        return Vec::new();
    };
    let mut ours = base.with_fragment(fragment);
    if let Some(components) = new.document.get("components").and_then(Value::as_object) {
        for (section, entries) in components {
            if section == "schemas" {
                continue;
            }
            ours.document["components"][section] = entries.clone();
        }
    }
    ours.operations()
        .into_iter()
        .map(|extension| match new.operation_by_id(&extension.id) {
            None => ExtensionStatus {
                operation: extension.id,
                status: "not-in-spec",
                differences: Vec::new(),
            },
            Some(theirs) => {
                let mut differences = Vec::new();
                Differ::new(&ours, new, &extension.id).operation(
                    &extension,
                    &theirs,
                    &mut differences,
                );
                differences.retain(|change| change.rule != "description-changed");
                differences.sort();
                ExtensionStatus {
                    status: if differences.is_empty() {
                        "can-retire"
                    } else {
                        "differs"
                    },
                    operation: extension.id,
                    differences,
                }
            }
        })
        .collect()
}

/// Which way a body travels, which decides what a change breaks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Request,
    Response,
}

struct Differ<'a> {
    old: &'a Spec,
    new: &'a Spec,
    operation: &'a str,
}

impl<'a> Differ<'a> {
    fn new(old: &'a Spec, new: &'a Spec, operation: &'a str) -> Self {
        Self {
            old,
            new,
            operation,
        }
    }

    fn push(
        &self,
        changes: &mut Vec<Change>,
        class: Class,
        rule: &'static str,
        old_pointer: &str,
        new_pointer: &str,
        message: String,
    ) {
        changes.push(Change {
            class,
            rule,
            operation: self.operation.to_string(),
            old_pointer: old_pointer.to_string(),
            new_pointer: new_pointer.to_string(),
            message,
        });
    }

    fn operation(&self, before: &Operation, after: &Operation, changes: &mut Vec<Change>) {
        if before.method != after.method || before.path != after.path {
            self.push(
                changes,
                Class::Breaking,
                "operation-moved",
                &before.pointer,
                &after.pointer,
                format!(
                    "{} {} is now {} {}",
                    before.method, before.path, after.method, after.path
                ),
            );
        }
        let old_params: BTreeMap<(String, String), bool> = before
            .parameters
            .iter()
            .map(|p| {
                (
                    (p.location.clone(), p.name.to_ascii_lowercase()),
                    p.required,
                )
            })
            .collect();
        for parameter in &after.parameters {
            let key = (
                parameter.location.clone(),
                parameter.name.to_ascii_lowercase(),
            );
            let pointer = format!("{}/parameters", after.pointer);
            match old_params.get(&key) {
                None if parameter.required => self.push(
                    changes,
                    Class::Breaking,
                    "parameter-added-required",
                    "",
                    &pointer,
                    format!(
                        "new required {} parameter {}: the generated builder needs a new argument",
                        parameter.location, parameter.name
                    ),
                ),
                None => self.push(
                    changes,
                    Class::Compatible,
                    "parameter-added-optional",
                    "",
                    &pointer,
                    format!(
                        "new optional {} parameter {}",
                        parameter.location, parameter.name
                    ),
                ),
                Some(false) if parameter.required => self.push(
                    changes,
                    Class::Breaking,
                    "parameter-made-required",
                    &format!("{}/parameters", before.pointer),
                    &pointer,
                    format!(
                        "{} parameter {} is now required",
                        parameter.location, parameter.name
                    ),
                ),
                _ => {}
            }
        }
        match (&before.request, &after.request) {
            (Some(old_body), Some(new_body)) => {
                if !old_body.required && new_body.required {
                    self.push(
                        changes,
                        Class::Breaking,
                        "request-body-made-required",
                        &format!("{}/requestBody", before.pointer),
                        &format!("{}/requestBody", after.pointer),
                        "the request body is now required".into(),
                    );
                }
                self.media(
                    &old_body.media_types,
                    &new_body.media_types,
                    Direction::Request,
                    changes,
                );
            }
            (None, Some(new_body)) if new_body.required => self.push(
                changes,
                Class::Breaking,
                "request-body-added-required",
                "",
                &format!("{}/requestBody", after.pointer),
                "a required request body appears".into(),
            ),
            (Some(_), None) => self.push(
                changes,
                Class::Compatible,
                "request-body-removed",
                &format!("{}/requestBody", before.pointer),
                "",
                "the request body is gone".into(),
            ),
            _ => {}
        }
        for (status, old_response) in &before.responses {
            match after.responses.get(status) {
                None => self.push(changes, Class::Breaking, "status-removed", &old_response.pointer, "", format!("status {status} is no longer documented: the client reports it as unexpected")),
                Some(new_response) => {
                    self.media(&old_response.media_types, &new_response.media_types, Direction::Response, changes);
                    for header in old_response.headers.keys() {
                        if !new_response.headers.contains_key(header) {
                            self.push(changes, Class::Breaking, "response-header-removed", &old_response.pointer, &new_response.pointer, format!("status {status} no longer documents header {header}"));
                        }
                    }
                }
            }
        }
        for (status, new_response) in &after.responses {
            if !before.responses.contains_key(status) {
                self.push(
                    changes,
                    Class::Compatible,
                    "status-added",
                    "",
                    &new_response.pointer,
                    format!("status {status} is newly documented"),
                );
            }
        }
    }

    fn media(
        &self,
        before: &BTreeMap<String, String>,
        after: &BTreeMap<String, String>,
        direction: Direction,
        changes: &mut Vec<Change>,
    ) {
        for (media, old_pointer) in before {
            match after.get(media) {
                None => self.push(
                    changes,
                    Class::Breaking,
                    "media-type-removed",
                    old_pointer,
                    "",
                    format!("media type {media} is gone"),
                ),
                Some(new_pointer) => {
                    let (Some(old_schema), Some(new_schema)) = (
                        self.old.document.pointer(old_pointer),
                        self.new.document.pointer(new_pointer),
                    ) else {
                        continue;
                    };
                    self.schema(
                        old_schema,
                        new_schema,
                        old_pointer,
                        new_pointer,
                        direction,
                        0,
                        changes,
                    );
                }
            }
        }
        for (media, new_pointer) in after {
            if !before.contains_key(media) {
                self.push(
                    changes,
                    Class::Compatible,
                    "media-type-added",
                    "",
                    new_pointer,
                    format!("media type {media} is new"),
                );
            }
        }
    }

    #[allow(
        clippy::too_many_arguments,
        reason = "the two sides of a recursive comparison"
    )]
    fn schema(
        &self,
        old: &Value,
        new: &Value,
        old_pointer: &str,
        new_pointer: &str,
        direction: Direction,
        depth: usize,
        changes: &mut Vec<Change>,
    ) {
        if depth > 24 {
            return;
        }
        let (old, old_pointer) = resolve_at(&self.old.document, old, old_pointer);
        let (new, new_pointer) = resolve_at(&self.new.document, new, new_pointer);
        let (Some(old_map), Some(new_map)) = (old.as_object(), new.as_object()) else {
            return;
        };
        let text = |map: &Map<String, Value>, key: &str| map.get(key).map(Value::to_string);
        if text(old_map, "type") != text(new_map, "type") {
            self.push(
                changes,
                Class::Breaking,
                "type-changed",
                &old_pointer,
                &new_pointer,
                format!(
                    "type {} is now {}",
                    text(old_map, "type").unwrap_or("any".into()),
                    text(new_map, "type").unwrap_or("any".into())
                ),
            );
        }
        if text(old_map, "format") != text(new_map, "format") {
            self.push(
                changes,
                Class::Breaking,
                "format-changed",
                &old_pointer,
                &new_pointer,
                format!(
                    "format {} is now {}",
                    text(old_map, "format").unwrap_or("none".into()),
                    text(new_map, "format").unwrap_or("none".into())
                ),
            );
        }
        self.enums(
            old_map,
            new_map,
            &old_pointer,
            &new_pointer,
            direction,
            changes,
        );
        self.properties(
            old_map,
            new_map,
            &old_pointer,
            &new_pointer,
            direction,
            depth,
            changes,
        );
        for keyword in ["oneOf", "anyOf", "allOf"] {
            let empty = Vec::new();
            let old_branches = old_map
                .get(keyword)
                .and_then(Value::as_array)
                .unwrap_or(&empty);
            let new_branches = new_map
                .get(keyword)
                .and_then(Value::as_array)
                .unwrap_or(&empty);
            for (index, (a, b)) in old_branches.iter().zip(new_branches).enumerate() {
                self.schema(
                    a,
                    b,
                    &format!("{old_pointer}/{keyword}/{index}"),
                    &format!("{new_pointer}/{keyword}/{index}"),
                    direction,
                    depth + 1,
                    changes,
                );
            }
            if new_branches.len() > old_branches.len() {
                let class = if direction == Direction::Response && keyword != "allOf" {
                    Class::Breaking
                } else {
                    Class::Compatible
                };
                self.push(
                    changes,
                    class,
                    "branch-added",
                    &old_pointer,
                    &new_pointer,
                    format!(
                        "{keyword} gains {} branch(es)",
                        new_branches.len() - old_branches.len()
                    ),
                );
            } else if new_branches.len() < old_branches.len() {
                let class = if direction == Direction::Request || keyword == "allOf" {
                    Class::Breaking
                } else {
                    Class::Compatible
                };
                self.push(
                    changes,
                    class,
                    "branch-removed",
                    &old_pointer,
                    &new_pointer,
                    format!(
                        "{keyword} loses {} branch(es)",
                        old_branches.len() - new_branches.len()
                    ),
                );
            }
        }
        if let (Some(a), Some(b)) = (old_map.get("items"), new_map.get("items")) {
            self.schema(
                a,
                b,
                &format!("{old_pointer}/items"),
                &format!("{new_pointer}/items"),
                direction,
                depth + 1,
                changes,
            );
        }
        if let (Some(a), Some(b)) = (
            old_map.get("additionalProperties"),
            new_map.get("additionalProperties"),
        ) && a.is_object()
            && b.is_object()
        {
            self.schema(
                a,
                b,
                &format!("{old_pointer}/additionalProperties"),
                &format!("{new_pointer}/additionalProperties"),
                direction,
                depth + 1,
                changes,
            );
        }
        let described = |map: &Map<String, Value>| {
            ["description", "title", "example", "examples", "summary"]
                .iter()
                .map(|k| map.get(*k).cloned())
                .collect::<Vec<_>>()
        };
        if described(old_map) != described(new_map) {
            self.push(
                changes,
                Class::Compatible,
                "description-changed",
                &old_pointer,
                &new_pointer,
                "description, title or example changed".into(),
            );
        }
    }

    fn enums(
        &self,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
        old_pointer: &str,
        new_pointer: &str,
        direction: Direction,
        changes: &mut Vec<Change>,
    ) {
        let values = |map: &Map<String, Value>| {
            map.get("enum")
                .and_then(Value::as_array)
                .map(|v| v.iter().map(Value::to_string).collect::<BTreeSet<_>>())
        };
        let join = |set: BTreeSet<&String>| set.into_iter().cloned().collect::<Vec<_>>().join(", ");
        let (narrowed, widened) = match (values(old), values(new)) {
            (None, Some(new)) => (
                Some(format!(
                    "values are now limited to an enum: {}",
                    join(new.iter().collect())
                )),
                None,
            ),
            (Some(_), None) => (
                None,
                Some("the enum is gone: any value is allowed".to_string()),
            ),
            (Some(old), Some(new)) => {
                let removed: BTreeSet<&String> = old.difference(&new).collect();
                let added: BTreeSet<&String> = new.difference(&old).collect();
                (
                    (!removed.is_empty()).then(|| format!("enum loses {}", join(removed))),
                    (!added.is_empty()).then(|| format!("enum gains {}", join(added))),
                )
            }
            (None, None) => (None, None),
        };
        // Narrower breaks what the client sends; wider breaks what it reads.
        let breaking_in = |breaking: Direction| {
            if direction == breaking {
                Class::Breaking
            } else {
                Class::Compatible
            }
        };
        if let Some(message) = narrowed {
            self.push(
                changes,
                breaking_in(Direction::Request),
                "enum-narrowed",
                old_pointer,
                new_pointer,
                message,
            );
        }
        if let Some(message) = widened {
            self.push(
                changes,
                breaking_in(Direction::Response),
                "enum-widened",
                old_pointer,
                new_pointer,
                message,
            );
        }
    }

    #[allow(
        clippy::too_many_arguments,
        reason = "the two sides of a recursive comparison"
    )]
    fn properties(
        &self,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
        old_pointer: &str,
        new_pointer: &str,
        direction: Direction,
        depth: usize,
        changes: &mut Vec<Change>,
    ) {
        let empty = Map::new();
        let old_props = old
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let new_props = new
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let required = |map: &Map<String, Value>| -> BTreeSet<String> {
            map.get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        };
        let (old_required, new_required) = (required(old), required(new));
        for (name, old_property) in old_props {
            let old_at = format!("{old_pointer}/properties/{}", escape(name));
            match new_props.get(name) {
                None => {
                    let (class, rule, message) = match direction {
                        Direction::Response => (
                            Class::Breaking,
                            "response-property-removed",
                            format!(
                                "response property {name} is gone: its generated field disappears"
                            ),
                        ),
                        Direction::Request => (
                            Class::Compatible,
                            "request-property-removed",
                            format!("request property {name} is gone"),
                        ),
                    };
                    self.push(changes, class, rule, &old_at, "", message);
                }
                Some(new_property) => {
                    let new_at = format!("{new_pointer}/properties/{}", escape(name));
                    if direction == Direction::Response
                        && old_required.contains(name)
                        && !new_required.contains(name)
                    {
                        self.push(changes, Class::Breaking, "response-property-made-optional", &old_at, &new_at, format!("response property {name} is no longer required: its generated field becomes an Option"));
                    }
                    if direction == Direction::Request
                        && !old_required.contains(name)
                        && new_required.contains(name)
                    {
                        self.push(
                            changes,
                            Class::Breaking,
                            "request-property-made-required",
                            &old_at,
                            &new_at,
                            format!("request property {name} is now required"),
                        );
                    }
                    self.schema(
                        old_property,
                        new_property,
                        &old_at,
                        &new_at,
                        direction,
                        depth + 1,
                        changes,
                    );
                }
            }
        }
        for name in new_props
            .keys()
            .filter(|name| !old_props.contains_key(*name))
        {
            let new_at = format!("{new_pointer}/properties/{}", escape(name));
            let (class, rule, message) = match (direction, new_required.contains(name)) {
                (Direction::Request, true) => (
                    Class::Breaking,
                    "request-property-added-required",
                    format!("new required request property {name}: every request must now send it"),
                ),
                (Direction::Request, false) => (
                    Class::Compatible,
                    "request-property-added-optional",
                    format!("new optional request property {name}"),
                ),
                (Direction::Response, true) => (
                    Class::Compatible,
                    "response-property-added",
                    format!("new required response property {name}"),
                ),
                (Direction::Response, false) => (
                    Class::Compatible,
                    "response-property-added",
                    format!("new optional response property {name}"),
                ),
            };
            self.push(changes, class, rule, "", &new_at, message);
        }
    }
}
