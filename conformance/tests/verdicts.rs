//! Every committed fixture checked against the vendored spec, one insta
//! snapshot per fixture (`glob!`: every mismatch is reported, once, at the
//! end); the spec's surface and defect list as snapshots; coverage of every
//! documented status. Snapshots no test writes any more are found by
//! `cargo insta test --unreferenced=reject` (run by CI).

use conformance::check::{Outcome, Suite};
use conformance::report::{self, Coverage};
use conformance::{defects, fixture, validate, vendored};

fn suite() -> Suite {
    Suite::vendored().expect("the vendored spec compiles")
}

/// Ids, timestamps and redaction markers vary between recordings; the
/// verdict does not depend on them.
macro_rules! redacted {
    ($($body:tt)*) => {
        insta::with_settings!({
            filters => vec![
                (r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", "[uuid]"),
                (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z", "[timestamp]"),
            ],
            omit_expression => true,
        }, { $($body)* });
    };
}

#[test]
fn every_committed_exchange_conforms_and_its_verdict_is_snapshotted() {
    let suite = suite();
    let mut checked = 0;
    let mut failed = Vec::new();
    redacted! {
        insta::glob!("../fixtures", "*.json", |path| {
            let loaded = fixture::load_file(path).expect("the fixture loads");
            let verdict = suite.check_loaded(&loaded);
            checked += 1;
            if verdict.outcome == Outcome::Fail {
                failed.push(format!("{verdict:#?}"));
            }
            insta::assert_json_snapshot!("verdict", verdict);
        });
    }
    assert!(checked >= 25, "{checked} fixtures");
    assert!(
        failed.is_empty(),
        "failing fixtures:\n{}",
        failed.join("\n")
    );
}

#[test]
fn every_documented_status_has_a_fixture() {
    let suite = suite();
    let coverage = Coverage::of(&suite, &fixture::committed().unwrap());
    assert!(
        coverage.uncovered().is_empty(),
        "uncovered:\n{}",
        coverage.to_text()
    );
}

#[test]
fn the_spec_surface_is_snapshotted() {
    let spec = vendored::spec().unwrap();
    insta::assert_json_snapshot!("surface", report::surface(&spec));
}

#[test]
fn the_spec_defects_are_snapshotted() {
    let suite = suite();
    let mut found = defects::find(&suite.spec);
    let validators = validate::Validators::compile(&suite.spec).unwrap();
    found.extend(defects::invalid_examples(&suite.spec, &validators).unwrap());
    insta::assert_json_snapshot!(
        "defects",
        serde_json::json!({ "defects": found, "errata": suite.errata })
    );
}
