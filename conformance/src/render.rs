//! The results of a check run in the formats its readers want: text for
//! people (quiet unless asked), JSON, JUnit XML for test reporters (GitLab,
//! Jenkins, GitHub), GitHub Actions annotations, and a Markdown summary for
//! `$GITHUB_STEP_SUMMARY`.

use std::fmt::Write as _;

use untrusted_text::github::{data, property};
use untrusted_text::line;
use untrusted_text::markdown::{cell, code};

use serde::Serialize;

use crate::check::{Failure, Outcome, Verdict};
use crate::defects::Defect;
use crate::errata::Erratum;

/// One exchange checked, with the file it came from.
#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    /// The file (an exchange file, or the HAR file holding the entry).
    pub file: String,
    /// The verdict.
    #[serde(flatten)]
    pub verdict: Verdict,
}

/// Something in the input that was not checked, and why (a HAR entry for
/// another host, say).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The file.
    pub file: String,
    /// What was skipped, e.g. `entry 3: GET https://cdn.example.com/app.js`.
    pub item: String,
    /// Why.
    pub reason: String,
}

/// Everything a run found.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// One per exchange checked, in input order.
    #[serde(rename = "verdicts")]
    pub checked: Vec<Checked>,
    /// What was not checked.
    pub skipped: Vec<Skipped>,
    /// The errata applied to the spec.
    pub errata: Vec<Erratum>,
    /// The spec defects found by reading the spec.
    #[serde(rename = "spec_defects")]
    pub defects: Vec<Defect>,
}

impl Results {
    /// How many verdicts have `outcome`.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.checked
            .iter()
            .filter(|c| c.verdict.outcome == outcome)
            .count()
    }

    /// `N exchange(s): P passed, F failed, G client gap(s), S skipped`.
    pub fn summary(&self) -> String {
        format!(
            "{} exchange(s): {} passed, {} failed, {} client gap(s), {} skipped",
            self.checked.len(),
            self.count(Outcome::Pass),
            self.count(Outcome::Fail),
            self.count(Outcome::ClientGap),
            self.skipped.len()
        )
    }
}

fn label(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "PASS",
        Outcome::Fail => "FAIL",
        Outcome::ClientGap => "GAP ",
    }
}

/// One line for a failed check.
fn failure_line(failure: &Failure) -> String {
    let at = if failure.instance_pointer.is_empty() {
        "/"
    } else {
        &failure.instance_pointer
    };
    format!(
        "{:?} failed at {at} (schema {}): {}",
        failure.check, failure.schema_pointer, failure.message
    )
}

/// What went wrong with a verdict, one line each: failed checks, then the
/// spec defects it ran into.
fn problems(verdict: &Verdict, with_defects: bool) -> Vec<String> {
    let mut lines: Vec<String> = verdict.failures.iter().map(failure_line).collect();
    if with_defects {
        lines.extend(
            verdict
                .spec_defects
                .iter()
                .map(|hit| format!("spec defect ({}): {}", hit.erratum, hit.strict_failure)),
        );
    }
    lines
}

/// One line per exchange (and per skipped item), what failed under it, and
/// a summary. With `verbose`, also the spec defects each exchange ran into,
/// the errata applied and the spec defects found; without, one line counts
/// them.
pub fn to_text(results: &Results, verbose: bool) -> String {
    let mut out = String::new();
    for checked in &results.checked {
        let verdict = &checked.verdict;
        let _ = writeln!(
            out,
            "{} {} ({} {})",
            label(verdict.outcome),
            line(&verdict.exchange),
            line(&verdict.operation),
            verdict.status
        );
        for problem in problems(verdict, verbose) {
            let _ = writeln!(out, "     {}", line(&problem));
        }
    }
    for skipped in &results.skipped {
        let _ = writeln!(
            out,
            "SKIP {} in {}: {}",
            line(&skipped.item),
            line(&skipped.file),
            line(&skipped.reason)
        );
    }
    let _ = writeln!(
        out,
        "\n{} (a client gap: the spec accepts a body the client cannot read)",
        results.summary()
    );
    if !verbose {
        if !results.errata.is_empty() || !results.defects.is_empty() {
            let _ = writeln!(
                out,
                "{} errata applied to the spec, {} spec defect(s) found by reading it (--verbose lists them)",
                results.errata.len(),
                results.defects.len()
            );
        }
        return out;
    }
    if !results.errata.is_empty() {
        let _ = writeln!(out, "\nErrata applied to the spec:");
        for erratum in &results.errata {
            let _ = writeln!(
                out,
                "  {} at {}: {}",
                line(&erratum.id),
                line(&erratum.pointer),
                line(&erratum.reason)
            );
        }
    }
    if !results.defects.is_empty() {
        let _ = writeln!(out, "\nSpec defects found by reading the spec:");
        for defect in &results.defects {
            let _ = writeln!(
                out,
                "  {} at {}: {}",
                line(&defect.kind),
                line(&defect.pointer),
                line(&defect.detail)
            );
        }
    }
    out
}

/// The results as one pretty JSON document: `verdicts` (each with its
/// `file`), `skipped`, `errata`, `spec_defects`.
pub fn to_json(results: &Results) -> String {
    let mut text = serde_json::to_string_pretty(results).unwrap_or_default();
    text.push('\n');
    text
}

/// Text for XML: `&`, `<`, `>`, `"` and `'` escaped; line breaks, tabs,
/// and the characters that reorder or hide text written as character
/// references where `attribute` (an attribute keeps no raw line break) or
/// always (the invisible ones); the characters XML 1.0 cannot hold (most
/// control characters) replaced by U+FFFD.
pub fn xml_escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' if !attribute => out.push(c),
            '\t' | '\n' | '\r' => {
                let _ = write!(out, "&#{};", u32::from(c));
            }
            c if c < ' ' || matches!(c, '\u{fffe}' | '\u{ffff}') => out.push('\u{fffd}'),
            c if untrusted_text::is_unprintable(c) => {
                let _ = write!(out, "&#x{:x};", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML: one suite, one test case per exchange (class: its
/// operation), a `failure` (type `fail` or `client-gap`) for each that did
/// not pass, a `skipped` test case for each item not checked.
pub fn to_junit(results: &Results) -> String {
    let failures = results.checked.len() - results.count(Outcome::Pass);
    let tests = results.checked.len() + results.skipped.len();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"conformance\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{}\">",
        results.skipped.len()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"conformance check\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{}\">",
        results.skipped.len()
    );
    for checked in &results.checked {
        let verdict = &checked.verdict;
        let _ = write!(
            out,
            "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\"",
            xml_escape(&format!("{} ({})", verdict.exchange, verdict.status), true),
            xml_escape(&verdict.operation, true),
            xml_escape(&checked.file, true)
        );
        if verdict.outcome == Outcome::Pass {
            out.push_str("/>\n");
            continue;
        }
        let kind = match verdict.outcome {
            Outcome::ClientGap => "client-gap",
            _ => "fail",
        };
        // One problem per line, each on its own line whatever it quotes: a
        // CI runner reads commands from any line of the output.
        let lines: Vec<String> = problems(verdict, true)
            .iter()
            .map(|problem| line(problem).to_string())
            .collect();
        let message = lines.first().cloned().unwrap_or_else(|| kind.to_string());
        let _ = write!(
            out,
            ">\n      <failure type=\"{kind}\" message=\"{}\">{}</failure>\n    </testcase>\n",
            xml_escape(&message, true),
            xml_escape(&lines.join("\n"), false)
        );
    }
    for skipped in &results.skipped {
        let _ = writeln!(
            out,
            "    <testcase name=\"{}\" classname=\"skipped\" file=\"{}\">\n      <skipped message=\"{}\"/>\n    </testcase>",
            xml_escape(&skipped.item, true),
            xml_escape(&skipped.file, true),
            xml_escape(&skipped.reason, true)
        );
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// GitHub Actions annotations: an `error` per failed exchange and a
/// `warning` per client gap, on its file; a `notice` with the summary.
pub fn to_github(results: &Results) -> String {
    let mut out = String::new();
    for checked in &results.checked {
        let verdict = &checked.verdict;
        let level = match verdict.outcome {
            Outcome::Pass => continue,
            Outcome::Fail => "error",
            Outcome::ClientGap => "warning",
        };
        let title = format!("conformance: {} {}", verdict.operation, verdict.status);
        let lines: Vec<String> = problems(verdict, true).iter().map(|p| data(p)).collect();
        let _ = writeln!(
            out,
            "::{level} file={},title={}::{}: {}",
            property(&checked.file),
            property(&title),
            data(&verdict.exchange),
            lines.join("%0A")
        );
    }
    let _ = writeln!(
        out,
        "::notice title=conformance::{}",
        data(&results.summary())
    );
    out
}

/// A Markdown summary for `$GITHUB_STEP_SUMMARY`: the counts, a table of
/// the exchanges that did not pass (or a line saying all did), and the items
/// skipped.
pub fn to_markdown(results: &Results) -> String {
    let mut out = format!("## Conformance check\n\n{}\n", results.summary());
    let not_passed: Vec<&Checked> = results
        .checked
        .iter()
        .filter(|c| c.verdict.outcome != Outcome::Pass)
        .collect();
    if not_passed.is_empty() {
        out.push_str("\nEvery exchange checked conforms.\n");
    } else {
        out.push_str(
            "\n| outcome | exchange | operation | status | file | what failed |\n| --- | --- | --- | --- | --- | --- |\n",
        );
        for checked in not_passed {
            let verdict = &checked.verdict;
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                label(verdict.outcome).trim(),
                code(&verdict.exchange),
                code(&verdict.operation),
                verdict.status,
                code(&checked.file),
                cell(&problems(verdict, true).join("; "))
            );
        }
    }
    if !results.skipped.is_empty() {
        out.push_str("\n### Skipped\n\n| item | file | why |\n| --- | --- | --- |\n");
        for skipped in &results.skipped {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                cell(&skipped.item),
                code(&skipped.file),
                cell(&skipped.reason)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escape_keeps_markup_and_illegal_characters_out() {
        assert_eq!(
            xml_escape("a<b>&\"c'\u{1}\n\u{202e}", false),
            "a&lt;b&gt;&amp;&quot;c&apos;\u{fffd}\n&#x202e;"
        );
        assert_eq!(xml_escape("a\nb\tc", true), "a&#10;b&#9;c");
    }
}
