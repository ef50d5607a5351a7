//! JSON pointers (RFC 6901) for naming places in a document.

/// Escapes one reference token: `~` becomes `~0` and `/` becomes `~1`.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Reverses [`escape`]: `~1` becomes `/`, then `~0` becomes `~`.
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Appends one unescaped token to a pointer.
pub fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape(token))
}

/// The JSON pointer of a local `$ref` (`#/components/schemas/Foo`).
/// Returns `None` for references into other documents.
pub fn local_ref_pointer(reference: &str) -> Option<&str> {
    reference.strip_prefix('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_tilde_before_slash() {
        assert_eq!(escape("/a~b/{id}"), "~1a~0b~1{id}");
        assert_eq!(join("/paths", "/token"), "/paths/~1token");
    }

    #[test]
    fn unescape_reverses_escape() {
        for token in ["/a~b/{id}", "~1", "~01", "plain", ""] {
            assert_eq!(unescape(&escape(token)), token);
        }
        assert_eq!(unescape("~01"), "~1");
    }

    #[test]
    fn only_local_refs_have_a_pointer() {
        assert_eq!(
            local_ref_pointer("#/components/schemas/Foo"),
            Some("/components/schemas/Foo")
        );
        assert_eq!(local_ref_pointer("other.yml#/Foo"), None);
    }
}
