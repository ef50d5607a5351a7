//! Generates the client at build time from the vendored spec
//! (`openapi/dwolla.yml`) or from the spec named by `DWOLLA_OPENAPI`.
//!
//! The work is done by the `dwolla-codegen` crate; this script only chooses
//! the spec, reports skipped operations as warnings and writes two files to
//! `OUT_DIR`: `client.rs` (progenitor's output) and `operations.rs` (the
//! table the wire hook checks requests against).

use std::fmt::Write as _;
use std::path::PathBuf;

use dwolla_codegen::{AuthScheme, GenerateOptions, Generated};

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
        error_type: Some("crate::DwollaError".into()),
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

/// Rust source of `OPERATIONS`, one `OperationMeta` per generated operation.
fn operation_table(generated: &Generated) -> String {
    let mut table = String::from(
        "/// Every operation of the generated client, as the spec describes it.\n\
         pub const OPERATIONS: &[OperationMeta] = &[\n",
    );
    for operation in &generated.operations {
        let auth = match &operation.auth {
            AuthScheme::Basic => "Auth::Basic".to_string(),
            AuthScheme::Bearer => "Auth::Bearer".to_string(),
            AuthScheme::None => "Auth::None".to_string(),
            AuthScheme::Unsupported(why) => format!("Auth::Unsupported({why:?})"),
        };
        let _ = writeln!(
            table,
            "    OperationMeta {{ operation_id: {:?}, method_name: {:?}, method: {:?}, path: {:?}, auth: {auth}, accept: {:?} }},",
            operation.operation_id,
            operation.method_name,
            operation.method,
            operation.path,
            operation.accept
        );
    }
    table.push_str("];\n");
    table
}
