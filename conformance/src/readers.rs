//! How a client's own types join the checks. The checker does not know the
//! client; whoever does hands it a [`BodyReaders`]
//! ([`Suite::with_readers`](crate::check::Suite::with_readers)), and every
//! body the spec accepts is then also decoded with the client's type for it:
//! a body the spec accepts that the client cannot read is a client defect
//! (check `client-decodes`). Without readers that check does not run.

use serde_json::Value;

/// A type of the client that reads one kind of body.
#[derive(Debug, Clone, Copy)]
pub struct Reader {
    /// The type's name, for reports.
    pub name: &'static str,
    decode: fn(&Value) -> Result<(), String>,
}

impl Reader {
    /// A reader named `name` that decodes with `decode` (an error says why
    /// the body cannot be read).
    pub const fn new(name: &'static str, decode: fn(&Value) -> Result<(), String>) -> Self {
        Self { name, decode }
    }

    /// Decodes `body`, or says why it cannot.
    pub fn decode(&self, body: &Value) -> Result<(), String> {
        (self.decode)(body)
    }
}

/// The client's readers of request and response bodies, by operation.
pub trait BodyReaders: Send + Sync {
    /// The type the client reads a response body of `operation` with
    /// `status` into, if it has one.
    fn response(&self, operation: &str, status: u16) -> Option<Reader>;

    /// The type the client builds a request body of `operation` from, if it
    /// has one.
    fn request(&self, operation: &str) -> Option<Reader>;
}
