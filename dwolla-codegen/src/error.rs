//! The one error type of the code generator.

use std::path::PathBuf;

/// Why a spec could not be turned into a client.
///
/// Every variant names the spec file and, where it applies, the JSON pointer
/// of the construct at fault, so that the build failure says where to look.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// The spec file could not be read.
    #[error("cannot read OpenAPI spec {file}: {source}")]
    Read {
        /// The file that was asked for.
        file: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// The file is neither YAML nor JSON.
    #[error("{file}: not valid YAML or JSON: {message}")]
    Parse {
        /// The spec file.
        file: PathBuf,
        /// What the parser said, with line and column.
        message: String,
    },
    /// A construct the normalizer cannot turn into something progenitor accepts.
    #[error("{file}: unsupported construct at {pointer}: {construct}")]
    Unsupported {
        /// The spec file.
        file: PathBuf,
        /// JSON pointer of the construct in the spec.
        pointer: String,
        /// What the construct is and why it cannot be handled.
        construct: String,
    },
    /// progenitor rejected or panicked on the normalized spec.
    #[error("{file}: progenitor cannot generate {pointer}: {message}")]
    Generator {
        /// The spec file.
        file: PathBuf,
        /// JSON pointer of the part of the spec progenitor was working on.
        pointer: String,
        /// progenitor's error or panic message.
        message: String,
    },
    /// The generated tokens are not valid Rust (a progenitor bug).
    #[error("{file}: generated code does not parse as Rust: {message}")]
    Output {
        /// The spec file.
        file: PathBuf,
        /// What `syn` said.
        message: String,
    },
}
