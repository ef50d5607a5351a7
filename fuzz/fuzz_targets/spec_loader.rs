//! The spec loader on any text: JSON through serde_json, YAML through the
//! bounded event reader. It must return a value or an error, never panic,
//! overflow the stack or expand past its budget.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = openapi_doc::load::parse(text);
    }
});
