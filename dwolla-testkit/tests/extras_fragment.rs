//! The checker and the drift tool do not depend on the client, so they read
//! the extension layer's OpenAPI fragment from the committed
//! `openapi/extras-fragment.json`. This test keeps that copy equal to what
//! the client's hand-written types generate.
//!
//! After changing the extension's types, rewrite the file with
//! `UPDATE_EXTRAS_FRAGMENT=1 cargo test -p dwolla-testkit --test extras_fragment`
//! (never done when `CI` is set) and review the diff.

use std::path::Path;

use conformance::vendored;
use dwolla_exchange_sessions::extras::openapi_fragment;

#[test]
fn the_committed_fragment_is_what_the_extension_generates() {
    let generated = openapi_fragment();
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(vendored::EXTRAS_FRAGMENT_PATH);
    if std::env::var_os("UPDATE_EXTRAS_FRAGMENT").is_some() && std::env::var_os("CI").is_none() {
        let text = serde_json::to_string_pretty(&generated).expect("JSON") + "\n";
        std::fs::write(&path, text).expect("the fragment is writable");
    }
    let committed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("the committed fragment"))
            .expect("the committed fragment is JSON");
    assert!(
        committed == generated,
        "{} is stale: rewrite it with UPDATE_EXTRAS_FRAGMENT=1 cargo test -p dwolla-testkit --test extras_fragment",
        vendored::EXTRAS_FRAGMENT_PATH
    );
    assert_eq!(
        vendored::extras_fragment().expect("the embedded copy parses"),
        generated,
        "the checker embeds the fragment at build time; rebuild it"
    );
}
