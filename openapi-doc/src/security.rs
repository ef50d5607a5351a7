//! The effective security requirement of an operation: its own `security`,
//! else the document's, each scheme it names resolved through
//! `components.securitySchemes` (or found missing).
//!
//! A requirement is a list of alternatives (any one satisfies it), each a
//! list of schemes that must all be met; an empty alternative (`{}`) or an
//! empty list means no credentials.

use std::fmt;

use serde_json::Value;

use crate::pointer::join;

/// A security scheme, as the client can send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scheme {
    /// HTTP Basic.
    HttpBasic,
    /// HTTP bearer.
    HttpBearer,
    /// OAuth 2.0 (a bearer token from one of its flows).
    OAuth2 {
        /// The flows it names (`clientCredentials`, `authorizationCode`…).
        flows: Vec<String>,
        /// The token URLs of those flows.
        token_urls: Vec<String>,
    },
    /// OpenID Connect (a bearer token).
    OpenIdConnect,
    /// An API key in a header, query parameter or cookie.
    ApiKey {
        /// `header`, `query` or `cookie`.
        location: String,
        /// The header, parameter or cookie name.
        name: String,
    },
    /// Another type (`mutualTLS`, or one this reader does not know).
    Other(String),
}

impl Scheme {
    fn of(definition: &Value) -> Self {
        let text = |key: &str| {
            definition
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        match text("type").as_str() {
            "http" => match text("scheme").to_ascii_lowercase().as_str() {
                "basic" => Scheme::HttpBasic,
                "bearer" => Scheme::HttpBearer,
                other => Scheme::Other(format!("http {other}")),
            },
            "oauth2" => {
                let flows = definition.get("flows").and_then(Value::as_object);
                Scheme::OAuth2 {
                    flows: flows
                        .into_iter()
                        .flatten()
                        .map(|(k, _)| k.clone())
                        .collect(),
                    token_urls: flows
                        .into_iter()
                        .flatten()
                        .filter_map(|(_, flow)| flow.get("tokenUrl")?.as_str().map(str::to_string))
                        .collect(),
                }
            }
            "openIdConnect" => Scheme::OpenIdConnect,
            "apiKey" => Scheme::ApiKey {
                location: text("in"),
                name: text("name"),
            },
            other => Scheme::Other(other.to_string()),
        }
    }

    /// Whether a request meets it with `Authorization: Bearer <token>`.
    pub fn takes_bearer_token(&self) -> bool {
        matches!(
            self,
            Scheme::HttpBearer | Scheme::OAuth2 { .. } | Scheme::OpenIdConnect
        )
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scheme::HttpBasic => f.write_str("http basic"),
            Scheme::HttpBearer => f.write_str("http bearer"),
            Scheme::OAuth2 { flows, .. } if flows.is_empty() => f.write_str("oauth2"),
            Scheme::OAuth2 { flows, .. } => write!(f, "oauth2 {}", flows.join(", ")),
            Scheme::OpenIdConnect => f.write_str("openIdConnect"),
            Scheme::ApiKey { location, name } => write!(f, "apiKey in {location} `{name}`"),
            Scheme::Other(kind) => write!(f, "{kind}"),
        }
    }
}

/// One scheme a requirement names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemeUse {
    /// Its name in `components.securitySchemes`.
    pub name: String,
    /// Its definition; `None` when the document does not define it.
    pub scheme: Option<Scheme>,
}

impl fmt::Display for SchemeUse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.scheme {
            Some(scheme) => write!(f, "`{}` ({scheme})", self.name),
            None => write!(f, "`{}` (not defined)", self.name),
        }
    }
}

/// The effective security requirement of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// JSON pointer of the `security` it comes from (the operation's, or
    /// `/security`); empty when neither names one.
    pub pointer: String,
    /// Alternatives, any one of which satisfies it; each a list of schemes
    /// that must all be met. An empty alternative asks for no credentials.
    pub alternatives: Vec<Vec<SchemeUse>>,
}

impl Requirement {
    /// The requirement of the operation at `operation_pointer` of
    /// `document`.
    pub fn of(document: &Value, operation_pointer: &str) -> Self {
        let own = document
            .pointer(operation_pointer)
            .and_then(|op| op.get("security"));
        let (pointer, security) = match own {
            Some(security) => (join(operation_pointer, "security"), Some(security)),
            None => match document.get("security") {
                Some(security) => ("/security".to_string(), Some(security)),
                None => (String::new(), None),
            },
        };
        let schemes = document.pointer("/components/securitySchemes");
        let alternatives = security
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object)
            .map(|alternative| {
                alternative
                    .keys()
                    .map(|name| SchemeUse {
                        name: name.clone(),
                        scheme: schemes.and_then(|s| s.get(name)).map(|definition| {
                            Scheme::of(crate::resolve::resolve(document, definition))
                        }),
                    })
                    .collect()
            })
            .collect();
        Self {
            pointer,
            alternatives,
        }
    }

    /// Whether a request without credentials meets it.
    pub fn is_open(&self) -> bool {
        self.alternatives.is_empty() || self.alternatives.iter().any(Vec::is_empty)
    }

    /// The schemes it names that the document does not define.
    pub fn undefined(&self) -> impl Iterator<Item = &SchemeUse> {
        self.alternatives
            .iter()
            .flatten()
            .filter(|u| u.scheme.is_none())
    }

    /// Its schemes without their names: what a request must carry.
    pub fn schemes(&self) -> Vec<Vec<Option<&Scheme>>> {
        self.alternatives
            .iter()
            .map(|a| a.iter().map(|u| u.scheme.as_ref()).collect())
            .collect()
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_open() && self.alternatives.iter().all(Vec::is_empty) {
            return f.write_str("no credentials");
        }
        let alternatives: Vec<String> = self
            .alternatives
            .iter()
            .map(|a| match a.as_slice() {
                [] => "no credentials".to_string(),
                uses => uses
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" and "),
            })
            .collect();
        f.write_str(&alternatives.join(" or "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document() -> Value {
        json!({
            "security": [{ "clientCredentials": [] }],
            "paths": {
                "/token": { "post": { "security": [{ "basicAuth": [] }] } },
                "/open": { "get": { "security": [] } },
                "/things": { "get": {} }
            },
            "components": { "securitySchemes": {
                "clientCredentials": { "type": "oauth2", "flows": { "clientCredentials": { "tokenUrl": "/token", "scopes": {} } } }
            } }
        })
    }

    #[test]
    fn the_operations_own_requirement_wins_over_the_documents() {
        let doc = document();
        let token = Requirement::of(&doc, "/paths/~1token/post");
        assert_eq!(token.pointer, "/paths/~1token/post/security");
        assert_eq!(token.to_string(), "`basicAuth` (not defined)");
        assert_eq!(token.undefined().count(), 1);
        let things = Requirement::of(&doc, "/paths/~1things/get");
        assert_eq!(things.pointer, "/security");
        assert_eq!(
            things.to_string(),
            "`clientCredentials` (oauth2 clientCredentials)"
        );
        assert!(things.schemes()[0][0].is_some_and(Scheme::takes_bearer_token));
        let open = Requirement::of(&doc, "/paths/~1open/get");
        assert!(open.is_open());
        assert_eq!(open.to_string(), "no credentials");
    }
}
