//! The report as text for people, GitHub Actions annotations, or a Markdown
//! summary fit for a pull-request comment (JSON is the report serialized).

use std::fmt::Write as _;

use crate::report::{Class, Report};

/// `3 wire-breaking, 1 source-breaking, 12 compatible, 4 no-effect` (no
/// count of no-effect findings when none is shown).
pub fn counts(report: &Report) -> String {
    Class::ALL
        .iter()
        .filter(|class| **class != Class::NoEffect || report.count(**class) > 0)
        .map(|class| format!("{} {}", report.count(*class), class.label()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One line per finding, worst first, under a line of counts.
pub fn to_text(report: &Report) -> String {
    let mut out = format!("{} -> {}: {}\n", report.old, report.new, counts(report));
    for finding in &report.findings {
        let _ = writeln!(
            out,
            "{:<15} {:<28} {}: {}",
            finding.class.label(),
            finding.rule,
            finding.subject,
            finding.message
        );
    }
    out
}

/// GitHub Actions annotations: an error per breaking finding, a notice per
/// other one.
pub fn to_github(report: &Report) -> String {
    let escape = |text: &str| {
        text.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let property = |text: &str| escape(text).replace(':', "%3A").replace(',', "%2C");
    report
        .findings
        .iter()
        .map(|finding| {
            let level = match finding.class {
                Class::WireBreaking | Class::SourceBreaking => "error",
                Class::Compatible | Class::NoEffect => "notice",
            };
            format!(
                "::{level} title={}::{} ({}): {}\n",
                property(&format!(
                    "spec drift {} {}",
                    finding.class.label(),
                    finding.rule
                )),
                escape(&finding.subject),
                finding.rule,
                escape(&finding.message)
            )
        })
        .collect()
}

/// A Markdown summary: counts, then a table per class, worst first.
pub fn to_markdown(report: &Report) -> String {
    let mut out = format!(
        "## Spec drift: `{}` → `{}`\n\n{}\n",
        report.old,
        report.new,
        counts(report)
    );
    let cell = |text: &str| text.replace('|', "\\|").replace('\n', " ");
    for class in Class::ALL {
        let rows: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.class == class)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "\n### {} ({})\n\n| rule | subject | what and why |\n| --- | --- | --- |\n",
            class.label(),
            rows.len()
        );
        for finding in rows {
            let _ = writeln!(
                out,
                "| `{}` | `{}` | {} |",
                finding.rule,
                cell(&finding.subject),
                cell(&finding.message)
            );
        }
    }
    out
}
