//! The values of a GitHub Actions workflow command
//! (`::error file=…,line=…,title=…::message`).
//!
//! The runner reads a command from the start of any output line, so the
//! message and the properties must stay on their line: [`crate::line`]
//! escapes control characters first, then the runner's own escapes apply
//! (`%`, CR and LF in data; also `:` and `,` in properties).

use crate::line;

/// The message of a workflow command.
pub fn data(text: &str) -> String {
    line(text)
        .to_string()
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value of a workflow command (`file=`, `title=`).
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_cannot_start_a_command_of_its_own() {
        let printed = data("x\n::error file=README.md,line=1::INJECTED 100%");
        assert!(!printed.contains('\n'));
        assert_eq!(
            printed,
            r"x\n::error file=README.md,line=1::INJECTED 100%25"
        );
        assert_eq!(property("a: b, c"), "a%3A b%2C c");
    }
}
