//! The hand-written operations as an OpenAPI 3.1 fragment: a `paths` entry
//! per operation and the `components.schemas` their bodies use, generated
//! from the request and error types with `schemars` (JSON Schema 2020-12).

use schemars::generate::{SchemaGenerator, SchemaSettings};
use serde_json::{Value, json};

use super::reauth::{
    CreateReAuthExchangeSessionForWeb, CreateReAuthExchangeSessionWithRedirect,
    ExchangeSessionErrorBody,
};
use crate::operations::DWOLLA_MEDIA_TYPE;
use crate::operations::extension::CREATE_RE_AUTH_EXCHANGE_SESSION;

/// The OpenAPI 3.1 definition of every operation in [`extras`](super):
/// `{"paths": {...}, "components": {"schemas": {...}}}`, to be merged into the
/// vendored spec. References to `#/components/parameters/Accept` and
/// `#/components/headers/Location` resolve in that spec.
pub fn openapi_fragment() -> Value {
    let mut settings = SchemaSettings::draft2020_12();
    settings.definitions_path = "/components/schemas".into();
    settings.meta_schema = None;
    let mut generator = SchemaGenerator::new(settings);
    let for_web = generator
        .subschema_for::<CreateReAuthExchangeSessionForWeb>()
        .to_value();
    let with_redirect = generator
        .subschema_for::<CreateReAuthExchangeSessionWithRedirect>()
        .to_value();
    let error = generator
        .subschema_for::<ExchangeSessionErrorBody>()
        .to_value();
    let schemas = generator.take_definitions(true);
    let operation = CREATE_RE_AUTH_EXCHANGE_SESSION;

    let error_response = |description: &str| {
        json!({
            "description": description,
            "content": { DWOLLA_MEDIA_TYPE: { "schema": error } },
        })
    };
    json!({
        "paths": {
            operation.path: {
                "post": {
                    "tags": ["exchange sessions"],
                    "summary": "Create re-authentication exchange session",
                    "description": "Starts a new exchange session for an exchange whose bank connection is no longer authorized (Dwolla answered `UpdateCredentials`). The response carries no body; its `Location` header is the new session.",
                    "operationId": operation.operation_id,
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "description": "The exchange's id.",
                            "required": true,
                            "schema": { "type": "string" },
                        },
                        { "$ref": "#/components/parameters/Accept" },
                    ],
                    "requestBody": {
                        "required": false,
                        "description": "A redirect URL for Plaid in a mobile app; nothing, or an empty object, for Plaid on the web.",
                        "content": {
                            DWOLLA_MEDIA_TYPE: {
                                "schema": { "oneOf": [for_web, with_redirect] },
                            },
                        },
                    },
                    "responses": {
                        "201": {
                            "description": "created",
                            "headers": { "Location": { "$ref": "#/components/headers/Location" } },
                        },
                        "400": error_response("validation error"),
                        "403": error_response("forbidden"),
                    },
                },
            },
        },
        "components": { "schemas": schemas },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fragment_defines_the_operation_and_its_schemas() {
        let fragment = openapi_fragment();
        let operation = &fragment["paths"][CREATE_RE_AUTH_EXCHANGE_SESSION.path]["post"];
        assert_eq!(operation["operationId"], "createReAuthExchangeSession");
        assert_eq!(operation["requestBody"]["required"], false);
        let statuses: Vec<&String> = operation["responses"].as_object().unwrap().keys().collect();
        assert_eq!(statuses, ["201", "400", "403"]);
        let names: Vec<&String> = fragment["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(
            names,
            [
                "CreateReAuthExchangeSessionForWeb",
                "CreateReAuthExchangeSessionWithRedirect",
                "ExchangeSessionErrorBody"
            ]
        );
        let redirect =
            &fragment["components"]["schemas"]["CreateReAuthExchangeSessionWithRedirect"];
        assert_eq!(
            redirect["properties"]["_links"]["properties"]["redirect-url"]["properties"]["href"]["format"],
            "uri"
        );
        let error = &fragment["components"]["schemas"]["ExchangeSessionErrorBody"];
        assert_eq!(error["properties"]["code"]["type"], "string");
        assert!(error.get("required").is_none());
    }
}
