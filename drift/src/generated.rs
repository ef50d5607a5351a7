//! One side of the comparison: a spec, the client the project's generator
//! makes of it (the same normalizer, progenitor settings and profile as the
//! client's `build.rs`), and that client's source surface.

use std::path::Path;

use dwolla_codegen::profile::client_profile;
use dwolla_codegen::{CodegenError, Generated, OperationSummary};
use openapi_doc::spec::{Spec, SpecError};

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
}

impl Side {
    /// Reads the spec at `path` and generates its client.
    pub fn load(path: &Path) -> Result<Self, SideError> {
        let spec = Spec::load(path)?;
        let generated = dwolla_codegen::generate(spec.document.clone(), path, &client_profile())?;
        let surface = Surface::parse(&generated.code).map_err(|e| SideError::Surface {
            file: path.display().to_string(),
            message: e.to_string(),
        })?;
        Ok(Self {
            spec,
            generated,
            surface,
        })
    }

    /// The generated operation with operationId `id`.
    pub fn operation(&self, id: &str) -> Option<&OperationSummary> {
        self.generated
            .operations
            .iter()
            .find(|o| o.operation_id == id)
    }
}
