//! `POST /token` as the client really sends it: not through the generated
//! operation but by a hand-written fetch (HTTP Basic with the application
//! key and secret, the form `grant_type=client_credentials`, `access_token`
//! read as a string and `expires_in` as any number, `token_type` ignored;
//! `dwolla_codegen::profile::TOKEN_FETCH_FORM` and `TOKEN_FETCH_READS`).
//!
//! So a change to `/token` breaks the wire only when NEW refuses that form
//! or stops answering those members; its security is named (a token
//! endpoint secured by the token it issues, or by an undefined scheme, is a
//! spec defect) with what the client does; every other change to it is of
//! no effect on the wire, said in one finding. Changes to the generated
//! types and builder are source-breaking for callers of the generated
//! `create_application_access_token()`, as the source comparison says.

use dwolla_codegen::OperationSummary;
use dwolla_codegen::profile::{TOKEN_FETCH_FORM, TOKEN_FETCH_READS};
use openapi_doc::media::essence;
use openapi_doc::security::Requirement;
use serde_json::Value;

use crate::generated::Side;
use crate::group::Change;
use crate::report::Class;
use crate::security::requirement;

const FORM: &str = "application/x-www-form-urlencoded";
const FETCH: &str = "the client's token fetch is hand-written (HTTP Basic, grant_type=client_credentials, access_token and expires_in read, token_type ignored)";

/// The wire findings of `POST /token`, given what the generic comparison of
/// the generated operation found (`generic`: of no effect on the wire here,
/// said as such).
pub fn judge(
    old: &Side,
    new: &Side,
    before: &OperationSummary,
    after: &OperationSummary,
    generic: Vec<Change>,
) -> Vec<Change> {
    let mut changes = Vec::new();
    let was = requirement(old, &before.operation_id);
    let is = requirement(new, &after.operation_id);
    if let (Some(was), Some(is)) = (&was, &is)
        && was.alternatives != is.alternatives
    {
        changes.push(security(was, is, &after.path));
    }
    let refused = |side: &Side, op: &OperationSummary| form_refusals(side, &op.operation_id);
    let newly = |then: Vec<String>, now: Vec<String>| -> Vec<String> {
        now.into_iter().filter(|r| !then.contains(r)).collect()
    };
    let refusals = newly(refused(old, before), refused(new, after));
    if !refusals.is_empty() {
        changes.push(Change::new(
            Class::WireBreaking,
            "token-fetch-refused",
            "",
            format!(
                "NEW refuses the form the client's token fetch sends: {}",
                refusals.join("; ")
            ),
        ));
    }
    let unread = |side: &Side, op: &OperationSummary| answer_problems(side, &op.operation_id);
    let problems = newly(unread(old, before), unread(new, after));
    if !problems.is_empty() {
        changes.push(Change::new(
            Class::WireBreaking,
            "token-fetch-undecodable",
            "",
            format!(
                "the client's token fetch cannot read what NEW answers: {}",
                problems.join("; ")
            ),
        ));
    }
    changes.extend(
        generic
            .into_iter()
            .filter(|c| c.class != Class::NoEffect)
            .map(|c| {
                Change::new(
                    Class::NoEffect,
                    "token-fetch-unaffected",
                    format!("`{}`", c.rule),
                    format!(
                        "{}; {FETCH}, so only callers of the generated `{}()` see it",
                        c.message, after.method_name
                    ),
                )
            }),
    );
    changes
}

/// A changed requirement on the token endpoint, named, with the spec defect
/// it carries and what the client sends.
fn security(was: &Requirement, is: &Requirement, path: &str) -> Change {
    if was.schemes() == is.schemes() {
        return Change::new(
            Class::NoEffect,
            "security-scheme-renamed",
            format!("`{}`", is.pointer),
            format!("NEW names the same scheme differently: {is} (was {was})"),
        );
    }
    let (rule, defect) = match defect(is, path) {
        Some(defect) => (
            "token-security-defect",
            format!(": a spec defect, {defect}"),
        ),
        None => ("token-security-changed", String::new()),
    };
    Change::new(
        Class::Compatible,
        rule,
        format!("`{}`", is.pointer),
        format!(
            "NEW secures POST {path} with {is} (was {was}){defect}; the client always sends HTTP Basic here, unaffected"
        ),
    )
}

/// What is wrong with `requirement` on the token endpoint at `path`: a
/// scheme it does not define, or only schemes that take a bearer token
/// (the token this endpoint issues).
fn defect(requirement: &Requirement, path: &str) -> Option<String> {
    if let Some(undefined) = requirement.undefined().next() {
        return Some(format!("`{}` names no scheme", undefined.name));
    }
    let self_secured = !requirement.is_open()
        && requirement.alternatives.iter().all(|alternative| {
            alternative.iter().any(|u| {
                u.scheme
                    .as_ref()
                    .is_some_and(openapi_doc::security::Scheme::takes_bearer_token)
            })
        });
    self_secured.then(|| format!("the endpoint that issues tokens ({path}) asks for one"))
}

/// The operation's request body schema for `media`, resolved.
fn body_schema<'a>(side: &'a Side, id: &str, media: &str) -> Option<&'a Value> {
    let op = side.spec_operation(id)?;
    let pointer = op
        .request
        .as_ref()?
        .media_types
        .iter()
        .find(|(m, _)| essence(m) == media)?
        .1;
    Some(side.spec.resolve(side.spec.document.pointer(pointer)?))
}

/// Why the spec of `side` refuses the fetch's form (none when it takes it).
fn form_refusals(side: &Side, id: &str) -> Vec<String> {
    let Some(op) = side.spec_operation(id) else {
        return Vec::new();
    };
    let listed: Vec<String> = op
        .request
        .iter()
        .flat_map(|r| r.media_types.keys())
        .map(|m| essence(m))
        .collect();
    if !listed.is_empty() && !listed.iter().any(|m| m == FORM) {
        return vec![format!(
            "it takes {} only, the fetch sends a form ({FORM})",
            listed.join(", ")
        )];
    }
    let Some(schema) = body_schema(side, id, FORM) else {
        return Vec::new();
    };
    let sent = |name: &str| TOKEN_FETCH_FORM.iter().any(|(n, _)| *n == name);
    let mut reasons: Vec<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|name| !sent(name))
        .map(|name| format!("it requires `{name}`, which the fetch does not send"))
        .collect();
    let properties = schema.get("properties").and_then(Value::as_object);
    for (name, value) in TOKEN_FETCH_FORM {
        match properties
            .and_then(|p| p.get(*name))
            .map(|p| side.spec.resolve(p))
        {
            Some(property) => reasons.extend(refuses_value(property, name, value)),
            None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => reasons
                .push(format!(
                    "it allows no member `{name}`, which the fetch sends"
                )),
            None => {}
        }
    }
    reasons
}

/// Why `property` refuses the string `value` of member `name`.
fn refuses_value(property: &Value, name: &str, value: &str) -> Option<String> {
    let listed = |key: &str| -> Option<Vec<&str>> {
        match property.get(key)? {
            Value::Array(values) => Some(values.iter().filter_map(Value::as_str).collect()),
            Value::String(one) => Some(vec![one.as_str()]),
            _ => None,
        }
    };
    let allowed = listed("enum").or_else(|| listed("const"))?;
    (!allowed.contains(&value)).then(|| {
        format!(
            "it allows `{name}` {}, the fetch sends `{value}`",
            allowed.join(", ")
        )
    })
}

/// Why the fetch cannot read the success answer the spec of `side`
/// describes (none when it can).
fn answer_problems(side: &Side, id: &str) -> Vec<String> {
    let Some(op) = side.spec_operation(id) else {
        return Vec::new();
    };
    let Some(schema) = op
        .responses
        .iter()
        .filter(|(status, _)| status.starts_with('2'))
        .flat_map(|(_, r)| r.media_types.values())
        .find_map(|pointer| side.spec.document.pointer(pointer))
        .map(|schema| side.spec.resolve(schema))
    else {
        return Vec::new();
    };
    let properties = schema.get("properties").and_then(Value::as_object);
    let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
    let mut problems = Vec::new();
    for (name, types) in TOKEN_FETCH_READS {
        let property = properties
            .and_then(|p| p.get(*name))
            .map(|p| side.spec.resolve(p));
        match property.and_then(|p| p.get("type")) {
            Some(Value::String(kind)) if !types.contains(&kind.as_str()) => problems.push(format!(
                "`{name}` is a {kind}, the fetch reads a {}",
                types.join(" or ")
            )),
            None if property.is_none() && closed => {
                problems.push(format!("it never sends `{name}`, which the fetch needs"));
            }
            _ => {}
        }
    }
    problems
}
