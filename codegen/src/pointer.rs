//! JSON pointers (RFC 6901) for naming places in a spec.

/// Escapes one reference token: `~` becomes `~0` and `/` becomes `~1`.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends one unescaped token to a pointer.
pub fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape(token))
}

/// Splits a local `$ref` (`#/components/schemas/Foo`) into its JSON pointer.
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
    fn only_local_refs_have_a_pointer() {
        assert_eq!(
            local_ref_pointer("#/components/schemas/Foo"),
            Some("/components/schemas/Foo")
        );
        assert_eq!(local_ref_pointer("other.yml#/Foo"), None);
    }
}
