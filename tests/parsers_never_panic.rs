//! Property tests for the public parser of untrusted input: the error body of
//! any failed call. Whatever the server sends, it returns a value or an
//! error; it never panics. (The `Location` parser is internal; its property
//! test is beside it, in `src/client/location.rs`.)

use dwolla_exchange_sessions::DwollaErrorBody;
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

proptest! {
    #[test]
    fn any_bytes_decode_into_an_error_body_or_fail_cleanly(bytes in any::<Vec<u8>>()) {
        let _ = serde_json::from_slice::<DwollaErrorBody>(&bytes);
    }

    #[test]
    fn every_json_value_decodes_into_an_error_body(value in json_value()) {
        let decoded: DwollaErrorBody = serde_json::from_value(value.clone()).expect("any JSON is an error body");
        if let Some(code) = value.get("code").and_then(Value::as_str) {
            prop_assert_eq!(decoded.code(), Some(code));
        }
    }
}
