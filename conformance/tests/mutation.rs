//! Mutation tests: every committed fixture that passes is mutated in the
//! ways a real response goes wrong (statuses, headers, media types), and,
//! generated from the spec (`constraints`), once for every constraint its
//! bodies and its request reach, violating that constraint alone; the
//! suite must flag every mutant, each at the constraint's JSON pointer.

mod constraints;

use conformance::check::{Outcome, Suite};
use conformance::fixture::{self, Exchange};
use serde_json::json;

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
            e.response.status = other_success;
        });
    }
    if exchange.response.status == 201 {
        mutants.add("missing-location", |e| {
            e.response.headers.remove("location");
        });
        mutants.add("unparsable-location", |e| {
            e.response
                .headers
                .insert("location".into(), "http://[::1/exchange-sessions/x".into());
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
            // Location is optional in the spec: its absence is a gap of the
            // client (which reads it), not a failure of the exchange.
            let expected = if kind == "missing-location" {
                Outcome::ClientGap
            } else {
                Outcome::Fail
            };
            if suite.check(&loaded.name, &mutant).outcome != expected {
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
    assert!(total >= 120, "only {total} mutants");
    // Body constraints (required fields, types, formats…) are the generated
    // corpus's, below.
    for kind in [
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

/// The corpus generated from the spec: every mutant fails, and a failure
/// names the JSON pointer of the constraint it violates; where the published
/// spec is defective there (the committed errata correct it), the verdict
/// records the spec defect instead. Counts per keyword are a snapshot;
/// `CONFORMANCE_MUTANTS_DIR` (a folder; a relative one is under `conformance/`,
/// where cargo runs the test) writes the corpus out (for the cross-check
/// with an independent validator in `.ci/run`).
#[test]
fn every_constraint_the_fixtures_reach_is_violated_alone_and_flagged_at_its_pointer() {
    let suite = Suite::vendored().unwrap();
    let fixtures = fixture::committed().unwrap();
    let errata = conformance::errata::committed().unwrap();
    let corpus = constraints::corpus(&suite, &fixtures);
    let published = constraints::Branches::of(&suite.spec);
    let mut counts = std::collections::BTreeMap::<(Judged, &str), usize>::new();
    let mut missed = Vec::new();
    let mut manifest = Vec::new();
    for mutant in &corpus {
        let verdict = suite.check(&mutant.name, &mutant.exchange);
        let judged = judge(mutant, &verdict, &published, &errata);
        if judged == Judged::Missed {
            missed.push(format!("{}: {:#?}", mutant.name, verdict.failures));
        } else {
            *counts.entry((judged, mutant.keyword)).or_default() += 1;
        }
        manifest.push(json!({
            "name": mutant.name,
            "at": mutant.at,
            "keyword": mutant.keyword,
            "pointer": mutant.pointer,
            "verdict": verdict.outcome,
            "spec_defect": judged == Judged::SpecDefect,
            "another_branch": judged == Judged::AnotherBranch,
            "exchange": mutant.exchange,
        }));
    }
    let table: String = counts
        .iter()
        .map(|((judged, keyword), n)| format!("{keyword}: {n} {}\n", judged.says()))
        .collect();
    println!("{} mutants from the spec:\n{table}", corpus.len());
    assert!(
        missed.is_empty(),
        "mutants not flagged at their constraint: {missed:#?}"
    );
    for keyword in [
        "type",
        "required",
        "format",
        "enum",
        "oneOf",
        "security",
        "status",
        "media type",
    ] {
        assert!(
            counts.contains_key(&(Judged::Flagged, keyword)),
            "no {keyword} mutant flagged"
        );
    }
    insta::assert_snapshot!(format!("{} mutants\n{table}", corpus.len()));
    if let Some(dir) = std::env::var_os("CONFORMANCE_MUTANTS_DIR") {
        write_corpus(std::path::Path::new(&dir), &fixtures, manifest);
    }
}

/// What became of a mutant, in the order the snapshot's table lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Judged {
    /// It failed, naming its constraint.
    Flagged,
    /// The published spec is defective there and an erratum corrects it.
    SpecDefect,
    /// Inside a composition, another branch accepts the change.
    AnotherBranch,
    /// None of these: a miss of the checker.
    Missed,
}

impl Judged {
    fn says(self) -> &'static str {
        match self {
            Judged::Flagged => "flagged at their pointer",
            Judged::SpecDefect => "a spec defect of the published spec",
            Judged::AnotherBranch => "another branch of a oneOf/anyOf accepts the change",
            Judged::Missed => "missed",
        }
    }
}

fn judge(
    mutant: &constraints::Mutant,
    verdict: &conformance::check::Verdict,
    published: &constraints::Branches,
    errata: &[conformance::errata::Erratum],
) -> Judged {
    let named = verdict.outcome == Outcome::Fail
        && verdict
            .failures
            .iter()
            .any(|f| names(&mutant.pointer, &mutant.branches, &f.schema_pointer));
    if named {
        return Judged::Flagged;
    }
    // Inside a composition, a change can make the value another branch the
    // published spec accepts: no constraint is violated alone.
    let another_branch = !mutant.via.is_empty()
        && mutant
            .body
            .as_ref()
            .is_some_and(|(schema, body)| published.accepts(schema, body));
    if another_branch {
        return Judged::AnotherBranch;
    }
    // The published spec is defective where an erratum corrects it
    // (identical branches, a format, an enum): the corrected spec judges
    // there, and the corpus records the defect.
    let under = |e: &&conformance::errata::Erratum| {
        mutant.pointer.starts_with(&e.pointer)
            || mutant.via.iter().any(|v| v.starts_with(&e.pointer))
    };
    let defect = errata.iter().filter(under).any(|e| {
        verdict.spec_defects.iter().any(|hit| hit.erratum == e.id)
            || verdict.outcome == Outcome::Fail
    });
    if defect {
        Judged::SpecDefect
    } else {
        Judged::Missed
    }
}

/// Whether a failure at `failed` names the constraint at `pointer`: the
/// same pointer; for a `oneOf`/`anyOf` (no branch accepts the value), the
/// failing keyword of one of its `branches`, which the checker names.
fn names(pointer: &str, branches: &[String], failed: &str) -> bool {
    failed == pointer
        || branches
            .iter()
            .any(|branch| failed == branch || failed.starts_with(&format!("{branch}/")))
}

/// The valid fixtures and the mutants (each with our verdict), as one JSON
/// file for another validator.
fn write_corpus(
    dir: &std::path::Path,
    fixtures: &[fixture::Loaded],
    mutants: Vec<serde_json::Value>,
) {
    std::fs::create_dir_all(dir).unwrap();
    let valid: Vec<serde_json::Value> = fixtures
        .iter()
        .map(|loaded| json!({ "name": loaded.name, "exchange": loaded.exchange }))
        .collect();
    let corpus = json!({ "valid": valid, "mutants": mutants });
    std::fs::write(dir.join("corpus.json"), corpus.to_string()).unwrap();
}
