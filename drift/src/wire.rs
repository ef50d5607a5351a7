//! Wire-level drift: what a client built from OLD sends and reads, against
//! a server that follows NEW.
//!
//! Per operation (matched by operationId): method and path, the auth scheme
//! the client sends (from the effective security requirement, as the
//! generator resolves it), request and response media types, success
//! statuses, required parameters, and whether the bodies still decode
//! ([`crate::decode`]). Header parameters named `Accept`, `Content-Type` or
//! `Authorization` are no parameters (OpenAPI says to ignore them). Error
//! responses all decode into the client's `DwollaErrorBody`, so a reshaped
//! 4xx/5xx schema has no effect on it.

use std::collections::{BTreeMap, BTreeSet};

use dwolla_codegen::profile::is_token_operation;
use dwolla_codegen::{AuthScheme, OperationSummary};
use openapi_doc::media::{essence, is_json_like};
use openapi_doc::pointer::local_ref_pointer;
use openapi_doc::spec::{METHODS, Operation, Spec};
use serde_json::Value;

use crate::decode::{Decoder, Direction, Problem};
use crate::generated::Side;
use crate::report::{Class, Finding};

const IGNORED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

/// The wire findings for every operation of the client built from OLD, and
/// the auth findings of the operations NEW adds.
pub fn diff(old: &Side, new: &Side) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut decoder = Decoder::new(&old.surface, &new.surface);
    for before in &old.generated.operations {
        let id = &before.operation_id;
        let Some(after) = new.operation(id) else {
            if !new
                .generated
                .operations
                .iter()
                .any(|o| o.method == before.method && o.path == before.path)
            {
                findings.push(Finding::new(
                    Class::WireBreaking,
                    "operation-removed",
                    id,
                    format!(
                        "NEW has no {} {}, which the client calls",
                        before.method, before.path
                    ),
                ));
            }
            continue;
        };
        let mut found = Vec::new();
        facts(before, after, &mut found);
        statuses_and_parameters(old, new, id, &mut found);
        media_types(old, new, before, &mut found);
        bodies(old, new, before, &mut decoder, &mut found);
        findings.extend(
            found
                .into_iter()
                .map(|(class, rule, message)| Finding::new(class, rule, id, message)),
        );
    }
    for added in new
        .generated
        .operations
        .iter()
        .filter(|o| old.operation(&o.operation_id).is_none())
    {
        if let AuthScheme::Unsupported(why) = &added.auth {
            findings.push(Finding::new(
                Class::Compatible,
                "auth-scheme-unsupported",
                &added.operation_id,
                format!("a new operation the client built from NEW refuses to call: {why}"),
            ));
        }
    }
    findings
}

type Change = (Class, &'static str, String);

fn facts(before: &OperationSummary, after: &OperationSummary, found: &mut Vec<Change>) {
    if (before.method.as_str(), before.path.as_str())
        != (after.method.as_str(), after.path.as_str())
    {
        found.push((
            Class::WireBreaking,
            "operation-moved",
            format!(
                "the client sends {} {}; NEW has it at {} {}",
                before.method, before.path, after.method, after.path
            ),
        ));
    }
    if before.auth == after.auth {
        return;
    }
    if is_token_operation(before) {
        found.push((
            Class::NoEffect,
            "auth-scheme-ignored",
            format!(
                "NEW names {}; the client sends HTTP Basic to POST /token whatever the spec says (OAuth 2.0 client credentials)",
                auth(&after.auth)
            ),
        ));
        return;
    }
    let rule = match &after.auth {
        AuthScheme::Unsupported(_) => "auth-scheme-unsupported",
        _ => "auth-scheme-changed",
    };
    found.push((
        Class::WireBreaking,
        rule,
        format!(
            "the client sends {}; NEW wants {}",
            auth(&before.auth),
            auth(&after.auth)
        ),
    ));
}

fn auth(scheme: &AuthScheme) -> String {
    match scheme {
        AuthScheme::Basic => "HTTP Basic".into(),
        AuthScheme::Bearer => "a bearer token".into(),
        AuthScheme::None => "no credentials".into(),
        AuthScheme::Unsupported(why) => format!("what it cannot send ({why})"),
    }
}

/// The normalized operation object with operationId `id`.
fn normalized<'a>(side: &'a Side, id: &str) -> Option<&'a serde_json::Map<String, Value>> {
    side.generated
        .document
        .get("paths")?
        .as_object()?
        .values()
        .filter_map(Value::as_object)
        .flat_map(|item| item.iter().filter(|(m, _)| METHODS.contains(&m.as_str())))
        .filter_map(|(_, op)| op.as_object())
        .find(|op| op.get("operationId").and_then(Value::as_str) == Some(id))
}

fn success_statuses(op: &serde_json::Map<String, Value>) -> BTreeSet<String> {
    op.get("responses")
        .and_then(Value::as_object)
        .map(|r| r.keys().filter(|s| s.starts_with('2')).cloned().collect())
        .unwrap_or_default()
}

/// Required parameters by `(in, name)`, the ignored headers left out.
fn required_parameters(op: &serde_json::Map<String, Value>) -> BTreeSet<(String, String)> {
    op.get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|p| p.get("required") == Some(&Value::Bool(true)))
        .filter_map(|p| {
            Some((
                p.get("in")?.as_str()?.to_string(),
                p.get("name")?.as_str()?.to_string(),
            ))
        })
        .filter(|(at, name)| {
            !(at == "header" && IGNORED_HEADERS.contains(&name.to_ascii_lowercase().as_str()))
                && at != "path"
        })
        .collect()
}

fn statuses_and_parameters(old: &Side, new: &Side, id: &str, found: &mut Vec<Change>) {
    let (Some(before), Some(after)) = (normalized(old, id), normalized(new, id)) else {
        return;
    };
    let known = success_statuses(before);
    for status in success_statuses(after).difference(&known) {
        found.push((
            Class::WireBreaking,
            "success-status-added",
            format!("NEW may answer {status}; the client built from OLD expects {} and treats {status} as unexpected", known.iter().cloned().collect::<Vec<_>>().join(" or ")),
        ));
    }
    let sent = required_parameters(before);
    for (at, name) in required_parameters(after).difference(&sent) {
        found.push((
            Class::WireBreaking,
            "required-parameter-added",
            format!("NEW requires the {at} parameter `{name}`, which the client built from OLD need not send"),
        ));
    }
}

fn json_types<'a>(media: impl Iterator<Item = &'a String>) -> BTreeSet<String> {
    media
        .filter(|m| is_json_like(m))
        .map(|m| essence(m))
        .collect()
}

fn media_types(old: &Side, new: &Side, before: &OperationSummary, found: &mut Vec<Change>) {
    let (Some(a), Some(b)) = (
        old.spec.operation_by_id(&before.operation_id),
        new.spec.operation_by_id(&before.operation_id),
    ) else {
        return;
    };
    let sent = json_types(a.request.iter().flat_map(|r| r.media_types.keys()));
    let accepted = json_types(b.request.iter().flat_map(|r| r.media_types.keys()));
    if !sent.is_empty() && !accepted.is_empty() && sent.is_disjoint(&accepted) {
        found.push((
            Class::WireBreaking,
            "request-media-type-changed",
            format!(
                "NEW accepts {}; the client sends {}",
                list(&accepted),
                list(&sent)
            ),
        ));
    }
    let read = json_types(success_media(&a));
    let answered = json_types(success_media(&b));
    if !read.is_empty() && !answered.is_empty() && read.is_disjoint(&answered) {
        found.push((
            Class::WireBreaking,
            "response-media-type-changed",
            format!(
                "NEW answers {}; the client asks for {} (`Accept: {}`)",
                list(&answered),
                list(&read),
                before.accept
            ),
        ));
    }
    error_reshapes(old, new, &a, &b, found);
}

fn success_media(op: &Operation) -> impl Iterator<Item = &String> {
    op.responses
        .iter()
        .filter(|(status, _)| status.starts_with('2'))
        .flat_map(|(_, r)| r.media_types.keys())
}

fn list(types: &BTreeSet<String>) -> String {
    types
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A reshaped error body has no effect: every error decodes into
/// `DwollaErrorBody`.
fn error_reshapes(old: &Side, new: &Side, a: &Operation, b: &Operation, found: &mut Vec<Change>) {
    for (status, before) in a.responses.iter().filter(|(s, _)| !s.starts_with('2')) {
        let Some(after) = b.responses.get(status) else {
            continue;
        };
        let digest = |side: &Side, media: &BTreeMap<String, String>| -> BTreeMap<String, Value> {
            media
                .iter()
                .map(|(m, p)| (essence(m), shape(&side.spec, p, &mut Vec::new())))
                .collect()
        };
        if digest(old, &before.media_types) != digest(new, &after.media_types) {
            found.push((
                Class::NoEffect,
                "error-body-reshaped",
                format!("the {status} body changed shape; errors decode into DwollaErrorBody, so the client reads it as before"),
            ));
        }
    }
}

fn bodies(
    old: &Side,
    new: &Side,
    before: &OperationSummary,
    decoder: &mut Decoder<'_>,
    found: &mut Vec<Change>,
) {
    let builder = before.builder_name();
    let (Some(a), Some(b)) = (
        old.surface.builders.get(&builder),
        new.surface.builders.get(&builder),
    ) else {
        return;
    };
    for (name, sent) in &a.arguments {
        let Some(accepted) = b.arguments.get(name) else {
            continue;
        };
        let problems = decoder.check(Direction::Request, sent, accepted);
        if !problems.is_empty() {
            found.push((
                Class::WireBreaking,
                "request-refused",
                format!(
                    "NEW refuses what the client sends as `{name}`: {}",
                    describe(&problems)
                ),
            ));
        }
    }
    let problems = decoder.check(Direction::Response, &a.success, &b.success);
    if !problems.is_empty() {
        found.push((
            Class::WireBreaking,
            "response-undecodable",
            format!(
                "the client cannot decode what NEW answers (`{}`): {}",
                a.success,
                describe(&problems)
            ),
        ));
    }
}

fn describe(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| {
            if p.at.is_empty() {
                p.why.clone()
            } else {
                format!("`{}` {}", p.at, p.why)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// What the schema at `pointer` accepts: `$ref`s followed (a reference back
/// into one being expanded stays a reference), annotations (`description`,
/// `title`, examples, `x-` extensions) left out.
fn shape(spec: &Spec, pointer: &str, expanding: &mut Vec<String>) -> Value {
    let Some(schema) = spec.document.pointer(pointer) else {
        return Value::Null;
    };
    let annotation = |key: &str| {
        matches!(key, "description" | "title" | "example" | "examples") || key.starts_with("x-")
    };
    let in_properties = pointer.ends_with("/properties");
    match schema {
        Value::Object(object) => {
            if let Some(target) = object
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(local_ref_pointer)
            {
                if expanding.iter().any(|p| p == target) {
                    return Value::String(format!("recursive {target}"));
                }
                expanding.push(target.to_string());
                let expanded = shape(spec, target, expanding);
                expanding.pop();
                return expanded;
            }
            Value::Object(
                object
                    .keys()
                    .filter(|key| in_properties || !annotation(key))
                    .map(|key| {
                        (
                            key.clone(),
                            shape(spec, &openapi_doc::pointer::join(pointer, key), expanding),
                        )
                    })
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(
            (0..items.len())
                .map(|i| shape(spec, &format!("{pointer}/{i}"), expanding))
                .collect(),
        ),
        other => other.clone(),
    }
}
