//! Where the team acts on a finding: the line of the operation (or of the
//! component schema) in the vendored slice, `openapi/dwolla.yml`, the file
//! the team adapts when Dwolla's spec moves. The compared specs themselves
//! are downloads the repository does not hold, so nothing is anchored to
//! them.

use std::collections::HashMap;
use std::path::Path;

use crate::report::{Anchor, Finding};

/// The lines of a slice's operations and component schemas.
#[derive(Debug, Clone, Default)]
pub struct Anchors {
    file: String,
    operations: HashMap<String, usize>,
    schemas: HashMap<String, usize>,
}

impl Anchors {
    /// Reads the slice at `path` (as findings will name it); `None` when it
    /// cannot be read.
    pub fn read(path: &Path) -> Option<Self> {
        let text = std::fs::read_to_string(path).ok()?;
        Some(Self::parse(&path.display().to_string(), &text))
    }

    /// The anchors of a slice's YAML `text`, named `file`: each
    /// `operationId:` line, and each key directly under
    /// `components.schemas`.
    pub fn parse(file: &str, text: &str) -> Self {
        let mut anchors = Anchors {
            file: file.to_string(),
            ..Anchors::default()
        };
        let mut section: Vec<(usize, &str)> = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            if let Some(id) = trimmed.strip_prefix("operationId:") {
                anchors
                    .operations
                    .insert(unquote(id.trim()).to_string(), number);
                continue;
            }
            let Some(key) = trimmed
                .strip_suffix(':')
                .or_else(|| trimmed.split_once(": ").map(|(key, _)| key))
            else {
                continue;
            };
            section.retain(|(depth, _)| *depth < indent);
            let under_schemas = matches!(section.as_slice(), [(_, "components"), (_, "schemas")]);
            if under_schemas {
                anchors.schemas.insert(unquote(key).to_string(), number);
            }
            section.push((indent, key));
        }
        anchors
    }

    /// Where `finding` is acted on: its type's schema, else the first of its
    /// operations the slice holds.
    pub fn place(&self, finding: &Finding) -> Option<Anchor> {
        let schema = finding
            .subject
            .strip_prefix("types::")
            .map(|name| name.split("::").next().unwrap_or(name))
            .and_then(|name| self.schemas.get(name));
        let line = schema
            .or_else(|| self.operations.get(&finding.subject))
            .or_else(|| {
                finding
                    .operations
                    .iter()
                    .find_map(|id| self.operations.get(id))
            })?;
        Some(Anchor {
            file: self.file.clone(),
            line: *line,
        })
    }
}

fn unquote(text: &str) -> &str {
    text.trim_matches(|c| c == '\'' || c == '"')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Class;

    const SLICE: &str = "openapi: 3.1.0\npaths:\n  /things:\n    get:\n      operationId: listThings\n      responses: {}\ncomponents:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        name: {type: string}\n    'Other':\n      type: string\n";

    #[test]
    fn operations_and_schemas_are_found_by_line() {
        let anchors = Anchors::parse("openapi/dwolla.yml", SLICE);
        let at = |subject: &str, operations: &[&str]| {
            let finding = Finding::new(Class::Compatible, "r", subject, "m")
                .about(operations.iter().map(std::string::ToString::to_string));
            anchors.place(&finding).map(|a| a.line)
        };
        assert_eq!(at("listThings", &[]), Some(5));
        assert_eq!(at("types::Thing", &["listThings"]), Some(9));
        assert_eq!(at("types::Other", &[]), Some(13));
        assert_eq!(at("types::Gone", &["listThings"]), Some(5));
        assert_eq!(at("types::Gone", &["elsewhere"]), None);
        assert_eq!(at("types::Thing::Variant0", &[]), Some(9));
    }
}
