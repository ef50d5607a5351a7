#!/usr/bin/env bash
# The steps of the spec-drift workflow (.github/workflows/spec-drift.yml) as
# one script: the workflow runs it after downloading the specs, `.ci/run`
# dry-runs it against specs of ../shared/specs, and any other CI can run it
# the same way (README, "A drift job for CI").
#
#   scripts/spec-drift-job.sh unchanged NEW
#     Exits 0 when NEW is the locked spec, byte for byte (nothing to do: no
#     build, no pull request), 1 when it differs. Needs only sha256sum.
#
#   scripts/spec-drift-job.sh watch BASELINE NEW OUT
#     NEW is the newest published spec, BASELINE the one the lock names.
#     - NEW is the locked spec: prints "unchanged", writes OUT/outcome
#       (unchanged), exits 0.
#     - otherwise BASELINE must be the locked spec (exit 2 if not); writes
#       OUT/report.json (spec-drift's whole report), OUT/pr-body.md (its
#       Markdown, the pull request's body), OUT/annotations.txt (GitHub
#       annotations), OUT/upstream-lock.json (the lock moved to NEW, with
#       NEW_COMMIT, NEW_URL, NEW_DATE), OUT/verdict (pass or fail) and
#       OUT/outcome (changed); exits 0 (the pull request's checks judge).
#
#   scripts/spec-drift-job.sh review BASELINE NEW OUT
#     The checks of the pull request that moves the lock. BASELINE must be
#     the spec BASE_LOCK names (the base branch's lock), NEW the one LOCK
#     names. Writes OUT/report.json, prints the annotations, appends the
#     Markdown to $GITHUB_STEP_SUMMARY when set; builds the client (default
#     features) against NEW and checks the fixtures against NEW. Exits 1
#     when the build or a fixture fails, or when the drift is source- or
#     wire-breaking and the pull request has not adapted openapi/dwolla.yml
#     (SLICE_CHANGED=1 says it has; the report still shows every finding).
#
# Environment: SPEC_DRIFT and CONFORMANCE (the binaries; default
# target/debug/...), LOCK (default openapi/upstream-lock.json), BASE_LOCK
# (review; default LOCK), NEW_COMMIT (watch; required when NEW differs),
# NEW_URL, NEW_DATE, SLICE_CHANGED (review; 0 or 1), CARGO_TARGET_DIR.
# Exit codes: 0 done, 1 the checks fail, 2 usage or input error.
set -uo pipefail
cd "$(dirname "$0")/.."

spec_drift=${SPEC_DRIFT:-target/debug/spec-drift}
conformance=${CONFORMANCE:-target/debug/conformance}
lock=${LOCK:-openapi/upstream-lock.json}

fail() { # message
    echo "spec-drift-job: $1" >&2
    exit 2
}

usage() {
    fail "usage: $0 unchanged NEW | $0 watch|review BASELINE NEW OUT"
}

unchanged() { # new
    [ -f "$1" ] || fail "no $1"
    locked=$(sed -n 's/^ *"sha256": *"\([0-9a-fA-F]\{64\}\)".*/\1/p' "$lock")
    [ -n "$locked" ] || fail "$lock holds no sha256"
    digest=$(sha256sum "$1" | cut -d' ' -f1)
    if [ "$digest" = "$locked" ]; then
        echo "unchanged: $1 is the spec $lock locks"
        return 0
    fi
    echo "changed: $1 (sha256 $digest) is not the spec $lock locks ($locked)"
    return 1
}

# Exits 2 unless SPEC is the spec LOCK names.
require_locked() { # spec lock what
    "$spec_drift" lock check "$1" --lock "$2" >/dev/null
    case $? in
        0) ;;
        1) fail "$3 $1 is not the spec $2 locks" ;;
        *) fail "cannot check $1 against $2" ;;
    esac
}

# Runs the comparison once (every finding in OUT/report.json, the verdict
# in OUT/verdict), and renders the other formats from that report.
compare() { # baseline new out
    "$spec_drift" "$1" "$2" --format json --fail-on source >"$3/report.json"
    case $? in
        0) echo pass >"$3/verdict" ;;
        1) echo fail >"$3/verdict" ;;
        *) fail "spec-drift could not compare $1 with $2" ;;
    esac
    "$spec_drift" render "$3/report.json" --format markdown >"$3/pr-body.md" || fail "cannot render the report"
    "$spec_drift" render "$3/report.json" --format github >"$3/annotations.txt" || fail "cannot render the report"
}

watch() { # baseline new out
    "$spec_drift" lock check "$2" --lock "$lock" >/dev/null
    case $? in
        0)
            echo unchanged >"$3/outcome" || fail "cannot write $3/outcome"
            echo "unchanged: $2 is the spec $lock locks"
            return 0
            ;;
        1) ;;
        *) fail "cannot check $2 against $lock" ;;
    esac
    [ -n "${NEW_COMMIT:-}" ] || fail "NEW_COMMIT must name the commit of $2"
    require_locked "$1" "$lock" baseline
    compare "$1" "$2" "$3"
    cp "$lock" "$3/upstream-lock.json" || fail "cannot copy $lock"
    "$spec_drift" lock update "$2" --lock "$3/upstream-lock.json" --commit "$NEW_COMMIT" \
        ${NEW_URL:+--url "$NEW_URL"} ${NEW_DATE:+--date "$NEW_DATE"} >/dev/null ||
        fail "cannot move the lock to $2"
    echo changed >"$3/outcome" || fail "cannot write $3/outcome"
    echo "changed: $2 ($NEW_COMMIT) differs from the locked spec; drift $(cat "$3/verdict"), report in $3"
}

review() { # baseline new out
    require_locked "$1" "${BASE_LOCK:-$lock}" baseline
    require_locked "$2" "$lock" new
    compare "$1" "$2" "$3"
    cat "$3/annotations.txt"
    if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
        cat "$3/pr-body.md" >>"$GITHUB_STEP_SUMMARY" || fail "cannot write the step summary"
    fi
    status=0
    if ! DWOLLA_OPENAPI="$2" cargo build --locked -q -p dwolla-exchange-sessions; then
        echo "spec-drift-job: the client (default features) does not build against $2" >&2
        status=1
    fi
    if ! "$conformance" check conformance/fixtures --spec "$2"; then
        echo "spec-drift-job: recorded exchanges fail against $2" >&2
        status=1
    fi
    if [ "$(cat "$3/verdict")" = fail ]; then
        if [ "${SLICE_CHANGED:-0}" = 1 ]; then
            echo "the drift is breaking; openapi/dwolla.yml is adapted in this pull request"
        else
            echo "spec-drift-job: the drift is source- or wire-breaking: adapt openapi/dwolla.yml and the client in this pull request" >&2
            status=1
        fi
    fi
    return "$status"
}

if [ "${1:-}" = unchanged ]; then
    [ $# -eq 2 ] || usage
    unchanged "$2"
    exit
fi
[ $# -eq 4 ] || usage
[ -x "$spec_drift" ] || fail "no $spec_drift (cargo build -p spec-drift -p conformance-cli)"
[ "$1" != review ] || [ -x "$conformance" ] || fail "no $conformance (cargo build -p conformance-cli)"
mkdir -p "$4" || fail "cannot create $4"
case $1 in
    watch) watch "$2" "$3" "$4" ;;
    review) review "$2" "$3" "$4" ;;
    *) usage ;;
esac
