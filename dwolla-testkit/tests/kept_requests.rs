//! What `MockDwolla::received` and `ReplayServer::served` keep of a request
//! holds no credential: not a form's client id and secret, not a cookie, not
//! `Authorization` or `Proxy-Authorization` (their scheme kept).

use dwolla_testkit::mock::MockDwolla;
use dwolla_testkit::replay::ReplayServer;

const FORM_ID: &str = "form-client-id-61c";
const FORM_SECRET: &str = "form-client-secret-0d9";
const COOKIE: &str = "session-cookie-value-3ab";
const PROXY: &str = "proxy-credential-7e2";
const BEARER: &str = "bearer-token-value-55f";

/// Sends a token request and an authorized request carrying every kind of
/// credential to `base`.
async fn send_credentials(base: &str) {
    let http = reqwest::Client::new();
    let form =
        format!("grant_type=client_credentials&client_id={FORM_ID}&client_secret={FORM_SECRET}");
    for (path, authorization) in [("/token", None), ("/exchange-partners", Some(BEARER))] {
        let mut request = http
            .post(format!("{base}{path}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", format!("sid={COOKIE}"))
            .header("proxy-authorization", format!("Basic {PROXY}"))
            .body(form.clone());
        if let Some(token) = authorization {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        request.send().await.unwrap();
    }
}

fn assert_no_credential(kept: &str) {
    for secret in [FORM_ID, FORM_SECRET, COOKIE, PROXY, BEARER] {
        assert!(!kept.contains(secret), "{secret} kept in {kept}");
    }
    assert!(kept.contains("Bearer <redacted>"), "{kept}");
    assert!(kept.contains("Basic <redacted>"), "{kept}");
}

#[tokio::test]
async fn mock_dwolla_keeps_no_credential_of_a_request() {
    let dwolla = MockDwolla::start().await.unwrap();
    send_credentials(dwolla.base_url()).await;
    let received = dwolla.received();
    assert_eq!(received.len(), 2);
    assert_no_credential(&format!("{received:?}"));
}

#[tokio::test]
async fn the_replay_server_keeps_no_credential_of_a_request() {
    let replay = ReplayServer::start().await.unwrap();
    send_credentials(replay.base_url()).await;
    let served = replay.served();
    assert_eq!(served.len(), 2);
    assert_no_credential(&format!("{served:?}"));
}
