//! The `dwolla.request` span carries the OpenTelemetry HTTP client fields
//! (and Dwolla's own), asserted by name through a subscriber layer that
//! records every field a span gets.

mod support;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use dwolla_exchange_sessions::{Credentials, DwollaClient, Environment, RetryPolicy};
use dwolla_testkit::capture::http;
use dwolla_testkit::faults::FaultServer;
use support::{HAL, TOKEN, builder_for, token_response};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::{Layer, registry};

type Fields = BTreeMap<String, String>;

/// Every `dwolla.request` span, in the order they were opened, with the
/// fields recorded on it.
#[derive(Clone, Default)]
struct Spans(Arc<Mutex<Vec<(Id, Fields)>>>);

struct Values<'a>(&'a mut Fields);

impl Visit for Values<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .insert(field.name().to_string(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
}

impl<S: tracing::Subscriber> Layer<S> for Spans {
    fn on_new_span(&self, attributes: &Attributes<'_>, id: &Id, _: Context<'_, S>) {
        if attributes.metadata().name() == "dwolla.request" {
            let mut fields = Fields::new();
            attributes.record(&mut Values(&mut fields));
            self.0.lock().unwrap().push((id.clone(), fields));
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        let mut spans = self.0.lock().unwrap();
        if let Some((_, fields)) = spans.iter_mut().find(|(span, _)| span == id) {
            values.record(&mut Values(fields));
        }
    }
}

impl Spans {
    fn recorded(&self) -> Vec<Fields> {
        let spans = self.0.lock().unwrap();
        spans.iter().map(|(_, fields)| fields.clone()).collect()
    }
}

fn field<'a>(fields: &'a Fields, name: &str) -> Option<&'a str> {
    fields.get(name).map(String::as_str)
}

/// A partner list answered 503 once, then 200, each with an `x-request-id`.
async fn once_unavailable() -> FaultServer {
    let served = Arc::new(AtomicUsize::new(0));
    FaultServer::start(move |request| match request.target.as_str() {
        "/token" => token_response(TOKEN, 3600),
        _ if served.fetch_add(1, Ordering::SeqCst) == 0 => http(
            "503 Service Unavailable",
            &[HAL, ("retry-after", "0"), ("x-request-id", "req-503")],
            "{}",
        ),
        _ => http(
            "200 OK",
            &[HAL, ("x-request-id", "req-200")],
            r#"{"_links":{},"_embedded":{"exchange-partners":[]},"total":0}"#,
        ),
    })
    .await
    .expect("the test server starts")
}

#[tokio::test]
async fn request_spans_carry_the_opentelemetry_http_client_fields() {
    let spans = Spans::default();
    let _default = tracing::subscriber::set_default(registry().with(spans.clone()));
    let server = once_unavailable().await;
    let port = server.base.rsplit(':').next().unwrap().to_string();
    builder_for(&server)
        .build()
        .unwrap()
        .exchange_partners()
        .await
        .unwrap();

    let recorded = spans.recorded();
    assert_eq!(recorded.len(), 2, "{recorded:?}");
    let (token, list) = (&recorded[0], &recorded[1]);
    for (span, method, template, operation) in [
        (token, "POST", "/token", "createApplicationAccessToken"),
        (list, "GET", "/exchange-partners", "listExchangePartners"),
    ] {
        assert_eq!(field(span, "http.request.method"), Some(method), "{span:?}");
        assert_eq!(field(span, "url.template"), Some(template), "{span:?}");
        assert_eq!(field(span, "server.address"), Some("127.0.0.1"), "{span:?}");
        assert_eq!(field(span, "server.port"), Some(port.as_str()), "{span:?}");
        assert_eq!(
            field(span, "http.response.status_code"),
            Some("200"),
            "{span:?}"
        );
        assert_eq!(
            field(span, "dwolla.operation_id"),
            Some(operation),
            "{span:?}"
        );
        assert_eq!(field(span, "otel.kind"), Some("client"), "{span:?}");
        assert!(span.contains_key("dwolla.duration_ms"), "{span:?}");
        assert_eq!(field(span, "error.type"), None, "{span:?}");
    }
    // Sent once: no resend count, as the convention asks.
    assert_eq!(field(token, "http.request.resend_count"), None, "{token:?}");
    assert_eq!(
        field(list, "http.request.resend_count"),
        Some("1"),
        "{list:?}"
    );
    assert_eq!(
        field(list, "dwolla.request_id"),
        Some("req-200"),
        "{list:?}"
    );
    for old in [
        "method",
        "path",
        "status",
        "attempts",
        "operation_id",
        "request_id",
    ] {
        assert!(!list.contains_key(old), "{old} is still recorded: {list:?}");
    }
}

#[tokio::test]
async fn an_error_status_or_a_failed_connection_is_the_error_type() {
    let spans = Spans::default();
    let _default = tracing::subscriber::set_default(registry().with(spans.clone()));
    let server = FaultServer::start(|request| match request.target.as_str() {
        "/token" => token_response(TOKEN, 3600),
        _ => http(
            "404 Not Found",
            &[HAL],
            r#"{"code":"NotFound","message":"no"}"#,
        ),
    })
    .await
    .expect("the test server starts");
    builder_for(&server)
        .build()
        .unwrap()
        .retrieve_exchange_session("s-1")
        .await
        .unwrap_err();
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let unreachable = DwollaClient::builder()
        .environment(Environment::Custom(closed.parse().unwrap()))
        .credentials(Credentials::new("key", "secret"))
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    unreachable.exchange_partners().await.unwrap_err();

    let recorded = spans.recorded();
    let error_types: Vec<_> = recorded
        .iter()
        .map(|span| field(span, "error.type"))
        .collect();
    // token, the 404 retrieve, then the token request that cannot connect.
    assert_eq!(
        error_types,
        [None, Some("404"), Some("connect")],
        "{recorded:?}"
    );
    assert_eq!(
        field(&recorded[1], "http.response.status_code"),
        Some("404")
    );
    assert_eq!(
        field(&recorded[1], "url.template"),
        Some("/exchange-sessions/{id}")
    );
}
