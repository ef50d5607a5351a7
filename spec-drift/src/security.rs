//! Security, named: the effective requirement of each operation (its own
//! `security`, else the document's) old to new, each scheme with its type
//! (`` `basicAuth` (http basic) `` to `` `clientCredentials` (oauth2
//! clientCredentials) ``).
//!
//! What matters on the wire is what the client sends: HTTP Basic, a bearer
//! token, or nothing ([`AuthScheme`], as the generator resolves it). A new
//! requirement the client meets the same way is compatible, and said; one
//! it meets another way is wire-breaking; one naming an undefined scheme is
//! a spec defect the client built from NEW cannot call.

use dwolla_codegen::{AuthScheme, OperationSummary};
use openapi_doc::security::Requirement;

use crate::generated::Side;
use crate::group::Change;
use crate::report::Class;

/// The effective requirement of operation `id` of `side`.
pub fn requirement(side: &Side, id: &str) -> Option<Requirement> {
    let op = side.spec_operation(id)?;
    Some(Requirement::of(&side.spec.document, &op.pointer))
}

/// What the client sends for `auth`, in words.
pub fn sends(auth: &AuthScheme) -> String {
    match auth {
        AuthScheme::Basic => "HTTP Basic".into(),
        AuthScheme::Bearer => "a bearer token".into(),
        AuthScheme::None => "no credentials".into(),
        AuthScheme::Unsupported(why) => format!("nothing it can send ({why})"),
    }
}

/// The security change of one operation the client calls with its
/// generated method.
pub fn compare(
    old: &Side,
    new: &Side,
    before: &OperationSummary,
    after: &OperationSummary,
) -> Vec<Change> {
    let (Some(was), Some(is)) = (
        requirement(old, &before.operation_id),
        requirement(new, &after.operation_id),
    ) else {
        return Vec::new();
    };
    if was.alternatives == is.alternatives {
        return Vec::new();
    }
    let item = format!("`{}`", is.pointer);
    if let Some(undefined) = is.undefined().next()
        && was.undefined().next().is_none()
    {
        return vec![Change::new(
            Class::WireBreaking,
            "security-scheme-undefined",
            item,
            format!(
                "NEW secures it with {is} (was {was}): a spec defect at {}; the client built from OLD sends {}, a client built from NEW refuses to call it (`{}` names no scheme)",
                is.pointer,
                sends(&before.auth),
                undefined.name
            ),
        )];
    }
    if before.auth != after.auth {
        return vec![Change::new(
            Class::WireBreaking,
            "security-changed",
            item,
            format!(
                "NEW secures it with {is} (was {was}): the client built from OLD sends {}, NEW wants {}",
                sends(&before.auth),
                sends(&after.auth)
            ),
        )];
    }
    if was.schemes() == is.schemes() {
        return vec![Change::new(
            Class::NoEffect,
            "security-scheme-renamed",
            item,
            format!("NEW names the same scheme differently: {is} (was {was})"),
        )];
    }
    vec![Change::new(
        Class::Compatible,
        "security-scheme-changed",
        item,
        format!(
            "NEW secures it with {is} (was {was}); the client sends {} either way",
            sends(&before.auth)
        ),
    )]
}

/// A new operation whose security the client built from NEW cannot meet.
pub fn added(op: &OperationSummary) -> Option<Change> {
    let AuthScheme::Unsupported(why) = &op.auth else {
        return None;
    };
    Some(Change::new(
        Class::Compatible,
        "security-unsupported",
        "",
        format!("a new operation the client built from NEW refuses to call: {why}"),
    ))
}
