//! A recorder writing its recording (fixture files and a HAR file) to a
//! temporary folder, and what it wrote, read back.

use std::path::PathBuf;

use dwolla_testkit::recorder::{Recorder, RecorderBuilder};
use dwolla_testkit::server::Limits;
use tempfile::TempDir;

/// The HAR file's name in the folder.
pub(crate) const HAR: &str = "recording.har";

/// A recorder to `upstream` (within `limits`) writing to a new temporary
/// folder, and the folder.
pub(crate) async fn recorder_to(upstream: &str, limits: Limits) -> (Recorder, TempDir) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let recorder = builder(upstream, &dir)
        .limits(limits)
        .start()
        .await
        .expect("the recorder starts");
    (recorder, dir)
}

fn builder(upstream: &str, dir: &TempDir) -> RecorderBuilder {
    Recorder::builder(upstream)
        .fixtures_to(dir.path())
        .har_to(dir.path().join(HAR))
}

/// The fixture files in `dir`, in the order they were written.
pub(crate) fn fixture_files(dir: &TempDir) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .expect("the folder")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort_by_key(|path| {
        let name = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        name.rsplit('.').next().unwrap_or_default().to_string()
    });
    files
}

/// Everything the recorder wrote (fixtures, then the HAR file), once it
/// has finished.
pub(crate) fn recorded_text(recorder: &Recorder, dir: &TempDir) -> String {
    recorder.finish().expect("the recording ends");
    let mut text: String = fixture_files(dir)
        .iter()
        .map(|path| std::fs::read_to_string(path).expect("a fixture"))
        .collect();
    text.push_str(&std::fs::read_to_string(dir.path().join(HAR)).expect("the HAR file"));
    text
}
