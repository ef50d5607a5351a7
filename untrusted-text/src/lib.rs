//! Printing text that came from somewhere else: a spec, a recording, a
//! server's answer.
//!
//! Such text can carry a line break followed by what a CI runner reads as a
//! command (`::error file=…::`, which GitHub Actions runs from any line of
//! any step's output), terminal escapes that recolour or hide a log, bidi
//! controls that reorder it, or Markdown and HTML that forge a report. Every
//! renderer of the project's commands prints untrusted text through one of
//! these:
//!
//! - [`line()`]: the text on one line, control and bidi characters escaped
//!   (`\n`, `\u{1b}`), so no output line can begin with input text;
//! - [`markdown::cell`]: a Markdown table cell (or any inline Markdown);
//! - [`github::data`] and [`github::property`]: the values of a GitHub
//!   Actions workflow command.
//!
//! ```
//! assert_eq!(untrusted_text::line("a\n::error::x").to_string(), r"a\n::error::x");
//! assert_eq!(untrusted_text::markdown::cell("<b>|`"), "&lt;b&gt;&#124;&#96;");
//! ```

use std::fmt;

pub mod github;
pub mod markdown;

/// `text` as one printable line: see [`Line`].
pub fn line(text: &str) -> Line<'_> {
    Line { text, limit: None }
}

/// `text` as one printable line of at most `limit` bytes, the rest counted
/// (`… (N bytes more)`).
pub fn bounded_line(text: &str, limit: usize) -> Line<'_> {
    Line {
        text,
        limit: Some(limit),
    }
}

/// Untrusted text that displays on one line: control characters and the
/// Unicode characters that break lines, reorder or hide text are written as
/// Rust escapes (`\n`, `\u{202e}`); everything else as it is.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    text: &'a str,
    limit: Option<usize>,
}

impl fmt::Display for Line<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write as _;
        let mut written = 0usize;
        for (at, c) in self.text.char_indices() {
            if self.limit.is_some_and(|limit| written >= limit) {
                return write!(f, "… ({} bytes more)", self.text.len() - at);
            }
            if is_unprintable(c) {
                for escaped in c.escape_default() {
                    f.write_char(escaped)?;
                    written += 1;
                }
            } else {
                f.write_char(c)?;
                written += c.len_utf8();
            }
        }
        Ok(())
    }
}

/// Control characters, and the Unicode ones that reorder or hide text or
/// break lines.
pub fn is_unprintable(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_escaped_and_nothing_else() {
        assert_eq!(
            line("a\r\nb\u{1b}[31m\u{202e}c\u{2028}é").to_string(),
            r"a\r\nb\u{1b}[31m\u{202e}c\u{2028}é"
        );
        assert_eq!(line("plain `text` | <b>").to_string(), "plain `text` | <b>");
    }

    #[test]
    fn a_bounded_line_counts_what_it_leaves_out() {
        let long = "y".repeat(20);
        assert_eq!(
            bounded_line(&long, 8).to_string(),
            "yyyyyyyy… (12 bytes more)"
        );
        assert_eq!(
            bounded_line("\n\n\n", 4).to_string(),
            r"\n\n… (1 bytes more)"
        );
    }
}
