//! An error answer from Dwolla, read from whatever body came with it.

use reqwest::StatusCode;
use serde_json::Value;

use super::body::{DwollaErrorBody, EmbeddedError};
use super::excerpt::snippet;
use crate::redact::{SecretValues, printable};

/// An error answer from Dwolla.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{operation}: Dwolla answered {status}{}{}{}",
    code.as_deref().map(|c| format!(" {}", printable(c))).unwrap_or_default(),
    message.as_deref().map(|m| format!(": {}", printable(m))).unwrap_or_default(),
    request_id.as_deref().map(|id| format!(" (x-request-id {})", printable(id))).unwrap_or_default()
)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation (its operationId).
    pub operation: &'static str,
    /// The HTTP status.
    pub status: StatusCode,
    /// Dwolla's error code (or OAuth's `error`), when the body had one.
    pub code: Option<String>,
    /// Dwolla's message.
    pub message: Option<String>,
    /// The individual failures of a validation error, with their paths.
    pub errors: Vec<EmbeddedError>,
    /// Dwolla's `x-request-id`, for support.
    pub request_id: Option<String>,
    /// The start of a body that was not a JSON error (an HTML error page
    /// from a proxy, say).
    pub snippet: Option<String>,
}

impl ApiError {
    /// The error of a decoded error body.
    pub(crate) fn from_error_body(
        operation: &'static str,
        status: StatusCode,
        body: DwollaErrorBody,
        request_id: Option<String>,
    ) -> Self {
        Self {
            operation,
            status,
            code: body.code().map(str::to_string),
            message: body.message,
            errors: body.errors,
            request_id,
            snippet: None,
        }
    }

    /// Scrubs `secrets` from every text the error holds.
    pub(crate) fn scrub(&mut self, secrets: &SecretValues) {
        let scrub = |text: &mut String| secrets.scrub_in_place(text);
        [
            &mut self.code,
            &mut self.message,
            &mut self.request_id,
            &mut self.snippet,
        ]
        .into_iter()
        .flatten()
        .for_each(scrub);
        for error in &mut self.errors {
            [&mut error.code, &mut error.message, &mut error.path]
                .into_iter()
                .flatten()
                .for_each(scrub);
            let mut links = serde_json::Value::Object(std::mem::take(&mut error.links));
            secrets.scrub_json(&mut links);
            if let serde_json::Value::Object(links) = links {
                error.links = links;
            }
        }
    }

    /// The error of a body that may or may not be Dwolla's JSON: a JSON
    /// object is read as [`DwollaErrorBody`], anything else kept as an
    /// excerpt.
    pub(crate) fn from_bytes(
        operation: &'static str,
        status: StatusCode,
        body: &[u8],
        request_id: Option<String>,
    ) -> Self {
        match serde_json::from_slice::<Value>(body) {
            Ok(value) if value.is_object() => {
                Self::from_error_body(operation, status, DwollaErrorBody::from(value), request_id)
            }
            _ => Self {
                operation,
                status,
                code: None,
                message: None,
                errors: Vec::new(),
                request_id,
                snippet: Some(snippet(body)),
            },
        }
    }
}
