//! Writing a recording as it happens: each exchange, once complete and
//! redacted, is written at once to its fixture file and appended to the HAR
//! file, which is a valid HAR document after every write. Nothing waits for
//! the end of the recording, so a signal, a crash or a long session loses
//! at most the exchange in flight. When a secret first seen in a later
//! exchange (a token `/token` hands out) appears in what was written before,
//! every file written so far is scrubbed again.

use std::io::{Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};

use conformance::fixture::Exchange;
use dwolla_exchange_sessions::redact::SecretValues;

use super::RecorderError;

/// Where a recording goes.
pub(super) struct Sink {
    dir: Option<PathBuf>,
    har: Option<Har>,
    written: Vec<PathBuf>,
    count: usize,
}

/// The HAR file: a document whose `entries` array grows in place. Its text
/// is the empty document's up to `[`, then each entry (`\n` before the
/// first, `,\n` before the others), then `\n` and the empty document's
/// text from `]` on.
struct Har {
    path: PathBuf,
    base: String,
    /// The empty document's text from `]` on.
    suffix: String,
    entries: usize,
}

fn write_error(path: &Path, source: std::io::Error) -> RecorderError {
    RecorderError::Write {
        path: path.display().to_string(),
        source,
    }
}

/// Writes `text` to `path` whole: to a file beside it, then renamed over it.
fn replace_file(path: &Path, text: &str) -> Result<(), RecorderError> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    std::fs::write(&partial, text).map_err(|e| write_error(&partial, e))?;
    std::fs::rename(&partial, path).map_err(|e| write_error(path, e))
}

impl Har {
    /// An empty HAR document at `path`, its URLs on `base`.
    fn create(path: &Path, base: &str, creator: &str) -> Result<Self, RecorderError> {
        let empty = conformance::har::to_har(&[], base, creator);
        let text = serde_json::to_string_pretty(&empty).unwrap_or_default() + "\n";
        let split = text.find("[]").map_or(text.len(), |at| at + 1);
        replace_file(path, &text)?;
        Ok(Self {
            path: path.to_path_buf(),
            base: base.to_string(),
            suffix: text[split..].to_string(),
            entries: 0,
        })
    }

    /// What follows the last entry in the file.
    fn tail(&self) -> String {
        if self.entries == 0 {
            self.suffix.clone()
        } else {
            format!("\n{}", self.suffix)
        }
    }

    /// Appends `exchange` as the document's last entry, written over the
    /// document's tail; the file is a whole document before and after,
    /// also when the write fails (the tail is written back in the space it
    /// had, so a full disk cannot cut it; only a crash in the middle of a
    /// write can).
    fn append(&mut self, exchange: &Exchange) -> Result<(), RecorderError> {
        let entry = conformance::har::to_har_entry(exchange, &self.base);
        let entry = serde_json::to_string_pretty(&entry).unwrap_or_default();
        let failed = |e| write_error(&self.path, e);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .open(&self.path)
            .map_err(failed)?;
        let end = file.seek(SeekFrom::End(0)).map_err(failed)?;
        let tail = self.tail();
        let at = end.saturating_sub(tail.len() as u64);
        let separator = if self.entries == 0 { "\n" } else { ",\n" };
        let text = format!("{separator}{entry}\n{}", self.suffix);
        let written = file
            .seek(SeekFrom::Start(at))
            .and_then(|_| file.write_all(text.as_bytes()));
        if let Err(error) = written {
            // The tail back where it was (space the file holds already);
            // the write's error is the one to report either way.
            let _restored = file
                .seek(SeekFrom::Start(at))
                .and_then(|_| file.write_all(tail.as_bytes()))
                .and_then(|()| file.set_len(at + tail.len() as u64));
            return Err(failed(error));
        }
        self.entries += 1;
        Ok(())
    }
}

impl Sink {
    /// A sink writing fixtures to `dir` and a HAR file to `har` (each if
    /// given), URLs of the HAR on `base`.
    pub(super) fn open(
        dir: Option<&Path>,
        har: Option<&Path>,
        base: &str,
    ) -> Result<Self, RecorderError> {
        if let Some(dir) = dir {
            std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
        }
        let har = har
            .map(|path| Har::create(path, base, "dwolla-testkit recorder"))
            .transpose()?;
        Ok(Self {
            dir: dir.map(Path::to_path_buf),
            har,
            written: Vec::new(),
            count: 0,
        })
    }

    /// Writes one redacted exchange: its fixture file
    /// (`<operationId>.<status>.<n>.json`) and its HAR entry.
    pub(super) fn write(&mut self, exchange: &Exchange) -> Result<(), RecorderError> {
        if let Some(dir) = &self.dir {
            let path = dir.join(format!(
                "{}.{}.{:03}.json",
                file_safe(&exchange.operation),
                exchange.response.status,
                self.count
            ));
            let text = serde_json::to_string_pretty(exchange).unwrap_or_default() + "\n";
            replace_file(&path, &text)?;
            self.written.push(path);
        }
        if let Some(har) = &mut self.har {
            har.append(exchange)?;
        }
        self.count += 1;
        Ok(())
    }

    /// Scrubs `values` from every file written so far.
    pub(super) fn scrub(&self, values: &SecretValues) -> Result<(), RecorderError> {
        let har = self.har.as_ref().map(|har| &har.path);
        for path in self.written.iter().chain(har) {
            let text = std::fs::read_to_string(path).map_err(|e| write_error(path, e))?;
            let scrubbed = values.scrub(&text);
            if scrubbed != text {
                replace_file(path, &scrubbed)?;
            }
        }
        Ok(())
    }

    /// How many exchanges were written.
    pub(super) fn count(&self) -> usize {
        self.count
    }
}

/// An operationId as a file name: letters, digits, `-` and `_` kept, the
/// rest `_`.
fn file_safe(name: &str) -> String {
    name.chars()
        .take(100)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
