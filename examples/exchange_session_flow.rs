//! The main job: the whole exchange-session flow.
//!
//! Obtains a token, lists the exchange partners, creates sessions for a
//! customer (Plaid on the web, Android and iOS, MX, and Checkout.com when the
//! account offers it), retrieves each and prints what the front end needs,
//! then creates re-authentication sessions for an exchange (mobile and web).
//! The steps are in the test kit's `flow` module, which the recorder drives
//! too.
//!
//! By default it runs against the test kit's `MockDwolla` on 127.0.0.1,
//! which behaves as Dwolla does (new session ids, each partner's shape,
//! every request checked against the spec): no credentials, no network. With `DWOLLA_KEY` and `DWOLLA_SECRET` set it runs against Dwolla
//! (`DWOLLA_ENVIRONMENT`: `sandbox`, the default, or `production`) for the
//! customer in `DWOLLA_CUSTOMER_ID` and, if set, the exchange in
//! `DWOLLA_EXCHANGE_ID`.
//!
//! Run with `cargo run --example exchange_session_flow`.

use std::error::Error;
use std::process::ExitCode;

use dwolla_exchange_sessions::{ClientBuilder, DwollaClient};
use dwolla_testkit::flow::{self, FlowTarget};
use dwolla_testkit::mock::MockDwolla;

/// The customer (and exchange) of Dwolla's documentation examples.
const DOCS_CUSTOMER: &str = "74a207b2-b7b7-4efa-8bf8-582148e7b980";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn Error>> {
    let live =
        std::env::var_os("DWOLLA_KEY").is_some() && std::env::var_os("DWOLLA_SECRET").is_some();
    let mut mock = None;
    let (dwolla, target) = if live {
        let target = FlowTarget {
            customer: std::env::var("DWOLLA_CUSTOMER_ID")
                .map_err(|_| "DWOLLA_CUSTOMER_ID is not set")?,
            exchange: std::env::var("DWOLLA_EXCHANGE_ID").ok(),
        };
        (ClientBuilder::from_env()?.build()?, target)
    } else {
        let server = MockDwolla::start().await?;
        println!("No DWOLLA_KEY/DWOLLA_SECRET: using the test kit's MockDwolla");
        let dwolla = DwollaClient::builder()
            .environment(server.environment())
            .credentials(server.credentials())
            .build()?;
        mock = Some(server);
        let target = FlowTarget {
            customer: DOCS_CUSTOMER.into(),
            exchange: Some(DOCS_CUSTOMER.into()),
        };
        (dwolla, target)
    };
    println!("Running against {}", dwolla.base_url());
    print!("{}", flow::run(&dwolla, &target).await?);
    if let Some(server) = mock {
        let served = server.received();
        let violations = served.iter().filter(|s| !s.violations.is_empty()).count();
        println!(
            "{} requests sent; {violations} broke the spec",
            served.len()
        );
    }
    Ok(())
}
