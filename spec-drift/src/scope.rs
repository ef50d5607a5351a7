//! Which findings a report judges: by default those about the operations
//! the client is built from (`dwolla_codegen::profile::CLIENT_OPERATIONS`,
//! matched by operationId or by method and path shape, so a renamed one
//! still counts), and the client's build; the rest are counted in one
//! notice. `--all-operations` judges everything.

use std::collections::BTreeSet;

use dwolla_codegen::profile::CLIENT_OPERATIONS;

use crate::pairing::{Pair, path_shape};
use crate::report::{Class, Elsewhere, Finding, Scope};

/// Rules about the client's build as a whole, in scope whatever it judges.
pub const BUILD_RULES: &[&str] = &["client-need-unmet", "extras-replaced", "build-adapts"];

/// The operationIds, in OLD or NEW, of the operations the client is built
/// from.
pub fn client_operation_ids(pairs: &[Pair<'_>]) -> BTreeSet<String> {
    let is_client = |op: &dwolla_codegen::OperationSummary| {
        CLIENT_OPERATIONS.iter().any(|client| {
            client.operation_id == op.operation_id
                || (client.method == op.method && path_shape(client.path) == path_shape(&op.path))
        })
    };
    pairs
        .iter()
        .filter(|pair| pair.old.into_iter().chain(pair.new).any(is_client))
        .flat_map(Pair::ids)
        .collect()
}

/// The findings `scope` judges, and a count of the others above no effect
/// (`None` when every operation is judged).
pub fn partition(
    findings: Vec<Finding>,
    scope: Scope,
    client: &BTreeSet<String>,
) -> (Vec<Finding>, Option<Elsewhere>) {
    if scope == Scope::AllOperations {
        return (findings, None);
    }
    let (kept, others): (Vec<Finding>, Vec<Finding>) = findings.into_iter().partition(|f| {
        BUILD_RULES.contains(&f.rule.as_str()) || f.operations.iter().any(|id| client.contains(id))
    });
    let counted: Vec<&Finding> = others
        .iter()
        .filter(|f| f.class != Class::NoEffect)
        .collect();
    let subjects: BTreeSet<&str> = counted.iter().map(|f| f.subject.as_str()).collect();
    let elsewhere = Elsewhere {
        findings: counted.len(),
        subjects: subjects.len(),
    };
    (kept, Some(elsewhere))
}
