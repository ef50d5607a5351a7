//! `POST /exchanges/{id}/exchange-sessions` (operationId
//! `createReAuthExchangeSession`): a new exchange session for an exchange
//! whose bank connection expired, after Dwolla answered `UpdateCredentials`.

use progenitor_client::{ClientHooks, OperationInfo, ResponseValue, encode_path};
use reqwest::header::{ACCEPT, HeaderValue};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::DwollaErrorBody;
use crate::generated::{Client, ClientInfo, Error};
use crate::operations::extension::CREATE_RE_AUTH_EXCHANGE_SESSION;

/// Body for re-authenticating on the web (Plaid Link in a browser): no
/// redirect is needed, so the body is an empty object. Sending no body at
/// all is equivalent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "CreateReAuthExchangeSessionForWeb")]
pub struct CreateReAuthExchangeSessionForWeb {}

/// Body for re-authenticating in a mobile app (Plaid on Android or iOS):
/// where Plaid sends the user back when they are done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "CreateReAuthExchangeSessionWithRedirect")]
pub struct CreateReAuthExchangeSessionWithRedirect {
    /// The redirect link.
    #[serde(rename = "_links")]
    pub links: RedirectLinks,
}

impl CreateReAuthExchangeSessionWithRedirect {
    /// A body redirecting to `url`: the app's package name on Android (e.g.
    /// `com.example.app123`), an HTTPS URL on iOS.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            links: RedirectLinks {
                redirect_url: Href { href: url.into() },
            },
        }
    }
}

/// The `_links` of a re-authentication request with a redirect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(inline)]
pub struct RedirectLinks {
    /// Where the partner returns the user.
    #[serde(rename = "redirect-url")]
    pub redirect_url: Href,
}

/// A HAL link as a request carries it: only the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(inline)]
pub struct Href {
    /// The link's target.
    #[schemars(extend("format" = "uri"))]
    pub href: String,
}

/// The request body: one of the two shapes above.
///
/// Dwolla's spec lists them as `oneOf`; since the web shape accepts any
/// object, the redirect shape is tried first when decoding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CreateReAuthExchangeSessionBody {
    /// Plaid mobile: with a redirect URL.
    WithRedirect(CreateReAuthExchangeSessionWithRedirect),
    /// Plaid web: an empty object.
    ForWeb(CreateReAuthExchangeSessionForWeb),
}

impl From<CreateReAuthExchangeSessionForWeb> for CreateReAuthExchangeSessionBody {
    fn from(body: CreateReAuthExchangeSessionForWeb) -> Self {
        Self::ForWeb(body)
    }
}

impl From<CreateReAuthExchangeSessionWithRedirect> for CreateReAuthExchangeSessionBody {
    fn from(body: CreateReAuthExchangeSessionWithRedirect) -> Self {
        Self::WithRedirect(body)
    }
}

/// The error body Dwolla documents for this operation's 400 and 403 answers.
/// At run time errors decode as [`DwollaErrorBody`], which reads this shape
/// and every other; this type is what the operation's spec fragment states.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "ExchangeSessionErrorBody")]
pub struct ExchangeSessionErrorBody {
    /// Dwolla's error code, e.g. `ValidationError`, `forbidden`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub code: Option<String>,
    /// What went wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub message: Option<String>,
}

/// Operations on exchanges that the generated client lacks.
pub trait ClientExchangesExt {
    /// Creates a re-authentication exchange session for an exchange whose
    /// bank connection expired (Dwolla answered `UpdateCredentials`).
    ///
    /// Sends a `POST` request to `/exchanges/{id}/exchange-sessions`. The
    /// `201` answer has no body; its `Location` header is the new exchange
    /// session, to be retrieved like any other.
    fn create_re_auth_exchange_session(&self) -> CreateReAuthExchangeSession<'_>;
}

impl ClientExchangesExt for Client {
    fn create_re_auth_exchange_session(&self) -> CreateReAuthExchangeSession<'_> {
        CreateReAuthExchangeSession::new(self)
    }
}

/// Builder for [`ClientExchangesExt::create_re_auth_exchange_session`].
#[derive(Debug, Clone)]
pub struct CreateReAuthExchangeSession<'a> {
    client: &'a Client,
    id: Result<String, String>,
    body: Result<Option<CreateReAuthExchangeSessionBody>, String>,
}

impl<'a> CreateReAuthExchangeSession<'a> {
    /// A builder with no id and no body.
    pub fn new(client: &'a Client) -> Self {
        Self {
            client,
            id: Err("id was not initialized".to_string()),
            body: Ok(None),
        }
    }

    /// The exchange's id.
    pub fn id<V>(mut self, value: V) -> Self
    where
        V: TryInto<String>,
    {
        self.id = value
            .try_into()
            .map_err(|_| "conversion to `String` for id failed".to_string());
        self
    }

    /// The request body; without one, the request is sent with no body (the
    /// web variant).
    pub fn body<V>(mut self, value: V) -> Self
    where
        V: TryInto<CreateReAuthExchangeSessionBody>,
    {
        self.body = value.try_into().map(Some).map_err(|_| {
            "conversion to `CreateReAuthExchangeSessionBody` for body failed".to_string()
        });
        self
    }

    /// Sends a `POST` request to `/exchanges/{id}/exchange-sessions`.
    pub async fn send(self) -> Result<ResponseValue<()>, Error<DwollaErrorBody>> {
        let Self { client, id, body } = self;
        let id = id.map_err(Error::InvalidRequest)?;
        let body = body.map_err(Error::InvalidRequest)?;
        let url = format!(
            "{}/exchanges/{}/exchange-sessions",
            client.baseurl(),
            encode_path(&id)
        );
        let mut request = client
            .client()
            .post(url)
            .header(ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(body) = &body {
            request = request.json(body);
        }
        let mut request = request.build()?;
        let info = OperationInfo {
            operation_id: CREATE_RE_AUTH_EXCHANGE_SESSION.method_name,
        };
        client.pre(&mut request, &info).await?;
        let result = client.exec(request, &info).await;
        client.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            201 => Ok(ResponseValue::empty(response)),
            400 | 403 => Err(Error::ErrorResponse(
                ResponseValue::from_response(response).await?,
            )),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bodies_serialize_to_dwollas_shapes() {
        assert_eq!(
            serde_json::to_value(CreateReAuthExchangeSessionBody::from(
                CreateReAuthExchangeSessionForWeb {}
            ))
            .unwrap(),
            json!({})
        );
        assert_eq!(
            serde_json::to_value(CreateReAuthExchangeSessionBody::from(
                CreateReAuthExchangeSessionWithRedirect::new("com.example.app123")
            ))
            .unwrap(),
            json!({ "_links": { "redirect-url": { "href": "com.example.app123" } } })
        );
    }

    #[test]
    fn a_redirect_body_decodes_as_the_redirect_variant() {
        let body: CreateReAuthExchangeSessionBody = serde_json::from_value(
            json!({ "_links": { "redirect-url": { "href": "https://example.com/app123" } } }),
        )
        .unwrap();
        assert!(matches!(
            body,
            CreateReAuthExchangeSessionBody::WithRedirect(_)
        ));
        let body: CreateReAuthExchangeSessionBody = serde_json::from_value(json!({})).unwrap();
        assert!(matches!(body, CreateReAuthExchangeSessionBody::ForWeb(_)));
    }
}
