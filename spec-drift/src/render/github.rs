//! GitHub Actions annotations: an error per breaking finding and a warning
//! per compatible one, each anchored where the team acts (the line of the
//! operation or schema in the vendored slice) when the repository holds
//! it; at most ten of each (GitHub shows no more per step), then one notice
//! with the verdict and what was left out.

use std::fmt::Write as _;

use untrusted_text::github::{data, property};

use super::{counts, elsewhere, verdict};
use crate::report::{Class, Finding, Report};

/// How many errors, and how many warnings, a run annotates.
pub const PER_LEVEL: usize = 10;

/// The report as workflow commands.
pub fn to_github(report: &Report) -> String {
    let mut out = String::new();
    let mut left_out = 0usize;
    let levels: [(&str, &[Class]); 2] = [
        ("error", &[Class::WireBreaking, Class::SourceBreaking]),
        ("warning", &[Class::Compatible]),
    ];
    for (level, classes) in levels {
        let findings: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| classes.contains(&f.class))
            .collect();
        for finding in findings.iter().take(PER_LEVEL) {
            annotate(&mut out, level, finding);
        }
        left_out += findings.len().saturating_sub(PER_LEVEL);
    }
    let mut summary = format!("spec drift {}: {}", verdict(report), counts(report, false));
    if left_out > 0 {
        let _ = write!(
            summary,
            "; {left_out} more finding(s) not annotated (see the job summary or the JSON report)"
        );
    }
    if let Some(notice) = elsewhere(report) {
        let _ = write!(summary, "; {notice}");
    }
    let _ = writeln!(out, "::notice title=spec drift::{}", data(&summary));
    out
}

fn annotate(out: &mut String, level: &str, finding: &Finding) {
    let mut properties = Vec::new();
    if let Some(anchor) = &finding.anchor {
        properties.push(format!("file={}", property(&anchor.file)));
        properties.push(format!("line={}", anchor.line));
    }
    properties.push(format!(
        "title={}",
        property(&format!(
            "spec drift {} {}",
            finding.class.label(),
            finding.rule
        ))
    ));
    let _ = writeln!(
        out,
        "::{level} {}::{}",
        properties.join(","),
        data(&format!("{}: {}", finding.subject, finding.message))
    );
}
