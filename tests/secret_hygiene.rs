//! Secret hygiene of a whole flow: everything logged at TRACE level and the
//! `Debug` and `Display` output of every value that holds a secret are
//! searched for every secret used. Its own test binary, because a tracing
//! subscriber set for one test thread is not reliably seen while other tests
//! run in the same process.

#[allow(dead_code, reason = "each test binary uses part of the support module")]
mod support;

use std::sync::Arc;

use dwolla_exchange_sessions::NewExchangeSession;
use dwolla_exchange_sessions::auth::Credentials;
use support::dwolla::{
    CHECKOUT_SECRET, CHECKOUT_TOKEN, CUSTOMER, KEY, PLAID_TOKEN, SECRET, TOKEN, client_for,
    partner_server,
};

/// A writer that appends everything the subscriber prints to one buffer.
#[derive(Clone, Default)]
struct LogBuffer(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_whole_flow_at_trace_level_logs_no_secret() {
    use base64::Engine as _;
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = partner_server().await;
    let client = client_for(&server);
    let mut printed = Vec::new();
    printed.push(format!("{client:?}"));
    let (_, plaid) = client
        .create_and_retrieve_exchange_session(CUSTOMER, &NewExchangeSession::web("p1"))
        .await
        .unwrap();
    printed.push(format!("{plaid:?} {:?}", plaid.front_end()));
    let checkout = client
        .retrieve_exchange_session("s-checkout")
        .await
        .unwrap();
    printed.push(format!("{checkout:?} {:?}", checkout.front_end()));
    client
        .create_re_auth_exchange_session("e-1", None)
        .await
        .unwrap();
    let error = client
        .retrieve_exchange_session("missing")
        .await
        .unwrap_err();
    printed.push(format!("{error:?} {error}"));
    printed.push(format!("{:?}", Credentials::new(KEY, SECRET)));

    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("dwolla.request"),
        "the flow was traced: {logs}"
    );
    assert!(logs.contains("retrieveCustomerExchangeSession"), "{logs}");
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:{SECRET}"));
    let everything = format!("{logs}\n{}", printed.join("\n"));
    for secret in [
        SECRET,
        TOKEN,
        PLAID_TOKEN,
        CHECKOUT_SECRET,
        CHECKOUT_TOKEN,
        basic.as_str(),
    ] {
        assert!(
            !everything.contains(secret),
            "{secret} leaked:\n{everything}"
        );
    }
}
