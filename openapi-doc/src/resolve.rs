//! Following local `$ref`s (`#/...`) through a document.
//!
//! A chain is followed at most [`MAX_HOPS`] steps, so a cycle of references
//! ends; a reference into another document, or to a pointer the document
//! does not have, stops the walk where it is.

use std::borrow::Cow;

use serde_json::Value;

use crate::pointer::local_ref_pointer;

/// How many `$ref`s one resolution follows at most.
pub const MAX_HOPS: usize = 32;

/// What `value` refers to through its chain of local `$ref`s, or `value`
/// itself when it is not a resolvable reference.
pub fn resolve<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
    resolve_at(document, value, "").0
}

/// Like [`resolve`], also telling where the result lives: the pointer of the
/// last reference target, or `at` (the pointer of `value`) when no reference
/// was followed.
pub fn resolve_at<'a, 'p>(
    document: &'a Value,
    mut value: &'a Value,
    at: &'p str,
) -> (&'a Value, Cow<'p, str>) {
    let mut pointer = Cow::Borrowed(at);
    for _ in 0..MAX_HOPS {
        let Some((target, found)) = value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(local_ref_pointer)
            .and_then(|target| Some((target, document.pointer(target)?)))
        else {
            break;
        };
        value = found;
        pointer = Cow::Owned(target.to_string());
    }
    (value, pointer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn chains_are_followed_with_their_pointer() {
        let doc = json!({
            "components": { "schemas": { "A": { "$ref": "#/components/schemas/B" }, "B": { "type": "string" } } }
        });
        let start = json!({ "$ref": "#/components/schemas/A" });
        let (found, at) = resolve_at(&doc, &start, "/here");
        assert_eq!(found, &json!({ "type": "string" }));
        assert_eq!(at, "/components/schemas/B");
        let plain = json!({ "type": "integer" });
        assert_eq!(
            resolve_at(&doc, &plain, "/here"),
            (&plain, Cow::Borrowed("/here"))
        );
    }

    #[test]
    fn cycles_end_and_dangling_or_remote_refs_stay() {
        let doc = json!({ "a": { "$ref": "#/b" }, "b": { "$ref": "#/a" } });
        let start = json!({ "$ref": "#/a" });
        assert!(resolve(&doc, &start).get("$ref").is_some());
        let dangling = json!({ "$ref": "#/nowhere" });
        assert_eq!(resolve(&doc, &dangling), &dangling);
        let remote = json!({ "$ref": "other.yml#/a" });
        assert_eq!(resolve(&doc, &remote), &remote);
    }
}
