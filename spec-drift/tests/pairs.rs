//! One synthetic spec pair per rule (`tests/data/<rule>/old.yaml` and
//! `new.yaml`, with `fixtures/` where the rule needs recorded exchanges):
//! each report as a snapshot, and the rules and classes each must show.

use std::collections::BTreeSet;
use std::path::Path;

use conformance::fixture;
use spec_drift::report::Class::{self, *};
use spec_drift::report::Scope;
use spec_drift::{Options, render};

/// Per pair: the `(rule, class)` of every finding its report must hold.
const EXPECTED: &[(&str, &[(&str, Class)])] = &[
    ("auth-scheme-changed", &[("security-changed", WireBreaking)]),
    (
        "error-body-reshaped",
        &[
            ("error-body-reshaped", NoEffect),
            ("field-type-changed", NoEffect),
        ],
    ),
    ("ignored-accept-parameter", &[]),
    (
        "inline-body-to-ref",
        &[
            ("request-body-renamed", SourceBreaking),
            ("type-renamed", SourceBreaking),
        ],
    ),
    ("optional-field-added", &[("field-added", Compatible)]),
    (
        "reality-fixture-fails",
        &[
            ("fixture-fails", WireBreaking),
            ("response-undecodable", WireBreaking),
            ("field-type-changed", SourceBreaking),
        ],
    ),
    (
        "recursive-schema",
        &[
            ("response-undecodable", WireBreaking),
            ("field-type-changed", SourceBreaking),
        ],
    ),
    (
        "re-auth-operation-defined",
        &[
            ("extras-replaced", SourceBreaking),
            ("operation-added", Compatible),
            ("type-added", Compatible),
        ],
    ),
    ("reordered-oneof", &[]),
    (
        "request-enum-narrowed",
        &[
            ("request-refused", WireBreaking),
            ("variant-removed", SourceBreaking),
        ],
    ),
    (
        "request-field-made-required",
        &[
            ("request-refused", WireBreaking),
            ("field-made-required", SourceBreaking),
        ],
    ),
    (
        "required-query-parameter",
        &[
            ("required-parameter-added", WireBreaking),
            ("argument-added", Compatible),
        ],
    ),
    (
        "response-enum-gained",
        &[
            ("field-type-changed", SourceBreaking),
            ("type-added", Compatible),
        ],
    ),
    (
        "undefined-security-scheme",
        &[("security-scheme-undefined", WireBreaking)],
    ),
    ("accept-meets-the-new-answer", &[]),
    (
        "bearer-scheme-becomes-oauth2",
        &[("security-scheme-changed", Compatible)],
    ),
    (
        "composition-cycle",
        &[
            ("operation-not-generated", SourceBreaking),
            ("type-removed", SourceBreaking),
        ],
    ),
    (
        "inline-variant-type-removed",
        &[
            ("field-type-changed", SourceBreaking),
            ("type-removed", SourceBreaking),
        ],
    ),
    (
        "many-fields-made-required",
        &[("field-made-required", SourceBreaking)],
    ),
    ("oneof-shapes-read-themselves", &[]),
    (
        "outside-the-client",
        &[
            ("request-refused", WireBreaking),
            ("field-made-required", SourceBreaking),
        ],
    ),
    (
        "path-parameter-renamed",
        &[
            ("argument-removed", SourceBreaking),
            ("argument-added", Compatible),
        ],
    ),
    (
        "token-fetch-refused",
        &[
            ("token-fetch-refused", WireBreaking),
            ("field-made-required", SourceBreaking),
            ("field-type-changed", SourceBreaking),
            ("type-added", Compatible),
            ("token-fetch-unaffected", NoEffect),
        ],
    ),
    (
        "token-fields-narrowed",
        &[
            ("field-type-changed", SourceBreaking),
            ("spec-example-fails", Compatible),
            ("type-added", Compatible),
            ("token-fetch-unaffected", NoEffect),
        ],
    ),
    (
        "token-secured-by-its-own-token",
        &[("token-security-defect", Compatible)],
    ),
    ("variants-renamed", &[("variant-renamed", SourceBreaking)]),
];

#[test]
fn each_pair_shows_its_rules_and_classes() {
    let mut seen = BTreeSet::new();
    insta::glob!("data/*/new.yaml", |new| {
        let dir = new.parent().expect("a pair folder");
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .expect("a folder name");
        let relative = |file: &str| {
            dir.join(file)
                .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                .expect("under the crate")
                .to_path_buf()
        };
        let fixtures = if dir.join("fixtures").is_dir() {
            fixture::load(&[dir.join("fixtures")]).expect("the pair's fixtures load")
        } else {
            Vec::new()
        };
        let options = Options {
            scope: Scope::AllOperations,
            fixtures,
            ..Options::default()
        };
        let report = spec_drift::drift(&relative("old.yaml"), &relative("new.yaml"), &options)
            .expect("both specs generate");
        insta::assert_snapshot!(render::to_text(&report, true));

        let expected = EXPECTED
            .iter()
            .find(|(pair, _)| *pair == name)
            .unwrap_or_else(|| panic!("no expectation for pair {name}"))
            .1;
        let found: BTreeSet<(&str, Class)> = report
            .findings
            .iter()
            .map(|f| (f.rule.as_str(), f.class))
            .collect();
        assert_eq!(
            found,
            expected.iter().copied().collect::<BTreeSet<_>>(),
            "{name}"
        );
        seen.insert(name.to_string());
    });
    let listed: BTreeSet<String> = EXPECTED.iter().map(|(pair, _)| pair.to_string()).collect();
    assert_eq!(seen, listed, "every pair has its folder");
}

#[test]
fn a_fixture_is_evidence_only_when_it_passes_under_old() {
    let dir = Path::new("tests/data/reality-fixture-fails");
    let fixtures = fixture::load(&[dir.join("fixtures")]).expect("fixtures load");
    let options = Options {
        scope: Scope::AllOperations,
        fixtures,
        ..Options::default()
    };
    let backwards = spec_drift::drift(&dir.join("new.yaml"), &dir.join("old.yaml"), &options)
        .expect("both specs generate");
    assert!(
        backwards.findings.iter().all(|f| f.rule != "fixture-fails"),
        "{:#?}",
        backwards.findings
    );
}
