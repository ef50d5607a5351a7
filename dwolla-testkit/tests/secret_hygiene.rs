//! Secret hygiene across the whole project: the full flow runs through the
//! recorder to an upstream that hands out real-looking secrets, with every
//! `tracing` and `log` record at TRACE captured. Then the logs, the `Debug`
//! (and `Display`) of every public value that holds a credential or a
//! secret, the errors, and the written fixtures are searched for every secret
//! used: zero hits. (Its own test binary: the subscriber is process-wide.)

mod log_buffer;
mod recording;
mod support;

use base64::Engine as _;
use dwolla_exchange_sessions::generated::ClientState;
use dwolla_exchange_sessions::{ClientBuilder, Credentials, DwollaClient, Environment, Secret};
use dwolla_testkit::flow::{self, FlowTarget};
use dwolla_testkit::recorder::Recorder;
use dwolla_testkit::replay::ReplayServer;
use log_buffer::LogBuffer;
use support::{KEY, SECRET, UPSTREAM_SECRETS, recording_upstream};

/// Captures every `tracing` and `log` record at TRACE into `logs`.
fn capture_logs(logs: &LogBuffer) {
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_writer(move || writer.clone())
        .try_init()
        .expect("the only subscriber of this test binary");
}

/// The `Debug` (and `Display`) of sessions, errors, the client, its builder,
/// credentials, state and recorded exchanges, after the flow has run.
async fn printed_values(
    dwolla: &DwollaClient,
    builder: &ClientBuilder,
    upstream: &ReplayServer,
    recorder: &Recorder,
) -> Vec<String> {
    let mut printed = Vec::new();
    let session = dwolla
        .retrieve_exchange_session("a9c3e5f7-1b2d-4f6a-8e0c-3d5b7f9a1c33")
        .await
        .unwrap();
    printed.push(format!("{session:?} {:?}", session.front_end()));
    let plaid = dwolla
        .retrieve_exchange_session("0d4b6a8e-7c3a-4c67-9a0e-2f5b1e6c9a11")
        .await
        .unwrap();
    printed.push(format!("{plaid:?} {:?}", plaid.front_end()));
    let link_token = plaid
        .session()
        .external_provider_session_token
        .as_ref()
        .expect("a Plaid session");
    assert!(
        UPSTREAM_SECRETS.contains(&link_token.expose()),
        "the secrets really pass through the client"
    );
    let missing = dwolla
        .retrieve_exchange_session("00000000-0000-4000-8000-000000000000")
        .await
        .unwrap_err();
    printed.push(format!("{missing:?} {missing}"));
    let refused = DwollaClient::builder()
        .environment(Environment::Custom(upstream.base_url().parse().unwrap()))
        .build()
        .unwrap()
        .exchange_partners()
        .await
        .unwrap_err();
    printed.push(format!("{refused:?} {refused}"));
    printed.push(format!("{dwolla:?} {builder:?} {:?}", dwolla.api()));
    printed.push(format!(
        "{:?} {:?}",
        Credentials::new(KEY, SECRET),
        Secret::new(SECRET)
    ));
    let state = ClientState::new(Some(Credentials::new(KEY, SECRET)));
    state.set_access_token(Secret::new(UPSTREAM_SECRETS[0]));
    printed.push(format!("{state:?}"));
    printed.push(format!("{:?}", recorder.exchanges()));
    printed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_survives_in_logs_debug_output_errors_or_fixtures() {
    let logs = LogBuffer::default();
    capture_logs(&logs);

    let (upstream, recorder, dir) = recording_upstream().await;
    let builder = ClientBuilder::default()
        .environment(Environment::Custom(recorder.base_url().parse().unwrap()))
        .credentials(Credentials::new(KEY, SECRET));
    let dwolla = builder.clone().build().unwrap();
    let target = FlowTarget {
        customer: "74a207b2-b7b7-4efa-8bf8-582148e7b980".into(),
        exchange: Some("74a207b2-b7b7-4efa-8bf8-582148e7b980".into()),
    };
    let report = flow::run(&dwolla, &target).await.expect("the flow runs");

    let mut printed = vec![report];
    printed.extend(printed_values(&dwolla, &builder, &upstream, &recorder).await);
    let files = recording::recorded_text(&recorder, &dir);
    assert!(recording::fixture_files(&dir).len() >= 16);

    let logs = logs.text();
    assert!(
        logs.contains("dwolla.request") && logs.contains("createReAuthExchangeSession"),
        "traced"
    );
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:{SECRET}"));
    let places = [
        ("logs", logs.as_str()),
        ("Debug and Display output", &printed.join("\n")),
        ("written fixtures and HAR", &files),
    ];
    let secrets = [SECRET, basic.as_str()]
        .into_iter()
        .chain(UPSTREAM_SECRETS.iter().copied());
    let mut hits = Vec::new();
    for secret in secrets {
        for (place, text) in places {
            if text.contains(secret) {
                hits.push(format!("{secret} in {place}"));
            }
        }
    }
    assert!(hits.is_empty(), "secrets leaked: {hits:?}");
}
