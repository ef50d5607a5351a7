//! The suite must not pass what it did not check: a schema it has no
//! validator for fails the exchange, a body the published spec reads as the
//! wrong `oneOf` branch is a finding, and a spec-defect note appears only
//! where the corrected spec accepts what the published one rejects.

use conformance::check::{Check, Outcome, Suite};
use conformance::errata;
use conformance::fixture::{self, Exchange};
use conformance::validate::{self, Validators};
use openapi_doc::pointer::join;
use openapi_doc::spec::Spec;
use serde_json::{Value, json};

fn loaded(name: &str) -> Exchange {
    fixture::committed_one(name)
        .expect("the fixture loads")
        .exchange
}

const NO_SCHEMA_HEADER: &str = r"
openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: ok
          headers:
            X-Count:
              description: documented, but with no schema the suite could compile
";

#[test]
fn a_header_the_suite_has_no_validator_for_fails_the_exchange_naming_its_pointer() {
    let spec = Spec::parse(NO_SCHEMA_HEADER, "t.yml").unwrap();
    let suite = Suite::new(spec, Vec::new()).unwrap();
    let mut exchange = loaded("list-exchange-partners.200");
    exchange.operation = "listThings".into();
    exchange.request.path = "/things".into();
    exchange.response.headers = [("x-count".to_string(), "many".to_string())].into();
    exchange.response.body = None;
    let verdict = suite.check("no-validator", &exchange);
    assert_eq!(verdict.outcome, Outcome::Fail, "{verdict:#?}");
    let failure = &verdict.failures[0];
    assert_eq!(failure.check, Check::Headers);
    assert_eq!(
        failure.schema_pointer,
        "/paths/~1things/get/responses/200/headers/X-Count/schema"
    );
    assert!(failure.message.contains("no validator"), "{failure:#?}");
}

#[test]
fn a_body_the_published_spec_reads_as_the_wrong_branch_is_a_spec_defect() {
    let suite = Suite::vendored().unwrap();
    for (name, erratum) in [
        (
            "create-customer-exchange-session.plaid-android.201",
            "create-redirect-url-package-name",
        ),
        (
            "create-re-auth-exchange-session.android.201",
            "re-auth-redirect-url-package-name",
        ),
    ] {
        let verdict = suite.check(name, &loaded(name));
        assert_eq!(verdict.outcome, Outcome::Pass, "{verdict:#?}");
        let hits: Vec<&str> = verdict
            .spec_defects
            .iter()
            .map(|hit| hit.erratum.as_str())
            .collect();
        assert_eq!(hits, [erratum], "{verdict:#?}");
        let said = &verdict.spec_defects[0].strict_failure;
        assert!(
            said.contains("WithRedirect") && said.contains("ForWeb"),
            "{said}"
        );
    }
}

#[test]
fn a_body_only_a_branch_that_does_not_declare_its_members_accepts_fails() {
    let suite = Suite::vendored().unwrap();
    let mut exchange = loaded("create-customer-exchange-session.plaid-ios.201");
    *exchange
        .request
        .body
        .as_mut()
        .and_then(|body| body.pointer_mut("/_links/redirect-url/href"))
        .unwrap() = json!(42);
    let verdict = suite.check("redirect-url-a-number", &exchange);
    assert_eq!(verdict.outcome, Outcome::Fail, "{verdict:#?}");
    assert_eq!(
        verdict.failures[0].check,
        Check::RequestBody,
        "{verdict:#?}"
    );
    assert!(verdict.spec_defects.is_empty(), "{verdict:#?}");
}

/// Every exchange worth checking the rule on: each committed fixture, and
/// each with one member of a body changed to a value of another type.
fn exchanges_and_mutants() -> Vec<(String, Exchange)> {
    let mut out = Vec::new();
    for loaded in fixture::committed().unwrap() {
        let exchange = loaded.exchange;
        for request in [true, false] {
            let body = if request {
                &exchange.request.body
            } else {
                &exchange.response.body
            };
            let mut members = Vec::new();
            if let Some(body) = body {
                collect_members(body, "", &mut members);
            }
            for member in members {
                let mut mutant = exchange.clone();
                let body = if request {
                    mutant.request.body.as_mut()
                } else {
                    mutant.response.body.as_mut()
                };
                if let Some(value) = body.and_then(|b| b.pointer_mut(&member)) {
                    *value = if value.is_number() {
                        json!("x")
                    } else {
                        json!(42)
                    };
                }
                out.push((format!("{} {member}", loaded.name), mutant));
            }
        }
        out.push((loaded.name, exchange));
    }
    out
}

fn collect_members(value: &Value, at: &str, out: &mut Vec<String>) {
    if let Value::Object(object) = value {
        for (name, inner) in object {
            let here = join(at, name);
            out.push(here.clone());
            collect_members(inner, &here, out);
        }
    }
}

/// The instance a note's check validated in `exchange`, at `pointer`.
fn instance_of(suite: &Suite, check: Check, pointer: &str, exchange: &Exchange) -> Option<Value> {
    match check {
        Check::RequestBody => exchange.request.body.clone(),
        Check::ResponseBody => exchange.response.body.clone(),
        Check::Headers => {
            let operation = suite.operation(&exchange.operation)?;
            let (_, response) = operation.response(exchange.response.status)?;
            response
                .headers
                .keys()
                .find(|name| {
                    validate::header_pointer(&response.pointer, &suite.spec, name) == pointer
                })
                .and_then(|name| exchange.response.header(name))
                .map(|value| Value::String(value.to_string()))
        }
        _ => None,
    }
}

#[test]
fn a_spec_defect_note_appears_only_where_the_corrected_spec_accepts_what_the_published_rejects() {
    let suite = Suite::vendored().unwrap();
    let published = Validators::compile(&suite.spec).unwrap();
    let corrected =
        Validators::compile(&errata::apply(&suite.spec, &suite.errata).unwrap()).unwrap();
    let mut notes = 0;
    let mut broken = Vec::new();
    for (name, exchange) in exchanges_and_mutants() {
        for hit in suite.check(&name, &exchange).spec_defects {
            notes += 1;
            let instance = instance_of(&suite, hit.check, &hit.schema_pointer, &exchange)
                .unwrap_or_else(|| panic!("{name}: no instance for {hit:?}"));
            let validate = |validators: &Validators| match hit.branch {
                Some(index) => validators.validate_branch(&hit.schema_pointer, index, &instance),
                None => validators.validate(&hit.schema_pointer, &instance),
            };
            let accepted_corrected = validate(&corrected).unwrap().is_empty();
            let rejected_published = !validate(&published).unwrap().is_empty();
            if !(accepted_corrected && rejected_published) || hit.erratum == "unattributed" {
                broken.push(format!("{name}: {hit:?}"));
            }
        }
    }
    assert!(
        notes >= 10,
        "only {notes} notes: the rule was hardly exercised"
    );
    assert!(
        broken.is_empty(),
        "{} of {notes} notes break the rule:\n{}",
        broken.len(),
        broken.join("\n")
    );
}

#[test]
fn every_body_and_header_schema_of_the_spec_has_a_validator() {
    let spec = conformance::vendored::spec().unwrap();
    let corrected = errata::apply(&spec, &errata::committed().unwrap()).unwrap();
    for spec in [&spec, &corrected] {
        let validators = Validators::compile(spec).unwrap();
        let mut pointers = Vec::new();
        for operation in spec.operations() {
            if let Some(request) = &operation.request {
                pointers.extend(request.media_types.values().cloned());
            }
            for response in operation.responses.values() {
                pointers.extend(response.media_types.values().cloned());
                pointers.extend(
                    response
                        .headers
                        .keys()
                        .map(|name| validate::header_pointer(&response.pointer, spec, name)),
                );
            }
        }
        assert!(pointers.len() >= 15, "{} pointers", pointers.len());
        let missing: Vec<&String> = pointers.iter().filter(|p| !validators.has(p)).collect();
        assert!(missing.is_empty(), "no validator for {missing:#?}");
    }
}
