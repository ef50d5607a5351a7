//! Which re-authentication operation the ergonomic layer calls: the
//! generated one when the spec defines it (cfg `dwolla_spec =
//! "re_auth_operation"`, set by `build.rs`), else the hand-written one of
//! [`extras`](crate::extras). Both builders have the same `id`, `body` and
//! `send`, and both bodies are read from the same JSON.

#[cfg(dwolla_spec = "re_auth_operation")]
pub(super) use generated_operation::{Body, OPERATION, builder};
#[cfg(not(dwolla_spec = "re_auth_operation"))]
pub(super) use hand_written::{Body, OPERATION, builder};

#[cfg(dwolla_spec = "re_auth_operation")]
mod generated_operation {
    pub(crate) use crate::generated::request_bodies::CreateReAuthExchangeSession as Body;
    use crate::generated::{Client, builder::CreateReAuthExchangeSession};
    pub(crate) use crate::operations::spec::CREATE_RE_AUTH_EXCHANGE_SESSION as OPERATION;

    /// The spec's operation.
    pub(crate) fn builder(api: &Client) -> CreateReAuthExchangeSession<'_> {
        api.create_re_auth_exchange_session()
    }
}

#[cfg(not(dwolla_spec = "re_auth_operation"))]
mod hand_written {
    pub(crate) use crate::extras::CreateReAuthExchangeSessionBody as Body;
    use crate::extras::{ClientExchangesExt, CreateReAuthExchangeSession};
    use crate::generated::Client;
    pub(crate) use crate::operations::extension::CREATE_RE_AUTH_EXCHANGE_SESSION as OPERATION;

    /// The extension's operation.
    pub(crate) fn builder(api: &Client) -> CreateReAuthExchangeSession<'_> {
        ClientExchangesExt::create_re_auth_exchange_session(api)
    }
}
