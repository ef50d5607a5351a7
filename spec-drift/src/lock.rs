//! The upstream lock: which published Dwolla spec the vendored slice was
//! last reconciled with, by its commit, its SHA-256 and where it was
//! published, without holding Dwolla's text (`openapi/upstream-lock.json`).
//!
//! Drift compares that spec with the newest one, so the slice's deliberate
//! differences from upstream are never reported as change. A downloaded
//! copy is checked against the lock ([`Lock::matches`]) before it is used
//! as the baseline, and a newer spec moves the lock ([`Lock::for_spec`]).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Why a lock could not be read, written or checked.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// The lock is not the lock format.
    #[error("{path} is not an upstream lock: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// The published spec the slice was last reconciled with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    /// What this file is, for people.
    pub about: String,
    /// The upstream commit of the spec (short id).
    pub commit: String,
    /// The SHA-256 of the spec's bytes, lower-case hex.
    pub sha256: String,
    /// Where it was published, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When it was published (`YYYY-MM-DD`, or `YYYY-MM`), where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// What [`Lock::about`] says.
const ABOUT: &str = "The published Dwolla spec openapi/dwolla.yml was last reconciled with (spec-drift compares it with the newest; `spec-drift lock check FILE` checks a download against it)";

/// The lower-case hex SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn read_bytes(path: &Path) -> Result<Vec<u8>, LockError> {
    std::fs::read(path).map_err(|source| LockError::Io {
        path: path.to_path_buf(),
        source,
    })
}

impl Lock {
    /// Reads the lock at `path`.
    pub fn read(path: &Path) -> Result<Self, LockError> {
        let bytes = read_bytes(path)?;
        let lock: Lock = serde_json::from_slice(&bytes).map_err(|e| LockError::Format {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let hex = lock.sha256.len() == 64 && lock.sha256.bytes().all(|b| b.is_ascii_hexdigit());
        if !hex || lock.commit.is_empty() {
            return Err(LockError::Format {
                path: path.to_path_buf(),
                message: "`sha256` must be 64 hex digits and `commit` not empty".into(),
            });
        }
        Ok(lock)
    }

    /// A lock on the spec at `spec`, published at `commit`.
    pub fn for_spec(
        spec: &Path,
        commit: &str,
        url: Option<String>,
        date: Option<String>,
    ) -> Result<Self, LockError> {
        Ok(Self {
            about: ABOUT.into(),
            commit: commit.to_string(),
            sha256: sha256(&read_bytes(spec)?),
            url,
            date,
        })
    }

    /// Writes the lock to `path` (pretty JSON, a final newline).
    pub fn write(&self, path: &Path) -> Result<(), LockError> {
        let text = serde_json::to_string_pretty(self).map_err(|e| LockError::Format {
            path: path.to_path_buf(),
            message: e.to_string(),
        })? + "\n";
        std::fs::write(path, text).map_err(|source| LockError::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Whether the file at `spec` holds the locked spec, byte for byte; the
    /// file's SHA-256 with it.
    pub fn matches(&self, spec: &Path) -> Result<(bool, String), LockError> {
        let digest = sha256(&read_bytes(spec)?);
        Ok((digest.eq_ignore_ascii_case(&self.sha256), digest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_names_its_spec_by_digest_and_refuses_another() {
        let dir = tempfile::tempdir().expect("a folder");
        let (spec, other, lock_path) = (
            dir.path().join("spec.yml"),
            dir.path().join("other.yml"),
            dir.path().join("lock.json"),
        );
        std::fs::write(&spec, "openapi: 3.1.0\n").expect("written");
        std::fs::write(&other, "openapi: 3.1.1\n").expect("written");
        let lock = Lock::for_spec(&spec, "abc1234", None, Some("2026-01".into())).expect("a lock");
        lock.write(&lock_path).expect("written");
        let read = Lock::read(&lock_path).expect("read back");
        assert_eq!(read, lock);
        assert!(read.matches(&spec).expect("readable").0);
        assert!(!read.matches(&other).expect("readable").0);
        assert_eq!(
            sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        std::fs::write(&lock_path, r#"{"about":"x","commit":"c","sha256":"zz"}"#).expect("written");
        assert!(matches!(
            Lock::read(&lock_path),
            Err(LockError::Format { .. })
        ));
    }
}
