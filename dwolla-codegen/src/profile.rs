//! The client's profile: the one set of generator options the project
//! generates its client with (the client's `build.rs`, and `spec-drift`
//! comparing what two specs generate), the one list of secret field names,
//! and what the client cannot do without.

use openapi_doc::pointer;

use crate::generate::{GenerateOptions, Generated};
use crate::report::OperationSummary;

/// Body fields whose values are secrets: access and refresh tokens, client
/// secrets, Plaid's link token, Checkout.com's payment session secret and
/// token. The generated types hold them as the secret type; the client's
/// `redact` module (which `build.rs` gives this list) keeps them out of
/// error excerpts and recorded fixtures.
pub const SECRET_FIELDS: &[&str] = &[
    "access_token",
    "refresh_token",
    "client_secret",
    "externalProviderSessionToken",
    "payment_session_secret",
    "payment_session_token",
];

/// The options the client is generated with: its hand-written error body,
/// secret and state types, hooks it must implement, and [`SECRET_FIELDS`]
/// as secret properties.
pub fn client_profile() -> GenerateOptions {
    let mut options = GenerateOptions {
        error_type: Some("crate::error::DwollaErrorBody".into()),
        secret_type: Some("crate::auth::Secret".into()),
        inner_type: Some("crate::wire::ClientState".into()),
        expect_hooks: true,
        ..GenerateOptions::default()
    };
    options.normalize.secret_properties = SECRET_FIELDS
        .iter()
        .map(std::string::ToString::to_string)
        .collect();
    options
}

/// Whether `operation` is `POST /token`, where the client obtains access
/// tokens (OAuth 2.0 client credentials, HTTP Basic with the application
/// key and secret, whatever scheme the spec names).
pub fn is_token_operation(operation: &OperationSummary) -> bool {
    operation.method == "POST" && operation.path == "/token"
}

/// One operation the client is built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientOperation {
    /// Its operationId.
    pub operation_id: &'static str,
    /// Upper-case HTTP method.
    pub method: &'static str,
    /// Path template.
    pub path: &'static str,
}

/// The operations the client is built from: those of the vendored slice
/// (`openapi/dwolla.yml`) and the extension's (`openapi/extras-fragment.json`),
/// which `spec-drift` judges by default. The client's test
/// `tests/profile_lists.rs` fails when this list and those files differ.
pub const CLIENT_OPERATIONS: &[ClientOperation] = &[
    ClientOperation {
        operation_id: "createApplicationAccessToken",
        method: "POST",
        path: "/token",
    },
    ClientOperation {
        operation_id: "listExchangePartners",
        method: "GET",
        path: "/exchange-partners",
    },
    ClientOperation {
        operation_id: "getExchangePartner",
        method: "GET",
        path: "/exchange-partners/{id}",
    },
    ClientOperation {
        operation_id: "createCustomerExchangeSession",
        method: "POST",
        path: "/customers/{id}/exchange-sessions",
    },
    ClientOperation {
        operation_id: "retrieveCustomerExchangeSession",
        method: "GET",
        path: "/exchange-sessions/{id}",
    },
    ClientOperation {
        operation_id: "createReAuthExchangeSession",
        method: "POST",
        path: "/exchanges/{id}/exchange-sessions",
    },
];

/// The `Content-Type` of every JSON body the client sends (Dwolla's media
/// type, whatever JSON-like type the spec lists); form bodies go as
/// `application/x-www-form-urlencoded`.
pub const JSON_BODY_MEDIA_TYPE: &str = "application/vnd.dwolla.v1.hal+json";

/// What the client's hand-written token fetch sends to `POST /token` as its
/// form body (with HTTP Basic credentials), whatever the spec says.
pub const TOKEN_FETCH_FORM: &[(&str, &str)] = &[("grant_type", "client_credentials")];

/// The members of the token answer the hand-written fetch reads:
/// `access_token` (a string) and `expires_in` (any JSON number); it ignores
/// the rest (`token_type` among them).
pub const TOKEN_FETCH_READS: &[(&str, &[&str])] = &[
    ("access_token", &["string"]),
    ("expires_in", &["integer", "number"]),
];

/// The operationId of the re-authentication exchange session, which the
/// client hand-writes when the spec lacks it.
pub const RE_AUTH_OPERATION: &str = "createReAuthExchangeSession";

/// The values of the `dwolla_spec` cfg the client is built with.
pub const SPEC_CFGS: &[&str] = &["re_auth_operation"];

/// The public items of the client's `extras` module that each
/// [`SPEC_CFGS`] value leaves out (`#[cfg(not(dwolla_spec = "…"))]`), in
/// source order: what `spec-drift` names when NEW makes the build set the
/// cfg. The client's test `tests/profile_lists.rs` reads `src/extras/mod.rs`
/// and fails when this list and the source differ.
pub const EXTRAS_LEFT_OUT: &[(&str, &[&str])] = &[(
    "re_auth_operation",
    &[
        "openapi_fragment",
        "ClientExchangesExt",
        "CreateReAuthExchangeSession",
        "CreateReAuthExchangeSessionBody",
        "CreateReAuthExchangeSessionForWeb",
        "CreateReAuthExchangeSessionWithRedirect",
        "ExchangeSessionErrorBody",
        "Href",
        "RedirectLinks",
    ],
)];

/// The `extras` items `cfg` leaves out ([`EXTRAS_LEFT_OUT`]); none for a
/// cfg the client does not know.
pub fn extras_left_out(cfg: &str) -> &'static [&'static str] {
    EXTRAS_LEFT_OUT
        .iter()
        .find(|(known, _)| *known == cfg)
        .map_or(&[], |(_, items)| items)
}

/// The `dwolla_spec` cfg values `generated` calls for: `re_auth_operation`
/// when the spec defines [`RE_AUTH_OPERATION`] with a request body (the
/// ergonomic layer then calls the generated operation, and the hand-written
/// one is left out).
pub fn spec_cfgs(generated: &Generated) -> Vec<&'static str> {
    let re_auth = generated
        .operations
        .iter()
        .any(|op| op.operation_id == RE_AUTH_OPERATION && op.body_type.is_some());
    if re_auth {
        vec![SPEC_CFGS[0]]
    } else {
        Vec::new()
    }
}

/// An operation the ergonomic layer calls by its generated method.
struct Needed {
    operation_id: &'static str,
    method: &'static str,
    path: &'static str,
    /// Whether the layer sends it a request body.
    body: bool,
}

const ERGONOMIC_NEEDS: &[Needed] = &[
    Needed {
        operation_id: "listExchangePartners",
        method: "get",
        path: "/exchange-partners",
        body: false,
    },
    Needed {
        operation_id: "createCustomerExchangeSession",
        method: "post",
        path: "/customers/{id}/exchange-sessions",
        body: true,
    },
    Needed {
        operation_id: "retrieveCustomerExchangeSession",
        method: "get",
        path: "/exchange-sessions/{id}",
        body: false,
    },
];

/// Something the client cannot do without that the spec lacks: where in the
/// spec, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmet {
    /// JSON pointer of where the spec should have it.
    pub pointer: String,
    /// What is missing and why the client needs it.
    pub what: String,
}

impl Unmet {
    /// The build error: the spec file, the pointer, and what is missing.
    pub fn message(&self, spec: &std::path::Path) -> String {
        format!("{}: {}: {}", spec.display(), self.pointer, self.what)
    }
}

/// What `generated` lacks that the client needs: `POST /token` always; with
/// the ergonomic layer, the operations it calls.
pub fn unmet_needs(generated: &Generated, ergonomic: bool) -> Vec<Unmet> {
    let mut unmet = Vec::new();
    if !generated.operations.iter().any(is_token_operation) {
        let why = "the client obtains its access tokens there (OAuth 2.0 client credentials)";
        unmet.push(absent(generated, "post", "/token", "`POST /token`", why));
    }
    if ergonomic {
        unmet.extend(
            ERGONOMIC_NEEDS
                .iter()
                .filter_map(|need| unmet_need(generated, need)),
        );
    }
    unmet
}

fn unmet_need(generated: &Generated, need: &Needed) -> Option<Unmet> {
    let why = "the ergonomic layer calls it (build with `--no-default-features` for the generated layer alone)";
    let Some(found) = generated
        .operations
        .iter()
        .find(|op| op.operation_id == need.operation_id)
    else {
        let elsewhere = generated
            .operations
            .iter()
            .find(|op| op.path == need.path && op.method.eq_ignore_ascii_case(need.method));
        return Some(if let Some(other) = elsewhere {
            Unmet {
                pointer: operation_pointer(&other.path, need.method),
                what: format!(
                    "its operationId is `{}`, not `{}`; {why}",
                    other.operation_id, need.operation_id
                ),
            }
        } else {
            let name = format!("operation `{}`", need.operation_id);
            absent(generated, need.method, need.path, &name, why)
        });
    };
    (need.body && found.body_type.is_none()).then(|| Unmet {
        pointer: operation_pointer(&found.path, need.method),
        what: format!(
            "`{}` takes no request body; the ergonomic layer sends one",
            need.operation_id
        ),
    })
}

/// The operation `method path` named `name` is not generated: skipped (with
/// progenitor's or the normalizer's reason), or not in the spec at all.
fn absent(generated: &Generated, method: &str, path: &str, name: &str, why: &str) -> Unmet {
    let pointer = operation_pointer(path, method);
    match generated.skipped.iter().find(|s| s.pointer == pointer) {
        Some(skipped) => Unmet {
            pointer,
            what: format!("{name} is not generated ({}); {why}", skipped.reason),
        },
        None => Unmet {
            what: format!("no {name} ({} {path}); {why}", method.to_ascii_uppercase()),
            pointer,
        },
    }
}

fn operation_pointer(path: &str, method: &str) -> String {
    pointer::join(&pointer::join("/paths", path), &method.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{AuthScheme, SkippedOperation};

    fn operation(id: &str, method: &str, path: &str, body: bool) -> OperationSummary {
        OperationSummary {
            operation_id: id.into(),
            method_name: id.into(),
            method: method.into(),
            path: path.into(),
            auth: AuthScheme::Bearer,
            accept: "application/json".into(),
            body_type: body.then(|| "types::Body".into()),
        }
    }

    fn generated(operations: Vec<OperationSummary>, skipped: Vec<SkippedOperation>) -> Generated {
        Generated {
            code: String::new(),
            operations,
            skipped,
            notes: Vec::new(),
            document: serde_json::Value::Null,
        }
    }

    fn complete() -> Vec<OperationSummary> {
        vec![
            operation("createApplicationAccessToken", "POST", "/token", true),
            operation("listExchangePartners", "GET", "/exchange-partners", false),
            operation(
                "createCustomerExchangeSession",
                "POST",
                "/customers/{id}/exchange-sessions",
                true,
            ),
            operation(
                "retrieveCustomerExchangeSession",
                "GET",
                "/exchange-sessions/{id}",
                false,
            ),
        ]
    }

    #[test]
    fn a_complete_spec_meets_every_need() {
        assert_eq!(unmet_needs(&generated(complete(), Vec::new()), true), []);
    }

    #[test]
    fn the_token_operation_is_needed_even_without_the_ergonomic_layer() {
        let mut operations = complete();
        operations.remove(0);
        let unmet = unmet_needs(&generated(operations, Vec::new()), false);
        assert_eq!(unmet.len(), 1);
        assert_eq!(unmet[0].pointer, "/paths/~1token/post");
        assert!(
            unmet[0].what.starts_with("no `POST /token` (POST /token)"),
            "{}",
            unmet[0].what
        );
    }

    #[test]
    fn each_unmet_need_says_where_and_why() {
        let mut operations = complete();
        operations.retain(|op| op.operation_id != "retrieveCustomerExchangeSession");
        operations[1].operation_id = "getPartners".into();
        operations[2].body_type = None;
        let skipped = vec![SkippedOperation {
            operation: "retrieveCustomerExchangeSession".into(),
            pointer: "/paths/~1exchange-sessions~1{id}/get".into(),
            reason: "progenitor fails on it: boom".into(),
        }];
        let unmet = unmet_needs(&generated(operations, skipped), true);
        let found: Vec<(&str, &str)> = unmet
            .iter()
            .map(|u| (u.pointer.as_str(), u.what.split(';').next().unwrap_or("")))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "/paths/~1exchange-partners/get",
                    "its operationId is `getPartners`, not `listExchangePartners`"
                ),
                (
                    "/paths/~1customers~1{id}~1exchange-sessions/post",
                    "`createCustomerExchangeSession` takes no request body"
                ),
                (
                    "/paths/~1exchange-sessions~1{id}/get",
                    "operation `retrieveCustomerExchangeSession` is not generated (progenitor fails on it: boom)"
                ),
            ]
        );
    }

    #[test]
    fn the_re_auth_cfg_needs_the_operation_with_a_body() {
        let mut operations = complete();
        assert_eq!(
            spec_cfgs(&generated(operations.clone(), Vec::new())),
            [] as [&str; 0]
        );
        operations.push(operation(
            RE_AUTH_OPERATION,
            "POST",
            "/exchanges/{id}/exchange-sessions",
            false,
        ));
        assert_eq!(
            spec_cfgs(&generated(operations.clone(), Vec::new())),
            [] as [&str; 0]
        );
        operations.last_mut().unwrap().body_type = Some("types::B".into());
        assert_eq!(
            spec_cfgs(&generated(operations, Vec::new())),
            ["re_auth_operation"]
        );
    }
}
