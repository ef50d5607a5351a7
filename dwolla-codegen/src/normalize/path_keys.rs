//! Path keys with a `#fragment`.
//!
//! Some specs give two operations on one path distinct keys by appending a
//! fragment (`/funding-sources/{id}/micro-deposits#initiate`). A fragment is
//! never sent, so the operation lives at the key without it: the fragment is
//! dropped (with a note), and a key that then meets an existing one is merged
//! into it when their methods differ. When they share a method, the key is
//! kept as it is (still a request to the fragment-free path) and noted.
//! Operation summaries always carry the fragment-free path, so the client's
//! operation table and path guard agree with what is sent.

use openapi_doc::pointer;
use openapi_doc::spec::METHODS;
use serde_json::{Map, Value};

use crate::report::Note;

/// The path template a key stands for: the key without its `#fragment`.
pub(super) fn sent_path(key: &str) -> &str {
    key.split_once('#').map_or(key, |(path, _)| path)
}

/// Moves every path item whose key has a fragment to the fragment-free key.
pub(super) fn drop_fragments(doc: &mut Value, notes: &mut Vec<Note>) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    let keyed: Vec<String> = paths.keys().filter(|k| k.contains('#')).cloned().collect();
    for key in keyed {
        let plain = sent_path(&key).to_string();
        let at = pointer::join("/paths", &key);
        let Some(Value::Object(item)) = paths.remove(&key) else {
            continue;
        };
        let message = match paths.get_mut(&plain) {
            None => {
                paths.insert(plain.clone(), Value::Object(item));
                format!("the fragment is never sent: the operations are at `{plain}`")
            }
            Some(Value::Object(existing)) => match shared_methods(existing, &item).as_slice() {
                [] => {
                    for (name, value) in item {
                        existing.entry(name).or_insert(value);
                    }
                    format!("the fragment is never sent: the operations join those of `{plain}`")
                }
                shared => {
                    let message = format!(
                        "kept as it is: `{plain}` also has {}; the fragment is never sent, so both are requests to `{plain}`",
                        shared.join(", ")
                    );
                    paths.insert(key, Value::Object(item));
                    message
                }
            },
            Some(_) => {
                paths.insert(key, Value::Object(item));
                format!("kept as it is: `{plain}` is not a path item")
            }
        };
        notes.push(Note {
            pointer: at,
            message,
        });
    }
}

/// The upper-case methods both path items define.
fn shared_methods(one: &Map<String, Value>, other: &Map<String, Value>) -> Vec<String> {
    METHODS
        .iter()
        .filter(|method| one.contains_key(**method) && other.contains_key(**method))
        .map(|method| method.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn op(id: &str) -> Value {
        json!({ "operationId": id, "responses": {} })
    }

    #[test]
    fn a_fragment_is_dropped_and_different_methods_merge() {
        let mut doc = json!({ "paths": {
            "/md#initiate": { "post": op("initiate") },
            "/md": { "get": op("list") },
            "/alone#only": { "get": op("alone") }
        } });
        let mut notes = Vec::new();
        drop_fragments(&mut doc, &mut notes);
        assert_eq!(
            doc["paths"],
            json!({
                "/md": { "get": op("list"), "post": op("initiate") },
                "/alone": { "get": op("alone") }
            })
        );
        let pointers: Vec<&str> = notes.iter().map(|n| n.pointer.as_str()).collect();
        assert_eq!(pointers, ["/paths/~1alone#only", "/paths/~1md#initiate"]);
    }

    #[test]
    fn a_method_clash_keeps_the_key_with_a_note() {
        let mut doc = json!({ "paths": {
            "/md#verify": { "post": op("verify") },
            "/md": { "post": op("initiate") }
        } });
        let mut notes = Vec::new();
        drop_fragments(&mut doc, &mut notes);
        assert_eq!(
            doc["paths"],
            json!({ "/md": { "post": op("initiate") }, "/md#verify": { "post": op("verify") } })
        );
        assert!(
            notes[0].message.contains("also has POST"),
            "{}",
            notes[0].message
        );
        assert_eq!(sent_path("/md#verify"), "/md");
        assert_eq!(sent_path("/md"), "/md");
    }
}
