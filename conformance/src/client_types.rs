//! Whether the client's own types read a body: the generated types of the
//! bound operations and the extension layer's hand-written ones. A body the
//! spec accepts that the client cannot read is a client defect.

use serde::de::DeserializeOwned;
use serde_json::Value;

use dwolla_exchange_sessions::DwollaError;
use dwolla_exchange_sessions::extras::{CreateReAuthExchangeSessionBody, ExchangeSessionError};
use dwolla_exchange_sessions::generated::types;

/// The Rust type that reads bodies of one operation, status and direction.
pub struct ClientType {
    /// The type's name, for reports.
    pub name: &'static str,
    decode: fn(&Value) -> Result<(), String>,
}

impl ClientType {
    /// Decodes `body` with the type, or says why it cannot.
    pub fn decode(&self, body: &Value) -> Result<(), String> {
        (self.decode)(body)
    }
}

fn decode<T: DeserializeOwned>(body: &Value) -> Result<(), String> {
    T::deserialize(body)
        .map(|_| ())
        .map_err(|why| why.to_string())
}

macro_rules! client_type {
    ($ty:ty) => {
        ClientType {
            name: stringify!($ty),
            decode: decode::<$ty>,
        }
    };
}

/// The type the client reads a response body of `operation` with `status`
/// into, if it has one.
pub fn response_type(operation: &str, status: u16) -> Option<ClientType> {
    if status >= 400 {
        return Some(match operation {
            "createReAuthExchangeSession" => client_type!(ExchangeSessionError),
            _ => client_type!(DwollaError),
        });
    }
    Some(match (operation, status) {
        ("createApplicationAccessToken", 200) => {
            client_type!(types::CreateApplicationAccessTokenResponse)
        }
        ("listExchangePartners", 200) => client_type!(types::ExchangePartners),
        ("getExchangePartner", 200) => client_type!(types::ExchangePartner),
        ("retrieveCustomerExchangeSession", 200) => client_type!(types::ExchangeSession),
        _ => return None,
    })
}

/// The type the client builds a request body of `operation` from.
pub fn request_type(operation: &str) -> Option<ClientType> {
    Some(match operation {
        "createCustomerExchangeSession" => client_type!(types::CreateCustomerExchangeSessionBody),
        "createReAuthExchangeSession" => client_type!(CreateReAuthExchangeSessionBody),
        _ => return None,
    })
}
