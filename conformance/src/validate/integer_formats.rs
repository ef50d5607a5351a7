//! The integer formats of OpenAPI's format registry, `int32` and `int64`,
//! checked as the ranges they are. JSON Schema's `format` applies to
//! strings, so a validator leaves numbers alone: the copy of the document
//! the validators are compiled from gets the format's range as `minimum`
//! and `maximum` (where the schema states none as tight), and a failure of
//! such a bound is reported as the failure of the `format` it stands for.

use std::collections::BTreeMap;

use openapi_doc::pointer::join;
use serde_json::{Value, json};

use super::SchemaFailure;

/// The formats checked, with their ranges.
const RANGES: &[(&str, i64, i64)] = &[
    ("int32", i32::MIN as i64, i32::MAX as i64),
    ("int64", i64::MIN, i64::MAX),
];

/// The bounds added, by their pointer: the format and its pointer.
#[derive(Debug, Default)]
pub(super) struct Bounds {
    added: BTreeMap<String, (&'static str, i64, i64)>,
}

/// Adds the range of every `int32` and `int64` format of `document` as
/// bounds of its schema.
pub(super) fn bound(document: &mut Value) -> Bounds {
    let mut bounds = Bounds::default();
    walk(document, "", &mut bounds);
    bounds
}

fn walk(value: &mut Value, at: &str, bounds: &mut Bounds) {
    match value {
        Value::Object(object) => {
            let format = object.get("format").and_then(Value::as_str);
            if let Some(&(name, min, max)) = RANGES.iter().find(|(name, ..)| Some(*name) == format)
            {
                for (keyword, limit, looser) in [
                    (
                        "minimum",
                        min,
                        object
                            .get("minimum")
                            .and_then(Value::as_f64)
                            .is_none_or(|m| m < min as f64),
                    ),
                    (
                        "maximum",
                        max,
                        object
                            .get("maximum")
                            .and_then(Value::as_f64)
                            .is_none_or(|m| m > max as f64),
                    ),
                ] {
                    if looser {
                        object.insert(keyword.into(), json!(limit));
                        bounds.added.insert(join(at, keyword), (name, min, max));
                    }
                }
            }
            for (key, inner) in object.iter_mut() {
                if !matches!(key.as_str(), "example" | "examples" | "x-codeSamples") {
                    walk(inner, &join(at, key), bounds);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                walk(item, &format!("{at}/{index}"), bounds);
            }
        }
        _ => {}
    }
}

impl Bounds {
    /// `failures` with each failure of an added bound named as the failure
    /// of the format it stands for.
    pub(super) fn named(&self, failures: Vec<SchemaFailure>) -> Vec<SchemaFailure> {
        failures
            .into_iter()
            .map(|mut failure| {
                if let Some((format, min, max)) = self.added.get(&failure.schema_pointer) {
                    let parent = failure
                        .schema_pointer
                        .rsplit_once('/')
                        .map_or(String::new(), |(parent, _)| parent.to_string());
                    failure.schema_pointer = join(&parent, "format");
                    failure.keyword = "format".into();
                    failure.message = format!(
                        "{} is outside the {format} range ({min} to {max}) its format states",
                        super::THE_VALUE
                    );
                }
                failure
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_added_where_the_schema_states_none_as_tight() {
        let mut document = json!({
            "a": { "type": "integer", "format": "int32" },
            "b": { "type": "integer", "format": "int64", "minimum": 0 },
            "c": { "properties": { "format": { "type": "string" } } },
            "d": { "type": "string", "format": "date-time" }
        });
        let bounds = bound(&mut document);
        assert_eq!(document["a"]["maximum"], json!(2147483647));
        assert_eq!(document["a"]["minimum"], json!(-2147483648i64));
        assert_eq!(document["b"]["minimum"], json!(0), "a tighter bound stays");
        assert_eq!(document["b"]["maximum"], json!(i64::MAX));
        assert!(document["d"].get("maximum").is_none());
        assert_eq!(
            bounds.added.keys().collect::<Vec<_>>(),
            ["/a/maximum", "/a/minimum", "/b/maximum"]
        );
    }
}
