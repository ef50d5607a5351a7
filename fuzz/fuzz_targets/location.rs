//! The `Location` parser on any header bytes, against two bases.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for base in ["https://api.dwolla.com", "http://127.0.0.1:8080/prefix"] {
        if let Some(created) =
            dwolla_exchange_sessions::fuzzing::parse_created(Some(data), base, "exchange-sessions")
        {
            assert!(!created.id.is_empty() && !created.id.contains('/'));
        }
    }
});
