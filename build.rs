//! Generates the client at build time from the vendored spec
//! (`openapi/dwolla.yml`) or from the spec named by `DWOLLA_OPENAPI`.
//!
//! The work is done by the `dwolla-codegen` crate, with the project's one
//! profile of options (`dwolla_codegen::profile`); this script chooses the
//! spec, reports skipped operations and notes as warnings, fails the build
//! (naming the spec file and the JSON pointer) when the spec lacks what the
//! client cannot do without, tells the crate what the spec has
//! (`dwolla_spec` cfgs), and writes to `OUT_DIR`:
//! - `client.rs`: progenitor's output;
//! - `operations.rs`: one `OperationMeta` constant per operation, `TOKEN`
//!   (the spec's `POST /token`) and the `match` that finds an operation by
//!   the name progenitor hands the hooks (included by `src/operations.rs`);
//! - `request_bodies.rs`: an alias per operation for the type its builder's
//!   `body` takes (included by `src/generated.rs`);
//! - `secret_fields.rs`: the profile's secret field names (included by
//!   `src/redact.rs`);
//! - `media_type.rs`: the profile's media type of Dwolla's JSON (included by
//!   `src/operations.rs`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use dwolla_codegen::profile::{self, JSON_BODY_MEDIA_TYPE, SECRET_FIELDS, SPEC_CFGS};
use dwolla_codegen::{AuthScheme, Generated, OperationSummary};

fn main() {
    println!("cargo::rerun-if-env-changed=DWOLLA_OPENAPI");
    let cfg_values: Vec<String> = SPEC_CFGS.iter().map(|v| format!("{v:?}")).collect();
    println!(
        "cargo::rustc-check-cfg=cfg(dwolla_spec, values({}))",
        cfg_values.join(", ")
    );
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let spec = match std::env::var_os("DWOLLA_OPENAPI") {
        Some(path) => manifest_dir.join(path),
        None => manifest_dir.join("openapi").join("dwolla.yml"),
    };
    println!("cargo::rerun-if-changed={}", spec.display());

    let generated = match dwolla_codegen::generate_file(&spec, &profile::client_profile()) {
        Ok(generated) => generated,
        Err(error) => {
            println!("cargo::error={error}");
            return;
        }
    };
    report(&spec, &generated);
    let ergonomic = std::env::var_os("CARGO_FEATURE_ERGONOMIC").is_some();
    let unmet = profile::unmet_needs(&generated, ergonomic);
    for need in &unmet {
        println!("cargo::error={}", need.message(&spec));
    }
    if !unmet.is_empty() {
        return;
    }
    for value in profile::spec_cfgs(&generated) {
        println!("cargo::rustc-cfg=dwolla_spec={value:?}");
    }

    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let files = [
        ("client.rs", generated.code.clone()),
        ("operations.rs", operation_table(&generated)),
        ("request_bodies.rs", request_bodies(&generated)),
        ("secret_fields.rs", format!("&{SECRET_FIELDS:?}\n")),
        ("media_type.rs", format!("{JSON_BODY_MEDIA_TYPE:?}\n")),
    ];
    for (name, text) in files {
        if let Err(error) = std::fs::write(out_dir.join(name), text) {
            println!("cargo::error=cannot write {name} to OUT_DIR: {error}");
        }
    }
}

/// Skipped operations and the normalizer's notes, as build warnings.
fn report(spec: &Path, generated: &Generated) {
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
}

/// Rust source of the spec's operation table: one `OperationMeta` constant
/// per operation, named after its generated method
/// (`create_customer_exchange_session` gives
/// `CREATE_CUSTOMER_EXCHANGE_SESSION`), `TOKEN` for `POST /token`, and
/// `for_method`, the `match` from a method name to its constant.
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
        if profile::is_token_operation(operation) {
            let _ = writeln!(
                table,
                "/// `POST /token`, where access tokens come from, whatever its operationId.\n\
                 pub(crate) const TOKEN: &OperationMeta = {constant};\n"
            );
        }
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
///
/// `POST /token` always authenticates with HTTP Basic: that is Dwolla's OAuth
/// client-credentials protocol, whatever scheme the spec names (Dwolla's
/// January 2026 spec names one it does not define).
fn operation_constant(constant: &str, operation: &OperationSummary) -> String {
    let auth = match &operation.auth {
        _ if profile::is_token_operation(operation) => "Auth::Basic".to_string(),
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
        repeatable(operation),
    )
}

/// Whether sending the operation twice does no harm by itself: the methods
/// HTTP defines as idempotent, and `POST /token`, the OAuth client-credentials
/// grant, which issues a token and changes nothing.
fn repeatable(operation: &OperationSummary) -> bool {
    matches!(
        operation.method.as_str(),
        "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE"
    ) || profile::is_token_operation(operation)
}

/// One alias per operation that takes a request body, named after its
/// builder: `pub type CreateCustomerExchangeSession = types::..;`.
fn request_bodies(generated: &Generated) -> String {
    let mut aliases = String::new();
    for operation in &generated.operations {
        if let Some(body) = &operation.body_type {
            if aliases.is_empty() {
                aliases.push_str("use super::types;\n");
            }
            let _ = writeln!(
                aliases,
                "/// The request body of `{}`.\npub type {} = {body};",
                operation.operation_id,
                operation.builder_name()
            );
        }
    }
    aliases
}
