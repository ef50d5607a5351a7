//! The client's own types as the checker's [`BodyReaders`]: the generated
//! types of the bound operations and the extension layer's hand-written
//! ones. With them, a body the spec accepts that the client cannot read is a
//! failed `client-decodes` check.

use conformance::check::{Suite, SuiteError};
use conformance::readers::{BodyReaders, Reader};
use serde::de::DeserializeOwned;
use serde_json::Value;

use dwolla_exchange_sessions::DwollaErrorBody;
use dwolla_exchange_sessions::extras::{CreateReAuthExchangeSessionBody, ExchangeSessionErrorBody};
use dwolla_exchange_sessions::generated::types;

/// The client's readers of request and response bodies.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientBodyReaders;

fn decode<T: DeserializeOwned>(body: &Value) -> Result<(), String> {
    T::deserialize(body)
        .map(|_| ())
        .map_err(|why| why.to_string())
}

macro_rules! reader {
    ($ty:ty) => {
        Reader::new(stringify!($ty), decode::<$ty>)
    };
}

impl BodyReaders for ClientBodyReaders {
    fn response(&self, operation: &str, status: u16) -> Option<Reader> {
        if status >= 400 {
            return Some(match operation {
                "createReAuthExchangeSession" => reader!(ExchangeSessionErrorBody),
                _ => reader!(DwollaErrorBody),
            });
        }
        Some(match (operation, status) {
            ("createApplicationAccessToken", 200) => {
                reader!(types::CreateApplicationAccessTokenResponse)
            }
            ("listExchangePartners", 200) => reader!(types::ExchangePartners),
            ("getExchangePartner", 200) => reader!(types::ExchangePartner),
            ("retrieveCustomerExchangeSession", 200) => reader!(types::ExchangeSession),
            _ => return None,
        })
    }

    fn request(&self, operation: &str) -> Option<Reader> {
        Some(match operation {
            "createCustomerExchangeSession" => reader!(types::CreateCustomerExchangeSessionBody),
            "createReAuthExchangeSession" => reader!(CreateReAuthExchangeSessionBody),
            _ => return None,
        })
    }
}

/// The suite the client is held to: the vendored spec with the committed
/// errata, and the client's readers.
pub fn client_suite() -> Result<Suite, SuiteError> {
    Ok(Suite::vendored()?.with_readers(ClientBodyReaders))
}
