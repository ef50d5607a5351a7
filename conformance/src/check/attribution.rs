//! Whose fault a failure is: validation against the corrected spec and the
//! published one, a failure only the published spec has being a spec defect
//! (with the erratum that covers it), and the branches of a `oneOf`/`anyOf`
//! a body means, so that a body read as another branch is named as such.

use openapi_doc::pointer::join;
use openapi_doc::spec::Spec;
use serde_json::Value;

use super::Suite;
use super::verdict::{Check, Findings, SpecDefectHit};
use crate::validate::{NoValidator, SchemaFailure};

impl Suite {
    /// Validates against the corrected spec; records failures, and the spec
    /// defects that made the difference. Whether the instance was accepted.
    ///
    /// A body whose schema is a `oneOf`/`anyOf` is also read branch by
    /// branch (see [`Reading`]): accepted only by branches that do not
    /// declare what it sends, it fails; read so only by the published spec,
    /// that is a spec defect.
    pub(super) fn validate(
        &self,
        check: Check,
        pointer: &str,
        instance: &Value,
        run: &mut Findings,
    ) -> bool {
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
    fn misread_failures(&self, check: Check, run: &mut Findings) {
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
