//! A Markdown summary for a pull-request body or `$GITHUB_STEP_SUMMARY`: a
//! verdict line, the breaking findings in a table, the rest folded in
//! `<details>`; always under [`LIMIT`] characters (GitHub takes 65,536 in
//! a comment), the rows that do not fit counted.

use std::fmt::Write as _;

use untrusted_text::markdown::{cell, code};

use super::{counts, elsewhere, scope, shown, verdict};
use crate::report::{Finding, Report};

/// The most characters the summary holds.
pub const LIMIT: usize = 60_000;

/// The report as Markdown; with `verbose`, no-effect findings too and each
/// change a finding groups.
pub fn to_markdown(report: &Report, verbose: bool) -> String {
    let mark = if report.fails() { "❌" } else { "✅" };
    let mut out = format!(
        "**Spec drift {mark} {}**: {} ({}; {} → {})\n",
        verdict(report),
        counts(report, verbose),
        scope(report),
        code(&report.old),
        code(&report.new)
    );
    if let Some(notice) = elsewhere(report) {
        let _ = writeln!(out, "\n{}", cell(&notice));
    }
    let (breaking, rest): (Vec<&Finding>, Vec<&Finding>) =
        shown(report, verbose).partition(|f| f.class.is_breaking());
    let footer_room = 200;
    let mut left_out = 0usize;
    if !breaking.is_empty() {
        let _ = write!(out, "\n### Breaking ({})\n\n{HEADER}", breaking.len());
        left_out += rows(&mut out, &breaking, verbose, LIMIT - footer_room);
    }
    if !rest.is_empty() {
        let opening = format!(
            "\n<details><summary>Compatible and no effect ({})</summary>\n\n{HEADER}",
            rest.len()
        );
        if out.len() + opening.len() < LIMIT - footer_room {
            out.push_str(&opening);
            left_out += rows(&mut out, &rest, verbose, LIMIT - footer_room);
            out.push_str("\n</details>\n");
        } else {
            left_out += rest.len();
        }
    }
    if left_out > 0 {
        let _ = writeln!(out, "\n{left_out} more in the JSON report.");
    }
    out
}

const HEADER: &str = "| class | rule | subject | what and why |\n| --- | --- | --- | --- |\n";

/// Writes a row per finding while `out` stays under `limit`; returns how
/// many did not fit.
fn rows(out: &mut String, findings: &[&Finding], verbose: bool, limit: usize) -> usize {
    for (written, finding) in findings.iter().enumerate() {
        let mut what = cell(&finding.message);
        if verbose {
            for detail in &finding.details {
                let _ = write!(what, "<br>• {}", cell(detail));
            }
        }
        let row = format!(
            "| {} | {} | {} | {what} |\n",
            finding.class.label(),
            cell(&finding.rule),
            code(&finding.subject)
        );
        if out.len() + row.len() > limit {
            return findings.len() - written;
        }
        out.push_str(&row);
    }
    0
}
