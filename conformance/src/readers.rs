//! How a client's own types join the checks. The checker does not know the
//! client; whoever does hands it a [`BodyReaders`]
//! ([`Suite::with_readers`](crate::check::Suite::with_readers)), and every
//! body the spec accepts is then also decoded with the client's type for it:
//! a body the spec accepts that the client cannot read is a client defect
//! (check `client-decodes`). Without readers that check does not run.

use serde_json::Value;

use crate::validate::THE_VALUE;

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

    /// Decodes `body`, or says why it cannot, with the value described
    /// rather than quoted (see [`value_free`]).
    pub fn decode(&self, body: &Value) -> Result<(), String> {
        (self.decode)(body).map_err(|why| value_free(&why))
    }
}

/// serde's descriptions of a value that quote it (a prefix, the character
/// closing the quote) and what each becomes. The last one catches any other
/// double-quoted text a type's own error may hold.
const QUOTING: &[(&str, char, &str)] = &[
    ("string \"", '"', "a string"),
    ("integer `", '`', "an integer"),
    ("floating point `", '`', "a floating point number"),
    ("boolean `", '`', "a boolean"),
    ("character `", '`', "a character"),
    ("unknown variant `", '`', "unknown variant"),
    ("unknown field `", '`', "unknown field"),
    ("\"", '"', THE_VALUE),
];

/// A decoding error's message with every value it quotes replaced by its
/// kind (`invalid type: string "…", expected i64` becomes `invalid type: a
/// string, expected i64`): a body can carry secrets, and no message of the
/// checker quotes the instance. What the type expected is kept.
pub fn value_free(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some((at, prefix, close, kind)) = QUOTING
        .iter()
        .filter_map(|&(prefix, close, kind)| Some((rest.find(prefix)?, prefix, close, kind)))
        .min_by_key(|&(at, ..)| at)
    {
        out.push_str(&rest[..at]);
        out.push_str(kind);
        let quoted = &rest[at + prefix.len()..];
        rest = closing(quoted, close).map_or("", |end| &quoted[end + close.len_utf8()..]);
    }
    out.push_str(rest);
    out
}

/// Where `close` ends the quoted `text` (a `"` quote may escape with `\`).
fn closing(text: &str, close: char) -> Option<usize> {
    let mut escaped = false;
    for (at, c) in text.char_indices() {
        match c {
            '\\' if close == '"' && !escaped => escaped = true,
            c if c == close && !escaped => return Some(at),
            _ => escaped = false,
        }
    }
    None
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_become_their_kind() {
        let cases = [
            (
                r#"invalid type: string "tok \"9\" x", expected i64"#,
                "invalid type: a string, expected i64",
            ),
            (
                "invalid value: integer `-7`, expected u16",
                "invalid value: an integer, expected u16",
            ),
            (
                "invalid type: boolean `true`, expected a string",
                "invalid type: a boolean, expected a string",
            ),
            (
                "unknown variant `sekrit`, expected one of `web`, `android`",
                "unknown variant, expected one of `web`, `android`",
            ),
            ("missing field `id`", "missing field `id`"),
            (
                r#"bad id "abc-1"; unterminated "xyz"#,
                "bad id the value; unterminated the value",
            ),
        ];
        for (message, expected) in cases {
            assert_eq!(value_free(message), expected, "{message}");
        }
    }
}
