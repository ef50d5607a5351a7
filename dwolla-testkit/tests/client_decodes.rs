//! The client's own types read every body the spec accepts: every committed
//! fixture checked by the suite with the client's body readers, each body
//! the spec accepts also decoded with the client's type for it (generated or
//! hand-written). This was part of the verdict snapshots before the checker
//! stopped depending on the client.

use conformance::check::{Check, Outcome};
use conformance::fixture;
use dwolla_testkit::readers::client_suite;

#[test]
fn the_clients_types_read_every_fixture_body_the_spec_accepts() {
    let suite = client_suite().expect("the vendored spec compiles");
    let fixtures = fixture::committed().expect("fixtures load");
    assert!(fixtures.len() >= 25, "{} fixtures", fixtures.len());
    let mut failed = Vec::new();
    let mut undecoded = Vec::new();
    let mut decodes = 0;
    for loaded in &fixtures {
        let verdict = suite.check_loaded(loaded);
        if verdict.outcome == Outcome::Fail {
            failed.push(format!("{verdict:#?}"));
        }
        let runs = verdict
            .checks
            .iter()
            .filter(|check| **check == Check::ClientDecodes)
            .count();
        if runs == 0 {
            undecoded.push(loaded.name.clone());
        }
        decodes += runs;
    }
    assert!(
        failed.is_empty(),
        "failing fixtures:\n{}",
        failed.join("\n")
    );
    // Every body is read by a client type, except the one fixture that has
    // none (a re-authentication for the web: no request body, a 201 with
    // none either).
    assert_eq!(undecoded, ["create-re-auth-exchange-session.web.201"]);
    // 30 response or request bodies, plus 8 error fixtures of creates whose
    // request body is read too.
    assert_eq!(decodes, 38);
}

/// A body the spec accepts but the client's types cannot read is neither a
/// pass nor a failed exchange: it is a gap in the client, with its own
/// verdict. `3600.0` is an integer in JSON Schema (the generated `i64`
/// refuses it); `_links` as an array is allowed by a schema with no `type`
/// (the generated map refuses it).
#[test]
fn a_body_the_spec_accepts_that_the_client_cannot_read_is_a_client_gap() {
    let suite = client_suite().expect("the vendored spec compiles");
    let load = |name: &str| {
        fixture::committed_one(name)
            .expect("the fixture loads")
            .exchange
    };
    let mut token = load("create-application-access-token.200");
    *token
        .response
        .body
        .as_mut()
        .and_then(|body| body.get_mut("expires_in"))
        .expect("the fixture has expires_in") = serde_json::json!(3600.0);
    let mut partner = load("get-exchange-partner.200");
    *partner
        .response
        .body
        .as_mut()
        .and_then(|body| body.get_mut("_links"))
        .expect("the fixture has _links") = serde_json::json!([]);
    for (name, exchange) in [("float-expires-in", token), ("links-as-array", partner)] {
        let verdict = suite.check(name, &exchange);
        assert_eq!(verdict.outcome, Outcome::ClientGap, "{verdict:#?}");
        assert!(
            verdict
                .failures
                .iter()
                .all(|f| f.check == Check::ClientDecodes),
            "{verdict:#?}"
        );
    }
}

/// A client-decodes failure says what kind of value the type refused, never
/// the value (a body can carry secrets): `3600.0` is described as a
/// floating point number.
#[test]
fn a_client_decodes_failure_describes_the_value_without_quoting_it() {
    let suite = client_suite().expect("the vendored spec compiles");
    let mut token = fixture::committed_one("create-application-access-token.200")
        .expect("the fixture loads")
        .exchange;
    *token
        .response
        .body
        .as_mut()
        .and_then(|body| body.get_mut("expires_in"))
        .expect("the fixture has expires_in") = serde_json::json!(3187.0);
    let verdict = suite.check("float-expires-in", &token);
    let messages: Vec<&str> = verdict
        .failures
        .iter()
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(messages.len(), 1, "{verdict:#?}");
    assert!(!messages[0].contains("3187"), "{}", messages[0]);
    assert!(
        messages[0].ends_with("invalid type: a floating point number, expected i64"),
        "{}",
        messages[0]
    );
}
