//! Recorded exchanges: one JSON file each, holding the operation, the request,
//! the response and where the recording came from. `conformance/README.md`
//! documents the format for users' own recordings.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One request and the response it got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exchange {
    /// The operationId the request was made for.
    pub operation: String,
    /// What the exchange shows, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the recording came from.
    pub provenance: Provenance,
    /// The request as sent.
    pub request: RecordedRequest,
    /// The response as received.
    pub response: RecordedResponse,
}

/// Where an exchange came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// `docs` (an example in Dwolla's documentation), `spec-example` (built
    /// from the spec's own examples), `sandbox` (recorded) or `derived`
    /// (a docs example reshaped, e.g. one partner's part of a combined one).
    pub source: String,
    /// Which document, page or run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The date of a recording (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded: Option<String>,
}

/// A request: method, path (with query, if any), headers, body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedRequest {
    /// Upper-case method.
    pub method: String,
    /// Path and query, e.g. `/exchange-sessions/fcd1…`.
    pub path: String,
    /// Headers by lower-case name.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// A JSON body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// A body that is not JSON (a form, say), as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_text: Option<String>,
}

/// A response: status, headers, body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers by lower-case name.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// A JSON body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// A body that is not JSON (an HTML error page, say), as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_text: Option<String>,
}

impl RecordedRequest {
    /// A header by (case-insensitive) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// The path without its query.
    pub fn path_only(&self) -> &str {
        self.path.split('?').next().unwrap_or_default()
    }

    /// The body as JSON: see [`RecordedResponse::json_body`].
    pub fn json_body(&self) -> Result<Option<Cow<'_, Value>>, String> {
        json_body(
            self.body.as_ref(),
            self.body_text.as_deref(),
            self.header("content-type"),
        )
    }
}

impl RecordedResponse {
    /// A header by (case-insensitive) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// Whether the response carried a body at all.
    pub fn has_body(&self) -> bool {
        self.body.is_some() || self.body_text.as_deref().is_some_and(|t| !t.is_empty())
    }

    /// The body as JSON: `body`, or `body_text` (the text as it was sent,
    /// as the recorder keeps it) read as JSON when the content type is a
    /// JSON one; `Err` says why such a text is not JSON. `None`: no JSON
    /// body.
    pub fn json_body(&self) -> Result<Option<Cow<'_, Value>>, String> {
        json_body(
            self.body.as_ref(),
            self.body_text.as_deref(),
            self.header("content-type"),
        )
    }
}

fn json_body<'a>(
    body: Option<&'a Value>,
    text: Option<&str>,
    content_type: Option<&str>,
) -> Result<Option<Cow<'a, Value>>, String> {
    if let Some(body) = body {
        return Ok(Some(Cow::Borrowed(body)));
    }
    match text {
        Some(text) if content_type.is_some_and(openapi_doc::media::is_json_like) => {
            serde_json::from_str(text)
                .map(|value| Some(Cow::Owned(value)))
                .map_err(|e| format!("body is not JSON ({e})"))
        }
        _ => Ok(None),
    }
}

fn header<'a>(headers: &'a BTreeMap<String, String>, name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// An exchange with the file it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The file's name without `.json`: the exchange's name in reports.
    pub name: String,
    /// The file.
    pub path: PathBuf,
    /// The exchange.
    pub exchange: Exchange,
    /// The numbers of its bodies that a 64-bit read rounds, as the file
    /// writes them.
    pub numbers: BodyNumbers,
}

/// The numbers of an exchange's JSON bodies that a 64-bit read rounds, read
/// from the raw text (see [`exact`](crate::exact)), by the pointer in the
/// body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyNumbers {
    /// In the request's body.
    pub request: Vec<crate::exact::Literal>,
    /// In the response's body.
    pub response: Vec<crate::exact::Literal>,
}

impl BodyNumbers {
    /// The numbers of the bodies of an exchange file's `text`.
    pub fn of_file(text: &str) -> Self {
        let mut numbers = Self::default();
        for literal in crate::exact::literals(text) {
            for (prefix, into) in [
                ("/request/body", &mut numbers.request),
                ("/response/body", &mut numbers.response),
            ] {
                if let Some(rest) = literal.pointer.strip_prefix(prefix)
                    && (rest.is_empty() || rest.starts_with('/'))
                {
                    into.push(crate::exact::Literal {
                        pointer: rest.to_string(),
                        text: literal.text.clone(),
                    });
                }
            }
        }
        numbers
    }
}

/// Why fixtures could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    /// A file or folder could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The path.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A file is not an exchange.
    #[error("{path} is not an exchange: {message}")]
    Format {
        /// The file.
        path: String,
        /// The parser's message.
        message: String,
    },
}

/// Loads the `.json` files at `paths` (files, or folders read recursively),
/// sorted by path; the first entry that cannot be read is the error.
pub fn load(paths: &[PathBuf]) -> Result<Vec<Loaded>, FixtureError> {
    let found = files(paths)?;
    if let Some(unreadable) = found.unreadable.into_iter().next() {
        return Err(unreadable);
    }
    found
        .files
        .iter()
        .filter(|file| !is_har(file))
        .map(|file| load_file(file))
        .collect()
}

/// Whether `path` names a HAR file (`.har`), which [`har`](crate::har)
/// reads.
pub fn is_har(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "har")
}

/// What [`files`] found.
#[derive(Debug, Default)]
pub struct Found {
    /// The files to load, sorted by path.
    pub files: Vec<PathBuf>,
    /// The entries inside the folders that could not be read: a link that
    /// leads nowhere (dangling, a loop), a folder that cannot be listed, or
    /// a `.json`/`.har` that is not a regular file (a pipe, never opened).
    pub unreadable: Vec<FixtureError>,
    /// The folders and linked files already visited, by canonical path: each
    /// is read once however many links lead to it (a loop of links ends).
    visited: std::collections::HashSet<PathBuf>,
    /// Whether a link was followed inside a folder.
    followed_links: bool,
}

impl Found {
    /// Notes `error`: fatal for a path the user named, else one more
    /// unreadable entry, and the walk goes on.
    fn fail(&mut self, named: bool, error: FixtureError) -> Result<(), FixtureError> {
        if named {
            return Err(error);
        }
        self.unreadable.push(error);
        Ok(())
    }
}

/// The files to load, sorted by path: those named, and the `.json` (and
/// `.har`) files inside the folders named (read recursively), so that a
/// caller can load each on its own and go on past one that fails; with the
/// entries inside the folders that cannot be read. A named path that
/// cannot be read is the error.
pub fn files(paths: &[PathBuf]) -> Result<Found, FixtureError> {
    let mut found = Found::default();
    for path in paths {
        collect(path, &mut found, true)?;
    }
    found.files.sort();
    found.files.dedup();
    if found.followed_links {
        // Links were followed: a file may have been reached by two routes.
        let mut seen = std::collections::HashSet::new();
        found.files.retain(|file| {
            seen.insert(std::fs::canonicalize(file).unwrap_or_else(|_| file.clone()))
        });
    }
    Ok(found)
}

/// The committed fixtures (`conformance/fixtures/*.json`), by file name,
/// built into the crate (see `build.rs`).
const COMMITTED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/committed_fixtures.rs"));

/// Where the committed fixtures live in this project's source tree, the
/// path their [`Loaded::path`] names.
pub const COMMITTED_DIR: &str = "conformance/fixtures";

/// The committed fixtures, sorted by file name. They are built into the
/// crate: no file is read.
pub fn committed() -> Result<Vec<Loaded>, FixtureError> {
    COMMITTED
        .iter()
        .map(|(file, text)| parse(&Path::new(COMMITTED_DIR).join(file), text))
        .collect()
}

/// The text of the committed fixture `file` (`name.json`), as committed.
pub fn committed_text(file: &str) -> Option<&'static str> {
    COMMITTED
        .iter()
        .find(|(name, _)| *name == file)
        .map(|(_, text)| *text)
}

/// The committed fixture `name` (its file name without `.json`).
pub fn committed_one(name: &str) -> Result<Loaded, FixtureError> {
    let file = format!("{name}.json");
    let path = Path::new(COMMITTED_DIR).join(&file);
    match committed_text(&file) {
        Some(text) => parse(&path, text),
        None => Err(FixtureError::Read {
            path: path.display().to_string(),
            source: std::io::ErrorKind::NotFound.into(),
        }),
    }
}

/// Adds `path` (named by the user: any file) or, inside a folder, every
/// `.json` and `.har` file; what cannot be read inside a folder is noted in
/// `found` and the walk goes on.
fn collect(path: &Path, found: &mut Found, named: bool) -> Result<(), FixtureError> {
    let read_error = |source| FixtureError::Read {
        path: path.display().to_string(),
        source,
    };
    // Follows links: a dangling one or a loop is an error here.
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(source) => return found.fail(named, read_error(source)),
    };
    // Each folder, and each file a link leads to, is read once: links that
    // form a loop, or lead to one place twice, end here.
    if (metadata.is_dir() || !named)
        && let Ok(canonical) = std::fs::canonicalize(path)
        && !found.visited.insert(canonical)
    {
        return Ok(());
    }
    if metadata.is_dir() {
        let entries = match std::fs::read_dir(path) {
            Ok(entries) => entries,
            Err(source) => return found.fail(named, read_error(source)),
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(source) => {
                    found.fail(false, read_error(source))?;
                    continue;
                }
            };
            let inner = entry.path();
            // The listing tells a plain file without a `stat` of its own
            // (thousands of files: a third of the system calls); folders,
            // links and the rest are looked at as before.
            match entry.file_type() {
                Ok(kind) if kind.is_file() => {
                    if is_exchange_file(&inner) {
                        found.files.push(inner);
                    }
                }
                Ok(kind) => {
                    found.followed_links |= kind.is_symlink();
                    collect(&inner, found, false)?;
                }
                Err(_) => collect(&inner, found, false)?,
            }
        }
    } else if metadata.is_file() {
        if named || is_exchange_file(path) {
            found.files.push(path.to_path_buf());
        }
    } else if named || is_exchange_file(path) {
        return found.fail(
            named,
            read_error(std::io::Error::other(
                "not a regular file or folder (a pipe, socket or device), not opened",
            )),
        );
    }
    Ok(())
}

/// Whether a file found in a folder is one to load: `.json` or `.har`.
fn is_exchange_file(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext == "json" || ext == "har")
}

/// Loads one exchange file (a leading UTF-8 byte-order mark is skipped, as
/// some editors write one).
pub fn load_file(path: &Path) -> Result<Loaded, FixtureError> {
    let text = std::fs::read_to_string(path).map_err(|source| FixtureError::Read {
        path: path.display().to_string(),
        source,
    })?;
    parse(path, &text)
}

/// Reads the text of the exchange file at `path`.
fn parse(path: &Path, text: &str) -> Result<Loaded, FixtureError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let format_error = |message: String| FixtureError::Format {
        path: path.display().to_string(),
        message,
    };
    // serde reads a struct from an array too, which would name the first
    // element's type as the fault: the file's shape is said first.
    let first = text.trim_start().chars().next();
    if first != Some('{') {
        let found = match first {
            Some('[') => "an array",
            None => "nothing",
            Some(_) => "not an object",
        };
        return Err(format_error(format!(
            "an exchange file holds one JSON object (operation, provenance, request, response); this holds {found}"
        )));
    }
    let exchange = serde_json::from_str(text).map_err(|why| format_error(why.to_string()))?;
    let numbers = BodyNumbers::of_file(text);
    Ok(Loaded {
        name: path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path: path.to_path_buf(),
        exchange,
        numbers,
    })
}
