//! The error-body decoder on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<dwolla_exchange_sessions::DwollaErrorBody>(data);
});
