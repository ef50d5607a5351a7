//! The checks of one exchange against the spec, and its verdict.
//!
//! Each exchange is validated against the spec with the errata applied; a
//! check that fails only without the errata is a spec defect, named in the
//! verdict, not a failure of the exchange.

use std::collections::BTreeMap;

use openapi_doc::media::essence;
use openapi_doc::pointer::join;
use openapi_doc::security::{Requirement, Scheme};
use openapi_doc::spec::{Operation, ResponseSpec, Spec, SpecError};
use serde::Serialize;
use serde_json::Value;

use crate::errata::{self, ErrataError, Erratum};
use crate::exact::Literal;
use crate::fixture::{
    BodyNumbers, Exchange, Loaded, Provenance, RecordedRequest, RecordedResponse,
};
use crate::readers::{BodyReaders, Reader};
use crate::validate::{CompileError, NoValidator, SchemaFailure, Validators, header_pointer};
use crate::vendored;

/// A spec ready to check exchanges: validators for the spec as published and
/// for the spec with the errata applied, compiled once.
pub struct Suite {
    /// The spec as published.
    pub spec: Spec,
    /// The errata applied.
    pub errata: Vec<Erratum>,
    operations: Vec<Operation>,
    strict: Validators,
    corrected: Validators,
    readers: Option<Box<dyn BodyReaders>>,
}

/// Why a suite could not be built.
#[derive(Debug, thiserror::Error)]
pub enum SuiteError {
    /// The spec could not be read.
    #[error(transparent)]
    Spec(#[from] SpecError),
    /// The errata could not be applied.
    #[error(transparent)]
    Errata(#[from] ErrataError),
    /// A schema could not be compiled.
    #[error(transparent)]
    Compile(#[from] CompileError),
}

/// The checks, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// The operationId is in the spec, with the request's method and path.
    Operation,
    /// The response status is documented for the operation.
    Status,
    /// The response content type is a documented media type (and a bodiless
    /// response carries no body).
    ContentType,
    /// Response headers the spec requires are present, and documented ones
    /// sent are valid (`Location` a URI reference, resolved against the
    /// request's URL when relative).
    Headers,
    /// The response body is valid against its schema.
    ResponseBody,
    /// The request body is valid against the request schema, with a
    /// documented content type.
    RequestBody,
    /// The request carries the headers the spec requires (live requests).
    RequestHeaders,
    /// The request carries the credentials its effective security
    /// requirement asks for.
    Security,
    /// The client's types read the bodies the spec accepts (only with
    /// [`Suite::with_readers`]).
    ClientDecodes,
}

/// The numbers of a body: those of its text when it was read from
/// `body_text`, else those the loader found in the file.
fn text_numbers<'a>(
    from_text: bool,
    text: Option<&str>,
    loaded: &'a [Literal],
) -> std::borrow::Cow<'a, [Literal]> {
    match (from_text, text) {
        (true, Some(text)) => std::borrow::Cow::Owned(crate::exact::literals(text)),
        _ => std::borrow::Cow::Borrowed(loaded),
    }
}

/// Whether `value` is a URI reference (RFC 9110 section 10.2.2: absolute,
/// or relative to the request's URL, against which it resolves).
fn is_uri_reference(value: &str, request: &RecordedRequest) -> bool {
    match url::Url::parse(value) {
        Ok(_) => true,
        Err(url::ParseError::RelativeUrlWithoutBase) => url::Url::parse("http://request.invalid")
            .and_then(|base| base.join(request.path_only()))
            .and_then(|at| at.join(value))
            .is_ok(),
        Err(_) => false,
    }
}

/// Whether `request` meets `scheme` (`None`: a scheme the spec does not
/// define, which asks for nothing here).
fn meets(request: &RecordedRequest, scheme: Option<&Scheme>) -> bool {
    let authorization = |expected: &str| {
        request.header("authorization").is_some_and(|value| {
            value.split_once(' ').is_some_and(|(given, credential)| {
                given.eq_ignore_ascii_case(expected) && !credential.trim().is_empty()
            })
        })
    };
    match scheme {
        None | Some(Scheme::Other(_)) => true,
        Some(Scheme::HttpBasic) => authorization("basic"),
        Some(scheme) if scheme.takes_bearer_token() => authorization("bearer"),
        Some(Scheme::ApiKey { location, name }) => match location.as_str() {
            "header" => request.header(name).is_some(),
            "query" => request.path.split_once('?').is_some_and(|(_, query)| {
                url::form_urlencoded::parse(query.as_bytes()).any(|(key, _)| key == *name)
            }),
            "cookie" => request.header("cookie").is_some_and(|cookies| {
                cookies
                    .split(';')
                    .any(|cookie| cookie.trim().split('=').next() == Some(name.as_str()))
            }),
            _ => false,
        },
        Some(_) => false,
    }
}

/// One failed check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// Which check.
    pub check: Check,
    /// JSON pointer in the body (or `header:<name>`), empty when not about a body.
    pub instance_pointer: String,
    /// JSON pointer in the spec.
    pub schema_pointer: String,
    /// Why.
    pub message: String,
}

/// The verdict on one exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The exchange's name.
    pub exchange: String,
    /// Its operationId.
    pub operation: String,
    /// Its response status.
    pub status: u16,
    /// `pass`, `fail` or `client-gap`.
    pub outcome: Outcome,
    /// The checks that ran.
    pub checks: Vec<Check>,
    /// What failed.
    pub failures: Vec<Failure>,
    /// Spec defects this exchange runs into: errata without which it would
    /// fail, with what the strict spec said.
    pub spec_defects: Vec<SpecDefectHit>,
}

/// A spec defect an exchange ran into: the corrected spec accepts, at
/// `schema_pointer` (and `branch`, when given), what the published spec
/// rejects there. Nothing else is a spec defect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpecDefectHit {
    /// The erratum that lets validation go on.
    pub erratum: String,
    /// The check whose instance it is about.
    pub check: Check,
    /// The body or header schema validated.
    pub schema_pointer: String,
    /// The branch of that schema's top-level `oneOf`/`anyOf` it is about,
    /// when the published spec accepts the body, but as another branch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch: Option<usize>,
    /// What the spec as published says about the exchange.
    pub strict_failure: String,
}

/// Pass, fail, or a gap in the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Every check passed.
    Pass,
    /// At least one check failed.
    Fail,
    /// Every check of the spec passed, but the client's types cannot read a
    /// body the spec accepts (only `client-decodes` failed): a gap in the
    /// client, not a bad exchange.
    ClientGap,
}

impl Suite {
    /// A suite for `spec` with `errata`.
    pub fn new(spec: Spec, errata: Vec<Erratum>) -> Result<Self, SuiteError> {
        let corrected_spec = errata::apply(&spec, &errata)?;
        let strict = Validators::compile(&spec)?;
        let corrected = Validators::compile(&corrected_spec)?;
        Ok(Self {
            operations: spec.operations(),
            spec,
            errata,
            strict,
            corrected,
            readers: None,
        })
    }

    /// The spec the client implements ([`vendored::spec`]) and the committed
    /// errata.
    pub fn vendored() -> Result<Self, SuiteError> {
        Self::new(vendored::spec()?, errata::committed()?)
    }

    /// A suite for `spec` as published (the vendored one or another) with
    /// the extension layer's fragment merged in and the committed errata
    /// that apply to it: every one for the vendored spec, those whose target
    /// it has for another (the others come back, to be told as notices).
    pub fn for_spec(spec: Spec) -> Result<(Self, Vec<errata::Skipped>), SuiteError> {
        let is_vendored = spec.document == vendored::published()?.document;
        let spec = spec.with_fragment(&vendored::extras_fragment()?);
        let (errata, skipped) = errata::applicable(&spec, errata::committed()?, is_vendored)?;
        Ok((Self::new(spec, errata)?, skipped))
    }

    /// The same suite, also checking that the client's types (`readers`)
    /// read every body the spec accepts.
    pub fn with_readers(mut self, readers: impl BodyReaders + 'static) -> Self {
        self.readers = Some(Box::new(readers));
        self
    }

    /// The operations of the spec.
    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// The operation with `id`.
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|op| op.id == id)
    }

    /// Checks a loaded exchange.
    pub fn check_loaded(&self, loaded: &Loaded) -> Verdict {
        self.check_with(&loaded.name, &loaded.exchange, &loaded.numbers)
    }

    /// Checks one exchange.
    pub fn check(&self, name: &str, exchange: &Exchange) -> Verdict {
        self.check_with(name, exchange, &BodyNumbers::default())
    }

    /// Checks one exchange, the numbers its bodies' text holds beyond 64
    /// bits judged as written.
    fn check_with(&self, name: &str, exchange: &Exchange, numbers: &BodyNumbers) -> Verdict {
        let mut run = Run::default();
        let status = exchange.response.status;
        run.checks.push(Check::Operation);
        let Some(operation) = self.operation(&exchange.operation) else {
            run.fail(
                Check::Operation,
                "",
                "",
                format!("the spec has no operation {}", exchange.operation),
            );
            return run.verdict(name, exchange);
        };
        if !exchange
            .request
            .method
            .eq_ignore_ascii_case(&operation.method)
            || !operation.matches_path(exchange.request.path_only())
        {
            run.fail(
                Check::Operation,
                "",
                &operation.pointer,
                format!(
                    "{} {} is not {} {}",
                    exchange.request.method,
                    exchange.request.path_only(),
                    operation.method,
                    operation.path
                ),
            );
        }
        self.check_request_body(operation, exchange, &numbers.request, &mut run);
        self.check_security(operation, &exchange.request, &mut run);

        run.checks.push(Check::Status);
        let Some((documented, response)) = operation.response(status) else {
            run.fail(
                Check::Status,
                "",
                &format!("{}/responses", operation.pointer),
                format!("status {status} is not documented for {}", operation.id),
            );
            return run.verdict(name, exchange);
        };
        let _ = documented;
        let media_pointer = Self::check_content_type(response, exchange, &mut run);
        self.check_headers(response, exchange, &mut run);
        let body = exchange.response.json_body().ok().flatten();
        if let (Some(pointer), Some(body)) = (media_pointer, body.as_deref()) {
            run.checks.push(Check::ResponseBody);
            let accepted = self.validate(Check::ResponseBody, &pointer, body, &mut run);
            let from_text = exchange.response.body.is_none();
            let text = exchange.response.body_text.as_deref();
            let numbers = text_numbers(from_text, text, &numbers.response);
            self.exact(Check::ResponseBody, &pointer, &numbers, &mut run);
            let reader = self
                .readers
                .as_ref()
                .and_then(|readers| readers.response(&operation.id, status));
            if let (true, Some(reader)) = (accepted, reader) {
                run.client_decodes(reader, body, &pointer, "cannot read the body");
            }
        }
        run.verdict(name, exchange)
    }

    /// Checks a request on its own, as a server receiving it would: the
    /// operation it is for (by method and path), its body, and the headers the
    /// spec requires (`Accept`, and credentials for the operation's security).
    pub fn check_request(&self, request: &RecordedRequest) -> (Option<&Operation>, Vec<Failure>) {
        let Some(operation) = self.operations.iter().find(|op| {
            op.method.eq_ignore_ascii_case(&request.method) && op.matches_path(request.path_only())
        }) else {
            let failure = Failure {
                check: Check::Operation,
                instance_pointer: String::new(),
                schema_pointer: "/paths".into(),
                message: format!("no operation is {} {}", request.method, request.path_only()),
            };
            return (None, vec![failure]);
        };
        let exchange = Exchange {
            operation: operation.id.clone(),
            description: None,
            provenance: Provenance {
                source: "live".into(),
                reference: None,
                recorded: None,
            },
            request: request.clone(),
            response: RecordedResponse {
                status: 0,
                headers: BTreeMap::default(),
                body: None,
                body_text: None,
            },
        };
        let mut run = Run::default();
        self.check_request_body(operation, &exchange, &[], &mut run);
        self.check_request_headers(operation, request, &mut run);
        (Some(operation), run.failures)
    }

    /// The headers the spec requires of a request: its required header
    /// parameters (`Accept` among the allowed values) and the credentials its
    /// security scheme asks for.
    fn check_request_headers(
        &self,
        operation: &Operation,
        request: &RecordedRequest,
        run: &mut Run,
    ) {
        for parameter in operation
            .parameters
            .iter()
            .filter(|p| p.location == "header" && p.required)
        {
            match request.header(&parameter.name) {
                None => run.fail(
                    Check::RequestHeaders,
                    &format!("header:{}", parameter.name.to_ascii_lowercase()),
                    &operation.pointer,
                    format!("required header {} is missing", parameter.name),
                ),
                Some(value) if parameter.name.eq_ignore_ascii_case("accept") => {
                    if !parameter.allowed.is_empty()
                        && !parameter.allowed.iter().any(|a| a == &essence(value))
                    {
                        run.fail(
                            Check::RequestHeaders,
                            "header:accept",
                            &operation.pointer,
                            format!("Accept {value:?} is not one of {:?}", parameter.allowed),
                        );
                    }
                }
                Some(_) => {}
            }
        }
        self.check_security(operation, request, run);
    }

    /// The numbers a 64-bit read rounded, judged as written against the
    /// schema at `pointer` (each violation not already reported).
    fn exact(&self, check: Check, pointer: &str, numbers: &[Literal], run: &mut Run) {
        for literal in numbers {
            for violation in crate::exact::violations(&self.spec, pointer, literal) {
                let known = run.failures.iter().any(|f| {
                    f.instance_pointer == literal.pointer
                        && f.schema_pointer == violation.schema_pointer
                });
                if !known {
                    run.fail(
                        check,
                        &literal.pointer,
                        &violation.schema_pointer,
                        violation.message,
                    );
                }
            }
        }
    }

    /// The credentials the operation's effective security requirement asks
    /// for (its own, else the document's): any one alternative, each of its
    /// schemes met in the form the scheme names (HTTP Basic and bearer
    /// tokens in `Authorization`, API keys in their header, query parameter
    /// or cookie); a redacted value counts as present. A scheme the spec
    /// does not define asks for nothing here (it is a spec defect).
    fn check_security(&self, operation: &Operation, request: &RecordedRequest, run: &mut Run) {
        run.checks.push(Check::Security);
        let requirement = Requirement::of(&self.spec.document, &operation.pointer);
        if requirement.is_open()
            || requirement
                .alternatives
                .iter()
                .any(|schemes| schemes.iter().all(|u| meets(request, u.scheme.as_ref())))
        {
            return;
        }
        run.fail(
            Check::Security,
            "header:authorization",
            &requirement.pointer,
            format!(
                "{} asks for {requirement}; the request carries no such credentials",
                operation.id
            ),
        );
    }

    fn check_request_body(
        &self,
        operation: &Operation,
        exchange: &Exchange,
        numbers: &[Literal],
        run: &mut Run,
    ) {
        let Some(request_spec) = &operation.request else {
            return;
        };
        let body = &exchange.request.body;
        let has_body = body.is_some() || exchange.request.body_text.is_some();
        run.checks.push(Check::RequestBody);
        if !has_body {
            if request_spec.required {
                run.fail(
                    Check::RequestBody,
                    "",
                    &format!("{}/requestBody", operation.pointer),
                    "the request body is required".into(),
                );
            }
            return;
        }
        let content_type = exchange.request.header("content-type").map(essence);
        let Some((_, pointer)) = content_type.as_deref().and_then(|ct| {
            request_spec
                .media_types
                .iter()
                .find(|(media, _)| media.as_str() == ct)
        }) else {
            run.fail(
                Check::RequestBody,
                "header:content-type",
                &format!("{}/requestBody/content", operation.pointer),
                format!(
                    "request content type {:?} is not one of {:?}",
                    content_type.unwrap_or_default(),
                    request_spec.media_types.keys().collect::<Vec<_>>()
                ),
            );
            return;
        };
        let value = match exchange.request.json_body() {
            Ok(Some(json)) => json.into_owned(),
            Ok(None) => match &exchange.request.body_text {
                Some(text) => form_to_json(text),
                None => return,
            },
            Err(why) => {
                run.fail(
                    Check::RequestBody,
                    "",
                    pointer,
                    format!("the request {why}"),
                );
                return;
            }
        };
        let accepted = self.validate(Check::RequestBody, pointer, &value, run);
        let from_text = exchange.request.body.is_none();
        let numbers = text_numbers(from_text, exchange.request.body_text.as_deref(), numbers);
        self.exact(Check::RequestBody, pointer, &numbers, run);
        let reader = self
            .readers
            .as_ref()
            .and_then(|readers| readers.request(&operation.id));
        if let (true, Some(reader)) = (accepted, reader) {
            run.client_decodes(reader, &value, pointer, "cannot represent the request body");
        }
    }

    /// The schema pointer of the response's media type, after checking it.
    fn check_content_type(
        response: &ResponseSpec,
        exchange: &Exchange,
        run: &mut Run,
    ) -> Option<String> {
        run.checks.push(Check::ContentType);
        let received = exchange.response.header("content-type").map(essence);
        if response.media_types.is_empty() {
            if exchange.response.has_body() {
                run.fail(
                    Check::ContentType,
                    "",
                    &response.pointer,
                    "the response documents no body but one was sent".into(),
                );
            }
            return None;
        }
        if let Some(pointer) = received
            .as_deref()
            .and_then(|ct| response.media_types.get(ct))
        {
            match exchange.response.json_body() {
                Ok(Some(_)) => Some(pointer.clone()),
                Ok(None) => {
                    run.fail(
                        Check::ContentType,
                        "",
                        pointer,
                        "the response body is not JSON".into(),
                    );
                    None
                }
                Err(why) => {
                    run.fail(
                        Check::ContentType,
                        "",
                        pointer,
                        format!("the response {why}"),
                    );
                    None
                }
            }
        } else {
            run.fail(
                Check::ContentType,
                "header:content-type",
                &format!("{}/content", response.pointer),
                format!(
                    "content type {:?} is not one of {:?}",
                    received.unwrap_or_default(),
                    response.media_types.keys().collect::<Vec<_>>()
                ),
            );
            None
        }
    }

    fn check_headers(&self, response: &ResponseSpec, exchange: &Exchange, run: &mut Run) {
        if response.headers.is_empty() {
            return;
        }
        run.checks.push(Check::Headers);
        for name in response.headers.keys() {
            let pointer = header_pointer(&response.pointer, &self.spec, name);
            let Some(value) = exchange.response.header(name) else {
                if response.headers[name].required {
                    run.fail(
                        Check::Headers,
                        &format!("header:{name}"),
                        &pointer,
                        format!("required header {name} is missing"),
                    );
                } else if name == "location" {
                    // The spec leaves it optional; the client reads the
                    // resource it created there.
                    run.fail(
                        Check::ClientDecodes,
                        "header:location",
                        &pointer,
                        "the client reads what it created from Location, which this answer lacks (the spec does not require it)".into(),
                    );
                }
                continue;
            };
            self.validate(
                Check::Headers,
                &pointer,
                &Value::String(value.to_string()),
                run,
            );
            if name == "location" && !is_uri_reference(value, &exchange.request) {
                run.fail(
                    Check::Headers,
                    "header:location",
                    &pointer,
                    format!("Location {value:?} is not a URI reference"),
                );
            }
        }
    }

    /// Validates against the corrected spec; records failures, and the spec
    /// defects that made the difference. Whether the instance was accepted.
    ///
    /// A body whose schema is a `oneOf`/`anyOf` is also read branch by
    /// branch (see [`Reading`]): accepted only by branches that do not
    /// declare what it sends, it fails; read so only by the published spec,
    /// that is a spec defect.
    fn validate(&self, check: Check, pointer: &str, instance: &Value, run: &mut Run) -> bool {
        let validated = self
            .corrected
            .validate(pointer, instance)
            .and_then(|corrected| Ok((corrected, self.strict.validate(pointer, instance)?)));
        let (corrected, strict) = match validated {
            Ok(both) => both,
            Err(missing) => {
                run.fail(check, "", pointer, missing.to_string());
                return false;
            }
        };
        for failure in &corrected {
            run.schema_failure(check, failure);
        }
        if !corrected.is_empty() {
            return false;
        }
        let reading = match self.reading(pointer, instance) {
            Ok(reading) => reading,
            Err(missing) => {
                run.fail(check, "", pointer, missing.to_string());
                return false;
            }
        };
        if let Some(reading) = &reading
            && !reading.meant_accepted(&reading.corrected)
        {
            reading.misread_failures(check, run);
            return false;
        }
        for failure in &strict {
            run.defects
                .push(self.defect_hit(check, pointer, None, failure, describe(failure)));
        }
        if let Some(reading) = reading.filter(|r| strict.is_empty() && !r.meant_accepted(&r.strict))
        {
            for (branch, failure) in reading.published_misreads() {
                let said = reading.misread_note(branch, failure);
                run.defects
                    .push(self.defect_hit(check, pointer, Some(branch), failure, said));
            }
        }
        true
    }

    /// The spec defect of `failure` (a failure of the published spec the
    /// corrected one does not have), with the erratum that covers it.
    fn defect_hit(
        &self,
        check: Check,
        pointer: &str,
        branch: Option<usize>,
        failure: &SchemaFailure,
        said: String,
    ) -> SpecDefectHit {
        let covers = |at: &str| self.errata.iter().find(|e| at.starts_with(&e.pointer));
        let erratum = covers(&failure.schema_pointer)
            .or_else(|| covers(pointer))
            .map_or_else(|| "unattributed".into(), |e| e.id.clone());
        SpecDefectHit {
            erratum,
            check,
            schema_pointer: pointer.to_string(),
            branch,
            strict_failure: said,
        }
    }

    /// How the branches of the body schema at `pointer` read `instance`;
    /// `None` when the schema has no top-level `oneOf`/`anyOf` or the body's
    /// members tell no branch apart.
    fn reading(&self, pointer: &str, instance: &Value) -> Result<Option<Reading>, NoValidator> {
        let branches = self.strict.branches(pointer);
        let undeclared_by: Vec<Option<String>> = branches
            .iter()
            .map(|branch| match self.spec.document.pointer(&branch.pointer) {
                Some(schema) => undeclared(&self.spec, schema, instance, "", 0),
                None => Some(String::new()),
            })
            .collect();
        let meant: Vec<usize> = (0..branches.len())
            .filter(|&index| undeclared_by[index].is_none())
            .collect();
        if meant.is_empty() || meant.len() == branches.len() {
            return Ok(None);
        }
        let mut reading = Reading {
            names: branches.iter().map(|b| b.name.clone()).collect(),
            meant,
            undeclared: undeclared_by
                .into_iter()
                .flatten()
                .next()
                .unwrap_or_default(),
            corrected: Vec::new(),
            strict: Vec::new(),
        };
        for index in 0..branches.len() {
            reading
                .strict
                .push(self.strict.validate_branch(pointer, index, instance)?);
            reading
                .corrected
                .push(self.corrected.validate_branch(pointer, index, instance)?);
        }
        Ok(Some(reading))
    }
}

/// How the branches of a `oneOf`/`anyOf` read one body. The branches the
/// body *means* are those that declare every member it sends (in
/// `properties`, or an `additionalProperties` schema), depth first; a branch
/// that takes a member only as an undeclared extra does not describe it.
/// When the body's members tell no branch apart, there is no reading.
struct Reading {
    /// The branches' names.
    names: Vec<String>,
    /// The branches the body means.
    meant: Vec<usize>,
    /// A member some other branch does not declare.
    undeclared: String,
    /// Each branch's failures under the corrected spec.
    corrected: Vec<Vec<SchemaFailure>>,
    /// Each branch's failures under the published spec.
    strict: Vec<Vec<SchemaFailure>>,
}

impl Reading {
    /// Whether a meant branch accepts the body, given each branch's failures.
    fn meant_accepted(&self, failures: &[Vec<SchemaFailure>]) -> bool {
        self.meant.iter().any(|&index| failures[index].is_empty())
    }

    /// The names of the branches with no failures.
    fn accepting(&self, failures: &[Vec<SchemaFailure>]) -> String {
        let names: Vec<&str> = (0..self.names.len())
            .filter(|&index| failures[index].is_empty())
            .map(|index| self.names[index].as_str())
            .collect();
        names.join(", ")
    }

    /// The corrected spec reads the body only as branches that do not
    /// declare what it sends: each failure of the first meant branch.
    fn misread_failures(&self, check: Check, run: &mut Run) {
        let meant = self.meant[0];
        for failure in &self.corrected[meant] {
            run.fail(
                check,
                &failure.instance_pointer,
                &failure.schema_pointer,
                format!(
                    "only {} accept(s) this body, without declaring {}; as {}, which declares every member it sends, it fails: {}",
                    self.accepting(&self.corrected),
                    display_pointer(&self.undeclared),
                    self.names[meant],
                    failure.message
                ),
            );
        }
    }

    /// The published spec's failures of the meant branches the corrected
    /// spec accepts the body under.
    fn published_misreads(&self) -> impl Iterator<Item = (usize, &SchemaFailure)> {
        self.meant
            .iter()
            .filter(|&&index| self.corrected[index].is_empty())
            .flat_map(|&index| self.strict[index].iter().map(move |f| (index, f)))
    }

    /// What the published spec says, for a note on `branch`.
    fn misread_note(&self, branch: usize, failure: &SchemaFailure) -> String {
        format!(
            "the published spec reads this body as {} only: as {}, which declares every member it sends ({} does not declare {}), it fails {}",
            self.accepting(&self.strict),
            self.names[branch],
            self.accepting(&self.strict),
            display_pointer(&self.undeclared),
            describe(failure)
        )
    }
}

/// The first member of `instance` that `schema` does not declare, depth
/// first through the declared ones; `None` when it declares them all or
/// cannot tell (a nested composition).
fn undeclared(
    spec: &Spec,
    schema: &Value,
    instance: &Value,
    at: &str,
    depth: usize,
) -> Option<String> {
    let schema = spec.resolve(schema);
    let object = instance.as_object()?;
    let composed = ["oneOf", "anyOf", "allOf"]
        .iter()
        .any(|k| schema.get(*k).is_some());
    if depth > 32 || composed {
        return None;
    }
    let properties = schema.get("properties").and_then(Value::as_object);
    let additional = schema.get("additionalProperties").filter(|a| a.is_object());
    object.iter().find_map(|(name, value)| {
        let here = join(at, name);
        match properties.and_then(|p| p.get(name)).or(additional) {
            Some(inner) => undeclared(spec, inner, value, &here, depth + 1),
            None => Some(here),
        }
    })
}

/// A schema failure in a note: keyword, where, why.
fn describe(failure: &SchemaFailure) -> String {
    format!(
        "{} at {}: {}",
        failure.keyword,
        display_pointer(&failure.instance_pointer),
        failure.message
    )
}

fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() { "/" } else { pointer }
}

/// A urlencoded form as a JSON object of strings.
fn form_to_json(text: &str) -> Value {
    Value::Object(
        url::form_urlencoded::parse(text.as_bytes())
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect(),
    )
}

#[derive(Default)]
struct Run {
    checks: Vec<Check>,
    failures: Vec<Failure>,
    defects: Vec<SpecDefectHit>,
}

impl Run {
    fn fail(&mut self, check: Check, instance: &str, schema: &str, message: String) {
        self.failures.push(Failure {
            check,
            instance_pointer: instance.to_string(),
            schema_pointer: schema.to_string(),
            message,
        });
    }

    /// Runs the client-decodes check of `body` with `reader`.
    fn client_decodes(&mut self, reader: Reader, body: &Value, pointer: &str, what: &str) {
        self.checks.push(Check::ClientDecodes);
        if let Err(why) = reader.decode(body) {
            self.fail(
                Check::ClientDecodes,
                "",
                pointer,
                format!("{} {what}: {why}", reader.name),
            );
        }
    }

    fn schema_failure(&mut self, check: Check, failure: &SchemaFailure) {
        self.fail(
            check,
            &failure.instance_pointer,
            &failure.schema_pointer,
            failure.message.clone(),
        );
    }

    fn verdict(mut self, name: &str, exchange: &Exchange) -> Verdict {
        self.checks.dedup();
        self.defects
            .sort_by(|a, b| (&a.erratum, &a.strict_failure).cmp(&(&b.erratum, &b.strict_failure)));
        self.defects.dedup();
        Verdict {
            exchange: name.to_string(),
            operation: exchange.operation.clone(),
            status: exchange.response.status,
            outcome: if self.failures.is_empty() {
                Outcome::Pass
            } else if self
                .failures
                .iter()
                .all(|failure| failure.check == Check::ClientDecodes)
            {
                Outcome::ClientGap
            } else {
                Outcome::Fail
            },
            checks: self.checks,
            failures: self.failures,
            spec_defects: self.defects,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    /// Readers that refuse every body, named after the operation.
    struct Refusing;

    impl BodyReaders for Refusing {
        fn response(&self, _operation: &str, _status: u16) -> Option<Reader> {
            Some(Reader::new("RefusingResponse", |_| Err("refused".into())))
        }

        fn request(&self, _operation: &str) -> Option<Reader> {
            Some(Reader::new("RefusingRequest", |_| Err("refused".into())))
        }
    }

    fn loaded(name: &str) -> fixture::Loaded {
        fixture::committed_one(name).unwrap()
    }

    #[test]
    fn client_decodes_runs_only_with_readers_and_is_a_client_gap_when_they_refuse() {
        let exchange = loaded("create-customer-exchange-session.plaid-web.201");
        let session = loaded("retrieve-customer-exchange-session.plaid.200");
        let plain = Suite::vendored().unwrap();
        for verdict in [plain.check_loaded(&exchange), plain.check_loaded(&session)] {
            assert_eq!(verdict.outcome, Outcome::Pass, "{verdict:#?}");
            assert!(!verdict.checks.contains(&Check::ClientDecodes));
        }
        let refusing = Suite::vendored().unwrap().with_readers(Refusing);
        let request = refusing.check_loaded(&exchange);
        let response = refusing.check_loaded(&session);
        for (verdict, reader) in [(request, "RefusingRequest"), (response, "RefusingResponse")] {
            assert_eq!(verdict.outcome, Outcome::ClientGap);
            assert!(verdict.checks.contains(&Check::ClientDecodes));
            assert_eq!(verdict.failures.len(), 1, "{verdict:#?}");
            assert_eq!(verdict.failures[0].check, Check::ClientDecodes);
            assert!(
                verdict.failures[0].message.starts_with(reader),
                "{verdict:#?}"
            );
        }
    }
}
