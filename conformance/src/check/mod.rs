//! The checks of one exchange against the spec, and its verdict: the
//! [`Suite`] (here) runs the checks (`checks`), attributes failures to spec
//! defects and misread branches (`attribution`), and collects them into a
//! [`Verdict`] (`verdict`).
//!
//! Each exchange is validated against the spec with the errata applied; a
//! check that fails only without the errata is a spec defect, named in the
//! verdict, not a failure of the exchange.

use std::collections::BTreeMap;

use openapi_doc::spec::{Operation, Spec, SpecError};

use crate::errata::{self, ErrataError, Erratum};
use crate::fixture::{
    BodyNumbers, Exchange, Loaded, Provenance, RecordedRequest, RecordedResponse,
};
use crate::readers::BodyReaders;
use crate::validate::{CompileError, Validators};
use crate::vendored;

mod attribution;
mod checks;
mod verdict;

use checks::text_numbers;
use verdict::Findings;
pub use verdict::{Check, Failure, Outcome, SpecDefectHit, Verdict};

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
        let mut run = Findings::default();
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
        let mut run = Findings::default();
        self.check_request_body(operation, &exchange, &[], &mut run);
        self.check_request_headers(operation, request, &mut run);
        (Some(operation), run.failures)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;
    use crate::readers::Reader;

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
