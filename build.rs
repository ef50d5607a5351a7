//! Generates the client at build time from the vendored spec
//! (`openapi/dwolla.yml`) or from the spec named by `DWOLLA_OPENAPI`.
//!
//! The work is done by the `dwolla-codegen` crate; this script only chooses
//! the spec, reports skipped operations as warnings and writes two files to
//! `OUT_DIR`: `client.rs` (progenitor's output) and `operations.rs` (one
//! `OperationMeta` constant per operation and the `match` that finds it by
//! the name progenitor hands the hooks; included by `src/operations.rs`).

use std::fmt::Write as _;
use std::path::PathBuf;

use dwolla_codegen::{AuthScheme, GenerateOptions, Generated, OperationSummary};

fn main() {
    println!("cargo::rerun-if-env-changed=DWOLLA_OPENAPI");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let spec = match std::env::var_os("DWOLLA_OPENAPI") {
        Some(path) => manifest_dir.join(path),
        None => manifest_dir.join("openapi").join("dwolla.yml"),
    };
    println!("cargo::rerun-if-changed={}", spec.display());

    // progenitor reports some failures by panicking; the code generator
    // catches those panics and reports them below, so the default hook's
    // message and backtrace would only be noise.
    std::panic::set_hook(Box::new(|_| {}));

    let mut options = GenerateOptions {
        error_type: Some("crate::error::DwollaErrorBody".into()),
        secret_type: Some("crate::auth::Secret".into()),
        inner_type: Some("crate::wire::ClientState".into()),
        expect_hooks: true,
        ..GenerateOptions::default()
    };
    // Properties whose values must never reach `Debug` output or logs.
    options.normalize.secret_properties = [
        "access_token",
        "externalProviderSessionToken",
        "payment_session_secret",
        "payment_session_token",
    ]
    .map(String::from)
    .into();
    let generated = match dwolla_codegen::generate_file(&spec, &options) {
        Ok(generated) => generated,
        Err(error) => {
            println!("cargo::error={error}");
            return;
        }
    };
    for skipped in &generated.skipped {
        println!(
            "cargo::warning=operation {} not generated ({}): {}",
            skipped.operation, skipped.pointer, skipped.reason
        );
    }
    if std::env::var_os("DWOLLA_OPENAPI").is_some() {
        println!(
            "cargo::warning=generated {} operations from {} ({} not generated)",
            generated.operations.len(),
            spec.display(),
            generated.skipped.len()
        );
    }
    for note in &generated.notes {
        println!(
            "cargo::warning=spec note at {}: {}",
            note.pointer, note.message
        );
    }

    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let written = std::fs::write(out_dir.join("client.rs"), &generated.code)
        .and_then(|()| std::fs::write(out_dir.join("operations.rs"), operation_table(&generated)));
    if let Err(error) = written {
        println!("cargo::error=cannot write generated code to OUT_DIR: {error}");
    }
}

/// Rust source of the spec's operation table: one `OperationMeta` constant
/// per operation, named after its generated method
/// (`create_customer_exchange_session` gives
/// `CREATE_CUSTOMER_EXCHANGE_SESSION`), and `for_method`, the `match` from a
/// method name to its constant.
fn operation_table(generated: &Generated) -> String {
    let mut table = String::new();
    let mut lookup = String::from(
        "/// The operation whose generated method is `method_name`.\n\
         pub(crate) fn for_method(method_name: &str) -> Option<&'static OperationMeta> {\n\
         \x20   match method_name {\n",
    );
    let mut every = String::from(
        "/// Every operation of the spec.\n\
         #[cfg(test)]\n\
         pub(crate) fn all() -> &'static [&'static OperationMeta] {\n\
         \x20   &[\n",
    );
    for operation in &generated.operations {
        let constant = constant_name(&operation.method_name);
        table.push_str(&operation_constant(&constant, operation));
        let _ = writeln!(
            lookup,
            "        {:?} => Some({constant}),",
            operation.method_name
        );
        let _ = writeln!(every, "        {constant},");
    }
    lookup.push_str("        _ => None,\n    }\n}\n\n");
    every.push_str("    ]\n}\n");
    table + &lookup + &every
}

/// `create_customer_exchange_session` (or `r#type`) as a constant's name.
fn constant_name(method_name: &str) -> String {
    method_name.trim_start_matches("r#").to_ascii_uppercase()
}

/// One operation's `pub(crate) const NAME: &OperationMeta = &OperationMeta { .. };`.
fn operation_constant(constant: &str, operation: &OperationSummary) -> String {
    let auth = match &operation.auth {
        AuthScheme::Basic => "Auth::Basic".to_string(),
        AuthScheme::Bearer => "Auth::Bearer".to_string(),
        AuthScheme::None => "Auth::None".to_string(),
        AuthScheme::Unsupported(why) => format!("Auth::Unsupported({why:?})"),
    };
    let doc = format!(
        "`{}`: `{} {}`.",
        operation.operation_id, operation.method, operation.path
    );
    format!(
        "#[doc = {doc:?}]\n\
         pub(crate) const {constant}: &OperationMeta = &OperationMeta {{\n\
         \x20   operation_id: {:?},\n\
         \x20   method_name: {:?},\n\
         \x20   method: {:?},\n\
         \x20   path: {:?},\n\
         \x20   auth: {auth},\n\
         \x20   accept: {:?},\n\
         \x20   repeatable: {},\n\
         }};\n\n",
        operation.operation_id,
        operation.method_name,
        operation.method,
        operation.path,
        operation.accept,
        repeatable(&operation.method, &operation.path),
    )
}

/// Whether sending the operation twice does no harm by itself: the methods
/// HTTP defines as idempotent, and `POST /token`, the OAuth client-credentials
/// grant, which issues a token and changes nothing.
fn repeatable(method: &str, path: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE")
        || (method == "POST" && path == "/token")
}
