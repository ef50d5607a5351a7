//! The checks of an exchange, one method each: request headers, security,
//! request body, content type, response headers, and the numbers a 64-bit
//! read rounds.

use openapi_doc::media::essence;
use openapi_doc::security::{Requirement, Scheme};
use openapi_doc::spec::{Operation, ResponseSpec};
use serde_json::Value;

use super::Suite;
use super::verdict::{Check, Findings};
use crate::exact::Literal;
use crate::fixture::{Exchange, RecordedRequest};
use crate::validate::header_pointer;

impl Suite {
    /// The headers the spec requires of a request: its required header
    /// parameters (`Accept` among the allowed values) and the credentials its
    /// security scheme asks for.
    pub(super) fn check_request_headers(
        &self,
        operation: &Operation,
        request: &RecordedRequest,
        run: &mut Findings,
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
    pub(super) fn exact(
        &self,
        check: Check,
        pointer: &str,
        numbers: &[Literal],
        run: &mut Findings,
    ) {
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
    pub(super) fn check_security(
        &self,
        operation: &Operation,
        request: &RecordedRequest,
        run: &mut Findings,
    ) {
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

    pub(super) fn check_request_body(
        &self,
        operation: &Operation,
        exchange: &Exchange,
        numbers: &[Literal],
        run: &mut Findings,
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
    pub(super) fn check_content_type(
        response: &ResponseSpec,
        exchange: &Exchange,
        run: &mut Findings,
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

    pub(super) fn check_headers(
        &self,
        response: &ResponseSpec,
        exchange: &Exchange,
        run: &mut Findings,
    ) {
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
}

/// The numbers of a body: those of its text when it was read from
/// `body_text`, else those the loader found in the file.
pub(super) fn text_numbers<'a>(
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

/// A urlencoded form as a JSON object of strings.
fn form_to_json(text: &str) -> Value {
    Value::Object(
        url::form_urlencoded::parse(text.as_bytes())
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect(),
    )
}
