//! Media types as OpenAPI documents and HTTP headers write them.

/// `application/json`.
pub const JSON: &str = "application/json";

/// A media type's essence: lower case, without parameters
/// (`Application/JSON; charset=utf-8` is `application/json`).
pub fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Whether a body of this media type is JSON: `application/json` or any
/// `*/*+json` type (Dwolla's `application/vnd.dwolla.v1.hal+json`), with or
/// without parameters.
pub fn is_json_like(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == JSON || (essence.contains('/') && essence.ends_with("+json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_essence_drops_parameters_and_case() {
        assert_eq!(
            essence("Application/JSON; charset=utf-8"),
            "application/json"
        );
        assert_eq!(essence(" text/html "), "text/html");
        assert_eq!(essence(""), "");
    }

    #[test]
    fn json_like_media_types() {
        assert!(is_json_like("application/json"));
        assert!(is_json_like("application/json; charset=utf-8"));
        assert!(is_json_like("application/vnd.dwolla.v1.hal+json"));
        assert!(is_json_like("Application/Problem+JSON"));
        assert!(!is_json_like("application/x-www-form-urlencoded"));
        assert!(!is_json_like("text/html"));
        assert!(!is_json_like("+json"));
    }
}
