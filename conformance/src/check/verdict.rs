//! What the checks of one exchange found: the checks, the verdict, its
//! failures and the spec defects it ran into.

use serde::Serialize;
use serde_json::Value;

use crate::fixture::Exchange;
use crate::readers::Reader;
use crate::validate::SchemaFailure;

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
    /// [`Suite::with_readers`](super::Suite::with_readers)).
    ClientDecodes,
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

#[derive(Default)]
pub(super) struct Findings {
    pub(super) checks: Vec<Check>,
    pub(super) failures: Vec<Failure>,
    pub(super) defects: Vec<SpecDefectHit>,
}

impl Findings {
    pub(super) fn fail(&mut self, check: Check, instance: &str, schema: &str, message: String) {
        self.failures.push(Failure {
            check,
            instance_pointer: instance.to_string(),
            schema_pointer: schema.to_string(),
            message,
        });
    }

    /// Runs the client-decodes check of `body` with `reader`.
    pub(super) fn client_decodes(
        &mut self,
        reader: Reader,
        body: &Value,
        pointer: &str,
        what: &str,
    ) {
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

    pub(super) fn schema_failure(&mut self, check: Check, failure: &SchemaFailure) {
        self.fail(
            check,
            &failure.instance_pointer,
            &failure.schema_pointer,
            failure.message.clone(),
        );
    }

    pub(super) fn verdict(mut self, name: &str, exchange: &Exchange) -> Verdict {
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
