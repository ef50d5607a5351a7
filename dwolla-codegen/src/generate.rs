//! Running progenitor on a normalized document, with its failures (errors
//! and panics alike) turned into skipped operations or a [`CodegenError`].

use std::cell::Cell;
use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Once;

use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use serde_json::{Value, json};

use openapi_doc::load::{self, LoadError};
use openapi_doc::pointer;
use openapi_doc::spec::METHODS;

use crate::builders::request_body_types;
use crate::error::CodegenError;
use crate::normalize::{self, NormalizeOptions, Normalized};
use crate::report::{Note, OperationSummary, SkippedOperation};

/// Settings of the generator.
#[derive(Debug, Clone, Default)]
pub struct GenerateOptions {
    /// Settings of the normalization step.
    pub normalize: NormalizeOptions,
    /// Rust path of a hand-written type used for the unified error body
    /// instead of the one progenitor would generate from its schema.
    pub error_type: Option<String>,
    /// Rust path of a hand-written type used for secret properties (see
    /// [`NormalizeOptions::secret_properties`]).
    pub secret_type: Option<String>,
    /// Rust path of the type the generated `Client` carries as `inner`
    /// (the state its hooks need).
    pub inner_type: Option<String>,
    /// Require a hand-written `ClientHooks` implementation for `Client`
    /// (a missing one is then a compile error rather than silent defaults).
    pub expect_hooks: bool,
}

/// The generated client and what the build should say about it.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Formatted Rust source of the client.
    pub code: String,
    /// The operations the client offers.
    pub operations: Vec<OperationSummary>,
    /// The operations left out, with their reasons.
    pub skipped: Vec<SkippedOperation>,
    /// Lossy changes the normalizer made.
    pub notes: Vec<Note>,
    /// The normalized OpenAPI 3.0.3 document progenitor generated the code
    /// from, without the operations it skipped (what `spec-drift` reads the
    /// wire facts of each operation from).
    pub document: Value,
}

/// Reads the spec at `path` and generates its client.
pub fn generate_file(path: &Path, options: &GenerateOptions) -> Result<Generated, CodegenError> {
    let doc = load::load_file(path).map_err(|error| match error {
        LoadError::Read { path, source } => CodegenError::Read { file: path, source },
        LoadError::Parse { path, source } => CodegenError::Parse {
            file: path,
            message: source.message,
        },
    })?;
    generate(doc, path, options)
}

/// Normalizes `doc` (read from `file`) and generates its client. An operation
/// progenitor fails on is left out with progenitor's message; a failure that
/// no single operation causes fails the whole generation.
pub fn generate(
    doc: Value,
    file: &Path,
    options: &GenerateOptions,
) -> Result<Generated, CodegenError> {
    let Normalized {
        mut document,
        mut operations,
        mut skipped,
        notes,
    } = normalize::normalize(doc, file, &options.normalize)?;
    let settings = settings(options, file)?;

    let tokens = loop {
        let failure = match attempt(&document, &settings) {
            Ok(tokens) => break tokens,
            Err(failure) => failure,
        };
        let culprit = failure
            .pointer
            .as_deref()
            .and_then(|p| operation_at(&document, p))
            .or_else(|| first_failing_operation(&document, &settings));
        let Some((path, method)) = culprit else {
            return Err(CodegenError::Generator {
                file: file.to_path_buf(),
                pointer: failure
                    .pointer
                    .unwrap_or_else(|| "/components/schemas".into()),
                message: failure.message,
            });
        };
        let id = remove_operation(&mut document, &path, &method);
        operations.retain(|o| !(o.path == path && o.method.eq_ignore_ascii_case(&method)));
        skipped.push(SkippedOperation {
            operation: id.unwrap_or_else(|| format!("{} {path}", method.to_uppercase())),
            pointer: pointer::join(&pointer::join("/paths", &path), &method),
            reason: format!("progenitor fails on it: {}", failure.message),
        });
    };

    // The wire hook finds an operation by the name progenitor passes it; a
    // name computed differently would make every call to it fail at run time.
    let generated_text = tokens.to_string();
    let named = hook_names(&generated_text);
    if let Some(missing) = operations
        .iter()
        .find(|o| !named.contains(o.method_name.as_str()))
    {
        return Err(CodegenError::Output {
            file: file.to_path_buf(),
            message: format!(
                "progenitor named the method of {} differently than `{}`",
                missing.operation_id, missing.method_name
            ),
        });
    }
    let file_ast: syn::File = syn::parse2(tokens).map_err(|e| CodegenError::Output {
        file: file.to_path_buf(),
        message: e.to_string(),
    })?;
    let bodies = request_body_types(&file_ast);
    for operation in &mut operations {
        operation.body_type = bodies.get(&operation.builder_name()).cloned();
    }
    Ok(Generated {
        code: prettyplease::unparse(&file_ast),
        operations,
        skipped,
        notes,
        document,
    })
}

/// The names progenitor passes its hooks (`operation_id : "…"` in the
/// generated tokens), read in one pass over the code.
fn hook_names(code: &str) -> HashSet<&str> {
    const MARK: &str = "operation_id : \"";
    code.match_indices(MARK)
        .filter_map(|(at, _)| {
            let rest = &code[at + MARK.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

fn settings(options: &GenerateOptions, file: &Path) -> Result<GenerationSettings, CodegenError> {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged);
    if options.expect_hooks {
        settings.with_hooks(HooksMode::Expected);
    }
    if let Some(inner) = &options.inner_type {
        let tokens: TokenStream = inner.parse().map_err(|e| CodegenError::Output {
            file: file.to_path_buf(),
            message: format!("inner type `{inner}` is not a Rust type: {e}"),
        })?;
        settings.with_inner_type(tokens);
    }
    if let Some(error_type) = &options.error_type {
        settings.with_replacement(
            &options.normalize.error_schema,
            error_type,
            std::iter::empty(),
        );
    }
    if let Some(secret_type) = &options.secret_type {
        settings.with_replacement(
            &options.normalize.secret_schema,
            secret_type,
            std::iter::empty(),
        );
    }
    Ok(settings)
}

/// Why one attempt failed: a message and, when known, where.
struct Failure {
    pointer: Option<String>,
    message: String,
}

/// Parses the normalized document with `openapiv3` and runs progenitor on it,
/// catching its panics.
fn attempt(document: &Value, settings: &GenerationSettings) -> Result<TokenStream, Failure> {
    let spec: openapiv3::OpenAPI =
        serde_path_to_error::deserialize(document).map_err(|e| Failure {
            pointer: Some(path_to_pointer(e.path())),
            message: format!("openapiv3 rejects it: {}", e.inner()),
        })?;
    let mut generator = Generator::new(settings);
    match quietly(|| generator.generate_tokens(&spec)) {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(error)) => Err(Failure {
            pointer: None,
            message: error.to_string(),
        }),
        Err(payload) => Err(Failure {
            pointer: None,
            message: format!("panicked: {}", panic_message(payload.as_ref())),
        }),
    }
}

thread_local! {
    /// Set while this thread runs progenitor, whose panics are caught.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `run` (a progenitor call), catching its panic without printing it:
/// the panic becomes a skipped operation or an error, so its message would
/// only be noise. Any other panic, on any thread, still reaches the panic
/// hook: a hook that stays silent only while [`QUIET`] is set on the
/// panicking thread is installed once, around the hook in place then.
fn quietly<T>(run: impl FnOnce() -> T) -> std::thread::Result<T> {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.get() {
                previous(info);
            }
        }));
    });
    QUIET.set(true);
    let outcome = catch_unwind(AssertUnwindSafe(run));
    QUIET.set(false);
    outcome
}

/// The text of a panic, from its payload.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(std::string::ToString::to_string)
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into())
}

/// `paths./x.get.responses` (serde_path_to_error) as a JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    path.iter()
        .map(|segment| match segment {
            serde_path_to_error::Segment::Seq { index } => index.to_string(),
            serde_path_to_error::Segment::Map { key } => key.clone(),
            serde_path_to_error::Segment::Enum { variant } => variant.clone(),
            serde_path_to_error::Segment::Unknown => "?".into(),
        })
        .fold(String::new(), |acc, token| pointer::join(&acc, &token))
}

/// The operation a pointer lies inside, if any.
fn operation_at(document: &Value, at: &str) -> Option<(String, String)> {
    let rest = at.strip_prefix("/paths/")?;
    let mut tokens = rest.split('/');
    let path = pointer::unescape(tokens.next()?);
    let method = tokens.next()?.to_string();
    document.get("paths")?.get(&path)?.get(&method)?;
    Some((path, method))
}

/// Generates each operation alone and returns the first that fails.
fn first_failing_operation(
    document: &Value,
    settings: &GenerationSettings,
) -> Option<(String, String)> {
    let paths = document.get("paths")?.as_object()?;
    for (path, item) in paths {
        for (method, operation) in item.as_object()? {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let mut alone = document.clone();
            alone["paths"] = json!({ path: { method: operation } });
            if attempt(&alone, settings).is_err() {
                return Some((path.clone(), method.clone()));
            }
        }
    }
    None
}

fn remove_operation(document: &mut Value, path: &str, method: &str) -> Option<String> {
    let paths = document.get_mut("paths")?.as_object_mut()?;
    let item = paths.get_mut(path)?.as_object_mut()?;
    let removed = item.remove(method)?;
    if !item.keys().any(|k| METHODS.contains(&k.as_str())) {
        paths.remove(path);
    }
    removed.get("operationId")?.as_str().map(str::to_string)
}
