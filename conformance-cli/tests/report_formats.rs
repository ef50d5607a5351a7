//! `conformance check --format …`: quiet text, JUnit XML that parses, GitHub
//! annotations and a Markdown summary, on one passing and one failing
//! exchange.

mod common;

use tempfile::TempDir;

use common::{conformance, fixtures, scratch, stderr, stdout};
use predicates::prelude::PredicateBooleanExt as _;
use predicates::str::{contains, starts_with};

const FIXTURE: &str = "retrieve-customer-exchange-session.plaid.200.json";

/// A folder with a passing exchange and a failing one (a body missing
/// `created`, with markup in a string so that escaping shows).
fn pass_and_fail(name: &str) -> TempDir {
    let tmp = scratch(name);
    let dir = tmp.path();
    let text = conformance::fixture::committed_text(FIXTURE).unwrap();
    std::fs::write(dir.join("good.json"), text).unwrap();
    let mut bad: serde_json::Value = serde_json::from_str(text).unwrap();
    let body = bad["response"]["body"].as_object_mut().unwrap();
    body.remove("created");
    body.insert("externalProviderSessionToken".into(), 7.into());
    std::fs::write(dir.join("bad <&>.json"), bad.to_string()).unwrap();
    tmp
}

#[test]
fn text_is_quiet_unless_verbose() {
    conformance(&["check", &fixtures()])
        .success()
        .stdout(contains("Errata applied").not())
        .stdout(contains("(--verbose lists them)"));
    conformance(&["check", &fixtures(), "--verbose"])
        .stdout(contains("Errata applied").and(contains("Spec defects found")));
}

#[test]
fn junit_has_one_test_case_per_exchange_and_a_failure_for_the_bad_one() {
    let tmp = pass_and_fail("junit");
    let dir = tmp.path();
    let run = conformance(&["check", dir.to_str().unwrap(), "--format", "junit"]).code(1);
    let text = stdout(&run);
    let xml = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let suite = xml
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .expect("a testsuite");
    assert_eq!(suite.attribute("tests"), Some("2"));
    assert_eq!(suite.attribute("failures"), Some("1"));
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 2);
    let failed: Vec<_> = cases
        .iter()
        .filter_map(|case| {
            let failure = case.children().find(|n| n.has_tag_name("failure"))?;
            Some((case.attribute("file")?, failure.attribute("message")?))
        })
        .collect();
    assert_eq!(failed.len(), 1, "{text}");
    assert!(failed[0].0.ends_with("bad <&>.json"), "{failed:?}");
    assert!(failed[0].1.contains("ResponseBody"), "{failed:?}");
    for case in &cases {
        assert_eq!(
            case.attribute("classname"),
            Some("retrieveCustomerExchangeSession")
        );
    }
}

#[test]
fn github_annotates_the_failing_file_and_markdown_tables_it() {
    let tmp = pass_and_fail("github");
    let dir = tmp.path();
    let github = stdout(
        &conformance(&["check", dir.to_str().unwrap(), "--format", "github"])
            .code(1)
            .stdout(contains(
                "::notice title=conformance::2 exchange(s): 1 passed, 1 failed",
            )),
    );
    let errors: Vec<&str> = github
        .lines()
        .filter(|l| l.starts_with("::error "))
        .collect();
    assert_eq!(errors.len(), 1, "{github}");
    assert!(
        errors[0].starts_with("::error file=")
            && errors[0].contains(
                "bad <&>.json,title=conformance%3A retrieveCustomerExchangeSession 200::bad <&>: "
            ),
        "{}",
        errors[0]
    );

    let markdown = stdout(
        &conformance(&["check", dir.to_str().unwrap(), "--format", "markdown"])
            .code(1)
            .stdout(starts_with(
                "## Conformance check\n\n2 exchange(s): 1 passed, 1 failed",
            )),
    );
    let rows: Vec<&str> = markdown
        .lines()
        .filter(|l| l.starts_with("| FAIL |"))
        .collect();
    assert_eq!(rows.len(), 1, "{markdown}");
    assert!(
        rows[0].contains("<code>bad &lt;&amp;&gt;</code>"),
        "{}",
        rows[0]
    );
}

/// A fixture whose operation and file name carry line breaks, a workflow
/// command and markup: no format prints a line that begins with them, and
/// Markdown renders none of the markup.
#[test]
fn text_from_a_fixture_never_begins_an_output_line_nor_breaks_a_cell() {
    let tmp = scratch("injected");
    let dir = tmp.path();
    let text = conformance::fixture::committed_text(FIXTURE).unwrap();
    let mut exchange: serde_json::Value = serde_json::from_str(text).unwrap();
    exchange["operation"] =
        "x\n::error file=README.md,line=1::INJECTED </table><h1>FAKE: all passed</h1> `\u{202e}"
            .into();
    std::fs::write(dir.join("name\r\n::error::FILE.json"), exchange.to_string()).unwrap();
    for format in ["text", "github", "markdown", "junit"] {
        let mut run = conformance(&["check", dir.to_str().unwrap(), "--format", format])
            .code(1)
            .stdout(contains("INJECTED"));
        if format == "markdown" {
            run = run.stdout(contains("</table>").not().and(contains("<h1>").not()));
        }
        let (out, err) = (stdout(&run), stderr(&run));
        for line in out.lines().chain(err.lines()) {
            assert!(
                !line.starts_with("::error file=README.md"),
                "{format}: {line}"
            );
            assert!(!line.starts_with("::error::FILE"), "{format}: {line}");
            if format != "github" {
                assert!(!line.starts_with("::"), "{format}: {line}");
            }
            assert!(!line.contains('\u{202e}'), "{format}: {line}");
        }
    }
}
