//! The vendored spec against Dwolla's full January 2026 spec (kept outside
//! the repository, in `../shared/reference/`; `DWOLLA_REFERENCE_SPEC` names
//! another copy). In CI (`CI` set, and not `false` or `0`) a missing
//! reference is a failure; elsewhere the test says it skips.

use std::path::{Path, PathBuf};

use spec_drift::report::Class;

fn workspace(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative)
}

/// Whether this runs in CI, where a missing input is a failure.
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

#[test]
fn the_reference_spec_drifts_only_where_it_differs() {
    let reference = std::env::var_os("DWOLLA_REFERENCE_SPEC")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace("../shared/reference/dwolla-openapi-d4901e4.yml"));
    if !reference.is_file() {
        assert!(
            !in_ci(),
            "the reference spec {} is missing (required in CI)",
            reference.display()
        );
        eprintln!("SKIPPED: no reference spec at {}", reference.display());
        return;
    }
    let report = spec_drift::drift(&workspace("openapi/dwolla.yml"), &reference, &[])
        .expect("both specs generate");
    let rules = |class: Class| -> Vec<(&str, &str)> {
        report
            .findings
            .iter()
            .filter(|f| f.class == class)
            .map(|f| (f.rule, f.subject.as_str()))
            .collect()
    };
    assert_eq!(rules(Class::WireBreaking), []);
    assert_eq!(
        rules(Class::SourceBreaking),
        [
            ("extras-replaced", "dwolla_spec=\"re_auth_operation\""),
            ("field-removed", "types::ExchangeSession"),
            (
                "type-removed",
                "types::ExchangeSessionExternalProviderSessionData"
            ),
        ]
    );
    let has = |rule: &str, subject: &str| {
        report
            .findings
            .iter()
            .any(|f| f.rule == rule && f.subject == subject)
    };
    assert!(has("operation-added", "createReAuthExchangeSession"));
    assert!(has("auth-scheme-ignored", "createApplicationAccessToken"));
    assert!(has(
        "spec-defect-introduced",
        "/paths/~1token/post/security"
    ));
}
