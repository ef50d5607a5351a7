//! The report for its readers: text for people, GitHub Actions annotations,
//! a Markdown summary for a pull request or a job summary (JSON is the
//! report serialized). Each stays within what its reader takes: a screen of
//! text, GitHub's ten annotations of a kind per step, GitHub's 65,536
//! characters per comment; the rest is counted and lives in the JSON
//! report. Every text from a spec or a fixture is printed through
//! `untrusted_text`, so no output line begins with it.

pub mod github;
pub mod markdown;
pub mod text;

pub use github::to_github;
pub use markdown::to_markdown;
pub use text::to_text;

use crate::report::{Class, Report, Scope, Verdict};

/// `3 wire-breaking, 1 source-breaking, 12 compatible` (and the no-effect
/// count when `verbose`).
pub fn counts(report: &Report, verbose: bool) -> String {
    Class::ALL
        .iter()
        .filter(|class| verbose || **class != Class::NoEffect)
        .map(|class| format!("{} {}", report.count(*class), class.label()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `fails (on source-breaking or worse)` or `passes`.
pub fn verdict(report: &Report) -> String {
    let threshold = report.fail_on.map_or_else(
        || " (nothing fails it)".into(),
        |class| format!(" on {} or worse", class.label()),
    );
    match report.verdict {
        Verdict::Fail => format!("fails{threshold}"),
        Verdict::Pass => format!(
            "passes{}",
            if report.fail_on.is_some() {
                ""
            } else {
                " (nothing fails it)"
            }
        ),
    }
}

/// What was judged: `the client's operations` or `every operation`.
pub fn scope(report: &Report) -> &'static str {
    match report.scope {
        Scope::Client => "the client's operations",
        Scope::AllOperations => "every operation",
    }
}

/// The notice about what changed outside the scope, when something did.
pub fn elsewhere(report: &Report) -> Option<String> {
    let elsewhere = report.elsewhere.as_ref().filter(|e| e.findings > 0)?;
    Some(format!(
        "{} finding(s) on {} operation(s) and type(s) the client does not use; --all-operations judges them",
        elsewhere.findings, elsewhere.subjects
    ))
}

/// The findings a format shows: every one with `verbose`, else all but
/// those of no effect.
pub fn shown(report: &Report, verbose: bool) -> impl Iterator<Item = &crate::report::Finding> {
    report
        .findings
        .iter()
        .filter(move |f| verbose || f.class != Class::NoEffect)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Class, Elsewhere, Finding, Report, Scope};

    /// A report of `breaking` wire-breaking and `compatible` compatible
    /// findings with long messages.
    fn report(breaking: usize, compatible: usize) -> Report {
        let findings = (0..breaking)
            .map(|i| (Class::WireBreaking, i))
            .chain((0..compatible).map(|i| (Class::Compatible, i)))
            .map(|(class, i)| {
                Finding::new(class, "rule", format!("operation{i:05}"), "x".repeat(180))
            })
            .collect();
        Report::new(
            ("old.yml".into(), "new.yml".into()),
            Scope::Client,
            Some(Class::SourceBreaking),
            findings,
            Some(Elsewhere {
                findings: 3,
                subjects: 2,
            }),
        )
    }

    #[test]
    fn github_annotates_ten_of_each_level_then_counts_the_rest() {
        let out = to_github(&report(25, 30));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("::error ")).count(),
            10
        );
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("::warning ")).count(),
            10
        );
        assert_eq!(lines.len(), 21);
        assert!(
            lines[20].starts_with("::notice title=spec drift::spec drift fails")
                && lines[20].contains("35 more finding(s) not annotated")
                && lines[20].contains("3 finding(s) on 2 operation(s)"),
            "{}",
            lines[20]
        );
    }

    #[test]
    fn markdown_stays_under_its_limit_and_counts_what_it_leaves_out() {
        let small = to_markdown(&report(2, 3), false);
        assert!(small.starts_with("**Spec drift ❌ fails on source-breaking or worse**"));
        assert!(
            small.contains("### Breaking (2)")
                && small.contains("<details><summary>Compatible and no effect (3)")
        );
        assert!(!small.contains("more in the JSON report"));
        let large = to_markdown(&report(400, 400), true);
        assert!(large.len() < markdown::LIMIT, "{}", large.len());
        let left_out: usize = large
            .lines()
            .last()
            .and_then(|l| l.strip_suffix(" more in the JSON report."))
            .and_then(|n| n.parse().ok())
            .expect("the last line counts what was left out");
        let rows = large
            .lines()
            .filter(|l| l.starts_with("| wire-breaking") || l.starts_with("| compatible"))
            .count();
        assert_eq!(rows + left_out, 800);
    }

    #[test]
    fn text_shows_a_screen_unless_verbose() {
        let quiet = to_text(&report(50, 0), false);
        assert_eq!(quiet.lines().count(), 2 + text::SHOWN + 1);
        assert!(quiet.ends_with(
            "… and 20 more finding(s): --verbose lists every one, --format json holds them all\n"
        ));
        assert_eq!(to_text(&report(50, 0), true).lines().count(), 52);
    }
}
