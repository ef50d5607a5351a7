#!/usr/bin/env bash
# Builds the client (default features, the ergonomic layer included) against
# each SPEC, as `DWOLLA_OPENAPI=SPEC cargo build` does, in a target folder of
# its own (target/other-specs, or CARGO_TARGET_DIR) so the main build stays
# cached; only the client crate is rebuilt from one spec to the next.
#
#   scripts/build-against.sh [--min-operations N] SPEC...
#   scripts/build-against.sh --published     # the 13 specs beside the checkout
#
# Prints one line per spec: whether it compiled, the operations generated
# and the seconds it took (wall). Exits 1 when a build fails or generates
# fewer than N operations, 2 on a usage error or a missing spec.
set -uo pipefail
cd "$(dirname "$0")/.."

min=0
specs=()
while [ $# -gt 0 ]; do
    case $1 in
        --min-operations) min=$2; shift 2 ;;
        --published)
            specs+=(../shared/specs/dwolla-openapi-*.yml ../shared/reference/dwolla-openapi-d4901e4.yml)
            shift
            ;;
        *) specs+=("$1"); shift ;;
    esac
done
[ ${#specs[@]} -gt 0 ] || { echo "usage: $0 [--min-operations N] SPEC... | --published" >&2; exit 2; }
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target/other-specs}

status=0
for spec in "${specs[@]}"; do
    [ -f "$spec" ] || { echo "build-against: no spec $spec" >&2; exit 2; }
    log=$(mktemp)
    start=$(date +%s)
    if DWOLLA_OPENAPI="$spec" cargo build --locked >"$log" 2>&1; then result=compiled; else result=FAILED; fi
    seconds=$(($(date +%s) - start))
    summary=$(grep -o 'generated [0-9]* operations from [^ ]* ([0-9]* not generated)' "$log" | head -n 1)
    generated=$(echo "$summary" | awk '{print $2}')
    echo "$(basename "$spec"): $result, ${summary:-no operations generated}, ${seconds} s"
    if [ "$result" = FAILED ]; then
        grep -E '^(error|warning: unused)' -A 6 "$log" | head -n 40 >&2
        status=1
    elif [ -z "$generated" ] || [ "$generated" -lt "$min" ]; then
        echo "build-against: $spec generated ${generated:-no} operations; at least $min expected" >&2
        status=1
    fi
    rm -f "$log"
done
exit "$status"
