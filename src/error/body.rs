//! The error bodies Dwolla answers with: the one error type of every
//! generated operation, and the individual failures a validation error
//! embeds.

use serde::Serialize;
use serde_json::{Map, Value};

/// An error body from Dwolla.
///
/// Dwolla answers most errors with `{"code", "message"}`, validation errors
/// with the individual failures under `_embedded.errors`, and the token
/// endpoint with OAuth's `{"error": "invalid_client"}`. Every field is
/// optional and unknown fields are ignored, so any JSON body decodes; the
/// HTTP status and headers travel beside it in the `ResponseValue` of
/// [`Error::ErrorResponse`](crate::generated::Error::ErrorResponse).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(from = "Value")]
pub struct DwollaErrorBody {
    /// Dwolla's error code, e.g. `ValidationError`, `NotFound`,
    /// `UpdateCredentials`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Dwolla's human-readable explanation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// OAuth 2.0 error code (token endpoint only), e.g. `invalid_client`.
    #[serde(rename = "error", skip_serializing_if = "Option::is_none")]
    pub oauth_error: Option<String>,
    /// The individual failures of a validation error.
    #[serde(
        rename = "_embedded",
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "embed"
    )]
    pub errors: Vec<EmbeddedError>,
}

/// One failure inside a validation error: which field and why.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EmbeddedError {
    /// e.g. `Invalid`, `Required`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// What is wrong with the field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// JSON pointer of the field in the request body, e.g. `/_links/redirect-url/href`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// HAL links Dwolla attaches (e.g. to the resource at fault).
    #[serde(rename = "_links", skip_serializing_if = "Map::is_empty")]
    pub links: Map<String, Value>,
}

impl DwollaErrorBody {
    /// The error code: Dwolla's `code`, else OAuth's `error`.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref().or(self.oauth_error.as_deref())
    }
}

fn string(object: &Map<String, Value>, key: &str) -> Option<String> {
    object.get(key).and_then(Value::as_str).map(str::to_string)
}

impl From<Value> for DwollaErrorBody {
    fn from(value: Value) -> Self {
        let Value::Object(object) = value else {
            return Self::default();
        };
        let errors = object
            .get("_embedded")
            .and_then(|embedded| embedded.get("errors"))
            .and_then(Value::as_array)
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(Value::as_object)
                    .map(EmbeddedError::from)
                    .collect()
            })
            .unwrap_or_default();
        Self {
            code: string(&object, "code"),
            message: string(&object, "message"),
            oauth_error: string(&object, "error"),
            errors,
        }
    }
}

impl From<&Map<String, Value>> for EmbeddedError {
    fn from(object: &Map<String, Value>) -> Self {
        Self {
            code: string(object, "code"),
            message: string(object, "message"),
            path: string(object, "path"),
            links: object
                .get("_links")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
        }
    }
}

fn embed<S: serde::Serializer>(errors: &[EmbeddedError], serializer: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Embedded<'a> {
        errors: &'a [EmbeddedError],
    }
    Embedded { errors }.serialize(serializer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn decode(body: &str) -> DwollaErrorBody {
        serde_json::from_str(body).expect("every JSON body decodes")
    }

    #[test]
    fn code_and_message() {
        let error =
            decode(r#"{"code":"NotFound","message":"The requested resource was not found."}"#);
        assert_eq!(error.code(), Some("NotFound"));
        assert_eq!(
            error.message.as_deref(),
            Some("The requested resource was not found.")
        );
        assert!(error.errors.is_empty());
    }

    #[test]
    fn embedded_validation_errors_keep_their_paths() {
        let error = decode(
            r#"{"code":"ValidationError","message":"Validation error(s) present.",
                "_embedded":{"errors":[{"code":"Invalid","message":"Invalid parameter.",
                "path":"/_links/redirect-url/href","_links":{}}]},"extra":1}"#,
        );
        assert_eq!(error.errors.len(), 1);
        assert_eq!(
            error.errors[0].path.as_deref(),
            Some("/_links/redirect-url/href")
        );
        assert_eq!(error.errors[0].code.as_deref(), Some("Invalid"));
    }

    #[test]
    fn oauth_error_of_the_token_endpoint() {
        let error = decode(r#"{"error":"invalid_client"}"#);
        assert_eq!(error.code(), Some("invalid_client"));
        assert_eq!(error.code, None);
    }

    #[test]
    fn missing_wrong_typed_and_non_object_bodies_still_decode() {
        assert_eq!(decode("{}"), DwollaErrorBody::default());
        assert_eq!(
            decode(r#"{"code":5,"message":null,"_embedded":{"errors":"x"}}"#),
            DwollaErrorBody::default()
        );
        assert_eq!(decode(r#""oops""#), DwollaErrorBody::default());
        assert_eq!(decode("[1,2]"), DwollaErrorBody::default());
    }

    #[test]
    fn serializes_back_to_dwolla_shape() {
        let error = decode(r#"{"code":"ValidationError","_embedded":{"errors":[{"path":"/a"}]}}"#);
        assert_eq!(
            serde_json::to_value(&error).unwrap(),
            json!({ "code": "ValidationError", "_embedded": { "errors": [{ "path": "/a" }] } })
        );
    }
}
