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
    /// The text is neither YAML nor JSON.
    #[error("{} is not valid YAML or JSON: {source}", path.display())]
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

/// Parses YAML (a superset of JSON) into JSON. Mapping keys that YAML reads as
/// numbers or booleans (an unquoted `200:` status) become strings, as they are
/// in the JSON form of an OpenAPI document.
pub fn parse(text: &str) -> Result<Value, ParseError> {
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| ParseError {
        message: e.to_string(),
    })?;
    yaml_to_json(yaml).map_err(|message| ParseError { message })
}

fn yaml_to_json(value: serde_yaml::Value) -> Result<Value, String> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| format!("number {n} has no JSON form"))?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .map(yaml_to_json)
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut object = serde_json::Map::with_capacity(map.len());
            for (key, value) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => return Err(format!("mapping key {other:?} is not a scalar")),
                };
                object.insert(key, yaml_to_json(value)?);
            }
            Value::Object(object)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value)?,
    })
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
                .contains("not a scalar")
        );
        assert!(
            parse("a: .nan\n")
                .unwrap_err()
                .message
                .contains("no JSON form")
        );
    }

    #[test]
    fn a_missing_file_names_the_path() {
        let err = load_file(Path::new("no/such/spec.yml")).unwrap_err();
        assert!(matches!(err, LoadError::Read { .. }));
        assert!(err.to_string().contains("no/such/spec.yml"), "{err}");
    }
}
