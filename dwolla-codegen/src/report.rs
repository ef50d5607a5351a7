//! What the normalizer and the generator tell the build about the spec.

/// An operation that is left out of the generated client, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedOperation {
    /// The operationId, or `METHOD path` when the spec gives none.
    pub operation: String,
    /// JSON pointer of the operation in the spec.
    pub pointer: String,
    /// Why it cannot be generated.
    pub reason: String,
}

/// A change the normalizer made that loses something from the spec (a
/// constraint the generated types do not enforce, a body that stays raw).
///
/// Lossless rewrites (version, media types, `const`) are not reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// JSON pointer of the construct in the spec.
    pub pointer: String,
    /// What was changed and what it means for callers.
    pub message: String,
}

/// How an operation authenticates, from its `security` requirement (or the
/// document's) and the schemes in `components.securitySchemes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthScheme {
    /// HTTP Basic: the application key and secret (Dwolla's `/token`).
    Basic,
    /// A bearer token (OAuth 2.0, or HTTP bearer).
    Bearer,
    /// No authentication (`security: []`).
    None,
    /// The requirement names a scheme that `components.securitySchemes` does
    /// not define, or one of a kind the client does not speak.
    Unsupported(String),
}

/// One generated operation, as the spec describes it on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationSummary {
    /// The operationId.
    pub operation_id: String,
    /// The generated method (`create_application_access_token`), which is
    /// also what progenitor passes to hooks as `OperationInfo::operation_id`.
    pub method_name: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// Path template, e.g. `/exchange-sessions/{id}`, without the
    /// `#fragment` some spec keys carry (it is never sent).
    pub path: String,
    /// How the request authenticates.
    pub auth: AuthScheme,
    /// The `Accept` header its requests carry: what its `Accept` parameter
    /// allows, else the media types its responses document.
    pub accept: String,
    /// The Rust type its builder's `body` takes (e.g.
    /// `types::CreateCustomerExchangeSessionBody`), read from the generated
    /// code; `None` when it takes no body (or before generation).
    pub body_type: Option<String>,
}

impl OperationSummary {
    /// The name of the operation's generated builder, e.g.
    /// `CreateCustomerExchangeSession`.
    pub fn builder_name(&self) -> String {
        use heck::ToUpperCamelCase;
        self.method_name
            .trim_start_matches("r#")
            .to_upper_camel_case()
    }
}
