//! What the recorder and hygiene tests share: fixtures whose placeholders are
//! replaced by real-looking secrets, so that a test can tell whether
//! anything redacted them again.

use conformance::fixture;
use dwolla_exchange_sessions::redact::SECRET_FIELDS;
use dwolla_testkit::readers::client_suite;
use dwolla_testkit::recorder::Recorder;
use dwolla_testkit::replay::ReplayServer;
use dwolla_testkit::server::Limits;

pub(crate) const KEY: &str = "recorder-app-key";
pub(crate) const SECRET: &str = "recorder-app-secret-5be1";
/// What the upstream hands out, in place of the fixtures' placeholders.
pub(crate) const UPSTREAM_SECRETS: &[&str] = &[
    "upstream-access-token-1f7a",
    "upstream-link-token-c3d9",
    "upstream-pss-0b2e",
    "upstream-pst-9aa4",
];

/// A replay server answering [`fixtures_with_secrets`], a recorder in
/// front of it, and the temporary folder it writes to.
pub(crate) async fn recording_upstream() -> (ReplayServer, Recorder, tempfile::TempDir) {
    let upstream = ReplayServer::start_with(
        client_suite().unwrap(),
        fixtures_with_secrets(),
        0,
        Limits::default(),
    )
    .await
    .unwrap();
    let (recorder, dir) =
        crate::recording::recorder_to(upstream.base_url(), Limits::default()).await;
    (upstream, recorder, dir)
}

/// The committed fixtures with real-looking secrets where they hold
/// placeholders, so that the test can tell whether the recorder redacted.
fn fixtures_with_secrets() -> Vec<fixture::Loaded> {
    let mut fixtures = fixture::committed().unwrap();
    for loaded in &mut fixtures {
        if let Some(body) = loaded.exchange.response.body.as_mut() {
            for (field, secret) in SECRET_FIELDS.iter().zip(UPSTREAM_SECRETS.iter().cycle()) {
                replace_field(body, field, secret);
            }
        }
    }
    fixtures
}

fn replace_field(value: &mut serde_json::Value, field: &str, secret: &str) {
    match value {
        serde_json::Value::Object(object) => {
            for (key, inner) in object.iter_mut() {
                if key == field {
                    *inner = serde_json::Value::String(secret.into());
                } else {
                    replace_field(inner, field, secret);
                }
            }
        }
        serde_json::Value::Array(items) => items
            .iter_mut()
            .for_each(|v| replace_field(v, field, secret)),
        _ => {}
    }
}
