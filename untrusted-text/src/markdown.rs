//! Untrusted text inside Markdown: a table cell, a heading, a list item.
//!
//! GitHub renders inline HTML, so `<`, `>` and `&` are written as entities;
//! `|` would end a table cell and a backtick would open or close a code
//! span, so they are entities too; a line break would end the table row.
//! Text meant as code goes inside `<code>…</code>` ([`code`]), where
//! entities still render as their characters.

use crate::line;

/// `text` safe inside any inline Markdown, on one line.
pub fn cell(text: &str) -> String {
    let one_line = line(text).to_string();
    let mut out = String::with_capacity(one_line.len());
    for c in one_line.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("&#124;"),
            '`' => out.push_str("&#96;"),
            '*' | '_' | '[' | ']' | '\\' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// `text` as inline code: `<code>` around [`cell`].
pub fn code(text: &str) -> String {
    format!("<code>{}</code>", cell(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_cannot_escape_a_cell() {
        assert_eq!(
            cell("</table><h1>FAKE: all passed</h1>"),
            "&lt;/table&gt;&lt;h1&gt;FAKE: all passed&lt;/h1&gt;"
        );
        assert_eq!(cell("a|b`c`\r\nd"), r"a&#124;b&#96;c&#96;\\r\\nd");
        assert_eq!(
            cell("[x](javascript:y) *b* a_b"),
            r"\[x\](javascript:y) \*b\* a\_b"
        );
        assert_eq!(
            code("Map<String, Value>"),
            "<code>Map&lt;String, Value&gt;</code>"
        );
    }
}
