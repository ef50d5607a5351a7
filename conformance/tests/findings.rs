//! The checker judges the constraints the spec states, and nothing it does
//! not: request security (the effective requirement, through
//! `securitySchemes`), the `int32`/`int64` ranges of numbers, a relative
//! `Location` (a URI reference), a JSON body kept as text, and reasons that
//! say what is wrong.

use conformance::check::{Check, Outcome, Suite, Verdict};
use conformance::fixture::{self, Exchange};
use serde_json::json;

fn loaded(name: &str) -> Exchange {
    fixture::committed_one(name)
        .expect("the fixture loads")
        .exchange
}

fn check(exchange: &Exchange) -> Verdict {
    Suite::vendored().unwrap().check("finding", exchange)
}

fn failed(verdict: &Verdict, check: Check) -> Vec<(&str, &str)> {
    verdict
        .failures
        .iter()
        .filter(|f| f.check == check)
        .map(|f| (f.schema_pointer.as_str(), f.message.as_str()))
        .collect()
}

#[test]
fn a_request_without_the_credentials_its_security_asks_for_fails_naming_the_requirement() {
    let mut token = loaded("create-application-access-token.200");
    assert_eq!(
        check(&token).outcome,
        Outcome::Pass,
        "`Basic <redacted>` counts as present"
    );
    token.request.headers.remove("authorization");
    let verdict = check(&token);
    assert_eq!(verdict.outcome, Outcome::Fail, "{verdict:#?}");
    let found = failed(&verdict, Check::Security);
    assert_eq!(found.len(), 1, "{verdict:#?}");
    assert_eq!(found[0].0, "/paths/~1token/post/security");
    assert!(
        found[0].1.contains("`basicAuth` (http basic)"),
        "{}",
        found[0].1
    );
    token
        .request
        .headers
        .insert("authorization".into(), "Bearer <redacted>".into());
    assert_eq!(check(&token).outcome, Outcome::Fail, "the wrong scheme");

    let mut partners = loaded("list-exchange-partners.200");
    partners.request.headers.remove("authorization");
    let verdict = check(&partners);
    assert_eq!(
        failed(&verdict, Check::Security)[0].0,
        "/security",
        "{verdict:#?}"
    );
}

#[test]
fn a_number_outside_its_integer_format_fails_the_exchange_at_the_format() {
    let mut partners = loaded("list-exchange-partners.200");
    let body = partners.response.body.as_mut().unwrap();
    body["total"] = json!(3_000_000_000u64);
    let verdict = check(&partners);
    assert_eq!(verdict.outcome, Outcome::Fail, "{verdict:#?}");
    let found = failed(&verdict, Check::ResponseBody);
    assert!(
        found
            .iter()
            .any(|(pointer, message)| pointer.ends_with("/total/format")
                && message.contains("int32 range")),
        "{verdict:#?}"
    );
    body_total(&mut partners, json!(2_147_483_647));
    assert_eq!(check(&partners).outcome, Outcome::Pass);
}

fn body_total(exchange: &mut Exchange, value: serde_json::Value) {
    exchange.response.body.as_mut().unwrap()["total"] = value;
}

#[test]
fn a_relative_location_is_a_uri_reference() {
    let mut created = loaded("create-customer-exchange-session.mx.201");
    for relative in [
        "/exchange-sessions/0d4b6a8e",
        "../../exchange-sessions/0d4b6a8e",
    ] {
        created
            .response
            .headers
            .insert("location".into(), relative.into());
        let verdict = check(&created);
        assert_eq!(verdict.outcome, Outcome::Pass, "{relative}: {verdict:#?}");
    }
    created
        .response
        .headers
        .insert("location".into(), "http://[::1/exchange-sessions/x".into());
    assert_eq!(check(&created).outcome, Outcome::Fail);
}

#[test]
fn a_json_body_kept_as_text_is_read_as_json_and_one_that_is_not_says_so() {
    let mut created = loaded("create-customer-exchange-session.mx.201");
    let body = created.request.body.take().unwrap();
    created.request.body_text = Some(body.to_string());
    assert_eq!(
        check(&created).outcome,
        Outcome::Pass,
        "the text of a valid body"
    );
    created.request.body_text = Some("<html>not json</html>".into());
    let verdict = check(&created);
    let found = failed(&verdict, Check::RequestBody);
    assert_eq!(found.len(), 1, "{verdict:#?}");
    assert!(
        found[0].1.starts_with("the request body is not JSON"),
        "{}",
        found[0].1
    );
}

#[test]
fn a_file_holding_an_array_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("list.json");
    std::fs::write(&path, r#"[{"operation": "x"}]"#).unwrap();
    let error = fixture::load_file(&path).unwrap_err().to_string();
    assert!(
        error.contains("holds one JSON object") && error.contains("an array"),
        "{error}"
    );
}

/// A number a 64-bit read rounds is judged as the file writes it: `1` and
/// twenty zeros and a `1` after the point is not an integer, though the
/// double it rounds to is.
#[test]
fn numbers_are_judged_as_written_not_as_rounded() {
    let dir = tempfile::tempdir().unwrap();
    let text = fixture::committed_text("list-exchange-partners.200.json").unwrap();
    let mut value: serde_json::Value = serde_json::from_str(text).unwrap();
    value["response"]["body"]["total"] = json!("TOTAL");
    for (written, keyword) in [
        ("1.00000000000000000001", "/total/type"),
        ("12345678901234567890123", "/total/format"),
    ] {
        let path = dir.path().join("rounded.json");
        std::fs::write(&path, value.to_string().replace("\"TOTAL\"", written)).unwrap();
        let loaded = fixture::load_file(&path).unwrap();
        let verdict = Suite::vendored().unwrap().check_loaded(&loaded);
        assert_eq!(verdict.outcome, Outcome::Fail, "{written}: {verdict:#?}");
        assert!(
            verdict
                .failures
                .iter()
                .any(|f| f.instance_pointer == "/total" && f.schema_pointer.ends_with(keyword)),
            "{written}: {verdict:#?}"
        );
    }
    std::fs::write(
        dir.path().join("rounded.json"),
        value.to_string().replace("\"TOTAL\"", "3"),
    )
    .unwrap();
    let loaded = fixture::load_file(&dir.path().join("rounded.json")).unwrap();
    assert_eq!(
        Suite::vendored().unwrap().check_loaded(&loaded).outcome,
        Outcome::Pass
    );
}
