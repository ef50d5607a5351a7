//! Every committed fixture checked against the vendored spec, one insta
//! snapshot per verdict; the spec's surface and defect list as snapshots;
//! coverage of every documented status; no orphaned snapshot.

use std::collections::BTreeSet;

use conformance::check::{Outcome, Suite};
use conformance::defects;
use conformance::fixture;
use conformance::report::{self, Coverage};

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
    let fixtures = fixture::committed().expect("fixtures load");
    assert!(fixtures.len() >= 25, "{} fixtures", fixtures.len());
    let mut failed = Vec::new();
    for loaded in &fixtures {
        let verdict = suite.check_loaded(loaded);
        if verdict.outcome == Outcome::Fail {
            failed.push(format!("{verdict:#?}"));
        }
        redacted! {
            insta::assert_json_snapshot!(format!("verdict__{}", loaded.name), verdict);
        }
    }
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
    let spec = conformance::spec::Spec::vendored().unwrap();
    insta::assert_json_snapshot!("surface", report::surface(&spec));
}

#[test]
fn the_spec_defects_are_snapshotted() {
    let suite = suite();
    let mut found = defects::find(&suite.spec);
    let validators = conformance::validate::Validators::compile(&suite.spec).unwrap();
    found.extend(defects::invalid_examples(&suite.spec, &validators));
    insta::assert_json_snapshot!(
        "defects",
        serde_json::json!({ "defects": found, "errata": suite.errata })
    );
}

/// A snapshot no test writes any more is a stale verdict; fail on it.
#[test]
fn no_snapshot_is_orphaned() {
    let mut expected: BTreeSet<String> = fixture::committed()
        .unwrap()
        .iter()
        .map(|loaded| format!("verdicts__verdict__{}.snap", loaded.name))
        .collect();
    expected.insert("verdicts__surface.snap".into());
    expected.insert("verdicts__defects.snap".into());
    expected.insert("drift__drift_report.snap".into());
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let orphans: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| {
                    name.starts_with("verdicts__")
                        && name.ends_with(".snap")
                        && !expected.contains(name)
                })
                .collect()
        })
        .unwrap_or_default();
    assert!(
        orphans.is_empty(),
        "orphaned snapshots (delete them): {orphans:?}"
    );
}
