//! The commands that only read files: `check` and `export-spec`.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use conformance::check::{Outcome, Suite};
use conformance::{defects, errata, fixture, report, vendored};
use dwolla_testkit::readers::ClientBodyReaders;
use openapi_doc::spec::Spec;

/// Checks the exchanges at `paths` against `spec` (default: the vendored
/// one) with the committed errata and the client's body readers. The errata
/// are written for the vendored spec; another spec gets those whose targets
/// it has, and a notice on stderr for each other.
pub fn check(paths: &[PathBuf], spec: Option<&Path>, json: bool) -> Result<ExitCode, String> {
    let spec = match spec {
        Some(path) => Spec::load(path).map_err(|e| e.to_string())?,
        None => vendored::published().map_err(|e| e.to_string())?,
    };
    let (suite, skipped) = Suite::for_spec(spec).map_err(|e| e.to_string())?;
    for notice in skipped {
        eprintln!("{notice}");
    }
    let suite = suite.with_readers(ClientBodyReaders);
    let loaded = fixture::load(paths).map_err(|e| e.to_string())?;
    let verdicts: Vec<_> = loaded.iter().map(|l| suite.check_loaded(l)).collect();
    let found = defects::find(&suite.spec);
    let text = if json {
        let report = serde_json::json!({ "verdicts": verdicts, "errata": suite.errata, "spec_defects": found });
        serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n"
    } else {
        report::to_text(&verdicts, &suite.errata, &found)
    };
    // A closed pipe (`conformance check … | head`) is not worth a panic.
    let _ = std::io::stdout().write_all(text.as_bytes());
    // A client gap is not a bad exchange, but not a pass either.
    let failed = verdicts.iter().any(|v| v.outcome != Outcome::Pass);
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes the spec the client implements to `out`, with the errata applied
/// if asked.
pub fn export_spec(out: &Path, with_errata: bool) -> Result<ExitCode, String> {
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
