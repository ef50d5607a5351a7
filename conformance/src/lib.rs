//! Conformance suite for the Dwolla exchange-sessions client (filled in by its own issue).
