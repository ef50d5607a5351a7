//! The commands that only read files: `check` and `export-spec`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use conformance::check::{Outcome, Suite};
use conformance::render::{self, Checked, Results, Skipped};
use conformance::{defects, errata, fixture, har, vendored};
use dwolla_testkit::readers::ClientBodyReaders;
use openapi_doc::spec::{Operation, Spec};

use crate::Format;
use crate::output;
use crate::timings::Timings;

/// Checks the exchanges at `paths` against `spec` (default: the vendored
/// one) with the committed errata and the client's body readers. The errata
/// are written for the vendored spec; another spec gets those whose targets
/// it has, and a notice on stderr for each other. A file that cannot be read
/// or is not an exchange is reported on stderr and the others are checked;
/// the run then ends with exit code 2. With `timings`, each phase's
/// duration goes to stderr.
pub(crate) fn check(
    paths: &[PathBuf],
    spec: Option<&Path>,
    format: Format,
    verbose: bool,
    timings: bool,
) -> Result<ExitCode, String> {
    let mut timings = Timings::new(timings);
    let spec = match spec {
        Some(path) => Spec::load(path).map_err(|e| e.to_string())?,
        None => vendored::published().map_err(|e| e.to_string())?,
    };
    timings.lap("spec load");
    let (suite, skipped) = Suite::for_spec(spec).map_err(|e| e.to_string())?;
    for notice in skipped {
        output::err(&notice.to_string());
    }
    let suite = suite.with_readers(ClientBodyReaders);
    timings.lap("errata and validators");
    let (loaded, skipped, unreadable) = load(paths, suite.operations())?;
    timings.lap("file reading");
    let checked = loaded
        .iter()
        .map(|l| Checked {
            file: l.path.display().to_string(),
            verdict: suite.check_loaded(l),
        })
        .collect();
    timings.lap("checks");
    let results = Results {
        checked,
        skipped,
        defects: defects::find(&suite.spec),
        errata: suite.errata,
    };
    timings.lap("spec defects");
    let rendered = match format {
        Format::Text => render::to_text(&results, verbose),
        Format::Json => render::to_json(&results),
        Format::Junit => render::to_junit(&results),
        Format::Github => render::to_github(&results),
        Format::Markdown => render::to_markdown(&results),
    };
    timings.lap("rendering");
    output::out(&rendered);
    timings.lap("writing");
    timings.report(loaded.len());
    if unreadable > 0 {
        output::err(&format!(
            "conformance: {unreadable} file(s) could not be checked (see above)"
        ));
        return Ok(ExitCode::from(2));
    }
    // A client gap is not a bad exchange, but not a pass either.
    let failed = results
        .checked
        .iter()
        .any(|c| c.verdict.outcome != Outcome::Pass);
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The exchanges at `paths` (exchange files and HAR recordings), the HAR
/// entries skipped, and how many files could not be loaded (each reported);
/// an error when there is no file to check at all.
fn load(
    paths: &[PathBuf],
    operations: &[Operation],
) -> Result<(Vec<fixture::Loaded>, Vec<Skipped>, usize), String> {
    let found = fixture::files(paths).map_err(|e| e.to_string())?;
    if found.files.is_empty() && found.unreadable.is_empty() {
        let named: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(format!(
            "no .json exchange files (or .har recordings) in {}: nothing to check",
            named.join(", ")
        ));
    }
    let mut loaded = Vec::new();
    let mut skipped = Vec::new();
    for why in &found.unreadable {
        output::err(&format!("conformance: {why}"));
    }
    let mut unreadable = found.unreadable.len();
    for file in &found.files {
        let read = if fixture::is_har(file) {
            har::load(file, operations).map(|found| {
                skipped.extend(found.skipped);
                found.loaded
            })
        } else {
            fixture::load_file(file).map(|exchange| vec![exchange])
        };
        match read {
            Ok(exchanges) => loaded.extend(exchanges),
            Err(why) => {
                output::err(&format!("conformance: {why}"));
                unreadable += 1;
            }
        }
    }
    Ok((loaded, skipped, unreadable))
}

/// Writes the spec the client implements to `out`, with the errata applied
/// if asked.
pub(crate) fn export_spec(out: &Path, with_errata: bool) -> Result<ExitCode, String> {
    let spec = vendored::spec().map_err(|e| e.to_string())?;
    let spec = if with_errata {
        errata::apply(&spec, &errata::committed().map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?
    } else {
        spec
    };
    let text = serde_json::to_string_pretty(&spec.document).map_err(|e| e.to_string())?;
    std::fs::write(out, text).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    Ok(ExitCode::SUCCESS)
}
