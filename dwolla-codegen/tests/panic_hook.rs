//! progenitor reports some failures by panicking; the generator catches
//! those panics and turns them into skipped operations, so their default
//! message would only be noise in a build's output. The silence must cover
//! progenitor's call and nothing else: a panic anywhere else in a build
//! script is a bug that has to print.
//!
//! Alone in its binary: it installs a process-wide panic hook.

use std::panic::{catch_unwind, set_hook, take_hook};
use std::path::Path;
use std::sync::Mutex;

use dwolla_codegen::{GenerateOptions, generate};
use serde_json::json;

static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// What the hook has seen so far (a copy: a failing assertion panics, and
/// the hook then needs the lock).
fn seen() -> Vec<String> {
    SEEN.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
}

#[test]
fn only_progenitors_own_panics_are_silenced() {
    // Records every panic the hook sees, and prints it as usual.
    let default = take_hook();
    set_hook(Box::new(move |info| {
        SEEN.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(info.to_string());
        default(info);
    }));
    // A query parameter of object type makes typify panic inside progenitor.
    let doc = json!({
        "openapi": "3.1.0",
        "info": { "title": "t", "version": "1" },
        "paths": { "/odd": { "get": {
            "operationId": "getOdd",
            "parameters": [{ "name": "q", "in": "query", "required": true,
                "schema": { "type": "object", "properties": { "a": { "type": "object" } } } }],
            "responses": { "200": { "description": "ok" } }
        } } }
    });
    let generated =
        generate(doc, Path::new("odd.yml"), &GenerateOptions::default()).expect("generates");
    assert_eq!(generated.skipped.len(), 1, "{:?}", generated.skipped);
    assert_eq!(
        seen(),
        [] as [String; 0],
        "progenitor's panic reached the hook"
    );

    let elsewhere = catch_unwind(|| panic!("a bug outside progenitor"));
    assert!(elsewhere.is_err());
    let seen = seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(seen[0].contains("a bug outside progenitor"), "{seen:?}");
}
