//! Reading a document (YAML or JSON) into a `serde_json::Value`.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// Why text could not be read as YAML or JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    /// What the parser said, with line and column where it knows them.
    pub message: String,
}

/// Why a document file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file that was asked for.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// The text is not YAML or JSON, or a hostile one the loader refuses.
    #[error("{}: cannot be read as YAML or JSON: {source}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        source: ParseError,
    },
}

/// Reads and parses the document at `path`.
pub fn load_file(path: &Path) -> Result<Value, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text).map_err(|source| LoadError::Parse {
        path: path.to_path_buf(),
        source,
    })
}

/// Parses a document into JSON: JSON text (it begins with `{` or `[`)
/// with `serde_json`, which bounds nesting at 128 levels; anything else as
/// YAML, within the bounds of [`crate::yaml`] (nesting, and what aliases
/// may expand to). Mapping keys that YAML reads as numbers or booleans (an
/// unquoted `200:` status) become strings, as they are in the JSON form of
/// an OpenAPI document.
pub fn parse(text: &str) -> Result<Value, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let json = text.trim_start().starts_with(['{', '[']);
    if json {
        match serde_json::from_str(text) {
            Ok(value) => return Ok(value),
            Err(error) if !error.is_syntax() => {
                return Err(ParseError {
                    message: error.to_string(),
                });
            }
            // Not JSON after all: YAML's flow style begins the same way.
            Err(_) => {}
        }
    }
    crate::yaml::parse(text).map_err(|message| ParseError { message })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_and_boolean_keys_become_strings() {
        let v = parse("responses:\n  200:\n    description: ok\n  true: yes\n").unwrap();
        assert_eq!(v["responses"]["200"]["description"], "ok");
        assert_eq!(v["responses"]["true"], "yes");
    }

    #[test]
    fn json_is_yaml() {
        let v = parse(r#"{"openapi": "3.1.0", "paths": {}}"#).unwrap();
        assert_eq!(v["openapi"], "3.1.0");
    }

    #[test]
    fn syntax_errors_carry_a_position() {
        let err = parse("a: [1, 2\nb: 3").unwrap_err();
        assert!(err.message.contains("line"), "{err}");
    }

    #[test]
    fn non_scalar_keys_and_non_finite_numbers_are_refused() {
        assert!(
            parse("? [a]\n: 1\n")
                .unwrap_err()
                .message
                .contains("not a string, number or boolean")
        );
        assert!(
            parse("a: .nan\n")
                .unwrap_err()
                .message
                .contains("no JSON form")
        );
    }

    #[test]
    fn json_is_read_as_json_and_bounded() {
        let fire = parse(r#"{"x": "\ud83d\udd25"}"#).unwrap();
        assert_eq!(fire["x"], "\u{1f525}");
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let refused = parse(&deep).unwrap_err();
        assert!(refused.message.contains("recursion limit"), "{refused}");
        let flow_yaml = parse("{openapi: 3.1.0, paths: {}}").unwrap();
        assert_eq!(flow_yaml["openapi"], "3.1.0");
    }

    #[test]
    fn a_missing_file_names_the_path() {
        let err = load_file(Path::new("no/such/spec.yml")).unwrap_err();
        assert!(matches!(err, LoadError::Read { .. }));
        assert!(err.to_string().contains("no/such/spec.yml"), "{err}");
    }
}
