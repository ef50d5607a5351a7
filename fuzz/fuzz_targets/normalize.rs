//! The spec normalizer on any JSON document: converts or returns an error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = dwolla_codegen::normalize::normalize(
            doc,
            std::path::Path::new("fuzz.json"),
            &dwolla_codegen::NormalizeOptions::default(),
        );
    }
});
