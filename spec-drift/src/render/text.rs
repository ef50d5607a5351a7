//! Text for people: a line of verdict and counts, one line per finding,
//! worst first, at most a screen of them unless `--verbose`.

use std::fmt::Write as _;

use untrusted_text::line;

use super::{counts, elsewhere, scope, shown, verdict};
use crate::report::Report;

/// How many findings the text shows without `--verbose`.
pub const SHOWN: usize = 30;

/// The report as text; with `verbose`, every finding (no-effect ones
/// included) and each change it groups.
pub fn to_text(report: &Report, verbose: bool) -> String {
    let mut out = format!(
        "{} -> {}: {}; {} ({})\n",
        line(&report.old),
        line(&report.new),
        verdict(report),
        counts(report, verbose),
        scope(report)
    );
    if let Some(notice) = elsewhere(report) {
        let _ = writeln!(out, "notice: {notice}");
    }
    let findings: Vec<_> = shown(report, verbose).collect();
    let limit = if verbose { findings.len() } else { SHOWN };
    for finding in findings.iter().take(limit) {
        let _ = writeln!(
            out,
            "{:<15} {:<28} {}: {}",
            finding.class.label(),
            line(&finding.rule),
            line(&finding.subject),
            line(&finding.message)
        );
        if verbose {
            for detail in &finding.details {
                let _ = writeln!(out, "    - {}", line(detail));
            }
        }
    }
    if findings.len() > limit {
        let _ = writeln!(
            out,
            "… and {} more finding(s): --verbose lists every one, --format json holds them all",
            findings.len() - limit
        );
    }
    out
}
