//! One side of the comparison: a spec, the client the project's generator
//! makes of it (the same normalizer, progenitor settings and profile as the
//! client's `build.rs`), that client's source surface, and the spec's
//! operations indexed by operationId.

use std::collections::HashMap;
use std::path::Path;

use dwolla_codegen::profile::client_profile;
use dwolla_codegen::{CodegenError, Generated, OperationSummary, SkippedOperation};
use openapi_doc::spec::{METHODS, Operation, Spec, SpecError};
use serde_json::{Map, Value};

use crate::surface::Surface;

/// Why a side could not be built.
#[derive(Debug, thiserror::Error)]
pub enum SideError {
    /// The spec could not be read, or is not OpenAPI 3.1.
    #[error(transparent)]
    Spec(#[from] SpecError),
    /// The generator refused the spec.
    #[error(transparent)]
    Codegen(#[from] CodegenError),
    /// progenitor's output does not parse (a progenitor bug).
    #[error("{file}: the generated client does not parse: {message}")]
    Surface {
        /// The spec file.
        file: String,
        /// What `syn` said.
        message: String,
    },
}

/// A spec and the client generated from it.
pub struct Side {
    /// The spec as published.
    pub spec: Spec,
    /// What the generator made of it.
    pub generated: Generated,
    /// The generated client's source surface.
    pub surface: Surface,
    by_id: HashMap<String, usize>,
    spec_operations: HashMap<String, Operation>,
    normalized: HashMap<String, Map<String, Value>>,
}

impl Side {
    /// Reads the spec at `path` and generates its client.
    pub fn load(path: &Path) -> Result<Self, SideError> {
        Self::from_spec(Spec::load(path)?, path)
    }

    /// Generates the client of `spec`, read from `path`.
    pub fn from_spec(spec: Spec, path: &Path) -> Result<Self, SideError> {
        let generated = dwolla_codegen::generate(spec.document.clone(), path, &client_profile())?;
        let surface = Surface::parse(&generated.code).map_err(|e| SideError::Surface {
            file: path.display().to_string(),
            message: e.to_string(),
        })?;
        let by_id = generated
            .operations
            .iter()
            .enumerate()
            .map(|(index, op)| (op.operation_id.clone(), index))
            .collect();
        let spec_operations = spec
            .operations()
            .into_iter()
            .map(|op| (op.id.clone(), op))
            .collect();
        let normalized = normalized_operations(&generated.document);
        Ok(Self {
            spec,
            generated,
            surface,
            by_id,
            spec_operations,
            normalized,
        })
    }

    /// The generated operation with operationId `id`.
    pub fn operation(&self, id: &str) -> Option<&OperationSummary> {
        self.by_id
            .get(id)
            .map(|&index| &self.generated.operations[index])
    }

    /// The operation `id` as the spec describes it.
    pub fn spec_operation(&self, id: &str) -> Option<&Operation> {
        self.spec_operations.get(id)
    }

    /// The operation `id` as the normalizer left it (what progenitor read).
    pub fn normalized(&self, id: &str) -> Option<&Map<String, Value>> {
        self.normalized.get(id)
    }

    /// The operation the generator left out at `method path`, if it did.
    pub fn skipped(&self, method: &str, path: &str) -> Option<&SkippedOperation> {
        let pointer = openapi_doc::pointer::join(
            &openapi_doc::pointer::join("/paths", path),
            &method.to_ascii_lowercase(),
        );
        self.generated.skipped.iter().find(|s| s.pointer == pointer)
    }
}

/// The operation objects of a normalized document, by operationId.
fn normalized_operations(document: &Value) -> HashMap<String, Map<String, Value>> {
    document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|item| item.iter().filter(|(m, _)| METHODS.contains(&m.as_str())))
        .filter_map(|(_, op)| {
            let op = op.as_object()?;
            let id = op.get("operationId")?.as_str()?.to_string();
            Some((id, op.clone()))
        })
        .collect()
}
