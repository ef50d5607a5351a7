//! The network test kit of the Dwolla client: servers on 127.0.0.1 and the
//! flows that drive the client through them, shared by the client's tests,
//! the example, the `conformance` command line and CI's Prism run.
//!
//! - [`server`]: the one HTTP/1.1 server (hyper) the others run on, with
//!   keep-alive, head and body limits, header-read and idle timeouts, a
//!   bounded log of what it served, and an accept loop that survives
//!   `accept` errors;
//! - [`replay`]: a server that answers with the recorded exchanges, checking
//!   each request against the spec first;
//! - [`recorder`]: a proxy that records a flow into new fixtures, secrets
//!   redacted;
//! - [`mock`]: [`MockDwolla`](mock::MockDwolla), a stateful stand-in for
//!   Dwolla (tokens, sessions per partner, spec-checked requests, scripted
//!   faults) for the tests of applications that use the client;
//! - [`faults`]: a server that misbehaves on purpose (resets, stalls,
//!   truncated bodies) or answers what a test chooses, recording the
//!   requests; [`capture`]: those requests as tests read them, and the
//!   answers they write;
//! - [`flow`]: the exchange-session flow end to end, and one request of every
//!   operation and body variant;
//! - [`readers`]: the client's own types as the checker's body readers, so
//!   that "the client reads every body the spec accepts" is checked.
//!
//! Nothing here talks to anything but 127.0.0.1, except the recorder, which
//! forwards to the upstream it is given.

mod answers;
pub mod capture;
pub mod faults;
pub mod flow;
pub mod mock;
pub mod readers;
pub mod recorder;
pub mod replay;
mod secrets;
pub mod server;

pub use answers::{DWOLLA_MEDIA_TYPE, exchange_session};
