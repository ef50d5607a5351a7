//! A mutation corpus generated from the spec: for every constraint a valid
//! exchange reaches (each `type`, `required` entry, `enum`, `const`,
//! `format`, length, `pattern`, bound, `additionalProperties: false`,
//! `oneOf`/`anyOf`, the security requirement, a required response header,
//! the documented statuses and media types), one copy of the exchange that
//! violates that constraint alone, named by its JSON pointer in the spec.
//!
//! Bodies are walked with their schemas: `$ref`s followed, `properties`,
//! `items` (the first item), `additionalProperties` schemas (the first
//! member they describe), every `allOf` branch, and the one branch of a
//! `oneOf`/`anyOf` the value is (its type and its required members).

use std::collections::HashSet;

use conformance::check::Suite;
use conformance::fixture::{Exchange, Loaded};
use openapi_doc::pointer::{join, local_ref_pointer};
use openapi_doc::security::Requirement;
use openapi_doc::spec::{Operation, Spec};
use serde_json::{Value, json};

/// One mutant: the constraint it violates, and the exchange.
pub(crate) struct Mutant {
    /// `<fixture> / <keyword> at <pointer>`.
    pub name: String,
    /// Where in the body (or `header:…`) the change is.
    pub at: String,
    /// For a `oneOf`/`anyOf`: its branches (and what each refers to), whose
    /// failing keywords name it too.
    pub branches: Vec<String>,
    /// The compositions the walk went through to reach it.
    pub via: Vec<String>,
    /// The body schema and the mutated body, for a body constraint.
    pub body: Option<(String, Value)>,
    /// The kind of constraint (`type`, `required`, `security`…).
    pub keyword: &'static str,
    /// The constraint's JSON pointer in the spec.
    pub pointer: String,
    /// The exchange that violates it.
    pub exchange: Exchange,
}

/// Which body a change applies to.
#[derive(Clone, Copy)]
enum Side {
    Request,
    Response,
}

/// A change to a body, at an instance pointer.
enum Change {
    Replace(Value),
    Remove(String),
    Add(String, Value),
}

/// One constraint found in a body, and how to violate it.
struct Found {
    keyword: &'static str,
    /// The pointer a failure names (`…/required` for each of its entries).
    pointer: String,
    /// What tells this constraint from others at the same pointer.
    entry: Option<usize>,
    at: String,
    change: Change,
    branches: Vec<String>,
    via: Vec<String>,
}

/// One mutant per constraint the `fixtures` reach (the first fixture to
/// reach one violates it).
pub(crate) fn corpus(suite: &Suite, fixtures: &[Loaded]) -> Vec<Mutant> {
    let branches = Branches::of(&suite.spec);
    let mut corpus = Corpus::default();
    for loaded in fixtures {
        let Some(operation) = suite.operation(&loaded.exchange.operation) else {
            continue;
        };
        exchange_constraints(&mut corpus, suite, loaded, operation);
        body_constraints(&mut corpus, suite, &branches, loaded);
    }
    corpus.mutants
}

/// Where in the spec a body constraint sits: the branches and references on
/// the way to it, and the body's side and schema.
type Context = (Vec<String>, Vec<String>, Option<(Side, String)>);

/// The constraint a mutant violates: its keyword, the pointer a failure
/// names, what tells it from others at the pointer, and where in the
/// exchange the mutant changes.
struct Target<'a> {
    keyword: &'static str,
    pointer: String,
    entry: Option<usize>,
    at: &'a str,
}

impl<'a> Target<'a> {
    fn new(keyword: &'static str, pointer: String, at: &'a str) -> Self {
        Self {
            keyword,
            pointer,
            entry: None,
            at,
        }
    }
}

/// The mutants so far, one per constraint.
#[derive(Default)]
struct Corpus {
    seen: HashSet<(String, Option<usize>)>,
    mutants: Vec<Mutant>,
}

impl Corpus {
    /// A mutant of `loaded` made by `change`, unless the constraint has
    /// one.
    fn add(
        &mut self,
        loaded: &Loaded,
        target: Target<'_>,
        context: Context,
        change: &dyn Fn(&mut Exchange),
    ) {
        let Target {
            keyword,
            pointer,
            entry,
            at,
        } = target;
        if !self.seen.insert((pointer.clone(), entry)) {
            return;
        }
        let mut mutated = loaded.exchange.clone();
        change(&mut mutated);
        let (branches, via, side) = context;
        let body = side.and_then(|(side, schema)| {
            let body = match side {
                Side::Request => mutated.request.body.clone(),
                Side::Response => mutated.response.body.clone(),
            };
            Some((schema, body?))
        });
        let entry = entry.map(|e| format!(" ({e})")).unwrap_or_default();
        self.mutants.push(Mutant {
            name: format!("{} / {keyword}{entry} at {pointer}", loaded.name),
            at: at.to_string(),
            branches,
            via,
            body,
            keyword,
            pointer,
            exchange: mutated,
        });
    }
}

fn no_context() -> Context {
    (Vec::new(), Vec::new(), None)
}

/// The constraints of the exchange as a whole: security, status, media
/// type, required headers.
fn exchange_constraints(
    corpus: &mut Corpus,
    suite: &Suite,
    loaded: &Loaded,
    operation: &Operation,
) {
    let requirement = Requirement::of(&suite.spec.document, &operation.pointer);
    if !requirement.is_open() {
        corpus.add(
            loaded,
            Target::new(
                "security",
                requirement.pointer.clone(),
                "header:authorization",
            ),
            no_context(),
            &|e| {
                e.request.headers.remove("authorization");
            },
        );
    }
    corpus.add(
        loaded,
        Target::new("status", format!("{}/responses", operation.pointer), ""),
        no_context(),
        &|e| {
            e.response.status = 599;
        },
    );
    let Some((_, response)) = operation.response(loaded.exchange.response.status) else {
        return;
    };
    if loaded.exchange.response.body.is_some() {
        corpus.add(
            loaded,
            Target::new(
                "media type",
                format!("{}/content", response.pointer),
                "header:content-type",
            ),
            no_context(),
            &|e| {
                e.response
                    .headers
                    .insert("content-type".into(), "text/plain".into());
            },
        );
    }
    for name in response
        .headers
        .keys()
        .filter(|n| response.headers[*n].required)
    {
        let pointer = conformance::validate::header_pointer(&response.pointer, &suite.spec, name);
        let target = Target::new("required header", pointer, "");
        corpus.add(loaded, target, no_context(), &|e| {
            e.response.headers.remove(name.as_str());
        });
    }
}

/// The constraints the exchange's JSON bodies reach.
fn body_constraints(corpus: &mut Corpus, suite: &Suite, branches: &Branches, loaded: &Loaded) {
    for (side, schema, body) in bodies(suite, &loaded.exchange) {
        let mut found = Vec::new();
        Walker {
            spec: &suite.spec,
            branches,
        }
        .walk(&schema, body, "", &[], &mut found);
        for constraint in found {
            let context = (
                constraint.branches.clone(),
                constraint.via.clone(),
                Some((side, schema.clone())),
            );
            let target = Target {
                keyword: constraint.keyword,
                pointer: constraint.pointer.clone(),
                entry: constraint.entry,
                at: &constraint.at,
            };
            corpus.add(loaded, target, context, &|e| {
                mutate(e, side, &constraint.at, &constraint.change);
            });
        }
    }
}

/// The JSON bodies of `exchange` with the pointer of their schema.
fn bodies<'e>(suite: &Suite, exchange: &'e Exchange) -> Vec<(Side, String, &'e Value)> {
    let mut found = Vec::new();
    let Some(operation) = suite.operation(&exchange.operation) else {
        return found;
    };
    let content_type = exchange
        .request
        .header("content-type")
        .map(openapi_doc::media::essence);
    if let (Some(body), Some(request), Some(content_type)) =
        (&exchange.request.body, &operation.request, content_type)
        && let Some(pointer) = request.media_types.get(&content_type)
    {
        found.push((Side::Request, pointer.clone(), body));
    }
    let content_type = exchange
        .response
        .header("content-type")
        .map(openapi_doc::media::essence);
    if let (Some(body), Some((_, response)), Some(content_type)) = (
        &exchange.response.body,
        operation.response(exchange.response.status),
        content_type,
    ) && let Some(pointer) = response.media_types.get(&content_type)
    {
        found.push((Side::Response, pointer.clone(), body));
    }
    found
}

fn mutate(exchange: &mut Exchange, side: Side, at: &str, change: &Change) {
    let body = match side {
        Side::Request => exchange.request.body.as_mut(),
        Side::Response => exchange.response.body.as_mut(),
    };
    let Some(target) = body.and_then(|b| b.pointer_mut(at)) else {
        return;
    };
    match change {
        Change::Replace(value) => *target = value.clone(),
        Change::Remove(member) => {
            if let Some(object) = target.as_object_mut() {
                object.remove(member);
            }
        }
        Change::Add(member, value) => {
            if let Some(object) = target.as_object_mut() {
                object.insert(member.clone(), value.clone());
            }
        }
    }
}

/// The JSON types a value of `value` counts as (an integer is a number).
fn types_of(value: &Value) -> &'static [&'static str] {
    match value {
        Value::Null => &["null"],
        Value::Bool(_) => &["boolean"],
        Value::Number(n) if n.is_i64() || n.is_u64() => &["integer", "number"],
        Value::Number(_) => &["number"],
        Value::String(_) => &["string"],
        Value::Array(_) => &["array"],
        Value::Object(_) => &["object"],
    }
}

/// A value of none of `allowed` (JSON type names).
fn outside(allowed: &[&str]) -> Option<Value> {
    [
        json!(true),
        json!(12345),
        json!("x"),
        json!([]),
        json!({}),
        Value::Null,
    ]
    .into_iter()
    .find(|v| !types_of(v).iter().any(|t| allowed.contains(t)))
}

/// The types a schema allows (`type` as a string or a list).
fn allowed_types(schema: &Value) -> Option<Vec<&str>> {
    match schema.get("type")? {
        Value::String(one) => Some(vec![one.as_str()]),
        Value::Array(many) => Some(many.iter().filter_map(Value::as_str).collect()),
        _ => None,
    }
}

/// Which branch of a composition a value is, by validating it against
/// each (through a registry holding the whole spec, as the checker does).
pub(crate) struct Branches {
    registry: jsonschema::Registry<'static>,
}

const DOCUMENT: &str = "urn:mutants:spec";

impl Branches {
    /// The schemas of `spec`, ready to validate against.
    pub(crate) fn of(spec: &Spec) -> Self {
        let registry = jsonschema::Registry::new()
            .draft(jsonschema::Draft::Draft202012)
            .add(
                DOCUMENT,
                jsonschema::Resource::from_contents(spec.document.clone()),
            )
            .and_then(jsonschema::RegistryBuilder::prepare)
            .expect("the spec is a registry");
        Self { registry }
    }

    /// Whether `instance` is valid under the schema at `pointer`.
    pub(crate) fn accepts(&self, pointer: &str, instance: &Value) -> bool {
        let fragment: String = pointer
            .chars()
            .map(|c| match c {
                '{' => "%7B".to_string(),
                '}' => "%7D".to_string(),
                c => c.to_string(),
            })
            .collect();
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .with_registry(&self.registry)
            .build(&json!({ "$ref": format!("{DOCUMENT}#{fragment}") }))
            .is_ok_and(|validator| validator.is_valid(instance))
    }
}

/// Walks bodies with their schemas.
struct Walker<'a> {
    spec: &'a Spec,
    branches: &'a Branches,
}

impl Walker<'_> {
    /// Walks `instance` (at `at`) with the schema at `pointer`, noting each
    /// constraint it reaches and how to violate it.
    fn walk(
        &self,
        pointer: &str,
        instance: &Value,
        at: &str,
        via: &[String],
        out: &mut Vec<Found>,
    ) {
        let Some(schema) = self.spec.document.pointer(pointer) else {
            return;
        };
        if let Some(target) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(local_ref_pointer)
        {
            self.walk(target, instance, at, via, out);
        }
        let mut note =
            |keyword: &'static str, suffix: &str, entry: Option<usize>, change: Change| {
                out.push(Found {
                    keyword,
                    pointer: join(pointer, suffix),
                    entry,
                    at: at.to_string(),
                    change,
                    branches: Vec::new(),
                    via: via.to_vec(),
                });
            };
        if let Some(types) = allowed_types(schema)
            && let Some(other) = outside(&types)
        {
            note("type", "type", None, Change::Replace(other));
        }
        scalar_constraints(schema, instance, &mut note);
        object_constraints(schema, instance, &mut note);
        for (keyword, inner, value, member) in children(schema, instance) {
            let sub = match inner.as_str() {
                "" => join(pointer, keyword),
                inner => join(&join(pointer, keyword), inner),
            };
            self.walk(&sub, value, &join(at, &member), via, out);
        }
        for index in 0..schema
            .get("allOf")
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
        {
            self.walk(&format!("{pointer}/allOf/{index}"), instance, at, via, out);
        }
        self.composition(pointer, schema, instance, at, via, out);
    }

    /// A `oneOf`/`anyOf`: a value of a type no branch allows violates it,
    /// and the first branch that accepts the value is walked (the one the
    /// checker names when a change makes it fail, ties going to the first).
    fn composition(
        &self,
        pointer: &str,
        schema: &Value,
        instance: &Value,
        at: &str,
        via: &[String],
        out: &mut Vec<Found>,
    ) {
        for keyword in ["oneOf", "anyOf"] {
            let Some(branches) = schema.get(keyword).and_then(Value::as_array) else {
                continue;
            };
            let resolved: Vec<&Value> = branches.iter().map(|b| self.spec.resolve(b)).collect();
            let all_typed: Option<Vec<&str>> = resolved
                .iter()
                .map(|b| allowed_types(b))
                .collect::<Option<Vec<_>>>()
                .map(|lists| lists.into_iter().flatten().collect());
            let here = join(pointer, keyword);
            let alternatives: Vec<String> = branches
                .iter()
                .enumerate()
                .flat_map(|(index, branch)| {
                    let target = branch
                        .get("$ref")
                        .and_then(Value::as_str)
                        .and_then(local_ref_pointer)
                        .map(str::to_string);
                    [Some(format!("{here}/{index}")), target]
                        .into_iter()
                        .flatten()
                })
                .collect();
            if let Some(other) = all_typed.and_then(|types| outside(&types)) {
                out.push(Found {
                    keyword: if keyword == "oneOf" { "oneOf" } else { "anyOf" },
                    pointer: here.clone(),
                    entry: None,
                    at: at.to_string(),
                    change: Change::Replace(other),
                    branches: alternatives,
                    via: via.to_vec(),
                });
            }
            let accepting = (0..branches.len()).find(|index| {
                self.branches
                    .accepts(&format!("{pointer}/{keyword}/{index}"), instance)
            });
            if let Some(index) = accepting {
                let mut deeper = via.to_vec();
                deeper.push(here.clone());
                self.walk(
                    &format!("{pointer}/{keyword}/{index}"),
                    instance,
                    at,
                    &deeper,
                    out,
                );
            }
        }
    }
}

/// `enum`, `const`, `format`, lengths, `pattern` and bounds.
type Note<'n> = dyn FnMut(&'static str, &str, Option<usize>, Change) + 'n;

fn scalar_constraints(schema: &Value, instance: &Value, note: &mut Note<'_>) {
    if schema.get("enum").is_some() {
        note(
            "enum",
            "enum",
            None,
            Change::Replace(json!("zz-not-listed")),
        );
    }
    if let Some(constant) = schema.get("const") {
        let other = if constant == &json!("zz-other") {
            json!("zz-another")
        } else {
            json!("zz-other")
        };
        note("const", "const", None, Change::Replace(other));
    }
    if let Some(format) = schema.get("format").and_then(Value::as_str)
        && let Some(bad) = breaks_format(format, instance)
    {
        note("format", "format", None, Change::Replace(bad));
    }
    if let Some(text) = instance.as_str() {
        let number = |key: &str| {
            schema
                .get(key)
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
        };
        if let Some(min) = number("minLength").filter(|m| *m > 0) {
            note(
                "minLength",
                "minLength",
                None,
                Change::Replace(json!("a".repeat(min - 1))),
            );
        }
        if let Some(max) = number("maxLength") {
            note(
                "maxLength",
                "maxLength",
                None,
                Change::Replace(json!("a".repeat(max + 1))),
            );
        }
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str)
            && let Some(bad) = not_matching(pattern, text)
        {
            note("pattern", "pattern", None, Change::Replace(json!(bad)));
        }
    }
    if instance.is_number() {
        for (keyword, step) in [
            ("minimum", -1.0),
            ("maximum", 1.0),
            ("exclusiveMinimum", 0.0),
            ("exclusiveMaximum", 0.0),
        ] {
            if let Some(bound) = schema.get(keyword).and_then(Value::as_f64) {
                let value = bound + step;
                let replaced = if value.fract() == 0.0 && value.abs() < 9.0e15 {
                    #[expect(
                        clippy::cast_possible_truncation,
                        reason = "a whole number below 2^53 converts exactly"
                    )]
                    let whole = value as i64;
                    json!(whole)
                } else {
                    json!(value)
                };
                note(keyword, keyword, None, Change::Replace(replaced));
            }
        }
    }
}

/// `required` entries present, and `additionalProperties: false`.
fn object_constraints(schema: &Value, instance: &Value, note: &mut Note<'_>) {
    let Some(object) = instance.as_object() else {
        return;
    };
    for (index, name) in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(name) = name.as_str().filter(|n| object.contains_key(*n)) {
            note(
                "required",
                "required",
                Some(index),
                Change::Remove(name.to_string()),
            );
        }
    }
    if schema.get("additionalProperties") == Some(&Value::Bool(false)) {
        note(
            "additionalProperties",
            "additionalProperties",
            None,
            Change::Add("zzMutantMember".into(), json!(1)),
        );
    }
}

/// The subschemas a value's parts are checked against: `(keyword, key in
/// it, the part, the part's member name or index)`.
fn children<'a>(
    schema: &'a Value,
    instance: &'a Value,
) -> Vec<(&'static str, String, &'a Value, String)> {
    let mut found = Vec::new();
    if let (Some(properties), Some(object)) = (
        schema.get("properties").and_then(Value::as_object),
        instance.as_object(),
    ) {
        for (name, value) in object {
            if properties.contains_key(name) {
                found.push(("properties", name.clone(), value, name.clone()));
            }
        }
        if schema
            .get("additionalProperties")
            .is_some_and(Value::is_object)
            && let Some((name, value)) = object.iter().find(|(n, _)| !properties.contains_key(*n))
        {
            found.push(("additionalProperties", String::new(), value, name.clone()));
        }
    } else if let (Some(_), Some(object)) = (
        schema.get("additionalProperties").filter(|a| a.is_object()),
        instance.as_object(),
    ) && let Some((name, value)) = object.iter().next()
    {
        found.push(("additionalProperties", String::new(), value, name.clone()));
    }
    if let (Some(_), Some(first)) = (
        schema.get("items").filter(|i| i.is_object()),
        instance.as_array().and_then(|items| items.first()),
    ) {
        found.push(("items", String::new(), first, "0".into()));
    }
    found
}

/// A value that breaks `format` where `instance` is of the type it applies
/// to.
fn breaks_format(format: &str, instance: &Value) -> Option<Value> {
    let bad = match (format, instance) {
        ("int32", Value::Number(_)) => json!(3_000_000_000u64),
        ("int64", Value::Number(_)) => json!(9_223_372_036_854_775_808u64),
        (_, Value::String(_)) => match format {
            "date-time" => json!("not-a-date-time"),
            "date" => json!("not-a-date"),
            "uri" => json!("not a uri"),
            "uri-reference" => json!("http://[::1"),
            "email" => json!("not-an-email"),
            "uuid" => json!("not-a-uuid"),
            _ => return None,
        },
        _ => return None,
    };
    Some(bad)
}

/// A string `pattern` refuses, among a few candidates.
fn not_matching(pattern: &str, current: &str) -> Option<String> {
    let validator = jsonschema::validator_for(&json!({ "pattern": pattern })).ok()?;
    ["", "!", " ", "zz zz", "\u{7f}", "0", "a/b?c"]
        .into_iter()
        .map(str::to_string)
        .chain([format!("{current} ")])
        .find(|candidate| !validator.is_valid(&json!(candidate)))
}
