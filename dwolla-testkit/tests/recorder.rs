//! The recorder, run against the replay server (the sandbox is out of reach
//! here): it writes one fixture per exchange, each of which the suite accepts,
//! and none of which holds a secret used in the run.

mod recording;
mod support;

use base64::Engine as _;
use conformance::check::Outcome;
use conformance::fixture;
use dwolla_exchange_sessions::{Credentials, DwollaClient, Environment};
use dwolla_testkit::flow::{self, FlowTarget};
use dwolla_testkit::readers::client_suite;

use support::{KEY, SECRET, UPSTREAM_SECRETS, recording_upstream};

#[tokio::test]
async fn a_recorded_flow_gives_conforming_fixtures_without_secrets() {
    let (upstream, recorder, dir) = recording_upstream().await;
    let dwolla = DwollaClient::builder()
        .environment(Environment::Custom(recorder.base_url().parse().unwrap()))
        .credentials(Credentials::new(KEY, SECRET))
        .build()
        .unwrap();
    let target = FlowTarget {
        customer: "74a207b2-b7b7-4efa-8bf8-582148e7b980".into(),
        exchange: Some("74a207b2-b7b7-4efa-8bf8-582148e7b980".into()),
    };
    let report = flow::run(&dwolla, &target)
        .await
        .expect("the flow runs through the recorder");
    assert!(report.contains("Checkout.com: created"), "{report}");

    assert_eq!(recorder.finish().unwrap(), upstream.served().len());
    let written = recording::fixture_files(&dir);
    assert_eq!(written.len(), upstream.served().len());
    assert_eq!(
        written.len(),
        16,
        "token, partners, 5 sessions and 2 re-auths, each created and retrieved"
    );

    let suite = client_suite().unwrap();
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:{SECRET}"));
    for loaded in fixture::load(&written).unwrap() {
        let verdict = suite.check_loaded(&loaded);
        assert_eq!(verdict.outcome, Outcome::Pass, "{verdict:#?}");
        assert_eq!(loaded.exchange.provenance.source, "sandbox");
        let text = std::fs::read_to_string(&loaded.path).unwrap();
        for secret in [SECRET, basic.as_str()].iter().chain(UPSTREAM_SECRETS) {
            assert!(
                !text.contains(secret),
                "{secret} in {}",
                loaded.path.display()
            );
        }
    }
    let all = recording::recorded_text(&recorder, &dir);
    assert!(all.contains("Bearer <redacted>") && all.contains("Basic <redacted>"));
}
