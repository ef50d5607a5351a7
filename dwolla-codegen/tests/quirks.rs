//! The synthetic quirks spec (`tests/specs/quirks.yml`) through the client's
//! profile: what the build script is told about it, and the build failure,
//! with file and JSON pointer, when the spec lacks what the client needs.

use std::path::{Path, PathBuf};

use dwolla_codegen::profile::{self, Unmet, client_profile};
use dwolla_codegen::{AuthScheme, Generated, generate};
use serde_json::Value;

fn quirks_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs/quirks.yml")
}

fn quirks() -> Value {
    openapi_doc::load::load_file(&quirks_path()).expect("the quirks spec loads")
}

fn generated(doc: Value) -> Generated {
    generate(doc, &quirks_path(), &client_profile()).expect("generates")
}

#[test]
fn the_quirks_spec_meets_every_need_and_defines_the_re_auth_operation() {
    let generated = generated(quirks());
    assert_eq!(profile::unmet_needs(&generated, true), [] as [Unmet; 0]);
    assert_eq!(profile::spec_cfgs(&generated), ["re_auth_operation"]);
    let token = generated
        .operations
        .iter()
        .find(|op| profile::is_token_operation(op))
        .expect("POST /token");
    assert_eq!(token.operation_id, "getAccessToken");
    assert!(
        matches!(&token.auth, AuthScheme::Unsupported(why) if why.contains("`basicAuth` is not defined")),
        "{:?}",
        token.auth
    );
    assert_eq!(generated.skipped, []);
}

#[test]
fn fragment_keys_are_generated_at_the_path_they_send() {
    let generated = generated(quirks());
    let micro_deposits: Vec<(&str, &str, &str)> = generated
        .operations
        .iter()
        .filter(|op| op.operation_id.contains("MicroDeposits"))
        .map(|op| {
            (
                op.operation_id.as_str(),
                op.method.as_str(),
                op.path.as_str(),
            )
        })
        .collect();
    let path = "/funding-sources/{id}/micro-deposits";
    assert_eq!(
        micro_deposits,
        [
            ("getMicroDeposits", "GET", path),
            ("verifyMicroDeposits", "POST", path),
            ("initiateMicroDeposits", "PUT", path),
            ("initiateMicroDepositsAgain", "POST", path),
        ]
    );
    let noted: Vec<&str> = generated
        .notes
        .iter()
        .filter(|note| note.pointer.contains('#'))
        .map(|note| note.pointer.as_str())
        .collect();
    assert_eq!(
        noted,
        [
            "/paths/~1funding-sources~1{id}~1micro-deposits#again",
            "/paths/~1funding-sources~1{id}~1micro-deposits#initiate"
        ]
    );
}

#[test]
fn a_spec_without_what_the_client_needs_names_the_pointer_and_what_is_missing() {
    let mut doc = quirks();
    let paths = doc["paths"].as_object_mut().expect("paths");
    paths.remove("/token");
    paths.remove("/exchange-sessions/{id}");
    let generated = generated(doc);
    let unmet = profile::unmet_needs(&generated, true);
    let found: Vec<(&str, &str)> = unmet
        .iter()
        .map(|u| (u.pointer.as_str(), u.what.split(';').next().unwrap_or("")))
        .collect();
    assert_eq!(
        found,
        [
            ("/paths/~1token/post", "no `POST /token` (POST /token)"),
            (
                "/paths/~1exchange-sessions~1{id}/get",
                "no operation `retrieveCustomerExchangeSession` (GET /exchange-sessions/{id})"
            ),
        ]
    );
    assert!(
        unmet[0]
            .message(Path::new("specs/other.yml"))
            .starts_with("specs/other.yml: /paths/~1token/post: no `POST /token`"),
        "{}",
        unmet[0].message(Path::new("specs/other.yml"))
    );
    let without_ergonomic = profile::unmet_needs(&generated, false);
    assert_eq!(without_ergonomic.len(), 1, "{without_ergonomic:?}");
}
