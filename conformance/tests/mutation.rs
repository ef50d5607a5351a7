//! Mutation test: every committed fixture that passes is mutated in the ways
//! a real response goes wrong, and the suite must flag every mutant.

use conformance::check::{Outcome, Suite};
use conformance::fixture::{self, Exchange};
use openapi_doc::pointer::join;
use openapi_doc::spec::Spec;
use serde_json::{Value, json};

/// The schema of the fixture's response body, `$ref`s followed and the first
/// branch of a `oneOf`/`anyOf` taken.
fn response_schema<'a>(suite: &'a Suite, exchange: &Exchange) -> Option<&'a Value> {
    let operation = suite.operation(&exchange.operation)?;
    let (_, response) = operation.response(exchange.response.status)?;
    let pointer = response.media_types.values().next()?;
    Some(suite.spec.resolve(suite.spec.document.pointer(pointer)?))
}

fn first_branch<'a>(spec: &'a Spec, schema: &'a Value) -> &'a Value {
    let schema = spec.resolve(schema);
    ["oneOf", "anyOf"]
        .iter()
        .find_map(|k| {
            schema
                .get(*k)
                .and_then(Value::as_array)
                .and_then(|b| b.first())
        })
        .map(|branch| spec.resolve(branch))
        .unwrap_or(schema)
}

/// `(instance pointer, schema)` of every object property of `instance`
/// that `schema` describes, depth first.
fn properties<'a>(
    spec: &'a Spec,
    schema: &'a Value,
    instance: &Value,
    pointer: &str,
    out: &mut Vec<(String, &'a Value)>,
) {
    let schema = first_branch(spec, schema);
    let (Some(described), Some(object)) = (
        schema.get("properties").and_then(Value::as_object),
        instance.as_object(),
    ) else {
        return;
    };
    for (name, property_schema) in described {
        if let Some(value) = object.get(name) {
            let path = join(pointer, name);
            let property_schema = spec.resolve(property_schema);
            out.push((path.clone(), property_schema));
            properties(spec, property_schema, value, &path, out);
        }
    }
}

fn set(exchange: &mut Exchange, pointer: &str, value: Value) {
    if let Some(target) = exchange
        .response
        .body
        .as_mut()
        .and_then(|b| b.pointer_mut(pointer))
    {
        *target = value;
    }
}

/// The mutants of one exchange, each with its kind.
struct Mutants<'a> {
    exchange: &'a Exchange,
    out: Vec<(&'static str, Exchange)>,
}

impl Mutants<'_> {
    fn add(&mut self, kind: &'static str, change: impl Fn(&mut Exchange)) {
        let mut changed = self.exchange.clone();
        change(&mut changed);
        self.out.push((kind, changed));
    }
}

fn mutants(suite: &Suite, exchange: &Exchange) -> Vec<(&'static str, Exchange)> {
    let mut mutants = Mutants {
        exchange,
        out: Vec::new(),
    };
    status_and_header_mutants(suite, &mut mutants);
    body_mutants(suite, &mut mutants);
    mutants.out
}

/// Statuses the operation does not document, `Location`s missing or
/// relative, wrong content types, bodies that are not JSON or not expected.
fn status_and_header_mutants(suite: &Suite, mutants: &mut Mutants<'_>) {
    let exchange = mutants.exchange;
    mutants.add("undocumented-status", |e| e.response.status = 418);
    let other_success = if exchange.request.method == "GET" {
        201
    } else {
        200
    };
    let documented_elsewhere = !suite
        .operation(&exchange.operation)
        .is_some_and(|op| op.responses.contains_key(&other_success.to_string()));
    if documented_elsewhere {
        mutants.add("success-status-of-another-operation", |e| {
            e.response.status = other_success
        });
    }
    if exchange.response.status == 201 {
        mutants.add("missing-location", |e| {
            e.response.headers.remove("location");
        });
        mutants.add("relative-location", |e| {
            e.response
                .headers
                .insert("location".into(), "/exchange-sessions/x".into());
        });
    }
    if exchange.response.body.is_some() {
        mutants.add("wrong-content-type", |e| {
            e.response
                .headers
                .insert("content-type".into(), "text/html; charset=utf-8".into());
        });
        mutants.add("body-not-json", |e| {
            e.response.body = None;
            e.response.body_text = Some("<html>oops</html>".into());
        });
    } else if exchange.response.status == 201 {
        mutants.add("unexpected-body", |e| {
            e.response.body = Some(json!({}));
            e.response.headers.insert(
                "content-type".into(),
                "application/vnd.dwolla.v1.hal+json".into(),
            );
        });
    }
}

/// Bodies that break their schema: a required field dropped, a string made
/// a number, a formatted value made unformatted, a request body not an
/// object.
fn body_mutants(suite: &Suite, mutants: &mut Mutants<'_>) {
    let exchange = mutants.exchange;
    if let (Some(schema), Some(body)) = (response_schema(suite, exchange), &exchange.response.body)
    {
        let branch = first_branch(&suite.spec, schema);
        if let Some(required) = branch
            .get("required")
            .and_then(Value::as_array)
            .and_then(|r| r.first())
            .and_then(Value::as_str)
            && body.get(required).is_some()
        {
            mutants.add("drop-required-field", |e| {
                if let Some(Value::Object(object)) = e.response.body.as_mut() {
                    object.remove(required);
                }
            });
        }
        let mut found = Vec::new();
        properties(&suite.spec, schema, body, "", &mut found);
        if let Some((pointer, _)) = found
            .iter()
            .find(|(_, s)| s.get("type") == Some(&json!("string")))
        {
            mutants.add("wrong-type", |e| set(e, pointer, json!(12345)));
        }
        if let Some((pointer, _)) = found.iter().find(|(_, s)| s.get("format").is_some()) {
            mutants.add("bad-format", |e| {
                set(e, pointer, json!("not a valid value"))
            });
        }
    }
    if exchange.request.body.is_some() {
        mutants.add("request-body-not-an-object", |e| {
            e.request.body = Some(json!(["_links"]))
        });
    }
}

#[test]
fn every_mutant_of_every_fixture_is_flagged() {
    let suite = Suite::vendored().unwrap();
    let mut total = 0;
    let mut missed = Vec::new();
    let mut by_kind = std::collections::BTreeMap::<&str, usize>::new();
    for loaded in fixture::committed().unwrap() {
        assert_eq!(
            suite.check_loaded(&loaded).outcome,
            Outcome::Pass,
            "{}",
            loaded.name
        );
        for (kind, mutant) in mutants(&suite, &loaded.exchange) {
            total += 1;
            *by_kind.entry(kind).or_default() += 1;
            if suite.check(&loaded.name, &mutant).outcome != Outcome::Fail {
                missed.push(format!("{} / {kind}", loaded.name));
            }
        }
    }
    println!(
        "mutants flagged: {}/{total}; by kind: {by_kind:?}",
        total - missed.len()
    );
    assert!(
        missed.is_empty(),
        "mutants the suite did not flag: {missed:#?}"
    );
    assert!(total >= 150, "only {total} mutants");
    for kind in [
        "drop-required-field",
        "wrong-type",
        "bad-format",
        "undocumented-status",
        "wrong-content-type",
        "missing-location",
    ] {
        assert!(
            by_kind.get(kind).copied().unwrap_or(0) > 0,
            "no {kind} mutant"
        );
    }
}
