//! `spec-drift` on Dwolla's published specs: the twelve consecutive versions
//! of May to August 2025 in `../shared/specs/` and the January 2026 one in
//! `../shared/reference/` (kept beside the checkout, never copied into the
//! repository; `DWOLLA_PUBLISHED_SPECS` and `DWOLLA_REFERENCE_SPEC` name
//! other copies). In CI (`CI` set, and not `false` or `0`) missing specs are
//! a failure; elsewhere the tests say they skip.
//!
//! - every spec compared with itself changes nothing, in either scope;
//! - each consecutive pair finds, in the client's operations, what reading
//!   both specs finds (the table below), and its whole report in both
//!   scopes is a snapshot;
//! - a slice cut from a spec (its client operations alone) drifts to the
//!   next spec as the whole spec does;
//! - the vendored slice against the reference names only where they differ.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use conformance::fixture::{self, Loaded};
use dwolla_codegen::profile::CLIENT_OPERATIONS;
use openapi_doc::spec::Spec;
use spec_drift::generated::Side;
use spec_drift::report::Class::{self, *};
use spec_drift::report::{Report, Scope};
use spec_drift::{Options, render};

fn workspace(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative)
}

/// Whether this runs in CI, where a missing input is a failure.
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// The published specs, oldest first (the reference last), or `None` when
/// they are not beside the checkout (a failure in CI).
fn published() -> Option<Vec<PathBuf>> {
    let folder = std::env::var_os("DWOLLA_PUBLISHED_SPECS")
        .map_or_else(|| workspace("../shared/specs"), PathBuf::from);
    let reference = std::env::var_os("DWOLLA_REFERENCE_SPEC").map_or_else(
        || workspace("../shared/reference/dwolla-openapi-d4901e4.yml"),
        PathBuf::from,
    );
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&folder)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "yml"))
                .collect()
        })
        .unwrap_or_default();
    specs.sort();
    if specs.len() < 12 || !reference.is_file() {
        assert!(
            !in_ci(),
            "the published specs are missing ({} holds {} specs, reference {}): CI needs ../shared beside the checkout",
            folder.display(),
            specs.len(),
            reference.display()
        );
        eprintln!(
            "SKIPPED: the published specs are not at {} and {}",
            folder.display(),
            reference.display()
        );
        return None;
    }
    specs.push(reference);
    Some(specs)
}

/// Each published spec, generated once for every test of this file (on a
/// thread with room for typify's recursion).
fn sides() -> Option<&'static [(String, Side)]> {
    static SIDES: OnceLock<Option<Vec<(String, Side)>>> = OnceLock::new();
    SIDES
        .get_or_init(|| {
            let specs = published()?;
            let load = move || {
                specs
                    .iter()
                    .map(|path| {
                        let name = path.file_name().unwrap().to_string_lossy().into_owned();
                        let side = Side::load(path).unwrap_or_else(|e| panic!("{name}: {e}"));
                        (name, side)
                    })
                    .collect()
            };
            Some(
                std::thread::Builder::new()
                    .stack_size(256 << 20)
                    .spawn(load)
                    .expect("a thread")
                    .join()
                    .expect("every published spec generates"),
            )
        })
        .as_deref()
}

fn fixtures() -> &'static [Loaded] {
    static FIXTURES: OnceLock<Vec<Loaded>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        fixture::load(&[workspace("conformance/fixtures")]).expect("the committed fixtures load")
    })
}

fn compare(old: &(String, Side), new: &(String, Side), scope: Scope) -> Report {
    let options = Options {
        scope,
        fixtures: fixtures().to_vec(),
        ..Options::default()
    };
    spec_drift::compare(&old.1, &new.1, (old.0.clone(), new.0.clone()), &options)
        .expect("the comparison runs")
}

#[test]
fn every_published_spec_compared_with_itself_changes_nothing() {
    let Some(sides) = sides() else { return };
    for side in sides {
        for scope in [Scope::Client, Scope::AllOperations] {
            let report = compare(side, side, scope);
            assert_eq!(report.findings, [], "{} ({scope:?})", side.0);
            assert!(!report.fails(), "{}", side.0);
            assert!(
                report.elsewhere.is_none_or(|e| e.findings == 0),
                "{}",
                side.0
            );
        }
    }
}

/// One finding, as `(class, rule, subject)`.
type Found = (Class, &'static str, &'static str);

/// Per consecutive pair (by NEW's file), what reading both specs finds in
/// the client's operations: each finding above no effect. A pair not listed
/// changes nothing there.
const FOUND: &[(&str, &[Found])] = &[
    (
        "dwolla-openapi-2025-06-06-283d7ad.yml",
        &[
            (
                SourceBreaking,
                "field-made-required",
                "types::CreateApplicationAccessTokenResponse",
            ),
            (
                SourceBreaking,
                "field-type-changed",
                "types::CreateApplicationAccessTokenBody",
            ),
            (
                SourceBreaking,
                "field-type-changed",
                "types::CreateApplicationAccessTokenResponse",
            ),
            (
                Compatible,
                "security-scheme-changed",
                "createCustomerExchangeSession",
            ),
            (
                Compatible,
                "security-scheme-changed",
                "createReAuthExchangeSession",
            ),
            (Compatible, "security-scheme-changed", "getExchangePartner"),
            (
                Compatible,
                "security-scheme-changed",
                "listExchangePartners",
            ),
            (
                Compatible,
                "security-scheme-changed",
                "retrieveCustomerExchangeSession",
            ),
            (
                Compatible,
                "spec-defect-introduced",
                "/paths/~1customers~1{id}~1exchange-sessions/post/responses/400/content/application~1vnd.dwolla.v1.hal+json/schema",
            ),
            (
                Compatible,
                "spec-example-fails",
                "create-application-access-token.200",
            ),
            (
                Compatible,
                "token-security-defect",
                "createApplicationAccessToken",
            ),
            (Compatible, "type-added", "createApplicationAccessToken"),
        ],
    ),
    (
        "dwolla-openapi-2025-07-01-51cd650.yml",
        &[
            (
                SourceBreaking,
                "request-body-renamed",
                "createCustomerExchangeSession",
            ),
            (
                SourceBreaking,
                "request-body-renamed",
                "createReAuthExchangeSession",
            ),
            (
                SourceBreaking,
                "type-removed",
                "createCustomerExchangeSession",
            ),
            (
                SourceBreaking,
                "type-removed",
                "createReAuthExchangeSession",
            ),
            (
                Compatible,
                "spec-defect-fixed",
                "/components/schemas/CreateCustomerExchangeSession",
            ),
            (
                Compatible,
                "spec-defect-fixed",
                "/components/schemas/CreateReAuthExchangeSession",
            ),
            (
                Compatible,
                "spec-defect-introduced",
                "/paths/~1customers~1{id}~1exchange-sessions/post/requestBody/content/application~1vnd.dwolla.v1.hal+json/schema",
            ),
            (
                Compatible,
                "spec-defect-introduced",
                "/paths/~1exchanges~1{id}~1exchange-sessions/post/requestBody/content/application~1vnd.dwolla.v1.hal+json/schema",
            ),
            (Compatible, "type-added", "createCustomerExchangeSession"),
            (Compatible, "type-added", "createReAuthExchangeSession"),
        ],
    ),
    (
        "dwolla-openapi-d4901e4.yml",
        &[
            (
                SourceBreaking,
                "field-made-required",
                "types::ExchangePartner",
            ),
            (
                SourceBreaking,
                "field-type-changed",
                "types::CreateApplicationAccessTokenResponse",
            ),
            (
                SourceBreaking,
                "field-type-changed",
                "types::ExchangePartner",
            ),
            (
                SourceBreaking,
                "field-type-changed",
                "types::ExchangePartnersEmbedded",
            ),
            (
                SourceBreaking,
                "type-removed",
                "createApplicationAccessToken",
            ),
            (
                Compatible,
                "token-security-defect",
                "createApplicationAccessToken",
            ),
            (Compatible, "type-added", "getExchangePartner"),
        ],
    ),
];

#[test]
fn each_consecutive_pair_finds_what_reading_both_specs_finds() {
    let Some(sides) = sides() else { return };
    for pair in sides.windows(2) {
        let [old, new] = pair else { unreachable!() };
        let client = compare(old, new, Scope::Client);
        let all = compare(old, new, Scope::AllOperations);
        let suffix = new
            .0
            .trim_start_matches("dwolla-openapi-")
            .trim_end_matches(".yml");
        insta::assert_snapshot!(format!("client-{suffix}"), render::to_text(&client, true));
        insta::assert_snapshot!(format!("all-{suffix}"), render::to_text(&all, true));

        let found: BTreeSet<(Class, &str, &str)> = client
            .findings
            .iter()
            .filter(|f| f.class != NoEffect)
            .map(|f| (f.class, f.rule.as_str(), f.subject.as_str()))
            .collect();
        let expected: BTreeSet<(Class, &str, &str)> = FOUND
            .iter()
            .find(|(file, _)| *file == new.0)
            .map(|(_, found)| found.iter().copied().collect())
            .unwrap_or_default();
        assert_eq!(found, expected, "{} -> {}", old.0, new.0);
        assert_eq!(
            client.fails(),
            !expected.iter().all(|f| f.0 == Compatible),
            "{}",
            new.0
        );
        let lines = render::to_text(&client, false).lines().count();
        assert!(lines <= 40, "{} prints {lines} lines", new.0);
    }
}

/// OLD with only the client's operations kept (every component kept).
fn slice_of(side: &(String, Side)) -> Side {
    let mut document = side.1.spec.document.clone();
    if let Some(paths) = document.get_mut("paths").and_then(|p| p.as_object_mut()) {
        for item in paths.values_mut() {
            if let Some(item) = item.as_object_mut() {
                item.retain(|method, op| {
                    let id = op.get("operationId").and_then(|i| i.as_str());
                    !openapi_doc::spec::METHODS.contains(&method.as_str())
                        || CLIENT_OPERATIONS.iter().any(|c| Some(c.operation_id) == id)
                });
            }
        }
        paths.retain(|_, item| {
            item.as_object().is_some_and(|item| {
                item.keys()
                    .any(|k| openapi_doc::spec::METHODS.contains(&k.as_str()))
            })
        });
    }
    let spec = Spec::from_document(document, "slice").expect("still OpenAPI 3.1");
    Side::from_spec(spec, Path::new("slice.yml")).expect("the slice generates")
}

#[test]
fn a_slice_drifts_to_a_full_spec_as_its_whole_spec_does() {
    let Some(sides) = sides() else { return };
    for pair in sides.windows(2) {
        let [old, new] = pair else { unreachable!() };
        let slice = (old.0.clone(), slice_of(old));
        let above = |report: Report| -> Vec<_> {
            report
                .findings
                .into_iter()
                .filter(|f| f.class != NoEffect)
                .map(|f| (f.class, f.rule, f.subject, f.message))
                .collect()
        };
        assert_eq!(
            above(compare(&slice, new, Scope::Client)),
            above(compare(old, new, Scope::Client)),
            "{} (slice) -> {}",
            old.0,
            new.0
        );
    }
}

#[test]
fn the_vendored_slice_against_the_reference_names_only_where_they_differ() {
    let Some(sides) = sides() else { return };
    let reference = sides.last().expect("the reference");
    let vendored = (
        "openapi/dwolla.yml".to_string(),
        Side::load(&workspace("openapi/dwolla.yml")).expect("the vendored slice generates"),
    );
    let report = compare(&vendored, reference, Scope::Client);
    let found: BTreeSet<(Class, &str, &str)> = report
        .findings
        .iter()
        .filter(|f| f.class != NoEffect)
        .map(|f| (f.class, f.rule.as_str(), f.subject.as_str()))
        .collect();
    let expected: BTreeSet<(Class, &str, &str)> = [
        (SourceBreaking, "extras-replaced", "dwolla_spec=\"re_auth_operation\""),
        (SourceBreaking, "field-removed", "types::ExchangeSession"),
        (SourceBreaking, "type-removed", "retrieveCustomerExchangeSession"),
        (Compatible, "operation-added", "createReAuthExchangeSession"),
        (
            Compatible,
            "spec-defect-introduced",
            "/paths/~1exchanges~1{id}~1exchange-sessions/post/requestBody/content/application~1vnd.dwolla.v1.hal+json/schema",
        ),
        (Compatible, "token-security-defect", "createApplicationAccessToken"),
        (Compatible, "type-added", "createReAuthExchangeSession"),
    ]
    .into_iter()
    .collect();
    assert_eq!(found, expected);
}
