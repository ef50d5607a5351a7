//! Wire-level drift: what a client built from OLD sends and reads, against
//! a server that follows NEW.
//!
//! Per operation pair ([`crate::pairing`]): method and path shape, the
//! effective security requirement ([`crate::security`]), required
//! parameters, media types, success statuses, and whether the bodies still
//! decode ([`crate::decode`]). Header parameters named `Accept`,
//! `Content-Type` or `Authorization` are no parameters (OpenAPI says to
//! ignore them); path parameters are compared by position, not name.
//! Error responses all decode into the client's `DwollaErrorBody`, so a
//! reshaped 4xx/5xx schema has no effect on it. `POST /token` is judged by
//! the hand-written fetch that really sends it ([`crate::token`]).

use std::collections::{BTreeMap, BTreeSet};

use dwolla_codegen::OperationSummary;
use dwolla_codegen::profile::{JSON_BODY_MEDIA_TYPE, is_token_operation};
use openapi_doc::media::{essence, is_json_like};
use openapi_doc::pointer::local_ref_pointer;
use openapi_doc::spec::{Operation, Spec};
use serde_json::{Map, Value};

use crate::decode::{Decoder, Direction, Problem};
use crate::generated::Side;
use crate::group::{Change, grouped};
use crate::pairing::{Pair, path_shape};
use crate::report::{Class, Finding};
use crate::{security, token};

const IGNORED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

/// The wire findings of every operation pair.
pub fn diff(old: &Side, new: &Side, pairs: &[Pair<'_>]) -> Vec<Finding> {
    let mut decoder = Decoder::new(&old.surface, &new.surface);
    let mut findings = Vec::new();
    for pair in pairs {
        let changes = match (pair.old, pair.new) {
            (Some(before), Some(after)) if is_token_operation(before) => {
                let generic = operation(old, new, before, after, &mut decoder);
                token::judge(old, new, before, after, generic)
            }
            (Some(before), Some(after)) => {
                let mut changes = security::compare(old, new, before, after);
                changes.extend(operation(old, new, before, after, &mut decoder));
                changes
            }
            (Some(before), None) => removed(new, before).into_iter().collect(),
            (None, Some(added)) => security::added(added).into_iter().collect(),
            (None, None) => Vec::new(),
        };
        findings.extend(grouped(pair.id(), changes).map(|f| f.about(pair.ids())));
    }
    findings
}

/// The generic wire comparison of one operation: everything but security.
pub fn operation(
    old: &Side,
    new: &Side,
    before: &OperationSummary,
    after: &OperationSummary,
    decoder: &mut Decoder<'_>,
) -> Vec<Change> {
    let mut changes = Vec::new();
    if before.method != after.method || path_shape(&before.path) != path_shape(&after.path) {
        changes.push(Change::new(
            Class::WireBreaking,
            "operation-moved",
            "",
            format!(
                "the client sends {} {}; NEW has it at {} {}",
                before.method, before.path, after.method, after.path
            ),
        ));
    }
    if let (Some(a), Some(b)) = (
        old.normalized(&before.operation_id),
        new.normalized(&after.operation_id),
    ) {
        changes.extend(statuses_and_parameters(a, b));
    }
    if let (Some(a), Some(b)) = (
        old.spec_operation(&before.operation_id),
        new.spec_operation(&after.operation_id),
    ) {
        changes.extend(media_types(a, b, before));
        changes.extend(error_reshapes(old, new, a, b));
    }
    changes.extend(bodies(old, new, before, after, decoder));
    changes
}

/// OLD's operation is not in NEW: wire-breaking, unless NEW still has it
/// and only the generator leaves it out (the server still answers it).
fn removed(new: &Side, before: &OperationSummary) -> Option<Change> {
    new.skipped(&before.method, &before.path)
        .is_none()
        .then(|| {
            Change::new(
                Class::WireBreaking,
                "operation-removed",
                "",
                format!(
                    "NEW has no {} {}, which the client built from OLD calls",
                    before.method, before.path
                ),
            )
        })
}

fn success_statuses(op: &Map<String, Value>) -> BTreeSet<String> {
    op.get("responses")
        .and_then(Value::as_object)
        .map(|r| r.keys().filter(|s| s.starts_with('2')).cloned().collect())
        .unwrap_or_default()
}

/// Required parameters by `(in, name)`, the ignored headers and the path
/// parameters (compared by the path's shape) left out.
fn required_parameters(op: &Map<String, Value>) -> BTreeSet<(String, String)> {
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

fn statuses_and_parameters(before: &Map<String, Value>, after: &Map<String, Value>) -> Vec<Change> {
    let known = success_statuses(before);
    let mut changes: Vec<Change> = success_statuses(after)
        .difference(&known)
        .map(|status| {
            Change::new(
                Class::WireBreaking,
                "success-status-added",
                format!("`{status}`"),
                format!(
                    "NEW may answer {status}; the client built from OLD expects {} and treats {status} as unexpected",
                    known.iter().cloned().collect::<Vec<_>>().join(" or ")
                ),
            )
        })
        .collect();
    let sent = required_parameters(before);
    changes.extend(required_parameters(after).difference(&sent).map(|(at, name)| {
        Change::new(
            Class::WireBreaking,
            "required-parameter-added",
            format!("`{name}`"),
            format!("NEW requires the {at} parameter `{name}`, which the client built from OLD need not send"),
        )
    }));
    changes
}

/// The media type the client sends a request body of `op` as: Dwolla's
/// for any JSON-like body, else the one the spec lists.
fn sent_media_type(op: &Operation) -> Option<String> {
    let listed: Vec<&String> = op
        .request
        .iter()
        .flat_map(|r| r.media_types.keys())
        .collect();
    if listed.iter().any(|m| is_json_like(m)) {
        Some(JSON_BODY_MEDIA_TYPE.to_string())
    } else {
        listed.first().map(|m| essence(m))
    }
}

fn request_media(op: &Operation) -> BTreeSet<String> {
    op.request
        .iter()
        .flat_map(|r| r.media_types.keys())
        .map(|m| essence(m))
        .collect()
}

fn success_media(op: &Operation) -> BTreeSet<String> {
    op.responses
        .iter()
        .filter(|(status, _)| status.starts_with('2'))
        .flat_map(|(_, r)| r.media_types.keys())
        .filter(|m| is_json_like(m))
        .map(|m| essence(m))
        .collect()
}

/// Whether a spec that lists `listed` refuses `sent` (an empty list says
/// nothing; `*/*` takes anything).
fn refuses(listed: &BTreeSet<String>, sent: &BTreeSet<String>) -> bool {
    !listed.is_empty()
        && !sent.is_empty()
        && !listed.contains("*/*")
        && !sent.contains("*/*")
        && listed.is_disjoint(sent)
}

/// One comparison for both directions: what the client built from OLD
/// really sends (its `Content-Type`, its `Accept`) against what each spec
/// lists; a finding only where NEW refuses what OLD accepted.
fn media_types(a: &Operation, b: &Operation, before: &OperationSummary) -> Vec<Change> {
    let mut changes = Vec::new();
    let sent: BTreeSet<String> = sent_media_type(a).into_iter().collect();
    if refuses(&request_media(b), &sent) && !refuses(&request_media(a), &sent) {
        changes.push(Change::new(
            Class::WireBreaking,
            "request-media-type-changed",
            "",
            format!(
                "NEW accepts {}; the client sends {}",
                list(&request_media(b)),
                list(&sent)
            ),
        ));
    }
    let asked: BTreeSet<String> = before.accept.split(',').map(essence).collect();
    if refuses(&success_media(b), &asked) && !refuses(&success_media(a), &asked) {
        changes.push(Change::new(
            Class::WireBreaking,
            "response-media-type-changed",
            "",
            format!(
                "NEW answers {}; the client asks for {} (its `Accept`)",
                list(&success_media(b)),
                list(&asked)
            ),
        ));
    }
    changes
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
fn error_reshapes(old: &Side, new: &Side, a: &Operation, b: &Operation) -> Vec<Change> {
    let digest = |side: &Side, media: &BTreeMap<String, String>| -> BTreeMap<String, Value> {
        media
            .iter()
            .map(|(m, p)| (essence(m), accepted_schema(&side.spec, p, &mut Vec::new())))
            .collect()
    };
    a.responses
        .iter()
        .filter(|(s, _)| !s.starts_with('2'))
        .filter_map(|(status, before)| {
            let after = b.responses.get(status)?;
            (digest(old, &before.media_types) != digest(new, &after.media_types)).then(|| {
                Change::new(
                    Class::NoEffect,
                    "error-body-reshaped",
                    format!("`{status}`"),
                    format!("the {status} body changed shape; errors decode into DwollaErrorBody, so the client reads it as before"),
                )
            })
        })
        .collect()
}

/// Whether the bodies each side's client sends and reads still decode on
/// the other side.
pub fn bodies(
    old: &Side,
    new: &Side,
    before: &OperationSummary,
    after: &OperationSummary,
    decoder: &mut Decoder<'_>,
) -> Vec<Change> {
    let (Some(a), Some(b)) = (
        old.surface.builders.get(&before.builder_name()),
        new.surface.builders.get(&after.builder_name()),
    ) else {
        return Vec::new();
    };
    let mut changes = Vec::new();
    for (name, sent) in &a.arguments {
        let Some(accepted) = b.arguments.get(name) else {
            continue;
        };
        let problems = decoder.check(Direction::Request, sent, accepted);
        if !problems.is_empty() {
            changes.push(Change::new(
                Class::WireBreaking,
                "request-refused",
                format!("`{name}`"),
                format!(
                    "NEW refuses what the client sends as `{name}`: {}",
                    describe(&problems)
                ),
            ));
        }
    }
    let problems = decoder.check(Direction::Response, &a.success, &b.success);
    if !problems.is_empty() {
        changes.push(Change::new(
            Class::WireBreaking,
            "response-undecodable",
            "",
            format!(
                "the client cannot decode what NEW answers (`{}`): {}",
                a.success,
                describe(&problems)
            ),
        ));
    }
    changes
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
fn accepted_schema(spec: &Spec, pointer: &str, expanding: &mut Vec<String>) -> Value {
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
                let expanded = accepted_schema(spec, target, expanding);
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
                            accepted_schema(
                                spec,
                                &openapi_doc::pointer::join(pointer, key),
                                expanding,
                            ),
                        )
                    })
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(
            (0..items.len())
                .map(|i| accepted_schema(spec, &format!("{pointer}/{i}"), expanding))
                .collect(),
        ),
        other => other.clone(),
    }
}
