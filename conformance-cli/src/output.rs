//! Printing that a closed pipe cannot turn into a panic: `conformance check
//! … | head` stops reading early, and that is not an error worth reporting.

use std::io::Write as _;

/// Writes `text` to standard output; a closed or failing output is ignored.
pub(crate) fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Writes `line` and a newline to standard error, on one line whatever it
/// holds (a message may quote a file name, a spec or a server: see
/// `untrusted_text`); a closed or failing output is ignored.
pub(crate) fn err(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", untrusted_text::line(line));
}
