//! Every operation the client can send, as the spec describes it on the
//! wire: the bottom of the crate, imported by the wire layer, the extension
//! and the ergonomic layer, importing nothing of theirs.
//!
//! An operation's identity is one `&'static OperationMeta`:
//! - [`spec`] holds one constant per operation of the spec the client is
//!   built from (`build.rs` writes it into `OUT_DIR` from the same run of the
//!   code generator that writes the client), e.g.
//!   `spec::CREATE_CUSTOMER_EXCHANGE_SESSION`;
//!   `spec::TOKEN` names the spec's `POST /token` whatever its operationId;
//! - `extension` holds the hand-written operations of
//!   [`extras`](crate::extras), e.g. `extension::CREATE_RE_AUTH_EXCHANGE_SESSION`,
//!   when the spec lacks them (cfg `dwolla_spec = "re_auth_operation"` says
//!   the spec defines the re-authentication operation; the extension is then
//!   left out).
//!
//! Code that names an operation uses its constant, so a wrong name does not
//! compile. The hooks find an operation by the name progenitor hands them
//! (`OperationInfo::operation_id`, the generated method's snake_case name)
//! with [`for_method`], a `match` per table.

/// Dwolla's media type, the `Accept` of most operations and the
/// `Content-Type` of every JSON body the client sends: the code generator's
/// (`dwolla_codegen::profile::JSON_BODY_MEDIA_TYPE`).
pub(crate) const DWOLLA_MEDIA_TYPE: &str = include!(concat!(env!("OUT_DIR"), "/media_type.rs"));

/// How an operation authenticates, from its `security` in the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(
    dead_code,
    reason = "the generated table uses the variants its spec needs: the vendored spec has no `None` or `Unsupported` operation, Dwolla's full spec has both"
)]
pub(crate) enum Auth {
    /// HTTP Basic with the application key and secret (`POST /token`).
    Basic,
    /// `Authorization: Bearer <access token>`.
    Bearer,
    /// No credentials.
    None,
    /// A scheme the client cannot satisfy; requests fail with this reason.
    Unsupported(&'static str),
}

/// One operation as the spec describes it on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OperationMeta {
    /// The spec's operationId: how errors, spans and the spec name it.
    pub(crate) operation_id: &'static str,
    /// The generated method's name, which progenitor passes to hooks as
    /// `OperationInfo::operation_id`.
    pub(crate) method_name: &'static str,
    /// Upper-case HTTP method.
    pub(crate) method: &'static str,
    /// Path template, e.g. `/exchange-sessions/{id}`.
    pub(crate) path: &'static str,
    /// How the request authenticates.
    pub(crate) auth: Auth,
    /// The `Accept` header of its requests, from the spec: Dwolla's media
    /// type for most operations, `application/json` for `POST /token`.
    pub(crate) accept: &'static str,
    /// Whether sending the request twice does no harm by itself: the methods
    /// HTTP defines as idempotent, and `POST /token` (it issues a token and
    /// changes nothing). Any other POST is repeatable only when it carries
    /// an `Idempotency-Key`.
    pub(crate) repeatable: bool,
}

/// The operations of the spec the client is generated from.
pub(crate) mod spec {
    use super::{Auth, OperationMeta};

    include!(concat!(env!("OUT_DIR"), "/operations.rs"));
}

/// The hand-written operations of [`extras`](crate::extras).
#[cfg(not(dwolla_spec = "re_auth_operation"))]
pub(crate) mod extension {
    use super::{Auth, DWOLLA_MEDIA_TYPE, OperationMeta};

    /// `createReAuthExchangeSession`: `POST /exchanges/{id}/exchange-sessions`.
    pub(crate) const CREATE_RE_AUTH_EXCHANGE_SESSION: &OperationMeta = &OperationMeta {
        operation_id: "createReAuthExchangeSession",
        method_name: "create_re_auth_exchange_session",
        method: "POST",
        path: "/exchanges/{id}/exchange-sessions",
        auth: Auth::Bearer,
        accept: DWOLLA_MEDIA_TYPE,
        repeatable: false,
    };

    /// The hand-written operation whose method is `method_name`.
    pub(crate) fn for_method(method_name: &str) -> Option<&'static OperationMeta> {
        (method_name == CREATE_RE_AUTH_EXCHANGE_SESSION.method_name)
            .then_some(CREATE_RE_AUTH_EXCHANGE_SESSION)
    }
}

/// The operation whose generated (or hand-written) method is `method_name`:
/// the spec's first, so that an operation the spec comes to define is
/// described as the spec says.
pub(crate) fn for_method(method_name: &str) -> Option<&'static OperationMeta> {
    let found = spec::for_method(method_name);
    #[cfg(not(dwolla_spec = "re_auth_operation"))]
    let found = found.or_else(|| extension::for_method(method_name));
    found
}

#[cfg(all(test, not(dwolla_spec = "re_auth_operation")))]
mod tests {
    use super::*;

    #[test]
    fn every_bound_operation_is_in_the_table() {
        for (op, method, path, auth, repeatable) in [
            (spec::TOKEN, "POST", "/token", Auth::Basic, true),
            (
                spec::LIST_EXCHANGE_PARTNERS,
                "GET",
                "/exchange-partners",
                Auth::Bearer,
                true,
            ),
            (
                spec::GET_EXCHANGE_PARTNER,
                "GET",
                "/exchange-partners/{id}",
                Auth::Bearer,
                true,
            ),
            (
                spec::CREATE_CUSTOMER_EXCHANGE_SESSION,
                "POST",
                "/customers/{id}/exchange-sessions",
                Auth::Bearer,
                false,
            ),
            (
                spec::RETRIEVE_CUSTOMER_EXCHANGE_SESSION,
                "GET",
                "/exchange-sessions/{id}",
                Auth::Bearer,
                true,
            ),
            (
                extension::CREATE_RE_AUTH_EXCHANGE_SESSION,
                "POST",
                "/exchanges/{id}/exchange-sessions",
                Auth::Bearer,
                false,
            ),
        ] {
            assert_eq!(
                (op.method, op.path, op.auth, op.repeatable),
                (method, path, auth, repeatable),
                "{}",
                op.operation_id
            );
        }
    }

    #[test]
    fn every_operation_is_found_by_its_method_name_and_no_other() {
        let every = spec::all()
            .iter()
            .chain([&extension::CREATE_RE_AUTH_EXCHANGE_SESSION]);
        for &op in every {
            assert_eq!(for_method(op.method_name), Some(op), "{}", op.method_name);
        }
        assert_eq!(for_method("createApplicationAccessToken"), None);
        assert_eq!(for_method(""), None);
    }
}
