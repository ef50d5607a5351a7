//! Property tests for the parsers that read untrusted input: the `Location`
//! of a 201 and the error body of any failed call. Whatever the server sends,
//! they return a value or an error; they never panic.

use dwolla_exchange_sessions::{DwollaError, location};
use proptest::prelude::*;
use serde_json::Value;

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[a-zA-Z_/ -]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("code".to_string()),
                    Just("message".to_string()),
                    Just("error".to_string()),
                    Just("_embedded".to_string()),
                    Just("errors".to_string()),
                    Just("path".to_string()),
                    Just("_links".to_string()),
                    "[a-z]{1,6}",
                ],
                inner,
                0..6
            )
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn location_like() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        any::<Vec<u8>>(),
        "(https?|ftp|[a-z]{1,4}):(//)?([a-z.@]{0,12})(:[0-9]{0,6})?(/[a-zA-Z0-9%.\\\\-]{0,10}){0,4}(\\?[a-z=]{0,6})?(#[a-z]{0,3})?"
            .prop_map(String::into_bytes),
        "(/exchange-sessions/[a-z0-9%.-]{0,12}){1,2}".prop_map(|path| format!("https://api.dwolla.com{path}").into_bytes()),
    ]
}

proptest! {
    #[test]
    fn any_bytes_decode_into_an_error_body_or_fail_cleanly(bytes in any::<Vec<u8>>()) {
        let _ = serde_json::from_slice::<DwollaError>(&bytes);
    }

    #[test]
    fn every_json_value_decodes_into_an_error_body(value in json_value()) {
        let decoded: DwollaError = serde_json::from_value(value.clone()).expect("any JSON is an error body");
        if let Some(code) = value.get("code").and_then(Value::as_str) {
            prop_assert_eq!(decoded.code(), Some(code));
        }
    }

    #[test]
    fn a_location_is_accepted_only_as_a_session_on_the_base_host(
        raw in location_like(),
        base in prop_oneof![
            Just("https://api.dwolla.com".to_string()),
            Just("http://127.0.0.1:8080/prefix".to_string()),
            "[a-z:/.]{0,20}",
        ],
    ) {
        if let Ok(created) = location::parse_created(Some(&raw), &base, "exchange-sessions") {
            let base_url = reqwest::Url::parse(&base).expect("an accepted base parses");
            prop_assert_eq!(created.url.origin(), base_url.origin());
            prop_assert!(!created.id.is_empty() && !created.id.contains('/') && created.id != ".." && created.id != ".");
            prop_assert!(created.url.path().contains("/exchange-sessions/"));
        }
    }
}
